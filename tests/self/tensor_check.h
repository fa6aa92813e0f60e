/* tensor_check.h: the helpers that the tensor tests in tests/self share:
 * an error handler that prints, a check that an op failed, gradcheck with
 * no report, a one-line printer of a tensor's values, and inputs made by
 * formulas that torch repeats. Each function is static inline, so that a
 * test using only some of them compiles without unused-function warnings;
 * include it as "tensor_check.h" (found next to the test file). */
#ifndef TENSOR_CHECK_H
#define TENSOR_CHECK_H

#include <galley.h>
#include <galley/tensor.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* ---- errors ---- */

/* Puts error messages in the test's output: install it with
 * galley_tensor_on_error(on_error, NULL). */
static inline void on_error(const char *message, void *userdata)
{
    (void)userdata;
    printf("error: %s\n", message);
}

/* Checks that an op failed: the handler printed why, and it returned NULL
 * (anything else is printed). */
static inline void got(const void *p)
{
    if (p)
        printf("-> not NULL\n");
}

/* ---- gradcheck ---- */

/* gradcheck's default options with no report (a pointer to one static
 * struct, for galley_gradcheck's last argument). */
static inline const galley_gradcheck_options *quiet_options(void)
{
    static galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.quiet = 1;
    return &o;
}

/* Runs gradcheck with no report (its error figures are rounding noise that
 * moves with libm and BLAS); where it fails, runs it again with the report,
 * to show why. Returns the quiet run's count of failed inputs. */
static inline int gradcheck_quiet(galley_gradcheck_cb fn,
                                  galley_tensor *const *in, int n, void *ud)
{
    int failed = galley_gradcheck(fn, in, n, ud, quiet_options());
    if (failed)
        galley_gradcheck(fn, in, n, ud, NULL);
    return failed;
}

/* gradcheck_quiet, then prints "gradcheck WHAT: ok" or "... FAILED". */
static inline void gradcheck_ok(const char *what, galley_gradcheck_cb fn,
                                galley_tensor *const *in, int n, void *ud)
{
    int failed = gradcheck_quiet(fn, in, n, ud);
    printf("gradcheck %s: %s\n", what, failed ? "FAILED" : "ok");
}

/* ---- values, and gradients of (out * w).sum() ---- */

/* Prints "what: DTYPE [SHAPE] = v0 v1 ..." on one line, the elements in
 * row-major order: float32 ones with f32_digits significant digits,
 * float64 ones with f64_digits, int64 ones exactly; a NaN as "nan" (without
 * its sign, which libcs print differently). NULL prints "what: NULL". It
 * reads a detached copy, so graphs that use t stay valid. */
static inline void show_digits(const char *what, galley_tensor *t,
                               int f32_digits, int f64_digits)
{
    if (!t) {
        printf("%s: NULL\n", what);
        return;
    }
    galley_dtype dt = galley_dtype_of(t);
    printf("%s: %s [", what, galley_dtype_name(dt));
    for (int i = 0; i < galley_ndim(t); i++)
        printf(i ? ", %ld" : "%ld", galley_dim(t, i));
    printf("] =");
    galley_tensor *flat =
        galley_clone(galley_reshape(galley_detach(t), GALLEY_SHAPE(-1)));
    const int64_t *ints = dt == GALLEY_I64 ? galley_tensor_data(flat) : NULL;
    for (long i = 0; i < galley_numel(flat); i++) {
        double x = galley_tensor_get(flat, GALLEY_AT(i));
        if (ints)
            printf(" %lld", (long long)ints[i]);
        else if (isnan(x))
            printf(" nan");
        else
            printf(" %.*g", dt == GALLEY_F32 ? f32_digits : f64_digits, x);
    }
    printf("\n");
}

/* A parameter of dtype holding the float64 values given, in shape (as
 * torch.tensor(v, dtype=dtype).reshape(shape).requires_grad_()). */
static inline galley_tensor *vals(galley_dtype dt, const double *v, int ndim,
                                  const long *shape)
{
    galley_tensor *t = galley_from_f64(v, ndim, shape);
    return galley_param(dt == GALLEY_F64 ? t : galley_tensor_to(t, dt));
}

/* Backward of (out * w).sum(), w = 1, 2, 3, ... in out's shape: a gradient
 * of many values, as torch's (out * w).sum().backward(). */
static inline void backward_w(galley_tensor *out)
{
    long n = galley_numel(out);
    galley_tensor *w = galley_reshape(
        galley_arange(galley_dtype_of(out), 1, (double)n + 1, 1),
        galley_ndim(out), galley_shape(out));
    galley_backward(galley_sum_all(galley_mul(out, w)));
}

/* Shows out (show_digits), then as "  d WHAT" the gradient in x of
 * backward_w(out), then zeroes it. */
static inline void show_grad_w(const char *what, galley_tensor *out,
                               galley_tensor *x, int f32_digits,
                               int f64_digits)
{
    char name[64];
    show_digits(what, out, f32_digits, f64_digits);
    backward_w(out);
    snprintf(name, sizeof name, "  d %s", what);
    show_digits(name, galley_grad(x), f32_digits, f64_digits);
    galley_zero_grad(x);
}

/* ---- inputs by formula, and their weighted sums ----
 * seq(shape, a, b) = 2 sin(a i + b) over the flat index i, as torch's
 * (2 * torch.sin(a * torch.arange(n, dtype=torch.float64) + b))
 * .reshape(shape) (then .float() for float32); show_w prints
 * w(t) = sum(t.flatten() * cos(0.37 i + 0.1)), a weighted sum that any
 * wrong element moves. */

/* seq(shape, a, b) in dtype. */
static inline galley_tensor *seq(galley_dtype dtype, double a, double b,
                                 int ndim, const long *shape)
{
    galley_tensor *t = galley_zeros(GALLEY_F64, ndim, shape);
    double *p = galley_tensor_data(t);
    for (long i = 0; i < galley_numel(t); i++)
        p[i] = 2 * sin(a * (double)i + b);
    return dtype == GALLEY_F64 ? t : galley_tensor_to(t, dtype);
}

/* seq as a parameter. */
static inline galley_tensor *seq_param(galley_dtype dtype, double a, double b,
                                       int ndim, const long *shape)
{
    return galley_param(seq(dtype, a, b, ndim, shape));
}

/* Prints what, t's shape, its elements when at most 12, and w(t); 9
 * significant digits for float64, 6 for float32. */
static inline void show_w(const char *what, galley_tensor *t)
{
    int digits = galley_dtype_of(t) == GALLEY_F32 ? 6 : 9;
    galley_tensor *f = galley_reshape(galley_tensor_to(t, GALLEY_F64),
                                      GALLEY_SHAPE(-1));
    double w = 0;
    printf("%s: %s [", what, galley_dtype_name(galley_dtype_of(t)));
    for (int i = 0; i < galley_ndim(t); i++)
        printf(i ? ", %ld" : "%ld", galley_dim(t, i));
    printf("]");
    for (long i = 0; i < galley_numel(f); i++) {
        double v = galley_tensor_get(f, GALLEY_AT(i));
        w += v * cos(0.37 * (double)i + 0.1);
        if (galley_numel(f) <= 12)
            printf(" %.*g", digits, v);
    }
    if (isnan(w))
        printf(" w=nan\n"); /* without the sign libcs differ on */
    else
        printf(" w=%.*g\n", digits, w);
}

/* The gradient of t, shown by show_w. */
static inline void show_w_grad(const char *what, galley_tensor *t)
{
    show_w(what, galley_grad(t));
}

/* y.backward(seq(y.shape, 0.7, 0.3)). */
static inline void backward_seq(galley_tensor *y)
{
    galley_backward_with(y, seq(galley_dtype_of(y), 0.7, 0.3, galley_ndim(y),
                                galley_shape(y)));
}

#endif
