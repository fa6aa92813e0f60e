/* tensor_rng.c: PCG32 random numbers, uniform and normal doubles, and the
 * tensors made of them. Every stream is the same bits on every platform:
 * integer arithmetic, exactly rounded IEEE operations, and a logarithm of
 * our own instead of libm's (whose last bit varies between libms). */
#include "tensor_internal.h"

#include <math.h>

/* A fused multiply-add rounds once where a multiply and an add round twice,
 * so a compiler that contracts a*b + c gives other bits on machines with FMA
 * (arm64, x86 with -mfma). Keep every operation of this file separate. The
 * bits also assume double arithmetic in double precision (FLT_EVAL_METHOD
 * 0, as on x86-64 and arm64; not the x87 of 32-bit x86). clang's
 * -ffp-contract=fast overrides the pragma: do not build this file so. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#define S_MULT 6364136223846793005ULL
#define S_DEFAULT_STREAM 54

/* The default generator of each thread, as galley_rng_seed(rng, 0, 54)
 * leaves it (worked out by hand: the test checks it against
 * galley_manual_seed(0)). */
static _Thread_local galley_rng S_default = {
    0x9ae4f7499ba72696ULL, (S_DEFAULT_STREAM << 1) | 1, 0, 0.0};

/* ---- PCG32 ---- */

/* pcg32_srandom_r of the PCG paper. */
void galley_rng_seed(galley_rng *rng, uint64_t seed, uint64_t stream)
{
    rng = galley__rng_default(rng);
    rng->state = 0;
    rng->inc = (stream << 1) | 1u;
    galley_rng_u32(rng);
    rng->state += seed;
    galley_rng_u32(rng);
    rng->has_spare = 0;
    rng->spare = 0.0;
}

/* pcg32_random_r: an LCG step, output permuted by xorshift and a random
 * rotation of the old state (XSH RR). */
uint32_t galley_rng_u32(galley_rng *rng)
{
    rng = galley__rng_default(rng);
    uint64_t old = rng->state;
    rng->state = old * S_MULT + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

/* 53 random bits from two draws, times 2^-53 (genrand_res53): exact. */
double galley_rng_uniform(galley_rng *rng)
{
    uint32_t a = galley_rng_u32(rng) >> 5, b = galley_rng_u32(rng) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

/* 24 random bits times 2^-24: every float32 of the form k/2^24, exact. */
static float S_uniform_f32(galley_rng *rng)
{
    return (float)(galley_rng_u32(rng) >> 8) * (1.0f / 16777216.0f);
}

/* ---- the logarithm ---- */

/* The coefficients of fdlibm's e_log.c (Sun, 1993): a minimax polynomial
 * for (log(1+f) - 2s - s*R) / s^3 in s^2, error under 2^-58.45 on
 * [0, 0.1716]. */
static const double S_lg[7] = {
    6.666666666666735130e-01, 3.999999999940941908e-01,
    2.857142874366239149e-01, 2.222219843214978396e-01,
    1.818357216161805012e-01, 1.531383769920937332e-01,
    1.479819860511658591e-01};
/* log(2) cut in two: hi has its low 32 bits zero, so k * hi is exact for
 * the exponents a double has. */
static const double S_ln2_hi = 6.93147180369123816490e-01;
static const double S_ln2_lo = 1.90821492927058770002e-10;

/* The natural log of a positive finite x, within 1 ulp, the same bits
 * everywhere: fdlibm's method in plain double arithmetic, one fixed order
 * of operations. x = 2^k * m with m in [sqrt(2)/2, sqrt(2)); f = m - 1
 * (exact); s = f / (2 + f), so log(m) = log(1+f) = 2 atanh(s) =
 * f - (f^2/2 - s * (f^2/2 + R(s^2))). */
static double S_log(double x)
{
    int k;
    double m = frexp(x, &k); /* exact: m in [0.5, 1) */
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        k -= 1;
    }
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double r = S_lg[6];
    for (int i = 5; i >= 0; i--)
        r = S_lg[i] + z * r;
    r = z * r;
    double hfsq = 0.5 * f * f;
    double dk = (double)k;
    return dk * S_ln2_hi - ((hfsq - (s * (hfsq + r) + dk * S_ln2_lo)) - f);
}

/* ---- normal ---- */

/* Marsaglia's polar method: a point uniform in the unit disc (not at its
 * centre) gives two independent normals; the second is kept for the next
 * call. sqrt is exactly rounded by IEEE 754, so it may be libm's. */
double galley_rng_normal(galley_rng *rng)
{
    rng = galley__rng_default(rng);
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * galley_rng_uniform(rng) - 1.0;
        v = 2.0 * galley_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double m = sqrt(-2.0 * S_log(s) / s);
    rng->spare = v * m;
    rng->has_spare = 1;
    return u * m;
}

/* ---- the default generator and tensors ---- */

void galley_manual_seed(uint64_t seed)
{
    galley_rng_seed(&S_default, seed, S_DEFAULT_STREAM);
}

/* A new contiguous tensor of dtype and shape for op, or NULL after a
 * reported error: int64 (or no dtype at all) is refused here, the shape by
 * galley__new. */
static galley_tensor *S_new_float(galley_dtype dtype, int ndim,
                                  const long *shape, const char *op)
{
    if (dtype == GALLEY_I64) {
        galley__error(op, "dtype is int64; %s needs float32 or float64", op);
        return NULL;
    }
    if (dtype != GALLEY_F32 && dtype != GALLEY_F64) {
        galley__error(op, "unknown dtype %d", (int)dtype);
        return NULL;
    }
    /* Drawn on the host, then moved by S_random (galley__made). */
    return galley__new_on(&galley__cpu_backend, dtype, ndim, shape, op);
}

/* float32 draws: 24 random bits, exact in a double. */
static double S_uniform_f32_d(galley_rng *rng)
{
    return S_uniform_f32(rng);
}

/* A new tensor of dtype and shape filled in row-major order with draw(rng)
 * (NULL rng: this thread's default); float32 elements are the doubles
 * rounded. */
static galley_tensor *S_random(galley_rng *rng, galley_dtype dtype, int ndim,
                               const long *shape, const char *op,
                               double (*draw_f32)(galley_rng *),
                               double (*draw_f64)(galley_rng *))
{
    galley_tensor *t = S_new_float(dtype, ndim, shape, op);
    if (!t)
        return NULL;
    if (!rng)
        rng = &S_default;
    if (dtype == GALLEY_F32) {
        float *p = galley__ptr(t);
        for (long i = 0; i < t->numel; i++)
            p[i] = (float)draw_f32(rng);
    } else {
        double *p = galley__ptr(t);
        for (long i = 0; i < t->numel; i++)
            p[i] = draw_f64(rng);
    }
    return galley__made(t, op);
}

galley_tensor *galley_rand(galley_rng *rng, galley_dtype dtype, int ndim,
                           const long *shape)
{
    return S_random(rng, dtype, ndim, shape, "galley_rand", S_uniform_f32_d,
                    galley_rng_uniform);
}

galley_tensor *galley_randn(galley_rng *rng, galley_dtype dtype, int ndim,
                            const long *shape)
{
    return S_random(rng, dtype, ndim, shape, "galley_randn",
                    galley_rng_normal, galley_rng_normal);
}

/* (declared in tensor_internal.h, for randint and randperm) */
galley_rng *galley__rng_default(galley_rng *rng)
{
    return rng ? rng : &S_default;
}
