/* tensor_shape_test.c: the shape ops (cat, stack, split, chunk, gather,
 * index_select, embedding, unsqueeze, squeeze, permute, expand, flatten):
 * values, views, gradients, graphs and errors.
 *
 * Where the numbers come from: every value and gradient below was computed
 * by PyTorch 1.13 (float64, and float32 where said) on the same inputs,
 * written as the torch expression in the comment over each check. The
 * inputs are made by formulas that torch repeats exactly:
 *   iota(shape, a, b)  = torch.arange(n).reshape(shape) * a + b
 *   W(shape)           = ((torch.arange(n) * 7) % 11 - 5).reshape(shape)
 * and a gradient is that of loss = (f(x) * W(f(x).shape)).sum(), compared
 * with x.grad after loss.backward(). The gradchecks are galley's own. */
#include "tensor_check.h"
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

/* ---- helpers ---- */

/* show_digits with %g's 6 digits: the values, not galley's table layout,
 * are the point here. */
static void show(const char *what, galley_tensor *t)
{
    show_digits(what, t, 6, 6);
}

/* x's gradient, shown as "what.grad". */
static void show_grad(const char *what, galley_tensor *x)
{
    char name[64];
    snprintf(name, sizeof name, "%s.grad", what);
    if (galley_grad(x))
        show(name, galley_grad(x));
    else
        printf("%s: NULL\n", name);
}

/* torch.arange(n).reshape(shape) * a + b in dtype. */
static galley_tensor *iota(galley_dtype dtype, int ndim, const long *shape,
                           double a, double b)
{
    long n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    galley_tensor *r = galley_arange(GALLEY_F64, 0, (double)n, 1);
    r = galley_add_scalar(galley_mul_scalar(r, a), b);
    return galley_tensor_to(galley_reshape(r, ndim, shape), dtype);
}

/* iota as a parameter (float64). */
static galley_tensor *piota(int ndim, const long *shape, double a, double b)
{
    return galley_param(iota(GALLEY_F64, ndim, shape, a, b));
}

/* ((arange(n) * 7) % 11 - 5) in y's shape and dtype: fixed weights whose
 * products with y make a loss with a gradient of many values. */
static galley_tensor *W(const galley_tensor *y)
{
    long n = galley_numel(y);
    double v[64];
    for (long i = 0; i < n && i < 64; i++)
        v[i] = (double)((i * 7) % 11 - 5);
    galley_tensor *w = galley_from_f64(v, galley_ndim(y), galley_shape(y));
    return galley_tensor_to(w, galley_dtype_of(y));
}

/* loss = sum(y * W(y)), then its backward. */
static void backward_weighted(galley_tensor *y)
{
    galley_backward(galley_sum_all(galley_mul(y, W(y))));
}

/* Runs gradcheck with the default options; its report is the output. */
static void check(galley_gradcheck_cb fn, galley_tensor *const *in, int n,
                  void *ud)
{
    int failed = galley_gradcheck(fn, in, n, ud, NULL);
    if (failed)
        printf("returned %d\n", failed);
}

/* A float64 parameter of standard normal numbers. */
static galley_tensor *randn(galley_rng *rng, int ndim, const long *shape)
{
    return galley_param(galley_randn(rng, GALLEY_F64, ndim, shape));
}

/* ---- cat and stack ---- */

TEST(cat_of_four_tensors_its_gradient_and_graph)
{
    galley_tensor *a = piota(GALLEY_SHAPE(2, 3), 0.5, -1);
    galley_tensor *b = piota(GALLEY_SHAPE(2, 2), 1, 0.25);
    galley_tensor *c = piota(GALLEY_SHAPE(2, 1), -1, 0);
    galley_tensor *d = piota(GALLEY_SHAPE(2, 0), 1, 0);
    galley_set_name(a, "a");
    galley_set_name(b, "b");
    galley_set_name(c, "c");
    galley_set_name(d, "d");
    /* torch.cat([a, b, c, d], 1), then the gradients of the weighted sum. */
    galley_tensor *y = galley_cat((galley_tensor *[]){a, b, c, d}, 4, 1);
    show("cat axis 1", y);
    galley_print_graph(stdout, y);
    backward_weighted(y);
    show_grad("a", a);
    show_grad("b", b);
    show_grad("c", c);
    show_grad("d", d);
    /* torch.cat([a, iota([1, 3], 1, 10)], -2) */
    show("cat axis -2", galley_cat((galley_tensor *[]){
                                       a, iota(GALLEY_F64, GALLEY_SHAPE(1, 3),
                                               1, 10)}, 2, -2));
    /* One tensor: a copy. */
    show("cat of one", galley_cat(&c, 1, 0));
    EXPECT(/*
      cat axis 1: float64 [2, 6] = -1 -0.5 0 0.25 1.25 0 0.5 1 1.5 2.25 3.25 -1
      %0 = param "a" float64 [2, 3]
      %1 = param "b" float64 [2, 2]
      %2 = param "c" float64 [2, 1]
      %3 = param "d" float64 [2, 0]
      %4 = cat(%0, %1, %2, %3, axis=1) float64 [2, 6]
      a.grad: float64 [2, 3] = -5 2 -2 4 0 -4
      b.grad: float64 [2, 2] = 5 1 3 -1
      c.grad: float64 [2, 1] = -3 -5
      d.grad: float64 [2, 0] =
      cat axis -2: float64 [3, 3] = -1 -0.5 0 0.5 1 1.5 10 11 12
      cat of one: float64 [2, 1] = 0 -1
    */);
}

TEST(cat_and_stack_promote_dtypes)
{
    galley_tensor *f = galley_param(iota(GALLEY_F32, GALLEY_SHAPE(2), 0.5, 0));
    galley_tensor *g = galley_param(iota(GALLEY_F64, GALLEY_SHAPE(1), 1, 3));
    galley_tensor *i = iota(GALLEY_I64, GALLEY_SHAPE(2), 1, 7);
    /* torch.cat([f, g]) is float64; f's gradient is float32. */
    galley_tensor *y = galley_cat((galley_tensor *[]){f, g}, 2, 0);
    show("cat f32 f64", y);
    backward_weighted(y);
    show_grad("f", f);
    show_grad("g", g);
    /* torch.cat([i, f]) is float32; no gradient reaches i. */
    show("cat i64 f32", galley_cat((galley_tensor *[]){i, f}, 2, 0));
    show("stack i64 i64", galley_stack((galley_tensor *[]){i, i}, 2, 0));
    printf("requires grad: %d\n",
           galley_requires_grad(galley_cat((galley_tensor *[]){i, i}, 2, 0)));
    EXPECT(/*
      cat f32 f64: float64 [3] = 0 0.5 3
      f.grad: float32 [2] = -5 2
      g.grad: float64 [1] = -2
      cat i64 f32: float32 [4] = 7 8 0 0.5
      stack i64 i64: int64 [2, 2] = 7 8 7 8
      requires grad: 0
    */);
}

TEST(stack_on_each_axis_and_its_gradient)
{
    galley_tensor *a = piota(GALLEY_SHAPE(2, 3), 1, 0);
    galley_tensor *b = piota(GALLEY_SHAPE(2, 3), -0.5, 2);
    galley_tensor *c = piota(GALLEY_SHAPE(2, 3), 2, -3);
    galley_tensor *abc[] = {a, b, c};
    /* torch.stack([a, b, c], axis) */
    show("stack axis 0", galley_stack(abc, 3, 0));
    show("stack axis 1", galley_stack(abc, 3, 1));
    galley_tensor *y = galley_stack(abc, 3, -1);
    show("stack axis -1", y);
    galley_print_graph(stdout, y);
    backward_weighted(y);
    show_grad("a", a);
    show_grad("b", b);
    show_grad("c", c);
    /* torch.stack([tensor(1.5), tensor(-2.)]): 0-d tensors make a 1-d one. */
    galley_tensor *s = galley_scalar(GALLEY_F64, 1.5);
    galley_tensor *t = galley_scalar(GALLEY_F64, -2);
    show("stack 0-d", galley_stack((galley_tensor *[]){s, t}, 2, 0));
    EXPECT(/*
      stack axis 0: float64 [3, 2, 3] = 0 1 2 3 4 5 2 1.5 1 0.5 0 -0.5 -3 -1 1 3 5 7
      stack axis 1: float64 [2, 3, 3] = 0 1 2 2 1.5 1 -3 -1 1 3 4 5 0.5 0 -0.5 3 5 7
      stack axis -1: float64 [2, 3, 3] = 0 2 -3 1 1.5 -1 2 1 1 3 0.5 3 4 0 5 5 -0.5 7
      %0 = param float64 [2, 3]
      %1 = param float64 [2, 3]
      %2 = param float64 [2, 3]
      %3 = stack(%0, %1, %2, axis=2) float64 [2, 3, 3]
      a.grad: float64 [2, 3] = -5 5 4 3 2 1
      b.grad: float64 [2, 3] = 2 1 0 -1 -2 -3
      c.grad: float64 [2, 3] = -2 -3 -4 -5 5 4
      stack 0-d: float64 [2] = 1.5 -2
    */);
}

/* gradcheck's fn for cat (userdata: the axis). */
static galley_tensor *call_cat(galley_tensor *const *in, int n, void *ud)
{
    return galley_cat(in, n, *(int *)ud);
}

/* gradcheck's fn for stack (userdata: the axis). */
static galley_tensor *call_stack(galley_tensor *const *in, int n, void *ud)
{
    return galley_stack(in, n, *(int *)ud);
}

TEST(cat_and_stack_gradcheck)
{
    galley_rng rng;
    galley_rng_seed(&rng, 15, 1);
    galley_tensor *in[4] = {
        randn(&rng, GALLEY_SHAPE(2, 2)), randn(&rng, GALLEY_SHAPE(2, 1)),
        randn(&rng, GALLEY_SHAPE(2, 0)), randn(&rng, GALLEY_SHAPE(2, 3))};
    int axis = 1;
    printf("cat of 4, axis 1:\n");
    check(call_cat, in, 4, &axis);
    for (int i = 1; i < 4; i++)
        in[i] = randn(&rng, GALLEY_SHAPE(2, 2));
    axis = 2;
    printf("stack of 4, axis 2:\n");
    check(call_stack, in, 4, &axis);
    EXPECT_NEAR(.atol = 1e-6, /*
      cat of 4, axis 1:
      gradcheck: input 0 float64 [2, 2]: max abs err 2.9e-11 at [1, 0] of output [1, 0], max rel err 2.9e-11 at [1, 0] of output [1, 0]: ok
      gradcheck: input 1 float64 [2, 1]: max abs err 2.7e-11 at [0, 0] of output [0, 2], max rel err 2.7e-11 at [0, 0] of output [0, 2]: ok
      gradcheck: input 2 float64 [2, 0]: max abs err 0, max rel err 0: ok
      gradcheck: input 3 float64 [2, 3]: max abs err 2.9e-11 at [1, 0] of output [1, 3], max rel err 2.9e-11 at [1, 0] of output [1, 3]: ok
      gradcheck: passed
      stack of 4, axis 2:
      gradcheck: input 0 float64 [2, 2]: max abs err 2.9e-11 at [1, 0] of output [1, 0, 0], max rel err 2.9e-11 at [1, 0] of output [1, 0, 0]: ok
      gradcheck: input 1 float64 [2, 2]: max abs err 8.2e-11 at [0, 0] of output [0, 0, 1], max rel err 8.2e-11 at [0, 0] of output [0, 0, 1]: ok
      gradcheck: input 2 float64 [2, 2]: max abs err 8.2e-11 at [0, 0] of output [0, 0, 2], max rel err 8.2e-11 at [0, 0] of output [0, 0, 2]: ok
      gradcheck: input 3 float64 [2, 2]: max abs err 8.2e-11 at [0, 0] of output [0, 0, 3], max rel err 8.2e-11 at [0, 0] of output [0, 0, 3]: ok
      gradcheck: passed
    */);
}

/* ---- split and chunk ---- */

TEST(split_and_chunk_into_views)
{
    galley_tensor *t = iota(GALLEY_F64, GALLEY_SHAPE(5, 2), 1, 0);
    galley_tensor *p[8];
    /* torch.split(t, 2): [2, 2], [2, 2], [1, 2]. */
    int n = galley_split(t, 2, 0, p, 8);
    printf("split 2: %d pieces\n", n);
    for (int i = 0; i < n; i++)
        show("  piece", p[i]);
    /* The count alone, and a cap smaller than the count. */
    printf("count: %d\n", galley_split(t, 2, 0, NULL, 0));
    p[1] = NULL;
    printf("cap 1: %d, p[1] %s\n", galley_split(t, 4, 0, p, 1),
           p[1] ? "set" : "untouched");
    /* torch.split(t, [1, 4]) and torch.split(t, [2, 0, 3]) */
    n = galley_split_sizes(t, 2, (long[]){1, 4}, 0, p);
    printf("split [1, 4]: %d pieces\n", n);
    for (int i = 0; i < n; i++)
        show("  piece", p[i]);
    n = galley_split_sizes(t, 3, (long[]){2, 0, 3}, -2, p);
    printf("split [2, 0, 3]: %d pieces\n", n);
    for (int i = 0; i < n; i++)
        show("  piece", p[i]);
    /* torch.split(t, 1, 1) */
    n = galley_split(t, 1, 1, p, 8);
    printf("split 1 axis 1: %d pieces\n", n);
    for (int i = 0; i < n; i++)
        show("  piece", p[i]);
    /* The pieces are views: a change of t shows in them. */
    galley_tensor_set(t, GALLEY_AT(4, 1), 99);
    show("  piece 1 after t[4, 1] = 99", p[1]);
    EXPECT(/*
      split 2: 3 pieces
        piece: float64 [2, 2] = 0 1 2 3
        piece: float64 [2, 2] = 4 5 6 7
        piece: float64 [1, 2] = 8 9
      count: 3
      cap 1: 2, p[1] untouched
      split [1, 4]: 2 pieces
        piece: float64 [1, 2] = 0 1
        piece: float64 [4, 2] = 2 3 4 5 6 7 8 9
      split [2, 0, 3]: 3 pieces
        piece: float64 [2, 2] = 0 1 2 3
        piece: float64 [0, 2] =
        piece: float64 [3, 2] = 4 5 6 7 8 9
      split 1 axis 1: 2 pieces
        piece: float64 [5, 1] = 0 2 4 6 8
        piece: float64 [5, 1] = 1 3 5 7 9
        piece 1 after t[4, 1] = 99: float64 [5, 1] = 1 3 5 7 99
    */);
}

TEST(chunk_counts_follow_torch)
{
    galley_tensor *p[8];
    /* len(torch.zeros(n).chunk(c)) and the sizes of the pieces. */
    static const long cases[][2] = {{6, 4}, {5, 3}, {2, 5}, {6, 3}, {7, 1},
                                    {0, 3}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        galley_tensor *t = galley_zeros(GALLEY_F32,
                                        GALLEY_SHAPE(2, cases[k][0]));
        int n = galley_chunk(t, (int)cases[k][1], 1, p, 8);
        printf("%ld in %ld chunks: %d:", cases[k][0], cases[k][1], n);
        for (int i = 0; i < n; i++)
            printf(" %ld", galley_dim(p[i], 1));
        printf("\n");
    }
    /* torch.zeros(0, 2).split(2): one empty piece; split size 0 too. */
    galley_tensor *e = galley_zeros(GALLEY_F32, GALLEY_SHAPE(0, 2));
    printf("split empty: %d, size 0: %d\n", galley_split(e, 2, 0, p, 8),
           galley_split(e, 0, 0, p, 8));
    /* len(torch.zeros(3).split(2**63 - 1)) */
    printf("split huge: %d\n", galley_split(galley_zeros(GALLEY_F32,
                                                          GALLEY_SHAPE(3)),
                                             LONG_MAX, 0, p, 8));
    EXPECT(/*
      6 in 4 chunks: 3: 2 2 2
      5 in 3 chunks: 3: 2 2 1
      2 in 5 chunks: 2: 1 1
      6 in 3 chunks: 3: 2 2 2
      7 in 1 chunks: 1: 7
      0 in 3 chunks: 3: 0 0 0
      split empty: 1, size 0: 1
      split huge: 1
    */);
}

/* The pieces of split 2 along axis 0 joined again in reverse order. */
static galley_tensor *call_split_cat(galley_tensor *const *in, int n,
                                     void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *p[3];
    galley_split(in[0], 2, 0, p, 3);
    return galley_cat((galley_tensor *[]){p[2], p[1], p[0]}, 3, 0);
}

/* The chunks of in[0] along axis 1, each times a weight of its own. */
static galley_tensor *call_chunk(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *p[2];
    galley_chunk(in[0], 2, 1, p, 2);
    return galley_sub(galley_mul_scalar(p[0], 3), p[1]);
}

TEST(split_and_chunk_gradients)
{
    /* x = iota([5, 2], 0.5, -1); a, b = x.chunk(2, 1);
     * loss = (a * W(a)).sum() + (3 * b * W(b)).sum() */
    galley_tensor *x = piota(GALLEY_SHAPE(5, 2), 0.5, -1);
    galley_tensor *p[2];
    galley_chunk(x, 2, 1, p, 2);
    galley_tensor *wa = galley_mul(p[0], W(p[0]));
    galley_tensor *wb = galley_mul(galley_mul_scalar(p[1], 3), W(p[1]));
    galley_backward(galley_add(galley_sum_all(wa), galley_sum_all(wb)));
    show_grad("x", x);
    galley_rng rng;
    galley_rng_seed(&rng, 15, 2);
    galley_tensor *r = randn(&rng, GALLEY_SHAPE(5, 2));
    printf("split then cat:\n");
    check(call_split_cat, &r, 1, NULL);
    printf("chunk:\n");
    r = randn(&rng, GALLEY_SHAPE(2, 4));
    check(call_chunk, &r, 1, NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      x.grad: float64 [5, 2] = -5 -15 2 6 -2 -6 5 15 1 3
      split then cat:
      gradcheck: input 0 float64 [5, 2]: max abs err 1.4e-10 at [2, 0] of output [1, 0], max rel err 1.4e-10 at [2, 0] of output [1, 0]: ok
      gradcheck: passed
      chunk:
      gradcheck: input 0 float64 [2, 4]: max abs err 4.7e-10 at [1, 1] of output [1, 1], max rel err 1.6e-10 at [1, 1] of output [1, 1]: ok
      gradcheck: passed
    */);
}

/* ---- gather, index_select, embedding ---- */

/* An int64 tensor of the values given. */
static galley_tensor *ids(const int64_t *v, int ndim, const long *shape)
{
    return galley_from_i64(v, ndim, shape);
}

TEST(gather_values_and_gradients)
{
    galley_tensor *t = piota(GALLEY_SHAPE(3, 4), 0.5, -1);
    /* torch.gather(t, 0, i0), i0 = [[0, 2, 2, 1], [2, 0, 0, 0]]: repeats. */
    galley_tensor *i0 = ids((int64_t[]){0, 2, 2, 1, 2, 0, 0, 0},
                            GALLEY_SHAPE(2, 4));
    galley_tensor *y = galley_gather(t, 0, i0);
    show("gather axis 0", y);
    backward_weighted(y);
    show_grad("t", t);
    galley_zero_grad(t);
    /* torch.gather(t, -1, i1), i1 = [[3, 3], [0, 1], [2, 2]]: an index
     * smaller than t on the other axis too ([2, 2] of [3, 4]). */
    galley_tensor *i1 = ids((int64_t[]){3, 3, 0, 1, 2, 2}, GALLEY_SHAPE(3, 2));
    y = galley_gather(t, -1, i1);
    show("gather axis -1", y);
    backward_weighted(y);
    show_grad("t", t);
    galley_tensor *i2 = ids((int64_t[]){1, 0, 3, 3}, GALLEY_SHAPE(2, 2));
    show("gather [2, 2] axis 1", galley_gather(t, 1, i2));
    /* Of a transposed view, of int64, and an empty index. */
    show("gather of t.T axis 1",
         galley_gather(galley_transpose(t, 0, 1), 1,
                       ids((int64_t[]){2, 0, 1, 1}, GALLEY_SHAPE(4, 1))));
    show("gather int64",
         galley_gather(iota(GALLEY_I64, GALLEY_SHAPE(4), 3, 1), 0,
                       ids((int64_t[]){3, 0}, GALLEY_SHAPE(2))));
    galley_tensor *none = galley_zeros(GALLEY_I64, GALLEY_SHAPE(0, 4));
    show("gather empty", galley_gather(t, 0, none));
    EXPECT(/*
      gather axis 0: float64 [2, 4] = -1 3.5 4 2.5 3 -0.5 0 0.5
      t.grad: float64 [3, 4] = -5 -3 4 0 0 0 0 5 1 2 -2 0
      gather axis -1: float64 [3, 2] = 0.5 0.5 1 1.5 4 4
      t.grad: float64 [3, 4] = 0 0 0 -3 -2 5 0 0 0 0 -2 0
      gather [2, 2] axis 1: float64 [2, 2] = -0.5 -1 2.5 2.5
      gather of t.T axis 1: float64 [4, 1] = 3 -0.5 2 2.5
      gather int64: int64 [2] = 10 1
      gather empty: float64 [0, 4] =
    */);
}

TEST(index_select_values_and_gradients)
{
    galley_tensor *t = piota(GALLEY_SHAPE(3, 4), 1, -5);
    /* torch.index_select(t, 1, [3, 0, 3]) */
    galley_tensor *y = galley_index_select(
        t, 1, ids((int64_t[]){3, 0, 3}, GALLEY_SHAPE(3)));
    show("index_select axis 1", y);
    backward_weighted(y);
    show_grad("t", t);
    galley_zero_grad(t);
    /* torch.index_select(t, 0, [2, 2, 0, 1]) */
    galley_tensor *i0 = ids((int64_t[]){2, 2, 0, 1}, GALLEY_SHAPE(4));
    y = galley_index_select(t, 0, i0);
    show("index_select axis 0", y);
    backward_weighted(y);
    show_grad("t", t);
    /* torch.index_select(t, 0, tensor(1)): a 0-d index keeps the axis. */
    show("index_select 0-d",
         galley_index_select(t, 0, ids((int64_t[]){1}, GALLEY_SHAPE())));
    show("index_select empty",
         galley_index_select(t, 1, galley_zeros(GALLEY_I64, GALLEY_SHAPE(0))));
    EXPECT(/*
      index_select axis 1: float64 [3, 3] = -2 -5 -2 2 -1 2 6 3 6
      t.grad: float64 [3, 4] = 2 0 0 -7 1 0 0 2 0 0 0 0
      index_select axis 0: float64 [4, 4] = 3 4 5 6 3 4 5 6 -5 -4 -3 -2 -1 0 1 2
      t.grad: float64 [3, 4] = -4 3 -1 -5 2 -2 5 1 -4 -1 2 5
      index_select 0-d: float64 [1, 4] = -1 0 1 2
      index_select empty: float64 [3, 0] =
    */);
}

TEST(embedding_values_and_gradients)
{
    galley_tensor *w = galley_set_name(piota(GALLEY_SHAPE(5, 3), 0.25, -1),
                                       "w");
    /* torch.nn.functional.embedding(ids, w), ids = [[1, 4, 1], [0, 1, 2]] */
    galley_tensor *i = galley_set_name(
        ids((int64_t[]){1, 4, 1, 0, 1, 2}, GALLEY_SHAPE(2, 3)), "ids");
    galley_tensor *y = galley_embedding(w, i);
    show("embedding", y);
    galley_print_graph(stdout, y);
    backward_weighted(y);
    show_grad("w", w);
    /* A 0-d id gives a row; ids of a transposed view; float32. */
    show("embedding 0-d",
         galley_embedding(w, ids((int64_t[]){3}, GALLEY_SHAPE())));
    show("embedding of ids.T", galley_embedding(w, galley_transpose(i, 0, 1)));
    /* Rows that are not contiguous: F.embedding(ids, v.T), v = iota([3, 5],
     * 1, 0), and v's gradient. */
    galley_tensor *v = piota(GALLEY_SHAPE(3, 5), 1, 0);
    y = galley_embedding(galley_transpose(v, 0, 1), i);
    show("embedding of v.T", y);
    backward_weighted(y);
    show_grad("v", v);
    show("embedding f32", galley_embedding(
                              iota(GALLEY_F32, GALLEY_SHAPE(2, 2), 0.5, 0),
                              ids((int64_t[]){1, 1, 0}, GALLEY_SHAPE(3))));
    EXPECT(/*
      embedding: float64 [2, 3, 3] = -0.25 0 0.25 2 2.25 2.5 -0.25 0 0.25 -1 -0.75 -0.5 -0.25 0 0.25 0.5 0.75 1
      %0 = param "w" float64 [5, 3]
      %1 = const "ids" int64 [2, 3]
      %2 = embedding(%0, %1) float64 [2, 3, 3]
      w.grad: float64 [5, 3] = 3 -1 -5 1 0 -1 1 -3 4 0 0 0 5 1 -3
      embedding 0-d: float64 [3] = 1.25 1.5 1.75
      embedding of ids.T: float64 [3, 2, 3] = -0.25 0 0.25 -1 -0.75 -0.5 2 2.25 2.5 -0.25 0 0.25 -0.25 0 0.25 0.5 0.75 1
      embedding of v.T: float64 [2, 3, 3] = 1 6 11 4 9 14 1 6 11 0 5 10 1 6 11 2 7 12
      v.grad: float64 [3, 5] = 3 1 1 0 5 -1 0 -3 0 1 -5 -1 4 0 -3
      embedding f32: float32 [3, 2] = 1 1.5 1 1.5 0 0.5
    */);
}

/* gather along axis 1 with a fixed index of repeats (userdata). */
static galley_tensor *call_gather(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return galley_gather(in[0], 1, ud);
}

static galley_tensor *call_index_select(galley_tensor *const *in, int n,
                                        void *ud)
{
    (void)n;
    return galley_index_select(in[0], 0, ud);
}

static galley_tensor *call_embedding(galley_tensor *const *in, int n,
                                     void *ud)
{
    (void)n;
    return galley_embedding(in[0], ud);
}

TEST(gather_index_select_embedding_gradcheck)
{
    galley_rng rng;
    galley_rng_seed(&rng, 15, 3);
    galley_tensor *x = randn(&rng, GALLEY_SHAPE(3, 4));
    printf("gather:\n");
    check(call_gather, &x, 1,
          ids((int64_t[]){3, 3, 0, 1, 1, 2, 0, 0, 0}, GALLEY_SHAPE(3, 3)));
    printf("index_select:\n");
    check(call_index_select, &x, 1,
          ids((int64_t[]){2, 0, 2, 2}, GALLEY_SHAPE(4)));
    printf("embedding:\n");
    check(call_embedding, &x, 1,
          ids((int64_t[]){1, 0, 1, 1, 2, 1}, GALLEY_SHAPE(2, 1, 3)));
    EXPECT_NEAR(.atol = 1e-6, /*
      gather:
      gradcheck: input 0 float64 [3, 4]: max abs err 8.2e-11 at [2, 0] of output [2, 0], max rel err 8.2e-11 at [2, 0] of output [2, 0]: ok
      gradcheck: passed
      index_select:
      gradcheck: input 0 float64 [3, 4]: max abs err 8.2e-11 at [2, 0] of output [0, 0], max rel err 8.2e-11 at [2, 0] of output [0, 0]: ok
      gradcheck: passed
      embedding:
      gradcheck: input 0 float64 [3, 4]: max abs err 8.2e-11 at [1, 0] of output [0, 0, 0, 0], max rel err 8.2e-11 at [1, 0] of output [0, 0, 0, 0]: ok
      gradcheck: passed
    */);
}

/* ---- unsqueeze, squeeze, permute, expand, flatten ---- */

/* Prints t's shape and whether it shares base's storage (a write into base
 * shows in t). */
static void show_view(const char *what, galley_tensor *base, galley_tensor *t)
{
    galley_tensor *before = galley_clone(t);
    galley_tensor *flat = galley_reshape(base, GALLEY_SHAPE(-1));
    double old = galley_tensor_get(flat, GALLEY_AT(0));
    galley_tensor_set(flat, GALLEY_AT(0), 1000);
    galley_tensor *d = galley_sub(t, before);
    galley_tensor_set(flat, GALLEY_AT(0), old);
    printf("%s: [", what);
    for (int i = 0; i < galley_ndim(t); i++)
        printf(i ? ", %ld" : "%ld", galley_dim(t, i));
    printf("] %s\n", galley_numel(t) == 0 ? "(empty)"
                     : galley_item(galley_max_all(galley_mul(d, d))) > 0
                         ? "view" : "copy");
}

TEST(unsqueeze_squeeze_permute_expand_flatten_shapes_and_views)
{
    galley_tensor *t = iota(GALLEY_F64, GALLEY_SHAPE(2, 1, 3), 1, 0);
    /* t.unsqueeze(a).shape for a = 0, 3, -1, -4 */
    show_view("unsqueeze 0", t, galley_unsqueeze(t, 0));
    show_view("unsqueeze 3", t, galley_unsqueeze(t, 3));
    show_view("unsqueeze -1", t, galley_unsqueeze(t, -1));
    show_view("unsqueeze -4", t, galley_unsqueeze(t, -4));
    show_view("unsqueeze of 0-d", t, galley_unsqueeze(galley_select(
                                         galley_reshape(t, GALLEY_SHAPE(-1)),
                                         0, 0), 0));
    /* t.squeeze(1), t.squeeze(0) (size 2: unchanged), t.squeeze() */
    show_view("squeeze 1", t, galley_squeeze(t, 1));
    show_view("squeeze 0", t, galley_squeeze(t, 0));
    show_view("squeeze all", t, galley_squeeze_all(t));
    show_view("squeeze all of [1, 1, 3]", t, galley_squeeze_all(
                                           galley_slice(t, 0, 0, 1, 1)));
    /* t.permute(2, 0, 1) and its values */
    galley_tensor *p = galley_permute(t, GALLEY_SHAPE(2, 0, 1));
    show_view("permute [2, 0, 1]", t, p);
    show("permute [2, 0, 1]", p);
    show("permute [-1, 1, 0]", galley_permute(t, GALLEY_SHAPE(-1, 1, 0)));
    /* t.expand(4, 2, 5, 3) and t.expand(-1, 2, -1) */
    galley_tensor *e = galley_expand(t, GALLEY_SHAPE(4, 2, 5, 3));
    show_view("expand [4, 2, 5, 3]", t, e);
    show("expand [-1, 2, -1]", galley_expand(t, GALLEY_SHAPE(-1, 2, -1)));
    show_view("expand [2, 0, 3]", t, galley_expand(t, GALLEY_SHAPE(2, 0, 3)));
    /* t.flatten(), t.flatten(1), t.flatten(0, 1), of a 0-d tensor; of a
     * permuted (not contiguous) view a copy, as torch's reshape */
    show_view("flatten", t, galley_flatten(t, 0, -1));
    show_view("flatten 1", t, galley_flatten(t, 1, -1));
    show_view("flatten 0, 1", t, galley_flatten(t, 0, 1));
    show_view("flatten 2, 2", t, galley_flatten(t, 2, 2));
    show("flatten 0-d", galley_flatten(galley_scalar(GALLEY_F32, 4), 0, -1));
    show_view("flatten of permuted", t, galley_flatten(p, 0, -1));
    show("flatten of permuted", galley_flatten(p, 0, -1));
    EXPECT(/*
      unsqueeze 0: [1, 2, 1, 3] view
      unsqueeze 3: [2, 1, 3, 1] view
      unsqueeze -1: [2, 1, 3, 1] view
      unsqueeze -4: [1, 2, 1, 3] view
      unsqueeze of 0-d: [1] view
      squeeze 1: [2, 3] view
      squeeze 0: [2, 1, 3] view
      squeeze all: [2, 3] view
      squeeze all of [1, 1, 3]: [3] view
      permute [2, 0, 1]: [3, 2, 1] view
      permute [2, 0, 1]: float64 [3, 2, 1] = 0 3 1 4 2 5
      permute [-1, 1, 0]: float64 [3, 1, 2] = 0 3 1 4 2 5
      expand [4, 2, 5, 3]: [4, 2, 5, 3] view
      expand [-1, 2, -1]: float64 [2, 2, 3] = 0 1 2 0 1 2 3 4 5 3 4 5
      expand [2, 0, 3]: [2, 0, 3] (empty)
      flatten: [6] view
      flatten 1: [2, 3] view
      flatten 0, 1: [2, 3] view
      flatten 2, 2: [2, 1, 3] view
      flatten 0-d: float32 [1] = 4
      flatten of permuted: [6] copy
      flatten of permuted: float64 [6] = 0 3 1 4 2 5
    */);
}

TEST(unsqueeze_squeeze_permute_expand_flatten_gradients)
{
    galley_tensor *x = piota(GALLEY_SHAPE(3, 1), 0.5, -1);
    galley_set_name(x, "x");
    /* y = x.unsqueeze(0).permute(2, 1, 0).expand(2, 3, 4).flatten(1)
     *      .squeeze(): all the view ops in one chain, its graph and x.grad */
    galley_tensor *y = galley_unsqueeze(x, 0);
    y = galley_permute(y, GALLEY_SHAPE(2, 1, 0));
    y = galley_expand(y, GALLEY_SHAPE(2, 3, 4));
    y = galley_flatten(y, 1, -1);
    y = galley_squeeze(galley_unsqueeze(y, 1), 1);
    y = galley_squeeze_all(galley_unsqueeze(y, -1));
    show("chain", y);
    galley_print_graph(stdout, y);
    backward_weighted(y);
    show_grad("x", x);
    /* torch.flatten of a transposed view (a copy) */
    galley_tensor *z = galley_set_name(piota(GALLEY_SHAPE(2, 3), 1, 1), "z");
    galley_tensor *f = galley_flatten(galley_transpose(z, 0, 1), 0, 1);
    backward_weighted(f);
    show_grad("z", z);
    EXPECT(/*
      chain: float64 [2, 12] = -1 -1 -1 -1 -0.5 -0.5 -0.5 -0.5 0 0 0 0 -1 -1 -1 -1 -0.5 -0.5 -0.5 -0.5 0 0 0 0
      %0 = param "x" float64 [3, 1]
      %1 = unsqueeze(%0, axis=0) float64 [1, 3, 1]
      %2 = permute(%1, [2, 1, 0]) float64 [1, 3, 1]
      %3 = expand(%2, [2, 3, 4]) float64 [2, 3, 4]
      %4 = reshape(%3, [2, 12]) float64 [2, 12]
      %5 = unsqueeze(%4, axis=1) float64 [2, 1, 12]
      %6 = squeeze(%5, axis=1) float64 [2, 12]
      %7 = unsqueeze(%6, axis=2) float64 [2, 12, 1]
      %8 = squeeze(%7) float64 [2, 12]
      x.grad: float64 [3, 1] = 6 -1 -8
      z.grad: float64 [2, 3] = -5 -2 1 2 5 -3
    */);
}

/* The view ops in one function of in[0] [2, 3]. */
static galley_tensor *call_views(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *y = galley_unsqueeze(in[0], 1);                /* [2,1,3] */
    y = galley_expand(y, GALLEY_SHAPE(4, 2, 2, 3));           /* [4,2,2,3] */
    y = galley_permute(y, GALLEY_SHAPE(3, 1, 0, 2));          /* [3,2,4,2] */
    y = galley_flatten(y, 1, 2);                                /* [3,8,2] */
    return galley_mul(y, W(y));
}

/* squeeze of in[0] [1, 3, 1] times weights. */
static galley_tensor *call_squeeze(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *y = galley_squeeze(galley_squeeze_all(in[0]), 0);
    return galley_mul(y, W(y));
}

TEST(view_ops_gradcheck)
{
    galley_rng rng;
    galley_rng_seed(&rng, 15, 4);
    galley_tensor *x = randn(&rng, GALLEY_SHAPE(2, 3));
    printf("unsqueeze, expand, permute, flatten:\n");
    check(call_views, &x, 1, NULL);
    x = randn(&rng, GALLEY_SHAPE(1, 3, 1));
    printf("squeeze:\n");
    check(call_squeeze, &x, 1, NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      unsqueeze, expand, permute, flatten:
      gradcheck: input 0 float64 [2, 3]: max abs err 7e-10 at [0, 0] of output [0, 0, 0], max rel err 1.6e-10 at [0, 2] of output [2, 3, 0]: ok
      gradcheck: passed
      squeeze:
      gradcheck: input 0 float64 [1, 3, 1]: max abs err 2.5e-10 at [0, 0, 0] of output [0], max rel err 8.2e-11 at [0, 2, 0] of output [2]: ok
      gradcheck: passed
    */);
}

/* ---- autodiff with many inputs ---- */

TEST(cat_of_many_inputs_checks_each_before_backward)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *x[5];
    for (int i = 0; i < 5; i++)
        x[i] = piota(GALLEY_SHAPE(1, 2), 1, i);
    /* Input 4 freed, input 3 changed in place: both found, by number. */
    galley_tensor *loss = galley_sum_all(galley_cat(x, 5, 0));
    galley_tensor_free(x[4]);
    galley_backward(loss);
    x[4] = piota(GALLEY_SHAPE(1, 2), 1, 4);
    loss = galley_sum_all(galley_cat(x, 5, 0));
    galley_tensor_set(x[3], GALLEY_AT(0, 0), 7);
    galley_backward(loss);
    printf("x[0].grad: %s\n", galley_grad(x[0]) ? "set" : "NULL");
    /* gather reads its index again in backward: a change of the index
     * after the forward is refused too. */
    galley_tensor *t = piota(GALLEY_SHAPE(3), 1, 0);
    galley_tensor *i = ids((int64_t[]){2, 0}, GALLEY_SHAPE(2));
    loss = galley_sum_all(galley_gather(t, 0, i));
    galley_tensor_set(i, GALLEY_AT(0), 1);
    galley_backward(loss);
    /* Twice through a stack of 5: the gradients add up. */
    loss = galley_sum_all(galley_stack(x, 5, 1));
    galley_backward(loss);
    galley_backward(loss);
    show_grad("x[0]", x[0]);
    show_grad("x[4]", x[4]);
    EXPECT(/*
      error: galley_backward: input 4 of cat (float64 [5, 2]) was freed before backward; keep it alive (galley_tensor_keep) or end the scope after backward
      error: galley_backward: input 3 of cat (float64 [5, 2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      x[0].grad: NULL
      error: galley_backward: input 1 of gather (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      x[0].grad: float64 [1, 2] = 2 2
      x[4].grad: float64 [1, 2] = 2 2
    */);
}

TEST(graphs_of_many_inputs_free_what_they_hold)
{
    size_t tensors = galley_live_tensors(), bytes = galley_live_bytes();
    galley_scope *s = galley_scope_begin();
    galley_tensor *x[7];
    for (int i = 0; i < 7; i++)
        x[i] = piota(GALLEY_SHAPE(2), 1, i);
    for (int k = 0; k < 3; k++) {
        galley_tensor *y = galley_cat(x, 7, 0);
        galley_tensor *z = galley_stack(x, 7 - k, 0);
        galley_backward(galley_add(galley_sum_all(y), galley_sum_all(z)));
    }
    show_grad("x[6]", x[6]);
    /* A freed node's header is reused by tensors of few inputs. */
    galley_tensor_free(galley_cat(x, 7, 0));
    galley_tensor *e = galley_exp(x[0]);
    galley_backward(galley_sum_all(e));
    galley_scope_end(s);
    printf("live tensors: %+ld, bytes: %+ld\n",
           (long)(galley_live_tensors() - tensors),
           (long)(galley_live_bytes() - bytes));
    EXPECT(/*
      x[6].grad: float64 [2] = 4 4
      live tensors: +0, bytes: +0
    */);
}

/* ---- errors ---- */

TEST(errors_of_cat_stack_split_chunk)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *a = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3));
    galley_tensor *b = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 4));
    galley_tensor *c = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2));
    galley_tensor *s = galley_scalar(GALLEY_F32, 1);
    galley_tensor *dead = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3));
    galley_tensor_free(dead);
    got(galley_cat(NULL, 2, 0));
    got(galley_cat((galley_tensor *[]){a}, 0, 0));
    got(galley_cat((galley_tensor *[]){a, a, NULL}, 3, 0));
    got(galley_cat((galley_tensor *[]){a, dead}, 2, 0));
    got(galley_cat((galley_tensor *[]){s, s}, 2, 0));
    got(galley_cat((galley_tensor *[]){a, b}, 2, 2));
    got(galley_cat((galley_tensor *[]){a, a, b}, 3, 0));
    got(galley_cat((galley_tensor *[]){a, c}, 2, 1));
    got(galley_stack((galley_tensor *[]){a, b}, 2, 0));
    got(galley_stack((galley_tensor *[]){a, a}, 2, 3));
    got(galley_stack((galley_tensor *[]){a, a}, 2, -4));
    galley_tensor *p[4];
    printf("%d\n", galley_split(a, 0, 1, p, 4));
    printf("%d\n", galley_split(a, -2, 1, p, 4));
    printf("%d\n", galley_split(a, 2, 2, p, 4));
    printf("%d\n", galley_split(a, 2, 1, NULL, 4));
    printf("%d\n", galley_chunk(a, 2, 1, p, -1));
    printf("%d\n", galley_split_sizes(a, 2, (long[]){1, 1}, 1, p));
    printf("%d\n", galley_split_sizes(a, 2, (long[]){1, 3}, 1, p));
    printf("%d\n", galley_split_sizes(a, 2, (long[]){4, -1}, 1, p));
    printf("%d\n", galley_split_sizes(a, 0, (long[]){3}, 1, p));
    printf("%d\n", galley_chunk(a, 0, 1, p, 4));
    printf("%d\n", galley_chunk(s, 2, 0, p, 4));
    EXPECT(/*
      error: galley_cat: tensors is NULL; it needs at least one tensor
      error: galley_cat: n is less than 1; it needs at least one tensor
      error: galley_cat: input tensors[2] is NULL
      error: galley_cat: input tensors[1] was freed (by galley_tensor_free or the end of its scope)
      error: galley_cat: tensors[0] float32 [] is 0-d; cat joins along an axis (galley_stack makes a new one)
      error: galley_cat: axis 2 out of range for a tensor of 2 dimensions
      error: galley_cat: tensors[2] float32 [2, 4] does not match tensors[0] float32 [2, 3] on axis 1 (only axis 0, the axis joined, may differ)
      error: galley_cat: tensors[1] float32 [2] has 1 dimensions; tensors[0] float32 [2, 3] has 2
      error: galley_stack: tensors[1] float32 [2, 4] does not have the shape of tensors[0] float32 [2, 3] (they differ on axis 1)
      error: galley_stack: axis 3 out of range for tensors float32 [2, 3]: a new axis goes from -3 to 2
      error: galley_stack: axis -4 out of range for tensors float32 [2, 3]: a new axis goes from -3 to 2
      error: galley_split: size 0 for axis 1 of float32 [2, 3]; it must be at least 1 (0 only on an axis of size 0)
      -1
      error: galley_split: size -2 for axis 1 of float32 [2, 3]; it must be at least 1 (0 only on an axis of size 0)
      -1
      error: galley_split: axis 2 out of range for a tensor of 2 dimensions
      -1
      error: galley_split: out is NULL with cap 4
      -1
      error: galley_chunk: cap is -1; it must be at least 0
      -1
      error: galley_split_sizes: the 2 sizes add up to 2, not 3, the size of axis 1 of float32 [2, 3]
      -1
      error: galley_split_sizes: the 2 sizes add up to more than 3, the size of axis 1 of float32 [2, 3]
      -1
      error: galley_split_sizes: sizes[1] is -1; sizes must be at least 0
      -1
      error: galley_split_sizes: n is 0; it needs at least one size
      -1
      error: galley_chunk: chunks is 0; it must be at least 1
      -1
      error: galley_chunk: axis 0 out of range for a tensor of 0 dimensions
      -1
    */);
}

TEST(errors_of_gather_index_select_embedding)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *t = galley_zeros(GALLEY_F32, GALLEY_SHAPE(3, 4));
    galley_tensor *f = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 2));
    got(galley_gather(t, 0, f));
    got(galley_gather(t, 0, NULL));
    got(galley_gather(t, 2, ids((int64_t[]){0}, GALLEY_SHAPE(1, 1))));
    got(galley_gather(t, 0, ids((int64_t[]){0, 1}, GALLEY_SHAPE(2))));
    got(galley_gather(t, 0, ids((int64_t[]){0, 1, 2, 0, 1},
                                GALLEY_SHAPE(1, 5))));
    got(galley_gather(t, 0, ids((int64_t[]){0, 1, 2, 3}, GALLEY_SHAPE(2, 2))));
    got(galley_gather(t, 1, ids((int64_t[]){0, -1}, GALLEY_SHAPE(1, 2))));
    got(galley_index_select(t, 0, f));
    got(galley_index_select(t, 0, ids((int64_t[]){0, 1}, GALLEY_SHAPE(1, 2))));
    got(galley_index_select(t, 1, ids((int64_t[]){0, 4, 1}, GALLEY_SHAPE(3))));
    got(galley_index_select(t, -3, ids((int64_t[]){0}, GALLEY_SHAPE(1))));
    got(galley_embedding(galley_zeros(GALLEY_F32, GALLEY_SHAPE(10)),
                         ids((int64_t[]){0}, GALLEY_SHAPE(1))));
    got(galley_embedding(t, f));
    got(galley_embedding(t, ids((int64_t[]){0, 2, 1, 3}, GALLEY_SHAPE(2, 2))));
    got(galley_embedding(t, galley_zeros(GALLEY_I64, GALLEY_SHAPE(
                                                         1, 1, 1, 1, 1, 1, 1, 1))));
    got(galley_embedding(NULL, f));
    EXPECT(/*
      error: galley_gather: index is float32 [2, 2]; it must be int64 (cast with galley_tensor_to)
      error: galley_gather: input index is NULL
      error: galley_gather: axis 2 out of range for a tensor of 2 dimensions
      error: galley_gather: index int64 [2] has 1 dimensions, t float32 [3, 4] has 2; gather needs as many
      error: galley_gather: index int64 [1, 5] is larger than t float32 [3, 4] on axis 1 (only axis 0, the one gathered along, may be)
      error: galley_gather: index 3 at [1, 1] is out of range for axis 0 of t float32 [3, 4]: values must be in [0, 3)
      error: galley_gather: index -1 at [0, 1] is out of range for axis 1 of t float32 [3, 4]: values must be in [0, 4)
      error: galley_index_select: index is float32 [2, 2]; it must be int64 (cast with galley_tensor_to)
      error: galley_index_select: index int64 [1, 2] must be 1-d (or 0-d)
      error: galley_index_select: index 4 at [1] is out of range for axis 1 of t float32 [3, 4]: values must be in [0, 4)
      error: galley_index_select: axis -3 out of range for a tensor of 2 dimensions
      error: galley_embedding: weight float32 [10] must be [V, D]: a row of D numbers for each of V ids
      error: galley_embedding: ids is float32 [2, 2]; it must be int64 (cast with galley_tensor_to)
      error: galley_embedding: id 3 at [1, 1] is out of range for weight float32 [3, 4]: ids must be in [0, V) = [0, 3)
      error: galley_embedding: ids int64 [1, 1, 1, 1, 1, 1, 1, 1] has 8 dimensions; the result would have one more than the 8 a tensor has
      error: galley_embedding: input weight is NULL
    */);
}

TEST(errors_of_unsqueeze_squeeze_permute_expand_flatten)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *t = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 1, 3));
    got(galley_unsqueeze(t, 4));
    got(galley_unsqueeze(t, -5));
    got(galley_unsqueeze(galley_zeros(GALLEY_F64, GALLEY_SHAPE(
                                                      1, 1, 1, 1, 1, 1, 1, 1)),
                         0));
    got(galley_squeeze(t, 3));
    got(galley_squeeze(galley_scalar(GALLEY_F64, 1), 1));
    got(galley_squeeze_all(NULL));
    got(galley_permute(t, GALLEY_SHAPE(1, 0)));
    got(galley_permute(t, GALLEY_SHAPE(0, 2, 0)));
    got(galley_permute(t, GALLEY_SHAPE(0, 1, -1, 2)));
    got(galley_permute(t, GALLEY_SHAPE(0, 3, 1)));
    got(galley_permute(t, GALLEY_SHAPE(2, -1, 0)));
    got(galley_expand(t, GALLEY_SHAPE(4, 3)));
    got(galley_expand(t, GALLEY_SHAPE(4, 1, 3)));
    got(galley_expand(t, GALLEY_SHAPE(-1, 2, 5, 3)));
    got(galley_expand(t, GALLEY_SHAPE(2, -2, 3)));
    got(galley_expand(t, GALLEY_SHAPE(2, 1, 1)));
    got(galley_flatten(t, 2, 1));
    got(galley_flatten(t, 0, 3));
    got(galley_flatten(galley_scalar(GALLEY_F64, 1), 0, 1));
    EXPECT(/*
      error: galley_unsqueeze: axis 4 out of range for t float64 [2, 1, 3]: a new axis goes from -4 to 3
      error: galley_unsqueeze: axis -5 out of range for t float64 [2, 1, 3]: a new axis goes from -4 to 3
      error: galley_unsqueeze: t float64 [1, 1, 1, 1, 1, 1, 1, 1] has 8 dimensions, the most a tensor has
      error: galley_squeeze: axis 3 out of range for a tensor of 3 dimensions
      error: galley_squeeze: axis 1 out of range for a tensor of 0 dimensions
      error: galley_squeeze_all: input t is NULL
      error: galley_permute: perm has 2 axes; t float64 [2, 1, 3] has 3, and perm needs each once
      error: galley_permute: perm [0, 2, 0] names axis 0 twice; it needs each axis of t float64 [2, 1, 3] once
      error: galley_permute: perm has 4 axes; t float64 [2, 1, 3] has 3, and perm needs each once
      error: galley_permute: perm[1] is 3, out of range for t float64 [2, 1, 3]
      error: galley_permute: perm [2, -1, 0] names axis 2 twice; it needs each axis of t float64 [2, 1, 3] once
      error: galley_expand: a shape of 2 dimensions for t float64 [2, 1, 3]; it needs 3 to 8
      error: galley_expand: cannot expand float64 [2, 1, 3] to [4, 1, 3]: axis 0 has size 2, not 1 (only axes of size 1 expand; -1 keeps a size)
      error: galley_expand: cannot expand float64 [2, 1, 3] to [-1, 2, 5, 3]: size -1 on axis 0 (-1 keeps the size of an axis t has; new axes on the left need a size)
      error: galley_expand: cannot expand float64 [2, 1, 3] to [2, -2, 3]: size -2 on axis 1 (-1 keeps the size of an axis t has; new axes on the left need a size)
      error: galley_expand: cannot expand float64 [2, 1, 3] to [2, 1, 1]: axis 2 has size 3, not 1 (only axes of size 1 expand; -1 keeps a size)
      error: galley_flatten: start_axis 2 comes after end_axis 1 in t float64 [2, 1, 3]
      error: galley_flatten: axis 3 out of range for a tensor of 3 dimensions
      error: galley_flatten: axes 0 to 1 for t float64 []: a 0-d tensor takes 0 or -1
    */);
}
