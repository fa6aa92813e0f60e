/* tensor_cpu.c: the CPU backend: the kernels every tensor op runs on, over
 * any strides, with plain loops for the contiguous cases (that the compiler
 * vectorizes) and OpenBLAS for matrix products. */
#include "tensor_internal.h"

#include "alloc.h"

#include <cblas.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ----
 *
 * Large blocks go back to a small cache instead of to malloc, which hands
 * them to the kernel (munmap, or a trim of the heap): the next step's
 * tensor of the same size then costs a page fault per 4 KiB (a 1024 x 1024
 * float32 product: 1024 faults, 5% of its time). Tensors are not shared
 * between threads (the storage list in tensor.c is not either), so neither
 * is the cache. AddressSanitizer builds keep none, so that a use after
 * free of a large tensor is still caught. */

#ifdef __SANITIZE_ADDRESS__
#define S_CACHE_ON 0
#else
#define S_CACHE_ON 1
#endif
enum { S_CACHE_SLOTS = 8 };
#define S_CACHE_MIN ((size_t)256 << 10) /* smaller blocks stay in malloc */
#define S_CACHE_MAX ((size_t)64 << 20)  /* bytes held at most */

static struct {
    void *p[S_CACHE_SLOTS];
    size_t n[S_CACHE_SLOTS]; /* usable sizes; 0: an empty slot */
    size_t held;
} S_cache;

static void *S_alloc(size_t nbytes)
{
    if (nbytes >= S_CACHE_MIN) /* a cached block, not over twice as big */
        for (int i = 0; i < S_CACHE_SLOTS; i++)
            if (S_cache.n[i] >= nbytes && S_cache.n[i] / 2 <= nbytes) {
                S_cache.held -= S_cache.n[i];
                S_cache.n[i] = 0;
                return S_cache.p[i];
            }
    return galley__rt_xrealloc(NULL, nbytes);
}

static void S_free(void *p)
{
    size_t n = p && S_CACHE_ON ? malloc_usable_size(p) : 0;
    if (n >= S_CACHE_MIN && n <= S_CACHE_MAX) {
        /* The slot of the smallest block (an empty one first) gives way
         * when the new one is bigger. */
        int k = 0;
        for (int i = 1; i < S_CACHE_SLOTS; i++)
            if (S_cache.n[i] < S_cache.n[k])
                k = i;
        size_t held = S_cache.held - S_cache.n[k] + n;
        if (S_cache.n[k] < n && held <= S_CACHE_MAX) {
            free(S_cache.n[k] ? S_cache.p[k] : NULL);
            S_cache.held = held;
            S_cache.p[k] = p;
            S_cache.n[k] = n;
            return;
        }
    }
    free(p);
}

/* ---- the strided iterator ----
 *
 * Up to three operands walked together over one shape in row-major order
 * (galley__axes): contiguous operands become a single row, and the row
 * functions below see long runs. */


/* A row: n elements at p[k] with steps s[k] (elements). */
typedef void (*S_row_fn)(void *ctx, long n, char *const *p, const long *s);

void galley__axes_init(galley__axes *it, int ndim, const long *shape,
                       int nops, const long *const *strides)
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
    for (int k = nops; k < 3; k++)
        for (int d = 0; d < nd; d++)
            it->s[k][d] = 0;
    it->nd = nd;
}

/* Calls row for each innermost row of it, operands starting at p0 with
 * element sizes esz. */
static void S_iter_run(const galley__axes *it, int nops, char *const *p0,
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

/* Whether out is row-major and every input steps as it does: then all of
 * them are one row (the common case, which skips the iterator). */
static int S_one_row(const galley_tensor *out, int nin,
                     const galley_tensor *const *in)
{
    long step = 1;
    for (int d = out->ndim - 1; d >= 0; d--) {
        if (out->shape[d] == 1)
            continue;
        if (out->strides[d] != step)
            return 0;
        for (int k = 0; k < nin; k++)
            if (in[k]->strides[d] != step)
                return 0;
        step *= out->shape[d];
    }
    return 1;
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
    if (S_one_row(out, nin, in)) {
        static const long ones[3] = {1, 1, 1};
        row(ctx, out->numel, p, ones);
        return;
    }
    galley__axes it;
    galley__axes_init(&it, out->ndim, out->shape, nin + 1, strides);
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
    /* Zeros of every dtype are zero bytes: zero_grad is a memset. */
    if (value == 0 && !signbit(value) && galley_is_contiguous(out)) {
        memset(galley__ptr(out), 0,
               (size_t)out->numel * galley__elsize(out->dtype));
        return;
    }
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

/* ---- fused updates ---- */

/* out = a - c b, the product rounded to out's type first: what
 * MUL_SCALAR into a temporary and then SUB compute, in one pass. */
#define S_SUB_SCALED(T)                                                    \
    do {                                                                   \
        T *o = (T *)p[0], cc = (T)c->arg;                                  \
        const T *a = (const T *)p[1], *b = (const T *)p[2];                \
        if (s[0] == 1 && s[1] == 1 && s[2] == 1)                           \
            for (long i = 0; i < n; i++) {                                 \
                T t = cc * b[i];                                           \
                o[i] = a[i] - t;                                           \
            }                                                              \
        else                                                               \
            for (long i = 0; i < n; i++) {                                 \
                T t = cc * b[i * s[2]];                                    \
                o[i * s[0]] = a[i * s[1]] - t;                             \
            }                                                              \
    } while (0)

static void S_sub_scaled_row(void *ctx, long n, char *const *p, const long *s)
{
    const S_op_ctx *c = ctx;
    if (c->dtype == GALLEY_F32)
        S_SUB_SCALED(float);
    else if (c->dtype == GALLEY_F64)
        S_SUB_SCALED(double);
}

static void S_sub_scaled(galley_tensor *out, const galley_tensor *a,
                         double c, const galley_tensor *b)
{
    S_op_ctx ctx = {0, out->dtype, c};
    const galley_tensor *in[2] = {a, b};
    S_each(out, 2, in, S_sub_scaled_row, &ctx);
}

/* ---- reductions ----
 *
 * Sums are torch's cascade sums (aten's SumKernel.cpp): 16 lanes, each
 * adding into the lowest of four levels, a level's sum passed up into the
 * next one every 2^p additions (p = max(4, log2(n) / 4)). The error grows as
 * n^(1/4) instead of n, the lanes vectorize, and a contiguous float64 sum
 * gives torch's value to the bit (torch's AVX2 kernel: 1e6 x 0.1 is
 * 100000.00000000007, a naive loop 99999.999999666776). Every dtype
 * accumulates in double (float32 so more exactly than torch's float).
 * Columns (the innermost axis kept) sum 16 at a time, a strided row or a
 * column left over in 4 lanes, as torch does; sums over several reduced
 * axes add their rows pairwise. Maxima keep a double per element of out,
 * walked with a (step 0 on the reduced axes). */

enum { S_LANES = 16, S_LEVELS = 4 };

/* Adds rows [i0, i1) of 16 lanes into acc (lane k of row i at
 * a[i * rs + k * cs]), in a local copy that the compiler keeps in
 * registers: the loop that vectorizes. */
#define S_DEFINE_ADD_ROWS(NAME, T)                                         \
    static void NAME(const char *p, long i0, long i1, long rs, long cs,    \
                     double *restrict acc)                                 \
    {                                                                      \
        const T *a = (const T *)p;                                         \
        double l[S_LANES];                                                 \
        memcpy(l, acc, sizeof l);                                          \
        if (cs == 1)                                                       \
            for (long i = i0; i < i1; i++)                                 \
                _Pragma("GCC unroll 16")                                   \
                for (int k = 0; k < S_LANES; k++)                          \
                    l[k] += (double)a[i * rs + k];                         \
        else                                                               \
            for (long i = i0; i < i1; i++)                                 \
                for (int k = 0; k < S_LANES; k++)                          \
                    l[k] += (double)a[i * rs + k * cs];                    \
        memcpy(acc, l, sizeof l);                                          \
    }

S_DEFINE_ADD_ROWS(S_add_rows_f32, float)
S_DEFINE_ADD_ROWS(S_add_rows_f64, double)
S_DEFINE_ADD_ROWS(S_add_rows_i64, int64_t)

typedef void (*S_add_rows_fn)(const char *p, long i0, long i1, long rs,
                              long cs, double *restrict acc);

/* Passes level j - 1 of the lanes of acc ([S_LEVELS][lanes]) up into
 * level j, for j = 1, 2, ... while row i is a multiple of 2^(j p). */
static void S_pass_up(double *acc, int lanes, long i, int p, long mask)
{
    for (int j = 1; j < S_LEVELS; j++) {
        for (int k = 0; k < lanes; k++) {
            acc[j * lanes + k] += acc[(j - 1) * lanes + k];
            acc[(j - 1) * lanes + k] = 0;
        }
        if (i & (mask << (j * p)))
            break;
    }
}

/* The rows between passes up of a cascade over size rows: 2^p, p =
 * max(4, ceil(log2(size)) / 4). */
static int S_cascade_p(long size)
{
    int p = 4, lg = 0;
    while (((long)1 << lg) < size)
        lg++;
    return lg / S_LEVELS > p ? lg / S_LEVELS : p;
}

/* out[b * 16 + k] (b < nb, k < 16) = the sum over the size rows i of
 * a[i * rs + (b * 16 + k) * cs], cascaded as torch's multi_row_sum. The
 * nb blocks of 16 lanes go through each run of 2^p rows in turn, so that
 * the run is read from memory once for all of them (the sums are what one
 * block at a time would give). */
static void S_cascade(galley_dtype dt, const char *a, long size, long rs,
                      long cs, long nb, double *out)
{
    S_add_rows_fn add = dt == GALLEY_F32   ? S_add_rows_f32
                        : dt == GALLEY_F64 ? S_add_rows_f64
                                           : S_add_rows_i64;
    long bstep = S_LANES * cs * (long)galley__elsize(dt);
    long w = S_LEVELS * S_LANES;
    double small[S_LEVELS * S_LANES];
    double *acc = nb == 1 ? small : S_alloc((size_t)(nb * w) * sizeof *acc);
    memset(acc, 0, (size_t)(nb * w) * sizeof *acc);
    int p = S_cascade_p(size);
    long step = (long)1 << p, mask = step - 1, i = 0;
    for (; i + step <= size; i += step) {
        for (long b = 0; b < nb; b++)
            add(a + b * bstep, i, i + step, rs, cs, acc + b * w);
        for (long b = 0; b < nb; b++)
            S_pass_up(acc + b * w, S_LANES, i + step, p, mask);
    }
    for (long b = 0; b < nb; b++) {
        double *ab = acc + b * w;
        add(a + b * bstep, i, size, rs, cs, ab);
        for (int j = 1; j < S_LEVELS; j++)
            for (int k = 0; k < S_LANES; k++)
                ab[k] += ab[j * S_LANES + k];
        memcpy(out + b * S_LANES, ab, S_LANES * sizeof *out);
    }
    if (acc != small)
        S_free(acc);
}

static double S_load(galley_dtype dt, const char *a, long i)
{
    switch (dt) {
    case GALLEY_F32: return ((const float *)a)[i];
    case GALLEY_F64: return ((const double *)a)[i];
    case GALLEY_I64: return (double)((const int64_t *)a)[i];
    }
    return 0;
}

/* The sum of n elements a[i * s] with s != 1, as torch's scalar row_sum:
 * element 4 i + r into lane r of 4, cascaded, the elements left over into
 * lane 0, then the lanes added in order. Strided rows and the columns left
 * over by the blocks of 16 sum so. */
static double S_strided_sum(galley_dtype dt, const char *a, long n, long s)
{
    double acc[S_LEVELS * 4] = {0};
    long size = n / 4, i = 0;
    int p = S_cascade_p(size);
    long step = (long)1 << p, mask = step - 1;
    for (; i + step <= size; i += step) {
        for (long e = i; e < i + step; e++)
            for (int r = 0; r < 4; r++)
                acc[r] += S_load(dt, a, (e * 4 + r) * s);
        S_pass_up(acc, 4, i + step, p, mask);
    }
    for (; i < size; i++)
        for (int r = 0; r < 4; r++)
            acc[r] += S_load(dt, a, (i * 4 + r) * s);
    for (int j = 1; j < S_LEVELS; j++)
        for (int r = 0; r < 4; r++)
            acc[r] += acc[j * 4 + r];
    for (i = size * 4; i < n; i++)
        acc[0] += S_load(dt, a, i * s);
    return ((acc[0] + acc[1]) + acc[2]) + acc[3];
}

/* The sum of n elements a[i * s], as torch's vectorized_inner_sum with
 * vectors of 4 where s is 1: 16 lanes over the rows of 16, the vectors left
 * over into the first 4 lanes, the lanes folded to 4, then the tail and the
 * 4 lanes added in order. */
static double S_row_sum(galley_dtype dt, const char *a, long n, long s)
{
    if (s != 1)
        return S_strided_sum(dt, a, n, s);
    double ps[S_LANES] = {0};
    long nv = n / 4, nr = nv / 4;
    if (nr > 0)
        S_cascade(dt, a, nr, S_LANES * s, s, 1, ps);
    for (long i = nr * 4; i < nv; i++)
        for (int l = 0; l < 4; l++)
            ps[l] += S_load(dt, a, (i * 4 + l) * s);
    for (int k = 1; k < 4; k++)
        for (int l = 0; l < 4; l++)
            ps[l] += ps[k * 4 + l];
    double f = 0;
    for (long i = nv * 4; i < n; i++)
        f += S_load(dt, a, i * s);
    for (int l = 0; l < 4; l++)
        f += ps[l];
    return f;
}

/* The reduced part of a sum: axes n[0..nr) with strides s (elements), the
 * last one summed by the leaf, the others split in halves (pairwise), n0
 * standing for n[0]. lanes 0: one sum (a row); else lanes columns cs
 * apart. */
typedef struct S_sum_set {
    galley_dtype dt;
    size_t esz;
    long lanes;
    long cs;
} S_sum_set;

/* The leaf of S_sum_rec for columns: 16 at a time, then the few left each
 * as a strided row, as torch does. */
static void S_cols_sum(const S_sum_set *ss, const char *a, long size, long rs,
                       double *out)
{
    long nb = ss->lanes / S_LANES;
    if (nb > 0)
        S_cascade(ss->dt, a, size, rs, ss->cs, nb, out);
    for (long k = nb * S_LANES; k < ss->lanes; k++)
        out[k] = S_row_sum(ss->dt, a + k * ss->cs * (long)ss->esz, size, rs);
}

static void S_sum_rec(const S_sum_set *ss, const char *a, int nr,
                      const long *n, const long *s, long n0, double *out)
{
    if (nr == 1) {
        if (ss->lanes == 0)
            out[0] = S_row_sum(ss->dt, a, n0, s[0]);
        else
            S_cols_sum(ss, a, n0, s[0], out);
        return;
    }
    if (n0 == 1) {
        S_sum_rec(ss, a, nr - 1, n + 1, s + 1, n[1], out);
        return;
    }
    long lanes = ss->lanes ? ss->lanes : 1, h = n0 / 2;
    double small[S_LANES];
    double *right = lanes <= S_LANES ? small
                                     : S_alloc((size_t)lanes * sizeof *right);
    S_sum_rec(ss, a, nr, n, s, h, out);
    S_sum_rec(ss, a + h * s[0] * (long)ss->esz, nr, n, s, n0 - h, right);
    for (long k = 0; k < lanes; k++)
        out[k] += right[k];
    if (right != small)
        S_free(right);
}

/* Orders the nr reduced axes rn/rs by decreasing stride and merges those
 * that then step as one (the order of a sum's terms is free): a transposed
 * matrix sums as one contiguous row, as in torch. Returns the new count. */
static int S_sort_reduced(int nr, long *rn, long *rs)
{
    for (int i = 1; i < nr; i++)
        for (int j = i; j > 0 && labs(rs[j - 1]) < labs(rs[j]); j--) {
            long t = rn[j];
            rn[j] = rn[j - 1];
            rn[j - 1] = t;
            t = rs[j];
            rs[j] = rs[j - 1];
            rs[j - 1] = t;
        }
    int m = 0;
    for (int d = 0; d < nr; d++) {
        if (m > 0 && rs[m - 1] == rs[d] * rn[d]) {
            rn[m - 1] *= rn[d];
            rs[m - 1] = rs[d];
            continue;
        }
        rn[m] = rn[d];
        rs[m++] = rs[d];
    }
    return m;
}

/* acc[j] = the sum of the elements of a that map to element j of out (see
 * the backend's reduce); acc row-major over out's shape. */
static void S_sum_into(double *acc, const galley_tensor *out,
                       const galley_tensor *a)
{
    long accst[GALLEY_MAX_DIMS], k = 1;
    for (int d = out->ndim - 1; d >= 0; d--) {
        accst[d] = out->shape[d] == 1 ? 0 : k;
        k *= out->shape[d];
    }
    const long *strides[2] = {accst, a->strides};
    galley__axes it;
    galley__axes_init(&it, a->ndim, a->shape, 2, strides);
    /* Kept axes kn/ks (outer first), reduced axes rn/rs. */
    long kn[GALLEY_MAX_DIMS], ks[GALLEY_MAX_DIMS], rn[GALLEY_MAX_DIMS + 1],
        rs[GALLEY_MAX_DIMS + 1];
    int nk = 0, nr = 0;
    for (int d = 0; d < it.nd; d++) {
        if (it.s[0][d] != 0) {
            kn[nk] = it.n[d];
            ks[nk++] = it.s[1][d];
        } else {
            rn[nr] = it.n[d];
            rs[nr++] = it.s[1][d];
        }
    }
    int cols = it.nd > 0 && it.s[0][it.nd - 1] != 0;
    nr = S_sort_reduced(nr, rn, rs);
    if (nr == 0) { /* nothing summed: each sum is one element */
        rn[0] = 1;
        rs[0] = 0;
        nr = 1;
    }
    S_sum_set ss = {a->dtype, galley__elsize(a->dtype), 0, 0};
    long width = 1;
    if (cols) { /* the innermost axis is kept: its columns sum together */
        width = kn[--nk];
        ss.cs = ks[nk];
        ss.lanes = width;
    }
    const char *base = galley__ptr(a);
    long idx[GALLEY_MAX_DIMS] = {0}, j = 0;
    for (;;) {
        const char *p = base;
        for (int d = 0; d < nk; d++)
            p += idx[d] * ks[d] * (long)ss.esz;
        S_sum_rec(&ss, p, nr, rn, rs, rn[0], &acc[j]);
        j += cols ? width : 1;
        int d = nk - 1;
        for (; d >= 0 && ++idx[d] == kn[d]; d--)
            idx[d] = 0;
        if (d < 0)
            return;
    }
}

static void S_max_row(void *ctx, long n, char *const *p, const long *s)
{
    galley_dtype dt = *(const galley_dtype *)ctx;
    double *acc = (double *)p[0];
    for (long i = 0; i < n; i++) {
        double x = S_load(dt, p[1], i * s[1]), *m = &acc[i * s[0]];
        if (x > *m || x != x)
            *m = *m != *m ? *m : x;
    }
}

/* acc[j] = the max of the elements of a that map to element j of out. */
static void S_max_into(double *acc, const galley_tensor *out,
                       const galley_tensor *a)
{
    for (long j = 0; j < out->numel; j++)
        acc[j] = -INFINITY;
    long accst[GALLEY_MAX_DIMS], k = 1;
    for (int d = out->ndim - 1; d >= 0; d--) {
        accst[d] = out->shape[d] == 1 ? 0 : k;
        k *= out->shape[d];
    }
    const long *strides[2] = {accst, a->strides};
    char *p[2] = {(char *)acc, galley__ptr(a)};
    size_t esz[2] = {sizeof(double), galley__elsize(a->dtype)};
    galley__axes it;
    galley_dtype dt = a->dtype;
    galley__axes_init(&it, a->ndim, a->shape, 2, strides);
    S_iter_run(&it, 2, p, esz, S_max_row, &dt);
}

static void S_reduce(galley__redop op, galley_tensor *out,
                     const galley_tensor *a)
{
    double small[64];
    long m = out->numel;
    double *acc = m <= 64 ? small : S_alloc((size_t)m * sizeof *acc);
    if (a->numel == 0)
        for (long j = 0; j < m; j++)
            acc[j] = op == GALLEY__RSUM ? 0 : -INFINITY;
    else if (op == GALLEY__RSUM)
        S_sum_into(acc, out, a);
    else
        S_max_into(acc, out, a);
    galley_tensor accv = *out;
    galley__storage st = {.data = acc, .nbytes = (size_t)m * sizeof *acc,
                          .refs = 1, .be = &galley__cpu_backend};
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
        galley__storage st = {.nbytes = (size_t)a->numel * esz, .refs = 1,
                              .be = &galley__cpu_backend};
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

/* The host is the CPU backend's device: its copies are memcpy. */
static int S_usable(const char **why)
{
    (void)why;
    return 1;
}

static void S_memcpy(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

const galley__backend galley__cpu_backend = {
    .name = "cpu",
    .device = GALLEY_CPU,
    .usable = S_usable,
    .upload = S_memcpy,
    .download = S_memcpy,
    .alloc = S_alloc,
    .free = S_free,
    .fill = S_fill,
    .copy = S_copy,
    .unary = S_unary,
    .binary = S_binary,
    .reduce = S_reduce,
    .argmax = S_argmax,
    .gemm = S_gemm,
    .sub_scaled = S_sub_scaled,
};
