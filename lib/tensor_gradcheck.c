/* tensor_gradcheck.c: analytic gradients checked against central finite
 * differences, element by element of the whole Jacobian, in float64, with
 * a report made to sit in an expectation. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* The worst element found for one input: its error, the input element and
 * the output element. */
typedef struct S_worst {
    double err;
    long in, out;
} S_worst;

/* 0 when y, fn's result, is a live floating tensor of like's shape (any
 * shape when like is NULL); else reports what is wrong and returns -1. */
static int S_check_result(const galley_tensor *y, const galley_tensor *like)
{
    const char *op = "galley_gradcheck";
    char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX + 8];
    if (!y || y->magic != GALLEY__LIVE) {
        galley__error(op, "fn returned %s", y ? "a freed tensor" : "NULL");
        return -1;
    }
    if (galley__check_float(y, op, "fn's result"))
        return -1;
    if (like && !galley__same_shape(like, y->ndim, y->shape)) {
        galley__error(op, "fn returned %s, then %s: the same inputs must "
                      "give the same shape", galley__desc(like, a),
                      galley__desc(y, b));
        return -1;
    }
    return 0;
}

/* fn at inputs as a new contiguous float64 copy (owned by nobody), or NULL
 * after reporting what is wrong with fn's result. */
static galley_tensor *S_eval(galley_gradcheck_cb fn,
                             galley_tensor *const *inputs, int n, void *ud,
                             const galley_tensor *like)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *y = fn(inputs, n, ud), *out = NULL;
    if (S_check_result(y, like) == 0) {
        out = galley__new_owned(y, GALLEY_F64, y->ndim, y->shape);
        galley__backend_of(y)->copy(out, y);
    }
    galley_scope_end(s);
    return out;
}

/* The address of flat (row-major) element e of the float64 tensor t. */
static double *S_elem(galley_tensor *t, long e)
{
    long off = t->offset;
    for (int i = t->ndim - 1; i >= 0; i--) {
        off += (e % t->shape[i]) * t->strides[i];
        e /= t->shape[i];
    }
    return (double *)t->st->data + off;
}

/* Writes the row-major index of flat element e of shape as "[1, 2]". */
static void S_index(int ndim, const long *shape, long e, char *buf)
{
    long idx[GALLEY_MAX_DIMS];
    for (int i = ndim - 1; i >= 0; i--) {
        idx[i] = shape[i] ? e % shape[i] : 0;
        e = shape[i] ? e / shape[i] : 0;
    }
    galley__shape_str(ndim, idx, buf);
}

/* Prints where w is: the input's index, and the output's when the output
 * has more than one element; nothing when the error is 0 (no element is
 * worse than another). */
static void S_print_at(FILE *f, const galley_tensor *x, const galley_tensor *y,
                       const S_worst *w)
{
    char buf[GALLEY__SHAPE_STR_MAX];
    if (w->err == 0)
        return;
    S_index(x->ndim, x->shape, w->in, buf);
    fprintf(f, " at %s", buf);
    if (y->numel > 1) {
        S_index(y->ndim, y->shape, w->out, buf);
        fprintf(f, " of output %s", buf);
    }
}

/* Checks the inputs; 0 when gradcheck can run. */
static int S_check_inputs(galley_tensor *const *inputs, int n)
{
    const char *op = "galley_gradcheck";
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (n < 1) {
        galley__error(op, "no inputs (n is %d)", n);
        return -1;
    }
    if (!inputs) {
        galley__error(op, "inputs is NULL (n is %d)", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "inputs[%d]", i);
        /* Refused on a device: the finite differences poke elements on
         * the host. */
        if (galley__check(inputs[i], op, what) ||
            galley__check_host(inputs[i], op, what))
            return -1;
        if (inputs[i]->dtype != GALLEY_F64) {
            galley__error(op, "%s is %s; finite differences need float64 "
                          "inputs (make them with GALLEY_F64 or galley_tensor_to)",
                          what, galley__desc(inputs[i], d));
            return -1;
        }
        if (!inputs[i]->is_param) {
            galley__error(op, "%s (%s) is not a parameter; mark it with "
                          "galley_param", what, galley__desc(inputs[i], d));
            return -1;
        }
    }
    return 0;
}

/* The analytic Jacobians: jac[i] holds numel(y) rows of numel(inputs[i])
 * gradients, one backward pass per output element. */
static int S_analytic(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                      int n, void *ud, const galley_tensor *y0, double **jac)
{
    galley_scope *s = galley_scope_begin();
    int was = galley_set_grad_enabled(1);
    galley_tensor *y = fn(inputs, n, ud);
    int rc = 0;
    if (S_check_result(y, y0)) {
        rc = -1;
    } else if (y->requires_grad) {
        galley_tensor *seed = galley_zeros(y->dtype, y->ndim, y->shape);
        for (long j = 0; j < y->numel; j++) {
            for (int i = 0; i < n; i++)
                galley_zero_grad(inputs[i]);
            galley_fill_(seed, 0.0);
            galley_tensor flat = *seed;
            flat.ndim = 1;
            flat.shape[0] = seed->numel;
            flat.strides[0] = 1;
            galley_tensor_set(&flat, GALLEY_AT(j), 1.0);
            galley_backward_with(y, seed);
            for (int i = 0; i < n; i++) {
                galley_tensor *g = inputs[i]->grad;
                long m = inputs[i]->numel;
                for (long e = 0; e < m; e++)
                    jac[i][j * m + e] = g ? *S_elem(g, e) : 0.0;
            }
        }
    }
    galley_set_grad_enabled(was);
    galley_scope_end(s);
    return rc;
}

/* Compares jac, the analytic Jacobian of input i, with central differences
 * of fn, column by column, into *wa and *wr (the worst absolute and
 * relative errors). Returns 1 when every element passes, 0 when one fails,
 * -1 after an error of fn. Grad mode is off. */
static int S_compare(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                     int n, void *ud, int i, const galley_tensor *y0,
                     const double *jac, const galley_gradcheck_options *o,
                     S_worst *wa, S_worst *wr)
{
    galley_tensor *x = inputs[i];
    int ok = 1;
    for (long e = 0; e < x->numel; e++) {
        double *p = S_elem(x, e), x0 = *p;
        *p = x0 + o->eps;
        galley_tensor *yp = S_eval(fn, inputs, n, ud, y0);
        *p = x0 - o->eps;
        galley_tensor *ym = yp ? S_eval(fn, inputs, n, ud, y0) : NULL;
        *p = x0;
        if (!ym) {
            galley__free_owned(yp);
            return -1;
        }
        const double *vp = galley__ptr(yp), *vm = galley__ptr(ym);
        for (long j = 0; j < y0->numel; j++) {
            double num = (vp[j] - vm[j]) / (2 * o->eps);
            double abs_err = fabs(jac[j * x->numel + e] - num);
            if (!(abs_err <= o->atol + o->rtol * fabs(num)))
                ok = 0;
            /* The first NaN wins over any number. */
            if (abs_err > wa->err || (abs_err != abs_err && wa->err == wa->err))
                *wa = (S_worst){abs_err, e, j};
            double rel = num != 0 ? abs_err / fabs(num) : 0;
            if (rel > wr->err || (rel != rel && wr->err == wr->err))
                *wr = (S_worst){rel, e, j};
        }
        galley__free_owned(yp);
        galley__free_owned(ym);
    }
    return ok;
}

/* Prints the report line of input i. */
static void S_report(FILE *f, int i, const galley_tensor *x,
                     const galley_tensor *y0, const S_worst *wa,
                     const S_worst *wr, int ok)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    fprintf(f, "gradcheck: input %d %s: max abs err %.2g", i,
            galley__desc(x, d), wa->err);
    S_print_at(f, x, y0, wa);
    fprintf(f, ", max rel err %.2g", wr->err);
    S_print_at(f, x, y0, wr);
    fprintf(f, ": %s\n", ok ? "ok" : "FAILED");
}

/* The options to use, into *o: *p as given (NULL: the defaults), with
 * out NULL meaning stdout. Returns -1 after reporting a struct not started
 * from GALLEY_GRADCHECK_OPTIONS_INIT or a field out of its range. */
static int S_options(const galley_gradcheck_options *p,
                     galley_gradcheck_options *o)
{
    const char *op = "galley_gradcheck";
    *o = p ? *p : (galley_gradcheck_options)GALLEY_GRADCHECK_OPTIONS_INIT;
    if (galley__check_version(o->version, op, "galley_gradcheck_options"))
        return -1;
    /* Written so that NaN fails too. */
    if (!(o->eps > 0 && o->eps < INFINITY)) {
        galley__error(op, "options eps is %g; the step of the central "
                      "differences must be finite and above 0", o->eps);
        return -1;
    }
    if (!(o->atol >= 0) || !(o->rtol >= 0)) {
        galley__error(op, "options atol %g and rtol %g: tolerances must be "
                      "0 or more", o->atol, o->rtol);
        return -1;
    }
    if (!o->out)
        o->out = stdout;
    return 0;
}

int galley_gradcheck(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                     int n, void *userdata,
                     const galley_gradcheck_options *options)
{
    galley_gradcheck_options o;
    if (S_options(options, &o))
        return n > 0 ? n : 1;
    if (!fn) {
        galley__error("galley_gradcheck", "fn is NULL");
        return n > 0 ? n : 1;
    }
    if (S_check_inputs(inputs, n))
        return n > 0 ? n : 1;

    int was = galley_set_grad_enabled(0);
    galley_tensor *y0 = S_eval(fn, inputs, n, userdata, NULL);
    galley_set_grad_enabled(was);
    if (!y0)
        return n;
    double **jac = galley__rt_xrealloc(NULL, (size_t)n * sizeof *jac);
    for (int i = 0; i < n; i++) {
        /* Zeros: a result that needs no gradient leaves them so. */
        size_t bytes =
            (size_t)(y0->numel * inputs[i]->numel + 1) * sizeof(double);
        jac[i] = memset(galley__rt_xrealloc(NULL, bytes), 0, bytes);
    }
    int failed = 0, error = S_analytic(fn, inputs, n, userdata, y0, jac);

    locale_t c = galley__c_locale(), old = c ? uselocale(c) : (locale_t)0;
    was = galley_set_grad_enabled(0);
    for (int i = 0; i < n && !error; i++) {
        S_worst wa = {0, 0, 0}, wr = {0, 0, 0};
        int ok = S_compare(fn, inputs, n, userdata, i, y0, jac[i], &o, &wa,
                           &wr);
        if (ok < 0) {
            error = 1;
            break;
        }
        failed += !ok;
        if (!o.quiet)
            S_report(o.out, i, inputs[i], y0, &wa, &wr, ok);
    }
    galley_set_grad_enabled(was);
    if (!o.quiet && !error) {
        if (failed)
            fprintf(o.out, "gradcheck: FAILED (%d of %d inputs)\n", failed, n);
        else
            fprintf(o.out, "gradcheck: passed\n");
    }
    if (c)
        uselocale(old);
    for (int i = 0; i < n; i++) {
        galley_zero_grad(inputs[i]);
        free(jac[i]);
    }
    free(jac);
    galley__free_owned(y0);
    return error ? n : failed;
}
