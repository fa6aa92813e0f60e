/* tensor_conv.c: normalization layers (layer norm, batch norm), 1-d and 2-d
 * convolution through an im2col product on the backend's gemm, max and
 * average pooling, and einsum for one or two operands. The norms and einsum
 * are made of the differentiable ops; convolution and pooling have their
 * own backward passes. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- normalization ---- */

/* xc / sqrt(var + eps), xc being x less its mean and var its variance
 * (broadcast against xc). Recorded as the ops it is made of. */
static galley_tensor *S_normalize(galley_tensor *xc, galley_tensor *var,
                                  double eps)
{
    return galley_mul(xc, galley_pow_scalar(galley_add_scalar(var, eps), -0.5));
}

/* Reports unless t is NULL or a tensor of x's (float) dtype and of shape
 * ndim/shape, as torch asks of the parameters and statistics of a norm;
 * what names it. */
static int S_check_affine(galley_tensor *t, int ndim, const long *shape,
                          const galley_tensor *x, const char *op,
                          const char *what)
{
    char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX + 8];
    char s[GALLEY__SHAPE_STR_MAX];
    if (!t)
        return 0;
    if (galley__check(t, op, what) || galley__check_same_dtype(x, t, op))
        return -1;
    if (galley__same_shape(t, ndim, shape))
        return 0;
    galley__error(op, "%s %s for x %s: needs the shape %s", what,
                  galley__desc(t, a), galley__desc(x, b),
                  galley__shape_str(ndim, shape, s));
    return -1;
}

galley_tensor *galley_layer_norm(galley_tensor *x, int normalized_ndim,
                                 galley_tensor *weight, galley_tensor *bias,
                                 double eps)
{
    const char *op = "galley_layer_norm";
    char a[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(x, op, "x") || galley__check_float(x, op, "x"))
        return NULL;
    if (normalized_ndim < 1 || normalized_ndim > x->ndim) {
        galley__error(op, "normalized_ndim %d for x %s: needs 1 to %d "
                      "(the trailing axes normalized over)", normalized_ndim,
                      galley__desc(x, a), x->ndim);
        return NULL;
    }
    const long *nshape = x->shape + x->ndim - normalized_ndim;
    if (S_check_affine(weight, normalized_ndim, nshape, x, op, "weight") ||
        S_check_affine(bias, normalized_ndim, nshape, x, op, "bias"))
        return NULL;
    long k = 1;
    for (int i = 0; i < normalized_ndim; i++)
        k *= nshape[i];
    /* x as rows [m, k], normalized along the rows. */
    long rows[2] = {k ? x->numel / k : 0, k};
    galley_tensor *xr = galley_reshape(x, 2, rows);
    galley_tensor *xc = galley_sub(xr, galley_mean(xr, 1, 1));
    galley_tensor *var = galley_mean(galley_mul(xc, xc), 1, 1);
    galley_tensor *y = galley_reshape(S_normalize(xc, var, eps), x->ndim,
                                      x->shape);
    if (weight)
        y = galley_mul(y, weight);
    if (bias)
        y = galley_add(y, bias);
    return y;
}

/* t [C] as [1, C, 1], to broadcast over x seen as [N, C, L]. */
static galley_tensor *S_channel(galley_tensor *t)
{
    return galley_reshape(t, GALLEY_SHAPE(1, -1, 1));
}

/* Over axes 0 and 2 of t [N, C, L]: [1, C, 1]. */
static galley_tensor *S_channel_mean(galley_tensor *t)
{
    return galley_mean(galley_mean(t, 2, 1), 0, 1);
}

/* running = (1 - momentum) running + momentum scale stat, in place and
 * outside the graph; stat [1, C, 1]. NULL running: nothing. */
static void S_update_running(galley_tensor *running, galley_tensor *stat,
                             double scale, double momentum)
{
    if (!running)
        return;
    int was = galley_set_grad_enabled(0);
    galley_scope *s = galley_scope_begin();
    galley_tensor *st = galley_reshape(galley_detach(stat), GALLEY_SHAPE(-1));
    galley_tensor *r = galley_add(galley_mul_scalar(running, 1 - momentum),
                                  galley_mul_scalar(st, momentum * scale));
    if (r)
        galley_copy_(running, r);
    galley_scope_end(s);
    galley_set_grad_enabled(was);
}

/* The checks of batch_norm's arguments; 0 when they are good. */
static int S_batch_norm_check(galley_tensor *x, galley_tensor *running_mean,
                              galley_tensor *running_var,
                              galley_tensor *weight, galley_tensor *bias,
                              int training, const char *op)
{
    char a[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(x, op, "x") || galley__check_float(x, op, "x"))
        return -1;
    if (x->ndim < 2) {
        galley__error(op, "x %s: needs [N, C] or [N, C, ...]",
                      galley__desc(x, a));
        return -1;
    }
    const long *c = x->shape + 1;
    if (S_check_affine(running_mean, 1, c, x, op, "running_mean") ||
        S_check_affine(running_var, 1, c, x, op, "running_var") ||
        S_check_affine(weight, 1, c, x, op, "weight") ||
        S_check_affine(bias, 1, c, x, op, "bias"))
        return -1;
    if (training && (x->shape[1] ? x->numel / x->shape[1] : 0) <= 1) {
        galley__error(op, "x %s: training needs more than 1 value per "
                      "channel (as torch)", galley__desc(x, a));
        return -1;
    }
    if (!training && (!running_mean || !running_var)) {
        galley__error(op, "evaluation (training 0) needs running_mean and "
                      "running_var");
        return -1;
    }
    return 0;
}

galley_tensor *galley_batch_norm(galley_tensor *x, galley_tensor *running_mean,
                                 galley_tensor *running_var,
                                 galley_tensor *weight, galley_tensor *bias,
                                 int training, double momentum, double eps)
{
    if (S_batch_norm_check(x, running_mean, running_var, weight, bias,
                           training, "galley_batch_norm"))
        return NULL;
    const long *c = x->shape + 1;
    galley_tensor *x3 = galley_reshape(x, GALLEY_SHAPE(x->shape[0], c[0], -1));
    galley_tensor *mean, *xc, *var;
    if (training) {
        mean = S_channel_mean(x3);
        xc = galley_sub(x3, mean);
        var = S_channel_mean(galley_mul(xc, xc));
        /* The running variance is the unbiased one, as torch's. */
        double count = (double)(x->numel / c[0]);
        S_update_running(running_mean, mean, 1, momentum);
        S_update_running(running_var, var, count / (count - 1), momentum);
    } else {
        xc = galley_sub(x3, S_channel(running_mean));
        var = S_channel(running_var);
    }
    galley_tensor *y = S_normalize(xc, var, eps);
    if (weight)
        y = galley_mul(y, S_channel(weight));
    if (bias)
        y = galley_add(y, S_channel(bias));
    return galley_reshape(y, x->ndim, x->shape);
}

/* ---- convolution: im2col, one gemm per sample, col2im ---- */

/* The sizes of a convolution or a pooling: x [n, c, h, w], kernel kh x kw,
 * o output channels in groups (each group of c/groups input channels makes
 * o/groups outputs), the output oh x ow, stride, padding and dilation per
 * axis. 1-d ops are 2-d ones with h = kh = 1 and no padding on that axis. */
typedef struct S_geom {
    long n, c, h, w, o, kh, kw, groups;
    long sh, sw, ph, pw, dh, dw;
    long oh, ow;
} S_geom;

/* im2col of one sample x [c, h, w] into col [c*kh*kw, oh*ow]: row
 * (ci*kh + i)*kw + j holds the input under kernel tap (i, j) at each output
 * position, 0 in the padding. col2im adds such a matrix back into x. */
#define S_IM2COL(T)                                                         \
    static void S_im2col_##T(const T *x, T *col, const S_geom *g)          \
    {                                                                       \
        long p = g->oh * g->ow;                                             \
        for (long r = 0; r < g->c * g->kh * g->kw; r++) {                   \
            long ci = r / (g->kh * g->kw), i = r / g->kw % g->kh,           \
                 j = r % g->kw;                                             \
            const T *xc = x + ci * g->h * g->w;                             \
            for (long y = 0; y < g->oh; y++) {                              \
                long ih = y * g->sh - g->ph + i * g->dh;                    \
                T *row = col + r * p + y * g->ow;                           \
                for (long z = 0; z < g->ow; z++) {                          \
                    long iw = z * g->sw - g->pw + j * g->dw;                \
                    row[z] = ih >= 0 && ih < g->h && iw >= 0 && iw < g->w   \
                                 ? xc[ih * g->w + iw]                       \
                                 : 0;                                       \
                }                                                           \
            }                                                               \
        }                                                                   \
    }                                                                       \
    static void S_col2im_##T(const T *col, T *x, const S_geom *g)          \
    {                                                                       \
        long p = g->oh * g->ow;                                             \
        for (long r = 0; r < g->c * g->kh * g->kw; r++) {                   \
            long ci = r / (g->kh * g->kw), i = r / g->kw % g->kh,           \
                 j = r % g->kw;                                             \
            T *xc = x + ci * g->h * g->w;                                   \
            for (long y = 0; y < g->oh; y++) {                              \
                long ih = y * g->sh - g->ph + i * g->dh;                    \
                const T *row = col + r * p + y * g->ow;                     \
                for (long z = 0; ih >= 0 && ih < g->h && z < g->ow; z++) {  \
                    long iw = z * g->sw - g->pw + j * g->dw;                \
                    if (iw >= 0 && iw < g->w)                               \
                        xc[ih * g->w + iw] += row[z];                       \
                }                                                           \
            }                                                               \
        }                                                                   \
    }

S_IM2COL(float)
S_IM2COL(double)

/* im2col or col2im (back) of sample i of x (contiguous, float dtype). */
static void S_cols(galley_tensor *x, long i, galley_tensor *col,
                   const S_geom *g, int back)
{
    long off = i * g->c * g->h * g->w;
    if (x->dtype == GALLEY_F32) {
        float *px = (float *)galley__ptr(x) + off, *pc = galley__ptr(col);
        back ? S_col2im_float(pc, px, g) : S_im2col_float(px, pc, g);
    } else {
        double *px = (double *)galley__ptr(x) + off, *pc = galley__ptr(col);
        back ? S_col2im_double(pc, px, g) : S_im2col_double(px, pc, g);
    }
}

/* t when contiguous, else a contiguous copy owned by *own (NULL when t is
 * returned), to hand to gemm and the loops. */
static galley_tensor *S_dense(const galley_tensor *t, galley_tensor **own)
{
    *own = NULL;
    if (galley_is_contiguous(t))
        return (galley_tensor *)t;
    *own = galley__new_owned(t, t->dtype, t->ndim, t->shape);
    galley__backend_of(t)->copy(*own, t);
    return *own;
}

/* The geometry of the op in out's args: stride, padding in larg, dilation
 * in darg[0..1] (small integers, exact in a double); kernel and groups as
 * given. */
static void S_geom_of(const galley_tensor *out, const galley_tensor *x,
                      long kh, long kw, long groups, S_geom *g)
{
    *g = (S_geom){.n = x->shape[0], .c = x->shape[1], .h = x->shape[2],
                  .w = x->shape[3], .o = out->shape[1], .kh = kh, .kw = kw,
                  .groups = groups,
                  .sh = out->larg[0], .sw = out->larg[1],
                  .ph = out->larg[2], .pw = out->larg[3],
                  .dh = (long)out->darg[0], .dw = (long)out->darg[1],
                  .oh = out->shape[2], .ow = out->shape[3]};
}

static void S_geom_to(galley_tensor *out, const S_geom *g)
{
    out->larg[0] = g->sh;
    out->larg[1] = g->sw;
    out->larg[2] = g->ph;
    out->larg[3] = g->pw;
    out->darg[0] = (double)g->dh;
    out->darg[1] = (double)g->dw;
}

/* The address of element i of the contiguous t. */
static char *S_at(const galley_tensor *t, long i)
{
    return (char *)galley__ptr(t) + (size_t)i * galley__elsize(t->dtype);
}

/* dx = col2im(W^T G), dW = sum over samples of G col^T, db = the sums of
 * G over samples and positions; per sample and group, W is a matrix
 * [o/groups, k], G [o/groups, oh*ow] and col [k, oh*ow], k being
 * (c/groups)*kh*kw. The groups' blocks follow each other in all three. */
static void S_conv_backward(galley_tensor *out, galley_tensor *gout)
{
    galley_tensor *x = out->in[0], *w = out->in[1], *ownx, *ownw;
    S_geom g;
    S_geom_of(out, x, w->shape[2], w->shape[3], (long)out->darg[2], &g);
    long og = g.o / g.groups, k = g.c / g.groups * g.kh * g.kw;
    long p = g.oh * g.ow;
    const galley__backend *be = galley__backend_of(out);
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *dx = galley_zeros(x->dtype, 4, x->shape);
    galley_tensor *dw = galley_zeros(x->dtype, 4, w->shape);
    galley_tensor *xd = S_dense(x, &ownx), *wd = S_dense(w, &ownw);
    galley_tensor *col = galley__new_like(
        x, x->dtype, GALLEY_SHAPE(g.groups * k, p), "backward");
    for (long i = 0; i < g.n; i++) {
        if (w->requires_grad) {
            S_cols(xd, i, col, &g, 0);
            for (long j = 0; j < g.groups; j++)
                be->gemm(x->dtype, 0, 1, og, k, p,
                         S_at(gout, (i * g.groups + j) * og * p), p,
                         S_at(col, j * k * p), p, 1.0, S_at(dw, j * og * k), k);
        }
        if (x->requires_grad) {
            for (long j = 0; j < g.groups; j++)
                be->gemm(x->dtype, 1, 0, k, p, og, S_at(wd, j * og * k), k,
                         S_at(gout, (i * g.groups + j) * og * p), p, 0.0,
                         S_at(col, j * k * p), p);
            S_cols(dx, i, col, &g, 1);
        }
    }
    galley__accum_grad(x, dx);
    galley__accum_grad(w, dw);
    if (out->nin == 3)
        galley__accum_grad(out->in[2],
                           galley_sum(galley_sum(galley_sum(gout, 3, 0), 2, 0),
                                      0, 0));
    galley__free_owned(ownx);
    galley__free_owned(ownw);
    GALLEY__BACKWARD_END;
}

static void S_geom_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "stride=%ldx%ld padding=%ldx%ld dilation=%gx%g "
             "groups=%g", out->larg[0], out->larg[1], out->larg[2],
             out->larg[3], out->darg[0], out->darg[1], out->darg[2]);
}

static const galley__opdef S_conv_def = {"conv2d", S_conv_backward,
                                         S_geom_args};

/* out[i, :, :] += b (of out's dtype, [o]) on each sample i. */
static void S_add_bias(galley_tensor *out, const galley_tensor *b)
{
    /* b as [o, 1, 1], broadcast over [n, o, oh, ow]. */
    galley_tensor bb = *b, e;
    bb.ndim = 3;
    bb.shape[1] = bb.shape[2] = 1;
    bb.strides[1] = bb.strides[2] = 0;
    galley__expand(&bb, 4, out->shape, &e);
    galley__backend_of(out)->binary(GALLEY__ADD, out, out, &e);
}

/* The convolution of x [n, c, h, w] with w [o, c/groups, kh, kw] (g
 * filled and checked), plus bias [o] when not NULL: per sample, one gemm
 * per group, out[j] = W[j] col[j] (see S_conv_backward). */
static galley_tensor *S_conv(galley_tensor *x, galley_tensor *w,
                             galley_tensor *bias, const S_geom *g,
                             const char *op)
{
    long og = g->o / g->groups, k = g->c / g->groups * g->kh * g->kw;
    long p = g->oh * g->ow;
    galley_tensor *out = galley__new_like(
        x, x->dtype, GALLEY_SHAPE(g->n, g->o, g->oh, g->ow), op);
    galley_tensor *ownx, *ownw;
    galley_tensor *xd = S_dense(x, &ownx), *wd = S_dense(w, &ownw);
    galley_tensor *col = galley__new_owned(x, x->dtype,
                                           GALLEY_SHAPE(g->groups * k, p));
    const galley__backend *be = galley__backend_of(out);
    for (long i = 0; i < g->n; i++) {
        S_cols(xd, i, col, g, 0);
        for (long j = 0; j < g->groups; j++)
            be->gemm(x->dtype, 0, 0, og, p, k, S_at(wd, j * og * k), k,
                     S_at(col, j * k * p), p, 0.0,
                     S_at(out, (i * g->groups + j) * og * p), p);
    }
    if (bias)
        S_add_bias(out, bias);
    galley__free_owned(col);
    galley__free_owned(ownx);
    galley__free_owned(ownw);
    galley__record(out, &S_conv_def, bias ? 3 : 2,
                   (galley_tensor *const[]){x, w, bias});
    S_geom_to(out, g);
    out->darg[2] = (double)g->groups;
    return out;
}

/* Checks the sizes of stride, padding and dilation per spatial axis (sd of
 * them; 1-d ops have one), and fills their 2-d form into g. */
static int S_axes_args(const char *op, int sd, const long *stride,
                       const long *padding, const long *dilation, S_geom *g)
{
    long *gs[2] = {&g->sh, &g->sw}, *gp[2] = {&g->ph, &g->pw};
    long *gd[2] = {&g->dh, &g->dw};
    g->sh = g->dh = 1;
    g->ph = 0;
    for (int a = 0; a < sd; a++) {
        long s = stride ? stride[a] : 1, p = padding ? padding[a] : 0;
        long d = dilation ? dilation[a] : 1;
        /* The bound keeps n + 2 p and d (k - 1) far from overflow. */
        const long big = 1L << 31;
        if (s < 1 || p < 0 || d < 1 || s > big || p > big || d > big) {
            if (dilation)
                galley__error(op, "stride %ld, padding %ld, dilation %ld on "
                              "spatial axis %d: needs 1 <= stride <= 2^31, "
                              "0 <= padding <= 2^31, 1 <= dilation <= 2^31",
                              s, p, d, a);
            else
                galley__error(op, "stride %ld, padding %ld on spatial axis "
                              "%d: needs 1 <= stride <= 2^31, 0 <= padding "
                              "<= 2^31", s, p, a);
            return -1;
        }
        *gs[a + 2 - sd] = s;
        *gp[a + 2 - sd] = p;
        *gd[a + 2 - sd] = d;
    }
    return 0;
}

/* The output size along one axis of input size n, kernel k, or -1 when the
 * dilated kernel is larger than the padded input. */
static long S_out_size(long n, long k, long s, long p, long d)
{
    long span = d * (k - 1) + 1;
    return n + 2 * p < span ? -1 : (n + 2 * p - span) / s + 1;
}

/* "[N, C, L]" or "[N, C, H, W]": the layout of sd spatial axes. */
static const char *S_layout(int sd, int weight)
{
    if (sd == 1)
        return weight ? "[O, C, k]" : "[N, C, L] (or [C, L])";
    return weight ? "[O, C, kh, kw]" : "[N, C, H, W] (or [C, H, W])";
}

/* x's sizes as [n, c, h, w] into g (h = 1 for 1-d), after checking that x
 * has sd spatial axes. */
static int S_input_geom(const char *op, const galley_tensor *x, int sd,
                        S_geom *g)
{
    char a[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(x, op, "x") || galley__check_float(x, op, "x"))
        return -1;
    if (x->ndim != sd + 2) {
        galley__error(op, "x %s: needs %s", galley__desc(x, a),
                      S_layout(sd, 0));
        return -1;
    }
    g->n = x->shape[0];
    g->c = x->shape[1];
    g->h = sd == 1 ? 1 : x->shape[2];
    g->w = x->shape[sd + 1];
    return 0;
}

/* Checks weight (and bias, may be NULL) against x and groups; messages
 * show x as shown (the x given, before a batch axis was added). */
static int S_check_weight(const char *op, const galley_tensor *x,
                          const galley_tensor *shown, const galley_tensor *w,
                          const galley_tensor *bias, int sd, long groups)
{
    char a[GALLEY__SHAPE_STR_MAX + 8], b[GALLEY__SHAPE_STR_MAX + 8];
    if (galley__check(w, op, "weight") ||
        galley__check_float(w, op, "weight") ||
        galley__check_same_dtype(shown, w, op))
        return -1;
    if (groups < 1 || x->shape[1] % groups ||
        (w->ndim && w->shape[0] % groups)) {
        galley__error(op, "groups %ld for x %s and weight %s: needs groups >= "
                      "1 dividing both the input and the output channels",
                      groups, galley__desc(shown, a), galley__desc(w, b));
        return -1;
    }
    if (w->ndim != sd + 2 || w->shape[1] * groups != x->shape[1]) {
        char per[64] = "x's channels";
        if (groups > 1)
            snprintf(per, sizeof per, "x's %ld channels / %ld groups",
                     x->shape[1], groups);
        galley__error(op, "weight %s for x %s: needs %s with C = %ld, %s",
                      galley__desc(w, a), galley__desc(shown, b),
                      S_layout(sd, 1), x->shape[1] / groups, per);
        return -1;
    }
    if (!bias)
        return 0;
    if (galley__check(bias, op, "bias") ||
        galley__check_same_dtype(x, bias, op))
        return -1;
    if (bias->ndim != 1 || bias->shape[0] != w->shape[0]) {
        galley__error(op, "bias %s for weight %s: needs [%ld], one per output "
                      "channel", galley__desc(bias, a), galley__desc(w, b),
                      w->shape[0]);
        return -1;
    }
    return 0;
}

/* The output size of g (kernel in g) into g->oh/ow; reports a kernel larger
 * than the padded input x (as given, "shown"). */
static int S_output_geom(const char *op, const galley_tensor *shown, int sd,
                         S_geom *g)
{
    char a[GALLEY__SHAPE_STR_MAX + 8];
    g->oh = S_out_size(g->h, g->kh, g->sh, g->ph, g->dh);
    g->ow = S_out_size(g->w, g->kw, g->sw, g->pw, g->dw);
    if (g->oh > 0 && g->ow > 0)
        return 0;
    char dil[64] = "";
    if (g->dh != 1 || g->dw != 1)
        snprintf(dil, sizeof dil, sd == 1 ? " (dilated: %ld)" : " (dilated: "
                 "%ld x %ld)", sd == 1 ? g->dw * (g->kw - 1) + 1
                                       : g->dh * (g->kh - 1) + 1,
                 g->dw * (g->kw - 1) + 1);
    if (sd == 1)
        galley__error(op, "x %s padded to %ld is smaller than the kernel "
                      "%ld%s", galley__desc(shown, a), g->w + 2 * g->pw, g->kw,
                      dil);
    else
        galley__error(op, "x %s padded to %ld x %ld is smaller than the "
                      "kernel %ld x %ld%s", galley__desc(shown, a),
                      g->h + 2 * g->ph, g->w + 2 * g->pw, g->kh, g->kw, dil);
    return -1;
}

/* The live t, when unbatched (sd + 1 axes), as a batch of one; else
 * NULL. */
static galley_tensor *S_batch_of_one(galley_tensor *t, int sd)
{
    if (t->ndim != sd + 1)
        return NULL;
    long shape[GALLEY_MAX_DIMS] = {1};
    memcpy(shape + 1, t->shape, (size_t)t->ndim * sizeof *shape);
    return galley_reshape(t, t->ndim + 1, shape);
}

/* y [1, ...] without its batch axis, or NULL. */
static galley_tensor *S_unbatch(galley_tensor *y)
{
    return y ? galley_reshape(y, y->ndim - 1, y->shape + 1) : NULL;
}

/* conv1d (sd 1) and conv2d (sd 2): the 1-d op is the 2-d one on x and w
 * seen with a height of 1; an unbatched x is a batch of one. */
static galley_tensor *S_convnd(galley_tensor *x, const galley_tensor *shown,
                               galley_tensor *w, galley_tensor *bias, int sd,
                               const long *stride, const long *padding,
                               const long *dilation, long groups,
                               const char *op)
{
    S_geom g;
    /* Refused on a device: im2col and the pooling loops read the host. */
    if (galley__check(x, op, "x") || galley__check_host(x, op, "x"))
        return NULL;
    galley_tensor *xb = S_batch_of_one(x, sd);
    if (xb)
        return S_unbatch(S_convnd(xb, x, w, bias, sd, stride, padding,
                                  dilation, groups, op));
    if (S_input_geom(op, x, sd, &g) ||
        S_check_weight(op, x, shown, w, bias, sd, groups) ||
        S_axes_args(op, sd, stride, padding, dilation, &g))
        return NULL;
    g.o = w->shape[0];
    g.groups = groups;
    g.kh = sd == 1 ? 1 : w->shape[2];
    g.kw = w->shape[sd + 1];
    if (S_output_geom(op, shown, sd, &g))
        return NULL;
    if (sd == 2)
        return S_conv(x, w, bias, &g, op);
    galley_tensor *x4 = galley_reshape(x, GALLEY_SHAPE(g.n, g.c, 1, g.w));
    galley_tensor *w4 = galley_reshape(w, GALLEY_SHAPE(g.o, w->shape[1], 1,
                                                       g.kw));
    galley_tensor *y = S_conv(x4, w4, bias, &g, op);
    return galley_reshape(y, GALLEY_SHAPE(g.n, g.o, g.ow));
}

galley_tensor *galley_conv1d(galley_tensor *x, galley_tensor *weight,
                             galley_tensor *bias, long stride, long padding,
                             long dilation, long groups)
{
    return S_convnd(x, x, weight, bias, 1, &stride, &padding, &dilation,
                    groups, "galley_conv1d");
}

galley_tensor *galley_conv2d(galley_tensor *x, galley_tensor *weight,
                             galley_tensor *bias, const long stride[2],
                             const long padding[2], const long dilation[2],
                             long groups)
{
    return S_convnd(x, x, weight, bias, 2, stride, padding, dilation, groups,
                    "galley_conv2d");
}

/* ---- pooling ---- */

/* The window of output (y, z) clipped to the input: rows [*h0, *h1),
 * columns [*w0, *w1). */
static void S_window(const S_geom *g, long y, long z, long *h0, long *h1,
                     long *w0, long *w1)
{
    long hs = y * g->sh - g->ph, ws = z * g->sw - g->pw;
    *h0 = hs < 0 ? 0 : hs;
    *w0 = ws < 0 ? 0 : ws;
    *h1 = hs + g->kh < g->h ? hs + g->kh : g->h;
    *w1 = ws + g->kw < g->w ? ws + g->kw : g->w;
}

/* The pooling loops for each float type T, over the planes of x (n*c of
 * them, contiguous):
 * - max: out, and in idx the index in its plane of each maximum: torch's
 *   rule, the first maximum, or the last NaN (a NaN wins);
 * - max_back: adds each gradient of out to the element its maximum was;
 * - avg (back 0): out = the window's sum (in double) / (kh*kw), padding
 *   counted (torch's count_include_pad); back 1: spreads each gradient of
 *   out over its window in x. */
#define S_POOL(T)                                                           \
    static void S_max_pool_##T(const T *x, T *out, int64_t *idx,            \
                               const S_geom *g)                             \
    {                                                                       \
        long j = 0, hw = g->h * g->w;                                       \
        for (long pl = 0; pl < g->n * g->c; pl++, x += hw)                  \
            for (long y = 0; y < g->oh; y++)                                \
                for (long z = 0; z < g->ow; z++, j++) {                     \
                    long h0, h1, w0, w1, best = -1;                         \
                    T m = -INFINITY;                                        \
                    S_window(g, y, z, &h0, &h1, &w0, &w1);                  \
                    for (long a = h0; a < h1; a++)                          \
                        for (long b = w0; b < w1; b++) {                    \
                            T v = x[a * g->w + b];                          \
                            if (best < 0 || v > m || isnan(v)) {            \
                                m = v;                                      \
                                best = a * g->w + b;                        \
                            }                                               \
                        }                                                   \
                    out[j] = m;                                             \
                    idx[j] = best;                                          \
                }                                                           \
    }                                                                       \
    static void S_max_back_##T(T *dx, const T *gout, const int64_t *idx,    \
                               const S_geom *g)                             \
    {                                                                       \
        long per = g->oh * g->ow, hw = g->h * g->w;                         \
        for (long j = 0; j < g->n * g->c * per; j++)                        \
            dx[j / per * hw + idx[j]] += gout[j];                           \
    }                                                                       \
    static void S_avg_pool_##T(T *x, T *out, const S_geom *g, int back)     \
    {                                                                       \
        long j = 0, hw = g->h * g->w;                                       \
        double k = (double)(g->kh * g->kw);                                 \
        for (long pl = 0; pl < g->n * g->c; pl++, x += hw)                  \
            for (long y = 0; y < g->oh; y++)                                \
                for (long z = 0; z < g->ow; z++, j++) {                     \
                    long h0, h1, w0, w1;                                    \
                    double s = 0;                                           \
                    T share = back ? (T)(out[j] / k) : 0;                   \
                    S_window(g, y, z, &h0, &h1, &w0, &w1);                  \
                    for (long a = h0; a < h1; a++)                          \
                        for (long b = w0; b < w1; b++) {                    \
                            if (back)                                       \
                                x[a * g->w + b] += share;                   \
                            else                                            \
                                s += x[a * g->w + b];                       \
                        }                                                   \
                    if (!back)                                              \
                        out[j] = (T)(s / k);                                \
                }                                                           \
    }

S_POOL(float)
S_POOL(double)

/* The pooling geometry of out (kernel in darg[2..3]). */
static void S_pool_geom_of(const galley_tensor *out, const galley_tensor *x,
                           S_geom *g)
{
    S_geom_of(out, x, (long)out->darg[2], (long)out->darg[3], 1, g);
}

static void S_max_pool_backward(galley_tensor *out, galley_tensor *gout)
{
    galley_tensor *x = out->in[0];
    S_geom g;
    S_pool_geom_of(out, x, &g);
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *dx = galley_zeros(x->dtype, x->ndim, x->shape);
    const int64_t *idx = galley__ptr(out->saved);
    if (x->dtype == GALLEY_F32)
        S_max_back_float(galley__ptr(dx), galley__ptr(gout), idx, &g);
    else
        S_max_back_double(galley__ptr(dx), galley__ptr(gout), idx, &g);
    galley__accum_grad(x, dx);
    GALLEY__BACKWARD_END;
}

static void S_avg_pool_backward(galley_tensor *out, galley_tensor *gout)
{
    galley_tensor *x = out->in[0];
    S_geom g;
    S_pool_geom_of(out, x, &g);
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *dx = galley_zeros(x->dtype, x->ndim, x->shape);
    if (x->dtype == GALLEY_F32)
        S_avg_pool_float(galley__ptr(dx), galley__ptr(gout), &g, 1);
    else
        S_avg_pool_double(galley__ptr(dx), galley__ptr(gout), &g, 1);
    galley__accum_grad(x, dx);
    GALLEY__BACKWARD_END;
}

static void S_pool_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "kernel=%gx%g stride=%ldx%ld padding=%ldx%ld",
             out->darg[2], out->darg[3], out->larg[0], out->larg[1],
             out->larg[2], out->larg[3]);
}

static const galley__opdef S_max_pool_def = {"max_pool2d", S_max_pool_backward,
                                             S_pool_args};
static const galley__opdef S_avg_pool_def = {"avg_pool2d", S_avg_pool_backward,
                                             S_pool_args};

/* The pooling loops of x's dtype on the contiguous xd into out (and idx
 * for max). */
static void S_pool_loops(galley_tensor *xd, galley_tensor *out,
                         galley_tensor *idx, const S_geom *g)
{
    if (xd->dtype == GALLEY_F32 && idx)
        S_max_pool_float(galley__ptr(xd), galley__ptr(out), galley__ptr(idx),
                         g);
    else if (idx)
        S_max_pool_double(galley__ptr(xd), galley__ptr(out), galley__ptr(idx),
                          g);
    else if (xd->dtype == GALLEY_F32)
        S_avg_pool_float(galley__ptr(xd), galley__ptr(out), g, 0);
    else
        S_avg_pool_double(galley__ptr(xd), galley__ptr(out), g, 0);
}

/* Max (is_max) or average pooling of the 4-d x with the checked g. */
static galley_tensor *S_pool2d(galley_tensor *x, const S_geom *g, int is_max,
                               const char *op)
{
    long shape[4] = {g->n, g->c, g->oh, g->ow};
    galley_tensor *own, *xd = S_dense(x, &own);
    galley_tensor *idx =
        is_max ? galley__new_like(x, GALLEY_I64, 4, shape, op) : NULL;
    galley_tensor *out = galley__new_like(x, x->dtype, 4, shape, op);
    S_pool_loops(xd, out, idx, g);
    galley__free_owned(own);
    galley__record(out, is_max ? &S_max_pool_def : &S_avg_pool_def, 1, &x);
    S_geom_to(out, g);
    out->darg[2] = (double)g->kh;
    out->darg[3] = (double)g->kw;
    if (idx && out->op)
        out->saved = galley__disown(idx);
    else
        galley_tensor_free(idx);
    return out;
}

/* Checks the kernel and the padding of a pooling (at most half the kernel,
 * as torch asks) and fills them into g. */
static int S_pool_args_check(const char *op, int sd, const long *kernel,
                             const long *padding, S_geom *g)
{
    long *gk[2] = {&g->kh, &g->kw};
    g->kh = 1;
    for (int a = 0; a < sd; a++) {
        long k = kernel[a], p = padding ? padding[a] : 0;
        if (k < 1 || p > k / 2) {
            galley__error(op, "kernel %ld, padding %ld on spatial axis %d: "
                          "needs a kernel >= 1 and a padding of at most half "
                          "of it", k, p, a);
            return -1;
        }
        *gk[a + 2 - sd] = k;
    }
    return 0;
}

/* The 1-d (sd 1) and 2-d poolings; stride NULL is the kernel's size; an
 * unbatched x is a batch of one. */
static galley_tensor *S_poolnd(galley_tensor *x, const galley_tensor *shown,
                               int sd, const long *kernel, const long *stride,
                               const long *padding, int is_max, const char *op)
{
    S_geom g;
    /* Refused on a device: im2col and the pooling loops read the host. */
    if (galley__check(x, op, "x") || galley__check_host(x, op, "x"))
        return NULL;
    galley_tensor *xb = S_batch_of_one(x, sd);
    if (xb)
        return S_unbatch(S_poolnd(xb, x, sd, kernel, stride, padding, is_max,
                                  op));
    if (S_input_geom(op, x, sd, &g))
        return NULL;
    if (!kernel) {
        galley__error(op, "kernel is NULL; it gives the window's size");
        return NULL;
    }
    if (S_pool_args_check(op, sd, kernel, padding, &g) ||
        S_axes_args(op, sd, stride ? stride : kernel, padding, NULL, &g) ||
        S_output_geom(op, shown, sd, &g))
        return NULL;
    g.o = g.c;
    if (sd == 2)
        return S_pool2d(x, &g, is_max, op);
    galley_tensor *x4 = galley_reshape(x, GALLEY_SHAPE(g.n, g.c, 1, g.w));
    galley_tensor *y = S_pool2d(x4, &g, is_max, op);
    return galley_reshape(y, GALLEY_SHAPE(g.n, g.c, g.ow));
}

galley_tensor *galley_max_pool1d(galley_tensor *x, long kernel, long stride,
                                 long padding)
{
    return S_poolnd(x, x, 1, &kernel, &stride, &padding, 1,
                    "galley_max_pool1d");
}

galley_tensor *galley_avg_pool1d(galley_tensor *x, long kernel, long stride,
                                 long padding)
{
    return S_poolnd(x, x, 1, &kernel, &stride, &padding, 0,
                    "galley_avg_pool1d");
}

galley_tensor *galley_max_pool2d(galley_tensor *x, const long kernel[2],
                                 const long stride[2], const long padding[2])
{
    return S_poolnd(x, x, 2, kernel, stride, padding, 1, "galley_max_pool2d");
}

galley_tensor *galley_avg_pool2d(galley_tensor *x, const long kernel[2],
                                 const long stride[2], const long padding[2])
{
    return S_poolnd(x, x, 2, kernel, stride, padding, 0, "galley_avg_pool2d");
}

/* ---- einsum ---- */

/* The parsed subscripts: the labels of each operand and of the output, as
 * NUL-terminated strings of letters. */
typedef struct S_subs {
    int nterms;
    char term[2][GALLEY_MAX_DIMS + 1];
    char out[2 * GALLEY_MAX_DIMS + 1];
} S_subs;

/* Reads labels at *p into dst (at most max) until a character of stop;
 * spaces are skipped. Reports a bad character with its position. */
static int S_read_labels(const char *spec, const char **p, char *dst, int max,
                         const char *stop, const char *op)
{
    int n = 0;
    for (; **p && !strchr(stop, **p); (*p)++) {
        char ch = **p;
        if (ch == ' ')
            continue;
        if (ch == '.') {
            galley__error(op, "\"%s\": '.' at position %ld: an ellipsis "
                          "(\"...\") is not supported; name every axis",
                          spec, (long)(*p - spec));
            return -1;
        }
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
            galley__error(op, "\"%s\": '%c' at position %ld is not a "
                          "subscript (a letter), ',' or \"->\"", spec, ch,
                          (long)(*p - spec));
            return -1;
        }
        if (n == max || strchr(dst, ch)) {
            galley__error(op, "\"%s\": '%c' at position %ld: %s", spec, ch,
                          (long)(*p - spec),
                          n == max ? "too many subscripts for one tensor"
                                   : "a subscript repeated in one tensor "
                                     "(diagonals) is not supported");
            return -1;
        }
        dst[n++] = ch;
        dst[n] = 0;
    }
    return 0;
}

/* The output labels numpy implies without "->": those that occur once,
 * in ASCII order. */
static void S_implicit_out(S_subs *s)
{
    int n = 0;
    for (int ch = 'A'; ch <= 'z'; ch++) {
        int count = 0;
        for (int t = 0; t < s->nterms; t++)
            count += strchr(s->term[t], ch) != NULL;
        if (count == 1)
            s->out[n++] = (char)ch;
    }
    s->out[n] = 0;
}

/* Parses spec ("ij,jk->ik") into s; the number of terms must be nops. */
static int S_parse_subs(const char *spec, int nops, S_subs *s,
                        const char *op)
{
    const char *p = spec;
    memset(s, 0, sizeof *s);
    for (;;) {
        if (s->nterms == 2) {
            galley__error(op, "\"%s\": more than two operands at position "
                          "%ld; einsum takes one or two", spec,
                          (long)(p - spec));
            return -1;
        }
        if (S_read_labels(spec, &p, s->term[s->nterms++], GALLEY_MAX_DIMS,
                          ",-", op))
            return -1;
        if (*p != ',')
            break;
        p++;
    }
    if (*p == '-') {
        if (p[1] != '>') {
            galley__error(op, "\"%s\": '-' at position %ld is not followed "
                          "by '>'", spec, (long)(p - spec));
            return -1;
        }
        p += 2;
        if (S_read_labels(spec, &p, s->out, 2 * GALLEY_MAX_DIMS, ",-", op))
            return -1;
        if (*p) {
            galley__error(op, "\"%s\": '%c' at position %ld after the output "
                          "subscripts", spec, *p, (long)(p - spec));
            return -1;
        }
    } else {
        S_implicit_out(s);
    }
    if (s->nterms != nops) {
        galley__error(op, "\"%s\" names %d operand%s; %d given", spec,
                      s->nterms, s->nterms == 1 ? "" : "s", nops);
        return -1;
    }
    return 0;
}

/* t with its axes permuted so that its labels (lab, updated) read want:
 * a series of transposes (views, recorded). */
static galley_tensor *S_permute(galley_tensor *t, char *lab, const char *want)
{
    for (int i = 0; want[i]; i++) {
        int j = (int)(strchr(lab, want[i]) - lab);
        if (j != i) {
            t = galley_transpose(t, i, j);
            char c = lab[i];
            lab[i] = lab[j];
            lab[j] = c;
        }
    }
    return t;
}

/* t summed over the axes whose label is not in keep; lab updated. */
static galley_tensor *S_sum_out(galley_tensor *t, char *lab, const char *keep)
{
    for (int i = (int)strlen(lab) - 1; i >= 0; i--) {
        if (strchr(keep, lab[i]))
            continue;
        t = galley_sum(t, i, 0);
        memmove(lab + i, lab + i + 1, strlen(lab + i));
    }
    return t;
}

/* Checks that each term has its operand's ndim, every output label is an
 * input's, and a label shared by a and b has one size; *sizes gets the
 * size of each label (indexed by the character). */
static int S_check_subs(const char *spec, const S_subs *s,
                        galley_tensor *const *ops, long sizes[128],
                        const char *op)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    for (int i = 0; i < 128; i++)
        sizes[i] = -1;
    for (int t = 0; t < s->nterms; t++) {
        const galley_tensor *x = ops[t];
        if ((int)strlen(s->term[t]) != x->ndim) {
            galley__error(op, "\"%s\": operand %d %s has %d dimensions but "
                          "%d subscripts \"%s\"", spec, t, galley__desc(x, d),
                          x->ndim, (int)strlen(s->term[t]), s->term[t]);
            return -1;
        }
        for (int i = 0; i < x->ndim; i++) {
            int ch = s->term[t][i];
            if (sizes[ch] >= 0 && sizes[ch] != x->shape[i]) {
                galley__error(op, "\"%s\": subscript '%c' is %ld in operand "
                              "0 and %ld in operand 1", spec, ch, sizes[ch],
                              x->shape[i]);
                return -1;
            }
            sizes[ch] = x->shape[i];
        }
    }
    for (int i = 0; s->out[i]; i++) {
        if (sizes[(int)s->out[i]] < 0) {
            galley__error(op, "\"%s\": output subscript '%c' is in no "
                          "operand", spec, s->out[i]);
            return -1;
        }
    }
    return 0;
}

/* The labels of a (in order) that are in b (in) or not (!in), and that
 * are in c (inc) or not, appended to dst. */
static void S_pick(char *dst, const char *a, const char *b, int in,
                   const char *c, int inc)
{
    size_t n = strlen(dst);
    for (; *a; a++)
        if (!strchr(b, *a) == !in && !strchr(c, *a) == !inc)
            dst[n++] = *a;
    dst[n] = 0;
}

/* The product of the sizes of labels. */
static long S_size_of(const char *labels, const long sizes[128])
{
    long n = 1;
    for (; *labels; labels++)
        n *= sizes[(int)*labels];
    return n;
}

/* The two-operand case: a as [batch, m, k], b as [batch, k, n], one
 * batched matmul, then the result's axes put in the output's order. */
static galley_tensor *S_einsum2(galley_tensor *a, galley_tensor *b, S_subs *s,
                                const long sizes[128])
{
    char *la = s->term[0], *lb = s->term[1], *lo = s->out;
    /* Label strings: each part holds at most GALLEY_MAX_DIMS labels, and
     * so does each joined string; the buffers are sized for the sum of the
     * parts so that no snprintf can truncate (GCC checks it at -O1). */
    char keep_a[3 * GALLEY_MAX_DIMS + 2], keep_b[3 * GALLEY_MAX_DIMS + 2];
    /* Labels of one operand only that the output lacks are summed first. */
    snprintf(keep_a, sizeof keep_a, "%s%s", lb, lo);
    snprintf(keep_b, sizeof keep_b, "%s%s", la, lo);
    a = S_sum_out(a, la, keep_a);
    b = S_sum_out(b, lb, keep_b);
    char bat[GALLEY_MAX_DIMS + 1] = "", m[GALLEY_MAX_DIMS + 1] = "";
    char k[GALLEY_MAX_DIMS + 1] = "", n[GALLEY_MAX_DIMS + 1] = "";
    S_pick(bat, la, lb, 1, lo, 1);
    S_pick(k, la, lb, 1, lo, 0);
    S_pick(m, la, lb, 0, lo, 1);
    S_pick(n, lb, la, 0, lo, 1);
    char wa[3 * GALLEY_MAX_DIMS + 3], wb[3 * GALLEY_MAX_DIMS + 3];
    snprintf(wa, sizeof wa, "%s%s%s", bat, m, k);
    snprintf(wb, sizeof wb, "%s%s%s", bat, k, n);
    a = S_permute(a, la, wa);
    b = S_permute(b, lb, wb);
    long nb = S_size_of(bat, sizes), nm = S_size_of(m, sizes);
    long nk = S_size_of(k, sizes), nn = S_size_of(n, sizes);
    galley_tensor *a3 = galley_reshape(a, GALLEY_SHAPE(nb, nm, nk));
    galley_tensor *b3 = galley_reshape(b, GALLEY_SHAPE(nb, nk, nn));
    galley_tensor *r = galley_matmul(a3, b3);
    /* r as [batch..., m..., n...], then in the output's order. */
    char lr[3 * GALLEY_MAX_DIMS + 3];
    long shape[GALLEY_MAX_DIMS];
    int nd = 0;
    snprintf(lr, sizeof lr, "%s%s%s", bat, m, n);
    for (int i = 0; lr[i]; i++)
        shape[nd++] = sizes[(int)lr[i]];
    r = galley_reshape(r, nd, shape);
    return S_permute(r, lr, lo);
}

galley_tensor *galley_einsum(const char *subscripts, galley_tensor *a,
                             galley_tensor *b)
{
    const char *op = "galley_einsum";
    S_subs s;
    long sizes[128];
    if (!subscripts) {
        galley__error(op, "subscripts is NULL");
        return NULL;
    }
    if (galley__check(a, op, "a") || galley__check_float(a, op, "a") ||
        (b && (galley__check(b, op, "b") || galley__check_float(b, op, "b"))))
        return NULL;
    galley_tensor *ops[2] = {a, b};
    if (S_parse_subs(subscripts, b ? 2 : 1, &s, op) ||
        S_check_subs(subscripts, &s, ops, sizes, op))
        return NULL;
    if (strlen(s.out) > GALLEY_MAX_DIMS) {
        galley__error(op, "\"%s\": %d output subscripts; a tensor has at "
                      "most %d dimensions", subscripts, (int)strlen(s.out),
                      GALLEY_MAX_DIMS);
        return NULL;
    }
    if (b)
        return S_einsum2(a, b, &s, sizes);
    galley_tensor *r = S_permute(S_sum_out(a, s.term[0], s.out), s.term[0],
                                 s.out);
    /* "ij->ij" changes nothing: still a new handle for the caller. */
    return r == a ? galley_contiguous(a) : r;
}
