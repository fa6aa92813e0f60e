/* galley/tensor.h: tensors with reverse-mode autodiff for expect tests of
 * numerical and machine-learning code: float32, float64 and int64 arrays,
 * numpy-style broadcasting and torch's type promotion, OpenBLAS matrix
 * products, torch's ops (views and joins, comparisons, activations,
 * reductions, norms, convolution, einsum, losses, in-place arithmetic),
 * gradcheck, SGD, Adam and AdamW, .npy files, and printing made to sit in
 * an EXPECT block. See galley_tensor(3).
 *
 * Conventions, in the manner of numpy and PyTorch:
 * - Tensors are row-major; views (transpose, slice, select, reshape of a
 *   contiguous tensor, detach) share storage with their base.
 * - Shapes and indices are passed as a count and an array; GALLEY_SHAPE(2, 3)
 *   expands to both: galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3)).
 * - Axes may be negative: -1 is the last.
 * - Binary ops promote their operands' dtypes as torch and numpy do:
 *   float32 with float64 gives float64, int64 with a float gives that
 *   float, but a 0-d operand does not raise the dtype of one with
 *   dimensions in its category (float32 [n] times a float64 scalar stays
 *   float32, as torch's result_type); the gradient of each operand comes
 *   back in its own dtype.
 *   matmul takes one dtype, as torch's (cast with galley_tensor_to).
 * - Every function that makes a tensor returns a new tensor owned by the
 *   innermost open scope (galley_scope_begin), or by the root scope when
 *   none is open. galley_scope_end frees them all; galley_tensor_free frees one.
 * - Errors (shapes that do not broadcast, a dtype an op does not take,
 *   backward on a non-scalar, a freed tensor) are reported on stderr as
 *   "galley: error: OP: what is wrong" with the shapes, and end the test
 *   with exit status 1, unless an error handler is set
 *   (galley_tensor_on_error), in which case the op returns NULL.
 * - Options (optimizers, gradcheck, printing) go by pointer to a struct;
 *   NULL means all defaults, and the function copies what it keeps. Where
 *   every default is 0 (SGD's momentum, dampening, weight decay), a
 *   compound literal does: galley_sgd_new(params, n,
 *   &(galley_sgd_options){.lr = 0.01}). Where a field may be 0 but its
 *   default is not (Adam's betas, gradcheck's tolerances, print options),
 *   0 cannot also mean "the default": the struct starts from its
 *   GALLEY_..._OPTIONS_INIT (below), then each field is taken as given:
 *     galley_adam_options o = GALLEY_ADAM_OPTIONS_INIT;
 *     o.beta1 = 0;
 *   galley/plot.h's options have no such field: zero fields take its
 *   defaults.
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
 * viewed, printed and cast. Binary ops promote: float32 with float64 gives
 * float64 and int64 with a float that float, as in torch and numpy (two
 * int64 operands are refused by the arithmetic ops); matmul needs one
 * dtype. */
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

/* ---- devices ---- */

/* Where a tensor's elements live. The values are bit flags, so that a
 * TEST's .devices option can name several (GALLEY_CPU | GALLEY_CUDA). See
 * galley_tensor(3), "Devices". */
#ifndef GALLEY__DEVICE_DEFINED /* galley.h defines it too, for .devices */
#define GALLEY__DEVICE_DEFINED
typedef enum galley_device { GALLEY_CPU = 1, GALLEY_CUDA = 2 } galley_device;
#endif

/* The device t's elements live on. */
galley_device galley_device_of(const galley_tensor *t);
/* A copy of t on device (t itself when it is there already), recorded for
 * autodiff: the gradient goes back to t's device. An op on tensors of two
 * devices is an error that names both. */
galley_tensor *galley_to_device(galley_tensor *t, galley_device device);
/* The device new tensors are made on (galley_zeros, galley_from_f32,
 * galley_randn, ...): GALLEY_CPU unless set. A test run with .devices has
 * it set to the run's device. */
galley_device galley_default_device(void);
void galley_set_default_device(galley_device device);
/* 1 when tensors can live on device; else 0, and *why (when why is not
 * NULL) says why: "built without CUDA" (no CUDA backend linked in), "no
 * CUDA device" and the driver's reason. GALLEY_CPU is always available. */
int galley_device_available(galley_device device, const char **why);
/* The bytes of device memory that galley's tensors hold now: 0 after the
 * scope that owned them ended. */
size_t galley_cuda_memory_in_use(void);

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

/* Seeds rng with seed and stream (pcg32_srandom_r(rng, seed, stream)).
 * Here and in the three below, rng NULL is this thread's default
 * generator, as in galley_rand. */
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
/* a to the power b, elementwise. Its gradient is torch's where a^b has no
 * derivative: d/da is 0 where b == 0 (0 at (0, 0)), d/db is 0 where a ==
 * 0 and b >= 0 (0 at (0, 0) and (0, 2)). */
galley_tensor *galley_pow(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_add_scalar(galley_tensor *a, double s);
galley_tensor *galley_mul_scalar(galley_tensor *a, double s);
galley_tensor *galley_pow_scalar(galley_tensor *a, double p);
galley_tensor *galley_neg(galley_tensor *a);
galley_tensor *galley_exp(galley_tensor *a);
galley_tensor *galley_log(galley_tensor *a);
galley_tensor *galley_tanh(galley_tensor *a);
galley_tensor *galley_sigmoid(galley_tensor *a);
/* max(a, 0), NaN kept; its gradient passes where the result is not <= 0,
 * NaN included, as torch's. */
galley_tensor *galley_relu(galley_tensor *a);
galley_tensor *galley_sqrt(galley_tensor *a);

/* ---- comparisons, selection and more elementwise ops (tensor_elem.c) ---- */

/* Comparisons, elementwise with broadcasting: 1 where a OP b holds, else 0,
 * in the dtype the operands promote to (float32, float64 or int64, as
 * galley_add's; there is no bool dtype), as torch.eq/ne/lt/le/gt/ge
 * followed by a cast to that dtype. NaN
 * compares unequal to everything, itself included: only ne holds. int64
 * operands compare exactly up to 2^53 in magnitude. Not differentiable
 * (no graph is recorded). */
galley_tensor *galley_eq(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_ne(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_lt(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_le(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_gt(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_ge(galley_tensor *a, galley_tensor *b);
/* The same against the number s: rounded to a's dtype when a is
 * floating, as torch does; an int64 a compares with s as float64 (so
 * that 2 < 2.5 holds). */
galley_tensor *galley_eq_scalar(galley_tensor *a, double s);
galley_tensor *galley_ne_scalar(galley_tensor *a, double s);
galley_tensor *galley_lt_scalar(galley_tensor *a, double s);
galley_tensor *galley_le_scalar(galley_tensor *a, double s);
galley_tensor *galley_gt_scalar(galley_tensor *a, double s);
galley_tensor *galley_ge_scalar(galley_tensor *a, double s);
/* a where cond is nonzero (NaN counts as nonzero), else b: the three
 * broadcast together (torch.where). cond may have any dtype; a and b
 * promote as galley_add's operands, and the result has that dtype.
 * Differentiable in a and b: the gradient goes to the operand chosen,
 * element by element, in its own dtype. */
galley_tensor *galley_where(galley_tensor *cond, galley_tensor *a,
                            galley_tensor *b);
/* t with value wherever mask is nonzero (t.masked_fill(mask, value)); mask,
 * of any dtype, broadcasts to t's shape, which the result has. The
 * gradient flows to t where mask is 0. */
galley_tensor *galley_masked_fill(galley_tensor *t, galley_tensor *mask,
                                  double value);
/* min(max(t, lo), hi) elementwise (torch.clamp): -INFINITY / INFINITY for
 * no bound; a NaN bound is an error; lo > hi gives hi everywhere, as
 * torch; NaN elements stay NaN. The gradient is 1 where lo <= t <= hi,
 * bounds included, else 0. */
galley_tensor *galley_clamp(galley_tensor *t, double lo, double hi);
/* |t|; its gradient is sign(t): 0 at 0 (torch.abs). */
galley_tensor *galley_abs(galley_tensor *t);
/* The greater (smaller) of a and b elementwise, with broadcasting, NaN
 * where either is NaN (torch.maximum, torch.minimum); mixed dtypes
 * promote as galley_add's. On a tie the
 * gradient is split evenly between a and b, as torch does; at a NaN both
 * get all of it. */
galley_tensor *galley_maximum(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_minimum(galley_tensor *a, galley_tensor *b);
/* GELU, t * Phi(t) with the normal CDF Phi by erf (torch's default,
 * F.gelu(t)); galley_gelu_tanh is the tanh approximation
 * (F.gelu(t, approximate='tanh')). */
galley_tensor *galley_gelu(galley_tensor *t);
galley_tensor *galley_gelu_tanh(galley_tensor *t);
/* t where t > 0, else slope * t (F.leaky_relu(t, slope); torch's default
 * slope is 0.01). The gradient at 0 is slope, as torch's. */
galley_tensor *galley_leaky_relu(galley_tensor *t, double slope);
/* log(1 + exp(t)), and t itself where t > 20 (F.softplus(t) with torch's
 * defaults beta = 1, threshold = 20); its gradient is sigmoid(t) (1 past
 * the threshold). */
galley_tensor *galley_softplus(galley_tensor *t);
galley_tensor *galley_sin(galley_tensor *t);
galley_tensor *galley_cos(galley_tensor *t);

/* ---- reductions (differentiable but argmax and argmin) ---- */

/* Over all elements: a 0-d tensor. The gradient of max_all is split evenly
 * among the greatest elements when several tie (among the NaNs when there
 * are some), as torch's max(). */
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
/* The smallest element (min_all over all, a 0-d tensor; min along axis),
 * NaN when there is one (torch.min). min's gradient goes to the element
 * argmin picks; min_all's is shared evenly by every element equal to the
 * minimum (by the NaNs when it is NaN), as torch's. */
galley_tensor *galley_min_all(galley_tensor *t);
galley_tensor *galley_min(galley_tensor *t, int axis, int keepdim);
/* The index of the first smallest element, or of the first NaN (torch's
 * argmin), int64: flat over all elements (0-d), or along axis. */
galley_tensor *galley_argmin_all(galley_tensor *t);
galley_tensor *galley_argmin(galley_tensor *t, int axis, int keepdim);

/* GALLEY_AXES(0, 2) expands to "naxes, axes" (an int array) for the
 * reductions over several axes below; GALLEY_AXES() is every axis (as
 * torch's dim=None). Negative axes count from the end; an axis given
 * twice is an error. */
#define GALLEY_AXES(...)                                                  \
    (int)(sizeof((int[]){0, __VA_ARGS__}) / sizeof(int) - 1),             \
        (const int *)((const int[]){0, __VA_ARGS__} + 1)
/* The sum and mean over the axes given (x.sum(dim=axes, keepdim=k)). */
galley_tensor *galley_sum_axes(galley_tensor *t, int naxes, const int *axes,
                               int keepdim);
galley_tensor *galley_mean_axes(galley_tensor *t, int naxes, const int *axes,
                                int keepdim);
/* The variance sum((t - mean)^2) / (n - correction) over the axes given,
 * n the number of elements reduced (torch.var(t, dim, correction=c,
 * keepdim=k)): correction 1 is the unbiased estimate (torch's default), 0
 * the population variance. n <= correction gives inf, or NaN for 0/0, as
 * torch. std is its square root; std's gradient where std is 0 is 0, as
 * torch's. */
galley_tensor *galley_var(galley_tensor *t, int naxes, const int *axes,
                          double correction, int keepdim);
galley_tensor *galley_std(galley_tensor *t, int naxes, const int *axes,
                          double correction, int keepdim);
/* The p-norm (sum |t|^p)^(1/p) over the axes given (torch.linalg.vector_norm
 * (t, p, dim, keepdim)), for a finite p >= 1 (1 and 2 computed without
 * powers). The gradient where the norm is 0 is 0 (torch's), and that of
 * the 1-norm at an element 0 is 0. */
galley_tensor *galley_norm(galley_tensor *t, double p, int naxes,
                           const int *axes, int keepdim);
/* The running sums along axis (torch.cumsum), accumulated in double for
 * float32 too, as torch's CPU kernel; differentiable. */
galley_tensor *galley_cumsum(galley_tensor *t, int axis);
/* t sorted along axis, ascending or (descending nonzero) descending, NaN
 * counted greater than every number (last ascending, first descending;
 * int64 tensors too, compared exactly up to 2^53 in magnitude);
 * equal elements keep their order (torch.sort(t, axis, descending,
 * stable=True)). When indices is not NULL, *indices receives a new int64
 * tensor of the positions along axis the values came from (NULL after an
 * error). The values are differentiable: each gradient goes back to its
 * position. */
galley_tensor *galley_sort(galley_tensor *t, int axis, int descending,
                           galley_tensor **indices);
/* The k greatest (largest nonzero) or smallest elements along axis, in
 * sorted order, with their positions in *indices as galley_sort
 * (torch.topk(t, k, axis, largest, sorted=True)). Ties are taken in the
 * order of their positions; torch leaves that order unspecified. 0 <= k
 * <= the size of axis. */
galley_tensor *galley_topk(galley_tensor *t, long k, int axis, int largest,
                           galley_tensor **indices);

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
 * probabilities (then -sum(target * log_softmax) per row; the dtypes
 * promote). A 0-d tensor. A logit of -inf (a masked class) that is not the
 * target leaves the loss finite, as in torch; with probabilities the
 * product 0 * -inf is NaN, as in torch 1.13. */
galley_tensor *galley_cross_entropy(galley_tensor *logits,
                                    galley_tensor *target);
/* The mean of (a - b)^2 over the elements of a and b broadcast together
 * (as torch's mse_loss, which warns where galley is silent); the dtypes
 * promote, and each gradient is summed back to its operand's shape. */
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
/* Names t for graph printing; the name is copied (and printed in double
 * quotes with C escapes for quotes, backslashes and control characters).
 * Returns t. */
galley_tensor *galley_set_name(galley_tensor *t, const char *name);
/* Prints the graph that computed root, one node per line in a fixed order
 * (inputs before their users, numbered %0, %1, ...), as for
 * galley_matmul(x, w):
 *   %0 = const float32 [4, 2]
 *   %1 = param "w" float32 [2, 3]
 *   %2 = matmul(%0, %1) float32 [4, 3]
 * The same computation prints the same text everywhere. */
void galley_print_graph(FILE *f, galley_tensor *root);

/* ---- in-place arithmetic (tensor_io.c) ---- */

/* a += b, a -= b, a *= b, a /= b, a += s, a *= s, in place (as torch's
 * add_, sub_, mul_, div_): b broadcasts to a's shape, and the result,
 * computed as by the out-of-place op, is cast to a's dtype (a float result
 * into an int64 a is an error, as in torch). Return a, or NULL after a
 * reported error (a is then unchanged). The storage's version goes up: a
 * graph that used a (or a view of it) before refuses backward with
 * "... was modified in place after it was used". With grad mode on:
 * - a parameter (a leaf that requires grad) is refused, as torch refuses
 *   a leaf; change it with grad mode off (galley_set_grad_enabled(0)),
 *   as an optimizer step does;
 * - a computed tensor that requires grad, or any a with b requiring grad,
 *   becomes the node OP(a's old value, b) of the graph, so gradients flow
 *   through the change as torch's do; a copy of a's old value is kept for
 *   that, owned by a. Such an a must not share its storage with another
 *   tensor (a view, or the base of one): that is refused, where torch
 *   would track the views. */
galley_tensor *galley_add_(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_sub_(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_mul_(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_div_(galley_tensor *a, galley_tensor *b);
galley_tensor *galley_add_scalar_(galley_tensor *a, double s);
galley_tensor *galley_mul_scalar_(galley_tensor *a, double s);

/* ---- optimizers ---- */

typedef struct galley_optim galley_optim;

/* SGD's defaults are all 0 but lr's, so a zero-initialized compound
 * literal is the way to give them: &(galley_sgd_options){.lr = 0.1}. */
typedef struct galley_sgd_options {
    double lr;           /* learning rate; required, > 0 */
    double momentum;     /* 0; >= 0 */
    double weight_decay; /* 0; >= 0 (L2, added to the gradient) */
    double dampening;    /* 0: the gradient's share (1 - dampening) in buf */
    int nesterov;        /* 0; 1 needs momentum > 0 and dampening 0 */
} galley_sgd_options;

/* Adam's options (torch.optim.Adam's, amsgrad and maximize left out).
 * Start the struct from GALLEY_ADAM_OPTIONS_INIT and set the fields: each
 * is taken as given, 0 included (beta1 = 0 is Adam without momentum). */
typedef struct galley_adam_options {
    unsigned version;    /* GALLEY_OPTIONS_VERSION */
    double lr;           /* 1e-3; > 0 */
    double beta1;        /* 0.9; in [0, 1) */
    double beta2;        /* 0.999; in [0, 1) */
    double eps;          /* 1e-8; >= 0 */
    double weight_decay; /* 0; >= 0 (L2, added to the gradient) */
} galley_adam_options;
#define GALLEY_ADAM_OPTIONS_INIT                                          \
    {.version = GALLEY_OPTIONS_VERSION, .lr = 1e-3, .beta1 = 0.9,         \
     .beta2 = 0.999, .eps = 1e-8, .weight_decay = 0}

/* AdamW's options (torch.optim.AdamW's): the fields of Adam's, but the
 * weight decay is decoupled (p *= 1 - lr * weight_decay before the Adam
 * step) and defaults to 0.01. A type of its own so that an Adam struct,
 * whose weight_decay means another thing and defaults to 0, cannot be
 * passed by mistake. Start it from GALLEY_ADAMW_OPTIONS_INIT. */
typedef struct galley_adamw_options {
    unsigned version;    /* GALLEY_OPTIONS_VERSION */
    double lr;           /* 1e-3; > 0 */
    double beta1;        /* 0.9; in [0, 1) */
    double beta2;        /* 0.999; in [0, 1) */
    double eps;          /* 1e-8; >= 0 */
    double weight_decay; /* 0.01; >= 0 (decoupled) */
} galley_adamw_options;
#define GALLEY_ADAMW_OPTIONS_INIT                                         \
    {.version = GALLEY_OPTIONS_VERSION, .lr = 1e-3, .beta1 = 0.9,         \
     .beta2 = 0.999, .eps = 1e-8, .weight_decay = 1e-2}

/* Optimizers over the n parameters given (the array is copied; the
 * parameters must outlive the optimizer), with options (copied; NULL: the
 * defaults, which SGD's required lr lacks). Bad options (lr <= 0, a beta
 * outside [0, 1), nesterov without momentum, an Adam struct not started
 * from its INIT) are reported as errors and give NULL. Free with
 * galley_optim_free. */
galley_optim *galley_sgd_new(galley_tensor *const *params, int n,
                             const galley_sgd_options *options);
galley_optim *galley_adam_new(galley_tensor *const *params, int n,
                              const galley_adam_options *options);
galley_optim *galley_adamw_new(galley_tensor *const *params, int n,
                               const galley_adamw_options *options);
/* Updates every parameter that has a gradient, in place, as torch.optim
 * (with grad mode off: a graph recorded before the step refuses backward). */
void galley_optim_step(galley_optim *o);
/* Zeroes the gradients of the optimizer's parameters. */
void galley_optim_zero_grad(galley_optim *o);
void galley_optim_free(galley_optim *o);

/* The learning rate the next steps use, as optimizer.param_groups[0]["lr"]:
 * a schedule sets it before each epoch's steps. set_lr takes lr >= 0 (a
 * schedule may end at 0); get_lr returns NaN after a reported error. */
void galley_optim_set_lr(galley_optim *o, double lr);
double galley_optim_get_lr(const galley_optim *o);
/* Learning-rate schedules, in closed form, for epoch = 0, 1, ...:
 * - galley_lr_step: base * gamma^floor(epoch / step_size), as
 *   torch.optim.lr_scheduler.StepLR (step_size >= 1);
 * - galley_lr_cosine: eta_min + (base - eta_min) (1 + cos(pi epoch /
 *   t_max)) / 2, CosineAnnealingLR's closed form (t_max >= 1; torch's
 *   step() computes it recursively, equal up to rounding).
 * Set the result with galley_optim_set_lr:
 *   galley_optim_set_lr(o, galley_lr_cosine(0.1, epoch, 50, 0));
 * A bad step_size or t_max is reported; the result is then NaN. */
double galley_lr_step(double base, long epoch, long step_size, double gamma);
double galley_lr_cosine(double base, long epoch, long t_max, double eta_min);

/* Scales the gradients of the n parameters (those without a gradient are
 * skipped) so that their total 2-norm, taken as of one vector, is at most
 * max_norm, as torch.nn.utils.clip_grad_norm_: every gradient is multiplied
 * by min(1, max_norm / (norm + 1e-6)) (a NaN or inf norm then spreads to
 * the gradients, as torch's default). Returns the norm before clipping
 * (0 with no gradients), or NaN after a reported error (max_norm < 0, a
 * parameter that is not one). Sums in double whatever the dtype. */
double galley_clip_grad_norm(galley_tensor *const *params, int n,
                             double max_norm);

/* ---- saving and loading: numpy .npy files (tensor_io.c) ---- */

/* Saves t to path in numpy's .npy format, version 1.0: dtype '<f4', '<f8'
 * or '<i8' (little-endian on every machine), C order, the header padded as
 * numpy 1.24 pads it, so that the file is byte for byte what numpy.save
 * writes for the same array. A view is saved as its elements. The file is
 * written to a temporary beside path (mode 0666 less the umask), then
 * renamed over path: path is replaced whole or, after an error, left as it
 * was with no temporary left. Returns 0, or -1 after a reported error
 * ("cannot write 'PATH': why"). */
int galley_save_npy(galley_tensor *t, const char *path);
/* Loads the .npy file at path (versions 1.0, 2.0 and 3.0, as numpy.save
 * writes them) into a new tensor of the current scope. It reads dtypes
 * '<f4', '<f8' and '<i8' in C order; another dtype (big-endian '>f8',
 * '<i4', '|b1', ...) or fortran_order True is refused with an error naming
 * the file and the dtype. A missing file, a bad magic, a header galley
 * cannot parse and a truncated file are errors that name the path; bytes
 * after the data are ignored (as numpy.load). NULL after an error. */
galley_tensor *galley_load_npy(const char *path);

/* Random integers in [low, high) (high > low), as torch.randint, in
 * row-major order from rng (NULL: the default generator), of dtype (int64,
 * or a floating dtype holding the integers). The draws are galley's own
 * (not torch's), the same on every machine: for a range r = high - low
 * <= 2^32, Lemire's method on 32-bit draws x: m = x * r (64 bits), kept
 * when (m mod 2^32) >= (2^32 - r) mod r, else x drawn again; the value is
 * low + (m >> 32). For a larger range the same with 64-bit draws made of
 * two 32-bit ones (first the high half) and a 128-bit product. */
galley_tensor *galley_randint(galley_rng *rng, int64_t low, int64_t high,
                              galley_dtype dtype, int ndim, const long *shape);
/* A random permutation of 0 .. n-1 (int64 [n]), as torch.randperm:
 * Fisher-Yates from the start 0, 1, ..., n-1: for i = n-1 down to 1, j is
 * drawn in [0, i] as by galley_randint, and elements i and j swap. */
galley_tensor *galley_randperm(galley_rng *rng, long n);

/* ---- gradient checking ---- */

/* The function gradcheck differentiates: computes an output (any shape)
 * from the n inputs. */
typedef galley_tensor *(*galley_gradcheck_cb)(galley_tensor *const *inputs,
                                              int n, void *userdata);

/* Start from GALLEY_GRADCHECK_OPTIONS_INIT, which holds the defaults shown
 * (those of torch.autograd.gradcheck), then set fields; each is taken as
 * given, so atol and rtol may be 0 (as torch's):
 *   galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
 *   o.atol = 0;
 *   galley_gradcheck(fn, inputs, n, NULL, &o);
 * NULL options are the defaults. */
typedef struct galley_gradcheck_options {
    unsigned version; /* GALLEY_OPTIONS_VERSION (set by the INIT) */
    double eps;  /* 1e-6: the step of the central differences; > 0 */
    double atol; /* 1e-5; >= 0 */
    double rtol; /* 1e-3; >= 0 */
    FILE *out;   /* where the report goes; NULL: stdout */
    int quiet;   /* 0; 1: no report */
} galley_gradcheck_options;

#define GALLEY_GRADCHECK_OPTIONS_INIT                                     \
    {.version = GALLEY_OPTIONS_VERSION, .eps = 1e-6, .atol = 1e-5,        \
     .rtol = 1e-3, .out = NULL, .quiet = 0}

/* Compares the analytic gradients of fn at inputs (float64 parameters) with
 * central finite differences, element by element of the whole Jacobian:
 * an element passes when |analytic - numeric| <= atol + rtol * |numeric|.
 * Prints a report: per input, the largest absolute and relative error with
 * the index of the worst element (and of the output element, when the
 * output has several), and "ok" or "FAILED"; then a verdict line. Inputs
 * must be float64 parameters. Returns 0 when every input passes, else the
 * number of inputs that fail; after a reported error (with a handler set:
 * bad inputs, options not started from GALLEY_GRADCHECK_OPTIONS_INIT, eps
 * not above 0, a negative tolerance) n, or 1 when n < 1. The inputs'
 * gradients are left zero. */
int galley_gradcheck(galley_gradcheck_cb fn, galley_tensor *const *inputs,
                     int n, void *userdata,
                     const galley_gradcheck_options *options);

/* ---- printing ---- */

/* How elements are written: GALLEY_PRINT_NUMPY, the text of numpy's
 * print(array) (np.array2string with numpy 1.24's defaults); or
 * GALLEY_PRINT_COMPACT, galley's style before it: each element with
 * %.{precision}g, entries separated by ", ", decimal points lined up,
 * -0 as 0. */
typedef enum galley_print_style {
    GALLEY_PRINT_NUMPY = 0,
    GALLEY_PRINT_COMPACT = 1
} galley_print_style;

/* Print options, numpy's np.set_printoptions. Start from
 * GALLEY_PRINT_OPTIONS_INIT; every field is taken as given, 0 included:
 * - precision: numpy style, at most this many digits after the point
 *   (numpy's precision with floatmode 'maxprec'), 0..30; compact style,
 *   significant digits of %g (0 acts as 1). Default 8.
 * - threshold: tensors with more elements than this are summarized; 0:
 *   always. Default 1000.
 * - edgeitems: entries kept at each end of a summarized axis; with 0, as
 *   numpy, only the last. Default 3.
 * - linewidth: the columns a line of entries fills before it wraps, as
 *   numpy counts them (0: one entry a line). Default 75. */
typedef struct galley_print_options {
    unsigned version;
    galley_print_style style;
    int precision;
    long threshold;
    int edgeitems;
    int linewidth;
} galley_print_options;

#define GALLEY_PRINT_OPTIONS_INIT                                              \
    {                                                                          \
        .version = GALLEY_OPTIONS_VERSION, .style = GALLEY_PRINT_NUMPY,        \
        .precision = 8, .threshold = 1000, .edgeitems = 3, .linewidth = 75     \
    }

/* Sets this thread's print options; options NULL sets the defaults back.
 * Options not started from GALLEY_PRINT_OPTIONS_INIT, or with a field out
 * of range, are reported (see galley_tensor_on_error) and change nothing. */
void galley_set_print_options(const galley_print_options *options);
/* This thread's print options (the defaults until set). */
galley_print_options galley_get_print_options(void);
/* Prints t as numpy prints it, under a header line "float32 [2, 3]": the
 * body is what numpy 1.24's print(a) (np.array2string(a)) writes for the
 * same array, options and dtype: for floats, each element with the fewest
 * digits that read back as it in its dtype (float32's own shortest
 * digits), at most precision after the point, the point of every element
 * in one column ("[ 1.5   2.25 -3.  ]", "[1. 2. 3.]"); scientific
 * notation for the whole tensor when its largest nonzero magnitude is
 * 1e8 or more, its smallest under 1e-4 or their ratio over 1000
 * ("[1.0e-05 1.5e+00]"); -0 as "-0."; nan, inf and -inf spelled so;
 * int64 right-aligned; lines wrapped at linewidth; "..." in place of the
 * middle of axes longer than 2*edgeitems when t has more than threshold
 * elements; "[]" when t is empty. No locale affects it. The compact style
 * keeps galley's former text (see galley_print_style). */
void galley_tensor_print(const galley_tensor *t);
void galley_tensor_fprint(FILE *f, const galley_tensor *t);
/* The same text as a string; the caller frees it. */
char *galley_tensor_format(const galley_tensor *t);

#ifdef __cplusplus
}
#endif

#endif
