/* tensor_elem.c: comparisons, where, masked_fill, clamp, abs,
 * maximum/minimum, gelu, leaky_relu, softplus, sin and cos: elementwise ops
 * with torch's values and gradients at the edges (NaN, ties, bounds).
 * The reductions that came with them (min, var, norm, sort...) are in
 * tensor_reduce.c. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers ---- */

/* A 0-d tensor of t's dtype holding v: the scalar side of an op. */
static galley_tensor *S_scalar_like(const galley_tensor *t, double v)
{
    galley_tensor *s = galley__new_like(t, t->dtype, 0, NULL, "galley_scalar");
    if (s)
        s->st->be->fill(s, v);
    return s;
}

/* cond ? a : b elementwise, the three broadcast together, into a new
 * tensor of a's dtype (b's must be the same); nothing recorded. cond is
 * true where nonzero (NaN included), as torch's bool(). The selection
 * copies elements bit for bit, so -0, NaN payloads and infinities in the
 * chosen operand come through, which a blend c*a + (1-c)*b would lose. */
static galley_tensor *S_where_host(const galley_tensor *cond,
                                   const galley_tensor *a,
                                   const galley_tensor *b, const char *opname);

/* On a device, staged: the three downloaded, the selection made on the
 * host, the result uploaded. */
static galley_tensor *S_where_staged(const galley_tensor *cond,
                                     const galley_tensor *a,
                                     const galley_tensor *b,
                                     const char *opname)
{
    galley_tensor *h[3] = {galley__on_host(cond), galley__on_host(a),
                           galley__on_host(b)};
    galley_tensor *out = S_where_host(h[0], h[1], h[2], opname);
    for (int i = 0; i < 3; i++)
        if (h[i] != (i == 0 ? cond : i == 1 ? a : b))
            galley_tensor_free(h[i]);
    return galley__follow(out, a);
}

galley_tensor *galley__where_new(const galley_tensor *cond,
                                 const galley_tensor *a,
                                 const galley_tensor *b, const char *opname)
{
    if (galley__check_devices(a, b, opname, "a", "b") ||
        galley__check_devices(cond, a, opname, "cond", "a"))
        return NULL;
    if (a->st->be->device != GALLEY_CPU)
        return S_where_staged(cond, a, b, opname);
    return S_where_host(cond, a, b, opname);
}

static galley_tensor *S_where_host(const galley_tensor *cond,
                                   const galley_tensor *a,
                                   const galley_tensor *b, const char *opname)
{
    const galley__backend *be = galley__backend_of(a);
    long shape[GALLEY_MAX_DIMS];
    galley_tensor ea, eb, ec, *out, *ac, *cc;
    int nd;

    if (galley__broadcast(a, b, &nd, shape, opname) < 0)
        return NULL;
    galley__expand(a, nd, shape, &ea);
    if (galley__broadcast(cond, &ea, &nd, shape, opname) < 0)
        return NULL;
    galley__expand(a, nd, shape, &ea);
    galley__expand(b, nd, shape, &eb);
    galley__expand(cond, nd, shape, &ec);
    out = galley__new_like(a, a->dtype, nd, shape, opname);
    ac = galley__new_like(a, a->dtype, nd, shape, opname);
    cc = galley__new_like(a, GALLEY_F64, nd, shape, opname);
    if (!out || !ac || !cc)
        return NULL;
    be->copy(out, &eb);
    be->copy(ac, &ea);
    be->copy(cc, &ec);
    size_t es = galley__elsize(a->dtype);
    char *o = galley__ptr(out), *pa = galley__ptr(ac);
    const double *c = galley__ptr(cc);
    for (long i = 0; i < out->numel; i++)
        if (c[i] != 0)
            memcpy(o + (size_t)i * es, pa + (size_t)i * es, es);
    galley_tensor_free(ac);
    galley_tensor_free(cc);
    return out;
}

/* Backward of an op whose derivative is the kernel dop at its input (with
 * the op's darg[0]): g * dop(x). */
static void S_chain(galley_tensor *out, galley_tensor *g, galley__unop dop,
                    const char *opname)
{
    galley_tensor *x = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(
        x, galley_mul(g, galley__unary_new(dop, x, out->darg[0], opname)));
    GALLEY__BACKWARD_END;
}

/* ---- comparisons ---- */

typedef enum { S_EQ, S_NE, S_LT, S_LE, S_GT, S_GE } S_cmp;

/* a CMP b as 0/1 in the operands' dtype. int64 operands compare as
 * float64 (the kernels are floating): exact up to 2^53 in magnitude. lt
 * and le are gt and ge with the operands swapped. */
static galley_tensor *S_compare(S_cmp k, galley_tensor *a, galley_tensor *b,
                                const char *opname)
{
    static const galley__binop kernel[] = {GALLEY__EQ, GALLEY__NE, GALLEY__GT,
                                           GALLEY__GE, GALLEY__GT, GALLEY__GE};
    galley_tensor *x = a, *y = b, *out;
    long shape[GALLEY_MAX_DIMS];
    int nd;

    /* Broadcasting is checked here so that the message names a and b in
     * the caller's order. */
    if (galley__check(a, opname, "a") < 0 || galley__check(b, opname, "b") < 0 ||
        galley__broadcast(a, b, &nd, shape, opname) < 0)
        return NULL;
    if (k == S_LT || k == S_LE) {
        x = b;
        y = a;
    }
    /* Floats (and an int64 with a float) promote in galley__binary_new. */
    if (galley__result_type(a, b) != GALLEY_I64)
        return galley__binary_new(kernel[k], x, y, opname);
    int was = galley_set_grad_enabled(0);
    x = galley_tensor_to(x, GALLEY_F64);
    y = galley_tensor_to(y, GALLEY_F64);
    galley_set_grad_enabled(was);
    galley_tensor *r = galley__binary_new(kernel[k], x, y, opname);
    out = r ? galley_tensor_to(r, GALLEY_I64) : NULL;
    galley_tensor_free(x);
    galley_tensor_free(y);
    galley_tensor_free(r);
    return out;
}

/* The scalar forms: s is rounded to a floating a's dtype (as torch does
 * with a Python number); an int64 a compares with s as float64, so that
 * 2 < 2.5 holds. */
static galley_tensor *S_compare_scalar(S_cmp k, galley_tensor *a, double s,
                                       const char *opname)
{
    galley_tensor *x = a, *b, *out;
    if (galley__check(a, opname, "a") < 0)
        return NULL;
    if (a->dtype == GALLEY_I64)
        x = galley_tensor_to(a, GALLEY_F64);
    b = S_scalar_like(x, s);
    out = S_compare(k, x, b, opname);
    galley_tensor_free(b);
    if (x != a) {
        galley_tensor *r = out;
        out = r ? galley_tensor_to(r, GALLEY_I64) : NULL;
        galley_tensor_free(r);
        galley_tensor_free(x);
    }
    return out;
}

galley_tensor *galley_eq(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_EQ, a, b, "galley_eq");
}

galley_tensor *galley_ne(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_NE, a, b, "galley_ne");
}

galley_tensor *galley_lt(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_LT, a, b, "galley_lt");
}

galley_tensor *galley_le(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_LE, a, b, "galley_le");
}

galley_tensor *galley_gt(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_GT, a, b, "galley_gt");
}

galley_tensor *galley_ge(galley_tensor *a, galley_tensor *b)
{
    return S_compare(S_GE, a, b, "galley_ge");
}

galley_tensor *galley_eq_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_EQ, a, s, "galley_eq_scalar");
}

galley_tensor *galley_ne_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_NE, a, s, "galley_ne_scalar");
}

galley_tensor *galley_lt_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_LT, a, s, "galley_lt_scalar");
}

galley_tensor *galley_le_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_LE, a, s, "galley_le_scalar");
}

galley_tensor *galley_gt_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_GT, a, s, "galley_gt_scalar");
}

galley_tensor *galley_ge_scalar(galley_tensor *a, double s)
{
    return S_compare_scalar(S_GE, a, s, "galley_ge_scalar");
}

/* ---- where and masked_fill ---- */

/* d where = g where cond holds to a, elsewhere to b (as torch: zeros
 * selected, not multiplied, so an infinite g stays out of the other). */
static void S_where_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *cond = out->in[0], *a = out->in[1], *b = out->in[2];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *zero = S_scalar_like(g, 0);
    if (a->requires_grad)
        galley__accum_grad(a, galley__where_new(cond, g, zero, "where"));
    if (b->requires_grad)
        galley__accum_grad(b, galley__where_new(cond, zero, g, "where"));
    GALLEY__BACKWARD_END;
}

/* Casts *a and *b to the dtype they promote to (galley__result_type), as
 * torch's binary ops do; the casts are in the graph, so each gradient comes
 * back in its operand's dtype. -1 after a reported error. */
static int S_promote_pair(galley_tensor **a, galley_tensor **b)
{
    galley_dtype dt = galley__result_type(*a, *b);
    if ((*a)->dtype != dt && !(*a = galley_tensor_to(*a, dt)))
        return -1;
    if ((*b)->dtype != dt && !(*b = galley_tensor_to(*b, dt)))
        return -1;
    return 0;
}

static const galley__opdef S_where_def = {"where", S_where_backward, NULL};

galley_tensor *galley_where(galley_tensor *cond, galley_tensor *a,
                            galley_tensor *b)
{
    const char *op = "galley_where";
    galley_tensor *out;

    if (galley__check(cond, op, "cond") < 0 || galley__check(a, op, "a") < 0 ||
        galley__check(b, op, "b") < 0 || S_promote_pair(&a, &b) < 0)
        return NULL;
    out = galley__where_new(cond, a, b, op);
    if (out)
        galley__record(out, &S_where_def, 3,
                       (galley_tensor *const[]){cond, a, b});
    return out;
}

static void S_masked_fill_backward(galley_tensor *out, galley_tensor *g)
{
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(out->in[0], galley__where_new(out->in[1],
                                                     S_scalar_like(g, 0), g,
                                                     "masked_fill"));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_masked_fill_def = {
    "masked_fill", S_masked_fill_backward, galley__scalar_args};

galley_tensor *galley_masked_fill(galley_tensor *t, galley_tensor *mask,
                                  double value)
{
    const char *op = "galley_masked_fill";
    char dt[GALLEY__SHAPE_STR_MAX + 8], dm[GALLEY__SHAPE_STR_MAX + 8];
    long shape[GALLEY_MAX_DIMS];
    galley_tensor *v, *out;
    int nd;

    if (galley__check(t, op, "t") < 0 || galley__check(mask, op, "mask") < 0)
        return NULL;
    if (galley__broadcast(t, mask, &nd, shape, op) < 0)
        return NULL;
    if (!galley__same_shape(t, nd, shape)) {
        galley__error(op, "mask %s does not broadcast to t's shape (t is %s)",
                      galley__desc(mask, dm), galley__desc(t, dt));
        return NULL;
    }
    v = S_scalar_like(t, value);
    out = galley__where_new(mask, v, t, op);
    galley_tensor_free(v);
    if (!out)
        return NULL;
    galley__record(out, &S_masked_fill_def, 2,
                   (galley_tensor *const[]){t, mask});
    out->darg[0] = value;
    return out;
}

/* ---- clamp and abs ---- */

/* d clamp = g where lo <= x <= hi, bounds included (torch's clamp_backward);
 * 0 elsewhere and at NaN. */
static void S_clamp_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *x = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *lo = S_scalar_like(x, out->darg[0]);
    galley_tensor *hi = S_scalar_like(x, out->darg[1]);
    galley_tensor *in = galley_mul(galley__binary_new(GALLEY__GE, x, lo, "clamp"),
                                   galley__binary_new(GALLEY__GE, hi, x, "clamp"));
    galley__accum_grad(x, galley_mul(g, in));
    GALLEY__BACKWARD_END;
}

static void S_clamp_args(const galley_tensor *out, char *buf, size_t n)
{
    char lo[32], hi[32];
    galley__format_double(out->darg[0], lo, sizeof lo);
    galley__format_double(out->darg[1], hi, sizeof hi);
    snprintf(buf, n, "lo=%s, hi=%s", lo, hi);
}

static const galley__opdef S_clamp_def = {"clamp", S_clamp_backward,
                                          S_clamp_args};

galley_tensor *galley_clamp(galley_tensor *t, double lo, double hi)
{
    const char *op = "galley_clamp";
    galley_tensor *m, *out;

    if (galley__check(t, op, "t") < 0 || galley__check_float(t, op, "t") < 0)
        return NULL;
    if (lo != lo || hi != hi) {
        galley__error(op, "a bound is NaN (lo %g, hi %g); pass -INFINITY or "
                      "INFINITY for no bound", lo, hi);
        return NULL;
    }
    m = galley__unary_new(GALLEY__CLAMP_MIN, t, lo, op);
    out = m ? galley__unary_new(GALLEY__CLAMP_MAX, m, hi, op) : NULL;
    galley_tensor_free(m);
    if (!out)
        return NULL;
    galley__record(out, &S_clamp_def, 1, &t);
    out->darg[0] = lo;
    out->darg[1] = hi;
    return out;
}

/* d|x| = sign(x): 0 at 0 and at NaN, as torch's sgn. */
static void S_abs_backward(galley_tensor *out, galley_tensor *g)
{
    S_chain(out, g, GALLEY__SIGN, "abs");
}

static const galley__opdef S_abs_def = {"abs", S_abs_backward, NULL};

galley_tensor *galley_abs(galley_tensor *t)
{
    return galley__unary_op(GALLEY__ABS, &S_abs_def, t, 0, "t", "galley_abs");
}

/* ---- maximum and minimum ---- */

/* The share of g that a gets from maximum(a, b) (or minimum when min):
 * all of it where a wins or either is NaN, half on a tie, none where b
 * wins (torch's derivatives.yaml: where(a == b, g / 2, g).masked_fill_(a <
 * b, 0)). */
static galley_tensor *S_share(galley_tensor *a, galley_tensor *b, int min)
{
    galley_tensor *tie = galley__binary_new(GALLEY__EQ, a, b, "maximum");
    galley_tensor *lose = min ? galley__binary_new(GALLEY__GT, a, b, "minimum")
                              : galley__binary_new(GALLEY__GT, b, a, "maximum");
    return galley_mul(galley_add_scalar(galley_mul_scalar(tie, -0.5), 1),
                      galley_add_scalar(galley_neg(lose), 1));
}

static void S_extremum_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0], *b = out->in[1];
    int min = (int)out->larg[0];
    GALLEY__BACKWARD_BEGIN;
    if (a->requires_grad)
        galley__accum_grad(a, galley_mul(g, S_share(a, b, min)));
    if (b->requires_grad)
        galley__accum_grad(b, galley_mul(g, S_share(b, a, min)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_maximum_def = {"maximum", S_extremum_backward,
                                            NULL};
static const galley__opdef S_minimum_def = {"minimum", S_extremum_backward,
                                            NULL};

static galley_tensor *S_extremum(galley_tensor *a, galley_tensor *b, int min,
                                 const char *opname)
{
    galley_tensor *out;

    if (galley__check(a, opname, "a") < 0 || galley__check(b, opname, "b") < 0 ||
        galley__check_float(a, opname, "a") < 0 ||
        galley__check_float(b, opname, "b") < 0 || S_promote_pair(&a, &b) < 0)
        return NULL;
    out = galley__binary_new(min ? GALLEY__MINIMUM : GALLEY__MAXIMUM, a, b,
                             opname);
    if (!out)
        return NULL;
    galley__record(out, min ? &S_minimum_def : &S_maximum_def, 2,
                   (galley_tensor *const[]){a, b});
    out->larg[0] = min;
    return out;
}

galley_tensor *galley_maximum(galley_tensor *a, galley_tensor *b)
{
    return S_extremum(a, b, 0, "galley_maximum");
}

galley_tensor *galley_minimum(galley_tensor *a, galley_tensor *b)
{
    return S_extremum(a, b, 1, "galley_minimum");
}

/* ---- activations and trigonometry ---- */

static void S_gelu_backward(galley_tensor *out, galley_tensor *g)
{
    S_chain(out, g, GALLEY__GELU_GRAD, "gelu");
}

static void S_leaky_relu_backward(galley_tensor *out, galley_tensor *g)
{
    S_chain(out, g, GALLEY__LEAKY_STEP, "leaky_relu");
}

static void S_softplus_backward(galley_tensor *out, galley_tensor *g)
{
    S_chain(out, g, GALLEY__SOFTPLUS_GRAD, "softplus");
}

static void S_sin_backward(galley_tensor *out, galley_tensor *g)
{
    S_chain(out, g, GALLEY__COS, "sin");
}

/* d cos = -sin. */
static void S_cos_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *x = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley_tensor *s = galley__unary_new(GALLEY__SIN, x, 0, "cos");
    galley__accum_grad(x, galley_neg(galley_mul(g, s)));
    GALLEY__BACKWARD_END;
}

static const galley__opdef S_gelu_def = {"gelu", S_gelu_backward, NULL};
static const galley__opdef S_gelu_tanh_def = {"gelu_tanh", S_gelu_backward,
                                              NULL};
static const galley__opdef S_leaky_relu_def = {
    "leaky_relu", S_leaky_relu_backward, galley__scalar_args};
static const galley__opdef S_softplus_def = {"softplus", S_softplus_backward,
                                             NULL};
static const galley__opdef S_sin_def = {"sin", S_sin_backward, NULL};
static const galley__opdef S_cos_def = {"cos", S_cos_backward, NULL};

galley_tensor *galley_gelu(galley_tensor *t)
{
    return galley__unary_op(GALLEY__GELU, &S_gelu_def, t, 0,
                            "t", "galley_gelu");
}

galley_tensor *galley_gelu_tanh(galley_tensor *t)
{
    return galley__unary_op(GALLEY__GELU, &S_gelu_tanh_def, t, 1,
                            "t", "galley_gelu_tanh");
}

galley_tensor *galley_leaky_relu(galley_tensor *t, double slope)
{
    return galley__unary_op(GALLEY__LEAKY_RELU, &S_leaky_relu_def, t, slope,
                            "t", "galley_leaky_relu");
}

galley_tensor *galley_softplus(galley_tensor *t)
{
    return galley__unary_op(GALLEY__SOFTPLUS, &S_softplus_def, t, 0,
                            "t", "galley_softplus");
}

galley_tensor *galley_sin(galley_tensor *t)
{
    return galley__unary_op(GALLEY__SIN, &S_sin_def, t, 0, "t", "galley_sin");
}

galley_tensor *galley_cos(galley_tensor *t)
{
    return galley__unary_op(GALLEY__COS, &S_cos_def, t, 0, "t", "galley_cos");
}
