/* tensor_sum_test.c: the accuracy of galley's sums: torch's cascade
 * summation for every reduction (sum, mean, the sums inside softmax and
 * the losses), contiguous, strided and over an axis, float64 and float32.
 * Sums print with %.17g, every digit of a double; each comment gives the
 * torch 1.13 (CPU, AVX2, one thread) and numpy 1.24 expressions and
 * values. */
#include <galley.h>
#include <galley/tensor.h>
#include <stdio.h>

/* Prints what and the element at flat index i of t with all 17 digits. */
static void show17(const char *what, galley_tensor *t, long i)
{
    galley_tensor *flat = galley_reshape(t, GALLEY_SHAPE(-1));
    printf("%s: %s %.17g\n", what, galley_dtype_name(galley_dtype_of(t)),
           galley_tensor_get(flat, GALLEY_AT(i)));
}

/* The exact sum of a million float64 0.1 is 100000.0000000000055 (so the
 * nearest double is 100000). torch.full((10**6,), 0.1,
 * dtype=torch.float64).sum() is 100000.00000000007, .mean()
 * 0.10000000000000007; numpy's pairwise np.full(10**6, 0.1).sum() gives
 * 99999.999999999796; a plain loop gives 99999.999999666776. galley sums
 * as torch does, to the bit. */
TEST(sum_of_a_million_tenths)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *t = galley_full(GALLEY_F64, GALLEY_SHAPE(1000000), 0.1);
    show17("sum_all", galley_sum_all(t), 0);
    show17("sum axis 0", galley_sum(t, 0, 0), 0);
    show17("mean_all", galley_mean_all(t), 0);
    /* A transposed [1000, 1000] sums as the contiguous row it is in
     * memory: torch.full((1000, 1000), 0.1, dtype=torch.float64).t().sum()
     * is 100000.00000000007 too (numpy's .T.sum() 99999.999999999796). */
    galley_tensor *m = galley_full(GALLEY_F64, GALLEY_SHAPE(1000, 1000), 0.1);
    show17("transposed sum_all", galley_sum_all(galley_transpose(m, 0, 1)), 0);
    galley_scope_end(s);
    EXPECT(/*
      sum_all: float64 100000.00000000007
      sum axis 0: float64 100000.00000000007
      mean_all: float64 0.10000000000000007
      transposed sum_all: float64 100000.00000000007
    */);
}

/* Long columns: the exact sum of 500000 float64 0.1 is 50000.0000000000028
 * (nearest double 50000). torch.full((500000, 2), 0.1,
 * dtype=torch.float64).sum(0) is 50000.000000000036 in both columns, and so
 * is .t().sum(1) (numpy's .sum(0): 49999.9999995529, numpy adds the rows
 * one by one). */
TEST(sum_of_long_columns)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *t = galley_full(GALLEY_F64, GALLEY_SHAPE(500000, 2), 0.1);
    galley_tensor *c = galley_sum(t, 0, 0);
    show17("sum(0) [0]", c, 0);
    show17("sum(0) [1]", c, 1);
    galley_tensor *r = galley_sum(galley_transpose(t, 0, 1), 1, 0);
    show17("t().sum(1) [0]", r, 0);
    show17("t().sum(1) [1]", r, 1);
    /* 40 columns: two blocks of 16 summed together, then 8 each alone, as
     * torch's torch.full((40000, 40), 0.1, dtype=torch.float64).sum(0):
     * 4000.0000000000032 in columns 0 to 31, 4000.0000000000027 in 32 to
     * 39 (exactly 4000.00000000000022). */
    galley_tensor *w = galley_full(GALLEY_F64, GALLEY_SHAPE(40000, 40), 0.1);
    galley_tensor *cw = galley_sum(w, 0, 1);
    show17("[40000, 40] sum(0) [0]", cw, 0);
    show17("[40000, 40] sum(0) [20]", cw, 20);
    show17("[40000, 40] sum(0) [39]", cw, 39);
    galley_scope_end(s);
    EXPECT(/*
      sum(0) [0]: float64 50000.000000000036
      sum(0) [1]: float64 50000.000000000036
      t().sum(1) [0]: float64 50000.000000000036
      t().sum(1) [1]: float64 50000.000000000036
      [40000, 40] sum(0) [0]: float64 4000.0000000000032
      [40000, 40] sum(0) [20]: float64 4000.0000000000032
      [40000, 40] sum(0) [39]: float64 4000.0000000000027
    */);
}

/* Varied values, the same elements in both (0.37 i + 0.1, exact IEEE
 * operations): with data(r, c) = (torch.arange(r * c, dtype=torch.float64)
 * * 0.37 + 0.1).reshape(r, c), torch gives data(1, 1000003).sum()
 * 185001025001.41; b = data(999, 37): b.sum(0)[0] 6824578.5899999999,
 * b.sum(0)[36] and b.t().sum(1)[36] 6837885.2699999996, b.sum(1)[7]
 * 3795.8299999999999. galley's sums are torch's to the bit. */
static galley_tensor *S_data(long r, long c)
{
    galley_tensor *i = galley_arange(GALLEY_F64, 0, (double)(r * c), 1);
    return galley_reshape(galley_add_scalar(galley_mul_scalar(i, 0.37), 0.1),
                          GALLEY_SHAPE(r, c));
}

TEST(sums_of_varied_values)
{
    galley_scope *s = galley_scope_begin();
    show17("data(1, 1000003).sum()", galley_sum_all(S_data(1, 1000003)), 0);
    galley_tensor *b = S_data(999, 37);
    show17("b.sum(0)[0]", galley_sum(b, 0, 0), 0);
    show17("b.sum(0)[36]", galley_sum(b, 0, 0), 36);
    show17("b.t().sum(1)[36]", galley_sum(galley_transpose(b, 0, 1), 1, 0), 36);
    show17("b.sum(1)[7]", galley_sum(b, 1, 0), 7);
    galley_scope_end(s);
    EXPECT(/*
      data(1, 1000003).sum(): float64 185001025001.41
      b.sum(0)[0]: float64 6824578.5899999999
      b.sum(0)[36]: float64 6837885.2699999996
      b.t().sum(1)[36]: float64 6837885.2699999996
      b.sum(1)[7]: float64 3795.8299999999999
    */);
}

/* float32 sums accumulate in double, then round once: a million 0.1f sum
 * to 100000.00149 exactly, float32 100000. torch.full((10**6,), 0.1).sum()
 * is 100000.0078125 (it adds in float), numpy's
 * np.full(10**6, 0.1, dtype=np.float32).sum() 100000.0859375, and
 * np.float32(that.astype(np.float64).sum()) 100000. Over an axis: torch's
 * torch.full((500000, 2), 0.1).sum(0) is 49999.98828125; exactly,
 * 50000.000745 rounds to float32 50000. The mean is the float32 nearest
 * 0.1, 0.10000000149011612. */
TEST(float32_sums)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *t = galley_full(GALLEY_F32, GALLEY_SHAPE(1000000), 0.1);
    show17("sum_all", galley_sum_all(t), 0);
    show17("mean_all", galley_mean_all(t), 0);
    galley_tensor *c = galley_full(GALLEY_F32, GALLEY_SHAPE(500000, 2), 0.1);
    show17("sum(0)", galley_sum(c, 0, 0), 1);
    galley_scope_end(s);
    EXPECT(/*
      sum_all: float32 100000
      mean_all: float32 0.10000000149011612
      sum(0): float32 50000
    */);
}

/* Sums that numpy and torch agree on: (np.arange(1, 101) * 0.1).sum() and
 * (torch.arange(1, 101, dtype=torch.float64) * 0.1).sum() are 505;
 * (1 / torch.arange(1, 10001, dtype=torch.float64) ** 2).sum() is
 * 1.6448340718480599 (numpy's pairwise: 1.6448340718480603). */
TEST(sums_beside_numpy)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *a = galley_mul_scalar(
        galley_arange(GALLEY_F64, 1, 101, 1), 0.1);
    show17("0.1 * arange(1, 101)", galley_sum_all(a), 0);
    galley_tensor *k = galley_arange(GALLEY_F64, 1, 10001, 1);
    galley_tensor *b = galley_pow_scalar(k, -2);
    show17("sum 1/k^2", galley_sum_all(b), 0);
    galley_scope_end(s);
    EXPECT(/*
      0.1 * arange(1, 101): float64 505
      sum 1/k^2: float64 1.6448340718480599
    */);
}
