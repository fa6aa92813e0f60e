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

/* fn at inputs as a new contiguous float64 copy (owned by nobody), or NULL
 * after reporting what is wrong with fn's result. */
static galley_tensor *S_eval(galley_gradcheck_cb fn,
                             galley_tensor *const *inputs, int n, void *ud,
                             const galley_tensor *like)
{
    const char *op = "galley_gradcheck";
    galley_scope *s = galley_scope_begin();
    galley_tensor *y = fn(inputs, n, ud), *out = NULL;
    char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX + 8];
    if (!y || y->magic != GALLEY__LIVE) {
        galley__error(op, "fn returned %s", y ? "a freed tensor" : "NULL");
    } else if (galley__check_float(y, op, "fn's result") == 0) {
        if (like && (like->ndim != y->ndim ||
                     memcmp(like->shape, y->shape,
                            (size_t)y->ndim * sizeof(long)))) {
            galley__error(op, "fn returned %s, then %s: the same inputs must "
                          "give the same shape", galley__desc(like, a),
                          galley__desc(y, b));
        } else {
            out = galley__new_owned(GALLEY_F64, y->ndim, y->shape);
            galley__backend_of(y)->copy(out, y);
        }
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
 * has more than one element. */
static void S_print_at(FILE *f, const galley_tensor *x, const galley_tensor *y,
                       const S_worst *w)
{
    char buf[GALLEY__SHAPE_STR_MAX];
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
    if (n < 1 || !inputs) {
        galley__error(op, "no inputs (n is %d)", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "inputs[%d]", i);
        if (galley__check(inputs[i], op, what))
            return -1;
        if (inputs[i]->dtype != GALLEY_F64) {
            galley__error(op, "%s is %s; finite differences need float64 "
                          "inputs (make them with GALLEY_F64 or galley_to)",
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
    if (!y || y->magic != GALLEY__LIVE || y->numel != y0->numel) {
        galley__error("galley_gradcheck", "fn gave another result the "
                      "second time: it must be a function of its inputs");
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
            galley_set(&flat, GALLEY_AT(j), 1.0);
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

int galley_gradcheck(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                     int n, void *userdata,
                     const galley_gradcheck_options *options)
{
    galley_gradcheck_options o = options ? *options
                                         : (galley_gradcheck_options){0};
    if (o.eps <= 0)
        o.eps = 1e-6;
    if (o.atol <= 0)
        o.atol = 1e-5;
    if (o.rtol <= 0)
        o.rtol = 1e-3;
    if (!o.out)
        o.out = stdout;
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
    long ny = y0->numel;
    double **jac = galley__rt_xrealloc(NULL, (size_t)n * sizeof *jac);
    for (int i = 0; i < n; i++)
        jac[i] = galley__rt_xrealloc(
            NULL, (size_t)(ny * inputs[i]->numel + 1) * sizeof(double));
    int failed = 0, error = S_analytic(fn, inputs, n, userdata, y0, jac);

    locale_t c = galley__c_locale(), old = c ? uselocale(c) : (locale_t)0;
    for (int i = 0; i < n && !error; i++) {
        galley_tensor *x = inputs[i];
        S_worst wa = {0, 0, 0}, wr = {0, 0, 0};
        int ok = 1;
        was = galley_set_grad_enabled(0);
        for (long e = 0; e < x->numel && !error; e++) {
            double *p = S_elem(x, e), x0 = *p;
            *p = x0 + o.eps;
            galley_tensor *yp = S_eval(fn, inputs, n, userdata, y0);
            *p = x0 - o.eps;
            galley_tensor *ym = yp ? S_eval(fn, inputs, n, userdata, y0)
                                   : NULL;
            *p = x0;
            if (!yp || !ym) {
                galley__free_owned(yp);
                error = 1;
                break;
            }
            const double *vp = galley__ptr(yp), *vm = galley__ptr(ym);
            for (long j = 0; j < ny; j++) {
                double num = (vp[j] - vm[j]) / (2 * o.eps);
                double ana = jac[i][j * x->numel + e];
                double abs_err = fabs(ana - num);
                if (!(abs_err <= o.atol + o.rtol * fabs(num)))
                    ok = 0;
                if (abs_err > wa.err || (abs_err != abs_err && wa.err == wa.err))
                    wa = (S_worst){abs_err, e, j};
                if (num != 0) {
                    double rel = abs_err / fabs(num);
                    if (rel > wr.err || (rel != rel && wr.err == wr.err))
                        wr = (S_worst){rel, e, j};
                }
            }
            galley__free_owned(yp);
            galley__free_owned(ym);
        }
        galley_set_grad_enabled(was);
        if (error)
            break;
        failed += !ok;
        if (!o.quiet) {
            char d[GALLEY__SHAPE_STR_MAX + 8];
            fprintf(o.out, "gradcheck: input %d %s: max abs err %.2g", i,
                    galley__desc(x, d), wa.err);
            S_print_at(o.out, x, y0, &wa);
            fprintf(o.out, ", max rel err %.2g", wr.err);
            S_print_at(o.out, x, y0, &wr);
            fprintf(o.out, ": %s\n", ok ? "ok" : "FAILED");
        }
    }
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
