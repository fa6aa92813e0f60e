/* tensor_elem_test.c: comparisons, where, masked_fill, clamp, abs,
 * maximum/minimum, the activations (gelu, leaky_relu, softplus), sin and
 * cos: values and gradients at the edges (NaN, infinities, -0, ties,
 * bounds), every differentiable op through gradcheck, and the errors.
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

/* 1 where a OP b, including NaN, infinities and -0 == 0. */
TEST(comparisons)
{
    /* a = [1, nan, 2, -inf, 0, 5]; b = [1, nan, 3, -inf, -0., 4]
     * torch.eq(a, b).to(a.dtype) and so on; the float64 lines are the
     * same. Broadcast: x [2,1] = [[1], [2]] against y [3] = [0, 1, 2]. */
    double av[] = {1, NAN, 2, -INFINITY, 0, 5};
    double bv[] = {1, NAN, 3, -INFINITY, -0.0, 4};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *a = galley_from_f64(av, GALLEY_SHAPE(6));
        galley_tensor *b = galley_from_f64(bv, GALLEY_SHAPE(6));
        a = galley_tensor_to(a, dt);
        b = galley_tensor_to(b, dt);
        printf("%s\n", dtn[dt]);
        show("eq", galley_eq(a, b));
        show("ne", galley_ne(a, b));
        show("lt", galley_lt(a, b));
        show("le", galley_le(a, b));
        show("gt", galley_gt(a, b));
        show("ge", galley_ge(a, b));
    }
    galley_tensor *x = galley_from_f64((double[]){1, 2}, GALLEY_SHAPE(2, 1));
    galley_tensor *y = galley_arange(GALLEY_F64, 0, 3, 1);
    show("lt broadcast", galley_lt(x, y));
    show("ge broadcast", galley_ge(x, y));
    /* a.eq(2), a.ne(2), a.lt(2), a.le(2), a.gt(2), a.ge(2) */
    galley_tensor *a = galley_from_f64(av, GALLEY_SHAPE(6));
    show("eq 2", galley_eq_scalar(a, 2));
    show("ne 2", galley_ne_scalar(a, 2));
    show("lt 2", galley_lt_scalar(a, 2));
    show("le 2", galley_le_scalar(a, 2));
    show("gt 2", galley_gt_scalar(a, 2));
    show("ge 2", galley_ge_scalar(a, 2));
    /* int64: i = [3, -1, 7]; j = [3, 0, 9]; torch.lt(i, j).long(),
     * torch.eq(i, j).long(), i.ge(0).long(), i.lt(3.5).long() */
    galley_tensor *i = galley_from_i64((int64_t[]){3, -1, 7}, GALLEY_SHAPE(3));
    galley_tensor *j = galley_from_i64((int64_t[]){3, 0, 9}, GALLEY_SHAPE(3));
    show("lt int64", galley_lt(i, j));
    show("eq int64", galley_eq(i, j));
    show("ge 0 int64", galley_ge_scalar(i, 0));
    show("lt 3.5 int64", galley_lt_scalar(i, 3.5));
    EXPECT(/*
      f32
      eq: float32 [6] = 1 0 0 1 1 0
      ne: float32 [6] = 0 1 1 0 0 1
      lt: float32 [6] = 0 0 1 0 0 0
      le: float32 [6] = 1 0 1 1 1 0
      gt: float32 [6] = 0 0 0 0 0 1
      ge: float32 [6] = 1 0 0 1 1 1
      f64
      eq: float64 [6] = 1 0 0 1 1 0
      ne: float64 [6] = 0 1 1 0 0 1
      lt: float64 [6] = 0 0 1 0 0 0
      le: float64 [6] = 1 0 1 1 1 0
      gt: float64 [6] = 0 0 0 0 0 1
      ge: float64 [6] = 1 0 0 1 1 1
      lt broadcast: float64 [2, 3] = 0 0 1 0 0 0
      ge broadcast: float64 [2, 3] = 1 1 0 1 1 1
      eq 2: float64 [6] = 0 0 1 0 0 0
      ne 2: float64 [6] = 1 1 0 1 1 1
      lt 2: float64 [6] = 1 0 0 1 1 0
      le 2: float64 [6] = 1 0 1 1 1 0
      gt 2: float64 [6] = 0 0 0 0 0 1
      ge 2: float64 [6] = 0 0 1 0 0 1
      lt int64: int64 [3] = 0 1 1
      eq int64: int64 [3] = 1 0 0
      ge 0 int64: int64 [3] = 1 0 1
      lt 3.5 int64: int64 [3] = 1 1 0
    */);
}

/* where and masked_fill: the chosen elements come through bit for bit
 * (inf, nan, -0), the gradient goes to the operand chosen. */
TEST(where_and_masked_fill)
{
    /* c = tensor([[1], [0], [nan]]) (nonzero, NaN included, is true);
     * a = tensor([[1, -0., inf, nan]]) [1,4], b = 10 + arange(12).view(3,4)
     * torch.where(c != 0, a, b) for both dtypes; gradients of a, b:
     * (out * w).sum().backward(). */
    double cv[] = {1, 0, NAN}, av[] = {1, -0.0, INFINITY, NAN};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *c = galley_from_f64(cv, GALLEY_SHAPE(3, 1));
        galley_tensor *a = vals(dt, av, GALLEY_SHAPE(1, 4));
        galley_tensor *b = galley_param(galley_reshape(
            galley_arange(dt, 10, 22, 1), GALLEY_SHAPE(3, 4)));
        printf("%s\n", dtn[dt]);
        galley_tensor *w = galley_where(c, a, b);
        show("where", w);
        backward_w(w);
        show("  d a", galley_grad(a));
        show("  d b", galley_grad(b));
        /* m = tensor([1, 0, 0, 2]) (int64); b.masked_fill(m != 0, -inf) */
        galley_tensor *m = galley_from_i64((int64_t[]){1, 0, 0, 2},
                                           GALLEY_SHAPE(4));
        galley_zero_grad(b);
        show_grad("masked_fill", galley_masked_fill(b, m, -INFINITY), b);
    }
    /* an int64 where: torch.where(tensor([1, 0]) != 0, tensor([5, 6]),
     * tensor([7, 8])) */
    show("where int64",
         galley_where(galley_from_i64((int64_t[]){1, 0}, GALLEY_SHAPE(2)),
                      galley_from_i64((int64_t[]){5, 6}, GALLEY_SHAPE(2)),
                      galley_from_i64((int64_t[]){7, 8}, GALLEY_SHAPE(2))));
    EXPECT(/*
      f32
      where: float32 [3, 4] = 1 -0 inf nan 14 15 16 17 1 -0 inf nan
        d a: float32 [1, 4] = 10 12 14 16
        d b: float32 [3, 4] = 0 0 0 0 5 6 7 8 0 0 0 0
      masked_fill: float32 [3, 4] = -inf 11 12 -inf -inf 15 16 -inf -inf 19 20 -inf
        d masked_fill: float32 [3, 4] = 0 2 3 0 0 6 7 0 0 10 11 0
      f64
      where: float64 [3, 4] = 1 -0 inf nan 14 15 16 17 1 -0 inf nan
        d a: float64 [1, 4] = 10 12 14 16
        d b: float64 [3, 4] = 0 0 0 0 5 6 7 8 0 0 0 0
      masked_fill: float64 [3, 4] = -inf 11 12 -inf -inf 15 16 -inf -inf 19 20 -inf
        d masked_fill: float64 [3, 4] = 0 2 3 0 0 6 7 0 0 10 11 0
      where int64: int64 [2] = 5 8
    */);
}

/* clamp, abs, maximum and minimum with their gradients at bounds, 0, ties
 * and NaN. */
TEST(clamp_abs_maximum_minimum)
{
    /* x = [-2, -1, -0.5, 0, 0.5, 1, 3, nan, -inf, inf]
     * x.clamp(-1, 1), x.clamp(min=0) (clamp(0, inf) here), x.clamp(2, 1)
     * (lo > hi: all hi), x.abs(), with their gradients. */
    double xv[] = {-2, -1, -0.5, 0, 0.5, 1, 3, NAN, -INFINITY, INFINITY};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(10));
        printf("%s\n", dtn[dt]);
        show_grad("clamp(-1, 1)", galley_clamp(x, -1, 1), x);
        show_grad("clamp(0, inf)", galley_clamp(x, 0, INFINITY), x);
        show_grad("clamp(2, 1)", galley_clamp(x, 2, 1), x);
        show_grad("abs", galley_abs(x), x);
    }
    /* a = [1, 2, 3, nan, 0, -0.]; b = [1, 1, 4, 2, -0., 0]:
     * torch.maximum(a, b), torch.minimum(a, b) and their gradients in a and
     * b (a tie gives each half). */
    double av[] = {1, 2, 3, NAN, 0, -0.0}, bv[] = {1, 1, 4, 2, -0.0, 0};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *a = vals(dt, av, GALLEY_SHAPE(6));
        galley_tensor *b = vals(dt, bv, GALLEY_SHAPE(6));
        printf("%s\n", dtn[dt]);
        for (int min = 0; min <= 1; min++) {
            galley_tensor *m = min ? galley_minimum(a, b) : galley_maximum(a, b);
            show(min ? "minimum" : "maximum", m);
            backward_w(m);
            show("  d a", galley_grad(a));
            show("  d b", galley_grad(b));
            galley_zero_grad(a);
            galley_zero_grad(b);
        }
    }
    /* broadcast: torch.maximum(tensor([[0.], [2.]]), tensor([1., 2., 3.]))
     * with gradients */
    galley_tensor *p = vals(GALLEY_F64, (double[]){0, 2}, GALLEY_SHAPE(2, 1));
    galley_tensor *q = vals(GALLEY_F64, (double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_tensor *m = galley_maximum(p, q);
    show("maximum broadcast", m);
    backward_w(m);
    show("  d p", galley_grad(p));
    show("  d q", galley_grad(q));
    EXPECT(/*
      f32
      clamp(-1, 1): float32 [10] = -1 -1 -0.5 0 0.5 1 1 nan -1 1
        d clamp(-1, 1): float32 [10] = 0 2 3 4 5 6 0 0 0 0
      clamp(0, inf): float32 [10] = 0 0 0 0 0.5 1 3 nan 0 inf
        d clamp(0, inf): float32 [10] = 0 0 0 4 5 6 7 0 0 10
      clamp(2, 1): float32 [10] = 1 1 1 1 1 1 1 nan 1 1
        d clamp(2, 1): float32 [10] = 0 0 0 0 0 0 0 0 0 0
      abs: float32 [10] = 2 1 0.5 0 0.5 1 3 nan inf inf
        d abs: float32 [10] = -1 -2 -3 0 5 6 7 0 -9 10
      f64
      clamp(-1, 1): float64 [10] = -1 -1 -0.5 0 0.5 1 1 nan -1 1
        d clamp(-1, 1): float64 [10] = 0 2 3 4 5 6 0 0 0 0
      clamp(0, inf): float64 [10] = 0 0 0 0 0.5 1 3 nan 0 inf
        d clamp(0, inf): float64 [10] = 0 0 0 4 5 6 7 0 0 10
      clamp(2, 1): float64 [10] = 1 1 1 1 1 1 1 nan 1 1
        d clamp(2, 1): float64 [10] = 0 0 0 0 0 0 0 0 0 0
      abs: float64 [10] = 2 1 0.5 0 0.5 1 3 nan inf inf
        d abs: float64 [10] = -1 -2 -3 0 5 6 7 0 -9 10
      f32
      maximum: float32 [6] = 1 2 4 nan 0 -0
        d a: float32 [6] = 0.5 2 0 4 2.5 3
        d b: float32 [6] = 0.5 0 3 4 2.5 3
      minimum: float32 [6] = 1 1 3 nan 0 -0
        d a: float32 [6] = 0.5 0 3 4 2.5 3
        d b: float32 [6] = 0.5 2 0 4 2.5 3
      f64
      maximum: float64 [6] = 1 2 4 nan 0 -0
        d a: float64 [6] = 0.5 2 0 4 2.5 3
        d b: float64 [6] = 0.5 0 3 4 2.5 3
      minimum: float64 [6] = 1 1 3 nan 0 -0
        d a: float64 [6] = 0.5 0 3 4 2.5 3
        d b: float64 [6] = 0.5 2 0 4 2.5 3
      maximum broadcast: float64 [2, 3] = 1 2 3 2 2 3
        d p: float64 [2, 1] = 0 6.5
        d q: float64 [3] = 1 4.5 9
    */);
}

/* gelu (both forms), leaky_relu, softplus, sin and cos across their range,
 * with the edges: softplus's threshold, -0, infinities, NaN. */
TEST(activations)
{
    /* x = [-30, -3, -1, -0., 0, 0.5, 1, 3, 20, 20.5, 30, -inf, inf, nan]
     * F.gelu(x), F.gelu(x, approximate='tanh'), F.leaky_relu(x, 0.1),
     * F.softplus(x), x.sin(), x.cos(); gradients of each (the infinities
     * and NaN left out of those: x2 = x[:11]).
     * Where galley differs from torch it is float32 rounding, and galley's
     * is the float64 value rounded: torch's float32 gelu (a vectorized
     * erf) gives -0.00404987 at -3, where the float64 value is
     * -0.00404969409 (galley: -0.00404969), and 0 at -0 (galley: -0,
     * which is x * Phi(x) in IEEE arithmetic); its float32 gradients at -3
     * are -0.0238912 (gelu; float64 -0.0238912944) and -0.0231686
     * (gelu_tanh; float64 -0.0231683333). torch's gradient of cos at 0 is
     * -0: galley's gradients start at +0 and are added to, giving 0. */
    double xv[] = {-30, -3, -1, -0.0, 0, 0.5, 1, 3, 20, 20.5, 30,
                   -INFINITY, INFINITY, NAN};
    for (int dt = GALLEY_F32; dt <= GALLEY_F64; dt++) {
        galley_tensor *x = vals(dt, xv, GALLEY_SHAPE(14));
        printf("%s\n", dtn[dt]);
        show("gelu", galley_gelu(x));
        show("gelu_tanh", galley_gelu_tanh(x));
        show("leaky_relu", galley_leaky_relu(x, 0.1));
        show("softplus", galley_softplus(x));
        show("sin", galley_sin(x));
        show("cos", galley_cos(x));
        galley_tensor *x2 = vals(dt, xv, GALLEY_SHAPE(11));
        show_grad("gelu", galley_gelu(x2), x2);
        show_grad("gelu_tanh", galley_gelu_tanh(x2), x2);
        show_grad("leaky_relu", galley_leaky_relu(x2, 0.1), x2);
        show_grad("softplus", galley_softplus(x2), x2);
        show_grad("sin", galley_sin(x2), x2);
        show_grad("cos", galley_cos(x2), x2);
    }
    EXPECT(/*
      f32
      gelu: float32 [14] = -0 -0.00404969 -0.158655 -0 0 0.345731 0.841345 2.99595 20 20.5 30 nan inf nan
      gelu_tanh: float32 [14] = -0 -0.00363743 -0.158808 -0 0 0.345714 0.841192 2.99636 20 20.5 30 nan inf nan
      leaky_relu: float32 [14] = -3 -0.3 -0.1 -0 0 0.5 1 3 20 20.5 30 -inf inf nan
      softplus: float32 [14] = 9.35762e-14 0.0485874 0.313262 0.693147 0.693147 0.974077 1.31326 3.04859 20 20.5 30 0 inf nan
      sin: float32 [14] = 0.988032 -0.14112 -0.841471 -0 0 0.479426 0.841471 0.14112 0.912945 0.99683 -0.988032 nan nan nan
      cos: float32 [14] = 0.154251 -0.989992 0.540302 1 1 0.877583 0.540302 -0.989992 0.408082 -0.0795636 0.154251 nan nan nan
      gelu: float32 [11] = -0 -0.00404969 -0.158655 -0 0 0.345731 0.841345 2.99595 20 20.5 30
        d gelu: float32 [11] = 0 -0.0238913 -0.249946 2 2.5 5.20497 7.58321 8.09556 9 10 11
      gelu_tanh: float32 [11] = -0 -0.00363743 -0.158808 -0 0 0.345714 0.841192 2.99636 20 20.5 30
        d gelu_tanh: float32 [11] = 0 -0.0231685 -0.248892 2 2.5 5.20422 7.58075 8.09267 9 10 11
      leaky_relu: float32 [11] = -3 -0.3 -0.1 -0 0 0.5 1 3 20 20.5 30
        d leaky_relu: float32 [11] = 0.1 0.2 0.3 0.4 0.5 6 7 8 9 10 11
      softplus: float32 [11] = 9.35762e-14 0.0485874 0.313262 0.693147 0.693147 0.974077 1.31326 3.04859 20 20.5 30
        d softplus: float32 [11] = 9.35762e-14 0.0948517 0.806824 2 2.5 3.73476 5.11741 7.62059 9 10 11
      sin: float32 [11] = 0.988032 -0.14112 -0.841471 -0 0 0.479426 0.841471 0.14112 0.912945 0.99683 -0.988032
        d sin: float32 [11] = 0.154251 -1.97998 1.62091 4 5 5.2655 3.78212 -7.91994 3.67274 -0.795636 1.69677
      cos: float32 [11] = 0.154251 -0.989992 0.540302 1 1 0.877583 0.540302 -0.989992 0.408082 -0.0795636 0.154251
        d cos: float32 [11] = -0.988032 0.28224 2.52441 0 0 -2.87655 -5.8903 -1.12896 -8.21651 -9.9683 10.8683
      f64
      gelu: float64 [14] = -0 -0.00404969409489 -0.158655253931 -0 0 0.345731230637 0.841344746069 2.99595030591 20 20.5 30 nan inf nan
      gelu_tanh: float64 [14] = -0 -0.00363739208177 -0.158808009392 -0 0 0.345714009825 0.841191990608 2.99636260792 20 20.5 30 nan inf nan
      leaky_relu: float64 [14] = -3 -0.3 -0.1 -0 0 0.5 1 3 20 20.5 30 -inf inf nan
      softplus: float64 [14] = 9.35762296884e-14 0.0485873515737 0.313261687518 0.69314718056 0.69314718056 0.97407698418 1.31326168752 3.04858735157 20.0000000021 20.5 30 0 inf nan
      sin: float64 [14] = 0.988031624093 -0.14112000806 -0.841470984808 -0 0 0.479425538604 0.841470984808 0.14112000806 0.912945250728 0.996829794279 -0.988031624093 nan nan nan
      cos: float64 [14] = 0.154251449888 -0.9899924966 0.540302305868 1 1 0.87758256189 0.540302305868 -0.9899924966 0.408082061813 -0.0795635672785 0.154251449888 nan nan nan
      gelu: float64 [11] = -0 -0.00404969409489 -0.158655253931 -0 0 0.345731230637 0.841344746069 2.99595030591 20 20.5 30
        d gelu: float64 [11] = -4.42093840464e-195 -0.0238912944084 -0.249946411763 2 2.5 5.20497074794 7.58320829411 8.09556517763 9 10 11
      gelu_tanh: float64 [11] = -0 -0.00363739208177 -0.158808009392 -0 0 0.345714009825 0.841191990608 2.99636260792 20 20.5 30
        d gelu_tanh: float64 [11] = 0 -0.0231683332619 -0.248892251537 2 2.5 5.20421942121 7.58074858692 8.09267333305 9 10 11
      leaky_relu: float64 [11] = -3 -0.3 -0.1 -0 0 0.5 1 3 20 20.5 30
        d leaky_relu: float64 [11] = 0.1 0.2 0.3 0.4 0.5 6 7 8 9 10 11
      softplus: float64 [11] = 9.35762296884e-14 0.0485873515737 0.313261687518 0.69314718056 0.69314718056 0.97407698418 1.31326168752 3.04858735157 20.0000000021 20.5 30
        d softplus: float64 [11] = 9.35762296884e-14 0.0948517463551 0.80682426411 2 2.5 3.73475598721 5.11741005041 7.62059301458 8.99999998145 10 11
      sin: float64 [11] = 0.988031624093 -0.14112000806 -0.841470984808 -0 0 0.479425538604 0.841470984808 0.14112000806 0.912945250728 0.996829794279 -0.988031624093
        d sin: float64 [11] = 0.154251449888 -1.9799849932 1.6209069176 4 5 5.26549537134 3.78211614108 -7.9199399728 3.67273855632 -0.795635672785 1.69676594876
      cos: float64 [11] = 0.154251449888 -0.9899924966 0.540302305868 1 1 0.87758256189 0.540302305868 -0.9899924966 0.408082061813 -0.0795635672785 0.154251449888
        d cos: float64 [11] = -0.988031624093 0.28224001612 2.52441295442 0 0 -2.87655323163 -5.89029689366 -1.12896006448 -8.21650725655 -9.96829794279 10.868347865
    */);
}

/* ---- gradcheck ---- */

typedef galley_tensor *(*op1)(galley_tensor *);

static galley_tensor *call1(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return (*(op1 *)ud)(in[0]);
}

static galley_tensor *call_where(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return galley_where((galley_tensor *)ud, in[0], in[1]);
}

static galley_tensor *call_masked(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return galley_masked_fill(in[0], (galley_tensor *)ud, 3.5);
}

static galley_tensor *call_clamp(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    return galley_clamp(in[0], -0.5, 0.7);
}

static galley_tensor *call_leaky(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    return galley_leaky_relu(in[0], 0.2);
}

static galley_tensor *call_max(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return ud ? galley_minimum(in[0], in[1]) : galley_maximum(in[0], in[1]);
}

/* Prints "NAME: ok" or what gradcheck reported. */
static void check(const char *name, galley_gradcheck_cb fn,
                  galley_tensor *const *in, int n, void *ud)
{
    printf("%s: %s\n", name, gradcheck_quiet(fn, in, n, ud) ? "FAILED" : "ok");
}

/* Every differentiable op of this file, on float64 normal numbers (away
 * from the kinks by chance: the seed is fixed), operands broadcast. */
TEST(gradcheck_elementwise)
{
    galley_rng rng;
    galley_rng_seed(&rng, 15, 1);
    galley_tensor *x =
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(3, 4)));
    galley_tensor *r =
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(4)));
    galley_tensor *c = galley_gt_scalar(
        galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(3, 1)), 0);
    static const struct {
        const char *name;
        op1 f;
    } ops[] = {{"abs", galley_abs},         {"gelu", galley_gelu},
               {"gelu_tanh", galley_gelu_tanh}, {"softplus", galley_softplus},
               {"sin", galley_sin},         {"cos", galley_cos}};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        check(ops[i].name, call1, &x, 1, (void *)&ops[i].f);
    check("clamp", call_clamp, &x, 1, NULL);
    check("leaky_relu", call_leaky, &x, 1, NULL);
    check("where", call_where, (galley_tensor *[]){x, r}, 2, c);
    check("masked_fill", call_masked, &x, 1, c);
    check("maximum", call_max, (galley_tensor *[]){x, r}, 2, NULL);
    check("minimum", call_max, (galley_tensor *[]){x, r}, 2, (void *)1);
    /* softplus past its threshold (the gradient is 1 there) */
    galley_tensor *big = galley_param(galley_from_f64(
        (double[]){-25, 19.5, 21, 40}, GALLEY_SHAPE(4)));
    static const op1 sp = galley_softplus;
    check("softplus far out", call1, &big, 1, (void *)&sp);
    EXPECT(/*
      abs: ok
      gelu: ok
      gelu_tanh: ok
      softplus: ok
      sin: ok
      cos: ok
      clamp: ok
      leaky_relu: ok
      where: ok
      masked_fill: ok
      maximum: ok
      minimum: ok
      softplus far out: ok
    */);
}

/* Mixed dtypes promote as torch's binary ops (float32 with float64 gives
 * float64; int64 with a float, the float), the gradients coming back in
 * each operand's dtype. torch 1.13:
 *   a = torch.tensor([1., -2., 3.], requires_grad=True)
 *   d = torch.tensor([1., .5, 4.], dtype=torch.float64, requires_grad=True)
 *   torch.eq(a, d)                       -> [True, False, False]
 *   torch.lt(torch.tensor([1, 3]), torch.tensor([1.5, 2.5])) -> [True, False]
 *   w = torch.where(torch.tensor([True, False, True]), a, d)  -> [1, .5, 3] f64
 *   m = torch.maximum(a, d)              -> [1, .5, 4] f64
 *   (w.sum() + 2 * m.sum()).backward()   -> a.grad [2, 0, 1] (float32),
 *                                           d.grad [1, 3, 2] (float64) */
TEST(mixed_dtypes_promote)
{
    galley_tensor *a = galley_param(galley_from_f32((float[]){1, -2, 3},
                                                    GALLEY_SHAPE(3)));
    galley_tensor *d = galley_param(galley_from_f64((double[]){1, .5, 4},
                                                    GALLEY_SHAPE(3)));
    galley_tensor_print(galley_eq(a, d));
    galley_tensor_print(galley_lt(galley_from_i64((int64_t[]){1, 3},
                                                  GALLEY_SHAPE(2)),
                                  galley_from_f32((float[]){1.5, 2.5},
                                                  GALLEY_SHAPE(2))));
    galley_tensor *c = galley_from_i64((int64_t[]){1, 0, 1}, GALLEY_SHAPE(3));
    galley_tensor *w = galley_where(c, a, d);
    galley_tensor *m = galley_maximum(a, d);
    galley_tensor_print(w);
    galley_tensor_print(m);
    galley_backward(galley_add(galley_sum_all(w),
                               galley_mul_scalar(galley_sum_all(m), 2)));
    galley_tensor_print(galley_grad(a));
    galley_tensor_print(galley_grad(d));
    EXPECT(/*
      float64 [3]
      [1. 0. 0.]
      float32 [2]
      [1. 0.]
      float64 [3]
      [1.  0.5 3. ]
      float64 [3]
      [1.  0.5 4. ]
      float32 [3]
      [2. 0. 1.]
      float64 [3]
      [1. 3. 2.]
    */);
}

/* Every error names the op, what is wrong and the shapes. */
TEST(elementwise_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *a = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3));
    galley_tensor *b = galley_zeros(GALLEY_F32, GALLEY_SHAPE(4));
    galley_tensor *i = galley_zeros(GALLEY_I64, GALLEY_SHAPE(3));
    galley_tensor *m = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 2, 3));
    if (galley_lt(a, b) || galley_eq(a, NULL) ||
        galley_where(a, a, b) || galley_where(b, a, a) ||
        galley_masked_fill(a, m, 0) || galley_masked_fill(a, b, 0) ||
        galley_clamp(a, NAN, 1) || galley_clamp(i, 0, 1) || galley_abs(i) ||
        galley_minimum(a, b) || galley_gelu(i) ||
        galley_leaky_relu(NULL, 0.1) || galley_sin(i))
        printf("-> not NULL\n");
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      error: galley_lt: shapes [2, 3] and [4] cannot be broadcast
      error: galley_eq: input b is NULL
      error: galley_where: shapes [2, 3] and [4] cannot be broadcast
      error: galley_where: shapes [4] and [2, 3] cannot be broadcast
      error: galley_masked_fill: mask float32 [2, 2, 3] does not broadcast to t's shape (t is float32 [2, 3])
      error: galley_masked_fill: shapes [2, 3] and [4] cannot be broadcast
      error: galley_clamp: a bound is NaN (lo nan, hi 1); pass -INFINITY or INFINITY for no bound
      error: galley_clamp: t is int64 [3]; galley_clamp needs float32 or float64 (cast with galley_tensor_to)
      error: galley_abs: t is int64 [3]; galley_abs needs float32 or float64 (cast with galley_tensor_to)
      error: galley_minimum: shapes [2, 3] and [4] cannot be broadcast
      error: galley_gelu: t is int64 [3]; galley_gelu needs float32 or float64 (cast with galley_tensor_to)
      error: galley_leaky_relu: input t is NULL
      error: galley_sin: t is int64 [3]; galley_sin needs float32 or float64 (cast with galley_tensor_to)
    */);
}
