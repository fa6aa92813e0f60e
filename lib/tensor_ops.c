/* tensor_ops.c: the elementwise ops of libgalley's tensors (with numpy
 * broadcasting), the scalar ops and the reductions. Forward passes go
 * through the backend kernels; backward passes are written with the public
 * ops themselves, which record nothing while backward runs. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- unrecorded building blocks (shared with tensor_nn.c) ---- */

galley_dtype galley__promote(galley_dtype a, galley_dtype b)
{
    if (a == b || b == GALLEY_I64)
        return a;
    if (a == GALLEY_I64)
        return b;
    return GALLEY_F64; /* float32 with float64 */
}

/* (declared in tensor_internal.h) */
galley_dtype galley__result_type(const galley_tensor *a,
                                 const galley_tensor *b)
{
    int za = a->ndim == 0, zb = b->ndim == 0;
    if (za == zb)
        return galley__promote(a->dtype, b->dtype);
    const galley_tensor *dims = za ? b : a, *zero = za ? a : b;
    if (dims->dtype != GALLEY_I64 || zero->dtype == GALLEY_I64)
        return dims->dtype;
    return zero->dtype; /* a float 0-d with int64 [n]: the float's */
}

/* (declared in tensor_internal.h) */
galley_tensor *galley__cast_new(const galley_tensor *t, galley_dtype dtype,
                                const char *opname)
{
    galley_tensor *out = galley__new_like(t, dtype, t->ndim, t->shape, opname);
    if (out)
        galley__backend_of(t)->copy(out, t);
    return out;
}

/* a OP b into a new tensor, of a's and b's dtype or, when they differ, of
 * the promoted one (galley__result_type; the others are cast first, as
 * the kernels take one dtype). Same-shape operands go to the kernel as
 * they are (it takes any strides): the fast path of small tensors makes no
 * expanded copies of the headers and asks for no broadcast shape. */
galley_tensor *galley__binary_new(galley__binop op, const galley_tensor *a,
                                  const galley_tensor *b, const char *opname)
{
    /* A net under every binary op: the kernels take one device. */
    if (galley__check_devices(a, b, opname, "a", "b"))
        return NULL;
    if (a->dtype != b->dtype) {
        galley_dtype dt = galley__result_type(a, b);
        galley_tensor *ca =
            a->dtype == dt ? NULL : galley__cast_new(a, dt, opname);
        galley_tensor *cb =
            b->dtype == dt ? NULL : galley__cast_new(b, dt, opname);
        galley_tensor *out = NULL;
        if ((ca || a->dtype == dt) && (cb || b->dtype == dt))
            out = galley__binary_new(op, ca ? ca : a, cb ? cb : b, opname);
        galley_tensor_free(ca);
        galley_tensor_free(cb);
        return out;
    }
    const galley__backend *be = galley__backend_of(a);
    galley_tensor *out, ea, eb;
    long shape[GALLEY_MAX_DIMS];
    int nd;

    if (galley__same_shape(a, b->ndim, b->shape)) {
        out = galley__new_like(a, a->dtype, a->ndim, a->shape, opname);
        if (out)
            be->binary(op, out, a, b);
        return out;
    }
    if (galley__broadcast(a, b, &nd, shape, opname) < 0)
        return NULL;
    out = galley__new_like(a, a->dtype, nd, shape, opname);
    if (!out)
        return NULL;
    galley__expand(a, nd, shape, &ea);
    galley__expand(b, nd, shape, &eb);
    be->binary(op, out, &ea, &eb);
    return out;
}

/* op(a, arg) into a new tensor of a's shape. */
galley_tensor *galley__unary_new(galley__unop op, const galley_tensor *a,
                                 double arg, const char *opname)
{
    galley_tensor *out =
        galley__new_like(a, a->dtype, a->ndim, a->shape, opname);
    if (out)
        galley__backend_of(a)->unary(op, out, a, arg);
    return out;
}

/* Fills *view with out seen as the reduce kernel wants it: a's ndim, size 1
 * on the reduced axes (every axis when axis < 0). out is contiguous and
 * dropping or adding size-1 axes keeps it so. */
static void S_keep_view(const galley_tensor *out, const galley_tensor *a,
                        int axis, galley_tensor *view)
{
    long shape[GALLEY_MAX_DIMS];
    for (int i = 0; i < a->ndim; i++)
        shape[i] = (axis < 0 || i == axis) ? 1 : a->shape[i];
    *view = *out;
    galley__set_contiguous(view, a->ndim, shape);
}

/* The shape of a reduction of a over axis (all when < 0) into shape;
 * returns its ndim. */
static int S_reduced_shape(const galley_tensor *a, int axis, int keepdim,
                           long shape[GALLEY_MAX_DIMS])
{
    int nd = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (axis >= 0 && i != axis)
            shape[nd++] = a->shape[i];
        else if (keepdim)
            shape[nd++] = 1;
    }
    return nd;
}

/* Sum or max of a over axis (every axis when axis < 0, a 0-d result unless
 * keepdim) into a new tensor. */
galley_tensor *galley__reduce_new(galley__redop op, const galley_tensor *a,
                                  int axis, int keepdim, const char *opname)
{
    long shape[GALLEY_MAX_DIMS];
    int nd = S_reduced_shape(a, axis, keepdim, shape);
    galley_tensor view;
    galley_tensor *out = galley__new_like(a, a->dtype, nd, shape, opname);

    if (!out)
        return NULL;
    S_keep_view(out, a, axis, &view);
    galley__backend_of(a)->reduce(op, &view, a);
    return out;
}

/* t / d into a new tensor: a true division, as numpy's mean does it (a
 * product with 1/d could differ in the last bit). */
galley_tensor *galley__div_scalar_new(const galley_tensor *t, double d,
                                      const char *opname)
{
    long none[1] = {0};
    galley_tensor *s = galley__new_like(t, t->dtype, 0, none, opname), *out;

    if (!s)
        return NULL;
    galley__backend_of(t)->fill(s, d);
    out = galley__binary_new(GALLEY__DIV, t, s, opname);
    galley_tensor_free(s);
    return out;
}

int galley__check_same_dtype(const galley_tensor *a, const galley_tensor *b,
                             const char *opname)
{
    char da[GALLEY__SHAPE_STR_MAX + 8], db[GALLEY__SHAPE_STR_MAX + 8];

    if (galley__check_devices(a, b, opname, "a", "b"))
        return -1;
    if (a->dtype == b->dtype)
        return 0;
    galley__error(opname, "%s and %s: dtypes differ, and %s takes one dtype "
                  "(as torch); cast one with galley_tensor_to",
                  galley__desc(a, da), galley__desc(b, db), opname);
    return -1;
}

int galley__check_arith(const galley_tensor *a, const galley_tensor *b,
                        const char *opname)
{
    char da[GALLEY__SHAPE_STR_MAX + 8], db[GALLEY__SHAPE_STR_MAX + 8];

    if (galley__check(a, opname, "a") < 0 || galley__check(b, opname, "b") < 0)
        return -1;
    if (galley__check_devices(a, b, opname, "a", "b"))
        return -1;
    if (galley__promote(a->dtype, b->dtype) != GALLEY_I64)
        return 0;
    galley__error(opname, "%s and %s: %s needs a float32 or float64 operand "
                  "(cast one with galley_tensor_to)", galley__desc(a, da),
                  galley__desc(b, db), opname);
    return -1;
}

/* On a device, staged: t and mask downloaded, t changed on the host and
 * uploaded back into its storage (t is contiguous and fresh). */
static void S_zero_where_staged(galley_tensor *t, const galley_tensor *mask)
{
    galley_tensor *ht = galley__on_host(t), *hm = galley__on_host(mask);
    galley__zero_where(ht, hm);
    t->st->be->upload(galley__ptr(t), galley__ptr(ht),
                      (size_t)t->numel * galley__elsize(t->dtype));
    if (ht != t)
        galley_tensor_free(ht);
    if (hm != mask)
        galley_tensor_free(hm);
}

void galley__zero_where(galley_tensor *t, const galley_tensor *mask)
{
    if (t->st->be->device != GALLEY_CPU) {
        S_zero_where_staged(t, mask);
        return;
    }
    long n = t->numel;
    if (t->dtype == GALLEY_F32) {
        float *p = galley__ptr(t);
        const float *m = galley__ptr(mask);
        for (long i = 0; i < n; i++)
            if (m[i] != 0)
                p[i] = 0;
    } else if (t->dtype == GALLEY_F64) {
        double *p = galley__ptr(t);
        const double *m = galley__ptr(mask);
        for (long i = 0; i < n; i++)
            if (m[i] != 0)
                p[i] = 0;
    }
}

/* (declared in tensor_internal.h) */
void galley__format_double(double v, char *buf, size_t n)
{
    locale_t c = galley__c_locale(), old = c ? uselocale(c) : (locale_t)0;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (c)
        uselocale(old);
}

/* ---- backward helpers ---- */


/* 1 - y*y */
static galley_tensor *S_one_minus_square(galley_tensor *y)
{
    return galley_add_scalar(galley_neg(galley_mul(y, y)), 1.0);
}

/* g (of the shape of t reduced over axis, all axes when axis < 0) as a
 * view of t's shape: stride 0 on the reduced axes. g is contiguous. */
static galley_tensor *S_broadcast_back(galley_tensor *g,
                                       const galley_tensor *t, int axis)
{
    long strides[GALLEY_MAX_DIMS], stride = 1;

    for (int i = t->ndim - 1; i >= 0; i--) {
        if (axis < 0 || i == axis) {
            strides[i] = 0;
        } else {
            strides[i] = stride;
            stride *= t->shape[i];
        }
    }
    return galley__view(g, t->ndim, t->shape, strides, g->offset);
}

/* ---- binary ops ---- */

/* The common part of the binary ops: checks, the kernel, the record. */
static galley_tensor *S_binary(galley__binop op, const galley__opdef *def,
                               galley_tensor *a, galley_tensor *b,
                               const char *opname)
{
    galley_tensor *out;

    if (galley__check_arith(a, b, opname) < 0)
        return NULL;
    out = galley__binary_new(op, a, b, opname);
    if (out)
        galley__record(out, def, 2, (galley_tensor *const[]){a, b});
    return out;
}

/* d(a+b) = g, g. accum_grad sums the broadcast axes away. */
static void S_add_backward(galley_tensor *out, galley_tensor *g)
{
    galley__accum_grad(out->in[0], g);
    galley__accum_grad(out->in[1], g);
}

static void S_sub_backward(galley_tensor *out, galley_tensor *g)
{
    galley__accum_grad(out->in[0], g);
    if (out->in[1]->requires_grad) {
        GALLEY__BACKWARD_BEGIN;
        galley__accum_grad(out->in[1], galley_neg(g));
        GALLEY__BACKWARD_END;
    }
}

static void S_mul_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0], *b = out->in[1];
    GALLEY__BACKWARD_BEGIN;
    if (a->requires_grad)
        galley__accum_grad(a, galley_mul(g, b));
    if (b->requires_grad)
        galley__accum_grad(b, galley_mul(g, a));
    GALLEY__BACKWARD_END;
}

/* d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -out/b. */
static void S_div_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0], *b = out->in[1];
    GALLEY__BACKWARD_BEGIN;
    if (a->requires_grad)
        galley__accum_grad(a, galley_div(g, b));
    if (b->requires_grad)
        galley__accum_grad(b, galley_neg(galley_div(galley_mul(g, out), b)));
    GALLEY__BACKWARD_END;
}

/* 1 where t broadcast to like's shape is 0 (cmp GALLEY__EQ) or above 0
 * (GALLEY__GT), else 0 (NaN: 0): a new tensor of like's shape and dtype,
 * t's dtype being like's or promoting to it. For backward passes. */
static galley_tensor *S_cmp_zero(galley__binop cmp, const galley_tensor *t,
                                 const galley_tensor *like, const char *opname)
{
    galley_tensor e, *zero = galley_zeros(like->dtype, GALLEY_SHAPE());
    galley__expand(t, like->ndim, like->shape, &e);
    return galley__binary_new(cmp, &e, zero, opname);
}

galley_tensor *galley__masked_grad(galley_tensor *g, const galley_tensor *mask)
{
    galley_tensor *d = galley_clone(g);
    galley__zero_where(d, S_cmp_zero(GALLEY__EQ, mask, mask, "backward"));
    return d;
}

/* t itself when of dtype, else a copy in dtype (of the current scope). */
static galley_tensor *S_as_dtype(galley_tensor *t, galley_dtype dtype)
{
    return t->dtype == dtype ? t : galley_tensor_to(t, dtype);
}

/* torch's formulas (pow_backward_self, pow_backward_exponent), so that the
 * points where a^b has no derivative give what torch gives:
 * da = where(b == 0, 0, g b a^(b-1)), 0 at (0, 0) where b a^(b-1) is NaN;
 * db = g where(a == 0 and b >= 0, 0, a^b log a), 0 at (0, 0) and (0, 2)
 * where a^b log a is NaN or -inf. An int64 operand (which has no gradient
 * of its own) is read in out's dtype. */
static void S_pow_backward(galley_tensor *out, galley_tensor *g)
{
    const char *op = "pow";
    galley_tensor *a = out->in[0], *b = out->in[1];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *fa = S_as_dtype(a, out->dtype);
    galley_tensor *fb = S_as_dtype(b, out->dtype);
    if (a->requires_grad) {
        galley_tensor *p = galley_pow(fa, galley_add_scalar(fb, -1));
        galley_tensor *d = galley_mul(g, galley_mul(fb, p));
        galley__zero_where(d, S_cmp_zero(GALLEY__EQ, fb, out, op));
        galley__accum_grad(a, d);
    }
    if (b->requires_grad) {
        /* a == 0 and b >= 0 as a product of 0/1 masks; b >= 0 as b > 0
         * plus b == 0, neither of which holds for NaN. */
        galley_tensor *a0 = S_cmp_zero(GALLEY__EQ, fa, out, op);
        galley_tensor *bnn = galley__binary_new(
            GALLEY__ADD, S_cmp_zero(GALLEY__GT, fb, out, op),
            S_cmp_zero(GALLEY__EQ, fb, out, op), op);
        galley_tensor *v = galley_mul(out, galley_log(fa));
        galley__zero_where(v, galley__binary_new(GALLEY__MUL, a0, bnn, op));
        galley__accum_grad(b, galley_mul(g, v));
    }
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_add_def = {"add", S_add_backward, NULL};
static const galley__opdef S_sub_def = {"sub", S_sub_backward, NULL};
static const galley__opdef S_mul_def = {"mul", S_mul_backward, NULL};
static const galley__opdef S_div_def = {"div", S_div_backward, NULL};
static const galley__opdef S_pow_def = {"pow", S_pow_backward, NULL};

galley_tensor *galley_add(galley_tensor *a, galley_tensor *b)
{
    return S_binary(GALLEY__ADD, &S_add_def, a, b, "galley_add");
}

galley_tensor *galley_sub(galley_tensor *a, galley_tensor *b)
{
    return S_binary(GALLEY__SUB, &S_sub_def, a, b, "galley_sub");
}

galley_tensor *galley_mul(galley_tensor *a, galley_tensor *b)
{
    return S_binary(GALLEY__MUL, &S_mul_def, a, b, "galley_mul");
}

galley_tensor *galley_div(galley_tensor *a, galley_tensor *b)
{
    return S_binary(GALLEY__DIV, &S_div_def, a, b, "galley_div");
}

galley_tensor *galley_pow(galley_tensor *a, galley_tensor *b)
{
    return S_binary(GALLEY__POW, &S_pow_def, a, b, "galley_pow");
}

/* ---- unary and scalar ops ---- */

/* (declared in tensor_internal.h) */
galley_tensor *galley__unary_op(galley__unop op, const galley__opdef *def,
                                galley_tensor *a, double arg, const char *what,
                                const char *opname)
{
    galley_tensor *out;

    if (galley__check(a, opname, what) < 0 ||
        galley__check_float(a, opname, what) < 0)
        return NULL;
    out = galley__unary_new(op, a, arg, opname);
    if (!out)
        return NULL;
    galley__record(out, def, 1, &a);
    out->darg[0] = arg;
    return out;
}

/* (declared in tensor_internal.h) */
void galley__scalar_args(const galley_tensor *out, char *buf, size_t n)
{
    galley__format_double(out->darg[0], buf, n);
}

static void S_add_scalar_backward(galley_tensor *out, galley_tensor *g)
{
    galley__accum_grad(out->in[0], g);
}

static void S_mul_scalar_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_mul_scalar(g, out->darg[0]));
    GALLEY__BACKWARD_END;
}

/* d(a^p)/da = p a^(p-1); zero for p = 0 (where 0 * 0^-1 would be NaN). */
static void S_pow_scalar_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0];
    double p = out->darg[0];
    GALLEY__BACKWARD_BEGIN;
    if (p == 0)
        galley__accum_grad(a, galley_zeros_like(a));
    else
        galley__accum_grad(a, galley_mul(g, galley_mul_scalar(
                                                galley_pow_scalar(a, p - 1), p)));
    GALLEY__BACKWARD_END;
}

static void S_neg_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_neg(g));
    GALLEY__BACKWARD_END;
}

/* d(exp a) = exp a = out. */
static void S_exp_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_mul(g, out));
    GALLEY__BACKWARD_END;
}

static void S_log_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_div(g, out->in[0]));
    GALLEY__BACKWARD_END;
}

/* d(tanh a) = 1 - out^2. */
static void S_tanh_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_mul(g, S_one_minus_square(out)));
    GALLEY__BACKWARD_END;
}

/* d(sigmoid a) = out (1 - out). */
static void S_sigmoid_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *d = galley_mul(out, galley_add_scalar(galley_neg(out), 1.0));
    galley__accum_grad(out->in[0], galley_mul(g, d));
    GALLEY__BACKWARD_END;
}

/* torch's threshold_backward(g, out, 0): g where out is not <= 0, else 0,
 * into a new tensor; out and g are contiguous, of one shape and dtype. A
 * select, not a product with a 0/1 step: a NaN out (relu keeps NaN) passes
 * g as in torch, and a g of inf or NaN where out <= 0 still gives 0. One
 * loop on the host, since relu's backward is on every MLP's path; on a
 * device, staged (g and out downloaded, the result uploaded). */
static galley_tensor *S_threshold_backward(galley_tensor *g,
                                           const galley_tensor *out);

static galley_tensor *S_threshold_staged(galley_tensor *g,
                                         const galley_tensor *out)
{
    galley_tensor *hg = galley__on_host(g), *ho = galley__on_host(out);
    galley_tensor *d = S_threshold_backward(hg, ho);
    if (hg != g)
        galley_tensor_free(hg);
    if (ho != out)
        galley_tensor_free(ho);
    return galley__follow(d, g);
}

static galley_tensor *S_threshold_backward(galley_tensor *g,
                                           const galley_tensor *out)
{
    if (g->st->be->device != GALLEY_CPU)
        return S_threshold_staged(g, out);
    galley_tensor *d =
        galley__new_like(g, g->dtype, g->ndim, g->shape, "relu");
    long n = d->numel;
    if (d->dtype == GALLEY_F32) {
        const float *pg = galley__ptr(g), *po = galley__ptr(out);
        float *pd = galley__ptr(d);
        for (long i = 0; i < n; i++)
            pd[i] = po[i] <= 0 ? 0 : pg[i];
    } else {
        const double *pg = galley__ptr(g), *po = galley__ptr(out);
        double *pd = galley__ptr(d);
        for (long i = 0; i < n; i++)
            pd[i] = po[i] <= 0 ? 0 : pg[i];
    }
    return d;
}

static void S_relu_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], S_threshold_backward(g, out));
    GALLEY__BACKWARD_END;
}

/* d(sqrt a) = 0.5 / out. */
static void S_sqrt_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley_div(galley_mul_scalar(g, 0.5), out));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_add_scalar_def = {
    "add_scalar", S_add_scalar_backward, galley__scalar_args};
static const galley__opdef S_mul_scalar_def = {
    "mul_scalar", S_mul_scalar_backward, galley__scalar_args};
static const galley__opdef S_pow_scalar_def = {
    "pow_scalar", S_pow_scalar_backward, galley__scalar_args};
static const galley__opdef S_neg_def = {"neg", S_neg_backward, NULL};
static const galley__opdef S_exp_def = {"exp", S_exp_backward, NULL};
static const galley__opdef S_log_def = {"log", S_log_backward, NULL};
static const galley__opdef S_tanh_def = {"tanh", S_tanh_backward, NULL};
static const galley__opdef S_sigmoid_def = {"sigmoid", S_sigmoid_backward,
                                            NULL};
static const galley__opdef S_relu_def = {"relu", S_relu_backward, NULL};
static const galley__opdef S_sqrt_def = {"sqrt", S_sqrt_backward, NULL};

galley_tensor *galley_add_scalar(galley_tensor *a, double s)
{
    return galley__unary_op(GALLEY__ADD_SCALAR, &S_add_scalar_def, a, s,
                            "a", "galley_add_scalar");
}

galley_tensor *galley_mul_scalar(galley_tensor *a, double s)
{
    return galley__unary_op(GALLEY__MUL_SCALAR, &S_mul_scalar_def, a, s,
                            "a", "galley_mul_scalar");
}

galley_tensor *galley_pow_scalar(galley_tensor *a, double p)
{
    return galley__unary_op(GALLEY__POW_SCALAR, &S_pow_scalar_def, a, p,
                            "a", "galley_pow_scalar");
}

galley_tensor *galley_neg(galley_tensor *a)
{
    return galley__unary_op(GALLEY__NEG, &S_neg_def, a, 0, "a", "galley_neg");
}

galley_tensor *galley_exp(galley_tensor *a)
{
    return galley__unary_op(GALLEY__EXP, &S_exp_def, a, 0, "a", "galley_exp");
}

galley_tensor *galley_log(galley_tensor *a)
{
    return galley__unary_op(GALLEY__LOG, &S_log_def, a, 0, "a", "galley_log");
}

galley_tensor *galley_tanh(galley_tensor *a)
{
    return galley__unary_op(GALLEY__TANH, &S_tanh_def, a, 0,
                            "a", "galley_tanh");
}

galley_tensor *galley_sigmoid(galley_tensor *a)
{
    return galley__unary_op(GALLEY__SIGMOID, &S_sigmoid_def, a, 0,
                            "a", "galley_sigmoid");
}

galley_tensor *galley_relu(galley_tensor *a)
{
    return galley__unary_op(GALLEY__RELU, &S_relu_def, a, 0,
                            "a", "galley_relu");
}

galley_tensor *galley_sqrt(galley_tensor *a)
{
    return galley__unary_op(GALLEY__SQRT, &S_sqrt_def, a, 0,
                            "a", "galley_sqrt");
}

/* ---- reductions ---- */

/* The kinds of differentiable reductions. */
typedef enum { S_SUM, S_MEAN, S_MAX } S_reduction;

/* (declared in tensor_internal.h) */
int galley__reduce_check(galley_tensor *t, int all, int axis, int nonempty,
                         int *ax, const char *opname)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];

    if (galley__check(t, opname, "t") < 0 ||
        galley__check_float(t, opname, "t") < 0)
        return -1;
    *ax = all ? -1 : galley__axis(axis, t->ndim, opname);
    if (*ax < 0 && !all)
        return -1;
    if (nonempty && (all ? t->numel : t->shape[*ax]) == 0) {
        if (all)
            galley__error(opname, "%s: no elements to choose from",
                          galley__desc(t, d));
        else
            galley__error(opname, "%s: axis %d is empty", galley__desc(t, d),
                          axis);
        return -1;
    }
    return 0;
}

/* The number of elements each result of a reduction of t over ax (all
 * when < 0) comes from. */
static long S_reduced_count(const galley_tensor *t, int ax)
{
    return ax < 0 ? t->numel : t->shape[ax];
}

/* The forward of sum, mean and max, over ax (all axes when < 0). */
static galley_tensor *S_reduce_forward(S_reduction kind, galley_tensor *t,
                                       int ax, int keepdim,
                                       const char *opname)
{
    galley_tensor *s, *out;

    if (kind == S_MAX)
        return galley__reduce_new(GALLEY__RMAX, t, ax, keepdim, opname);
    s = galley__reduce_new(GALLEY__RSUM, t, ax, keepdim, opname);
    if (kind == S_SUM || !s)
        return s;
    out = galley__div_scalar_new(s, (double)S_reduced_count(t, ax), opname);
    galley_tensor_free(s);
    return out;
}

/* A reduction with its checks and record: axis and keepdim go to larg[0]
 * and larg[1] (-1 for all axes). */
static galley_tensor *S_reduce(S_reduction kind, const galley__opdef *def,
                               galley_tensor *t, int all, int axis,
                               int keepdim, const char *opname)
{
    galley_tensor *out;
    int ax;

    if (galley__reduce_check(t, all, axis, kind == S_MAX, &ax, opname) < 0)
        return NULL;
    out = S_reduce_forward(kind, t, ax, keepdim && !all, opname);
    if (!out)
        return NULL;
    galley__record(out, def, 1, &t);
    out->larg[0] = ax;
    out->larg[1] = keepdim && !all;
    return out;
}

/* Writes "axis=1, keepdim=0" for the reductions over one axis. */
/* (declared in tensor_internal.h) */
void galley__axis_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "axis=%ld", out->larg[0]);
}

/* (declared in tensor_internal.h) */
void galley__axis_keepdim_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "axis=%ld, keepdim=%ld", out->larg[0], out->larg[1]);
}

/* d sum = g broadcast back over the reduced axes; d mean = that / n. */
static void S_sum_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    int ax = (int)out->larg[0];
    if (!t->requires_grad)
        return;
    GALLEY__BACKWARD_BEGIN;
    if (out->op->name[0] == 'm') /* mean, mean_all */
        g = galley__div_scalar_new(g, (double)S_reduced_count(t, ax), "mean");
    galley__accum_grad(t, S_broadcast_back(g, t, ax));
    GALLEY__BACKWARD_END;
}

/* The index of the first greatest element of t over ax (-1: flat over all
 * axes, a 0-d result) as int64, keeping the axis when keepdim. */
static galley_tensor *S_argmax_new(galley_tensor *t, int ax, int keepdim,
                                   const char *opname)
{
    long shape[GALLEY_MAX_DIMS];
    int nd = S_reduced_shape(t, ax, keepdim && ax >= 0, shape);
    galley_tensor *out =
        galley__new_like(t, GALLEY_I64, nd, shape, opname), view;

    if (!out)
        return NULL;
    /* The kernel wants the axis removed; a size-1 axis changes no layout. */
    view = *out;
    galley__set_contiguous(&view, S_reduced_shape(t, ax, 0, shape), shape);
    galley__backend_of(t)->argmax(&view, t, ax);
    return out;
}

/* 1 at the first greatest element of t over ax (over all when < 0), 0
 * elsewhere, in t's shape and dtype: the gradient of max goes to one
 * element even when several tie. Indices compare as float64, exact to
 * 2^53. */
static galley_tensor *S_first_max_mask(galley_tensor *t, int ax)
{
    long shape[GALLEY_MAX_DIMS];
    galley_tensor *idx =
        galley_tensor_to(S_argmax_new(t, ax, 1, "max"), GALLEY_F64);
    galley_tensor *pos;

    for (int i = 0; i < t->ndim; i++)
        shape[i] = ax < 0 ? t->shape[i] : i == ax ? t->shape[i] : 1;
    pos = galley_reshape(
        galley_arange(GALLEY_F64, 0, (double)S_reduced_count(t, ax), 1),
        t->ndim, shape);
    return galley_tensor_to(galley__binary_new(GALLEY__EQ, pos, idx, "max"),
                     t->dtype);
}

/* 1 at every greatest element of t, 0 elsewhere, in t's shape and dtype:
 * where t == m, the max of all of t (0-d), or where t is NaN when m is
 * (torch's evenly_distribute_backward). */
static galley_tensor *S_all_max_mask(galley_tensor *t, galley_tensor *m)
{
    if (galley_item(m) == galley_item(m))
        return galley__binary_new(GALLEY__EQ, t, m, "max_all");
    galley_tensor *num = galley__binary_new(GALLEY__EQ, t, t, "max_all");
    return galley_add_scalar(galley_neg(num), 1);
}

/* d max_all = g split evenly among the greatest elements, as torch's
 * max(): a select (0 elsewhere even when g is inf or NaN). */
static void S_max_all_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    if (!t->requires_grad)
        return;
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *mask = S_all_max_mask(t, out);
    galley_tensor *share = galley_div(g, galley_sum_all(mask));
    galley__accum_grad(t, galley__masked_grad(S_broadcast_back(share, t, -1),
                                              mask));
    GALLEY__BACKWARD_END;
}

/* d max = g at the first greatest element of each group along the axis
 * (the index max(dim) returns, as torch's). */
static void S_max_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *t = out->in[0];
    int ax = (int)out->larg[0];
    if (!t->requires_grad)
        return;
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *gk = S_broadcast_back(g, t, ax);
    galley__accum_grad(t, galley__masked_grad(gk, S_first_max_mask(t, ax)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_sum_all_def = {"sum_all", S_sum_backward, NULL};
static const galley__opdef S_mean_all_def = {"mean_all", S_sum_backward,
                                             NULL};
static const galley__opdef S_max_all_def = {"max_all", S_max_all_backward,
                                            NULL};
static const galley__opdef S_sum_def = {"sum", S_sum_backward,
                                        galley__axis_keepdim_args};
static const galley__opdef S_mean_def = {"mean", S_sum_backward,
                                         galley__axis_keepdim_args};
static const galley__opdef S_max_def = {"max", S_max_backward,
                                        galley__axis_keepdim_args};

galley_tensor *galley_sum_all(galley_tensor *t)
{
    return S_reduce(S_SUM, &S_sum_all_def, t, 1, 0, 0, "galley_sum_all");
}

galley_tensor *galley_mean_all(galley_tensor *t)
{
    return S_reduce(S_MEAN, &S_mean_all_def, t, 1, 0, 0, "galley_mean_all");
}

galley_tensor *galley_max_all(galley_tensor *t)
{
    return S_reduce(S_MAX, &S_max_all_def, t, 1, 0, 0, "galley_max_all");
}

galley_tensor *galley_sum(galley_tensor *t, int axis, int keepdim)
{
    return S_reduce(S_SUM, &S_sum_def, t, 0, axis, keepdim, "galley_sum");
}

galley_tensor *galley_mean(galley_tensor *t, int axis, int keepdim)
{
    return S_reduce(S_MEAN, &S_mean_def, t, 0, axis, keepdim, "galley_mean");
}

galley_tensor *galley_max(galley_tensor *t, int axis, int keepdim)
{
    return S_reduce(S_MAX, &S_max_def, t, 0, axis, keepdim, "galley_max");
}

galley_tensor *galley_argmax_all(galley_tensor *t)
{
    int ax;
    if (galley__reduce_check(t, 1, 0, 1, &ax, "galley_argmax_all") < 0)
        return NULL;
    return S_argmax_new(t, -1, 0, "galley_argmax_all");
}

galley_tensor *galley_argmax(galley_tensor *t, int axis, int keepdim)
{
    int ax;
    if (galley__reduce_check(t, 0, axis, 1, &ax, "galley_argmax") < 0)
        return NULL;
    return S_argmax_new(t, ax, keepdim, "galley_argmax");
}
