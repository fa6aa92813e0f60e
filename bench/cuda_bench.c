/* cuda_bench.c: benchmarks of galley's tensors on a CUDA GPU (not a test):
 * matmul 4096 x 4096 float32 through galley against cublasSgemm called
 * directly, a training step of the 784->256->10 MLP of tensor_bench.c on
 * the CPU and on the GPU, and the cost of one tiny op on the GPU (bound by
 * the kernel launch). Run by bench/cuda.sh, which builds it against
 * build/libgalley.a and the whole of build/libgalley-cuda.a, runs
 * bench/cuda_ref.py (torch) beside it and prints the table. Prints "name
 * value" lines, each value the median of REPS repetitions; the MLP's final
 * losses go to stderr, so that the two devices can be seen to agree. */
#define _GNU_SOURCE
#include <galley/tensor.h>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* Waits for the GPU: kernels are asynchronous, a time is taken after. */
static void S_sync(void)
{
    cudaError_t err = cudaDeviceSynchronize();
    if (err != cudaSuccess) {
        fprintf(stderr, "cuda_bench: %s\n", cudaGetErrorString(err));
        exit(1);
    }
}

enum { MAXREPS = 64 };

/* ---- matmul 4096 x 4096 float32: galley_matmul on the GPU and raw
 * cublasSgemm (default math: no TF32, as galley's), alternating. ---- */
static void S_bench_matmul(int reps)
{
    const long n = 4096;
    enum { INNER = 5 }; /* products per timing: about 10 ms at 60 TFLOPS */
    galley_manual_seed(1);
    galley_tensor *a = galley_to_device(
        galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n)), GALLEY_CUDA);
    galley_tensor *b = galley_to_device(
        galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n)), GALLEY_CUDA);
    float *da, *db, *dc;
    size_t bytes = sizeof(float) * n * n;
    if (cudaMalloc((void **)&da, bytes) || cudaMalloc((void **)&db, bytes) ||
        cudaMalloc((void **)&dc, bytes)) {
        fprintf(stderr, "cuda_bench: cudaMalloc failed\n");
        exit(1);
    }
    cudaMemset(da, 0, bytes);
    cudaMemset(db, 0, bytes);
    cublasHandle_t h;
    if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS) {
        fprintf(stderr, "cuda_bench: cublasCreate failed\n");
        exit(1);
    }
    const float one = 1, zero = 0;
    double tg[MAXREPS], tc[MAXREPS];
    for (int r = -1; r < reps; r++) { /* r == -1: warm-up */
        S_sync();
        double t0 = bench_now();
        for (int i = 0; i < INNER; i++)
            cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, (int)n, (int)n, (int)n,
                        &one, db, (int)n, da, (int)n, &zero, dc, (int)n);
        S_sync();
        double t1 = bench_now();
        for (int i = 0; i < INNER; i++) {
            galley_scope *s = galley_scope_begin();
            galley_matmul(a, b);
            galley_scope_end(s);
        }
        S_sync();
        double t2 = bench_now();
        if (r >= 0) {
            tc[r] = (t1 - t0) * 1e3 / INNER;
            tg[r] = (t2 - t1) * 1e3 / INNER;
        }
    }
    printf("matmul_cublas_ms %.3f\nmatmul_galley_ms %.3f\n",
           bench_median(tc, reps), bench_median(tg, reps));
    cublasDestroy(h);
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    galley_tensor_free_all();
}

/* ---- a training step: MLP 784 -> 256 -> 10, batch 64, float32, ReLU,
 * cross-entropy, SGD (lr 0.01), as tensor_bench.c's, on device dev: the
 * same data and initial weights (made on the CPU, then moved), and the
 * loss read back every step (torch's loss.item()). ---- */
static void S_bench_mlp(int reps, galley_device dev, const char *name)
{
    const int STEPS = 200;
    galley_manual_seed(0);
    galley_tensor *x = galley_to_device(
        galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(64, 784)), dev);
    int64_t labels[64];
    for (int i = 0; i < 64; i++)
        labels[i] = (i * 7) % 10;
    galley_tensor *y =
        galley_to_device(galley_from_i64(labels, GALLEY_SHAPE(64)), dev);
    galley_tensor *w1 = galley_param(galley_to_device(
        galley_mul_scalar(galley_randn(NULL, GALLEY_F32,
                                       GALLEY_SHAPE(784, 256)), 0.036),
        dev));
    galley_tensor *b1 = galley_param(
        galley_to_device(galley_zeros(GALLEY_F32, GALLEY_SHAPE(256)), dev));
    galley_tensor *w2 = galley_param(galley_to_device(
        galley_mul_scalar(galley_randn(NULL, GALLEY_F32,
                                       GALLEY_SHAPE(256, 10)), 0.0625),
        dev));
    galley_tensor *b2 = galley_param(
        galley_to_device(galley_zeros(GALLEY_F32, GALLEY_SHAPE(10)), dev));
    galley_tensor *params[] = {w1, b1, w2, b2};
    galley_optim *opt = galley_sgd_new(params, 4,
                                       &(galley_sgd_options){.lr = 0.01});
    double t[MAXREPS], loss = 0;
    for (int r = -1; r < reps; r++) {
        double t0 = bench_now();
        for (int i = 0; i < STEPS; i++) {
            galley_scope *s = galley_scope_begin();
            galley_optim_zero_grad(opt);
            galley_tensor *h =
                galley_relu(galley_add(galley_matmul(x, w1), b1));
            galley_tensor *out = galley_add(galley_matmul(h, w2), b2);
            galley_tensor *l = galley_cross_entropy(out, y);
            galley_backward(l);
            galley_optim_step(opt);
            loss = galley_item(l);
            galley_scope_end(s);
        }
        if (r >= 0)
            t[r] = (bench_now() - t0) * 1e6 / STEPS;
    }
    printf("%s_us %.1f\n", name, bench_median(t, reps));
    fprintf(stderr, "%s: final loss %.6g\n", name, loss);
    galley_optim_free(opt);
    galley_tensor_free_all();
}

/* ---- one tiny op on the GPU: adding two [4] float32 tensors, 1000 per
 * scope, waited for at the end: the launch and galley's own cost. ---- */
static void S_bench_tiny(int reps)
{
    enum { N = 1000 };
    galley_tensor *x = galley_to_device(
        galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(4)), GALLEY_CUDA);
    galley_tensor *y = galley_to_device(
        galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(4)), GALLEY_CUDA);
    double t[MAXREPS];
    for (int r = -1; r < reps; r++) {
        S_sync();
        double t0 = bench_now();
        galley_scope *s = galley_scope_begin();
        for (int i = 0; i < N; i++)
            galley_add(x, y);
        galley_scope_end(s);
        S_sync();
        if (r >= 0)
            t[r] = (bench_now() - t0) * 1e6 / N;
    }
    printf("tiny_add_cuda_us %.2f\n", bench_median(t, reps));
    galley_tensor_free_all();
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1 || reps > MAXREPS)
        reps = 5;
    const char *why = NULL;
    if (!galley_device_available(GALLEY_CUDA, &why)) {
        fprintf(stderr, "cuda_bench: no CUDA for galley: %s\n", why);
        return 2;
    }
    S_bench_matmul(reps);
    S_bench_mlp(reps, GALLEY_CPU, "mlp_cpu");
    S_bench_mlp(reps, GALLEY_CUDA, "mlp_cuda");
    S_bench_tiny(reps);
    return 0;
}
