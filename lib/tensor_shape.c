/* tensor_shape.c: shape ops: cat, stack, split, chunk, gather, index_select,
 * embedding, unsqueeze, squeeze, permute, expand, flatten, with their
 * backward passes. cat and stack are the n-input nodes of autodiff. */
#include "tensor_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* ---- helpers ---- */

/* The header of the slab of t at index k of axis ax, that axis removed: a
 * stack struct for the kernels, not a tensor to free. */
static void S_slab(const galley_tensor *t, int ax, long k, galley_tensor *h)
{
    *h = *t;
    h->ndim = t->ndim - 1;
    h->numel = 1;
    for (int i = 0, j = 0; i < t->ndim; i++) {
        if (i == ax)
            continue;
        h->shape[j] = t->shape[i];
        h->strides[j++] = t->strides[i];
        h->numel *= t->shape[i];
    }
    h->offset = t->offset + k * t->strides[ax];
}

/* The header of the elements [start, start + len) of t along axis ax. */
static void S_range(const galley_tensor *t, int ax, long start, long len,
                    galley_tensor *h)
{
    *h = *t;
    h->shape[ax] = len;
    h->numel = 1;
    for (int i = 0; i < t->ndim; i++)
        h->numel *= h->shape[i];
    h->offset = t->offset + start * t->strides[ax];
}

/* Adds g to t's gradient, cast to t's dtype first when they differ (an
 * input of a lower dtype in a promoted cat or stack). */
static void S_accum_cast(galley_tensor *t, galley_tensor *g)
{
    if (!t->requires_grad)
        return;
    if (g->dtype != t->dtype) {
        galley_tensor *c =
            galley__new_like(t, t->dtype, g->ndim, g->shape, "cast");
        galley__backend_of(c)->copy(c, g);
        g = c;
    }
    galley__accum_grad(t, g);
}

/* Normalizes axis for an op that makes a new axis in tensors like t
 * (unsqueeze, stack: -(ndim+1) to ndim); -1 after reporting it, with the
 * range it takes. what names t in the message ("t", "tensors"). */
static int S_new_axis(int axis, const galley_tensor *t, const char *what,
                      const char *op)
{
    int a = axis < 0 ? axis + t->ndim + 1 : axis;
    if (a < 0 || a > t->ndim) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "axis %d out of range for %s %s: a new axis goes "
                      "from %d to %d", axis, what, galley__desc(t, d),
                      -(t->ndim + 1), t->ndim);
        return -1;
    }
    return a;
}

/* A view of t recorded as def (nothing is recorded when no gradient can
 * flow, an int64 t). */
static galley_tensor *S_view(galley_tensor *t, int ndim, const long *shape,
                             const long *strides, const galley__opdef *def)
{
    galley_tensor *v = galley__view(t, ndim, shape, strides, t->offset);
    galley__record(v, def, 1, &t);
    return v;
}

/* ---- cat and stack ---- */

/* Checks the list of cat or stack: n >= 1 live tensors. Returns their
 * promoted dtype, or 0 after a reported error. */
static galley_dtype S_check_list(galley_tensor *const *ts, int n,
                                 const char *op)
{
    if (!ts || n < 1) {
        galley__error(op, "%s; it needs at least one tensor",
                      ts ? "n is less than 1" : "tensors is NULL");
        return (galley_dtype)0;
    }
    galley_dtype dt = GALLEY_I64;
    for (int i = 0; i < n; i++) {
        if (!ts[i] || ts[i]->magic != GALLEY__LIVE) {
            char what[32]; /* named only when it is reported */
            snprintf(what, sizeof what, "tensors[%d]", i);
            galley__check(ts[i], op, what);
            return (galley_dtype)0;
        }
        if (i > 0 && ts[i]->st->be != ts[0]->st->be) {
            char what[32];
            snprintf(what, sizeof what, "tensors[%d]", i);
            galley__check_devices(ts[0], ts[i], op, "tensors[0]", what);
            return (galley_dtype)0;
        }
        /* int64 < float32 < float64, torch's order for these three. */
        if (ts[i]->dtype == GALLEY_F64 ||
            (ts[i]->dtype == GALLEY_F32 && dt == GALLEY_I64))
            dt = ts[i]->dtype;
    }
    return dt;
}

/* cat: each input gets its piece of g along the axis. */
static void S_cat_backward(galley_tensor *out, galley_tensor *g)
{
    int ax = (int)out->larg[0];
    long at = 0;
    GALLEY__BACKWARD_BEGIN;
    for (int i = 0; i < out->nin; i++) {
        galley_tensor *in = out->in[i];
        long len = in->shape[ax];
        S_accum_cast(in, galley_slice(g, ax, at, at + len, 1));
        at += len;
    }
    GALLEY__BACKWARD_END;
}

/* stack: each input gets its slab of g. */
static void S_stack_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    for (int i = 0; i < out->nin; i++)
        S_accum_cast(out->in[i], galley_select(g, (int)out->larg[0], i));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_cat_def = {"cat", S_cat_backward,
                                        galley__axis_args};
static const galley__opdef S_stack_def = {"stack", S_stack_backward,
                                          galley__axis_args};

/* 0 when ts[i] has ts[0]'s shape on every axis but skip (-1: none); else
 * reports which tensor and axis differ. */
static int S_check_fits(galley_tensor *const *ts, int i, int skip,
                        const char *op)
{
    const galley_tensor *a = ts[0], *b = ts[i];
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    if (b->ndim != a->ndim) {
        galley__error(op, "tensors[%d] %s has %d dimensions; tensors[0] %s "
                      "has %d", i, galley__desc(b, y), b->ndim,
                      galley__desc(a, x), a->ndim);
        return -1;
    }
    for (int d = 0; d < a->ndim; d++) {
        if (d == skip || a->shape[d] == b->shape[d])
            continue;
        if (skip < 0)
            galley__error(op, "tensors[%d] %s does not have the shape of "
                          "tensors[0] %s (they differ on axis %d)", i,
                          galley__desc(b, y), galley__desc(a, x), d);
        else
            galley__error(op, "tensors[%d] %s does not match tensors[0] %s "
                          "on axis %d (only axis %d, the axis joined, may "
                          "differ)", i, galley__desc(b, y),
                          galley__desc(a, x), d, skip);
        return -1;
    }
    return 0;
}

galley_tensor *galley_cat(galley_tensor *const *tensors, int n, int axis)
{
    const char *op = "galley_cat";
    galley_dtype dt = S_check_list(tensors, n, op);
    if (!dt)
        return NULL;
    if (tensors[0]->ndim == 0) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "tensors[0] %s is 0-d; cat joins along an axis "
                      "(galley_stack makes a new one)",
                      galley__desc(tensors[0], d));
        return NULL;
    }
    int ax = galley__axis(axis, tensors[0]->ndim, op);
    if (ax < 0)
        return NULL;
    long shape[GALLEY_MAX_DIMS];
    memcpy(shape, tensors[0]->shape, sizeof shape);
    shape[ax] = 0;
    for (int i = 0; i < n; i++) {
        if (S_check_fits(tensors, i, ax, op))
            return NULL;
        shape[ax] += tensors[i]->shape[ax];
    }
    galley_tensor *out =
        galley__new_like(tensors[0], dt, tensors[0]->ndim, shape, op);
    if (!out)
        return NULL;
    long at = 0;
    for (int i = 0; i < n; i++) {
        galley_tensor piece;
        S_range(out, ax, at, tensors[i]->shape[ax], &piece);
        if (piece.numel > 0)
            galley__backend_of(out)->copy(&piece, tensors[i]);
        at += tensors[i]->shape[ax];
    }
    galley__record(out, &S_cat_def, n, tensors);
    out->larg[0] = ax;
    return out;
}

galley_tensor *galley_stack(galley_tensor *const *tensors, int n, int axis)
{
    const char *op = "galley_stack";
    galley_dtype dt = S_check_list(tensors, n, op);
    if (!dt)
        return NULL;
    const galley_tensor *t0 = tensors[0];
    int ax = S_new_axis(axis, t0, "tensors", op);
    if (ax < 0)
        return NULL;
    for (int i = 1; i < n; i++)
        if (S_check_fits(tensors, i, -1, op))
            return NULL;
    long shape[GALLEY_MAX_DIMS + 1];
    for (int i = 0, j = 0; i <= t0->ndim; i++)
        shape[i] = i == ax ? n : t0->shape[j++];
    galley_tensor *out = galley__new_like(t0, dt, t0->ndim + 1, shape, op);
    if (!out)
        return NULL;
    for (int i = 0; i < n && out->numel > 0; i++) {
        galley_tensor slab;
        S_slab(out, ax, i, &slab);
        galley__backend_of(out)->copy(&slab, tensors[i]);
    }
    galley__record(out, &S_stack_def, n, tensors);
    out->larg[0] = ax;
    return out;
}

/* ---- split and chunk ---- */

/* Writes to out[0..min(n, cap)) the first of the n views of t along ax:
 * of sizes[i] elements each, or when sizes is NULL of cut each, the last
 * one what is left. */
static void S_cut(galley_tensor *t, int ax, int n, const long *sizes,
                  long cut, galley_tensor **out, int cap)
{
    long at = 0, len = t->shape[ax];
    for (int i = 0; i < n && i < cap; i++) {
        long size = sizes ? sizes[i] : (len - at < cut ? len - at : cut);
        out[i] = galley_slice(t, ax, at, at + size, 1);
        at += size;
    }
}

/* Checks what split and chunk share: t live, the axis, out when cap > 0.
 * Returns the axis, or -1 after a reported error. */
static int S_check_cut(galley_tensor *t, int axis, galley_tensor **out,
                       int cap, const char *op)
{
    if (galley__check(t, op, "t"))
        return -1;
    if (cap < 0 || (cap > 0 && !out)) {
        galley__error(op, cap < 0 ? "cap is %d; it must be at least 0"
                                  : "out is NULL with cap %d", cap);
        return -1;
    }
    return galley__axis(axis, t->ndim, op);
}

/* The number of pieces of len cut in size (torch's: one for an empty
 * axis), or -1 after reporting more than an int counts. */
static int S_count(long len, long size, const char *op)
{
    long n = len == 0 ? 1 : (len - 1) / size + 1; /* no overflow */
    if (n > INT_MAX) {
        galley__error(op, "%ld pieces; more than the %d an int counts", n,
                      INT_MAX);
        return -1;
    }
    return (int)n;
}

int galley_split(galley_tensor *t, long size, int axis, galley_tensor **out,
                 int cap)
{
    const char *op = "galley_split";
    int ax = S_check_cut(t, axis, out, cap, op);
    if (ax < 0)
        return -1;
    long len = t->shape[ax];
    if (size < 0 || (size == 0 && len > 0)) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "size %ld for axis %d of %s; it must be at least "
                      "1 (0 only on an axis of size 0)", size, axis,
                      galley__desc(t, d));
        return -1;
    }
    int n = S_count(len, size, op);
    if (n > 0)
        S_cut(t, ax, n, NULL, size, out, cap);
    return n;
}

int galley_chunk(galley_tensor *t, int chunks, int axis, galley_tensor **out,
                 int cap)
{
    const char *op = "galley_chunk";
    int ax = S_check_cut(t, axis, out, cap, op);
    if (ax < 0)
        return -1;
    if (chunks < 1) {
        galley__error(op, "chunks is %d; it must be at least 1", chunks);
        return -1;
    }
    long len = t->shape[ax];
    if (len == 0) {
        /* torch gives chunks empty pieces here, not split's one. */
        S_cut(t, ax, chunks, NULL, 0, out, cap);
        return chunks;
    }
    long size = (len + chunks - 1) / chunks;
    int n = S_count(len, size, op);
    if (n > 0)
        S_cut(t, ax, n, NULL, size, out, cap);
    return n;
}

int galley_split_sizes(galley_tensor *t, int n, const long *sizes, int axis,
                       galley_tensor **out)
{
    const char *op = "galley_split_sizes";
    if (n < 1 || !sizes) {
        galley__error(op, n < 1 ? "n is %d; it needs at least one size"
                                : "sizes is NULL for %d sizes", n);
        return -1;
    }
    int ax = S_check_cut(t, axis, out, n, op);
    if (ax < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (sizes[i] < 0) {
            galley__error(op, "sizes[%d] is %ld; sizes must be at least 0",
                          i, sizes[i]);
            return -1;
        }
    long len = t->shape[ax], total = 0;
    /* Stops past len, before a sum of huge sizes could overflow. */
    for (int i = 0; i < n && total <= len; i++)
        total += sizes[i] > len ? len + 1 : sizes[i];
    if (total != len) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        if (total > len)
            galley__error(op, "the %d sizes add up to more than %ld, the "
                          "size of axis %d of %s", n, len, axis,
                          galley__desc(t, d));
        else
            galley__error(op, "the %d sizes add up to %ld, not %ld, the "
                          "size of axis %d of %s", n, total, len, axis,
                          galley__desc(t, d));
        return -1;
    }
    S_cut(t, ax, n, sizes, 0, out, n);
    return n;
}

/* ---- gather, index_select, embedding ----
 *
 * The indices are read on the host, as cross_entropy's targets are: a
 * device backend would copy them over first. The index is recorded as an
 * input of the node (no gradient reaches it), so that backward refuses to
 * run after it was changed in place, and reads it again. */

/* 0 when index is an int64 tensor; else reports it. what names it. */
static int S_check_index(const galley_tensor *index, const char *op,
                         const char *what)
{
    if (galley__check(index, op, what) || galley__check_host(index, op, what))
        return -1;
    if (index->dtype == GALLEY_I64)
        return 0;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    galley__error(op, "%s is %s; it must be int64 (cast with "
                  "galley_tensor_to)", what, galley__desc(index, d));
    return -1;
}

/* Steps pos to the next index of shape in row-major order; 0 past the
 * end. */
static int S_next(int ndim, const long *shape, long *pos)
{
    for (int d = ndim - 1; d >= 0; d--) {
        if (++pos[d] < shape[d])
            return 1;
        pos[d] = 0;
    }
    return 0;
}

/* The values of index in row-major order: an array the caller frees, or
 * NULL after reporting the first one outside [0, limit) as "WHAT V at
 * [POS] is out of range RANGE". */
static int64_t *S_read_index(const galley_tensor *index, long limit,
                             const char *op, const char *what,
                             const char *range)
{
    int64_t *v = galley__rt_xrealloc(NULL, ((size_t)index->numel + 1) *
                                               sizeof *v);
    const int64_t *p = galley__ptr(index);
    long pos[GALLEY_MAX_DIMS] = {0};
    for (long k = 0; k < index->numel; k++) {
        long off = 0;
        for (int d = 0; d < index->ndim; d++)
            off += pos[d] * index->strides[d];
        v[k] = p[off];
        if (v[k] < 0 || v[k] >= limit) {
            char s[GALLEY__SHAPE_STR_MAX];
            galley__error(op, "%s %lld at %s is out of range %s", what,
                          (long long)v[k],
                          galley__shape_str(index->ndim, pos, s), range);
            free(v);
            return NULL;
        }
        S_next(index->ndim, index->shape, pos);
    }
    return v;
}

/* The values of a recorded index again, for backward (checked then, and
 * unchanged since: backward checked the version). */
static int64_t *S_reread_index(const galley_tensor *index)
{
    return S_read_index(index, LONG_MAX, "backward", "index", "");
}

/* Whether each slab of t along ax is one contiguous run of elements. The
 * loops below then copy and add the slabs themselves rather than call a
 * kernel per slab, whose setup was most of the work for short rows: an
 * embedding of 2048 ids into [65, 32] went from 1.46M instructions to
 * 0.21M forward, 1.71M to 0.58M backward (callgrind). */
static int S_slabs_contiguous(const galley_tensor *t, int ax)
{
    galley_tensor h;
    S_slab(t, ax, 0, &h);
    return galley_is_contiguous(&h);
}

/* The address of element 0 of slab k of t along ax. */
static char *S_slab_ptr(const galley_tensor *t, int ax, long k)
{
    return (char *)t->st->data +
           (size_t)(t->offset + k * t->strides[ax]) * galley__elsize(t->dtype);
}

/* Copies slab vals[k] of src along ax into slab k of dst, for k < n. */
static void S_take(galley_tensor *dst, const galley_tensor *src, int ax,
                   const int64_t *vals, long n)
{
    if (dst->dtype == src->dtype && S_slabs_contiguous(dst, ax) &&
        S_slabs_contiguous(src, ax)) {
        size_t bytes = (size_t)(dst->shape[ax] ? dst->numel / dst->shape[ax]
                                               : 0) *
                       galley__elsize(dst->dtype);
        for (long k = 0; k < n; k++)
            memcpy(S_slab_ptr(dst, ax, k), S_slab_ptr(src, ax, (long)vals[k]),
                   bytes);
        return;
    }
    const galley__backend *be = galley__backend_of(src);
    for (long k = 0; k < n; k++) {
        galley_tensor d, s;
        S_slab(dst, ax, k, &d);
        S_slab(src, ax, (long)vals[k], &s);
        if (d.numel > 0)
            be->copy(&d, &s);
    }
}

/* Adds the m elements at src to those at dst (float32 or float64). */
static void S_add_run(galley_dtype dtype, char *dst, const char *src, long m)
{
    if (dtype == GALLEY_F32)
        for (long i = 0; i < m; i++)
            ((float *)dst)[i] += ((const float *)src)[i];
    else
        for (long i = 0; i < m; i++)
            ((double *)dst)[i] += ((const double *)src)[i];
}

/* The reverse of S_take: adds slab k of g along ax into row vals[k] of
 * rows, a contiguous tensor whose axis 0 is the one indexed (so that each
 * row it adds into is contiguous, as the binary kernel wants out). */
static void S_put_add(galley_tensor *rows, const galley_tensor *g, int ax,
                      const int64_t *vals, long n)
{
    long m = rows->shape[0] ? rows->numel / rows->shape[0] : 0;
    if (g->dtype == rows->dtype && S_slabs_contiguous(g, ax)) {
        for (long k = 0; k < n; k++)
            S_add_run(rows->dtype, S_slab_ptr(rows, 0, (long)vals[k]),
                      S_slab_ptr(g, ax, k), m);
        return;
    }
    const galley__backend *be = galley__backend_of(rows);
    for (long k = 0; k < n; k++) {
        galley_tensor r, s;
        S_slab(rows, 0, (long)vals[k], &r);
        S_slab(g, ax, k, &s);
        if (r.numel > 0)
            be->binary(GALLEY__ADD, &r, &r, &s);
    }
}

/* The element offsets into t (its strides and offset; shape of t's or of a
 * tensor like it) of gather's result elements, in row-major order of
 * index's shape: axis ax indexed by vals, the others by position. */
static long *S_gather_offsets(const galley_tensor *t, int ax,
                              const galley_tensor *index,
                              const int64_t *vals)
{
    long *off = galley__rt_xrealloc(NULL, ((size_t)index->numel + 1) *
                                              sizeof *off);
    long pos[GALLEY_MAX_DIMS] = {0};
    for (long k = 0; k < index->numel; k++) {
        off[k] = t->offset;
        for (int d = 0; d < t->ndim; d++)
            off[k] += (d == ax ? (long)vals[k] : pos[d]) * t->strides[d];
        S_next(index->ndim, index->shape, pos);
    }
    return off;
}

/* gather: the gradient scattered into zeros of t's shape, added up where
 * an index repeats. */
static void S_gather_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0], *index = out->in[1];
    if (!t->requires_grad)
        return;
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *z = galley_zeros(t->dtype, t->ndim, t->shape);
    int64_t *vals = S_reread_index(index);
    long *off = S_gather_offsets(z, (int)out->larg[0], index, vals);
    for (long k = 0; k < index->numel; k++) {
        if (z->dtype == GALLEY_F32)
            ((float *)z->st->data)[off[k]] += ((const float *)g->st->data +
                                               g->offset)[k];
        else
            ((double *)z->st->data)[off[k]] += ((const double *)g->st->data +
                                                g->offset)[k];
    }
    free(off);
    free(vals);
    galley__accum_grad(t, z);
    GALLEY__BACKWARD_END;
}

/* index_select: each slab of g added into zeros at the slab it came from. */
static void S_index_select_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0], *index = out->in[1];
    if (!t->requires_grad)
        return;
    int ax = (int)out->larg[0];
    GALLEY__BACKWARD_BEGIN;
    /* The zeros with axis ax first, then viewed in t's order. */
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    shape[0] = t->shape[ax];
    for (int i = 0, j = 1; i < t->ndim; i++)
        if (i != ax)
            shape[j++] = t->shape[i];
    galley_tensor *rows = galley_zeros(t->dtype, t->ndim, shape);
    int64_t *vals = S_reread_index(index);
    S_put_add(rows, g, ax, vals, index->numel);
    free(vals);
    for (int i = 0, j = 1; i < t->ndim; i++)
        strides[i] = i == ax ? rows->strides[0] : rows->strides[j++];
    galley__accum_grad(t, galley__view(rows, t->ndim, t->shape, strides, 0));
    GALLEY__BACKWARD_END;
}

/* embedding: the rows of g added into zeros [V, D] at their ids. */
static void S_embedding_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *w = out->in[0], *ids = out->in[1];
    if (!w->requires_grad)
        return;
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *rows = galley_zeros(w->dtype, 2, w->shape);
    galley_tensor flat = *g; /* g as [N, D] */
    galley__set_contiguous(&flat, 2, (long[]){ids->numel, w->shape[1]});
    int64_t *vals = S_reread_index(ids);
    S_put_add(rows, &flat, 0, vals, ids->numel);
    free(vals);
    galley__accum_grad(w, rows);
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_gather_def = {"gather", S_gather_backward,
                                           galley__axis_args};
static const galley__opdef S_index_select_def = {
    "index_select", S_index_select_backward, galley__axis_args};
static const galley__opdef S_embedding_def = {"embedding",
                                              S_embedding_backward, NULL};

/* 0 when index fits gather on t along ax: as many axes, no larger on the
 * others; else reports it. */
static int S_check_gather(const galley_tensor *t, int ax,
                          const galley_tensor *index, const char *op)
{
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    if (index->ndim != t->ndim) {
        galley__error(op, "index %s has %d dimensions, t %s has %d; "
                      "gather needs as many", galley__desc(index, x),
                      index->ndim, galley__desc(t, y), t->ndim);
        return -1;
    }
    for (int d = 0; d < t->ndim; d++)
        if (d != ax && index->shape[d] > t->shape[d]) {
            galley__error(op, "index %s is larger than t %s on axis %d "
                          "(only axis %d, the one gathered along, may be)",
                          galley__desc(index, x), galley__desc(t, y), d, ax);
            return -1;
        }
    return 0;
}

/* The end of an "out of range" message: "for axis A of t DESC: values
 * must be in [0, N)". */
static char *S_range_msg(const galley_tensor *t, int ax, char *buf,
                         size_t n)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    snprintf(buf, n, "for axis %d of t %s: values must be in [0, %ld)", ax,
             galley__desc(t, d), t->shape[ax]);
    return buf;
}

galley_tensor *galley_gather(galley_tensor *t, int axis, galley_tensor *index)
{
    const char *op = "galley_gather";
    /* Refused on a device (gather, index_select, embedding): the indices
     * and elements are read on the host. */
    if (galley__check(t, op, "t") || galley__check_host(t, op, "t") ||
        S_check_index(index, op, "index"))
        return NULL;
    int ax = galley__axis(axis, t->ndim, op);
    if (ax < 0 || S_check_gather(t, ax, index, op))
        return NULL;
    char range[GALLEY__SHAPE_STR_MAX + 80];
    int64_t *vals = S_read_index(index, t->shape[ax], op, "index",
                                 S_range_msg(t, ax, range, sizeof range));
    if (!vals)
        return NULL;
    galley_tensor *out =
        galley__new_like(t, t->dtype, index->ndim, index->shape, op);
    long *off = S_gather_offsets(t, ax, index, vals);
    size_t es = galley__elsize(t->dtype);
    for (long k = 0; k < out->numel; k++)
        memcpy((char *)out->st->data + (size_t)k * es,
               (const char *)t->st->data + (size_t)off[k] * es, es);
    free(off);
    free(vals);
    galley__record(out, &S_gather_def, 2, (galley_tensor *[]){t, index});
    out->larg[0] = ax;
    return out;
}

galley_tensor *galley_index_select(galley_tensor *t, int axis,
                                   galley_tensor *index)
{
    const char *op = "galley_index_select";
    if (galley__check(t, op, "t") || galley__check_host(t, op, "t") ||
        S_check_index(index, op, "index"))
        return NULL;
    int ax = galley__axis(axis, t->ndim, op);
    if (ax < 0)
        return NULL;
    if (index->ndim > 1) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "index %s must be 1-d (or 0-d)",
                      galley__desc(index, d));
        return NULL;
    }
    char range[GALLEY__SHAPE_STR_MAX + 80];
    int64_t *vals = S_read_index(index, t->shape[ax], op, "index",
                                 S_range_msg(t, ax, range, sizeof range));
    if (!vals)
        return NULL;
    long shape[GALLEY_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    shape[ax] = index->numel;
    galley_tensor *out = galley__new_like(t, t->dtype, t->ndim, shape, op);
    S_take(out, t, ax, vals, index->numel);
    free(vals);
    galley__record(out, &S_index_select_def, 2,
                   (galley_tensor *[]){t, index});
    out->larg[0] = ax;
    return out;
}

galley_tensor *galley_embedding(galley_tensor *weight, galley_tensor *ids)
{
    const char *op = "galley_embedding";
    char d[GALLEY__SHAPE_STR_MAX + 8], e[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(weight, op, "weight") ||
        galley__check_host(weight, op, "weight") ||
        S_check_index(ids, op, "ids"))
        return NULL;
    if (weight->ndim != 2) {
        galley__error(op, "weight %s must be [V, D]: a row of D numbers for "
                      "each of V ids", galley__desc(weight, d));
        return NULL;
    }
    if (ids->ndim == GALLEY_MAX_DIMS) {
        galley__error(op, "ids %s has %d dimensions; the result would have "
                      "one more than the %d a tensor has",
                      galley__desc(ids, e), ids->ndim, GALLEY_MAX_DIMS);
        return NULL;
    }
    long v = weight->shape[0];
    char range[GALLEY__SHAPE_STR_MAX + 80];
    snprintf(range, sizeof range, "for weight %s: ids must be in [0, V) = "
             "[0, %ld)", galley__desc(weight, d), v);
    int64_t *vals = S_read_index(ids, v, op, "id", range);
    if (!vals)
        return NULL;
    long shape[GALLEY_MAX_DIMS];
    memcpy(shape, ids->shape, sizeof shape);
    shape[ids->ndim] = weight->shape[1];
    galley_tensor *out =
        galley__new_like(weight, weight->dtype, ids->ndim + 1, shape, op);
    galley_tensor flat = *out; /* out as [N, D] */
    galley__set_contiguous(&flat, 2, (long[]){ids->numel, weight->shape[1]});
    S_take(&flat, weight, 0, vals, ids->numel);
    free(vals);
    galley__record(out, &S_embedding_def, 2, (galley_tensor *[]){weight, ids});
    return out;
}

/* ---- axes: unsqueeze, squeeze, permute, expand, flatten ---- */

/* squeeze's args: its axis, none for squeeze_all. */
static void S_squeeze_args(const galley_tensor *out, char *buf, size_t n)
{
    if (out->larg[0] >= 0)
        galley__axis_args(out, buf, n);
    else if (n > 0)
        buf[0] = 0;
}

static const galley__opdef S_unsqueeze_def = {
    "unsqueeze", galley__reshape_backward, galley__axis_args};
static const galley__opdef S_squeeze_def = {
    "squeeze", galley__reshape_backward, S_squeeze_args};

galley_tensor *galley_unsqueeze(galley_tensor *t, int axis)
{
    const char *op = "galley_unsqueeze";
    if (galley__check(t, op, "t"))
        return NULL;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (t->ndim == GALLEY_MAX_DIMS) {
        galley__error(op, "t %s has %d dimensions, the most a tensor has",
                      galley__desc(t, d), GALLEY_MAX_DIMS);
        return NULL;
    }
    int ax = S_new_axis(axis, t, "t", op);
    if (ax < 0)
        return NULL;
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    for (int i = 0, j = 0; i <= t->ndim; i++) {
        if (i == ax) {
            /* Any stride fits a size-1 axis; torch's is this one. */
            shape[i] = 1;
            strides[i] = ax < t->ndim ? t->shape[ax] * t->strides[ax] : 1;
            continue;
        }
        shape[i] = t->shape[j];
        strides[i] = t->strides[j++];
    }
    galley_tensor *v = S_view(t, t->ndim + 1, shape, strides,
                              &S_unsqueeze_def);
    v->larg[0] = ax;
    return v;
}

/* A view of t without axis ax if it has size 1, or without every size-1
 * axis when ax < 0. */
static galley_tensor *S_squeeze(galley_tensor *t, int ax)
{
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (t->shape[i] == 1 && (ax < 0 || i == ax))
            continue;
        shape[nd] = t->shape[i];
        strides[nd++] = t->strides[i];
    }
    galley_tensor *v = S_view(t, nd, shape, strides, &S_squeeze_def);
    v->larg[0] = ax;
    return v;
}

galley_tensor *galley_squeeze(galley_tensor *t, int axis)
{
    const char *op = "galley_squeeze";
    if (galley__check(t, op, "t"))
        return NULL;
    /* A 0-d t takes axis 0 or -1, as in torch. */
    if (t->ndim == 0 && (axis == 0 || axis == -1))
        return S_squeeze(t, -1);
    int ax = galley__axis(axis, t->ndim, op);
    return ax < 0 ? NULL : S_squeeze(t, ax);
}

galley_tensor *galley_squeeze_all(galley_tensor *t)
{
    if (galley__check(t, "galley_squeeze_all", "t"))
        return NULL;
    return S_squeeze(t, -1);
}

/* permute keeps its perm in larg[0], 4 bits an axis: GALLEY_MAX_DIMS axes
 * fit in the 32 bits a long has at least. */
_Static_assert(GALLEY_MAX_DIMS <= 8, "a permutation fits in a long");

static void S_unpack_perm(const galley_tensor *out, long *perm)
{
    for (int i = 0; i < out->ndim; i++)
        perm[i] = (out->larg[0] >> (4 * i)) & 0xf;
}

/* permute: the gradient permuted back (by the inverse permutation). */
static void S_permute_backward(galley_tensor *out, galley_tensor *g)
{
    long perm[GALLEY_MAX_DIMS], inv[GALLEY_MAX_DIMS];
    S_unpack_perm(out, perm);
    for (int i = 0; i < out->ndim; i++)
        inv[perm[i]] = i;
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_permute(g, out->ndim, inv));
    GALLEY__BACKWARD_END;
}

static void S_permute_args(const galley_tensor *out, char *buf, size_t n)
{
    long perm[GALLEY_MAX_DIMS];
    char s[GALLEY__SHAPE_STR_MAX];
    S_unpack_perm(out, perm);
    snprintf(buf, n, "%s", galley__shape_str(out->ndim, perm, s));
}

static const galley__opdef S_permute_def = {"permute", S_permute_backward,
                                            S_permute_args};

galley_tensor *galley_permute(galley_tensor *t, int ndim, const long *perm)
{
    const char *op = "galley_permute";
    if (galley__check(t, op, "t"))
        return NULL;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (ndim != t->ndim || (ndim > 0 && !perm)) {
        galley__error(op, "perm has %d axes; t %s has %d, and perm needs "
                      "each once", ndim, galley__desc(t, d), t->ndim);
        return NULL;
    }
    long shape[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS], packed = 0;
    unsigned seen = 0;
    for (int i = 0; i < ndim; i++) {
        if (perm[i] < -ndim || perm[i] >= ndim) {
            galley__error(op, "perm[%d] is %ld, out of range for t %s", i,
                          perm[i], galley__desc(t, d));
            return NULL;
        }
        int a = (int)(perm[i] < 0 ? perm[i] + ndim : perm[i]);
        if (seen & (1u << a)) {
            char s[GALLEY__SHAPE_STR_MAX];
            galley__error(op, "perm %s names axis %d twice; it needs each "
                          "axis of t %s once",
                          galley__shape_str(ndim, perm, s), a,
                          galley__desc(t, d));
            return NULL;
        }
        seen |= 1u << a;
        shape[i] = t->shape[a];
        strides[i] = t->strides[a];
        packed |= (long)a << (4 * i);
    }
    galley_tensor *v = S_view(t, ndim, shape, strides, &S_permute_def);
    v->larg[0] = packed;
    return v;
}

/* expand: the gradient summed over the expanded axes, which accum_grad
 * does for a gradient of a broadcast shape. */
static void S_expand_backward(galley_tensor *out, galley_tensor *g)
{
    galley__accum_grad(out->in[0], g);
}

static void S_shape_args(const galley_tensor *out, char *buf, size_t n)
{
    char s[GALLEY__SHAPE_STR_MAX];
    snprintf(buf, n, "%s", galley__shape_str(out->ndim, out->shape, s));
}

static const galley__opdef S_expand_def = {"expand", S_expand_backward,
                                           S_shape_args};

/* The size and stride of axis i of t expanded to ndim/shape; -1 after a
 * reported error. */
static int S_expand_axis(const galley_tensor *t, int ndim, const long *shape,
                         int i, long *size, long *stride, const char *op)
{
    char d[GALLEY__SHAPE_STR_MAX + 8], s[GALLEY__SHAPE_STR_MAX];
    int j = i - (ndim - t->ndim);
    long want = j >= 0 && shape[i] == -1 ? t->shape[j] : shape[i];
    if (want < 0) {
        galley__error(op, "cannot expand %s to %s: size %ld on axis %d "
                      "(-1 keeps the size of an axis t has; new axes on the "
                      "left need a size)", galley__desc(t, d),
                      galley__shape_str(ndim, shape, s), shape[i], i);
        return -1;
    }
    if (j >= 0 && want != t->shape[j] && t->shape[j] != 1) {
        galley__error(op, "cannot expand %s to %s: axis %d has size %ld, "
                      "not 1 (only axes of size 1 expand; -1 keeps a size)",
                      galley__desc(t, d), galley__shape_str(ndim, shape, s),
                      j, t->shape[j]);
        return -1;
    }
    *size = want;
    *stride = j >= 0 && want == t->shape[j] ? t->strides[j] : 0;
    return 0;
}

galley_tensor *galley_expand(galley_tensor *t, int ndim, const long *shape)
{
    const char *op = "galley_expand";
    if (galley__check(t, op, "t"))
        return NULL;
    if (ndim < t->ndim || ndim > GALLEY_MAX_DIMS || (ndim > 0 && !shape)) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op, "a shape of %d dimensions for t %s; it needs %d "
                      "to %d", ndim, galley__desc(t, d), t->ndim,
                      GALLEY_MAX_DIMS);
        return NULL;
    }
    long sh[GALLEY_MAX_DIMS], strides[GALLEY_MAX_DIMS];
    for (int i = 0; i < ndim; i++)
        if (S_expand_axis(t, ndim, shape, i, &sh[i], &strides[i], op))
            return NULL;
    if (galley__check_shape(ndim, sh, op))
        return NULL;
    return S_view(t, ndim, sh, strides, &S_expand_def);
}

galley_tensor *galley_flatten(galley_tensor *t, int start_axis, int end_axis)
{
    const char *op = "galley_flatten";
    if (galley__check(t, op, "t"))
        return NULL;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (t->ndim == 0) {
        /* Flattened as if it had one axis (torch's rule). */
        if ((start_axis == 0 || start_axis == -1) &&
            (end_axis == 0 || end_axis == -1))
            return galley_reshape(t, GALLEY_SHAPE(1));
        galley__error(op, "axes %d to %d for t %s: a 0-d tensor takes 0 or "
                      "-1", start_axis, end_axis, galley__desc(t, d));
        return NULL;
    }
    int s = galley__axis(start_axis, t->ndim, op);
    int e = s < 0 ? -1 : galley__axis(end_axis, t->ndim, op);
    if (e < 0)
        return NULL;
    if (s > e) {
        galley__error(op, "start_axis %d comes after end_axis %d in t %s",
                      start_axis, end_axis, galley__desc(t, d));
        return NULL;
    }
    long shape[GALLEY_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (i <= s || i > e)
            shape[n++] = t->shape[i];
        else
            shape[n - 1] *= t->shape[i];
    }
    return galley_reshape(t, n, shape);
}
