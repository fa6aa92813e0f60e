/* lib/cuda/host_check.cu: checks, on the host, what the CUDA kernels of
 * backend.cu compute per element, against the CPU backend, where no GPU
 * can run them: the descriptors of strided and broadcast operands
 * (S_describe, S_offsets), the split of a reduction or argmax into kept
 * and reduced axes (S_split, S_kept_off, S_red_off) and of a long one
 * over several blocks (S_parts, S_part_range), every unary and
 * binary op's formula, casts, max with NaN, argmax's order, and the
 * operands of the cuBLAS call of a row-major product. Each
 * kernel is emulated by a loop over its elements in order, calling the
 * same functions the kernel calls; host math is glibc's, as the CPU
 * backend's, so results must agree to the bit. Launches, shared-memory
 * trees and device math run on a GPU only (bench/gpu-check.sh).
 *
 * tools/cuda.sh builds it as build/cuda/host-check (with libgalley.a);
 * tests/e2e/cuda_test.c runs it. Prints each mismatch, then "host-check:
 * N checks, M mismatches"; exits 1 when M > 0. */
#include "backend.cu"

static long S_checks, S_bad;

/* Whether x and y are the same value: equal bits, or both NaN. */
static int S_same(double x, double y)
{
    if (x != x || y != y)
        return x != x && y != y;
    return memcmp(&x, &y, sizeof x) == 0;
}

static double S_get(const galley_tensor *t, long i)
{
    const char *p = (const char *)galley__ptr(t);
    switch (t->dtype) {
    case GALLEY_F32: return ((const float *)p)[i];
    case GALLEY_F64: return ((const double *)p)[i];
    case GALLEY_I64: return (double)((const int64_t *)p)[i];
    }
    return 0;
}

/* Compares two contiguous tensors of one shape, element by element. */
static void S_compare(const char *what, const galley_tensor *want,
                      const galley_tensor *got)
{
    for (long i = 0; i < want->numel; i++) {
        S_checks++;
        double w = S_get(want, i), g = S_get(got, i);
        /* float32 compares as float32: -0.0f and 0.0f differ too. */
        if (!S_same(w, g)) {
            if (S_bad++ < 40)
                printf("mismatch: %s [%ld]: cpu %.17g, cuda kernel %.17g\n",
                       what, i, w, g);
        }
    }
}

/* A fresh contiguous tensor of t's shape and dtype dt. */
static galley_tensor *S_like(const galley_tensor *t, galley_dtype dt)
{
    return galley__new(dt, t->ndim, t->shape, "host_check");
}

/* ---- the kernels, emulated: one loop over what the threads do ---- */

template <typename TO, typename TI>
static void S_copy_emul(galley_tensor *out, const galley_tensor *a)
{
    S_desc it = S_describe(out, 1, &a);
    TO *o = (TO *)galley__ptr(out);
    const TI *p = (const TI *)galley__ptr(a);
    for (long i = 0; i < out->numel; i++) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_conv<TO>::from(p[off[1]]);
    }
}

template <typename T>
static void S_unary_emul(int op, galley_tensor *out, const galley_tensor *a,
                         double arg)
{
    S_desc it = S_describe(out, 1, &a);
    T *o = (T *)galley__ptr(out);
    const T *p = (const T *)galley__ptr(a);
    for (long i = 0; i < out->numel; i++) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_unop<T>(op, p[off[1]], arg, (T)arg);
    }
}

template <typename T>
static void S_binary_emul(int op, galley_tensor *out, const galley_tensor *a,
                          const galley_tensor *b)
{
    const galley_tensor *in[2] = {a, b};
    S_desc it = S_describe(out, 2, in);
    T *o = (T *)galley__ptr(out);
    const T *pa = (const T *)galley__ptr(a), *pb = (const T *)galley__ptr(b);
    for (long i = 0; i < out->numel; i++) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_binop<T>(op, pa[off[1]], pb[off[2]]);
    }
}

/* S_reduce_rows_k's loop, for out float64. */
template <typename TI>
static void S_reduce_emul(int op, galley_tensor *out, const galley_tensor *a)
{
    S_red r = S_split(out, a, S_BY_SHAPE);
    double *o = (double *)galley__ptr(out);
    for (long j = 0; j < out->numel; j++) {
        const TI *base = (const TI *)galley__ptr(a) + S_kept_off(r, j);
        double acc = op == GALLEY__RSUM ? 0.0 : -INFINITY;
        for (long i = 0; i < r.count; i++)
            acc = S_combine(op, acc, (double)base[S_red_off(r, i)]);
        o[j] = acc;
    }
}

/* S_reduce_run's plan (S_parts): each block's share (S_part_range) in
 * order, then the pass over the partial results; out float64. */
template <typename TI>
static void S_reduce_plan_emul(int op, galley_tensor *out,
                               const galley_tensor *a)
{
    S_red r = S_split(out, a, S_BY_SHAPE);
    long nout = out->numel, parts = S_parts(nout, r.count);
    parts = parts < 1 ? 1 : parts;
    double *partial = (double *)malloc((size_t)(nout * parts) *
                                       sizeof(double));
    for (long b = 0; b < nout * parts; b++) {
        long j, i0, i1;
        S_part_range(r, parts, b, &j, &i0, &i1);
        const TI *base = (const TI *)galley__ptr(a) + S_kept_off(r, j);
        double acc = op == GALLEY__RSUM ? 0.0 : -INFINITY;
        for (long i = i0; i < i1; i++)
            acc = S_combine(op, acc, (double)base[S_red_off(r, i)]);
        partial[b] = acc;
    }
    S_red f = S_partial_red(nout, parts);
    for (long j = 0; j < nout; j++) {
        double acc = op == GALLEY__RSUM ? 0.0 : -INFINITY;
        for (long i = 0; i < f.count; i++)
            acc = S_combine(op, acc, partial[S_kept_off(f, j) +
                                             S_red_off(f, i)]);
        ((double *)galley__ptr(out))[j] = acc;
    }
    free(partial);
}

/* S_argmax_k with one thread per block: its scan, in order. */
template <typename T>
static void S_argmax_emul(galley_tensor *out, const galley_tensor *a,
                          int axis)
{
    S_red r = S_split(out, a, axis < 0 ? S_ALL : axis);
    int64_t *o = (int64_t *)galley__ptr(out);
    for (long j = 0; j < out->numel; j++) {
        const T *base = (const T *)galley__ptr(a) + S_kept_off(r, j);
        T best = 0;
        long at = -1;
        for (long i = 0; i < r.count; i++) {
            T x = base[S_red_off(r, i)];
            if (at < 0 || S_before(x, i, best, at)) {
                best = x;
                at = i;
            }
        }
        o[j] = at < 0 ? 0 : at;
    }
}

/* ---- the checks ---- */

/* Values where the formulas' branches and IEEE's corners are. */
static const double S_vals[] = {
    -INFINITY, -1e300, -100, -25, -20.5, -3, -1, -0.5, -1e-8, -0.0, 0.0,
    1e-8, 0.5, 1, 2, 3, 19.5, 20, 20.5, 25, 100, 1e300, INFINITY, NAN};
enum { S_NV = sizeof S_vals / sizeof *S_vals };

static galley_tensor *S_values(galley_dtype dt)
{
    long n = S_NV;
    galley_tensor *t = galley__new(dt, 1, &n, "host_check");
    for (long i = 0; i < n; i++) {
        if (dt == GALLEY_F32)
            ((float *)galley__ptr(t))[i] = (float)S_vals[i];
        else
            ((double *)galley__ptr(t))[i] = S_vals[i];
    }
    return t;
}

static void S_check_unary(galley_dtype dt)
{
    static const double args[] = {0, 1, 2, 0.5, -1.5, 3};
    galley_tensor *a = S_values(dt);
    for (int op = GALLEY__NEG; op <= GALLEY__SOFTPLUS_GRAD; op++)
        for (size_t k = 0; k < sizeof args / sizeof *args; k++) {
            galley_tensor *want = S_like(a, dt), *got = S_like(a, dt);
            galley__cpu_backend.unary((galley__unop)op, want, a, args[k]);
            if (dt == GALLEY_F32)
                S_unary_emul<float>(op, got, a, args[k]);
            else
                S_unary_emul<double>(op, got, a, args[k]);
            char what[64];
            snprintf(what, sizeof what, "unary %d arg %g %s", op, args[k],
                     dt == GALLEY_F32 ? "f32" : "f64");
            S_compare(what, want, got);
        }
}

/* Every pair of values: a column against a row, both broadcast to
 * [n, n]. */
static void S_check_binary(galley_dtype dt)
{
    galley_tensor *v = S_values(dt);
    long n = S_NV, sq[2] = {n, n}, cs[2] = {1, 0}, rs[2] = {0, 1};
    galley_tensor *a = galley__view(v, 2, sq, cs, 0);
    galley_tensor *b = galley__view(v, 2, sq, rs, 0);
    for (int op = GALLEY__ADD; op <= GALLEY__MINIMUM; op++) {
        galley_tensor *want = galley__new(dt, 2, sq, "host_check");
        galley_tensor *got = galley__new(dt, 2, sq, "host_check");
        galley__cpu_backend.binary((galley__binop)op, want, a, b);
        if (dt == GALLEY_F32)
            S_binary_emul<float>(op, got, a, b);
        else
            S_binary_emul<double>(op, got, a, b);
        char what[64];
        snprintf(what, sizeof what, "binary %d %s", op,
                 dt == GALLEY_F32 ? "f32" : "f64");
        S_compare(what, want, got);
    }
}

/* 0, 1, 2, ... as float64 in a fresh [2, 3, 4, 5] tensor, with some
 * values repeated (argmax's ties) and, with nan, a NaN or two. */
static galley_tensor *S_block(int nan)
{
    long shape[4] = {2, 3, 4, 5};
    galley_tensor *t = galley__new(GALLEY_F64, 4, shape, "host_check");
    double *p = (double *)galley__ptr(t);
    for (long i = 0; i < t->numel; i++)
        p[i] = (double)((i * 37) % 11) - 4;
    if (nan) {
        p[17] = NAN;
        p[93] = NAN;
    }
    return t;
}

/* Views of the block: itself, a permutation, a slice with a step, an
 * axis broadcast, an offset. */
static int S_views(galley_tensor *t, galley_tensor **v)
{
    long perm_shape[4] = {5, 4, 3, 2}, perm_strides[4] = {1, 5, 20, 60};
    long sl_shape[4] = {2, 2, 2, 5}, sl_strides[4] = {60, 20, 10, 1};
    long bc_shape[4] = {2, 3, 4, 5}, bc_strides[4] = {60, 0, 5, 1};
    long off_shape[3] = {3, 4, 4}, off_strides[3] = {20, 5, 1};
    v[0] = t;
    v[1] = galley__view(t, 4, perm_shape, perm_strides, 0);
    v[2] = galley__view(t, 4, sl_shape, sl_strides, 7);
    v[3] = galley__view(t, 4, bc_shape, bc_strides, 0);
    v[4] = galley__view(t, 3, off_shape, off_strides, 61);
    return 5;
}

static void S_check_copy(void)
{
    galley_tensor *v[8];
    int n = S_views(S_block(0), v);
    static const galley_dtype dts[3] = {GALLEY_F32, GALLEY_F64, GALLEY_I64};
    for (int k = 0; k < n; k++)
        for (int d = 0; d < 3; d++) {
            galley_tensor *src = S_like(v[k], dts[d]);
            galley__cpu_backend.copy(src, v[k]); /* into each dtype */
            galley_tensor *want = S_like(v[k], GALLEY_F64);
            galley_tensor *got = S_like(v[k], GALLEY_F64);
            galley__cpu_backend.copy(want, v[k]);
            S_copy_emul<double, double>(got, v[k]);
            S_compare("copy view", want, got);
            /* Casts from each dtype, into a strided (transposed) out. */
            for (int e = 0; e < 3; e++) {
                long sh[2] = {src->numel / src->shape[0], src->shape[0]};
                long st[2] = {1, sh[0]};
                galley_tensor *w = galley__new(dts[e], 2, sh, "host_check");
                galley_tensor *g = galley__new(dts[e], 2, sh, "host_check");
                galley_tensor *wv = galley__view(w, 2, sh, st, 0);
                galley_tensor *gv = galley__view(g, 2, sh, st, 0);
                galley_tensor *s2 = galley__view(src, 2, sh, st, 0);
                galley__cpu_backend.copy(wv, s2);
                switch (dts[e] * 4 + dts[d]) {
#define S_CASE(TO, DO, TI, DI)                                             \
    case DO * 4 + DI: S_copy_emul<TO, TI>(gv, s2); break;
                S_CASE(float, GALLEY_F32, float, GALLEY_F32)
                S_CASE(float, GALLEY_F32, double, GALLEY_F64)
                S_CASE(float, GALLEY_F32, int64_t, GALLEY_I64)
                S_CASE(double, GALLEY_F64, float, GALLEY_F32)
                S_CASE(double, GALLEY_F64, double, GALLEY_F64)
                S_CASE(double, GALLEY_F64, int64_t, GALLEY_I64)
                S_CASE(int64_t, GALLEY_I64, float, GALLEY_F32)
                S_CASE(int64_t, GALLEY_I64, double, GALLEY_F64)
                S_CASE(int64_t, GALLEY_I64, int64_t, GALLEY_I64)
#undef S_CASE
                }
                S_compare("copy cast", w, g);
            }
        }
    /* float to int64: truncation, NaN 0, saturation. */
    galley_tensor *f = S_values(GALLEY_F64);
    galley_tensor *w = S_like(f, GALLEY_I64), *g = S_like(f, GALLEY_I64);
    galley__cpu_backend.copy(w, f);
    S_copy_emul<int64_t, double>(g, f);
    S_compare("copy to int64", w, g);
}

/* Every set of reduced axes of each view (out float64: the sums of small
 * integers are exact in any order). */
static void S_check_reduce(int nan)
{
    galley_tensor *v[8];
    int n = S_views(S_block(nan), v);
    for (int k = 0; k < n; k++)
        for (int mask = 0; mask < 1 << v[k]->ndim; mask++)
            for (int op = GALLEY__RSUM; op <= GALLEY__RMAX; op++) {
                long shape[GALLEY_MAX_DIMS];
                for (int d = 0; d < v[k]->ndim; d++)
                    shape[d] = mask >> d & 1 ? 1 : v[k]->shape[d];
                galley_tensor *want = galley__new(GALLEY_F64, v[k]->ndim,
                                                  shape, "host_check");
                galley_tensor *got = S_like(want, GALLEY_F64);
                galley__cpu_backend.reduce((galley__redop)op, want, v[k]);
                S_reduce_emul<double>(op, got, v[k]);
                char what[64];
                snprintf(what, sizeof what, "reduce %d view %d axes %#x%s",
                         op, k, mask, nan ? " nan" : "");
                S_compare(what, want, got);
            }
}

static void S_check_argmax(int nan)
{
    galley_tensor *v[8];
    int n = S_views(S_block(nan), v);
    for (int k = 0; k < n; k++)
        for (int axis = -1; axis < v[k]->ndim; axis++) {
            long shape[GALLEY_MAX_DIMS];
            int nd = 0;
            for (int d = 0; d < v[k]->ndim && axis >= 0; d++)
                if (d != axis)
                    shape[nd++] = v[k]->shape[d];
            galley_tensor *want = galley__new(GALLEY_I64, nd, shape,
                                              "host_check");
            galley_tensor *got = S_like(want, GALLEY_I64);
            galley__cpu_backend.argmax(want, v[k], axis);
            S_argmax_emul<double>(got, v[k], axis);
            char what[64];
            snprintf(what, sizeof what, "argmax view %d axis %d%s", k, axis,
                     nan ? " nan" : "");
            S_compare(what, want, got);
        }
}

/* A long reduction into few elements: the plan of several blocks each
 * (a [3, 200000] float64 summed along its rows, and all of it). */
static void S_check_long_reduce(void)
{
    long shape[2] = {3, 200000}, one[2] = {3, 1}, all[2] = {1, 1};
    galley_tensor *a = galley__new(GALLEY_F64, 2, shape, "host_check");
    double *p = (double *)galley__ptr(a);
    for (long i = 0; i < a->numel; i++)
        p[i] = (double)((i * 37) % 101) - 50;
    p[123457] = NAN;
    const long *outs[2] = {one, all};
    for (int k = 0; k < 2; k++)
        for (int op = GALLEY__RSUM; op <= GALLEY__RMAX; op++) {
            galley_tensor *want = galley__new(GALLEY_F64, 2, outs[k],
                                              "host_check");
            galley_tensor *got = S_like(want, GALLEY_F64);
            galley__cpu_backend.reduce((galley__redop)op, want, a);
            S_reduce_plan_emul<double>(op, got, a);
            S_compare(k ? "long reduce, all" : "long reduce, rows", want,
                      got);
        }
}

/* What cuBLAS computes for call x (column-major, alpha 1), as the
 * reference BLAS does, after its checks of the leading dimensions: 0, or
 * -1 where cuBLAS would refuse the call. */
static int S_colmajor_gemm(const S_blas_call &x, double beta, double *c)
{
    int arows = x.ta == CUBLAS_OP_N ? x.m : x.k;
    int brows = x.tb == CUBLAS_OP_N ? x.k : x.n;
    if (x.lda < (arows > 1 ? arows : 1) || x.ldb < (brows > 1 ? brows : 1) ||
        x.ldc < (x.m > 1 ? x.m : 1))
        return -1;
    const double *a = (const double *)x.a, *b = (const double *)x.b;
    for (int j = 0; j < x.n; j++)
        for (int i = 0; i < x.m; i++) {
            double s = 0;
            for (int l = 0; l < x.k; l++) {
                double av = x.ta == CUBLAS_OP_N ? a[i + (long)l * x.lda]
                                                : a[l + (long)i * x.lda];
                double bv = x.tb == CUBLAS_OP_N ? b[l + (long)j * x.ldb]
                                                : b[j + (long)l * x.ldb];
                s += av * bv;
            }
            double *o = &c[i + (long)j * x.ldc];
            *o = beta == 0 ? s : s + beta * *o;
        }
    return 0;
}

/* S_gemm's cuBLAS call against the CPU's gemm: each transpose, one row or
 * column, padded row strides, beta 0 and 1 (float64, small integers:
 * exact in any order). */
static void S_check_gemm(void)
{
    static const long dims[][3] = {{3, 4, 5}, {1, 4, 5}, {3, 1, 5},
                                   {3, 4, 1}, {1, 1, 7}, {6, 2, 3}};
    enum { PAD = 2 };
    double a[64 + PAD * 8], b[64 + PAD * 8], want[64 + PAD * 8],
        got[64 + PAD * 8];
    for (size_t d = 0; d < sizeof dims / sizeof *dims; d++)
        for (int t = 0; t < 4; t++)
            for (int beta = 0; beta < 2; beta++) {
                long m = dims[d][0], n = dims[d][1], k = dims[d][2];
                int ta = t & 1, tb = t >> 1;
                long lda = (ta ? m : k) + PAD, ldb = (tb ? k : n) + PAD;
                long ldc = n + PAD;
                for (int i = 0; i < 64 + PAD * 8; i++) {
                    a[i] = (i * 7) % 5 - 2;
                    b[i] = (i * 3) % 7 - 3;
                    want[i] = got[i] = i % 3;
                }
                galley__cpu_backend.gemm(GALLEY_F64, ta, tb, m, n, k, a, lda,
                                         b, ldb, beta, want, ldc);
                S_blas_call x =
                    S_blas_args(ta, tb, m, n, k, a, lda, b, ldb, ldc);
                S_checks++;
                if (S_colmajor_gemm(x, beta, got) != 0) {
                    S_bad++;
                    printf("mismatch: gemm %ldx%ldx%ld ta %d tb %d: cuBLAS "
                           "would refuse the leading dimensions\n",
                           m, n, k, ta, tb);
                    continue;
                }
                for (long i = 0; i < m; i++)
                    for (long j = 0; j < n; j++) {
                        S_checks++;
                        if (!S_same(want[i * ldc + j], got[i * ldc + j]) &&
                            S_bad++ < 40)
                            printf("mismatch: gemm %ldx%ldx%ld ta %d tb %d "
                                   "beta %d [%ld, %ld]: cpu %g, cuBLAS %g\n",
                                   m, n, k, ta, tb, beta, i, j,
                                   want[i * ldc + j], got[i * ldc + j]);
                    }
            }
}

int main(void)
{
    S_check_gemm();
    S_check_long_reduce();
    S_check_unary(GALLEY_F32);
    S_check_unary(GALLEY_F64);
    S_check_binary(GALLEY_F32);
    S_check_binary(GALLEY_F64);
    S_check_copy();
    for (int nan = 0; nan < 2; nan++) {
        S_check_reduce(nan);
        S_check_argmax(nan);
    }
    galley_tensor_free_all();
    printf("host-check: %ld checks, %ld mismatches\n", S_checks, S_bad);
    return S_bad > 0;
}
