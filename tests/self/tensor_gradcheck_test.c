/* tensor_gradcheck_test.c: galley_gradcheck, tested with galley. Every
 * differentiable op goes through gradcheck (broadcasting cases for each
 * binary op), a wrong gradient is caught, the options and errors behave as
 * documented, and a few analytic gradients match PyTorch's (torch 1.13,
 * float64, checked by a script outside the repository).
 *
 * The error figures of a report are noise (about 1e-10), so the markers
 * compare them with an absolute tolerance of 1e-6: "ok" and "FAILED" must
 * match, and a figure that grows past 1e-6 fails the test. The indices of
 * the worst elements must match too; on a correct gradient they show where
 * rounding noise happens to be largest. That is the same everywhere for
 * IEEE arithmetic, and for libm's exp, log, pow and tanh as long as they
 * give the same bits, but not for BLAS, which may add in another order: so
 * the matmul checks use values whose products are exact (errors 0), and
 * a_whole_network is the one report that could move with the BLAS. */
#include "tensor_check.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* A float64 parameter of standard normal numbers from rng. */
static galley_tensor *S_randn(galley_rng *rng, int ndim, const long *shape)
{
    return galley_param(galley_randn(rng, GALLEY_F64, ndim, shape));
}

/* A float64 parameter of uniform numbers in [lo, hi) from rng: for ops
 * (log, sqrt, division, pow) that need their operand away from zero. */
static galley_tensor *S_uniform(galley_rng *rng, double lo, double hi,
                                int ndim, const long *shape)
{
    galley_tensor *t = galley_rand(rng, GALLEY_F64, ndim, shape);
    double *p = galley_tensor_data(t);
    for (long i = 0; i < galley_numel(t); i++)
        p[i] = lo + (hi - lo) * p[i];
    return galley_param(t);
}

/* A float64 parameter of normal numbers from rng rounded to quarters:
 * with a step of 2^-20 every product and sum of a matmul is exact, so its
 * central differences are too, whatever order BLAS adds in. */
static galley_tensor *S_quarters(galley_rng *rng, int ndim, const long *shape)
{
    galley_tensor *t = galley_randn(rng, GALLEY_F64, ndim, shape);
    double *p = galley_tensor_data(t);
    for (long i = 0; i < galley_numel(t); i++)
        p[i] = round(p[i] * 4) / 4;
    return galley_param(t);
}

/* The default options of gradcheck with the step eps. */
static galley_gradcheck_options S_with_eps(double eps)
{
    galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.eps = eps;
    return o;
}

/* The step of gradcheck for S_quarters operands. */
#define S_EXACT_EPS 0x1p-20

/* A float64 parameter holding the values given, in shape. */
static galley_tensor *S_values(const double *v, int ndim, const long *shape)
{
    return galley_param(galley_from_f64(v, ndim, shape));
}

/* Runs gradcheck with the default options; its report is the output. The
 * return value is printed when it is not 0, which the verdict line says. */
static void S_check(galley_gradcheck_cb fn, galley_tensor *const *in, int n,
                    void *ud)
{
    int failed = galley_gradcheck(fn, in, n, ud, NULL);
    if (failed)
        printf("returned %d\n", failed);
}

/* Prints "[2, 3]" for a shape. */
static void S_print_shape(int ndim, const long *shape)
{
    printf("[");
    for (int i = 0; i < ndim; i++)
        printf(i ? ", %ld" : "%ld", shape[i]);
    printf("]");
}

/* ---- callbacks: gradcheck's fn for each kind of op ---- */

typedef galley_tensor *(*S_op1)(galley_tensor *);
typedef galley_tensor *(*S_op2)(galley_tensor *, galley_tensor *);

/* userdata: an S_op1, applied to inputs[0]. */
static galley_tensor *S_call1(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return (*(S_op1 *)ud)(in[0]);
}

/* userdata: an S_op2, applied to inputs[0] and inputs[1]. */
static galley_tensor *S_call2(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return (*(S_op2 *)ud)(in[0], in[1]);
}

/* An op with a scalar argument (add_scalar, mul_scalar, pow_scalar). */
typedef struct S_scalar_call {
    galley_tensor *(*f)(galley_tensor *, double);
    double s;
} S_scalar_call;

static galley_tensor *S_call_scalar(galley_tensor *const *in, int n, void *ud)
{
    const S_scalar_call *c = ud;
    (void)n;
    return c->f(in[0], c->s);
}

/* A reduction over one axis (sum, mean, max). */
typedef struct S_axis_call {
    galley_tensor *(*f)(galley_tensor *, int, int);
    int axis, keepdim;
} S_axis_call;

static galley_tensor *S_call_axis(galley_tensor *const *in, int n, void *ud)
{
    const S_axis_call *c = ud;
    (void)n;
    return c->f(in[0], c->axis, c->keepdim);
}

/* An op with an axis only (softmax, log_softmax). */
typedef struct S_softmax_call {
    galley_tensor *(*f)(galley_tensor *, int);
    int axis;
} S_softmax_call;

static galley_tensor *S_call_softmax(galley_tensor *const *in, int n,
                                     void *ud)
{
    const S_softmax_call *c = ud;
    (void)n;
    return c->f(in[0], c->axis);
}

/* ---- binary ops, same shape and broadcast ---- */

/* The operand shapes of the broadcasting cases. */
static const struct {
    int na, nb;
    long a[3], b[3];
} S_bcast[] = {
    {2, 1, {2, 3}, {3}},
    {2, 2, {2, 1}, {1, 3}},
    {2, 0, {2, 3}, {0}},
    {0, 2, {0}, {2, 3}},
    {3, 2, {2, 1, 3}, {4, 1}},
};

/* gradcheck of f over [2, 3] operands, then over each broadcasting case;
 * a_pos / b_pos put that operand in [0.5, 1.5) instead of normal. */
static void S_binary_cases(S_op2 f, int a_pos, int b_pos)
{
    galley_rng rng;
    galley_rng_seed(&rng, 7, 1);
    printf("same shape [2, 3]:\n");
    galley_tensor *in[2];
    in[0] = a_pos ? S_uniform(&rng, 0.5, 1.5, GALLEY_SHAPE(2, 3))
                  : S_randn(&rng, GALLEY_SHAPE(2, 3));
    in[1] = b_pos ? S_uniform(&rng, 0.5, 1.5, GALLEY_SHAPE(2, 3))
                  : S_randn(&rng, GALLEY_SHAPE(2, 3));
    S_check(S_call2, in, 2, &f);
    for (size_t i = 0; i < sizeof S_bcast / sizeof S_bcast[0]; i++) {
        int na = S_bcast[i].na, nb = S_bcast[i].nb;
        const long *sa = S_bcast[i].a, *sb = S_bcast[i].b;
        S_print_shape(na, sa);
        printf(" with ");
        S_print_shape(nb, sb);
        printf(":\n");
        in[0] = a_pos ? S_uniform(&rng, 0.5, 1.5, na, sa)
                      : S_randn(&rng, na, sa);
        in[1] = b_pos ? S_uniform(&rng, 0.5, 1.5, nb, sb)
                      : S_randn(&rng, nb, sb);
        S_check(S_call2, in, 2, &f);
    }
    galley_tensor_free_all();
}

TEST(add)
{
    S_binary_cases(galley_add, 0, 0);
    EXPECT_NEAR(.atol = 1e-6, /*
      same shape [2, 3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with [3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1] with [1, 3]:
      gradcheck: input 0 float64 [2, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with []:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [] with [2, 3]:
      gradcheck: input 0 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1, 3] with [4, 1]:
      gradcheck: input 0 float64 [2, 1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(sub)
{
    S_binary_cases(galley_sub, 0, 0);
    EXPECT_NEAR(.atol = 1e-6, /*
      same shape [2, 3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with [3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1] with [1, 3]:
      gradcheck: input 0 float64 [2, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with []:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [] with [2, 3]:
      gradcheck: input 0 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1, 3] with [4, 1]:
      gradcheck: input 0 float64 [2, 1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(mul)
{
    S_binary_cases(galley_mul, 0, 0);
    EXPECT_NEAR(.atol = 1e-6, /*
      same shape [2, 3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with [3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1] with [1, 3]:
      gradcheck: input 0 float64 [2, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with []:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [] with [2, 3]:
      gradcheck: input 0 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1, 3] with [4, 1]:
      gradcheck: input 0 float64 [2, 1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(div)
{
    S_binary_cases(galley_div, 0, 1);
    EXPECT_NEAR(.atol = 1e-6, /*
      same shape [2, 3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with [3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1] with [1, 3]:
      gradcheck: input 0 float64 [2, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with []:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [] with [2, 3]:
      gradcheck: input 0 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1, 3] with [4, 1]:
      gradcheck: input 0 float64 [2, 1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(pow_both_operands)
{
    S_binary_cases(galley_pow, 1, 0);
    EXPECT_NEAR(.atol = 1e-6, /*
      same shape [2, 3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with [3]:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1] with [1, 3]:
      gradcheck: input 0 float64 [2, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 3] with []:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [] with [2, 3]:
      gradcheck: input 0 float64 []: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      [2, 1, 3] with [4, 1]:
      gradcheck: input 0 float64 [2, 1, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 1]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* ---- unary and scalar ops ---- */

/* gradcheck of f over a [2, 3] input made by make (0: normal, 1: in
 * [0.5, 1.5), 2: hand values, none near 0). */
static void S_unary_case(const char *name, S_op1 f, int make)
{
    static const double away[] = {-1.5, -0.3, 0.2, 0.7, 1.1, -2.0};
    galley_rng rng;
    galley_rng_seed(&rng, 11, 2);
    galley_tensor *x = make == 0   ? S_randn(&rng, GALLEY_SHAPE(2, 3))
                       : make == 1 ? S_uniform(&rng, 0.5, 1.5,
                                               GALLEY_SHAPE(2, 3))
                                   : S_values(away, GALLEY_SHAPE(2, 3));
    printf("%s:\n", name);
    S_check(S_call1, &x, 1, &f);
    galley_tensor_free(x);
}

TEST(unary_ops)
{
    S_unary_case("neg", galley_neg, 0);
    S_unary_case("exp", galley_exp, 0);
    S_unary_case("log", galley_log, 1);
    S_unary_case("tanh", galley_tanh, 0);
    S_unary_case("sigmoid", galley_sigmoid, 0);
    S_unary_case("relu (no element near 0)", galley_relu, 2);
    S_unary_case("sqrt", galley_sqrt, 1);
    EXPECT_NEAR(.atol = 1e-6, /*
      neg:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      exp:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      log:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      tanh:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sigmoid:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      relu (no element near 0):
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sqrt:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* gradcheck of f(x, s) over x [2, 3], normal or in [0.5, 1.5). */
static void S_scalar_case(const char *name, S_scalar_call c, int pos)
{
    galley_rng rng;
    galley_rng_seed(&rng, 13, 3);
    galley_tensor *x = pos ? S_uniform(&rng, 0.5, 1.5, GALLEY_SHAPE(2, 3))
                           : S_randn(&rng, GALLEY_SHAPE(2, 3));
    printf("%s %g:\n", name, c.s);
    S_check(S_call_scalar, &x, 1, &c);
    galley_tensor_free(x);
}

TEST(scalar_ops)
{
    S_scalar_case("add_scalar", (S_scalar_call){galley_add_scalar, 2.5}, 0);
    S_scalar_case("mul_scalar", (S_scalar_call){galley_mul_scalar, -1.5}, 0);
    EXPECT_NEAR(.atol = 1e-6, /*
      add_scalar 2.5:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mul_scalar -1.5:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(pow_scalar)
{
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, 3}, 0);
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, 2}, 0);
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, 1}, 0);
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, 0}, 0);
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, 0.5}, 1);
    S_scalar_case("pow_scalar", (S_scalar_call){galley_pow_scalar, -1.5}, 1);
    EXPECT_NEAR(.atol = 1e-6, /*
      pow_scalar 3:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      pow_scalar 2:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      pow_scalar 1:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      pow_scalar 0:
      gradcheck: input 0 float64 [2, 3]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      pow_scalar 0.5:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      pow_scalar -1.5:
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* ---- reductions ---- */

/* gradcheck of a reduction of all elements of a normal [2, 3, 4]. */
static void S_all_case(const char *name, S_op1 f)
{
    galley_rng rng;
    galley_rng_seed(&rng, 17, 4);
    galley_tensor *x = S_randn(&rng, GALLEY_SHAPE(2, 3, 4));
    printf("%s:\n", name);
    S_check(S_call1, &x, 1, &f);
    galley_tensor_free(x);
}

TEST(reductions_over_all_elements)
{
    S_all_case("sum_all", galley_sum_all);
    S_all_case("mean_all", galley_mean_all);
    S_all_case("max_all", galley_max_all);
    EXPECT_NEAR(.atol = 1e-6, /*
      sum_all:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean_all:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max_all:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* gradcheck of f over axes 0, 1 and -1 of a normal [2, 3, 4], with and
 * without keepdim. */
static void S_axis_cases(const char *name,
                         galley_tensor *(*f)(galley_tensor *, int, int))
{
    static const int axes[] = {0, 1, -1};
    galley_rng rng;
    galley_rng_seed(&rng, 19, 5);
    galley_tensor *x = S_randn(&rng, GALLEY_SHAPE(2, 3, 4));
    for (int i = 0; i < 3; i++) {
        for (int keepdim = 0; keepdim < 2; keepdim++) {
            S_axis_call c = {f, axes[i], keepdim};
            printf("%s axis %d keepdim %d:\n", name, axes[i], keepdim);
            S_check(S_call_axis, &x, 1, &c);
        }
    }
    galley_tensor_free(x);
}

TEST(sum_over_an_axis)
{
    S_axis_cases("sum", galley_sum);
    EXPECT_NEAR(.atol = 1e-6, /*
      sum axis 0 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sum axis 0 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sum axis 1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sum axis 1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sum axis -1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      sum axis -1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(mean_over_an_axis)
{
    S_axis_cases("mean", galley_mean);
    EXPECT_NEAR(.atol = 1e-6, /*
      mean axis 0 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean axis 0 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean axis 1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean axis 1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean axis -1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      mean axis -1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(max_over_an_axis)
{
    S_axis_cases("max", galley_max);
    EXPECT_NEAR(.atol = 1e-6, /*
      max axis 0 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max axis 0 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max axis 1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max axis 1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max axis -1 keepdim 0:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      max axis -1 keepdim 1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* ---- views and copies ---- */

static galley_tensor *S_reshape_view(galley_tensor *const *in, int n,
                                     void *ud)
{
    (void)n, (void)ud;
    return galley_reshape(in[0], GALLEY_SHAPE(4, -1));
}

/* reshape of a transpose: not contiguous, so a copy. */
static galley_tensor *S_reshape_copy(galley_tensor *const *in, int n,
                                     void *ud)
{
    (void)n, (void)ud;
    return galley_reshape(galley_transpose(in[0], 0, 2), GALLEY_SHAPE(-1, 3));
}

static galley_tensor *S_transpose(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_transpose(in[0], 0, -1);
}

static galley_tensor *S_slice_step2(galley_tensor *const *in, int n,
                                    void *ud)
{
    (void)n, (void)ud;
    return galley_slice(in[0], 1, 0, 4, 2);
}

/* A slice with a negative start of a slice along another axis. */
static galley_tensor *S_slice_negative(galley_tensor *const *in, int n,
                                       void *ud)
{
    (void)n, (void)ud;
    return galley_slice(galley_slice(in[0], -1, -3, 100, 2), 0, 1, 2, 1);
}

static galley_tensor *S_select_axis1(galley_tensor *const *in, int n,
                                     void *ud)
{
    (void)n, (void)ud;
    return galley_select(in[0], 1, -1);
}

static galley_tensor *S_contiguous_of_transpose(galley_tensor *const *in,
                                                int n, void *ud)
{
    (void)n, (void)ud;
    return galley_contiguous(galley_transpose(in[0], 1, 2));
}

static galley_tensor *S_to_f64(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_tensor_to(in[0], GALLEY_F64);
}

/* A round trip through float32: the gradient is cast back. */
static galley_tensor *S_to_f32_and_back(galley_tensor *const *in, int n,
                                        void *ud)
{
    (void)n, (void)ud;
    return galley_tensor_to(galley_mul(galley_tensor_to(in[0], GALLEY_F32),
                                galley_tensor_to(in[0], GALLEY_F32)),
                     GALLEY_F64);
}

/* gradcheck of fn over a normal [2, 3, 4]. */
static void S_view_case(const char *name, galley_gradcheck_cb fn)
{
    galley_rng rng;
    galley_rng_seed(&rng, 23, 6);
    galley_tensor *x = S_randn(&rng, GALLEY_SHAPE(2, 3, 4));
    printf("%s:\n", name);
    S_check(fn, &x, 1, NULL);
    galley_tensor_free(x);
}

TEST(reshape_and_transpose)
{
    S_view_case("reshape [4, -1] (a view)", S_reshape_view);
    S_view_case("reshape of a transpose (a copy)", S_reshape_copy);
    S_view_case("transpose 0, -1", S_transpose);
    EXPECT_NEAR(.atol = 1e-6, /*
      reshape [4, -1] (a view):
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      reshape of a transpose (a copy):
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      transpose 0, -1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(slice_and_select)
{
    S_view_case("slice axis 1, 0:4:2", S_slice_step2);
    S_view_case("slice axis -1, -3::2 then axis 0, 1:2", S_slice_negative);
    S_view_case("select axis 1, -1", S_select_axis1);
    EXPECT_NEAR(.atol = 1e-6, /*
      slice axis 1, 0:4:2:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      slice axis -1, -3::2 then axis 0, 1:2:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      select axis 1, -1:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

TEST(contiguous_clone_to)
{
    S_op1 contiguous = galley_contiguous, clone = galley_clone;
    galley_rng rng;
    galley_rng_seed(&rng, 23, 6);
    galley_tensor *x = S_randn(&rng, GALLEY_SHAPE(2, 3, 4));
    printf("contiguous (a view):\n");
    S_check(S_call1, &x, 1, &contiguous);
    printf("clone:\n");
    S_check(S_call1, &x, 1, &clone);
    galley_tensor_free(x);
    S_view_case("contiguous of a transpose (a copy)",
                S_contiguous_of_transpose);
    S_view_case("to float64", S_to_f64);
    EXPECT_NEAR(.atol = 1e-6, /*
      contiguous (a view):
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      clone:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      contiguous of a transpose (a copy):
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      to float64:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* Central differences through float32 are as coarse as float32: with a
 * larger step they pass the default tolerances. */
TEST(to_float32_and_back)
{
    static const double v[] = {0.75, -1.25, 2.0};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    galley_gradcheck_options o = S_with_eps(1e-3);
    int failed = galley_gradcheck(S_to_f32_and_back, &x, 1, NULL, &o);
    printf("returned %d\n", failed);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      returned 0
    */);
    galley_tensor_free(x);
}

/* ---- matmul ---- */

/* gradcheck of matmul over operands of the shapes given. The products are
 * exact (S_quarters), so the errors are 0: nothing in the report depends
 * on the BLAS. */
static void S_matmul_case(int na, const long *sa, int nb, const long *sb)
{
    S_op2 f = galley_matmul;
    galley_rng rng;
    galley_rng_seed(&rng, 29, 7);
    galley_tensor *in[2] = {S_quarters(&rng, na, sa),
                            S_quarters(&rng, nb, sb)};
    S_print_shape(na, sa);
    printf(" x ");
    S_print_shape(nb, sb);
    printf(":\n");
    galley_gradcheck_options exact = S_with_eps(S_EXACT_EPS);
    int failed = galley_gradcheck(S_call2, in, 2, &f, &exact);
    if (failed)
        printf("returned %d\n", failed);
    galley_tensor_free(in[0]);
    galley_tensor_free(in[1]);
}

TEST(matmul_2d_and_batched)
{
    S_matmul_case(GALLEY_SHAPE(3, 4), GALLEY_SHAPE(4, 2));
    S_matmul_case(GALLEY_SHAPE(2, 3, 4), GALLEY_SHAPE(2, 4, 2));
    S_matmul_case(GALLEY_SHAPE(2, 3, 4), GALLEY_SHAPE(4, 2));
    S_matmul_case(GALLEY_SHAPE(3, 4), GALLEY_SHAPE(2, 4, 2));
    EXPECT_NEAR(.atol = 1e-6, /*
      [3, 4] x [4, 2]:
      gradcheck: input 0 float64 [3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [2, 3, 4] x [2, 4, 2]:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [2, 4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [2, 3, 4] x [4, 2]:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [3, 4] x [2, 4, 2]:
      gradcheck: input 0 float64 [3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [2, 4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
    */);
}

TEST(matmul_1d_operands)
{
    S_matmul_case(GALLEY_SHAPE(4), GALLEY_SHAPE(4, 2));
    S_matmul_case(GALLEY_SHAPE(3, 4), GALLEY_SHAPE(4));
    S_matmul_case(GALLEY_SHAPE(4), GALLEY_SHAPE(4));
    S_matmul_case(GALLEY_SHAPE(4), GALLEY_SHAPE(2, 4, 2));
    S_matmul_case(GALLEY_SHAPE(2, 3, 4), GALLEY_SHAPE(4));
    EXPECT_NEAR(.atol = 1e-6, /*
      [4] x [4, 2]:
      gradcheck: input 0 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [3, 4] x [4]:
      gradcheck: input 0 float64 [3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [4] x [4]:
      gradcheck: input 0 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [4] x [2, 4, 2]:
      gradcheck: input 0 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [2, 4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [2, 3, 4] x [4]:
      gradcheck: input 0 float64 [2, 3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4]: max abs err 0, max rel err 0: ok
      gradcheck: passed
    */);
}

/* a^T b, with a stored [4, 3]. */
static galley_tensor *S_matmul_at(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_matmul(galley_transpose(in[0], 0, 1), in[1]);
}

/* a b^T, with b stored [2, 4]. */
static galley_tensor *S_matmul_bt(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_matmul(in[0], galley_transpose(in[1], 0, 1));
}

/* Every other column of a [3, 8]: strides BLAS cannot take (a copy). */
static galley_tensor *S_matmul_strided(galley_tensor *const *in, int n,
                                       void *ud)
{
    (void)n, (void)ud;
    return galley_matmul(galley_slice(in[0], 1, 0, 8, 2), in[1]);
}

TEST(matmul_transposed_and_strided_operands)
{
    galley_rng rng;
    galley_rng_seed(&rng, 31, 8);
    galley_tensor *in[2] = {S_quarters(&rng, GALLEY_SHAPE(4, 3)),
                            S_quarters(&rng, GALLEY_SHAPE(4, 2))};
    galley_gradcheck_options exact = S_with_eps(S_EXACT_EPS);
    printf("transpose([4, 3]) x [4, 2]:\n");
    galley_gradcheck(S_matmul_at, in, 2, NULL, &exact);
    in[0] = S_quarters(&rng, GALLEY_SHAPE(3, 4));
    in[1] = S_quarters(&rng, GALLEY_SHAPE(2, 4));
    printf("[3, 4] x transpose([2, 4]):\n");
    galley_gradcheck(S_matmul_bt, in, 2, NULL, &exact);
    in[0] = S_quarters(&rng, GALLEY_SHAPE(3, 8));
    in[1] = S_quarters(&rng, GALLEY_SHAPE(4, 2));
    printf("slice([3, 8], axis 1, 0:8:2) x [4, 2]:\n");
    galley_gradcheck(S_matmul_strided, in, 2, NULL, &exact);
    EXPECT_NEAR(.atol = 1e-6, /*
      transpose([4, 3]) x [4, 2]:
      gradcheck: input 0 float64 [4, 3]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      [3, 4] x transpose([2, 4]):
      gradcheck: input 0 float64 [3, 4]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [2, 4]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      slice([3, 8], axis 1, 0:8:2) x [4, 2]:
      gradcheck: input 0 float64 [3, 8]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [4, 2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

/* ---- softmax and losses ---- */

TEST(softmax_and_log_softmax)
{
    galley_rng rng;
    galley_rng_seed(&rng, 37, 9);
    galley_tensor *x = S_randn(&rng, GALLEY_SHAPE(3, 4));
    for (int axis = 0; axis < 2; axis++) {
        S_softmax_call s = {galley_softmax, axis}, l = {galley_log_softmax,
                                                         axis};
        printf("softmax axis %d:\n", axis);
        S_check(S_call_softmax, &x, 1, &s);
        printf("log_softmax axis %d:\n", axis);
        S_check(S_call_softmax, &x, 1, &l);
    }
    galley_tensor_free(x);
    EXPECT_NEAR(.atol = 1e-6, /*
      softmax axis 0:
      gradcheck: input 0 float64 [3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      log_softmax axis 0:
      gradcheck: input 0 float64 [3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      softmax axis 1:
      gradcheck: input 0 float64 [3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      log_softmax axis 1:
      gradcheck: input 0 float64 [3, 4]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
}

/* cross_entropy against the int64 class indices in userdata. */
static galley_tensor *S_cross_entropy_classes(galley_tensor *const *in,
                                              int n, void *ud)
{
    (void)n;
    return galley_cross_entropy(in[0], ud);
}

TEST(cross_entropy_class_indices)
{
    static const int64_t t[] = {0, 2, 1, 2};
    galley_rng rng;
    galley_rng_seed(&rng, 41, 10);
    galley_tensor *logits = S_randn(&rng, GALLEY_SHAPE(4, 3));
    galley_tensor *target = galley_from_i64(t, GALLEY_SHAPE(4));
    S_check(S_cross_entropy_classes, &logits, 1, target);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [4, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

TEST(cross_entropy_probabilities_both_inputs)
{
    S_op2 f = galley_cross_entropy;
    galley_rng rng;
    galley_rng_seed(&rng, 43, 11);
    galley_tensor *in[2] = {S_randn(&rng, GALLEY_SHAPE(4, 3)),
                            S_uniform(&rng, 0, 1, GALLEY_SHAPE(4, 3))};
    S_check(S_call2, in, 2, &f);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [4, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [4, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

TEST(mse_both_operands)
{
    S_op2 f = galley_mse;
    galley_rng rng;
    galley_rng_seed(&rng, 47, 12);
    galley_tensor *in[2] = {S_randn(&rng, GALLEY_SHAPE(2, 3)),
                            S_randn(&rng, GALLEY_SHAPE(2, 3))};
    S_check(S_call2, in, 2, &f);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [2, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

/* A network of two layers, its loss as a function of every weight. */
static galley_tensor *S_mlp_loss(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(in[0], in[1]),
                                              in[2]));
    galley_tensor *z = galley_add(galley_matmul(h, in[3]), in[4]);
    return galley_cross_entropy(z, ud);
}

TEST(a_whole_network)
{
    static const int64_t t[] = {1, 0, 2, 1};
    galley_rng rng;
    galley_rng_seed(&rng, 53, 13);
    galley_tensor *in[5] = {
        S_randn(&rng, GALLEY_SHAPE(4, 3)), S_randn(&rng, GALLEY_SHAPE(3, 5)),
        S_randn(&rng, GALLEY_SHAPE(5)), S_randn(&rng, GALLEY_SHAPE(5, 3)),
        S_randn(&rng, GALLEY_SHAPE(3)),
    };
    S_check(S_mlp_loss, in, 5, galley_from_i64(t, GALLEY_SHAPE(4)));
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [4, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 1 float64 [3, 5]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 2 float64 [5]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 3 float64 [5, 3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 4 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

/* ---- wrong gradients are caught ---- */

/* x * x + x with the first factor detached: backward sees x + 1 of the
 * derivative 2x + 1 (the term x keeps the relative errors apart, so that
 * the worst one is not a tie decided by rounding). */
static galley_tensor *S_wrong_of(galley_tensor *x)
{
    return galley_add(galley_mul(galley_detach(x), x), x);
}

static galley_tensor *S_wrong(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_sum_all(S_wrong_of(in[0]));
}

/* S_wrong for a and c, b * b for b. */
static galley_tensor *S_two_of_three_wrong(galley_tensor *const *in, int n,
                                           void *ud)
{
    (void)n, (void)ud;
    galley_tensor *b = galley_mul(in[1], in[1]);
    return galley_add(galley_add(galley_sum_all(S_wrong_of(in[0])),
                                 galley_sum_all(b)),
                      galley_sum_all(S_wrong_of(in[2])));
}

TEST(a_detached_factor_is_caught)
{
    static const double v[] = {1, -2, 3};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    int failed = galley_gradcheck(S_wrong, &x, 1, NULL, NULL);
    printf("returned %d\n", failed);
    /* The error is |x|, worst at [2]; relative, |x| / |2x + 1|: 1/3, 2/3,
     * 3/7, worst at [1]. */
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [3]: max abs err 3 at [2], max rel err 0.67 at [1]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      returned 1
    */);
    galley_tensor_free(x);
}

TEST(the_verdict_counts_failing_inputs)
{
    static const double a[] = {0.5, -1.5}, b[] = {2, 1}, c[] = {-0.25};
    galley_tensor *in[3] = {S_values(a, GALLEY_SHAPE(2)),
                            S_values(b, GALLEY_SHAPE(2)),
                            S_values(c, GALLEY_SHAPE())};
    int failed = galley_gradcheck(S_two_of_three_wrong, in, 3, NULL, NULL);
    printf("returned %d\n", failed);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [2]: max abs err 1.5 at [1], max rel err 0.75 at [1]: FAILED
      gradcheck: input 1 float64 [2]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: input 2 float64 []: max abs err 0.25 at [], max rel err 0.5 at []: FAILED
      gradcheck: FAILED (2 of 3 inputs)
      returned 2
    */);
    galley_tensor_free_all();
}

/* relu at 0 and max along an axis with a tie are not differentiable
 * there: central differences see the mean of the one-sided slopes,
 * backward one of them (torch's choices: 0 for relu, the first maximum for
 * max), and gradcheck points at the element. (max_all splits a tie evenly,
 * as torch, which is the mean: it passes; tensor_torch_test.c.) */
TEST(non_differentiable_points_are_reported)
{
    static const double r[] = {1, -1, 0.5, -0.5, 2, 0};
    static const double m[] = {3, 1, 3};
    S_op1 relu = galley_relu;
    S_axis_call max0 = {galley_max, 0, 0};
    galley_tensor *x = S_values(r, GALLEY_SHAPE(2, 3));
    printf("relu with a 0 at [1, 2]:\n");
    S_check(S_call1, &x, 1, &relu);
    x = S_values(m, GALLEY_SHAPE(3));
    printf("max along axis 0 of a tie at [0] and [2]:\n");
    S_check(S_call_axis, &x, 1, &max0);
    EXPECT_NEAR(.atol = 1e-6, /*
      relu with a 0 at [1, 2]:
      gradcheck: input 0 float64 [2, 3]: max abs err 0.5 at [1, 2] of output [1, 2], max rel err 1 at [1, 2] of output [1, 2]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      returned 1
      max along axis 0 of a tie at [0] and [2]:
      gradcheck: input 0 float64 [3]: max abs err 0.5 at [2], max rel err 1 at [2]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      returned 1
    */);
    galley_tensor_free_all();
}

/* ---- options ---- */

TEST(quiet_prints_nothing_but_returns_the_count)
{
    static const double v[] = {1, -2, 3};
    S_op1 exp_ = galley_exp;
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    galley_gradcheck_options q = GALLEY_GRADCHECK_OPTIONS_INIT;
    q.quiet = 1;
    printf("passing: %d\n", galley_gradcheck(S_call1, &x, 1, &exp_, &q));
    printf("failing: %d\n", galley_gradcheck(S_wrong, &x, 1, NULL, &q));
    EXPECT(/*
      passing: 0
      failing: 1
    */);
    galley_tensor_free(x);
}

TEST(out_sends_the_report_to_a_file)
{
    static const double v[] = {1, -2, 3};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.out = f;
    int failed = galley_gradcheck(S_wrong, &x, 1, NULL, &o);
    printf("returned %d; stdout had nothing before this line\n", failed);
    fclose(f);
    printf("the file holds %zu bytes:\n%s", len, buf);
    free(buf);
    EXPECT_NEAR(.atol = 1e-6, /*
      returned 1; stdout had nothing before this line
      the file holds 120 bytes:
      gradcheck: input 0 float64 [3]: max abs err 3 at [2], max rel err 0.67 at [1]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
    */);
    galley_tensor_free(x);
}

TEST(eps_is_the_step_of_the_differences)
{
    static const double v[] = {0.5, 1, -2};
    S_scalar_call pow4 = {galley_pow_scalar, 4};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    /* ((x+h)^4 - (x-h)^4) / 2h = 4x^3 + 4xh^2: off by 4|x|h^2 (2 at
     * [2] for h = 0.5, 8e-6 for h = 1e-3), relatively by h^2/(x^2+h^2)
     * (worst at [0]: 0.5, then 4e-6). */
    galley_gradcheck_options coarse = S_with_eps(0.5), fine = S_with_eps(1e-3);
    printf("eps 0.5:\n");
    galley_gradcheck(S_call_scalar, &x, 1, &pow4, &coarse);
    printf("eps 1e-3:\n");
    galley_gradcheck(S_call_scalar, &x, 1, &pow4, &fine);
    EXPECT_NEAR(.atol = 1e-6, /*
      eps 0.5:
      gradcheck: input 0 float64 [3]: max abs err 2 at [2] of output [2], max rel err 0.5 at [0] of output [0]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      eps 1e-3:
      gradcheck: input 0 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
    */);
    galley_tensor_free(x);
}

/* sum(x + 1e-4 x detach(x)): backward misses 1e-4 x of 1 + 2e-4 x, a
 * relative error of about 1e-4 that the defaults let through. */
static galley_tensor *S_slightly_wrong(galley_tensor *const *in, int n,
                                       void *ud)
{
    (void)n, (void)ud;
    galley_tensor *q = galley_mul(in[0], galley_detach(in[0]));
    return galley_sum_all(galley_add(in[0], galley_mul_scalar(q, 1e-4)));
}

/* gradcheck of S_slightly_wrong with atol and rtol, the report quiet. */
static void S_tolerance_case(galley_tensor *x, double atol, double rtol)
{
    galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.atol = atol;
    o.rtol = rtol;
    o.quiet = 1;
    int failed = galley_gradcheck(S_slightly_wrong, &x, 1, NULL, &o);
    printf("atol %g rtol %g: %s\n", atol, rtol, failed ? "FAILED" : "ok");
}

TEST(atol_and_rtol_decide)
{
    static const double v[] = {0.5, -1, 1.5};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3));
    printf("defaults:\n");
    galley_gradcheck(S_slightly_wrong, &x, 1, NULL, NULL);
    S_tolerance_case(x, 1e-6, 1e-6);
    S_tolerance_case(x, 2e-4, 1e-12);
    S_tolerance_case(x, 1e-12, 2e-4);
    S_tolerance_case(x, 1e-12, 1e-5);
    S_tolerance_case(x, 1e-5, 1e-12);
    EXPECT_NEAR(.atol = 1e-6, /*
      defaults:
      gradcheck: input 0 float64 [3]: max abs err * at [*], max rel err * at [*]: ok (glob)
      gradcheck: passed
      atol 1e-06 rtol 1e-06: FAILED
      atol 0.0002 rtol 1e-12: ok
      atol 1e-12 rtol 0.0002: ok
      atol 1e-12 rtol 1e-05: FAILED
      atol 1e-05 rtol 1e-12: FAILED
    */);
    galley_tensor_free(x);
}

/* in[0] squared; in[1] unused. */
static galley_tensor *S_first_only(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_mul(in[0], in[0]);
}

TEST(inputs_are_left_as_they_were_with_zero_gradients)
{
    static const double a[] = {0.1, 0.2, 0.3}, b[] = {4, 5};
    galley_tensor *in[2] = {S_values(a, GALLEY_SHAPE(3)),
                            S_values(b, GALLEY_SHAPE(2))};
    /* A gradient left by an earlier backward is zeroed too. */
    galley_backward(galley_sum_all(galley_mul_scalar(in[0], 7)));
    size_t live = galley_live_tensors();
    int was = galley_set_grad_enabled(0);
    galley_gradcheck_options q = GALLEY_GRADCHECK_OPTIONS_INIT;
    q.quiet = 1;
    int failed = galley_gradcheck(S_first_only, in, 2, NULL, &q);
    printf("returned %d; grad mode still %d\n", failed,
           galley_set_grad_enabled(was));
    printf("tensors made and not freed: %ld\n",
           (long)(galley_live_tensors() - live));
    printf("values unchanged: %d\n",
           memcmp(galley_tensor_data(in[0]), a, sizeof a) == 0 &&
               memcmp(galley_tensor_data(in[1]), b, sizeof b) == 0);
    galley_tensor_print(galley_grad(in[0]));
    printf("grad of the unused input: %s\n",
           galley_grad(in[1]) ? "present" : "NULL");
    EXPECT(/*
      returned 0; grad mode still 0
      tensors made and not freed: 0
      values unchanged: 1
      float64 [3]
      [0. 0. 0.]
      grad of the unused input: NULL
    */);
    galley_tensor_free_all();
}

/* A function that ignores its inputs: every derivative is 0. */
static galley_tensor *S_constant(galley_tensor *const *in, int n, void *ud)
{
    (void)in, (void)n, (void)ud;
    return galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
}

/* in[0] through detach only: backward sees nothing, the differences 2. */
static galley_tensor *S_detached(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_mul_scalar(galley_detach(in[0]), 2);
}

TEST(outputs_that_need_no_gradient)
{
    static const double v[] = {1, 2};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(2));
    printf("constant:\n");
    S_check(S_constant, &x, 1, NULL);
    printf("detached:\n");
    S_check(S_detached, &x, 1, NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      constant:
      gradcheck: input 0 float64 [2]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      detached:
      gradcheck: input 0 float64 [2]: max abs err 2 at [1] of output [1], max rel err 1 at [0] of output [0]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      returned 1
    */);
    galley_tensor_free(x);
}

/* A parameter that is a strided view with an offset: the report's indices
 * are those of the view, row-major, and the values come back. */
TEST(a_strided_input)
{
    static const double v[] = {7, 7, 7, 1, 2, 3, 4, 5, -9};
    galley_tensor *base = galley_from_f64(v, GALLEY_SHAPE(3, 3));
    galley_tensor *x = galley_param(
        galley_transpose(galley_slice(base, 0, 1, 3, 1), 0, 1));
    galley_tensor_print(x);
    /* |x| is worst at [2, 1] (-9), and so is |x| / |2x + 1| (9/17). */
    S_check(S_wrong, &x, 1, NULL);
    galley_tensor_print(base);
    EXPECT_NEAR(.atol = 1e-6, /*
      float64 [3, 2]
      [[ 1.  4.]
       [ 2.  5.]
       [ 3. -9.]]
      gradcheck: input 0 float64 [3, 2]: max abs err 9 at [2, 1], max rel err 0.53 at [2, 1]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      returned 1
      float64 [3, 3]
      [[ 7.  7.  7.]
       [ 1.  2.  3.]
       [ 4.  5. -9.]]
    */);
    galley_tensor_free_all();
}

TEST(empty_inputs_and_outputs)
{
    S_op1 exp_ = galley_exp;
    galley_tensor *x =
        galley_param(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 0)));
    S_check(S_call1, &x, 1, &exp_);
    EXPECT(/*
      gradcheck: input 0 float64 [2, 0]: max abs err 0, max rel err 0: ok
      gradcheck: passed
    */);
    galley_tensor_free(x);
}

/* ---- errors ---- */

/* in[0] squared for the first *userdata calls, then NULL. */
static galley_tensor *S_null_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    int *good = ud;
    if (*good > 0) {
        --*good;
        return galley_mul(in[0], in[0]);
    }
    return NULL;
}

/* An int64 result. */
static galley_tensor *S_int_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_argmax_all(in[0]);
}

/* A result whose shape changes from call to call. */
static galley_tensor *S_shifty_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    int *calls = ud;
    return galley_slice(in[0], 0, 0, ++*calls, 1);
}

TEST(bad_inputs_are_errors)
{
    S_op1 exp_ = galley_exp;
    galley_tensor *x = galley_param(galley_ones(GALLEY_F32, GALLEY_SHAPE(2)));
    galley_tensor *y = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    galley_tensor *z = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_tensor *dead = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE()));
    galley_tensor_free(dead);
    galley_tensor_on_error(on_error, NULL);
    printf("-> %d\n", galley_gradcheck(S_call1, &x, 1, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, &y, 1, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, (galley_tensor *[]){z, y}, 2,
                                       &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, &dead, 1, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, (galley_tensor *[]){NULL},
                                       1, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, &z, 0, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(S_call1, NULL, 1, &exp_, NULL));
    printf("-> %d\n", galley_gradcheck(NULL, &z, 1, NULL, NULL));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      error: galley_gradcheck: inputs[0] is float32 [2]; finite differences need float64 inputs (make them with GALLEY_F64 or galley_tensor_to)
      -> 1
      error: galley_gradcheck: inputs[0] (float64 [2]) is not a parameter; mark it with galley_param
      -> 1
      error: galley_gradcheck: inputs[1] (float64 [2]) is not a parameter; mark it with galley_param
      -> 2
      error: galley_gradcheck: input inputs[0] was freed (by galley_tensor_free or the end of its scope)
      -> 1
      error: galley_gradcheck: input inputs[0] is NULL
      -> 1
      error: galley_gradcheck: no inputs (n is 0)
      -> 1
      error: galley_gradcheck: inputs is NULL (n is 1)
      -> 1
      error: galley_gradcheck: fn is NULL
      -> 1
    */);
    galley_tensor_free_all();
}

TEST(bad_functions_are_errors)
{
    int shifty = 0;
    galley_tensor *z = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_tensor_on_error(on_error, NULL);
    for (int good = 0; good < 3; good++) {
        int left = good;
        printf("NULL after %d calls:\n", good);
        printf("-> %d\n", galley_gradcheck(S_null_fn, &z, 1, &left, NULL));
        printf("gradient: %s\n", galley_grad(z) ? "present" : "NULL");
        if (galley_grad(z))
            galley_tensor_print(galley_grad(z));
    }
    printf("-> %d\n", galley_gradcheck(S_int_fn, &z, 1, NULL, NULL));
    printf("-> %d\n", galley_gradcheck(S_shifty_fn, &z, 1, &shifty, NULL));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      NULL after 0 calls:
      error: galley_gradcheck: fn returned NULL
      -> 1
      gradient: NULL
      NULL after 1 calls:
      error: galley_gradcheck: fn returned NULL
      -> 1
      gradient: NULL
      NULL after 2 calls:
      error: galley_gradcheck: fn returned NULL
      -> 1
      gradient: present
      float64 [2]
      [0. 0.]
      error: galley_gradcheck: fn's result is int64 []; galley_gradcheck needs float32 or float64 (cast with galley_tensor_to)
      -> 1
      error: galley_gradcheck: fn returned float64 [1], then float64 [2]: the same inputs must give the same shape
      -> 1
    */);
    galley_tensor_free_all();
}

/* ---- analytic gradients against PyTorch ----
 * The same losses computed by torch 1.13 in float64 from the same values
 * (torch.nn.functional.cross_entropy, mse_loss, tensor.max(1, keepdim)...)
 * give these gradients to the 6 digits printed. */

/* Prints the loss, runs backward, prints the gradient of each of the n
 * parameters. */
static void S_backward_and_print(galley_tensor *loss, galley_tensor **p,
                                 int n)
{
    printf("loss %.6g\n", galley_item(loss));
    galley_backward(loss);
    for (int i = 0; i < n; i++)
        galley_tensor_print(galley_grad(p[i]));
}

TEST(torch_a_small_network)
{
    static const double x[] = {-0.65, -0.17, 1.66, 0.66, -1.64, -0.01,
                               -0.62, 0.15, -1.61, 0.24, 0.24, 1.58};
    static const double w1[] = {0.32, 0.51, -1.49, 2.25, -1.92,
                                1.1, -0.33, -0.88, -0.66, -0.67,
                                0.38, -0.11, 1.48, -1.83, 0};
    static const double b1[] = {-0.89, 0.78, -2.12, -0.34, 0.21};
    static const double w2[] = {-1.48, 0.99, 0.18, 1.01, 0.96,
                                -0.98, -0.8, -0.2, 0.75, 0.85,
                                -0.71, -0.61, -0.8, -0.58, -0.24};
    static const double b2[] = {-0.13, 2.06, -0.51};
    static const int64_t t[] = {1, 0, 2, 1};
    galley_tensor *p[5] = {
        S_values(x, GALLEY_SHAPE(4, 3)), S_values(w1, GALLEY_SHAPE(3, 5)),
        S_values(b1, GALLEY_SHAPE(5)), S_values(w2, GALLEY_SHAPE(5, 3)),
        S_values(b2, GALLEY_SHAPE(3)),
    };
    galley_tensor *target = galley_from_i64(t, GALLEY_SHAPE(4));
    S_backward_and_print(S_mlp_loss(p, 5, target), p, 5);
    EXPECT_NEAR(.rtol = 1e-5, .atol = 1e-9, /*
      loss 1.42555
      float64 [4, 3]
      [[-0.05884782 -0.02474409  0.00251409]
       [-0.01487726 -0.00212936  0.00585546]
       [ 0.47180754 -0.22470645 -0.25819183]
       [-0.0062029  -0.01941718 -0.00854347]]
      float64 [3, 5]
      [[ 0.05405102 -0.17674918 -0.00250185 -0.06774858  0.02292968]
       [-0.00904063  0.06402129 -0.00422341  0.01862356 -0.01340182]
       [-0.00430221 -0.68937442  0.01021857 -0.17321594  0.05678653]]
      float64 [5]
      [-0.10968862  0.28216003  0.00615103  0.10642076 -0.02749824]
      float64 [5, 3]
      [[-0.17700234 -0.0272917   0.20429404]
       [ 0.09933495  0.01847962 -0.11781457]
       [-0.18542553 -0.09660281  0.28202834]
       [ 0.13316615  0.10906362 -0.24222976]
       [ 0.18786683 -0.00786371 -0.18000312]]
      float64 [3]
      [ 0.2067974  -0.00051624 -0.20628116]
    */);
    galley_tensor_free_all();
}

TEST(torch_pow_div_sub_broadcast)
{
    static const double a[] = {0.63, 1}, b[] = {1.22, -0.51, -0.3};
    galley_tensor *p[3] = {S_values(a, GALLEY_SHAPE(2, 1)),
                           S_values(b, GALLEY_SHAPE(3)),
                           galley_param(galley_scalar(GALLEY_F64, 3))};
    /* mean(a^b / (c - a)): [2, 1] with [3], then [2, 3] with [2, 1]. */
    galley_tensor *loss = galley_mean_all(
        galley_div(galley_pow(p[0], p[1]), galley_sub(p[2], p[0])));
    S_backward_and_print(loss, p, 3);
    EXPECT_NEAR(.rtol = 1e-5, .atol = 1e-9, /*
      loss 0.45981
      float64 [2, 1]
      [[0.0555084 ]
       [0.15916667]]
      float64 [3]
      [-0.01849146 -0.04112558 -0.03732274]
      float64 []
      -0.213528
    */);
    galley_tensor_free_all();
}

TEST(torch_softmax_and_probability_targets)
{
    static const double z[] = {-0.53, 0.57, -0.06, 0.75, -1.85, 1.57,
                               -0.1, 0.68, -0.14, -0.38, 0.46, 0.82};
    static const double t[] = {-0.2, -0.15, 0.69, -0.87, -1.51, 0.39,
                               -0.67, -1.92, -0.81, -0.47, -1.19, -1.49};
    galley_tensor *p[2] = {S_values(z, GALLEY_SHAPE(3, 4)),
                           S_values(t, GALLEY_SHAPE(3, 4))};
    /* cross_entropy(z, softmax(t, 0)) - mean(log_softmax(z, 0) * t) */
    galley_tensor *ce = galley_cross_entropy(p[0], galley_softmax(p[1], 0));
    galley_tensor *ls = galley_mean_all(
        galley_mul(galley_log_softmax(p[0], 0), p[1]));
    S_backward_and_print(galley_sub(ce, ls), p, 2);
    EXPECT_NEAR(.rtol = 1e-5, .atol = 1e-9, /*
      loss 1.12218
      float64 [3, 4]
      [[-0.16829688  0.137518   -0.2001516   0.04844076]
       [ 0.06256856 -0.00404253  0.00843755  0.0726821 ]
       [-0.0969847   0.00514157  0.1063079   0.02837928]]
      float64 [3, 4]
      [[ 0.05944523  0.12870724  0.10341038  0.0808723 ]
       [ 0.27130758 -0.05137767  0.134862    0.12093934]
       [-0.00088806  0.27155659  0.04491694  0.0732496 ]]
    */);
    galley_tensor_free_all();
}

TEST(torch_reductions)
{
    static const double v[] = {0.04, 0.9, -0.23, -0.74, 0.38, 0.72,
                               -0.3, 0.54, 1.04, -0.21, -0.81, 0.35};
    galley_tensor *x = S_values(v, GALLEY_SHAPE(3, 4));
    /* sum(max(x, 1, keep) * mean(x, 0, keep)) + sum(sqrt(sum(x*x, -1)))
     * + max_all(x) + sum(relu(x) * sigmoid(x)) */
    galley_tensor *a = galley_sum_all(
        galley_mul(galley_max(x, 1, 1), galley_mean(x, 0, 1)));
    galley_tensor *b = galley_sum_all(
        galley_sqrt(galley_sum(galley_mul(x, x), -1, 0)));
    galley_tensor *c = galley_sum_all(
        galley_mul(galley_relu(x), galley_sigmoid(x)));
    galley_tensor *loss =
        galley_add(galley_add(a, b), galley_add(galley_max_all(x), c));
    S_backward_and_print(loss, &x, 1);
    EXPECT_NEAR(.rtol = 1e-5, .atol = 1e-9, /*
      loss 8.80494
      float64 [3, 4]
      [[1.44032235 3.09993938 0.6931158  0.26393781]
       [1.94402606 2.9823519  0.59311279 2.17249383]
       [4.13982835 0.73448876 0.29969473 1.81178818]]
    */);
    galley_tensor_free_all();
}

TEST(torch_batched_matmul_and_views)
{
    static const double a[] = {0.25, 1.1, -1.28, -0.66, -0.84, -1.73,
                               0.13, 0.53, -0.74, 1.39, 0.82, 0.63,
                               0.4, 0.96, -1.33, 0.61, 0.6, -1.77,
                               0.35, -0.25, 0.78, -0.44, -0.02, 0.34};
    static const double b[] = {-0.88, 0.6, -0.1, 0.49,
                               -0.52, 1.09, 0.61, -0.18};
    galley_tensor *p[2] = {S_values(a, GALLEY_SHAPE(2, 3, 4)),
                           S_values(b, GALLEY_SHAPE(2, 4))};
    /* y = tanh(a b^T); sum(y[:, 0:3:2]) + mse(y[1], y[0]) */
    galley_tensor *y =
        galley_tanh(galley_matmul(p[0], galley_transpose(p[1], 0, 1)));
    galley_tensor *loss =
        galley_add(galley_sum_all(galley_slice(y, 1, 0, 3, 2)),
                   galley_mse(galley_select(y, 0, 1), galley_select(y, 0, 0)));
    S_backward_and_print(loss, p, 2);
    EXPECT_NEAR(.rtol = 1e-5, .atol = 1e-9, /*
      loss 2.7423
      float64 [2, 3, 4]
      [[[-1.24820354  1.57470063  0.51651274  0.23301174]
        [-0.26221876  0.18181367 -0.02704268  0.14407487]
        [-0.19774436  0.18166493  0.02014175  0.0802035 ]]

       [[-1.09009255  1.35963676  0.43689765  0.2134526 ]
        [ 0.03063277 -0.02203491  0.00243574 -0.01632335]
        [-0.33565524  0.3687636   0.08914055  0.09757589]]]
      float64 [2, 4]
      [[ 0.30945258  1.32479902 -1.88560825  0.27555355]
       [ 0.67808939  1.88739908 -2.32573873 -0.0307868 ]]
    */);
    galley_tensor_free_all();
}
