/* tensor_bench.c: benchmarks of galley's tensors (not a test): matmul
 * against cblas_sgemm called directly, the overhead of one op on tiny
 * tensors, and a training step of a 784->256->10 MLP with SGD. Run by
 * bench/tensor.sh, which runs the same in PyTorch (bench/tensor_ref.py)
 * and prints the two side by side. Prints "name value" lines, each value
 * the median of REPS repetitions measured in one run. */
#define _GNU_SOURCE
#include <galley/tensor.h>

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

enum { MAXREPS = 64 };

/* ---- matmul 1024 x 1024 float32: galley_matmul and raw cblas_sgemm,
 * alternating so both see the same machine state. ---- */
static void S_bench_matmul(int reps)
{
    if (reps < 3) /* one product is too short to judge alone */
        reps = 3;
    const long n = 1024;
    galley_manual_seed(1);
    galley_tensor *a = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n));
    galley_tensor *b = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n));
    float *c = malloc(sizeof(float) * n * n);
    double tg[MAXREPS], tc[MAXREPS];
    for (int r = -1; r < reps; r++) { /* r == -1: warm-up */
        double t0 = bench_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                    galley_tensor_data(a), n, galley_tensor_data(b), n, 0.0f, c, n);
        double t1 = bench_now();
        galley_scope *s = galley_scope_begin();
        galley_matmul(a, b);
        galley_scope_end(s);
        double t2 = bench_now();
        if (r >= 0) {
            tc[r] = (t1 - t0) * 1e3;
            tg[r] = (t2 - t1) * 1e3;
        }
    }
    double mc = bench_median(tc, reps), mg = bench_median(tg, reps);
    printf("matmul_cblas_ms %.3f\nmatmul_galley_ms %.3f\n", mc, mg);
    free(c);
    galley_tensor_free(a);
    galley_tensor_free(b);
}

/* ---- per-op overhead on [4] float32 tensors, in a scope per 1000 ops,
 * without and with graph recording. ---- */
static double S_op_ns(galley_tensor *x, galley_tensor *y, int which)
{
    enum { N = 1000, ROUNDS = 200 };
    double t0 = bench_now();
    for (int r = 0; r < ROUNDS; r++) {
        galley_scope *s = galley_scope_begin();
        for (int i = 0; i < N; i++) {
            switch (which) {
            case 0: galley_add(x, y); break;
            case 1: galley_relu(x); break;
            case 2: galley_sum_all(x); break;
            default: galley_matmul(x, y); break;
            }
        }
        galley_scope_end(s);
    }
    return (bench_now() - t0) * 1e9 / ((double)N * ROUNDS);
}

static void S_bench_ops(int reps)
{
    static const char *names[] = {"add", "relu", "sum_all", "matmul4"};
    galley_tensor *x = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(4));
    galley_tensor *y = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(4));
    galley_tensor *m = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(4, 4));
    galley_tensor *p = galley_param(galley_rand(NULL, GALLEY_F32,
                                                GALLEY_SHAPE(4)));
    galley_tensor *pm = galley_param(galley_rand(NULL, GALLEY_F32,
                                                 GALLEY_SHAPE(4, 4)));
    for (int w = 0; w < 4; w++) {
        galley_tensor *a = w == 3 ? m : x, *b = w == 3 ? m : y;
        double plain[MAXREPS], graph[MAXREPS];
        S_op_ns(a, b, w); /* warm-up */
        for (int r = 0; r < reps; r++) {
            plain[r] = S_op_ns(a, b, w);
            graph[r] = S_op_ns(w == 3 ? pm : p, b, w);
        }
        printf("%s_ns %.1f\n%s_graph_ns %.1f\n", names[w],
               bench_median(plain, reps), names[w], bench_median(graph, reps));
    }
    galley_tensor_free(x);
    galley_tensor_free(y);
    galley_tensor_free(m);
    galley_tensor_free(p);
    galley_tensor_free(pm);
}

/* ---- a training step: MLP 784 -> 256 -> 10, batch 64, float32, ReLU,
 * cross-entropy, SGD (lr 0.01): zero_grad, forward, backward, step. ---- */
static void S_bench_mlp(int reps)
{
    /* BENCH_STEPS: fewer steps, to profile one under valgrind. */
    const char *env = getenv("BENCH_STEPS");
    const int STEPS = env ? atoi(env) : 200;
    galley_manual_seed(0);
    galley_tensor *x = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(64, 784));
    int64_t labels[64];
    for (int i = 0; i < 64; i++)
        labels[i] = (i * 7) % 10;
    galley_tensor *y = galley_from_i64(labels, GALLEY_SHAPE(64));
    galley_tensor *w1 = galley_param(galley_mul_scalar(
        galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(784, 256)), 0.036));
    galley_tensor *b1 = galley_param(galley_zeros(GALLEY_F32,
                                                  GALLEY_SHAPE(256)));
    galley_tensor *w2 = galley_param(galley_mul_scalar(
        galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(256, 10)), 0.0625));
    galley_tensor *b2 = galley_param(galley_zeros(GALLEY_F32,
                                                  GALLEY_SHAPE(10)));
    galley_tensor *params[] = {w1, b1, w2, b2};
    galley_optim *opt = galley_sgd_new(params, 4,
                                       &(galley_sgd_options){.lr = 0.01});
    double t[MAXREPS], loss = 0;
    for (int r = -1; r < reps; r++) {
        double t0 = bench_now();
        for (int i = 0; i < STEPS; i++) {
            galley_scope *s = galley_scope_begin();
            galley_optim_zero_grad(opt);
            galley_tensor *h = galley_relu(galley_add(galley_matmul(x, w1), b1));
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
    printf("mlp_us %.1f\n", bench_median(t, reps));
    fprintf(stderr, "mlp: final loss %.4g\n", loss);
    galley_optim_free(opt);
    galley_tensor_free_all();
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1 || reps > MAXREPS)
        reps = 5;
    const char *only = argc > 2 ? argv[2] : "";
    if (!*only || strstr(only, "matmul"))
        S_bench_matmul(reps);
    if (!*only || strstr(only, "ops"))
        S_bench_ops(reps);
    if (!*only || strstr(only, "mlp"))
        S_bench_mlp(reps);
    return 0;
}
