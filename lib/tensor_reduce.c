/* tensor_reduce.c: the reductions that came after sum, mean and max: min
 * and argmin, sums and means over several axes, var, std and norm, and the
 * scans and orderings along an axis: cumsum, sort and topk. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- axes ---- */

/* Reads naxes axes (0: every axis) of a tensor of t's ndim into which[]
 * (1 for a reduced axis). Returns -1 after reporting a bad or repeated
 * axis. */
static int S_axes(const galley_tensor *t, int naxes, const int *axes,
                  int which[GALLEY_MAX_DIMS], const char *opname)
{
    /* More axes than t has is caught as an axis given twice. */
    if (naxes < 0 || (naxes > 0 && !axes)) {
        galley__error(opname, "naxes %d with axes %s: give naxes >= 0 axes "
                      "(0 for all)", naxes, axes ? "given" : "NULL");
        return -1;
    }
    for (int i = 0; i < t->ndim; i++)
        which[i] = naxes == 0;
    for (int k = 0; k < naxes; k++) {
        int ax = galley__axis(axes[k], t->ndim, opname);
        if (ax < 0)
            return -1;
        if (which[ax]) {
            galley__error(opname, "axis %d is given twice", axes[k]);
            return -1;
        }
        which[ax] = 1;
    }
    return 0;
}

/* The shape of t reduced over which[] into shape (size 1 there when
 * keepdim, else dropped); returns its ndim. */
static int S_reduced_shape(const galley_tensor *t, const int *which,
                           int keepdim, long shape[GALLEY_MAX_DIMS])
{
    int nd = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (!which[i])
            shape[nd++] = t->shape[i];
        else if (keepdim)
            shape[nd++] = 1;
    }
    return nd;
}

/* The number of elements of t each result of a reduction over which[]
 * comes from. */
static long S_count(const galley_tensor *t, const int *which)
{
    long n = 1;
    for (int i = 0; i < t->ndim; i++)
        if (which[i])
            n *= t->shape[i];
    return n;
}

/* which[] packed in bits for larg, and back. */
static long S_pack(const int *which, int ndim)
{
    long bits = 0;
    for (int i = 0; i < ndim; i++)
        bits |= (long)which[i] << i;
    return bits;
}

static void S_unpack(long bits, int ndim, int which[GALLEY_MAX_DIMS])
{
    for (int i = 0; i < ndim; i++)
        which[i] = (int)(bits >> i) & 1;
}

/* Writes "axes=[0, 2]", the reduced axes of out's op, into buf. */
static void S_axes_str(const galley_tensor *out, char *buf, size_t n)
{
    const galley_tensor *t = out->in[0];
    size_t k = (size_t)snprintf(buf, n, "axes=[");
    int first = 1;
    for (int i = 0; i < t->ndim && k < n; i++)
        if ((out->larg[0] >> i) & 1) {
            k += (size_t)snprintf(buf + k, n - k, first ? "%d" : ", %d", i);
            first = 0;
        }
    if (k < n)
        snprintf(buf + k, n - k, "]");
}

/* Writes "axes=[0, 2], keepdim=0". */
static void S_axes_args(const galley_tensor *out, char *buf, size_t n)
{
    char ax[GALLEY_MAX_DIMS * 4 + 16];
    S_axes_str(out, ax, sizeof ax);
    snprintf(buf, n, "%s, keepdim=%ld", ax, out->larg[1]);
}

/* The sum of t over which[] into a new tensor (nothing recorded). */
static galley_tensor *S_sum_new(const galley_tensor *t, const int *which,
                                int keepdim, const char *opname)
{
    long shape[GALLEY_MAX_DIMS];
    int nd = S_reduced_shape(t, which, keepdim, shape);
    galley_tensor view;
    galley_tensor *out = galley__new_like(t, t->dtype, nd, shape, opname);

    if (!out)
        return NULL;
    /* The kernel wants t's ndim with size 1 on the reduced axes: the same
     * layout as out's. */
    view = *out;
    galley__set_contiguous(&view, S_reduced_shape(t, which, 1, shape), shape);
    galley__backend_of(t)->reduce(GALLEY__RSUM, &view, t);
    return out;
}

/* g (contiguous, the shape of t reduced over which[]) as a view of t's
 * shape: stride 0 on the reduced axes. */
static galley_tensor *S_expand_back(galley_tensor *g, const galley_tensor *t,
                                    const int *which)
{
    long strides[GALLEY_MAX_DIMS], stride = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        strides[i] = which[i] ? 0 : stride;
        if (!which[i])
            stride *= t->shape[i];
    }
    return galley__view(g, t->ndim, t->shape, strides, g->offset);
}

/* Runs a forward made of public ops with grad mode off in a scope of its
 * own, so that its temporaries go and nothing is recorded: begin returns
 * the state that end takes with the result to keep. */
typedef struct S_quiet {
    galley_scope *scope;
    int grad;
} S_quiet;

static S_quiet S_quiet_begin(void)
{
    S_quiet q;
    q.grad = galley_set_grad_enabled(0);
    q.scope = galley_scope_begin();
    return q;
}

static galley_tensor *S_quiet_end(S_quiet q, galley_tensor *keep)
{
    if (keep)
        galley_tensor_keep(keep);
    galley_scope_end(q.scope);
    galley_set_grad_enabled(q.grad);
    return keep;
}

/* Checks t (a live float tensor) and its axes for the ops here. */
static int S_check(galley_tensor *t, int naxes, const int *axes,
                   int which[GALLEY_MAX_DIMS], const char *opname)
{
    if (galley__check(t, opname, "t") < 0 ||
        galley__check_float(t, opname, "t") < 0)
        return -1;
    return S_axes(t, naxes, axes, which, opname);
}

/* Records out = op(t) with the axes in larg[0] and keepdim in larg[1]. */
static galley_tensor *S_record(galley_tensor *out, const galley__opdef *def,
                               galley_tensor *t, const int *which,
                               int keepdim)
{
    if (!out)
        return NULL;
    galley__record(out, def, 1, &t);
    out->larg[0] = S_pack(which, t->ndim);
    out->larg[1] = keepdim != 0;
    return out;
}

/* ---- sum and mean over several axes ---- */

/* d sum = g broadcast back; d mean = that / n. */
static void S_sum_axes_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    int which[GALLEY_MAX_DIMS];
    S_unpack(out->larg[0], t->ndim, which);
    GALLEY__BACKWARD_BEGIN;
    if (out->op->name[0] == 'm')
        g = galley__div_scalar_new(g, (double)S_count(t, which), "mean_axes");
    galley__accum_grad(t, S_expand_back(g, t, which));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_sum_axes_def = {"sum_axes", S_sum_axes_backward,
                                             S_axes_args};
static const galley__opdef S_mean_axes_def = {
    "mean_axes", S_sum_axes_backward, S_axes_args};

galley_tensor *galley_sum_axes(galley_tensor *t, int naxes, const int *axes,
                               int keepdim)
{
    const char *op = "galley_sum_axes";
    int which[GALLEY_MAX_DIMS];
    if (S_check(t, naxes, axes, which, op) < 0)
        return NULL;
    return S_record(S_sum_new(t, which, keepdim, op), &S_sum_axes_def, t,
                    which, keepdim);
}

galley_tensor *galley_mean_axes(galley_tensor *t, int naxes, const int *axes,
                                int keepdim)
{
    const char *op = "galley_mean_axes";
    int which[GALLEY_MAX_DIMS];
    galley_tensor *s, *out;
    if (S_check(t, naxes, axes, which, op) < 0)
        return NULL;
    s = S_sum_new(t, which, keepdim, op);
    out = s ? galley__div_scalar_new(s, (double)S_count(t, which), op) : NULL;
    galley_tensor_free(s);
    return S_record(out, &S_mean_axes_def, t, which, keepdim);
}

/* ---- var and std ---- */

/* t minus its mean over which[] (kept axes broadcast back). */
static galley_tensor *S_centered(galley_tensor *t, const int *which)
{
    galley_tensor *s = S_sum_new(t, which, 1, "var");
    return galley_sub(t, galley__div_scalar_new(s, (double)S_count(t, which),
                                                "var"));
}

/* sum((t - mean)^2) / max(0, n - correction) over which[], as torch.var:
 * 0/0 gives NaN and x/0 inf when n <= correction. */
static galley_tensor *S_var_new(galley_tensor *t, const int *which,
                                double correction, int keepdim, int root)
{
    S_quiet q = S_quiet_begin();
    galley_tensor *d = S_centered(t, which);
    double dof = (double)S_count(t, which) - correction;
    galley_tensor *v = galley__div_scalar_new(
        S_sum_new(galley_mul(d, d), which, keepdim, "var"), dof > 0 ? dof : 0,
        "var");
    return S_quiet_end(q, root ? galley_sqrt(v) : v);
}

/* Writes "axes=[1], correction=1, keepdim=0". */
static void S_var_args(const galley_tensor *out, char *buf, size_t n)
{
    char c[32], ax[GALLEY_MAX_DIMS * 4 + 16];
    galley__format_double(out->darg[0], c, sizeof c);
    S_axes_str(out, ax, sizeof ax);
    snprintf(buf, n, "%s, correction=%s, keepdim=%ld", ax, c, out->larg[1]);
}

/* d var = 2 (x - mean) / (n - correction) * g (torch's var_backward);
 * d std = d var of g / (2 std), 0 where std is 0 (torch masks it). */
static void S_var_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    int which[GALLEY_MAX_DIMS];
    S_unpack(out->larg[0], t->ndim, which);
    GALLEY__BACKWARD_BEGIN;
    if (out->op->name[0] == 's') {
        galley_tensor *zero = galley_scalar(g->dtype, 0);
        galley_tensor *at0 = galley__binary_new(GALLEY__EQ, out, zero, "std");
        g = galley__where_new(at0, zero,
                              galley_div(g, galley_mul_scalar(out, 2)), "std");
    }
    double dof = (double)S_count(t, which) - out->darg[0];
    galley_tensor *d = galley_mul_scalar(S_centered(t, which), 2 / dof);
    galley__accum_grad(t, galley_mul(d, S_expand_back(galley_contiguous(g), t,
                                                      which)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_var_def = {"var", S_var_backward, S_var_args};
static const galley__opdef S_std_def = {"std", S_var_backward, S_var_args};

static galley_tensor *S_var(galley_tensor *t, int naxes, const int *axes,
                            double correction, int keepdim, int root,
                            const char *opname)
{
    int which[GALLEY_MAX_DIMS];
    galley_tensor *out;
    if (S_check(t, naxes, axes, which, opname) < 0)
        return NULL;
    if (!isfinite(correction)) {
        galley__error(opname, "correction %g is not finite", correction);
        return NULL;
    }
    out = S_record(S_var_new(t, which, correction, keepdim, root),
                   root ? &S_std_def : &S_var_def, t, which, keepdim);
    if (out)
        out->darg[0] = correction;
    return out;
}

galley_tensor *galley_var(galley_tensor *t, int naxes, const int *axes,
                          double correction, int keepdim)
{
    return S_var(t, naxes, axes, correction, keepdim, 0, "galley_var");
}

galley_tensor *galley_std(galley_tensor *t, int naxes, const int *axes,
                          double correction, int keepdim)
{
    return S_var(t, naxes, axes, correction, keepdim, 1, "galley_std");
}

/* ---- norm ---- */

/* (sum |t|^p)^(1/p) over which[]; p = 1 and 2 without the powers. */
static galley_tensor *S_norm_new(galley_tensor *t, const int *which, double p,
                                 int keepdim)
{
    S_quiet q = S_quiet_begin();
    galley_tensor *a = galley__unary_new(GALLEY__ABS, t, 0, "norm"), *r;
    if (p == 1)
        r = S_sum_new(a, which, keepdim, "norm");
    else if (p == 2)
        r = galley_sqrt(S_sum_new(galley_mul(t, t), which, keepdim, "norm"));
    else
        r = galley_pow_scalar(
            S_sum_new(galley_pow_scalar(a, p), which, keepdim, "norm"), 1 / p);
    return S_quiet_end(q, r);
}

static void S_norm_args(const galley_tensor *out, char *buf, size_t n)
{
    char p[32], ax[GALLEY_MAX_DIMS * 4 + 16];
    galley__format_double(out->darg[0], p, sizeof p);
    S_axes_str(out, ax, sizeof ax);
    snprintf(buf, n, "p=%s, %s, keepdim=%ld", p, ax, out->larg[1]);
}

/* torch's norm_backward: p = 1: sgn(x) g; else sgn(x) |x|^(p-1) times
 * g / norm^(p-1), that factor 0 where the norm is 0 (so the gradient of
 * the 2-norm at 0 is 0, not NaN). */
static void S_norm_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    double p = out->darg[0];
    int which[GALLEY_MAX_DIMS];
    S_unpack(out->larg[0], t->ndim, which);
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *sgn = galley__unary_new(GALLEY__SIGN, t, 0, "norm"), *f = g;
    if (p != 1) {
        galley_tensor *zero = galley_scalar(g->dtype, 0);
        galley_tensor *at0 = galley__binary_new(GALLEY__EQ, out, zero, "norm");
        f = galley__where_new(at0, zero,
                              galley_div(g, galley_pow_scalar(out, p - 1)),
                              "norm");
        sgn = p == 2 ? t
                     : galley_mul(sgn, galley_pow_scalar(galley_abs(t), p - 1));
    }
    galley__accum_grad(
        t, galley_mul(sgn, S_expand_back(galley_contiguous(f), t, which)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_norm_def = {"norm", S_norm_backward, S_norm_args};

galley_tensor *galley_norm(galley_tensor *t, double p, int naxes,
                           const int *axes, int keepdim)
{
    const char *op = "galley_norm";
    int which[GALLEY_MAX_DIMS];
    galley_tensor *out;
    if (S_check(t, naxes, axes, which, op) < 0)
        return NULL;
    if (!(p >= 1 && isfinite(p))) {
        galley__error(op, "p = %g: the norms are those of a finite p >= 1", p);
        return NULL;
    }
    out = S_record(S_norm_new(t, which, p, keepdim), &S_norm_def, t, which,
                   keepdim);
    if (out)
        out->darg[0] = p;
    return out;
}

/* ---- min and argmin ---- */

/* The index of the first smallest element of t over ax (-1: flat, 0-d) as
 * int64: the first greatest of -t, which keeps NaN first as torch does
 * (negation is exact and keeps NaN a NaN). */
static galley_tensor *S_argmin_new(galley_tensor *t, int ax, int keepdim,
                                   const char *opname)
{
    long shape[GALLEY_MAX_DIMS];
    int which[GALLEY_MAX_DIMS];
    for (int i = 0; i < t->ndim; i++)
        which[i] = ax < 0 || i == ax;
    int nd = S_reduced_shape(t, which, keepdim && ax >= 0, shape);
    galley_tensor *out =
        galley__new_like(t, GALLEY_I64, nd, shape, opname), view;
    galley_tensor *neg = galley__unary_new(GALLEY__NEG, t, 0, opname);

    if (!out || !neg)
        return NULL;
    view = *out;
    galley__set_contiguous(&view, S_reduced_shape(t, which, 0, shape), shape);
    galley__backend_of(t)->argmax(&view, neg, ax);
    galley_tensor_free(neg);
    return out;
}

/* min over ax: -max(-t). */
static galley_tensor *S_min_new(galley_tensor *t, int ax, int keepdim,
                                const char *opname)
{
    galley_tensor *neg = galley__unary_new(GALLEY__NEG, t, 0, opname);
    galley_tensor *m = neg ? galley__reduce_new(GALLEY__RMAX, neg, ax, keepdim,
                                                opname)
                           : NULL;
    galley_tensor *out = m ? galley__unary_new(GALLEY__NEG, m, 0, opname) : NULL;
    galley_tensor_free(neg);
    galley_tensor_free(m);
    return out;
}

/* d min over an axis: g to the element argmin chose (torch's
 * value_selecting_reduction_backward); d min_all: g shared evenly by every
 * element equal to the minimum, or by every NaN when it is NaN (torch's
 * evenly_distribute_backward). */
static void S_min_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0], *mask;
    int ax = (int)out->larg[0];
    int which[GALLEY_MAX_DIMS];
    for (int i = 0; i < t->ndim; i++)
        which[i] = ax < 0 || i == ax;
    GALLEY__BACKWARD_BEGIN;
    if (ax >= 0) {
        long shape[GALLEY_MAX_DIMS];
        for (int i = 0; i < t->ndim; i++)
            shape[i] = i == ax ? t->shape[i] : 1;
        galley_tensor *idx = galley_tensor_to(S_argmin_new(t, ax, 1, "min"),
                                              GALLEY_F64);
        galley_tensor *pos = galley_reshape(
            galley_arange(GALLEY_F64, 0, (double)t->shape[ax], 1), t->ndim,
            shape);
        mask = galley_tensor_to(galley__binary_new(GALLEY__EQ, pos, idx, "min"),
                                t->dtype);
    } else {
        if (isnan(galley_item(out))) /* the NaNs: t != t */
            mask = galley__binary_new(GALLEY__NE, t, t, "min");
        else
            mask = galley__binary_new(GALLEY__EQ, t, out, "min");
        g = galley__div_scalar_new(g, galley_item(galley_sum_all(mask)), "min");
    }
    g = galley_contiguous(g);
    galley__accum_grad(t, galley__masked_grad(S_expand_back(g, t, which), mask));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_min_all_def = {"min_all", S_min_backward, NULL};
static const galley__opdef S_min_def = {"min", S_min_backward,
                                        galley__axis_keepdim_args};

galley_tensor *galley_min_all(galley_tensor *t)
{
    const char *op = "galley_min_all";
    int ax;
    if (galley__reduce_check(t, 1, 0, 1, &ax, op) < 0)
        return NULL;
    galley_tensor *out = S_min_new(t, -1, 0, op);
    if (out) {
        galley__record(out, &S_min_all_def, 1, &t);
        out->larg[0] = -1;
    }
    return out;
}

galley_tensor *galley_min(galley_tensor *t, int axis, int keepdim)
{
    const char *op = "galley_min";
    int ax;
    if (galley__reduce_check(t, 0, axis, 1, &ax, op) < 0)
        return NULL;
    galley_tensor *out = S_min_new(t, ax, keepdim, op);
    if (out) {
        galley__record(out, &S_min_def, 1, &t);
        out->larg[0] = ax;
        out->larg[1] = keepdim != 0;
    }
    return out;
}

galley_tensor *galley_argmin_all(galley_tensor *t)
{
    int ax;
    if (galley__reduce_check(t, 1, 0, 1, &ax, "galley_argmin_all") < 0)
        return NULL;
    return S_argmin_new(t, -1, 0, "galley_argmin_all");
}

galley_tensor *galley_argmin(galley_tensor *t, int axis, int keepdim)
{
    int ax;
    if (galley__reduce_check(t, 0, axis, 1, &ax, "galley_argmin") < 0)
        return NULL;
    return S_argmin_new(t, ax, keepdim, "galley_argmin");
}

/* ---- scans and orderings along an axis ----
 *
 * These walk contiguous copies directly: element (o, i, j) of a tensor
 * seen as [outer, n, inner] around axis is at (o * n + i) * inner + j. */

typedef struct S_lines {
    long outer, n, inner;
} S_lines;

static S_lines S_lines_of(const galley_tensor *t, int ax)
{
    S_lines l = {1, t->ndim ? t->shape[ax] : 1, 1};
    for (int i = 0; i < ax; i++)
        l.outer *= t->shape[i];
    for (int i = ax + 1; i < t->ndim; i++)
        l.inner *= t->shape[i];
    return l;
}

/* Running sums along ax (from the end when reverse) into a new tensor,
 * accumulated in double as torch's CPU cumsum does for float32 too. */
static galley_tensor *S_cumsum_new(const galley_tensor *t, int ax, int reverse,
                                   const char *opname)
{
    galley_tensor *c = galley__cast_new(t, GALLEY_F64, opname), *out;
    if (!c)
        return NULL;
    S_lines l = S_lines_of(t, ax);
    double *p = galley__ptr(c);
    for (long o = 0; o < l.outer; o++)
        for (long j = 0; j < l.inner; j++) {
            double acc = 0;
            for (long k = 0; k < l.n; k++) {
                long i = reverse ? l.n - 1 - k : k;
                double *x = &p[(o * l.n + i) * l.inner + j];
                acc += *x;
                *x = acc;
            }
        }
    if (t->dtype == GALLEY_F64)
        return c;
    out = galley__cast_new(c, t->dtype, opname);
    galley_tensor_free(c);
    return out;
}

/* d cumsum = the running sums of g from the end. */
static void S_cumsum_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0],
                       S_cumsum_new(g, (int)out->larg[0], 1, "cumsum"));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_cumsum_def = {"cumsum", S_cumsum_backward,
                                           galley__axis_args};

galley_tensor *galley_cumsum(galley_tensor *t, int axis)
{
    const char *op = "galley_cumsum";
    galley_tensor *out;
    int ax;
    /* Refused on a device: the running sums are a host loop. */
    if (galley__check(t, op, "t") < 0 || galley__check_host(t, op, "t") ||
        galley__check_float(t, op, "t") < 0)
        return NULL;
    ax = galley__axis(axis, t->ndim, op);
    if (ax < 0)
        return NULL;
    out = S_cumsum_new(t, ax, 0, op);
    if (out) {
        galley__record(out, &S_cumsum_def, 1, &t);
        out->larg[0] = ax;
    }
    return out;
}

/* One element of a line being sorted: its value and where it was. int64
 * values compare as doubles too: exactly up to 2^53 in magnitude. */
typedef struct S_item {
    double v;
    long i;
} S_item;

/* Ascending with NaN after everything (torch.sort), ties by position:
 * a total order, so qsort gives a stable sort. */
static int S_cmp_up(const void *p, const void *q)
{
    const S_item *a = p, *b = q;
    int an = a->v != a->v, bn = b->v != b->v;
    if (an != bn)
        return an - bn;
    if (!an && a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Descending with NaN first, ties by position. */
static int S_cmp_down(const void *p, const void *q)
{
    const S_item *a = p, *b = q;
    int an = a->v != a->v, bn = b->v != b->v;
    if (an != bn)
        return bn - an;
    if (!an && a->v != b->v)
        return a->v > b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The first k of each line of t along ax in sorted order: values (t's
 * dtype) and their int64 positions, as new tensors of t's shape with k on
 * ax. */
static int S_sort_new(galley_tensor *t, int ax, int descending, long k,
                      galley_tensor **values, galley_tensor **indices,
                      const char *opname)
{
    long shape[GALLEY_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    if (t->ndim)
        shape[ax] = k;
    galley_tensor *c = galley__cast_new(t, t->dtype, opname);
    galley_tensor *d = galley__cast_new(t, GALLEY_F64, opname);
    *values = galley__new_like(t, t->dtype, t->ndim, shape, opname);
    *indices = galley__new_like(t, GALLEY_I64, t->ndim, shape, opname);
    if (!c || !d || !*values || !*indices)
        return -1;
    S_lines l = S_lines_of(t, ax);
    size_t es = galley__elsize(t->dtype);
    const char *src = galley__ptr(c);
    const double *dv = galley__ptr(d);
    char *vo = galley__ptr(*values);
    int64_t *io = galley__ptr(*indices);
    S_item *items = malloc((size_t)(l.n ? l.n : 1) * sizeof *items);
    if (!items)
        abort();
    for (long o = 0; o < l.outer; o++)
        for (long j = 0; j < l.inner; j++) {
            for (long i = 0; i < l.n; i++)
                items[i] = (S_item){dv[(o * l.n + i) * l.inner + j], i};
            qsort(items, (size_t)l.n, sizeof *items,
                  descending ? S_cmp_down : S_cmp_up);
            for (long i = 0; i < k; i++) {
                long at = (o * k + i) * l.inner + j;
                long from = (o * l.n + items[i].i) * l.inner + j;
                memcpy(vo + (size_t)at * es, src + (size_t)from * es, es);
                io[at] = items[i].i;
            }
        }
    free(items);
    galley_tensor_free(c);
    galley_tensor_free(d);
    return 0;
}

/* d sort, d topk: each element of g goes back to the position its value
 * came from (the indices kept in saved). */
static void S_sort_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0], *idx = out->saved;
    int ax = (int)out->larg[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *gc = galley__cast_new(g, GALLEY_F64, "sort");
    S_lines l = S_lines_of(t, ax), lk = S_lines_of(idx, ax);
    const double *gp = galley__ptr(gc);
    const int64_t *ip = galley__ptr(idx);
    galley_tensor *acc = galley_zeros(GALLEY_F64, t->ndim, t->shape);
    double *ap = galley__ptr(acc);
    for (long o = 0; o < l.outer; o++)
        for (long i = 0; i < lk.n; i++)
            for (long j = 0; j < l.inner; j++) {
                long at = (o * lk.n + i) * l.inner + j;
                ap[(o * l.n + ip[at]) * l.inner + j] += gp[at];
            }
    galley__accum_grad(t, g->dtype == GALLEY_F64 ? acc
                                                 : galley__cast_new(acc, g->dtype, "sort"));
    GALLEY__BACKWARD_END;
}

static void S_sort_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "axis=%ld, descending=%ld", out->larg[0], out->larg[1]);
}

static void S_topk_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "k=%ld, axis=%ld, largest=%ld", out->larg[2],
             out->larg[0], !out->larg[1] ? 0L : 1L);
}

static const galley__opdef S_sort_def = {"sort", S_sort_backward, S_sort_args};
static const galley__opdef S_topk_def = {"topk", S_sort_backward, S_topk_args};

/* sort and topk: the first k after sorting (descending when down). */
static galley_tensor *S_order(const galley__opdef *def, galley_tensor *t,
                              long k, int axis, int down,
                              galley_tensor **indices, const char *opname)
{
    galley_tensor *values, *idx;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    int ax;

    if (indices)
        *indices = NULL;
    /* Refused on a device: the sort is qsort on the host. */
    if (galley__check(t, opname, "t") < 0 ||
        galley__check_host(t, opname, "t"))
        return NULL;
    ax = galley__axis(axis, t->ndim, opname);
    if (ax < 0)
        return NULL;
    if (k < 0)
        k = t->shape[ax];
    else if (k > t->shape[ax]) {
        galley__error(opname, "k = %ld but axis %d of %s has %ld elements", k,
                      axis, galley__desc(t, d), t->shape[ax]);
        return NULL;
    }
    if (S_sort_new(t, ax, down, k, &values, &idx, opname) < 0)
        return NULL;
    galley__record(values, def, 1, &t);
    values->larg[0] = ax;
    values->larg[1] = down != 0;
    values->larg[2] = k;
    if (values->requires_grad)
        values->saved = galley__disown(galley_clone(idx));
    if (indices)
        *indices = idx;
    else
        galley_tensor_free(idx);
    return values;
}

galley_tensor *galley_sort(galley_tensor *t, int axis, int descending,
                           galley_tensor **indices)
{
    return S_order(&S_sort_def, t, -1, axis, descending, indices,
                   "galley_sort");
}

galley_tensor *galley_topk(galley_tensor *t, long k, int axis, int largest,
                           galley_tensor **indices)
{
    if (k < 0) {
        if (indices)
            *indices = NULL;
        galley__error("galley_topk", "k = %ld is negative", k);
        return NULL;
    }
    return S_order(&S_topk_def, t, k, axis, largest, indices, "galley_topk");
}
