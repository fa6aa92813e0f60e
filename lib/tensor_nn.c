/* tensor_nn.c: matrix products through the backend's gemm (OpenBLAS on the
 * CPU), softmax and log-softmax along an axis, and the losses (cross-entropy,
 * mean squared error), each with its backward pass. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


/* ---- matrix products ---- */

/* h (a stack header, not a tensor to free) with its last two axes swapped:
 * the transpose of each matrix of a batch. */
static void S_swap_last(galley_tensor *h)
{
    int i = h->ndim - 2, j = h->ndim - 1;
    long s = h->shape[i], st = h->strides[i];
    h->shape[i] = h->shape[j];
    h->strides[i] = h->strides[j];
    h->shape[j] = s;
    h->strides[j] = st;
}

/* A stack header of t seen as a matrix (or a batch of them): a 1-d first
 * operand becomes a row [1, k], a 1-d second one a column [k, 1]. */
static void S_as_matrix(const galley_tensor *t, int first, galley_tensor *h)
{
    *h = *t;
    if (t->ndim != 1)
        return;
    h->ndim = 2;
    if (first) {
        h->shape[0] = 1;
        h->strides[0] = 0;
        h->shape[1] = t->shape[0];
        h->strides[1] = t->strides[0];
    } else {
        h->shape[0] = t->shape[0];
        h->strides[0] = t->strides[0];
        h->shape[1] = 1;
        h->strides[1] = 0;
    }
}

/* How gemm reads the matrices of h: *trans and *ld, or -1 when their
 * strides suit neither layout (then a contiguous copy is made). */
static int S_blas_layout(const galley_tensor *h, int *trans, long *ld)
{
    long rows = h->shape[h->ndim - 2], cols = h->shape[h->ndim - 1];
    long rs = h->strides[h->ndim - 2], cs = h->strides[h->ndim - 1];
    if (rows == 0 || cols == 0) {
        /* No element is read: any layout will do (a [m, 0] tensor has
         * row stride 0, which neither test below accepts). */
        *trans = 0;
        *ld = cols > 1 ? cols : 1;
        return 0;
    }
    if (rows <= 1)
        rs = cols; /* never stepped over */
    if (cols <= 1)
        cs = 1;
    if (cs == 1 && rs >= (cols > 1 ? cols : 1)) {
        *trans = 0;
        *ld = rs;
        return 0;
    }
    if (rows <= 1)
        rs = 1;
    if (rs == 1 && cs >= (rows > 1 ? rows : 1)) {
        *trans = 1;
        *ld = cs;
        return 0;
    }
    return -1;
}

/* The batched product of the matrix stacks a [..., m, k] and b [..., k, n]
 * (headers of ndim >= 2; batch axes broadcast) into a new contiguous tensor
 * [batch..., m, n] of the current scope; no graph recorded. */
static galley_tensor *S_mm(const galley_tensor *a, const galley_tensor *b,
                           const char *op, const galley_tensor *ua,
                           const galley_tensor *ub)
{
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    long m = a->shape[a->ndim - 2], k = a->shape[a->ndim - 1];
    long n = b->shape[b->ndim - 1];
    if (b->shape[b->ndim - 2] != k) {
        galley__error(op, "%s and %s: the inner sizes %ld and %ld differ",
                      galley__desc(ua, x), galley__desc(ub, y), k,
                      b->shape[b->ndim - 2]);
        return NULL;
    }
    /* The batch axes, broadcast as numpy's matmul does. */
    int na = a->ndim - 2, nb = b->ndim - 2, nd = na > nb ? na : nb;
    long shape[GALLEY_MAX_DIMS], sa[GALLEY_MAX_DIMS], sb[GALLEY_MAX_DIMS];
    for (int i = 0; i < nd; i++) {
        int ia = i - (nd - na), ib = i - (nd - nb);
        long da = ia >= 0 ? a->shape[ia] : 1, db = ib >= 0 ? b->shape[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            galley__error(op, "%s and %s: the batch axes cannot be broadcast",
                          galley__desc(ua, x), galley__desc(ub, y));
            return NULL;
        }
        shape[i] = da == 1 ? db : da;
        sa[i] = ia >= 0 && da != 1 ? a->strides[ia] : 0;
        sb[i] = ib >= 0 && db != 1 ? b->strides[ib] : 0;
    }
    shape[nd] = m;
    shape[nd + 1] = n;
    galley_tensor *out = galley__new_like(a, a->dtype, nd + 2, shape, op);
    if (!out)
        return NULL;
    const galley__backend *be = galley__backend_of(out);

    /* Matrices whose strides BLAS cannot take are copied first. */
    galley_tensor *ca = NULL, *cb = NULL;
    int ta, tb;
    long lda, ldb;
    if (S_blas_layout(a, &ta, &lda) < 0) {
        ca = galley__new_owned(a, a->dtype, a->ndim, a->shape);
        be->copy(ca, a);
        a = ca;
        S_blas_layout(a, &ta, &lda);
        for (int i = 0; i < nd; i++) {
            int ia = i - (nd - na);
            sa[i] = ia >= 0 && a->shape[ia] != 1 ? a->strides[ia] : 0;
        }
    }
    if (S_blas_layout(b, &tb, &ldb) < 0) {
        cb = galley__new_owned(b, b->dtype, b->ndim, b->shape);
        be->copy(cb, b);
        b = cb;
        S_blas_layout(b, &tb, &ldb);
        for (int i = 0; i < nd; i++) {
            int ib = i - (nd - nb);
            sb[i] = ib >= 0 && b->shape[ib] != 1 ? b->strides[ib] : 0;
        }
    }

    size_t es = galley__elsize(a->dtype);
    long batches = 1, idx[GALLEY_MAX_DIMS] = {0};
    for (int i = 0; i < nd; i++)
        batches *= shape[i];
    char *pa = galley__ptr(a), *pb = galley__ptr(b), *pc = galley__ptr(out);
    long oa = 0, ob = 0;
    for (long t = 0; t < batches; t++) {
        be->gemm(a->dtype, ta, tb, m, n, k, pa + oa * (long)es, lda,
                 pb + ob * (long)es, ldb, 0.0, pc + t * m * n * (long)es, n);
        /* The next batch index, row-major. */
        for (int i = nd - 1; i >= 0; i--) {
            oa += sa[i];
            ob += sb[i];
            if (++idx[i] < shape[i])
                break;
            oa -= sa[i] * shape[i];
            ob -= sb[i] * shape[i];
            idx[i] = 0;
        }
    }
    galley__free_owned(ca);
    galley__free_owned(cb);
    return out;
}

/* Gives the contiguous t a shape of the same elements with axis removed
 * (a size-1 axis), in place. */
static void S_drop_axis(galley_tensor *t, int axis)
{
    long shape[GALLEY_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < t->ndim; i++)
        if (i != axis)
            shape[nd++] = t->shape[i];
    galley__set_contiguous(t, nd, shape);
}

/* Adds the product x y (2-d, x [m, k], y [k, n]) into t's gradient with
 * one gemm (beta 1; beta 0 into a new gradient) instead of a product and
 * an add: the weight gradients of a layer. Returns 0 when done, -1 when
 * the shapes or layouts want the general path. */
static int S_mm_into_grad(galley_tensor *t, const galley_tensor *x,
                          const galley_tensor *y)
{
    int tx, ty;
    long ldx, ldy, m = x->shape[0], k = x->shape[1], n = y->shape[1];
    galley_tensor *gr = t->grad;
    if (t->ndim != 2 || x->ndim != 2 || y->ndim != 2 || y->shape[0] != k ||
        t->shape[0] != m || t->shape[1] != n || x->dtype != t->dtype ||
        y->dtype != t->dtype || S_blas_layout(x, &tx, &ldx) < 0 ||
        S_blas_layout(y, &ty, &ldy) < 0)
        return -1;
    if (gr && (gr->st->refs > 1 || !galley_is_contiguous(gr)))
        return -1;
    if (!gr)
        gr = galley__new_owned(t, t->dtype, 2, t->shape);
    galley__backend_of(t)->gemm(t->dtype, tx, ty, m, n, k, galley__ptr(x),
                                ldx, galley__ptr(y), ldy, t->grad ? 1.0 : 0.0,
                                galley__ptr(gr), n);
    t->grad = gr;
    return 0;
}

/* d(AB)/dA = G B^T, d(AB)/dB = A^T G, with the axes that 1-d operands
 * dropped put back in G, and the broadcast batch axes summed away by
 * accum_grad. */
static void S_matmul_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0], *b = out->in[1];
    galley_tensor ha, hb, hg = *g;
    S_as_matrix(a, 1, &ha);
    S_as_matrix(b, 0, &hb);
    /* G as [batch..., m, n]: the axes of 1-d operands put back. */
    int nbatch = g->ndim - (a->ndim > 1) - (b->ndim > 1);
    long shape[GALLEY_MAX_DIMS];
    memcpy(shape, g->shape, (size_t)nbatch * sizeof *shape);
    shape[nbatch] = a->ndim == 1 ? 1 : a->shape[a->ndim - 2];
    shape[nbatch + 1] = b->ndim == 1 ? 1 : b->shape[b->ndim - 1];
    galley__set_contiguous(&hg, nbatch + 2, shape);
    GALLEY__BACKWARD_BEGIN;
    if (a->requires_grad) {
        galley_tensor bt = hb;
        S_swap_last(&bt);
        if (S_mm_into_grad(a, &hg, &bt) < 0) {
            galley_tensor *da = S_mm(&hg, &bt, "matmul", &hg, &bt);
            if (da && a->ndim == 1)
                S_drop_axis(da, da->ndim - 2);
            if (da)
                galley__accum_grad(a, da);
        }
    }
    if (b->requires_grad) {
        galley_tensor at = ha;
        S_swap_last(&at);
        if (S_mm_into_grad(b, &at, &hg) < 0) {
            galley_tensor *db = S_mm(&at, &hg, "matmul", &at, &hg);
            if (db && b->ndim == 1)
                S_drop_axis(db, db->ndim - 1);
            if (db)
                galley__accum_grad(b, db);
        }
    }
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_matmul_def = {"matmul", S_matmul_backward, NULL};

galley_tensor *galley_matmul(galley_tensor *a, galley_tensor *b)
{
    const char *op = "galley_matmul";
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(a, op, "a") || galley__check(b, op, "b") ||
        galley__check_float(a, op, "a") || galley__check_float(b, op, "b") ||
        galley__check_same_dtype(a, b, op))
        return NULL;
    if (a->ndim == 0 || b->ndim == 0) {
        galley__error(op, "%s and %s: matmul needs operands of 1 or more "
                      "dimensions (use galley_mul for scalars)",
                      galley__desc(a, x), galley__desc(b, y));
        return NULL;
    }
    galley_tensor ha, hb;
    S_as_matrix(a, 1, &ha);
    S_as_matrix(b, 0, &hb);
    galley_tensor *out = S_mm(&ha, &hb, op, a, b);
    if (!out)
        return NULL;
    if (a->ndim == 1)
        S_drop_axis(out, out->ndim - 2);
    if (b->ndim == 1)
        S_drop_axis(out, out->ndim - 1);
    galley__record(out, &S_matmul_def, 2, (galley_tensor *const[]){a, b});
    return out;
}

/* ---- softmax and log-softmax ---- */

/* The parts of a stable (log-)softmax along ax, each kept as a size-1 axis
 * where reduced: *shifted = t - m with m the max, *e = exp(t - m) when e is
 * not NULL, and the result, sum(exp(t - m)). log_softmax is then
 * shifted - log(sum): t - (m + log(sum)) would round to the ulp of m (3e-5
 * for float32 logits near 1000), where torch is exact. A row of -inf gives
 * NaN, as in torch. The caller frees what it gets. No graph recorded. */
static galley_tensor *S_shifted_exp_sum(const galley_tensor *t, int ax,
                                        galley_tensor **shifted,
                                        galley_tensor **e, const char *op)
{
    galley_tensor *m = galley__reduce_new(GALLEY__RMAX, t, ax, 1, op);
    galley_tensor *sh = galley__binary_new(GALLEY__SUB, t, m, op);
    galley_tensor *ex = galley__unary_new(GALLEY__EXP, sh, 0.0, op);
    galley_tensor *s = galley__reduce_new(GALLEY__RSUM, ex, ax, 1, op);
    galley_tensor_free(m);
    if (e)
        *e = ex;
    else
        galley_tensor_free(ex);
    *shifted = sh;
    return s;
}

/* softmax: dx = y * (g - sum(g * y)) along the axis. */
static void S_softmax_backward(galley_tensor *out, galley_tensor *g)
{
    int ax = (int)out->larg[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *gy = galley_sum(galley_mul(g, out), ax, 1);
    galley__accum_grad(out->in[0], galley_mul(out, galley_sub(g, gy)));
    GALLEY__BACKWARD_END;
}

/* log_softmax: dx = g - exp(y) * sum(g) along the axis. */
static void S_log_softmax_backward(galley_tensor *out, galley_tensor *g)
{
    int ax = (int)out->larg[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *p = galley_exp(out);
    galley__accum_grad(out->in[0],
                       galley_sub(g, galley_mul(p, galley_sum(g, ax, 1))));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_softmax_def = {"softmax", S_softmax_backward,
                                            galley__axis_args};
static const galley__opdef S_log_softmax_def = {
    "log_softmax", S_log_softmax_backward, galley__axis_args};

/* softmax (log_ false) or log_softmax (log_ true) of t along axis. */
static galley_tensor *S_softmax(galley_tensor *t, int axis, int log_,
                                const char *op)
{
    if (galley__check(t, op, "t") || galley__check_float(t, op, "t"))
        return NULL;
    int ax = galley__axis(axis, t->ndim, op);
    if (ax < 0)
        return NULL;
    galley_tensor *out;
    if (t->numel == 0) {
        out = galley__new_like(t, t->dtype, t->ndim, t->shape, op);
    } else {
        galley_tensor *sh, *e;
        galley_tensor *s = S_shifted_exp_sum(t, ax, &sh, &e, op);
        if (log_) {
            galley_tensor *l = galley__unary_new(GALLEY__LOG, s, 0.0, op);
            out = galley__binary_new(GALLEY__SUB, sh, l, op);
            galley_tensor_free(l);
        } else {
            /* exp(t - m) / sum, as the forward torch computes; exp(t - lse)
             * would differ in the last bits. */
            out = galley__binary_new(GALLEY__DIV, e, s, op);
        }
        galley_tensor_free(sh);
        galley_tensor_free(e);
        galley_tensor_free(s);
    }
    if (!out)
        return NULL;
    galley__record(out, log_ ? &S_log_softmax_def : &S_softmax_def, 1, &t);
    out->larg[0] = ax;
    return out;
}

galley_tensor *galley_softmax(galley_tensor *t, int axis)
{
    return S_softmax(t, axis, 0, "galley_softmax");
}

galley_tensor *galley_log_softmax(galley_tensor *t, int axis)
{
    return S_softmax(t, axis, 1, "galley_log_softmax");
}

/* ---- losses ---- */

/* The one-hot rows [n, c] (in dtype) of the class indices target [n], or
 * NULL after reporting an index out of [0, c). The indices are checked on
 * the host (a device's are downloaded first: staged); the rows are made
 * by the kernels on target's device. */
static galley_tensor *S_one_hot(const galley_tensor *target, long c,
                                galley_dtype dtype, const char *op)
{
    long n = target->shape[0];
    galley_tensor *ht = galley__on_host(target);
    const int64_t *p = galley__ptr(ht);
    for (long i = 0; i < n; i++) {
        int64_t v = p[i * ht->strides[0]];
        if (v < 0 || v >= c) {
            galley__error(op, "target[%ld] is %lld, not a class index in "
                          "[0, %ld)", i, (long long)v, c);
            if (ht != target)
                galley_tensor_free(ht);
            return NULL;
        }
    }
    if (ht != target)
        galley_tensor_free(ht);
    /* (target as a float column) == (0, 1, ..., c-1), broadcast. */
    galley_tensor col = *target;
    col.ndim = 2;
    col.shape[1] = 1;
    col.strides[1] = 0;
    galley_tensor *idx = galley__new_like(target, dtype, 2, col.shape, op);
    galley__backend_of(idx)->copy(idx, &col);
    galley_tensor *pos =
        galley__follow(galley_arange(dtype, 0, (double)c, 1), target);
    galley_tensor *hot = galley__binary_new(GALLEY__EQ, idx, pos, op);
    galley_tensor_free(idx);
    galley_tensor_free(pos);
    return hot;
}

/* The entries lsm[i, target[i]] of the contiguous [n, c] lsm, as a new
 * tensor [n]: the log-probabilities of the targets (indices checked by
 * S_one_hot). Picking them, rather than summing one-hot * lsm, keeps the
 * -inf of a masked class that is not the target out of the loss, where 0 *
 * -inf would make it NaN (torch's nll_loss picks too). Read on the host, as
 * S_one_hot reads the indices: on a device, staged (lsm and target
 * downloaded, the picks uploaded). */
static galley_tensor *S_pick(const galley_tensor *lsm,
                             const galley_tensor *target, const char *op)
{
    long n = lsm->shape[0], c = lsm->shape[1];
    galley_tensor *hl = galley__on_host(lsm), *ht = galley__on_host(target);
    galley_tensor *out = galley__new_like(hl, lsm->dtype, 1, &n, op);
    if (out) {
        size_t es = galley__elsize(lsm->dtype);
        const int64_t *k = galley__ptr(ht);
        const char *from = galley__ptr(hl);
        char *to = galley__ptr(out);
        for (long i = 0; i < n; i++)
            memcpy(to + (size_t)i * es,
                   from + (size_t)(i * c + k[i * ht->strides[0]]) * es, es);
    }
    if (hl != lsm)
        galley_tensor_free(hl);
    if (ht != target)
        galley_tensor_free(ht);
    return galley__follow(out, lsm);
}

/* The class distribution of cross_entropy's target: in[1] itself when it
 * is float, else the one-hot rows kept in saved. */
static galley_tensor *S_target_dist(galley_tensor *out)
{
    return out->saved ? out->saved : out->in[1];
}

/* d/dz of -sum(T * log_softmax(z)) / n = (softmax(z) * rowsum(T) - T) / n;
 * d/dT = -log_softmax(z) / n. Both times g. */
static void S_cross_entropy_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *z = out->in[0], *tgt = out->in[1];
    galley_tensor *T = S_target_dist(out);
    double n = (double)z->shape[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *lsm = galley_log_softmax(z, 1);
    galley_tensor *gn = galley_mul_scalar(g, 1.0 / n);
    if (z->requires_grad) {
        galley_tensor *p = galley_mul(galley_exp(lsm), galley_sum(T, 1, 1));
        galley__accum_grad(z, galley_mul(galley_sub(p, T), gn));
    }
    if (!out->saved && tgt->requires_grad)
        galley__accum_grad(tgt, galley_mul(galley_neg(lsm), gn));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_cross_entropy_def = {
    "cross_entropy", S_cross_entropy_backward, NULL};

galley_tensor *galley_cross_entropy(galley_tensor *logits,
                                    galley_tensor *target)
{
    const char *op = "galley_cross_entropy";
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(logits, op, "logits") ||
        galley__check(target, op, "target") ||
        galley__check_devices(logits, target, op, "logits", "target") ||
        galley__check_float(logits, op, "logits"))
        return NULL;
    if (logits->ndim != 2) {
        galley__error(op, "logits %s: needs [n, c], a row of class scores "
                      "per sample", galley__desc(logits, x));
        return NULL;
    }
    long n = logits->shape[0], c = logits->shape[1];
    galley_tensor *hot = NULL;
    if (target->dtype == GALLEY_I64) {
        if (target->ndim != 1 || target->shape[0] != n) {
            galley__error(op, "logits %s and target %s: class indices need "
                          "the shape [%ld]", galley__desc(logits, x),
                          galley__desc(target, y), n);
            return NULL;
        }
        hot = S_one_hot(target, c, logits->dtype, op);
        if (!hot)
            return NULL;
    } else if (target->ndim != 2 || target->shape[0] != n ||
               target->shape[1] != c) {
        galley__error(op, "logits %s and target %s: class probabilities "
                      "need the logits' shape (or int64 [%ld] of class "
                      "indices)", galley__desc(logits, x),
                      galley__desc(target, y), n);
        return NULL;
    }
    galley_tensor *sh, *se = S_shifted_exp_sum(logits, 1, &sh, NULL, op);
    galley_tensor *ls = galley__unary_new(GALLEY__LOG, se, 0.0, op);
    galley_tensor *lsm = galley__binary_new(GALLEY__SUB, sh, ls, op);
    galley_tensor_free(sh);
    galley_tensor_free(se);
    galley_tensor *tl = hot ? S_pick(lsm, target, op)
                            : galley__binary_new(GALLEY__MUL, target, lsm, op);
    galley_tensor *s = galley__reduce_new(GALLEY__RSUM, tl, -1, 0, op);
    galley_tensor *out = galley__unary_new(GALLEY__MUL_SCALAR, s,
                                           -1.0 / (double)n, op);
    galley_tensor_free(ls);
    galley_tensor_free(lsm);
    galley_tensor_free(tl);
    galley_tensor_free(s);
    galley__record(out, &S_cross_entropy_def, 2,
                   (galley_tensor *const[]){logits, target});
    if (hot && out->op)
        out->saved = galley__disown(hot);
    else
        galley_tensor_free(hot);
    return out;
}

/* d mean((a-b)^2) = 2 (a - b) g / N, and its negative for b, N the
 * number of elements of the broadcast shape (darg[0]); accum_grad sums the
 * broadcast axes away, each operand's gradient in its own dtype. */
static void S_mse_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0], *b = out->in[1];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *d = galley_mul(galley_sub(a, b),
                                  galley_mul_scalar(g, 2.0 / out->darg[0]));
    galley__accum_grad(a, d);
    if (b->requires_grad)
        galley__accum_grad(b, galley_neg(d));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_mse_def = {"mse", S_mse_backward, NULL};

galley_tensor *galley_mse(galley_tensor *a, galley_tensor *b)
{
    const char *op = "galley_mse";
    if (galley__check_arith(a, b, op))
        return NULL;
    /* Broadcast (and promoted) as torch's mse_loss, which warns. */
    galley_tensor *d = galley__binary_new(GALLEY__SUB, a, b, op);
    if (!d)
        return NULL;
    double count = (double)d->numel;
    galley_tensor *sq = galley__binary_new(GALLEY__MUL, d, d, op);
    galley_tensor *s = galley__reduce_new(GALLEY__RSUM, sq, -1, 0, op);
    galley_tensor *out = galley__div_scalar_new(s, count, op);
    galley_tensor_free(d);
    galley_tensor_free(sq);
    galley_tensor_free(s);
    galley__record(out, &S_mse_def, 2, (galley_tensor *const[]){a, b});
    out->darg[0] = count;
    return out;
}

/* ---- more losses: nll, l1, huber, binary cross-entropy ---- */

/* d/d logp of -sum(T * logp) / n = -T g / n, with T the one-hot rows kept
 * in saved. */
static void S_nll_backward(galley_tensor *out, galley_tensor *g)
{
    double n = (double)out->in[0]->shape[0];
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0],
                       galley_mul(out->saved, galley_mul_scalar(g, -1.0 / n)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_nll_def = {"nll_loss", S_nll_backward, NULL};

galley_tensor *galley_nll_loss(galley_tensor *logp, galley_tensor *target)
{
    const char *op = "galley_nll_loss";
    char x[GALLEY__SHAPE_STR_MAX + 8], y[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(logp, op, "logp") ||
        galley__check(target, op, "target") ||
        galley__check_devices(logp, target, op, "logp", "target") ||
        galley__check_float(logp, op, "logp"))
        return NULL;
    if (logp->ndim != 2 || target->dtype != GALLEY_I64 || target->ndim != 1 ||
        target->shape[0] != logp->shape[0]) {
        galley__error(op, "logp %s and target %s: needs logp [n, c] and "
                      "int64 class indices [n]", galley__desc(logp, x),
                      galley__desc(target, y));
        return NULL;
    }
    galley_tensor *hot = S_one_hot(target, logp->shape[1], logp->dtype, op);
    if (!hot)
        return NULL;
    galley_tensor *tl = galley__binary_new(GALLEY__MUL, hot, logp, op);
    galley_tensor *s = galley__reduce_new(GALLEY__RSUM, tl, -1, 0, op);
    galley_tensor *out = galley__div_scalar_new(s, -(double)logp->shape[0], op);
    galley_tensor_free(tl);
    galley_tensor_free(s);
    galley__record(out, &S_nll_def, 1, &logp);
    if (out->op)
        out->saved = galley__disown(hot);
    else
        galley_tensor_free(hot);
    return out;
}

/* The elementwise losses, kept in out->larg[0]; huber's delta in darg[0]. */
enum { S_L1, S_HUBER, S_BCE, S_BCE_LOGITS };

/* The loss of one element a (input) against b (target), and its partial
 * derivatives *da and *db, as torch computes them (see each case). */
static double S_loss1(int kind, double a, double b, double delta, double *da,
                      double *db)
{
    double d = a - b, l;
    switch (kind) {
    case S_L1: /* sign(0) = 0, as torch's gradient of abs */
        *da = (d > 0) - (d < 0);
        *db = -*da;
        return fabs(d);
    case S_HUBER: /* torch's huber_loss_backward: d clamped to +-delta */
        *da = d < -delta ? -delta : d > delta ? delta : d;
        *db = -*da;
        return fabs(d) < delta ? 0.5 * d * d : delta * (fabs(d) - 0.5 * delta);
    case S_BCE:
        /* torch clamps each log at -100 in the loss, divides by
         * max(a(1-a), 1e-12) in da, its 1e-12 a float32 (9.99999996e-13),
         * and leaves db's logs unclamped. */
        l = -(b * fmax(log(a), -100) + (1 - b) * fmax(log1p(-a), -100));
        *da = (a - b) / fmax((1 - a) * a, (double)1e-12f);
        *db = log1p(-a) - log(a);
        return l;
    default: { /* S_BCE_LOGITS: torch's (1-b)a + m + log(e^-m + e^(-a-m)) */
        double m = fmax(-a, 0);
        *da = 1 / (1 + exp(-a)) - b;
        *db = -a;
        return (1 - b) * a + m + log(exp(-m) + exp(-a - m));
    }
    }
}

/* a and b expanded to their broadcast shape nd/shape, as contiguous
 * float64 copies on the host owned by the caller (galley__free_owned).
 * The elementwise losses compute on the host: on a device they are staged
 * (the operands downloaded here, the results moved back by the caller with
 * galley__follow). */
static void S_f64_pair(const galley_tensor *a, const galley_tensor *b, int nd,
                       const long *shape, galley_tensor **ca,
                       galley_tensor **cb)
{
    galley_tensor ea, eb;
    galley_tensor *ha = galley__on_host(a), *hb = galley__on_host(b);
    galley__expand(ha, nd, shape, &ea);
    galley__expand(hb, nd, shape, &eb);
    *ca = galley__new_owned(ha, GALLEY_F64, nd, shape);
    *cb = galley__new_owned(ha, GALLEY_F64, nd, shape);
    galley__cpu_backend.copy(*ca, &ea);
    galley__cpu_backend.copy(*cb, &eb);
    if (ha != a)
        galley_tensor_free(ha);
    if (hb != b)
        galley_tensor_free(hb);
}

/* da (which 0: input, 1: target) of the mean loss times g, in the
 * broadcast shape and dtype of in[which]; accum_grad sums broadcast axes. */
static void S_loss_grad(galley_tensor *out, galley_tensor *g, int which)
{
    galley_tensor *a = out->in[0], *b = out->in[1], *ca, *cb;
    long shape[GALLEY_MAX_DIMS];
    int nd;
    galley__broadcast(a, b, &nd, shape, "backward");
    S_f64_pair(a, b, nd, shape, &ca, &cb);
    double *pa = galley__ptr(ca), *pb = galley__ptr(cb), da, db;
    double s = galley_item(g) / (double)ca->numel;
    for (long i = 0; i < ca->numel; i++) {
        S_loss1((int)out->larg[0], pa[i], pb[i], out->darg[0], &da, &db);
        pa[i] = (which ? db : da) * s;
    }
    galley_tensor *t = out->in[which];
    galley_tensor *d = galley__new_like(ca, t->dtype, nd, shape, "backward");
    galley__backend_of(d)->copy(d, ca);
    galley__accum_grad(t, galley__follow(d, t));
    galley__free_owned(ca);
    galley__free_owned(cb);
}

static void S_loss_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    for (int i = 0; i < 2; i++)
        if (out->in[i]->requires_grad)
            S_loss_grad(out, g, i);
    GALLEY__BACKWARD_END;
}

static void S_delta_arg(const galley_tensor *out, char *buf, size_t n)
{
    char v[32];
    galley__format_double(out->darg[0], v, sizeof v);
    snprintf(buf, n, "delta=%s", v);
}

static const galley__opdef S_loss_defs[] = {
    [S_L1] = {"l1_loss", S_loss_backward, NULL},
    [S_HUBER] = {"huber_loss", S_loss_backward, S_delta_arg},
    [S_BCE] = {"bce", S_loss_backward, NULL},
    [S_BCE_LOGITS] = {"bce_with_logits", S_loss_backward, NULL},
};

/* The dtype of a loss of a and b: float64 when either is, else float32. */
static galley_dtype S_loss_dtype(const galley_tensor *a, const galley_tensor *b)
{
    return a->dtype == GALLEY_F64 || b->dtype == GALLEY_F64 ? GALLEY_F64
                                                            : GALLEY_F32;
}

/* 0 when every element of the float64 c is in [0, 1]; else reports the
 * first one that is not (bce's input, as torch checks it). */
static int S_check_probs(const galley_tensor *c, const char *op)
{
    const double *p = galley__ptr(c);
    for (long i = 0; i < c->numel; i++) {
        if (!(p[i] >= 0 && p[i] <= 1)) {
            galley__error(op, "p holds %g (flat index %ld of the broadcast "
                          "shape): probabilities must be in [0, 1]; for "
                          "scores use galley_bce_with_logits", p[i], i);
            return -1;
        }
    }
    return 0;
}

/* The mean over the broadcast shape of the elementwise loss kind of a
 * (input) and b (target). */
static galley_tensor *S_mean_loss(int kind, galley_tensor *a, galley_tensor *b,
                                  double delta, const char *op)
{
    long shape[GALLEY_MAX_DIMS];
    int nd;
    if (galley__check(a, op, kind == S_BCE ? "p" : "a") ||
        galley__check(b, op, kind >= S_BCE ? "target" : "b") ||
        galley__check_float(a, op, kind == S_BCE ? "p" : "a") ||
        galley__check_float(b, op, kind >= S_BCE ? "target" : "b") ||
        galley__check_devices(a, b, op, kind == S_BCE ? "p" : "a",
                              kind >= S_BCE ? "target" : "b") ||
        galley__broadcast(a, b, &nd, shape, op) < 0)
        return NULL;
    galley_tensor *ca, *cb;
    S_f64_pair(a, b, nd, shape, &ca, &cb);
    galley_tensor *out = NULL;
    if (kind != S_BCE || S_check_probs(ca, op) == 0) {
        double *pa = galley__ptr(ca), *pb = galley__ptr(cb), da, db;
        for (long i = 0; i < ca->numel; i++)
            pa[i] = S_loss1(kind, pa[i], pb[i], delta, &da, &db);
        /* The losses in the result's dtype, then their mean, as torch
         * rounds them. */
        galley_tensor *l = galley__new_like(ca, S_loss_dtype(a, b), nd, shape,
                                            op);
        galley__backend_of(l)->copy(l, ca);
        l = galley__follow(l, a);
        galley_tensor *s = galley__reduce_new(GALLEY__RSUM, l, -1, 0, op);
        out = galley__div_scalar_new(s, (double)l->numel, op);
        galley_tensor_free(l);
        galley_tensor_free(s);
        galley__record(out, &S_loss_defs[kind], 2,
                       (galley_tensor *const[]){a, b});
        out->larg[0] = kind;
        out->darg[0] = delta;
    }
    galley__free_owned(ca);
    galley__free_owned(cb);
    return out;
}

galley_tensor *galley_l1_loss(galley_tensor *a, galley_tensor *b)
{
    return S_mean_loss(S_L1, a, b, 0.0, "galley_l1_loss");
}

galley_tensor *galley_huber_loss(galley_tensor *a, galley_tensor *b,
                                 double delta)
{
    if (!(delta > 0)) {
        galley__error("galley_huber_loss", "delta is %g; it must be > 0 "
                      "(torch's default is 1)", delta);
        return NULL;
    }
    return S_mean_loss(S_HUBER, a, b, delta, "galley_huber_loss");
}

galley_tensor *galley_bce(galley_tensor *p, galley_tensor *target)
{
    return S_mean_loss(S_BCE, p, target, 0.0, "galley_bce");
}

galley_tensor *galley_bce_with_logits(galley_tensor *logits,
                                      galley_tensor *target)
{
    return S_mean_loss(S_BCE_LOGITS, logits, target, 0.0,
                       "galley_bce_with_logits");
}

/* ---- dropout ---- */

/* d(t * mask) = g * mask, the mask kept in saved. */
static void S_dropout_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_mul(g, out->saved));
    GALLEY__BACKWARD_END;
}

static void S_p_arg(const galley_tensor *out, char *buf, size_t n)
{
    char v[32];
    galley__format_double(out->darg[0], v, sizeof v);
    snprintf(buf, n, "p=%s", v);
}

static const galley__opdef S_dropout_def = {"dropout", S_dropout_backward,
                                            S_p_arg};

/* The dropout mask of t's shape and dtype: one uniform double u per
 * element drawn from rng in row-major order (galley_rand's draw), 0 where
 * u < p, else 1 / (1 - p). */
static galley_tensor *S_dropout_mask(const galley_tensor *t, double p,
                                     galley_rng *rng, const char *op)
{
    /* Drawn and thresholded on the host, then moved to t's device
     * (staged). */
    galley__host_begin();
    galley_tensor *u = galley_rand(rng, GALLEY_F64, t->ndim, t->shape);
    galley__host_end();
    double *pu = galley__ptr(u), scale = 1.0 / (1.0 - p);
    for (long i = 0; i < u->numel; i++)
        pu[i] = pu[i] < p ? 0.0 : scale;
    galley_tensor *mask = galley__new_like(u, t->dtype, t->ndim, t->shape, op);
    galley__backend_of(mask)->copy(mask, u);
    galley_tensor_free(u);
    return galley__follow(mask, t);
}

galley_tensor *galley_dropout(galley_tensor *t, double p, int training,
                              galley_rng *rng)
{
    const char *op = "galley_dropout";
    if (galley__check(t, op, "t") || galley__check_float(t, op, "t"))
        return NULL;
    if (!(p >= 0 && p <= 1)) {
        galley__error(op, "p is %g; the probability of dropping an element "
                      "must be in [0, 1]", p);
        return NULL;
    }
    /* As torch: nothing drawn when nothing is random. */
    if (!training || p == 0)
        return galley_mul_scalar(t, 1.0);
    if (p == 1)
        return galley_mul_scalar(t, 0.0);
    galley_tensor *mask = S_dropout_mask(t, p, rng, op);
    galley_tensor *out = galley__binary_new(GALLEY__MUL, t, mask, op);
    galley__record(out, &S_dropout_def, 1, &t);
    out->darg[0] = p;
    if (out->op)
        out->saved = galley__disown(mask);
    else
        galley_tensor_free(mask);
    return out;
}
