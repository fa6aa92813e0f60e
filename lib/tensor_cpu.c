/* tensor_cpu.c: the CPU backend: the kernels every tensor op runs on, over
 * any strides, with plain loops for the contiguous cases (that the compiler
 * vectorizes) and OpenBLAS for matrix products. */
#include "tensor_internal.h"

#include "alloc.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ---- */

static void *S_alloc(size_t nbytes)
{
    return galley__rt_xrealloc(NULL, nbytes);
}

static void S_free(void *p)
{
    free(p);
}

/* ---- the strided iterator ----
 *
 * Up to three operands walked together over one shape in row-major order.
 * Axes of size 1 are dropped and an axis merged into the one inside it when
 * every operand steps over both as one, so contiguous operands become a
 * single row and the row functions below see long runs. */

typedef struct S_iter {
    int nd;
    long n[GALLEY_MAX_DIMS];
    long s[3][GALLEY_MAX_DIMS]; /* in elements */
} S_iter;

/* A row: n elements at p[k] with steps s[k] (elements). */
typedef void (*S_row_fn)(void *ctx, long n, char *const *p, const long *s);

static void S_iter_init(S_iter *it, int ndim, const long *shape, int nops,
                        const long *const *strides)
{
    int nd = 0;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1)
            continue;
        int merge = nd > 0;
        for (int k = 0; k < nops && merge; k++)
            merge = it->s[k][nd - 1] == strides[k][d] * shape[d];
        if (merge) {
            it->n[nd - 1] *= shape[d];
            for (int k = 0; k < nops; k++)
                it->s[k][nd - 1] = strides[k][d];
            continue;
        }
        it->n[nd] = shape[d];
        for (int k = 0; k < nops; k++)
            it->s[k][nd] = strides[k][d];
        nd++;
    }
    it->nd = nd;
}

/* Calls row for each innermost row of it, operands starting at p0 with
 * element sizes esz. */
static void S_iter_run(const S_iter *it, int nops, char *const *p0,
                       const size_t *esz, S_row_fn row, void *ctx)
{
    long s[3] = {0, 0, 0};
    char *p[3] = {NULL, NULL, NULL};
    for (int k = 0; k < nops; k++)
        p[k] = p0[k];
    if (it->nd == 0) {
        row(ctx, 1, p, s);
        return;
    }
    int last = it->nd - 1;
    for (int k = 0; k < nops; k++)
        s[k] = it->s[k][last];
    long idx[GALLEY_MAX_DIMS] = {0};
    for (;;) {
        row(ctx, it->n[last], p, s);
        int d = last - 1;
        for (; d >= 0; d--) {
            for (int k = 0; k < nops; k++)
                p[k] += it->s[k][d] * (long)esz[k];
            if (++idx[d] < it->n[d])
                break;
            for (int k = 0; k < nops; k++)
                p[k] -= it->s[k][d] * it->n[d] * (long)esz[k];
            idx[d] = 0;
        }
        if (d < 0)
            return;
    }
}

/* Runs row over out and the inputs in[0..nin) (all of out's shape). */
static void S_each(galley_tensor *out, int nin, const galley_tensor *const *in,
                   S_row_fn row, void *ctx)
{
    if (out->numel == 0)
        return;
    const long *strides[3] = {out->strides, NULL, NULL};
    char *p[3] = {galley__ptr(out), NULL, NULL};
    size_t esz[3] = {galley__elsize(out->dtype), 0, 0};
    for (int k = 0; k < nin; k++) {
        strides[k + 1] = in[k]->strides;
        p[k + 1] = galley__ptr(in[k]);
        esz[k + 1] = galley__elsize(in[k]->dtype);
    }
    S_iter it;
    S_iter_init(&it, out->ndim, out->shape, nin + 1, strides);
    S_iter_run(&it, nin + 1, p, esz, row, ctx);
}

/* ---- fill and copy ---- */

typedef struct S_fill_ctx {
    galley_dtype dtype;
    double value;
} S_fill_ctx;

#define S_FILL(T, V)                                                       \
    do {                                                                   \
        T *o = (T *)p[0], v = (V);                                         \
        if (s[0] == 1)                                                     \
            for (long i = 0; i < n; i++)                                   \
                o[i] = v;                                                  \
        else                                                               \
            for (long i = 0; i < n; i++)                                   \
                o[i * s[0]] = v;                                           \
    } while (0)

static void S_fill_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_fill_ctx *c = ctx;
    switch (c->dtype) {
    case GALLEY_F32: S_FILL(float, (float)c->value); break;
    case GALLEY_F64: S_FILL(double, c->value); break;
    case GALLEY_I64: S_FILL(int64_t, galley__to_i64(c->value)); break;
    }
}

static void S_fill(galley_tensor *out, double value)
{
    S_fill_ctx c = {out->dtype, value};
    S_each(out, 0, NULL, S_fill_row, &c);
}

#define S_COPY(TO, TI, CONV)                                               \
    do {                                                                   \
        TO *o = (TO *)p[0];                                                \
        const TI *a = (const TI *)p[1];                                    \
        if (s[0] == 1 && s[1] == 1)                                        \
            for (long i = 0; i < n; i++)                                   \
                o[i] = CONV(a[i]);                                         \
        else                                                               \
            for (long i = 0; i < n; i++)                                   \
                o[i * s[0]] = CONV(a[i * s[1]]);                           \
    } while (0)

#define S_AS_F32(x) ((float)(x))
#define S_AS_F64(x) ((double)(x))
#define S_AS_I64(x) ((int64_t)(x))
#define S_F_TO_I64(x) galley__to_i64((double)(x))

typedef struct S_copy_ctx {
    galley_dtype to, from;
} S_copy_ctx;

static void S_copy_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_copy_ctx *c = ctx;
    switch (c->to * 4 + c->from) {
    case GALLEY_F32 * 4 + GALLEY_F32: S_COPY(float, float, S_AS_F32); break;
    case GALLEY_F32 * 4 + GALLEY_F64: S_COPY(float, double, S_AS_F32); break;
    case GALLEY_F32 * 4 + GALLEY_I64: S_COPY(float, int64_t, S_AS_F32); break;
    case GALLEY_F64 * 4 + GALLEY_F32: S_COPY(double, float, S_AS_F64); break;
    case GALLEY_F64 * 4 + GALLEY_F64: S_COPY(double, double, S_AS_F64); break;
    case GALLEY_F64 * 4 + GALLEY_I64: S_COPY(double, int64_t, S_AS_F64); break;
    case GALLEY_I64 * 4 + GALLEY_F32:
        S_COPY(int64_t, float, S_F_TO_I64);
        break;
    case GALLEY_I64 * 4 + GALLEY_F64:
        S_COPY(int64_t, double, S_F_TO_I64);
        break;
    case GALLEY_I64 * 4 + GALLEY_I64:
        S_COPY(int64_t, int64_t, S_AS_I64);
        break;
    }
}

static void S_copy(galley_tensor *out, const galley_tensor *a)
{
    S_copy_ctx c = {out->dtype, a->dtype};
    S_each(out, 1, &a, S_copy_row, &c);
}

/* ---- unary ops ---- */

typedef struct S_op_ctx {
    int op;
    galley_dtype dtype;
    double arg;
} S_op_ctx;

#define S_UN(T, EXPR)                                                      \
    do {                                                                   \
        if (so == 1 && sa == 1)                                            \
            for (long i = 0; i < n; i++) {                                 \
                T x = a[i];                                                \
                o[i] = (EXPR);                                             \
            }                                                              \
        else                                                               \
            for (long i = 0; i < n; i++) {                                 \
                T x = a[i * sa];                                           \
                o[i * so] = (EXPR);                                        \
            }                                                              \
    } while (0)

/* F(x) in T's precision: sinf for float, sin for double. (The cast keeps
 * clang from warning about the branch not taken.) */
#define S_TG(T, F, X)                                                      \
    (sizeof(T) == sizeof(float) ? F##f((float)(X)) : F(X))
/* The argument of tanh in torch's tanh approximation of GELU. */
#define S_GELU_K(T, X)                                                     \
    ((T)(M_SQRT2 * M_2_SQRTPI * 0.5) * ((X) + (T)0.044715 * (X) * (X) * (X)))

/* The derivative of that approximation, as torch's GeluBackward. */
#define S_DEFINE_GELU_TANH_GRAD(T, TANH)                                   \
    static T S_gelu_tanh_grad_##T(T x)                                     \
    {                                                                      \
        T b = (T)(M_SQRT2 * M_2_SQRTPI * 0.5), k = (T)0.044715;            \
        T inner = b * (x + k * x * x * x), t = TANH(inner);                \
        T left = (T)0.5 * x, right = 1 + t;                                \
        T dinner = b * (1 + 3 * k * x * x);                                \
        return (T)0.5 * right + left * (1 - t * t) * dinner;               \
    }
S_DEFINE_GELU_TANH_GRAD(float, tanhf)
S_DEFINE_GELU_TANH_GRAD(double, tanh)

/* The unary row functions for one floating type: float32 computes in
 * float (expf, tanhf, ...), float64 in double. Sigmoid takes exp of minus
 * |x| only, so it never overflows. */
#define S_DEFINE_UNARY(NAME, T, EXP, LOG, TANH, SQRT, POW)                 \
    static void NAME(galley__unop op, long n, T *o, long so, const T *a,   \
                     long sa, double arg)                                  \
    {                                                                      \
        T c = (T)arg;                                                      \
        switch (op) {                                                      \
        case GALLEY__NEG: S_UN(T, -x); break;                              \
        case GALLEY__EXP: S_UN(T, EXP(x)); break;                          \
        case GALLEY__LOG: S_UN(T, LOG(x)); break;                          \
        case GALLEY__TANH: S_UN(T, TANH(x)); break;                        \
        case GALLEY__SIGMOID:                                              \
            S_UN(T, x >= 0 ? 1 / (1 + EXP(-x)) : EXP(x) / (1 + EXP(x)));   \
            break;                                                         \
        case GALLEY__RELU: S_UN(T, x < 0 ? 0 : x); break;                  \
        case GALLEY__SQRT: S_UN(T, SQRT(x)); break;                        \
        case GALLEY__ADD_SCALAR: S_UN(T, x + c); break;                    \
        case GALLEY__MUL_SCALAR: S_UN(T, x * c); break;                    \
        case GALLEY__POW_SCALAR:                                           \
            if (arg == 2)                                                  \
                S_UN(T, x * x);                                            \
            else if (arg == 1)                                             \
                S_UN(T, x);                                                \
            else                                                           \
                S_UN(T, POW(x, c));                                        \
            break;                                                         \
        case GALLEY__STEP: S_UN(T, x > 0 ? 1 : 0); break;                  \
        case GALLEY__RECIP: S_UN(T, 1 / x); break;                         \
        case GALLEY__ABS: S_UN(T, S_TG(T, fabs, x)); break;                \
        case GALLEY__SIN: S_UN(T, S_TG(T, sin, x)); break;                 \
        case GALLEY__COS: S_UN(T, S_TG(T, cos, x)); break;                 \
        case GALLEY__SIGN: S_UN(T, x > 0 ? 1 : x < 0 ? -1 : 0); break;     \
        case GALLEY__CLAMP_MIN: S_UN(T, x < c ? c : x); break;             \
        case GALLEY__CLAMP_MAX: S_UN(T, x > c ? c : x); break;             \
        case GALLEY__LEAKY_RELU: S_UN(T, x > 0 ? x : x * c); break;        \
        case GALLEY__LEAKY_STEP: S_UN(T, x > 0 ? 1 : c); break;            \
        case GALLEY__GELU:                                                 \
            if (arg == 0)                                                  \
                S_UN(T, x * (T)0.5 *                                       \
                            (1 + S_TG(T, erf, x * (T)M_SQRT1_2)));         \
            else                                                           \
                S_UN(T, (T)0.5 * x * (1 + TANH(S_GELU_K(T, x))));          \
            break;                                                         \
        case GALLEY__GELU_GRAD:                                            \
            if (arg == 0)                                                  \
                S_UN(T, (T)0.5 * (1 + S_TG(T, erf, x * (T)M_SQRT1_2)) +    \
                            x * EXP((T)-0.5 * x * x) *                     \
                                (T)(M_2_SQRTPI * M_SQRT1_2 * 0.5));        \
            else                                                           \
                S_UN(T, S_gelu_tanh_grad_##T(x));                          \
            break;                                                         \
        case GALLEY__SOFTPLUS:                                             \
            S_UN(T, x > 20 ? x : S_TG(T, log1p, EXP(x)));                  \
            break;                                                         \
        case GALLEY__SOFTPLUS_GRAD:                                        \
            S_UN(T, x > 20 ? 1 : EXP(x) / (EXP(x) + 1));                   \
            break;                                                         \
        }                                                                  \
    }

S_DEFINE_UNARY(S_unary_f32, float, expf, logf, tanhf, sqrtf, powf)
S_DEFINE_UNARY(S_unary_f64, double, exp, log, tanh, sqrt, pow)

static void S_unary_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_op_ctx *c = ctx;
    if (c->dtype == GALLEY_F32)
        S_unary_f32(c->op, n, (float *)p[0], s[0], (const float *)p[1], s[1],
                    c->arg);
    else if (c->dtype == GALLEY_F64)
        S_unary_f64(c->op, n, (double *)p[0], s[0], (const double *)p[1],
                    s[1], c->arg);
}

static void S_unary(galley__unop op, galley_tensor *out,
                    const galley_tensor *a, double arg)
{
    S_op_ctx c = {op, out->dtype, arg};
    S_each(out, 1, &a, S_unary_row, &c);
}

/* ---- binary ops ---- */

/* The loops of one binary op: all contiguous, one operand a broadcast
 * scalar (a row of bias, a column of a matrix), or any strides. */
#define S_BIN(T, EXPR)                                                     \
    do {                                                                   \
        if (so == 1 && sa == 1 && sb == 1)                                 \
            for (long i = 0; i < n; i++) {                                 \
                T x = a[i], y = b[i];                                      \
                o[i] = (EXPR);                                             \
            }                                                              \
        else if (so == 1 && sa == 1 && sb == 0) {                          \
            T y = b[0];                                                    \
            for (long i = 0; i < n; i++) {                                 \
                T x = a[i];                                                \
                o[i] = (EXPR);                                             \
            }                                                              \
        } else if (so == 1 && sa == 0 && sb == 1) {                        \
            T x = a[0];                                                    \
            for (long i = 0; i < n; i++) {                                 \
                T y = b[i];                                                \
                o[i] = (EXPR);                                             \
            }                                                              \
        } else                                                             \
            for (long i = 0; i < n; i++) {                                 \
                T x = a[i * sa], y = b[i * sb];                            \
                o[i * so] = (EXPR);                                        \
            }                                                              \
    } while (0)

#define S_DEFINE_BINARY(NAME, T, POW)                                      \
    static void NAME(galley__binop op, long n, T *o, long so, const T *a,  \
                     long sa, const T *b, long sb)                         \
    {                                                                      \
        switch (op) {                                                      \
        case GALLEY__ADD: S_BIN(T, x + y); break;                          \
        case GALLEY__SUB: S_BIN(T, x - y); break;                          \
        case GALLEY__MUL: S_BIN(T, x * y); break;                          \
        case GALLEY__DIV: S_BIN(T, x / y); break;                          \
        case GALLEY__POW: S_BIN(T, POW(x, y)); break;                      \
        case GALLEY__EQ: S_BIN(T, x == y ? 1 : 0); break;                  \
        case GALLEY__GT: S_BIN(T, x > y ? 1 : 0); break;                   \
        case GALLEY__NE: S_BIN(T, x != y ? 1 : 0); break;                  \
        case GALLEY__GE: S_BIN(T, x >= y ? 1 : 0); break;                  \
        case GALLEY__MAXIMUM:                                              \
            S_BIN(T, x != x || y != y ? x + y : x < y ? y : x);            \
            break;                                                         \
        case GALLEY__MINIMUM:                                              \
            S_BIN(T, x != x || y != y ? x + y : y < x ? y : x);            \
            break;                                                         \
        }                                                                  \
    }

S_DEFINE_BINARY(S_binary_f32, float, powf)
S_DEFINE_BINARY(S_binary_f64, double, pow)

static void S_binary_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_op_ctx *c = ctx;
    if (c->dtype == GALLEY_F32)
        S_binary_f32(c->op, n, (float *)p[0], s[0], (const float *)p[1],
                     s[1], (const float *)p[2], s[2]);
    else if (c->dtype == GALLEY_F64)
        S_binary_f64(c->op, n, (double *)p[0], s[0], (const double *)p[1],
                     s[1], (const double *)p[2], s[2]);
}

static void S_binary(galley__binop op, galley_tensor *out,
                     const galley_tensor *a, const galley_tensor *b)
{
    S_op_ctx c = {op, out->dtype, 0};
    const galley_tensor *in[2] = {a, b};
    S_each(out, 2, in, S_binary_row, &c);
}

/* ---- reductions ---- */

/* Sums or maxima accumulate in a double per element of out: acc walks
 * with a over a's shape, with step 0 on the reduced axes. */

#define S_RED(T)                                                           \
    do {                                                                   \
        const T *a = (const T *)p[1];                                      \
        double *acc = (double *)p[0];                                      \
        if (c->op == GALLEY__RSUM && s[0] == 0 && s[1] == 1) {             \
            /* Four partial sums keep the adds pipelined. */               \
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0;                         \
            long i = 0;                                                    \
            for (; i + 4 <= n; i += 4) {                                   \
                t0 += a[i];                                                \
                t1 += a[i + 1];                                            \
                t2 += a[i + 2];                                            \
                t3 += a[i + 3];                                            \
            }                                                              \
            for (; i < n; i++)                                             \
                t0 += a[i];                                                \
            acc[0] += (t0 + t1) + (t2 + t3);                               \
        } else if (c->op == GALLEY__RSUM) {                                \
            for (long i = 0; i < n; i++)                                   \
                acc[i * s[0]] += a[i * s[1]];                              \
        } else {                                                           \
            for (long i = 0; i < n; i++) {                                 \
                double x = a[i * s[1]], *m = &acc[i * s[0]];               \
                if (x > *m || x != x)                                      \
                    *m = *m != *m ? *m : x;                                \
            }                                                              \
        }                                                                  \
    } while (0)

typedef struct S_red_ctx {
    galley__redop op;
    galley_dtype dtype;
} S_red_ctx;

static void S_reduce_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_red_ctx *c = ctx;
    if (c->dtype == GALLEY_F32)
        S_RED(float);
    else if (c->dtype == GALLEY_F64)
        S_RED(double);
    else
        S_RED(int64_t);
}

static void S_reduce(galley__redop op, galley_tensor *out,
                     const galley_tensor *a)
{
    double small[64];
    long m = out->numel;
    double *acc = m <= 64 ? small : S_alloc((size_t)m * sizeof *acc);
    double init = op == GALLEY__RSUM ? 0 : -INFINITY;
    for (long j = 0; j < m; j++)
        acc[j] = init;
    if (a->numel > 0) {
        /* acc's strides: out's row-major ones, 0 on the reduced axes. */
        long accst[GALLEY_MAX_DIMS], k = 1;
        for (int d = out->ndim - 1; d >= 0; d--) {
            accst[d] = out->shape[d] == 1 ? 0 : k;
            k *= out->shape[d];
        }
        const long *strides[2] = {accst, a->strides};
        char *p[2] = {(char *)acc, galley__ptr(a)};
        size_t esz[2] = {sizeof(double), galley__elsize(a->dtype)};
        S_iter it;
        S_red_ctx c = {op, a->dtype};
        S_iter_init(&it, a->ndim, a->shape, 2, strides);
        S_iter_run(&it, 2, p, esz, S_reduce_row, &c);
    }
    galley_tensor accv = *out;
    galley__storage st = {acc, (size_t)m * sizeof *acc, 1, 0,
                          &galley__cpu_backend};
    accv.dtype = GALLEY_F64;
    accv.st = &st;
    accv.offset = 0;
    long step = 1;
    for (int d = out->ndim - 1; d >= 0; d--) {
        accv.strides[d] = step;
        step *= out->shape[d];
    }
    S_copy(out, &accv);
    if (acc != small)
        S_free(acc);
}

/* ---- argmax ---- */

/* The index of the first greatest of n elements a[i * s]; NaN is greatest. */
#define S_ARGMAX(T)                                                        \
    do {                                                                   \
        const T *a = (const T *)p;                                         \
        T best = a[0];                                                     \
        for (long i = 1; i < n && best == best; i++) {                     \
            T x = a[i * s];                                                \
            if (x > best || x != x) {                                      \
                best = x;                                                  \
                r = i;                                                     \
            }                                                              \
        }                                                                  \
    } while (0)

static long S_argmax_run(galley_dtype dtype, const char *p, long n, long s)
{
    long r = 0;
    if (n <= 0)
        return 0;
    if (dtype == GALLEY_F32)
        S_ARGMAX(float);
    else if (dtype == GALLEY_F64)
        S_ARGMAX(double);
    else
        S_ARGMAX(int64_t);
    return r;
}

static void S_argmax(galley_tensor *out, const galley_tensor *a, int axis)
{
    int64_t *o = galley__ptr(out);
    size_t esz = galley__elsize(a->dtype);
    const char *base = galley__ptr(a);
    if (axis < 0) {
        if (galley_is_contiguous(a)) {
            o[0] = S_argmax_run(a->dtype, base, a->numel, 1);
            return;
        }
        /* A strided tensor: compare in row-major order via a copy. */
        galley_tensor c = *a;
        galley__storage st = {NULL, (size_t)a->numel * esz, 1, 0,
                              &galley__cpu_backend};
        st.data = S_alloc(st.nbytes);
        c.st = &st;
        c.offset = 0;
        long step = 1;
        for (int d = a->ndim - 1; d >= 0; d--) {
            c.strides[d] = step;
            step *= a->shape[d];
        }
        S_copy(&c, a);
        o[0] = S_argmax_run(a->dtype, st.data, a->numel, 1);
        S_free(st.data);
        return;
    }
    /* Walk the other axes in row-major order, scanning axis at each. */
    long n = a->shape[axis], s = a->strides[axis];
    long shape[GALLEY_MAX_DIMS], idx[GALLEY_MAX_DIMS] = {0};
    long strides[GALLEY_MAX_DIMS];
    int nd = 0;
    long count = 1;
    for (int d = 0; d < a->ndim; d++)
        if (d != axis) {
            shape[nd] = a->shape[d];
            strides[nd++] = a->strides[d];
            count *= a->shape[d];
        }
    for (long j = 0; j < count; j++) {
        long off = 0;
        for (int d = 0; d < nd; d++)
            off += idx[d] * strides[d];
        o[j] = S_argmax_run(a->dtype, base + off * (long)esz, n, s);
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < shape[d])
                break;
            idx[d] = 0;
        }
    }
}

/* ---- matrix products ---- */

static void S_gemm(galley_dtype dtype, int ta, int tb, long m, long n, long k,
                   const void *a, long lda, const void *b, long ldb,
                   double beta, void *c, long ldc)
{
    if (m <= 0 || n <= 0)
        return;
    /* BLAS wants each leading dimension >= the row length even where there
     * is one row and it is never used. */
    long acols = ta ? m : k, arows = ta ? k : m;
    long bcols = tb ? k : n, brows = tb ? n : k;
    if (arows <= 1 && lda < acols)
        lda = acols;
    if (brows <= 1 && ldb < bcols)
        ldb = bcols;
    if (lda < 1)
        lda = 1;
    if (ldb < 1)
        ldb = 1;
    if (k == 0) {
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                if (dtype == GALLEY_F32) {
                    float *x = (float *)c + i * ldc + j;
                    *x = beta == 0 ? 0 : (float)beta * *x;
                } else {
                    double *x = (double *)c + i * ldc + j;
                    *x = beta == 0 ? 0 : beta * *x;
                }
            }
        return;
    }
    enum CBLAS_TRANSPOSE tra = ta ? CblasTrans : CblasNoTrans;
    enum CBLAS_TRANSPOSE trb = tb ? CblasTrans : CblasNoTrans;
    if (dtype == GALLEY_F32)
        cblas_sgemm(CblasRowMajor, tra, trb, (int)m, (int)n, (int)k, 1.0f, a,
                    (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
    else
        cblas_dgemm(CblasRowMajor, tra, trb, (int)m, (int)n, (int)k, 1.0, a,
                    (int)lda, b, (int)ldb, beta, c, (int)ldc);
}

const galley__backend galley__cpu_backend = {
    .name = "cpu",
    .alloc = S_alloc,
    .free = S_free,
    .fill = S_fill,
    .copy = S_copy,
    .unary = S_unary,
    .binary = S_binary,
    .reduce = S_reduce,
    .argmax = S_argmax,
    .gemm = S_gemm,
};
