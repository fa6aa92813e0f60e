/* tensor_view.c: the rest of creation (ranges, identity, copies of C
 * arrays), the in-place fills and copies, casts, and the views (reshape,
 * transpose, slice, select, detach) with their backward passes. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


/* ---- creation ---- */

galley_tensor *galley_arange(galley_dtype dtype, double start, double stop,
                             double step)
{
    const char *op = "galley_arange";
    if (!(step != 0) || !isfinite(step) || !isfinite(start) ||
        !isfinite(stop)) {
        galley__error(op, "start %g, stop %g, step %g: needs finite values "
                      "and a step other than 0", start, stop, step);
        return NULL;
    }
    if (dtype == GALLEY_I64 && (start != floor(start) || step != floor(step))) {
        galley__error(op, "start %g, step %g: an int64 range needs whole "
                      "numbers (numpy truncates the step to 0, torch refuses)",
                      start, step);
        return NULL;
    }
    double len = ceil((stop - start) / step);
    if (len < 0)
        len = 0;
    if (len > (double)(1L << 50)) {
        galley__error(op, "start %g, stop %g, step %g: too many elements",
                      start, stop, step);
        return NULL;
    }
    long n = (long)len;
    galley_tensor *t = galley__new_on(&galley__cpu_backend, dtype, 1, &n,
                                     op); /* moved by galley__made */
    if (!t)
        return NULL;
    /* start + i * step for each element, as torch computes them (no
     * running sum whose error grows); the count is numpy's. */
    for (long i = 0; i < n; i++) {
        double v = start + (double)i * step;
        switch (dtype) {
        case GALLEY_F32: ((float *)t->st->data)[i] = (float)v; break;
        case GALLEY_F64: ((double *)t->st->data)[i] = v; break;
        case GALLEY_I64: ((int64_t *)t->st->data)[i] = (int64_t)v; break;
        }
    }
    return galley__made(t, op);
}

galley_tensor *galley_linspace(galley_dtype dtype, double start, double stop,
                               long n)
{
    const char *op = "galley_linspace";
    if (n < 0) {
        galley__error(op, "n is %ld; it must be at least 0", n);
        return NULL;
    }
    galley_tensor *t = galley__new_on(&galley__cpu_backend, dtype, 1, &n,
                                     op); /* moved by galley__made */
    if (!t)
        return NULL;
    /* numpy's formula: start + i * (stop - start) / (n - 1), the last
     * element exactly stop. */
    double step = n > 1 ? (stop - start) / (double)(n - 1) : 0;
    for (long i = 0; i < n; i++) {
        double v = i == n - 1 && n > 1 ? stop : start + (double)i * step;
        switch (dtype) {
        case GALLEY_F32: ((float *)t->st->data)[i] = (float)v; break;
        case GALLEY_F64: ((double *)t->st->data)[i] = v; break;
        /* numpy rounds toward -inf for integer dtypes. */
        case GALLEY_I64: ((int64_t *)t->st->data)[i] = (int64_t)floor(v); break;
        }
    }
    return galley__made(t, op);
}

galley_tensor *galley_eye(galley_dtype dtype, long n)
{
    if (n < 0) {
        galley__error("galley_eye", "n is %ld; it must be at least 0", n);
        return NULL;
    }
    galley_tensor *t = galley_zeros(dtype, GALLEY_SHAPE(n, n));
    if (!t)
        return NULL;
    /* The diagonal as a strided 1-d header on t's storage. */
    galley_tensor d = *t;
    d.ndim = 1;
    d.shape[0] = n;
    d.strides[0] = n + 1;
    d.numel = n;
    galley__backend_of(t)->fill(&d, 1.0);
    return t;
}

/* A new tensor holding a copy of nbytes at data. */
static galley_tensor *S_from(galley_dtype dtype, const void *data, int ndim,
                             const long *shape, const char *op)
{
    galley_tensor *t = galley__new(dtype, ndim, shape, op);
    if (!t)
        return NULL;
    if (t->numel > 0) {
        if (!data) {
            galley__error(op, "data is NULL");
            galley_tensor_free(t);
            return NULL;
        }
        t->st->be->upload(t->st->data, data, t->st->nbytes);
    }
    return t;
}

galley_tensor *galley_from_f32(const float *data, int ndim, const long *shape)
{
    return S_from(GALLEY_F32, data, ndim, shape, "galley_from_f32");
}

galley_tensor *galley_from_f64(const double *data, int ndim,
                               const long *shape)
{
    return S_from(GALLEY_F64, data, ndim, shape, "galley_from_f64");
}

galley_tensor *galley_from_i64(const int64_t *data, int ndim,
                               const long *shape)
{
    return S_from(GALLEY_I64, data, ndim, shape, "galley_from_i64");
}

galley_tensor *galley_zeros_like(const galley_tensor *t)
{
    if (galley__check(t, "galley_zeros_like", "t"))
        return NULL;
    galley_tensor *z = galley__new_like(t, t->dtype, t->ndim, t->shape,
                                        "galley_zeros_like");
    if (z)
        z->st->be->fill(z, 0.0);
    return z;
}

galley_tensor *galley_ones_like(const galley_tensor *t)
{
    if (galley__check(t, "galley_ones_like", "t"))
        return NULL;
    galley_tensor *o = galley__new_like(t, t->dtype, t->ndim, t->shape,
                                        "galley_ones_like");
    if (o)
        o->st->be->fill(o, 1.0);
    return o;
}

/* ---- in place ---- */

void galley_fill_(galley_tensor *t, double value)
{
    if (galley__check(t, "galley_fill_", "t"))
        return;
    galley__backend_of(t)->fill(t, value);
    galley__bump_version(t);
}

void galley_copy_(galley_tensor *dst, const galley_tensor *src)
{
    const char *op = "galley_copy_";
    if (galley__check(dst, op, "dst") || galley__check(src, op, "src") ||
        galley__check_devices(dst, src, op, "dst", "src"))
        return;
    int nd;
    long shape[GALLEY_MAX_DIMS];
    if (galley__broadcast(dst, src, &nd, shape, op))
        return;
    if (!galley__same_shape(dst, nd, shape)) {
        char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "src %s does not broadcast to dst %s",
                      galley__desc(src, b), galley__desc(dst, a));
        return;
    }
    galley_tensor e;
    galley__expand(src, dst->ndim, dst->shape, &e);
    if (src->st == dst->st) {
        /* Overlapping storage: go through a copy. */
        galley_tensor *tmp = galley__new_owned(dst, src->dtype, dst->ndim,
                                               dst->shape);
        galley__backend_of(tmp)->copy(tmp, &e);
        galley__backend_of(dst)->copy(dst, tmp);
        galley__free_owned(tmp);
    } else {
        galley__backend_of(dst)->copy(dst, &e);
    }
    galley__bump_version(dst);
}

/* ---- casts and copies ---- */

static void S_identity_backward(galley_tensor *out, galley_tensor *g)
{
    galley__accum_grad(out->in[0], g);
}

/* The gradient cast back to the input's dtype. */
static void S_to_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *c = galley__new_like(g, a->dtype, g->ndim, g->shape, "to");
    galley__backend_of(c)->copy(c, g);
    galley__accum_grad(a, c);
    GALLEY__BACKWARD_END;
}

static void S_to_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "%s", galley_dtype_name(out->dtype));
}

static const galley__opdef S_clone_def = {"clone", S_identity_backward, NULL};
static const galley__opdef S_contiguous_def = {"contiguous",
                                               S_identity_backward, NULL};
static const galley__opdef S_to_def = {"to", S_to_backward, S_to_args};

/* A contiguous copy of t in dtype, recorded as def. */
static galley_tensor *S_copy_as(galley_tensor *t, galley_dtype dtype,
                                const galley__opdef *def, const char *op)
{
    galley_tensor *out = galley__new_like(t, dtype, t->ndim, t->shape, op);
    if (!out)
        return NULL;
    galley__backend_of(t)->copy(out, t);
    /* Gradients flow between floating dtypes only. */
    if (dtype != GALLEY_I64 && t->dtype != GALLEY_I64)
        galley__record(out, def, 1, &t);
    return out;
}

galley_tensor *galley_clone(galley_tensor *t)
{
    if (galley__check(t, "galley_clone", "t"))
        return NULL;
    return S_copy_as(t, t->dtype, &S_clone_def, "galley_clone");
}

galley_tensor *galley_tensor_to(galley_tensor *t, galley_dtype dtype)
{
    if (galley__check(t, "galley_tensor_to", "t"))
        return NULL;
    if (dtype != GALLEY_F32 && dtype != GALLEY_F64 && dtype != GALLEY_I64) {
        galley__error("galley_tensor_to", "unknown dtype %d", (int)dtype);
        return NULL;
    }
    return S_copy_as(t, dtype, &S_to_def, "galley_tensor_to");
}

/* ---- views ---- */

/* A view of t recorded as def (views of int64 tensors record nothing: no
 * gradient reaches them). */
static galley_tensor *S_view(galley_tensor *t, int ndim, const long *shape,
                             const long *strides, long offset,
                             const galley__opdef *def)
{
    galley_tensor *v = galley__view(t, ndim, shape, strides, offset);
    if (def)
        galley__record(v, def, 1, &t);
    return v;
}

galley_tensor *galley_contiguous(galley_tensor *t)
{
    if (galley__check(t, "galley_contiguous", "t"))
        return NULL;
    if (galley_is_contiguous(t))
        return S_view(t, t->ndim, t->shape, t->strides, t->offset,
                      &S_contiguous_def);
    return S_copy_as(t, t->dtype, &S_contiguous_def, "galley_contiguous");
}

galley_tensor *galley_detach(galley_tensor *t)
{
    if (galley__check(t, "galley_detach", "t"))
        return NULL;
    return S_view(t, t->ndim, t->shape, t->strides, t->offset, NULL);
}

/* (declared in tensor_internal.h) */
void galley__reshape_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(a, galley_reshape(g, a->ndim, a->shape));
    GALLEY__BACKWARD_END;
}

static void S_reshape_args(const galley_tensor *out, char *buf, size_t n)
{
    char s[GALLEY__SHAPE_STR_MAX];
    snprintf(buf, n, "%s", galley__shape_str(out->ndim, out->shape, s));
}

static const galley__opdef S_reshape_def = {"reshape",
                                            galley__reshape_backward,
                                            S_reshape_args};

galley_tensor *galley_reshape(galley_tensor *t, int ndim, const long *shape)
{
    const char *op = "galley_reshape";
    if (galley__check(t, op, "t"))
        return NULL;
    if (ndim < 0 || ndim > GALLEY_MAX_DIMS || (ndim > 0 && !shape)) {
        galley__error(op, "%d dimensions; a tensor has 0 to %d", ndim,
                      GALLEY_MAX_DIMS);
        return NULL;
    }
    long sh[GALLEY_MAX_DIMS], known = 1;
    int infer = -1;
    char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX];
    for (int i = 0; i < ndim; i++) {
        sh[i] = shape[i];
        if (shape[i] == -1 && infer < 0) {
            infer = i;
            continue;
        }
        if (shape[i] < 0) {
            galley__error(op, "cannot reshape %s to %s: sizes must be at "
                          "least 0, with one -1 at most", galley__desc(t, a),
                          galley__shape_str(ndim, shape, b));
            return NULL;
        }
        if (shape[i] > 0 && known > (1L << 50) / shape[i]) {
            galley__error(op, "shape %s is too large",
                          galley__shape_str(ndim, shape, b));
            return NULL;
        }
        known *= shape[i];
    }
    if (infer >= 0) {
        if (known == 0 || t->numel % known) {
            galley__error(op, "cannot reshape %s to %s: %ld elements do not "
                          "divide into it", galley__desc(t, a),
                          galley__shape_str(ndim, shape, b), t->numel);
            return NULL;
        }
        sh[infer] = t->numel / known;
        known = t->numel;
    }
    if (known != t->numel) {
        galley__error(op, "cannot reshape %s (%ld elements) to %s (%ld)",
                      galley__desc(t, a), t->numel,
                      galley__shape_str(ndim, shape, b), known);
        return NULL;
    }
    const galley__opdef *def = t->dtype == GALLEY_I64 ? NULL : &S_reshape_def;
    if (galley_is_contiguous(t)) {
        galley_tensor h; /* only for its strides */
        galley__set_contiguous(&h, ndim, sh);
        return S_view(t, ndim, sh, h.strides, t->offset, def);
    }
    /* A copy, then a view of it with the new shape: one node. */
    galley_tensor *c = galley__new_like(t, t->dtype, t->ndim, t->shape, op);
    if (!c)
        return NULL;
    galley__backend_of(t)->copy(c, t);
    galley__set_contiguous(c, ndim, sh);
    if (def)
        galley__record(c, def, 1, &t);
    return c;
}

/* transpose: the gradient transposed back. */
static void S_transpose_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_transpose(g, (int)out->larg[0],
                                                    (int)out->larg[1]));
    GALLEY__BACKWARD_END;
}

static void S_transpose_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "%ld, %ld", out->larg[0], out->larg[1]);
}

static const galley__opdef S_transpose_def = {
    "transpose", S_transpose_backward, S_transpose_args};

galley_tensor *galley_transpose(galley_tensor *t, int a, int b)
{
    const char *op = "galley_transpose";
    if (galley__check(t, op, "t"))
        return NULL;
    int x = galley__axis(a, t->ndim, op);
    if (x < 0)
        return NULL;
    int y = galley__axis(b, t->ndim, op);
    if (y < 0)
        return NULL;
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    memcpy(strides, t->strides, sizeof strides);
    shape[x] = t->shape[y];
    shape[y] = t->shape[x];
    strides[x] = t->strides[y];
    strides[y] = t->strides[x];
    galley_tensor *v = S_view(t, t->ndim, shape, strides, t->offset,
                              t->dtype == GALLEY_I64 ? NULL : &S_transpose_def);
    v->larg[0] = x;
    v->larg[1] = y;
    return v;
}

/* slice and select: the gradient written into zeros of the input's shape,
 * at the place the view took. */
static void S_slice_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *z = galley_zeros(a->dtype, a->ndim, a->shape);
    galley_tensor *place;
    if (out->op->name[1] == 'l') /* slice */
        place = galley_slice(z, (int)out->larg[0], out->larg[1], out->larg[2],
                             out->larg[3]);
    else
        place = galley_select(z, (int)out->larg[0], out->larg[1]);
    galley__backend_of(z)->copy(place, g);
    galley__accum_grad(a, z);
    GALLEY__BACKWARD_END;
}

static void S_slice_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "axis=%ld, %ld:%ld:%ld", out->larg[0], out->larg[1],
             out->larg[2], out->larg[3]);
}

static void S_select_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "axis=%ld, %ld", out->larg[0], out->larg[1]);
}

static const galley__opdef S_slice_def = {"slice", S_slice_backward,
                                          S_slice_args};
static const galley__opdef S_select_def = {"select", S_slice_backward,
                                           S_select_args};

galley_tensor *galley_slice(galley_tensor *t, int axis, long start, long stop,
                            long step)
{
    const char *op = "galley_slice";
    if (galley__check(t, op, "t"))
        return NULL;
    int ax = galley__axis(axis, t->ndim, op);
    if (ax < 0)
        return NULL;
    if (step <= 0) {
        galley__error(op, "step is %ld; it must be at least 1", step);
        return NULL;
    }
    long n = t->shape[ax];
    /* Python's rules for a positive step: negatives count from the end,
     * then both clamp to [0, n]. */
    if (start < 0)
        start += n;
    if (stop < 0)
        stop += n;
    start = start < 0 ? 0 : start > n ? n : start;
    stop = stop < 0 ? 0 : stop > n ? n : stop;
    long len = stop > start ? (stop - start + step - 1) / step : 0;
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    memcpy(strides, t->strides, sizeof strides);
    shape[ax] = len;
    strides[ax] = t->strides[ax] * step;
    long offset = t->offset + (len > 0 ? start * t->strides[ax] : 0);
    galley_tensor *v = S_view(t, t->ndim, shape, strides, offset,
                              t->dtype == GALLEY_I64 ? NULL : &S_slice_def);
    v->larg[0] = ax;
    v->larg[1] = start;
    v->larg[2] = stop;
    v->larg[3] = step;
    return v;
}

galley_tensor *galley_select(galley_tensor *t, int axis, long index)
{
    const char *op = "galley_select";
    if (galley__check(t, op, "t"))
        return NULL;
    int ax = galley__axis(axis, t->ndim, op);
    if (ax < 0)
        return NULL;
    long n = t->shape[ax], k = index < 0 ? index + n : index;
    if (k < 0 || k >= n) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "index %ld out of range for axis %d of %s", index,
                      axis, galley__desc(t, d));
        return NULL;
    }
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (i == ax)
            continue;
        shape[nd] = t->shape[i];
        strides[nd++] = t->strides[i];
    }
    galley_tensor *v = S_view(t, nd, shape, strides,
                              t->offset + k * t->strides[ax],
                              t->dtype == GALLEY_I64 ? NULL : &S_select_def);
    v->larg[0] = ax;
    v->larg[1] = k;
    return v;
}
