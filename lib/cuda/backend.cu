/* lib/cuda/backend.cu: the CUDA backend (galley__cuda_backend): every
 * kernel of the backend table (lib/tensor_internal.h) on device memory,
 * with the CPU backend's semantics (lib/tensor_cpu.c), and the constructor
 * that registers it when libgalley-cuda is loaded.
 *
 * This folder is libgalley-cuda (and host_check.cu, its check on the
 * host): it may include ../tensor_internal.h (and what that includes) and
 * CUDA's headers (the runtime, cuBLAS's, whose library is loaded at the
 * first product), nothing else of galley's; libgalley never includes it.
 * It is compiled by nvcc (build.ninja's cuda rule, tools/cuda.sh) with
 * -fmad=false: as the CPU's -ffp-contract=off, a * b + c stays two
 * roundings.
 *
 * A tensor's shape and strides travel to a kernel by value in S_desc. The
 * element-wise kernels are one thread per element (a grid-stride loop);
 * reductions and argmax one block per element of out. Everything runs on
 * the legacy default stream, so the synchronous copies of upload and
 * download order themselves after the kernels before them. */
extern "C" {
#include "../tensor_internal.h"
}

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern "C" const galley__backend galley__cuda_backend;

/* What the kernels compute per element (ops, conversions, where an
 * element is) compiles for the host too: lib/cuda/host_check.cu runs it
 * on the CPU against the CPU backend, where no GPU is. */
#define S_HD __host__ __device__

/* ---- errors ---- */

/* Ends the program on a failed CUDA call: a kernel that did not run leaves
 * a tensor unwritten, and nothing after it would mean anything. */
static void S_check(cudaError_t err, const char *what)
{
    if (err == cudaSuccess)
        return;
    fprintf(stderr, "galley: cuda: %s: %s\n", what, cudaGetErrorString(err));
    abort();
}

static void S_check_blas(cublasStatus_t st, const char *what)
{
    if (st == CUBLAS_STATUS_SUCCESS)
        return;
    fprintf(stderr, "galley: cuda: %s: cuBLAS status %d\n", what, (int)st);
    abort();
}

/* After each launch: a launch that failed (too many blocks, no device)
 * says so here, not at the next copy. */
static void S_launched(const char *what)
{
    S_check(cudaGetLastError(), what);
}

/* ---- the device, memory, copies ---- */

static int S_usable(const char **why)
{
    /* The driver's message for the reason, once; why points into it. */
    static char reason[200];
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err == cudaSuccess && n > 0)
        return 1;
    /* Without a driver (no libcuda.so.1, as on a machine with no GPU)
     * the runtime says that the driver is "insufficient": say which. */
    if (err == cudaErrorInsufficientDriver)
        snprintf(reason, sizeof reason,
                 "no CUDA device (no CUDA driver, or one older than the "
                 "runtime, CUDA %d.%d: %s)",
                 CUDART_VERSION / 1000, CUDART_VERSION % 1000 / 10,
                 cudaGetErrorString(err));
    else if (err != cudaSuccess)
        snprintf(reason, sizeof reason, "no CUDA device (%s)",
                 cudaGetErrorString(err));
    else
        snprintf(reason, sizeof reason, "no CUDA device");
    *why = reason;
    return 0;
}

/* Whether the device has stream-ordered memory pools: then alloc and free
 * are cudaMallocAsync and cudaFreeAsync, which keep freed blocks for the
 * next allocation, as the CPU backend's cache does, and do not wait for
 * the device as cudaFree does (which would end every asynchronous
 * launch). -1 until first asked. */
static int S_pools = -1;

static int S_use_pools(void)
{
    if (S_pools >= 0)
        return S_pools;
    int dev = 0, on = 0;
    S_check(cudaGetDevice(&dev), "cudaGetDevice");
    if (cudaDeviceGetAttribute(&on, cudaDevAttrMemoryPoolsSupported, dev) !=
        cudaSuccess)
        on = 0;
    if (on) {
        /* The pool keeps what it holds across synchronizations (its
         * default gives it back at each one). */
        cudaMemPool_t pool;
        uint64_t keep = UINT64_MAX;
        S_check(cudaDeviceGetDefaultMemPool(&pool, dev),
                "cudaDeviceGetDefaultMemPool");
        S_check(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold,
                                        &keep),
                "cudaMemPoolSetAttribute");
    }
    S_pools = on;
    return S_pools;
}

static void *S_alloc(size_t nbytes)
{
    void *p = NULL;
    size_t n = nbytes ? nbytes : 1;
    cudaError_t err = S_use_pools() ? cudaMallocAsync(&p, n, 0)
                                    : cudaMalloc(&p, n);
    if (err == cudaErrorMemoryAllocation) {
        fprintf(stderr, "galley: out of CUDA memory (asked for %zu bytes)\n",
                nbytes);
        abort();
    }
    S_check(err, "cudaMalloc"); /* an earlier kernel's error, say */
    return p;
}

static void S_free(void *p)
{
    if (!p)
        return;
    cudaError_t err = S_use_pools() ? cudaFreeAsync(p, 0) : cudaFree(p);
    /* Tensors freed at exit, after the runtime's own exit handler: the
     * memory went with the context. */
    if (err == cudaErrorCudartUnloading || err == cudaErrorContextIsDestroyed)
        return;
    S_check(err, "cudaFree");
}

static void S_upload(void *dst, const void *src, size_t n)
{
    if (n)
        S_check(cudaMemcpy(dst, src, n, cudaMemcpyHostToDevice),
                "cudaMemcpy to the device");
}

static void S_download(void *dst, const void *src, size_t n)
{
    if (n)
        S_check(cudaMemcpy(dst, src, n, cudaMemcpyDeviceToHost),
                "cudaMemcpy from the device");
}

/* ---- shapes and strides on the device ----
 *
 * Up to three operands over one shape, walked as the CPU walks them
 * (galley__axes): contiguous operands become one axis, and a thread finds
 * its elements with one division per remaining axis. */

/* A tensor's walk (galley__axes), handed to a kernel by value. */
typedef galley__axes S_desc;

/* The descriptor of out and the inputs in[0..nin) (all of out's shape). */
static S_desc S_describe(const galley_tensor *out, int nin,
                         const galley_tensor *const *in)
{
    S_desc it;
    memset(&it, 0, sizeof it); /* all of it goes to the device */
    const long *strides[3] = {out->strides, NULL, NULL};
    for (int k = 0; k < nin; k++)
        strides[k + 1] = in[k]->strides;
    galley__axes_init(&it, out->ndim, out->shape, nin + 1, strides);
    return it;
}

/* The offsets (elements) of element i (row-major) of each operand. */
S_HD static void S_offsets(const S_desc &it, long i, long off[3])
{
    if (it.nd == 1) { /* contiguous operands: no division */
        off[0] = i * it.s[0][0];
        off[1] = i * it.s[1][0];
        off[2] = i * it.s[2][0];
        return;
    }
    off[0] = off[1] = off[2] = 0;
    for (int d = it.nd - 1; d >= 0; d--) {
        long n = it.n[d], c = i % n;
        i /= n;
        off[0] += c * it.s[0][d];
        off[1] += c * it.s[1][d];
        off[2] += c * it.s[2][d];
    }
}

enum { S_THREADS = 256 };

/* Blocks for n elements, one per thread, at most 2^16 (a grid-stride loop
 * takes the rest). */
static unsigned S_blocks(long n)
{
    long b = (n + S_THREADS - 1) / S_THREADS;
    return (unsigned)(b < 1 ? 1 : b > 65536 ? 65536 : b);
}

#define S_FOR_EACH(I, N)                                                   \
    for (long I = (long)blockIdx.x * blockDim.x + threadIdx.x; I < (N);    \
         I += (long)gridDim.x * blockDim.x)

/* ---- conversions, as the CPU's ---- */


template <typename TO> struct S_conv;
template <> struct S_conv<float> {
    template <typename TI> S_HD static float from(TI x)
    {
        return (float)x;
    }
};
template <> struct S_conv<double> {
    template <typename TI> S_HD static double from(TI x)
    {
        return (double)x;
    }
};
template <> struct S_conv<int64_t> {
    S_HD static int64_t from(int64_t x) { return x; }
    S_HD static int64_t from(float x) { return galley__to_i64((double)x); }
    S_HD static int64_t from(double x) { return galley__to_i64(x); }
};

/* ---- fill and copy ---- */

template <typename T>
__global__ static void S_fill_k(S_desc it, long n, T *o, T v)
{
    S_FOR_EACH(i, n) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = v;
    }
}

static void S_fill(galley_tensor *out, double value)
{
    if (out->numel == 0)
        return;
    S_desc it = S_describe(out, 0, NULL);
    long n = out->numel;
    void *o = galley__ptr(out);
    unsigned g = S_blocks(n);
    switch (out->dtype) {
    case GALLEY_F32:
        S_fill_k<float><<<g, S_THREADS>>>(it, n, (float *)o, (float)value);
        break;
    case GALLEY_F64:
        S_fill_k<double><<<g, S_THREADS>>>(it, n, (double *)o, value);
        break;
    case GALLEY_I64:
        S_fill_k<int64_t><<<g, S_THREADS>>>(it, n, (int64_t *)o,
                                            galley__to_i64(value));
        break;
    }
    S_launched("fill");
}

template <typename TO, typename TI>
__global__ static void S_copy_k(S_desc it, long n, TO *o, const TI *a)
{
    S_FOR_EACH(i, n) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_conv<TO>::from(a[off[1]]);
    }
}

template <typename TO>
static void S_copy_to(const S_desc &it, long n, void *o, galley_dtype from,
                      const void *a)
{
    unsigned g = S_blocks(n);
    switch (from) {
    case GALLEY_F32:
        S_copy_k<TO, float><<<g, S_THREADS>>>(it, n, (TO *)o,
                                               (const float *)a);
        break;
    case GALLEY_F64:
        S_copy_k<TO, double><<<g, S_THREADS>>>(it, n, (TO *)o,
                                                (const double *)a);
        break;
    case GALLEY_I64:
        S_copy_k<TO, int64_t><<<g, S_THREADS>>>(it, n, (TO *)o,
                                                 (const int64_t *)a);
        break;
    }
}

static void S_copy(galley_tensor *out, const galley_tensor *a)
{
    if (out->numel == 0)
        return;
    S_desc it = S_describe(out, 1, &a);
    long n = out->numel;
    void *o = galley__ptr(out);
    const void *p = galley__ptr(a);
    switch (out->dtype) {
    case GALLEY_F32: S_copy_to<float>(it, n, o, a->dtype, p); break;
    case GALLEY_F64: S_copy_to<double>(it, n, o, a->dtype, p); break;
    case GALLEY_I64: S_copy_to<int64_t>(it, n, o, a->dtype, p); break;
    }
    S_launched("copy");
}

/* ---- unary ops ----
 *
 * float32 computes in float (expf, tanhf, ...), float64 in double, as the
 * CPU's; CUDA's functions are within an ulp or two of glibc's, not equal
 * to the bit. */

S_HD static float S_exp(float x) { return expf(x); }
S_HD static double S_exp(double x) { return exp(x); }
S_HD static float S_log(float x) { return logf(x); }
S_HD static double S_log(double x) { return log(x); }
S_HD static float S_tanh(float x) { return tanhf(x); }
S_HD static double S_tanh(double x) { return tanh(x); }
S_HD static float S_sqrt(float x) { return sqrtf(x); }
S_HD static double S_sqrt(double x) { return sqrt(x); }
S_HD static float S_pow(float x, float y) { return powf(x, y); }
S_HD static double S_pow(double x, double y) { return pow(x, y); }
S_HD static float S_fabs(float x) { return fabsf(x); }
S_HD static double S_fabs(double x) { return fabs(x); }
S_HD static float S_sin(float x) { return sinf(x); }
S_HD static double S_sin(double x) { return sin(x); }
S_HD static float S_cos(float x) { return cosf(x); }
S_HD static double S_cos(double x) { return cos(x); }
S_HD static float S_erf(float x) { return erff(x); }
S_HD static double S_erf(double x) { return erf(x); }
S_HD static float S_log1p(float x) { return log1pf(x); }
S_HD static double S_log1p(double x) { return log1p(x); }

/* The derivative of torch's tanh approximation of GELU, as the CPU's
 * S_gelu_tanh_grad. */
template <typename T> S_HD static T S_gelu_tanh_grad(T x)
{
    T b = (T)(M_SQRT2 * M_2_SQRTPI * 0.5), k = (T)0.044715;
    T inner = b * (x + k * x * x * x), t = S_tanh(inner);
    T left = (T)0.5 * x, right = 1 + t;
    T dinner = b * (1 + 3 * k * x * x);
    return (T)0.5 * right + left * (1 - t * t) * dinner;
}

/* op(x) with argument arg (c: arg in T), term for term the CPU's
 * S_DEFINE_UNARY. */
template <typename T>
S_HD static T S_unop(int op, T x, double arg, T c)
{
    switch (op) {
    case GALLEY__NEG: return -x;
    case GALLEY__EXP: return S_exp(x);
    case GALLEY__LOG: return S_log(x);
    case GALLEY__TANH: return S_tanh(x);
    case GALLEY__SIGMOID:
        return x >= 0 ? 1 / (1 + S_exp(-x)) : S_exp(x) / (1 + S_exp(x));
    case GALLEY__RELU: return x < 0 ? 0 : x;
    case GALLEY__SQRT: return S_sqrt(x);
    case GALLEY__ADD_SCALAR: return x + c;
    case GALLEY__MUL_SCALAR: return x * c;
    case GALLEY__POW_SCALAR:
        return arg == 2 ? x * x : arg == 1 ? x : S_pow(x, c);
    case GALLEY__RECIP: return 1 / x;
    case GALLEY__ABS: return S_fabs(x);
    case GALLEY__SIN: return S_sin(x);
    case GALLEY__COS: return S_cos(x);
    case GALLEY__SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case GALLEY__CLAMP_MIN: return x < c ? c : x;
    case GALLEY__CLAMP_MAX: return x > c ? c : x;
    case GALLEY__LEAKY_RELU: return x > 0 ? x : x * c;
    case GALLEY__LEAKY_STEP: return x > 0 ? 1 : c;
    case GALLEY__GELU:
        if (arg == 0)
            return x * (T)0.5 * (1 + S_erf(x * (T)M_SQRT1_2));
        return (T)0.5 * x *
               (1 + S_tanh((T)(M_SQRT2 * M_2_SQRTPI * 0.5) *
                           (x + (T)0.044715 * x * x * x)));
    case GALLEY__GELU_GRAD:
        if (arg == 0)
            return (T)0.5 * (1 + S_erf(x * (T)M_SQRT1_2)) +
                   x * S_exp((T)-0.5 * x * x) *
                       (T)(M_2_SQRTPI * M_SQRT1_2 * 0.5);
        return S_gelu_tanh_grad(x);
    case GALLEY__SOFTPLUS: return x > 20 ? x : S_log1p(S_exp(x));
    case GALLEY__SOFTPLUS_GRAD:
        return x > 20 ? 1 : S_exp(x) / (S_exp(x) + 1);
    }
    return x;
}

template <typename T>
__global__ static void S_unary_k(S_desc it, long n, int op, T *o,
                                 const T *a, double arg)
{
    T c = (T)arg;
    S_FOR_EACH(i, n) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_unop<T>(op, a[off[1]], arg, c);
    }
}

static void S_unary(galley__unop op, galley_tensor *out,
                    const galley_tensor *a, double arg)
{
    if (out->numel == 0)
        return;
    S_desc it = S_describe(out, 1, &a);
    long n = out->numel;
    unsigned g = S_blocks(n);
    /* int64 takes no unary op (the CPU's does nothing either). */
    if (out->dtype == GALLEY_F32)
        S_unary_k<float><<<g, S_THREADS>>>(it, n, op,
                                           (float *)galley__ptr(out),
                                           (const float *)galley__ptr(a), arg);
    else if (out->dtype == GALLEY_F64)
        S_unary_k<double><<<g, S_THREADS>>>(it, n, op,
                                            (double *)galley__ptr(out),
                                            (const double *)galley__ptr(a),
                                            arg);
    S_launched("unary");
}

/* ---- binary ops ---- */

template <typename T> S_HD static T S_binop(int op, T x, T y)
{
    switch (op) {
    case GALLEY__ADD: return x + y;
    case GALLEY__SUB: return x - y;
    case GALLEY__MUL: return x * y;
    case GALLEY__DIV: return x / y;
    case GALLEY__POW: return S_pow(x, y);
    case GALLEY__EQ: return x == y ? 1 : 0;
    case GALLEY__GT: return x > y ? 1 : 0;
    case GALLEY__NE: return x != y ? 1 : 0;
    case GALLEY__GE: return x >= y ? 1 : 0;
    case GALLEY__MAXIMUM: return x != x || y != y ? x + y : x < y ? y : x;
    case GALLEY__MINIMUM: return x != x || y != y ? x + y : y < x ? y : x;
    }
    return x;
}

template <typename T>
__global__ static void S_binary_k(S_desc it, long n, int op, T *o,
                                  const T *a, const T *b)
{
    S_FOR_EACH(i, n) {
        long off[3];
        S_offsets(it, i, off);
        o[off[0]] = S_binop<T>(op, a[off[1]], b[off[2]]);
    }
}

static void S_binary(galley__binop op, galley_tensor *out,
                     const galley_tensor *a, const galley_tensor *b)
{
    if (out->numel == 0)
        return;
    const galley_tensor *in[2] = {a, b};
    S_desc it = S_describe(out, 2, in);
    long n = out->numel;
    unsigned g = S_blocks(n);
    if (out->dtype == GALLEY_F32)
        S_binary_k<float><<<g, S_THREADS>>>(
            it, n, op, (float *)galley__ptr(out),
            (const float *)galley__ptr(a), (const float *)galley__ptr(b));
    else if (out->dtype == GALLEY_F64)
        S_binary_k<double><<<g, S_THREADS>>>(
            it, n, op, (double *)galley__ptr(out),
            (const double *)galley__ptr(a), (const double *)galley__ptr(b));
    S_launched("binary");
}

/* ---- fused updates ---- */

/* out = a - c b, the product rounded to T first (fmad is off). */
template <typename T>
__global__ static void S_sub_scaled_k(S_desc it, long n, T *o, const T *a,
                                      T c, const T *b)
{
    S_FOR_EACH(i, n) {
        long off[3];
        S_offsets(it, i, off);
        T t = c * b[off[2]];
        o[off[0]] = a[off[1]] - t;
    }
}

static void S_sub_scaled(galley_tensor *out, const galley_tensor *a, double c,
                         const galley_tensor *b)
{
    if (out->numel == 0)
        return;
    const galley_tensor *in[2] = {a, b};
    S_desc it = S_describe(out, 2, in);
    long n = out->numel;
    unsigned g = S_blocks(n);
    if (out->dtype == GALLEY_F32)
        S_sub_scaled_k<float><<<g, S_THREADS>>>(
            it, n, (float *)galley__ptr(out), (const float *)galley__ptr(a),
            (float)c, (const float *)galley__ptr(b));
    else if (out->dtype == GALLEY_F64)
        S_sub_scaled_k<double><<<g, S_THREADS>>>(
            it, n, (double *)galley__ptr(out), (const double *)galley__ptr(a),
            c, (const double *)galley__ptr(b));
    S_launched("sub_scaled");
}

/* ---- reductions and argmax ----
 *
 * One block per element j of out: its threads take the reduced elements
 * that map to j in turn (thread t: elements t, t + 256, ...), then the
 * block combines their partial results in shared memory; short ones a
 * thread each, long ones into few elements several blocks each (see
 * S_reduce_run). Sums accumulate in double for every dtype, as the CPU's
 * (whose order of terms is torch's cascade; this one's is a tree, so a
 * float64 sum may differ from the CPU's in its last bits; a float32 sum,
 * rounded from double, almost never does). */

/* Where the elements of a that map to out[j] are: out's elements walk
 * the kept axes kn (row-major, strides ks in a), the reduced elements
 * the axes rn (row-major, strides rs in a). */
typedef struct S_red {
    int nk, nr;
    long kn[GALLEY_MAX_DIMS], ks[GALLEY_MAX_DIMS];
    long rn[GALLEY_MAX_DIMS], rs[GALLEY_MAX_DIMS];
    long count; /* reduced elements per element of out */
} S_red;

S_HD static long S_kept_off(const S_red &r, long j)
{
    long off = 0;
    for (int d = r.nk - 1; d >= 0; d--) {
        off += (j % r.kn[d]) * r.ks[d];
        j /= r.kn[d];
    }
    return off;
}

S_HD static long S_red_off(const S_red &r, long i)
{
    long off = 0;
    for (int d = r.nr - 1; d >= 0; d--) {
        off += (i % r.rn[d]) * r.rs[d];
        i /= r.rn[d];
    }
    return off;
}

/* max that keeps NaN, as the CPU's S_max_row. */
S_HD static double S_max2(double m, double x)
{
    if (m != m)
        return m;
    return x > m || x != x ? x : m;
}

/* Adds x into acc (sum) or keeps the greater (max), in double. */
S_HD static double S_combine(int op, double acc, double x)
{
    return op == GALLEY__RSUM ? acc + x : S_max2(acc, x);
}

/* One block per element of o, in parts blocks each: block b reduces part
 * b % parts of the elements that map to element b / parts of out. */
/* Block b's share when each element of out has parts blocks: the
 * element *j, the reduced elements [*i0, *i1). */
S_HD static void S_part_range(const S_red &r, long parts, long b, long *j,
                              long *i0, long *i1)
{
    long chunk = (r.count + parts - 1) / parts, p = b % parts;
    *j = b / parts;
    *i0 = p * chunk;
    *i1 = *i0 + chunk < r.count ? *i0 + chunk : r.count;
}

template <typename TI, typename TO>
__global__ static void S_reduce_k(S_red r, int op, TO *o, const TI *a,
                                  long parts)
{
    __shared__ double part[S_THREADS];
    long j, i0, i1;
    S_part_range(r, parts, blockIdx.x, &j, &i0, &i1);
    const TI *base = a + S_kept_off(r, j);
    double acc = op == GALLEY__RSUM ? 0.0 : -INFINITY;
    for (long i = i0 + threadIdx.x; i < i1; i += blockDim.x)
        acc = S_combine(op, acc, (double)base[S_red_off(r, i)]);
    part[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned h = blockDim.x / 2; h > 0; h /= 2) {
        if (threadIdx.x < h)
            part[threadIdx.x] =
                S_combine(op, part[threadIdx.x], part[threadIdx.x + h]);
        __syncthreads();
    }
    if (threadIdx.x == 0)
        o[blockIdx.x] = S_conv<TO>::from(part[0]);
}

/* One thread per element of out, its few terms in order: for short
 * reductions (a softmax's rows of 10), where a block each would idle. */
template <typename TI, typename TO>
__global__ static void S_reduce_rows_k(S_red r, int op, TO *o, const TI *a,
                                       long nout)
{
    S_FOR_EACH(j, nout) {
        const TI *base = a + S_kept_off(r, j);
        double acc = op == GALLEY__RSUM ? 0.0 : -INFINITY;
        for (long i = 0; i < r.count; i++)
            acc = S_combine(op, acc, (double)base[S_red_off(r, i)]);
        o[j] = S_conv<TO>::from(acc);
    }
}

/* Which axes of a S_split reduces: those where out's size is 1 and a's
 * is not (a reduction), all of them (argmax over the whole tensor), or
 * one (argmax along it). */
enum { S_BY_SHAPE = -1, S_ALL = -2 };

/* Splits a's axes into the kept ones and the reduced ones (see S_BY_SHAPE;
 * axis >= 0: that one), dropping those of size 1. Reduced axes keep their
 * order: argmax's index counts row-major over them. */
static S_red S_split(const galley_tensor *out, const galley_tensor *a,
                     int axis)
{
    S_red r;
    memset(&r, 0, sizeof r);
    r.count = 1;
    for (int d = 0; d < a->ndim; d++) {
        int reduced = axis == S_ALL        ? 1
                      : axis == S_BY_SHAPE ? out->shape[d] != a->shape[d]
                                           : d == axis;
        if (a->shape[d] == 1)
            continue;
        if (reduced) {
            r.rn[r.nr] = a->shape[d];
            r.rs[r.nr++] = a->strides[d];
            r.count *= a->shape[d];
        } else {
            r.kn[r.nk] = a->shape[d];
            r.ks[r.nk++] = a->strides[d];
        }
    }
    return r;
}

/* Reductions at most this long run a thread each; at least S_LONG long
 * into few elements of out (a loss, a norm) split over several blocks
 * each, whose partial results a second pass combines. */
enum { S_SHORT = 32, S_LONG = 1 << 16, S_FEW = 128, S_PART = 1 << 15 };

/* How S_reduce_run reduces count elements into each of nout: 0, a thread
 * each; 1, a block each; more, that many blocks each, then a pass over
 * their partial results. */
static long S_parts(long nout, long count)
{
    if (count <= S_SHORT)
        return 0;
    if (count < S_LONG || nout >= S_FEW)
        return 1;
    long parts = (count + S_PART - 1) / S_PART;
    return parts > 1024 ? 1024 : parts;
}

/* The partial results of S_parts' blocks as a reduction: nout rows of
 * parts, contiguous. */
static S_red S_partial_red(long nout, long parts)
{
    S_red f;
    memset(&f, 0, sizeof f);
    f.nk = f.nr = 1;
    f.kn[0] = nout;
    f.ks[0] = parts;
    f.rn[0] = parts;
    f.rs[0] = 1;
    f.count = parts;
    return f;
}

template <typename TI, typename TO>
static void S_reduce_run(galley__redop op, long nout, TO *o, const TI *a,
                         const S_red &r)
{
    long parts = S_parts(nout, r.count);
    if (parts == 0) {
        S_reduce_rows_k<TI, TO><<<S_blocks(nout), S_THREADS>>>(r, op, o, a,
                                                               nout);
        return;
    }
    if (parts == 1) {
        S_reduce_k<TI, TO><<<(unsigned)nout, S_THREADS>>>(r, op, o, a, 1);
        return;
    }
    double *partial = (double *)S_alloc((size_t)(nout * parts) *
                                        sizeof(double));
    S_reduce_k<TI, double><<<(unsigned)(nout * parts), S_THREADS>>>(
        r, op, partial, a, parts);
    S_reduce_k<double, TO><<<(unsigned)nout, S_THREADS>>>(
        S_partial_red(nout, parts), op, o, partial, 1);
    S_free(partial);
}

template <typename TI>
static void S_reduce_from(galley__redop op, galley_tensor *out,
                          const galley_tensor *a, const S_red &r)
{
    long n = out->numel;
    const TI *p = (const TI *)galley__ptr(a);
    void *o = galley__ptr(out);
    switch (out->dtype) {
    case GALLEY_F32: S_reduce_run<TI, float>(op, n, (float *)o, p, r); break;
    case GALLEY_F64: S_reduce_run<TI, double>(op, n, (double *)o, p, r); break;
    case GALLEY_I64:
        S_reduce_run<TI, int64_t>(op, n, (int64_t *)o, p, r);
        break;
    }
}

static void S_reduce(galley__redop op, galley_tensor *out,
                     const galley_tensor *a)
{
    if (out->numel == 0)
        return;
    S_red r = S_split(out, a, S_BY_SHAPE);
    if (a->numel == 0) /* no terms: 0, or -inf for max */
        r.count = 0;
    switch (a->dtype) {
    case GALLEY_F32: S_reduce_from<float>(op, out, a, r); break;
    case GALLEY_F64: S_reduce_from<double>(op, out, a, r); break;
    case GALLEY_I64: S_reduce_from<int64_t>(op, out, a, r); break;
    }
    S_launched("reduce");
}

/* Whether (x, i) comes before (y, j) as argmax's answer: NaN is greatest,
 * then the greater, then the first. */
template <typename T>
S_HD static int S_before(T x, long i, T y, long j)
{
    if (x != x || y != y)
        return x != x && (y == y || i < j);
    return x > y || (x == y && i < j);
}

template <typename T>
__global__ static void S_argmax_k(S_red r, int64_t *o, const T *a)
{
    __shared__ T bv[S_THREADS];
    __shared__ long bi[S_THREADS];
    const T *base = a + S_kept_off(r, blockIdx.x);
    T best = 0;
    long at = -1;
    for (long i = threadIdx.x; i < r.count; i += blockDim.x) {
        T x = base[S_red_off(r, i)];
        if (at < 0 || S_before(x, i, best, at)) {
            best = x;
            at = i;
        }
    }
    bv[threadIdx.x] = best;
    bi[threadIdx.x] = at;
    __syncthreads();
    for (unsigned h = blockDim.x / 2; h > 0; h /= 2) {
        if (threadIdx.x < h) {
            long j = bi[threadIdx.x + h];
            if (j >= 0 && (bi[threadIdx.x] < 0 ||
                           S_before(bv[threadIdx.x + h], j, bv[threadIdx.x],
                                    bi[threadIdx.x]))) {
                bv[threadIdx.x] = bv[threadIdx.x + h];
                bi[threadIdx.x] = j;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0)
        o[blockIdx.x] = bi[0] < 0 ? 0 : bi[0];
}

static void S_argmax(galley_tensor *out, const galley_tensor *a, int axis)
{
    if (out->numel == 0)
        return;
    /* axis < 0: out is 0-d and every axis of a is reduced. */
    S_red r = S_split(out, a, axis < 0 ? S_ALL : axis);
    if (a->numel == 0)
        r.count = 0;
    unsigned g = (unsigned)out->numel;
    int64_t *o = (int64_t *)galley__ptr(out);
    const void *p = galley__ptr(a);
    switch (a->dtype) {
    case GALLEY_F32:
        S_argmax_k<float><<<g, S_THREADS>>>(r, o, (const float *)p);
        break;
    case GALLEY_F64:
        S_argmax_k<double><<<g, S_THREADS>>>(r, o, (const double *)p);
        break;
    case GALLEY_I64:
        S_argmax_k<int64_t><<<g, S_THREADS>>>(r, o, (const int64_t *)p);
        break;
    }
    S_launched("argmax");
}

/* ---- matrix products ---- */

/* cuBLAS, loaded at the first product (dlopen): linking it would cost
 * every program that links libgalley-cuda a third of a second at start
 * (libcublasLt's relocations), GPU or not, product or not. The loader
 * looks where the program's (or libgalley-cuda.so's) run path says, which
 * tools/cuda.sh points at the toolkit. The types are the header's. */
#define S_STR2(x) #x
#define S_STR(x) S_STR2(x)
static struct {
    decltype(&cublasCreate_v2) create;
    decltype(&cublasSgemm_v2) sgemm;
    decltype(&cublasDgemm_v2) dgemm;
    cublasHandle_t handle;
} S_blas;

static void *S_sym(void *lib, const char *name)
{
    void *f = dlsym(lib, name);
    if (!f) {
        fprintf(stderr, "galley: cuda: cuBLAS has no %s\n", name);
        abort();
    }
    return f;
}

static cublasHandle_t S_handle(void)
{
    if (S_blas.handle)
        return S_blas.handle;
    const char *name = "libcublas.so." S_STR(CUBLAS_VER_MAJOR);
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "galley: cuda: cannot load cuBLAS: %s\n", dlerror());
        abort();
    }
    S_blas.create = (decltype(S_blas.create))S_sym(lib, "cublasCreate_v2");
    S_blas.sgemm = (decltype(S_blas.sgemm))S_sym(lib, "cublasSgemm_v2");
    S_blas.dgemm = (decltype(S_blas.dgemm))S_sym(lib, "cublasDgemm_v2");
    S_check_blas(S_blas.create(&S_blas.handle), "cublasCreate");
    return S_blas.handle;
}

/* C = beta C over m x n (row stride ldc): the product of k = 0, whose
 * beta 0 writes 0 even over NaN, as the CPU's. */
template <typename T>
__global__ static void S_scale_k(long m, long n, T *c, long ldc, T beta)
{
    S_FOR_EACH(i, m * n) {
        T *x = c + (i / n) * ldc + i % n;
        *x = beta == 0 ? (T)0 : beta * *x;
    }
}

/* A column-major cuBLAS call: C (m x n, ldc) = op(A) op(B) + beta C. */
typedef struct S_blas_call {
    cublasOperation_t ta, tb;
    int m, n, k;
    const void *a, *b;
    int lda, ldb, ldc;
} S_blas_call;

/* Row-major C = op(A) op(B) + beta C is column-major C^T = op(B)^T op(A)^T
 * + beta C^T, and a row-major matrix with row stride ld is its transpose
 * in column-major with leading dimension ld: so cuBLAS gets B first, then
 * A, with m and n swapped and the same transposes. (host_check.cu runs
 * the call it makes through a plain column-major product.) */
static S_blas_call S_blas_args(int ta, int tb, long m, long n, long k,
                               const void *a, long lda, const void *b,
                               long ldb, long ldc)
{
    /* cuBLAS wants each leading dimension >= the row length even where
     * there is one row and it is never used (as BLAS; the CPU's too). */
    long acols = ta ? m : k, arows = ta ? k : m;
    long bcols = tb ? k : n, brows = tb ? n : k;
    if (arows <= 1 && lda < acols)
        lda = acols;
    if (brows <= 1 && ldb < bcols)
        ldb = bcols;
    if (ldc < n)
        ldc = n; /* m is 1 then: the row stride is never stepped */
    S_blas_call c;
    c.ta = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    c.tb = ta ? CUBLAS_OP_T : CUBLAS_OP_N;
    c.m = (int)n;
    c.n = (int)m;
    c.k = (int)k;
    c.a = b;
    c.lda = (int)(ldb < 1 ? 1 : ldb);
    c.b = a;
    c.ldb = (int)(lda < 1 ? 1 : lda);
    c.ldc = (int)(ldc < 1 ? 1 : ldc);
    return c;
}

static void S_gemm(galley_dtype dtype, int ta, int tb, long m, long n, long k,
                   const void *a, long lda, const void *b, long ldb,
                   double beta, void *c, long ldc)
{
    if (m <= 0 || n <= 0)
        return;
    if (k == 0) {
        if (dtype == GALLEY_F32)
            S_scale_k<float><<<S_blocks(m * n), S_THREADS>>>(
                m, n, (float *)c, ldc, (float)beta);
        else
            S_scale_k<double><<<S_blocks(m * n), S_THREADS>>>(
                m, n, (double *)c, ldc, beta);
        S_launched("gemm");
        return;
    }
    S_blas_call x = S_blas_args(ta, tb, m, n, k, a, lda, b, ldb, ldc);
    cublasHandle_t h = S_handle();
    if (dtype == GALLEY_F32) {
        float one = 1, bf = (float)beta;
        S_check_blas(S_blas.sgemm(h, x.ta, x.tb, x.m, x.n, x.k, &one,
                                  (const float *)x.a, x.lda,
                                  (const float *)x.b, x.ldb, &bf, (float *)c,
                                  x.ldc),
                     "cublasSgemm");
    } else {
        double one = 1;
        S_check_blas(S_blas.dgemm(h, x.ta, x.tb, x.m, x.n, x.k, &one,
                                  (const double *)x.a, x.lda,
                                  (const double *)x.b, x.ldb, &beta,
                                  (double *)c, x.ldc),
                     "cublasDgemm");
    }
}

/* ---- the table, and its registration ---- */

extern "C" const galley__backend galley__cuda_backend = {
    /* .name = */ "cuda",
    /* .device = */ GALLEY_CUDA,
    /* .usable = */ S_usable,
    /* .upload = */ S_upload,
    /* .download = */ S_download,
    /* .alloc = */ S_alloc,
    /* .free = */ S_free,
    /* .fill = */ S_fill,
    /* .copy = */ S_copy,
    /* .unary = */ S_unary,
    /* .binary = */ S_binary,
    /* .reduce = */ S_reduce,
    /* .argmax = */ S_argmax,
    /* .gemm = */ S_gemm,
    /* .sub_scaled = */ S_sub_scaled,
};

/* Linking libgalley-cuda into a program (whole, or as the .so) is what
 * gives it the device: the registry in libgalley learns of the backend
 * before main. Nothing here touches the driver: a machine without one
 * still starts the program, and usable says why there is no device. */
__attribute__((constructor)) static void S_register(void)
{
    galley__backend_register(&galley__cuda_backend);
}
