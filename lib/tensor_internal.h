/* tensor_internal.h: what the tensor modules of libgalley share: the tensor
 * struct, storage, the op table behind autodiff, and the backend (kernel)
 * interface that a CUDA backend would implement beside the CPU one. */
#ifndef GALLEY_TENSOR_INTERNAL_H
#define GALLEY_TENSOR_INTERNAL_H

#include "galley/tensor.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>

#define GALLEY__LIVE 0x54454e53u /* "TENS" */
#define GALLEY__DEAD 0x44454144u /* "DEAD" */
/* The inputs an autodiff node holds in its header; an op with more (cat,
 * stack) gets an owned block (see galley_tensor's in). */
#define GALLEY__MAX_INPUTS 3

typedef struct galley__backend galley__backend;

/* Elements of one or more tensors. Views share it; refs counts them. The
 * version goes up on every in-place change, so backward can tell that a
 * tensor it saved was changed. be allocates and frees data. */
typedef struct galley__storage {
    void *data;
    size_t nbytes;
    long refs;
    unsigned long version;
    const galley__backend *be;
    /* The op that made it (galley__new's op), and its place in the list
     * of live device storage (tensor.c); unused on the CPU. */
    const char *op;
    struct galley__storage *dev_prev, *dev_next;
} galley__storage;

/* An op that autodiff knows: its name for graph printing, its backward, and
 * how to print its non-tensor arguments. */
typedef struct galley__opdef {
    const char *name;
    /* Adds to the gradients of out's inputs (galley__accum_grad) given
     * gout, the gradient of out: contiguous, out's shape and dtype. Called
     * with grad mode off, so it may use every op. */
    void (*backward)(galley_tensor *out, galley_tensor *gout);
    /* Writes the op's other arguments, such as "axis=1" or "2.5", into buf
     * (NUL-terminated, at most n bytes); NULL when it has none. */
    void (*args)(const galley_tensor *out, char *buf, size_t n);
} galley__opdef;

struct galley_tensor {
    uint32_t magic;       /* GALLEY__LIVE, or GALLEY__DEAD once freed */
    galley_dtype dtype;
    int ndim;
    long shape[GALLEY_MAX_DIMS];
    long strides[GALLEY_MAX_DIMS]; /* in elements; 0 on broadcast axes */
    long offset;                   /* in elements, into st->data */
    long numel;
    galley__storage *st;  /* shared with views */
    uint64_t id;          /* serial number, unique in the process */

    /* autodiff */
    int requires_grad;    /* a parameter, or computed from one */
    int is_param;         /* a leaf marked by galley_param */
    galley_tensor *grad;  /* owned by this tensor; NULL until backward */
    const galley__opdef *op; /* NULL: a leaf */
    int nin;
    /* The op's nin inputs, their ids (to tell a reused header) and the
     * storage versions seen when it was recorded. They point into the
     * inline arrays below, or for an op of more than GALLEY__MAX_INPUTS
     * inputs (cat, stack) into one block this tensor owns: set up by
     * galley__record, moved by galley__move_inputs (never copied: they may
     * point into this header), the block freed with the tensor. NULL on a
     * leaf. */
    galley_tensor **in;
    uint64_t *in_ids;
    unsigned long *in_versions;
    galley_tensor *in_inline[GALLEY__MAX_INPUTS];
    uint64_t in_ids_inline[GALLEY__MAX_INPUTS];
    unsigned long in_versions_inline[GALLEY__MAX_INPUTS];
    unsigned long out_version; /* its own storage's version when recorded:
                                  backwards may read the result (exp, tanh,
                                  div), so a change to it is refused too */
    double darg[4];       /* the op's arguments (exponent, scalar, ...) */
    long larg[4];         /* (axis, keepdim, ...) */
    galley_tensor *saved; /* owned; a tensor the op keeps for backward */
    char *name;           /* owned; NULL unless galley_set_name */

    /* ownership */
    galley_scope *scope;  /* NULL: owned by another tensor or an optimizer */
    galley_tensor *prev, *next; /* in the scope's list */
    uint64_t mark;        /* scratch for graph walks */
};

/* ---- core (tensor.c) ---- */

/* Reports an error of op: formats "op: " and the message, then calls the
 * handler or prints "galley: error: ..." and exits with status 1. Returns
 * only when a handler is set. */
void galley__error(const char *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* 0 when t is a live tensor; else reports "op: input NAME is NULL" or "...
 * was freed" and returns -1. what names the argument ("a", "logits"). */
int galley__check(const galley_tensor *t, const char *op, const char *what);
/* 0 when t has a floating dtype; else reports "op: WHAT is int64; ... needs
 * float32 or float64" and returns -1. */
int galley__check_float(const galley_tensor *t, const char *op,
                        const char *what);
/* 0 when version, the first member of an options struct of type (such as
 * "galley_adam_options"), is GALLEY_OPTIONS_VERSION; else reports that
 * the struct was not started from its initializer (the type's name in
 * capitals, then _INIT) and how to start it, and returns -1. */
int galley__check_version(unsigned version, const char *op,
                          const char *type);
/* Writes "[2, 3]" (or "[]") into buf, returns buf. 16 bytes per axis do. */
#define GALLEY__SHAPE_STR_MAX (GALLEY_MAX_DIMS * 22 + 4)
char *galley__shape_str(int ndim, const long *shape,
                        char buf[GALLEY__SHAPE_STR_MAX]);
/* "float32 [2, 3]" for messages, into buf. */
char *galley__desc(const galley_tensor *t, char buf[GALLEY__SHAPE_STR_MAX + 8]);
size_t galley__elsize(galley_dtype dtype);
/* The address of element 0 of t (storage data plus offset). */
void *galley__ptr(const galley_tensor *t);
/* Gives the header t the shape ndim/shape (which may be t->shape itself)
 * with row-major strides, and the numel of that shape: for a contiguous
 * tensor whose axes change in place (size-1 axes dropped or added, a
 * reshape of a fresh copy). */
void galley__set_contiguous(galley_tensor *t, int ndim, const long *shape);
/* Whether t has the shape ndim/shape. */
int galley__same_shape(const galley_tensor *t, int ndim, const long *shape);
/* Every backward opens a scope of its own so that its temporaries go with
 * it; gradients are owned by their tensors, not by a scope. */
#define GALLEY__BACKWARD_BEGIN galley_scope *bw_scope_ = galley_scope_begin()
#define GALLEY__BACKWARD_END galley_scope_end(bw_scope_)
/* Validates ndim/shape (0 <= ndim <= GALLEY_MAX_DIMS, sizes >= 0); reports
 * an error of op and returns -1 when bad. */
int galley__check_shape(int ndim, const long *shape, const char *op);
/* A new contiguous tensor with uninitialized elements, owned by the
 * innermost scope, on the device new tensors are made on
 * (galley__make_device: the default device). NULL only after a reported
 * error (a bad shape). For creation functions; an op makes its results
 * with galley__new_like. */
galley_tensor *galley__new(galley_dtype dtype, int ndim, const long *shape,
                           const char *op);
/* The same on like's device (like NULL: as galley__new): an op's results
 * and temporaries live where its inputs do. */
galley_tensor *galley__new_like(const galley_tensor *like, galley_dtype dtype,
                                int ndim, const long *shape, const char *op);
/* The same on backend be. */
galley_tensor *galley__new_on(const galley__backend *be, galley_dtype dtype,
                              int ndim, const long *shape, const char *op);
/* The same, owned by nobody's scope: for gradients (owned by their tensor)
 * and optimizer state. Freed with galley__free_owned. */
galley_tensor *galley__new_owned(const galley_tensor *like,
                                 galley_dtype dtype, int ndim,
                                 const long *shape);
void galley__free_owned(galley_tensor *t);
/* A new tensor sharing base's storage with the shape, strides (elements)
 * and offset given; owned by the innermost scope; no graph recorded. */
galley_tensor *galley__view(galley_tensor *base, int ndim, const long *shape,
                            const long *strides, long offset);
/* Normalizes axis (negative from the end) for a tensor of ndim axes;
 * reports "op: axis A out of range for a tensor of N dimensions" and
 * returns -1 when bad. */
int galley__axis(int axis, int ndim, const char *op);
/* The broadcast shape of a and b (numpy rules) into *ndim/shape; reports
 * "op: shapes [..] and [..] cannot be broadcast" and returns -1. */
int galley__broadcast(const galley_tensor *a, const galley_tensor *b,
                      int *ndim, long shape[GALLEY_MAX_DIMS], const char *op);
/* Fills *out (a stack struct, not a tensor to free) with t expanded to
 * ndim/shape: axes added on the left and size-1 axes get stride 0. The
 * shape must be one t broadcasts to. */
void galley__expand(const galley_tensor *t, int ndim, const long *shape,
                    galley_tensor *out);
/* What marks a function of this header that a device backend's kernels
 * call too (lib/cuda/, compiled by nvcc): nothing in C. */
#ifdef __CUDACC__
#define GALLEY__HD __host__ __device__
#else
#define GALLEY__HD
#endif
/* v converted to int64 as a C cast would, but defined for NaN (0) and
 * values out of range (saturated). */
static inline GALLEY__HD int64_t galley__to_i64(double v)
{
    if (v != v)
        return 0;
    if (v >= 9223372036854775807.0)
        return INT64_MAX;
    if (v < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)v;
}

/* Marks an in-place change of t's storage. */
void galley__bump_version(galley_tensor *t);
/* The backend t's storage lives on. */
const galley__backend *galley__backend_of(const galley_tensor *t);

/* ---- autodiff (tensor_autograd.c) ---- */

/* Makes out the result of op applied to in[0..nin) (any nin >= 1; more
 * than GALLEY__MAX_INPUTS costs an allocation): when grad mode is on and an
 * input requires grad, out requires grad and remembers op, inputs, their
 * ids and storage versions (what out remembered before is dropped), and
 * out's own storage version. Called by every differentiable op after it
 * filled out; the op then sets darg/larg/saved as its backward needs. */
void galley__record(galley_tensor *out, const galley__opdef *op, int nin,
                    galley_tensor *const *in);
/* Frees the block of inputs t owns (an op of more than GALLEY__MAX_INPUTS
 * inputs) and forgets its inputs; nothing else. For freeing t. */
void galley__free_inputs(galley_tensor *t);
/* Moves src's inputs (nin, in, in_ids, in_versions, and the block when it
 * owns one) to dst, whose own are dropped; src is left with none. For an
 * in-place op that moves a node to another header. */
void galley__move_inputs(galley_tensor *dst, galley_tensor *src);
/* Adds g to t's gradient (made zero of t's shape and dtype when absent).
 * g's shape may be a broadcast of t's: the extra axes are summed away;
 * g's dtype may be another (that of a promoted op): the sum is cast to
 * t's. Does nothing when t does not require grad. */
void galley__accum_grad(galley_tensor *t, galley_tensor *g);
/* g summed down to ndim/shape (a shape g's was broadcast from): a new
 * tensor of the current scope, or g itself when the shapes are equal. */
galley_tensor *galley__sum_to(galley_tensor *g, int ndim, const long *shape);

/* ---- the backend interface (tensor_cpu.c is the CPU one) ---- */

typedef enum galley__unop {
    GALLEY__NEG, GALLEY__EXP, GALLEY__LOG, GALLEY__TANH, GALLEY__SIGMOID,
    GALLEY__RELU, GALLEY__SQRT,
    GALLEY__ADD_SCALAR, /* a + arg */
    GALLEY__MUL_SCALAR, /* a * arg */
    GALLEY__POW_SCALAR, /* a ^ arg */
    GALLEY__RECIP,      /* 1 / a */
    /* tensor_elem.c's: */
    GALLEY__ABS, GALLEY__SIN, GALLEY__COS,
    GALLEY__SIGN,       /* 1, -1, or 0 (for 0, -0 and NaN, as torch) */
    GALLEY__CLAMP_MIN,  /* a < arg ? arg : a (NaN stays NaN) */
    GALLEY__CLAMP_MAX,  /* a > arg ? arg : a (NaN stays NaN) */
    GALLEY__LEAKY_RELU, /* a > 0 ? a : a * arg */
    GALLEY__LEAKY_STEP, /* a > 0 ? 1 : arg (leaky_relu's derivative) */
    GALLEY__GELU,       /* arg 0: a * Phi(a) (erf); arg 1: torch's tanh form */
    GALLEY__GELU_GRAD,  /* the derivative of GELU with the same arg */
    GALLEY__SOFTPLUS,   /* a > 20 ? a : log1p(exp(a)) (torch's threshold) */
    GALLEY__SOFTPLUS_GRAD /* a > 20 ? 1 : sigmoid(a) */
} galley__unop;

typedef enum galley__binop {
    GALLEY__ADD, GALLEY__SUB, GALLEY__MUL, GALLEY__DIV,
    GALLEY__POW,  /* a ^ b */
    GALLEY__EQ,   /* a == b ? 1 : 0 */
    GALLEY__GT,   /* a > b ? 1 : 0 */
    /* tensor_elem.c's: */
    GALLEY__NE,   /* a != b ? 1 : 0 (1 for NaN) */
    GALLEY__GE,   /* a >= b ? 1 : 0 */
    GALLEY__MAXIMUM, /* the greater, NaN when either is */
    GALLEY__MINIMUM  /* the smaller, NaN when either is */
} galley__binop;

typedef enum galley__redop {
    GALLEY__RSUM, GALLEY__RMAX
} galley__redop;

/* Up to three operands walked together over one shape in row-major order,
 * as the backends' kernels walk them: axes of size 1 dropped, and an axis
 * merged into the one inside it when every operand steps over both as
 * one, so that contiguous operands become one axis. Plain data: a device
 * backend hands it to its kernels by value. */
typedef struct galley__axes {
    int nd;
    long n[GALLEY_MAX_DIMS];
    long s[3][GALLEY_MAX_DIMS]; /* in elements; 0 on broadcast axes, and
                                   for the operands past nops */
} galley__axes;

/* Fills *it for ndim/shape and the strides of nops (1 to 3) operands. */
void galley__axes_init(galley__axes *it, int ndim, const long *shape,
                       int nops, const long *const *strides);

/* Kernels. Tensors passed in are live; "out" is contiguous and freshly
 * made by the caller; inputs may have any strides (0 on broadcast axes) and
 * an offset; dtypes of out and inputs are equal unless said otherwise.
 * float32 sums accumulate in double. */
struct galley__backend {
    const char *name;
    galley_device device;
    /* 1 when the backend can be used, else 0 with *why set (a static
     * string). Called once, when its device is first asked for. */
    int (*usable)(const char **why);
    /* n bytes from host memory src to dst on this backend, and from src
     * on it to host memory dst; both synchronous. */
    void (*upload)(void *dst, const void *src, size_t n);
    void (*download)(void *dst, const void *src, size_t n);
    void *(*alloc)(size_t nbytes);  /* aborts when out of memory */
    void (*free)(void *p);
    /* Every element of out (any strides) set to value. */
    void (*fill)(galley_tensor *out, double value);
    /* out[i] = a[i]; a has out's shape (expanded if need be); dtypes may
     * differ (cast; float to int64 truncates). out may be strided. */
    void (*copy)(galley_tensor *out, const galley_tensor *a);
    /* out[i] = op(a[i], arg); a has out's shape. */
    void (*unary)(galley__unop op, galley_tensor *out, const galley_tensor *a,
                  double arg);
    /* out[i] = op(a[i], b[i]); a and b have out's shape (expanded). EQ and
     * GT write 1 or 0 in out's (floating) dtype. */
    void (*binary)(galley__binop op, galley_tensor *out,
                   const galley_tensor *a, const galley_tensor *b);
    /* out has a's ndim with sizes 1 on the reduced axes (each either 1 or
     * a's size): out[j] = sum or max of the a[i] that map to j. */
    void (*reduce)(galley__redop op, galley_tensor *out,
                   const galley_tensor *a);
    /* out (int64, contiguous): the index of the first greatest element of
     * a along axis, with axis removed from the shape; axis < 0: the flat
     * row-major index over all of a (out 0-d). NaN counts as greatest. */
    void (*argmax)(galley_tensor *out, const galley_tensor *a, int axis);
    /* C = A(m x k) B(k x n) + beta C, row-major, A transposed when ta (then
     * stored k x m), B when tb; lda/ldb/ldc are row strides in elements;
     * pointers to element 0 of each matrix on this backend. */
    void (*gemm)(galley_dtype dtype, int ta, int tb, long m, long n, long k,
                 const void *a, long lda, const void *b, long ldb,
                 double beta, void *c, long ldc);
    /* out[i] = a[i] - c * b[i] (the product rounded to the dtype first,
     * as MUL_SCALAR then SUB): SGD's update in one pass. Floating dtypes. */
    void (*sub_scaled)(galley_tensor *out, const galley_tensor *a, double c,
                       const galley_tensor *b);
};

extern const galley__backend galley__cpu_backend;

/* ---- devices (tensor_device.c) ---- */

/* Registers the backend of a device other than the CPU: a device library
 * (libgalley-cuda) calls it from a constructor, so that libgalley itself
 * never links a device runtime. The first registered for a device wins. */
void galley__backend_register(const galley__backend *be);
/* The backend of device d, or NULL when none is registered (the CPU's is
 * always). */
const galley__backend *galley__backend_for(galley_device d);

/* The device new tensors are made on: the default device, or the one of
 * the innermost galley__device_begin (this thread). */
galley_device galley__make_device(void);
/* Between these, new tensors (galley_zeros and the other creation
 * functions, galley__new) are made on d: a backward pass runs inside them
 * with its node's device, so that the tensors it makes with creation
 * functions live beside the gradients. They nest. */
void galley__device_begin(galley_device d);
void galley__device_end(void);
/* "cpu" or "cuda": a device's name in messages. */
const char *galley__device_name(galley_device d);
/* 0 when a and b are on one device; else reports "op: A is on cuda, B is
 * on cpu; move one with galley_to_device" (an and bn name them) and
 * returns -1. Every op of several tensor inputs calls it, through
 * galley__check_arith, galley__check_same_dtype or directly. */
int galley__check_devices(const galley_tensor *a, const galley_tensor *b,
                          const char *op, const char *an, const char *bn);
/* 0 when t is on the CPU; else reports "op: not available on cuda; move
 * WHAT to the CPU with galley_to_device(WHAT, GALLEY_CPU)", returns -1. For
 * the ops that refuse devices (see galley_tensor(3), "Devices"). */
int galley__check_host(const galley_tensor *t, const char *op,
                       const char *what);
/* Staging an op through the host: t itself when it is on the CPU, else a
 * new contiguous CPU copy of it in the current scope (free it when it is
 * not t). */
galley_tensor *galley__on_host(const galley_tensor *t);
/* t moved, unrecorded, to like's device: t itself when it is there,
 * else a copy in the current scope (t is freed, as it is a temporary). */
galley_tensor *galley__follow(galley_tensor *t, const galley_tensor *like);
/* t, made on the host by creation function op (filled element by
 * element), moved to the device new tensors are made on: t itself when
 * that is the CPU, else a copy (t is freed). */
galley_tensor *galley__made(galley_tensor *t, const char *op);
/* galley__device_begin(GALLEY_CPU) and its end: the CPU code of a staged
 * op runs unchanged between them. */
void galley__host_begin(void);
void galley__host_end(void);
/* The device bytes still held (galley_cuda_memory_in_use) and, in
 * *first_op (when not NULL), the op that made the oldest live device
 * storage of this thread (NULL when none): for the end-of-test leak
 * check. */
size_t galley__device_leak(const char **first_op);
/* The simulated device (tensor_sim.c): its backend, registered by
 * galley__backend_for when GALLEY_CUDA_SIM=1 and no real CUDA backend
 * registered. */
extern const galley__backend galley__sim_backend;

/* ---- added by CORE ---- */
/* Takes t out of its scope so that another object owns it (an op's saved
 * tensor, optimizer state): freed with its owner or galley__free_owned.
 * Returns t. */
galley_tensor *galley__disown(galley_tensor *t);

/* ---- unrecorded building blocks (tensor_ops.c) ----
 * New tensors of the current scope computed by the kernels, with no checks
 * beyond broadcasting and no graph recorded; opname names the op in
 * errors. */
/* t as a new contiguous tensor of dtype (its own shape, cast as the
 * backend's copy casts), or NULL after a reported error. */
galley_tensor *galley__cast_new(const galley_tensor *t, galley_dtype dtype,
                                const char *opname);
/* Type promotion, as torch's and numpy's: one dtype gives itself, int64
 * with a float gives that float, float32 with float64 gives float64. */
galley_dtype galley__promote(galley_dtype a, galley_dtype b);
/* The dtype of an op on a and b, as torch's result_type: galley__promote
 * of their dtypes, but a 0-d operand does not raise the dtype of one with
 * dimensions within its category (float32 [n] with a float64 0-d stays
 * float32); a 0-d float with int64 [n] gives the 0-d's dtype. */
galley_dtype galley__result_type(const galley_tensor *a,
                                 const galley_tensor *b);
/* a OP b, broadcast, in galley__promote(a, b)'s dtype (an operand of
 * another dtype is cast first): binary ops written on it promote as
 * galley_add does. EQ and GT give 1 or 0 in that dtype. */
galley_tensor *galley__binary_new(galley__binop op, const galley_tensor *a,
                                  const galley_tensor *b, const char *opname);
galley_tensor *galley__unary_new(galley__unop op, const galley_tensor *a,
                                 double arg, const char *opname);
/* The common part of a differentiable unary op: checks (what names the
 * argument in messages: "a", "t"), the kernel, the record; arg is kept in
 * darg[0] for backward and graph printing. */
galley_tensor *galley__unary_op(galley__unop op, const galley__opdef *def,
                                galley_tensor *a, double arg, const char *what,
                                const char *opname);
/* Checks t for a reduction over axis (all axes when all), into *ax the
 * axis normalized (-1 for all); with nonempty (max, min, their args),
 * there must be elements to choose from. -1 after a reported error. */
int galley__reduce_check(galley_tensor *t, int all, int axis, int nonempty,
                         int *ax, const char *opname);
/* The opdef args function of an op whose argument is an axis (larg[0]):
 * "axis=A". */
void galley__axis_args(const galley_tensor *out, char *buf, size_t n);
/* The opdef args function of a reduction over one axis: "axis=A,
 * keepdim=K" from larg[0] and larg[1]. */
void galley__axis_keepdim_args(const galley_tensor *out, char *buf, size_t n);
/* The opdef args function of such an op: writes darg[0]. */
void galley__scalar_args(const galley_tensor *out, char *buf, size_t n);
/* The backward of an op whose result is its input reshaped (reshape,
 * unsqueeze, squeeze): the gradient reshaped back (tensor_view.c). */
void galley__reshape_backward(galley_tensor *out, galley_tensor *g);
/* Sum or max over axis (all axes when < 0; 0-d unless keepdim). */
galley_tensor *galley__reduce_new(galley__redop op, const galley_tensor *a,
                                  int axis, int keepdim, const char *opname);
/* t / d, a true division. */
galley_tensor *galley__div_scalar_new(const galley_tensor *t, double d,
                                      const char *opname);
/* 0 when a and b have one dtype; else reports it and returns -1. For the
 * ops that torch does not promote either (matmul); the elementwise ones
 * promote (galley__check_arith). */
int galley__check_same_dtype(const galley_tensor *a, const galley_tensor *b,
                             const char *opname);
/* The checks of an arithmetic binary op: 0 when a and b are live and
 * promote to a float dtype (int64 with int64 does not: the kernels of
 * arithmetic are floating); else reports which and returns -1. */
int galley__check_arith(const galley_tensor *a, const galley_tensor *b,
                        const char *opname);
/* Sets to 0 the elements of t where mask is not 0: torch's where(mask, 0,
 * t), which a product with a 0/1 mask is not where t holds inf or NaN (0 *
 * inf is NaN). t and mask are contiguous, of one shape and one floating
 * dtype; t is fresh (no view, no graph sees it). Runs on the host: a
 * device backend would need a kernel. */
void galley__zero_where(galley_tensor *t, const galley_tensor *mask);
/* A contiguous copy of g (any strides) with 0 where mask (g's shape and
 * dtype, contiguous) is 0, even where g is inf or NaN: the backward of a
 * select (max, min), as torch's, which a product with the mask is not. */
galley_tensor *galley__masked_grad(galley_tensor *g, const galley_tensor *mask);

/* Writes the shortest %g form of v that reads back as v (graph args), in
 * the C locale. */
void galley__format_double(double v, char *buf, size_t n);

/* The C locale, made once for the process (tensor_print.c), for uselocale
 * around number formatting: numbers print with a point whatever the
 * program's locale. (locale_t)0 when it cannot be made. */
locale_t galley__c_locale(void);

/* ---- shape ops (tensor_shape.c) ---- */

/* ---- elementwise (tensor_elem.c) ---- */

/* cond ? a : b elementwise, the three broadcast together, into a new
 * tensor of the current scope of a's dtype (b's must be the same); cond of
 * any dtype, true where nonzero (NaN too). The chosen elements are copied
 * bit for bit. Nothing recorded. */
galley_tensor *galley__where_new(const galley_tensor *cond,
                                 const galley_tensor *a,
                                 const galley_tensor *b, const char *opname);

/* ---- normalization, convolution (tensor_conv.c) ---- */

/* ---- in-place and io (tensor_io.c) ---- */

/* rng, or this thread's default generator when rng is NULL
 * (tensor_rng.c). */
galley_rng *galley__rng_default(galley_rng *rng);

#endif
