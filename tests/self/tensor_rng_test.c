/* tensor_rng_test.c: galley's random numbers, tested with galley. The bits
 * are the contract (the same seed gives the same numbers everywhere), so
 * the first values are pinned in hex floats as well as in decimal. They
 * were checked against a Python transcription of the same algorithms (with
 * math.log), bit for bit. */
#include "tensor_check.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Prints a double so that its bits show. */
static void show(const char *what, double x)
{
    printf("%s %a %.17g\n", what, x, x);
}

/* Prints the first n elements of contiguous t, bits and all. */
static void show_tensor(const char *what, galley_tensor *t, int n)
{
    printf("%s:\n", what);
    for (int i = 0; i < n; i++) {
        double x = galley_dtype_of(t) == GALLEY_F32
                       ? ((float *)galley_tensor_data(t))[i]
                       : ((double *)galley_tensor_data(t))[i];
        show(" ", x);
    }
}

TEST(pcg32_reference)
{
    /* pcg32-demo.c of pcg-c-basic: seed 42, stream 54. */
    galley_rng rng;
    galley_rng_seed(&rng, 42, 54);
    for (int i = 0; i < 6; i++)
        printf("0x%08x\n", galley_rng_u32(&rng));
    EXPECT(/*
      0xa15c02b7
      0x7b47f409
      0xba1d3330
      0x83d2f293
      0xbfa4784b
      0xcbed606e
    */);
}

TEST(uniform_is_53_bits_of_two_draws)
{
    galley_rng rng;
    galley_rng_seed(&rng, 42, 54);
    show("uniform", galley_rng_uniform(&rng));
    show("uniform", galley_rng_uniform(&rng));
    /* By hand from the draws above: (0xa15c02b7 >> 5, 0x7b47f409 >> 6). */
    show("by hand", ((0xa15c02b7u >> 5) * 67108864.0 + (0x7b47f409u >> 6)) /
                        9007199254740992.0);
    EXPECT(/*
      uniform 0x1.42b8055ed1fdp-1 0.6303102186438938
      uniform 0x1.743a6660f4bcap-1 0.72700805600686036
      by hand 0x1.42b8055ed1fdp-1 0.6303102186438938
    */);
}

TEST(normal_pairs_and_spare)
{
    galley_rng rng;
    galley_rng_seed(&rng, 42, 54);
    for (int i = 0; i < 4; i++)
        show("normal", galley_rng_normal(&rng));
    EXPECT(/*
      normal 0x1.9a1fbd078a681p-1 0.80102339474724726
      normal 0x1.653ae35648c15p+0 1.3954298101095948
      normal 0x1.ac9c069822986p-1 0.83712788207167033
      normal 0x1.ad8224d38bbefp-1 0.83888354379985042
    */);

    /* The second of a pair comes from the spare: no draw. */
    galley_rng a, b;
    galley_rng_seed(&a, 7, 3);
    galley_rng_normal(&a);
    b = a;
    printf("after one: has spare %d\n", a.has_spare);
    double second = galley_rng_normal(&a);
    printf("after two: has spare %d, state unchanged %d, value is the "
           "spare %d\n",
           a.has_spare, a.state == b.state, second == b.spare);
    /* Seeding drops the spare. */
    galley_rng_normal(&a);
    galley_rng_seed(&a, 7, 3);
    printf("after seed: has spare %d\n", a.has_spare);
    EXPECT(/*
      after one: has spare 1
      after two: has spare 0, state unchanged 1, value is the spare 1
      after seed: has spare 0
    */);
}

TEST(default_generator_starts_seeded_with_0)
{
    /* Each test runs in a fresh process: nothing has drawn yet. */
    galley_tensor *first = galley_rand(NULL, GALLEY_F64, GALLEY_SHAPE(4));
    galley_manual_seed(0);
    galley_tensor *again = galley_rand(NULL, GALLEY_F64, GALLEY_SHAPE(4));
    galley_rng rng;
    galley_rng_seed(&rng, 0, 54);
    galley_tensor *own = galley_rand(&rng, GALLEY_F64, GALLEY_SHAPE(4));
    printf("same as manual_seed(0): %d\n",
           !memcmp(galley_tensor_data(first), galley_tensor_data(again), 4 * sizeof(double)));
    printf("same as seed(0, 54): %d\n",
           !memcmp(galley_tensor_data(first), galley_tensor_data(own), 4 * sizeof(double)));
    EXPECT(/*
      same as manual_seed(0): 1
      same as seed(0, 54): 1
    */);
}

/* The scalar draws with rng NULL draw from the default generator: the
 * same numbers as a generator seeded as galley_manual_seed seeds it. */
TEST(scalar_draws_from_null_use_the_default_generator)
{
    galley_manual_seed(7);
    uint32_t u = galley_rng_u32(NULL);
    double x = galley_rng_uniform(NULL), z = galley_rng_normal(NULL);
    galley_rng rng;
    galley_rng_seed(&rng, 7, 54);
    int su = u == galley_rng_u32(&rng);
    int sx = x == galley_rng_uniform(&rng);
    int sz = z == galley_rng_normal(&rng);
    printf("u32 %d uniform %d normal %d\n", su, sx, sz);
    galley_rng_seed(NULL, 7, 54);
    printf("seed(NULL) then u32: %d\n", galley_rng_u32(NULL) == u);
    EXPECT(/*
      u32 1 uniform 1 normal 1
      seed(NULL) then u32: 1
    */);
}

TEST(rand_and_randn_seed_0_and_1)
{
    for (unsigned seed = 0; seed < 2; seed++) {
        printf("seed %u\n", seed);
        galley_manual_seed(seed);
        show_tensor("rand float64", galley_rand(NULL, GALLEY_F64,
                                                GALLEY_SHAPE(2)), 2);
        galley_manual_seed(seed);
        show_tensor("rand float32", galley_rand(NULL, GALLEY_F32,
                                                GALLEY_SHAPE(2)), 2);
        galley_manual_seed(seed);
        show_tensor("randn float64", galley_randn(NULL, GALLEY_F64,
                                                  GALLEY_SHAPE(3)), 3);
        galley_manual_seed(seed);
        show_tensor("randn float32", galley_randn(NULL, GALLEY_F32,
                                                  GALLEY_SHAPE(3)), 3);
    }
    EXPECT(/*
      seed 0
      rand float64:
        0x1.1f0a2e5cc7b5p-2 0.28031227532658409
        0x1.f4f72c783b088p-2 0.48922414287404381
      rand float32:
        0x1.1f0a2cp-2 0.28031224012374878
        0x1.731ed4p-1 0.72484457492828369
      randn float64:
        -0x1.cf6ae3729ea4fp+0 -1.8102247385819685
        -0x1.6bb22a764bc1dp-4 -0.088792959086945136
        0x1.1f270c0fc4639p+0 1.1216895617002491
      randn float32:
        -0x1.cf6ae4p+0 -1.8102247714996338
        -0x1.6bb22ap-4 -0.088792957365512848
        0x1.1f270cp+0 1.1216895580291748
      seed 1
      rand float64:
        0x1.36d7bb430c7f1p-1 0.60711465066401449
        0x1.9d2ff1e08b00fp-1 0.80700641504290782
      rand float32:
        0x1.36d7bap-1 0.60711461305618286
        0x1.863f8p-5 0.047637701034545898
      randn float64:
        0x1.ba8fd5bf54c8dp-2 0.43218931179325965
        0x1.3d1ca68f0ea28p+0 1.238718423772875
        0x1.7aa9c30e394f1p-1 0.7395764307845224
      randn float32:
        0x1.ba8fd6p-2 0.43218931555747986
        0x1.3d1ca6p+0 1.2387183904647827
        0x1.7aa9c4p-1 0.73957645893096924
    */);
}

TEST(tensors_follow_the_scalar_streams_in_row_major_order)
{
    galley_rng a, b;
    int same = 1;
    galley_rng_seed(&a, 5, 9);
    b = a;
    galley_tensor *u = galley_rand(&a, GALLEY_F64, GALLEY_SHAPE(2, 3, 4));
    for (long i = 0; i < 24; i++)
        same &= ((double *)galley_tensor_data(u))[i] == galley_rng_uniform(&b);
    /* float32: the top 24 bits of one draw each. */
    galley_tensor *f = galley_rand(&a, GALLEY_F32, GALLEY_SHAPE(5, 7));
    for (long i = 0; i < 35; i++)
        same &= ((float *)galley_tensor_data(f))[i] ==
                (float)(galley_rng_u32(&b) >> 8) / 16777216.0f;
    /* Normals: 9 leave a spare, which the float32 ones start with. */
    galley_tensor *n = galley_randn(&a, GALLEY_F64, GALLEY_SHAPE(3, 3));
    for (long i = 0; i < 9; i++)
        same &= ((double *)galley_tensor_data(n))[i] == galley_rng_normal(&b);
    /* float32 normals are the doubles rounded. */
    galley_tensor *nf = galley_randn(&a, GALLEY_F32, GALLEY_SHAPE(11));
    for (long i = 0; i < 11; i++)
        same &= ((float *)galley_tensor_data(nf))[i] == (float)galley_rng_normal(&b);
    printf("same values %d, same state %d, spare %d %d\n", same,
           a.state == b.state, a.has_spare, b.has_spare);
    EXPECT(/* same values 1, same state 1, spare 0 0 */);
}

TEST(uniform_float32_has_24_bits)
{
    galley_rng rng;
    galley_rng_seed(&rng, 123, 54);
    galley_tensor *t = galley_rand(&rng, GALLEY_F32, GALLEY_SHAPE(100000));
    const float *p = galley_tensor_data(t);
    int ok = 1;
    float lo = 1, hi = 0;
    for (long i = 0; i < 100000; i++) {
        double k = (double)p[i] * 16777216.0;
        ok &= k == floor(k) && p[i] >= 0 && p[i] < 1;
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    printf("multiples of 2^-24 in [0, 1): %d; min %.6f max %.6f\n", ok, lo, hi);
    EXPECT(/* multiples of 2^-24 in [0, 1): 1; min 0.000008 max 0.999999 */);
}

/* Prints the mean and variance of the n values at p, rounded. */
static void moments(const char *what, const double *p, long n)
{
    double sum = 0, sq = 0;
    for (long i = 0; i < n; i++)
        sum += p[i];
    double mean = sum / (double)n;
    for (long i = 0; i < n; i++)
        sq += (p[i] - mean) * (p[i] - mean);
    printf("%s: mean %.3f variance %.3f\n", what, mean, sq / (double)(n - 1));
}

TEST(moments_of_100000_draws)
{
    /* Standard errors for n = 1e5: normal mean 0.0032, variance 0.0045;
     * uniform mean 0.0009 (variance 1/12 = 0.0833). Seed 2024 is one seed
     * among many that land within them. */
    galley_rng rng;
    galley_rng_seed(&rng, 2024, 54);
    galley_tensor *n = galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(100000));
    moments("normal", galley_tensor_data(n), 100000);
    galley_tensor *u = galley_rand(&rng, GALLEY_F64, GALLEY_SHAPE(100000));
    moments("uniform", galley_tensor_data(u), 100000);
    double lo = 0, hi = 0;
    const double *p = galley_tensor_data(n);
    for (long i = 0; i < 100000; i++) {
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    printf("normal range %.2f to %.2f\n", lo, hi);
    EXPECT(/*
      normal: mean 0.001 variance 1.002
      uniform: mean 0.499 variance 0.083
      normal range -4.24 to 4.44
    */);
}

TEST(errors)
{
    galley_tensor_on_error(on_error, NULL);
    printf("%p\n", (void *)galley_rand(NULL, GALLEY_I64, GALLEY_SHAPE(2)));
    printf("%p\n", (void *)galley_randn(NULL, GALLEY_I64, GALLEY_SHAPE(2)));
    printf("%p\n", (void *)galley_randn(NULL, (galley_dtype)9,
                                        GALLEY_SHAPE(2)));
    printf("%p\n", (void *)galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(2, -1)));
    EXPECT(/*
      error: galley_rand: dtype is int64; galley_rand needs float32 or float64
      (nil)
      error: galley_randn: dtype is int64; galley_randn needs float32 or float64
      (nil)
      error: galley_randn: unknown dtype 9
      (nil)
      error: galley_rand: negative size -1 in shape [2, -1]
      (nil)
    */);
}

TEST(empty_and_scalar_shapes)
{
    galley_rng rng, before;
    galley_rng_seed(&rng, 1, 1);
    before = rng;
    galley_tensor *e = galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(0, 4));
    printf("empty: %ld elements, drew nothing %d\n", galley_numel(e),
           rng.state == before.state && !rng.has_spare);
    galley_tensor *s = galley_rand(&rng, GALLEY_F64, GALLEY_SHAPE());
    galley_rng_seed(&before, 1, 1);
    printf("0-d: %d dims, value %d\n", galley_ndim(s),
           galley_item(s) == galley_rng_uniform(&before));
    EXPECT(/*
      empty: 0 elements, drew nothing 1
      0-d: 0 dims, value 1
    */);
}
