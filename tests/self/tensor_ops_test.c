/* tensor_ops_test.c: galley's tensors without autodiff: creation, element
 * access, views, elementwise ops with broadcasting, reductions, matmul,
 * softmax and the losses, and the error messages. The values were checked
 * against numpy 1.x and PyTorch 1.13 (float32 and float64 alike). */
#include "tensor_check.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Prints what, then t as galley_tensor_print lays it out. */
static void show_table(const char *what, const galley_tensor *t)
{
    printf("%s: ", what);
    galley_tensor_print(t);
}

/* show_digits with %g's 6 digits. */
static void show(const char *what, galley_tensor *t)
{
    show_digits(what, t, 6, 6);
}

/* 0, 1, 2, ... as a float64 tensor of the shape given. */
static galley_tensor *iota(int ndim, const long *shape)
{
    long n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    return galley_reshape(galley_arange(GALLEY_F64, 0, (double)n, 1), ndim,
                          shape);
}

/* ---- creation ---- */

TEST(zeros_ones_full_scalar)
{
    show("zeros", galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3)));
    show("ones", galley_ones(GALLEY_I64, GALLEY_SHAPE(3)));
    show("full", galley_full(GALLEY_F64, GALLEY_SHAPE(2, 2), -2.5));
    show("full int64", galley_full(GALLEY_I64, GALLEY_SHAPE(2), -2.9));
    show("scalar", galley_scalar(GALLEY_F32, 3.25));
    show("empty", galley_ones(GALLEY_F32, GALLEY_SHAPE(0, 3)));
    EXPECT(/*
      zeros: float32 [2, 3] = 0 0 0 0 0 0
      ones: int64 [3] = 1 1 1
      full: float64 [2, 2] = -2.5 -2.5 -2.5 -2.5
      full int64: int64 [2] = -2 -2
      scalar: float32 [] = 3.25
      empty: float32 [0, 3] =
    */);
}

TEST(arange)
{
    show("0:5", galley_arange(GALLEY_F64, 0, 5, 1));
    show("0:1:0.25", galley_arange(GALLEY_F64, 0, 1, 0.25));
    show("5:0:-1.5", galley_arange(GALLEY_F32, 5, 0, -1.5));
    show("-1:-2:-0.25", galley_arange(GALLEY_F64, -1, -2, -0.25));
    /* ceil((1.3 - 1) / 0.1) = 4 elements, the last past 1.3, each
     * start + i * step as torch.arange (numpy's differ in the last bit). */
    show_digits("1:1.3:0.1", galley_arange(GALLEY_F64, 1, 1.3, 0.1), 17, 17);
    show("int64 0:10:3", galley_arange(GALLEY_I64, 0, 10, 3));
    show("3:3", galley_arange(GALLEY_F64, 3, 3, 1));
    show("1:0", galley_arange(GALLEY_F64, 1, 0, 1));
    show("0:1:-1", galley_arange(GALLEY_F64, 0, 1, -1));
    EXPECT(/*
      0:5: float64 [5] = 0 1 2 3 4
      0:1:0.25: float64 [4] = 0 0.25 0.5 0.75
      5:0:-1.5: float32 [4] = 5 3.5 2 0.5
      -1:-2:-0.25: float64 [4] = -1 -1.25 -1.5 -1.75
      1:1.3:0.1: float64 [4] = 1 1.1000000000000001 1.2 1.3
      int64 0:10:3: int64 [4] = 0 3 6 9
      3:3: float64 [0] =
      1:0: float64 [0] =
      0:1:-1: float64 [0] =
    */);
}

TEST(linspace_and_eye)
{
    show("n=5", galley_linspace(GALLEY_F64, 0, 1, 5));
    show("down", galley_linspace(GALLEY_F32, 1, -1, 5));
    show("n=1", galley_linspace(GALLEY_F64, 2, 3, 1));
    show("n=0", galley_linspace(GALLEY_F64, 2, 3, 0));
    show("int64", galley_linspace(GALLEY_I64, 0, 10, 4));
    show_digits("0.1 steps", galley_linspace(GALLEY_F64, 0, 0.3, 4), 17, 17);
    show_table("eye 3", galley_eye(GALLEY_F32, 3));
    show("eye 0", galley_eye(GALLEY_I64, 0));
    EXPECT(/*
      n=5: float64 [5] = 0 0.25 0.5 0.75 1
      down: float32 [5] = 1 0.5 0 -0.5 -1
      n=1: float64 [1] = 2
      n=0: float64 [0] =
      int64: int64 [4] = 0 3 6 10
      0.1 steps: float64 [4] = 0 0.099999999999999992 0.19999999999999998 0.29999999999999999
      eye 3: float32 [3, 3]
      [[1. 0. 0.]
       [0. 1. 0.]
       [0. 0. 1.]]
      eye 0: int64 [0, 0] =
    */);
}

TEST(from_arrays_and_like)
{
    float f[] = {1.5f, -2, 0.1f, 4};
    double d[] = {1e-300, -0.0, 1e300, 3};
    int64_t i[] = {-9007199254740993LL, 1, 2, 3, 4, 5};
    show("f32", galley_from_f32(f, GALLEY_SHAPE(2, 2)));
    show("f64", galley_from_f64(d, GALLEY_SHAPE(4)));
    galley_tensor *ti = galley_from_i64(i, GALLEY_SHAPE(3, 2));
    show("i64", ti);
    printf("exact %lld\n", (long long)((int64_t *)galley_tensor_data(ti))[0]);
    show("zeros_like", galley_zeros_like(ti));
    show("ones_like", galley_ones_like(galley_from_f32(f, GALLEY_SHAPE(4))));
    /* The array is copied. */
    galley_tensor *t = galley_from_f32(f, GALLEY_SHAPE(4));
    f[0] = 99;
    printf("after changing the array: %g\n", galley_tensor_get(t, GALLEY_AT(0)));
    EXPECT(/*
      f32: float32 [2, 2] = 1.5 -2 0.1 4
      f64: float64 [4] = 1e-300 -0 1e+300 3
      i64: int64 [3, 2] = -9007199254740993 1 2 3 4 5
      exact -9007199254740993
      zeros_like: int64 [3, 2] = 0 0 0 0 0 0
      ones_like: float32 [4] = 1 1 1 1
      after changing the array: 1.5
    */);
}

/* ---- access ---- */

TEST(shape_queries)
{
    galley_tensor *t = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 3, 4));
    printf("dtype %s, ndim %d, numel %ld\n",
           galley_dtype_name(galley_dtype_of(t)), galley_ndim(t),
           galley_numel(t));
    const long *s = galley_shape(t);
    printf("shape %ld %ld %ld; dim(-1) %ld, dim(0) %ld, dim(-3) %ld\n", s[0],
           s[1], s[2], galley_dim(t, -1), galley_dim(t, 0), galley_dim(t, -3));
    printf("names: %s %s %s %s\n", galley_dtype_name(GALLEY_F32),
           galley_dtype_name(GALLEY_F64), galley_dtype_name(GALLEY_I64),
           galley_dtype_name((galley_dtype)9));
    galley_tensor *z = galley_scalar(GALLEY_I64, 7);
    printf("0-d: ndim %d, numel %ld, item %g\n", galley_ndim(z),
           galley_numel(z), galley_item(z));
    EXPECT(/*
      dtype float64, ndim 3, numel 24
      shape 2 3 4; dim(-1) 4, dim(0) 2, dim(-3) 2
      names: float32 float64 int64 unknown-dtype
      0-d: ndim 0, numel 1, item 7
    */);
}

TEST(is_contiguous)
{
    galley_tensor *t = galley_zeros(GALLEY_F32, GALLEY_SHAPE(3, 4));
    galley_tensor *row = galley_zeros(GALLEY_F32, GALLEY_SHAPE(1, 4));
    printf("base %d, transposed %d, rows 1:3 %d, columns 1:3 %d\n",
           galley_is_contiguous(t),
           galley_is_contiguous(galley_transpose(t, 0, 1)),
           galley_is_contiguous(galley_slice(t, 0, 1, 3, 1)),
           galley_is_contiguous(galley_slice(t, 1, 1, 3, 1)));
    printf("row 1 %d, column 1 %d, [1, 4] transposed %d\n",
           galley_is_contiguous(galley_select(t, 0, 1)),
           galley_is_contiguous(galley_select(t, 1, 1)),
           galley_is_contiguous(galley_transpose(row, 0, 1)));
    EXPECT(/*
      base 1, transposed 0, rows 1:3 1, columns 1:3 0
      row 1 1, column 1 0, [1, 4] transposed 1
    */);
}

TEST(get_set_item)
{
    galley_tensor *t = iota(GALLEY_SHAPE(2, 3));
    printf("get(1, 2) %g, get(-1, -3) %g, get(0, -1) %g\n",
           galley_tensor_get(t, GALLEY_AT(1, 2)), galley_tensor_get(t, GALLEY_AT(-1, -3)),
           galley_tensor_get(t, GALLEY_AT(0, -1)));
    galley_tensor_set(t, GALLEY_AT(-2, -2), 0.5);
    galley_tensor_set(t, GALLEY_AT(1, 0), -7);
    show("after set", t);
    galley_tensor *i = galley_zeros(GALLEY_I64, GALLEY_SHAPE(3));
    galley_tensor_set(i, GALLEY_AT(0), 3.7);
    galley_tensor_set(i, GALLEY_AT(1), -3.7);
    galley_tensor_set(i, GALLEY_AT(2), NAN);
    show("int64 set", i);
    galley_tensor *f = galley_zeros(GALLEY_F32, GALLEY_SHAPE(1, 1));
    galley_tensor_set(f, GALLEY_AT(0, 0), 0.1);
    printf("float32 item %.17g\n", galley_item(f));
    EXPECT(/*
      get(1, 2) 5, get(-1, -3) 3, get(0, -1) 2
      after set: float64 [2, 3] = 0 0.5 2 -7 4 5
      int64 set: int64 [3] = 3 -3 0
      float32 item 0.10000000149011612
    */);
}

TEST(fill_and_copy)
{
    galley_tensor *t = galley_zeros(GALLEY_F64, GALLEY_SHAPE(3, 4));
    /* Through a view: column 1 and every other column of row 2. */
    galley_fill_(galley_select(t, 1, 1), 5);
    galley_fill_(galley_slice(galley_select(t, 0, 2), 0, 0, 4, 2), -1);
    show("filled", t);
    /* A row broadcast down, cast from float32. */
    float row[] = {1.5f, 2.5f, 3.5f, 4.5f};
    galley_copy_(t, galley_from_f32(row, GALLEY_SHAPE(4)));
    show("copied row", t);
    /* To int64: truncation toward zero. */
    double v[] = {-2.7, -0.5, 0.5, 2.7};
    galley_tensor *i = galley_zeros(GALLEY_I64, GALLEY_SHAPE(2, 4));
    galley_copy_(i, galley_from_f64(v, GALLEY_SHAPE(1, 4)));
    show("to int64", i);
    /* Into a transposed view of itself (the same storage). */
    galley_tensor *m = iota(GALLEY_SHAPE(3, 3));
    galley_copy_(m, galley_transpose(m, 0, 1));
    show("transposed in place", m);
    /* A 0-d source fills. */
    galley_copy_(galley_slice(t, 0, 1, 3, 1), galley_scalar(GALLEY_F64, 9));
    show("0-d source", t);
    EXPECT(/*
      filled: float64 [3, 4] = 0 5 0 0 0 5 0 0 -1 5 -1 0
      copied row: float64 [3, 4] = 1.5 2.5 3.5 4.5 1.5 2.5 3.5 4.5 1.5 2.5 3.5 4.5
      to int64: int64 [2, 4] = -2 0 0 2 -2 0 0 2
      transposed in place: float64 [3, 3] = 0 3 6 1 4 7 2 5 8
      0-d source: float64 [3, 4] = 1.5 2.5 3.5 4.5 9 9 9 9 9 9 9 9
    */);
}

TEST(data_is_the_first_element)
{
    galley_tensor *t = iota(GALLEY_SHAPE(2, 3));
    double *p = galley_tensor_data(t);
    p[4] = 40;
    printf("p[0] %g p[4] %g get(1, 1) %g\n", p[0], p[4],
           galley_tensor_get(t, GALLEY_AT(1, 1)));
    /* A contiguous view starts at its own first element. */
    double *q = galley_tensor_data(galley_select(t, 0, 1));
    printf("row 1 starts at p + %td: %g\n", q - p, q[0]);
    EXPECT(/*
      p[0] 0 p[4] 40 get(1, 1) 40
      row 1 starts at p + 3: 3
    */);
}

/* ---- views and copies ---- */

TEST(reshape)
{
    galley_tensor *t = iota(GALLEY_SHAPE(2, 6));
    galley_tensor *r = galley_reshape(t, GALLEY_SHAPE(3, -1));
    show_table("3, -1", r);
    show("-1", galley_reshape(t, GALLEY_SHAPE(-1)));
    show("2, -1, 2", galley_reshape(t, GALLEY_SHAPE(2, -1, 2)));
    show("0-d", galley_reshape(galley_ones(GALLEY_F32, GALLEY_SHAPE(1, 1)),
                               GALLEY_SHAPE()));
    /* A view of a contiguous tensor: writes show in the base. */
    galley_tensor_set(r, GALLEY_AT(2, 3), -1);
    printf("view: base(1, 5) = %g\n", galley_tensor_get(t, GALLEY_AT(1, 5)));
    /* A copy of a transposed one, in its row-major order. */
    galley_tensor *c =
        galley_reshape(galley_transpose(t, 0, 1), GALLEY_SHAPE(-1));
    show("of transposed", c);
    galley_tensor_set(c, GALLEY_AT(0), 100);
    printf("copy: base(0, 0) = %g, contiguous %d\n",
           galley_tensor_get(t, GALLEY_AT(0, 0)), galley_is_contiguous(c));
    EXPECT(/*
      3, -1: float64 [3, 4]
      [[ 0.  1.  2.  3.]
       [ 4.  5.  6.  7.]
       [ 8.  9. 10. 11.]]
      -1: float64 [12] = 0 1 2 3 4 5 6 7 8 9 10 11
      2, -1, 2: float64 [2, 3, 2] = 0 1 2 3 4 5 6 7 8 9 10 11
      0-d: float32 [] = 1
      view: base(1, 5) = -1
      of transposed: float64 [12] = 0 6 1 7 2 8 3 9 4 10 5 -1
      copy: base(0, 0) = 0, contiguous 1
    */);
}

TEST(transpose_select_share_storage)
{
    galley_tensor *t = iota(GALLEY_SHAPE(2, 3, 4));
    galley_tensor *tt = galley_transpose(t, 0, -1);
    printf("shape %ld %ld %ld\n", galley_dim(tt, 0), galley_dim(tt, 1),
           galley_dim(tt, 2));
    show("t[:, 1, :] transposed",
         galley_transpose(galley_select(t, 1, 1), 0, 1));
    show("t[-1, :, -2]", galley_select(galley_select(t, 0, -1), -1, -2));
    galley_tensor_set(tt, GALLEY_AT(3, 2, 1), -5);
    printf("t(1, 2, 3) %g\n", galley_tensor_get(t, GALLEY_AT(1, 2, 3)));
    galley_tensor_set(t, GALLEY_AT(0, 0, 1), -6);
    printf("tt(1, 0, 0) %g\n", galley_tensor_get(tt, GALLEY_AT(1, 0, 0)));
    EXPECT(/*
      shape 4 3 2
      t[:, 1, :] transposed: float64 [4, 2] = 4 16 5 17 6 18 7 19
      t[-1, :, -2]: float64 [3] = 14 18 22
      t(1, 2, 3) -5
      tt(1, 0, 0) -6
    */);
}

TEST(slice_follows_python)
{
    galley_tensor *t = galley_arange(GALLEY_F64, 0, 10, 1);
    show("[2:5]", galley_slice(t, 0, 2, 5, 1));
    show("[-3:]", galley_slice(t, 0, -3, 100, 1));
    show("[-100:3]", galley_slice(t, 0, -100, 3, 1));
    show("[1::3]", galley_slice(t, 0, 1, 10, 3));
    show("[::4]", galley_slice(t, 0, 0, 10, 4));
    show("[-2:-5]", galley_slice(t, 0, -2, -5, 1));
    show("[12:20]", galley_slice(t, 0, 12, 20, 1));
    show("[1:-1:2]", galley_slice(t, 0, 1, -1, 2));
    galley_tensor *m = iota(GALLEY_SHAPE(3, 4));
    galley_tensor *s = galley_slice(galley_slice(m, 1, 1, 4, 2), 0, -2, 3, 1);
    show("m[-2:, 1::2]", s);
    galley_tensor_set(s, GALLEY_AT(1, 1), -1);
    printf("m(2, 3) %g\n", galley_tensor_get(m, GALLEY_AT(2, 3)));
    EXPECT(/*
      [2:5]: float64 [3] = 2 3 4
      [-3:]: float64 [3] = 7 8 9
      [-100:3]: float64 [3] = 0 1 2
      [1::3]: float64 [3] = 1 4 7
      [::4]: float64 [3] = 0 4 8
      [-2:-5]: float64 [0] =
      [12:20]: float64 [0] =
      [1:-1:2]: float64 [4] = 1 3 5 7
      m[-2:, 1::2]: float64 [2, 2] = 5 7 9 11
      m(2, 3) -1
    */);
}

TEST(contiguous_clone_to_detach)
{
    galley_tensor *t = iota(GALLEY_SHAPE(2, 2));
    galley_tensor *same = galley_contiguous(t);
    galley_tensor *copy = galley_contiguous(galley_transpose(t, 0, 1));
    galley_tensor *cl = galley_clone(t);
    galley_tensor *de = galley_detach(t);
    galley_tensor_set(same, GALLEY_AT(0, 0), 10);
    galley_tensor_set(copy, GALLEY_AT(0, 1), 20);
    galley_tensor_set(cl, GALLEY_AT(1, 0), 30);
    galley_tensor_set(de, GALLEY_AT(1, 1), 40);
    show("base", t);
    show("transposed copy", copy);
    show("clone", cl);
    galley_tensor *w = galley_param(iota(GALLEY_SHAPE(2)));
    printf("detached parameter: requires grad %d\n",
           galley_requires_grad(galley_detach(w)));
    /* Out of range saturates and NaN gives 0, where C leaves both
     * undefined. */
    double v[] = {-1.7, -0.2, 1.7, 2.5, 1e30, NAN};
    galley_tensor *f = galley_from_f64(v, GALLEY_SHAPE(6));
    show("to int64", galley_tensor_to(f, GALLEY_I64));
    show("to float32", galley_tensor_to(galley_slice(f, 0, 0, 4, 1), GALLEY_F32));
    int64_t iv[] = {-3, 16777217};
    show("int64 to float32",
         galley_tensor_to(galley_from_i64(iv, GALLEY_SHAPE(2)), GALLEY_F32));
    EXPECT(/*
      base: float64 [2, 2] = 10 1 2 40
      transposed copy: float64 [2, 2] = 0 20 1 3
      clone: float64 [2, 2] = 0 1 30 3
      detached parameter: requires grad 0
      to int64: int64 [6] = -1 0 1 2 9223372036854775807 0
      to float32: float32 [4] = -1.7 -0.2 1.7 2.5
      int64 to float32: float32 [2] = -3 1.67772e+07
    */);
}

/* ---- elementwise ---- */

TEST(broadcasting)
{
    galley_tensor *a = iota(GALLEY_SHAPE(2, 3));
    double r[] = {10, 20, 30};
    show("[2,3]+[3]", galley_add(a, galley_from_f64(r, GALLEY_SHAPE(3))));
    galley_tensor *col =
        galley_reshape(galley_arange(GALLEY_F64, 1, 3, 1), GALLEY_SHAPE(2, 1));
    galley_tensor *row =
        galley_reshape(galley_arange(GALLEY_F64, 0, 3, 1), GALLEY_SHAPE(1, 3));
    show("[2,1]-[1,3]", galley_sub(col, row));
    show("0-d*[2,2,2]", galley_mul(galley_scalar(GALLEY_F64, -2),
                                   iota(GALLEY_SHAPE(2, 2, 2))));
    galley_tensor *x = iota(GALLEY_SHAPE(2, 1, 3, 1));
    galley_tensor *y = galley_add_scalar(iota(GALLEY_SHAPE(1, 2, 1, 2)), 1);
    show("4-d", galley_div(x, y));
    show("[0,3]+[1,3]", galley_add(galley_ones(GALLEY_F64, GALLEY_SHAPE(0, 3)),
                                   galley_reshape(row, GALLEY_SHAPE(1, 3))));
    /* A transposed operand against a contiguous one. */
    show("a^T * [2]", galley_mul(galley_transpose(a, 0, 1),
                                 galley_arange(GALLEY_F64, 1, 3, 1)));
    EXPECT(/*
      [2,3]+[3]: float64 [2, 3] = 10 21 32 13 24 35
      [2,1]-[1,3]: float64 [2, 3] = 1 0 -1 2 1 0
      0-d*[2,2,2]: float64 [2, 2, 2] = -0 -2 -4 -6 -8 -10 -12 -14
      4-d: float64 [2, 2, 3, 2] = 0 0 1 0.5 2 1 0 0 0.333333 0.25 0.666667 0.5 3 1.5 4 2 5 2.5 1 0.75 1.33333 1 1.66667 1.25
      [0,3]+[1,3]: float64 [0, 3] =
      a^T * [2]: float64 [3, 2] = 0 6 1 8 2 10
    */);
}

TEST(binary_float32)
{
    float a[] = {1, -2, 3.5f, 0};
    float b[] = {3, 4, -0.5f, 0};
    galley_tensor *x = galley_from_f32(a, GALLEY_SHAPE(4));
    galley_tensor *y = galley_from_f32(b, GALLEY_SHAPE(4));
    show("add", galley_add(x, y));
    show("sub", galley_sub(x, y));
    show("mul", galley_mul(x, y));
    show("div", galley_div(x, y));
    float p[] = {2, 0, 0.5f, -1};
    show("pow", galley_pow(galley_from_f32(b, GALLEY_SHAPE(4)),
                           galley_from_f32(p, GALLEY_SHAPE(4))));
    printf("1/3 float32 %.9g\n",
           galley_item(galley_div(galley_scalar(GALLEY_F32, 1),
                                  galley_scalar(GALLEY_F32, 3))));
    printf("1/3 float64 %.17g\n",
           galley_item(galley_div(galley_scalar(GALLEY_F64, 1),
                                  galley_scalar(GALLEY_F64, 3))));
    EXPECT(/*
      add: float32 [4] = 4 2 3 0
      sub: float32 [4] = -2 -6 4 0
      mul: float32 [4] = 3 -8 -1.75 0
      div: float32 [4] = 0.333333 -0.5 -7 nan
      pow: float32 [4] = 9 1 nan inf
      1/3 float32 0.333333343
      1/3 float64 0.33333333333333331
    */);
}

TEST(scalar_ops)
{
    galley_tensor *t = galley_arange(GALLEY_F32, -2, 3, 1);
    show("+0.5", galley_add_scalar(t, 0.5));
    show("*-3", galley_mul_scalar(t, -3));
    show("^2", galley_pow_scalar(t, 2));
    show("^3", galley_pow_scalar(t, 3));
    show("^0.5", galley_pow_scalar(t, 0.5));
    show("^-1", galley_pow_scalar(t, -1));
    show("^0", galley_pow_scalar(t, 0));
    show("neg", galley_neg(t));
    EXPECT(/*
      +0.5: float32 [5] = -1.5 -0.5 0.5 1.5 2.5
      *-3: float32 [5] = 6 3 -0 -3 -6
      ^2: float32 [5] = 4 1 0 1 4
      ^3: float32 [5] = -8 -1 0 1 8
      ^0.5: float32 [5] = nan nan 0 1 1.41421
      ^-1: float32 [5] = -0.5 -1 inf 1 0.5
      ^0: float32 [5] = 1 1 1 1 1
      neg: float32 [5] = 2 1 -0 -1 -2
    */);
}

TEST(unary_values, .rtol = 1e-6, .atol = 1e-12)
{
    double v[] = {-2, -0.5, 0, 0.5, 3};
    galley_tensor *t = galley_from_f64(v, GALLEY_SHAPE(5));
    show("exp", galley_exp(t));
    show("tanh", galley_tanh(t));
    show("sigmoid", galley_sigmoid(t));
    show("relu", galley_relu(t));
    galley_tensor *f = galley_tensor_to(t, GALLEY_F32);
    show("exp f32", galley_exp(f));
    show("sigmoid f32", galley_sigmoid(f));
    double w[] = {0.25, 1, 2, 10};
    galley_tensor *u = galley_from_f64(w, GALLEY_SHAPE(4));
    show("log", galley_log(u));
    show("sqrt", galley_sqrt(u));
    EXPECT(/*
      exp: float64 [5] = 0.135335 0.606531 1 1.64872 20.0855
      tanh: float64 [5] = -0.964028 -0.462117 0 0.462117 0.995055
      sigmoid: float64 [5] = 0.119203 0.377541 0.5 0.622459 0.952574
      relu: float64 [5] = 0 0 0 0.5 3
      exp f32: float32 [5] = 0.135335 0.606531 1 1.64872 20.0855
      sigmoid f32: float32 [5] = 0.119203 0.377541 0.5 0.622459 0.952574
      log: float64 [4] = -1.38629 0 0.693147 2.30259
      sqrt: float64 [4] = 0.5 1 1.41421 3.16228
    */);
}

TEST(unary_edges)
{
    double v[] = {-1, -0.0, 0, INFINITY, -INFINITY, NAN};
    galley_tensor *t = galley_from_f64(v, GALLEY_SHAPE(6));
    show("log", galley_log(t));
    show("sqrt", galley_sqrt(t));
    show("exp", galley_exp(t));
    show("tanh", galley_tanh(t));
    show("sigmoid", galley_sigmoid(t));
    show("relu", galley_relu(t));
    double big[] = {-1000, -100, 100, 1000};
    galley_tensor *b = galley_from_f64(big, GALLEY_SHAPE(4));
    show("sigmoid big", galley_sigmoid(b));
    /* torch's float32 sigmoid(-100) is 0 (1 / (1 + exp(100)) overflows);
     * exp(-100) / (1 + exp(-100)) keeps the subnormal. */
    show("sigmoid big f32", galley_sigmoid(galley_tensor_to(b, GALLEY_F32)));
    show("exp big f32", galley_exp(galley_tensor_to(b, GALLEY_F32)));
    double p[] = {0, -8, 0, 2};
    double e[] = {0, 1.0 / 3, -1, 1024};
    show("pow", galley_pow(galley_from_f64(p, GALLEY_SHAPE(4)),
                           galley_from_f64(e, GALLEY_SHAPE(4))));
    EXPECT(/*
      log: float64 [6] = nan -inf -inf inf nan nan
      sqrt: float64 [6] = nan -0 0 inf nan nan
      exp: float64 [6] = 0.367879 1 1 inf 0 nan
      tanh: float64 [6] = -0.761594 -0 0 1 -1 nan
      sigmoid: float64 [6] = 0.268941 0.5 0.5 1 0 nan
      relu: float64 [6] = 0 -0 0 inf 0 nan
      sigmoid big: float64 [4] = 0 3.72008e-44 1 1
      sigmoid big f32: float32 [4] = 0 3.78351e-44 1 1
      exp big f32: float32 [4] = 0 3.78351e-44 inf inf
      pow: float64 [4] = 1 nan inf inf
    */);
}

/* ---- reductions ---- */

TEST(reductions_over_an_axis)
{
    float v[] = {1, 5, 5, 7, 2, 7};
    galley_tensor *t = galley_from_f32(v, GALLEY_SHAPE(2, 3));
    show("sum 0", galley_sum(t, 0, 0));
    show("sum -1 keepdim", galley_sum(t, -1, 1));
    show("mean 1", galley_mean(t, 1, 0));
    show("mean -2 keepdim", galley_mean(t, -2, 1));
    show("max 0", galley_max(t, 0, 0));
    show("max 1 keepdim", galley_max(t, 1, 1));
    show("argmax 1", galley_argmax(t, 1, 0));
    show("argmax 0 keepdim", galley_argmax(t, 0, 1));
    EXPECT(/*
      sum 0: float32 [3] = 8 7 12
      sum -1 keepdim: float32 [2, 1] = 11 16
      mean 1: float32 [2] = 3.66667 5.33333
      mean -2 keepdim: float32 [1, 3] = 4 3.5 6
      max 0: float32 [3] = 7 5 7
      max 1 keepdim: float32 [2, 1] = 5 7
      argmax 1: int64 [2] = 1 0
      argmax 0 keepdim: int64 [1, 3] = 1 0 1
    */);
}

TEST(reductions_over_all)
{
    float v[] = {1, 5, 5, 7, 2, 7};
    galley_tensor *t = galley_from_f32(v, GALLEY_SHAPE(2, 3));
    show("sum_all", galley_sum_all(t));
    show("mean_all", galley_mean_all(t));
    show("max_all", galley_max_all(t));
    show("argmax_all (first of the ties)", galley_argmax_all(t));
    show("sum_all empty",
         galley_sum_all(galley_zeros(GALLEY_F64, GALLEY_SHAPE(0, 3))));
    show("mean_all empty",
         galley_mean_all(galley_zeros(GALLEY_F64, GALLEY_SHAPE(0))));
    show("sum over an empty axis",
         galley_sum(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 0)), 1, 0));
    double n[] = {1, NAN, 3};
    galley_tensor *tn = galley_from_f64(n, GALLEY_SHAPE(3));
    show("max_all nan", galley_max_all(tn));
    show("argmax_all nan", galley_argmax_all(tn));
    EXPECT(/*
      sum_all: float32 [] = 27
      mean_all: float32 [] = 4.5
      max_all: float32 [] = 7
      argmax_all (first of the ties): int64 [] = 3
      sum_all empty: float64 [] = 0
      mean_all empty: float64 [] = nan
      sum over an empty axis: float32 [2] = 0 0
      max_all nan: float64 [] = nan
      argmax_all nan: int64 [] = 1
    */);
}

TEST(reductions_of_strided_inputs)
{
    /* t^T = [[0, 9], [9, 4], [2, 9]]: its first 9 in row-major order is
     * t^T(0, 1), though t(0, 1) = t^T(1, 0) comes first in storage. */
    double v[] = {0, 9, 2, 9, 4, 9};
    galley_tensor *tt =
        galley_transpose(galley_from_f64(v, GALLEY_SHAPE(2, 3)), 0, 1);
    show("sum 0", galley_sum(tt, 0, 0));
    show("max 1", galley_max(tt, 1, 0));
    show("argmax 0", galley_argmax(tt, 0, 0));
    show("argmax 1", galley_argmax(tt, 1, 0));
    show("argmax_all", galley_argmax_all(tt));
    show("max_all", galley_max_all(tt));
    EXPECT(/*
      sum 0: float64 [2] = 11 22
      max 1: float64 [3] = 9 9 9
      argmax 0: int64 [2] = 1 0
      argmax 1: int64 [3] = 1 0 1
      argmax_all: int64 [] = 1
      max_all: float64 [] = 9
    */);
}

TEST(reductions_in_3d)
{
    /* p = i * 7 % 11 over a [2, 3, 4] row-major. */
    double v[24];
    for (int i = 0; i < 24; i++)
        v[i] = i * 7 % 11;
    galley_tensor *p = galley_from_f64(v, GALLEY_SHAPE(2, 3, 4));
    show("sum 1", galley_sum(p, 1, 0));
    show("mean -1 keepdim", galley_mean(p, -1, 1));
    show("max -1", galley_max(p, -1, 0));
    show("argmax 1", galley_argmax(p, 1, 0));
    show("argmax 1 of p transposed (0, 2)",
         galley_argmax(galley_transpose(p, 0, 2), 1, 0));
    show("sum 2 of p[:, :, 1::2]",
         galley_sum(galley_slice(p, 2, 1, 4, 2), 2, 0));
    show("max 0 keepdim of -p", galley_max(galley_neg(p), 0, 1));
    EXPECT(/*
      sum 1: float64 [2, 4] = 7 17 16 15 17 16 15 14
      mean -1 keepdim: float64 [2, 3, 1] = 5 5.5 3.25 6.5 4.25 4.75
      max -1: float64 [2, 3] = 10 9 8 10 9 8
      argmax 1: int64 [2, 4] = 1 2 1 0 2 1 0 2
      argmax 1 of p transposed (0, 2): int64 [4, 2] = 1 2 2 1 1 0 0 2
      sum 2 of p[:, :, 1::2]: float64 [2, 3] = 17 7 8 9 10 11
      max 0 keepdim of -p: float64 [1, 3, 4] = -0 -3 -3 -6 -2 -2 -5 -1 -1 -4 -0 -0
    */);
}

TEST(float32_sums_accumulate_in_double)
{
    /* 1 + 1e-8 * 10^6 rounds to 1 at every float32 step; the exact sum is
     * 1.01. */
    galley_tensor *t = galley_full(GALLEY_F32, GALLEY_SHAPE(1000001), 1e-8);
    galley_tensor_set(t, GALLEY_AT(0), 1);
    printf("%.7g\n", galley_item(galley_sum_all(t)));
    EXPECT(/* 1.01 */);
}

/* ---- matmul ---- */

TEST(matmul_shapes)
{
    galley_tensor *a = iota(GALLEY_SHAPE(2, 3));
    galley_tensor *b = iota(GALLEY_SHAPE(3, 4));
    show("[2,3]x[3,4]", galley_matmul(a, b));
    galley_tensor *ba = iota(GALLEY_SHAPE(2, 2, 3));
    galley_tensor *bb = galley_add_scalar(iota(GALLEY_SHAPE(2, 3, 2)), -5);
    show("[2,2,3]x[2,3,2]", galley_matmul(ba, bb));
    show("[2,2,3]x[3,4]", galley_matmul(ba, b));
    show("[2,3]x[2,3,2]", galley_matmul(a, bb));
    show("[1,2,3]x[2,3,2]",
         galley_matmul(galley_reshape(a, GALLEY_SHAPE(1, 2, 3)), bb));
    galley_tensor *v = galley_arange(GALLEY_F64, 1, 4, 1);
    show("[3]x[3,4]", galley_matmul(v, b));
    show("[2,3]x[3]", galley_matmul(a, v));
    show("[3]x[3]", galley_matmul(v, v));
    show("[2,2,3]x[3]", galley_matmul(ba, v));
    show("[3]x[2,3,2]", galley_matmul(v, bb));
    /* Batch axes broadcast as numpy's: [2,1] with [3] gives [2,3]. */
    show("[2,1,2,3]x[3,3,2]",
         galley_matmul(galley_reshape(ba, GALLEY_SHAPE(2, 1, 2, 3)),
                       iota(GALLEY_SHAPE(3, 3, 2))));
    EXPECT(/*
      [2,3]x[3,4]: float64 [2, 4] = 20 23 26 29 56 68 80 92
      [2,2,3]x[2,3,2]: float64 [2, 2, 2] = -5 -2 -32 -20 67 88 94 124
      [2,2,3]x[3,4]: float64 [2, 2, 4] = 20 23 26 29 56 68 80 92 92 113 134 155 128 158 188 218
      [2,3]x[2,3,2]: float64 [2, 2, 2] = -5 -2 -32 -20 13 16 40 52
      [1,2,3]x[2,3,2]: float64 [2, 2, 2] = -5 -2 -32 -20 13 16 40 52
      [3]x[3,4]: float64 [4] = 32 38 44 50
      [2,3]x[3]: float64 [2] = 8 26
      [3]x[3]: float64 [] = 14
      [2,2,3]x[3]: float64 [2, 2] = 8 26 44 62
      [3]x[2,3,2]: float64 [2, 2] = -14 -8 22 28
      [2,1,2,3]x[3,3,2]: float64 [2, 3, 2, 2] = 10 13 28 40 28 31 100 112 46 49 172 184 46 67 64 94 172 193 244 274 298 319 424 454
    */);
}

TEST(matmul_strided_operands)
{
    galley_tensor *a = iota(GALLEY_SHAPE(3, 2));
    galley_tensor *b = galley_add_scalar(iota(GALLEY_SHAPE(4, 3)), -6);
    /* a^T b^T: both read transposed by BLAS. */
    show("a^T x b^T",
         galley_matmul(galley_transpose(a, 0, 1), galley_transpose(b, 0, 1)));
    /* Every other column: strides BLAS cannot take, copied first. */
    galley_tensor *wide = iota(GALLEY_SHAPE(4, 6));
    show("b x wide[1:, ::2]",
         galley_matmul(
             b, galley_slice(galley_slice(wide, 0, 1, 4, 1), 1, 0, 6, 2)));
    /* A row of a matrix (a 1-d view with an offset) and a column. */
    show("b[2] x wide[1:,3]",
         galley_matmul(galley_select(b, 0, 2),
                       galley_select(galley_slice(wide, 0, 1, 4, 1), 1, 3)));
    /* Batched transposes. */
    galley_tensor *c = iota(GALLEY_SHAPE(2, 3, 2));
    show("c^T x c", galley_matmul(galley_transpose(c, 1, 2), c));
    EXPECT(/*
      a^T x b^T: float64 [2, 4] = -26 -8 10 28 -41 -14 13 40
      b x wide[1:, ::2]: float64 [4, 3] = -168 -198 -228 -60 -72 -84 48 54 60 156 180 204
      b[2] x wide[1:,3]: float64 [] = 57
      c^T x c: float64 [2, 2, 2] = 20 26 26 35 200 224 224 251
    */);
}

TEST(matmul_float32_and_zero_sizes)
{
    galley_tensor *a = galley_tensor_to(iota(GALLEY_SHAPE(2, 3)), GALLEY_F32);
    galley_tensor *b =
        galley_mul_scalar(galley_tensor_to(iota(GALLEY_SHAPE(3, 2)), GALLEY_F32), 0.5);
    show("float32", galley_matmul(a, b));
    show("[2,0]x[0,3]",
         galley_matmul(galley_ones(GALLEY_F32, GALLEY_SHAPE(2, 0)),
                       galley_ones(GALLEY_F32, GALLEY_SHAPE(0, 3))));
    show("[0,3]x[3,2]",
         galley_matmul(galley_ones(GALLEY_F64, GALLEY_SHAPE(0, 3)),
                       galley_ones(GALLEY_F64, GALLEY_SHAPE(3, 2))));
    show("[2,3]x[3,0]",
         galley_matmul(galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 3)),
                       galley_ones(GALLEY_F64, GALLEY_SHAPE(3, 0))));
    show("[0,2,3]x[3,2]",
         galley_matmul(galley_ones(GALLEY_F64, GALLEY_SHAPE(0, 2, 3)),
                       galley_ones(GALLEY_F64, GALLEY_SHAPE(3, 2))));
    show("[0]x[0]", galley_matmul(galley_ones(GALLEY_F64, GALLEY_SHAPE(0)),
                                  galley_ones(GALLEY_F64, GALLEY_SHAPE(0))));
    EXPECT(/*
      float32: float32 [2, 2] = 5 6.5 14 20
      [2,0]x[0,3]: float32 [2, 3] = 0 0 0 0 0 0
      [0,3]x[3,2]: float64 [0, 2] =
      [2,3]x[3,0]: float64 [2, 0] =
      [0,2,3]x[3,2]: float64 [0, 2, 2] =
      [0]x[0]: float64 [] = 0
    */);
}

/* ---- softmax and losses ---- */

TEST(softmax, .rtol = 1e-6, .atol = 1e-7)
{
    double v[] = {1, 2, 3, 1000, 1000, 1001, -1000, 0, 1000};
    galley_tensor *t = galley_from_f64(v, GALLEY_SHAPE(3, 3));
    show("softmax 1", galley_softmax(t, 1));
    show("softmax 0", galley_softmax(t, 0));
    show("log_softmax -1", galley_log_softmax(t, -1));
    show("log_softmax 0", galley_log_softmax(t, 0));
    galley_tensor *f = galley_tensor_to(t, GALLEY_F32);
    show("softmax f32", galley_softmax(f, 1));
    show("log_softmax f32", galley_log_softmax(f, 1));
    show("softmax of a transposed",
         galley_softmax(galley_transpose(t, 0, 1), 1));
    EXPECT(/*
      softmax 1: float64 [3, 3] = 0.0900306 0.244728 0.665241 0.211942 0.211942 0.576117 0 0 1
      softmax 0: float64 [3, 3] = 0 0 0 1 1 0.731059 0 0 0.268941
      log_softmax -1: float64 [3, 3] = -2.40761 -1.40761 -0.407606 -1.55144 -1.55144 -0.551445 -2000 -1000 0
      log_softmax 0: float64 [3, 3] = -999 -998 -998.313 0 0 -0.313262 -2000 -1000 -1.31326
      softmax f32: float32 [3, 3] = 0.0900306 0.244728 0.665241 0.211942 0.211942 0.576117 0 0 1
      log_softmax f32: float32 [3, 3] = -2.40761 -1.40761 -0.407606 -1.55144 -1.55144 -0.551445 -2000 -1000 0
      softmax of a transposed: float64 [3, 3] = 0 1 0 0 1 0 0 0.731059 0.268941
    */);
}

TEST(log_softmax_float32_keeps_its_precision)
{
    /* (t - m) - log(sum): t - (m + log(sum)) would round to the ulp of
     * 1000 (6e-5). torch.log_softmax: -1.55144477, -0.551444709. */
    float v[] = {1000, 1000, 1001};
    galley_tensor *t = galley_from_f32(v, GALLEY_SHAPE(1, 3));
    galley_tensor *l = galley_log_softmax(t, 1);
    printf("%.9g %.9g\n", galley_tensor_get(l, GALLEY_AT(0, 0)),
           galley_tensor_get(l, GALLEY_AT(0, 2)));
    /* torch.nn.functional.cross_entropy: log 2 as a float32. */
    float z[] = {1000, 1000};
    int64_t k[] = {0};
    printf("%.9g\n", galley_item(galley_cross_entropy(
                         galley_from_f32(z, GALLEY_SHAPE(1, 2)),
                         galley_from_i64(k, GALLEY_SHAPE(1)))));
    EXPECT_NEAR(.rtol = 3e-7, /*
      -1.55144477 -0.551444709
      0.693147182
    */);
}

TEST(cross_entropy_and_mse)
{
    double z[] = {2, 1, 0.1, -1, 0.5, 2.5, 0.3, 0.2, 1000, 0, -1000, 3};
    galley_tensor *logits = galley_from_f64(z, GALLEY_SHAPE(3, 4));
    int64_t k[] = {0, 3, 1};
    galley_tensor *target = galley_from_i64(k, GALLEY_SHAPE(3));
    printf("class indices %.17g\n",
           galley_item(galley_cross_entropy(logits, target)));
    printf("float32 %.9g\n", galley_item(galley_cross_entropy(
                                 galley_tensor_to(logits, GALLEY_F32), target)));
    double p[] = {0.7, 0.1, 0.1, 0.1, 0, 0, 0, 1, 0.25, 0.25, 0.25, 0.25};
    galley_tensor *probs = galley_from_f64(p, GALLEY_SHAPE(3, 4));
    printf("probabilities %.17g\n",
           galley_item(galley_cross_entropy(logits, probs)));
    /* Strided targets: every other entry of [0, 9, 3, 9, 1]. */
    int64_t ks[] = {0, 9, 3, 9, 1};
    galley_tensor *every_other =
        galley_slice(galley_from_i64(ks, GALLEY_SHAPE(5)), 0, 0, 5, 2);
    printf("strided targets %.17g\n",
           galley_item(galley_cross_entropy(logits, every_other)));
    double a[] = {1, 2, 3, 4}, b[] = {1.5, 2, 1, 8};
    show("mse", galley_mse(galley_from_f64(a, GALLEY_SHAPE(2, 2)),
                           galley_from_f64(b, GALLEY_SHAPE(2, 2))));
    /* float32 is within an ulp of torch's 334.348907. */
    EXPECT_NEAR(.rtol = 1e-6, /*
      class indices 334.34891511667445
      float32 334.348938
      probabilities 334.29558178334111
      strided targets 334.34891511667445
      mse: float64 [] = 5.0625
    */);
}

/* ---- errors ---- */

TEST(errors_of_shapes)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *a = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 3));
    galley_tensor *b = galley_zeros(GALLEY_F32, GALLEY_SHAPE(4, 5));
    got(galley_add(a, galley_zeros(GALLEY_F32, GALLEY_SHAPE(2))));
    got(galley_matmul(a, b));
    got(galley_matmul(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 2, 3)),
                      galley_zeros(GALLEY_F32, GALLEY_SHAPE(3, 3, 1))));
    got(galley_matmul(a, galley_scalar(GALLEY_F32, 1)));
    got(galley_reshape(a, GALLEY_SHAPE(4, 2)));
    got(galley_reshape(a, GALLEY_SHAPE(4, -1)));
    got(galley_reshape(a, GALLEY_SHAPE(-1, -1)));
    got(galley_mse(a, galley_zeros(GALLEY_F32, GALLEY_SHAPE(3, 2))));
    galley_copy_(galley_zeros(GALLEY_F32, GALLEY_SHAPE(3)), a);
    got(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, -3)));
    EXPECT(/*
      error: galley_add: shapes [2, 3] and [2] cannot be broadcast
      error: galley_matmul: float32 [2, 3] and float32 [4, 5]: the inner sizes 3 and 4 differ
      error: galley_matmul: float32 [2, 2, 3] and float32 [3, 3, 1]: the batch axes cannot be broadcast
      error: galley_matmul: float32 [2, 3] and float32 []: matmul needs operands of 1 or more dimensions (use galley_mul for scalars)
      error: galley_reshape: cannot reshape float32 [2, 3] (6 elements) to [4, 2] (8)
      error: galley_reshape: cannot reshape float32 [2, 3] to [4, -1]: 6 elements do not divide into it
      error: galley_reshape: cannot reshape float32 [2, 3] to [-1, -1]: sizes must be at least 0, with one -1 at most
      error: galley_mse: shapes [2, 3] and [3, 2] cannot be broadcast
      error: galley_copy_: src float32 [2, 3] does not broadcast to dst float32 [3]
      error: galley_zeros: negative size -3 in shape [2, -3]
    */);
}

TEST(errors_of_dtypes)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *f = galley_zeros(GALLEY_F32, GALLEY_SHAPE(2));
    galley_tensor *d = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2));
    galley_tensor *i = galley_zeros(GALLEY_I64, GALLEY_SHAPE(2));
    /* Elementwise ops promote (float32 with float64 gives float64, int64
     * with a float that float), but need a float among their operands;
     * matmul takes one dtype, as torch's. */
    got(galley_add(i, i));
    got(galley_matmul(d, f));
    got(galley_exp(i));
    got(galley_sum_all(i));
    got(galley_argmax(i, 0, 0));
    got(galley_softmax(i, 0));
    got(galley_tensor_to(f, (galley_dtype)7));
    EXPECT(/*
      error: galley_add: int64 [2] and int64 [2]: galley_add needs a float32 or float64 operand (cast one with galley_tensor_to)
      error: galley_matmul: float64 [2] and float32 [2]: dtypes differ, and galley_matmul takes one dtype (as torch); cast one with galley_tensor_to
      error: galley_exp: a is int64 [2]; galley_exp needs float32 or float64 (cast with galley_tensor_to)
      error: galley_sum_all: t is int64 [2]; galley_sum_all needs float32 or float64 (cast with galley_tensor_to)
      error: galley_argmax: t is int64 [2]; galley_argmax needs float32 or float64 (cast with galley_tensor_to)
      error: galley_softmax: t is int64 [2]; galley_softmax needs float32 or float64 (cast with galley_tensor_to)
      error: galley_tensor_to: unknown dtype 7
    */);
}

TEST(errors_of_axes_and_indices)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *t = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 3));
    got(galley_sum(t, 2, 0));
    got(galley_max(t, -3, 1));
    got(galley_softmax(t, 5));
    got(galley_transpose(t, 0, 2));
    got(galley_slice(t, 1, 0, 3, 0));
    got(galley_select(t, 1, 3));
    got(galley_select(t, -1, -4));
    printf("%ld\n", galley_dim(t, -3));
    printf("%g\n", galley_tensor_get(t, GALLEY_AT(2, 0)));
    printf("%g\n", galley_tensor_get(t, GALLEY_AT(0, -4)));
    printf("%g\n", galley_tensor_get(t, GALLEY_AT(0)));
    galley_tensor_set(t, GALLEY_AT(0, 3), 1);
    printf("%g\n", galley_item(t));
    got(galley_max_all(galley_zeros(GALLEY_F64, GALLEY_SHAPE(0))));
    got(galley_argmax(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 0)), 1, 0));
    got(galley_tensor_data(galley_transpose(t, 0, 1)));
    got(galley_arange(GALLEY_F64, 0, 1, 0));
    got(galley_arange(GALLEY_I64, 0, 5, 0.5));
    got(galley_linspace(GALLEY_F64, 0, 1, -1));
    EXPECT(/*
      error: galley_sum: axis 2 out of range for a tensor of 2 dimensions
      error: galley_max: axis -3 out of range for a tensor of 2 dimensions
      error: galley_softmax: axis 5 out of range for a tensor of 2 dimensions
      error: galley_transpose: axis 2 out of range for a tensor of 2 dimensions
      error: galley_slice: step is 0; it must be at least 1
      error: galley_select: index 3 out of range for axis 1 of float64 [2, 3]
      error: galley_select: index -4 out of range for axis -1 of float64 [2, 3]
      error: galley_dim: axis -3 out of range for a tensor of 2 dimensions
      -1
      error: galley_tensor_get: index 2 out of range for axis 0 of float64 [2, 3]
      nan
      error: galley_tensor_get: index -4 out of range for axis 1 of float64 [2, 3]
      nan
      error: galley_tensor_get: the index has 1 values; float64 [2, 3] needs 2, one per axis
      nan
      error: galley_tensor_set: index 3 out of range for axis 1 of float64 [2, 3]
      error: galley_item: float64 [2, 3] has 6 elements; galley_item needs exactly one
      nan
      error: galley_max_all: float64 [0]: no elements to choose from
      error: galley_argmax: float64 [2, 0]: axis 1 is empty
      error: galley_tensor_data: float64 [3, 2] is not contiguous (a transposed or sliced view); make a contiguous copy with galley_contiguous
      error: galley_arange: start 0, stop 1, step 0: needs finite values and a step other than 0
      error: galley_arange: start 0, step 0.5: an int64 range needs whole numbers (numpy truncates the step to 0, torch refuses)
      error: galley_linspace: n is -1; it must be at least 0
    */);
}

TEST(errors_of_cross_entropy)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *z = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 3));
    int64_t bad[] = {1, 3}, neg[] = {-1, 0};
    got(galley_cross_entropy(z, galley_from_i64(bad, GALLEY_SHAPE(2))));
    got(galley_cross_entropy(z, galley_from_i64(neg, GALLEY_SHAPE(2))));
    got(galley_cross_entropy(z, galley_from_i64(bad, GALLEY_SHAPE(1, 2))));
    got(galley_cross_entropy(z, galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 4))));
    got(galley_cross_entropy(galley_zeros(GALLEY_F64, GALLEY_SHAPE(3)),
                             galley_from_i64(bad, GALLEY_SHAPE(2))));
    EXPECT(/*
      error: galley_cross_entropy: target[1] is 3, not a class index in [0, 3)
      error: galley_cross_entropy: target[0] is -1, not a class index in [0, 3)
      error: galley_cross_entropy: logits float64 [2, 3] and target int64 [1, 2]: class indices need the shape [2]
      error: galley_cross_entropy: logits float64 [2, 3] and target float64 [2, 4]: class probabilities need the logits' shape (or int64 [2] of class indices)
      error: galley_cross_entropy: logits float64 [3]: needs [n, c], a row of class scores per sample
    */);
}

TEST(errors_of_null_and_freed)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *t = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    got(galley_add(NULL, t));
    got(galley_matmul(t, NULL));
    got(galley_sum_all(NULL));
    printf("%ld\n", galley_numel(NULL));
    galley_tensor *dead = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_tensor_free(dead);
    got(galley_mul(t, dead));
    got(galley_reshape(dead, GALLEY_SHAPE(-1)));
    printf("%g\n", galley_item(dead));
    galley_fill_(dead, 1);
    galley_copy_(t, dead);
    /* The end of a scope frees its tensors too. */
    galley_scope *s = galley_scope_begin();
    galley_tensor *inner = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_scope_end(s);
    got(galley_cross_entropy(inner, t));
    EXPECT(/*
      error: galley_add: input a is NULL
      error: galley_matmul: input b is NULL
      error: galley_sum_all: input t is NULL
      error: galley_numel: input t is NULL
      -1
      error: galley_mul: input b was freed (by galley_tensor_free or the end of its scope)
      error: galley_reshape: input t was freed (by galley_tensor_free or the end of its scope)
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
      nan
      error: galley_fill_: input t was freed (by galley_tensor_free or the end of its scope)
      error: galley_copy_: input src was freed (by galley_tensor_free or the end of its scope)
      error: galley_cross_entropy: input logits was freed (by galley_tensor_free or the end of its scope)
    */);
}
