/* tensor.c: the core of galley's tensors: errors, the pools behind tensor
 * headers and storage, scopes, creation, element access, views and casts.
 * The ops, autodiff and printing live in the other tensor_*.c files. */
#include "tensor_internal.h"

#include <ctype.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* ---- errors ---- */

static _Thread_local galley_error_cb S_on_error;
static _Thread_local void *S_on_error_data;

galley_error_cb galley_tensor_on_error(galley_error_cb cb, void *userdata)
{
    galley_error_cb prev = S_on_error;
    S_on_error = cb;
    S_on_error_data = userdata;
    return prev;
}

void galley__error(const char *op, const char *fmt, ...)
{
    char msg[1024];
    int n = snprintf(msg, sizeof msg, "%s: ", op);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (S_on_error) {
        S_on_error(msg, S_on_error_data);
        return;
    }
    /* Whatever the test printed so far goes out before the message, so the
     * two read in the order they happened. */
    fflush(stdout);
    fprintf(stderr, "galley: error: %s\n", msg);
    fflush(stderr);
    exit(1);
}

int galley__check(const galley_tensor *t, const char *op, const char *what)
{
    if (!t) {
        galley__error(op, "input %s is NULL", what);
        return -1;
    }
    if (t->magic != GALLEY__LIVE) {
        galley__error(op, "input %s was freed (by galley_tensor_free or the end of "
                      "its scope)", what);
        return -1;
    }
    return 0;
}

int galley__check_version(unsigned version, const char *op,
                          const char *type)
{
    char init[64];
    size_t i = 0;
    if (version == GALLEY_OPTIONS_VERSION)
        return 0;
    for (; type[i] && i + 6 < sizeof init; i++)
        init[i] = (char)toupper((unsigned char)type[i]);
    snprintf(init + i, sizeof init - i, "_INIT");
    galley__error(op, "options were not started from %s: write `%s o = "
                  "%s;` and set the fields (each is taken as given, 0 "
                  "included)", init, type, init);
    return -1;
}

int galley__check_float(const galley_tensor *t, const char *op,
                        const char *what)
{
    if (t->dtype == GALLEY_F32 || t->dtype == GALLEY_F64)
        return 0;
    char d[GALLEY__SHAPE_STR_MAX + 8];
    galley__error(op, "%s is %s; %s needs float32 or float64 (cast with "
                  "galley_tensor_to)", what, galley__desc(t, d), op);
    return -1;
}

char *galley__shape_str(int ndim, const long *shape,
                        char buf[GALLEY__SHAPE_STR_MAX])
{
    char *p = buf;
    *p++ = '[';
    for (int i = 0; i < ndim && i < GALLEY_MAX_DIMS; i++)
        p += sprintf(p, i ? ", %ld" : "%ld", shape[i]);
    *p++ = ']';
    *p = 0;
    return buf;
}

const char *galley_dtype_name(galley_dtype dtype)
{
    switch (dtype) {
    case GALLEY_F32: return "float32";
    case GALLEY_F64: return "float64";
    case GALLEY_I64: return "int64";
    }
    return "unknown-dtype";
}

char *galley__desc(const galley_tensor *t, char buf[GALLEY__SHAPE_STR_MAX + 8])
{
    int n = sprintf(buf, "%s ", galley_dtype_name(t->dtype));
    galley__shape_str(t->ndim, t->shape, buf + n);
    return buf;
}

size_t galley__elsize(galley_dtype dtype)
{
    return dtype == GALLEY_F32 ? 4 : 8;
}

void *galley__ptr(const galley_tensor *t)
{
    return (char *)t->st->data + (size_t)t->offset * galley__elsize(t->dtype);
}

int galley__check_shape(int ndim, const long *shape, const char *op)
{
    if (ndim < 0 || ndim > GALLEY_MAX_DIMS) {
        galley__error(op, "%d dimensions; a tensor has 0 to %d", ndim,
                      GALLEY_MAX_DIMS);
        return -1;
    }
    if (ndim > 0 && !shape) {
        galley__error(op, "shape is NULL for %d dimensions", ndim);
        return -1;
    }
    long numel = 1;
    for (int i = 0; i < ndim; i++) {
        char b[GALLEY__SHAPE_STR_MAX];
        if (shape[i] < 0) {
            galley__error(op, "negative size %ld in shape %s", shape[i],
                          galley__shape_str(ndim, shape, b));
            return -1;
        }
        if (shape[i] > 0 && numel > (1L << 50) / shape[i]) {
            galley__error(op, "shape %s is too large",
                          galley__shape_str(ndim, shape, b));
            return -1;
        }
        numel *= shape[i];
    }
    return 0;
}

/* Whether dtype is one of the three. */
static int S_check_dtype(galley_dtype dtype, const char *op)
{
    if (dtype == GALLEY_F32 || dtype == GALLEY_F64 || dtype == GALLEY_I64)
        return 0;
    galley__error(op, "unknown dtype %d", (int)dtype);
    return -1;
}

/* ---- pools: tensor headers, storage, scopes ----
 *
 * Headers are carved out of chunks that are never given back to malloc, so
 * that a freed tensor can always be read and recognized as DEAD. Freed
 * headers wait in a FIFO queue that is only drawn from once it holds a
 * whole chunk's worth: a stale pointer then stays DEAD for at least that
 * many frees. The pools are per thread, like the scopes. */

enum { S_CHUNK = 256 };

typedef struct S_tensor_chunk {
    struct S_tensor_chunk *next;
    galley_tensor t[S_CHUNK];
} S_tensor_chunk;

typedef struct S_storage_chunk {
    struct S_storage_chunk *next;
    galley__storage st[S_CHUNK];
} S_storage_chunk;

struct galley_scope {
    galley_scope *parent; /* NULL for the root and the innermost's parent */
    galley_tensor *head;  /* the tensors it owns, newest first */
    int open;
    galley_scope *next_free;
};

static _Thread_local S_tensor_chunk *S_tchunks;
static _Thread_local galley_tensor *S_tq_head, *S_tq_tail;
static _Thread_local size_t S_tq_len;
static _Thread_local S_storage_chunk *S_schunks;
static _Thread_local galley__storage *S_sfree;
static _Thread_local galley_scope S_root;
static _Thread_local galley_scope *S_cur; /* NULL: the root */
static _Thread_local galley_scope *S_scope_free;

static atomic_ulong S_next_id;
static atomic_size_t S_live_tensors;
static atomic_size_t S_live_bytes;

/* Adds a chunk of fresh headers to the queue. */
static void S_tensor_grow(void)
{
    S_tensor_chunk *c = galley__rt_xrealloc(NULL, sizeof *c);
    c->next = S_tchunks;
    S_tchunks = c;
    for (int i = 0; i < S_CHUNK; i++) {
        c->t[i].magic = GALLEY__DEAD;
        c->t[i].next = NULL;
        if (S_tq_tail)
            S_tq_tail->next = &c->t[i];
        else
            S_tq_head = &c->t[i];
        S_tq_tail = &c->t[i];
    }
    S_tq_len += S_CHUNK;
}

/* A zeroed header, LIVE, with a new id, counted live. */
static galley_tensor *S_tensor_alloc(void)
{
    if (S_tq_len <= S_CHUNK)
        S_tensor_grow();
    galley_tensor *t = S_tq_head;
    S_tq_head = t->next;
    if (!S_tq_head)
        S_tq_tail = NULL;
    S_tq_len--;
    memset(t, 0, sizeof *t);
    t->magic = GALLEY__LIVE;
    t->id = atomic_fetch_add_explicit(&S_next_id, 1, memory_order_relaxed) + 1;
    atomic_fetch_add_explicit(&S_live_tensors, 1, memory_order_relaxed);
    return t;
}

/* Marks t DEAD and queues its header for reuse, oldest first. */
static void S_tensor_release_header(galley_tensor *t)
{
    t->magic = GALLEY__DEAD;
    t->st = NULL;
    t->next = NULL;
    t->prev = NULL;
    t->scope = NULL;
    if (S_tq_tail)
        S_tq_tail->next = t;
    else
        S_tq_head = t;
    S_tq_tail = t;
    S_tq_len++;
    atomic_fetch_sub_explicit(&S_live_tensors, 1, memory_order_relaxed);
}

/* Device storage that is still live, newest first, for
 * galley__device_leak (per thread, as the pools). */
static _Thread_local galley__storage *S_dev_head;
static atomic_size_t S_device_bytes;

static void S_dev_link(galley__storage *st)
{
    st->dev_prev = NULL;
    st->dev_next = S_dev_head;
    if (S_dev_head)
        S_dev_head->dev_prev = st;
    S_dev_head = st;
    atomic_fetch_add_explicit(&S_device_bytes, st->nbytes,
                              memory_order_relaxed);
}

static void S_dev_unlink(galley__storage *st)
{
    if (st->dev_prev)
        st->dev_prev->dev_next = st->dev_next;
    else
        S_dev_head = st->dev_next;
    if (st->dev_next)
        st->dev_next->dev_prev = st->dev_prev;
    atomic_fetch_sub_explicit(&S_device_bytes, st->nbytes,
                              memory_order_relaxed);
}

/* Storage of nbytes from backend be, one reference; op names the op that
 * made it (for galley__device_leak). Device storage is counted in
 * galley_cuda_memory_in_use and given back to its backend with the last
 * reference: nothing is cached here, so the count is what the device
 * holds for galley's tensors. */
static galley__storage *S_storage_new(const galley__backend *be,
                                      size_t nbytes, const char *op)
{
    if (!S_sfree) {
        S_storage_chunk *c = galley__rt_xrealloc(NULL, sizeof *c);
        c->next = S_schunks;
        S_schunks = c;
        for (int i = 0; i < S_CHUNK; i++) {
            c->st[i].data = S_sfree;
            S_sfree = &c->st[i];
        }
    }
    galley__storage *st = S_sfree;
    S_sfree = st->data;
    st->be = be;
    st->data = st->be->alloc(nbytes);
    st->nbytes = nbytes;
    st->refs = 1;
    st->version = 0;
    st->op = op;
    if (be->device != GALLEY_CPU)
        S_dev_link(st);
    atomic_fetch_add_explicit(&S_live_bytes, nbytes, memory_order_relaxed);
    return st;
}

/* Drops one reference to st, freeing its data with the last one. */
static void S_storage_unref(galley__storage *st)
{
    if (--st->refs > 0)
        return;
    if (st->be->device != GALLEY_CPU)
        S_dev_unlink(st);
    st->be->free(st->data);
    atomic_fetch_sub_explicit(&S_live_bytes, st->nbytes, memory_order_relaxed);
    st->data = S_sfree;
    S_sfree = st;
}

size_t galley_cuda_memory_in_use(void)
{
    return atomic_load_explicit(&S_device_bytes, memory_order_relaxed);
}

size_t galley__device_leak(const char **first_op)
{
    const galley__storage *oldest = S_dev_head;
    while (oldest && oldest->dev_next)
        oldest = oldest->dev_next;
    if (first_op)
        *first_op = oldest ? oldest->op : NULL;
    return galley_cuda_memory_in_use();
}

/* The scope new tensors go to. */
static galley_scope *S_top(void)
{
    return S_cur ? S_cur : &S_root;
}

static void S_link(galley_tensor *t, galley_scope *s)
{
    t->scope = s;
    t->prev = NULL;
    t->next = s->head;
    if (s->head)
        s->head->prev = t;
    s->head = t;
}

static void S_unlink(galley_tensor *t)
{
    galley_scope *s = t->scope;
    if (!s)
        return;
    if (t->prev)
        t->prev->next = t->next;
    else
        s->head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->prev = t->next = NULL;
    t->scope = NULL;
}

/* Frees t and what it owns, whoever owned it. */
static void S_release(galley_tensor *t)
{
    if (!t || t->magic != GALLEY__LIVE)
        return;
    S_unlink(t);
    galley_tensor *grad = t->grad, *saved = t->saved;
    t->grad = t->saved = NULL;
    S_release(grad);
    S_release(saved);
    galley__free_inputs(t);
    free(t->name);
    t->name = NULL;
    if (t->st)
        S_storage_unref(t->st);
    S_tensor_release_header(t);
}

/* ---- tensors: making and freeing ---- */

void galley__set_contiguous(galley_tensor *t, int ndim, const long *shape)
{
    long n = 1;
    t->ndim = ndim;
    for (int i = ndim - 1; i >= 0; i--) {
        t->shape[i] = shape[i];
        t->strides[i] = n;
        n *= shape[i];
    }
    t->numel = n;
}

int galley__same_shape(const galley_tensor *t, int ndim, const long *shape)
{
    return t->ndim == ndim &&
           (ndim == 0 ||
            memcmp(t->shape, shape, (size_t)ndim * sizeof(long)) == 0);
}

/* A new contiguous tensor on backend be, owned by scope s (NULL: by
 * nobody). */
static galley_tensor *S_new(const galley__backend *be, galley_dtype dtype,
                            int ndim, const long *shape, const char *op,
                            galley_scope *s)
{
    if (S_check_dtype(dtype, op) || galley__check_shape(ndim, shape, op))
        return NULL;
    galley_tensor *t = S_tensor_alloc();
    t->dtype = dtype;
    galley__set_contiguous(t, ndim, shape);
    t->st = S_storage_new(be, (size_t)t->numel * galley__elsize(dtype), op);
    if (s)
        S_link(t, s);
    return t;
}

/* The backend of like, or of the device new tensors are made on. */
static const galley__backend *S_be_like(const galley_tensor *like)
{
    return like ? like->st->be : galley__backend_for(galley__make_device());
}

galley_tensor *galley__new(galley_dtype dtype, int ndim, const long *shape,
                           const char *op)
{
    return S_new(S_be_like(NULL), dtype, ndim, shape, op, S_top());
}

galley_tensor *galley__new_on(const galley__backend *be, galley_dtype dtype,
                              int ndim, const long *shape, const char *op)
{
    return S_new(be, dtype, ndim, shape, op, S_top());
}

galley_tensor *galley__new_like(const galley_tensor *like, galley_dtype dtype,
                                int ndim, const long *shape, const char *op)
{
    return S_new(S_be_like(like), dtype, ndim, shape, op, S_top());
}

galley_tensor *galley__new_owned(const galley_tensor *like,
                                 galley_dtype dtype, int ndim,
                                 const long *shape)
{
    return S_new(S_be_like(like), dtype, ndim, shape,
                 "a gradient or optimizer state", NULL);
}

void galley__free_owned(galley_tensor *t)
{
    S_release(t);
}

galley_tensor *galley__disown(galley_tensor *t)
{
    S_unlink(t);
    return t;
}

galley_tensor *galley__view(galley_tensor *base, int ndim, const long *shape,
                            const long *strides, long offset)
{
    galley_tensor *t = S_tensor_alloc();
    t->dtype = base->dtype;
    t->ndim = ndim;
    long n = 1;
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = shape[i];
        t->strides[i] = strides[i];
        n *= shape[i];
    }
    t->numel = n;
    t->offset = offset;
    t->st = base->st;
    t->st->refs++;
    S_link(t, S_top());
    return t;
}

void galley_tensor_free(galley_tensor *t)
{
    if (!t)
        return;
    if (galley__check(t, "galley_tensor_free", "t"))
        return;
    if (!t->scope) {
        galley__error("galley_tensor_free", "t is owned by another tensor (a "
                      "gradient) or by an optimizer, which frees it");
        return;
    }
    S_release(t);
}

/* ---- scopes and counts ---- */

galley_scope *galley_scope_begin(void)
{
    galley_scope *s = S_scope_free;
    if (s)
        S_scope_free = s->next_free;
    else
        s = galley__rt_xrealloc(NULL, sizeof *s);
    s->parent = S_cur;
    s->head = NULL;
    s->open = 1;
    s->next_free = NULL;
    S_cur = s;
    return s;
}

/* Frees every tensor s owns. */
static void S_scope_clear(galley_scope *s)
{
    while (s->head)
        S_release(s->head);
}

/* Closes the innermost scope and keeps its struct for reuse. */
static void S_scope_pop(void)
{
    galley_scope *s = S_cur;
    S_scope_clear(s);
    S_cur = s->parent;
    s->open = 0;
    s->next_free = S_scope_free;
    S_scope_free = s;
}

void galley_scope_end(galley_scope *s)
{
    if (!s) {
        galley__error("galley_scope_end", "scope is NULL");
        return;
    }
    if (s != S_cur) {
        for (galley_scope *p = S_cur; p; p = p->parent)
            if (p == s) {
                galley__error("galley_scope_end", "scope is not the "
                              "innermost open scope; end the scopes opened "
                              "inside it first");
                return;
            }
        galley__error("galley_scope_end", "scope is not open (ended "
                      "already?)");
        return;
    }
    S_scope_pop();
}

galley_tensor *galley_tensor_keep(galley_tensor *t)
{
    if (galley__check(t, "galley_tensor_keep", "t"))
        return NULL;
    if (!t->scope) {
        galley__error("galley_tensor_keep", "t is owned by another tensor (a "
                      "gradient) or by an optimizer");
        return NULL;
    }
    if (t->scope == &S_root)
        return t;
    galley_scope *to = t->scope->parent ? t->scope->parent : &S_root;
    S_unlink(t);
    S_link(t, to);
    return t;
}

void galley_tensor_free_all(void)
{
    while (S_cur)
        S_scope_pop();
    S_scope_clear(&S_root);
}

size_t galley_live_tensors(void)
{
    return atomic_load_explicit(&S_live_tensors, memory_order_relaxed);
}

size_t galley_live_bytes(void)
{
    return atomic_load_explicit(&S_live_bytes, memory_order_relaxed);
}

/* ---- shapes and broadcasting ---- */

int galley__axis(int axis, int ndim, const char *op)
{
    int a = axis < 0 ? axis + ndim : axis;
    if (a < 0 || a >= ndim) {
        galley__error(op, "axis %d out of range for a tensor of %d "
                      "dimensions", axis, ndim);
        return -1;
    }
    return a;
}

int galley__broadcast(const galley_tensor *a, const galley_tensor *b,
                      int *ndim, long shape[GALLEY_MAX_DIMS], const char *op)
{
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < n; i++) {
        int ia = i - (n - a->ndim), ib = i - (n - b->ndim);
        long sa = ia >= 0 ? a->shape[ia] : 1;
        long sb = ib >= 0 ? b->shape[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            char x[GALLEY__SHAPE_STR_MAX], y[GALLEY__SHAPE_STR_MAX];
            galley__error(op, "shapes %s and %s cannot be broadcast",
                          galley__shape_str(a->ndim, a->shape, x),
                          galley__shape_str(b->ndim, b->shape, y));
            return -1;
        }
        shape[i] = sa == 1 ? sb : sa;
    }
    *ndim = n;
    return 0;
}

void galley__expand(const galley_tensor *t, int ndim, const long *shape,
                    galley_tensor *out)
{
    out->magic = t->magic;
    out->dtype = t->dtype;
    out->st = t->st;
    out->offset = t->offset;
    out->id = t->id;
    out->ndim = ndim;
    long n = 1;
    for (int i = 0; i < ndim; i++) {
        int j = i - (ndim - t->ndim);
        out->shape[i] = shape[i];
        out->strides[i] = j < 0 || (t->shape[j] == 1 && shape[i] != 1)
                              ? 0 : t->strides[j];
        n *= shape[i];
    }
    out->numel = n;
}

void galley__bump_version(galley_tensor *t)
{
    t->st->version++;
}

const galley__backend *galley__backend_of(const galley_tensor *t)
{
    return t->st->be;
}

/* ---- creation ---- */

galley_tensor *galley_full(galley_dtype dtype, int ndim, const long *shape,
                           double value)
{
    galley_tensor *t = galley__new(dtype, ndim, shape, "galley_full");
    if (t)
        t->st->be->fill(t, value);
    return t;
}

galley_tensor *galley_zeros(galley_dtype dtype, int ndim, const long *shape)
{
    galley_tensor *t = galley__new(dtype, ndim, shape, "galley_zeros");
    if (t && t->st->be->device == GALLEY_CPU)
        memset(t->st->data, 0, t->st->nbytes);
    else if (t)
        t->st->be->fill(t, 0.0);
    return t;
}

galley_tensor *galley_ones(galley_dtype dtype, int ndim, const long *shape)
{
    galley_tensor *t = galley__new(dtype, ndim, shape, "galley_ones");
    if (t)
        t->st->be->fill(t, 1.0);
    return t;
}

galley_tensor *galley_scalar(galley_dtype dtype, double value)
{
    galley_tensor *t = galley__new(dtype, 0, NULL, "galley_scalar");
    if (t)
        t->st->be->fill(t, value);
    return t;
}

/* ---- shape, elements and data ---- */

galley_dtype galley_dtype_of(const galley_tensor *t)
{
    if (galley__check(t, "galley_dtype_of", "t"))
        return (galley_dtype)0;
    return t->dtype;
}

int galley_ndim(const galley_tensor *t)
{
    if (galley__check(t, "galley_ndim", "t"))
        return -1;
    return t->ndim;
}

long galley_dim(const galley_tensor *t, int axis)
{
    if (galley__check(t, "galley_dim", "t"))
        return -1;
    int a = galley__axis(axis, t->ndim, "galley_dim");
    return a < 0 ? -1 : t->shape[a];
}

const long *galley_shape(const galley_tensor *t)
{
    if (galley__check(t, "galley_shape", "t"))
        return NULL;
    return t->shape;
}

long galley_numel(const galley_tensor *t)
{
    if (galley__check(t, "galley_numel", "t"))
        return -1;
    return t->numel;
}

/* The element at p of dtype, as a double. */
static double S_load(galley_dtype dtype, const void *p)
{
    switch (dtype) {
    case GALLEY_F32: return *(const float *)p;
    case GALLEY_F64: return *(const double *)p;
    case GALLEY_I64: return (double)*(const int64_t *)p;
    }
    return NAN;
}

/* Stores value at p, rounded to dtype. */
static void S_store(galley_dtype dtype, void *p, double v)
{
    switch (dtype) {
    case GALLEY_F32: *(float *)p = (float)v; break;
    case GALLEY_F64: *(double *)p = v; break;
    case GALLEY_I64: *(int64_t *)p = galley__to_i64(v); break;
    }
}

/* The element at p (an address in t's storage, maybe on a device), as a
 * double: a device's element comes through its download. */
static double S_load_of(const galley_tensor *t, const void *p)
{
    int64_t buf;
    if (t->st->be->device == GALLEY_CPU)
        return S_load(t->dtype, p);
    t->st->be->download(&buf, p, galley__elsize(t->dtype));
    return S_load(t->dtype, &buf);
}

/* Stores v at p in t's storage, through the upload of t's device. */
static void S_store_of(galley_tensor *t, void *p, double v)
{
    int64_t buf;
    if (t->st->be->device == GALLEY_CPU) {
        S_store(t->dtype, p, v);
        return;
    }
    S_store(t->dtype, &buf, v);
    t->st->be->upload(p, &buf, galley__elsize(t->dtype));
}

/* The address of the element at index, or NULL after a reported error. */
static void *S_elem(const galley_tensor *t, int ndim, const long *index,
                    const char *op)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (ndim != t->ndim || (ndim > 0 && !index)) {
        galley__error(op, "the index has %d values; %s needs %d, one per "
                      "axis", ndim, galley__desc(t, d), t->ndim);
        return NULL;
    }
    long off = t->offset;
    for (int i = 0; i < ndim; i++) {
        long k = index[i] < 0 ? index[i] + t->shape[i] : index[i];
        if (k < 0 || k >= t->shape[i]) {
            galley__error(op, "index %ld out of range for axis %d of %s",
                          index[i], i, galley__desc(t, d));
            return NULL;
        }
        off += k * t->strides[i];
    }
    return (char *)t->st->data + (size_t)off * galley__elsize(t->dtype);
}

double galley_item(const galley_tensor *t)
{
    if (galley__check(t, "galley_item", "t"))
        return NAN;
    if (t->numel != 1) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error("galley_item", "%s has %ld elements; galley_item needs "
                      "exactly one", galley__desc(t, d), t->numel);
        return NAN;
    }
    return S_load_of(t, galley__ptr(t));
}

double galley_tensor_get(const galley_tensor *t, int ndim, const long *index)
{
    if (galley__check(t, "galley_tensor_get", "t"))
        return NAN;
    void *p = S_elem(t, ndim, index, "galley_tensor_get");
    return p ? S_load_of(t, p) : NAN;
}

void galley_tensor_set(galley_tensor *t, int ndim, const long *index, double value)
{
    if (galley__check(t, "galley_tensor_set", "t"))
        return;
    void *p = S_elem(t, ndim, index, "galley_tensor_set");
    if (!p)
        return;
    S_store_of(t, p, value);
    galley__bump_version(t);
}

int galley_is_contiguous(const galley_tensor *t)
{
    if (galley__check(t, "galley_is_contiguous", "t"))
        return 0;
    long n = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] == 0)
            return 1;
        if (t->shape[i] != 1 && t->strides[i] != n)
            return 0;
        n *= t->shape[i];
    }
    return 1;
}

void *galley_tensor_data(galley_tensor *t)
{
    if (galley__check(t, "galley_tensor_data", "t") ||
        galley__check_host(t, "galley_tensor_data", "t"))
        return NULL;
    if (!galley_is_contiguous(t)) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error("galley_tensor_data", "%s is not contiguous (a transposed or "
                      "sliced view); make a contiguous copy with "
                      "galley_contiguous", galley__desc(t, d));
        return NULL;
    }
    galley__bump_version(t);
    return galley__ptr(t);
}
