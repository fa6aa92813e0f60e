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

/* All differentiable (for floating dtypes), as torch's. Indices (gather,
 * index_select, embedding) are int64 tensors, each value in [0, size) of
 * the axis it indexes (negative values are refused, as torch refuses them);
 * a value out of range is reported with its position in the index. */

/* The n tensors (n >= 1) joined along axis, as torch.cat: they have one
 * number of axes (at least 1) and the same sizes on every axis but axis.
 * The result's dtype is the widest of theirs (int64 < float32 < float64, as
 * torch promotes); the gradient of each input is its piece of the result's,
 * cast to its dtype. A new contiguous tensor. */
galley_tensor *galley_cat(galley_tensor *const *tensors, int n, int axis);
/* The n tensors (n >= 1) of one shape joined along a new axis axis (from
 * -(ndim+1) to ndim), as torch.stack: the result has n at that axis. Dtypes
 * promote as galley_cat's. A new contiguous tensor. */
galley_tensor *galley_stack(galley_tensor *const *tensors, int n, int axis);
/* Cuts t along axis into pieces of size elements (the last one smaller
 * when size does not divide the axis), as torch.split(t, size, axis): size
 * >= 1, or 0 on an axis of size 0; an axis of size 0 gives one empty
 * piece. Writes the first min(count, cap) pieces to out (views of t, as
 * galley_slice gives: they print as slice in a graph) and returns count,
 * the number of pieces there are, so that cap 0 (out may then be NULL)
 * asks for the count; -1 after a reported error. */
int galley_split(galley_tensor *t, long size, int axis, galley_tensor **out,
                 int cap);
/* Cuts t along axis into n pieces of the sizes given (each >= 0, adding up
 * to the axis's size), as torch.split(t, [sizes], axis): writes the n views
 * to out (room for n) and returns n, or -1 after a reported error. */
int galley_split_sizes(galley_tensor *t, int n, const long *sizes, int axis,
                       galley_tensor **out);
/* Cuts t along axis into at most chunks pieces, as torch.chunk: pieces of
 * ceil(size / chunks) elements, the last one smaller, so there may be
 * fewer than chunks (6 in 4 chunks gives 3 pieces of 2); an axis of size 0
 * gives chunks empty pieces. out and cap and the return value as
 * galley_split's. */
int galley_chunk(galley_tensor *t, int chunks, int axis, galley_tensor **out,
                 int cap);
/* out[i][j][k] = t[index[i][j][k]][j][k] for axis 0 (and so on), as
 * torch.gather: index is int64 with t's number of axes, no larger than t
 * on the axes other than axis; the result has index's shape and t's
 * dtype. t's gradient is the result's scattered back and added up where
 * an index repeats. A new tensor. */
galley_tensor *galley_gather(galley_tensor *t, int axis, galley_tensor *index);
/* The entries of t at the positions index (int64, 1-d, or 0-d for one)
 * along axis, as torch.index_select: t's shape with the size of index on
 * axis. A new tensor; the gradient adds up where an index repeats. */
galley_tensor *galley_index_select(galley_tensor *t, int axis,
                                   galley_tensor *index);
/* The rows of weight [V, D] at ids (int64 of any shape, values in [0, V)):
 * a tensor of ids's shape with D added, as torch.nn.functional.embedding.
 * weight's gradient gets the rows of the result's added at their ids. An id
 * out of range is reported with its position and V. A new tensor. */
galley_tensor *galley_embedding(galley_tensor *weight, galley_tensor *ids);
/* A view of t with an axis of size 1 inserted at axis (from -(ndim+1) to
 * ndim; -1 appends), as torch.unsqueeze. */
galley_tensor *galley_unsqueeze(galley_tensor *t, int axis);
/* A view of t without axis when that axis has size 1, else a view of t as
 * it is, as torch.squeeze(t, axis). */
galley_tensor *galley_squeeze(galley_tensor *t, int axis);
/* A view of t without any of its axes of size 1, as torch.squeeze(t). */
galley_tensor *galley_squeeze_all(galley_tensor *t);
/* A view of t with its axes reordered: axis i of the result is axis
 * perm[i] of t (ndim entries, t's number of axes, each axis once; negative
 * ones count from the end), as torch.permute. */
galley_tensor *galley_permute(galley_tensor *t, int ndim, const long *perm);
/* A view of t broadcast to shape (at least t's number of axes; new ones
 * are added on the left) without copying, as torch.expand: an axis of size
 * 1 takes any size (its stride is 0: every element is one), -1 keeps t's
 * size, other sizes must equal t's. The gradient is summed back over the
 * expanded axes. Write to it only knowing that elements are shared. */
galley_tensor *galley_expand(galley_tensor *t, int ndim, const long *shape);
/* t with axes start_axis to end_axis (inclusive, negative from the end)
 * merged into one, as torch.flatten(t, start_axis, end_axis); a 0-d t
 * gives shape [1]. It is galley_reshape to that shape (a view when t is
 * contiguous, else a copy; it prints as reshape in a graph);
 * galley_flatten(t, 0, -1) makes t 1-d. */
galley_tensor *galley_flatten(galley_tensor *t, int start_axis, int end_axis);

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
