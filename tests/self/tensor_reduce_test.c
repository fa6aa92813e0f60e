/* tensor_reduce_test.c: min and argmin, sums and means over several axes,
 * var, std, norm, cumsum, sort and topk: values, indices and gradients at
 * the edges (NaN, ties, zero norms, too few elements for the correction),
 * every differentiable op through gradcheck, and the errors.
 *
 * The expected values are PyTorch 1.13's (float32 and float64), printed
 * by a script outside the repository in this file's format from the torch
 * expression written over each check; gradients are those of
 * (out * w).sum().backward() with w = 1, 2, 3, ... in out's shape. float32
 * values show 6 significant digits, float64 ones 12. */
#include "tensor_check.h"

/* show_digits with 6 significant digits for float32, 12 for float64. */
static void show(const char *what, galley_tensor *t)
{
    show_digits(what, t, 6, 12);
}

/* Shows out, then the gradient in x of (out * w).sum(), w = 1, 2, 3, ...
 * in out's shape (show_grad_w); then zeroes it. */
static void show_grad(const char *what, galley_tensor *out, galley_tensor *x)
{
    show_grad_w(what, out, x, 6, 12);
}

static const char *const dtn[] = {"", "f32", "f64"};

/* min and argmin mirror max and argmax: the first smallest, NaN first of
 * all; min_all shares its gradient among ties (among NaNs at a NaN). */
TEST(min_and_argmin)
{
    /* x = tensor([[3, 1, 1, 2], [nan, 0, nan, -1], [-0., 0, 5, 5]])
     * x.min(1), x.min(0, keepdim=True) (values and indices), x.min(),
     * x.argmin(), each with its gradient; y = tensor([[3, 1, 1], [2, 1,
     * 4]]): y.min() shares its gradient among the three 1s. */
    double xv[] = {3, 1, 1, 2, NAN, 0, NAN, -1, -0.0, 0, 5, 5};
    double yv[] = {3, 1, 1, 2, 1, 4};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(3, 4));
        galley_tensor *y = vals(dt, yv, GALLEY_SHAPE(2, 3));
        printf("%s\n", dtn[dt]);
        show_grad("min(1)", galley_min(x, 1, 0), x);
        show("argmin(1)", galley_argmin(x, 1, 0));
        show_grad("min(0, keep)", galley_min(x, 0, 1), x);
        show("argmin(0, keep)", galley_argmin(x, 0, 1));
        show_grad("min_all", galley_min_all(x), x);
        show("argmin_all", galley_argmin_all(x));
        show_grad("min_all ties", galley_min_all(y), y);
        show("argmin_all ties", galley_argmin_all(y));
        show("argmin(-1) ties", galley_argmin(y, -1, 0));
    }
    EXPECT(/*
      f32
      min(1): float32 [3] = 1 nan -0
        d min(1): float32 [3, 4] = 0 1 0 0 2 0 0 0 3 0 0 0
      argmin(1): int64 [3] = 1 0 0
      min(0, keep): float32 [1, 4] = nan 0 nan -1
        d min(0, keep): float32 [3, 4] = 0 0 0 0 1 2 3 4 0 0 0 0
      argmin(0, keep): int64 [1, 4] = 1 1 1 1
      min_all: float32 [] = nan
        d min_all: float32 [3, 4] = 0 0 0 0 0.5 0 0.5 0 0 0 0 0
      argmin_all: int64 [] = 4
      min_all ties: float32 [] = 1
        d min_all ties: float32 [2, 3] = 0 0.333333 0.333333 0 0.333333 0
      argmin_all ties: int64 [] = 1
      argmin(-1) ties: int64 [2] = 1 1
      f64
      min(1): float64 [3] = 1 nan -0
        d min(1): float64 [3, 4] = 0 1 0 0 2 0 0 0 3 0 0 0
      argmin(1): int64 [3] = 1 0 0
      min(0, keep): float64 [1, 4] = nan 0 nan -1
        d min(0, keep): float64 [3, 4] = 0 0 0 0 1 2 3 4 0 0 0 0
      argmin(0, keep): int64 [1, 4] = 1 1 1 1
      min_all: float64 [] = nan
        d min_all: float64 [3, 4] = 0 0 0 0 0.5 0 0.5 0 0 0 0 0
      argmin_all: int64 [] = 4
      min_all ties: float64 [] = 1
        d min_all ties: float64 [2, 3] = 0 0.333333333333 0.333333333333 0 0.333333333333 0
      argmin_all ties: int64 [] = 1
      argmin(-1) ties: int64 [2] = 1 1
    */);
}

/* sum and mean over several axes, negative and in any order, keepdim. */
TEST(sum_and_mean_over_axes)
{
    /* t = arange(24).view(2, 3, 4): t.sum((0, 2)), t.sum((-1, 0),
     * keepdim=True), t.sum(()) (every axis, as dim=None), t.mean((1, 2),
     * keepdim=True), t.mean((0, 1, 2)) with gradients */
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *t = galley_param(
            galley_reshape(galley_arange(dt, 0, 24, 1), GALLEY_SHAPE(2, 3, 4)));
        printf("%s\n", dtn[dt]);
        show_grad("sum(0, 2)", galley_sum_axes(t, GALLEY_AXES(0, 2), 0), t);
        show_grad("sum(-1, 0) keep", galley_sum_axes(t, GALLEY_AXES(-1, 0), 1),
                  t);
        show_grad("sum()", galley_sum_axes(t, GALLEY_AXES(), 0), t);
        show_grad("mean(1, 2) keep", galley_mean_axes(t, GALLEY_AXES(1, 2), 1),
                  t);
        show_grad("mean(0, 1, 2)", galley_mean_axes(t, GALLEY_AXES(0, 1, 2), 0),
                  t);
    }
    EXPECT(/*
      f32
      sum(0, 2): float32 [3] = 60 92 124
        d sum(0, 2): float32 [2, 3, 4] = 1 1 1 1 2 2 2 2 3 3 3 3 1 1 1 1 2 2 2 2 3 3 3 3
      sum(-1, 0) keep: float32 [1, 3, 1] = 60 92 124
        d sum(-1, 0) keep: float32 [2, 3, 4] = 1 1 1 1 2 2 2 2 3 3 3 3 1 1 1 1 2 2 2 2 3 3 3 3
      sum(): float32 [] = 276
        d sum(): float32 [2, 3, 4] = 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
      mean(1, 2) keep: float32 [2, 1, 1] = 5.5 17.5
        d mean(1, 2) keep: float32 [2, 3, 4] = 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.0833333 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667 0.166667
      mean(0, 1, 2): float32 [] = 11.5
        d mean(0, 1, 2): float32 [2, 3, 4] = 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667 0.0416667
      f64
      sum(0, 2): float64 [3] = 60 92 124
        d sum(0, 2): float64 [2, 3, 4] = 1 1 1 1 2 2 2 2 3 3 3 3 1 1 1 1 2 2 2 2 3 3 3 3
      sum(-1, 0) keep: float64 [1, 3, 1] = 60 92 124
        d sum(-1, 0) keep: float64 [2, 3, 4] = 1 1 1 1 2 2 2 2 3 3 3 3 1 1 1 1 2 2 2 2 3 3 3 3
      sum(): float64 [] = 276
        d sum(): float64 [2, 3, 4] = 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
      mean(1, 2) keep: float64 [2, 1, 1] = 5.5 17.5
        d mean(1, 2) keep: float64 [2, 3, 4] = 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.0833333333333 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667 0.166666666667
      mean(0, 1, 2): float64 [] = 11.5
        d mean(0, 1, 2): float64 [2, 3, 4] = 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667 0.0416666666667
    */);
}

/* var and std with torch's correction, including too few elements. */
TEST(var_and_std)
{
    /* x = tensor([[1., 2, 4, 7], [3, 3, 3, 3], [-1, 0.5, 2, 10]])
     * x.var(1) (correction 1), x.var(1, correction=0), x.var() (all),
     * x.std(0, keepdim=True), x.std((0, 1)), x.std(1): its gradient on the
     * constant row is 0; with their gradients.
     * One element: x[:, :1].var(1) is nan (0/0); correction=2 on two
     * elements: x[:, :2].var(1, correction=2) is inf, or nan where the two
     * are equal. */
    double xv[] = {1, 2, 4, 7, 3, 3, 3, 3, -1, 0.5, 2, 10};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(3, 4));
        printf("%s\n", dtn[dt]);
        show_grad("var(1)", galley_var(x, GALLEY_AXES(1), 1, 0), x);
        show_grad("var(1, c=0)", galley_var(x, GALLEY_AXES(1), 0, 0), x);
        show_grad("var()", galley_var(x, GALLEY_AXES(), 1, 0), x);
        show_grad("std(0) keep", galley_std(x, GALLEY_AXES(0), 1, 1), x);
        show_grad("std(0, 1)", galley_std(x, GALLEY_AXES(0, 1), 1, 0), x);
        show_grad("std(1)", galley_std(x, GALLEY_AXES(1), 1, 0), x);
        galley_tensor *one = galley_slice(x, 1, 0, 1, 1);
        galley_tensor *two = galley_slice(x, 1, 0, 2, 1);
        show("var one element", galley_var(one, GALLEY_AXES(1), 1, 0));
        show("var(c=2) two", galley_var(two, GALLEY_AXES(1), 2, 0));
    }
    EXPECT(/*
      f32
      var(1): float32 [3] = 7 0 24.0625
        d var(1): float32 [3, 4] = -1.66667 -1 0.333333 2.33333 0 0 0 0 -7.75 -4.75 -1.75 14.25
      var(1, c=0): float32 [3] = 5.25 0 18.0469
        d var(1, c=0): float32 [3, 4] = -1.25 -0.75 0.25 1.75 0 0 0 0 -5.8125 -3.5625 -1.3125 10.6875
      var(): float32 [] = 8.55114
        d var(): float32 [3, 4] = -0.386364 -0.204545 0.159091 0.704545 -0.0227273 -0.0227273 -0.0227273 -0.0227273 -0.75 -0.477273 -0.204545 1.25
      std(0) keep: float32 [1, 4] = 2 1.25831 1 3.51188
        d std(0) keep: float32 [3, 4] = 0 0.132453 1.5 0.189832 0.5 0.927173 0 -2.08815 -0.5 -1.05963 -1.5 1.89832
      std(0, 1): float32 [] = 2.92423
        d std(0, 1): float32 [3, 4] = -0.0660624 -0.0349742 0.0272022 0.120467 -0.00388602 -0.00388602 -0.00388602 -0.00388602 -0.128239 -0.0816065 -0.0349742 0.213731
      std(1): float32 [3] = 2.64575 0 4.90535
        d std(1): float32 [3, 4] = -0.31497 -0.188982 0.0629941 0.440959 0 0 0 0 -0.789953 -0.484165 -0.178377 1.45249
      var one element: float32 [3] = nan nan nan
      var(c=2) two: float32 [3] = inf nan inf
      f64
      var(1): float64 [3] = 7 0 24.0625
        d var(1): float64 [3, 4] = -1.66666666667 -1 0.333333333333 2.33333333333 0 0 0 0 -7.75 -4.75 -1.75 14.25
      var(1, c=0): float64 [3] = 5.25 0 18.046875
        d var(1, c=0): float64 [3, 4] = -1.25 -0.75 0.25 1.75 0 0 0 0 -5.8125 -3.5625 -1.3125 10.6875
      var(): float64 [] = 8.55113636364
        d var(): float64 [3, 4] = -0.386363636364 -0.204545454545 0.159090909091 0.704545454545 -0.0227272727273 -0.0227272727273 -0.0227272727273 -0.0227272727273 -0.75 -0.477272727273 -0.204545454545 1.25
      std(0) keep: float64 [1, 4] = 2 1.25830573921 1 3.51188458428
        d std(0) keep: float64 [3, 4] = 0 0.132453235707 1.5 0.18983159915 0.5 0.927172649946 0 -2.08814759066 -0.5 -1.05962588565 -1.5 1.8983159915
      std(0, 1): float64 [] = 2.92423261107
        d std(0, 1): float64 [3, 4] = -0.066062397858 -0.0349742106307 0.0272021638239 0.120466725506 -0.00388602340341 -0.00388602340341 -0.00388602340341 -0.00388602340341 -0.128238772313 -0.0816064914717 -0.0349742106307 0.213731287188
      std(1): float64 [3] = 2.64575131106 0 4.90535421759
        d std(1): float64 [3, 4] = -0.314970394174 -0.188982236505 0.0629940788349 0.440958551844 0 0 0 0 -0.789953146728 -0.484164831866 -0.178376517003 1.4524944956
      var one element: float64 [3] = nan nan nan
      var(c=2) two: float64 [3] = inf nan inf
    */);
}

/* The p-norms over all elements and over axes; the gradient at a zero
 * norm is 0. */
TEST(norm)
{
    /* x = tensor([[3., -4, 0], [0, 0, 0], [1, -2, 2]])
     * torch.linalg.vector_norm(x) (p = 2, all), vector_norm(x, 2, 1),
     * vector_norm(x, 1, 1), vector_norm(x, 3, 1, keepdim=True),
     * vector_norm(x, 1.5, (0, 1)), with gradients: the zero row gets 0. */
    double xv[] = {3, -4, 0, 0, 0, 0, 1, -2, 2};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(3, 3));
        printf("%s\n", dtn[dt]);
        show_grad("norm", galley_norm(x, 2, GALLEY_AXES(), 0), x);
        show_grad("norm(2, 1)", galley_norm(x, 2, GALLEY_AXES(1), 0), x);
        show_grad("norm(1, 1)", galley_norm(x, 1, GALLEY_AXES(1), 0), x);
        show_grad("norm(3, 1) keep", galley_norm(x, 3, GALLEY_AXES(1), 1), x);
        show_grad("norm(1.5, all)", galley_norm(x, 1.5, GALLEY_AXES(0, 1), 0),
                  x);
    }
    EXPECT(/*
      f32
      norm: float32 [] = 5.83095
        d norm: float32 [3, 3] = 0.514496 -0.685994 0 0 0 0 0.171499 -0.342997 0.342997
      norm(2, 1): float32 [3] = 5 0 3
        d norm(2, 1): float32 [3, 3] = 0.6 -0.8 0 0 0 0 1 -2 2
      norm(1, 1): float32 [3] = 7 0 5
        d norm(1, 1): float32 [3, 3] = 1 -1 0 0 0 0 3 -3 3
      norm(3, 1) keep: float32 [3, 1] = 4.49794 0 2.57128
        d norm(3, 1) keep: float32 [3, 3] = 0.444851 -0.790847 0 0 0 0 0.453756 -1.81502 1.81502
      norm(1.5, all): float32 [] = 7.33192
        d norm(1.5, all): float32 [3, 3] = 0.639664 -0.73862 0 0 0 0 0.36931 -0.522283 0.522283
      f64
      norm: float64 [] = 5.83095189485
        d norm: float64 [3, 3] = 0.514495755428 -0.68599434057 0 0 0 0 0.171498585143 -0.342997170285 0.342997170285
      norm(2, 1): float64 [3] = 5 0 3
        d norm(2, 1): float64 [3, 3] = 0.6 -0.8 0 0 0 0 1 -2 2
      norm(1, 1): float64 [3] = 7 0 5
        d norm(1, 1): float64 [3, 3] = 1 -1 0 0 0 0 3 -3 3
      norm(3, 1) keep: float64 [3, 1] = 4.49794144528 0 2.57128159066
        d norm(3, 1) keep: float64 [3, 3] = 0.444851351731 -0.790846847521 0 0 0 0 0.453755574822 -1.81502229929 1.81502229929
      norm(1.5, all): float64 [] = 7.33191675944
        d norm(1.5, all): float64 [3, 3] = 0.639663933725 -0.738620288655 0 0 0 0 0.369310144327 -0.52228341483 0.52228341483
    */);
}

/* cumsum along either axis, with its gradient; float32 sums accumulate in
 * double as torch's CPU kernel does. */
TEST(cumsum)
{
    /* x = tensor([[1., 2, 3], [4, 5, 6]]): x.cumsum(0), x.cumsum(-1)
     * with gradients; tensor([1e8, 1, -1e8, nan, 1]).cumsum(0) */
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, (double[]){1, 2, 3, 4, 5, 6},
                                GALLEY_SHAPE(2, 3));
        printf("%s\n", dtn[dt]);
        show_grad("cumsum(0)", galley_cumsum(x, 0), x);
        show_grad("cumsum(-1)", galley_cumsum(x, -1), x);
        show("cumsum big", galley_cumsum(vals(dt, (double[]){1e8, 1, -1e8, NAN,
                                                           1},
                                              GALLEY_SHAPE(5)),
                                         0));
    }
    EXPECT(/*
      f32
      cumsum(0): float32 [2, 3] = 1 2 3 5 7 9
        d cumsum(0): float32 [2, 3] = 5 7 9 4 5 6
      cumsum(-1): float32 [2, 3] = 1 3 6 4 9 15
        d cumsum(-1): float32 [2, 3] = 6 5 3 15 11 6
      cumsum big: float32 [5] = 1e+08 1e+08 1 nan nan
      f64
      cumsum(0): float64 [2, 3] = 1 2 3 5 7 9
        d cumsum(0): float64 [2, 3] = 5 7 9 4 5 6
      cumsum(-1): float64 [2, 3] = 1 3 6 4 9 15
        d cumsum(-1): float64 [2, 3] = 6 5 3 15 11 6
      cumsum big: float64 [5] = 100000000 100000001 1 nan nan
    */);
}

/* sort is stable (ties keep their order, -0 and 0 tie), NaN sorts as the
 * greatest; topk takes the first k of that order. */
TEST(sort_and_topk)
{
    /* x = tensor([[2, nan, 1, 2, -inf, 0, -0., 1], [5, 4, 3, 2, 1, 0, 7,
     * 7]]): torch.sort(x, 1, stable=True), torch.sort(x, 1, descending=True,
     * stable=True), torch.sort(x, 0, stable=True), with gradients of the
     * values; torch.topk(x, 3, 1), torch.topk(x, 2, 1, largest=False), and
     * topk(x, 1, 0), with gradients. torch leaves the order of ties in
     * topk unspecified: for topk(x, 3, 1) it gives the indices [1, 3, 0]
     * and [7, 6, 0] (same values); galley takes ties in the order of their
     * positions, as its stable sort: [1, 0, 3] and [6, 7, 0]. */
    double xv[] = {2, NAN, 1, 2, -INFINITY, 0, -0.0, 1, 5, 4, 3, 2, 1, 0, 7, 7};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(2, 8)), *i;
        printf("%s\n", dtn[dt]);
        show_grad("sort(1)", galley_sort(x, 1, 0, &i), x);
        show("  indices", i);
        show_grad("sort(1) down", galley_sort(x, 1, 1, &i), x);
        show("  indices", i);
        show_grad("sort(0)", galley_sort(x, 0, 0, &i), x);
        show("  indices", i);
        show_grad("topk(3, 1)", galley_topk(x, 3, 1, 1, &i), x);
        show("  indices", i);
        show_grad("topk(2, 1) smallest", galley_topk(x, 2, 1, 0, &i), x);
        show("  indices", i);
        show_grad("topk(1, 0)", galley_topk(x, 1, 0, 1, NULL), x);
    }
    /* int64: torch.sort(tensor([3, -1, 3, 0]), descending=True,
     * stable=True), torch.topk(tensor([3, -1, 3, 0]), 2, largest=False) */
    galley_tensor *n = galley_from_i64((int64_t[]){3, -1, 3, 0},
                                       GALLEY_SHAPE(4)), *i;
    show("sort int64", galley_sort(n, 0, 1, &i));
    show("  indices", i);
    show("topk int64", galley_topk(n, 2, 0, 0, &i));
    show("  indices", i);
    EXPECT(/*
      f32
      sort(1): float32 [2, 8] = -inf 0 -0 1 1 2 2 nan 0 1 2 3 4 5 7 7
        d sort(1): float32 [2, 8] = 6 8 4 7 1 2 3 5 14 13 12 11 10 9 15 16
        indices: int64 [2, 8] = 4 5 6 2 7 0 3 1 5 4 3 2 1 0 6 7
      sort(1) down: float32 [2, 8] = nan 2 2 1 1 0 -0 -inf 7 7 5 4 3 2 1 0
        d sort(1) down: float32 [2, 8] = 2 1 4 3 8 6 7 5 11 12 13 14 15 16 9 10
        indices: int64 [2, 8] = 1 0 3 2 7 5 6 4 6 7 0 1 2 3 4 5
      sort(0): float32 [2, 8] = 2 4 1 2 -inf 0 -0 1 5 nan 3 2 1 0 7 7
        d sort(0): float32 [2, 8] = 1 10 3 4 5 6 7 8 9 2 11 12 13 14 15 16
        indices: int64 [2, 8] = 0 1 0 0 0 0 0 0 1 0 1 1 1 1 1 1
      topk(3, 1): float32 [2, 3] = nan 2 2 7 7 5
        d topk(3, 1): float32 [2, 8] = 2 1 0 3 0 0 0 0 6 0 0 0 0 0 4 5
        indices: int64 [2, 3] = 1 0 3 6 7 0
      topk(2, 1) smallest: float32 [2, 2] = -inf 0 0 1
        d topk(2, 1) smallest: float32 [2, 8] = 0 0 0 0 1 2 0 0 0 0 0 0 4 3 0 0
        indices: int64 [2, 2] = 4 5 5 4
      topk(1, 0): float32 [1, 8] = 5 nan 3 2 1 0 7 7
        d topk(1, 0): float32 [2, 8] = 0 2 0 4 0 6 0 0 1 0 3 0 5 0 7 8
      f64
      sort(1): float64 [2, 8] = -inf 0 -0 1 1 2 2 nan 0 1 2 3 4 5 7 7
        d sort(1): float64 [2, 8] = 6 8 4 7 1 2 3 5 14 13 12 11 10 9 15 16
        indices: int64 [2, 8] = 4 5 6 2 7 0 3 1 5 4 3 2 1 0 6 7
      sort(1) down: float64 [2, 8] = nan 2 2 1 1 0 -0 -inf 7 7 5 4 3 2 1 0
        d sort(1) down: float64 [2, 8] = 2 1 4 3 8 6 7 5 11 12 13 14 15 16 9 10
        indices: int64 [2, 8] = 1 0 3 2 7 5 6 4 6 7 0 1 2 3 4 5
      sort(0): float64 [2, 8] = 2 4 1 2 -inf 0 -0 1 5 nan 3 2 1 0 7 7
        d sort(0): float64 [2, 8] = 1 10 3 4 5 6 7 8 9 2 11 12 13 14 15 16
        indices: int64 [2, 8] = 0 1 0 0 0 0 0 0 1 0 1 1 1 1 1 1
      topk(3, 1): float64 [2, 3] = nan 2 2 7 7 5
        d topk(3, 1): float64 [2, 8] = 2 1 0 3 0 0 0 0 6 0 0 0 0 0 4 5
        indices: int64 [2, 3] = 1 0 3 6 7 0
      topk(2, 1) smallest: float64 [2, 2] = -inf 0 0 1
        d topk(2, 1) smallest: float64 [2, 8] = 0 0 0 0 1 2 0 0 0 0 0 0 4 3 0 0
        indices: int64 [2, 2] = 4 5 5 4
      topk(1, 0): float64 [1, 8] = 5 nan 3 2 1 0 7 7
        d topk(1, 0): float64 [2, 8] = 0 2 0 4 0 6 0 0 1 0 3 0 5 0 7 8
      sort int64: int64 [4] = 3 3 0 -1
        indices: int64 [4] = 0 2 3 1
      topk int64: int64 [2] = -1 0
        indices: int64 [2] = 1 3
    */);
}

/* ---- gradcheck ---- */

typedef struct call {
    int kind;
    double p;
} call;

static galley_tensor *run(galley_tensor *const *in, int n, void *ud)
{
    const call *c = ud;
    galley_tensor *x = in[0];
    (void)n;
    switch (c->kind) {
    case 0: return galley_min(x, 1, 0);
    case 1: return galley_min_all(x);
    case 2: return galley_sum_axes(x, GALLEY_AXES(0, 2), 1);
    case 3: return galley_mean_axes(x, GALLEY_AXES(-1, 1), 0);
    case 4: return galley_var(x, GALLEY_AXES(1), c->p, 0);
    case 5: return galley_std(x, GALLEY_AXES(0, 2), c->p, 1);
    case 6: return galley_norm(x, c->p, GALLEY_AXES(2), 0);
    case 7: return galley_norm(x, c->p, GALLEY_AXES(), 0);
    case 8: return galley_cumsum(x, (int)c->p);
    case 9: return galley_sort(x, (int)c->p, 1, NULL);
    default: return galley_topk(x, 2, (int)c->p, 1, NULL);
    }
}

/* Every differentiable op of this file on float64 normal numbers [2,3,4]
 * (no ties, no zeros). */
TEST(gradcheck_reductions)
{
    static const struct {
        const char *name;
        call c;
    } cases[] = {
        {"min", {0, 0}},          {"min_all", {1, 0}},
        {"sum_axes", {2, 0}},     {"mean_axes", {3, 0}},
        {"var c=1", {4, 1}},      {"var c=0", {4, 0}},
        {"std c=1", {5, 1}},      {"norm p=2", {6, 2}},
        {"norm p=1", {6, 1}},     {"norm p=3", {6, 3}},
        {"norm p=1.5 all", {7, 1.5}}, {"cumsum 1", {8, 1}},
        {"cumsum -1", {8, -1}},   {"sort 0", {9, 0}},
        {"sort 2", {9, 2}},       {"topk 1", {10, 1}},
    };
    galley_rng rng;
    galley_rng_seed(&rng, 15, 2);
    galley_tensor *x =
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 3, 4)));
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        int failed = gradcheck_quiet(run, &x, 1, (void *)&cases[k].c);
        printf("%s: %s\n", cases[k].name, failed ? "FAILED" : "ok");
    }
    EXPECT(/*
      min: ok
      min_all: ok
      sum_axes: ok
      mean_axes: ok
      var c=1: ok
      var c=0: ok
      std c=1: ok
      norm p=2: ok
      norm p=1: ok
      norm p=3: ok
      norm p=1.5 all: ok
      cumsum 1: ok
      cumsum -1: ok
      sort 0: ok
      sort 2: ok
      topk 1: ok
    */);
}

/* Every error names the op, what is wrong and the shapes or axes. */
TEST(reduction_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *a = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3));
    galley_tensor *e = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 0));
    galley_tensor *i = galley_zeros(GALLEY_I64, GALLEY_SHAPE(3));
    galley_tensor *ix = a;
    if (galley_min(a, 2, 0) || galley_min(e, 1, 0) || galley_min_all(e) ||
        galley_argmin(i, 0, 0) || galley_argmin_all(NULL) ||
        galley_sum_axes(a, GALLEY_AXES(0, -2), 0) ||
        galley_mean_axes(a, GALLEY_AXES(0, 1, 1), 0) ||
        galley_sum_axes(a, -1, NULL, 0) || galley_var(a, GALLEY_AXES(3), 1, 0) ||
        galley_std(a, GALLEY_AXES(), INFINITY, 0) ||
        galley_norm(a, 0.5, GALLEY_AXES(), 0) ||
        galley_norm(a, INFINITY, GALLEY_AXES(), 0) || galley_norm(i, 2, GALLEY_AXES(), 0) ||
        galley_cumsum(a, 2) || galley_cumsum(i, 0) || galley_sort(a, -3, 0, &ix) ||
        ix || galley_topk(a, 4, 1, 1, NULL) || galley_topk(a, -1, 1, 1, NULL))
        printf("-> not NULL\n");
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      error: galley_min: axis 2 out of range for a tensor of 2 dimensions
      error: galley_min: float32 [2, 0]: axis 1 is empty
      error: galley_min_all: float32 [2, 0]: no elements to choose from
      error: galley_argmin: t is int64 [3]; galley_argmin needs float32 or float64 (cast with galley_tensor_to)
      error: galley_argmin_all: input t is NULL
      error: galley_sum_axes: axis -2 is given twice
      error: galley_mean_axes: axis 1 is given twice
      error: galley_sum_axes: naxes -1 with axes NULL: give naxes >= 0 axes (0 for all)
      error: galley_var: axis 3 out of range for a tensor of 2 dimensions
      error: galley_std: correction inf is not finite
      error: galley_norm: p = 0.5: the norms are those of a finite p >= 1
      error: galley_norm: p = inf: the norms are those of a finite p >= 1
      error: galley_norm: t is int64 [3]; galley_norm needs float32 or float64 (cast with galley_tensor_to)
      error: galley_cumsum: axis 2 out of range for a tensor of 2 dimensions
      error: galley_cumsum: t is int64 [3]; galley_cumsum needs float32 or float64 (cast with galley_tensor_to)
      error: galley_sort: axis -3 out of range for a tensor of 2 dimensions
      error: galley_topk: k = 4 but axis 1 of float32 [2, 3] has 3 elements
      error: galley_topk: k = -1 is negative
    */);
}

/* The graph names each op with its arguments. */
TEST(graph_arguments)
{
    galley_tensor *x = galley_set_name(
        galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 3, 4))), "x");
    galley_tensor *y = galley_mean_axes(galley_var(x, GALLEY_AXES(-1), 1, 0), GALLEY_AXES(), 0);
    galley_tensor *z = galley_std(x, GALLEY_AXES(1), 0.5, 1);
    z = galley_norm(galley_cumsum(z, 2), 2, GALLEY_AXES(0, 2), 0);
    galley_tensor *s = galley_sort(galley_min(x, 1, 0), -1, 1, NULL);
    s = galley_topk(galley_clamp(galley_leaky_relu(s, 0.25), -1, INFINITY), 2,
                    1, 0, NULL);
    galley_tensor *w = galley_masked_fill(galley_where(galley_gt_scalar(x, 0), x,
                                                       galley_abs(x)),
                                          galley_eq_scalar(x, 2), -1.5);
    galley_tensor *loss = galley_add(
        galley_add(y, galley_sum_all(z)),
        galley_add(galley_sum_all(s),
                   galley_sum_axes(galley_min_all(w), GALLEY_AXES(), 0)));
    galley_tensor *k = galley_sum_axes(galley_sum_axes(x, GALLEY_AXES(0), 1),
                                       GALLEY_AXES(0, 1, 2), 0);
    galley_print_graph(stdout, galley_add(loss, k));
    EXPECT(/*
      %0 = param "x" float64 [2, 3, 4]
      %1 = var(%0, axes=[2], correction=1, keepdim=0) float64 [2, 3]
      %2 = mean_axes(%1, axes=[0, 1], keepdim=0) float64 []
      %3 = std(%0, axes=[1], correction=0.5, keepdim=1) float64 [2, 1, 4]
      %4 = cumsum(%3, axis=2) float64 [2, 1, 4]
      %5 = norm(%4, p=2, axes=[0, 2], keepdim=0) float64 [1]
      %6 = sum_all(%5) float64 []
      %7 = add(%2, %6) float64 []
      %8 = min(%0, axis=1, keepdim=0) float64 [2, 4]
      %9 = sort(%8, axis=1, descending=1) float64 [2, 4]
      %10 = leaky_relu(%9, 0.25) float64 [2, 4]
      %11 = clamp(%10, lo=-1, hi=inf) float64 [2, 4]
      %12 = topk(%11, k=2, axis=1, largest=0) float64 [2, 2]
      %13 = sum_all(%12) float64 []
      %14 = const float64 [2, 3, 4]
      %15 = abs(%0) float64 [2, 3, 4]
      %16 = where(%14, %0, %15) float64 [2, 3, 4]
      %17 = const float64 [2, 3, 4]
      %18 = masked_fill(%16, %17, -1.5) float64 [2, 3, 4]
      %19 = min_all(%18) float64 []
      %20 = sum_axes(%19, axes=[], keepdim=0) float64 []
      %21 = add(%13, %20) float64 []
      %22 = add(%7, %21) float64 []
      %23 = sum_axes(%0, axes=[0], keepdim=1) float64 [1, 3, 4]
      %24 = sum_axes(%23, axes=[0, 1, 2], keepdim=0) float64 []
      %25 = add(%22, %24) float64 []
    */);
}
