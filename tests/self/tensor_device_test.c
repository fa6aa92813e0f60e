/* tensor_device_test.c: tensors on a device, through the simulated one
 * (GALLEY_CUDA_SIM=1: "cuda (simulated)", host memory behind disguised
 * pointers, so that an op reading device data on the host crashes): each
 * op computed with CPU tensors and with device tensors gives the same
 * elements, bit for bit (the simulated kernels are the CPU's); two
 * devices in one op are an error; device memory is given back when its
 * scope ends; galley_to_device's gradient flows back; printing downloads. */
#include "tensor_check.h"

#include <stdlib.h>
#include <string.h>

/* libgalley's internal leak query (lib/tensor_internal.h), for the
 * end-of-test check: the device bytes held and the oldest one's op. */
size_t galley__device_leak(const char **first_op);

/* Turns the simulated device on: read once, at the first use of
 * GALLEY_CUDA in the process. */
static void use_sim(void)
{
    setenv("GALLEY_CUDA_SIM", "1", 1);
    galley_tensor_on_error(on_error, NULL);
}

/* ---- CPU against device ---- */

static const double A6[] = {0.5, -1.25, 2, 3.5, -0.75, 1};
static const double B3[] = {1.5, -2, 0.25};

static galley_tensor *f64(const double *v, int ndim, const long *shape)
{
    return galley_from_f64(v, ndim, shape);
}

/* Each case makes its inputs on the default device and returns one
 * tensor. */
static galley_tensor *c_elementwise(void)
{
    galley_tensor *a = f64(A6, GALLEY_SHAPE(2, 3));
    galley_tensor *b = f64(B3, GALLEY_SHAPE(3));
    galley_tensor *y = galley_div(galley_mul(galley_add(a, b), galley_exp(a)),
                                  galley_add_scalar(galley_abs(b), 1));
    return galley_sub(galley_tanh(y), galley_pow_scalar(galley_relu(a), 1.5));
}

static galley_tensor *c_reductions(void)
{
    galley_tensor *a = f64(A6, GALLEY_SHAPE(2, 3));
    galley_tensor *parts[] = {
        galley_sum(a, 0, 0), galley_mean(a, 1, 0), galley_max(a, 1, 0),
        galley_tensor_to(galley_argmax(a, 1, 0), GALLEY_F64),
        galley_reshape(galley_sum_all(a), GALLEY_SHAPE(1)),
        galley_reshape(galley_max_all(a), GALLEY_SHAPE(1)),
    };
    return galley_cat(parts, 6, 0);
}

static galley_tensor *c_matmul(void)
{
    galley_tensor *a = f64(A6, GALLEY_SHAPE(2, 3));
    galley_tensor *b = galley_transpose(galley_tensor_to(a, GALLEY_F64), 0, 1);
    return galley_matmul(a, b);
}

static galley_tensor *c_softmax(void)
{
    galley_tensor *a = f64(A6, GALLEY_SHAPE(2, 3));
    return galley_add(galley_softmax(a, 1), galley_log_softmax(a, 0));
}

static galley_tensor *c_losses(void)
{
    galley_tensor *a = f64(A6, GALLEY_SHAPE(2, 3));
    galley_tensor *b = galley_mul_scalar(a, 0.5);
    galley_tensor *target = galley_from_i64((const int64_t[]){2, 0},
                                            GALLEY_SHAPE(2));
    galley_tensor *parts[] = {
        galley_mse(a, b), galley_cross_entropy(a, target),
        galley_nll_loss(galley_log_softmax(a, 1), target),
        galley_l1_loss(a, b),
    };
    for (int i = 0; i < 4; i++)
        parts[i] = galley_reshape(parts[i], GALLEY_SHAPE(1));
    return galley_cat(parts, 4, 0);
}

/* A two-layer MLP's loss, backward, and the gradients of its weights. */
static galley_tensor *c_mlp_backward(void)
{
    galley_rng rng;
    galley_rng_seed(&rng, 7, 0);
    galley_tensor *x = galley_randn(&rng, GALLEY_F32, GALLEY_SHAPE(4, 3));
    galley_tensor *w1 =
        galley_param(galley_randn(&rng, GALLEY_F32, GALLEY_SHAPE(3, 5)));
    galley_tensor *w2 =
        galley_param(galley_randn(&rng, GALLEY_F32, GALLEY_SHAPE(5, 2)));
    galley_tensor *b1 =
        galley_param(galley_zeros(GALLEY_F32, GALLEY_SHAPE(5)));
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(x, w1), b1));
    galley_tensor *y = galley_matmul(galley_relu(h), w2);
    galley_tensor *target = galley_from_i64((const int64_t[]){1, 0, 1, 1},
                                            GALLEY_SHAPE(4));
    galley_backward(galley_cross_entropy(y, target));
    galley_tensor *parts[] = {
        galley_reshape(galley_grad(w1), GALLEY_SHAPE(-1)),
        galley_reshape(galley_grad(w2), GALLEY_SHAPE(-1)),
        galley_grad(b1),
    };
    return galley_cat(parts, 3, 0);
}

/* Two steps of SGD with momentum and of Adam on mse(x @ w, y). */
static galley_tensor *c_optim(void)
{
    galley_tensor *x = f64(A6, GALLEY_SHAPE(2, 3));
    galley_tensor *y = f64(B3, GALLEY_SHAPE(1, 3));
    galley_tensor *w[2];
    galley_sgd_options so = {.lr = 0.1, .momentum = 0.9};
    galley_adam_options ao = GALLEY_ADAM_OPTIONS_INIT;
    ao.lr = 0.1;
    for (int k = 0; k < 2; k++) {
        w[k] = galley_param(galley_full(GALLEY_F64, GALLEY_SHAPE(3, 3), 0.1));
        galley_optim *o = k ? galley_adam_new(&w[k], 1, &ao)
                            : galley_sgd_new(&w[k], 1, &so);
        for (int step = 0; step < 2; step++) {
            galley_scope *s = galley_scope_begin();
            galley_optim_zero_grad(o);
            galley_backward(galley_mse(galley_matmul(x, w[k]), y));
            galley_optim_step(o);
            galley_scope_end(s);
        }
        galley_optim_free(o);
    }
    return galley_cat(w, 2, 0);
}

/* Runs c with CPU tensors and with device tensors and prints where the
 * device result lives and whether the two agree bit for bit. */
static void same(const char *name, galley_tensor *(*c)(void))
{
    galley_scope *s = galley_scope_begin();
    galley_set_default_device(GALLEY_CPU);
    galley_tensor *cpu = c();
    galley_set_default_device(GALLEY_CUDA);
    galley_tensor *dev = c();
    galley_set_default_device(GALLEY_CPU);
    galley_tensor *back = galley_to_device(dev, GALLEY_CPU);
    long n = galley_numel(cpu), differ = 0;
    galley_tensor *fc = galley_reshape(cpu, GALLEY_SHAPE(-1));
    galley_tensor *fb = galley_reshape(back, GALLEY_SHAPE(-1));
    for (long i = 0; i < n; i++) {
        double x = galley_tensor_get(fc, GALLEY_AT(i));
        double y = galley_tensor_get(fb, GALLEY_AT(i));
        differ += memcmp(&x, &y, sizeof x) != 0;
    }
    printf("%s: %ld elements on %s, %ld differ\n", name, n,
           galley_device_of(dev) == GALLEY_CUDA ? "cuda" : "cpu", differ);
    galley_scope_end(s);
}

TEST(cpu_and_device_agree)
{
    use_sim();
    const char *why = "";
    printf("available: %d\n", galley_device_available(GALLEY_CUDA, &why));
    same("elementwise and broadcasting", c_elementwise);
    same("reductions", c_reductions);
    same("matmul", c_matmul);
    same("softmax, log_softmax", c_softmax);
    same("losses", c_losses);
    same("mlp backward", c_mlp_backward);
    same("sgd and adam steps", c_optim);
    printf("device memory after: %zu bytes\n", galley_cuda_memory_in_use());
    EXPECT(/*
      available: 1
      elementwise and broadcasting: 6 elements on cuda, 0 differ
      reductions: 11 elements on cuda, 0 differ
      matmul: 4 elements on cuda, 0 differ
      softmax, log_softmax: 6 elements on cuda, 0 differ
      losses: 4 elements on cuda, 0 differ
      mlp backward: 30 elements on cuda, 0 differ
      sgd and adam steps: 18 elements on cuda, 0 differ
      device memory after: 0 bytes
    */);
}

/* ---- moving, errors, memory, printing ---- */

TEST(to_device_errors_memory_and_printing)
{
    use_sim();
    galley_scope *s = galley_scope_begin();
    galley_tensor *a = galley_param(f64(A6, GALLEY_SHAPE(2, 3)));
    galley_tensor *d = galley_to_device(a, GALLEY_CUDA);
    printf("on %s, %zu bytes\n",
           galley_device_of(d) == GALLEY_CUDA ? "cuda" : "cpu",
           galley_cuda_memory_in_use());
    printf("same device gives itself: %d\n",
           galley_to_device(d, GALLEY_CUDA) == d);

    /* Two devices in one op. */
    got(galley_add(d, a));
    got(galley_matmul(a, galley_transpose(d, 0, 1)));

    /* The gradient comes back to the CPU. */
    galley_backward(galley_sum_all(galley_mul(d, d)));
    galley_tensor *g = galley_grad(a);
    printf("grad on %s\n",
           galley_device_of(g) == GALLEY_CUDA ? "cuda" : "cpu");
    galley_tensor_print(g);

    /* Printing, element reads and writes go through the backend. */
    galley_tensor_print(d);
    galley_tensor *c = galley_clone(d);
    galley_tensor_set(c, GALLEY_AT(1, 2), 42);
    printf("get %g, item %g\n", galley_tensor_get(c, GALLEY_AT(1, 2)),
           galley_item(galley_sum_all(c)));

    /* Ops without a device route refuse, rather than touching the
     * disguised memory. */
    got(galley_tensor_data(c));
    got(galley_cumsum(c, 0));
    got(galley_conv1d(galley_reshape(d, GALLEY_SHAPE(1, 2, 3)),
                      galley_ones(GALLEY_F64, GALLEY_SHAPE(1, 2, 2)), NULL, 1,
                      0, 1, 1));

    /* Freeing a tensor gives its device memory back at once. */
    size_t before = galley_cuda_memory_in_use();
    galley_tensor_free(c);
    printf("freed %zu bytes\n", before - galley_cuda_memory_in_use());

    /* The oldest live device storage names its op. */
    const char *op = NULL;
    size_t held = galley__device_leak(&op);
    printf("held %zu bytes, first made by %s\n", held, op ? op : "(none)");
    galley_scope_end(s);
    held = galley__device_leak(&op);
    printf("after the scope: %zu bytes, %s\n", galley_cuda_memory_in_use(),
           op ? op : "(none)");
    EXPECT(/*
      on cuda, 48 bytes
      same device gives itself: 1
      error: galley_add: a is on cuda, b is on cpu; move one with galley_to_device
      error: galley_matmul: a is on cpu, b is on cuda; move one with galley_to_device
      grad on cpu
      float64 [2, 3]
      [[ 1.  -2.5  4. ]
       [ 7.  -1.5  2. ]]
      float64 [2, 3]
      [[ 0.5  -1.25  2.  ]
       [ 3.5  -0.75  1.  ]]
      get 42, item 46
      error: galley_tensor_data: not available on cuda; move t to the CPU with galley_to_device(t, GALLEY_CPU)
      error: galley_cumsum: not available on cuda; move t to the CPU with galley_to_device(t, GALLEY_CPU)
      error: galley_conv1d: not available on cuda; move x to the CPU with galley_to_device(x, GALLEY_CPU)
      freed 48 bytes
      held 112 bytes, first made by galley_to_device
      after the scope: 0 bytes, (none)
    */);
}

/* ---- without a device ---- */

TEST(no_cuda_backend)
{
    unsetenv("GALLEY_CUDA_SIM"); /* no simulated device: tests/self links
                                    no CUDA backend */
    galley_tensor_on_error(on_error, NULL);
    const char *why = NULL;
    int ok = galley_device_available(GALLEY_CUDA, &why);
    printf("cuda: %d (%s); cpu: %d\n", ok, why ? why : "-",
           galley_device_available(GALLEY_CPU, NULL));
    galley_scope *s = galley_scope_begin();
    galley_set_default_device(GALLEY_CUDA);
    got(galley_to_device(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2)),
                         GALLEY_CUDA));
    printf("default: %s\n",
           galley_default_device() == GALLEY_CPU ? "cpu" : "cuda");
    /* Device memory alive at exit is reported by valgrind as lost (the
     * simulated device's pointers are disguised), so the test frees its
     * tensors and sets the default back (valgrind.sh runs the tests of a
     * file in one process). */
    galley_scope_end(s);
    galley_set_default_device(GALLEY_CPU);
    EXPECT(/*
      cuda: 0 (built without CUDA (cuda = on in galley.conf links it)); cpu: 1
      error: galley_set_default_device: cuda: built without CUDA (cuda = on in galley.conf links it)
      error: galley_to_device: cuda: built without CUDA (cuda = on in galley.conf links it)
      default: cpu
    */);
}
