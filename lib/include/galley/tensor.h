/* galley/tensor.h: tensors with reverse-mode autodiff for expect tests of
 * numerical and machine-learning code: float32, float64 and int64 arrays,
 * numpy-style broadcasting, OpenBLAS matrix products, gradcheck, SGD and
 * Adam, and printing made to sit in an EXPECT block. See galley_tensor(3).
 *
 * Conventions, in the manner of numpy and PyTorch:
 * - Tensors are row-major; views (transpose, slice, select, reshape of a
 *   contiguous tensor, detach) share storage with their base.
 * - Shapes and indices are passed as a count and an array; GALLEY_SHAPE(2, 3)
 *   expands to both: galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3)).
 * - Axes may be negative: -1 is the last.
 * - Every function that makes a tensor returns a new tensor owned by the
 *   innermost open scope (galley_scope_begin), or by the root scope when
 *   none is open. galley_scope_end frees them all; galley_tensor_free frees one.
 * - Errors (shapes that do not broadcast, a dtype an op does not take,
 *   backward on a non-scalar, a freed tensor) are reported on stderr as
 *   "galley: error: OP: what is wrong" with the shapes, and end the test
 *   with exit status 1, unless an error handler is set
 *   (galley_tensor_on_error), in which case the op returns NULL.
 * - Options (optimizers, gradcheck, printing) go by pointer to a struct,
 *   most easily a compound literal with designated initializers; zero
 *   fields take the defaults and NULL means all defaults:
 *   galley_adam_new(params, n, &(galley_adam_options){.lr = 0.01}). The
 *   function copies what it keeps. galley/plot.h takes them the same way.
 * - The state behind the current scope, the default random generator, grad
 *   mode and print options is per thread (like torch's). */
#ifndef GALLEY_TENSOR_H
#define GALLEY_TENSOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Options structs that have a field whose legal range includes 0 while its
 * default is not 0 (Adam's betas, gradcheck's tolerances, print options)
 * carry a version as their first member and are started from their
 * GALLEY_..._OPTIONS_INIT initializer; every field is then taken as given,
 * 0 included. A struct of that kind not started so is refused with an
 * error that says how to start it. */
#define GALLEY_OPTIONS_VERSION 1

/* ---- types ---- */

/* The element types. Ops on numbers take float32 and float64; int64 holds
 * class indices (cross_entropy targets, argmax results) and can be created,
 * viewed, printed and cast. Binary ops need both operands of one dtype:
 * cast with galley_to. */
typedef enum galley_dtype {
    GALLEY_F32 = 1,
    GALLEY_F64 = 2,
    GALLEY_I64 = 3
} galley_dtype;

/* The most dimensions a tensor has. */
#define GALLEY_MAX_DIMS 8

/* A tensor: an opaque handle. */
typedef struct galley_tensor galley_tensor;

/* GALLEY_SHAPE(d0, d1, ...) expands to "ndim, shape" for the functions
 * below; GALLEY_SHAPE() is a 0-d (scalar) shape. GALLEY_AT is the same for
 * indices. The arguments are evaluated once. */
#define GALLEY_SHAPE(...)                                                 \
    (int)(sizeof((long[]){0, __VA_ARGS__}) / sizeof(long) - 1),           \
        (const long *)((const long[]){0, __VA_ARGS__} + 1)
#define GALLEY_AT(...) GALLEY_SHAPE(__VA_ARGS__)

/* ---- memory: scopes, free, counts ---- */

typedef struct galley_scope galley_scope;

/* Opens a scope: tensors made from now on, until the matching
 * galley_scope_end, belong to it. Scopes nest. */
galley_scope *galley_scope_begin(void);
/* Frees every tensor of scope s that is still alive, then closes it. s must
 * be the innermost open scope; s is invalid afterwards. Tensors used in a
 * graph after their scope ended are reported as freed by backward. */
void galley_scope_end(galley_scope *s);
/* Moves t (and nothing else) to the scope around its own, so that it
 * outlives the current one; returns t. */
galley_tensor *galley_tensor_keep(galley_tensor *t);
/* Frees t now (its gradient and name with it). Views of t keep the storage
 * alive. Using t afterwards is reported as an error. NULL is ignored. */
void galley_tensor_free(galley_tensor *t);
/* Frees every tensor of every scope, and closes the scopes. */
void galley_tensor_free_all(void);
/* The number of tensors alive, and the bytes of storage they hold (storage
 * shared by views counted once): for tests that memory stays flat. */
size_t galley_live_tensors(void);
size_t galley_live_bytes(void);

/* ---- errors ---- */

/* An error handler gets the whole message ("OP: what is wrong"); when one
 * is set, the failing op returns NULL (or NaN, or -1) instead of ending the
 * process, and ops given NULL report "input is NULL". NULL restores the
 * default: print "galley: error: MESSAGE" to stderr and exit(1). Returns the
 * previous handler. */
typedef void (*galley_error_cb)(const char *message, void *userdata);
galley_error_cb galley_tensor_on_error(galley_error_cb cb, void *userdata);

/* ---- creation ---- */

galley_tensor *galley_zeros(galley_dtype dtype, int ndim, const long *shape);
galley_tensor *galley_ones(galley_dtype dtype, int ndim, const long *shape);
galley_tensor *galley_full(galley_dtype dtype, int ndim, const long *shape,
                           double value);
/* A 0-d tensor holding value. */
galley_tensor *galley_scalar(galley_dtype dtype, double value);
/* start, start+step, ... while < stop (> stop for a negative step), as
 * numpy.arange. */
galley_tensor *galley_arange(galley_dtype dtype, double start, double stop,
                             double step);
/* n values from start to stop inclusive, evenly spaced, as numpy.linspace. */
galley_tensor *galley_linspace(galley_dtype dtype, double start, double stop,
                               long n);
/* The n x n identity. */
galley_tensor *galley_eye(galley_dtype dtype, long n);
/* Copies of the row-major C arrays given; data holds the product of shape
 * elements. */
galley_tensor *galley_from_f32(const float *data, int ndim, const long *shape);
galley_tensor *galley_from_f64(const double *data, int ndim,
                               const long *shape);
galley_tensor *galley_from_i64(const int64_t *data, int ndim,
                               const long *shape);
/* Tensors of t's dtype and shape. */
galley_tensor *galley_zeros_like(const galley_tensor *t);
galley_tensor *galley_ones_like(const galley_tensor *t);

/* ---- random numbers ---- */

/* A random generator: PCG32 (pcg32_srandom_r / pcg32_random_r of the PCG
 * paper, O'Neill 2014), 64-bit state, 32-bit output. The streams are made
 * with integer arithmetic and exactly rounded IEEE operations only, so the
 * same seed gives the same bits on every platform and compiler:
 * - uniform double: two draws a, b: ((a >> 5) * 2^26 + (b >> 6)) * 2^-53,
 *   in [0, 1) (MT19937's genrand_res53);
 * - uniform float32: the top 24 bits of one draw times 2^-24, in [0, 1);
 * - normal: Marsaglia's polar method over uniform doubles in (-1, 1), with
 *   galley's own logarithm written in portable C; the second value of each
 *   pair is kept for the next call. float32 normals are rounded doubles.
 * Treat the struct as opaque. */
typedef struct galley_rng {
    uint64_t state, inc;
    int has_spare;
    double spare;
} galley_rng;

/* Seeds rng with seed and stream (pcg32_srandom_r(rng, seed, stream)). */
void galley_rng_seed(galley_rng *rng, uint64_t seed, uint64_t stream);
/* The next 32 random bits. */
uint32_t galley_rng_u32(galley_rng *rng);
/* A uniform double in [0, 1). */
double galley_rng_uniform(galley_rng *rng);
/* A standard normal double. */
double galley_rng_normal(galley_rng *rng);
/* Seeds the default generator of this thread (used when rng is NULL) as
 * galley_rng_seed(rng, seed, 54). Before any call it is seeded with 0. */
void galley_manual_seed(uint64_t seed);
/* Tensors of uniform [0, 1) and standard normal numbers, drawn in row-major
 * order from rng (NULL: the default generator). Floating dtypes only. */
galley_tensor *galley_rand(galley_rng *rng, galley_dtype dtype, int ndim,
                           const long *shape);
galley_tensor *galley_randn(galley_rng *rng, galley_dtype dtype, int ndim,
                            const long *shape);

/* ---- shape, elements and data ---- */

galley_dtype galley_dtype_of(const galley_tensor *t);
/* "float32", "float64" or "int64". */
const char *galley_dtype_name(galley_dtype dtype);
int galley_ndim(const galley_tensor *t);
/* The size of axis (negative counts from the end). */
long galley_dim(const galley_tensor *t, int axis);
/* The shape array (galley_ndim(t) entries), valid while t lives. */
const long *galley_shape(const galley_tensor *t);
long galley_numel(const galley_tensor *t);
int galley_is_contiguous(const galley_tensor *t);
/* The value of a tensor of one element, as a double. */
double galley_item(const galley_tensor *t);
/* The element at index (ndim entries; negative counts from the end). */
double galley_tensor_get(const galley_tensor *t, int ndim, const long *index);
/* Sets the element at index to value (rounded to t's dtype). An in-place
 * change: a graph that saved t for backward reports it. */
void galley_tensor_set(galley_tensor *t, int ndim, const long *index, double value);
/* Sets every element of t to value, in place. */
void galley_fill_(galley_tensor *t, double value);
/* Copies src into dst in place (shapes broadcast to dst's; dtypes cast). */
void galley_copy_(galley_tensor *dst, const galley_tensor *src);
/* The first element of a contiguous tensor, to read or write its data
 * (float *, double * or int64_t * by dtype). Errors on a non-contiguous
 * tensor: make one with galley_contiguous. Since the graph cannot see what
 * is written through the pointer, each call counts as an in-place change:
 * a graph that used t before refuses backward. Read single values with
 * galley_item or galley_tensor_get, or call galley_tensor_data after backward. */
void *galley_tensor_data(galley_tensor *t);

/* ---- views and copies (differentiable) ---- */

/* t with a new shape of the same number of elements; one entry may be -1
 * (inferred). A view when t is contiguous, else a copy. */
galley_tensor *galley_reshape(galley_tensor *t, int ndim, const long *shape);
/* A view with axes a and b swapped. */
galley_tensor *galley_transpose(galley_tensor *t, int a, int b);
/* A view of start, start+step, ... < stop along axis (Python slice rules:
 * negative start/stop count from the end and are clamped; step > 0). */
galley_tensor *galley_slice(galley_tensor *t, int axis, long start, long stop,
                            long step);
/* A view of index along axis, that axis removed. */
galley_tensor *galley_select(galley_tensor *t, int axis, long index);
/* t itself as a new handle when contiguous, else a contiguous copy. */
galley_tensor *galley_contiguous(galley_tensor *t);
/* A contiguous copy of t. */
galley_tensor *galley_clone(galley_tensor *t);
/* A copy of t in dtype (float to int64 truncates toward zero). */
galley_tensor *galley_tensor_to(galley_tensor *t, galley_dtype dtype);
/* A view of t's storage outside any graph (no gradient flows through). */
galley_tensor *galley_detach(galley_tensor *t);

/* ---- shape ops: joining, splitting, indexing, axes (tensor_shape.c) ---- */

/* ---- elementwise ops with broadcasting (differentiable) ---- */

galley_tensor *galley_add(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_sub(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_mul(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_div(galley_tensor *a, galley_tensor *b);
/* a to the power b, elementwise. */
galley_tensor *galley_pow(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_add_scalar(galley_tensor *a, double s);
galley_tensor *galley_mul_scalar(galley_tensor *a, double s);
galley_tensor *galley_pow_scalar(galley_tensor *a, double p);
galley_tensor *galley_neg(galley_tensor *a);
galley_tensor *galley_exp(galley_tensor *a);
galley_tensor *galley_log(galley_tensor *a);
galley_tensor *galley_tanh(galley_tensor *a);
galley_tensor *galley_sigmoid(galley_tensor *a);
galley_tensor *galley_relu(galley_tensor *a);
galley_tensor *galley_sqrt(galley_tensor *a);

/* ---- comparisons, selection and more elementwise ops (tensor_elem.c) ---- */

/* ---- reductions (differentiable but argmax) ---- */

/* Over all elements: a 0-d tensor. */
galley_tensor *galley_sum_all(galley_tensor *t);
galley_tensor *galley_mean_all(galley_tensor *t);
galley_tensor *galley_max_all(galley_tensor *t);
/* The flat (row-major) index of the first greatest element: int64 0-d. */
galley_tensor *galley_argmax_all(galley_tensor *t);
/* Over one axis; keepdim keeps it with size 1. */
galley_tensor *galley_sum(galley_tensor *t, int axis, int keepdim);
galley_tensor *galley_mean(galley_tensor *t, int axis, int keepdim);
/* The greatest element along axis; its gradient goes to the first one. */
galley_tensor *galley_max(galley_tensor *t, int axis, int keepdim);
/* The index along axis of the first greatest element: int64. */
galley_tensor *galley_argmax(galley_tensor *t, int axis, int keepdim);

/* ---- linear algebra and losses (differentiable) ---- */

/* Matrix product through OpenBLAS (cblas_sgemm / cblas_dgemm):
 * [m,k] x [k,n] -> [m,n]; [b,m,k] x [b,k,n] -> [b,m,n]; a 3-d operand with a
 * 2-d one broadcasts the 2-d one over the batch; a 1-d first operand is a
 * row ([k] x [k,n] -> [n]), a 1-d second one a column ([m,k] x [k] -> [m]). */
galley_tensor *galley_matmul(galley_tensor *a, galley_tensor *b);
/* exp(t) / sum(exp(t)) along axis, computed stably. */
galley_tensor *galley_softmax(galley_tensor *t, int axis);
/* log(softmax(t)) along axis, computed stably. */
galley_tensor *galley_log_softmax(galley_tensor *t, int axis);
/* The mean over the batch of -log softmax(logits)[target]: logits [n,c];
 * target int64 [n] of class indices in [0, c), or a float [n,c] of
 * probabilities (then -sum(target * log_softmax) per row). A 0-d tensor. */
galley_tensor *galley_cross_entropy(galley_tensor *logits,
                                    galley_tensor *target);
/* The mean of (a - b)^2 over all elements; a and b of one shape. */
galley_tensor *galley_mse(galley_tensor *a, galley_tensor *b);

/* ---- normalization, more losses, dropout, convolution, pooling, einsum
 * (tensor_conv.c, tensor_nn.c) ---- */

/* Layer normalization over the last normalized_ndim axes of x, as
 * torch.nn.functional.layer_norm(x, x.shape[-normalized_ndim:], weight,
 * bias, eps): (x - mean) / sqrt(var + eps) with the biased variance, times
 * weight, plus bias (each NULL or of the normalized shape and x's dtype).
 * torch's eps is 1e-5. Recorded as the ops it is made of (reshape, mean,
 * sub, mul, ...). */
galley_tensor *galley_layer_norm(galley_tensor *x, int normalized_ndim,
                                 galley_tensor *weight, galley_tensor *bias,
                                 double eps);
/* Batch normalization of x [N, C] or [N, C, ...] per channel C, as
 * torch.nn.functional.batch_norm(x, running_mean, running_var, weight, bias,
 * training, momentum, eps); weight, bias and the running statistics are
 * NULL or [C] of x's dtype. training: normalizes with the statistics of
 * the batch (the biased variance; more than one value per channel needed)
 * and, outside the graph, updates the running statistics not NULL in place:
 * running = (1 - momentum) running + momentum stat, with the unbiased
 * variance for running_var. Else (eval) normalizes with running_mean and
 * running_var, both required. torch's defaults: momentum 0.1, eps 1e-5.
 * Recorded as the ops it is made of. */
galley_tensor *galley_batch_norm(galley_tensor *x, galley_tensor *running_mean,
                                 galley_tensor *running_var,
                                 galley_tensor *weight, galley_tensor *bias,
                                 int training, double momentum, double eps);

/* The losses below return a 0-d tensor, the mean over all elements (torch's
 * reduction='mean'). The elementwise ones broadcast their operands as
 * torch's l1_loss and huber_loss do (torch's bce and bce_with_logits want
 * equal shapes; galley broadcasts them alike) and give float64 when either
 * operand is float64; each is differentiable in both operands. */

/* -mean(logp[i, target[i]]): logp [n, c] (log-probabilities, as from
 * galley_log_softmax), target int64 [n] of class indices in [0, c), as
 * torch.nn.functional.nll_loss (no ignore_index: an index out of range is
 * an error). */
galley_tensor *galley_nll_loss(galley_tensor *logp, galley_tensor *target);
/* mean |a - b|, as torch.nn.functional.l1_loss; the gradient at a == b is
 * 0, as torch's. */
galley_tensor *galley_l1_loss(galley_tensor *a, galley_tensor *b);
/* The Huber loss, as torch.nn.functional.huber_loss(a, b, delta=delta):
 * 0.5 d^2 where |d| < delta, else delta (|d| - delta/2), d = a - b.
 * delta > 0 (torch's default 1). */
galley_tensor *galley_huber_loss(galley_tensor *a, galley_tensor *b,
                                 double delta);
/* Binary cross-entropy of probabilities p in [0, 1] (else an error) against
 * target, as torch.nn.functional.binary_cross_entropy: -(t log p + (1 - t)
 * log(1 - p)) with each log clamped at -100, so p = 0 or 1 gives a finite
 * loss. The gradients are torch's: (p - t) / max(p (1 - p), e) for p, e
 * being 1e-12 rounded to float32 as in torch, and log(1 - p) - log(p)
 * (unclamped) for target. */
galley_tensor *galley_bce(galley_tensor *p, galley_tensor *target);
/* Binary cross-entropy of sigmoid(logits), computed stably as torch's
 * binary_cross_entropy_with_logits: (1 - t) x + m + log(exp(-m) +
 * exp(-x - m)) with m = max(-x, 0). */
galley_tensor *galley_bce_with_logits(galley_tensor *logits,
                                      galley_tensor *target);

/* Inverted dropout, as torch.nn.functional.dropout(t, p, training): when
 * training and 0 < p < 1, each element is kept and scaled by 1 / (1 - p),
 * or zeroed; the gradient is the same mask times the gradient. The mask
 * draws one uniform double u per element from rng (NULL: the default
 * generator) with galley_rng_uniform, in row-major order, and zeroes the
 * elements where u < p: the same seed gives the same mask on every
 * machine (not torch's, whose generator differs). Not training, or p = 0:
 * a copy of t; p = 1: zeros (with a zero gradient); neither draws. p must
 * be in [0, 1]. */
galley_tensor *galley_dropout(galley_tensor *t, double p, int training,
                              galley_rng *rng);

/* Convolutions (cross-correlations, as torch's) through an im2col product
 * on OpenBLAS, differentiable in x, weight and bias:
 * - conv1d: x [N, C, L], weight [O, C/groups, k], bias NULL or [O] ->
 *   [N, O, L'] with L' = (L + 2 padding - dilation (k - 1) - 1) / stride +
 *   1, as torch.nn.functional.conv1d(x, weight, bias, stride, padding,
 *   dilation, groups);
 * - conv2d: x [N, C, H, W], weight [O, C/groups, kh, kw] -> [N, O, H', W'],
 *   with a stride, padding and dilation per axis (height, width); NULL
 *   arrays are torch's defaults (stride 1, padding 0, dilation 1).
 * stride >= 1, padding >= 0, dilation >= 1; the dilated kernel must fit the
 * padded input. groups (torch's default 1) divides C and O: each group of
 * C/groups input channels makes O/groups of the outputs (groups = C is a
 * depthwise convolution). x, weight and bias share one float dtype. An
 * unbatched x ([C, L] or [C, H, W]) is taken as a batch of one, as torch
 * does, and gives an unbatched result. */
galley_tensor *galley_conv1d(galley_tensor *x, galley_tensor *weight,
                             galley_tensor *bias, long stride, long padding,
                             long dilation, long groups);
galley_tensor *galley_conv2d(galley_tensor *x, galley_tensor *weight,
                             galley_tensor *bias, const long stride[2],
                             const long padding[2], const long dilation[2],
                             long groups);
/* Max and average pooling of x [N, C, L] (1d) or [N, C, H, W] (2d) over
 * windows of kernel elements moved by stride, with implicit padding
 * (-inf for max, 0 for the average), as torch.nn.functional.max_pool1d /
 * max_pool2d / avg_pool1d / avg_pool2d with ceil_mode False. padding is at
 * most half the kernel. Max pooling's gradient goes to the first maximum of
 * each window (a NaN counts as the maximum), as torch's. Average pooling
 * divides by the whole kernel's size, padding included (torch's
 * count_include_pad True). The 2-d forms take arrays (height, width);
 * stride NULL is the kernel (torch's default), padding NULL is 0; the 1-d
 * forms take the stride explicitly (torch's default: the kernel). An
 * unbatched x ([C, L] or [C, H, W]) gives an unbatched result, as torch. */
galley_tensor *galley_max_pool1d(galley_tensor *x, long kernel, long stride,
                                 long padding);
galley_tensor *galley_avg_pool1d(galley_tensor *x, long kernel, long stride,
                                 long padding);
galley_tensor *galley_max_pool2d(galley_tensor *x, const long kernel[2],
                                 const long stride[2], const long padding[2]);
galley_tensor *galley_avg_pool2d(galley_tensor *x, const long kernel[2],
                                 const long stride[2], const long padding[2]);

/* Einstein summation over one operand (b NULL) or two, as torch.einsum:
 * subscripts name each axis with a letter ("ij,jk->ik", "bij,bjk->bik",
 * "bhqd,bhkd->bhqk", "i,j->ij", "ij,ij->ij", "ij->ji", "ij->", "i,i->");
 * letters in both operands but not the output are summed over (the
 * product's contraction), letters of one operand only that the output
 * lacks are summed first. Without "->" the output is numpy's: the letters
 * that occur once, in ASCII order. Spaces are ignored. A letter shared by
 * both operands needs one size (no broadcasting); a letter repeated in one
 * operand (diagonals, "ii->i") and "..." are not supported. Made of
 * transpose, sum, reshape and one batched galley_matmul, hence
 * differentiable; errors name the position of a bad character. */
galley_tensor *galley_einsum(const char *subscripts, galley_tensor *a,
                             galley_tensor *b);

/* ---- autodiff ---- */

/* Marks t as a parameter (a leaf whose gradient backward computes); floating
 * dtypes only. Returns t. */
galley_tensor *galley_param(galley_tensor *t);
/* Whether gradients flow into t (a parameter or a result computed from
 * one). */
int galley_requires_grad(const galley_tensor *t);
/* Computes the gradients of the 0-d (or one-element) tensor loss with
 * respect to every parameter it was computed from, adding them to the
 * parameters' gradients. The graph stays: backward can run again (the
 * gradients add up). */
void galley_backward(galley_tensor *loss);
/* As galley_backward for a tensor of any shape, seeding its gradient with
 * grad (same shape): a vector-Jacobian product. */
void galley_backward_with(galley_tensor *out, galley_tensor *grad);
/* The gradient of parameter t (its shape and dtype), or NULL before any
 * backward. Owned by t. */
galley_tensor *galley_grad(galley_tensor *t);
/* Sets t's gradient to zero (frees nothing). */
void galley_zero_grad(galley_tensor *t);
/* Turns recording of the graph on or off for this thread (as
 * torch.no_grad); returns the previous setting. */
int galley_set_grad_enabled(int enabled);
/* Names t for graph printing; the name is copied. Returns t. */
galley_tensor *galley_set_name(galley_tensor *t, const char *name);
/* Prints the graph that computed root, one node per line in a fixed order
 * (inputs before their users, numbered %0, %1, ...):
 *   %0 = param "w" float32 [2, 3]
 *   %2 = matmul(%1, %0) float32 [4, 3]
 * The same computation prints the same text everywhere. */
void galley_print_graph(FILE *f, galley_tensor *root);

/* ---- in-place arithmetic (tensor_io.c) ---- */

/* ---- optimizers ---- */

typedef struct galley_optim galley_optim;

/* Zero fields take the defaults shown. */
typedef struct galley_sgd_options {
    double lr;           /* learning rate; required, > 0 */
    double momentum;     /* 0 */
    double weight_decay; /* 0 */
} galley_sgd_options;

typedef struct galley_adam_options {
    double lr;           /* 1e-3 */
    double beta1;        /* 0.9 */
    double beta2;        /* 0.999 */
    double eps;          /* 1e-8 */
    double weight_decay; /* 0 (L2, added to the gradient, as torch.optim.Adam) */
} galley_adam_options;

/* Optimizers over the n parameters given (the array is copied; the
 * parameters must outlive the optimizer), with options (copied; NULL: the
 * defaults, which SGD's required lr lacks). Free with galley_optim_free. */
galley_optim *galley_sgd_new(galley_tensor *const *params, int n,
                             const galley_sgd_options *options);
galley_optim *galley_adam_new(galley_tensor *const *params, int n,
                              const galley_adam_options *options);
/* Updates every parameter that has a gradient, in place, as torch.optim. */
void galley_optim_step(galley_optim *o);
/* Zeroes the gradients of the optimizer's parameters. */
void galley_optim_zero_grad(galley_optim *o);
void galley_optim_free(galley_optim *o);

/* ---- saving and loading: numpy .npy files (tensor_io.c) ---- */

/* ---- gradient checking ---- */

/* The function gradcheck differentiates: computes an output (any shape)
 * from the n inputs. */
typedef galley_tensor *(*galley_gradcheck_cb)(galley_tensor *const *inputs,
                                              int n, void *userdata);

/* Zero fields take the defaults shown (those of torch.autograd.gradcheck). */
typedef struct galley_gradcheck_options {
    double eps;  /* 1e-6: the step of the central differences */
    double atol; /* 1e-5 */
    double rtol; /* 1e-3 */
    FILE *out;   /* where the report goes: stdout */
    int quiet;   /* 1: no report */
} galley_gradcheck_options;

/* Compares the analytic gradients of fn at inputs (float64 parameters) with
 * central finite differences, element by element of the whole Jacobian:
 * an element passes when |analytic - numeric| <= atol + rtol * |numeric|.
 * Prints a report: per input, the largest absolute and relative error with
 * the index of the worst element (and of the output element, when the
 * output has several), and "ok" or "FAILED"; then a verdict line. Inputs
 * must be float64 parameters. Returns 0 when every input passes, else the
 * number of inputs that fail; after a reported error (with a handler set)
 * n, or 1 when n < 1. The inputs' gradients are left zero. */
int galley_gradcheck(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                     int n, void *userdata,
                     const galley_gradcheck_options *options);

/* ---- printing ---- */

typedef struct galley_print_options {
    int precision;  /* significant digits, 1..17; default 6 */
    long threshold; /* more elements than this are summarized; 1000 */
    int edgeitems;  /* items kept at each end of a summarized axis; 3 */
} galley_print_options;

/* Sets this thread's print options; zero fields take the defaults, and
 * options NULL sets them all back. */
void galley_set_print_options(const galley_print_options *options);
galley_print_options galley_get_print_options(void);
/* Prints t in the manner of numpy: a header line "float32 [2, 3]", then the
 * elements with aligned columns, each with `precision` significant digits
 * (%g style), nan, inf and -inf spelled so, -0 printed as 0, "..." in place
 * of the middle of axes longer than 2*edgeitems when t has more than
 * threshold elements. No locale affects it. */
void galley_tensor_print(const galley_tensor *t);
void galley_tensor_fprint(FILE *f, const galley_tensor *t);
/* The same text as a string; the caller frees it. */
char *galley_tensor_format(const galley_tensor *t);

#ifdef __cplusplus
}
#endif

#endif
