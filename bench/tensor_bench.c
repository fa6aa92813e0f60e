/* tensor_bench.c: benchmarks of galley's tensors (not a test): matmul
 * against cblas_sgemm called directly, the overhead of one op on tiny
 * tensors, and a training step of a 64->32->1 MLP with Adam. Run by
 * bench/tensor.sh, which prints the same rows for PyTorch and numpy.
 * Each figure is the median of REPS repetitions measured in one run. */
#define _GNU_SOURCE
#include <galley/tensor.h>

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int S_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double S_median(double *v, int n)
{
    qsort(v, n, sizeof *v, S_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

enum { MAXREPS = 64 };

/* ---- matmul 1024 x 1024 float32: galley_matmul and raw cblas_sgemm,
 * alternating so both see the same machine state. ---- */
static void S_bench_matmul(int reps)
{
    const long n = 1024;
    galley_manual_seed(1);
    galley_tensor *a = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n));
    galley_tensor *b = galley_rand(NULL, GALLEY_F32, GALLEY_SHAPE(n, n));
    float *c = malloc(sizeof(float) * n * n);
    double tg[MAXREPS], tc[MAXREPS];
    for (int r = -1; r < reps; r++) { /* r == -1: warm-up */
        double t0 = S_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
                    galley_tensor_data(a), n, galley_tensor_data(b), n, 0.0f, c, n);
        double t1 = S_now();
        galley_scope *s = galley_scope_begin();
        galley_matmul(a, b);
        galley_scope_end(s);
        double t2 = S_now();
        if (r >= 0) {
            tc[r] = (t1 - t0) * 1e3;
            tg[r] = (t2 - t1) * 1e3;
        }
    }
    double mc = S_median(tc, reps), mg = S_median(tg, reps);
    printf("matmul 1024x1024 f32: cblas_sgemm %.2f ms, galley_matmul %.2f ms"
           " (%.0f%% of cblas's speed)\n", mc, mg, 100 * mc / mg);
    free(c);
    galley_tensor_free(a);
    galley_tensor_free(b);
}

/* ---- per-op overhead on [4] float32 tensors, in a scope per 1000 ops,
 * without and with graph recording. ---- */
static double S_op_ns(galley_tensor *x, galley_tensor *y, int which)
{
    enum { N = 1000, ROUNDS = 200 };
    double t0 = S_now();
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
    return (S_now() - t0) * 1e9 / ((double)N * ROUNDS);
}

static void S_bench_ops(int reps)
{
    static const char *names[] = {"add [4]+[4]", "relu [4]", "sum_all [4]",
                                  "matmul [4,4]x[4,4]"};
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
        for (int r = 0; r < reps; r++) {
            plain[r] = S_op_ns(a, b, w);
            graph[r] = S_op_ns(w == 3 ? pm : p, b, w);
        }
        printf("op %-20s %6.0f ns, recording the graph %6.0f ns\n", names[w],
               S_median(plain, reps), S_median(graph, reps));
    }
    galley_tensor_free(x);
    galley_tensor_free(y);
    galley_tensor_free(m);
    galley_tensor_free(p);
    galley_tensor_free(pm);
}

/* ---- a training step: MLP 64 -> 32 -> 1, batch 64, ReLU, MSE, Adam. ---- */
static void S_bench_mlp(int reps)
{
    enum { STEPS = 2000 };
    galley_manual_seed(0);
    galley_tensor *x = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(64, 64));
    galley_tensor *y = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(64, 1));
    galley_tensor *w1 = galley_param(galley_mul_scalar(
        galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(64, 32)), 0.125));
    galley_tensor *b1 = galley_param(galley_zeros(GALLEY_F32,
                                                  GALLEY_SHAPE(32)));
    galley_tensor *w2 = galley_param(galley_mul_scalar(
        galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(32, 1)), 0.17));
    galley_tensor *b2 = galley_param(galley_zeros(GALLEY_F32, GALLEY_SHAPE(1)));
    galley_tensor *params[] = {w1, b1, w2, b2};
    galley_optim *opt = galley_adam_new(params, 4, NULL); /* lr 1e-3 */
    double t[MAXREPS], loss = 0;
    for (int r = -1; r < reps; r++) {
        double t0 = S_now();
        for (int i = 0; i < STEPS; i++) {
            galley_scope *s = galley_scope_begin();
            galley_optim_zero_grad(opt);
            galley_tensor *h = galley_relu(galley_add(galley_matmul(x, w1), b1));
            galley_tensor *out = galley_add(galley_matmul(h, w2), b2);
            galley_tensor *l = galley_mse(out, y);
            galley_backward(l);
            galley_optim_step(opt);
            loss = galley_item(l);
            galley_scope_end(s);
        }
        if (r >= 0)
            t[r] = (S_now() - t0) * 1e6 / STEPS;
    }
    printf("mlp step 64->32->1 batch 64 adam: %.1f us (final loss %.3g)\n",
           S_median(t, reps), loss);
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
