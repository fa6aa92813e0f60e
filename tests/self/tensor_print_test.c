/* tensor_print_test.c: galley_tensor_print, galley_tensor_fprint, galley_tensor_format and the
 * print options, tested with galley. Every expectation was checked against
 * numpy 1.24 (np.array2string with separator ", "), with the element text
 * taken from tensor.h's contract where it differs from numpy's: %g with
 * `precision` significant digits (so 1 for numpy's "1."), -0 as 0. */
#define _GNU_SOURCE /* open_memstream, newlocale */
#include <galley.h>
#include <galley/tensor.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Puts error messages in the test's output. */
static void on_error(const char *message, void *userdata)
{
    (void)userdata;
    printf("error: %s\n", message);
}

/* Sets the print options, zero fields meaning the defaults. */
static void options(int precision, long threshold, int edgeitems)
{
    galley_set_print_options(&(galley_print_options){
        .precision = precision,
        .threshold = threshold,
        .edgeitems = edgeitems,
    });
}

/* Prints the options now in force. */
static void show_options(void)
{
    galley_print_options o = galley_get_print_options();
    printf("precision %d threshold %ld edgeitems %d\n", o.precision,
           o.threshold, o.edgeitems);
}

/* 0, 1, ... n-1 of dtype, in shape. */
static galley_tensor *range(galley_dtype dtype, int ndim, const long *shape)
{
    long n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    return galley_reshape(galley_arange(dtype, 0, (double)n, 1), ndim, shape);
}

/* What galley_tensor_fprint writes to a memory stream; the caller frees it. */
static char *fprint_text(const galley_tensor *t)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    galley_tensor_fprint(f, t);
    fclose(f);
    return text;
}

/* ---- dimensions ---- */

TEST(scalar_0d)
{
    galley_tensor_print(galley_scalar(GALLEY_F32, 1.5));
    galley_tensor_print(galley_scalar(GALLEY_F64, -2.25));
    galley_tensor_print(galley_scalar(GALLEY_I64, 42));
    galley_tensor_print(galley_scalar(GALLEY_F64, NAN));
    EXPECT(/*
      float32 []
      1.5
      float64 []
      -2.25
      int64 []
      42
      float64 []
      nan
    */);
}

TEST(vector_1d)
{
    double x[] = {1.5, 2.25, -3};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(3)));
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(1)));
    EXPECT(/*
      float64 [3]
      [ 1.5 ,  2.25, -3   ]
      float64 [1]
      [1.5]
    */);
}

TEST(matrix_2d)
{
    galley_tensor_print(range(GALLEY_F64, GALLEY_SHAPE(2, 3)));
    double x[] = {0.5, -12.25, 3, 100, -0.125, 7};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(3, 2)));
    EXPECT(/*
      float64 [2, 3]
      [[0, 1, 2],
       [3, 4, 5]]
      float64 [3, 2]
      [[  0.5  , -12.25 ],
       [  3    , 100    ],
       [ -0.125,   7    ]]
    */);
}

TEST(tensor_3d)
{
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 3, 4)));
    EXPECT(/*
      int64 [2, 3, 4]
      [[[ 0,  1,  2,  3],
        [ 4,  5,  6,  7],
        [ 8,  9, 10, 11]],

       [[12, 13, 14, 15],
        [16, 17, 18, 19],
        [20, 21, 22, 23]]]
    */);
}

TEST(tensor_4d)
{
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 2, 2, 2)));
    galley_tensor_print(galley_mul_scalar(range(GALLEY_F32, GALLEY_SHAPE(1, 2, 1, 3)),
                                   0.5));
    EXPECT(/*
      int64 [2, 2, 2, 2]
      [[[[ 0,  1],
         [ 2,  3]],

        [[ 4,  5],
         [ 6,  7]]],


       [[[ 8,  9],
         [10, 11]],

        [[12, 13],
         [14, 15]]]]
      float32 [1, 2, 1, 3]
      [[[[0  , 0.5, 1  ]],

        [[1.5, 2  , 2.5]]]]
    */);
}

TEST(size_one_axes)
{
    galley_tensor_print(galley_ones(GALLEY_F32, GALLEY_SHAPE(1, 1, 1)));
    galley_tensor_print(galley_ones(GALLEY_F32, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float32 [1, 1, 1]
      [[[1]]]
      float32 [3, 1]
      [[1],
       [1],
       [1]]
    */);
}

TEST(empty)
{
    galley_tensor_print(galley_zeros(GALLEY_F32, GALLEY_SHAPE(0)));
    galley_tensor_print(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 0)));
    galley_tensor_print(galley_zeros(GALLEY_I64, GALLEY_SHAPE(0, 3)));
    EXPECT(/*
      float32 [0]
      []
      float64 [2, 0]
      []
      int64 [0, 3]
      []
    */);
}

/* ---- element text ---- */

TEST(float32_prints_its_short_decimal)
{
    /* 0.1f is 0.100000001490116...: 6 digits show 0.1, as numpy does. */
    float x[] = {0.1f, 0.2f, 0.3f, 1.0f / 3};
    galley_tensor *t = galley_from_f32(x, GALLEY_SHAPE(4));
    galley_tensor_print(t);
    galley_tensor_print(galley_tensor_to(t, GALLEY_F64));
    options(10, 0, 0);
    galley_tensor_print(t);
    options(17, 0, 0);
    galley_tensor_print(galley_slice(t, 0, 0, 1, 1));
    options(0, 0, 0);
    EXPECT(/*
      float32 [4]
      [0.1     , 0.2     , 0.3     , 0.333333]
      float64 [4]
      [0.1     , 0.2     , 0.3     , 0.333333]
      float32 [4]
      [0.1000000015, 0.200000003 , 0.3000000119, 0.3333333433]
      float32 [1]
      [0.10000000149011612]
    */);
}

TEST(float64_precision_6)
{
    double x[] = {0.1, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123456.7, 1234567.0};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(6)));
    EXPECT(/*
      float64 [6]
      [     0.1        ,      0.3        ,      0.333333   ,      0.666667   , 123457          ,      1.23457e+06]
    */);
}

TEST(negative_numbers)
{
    double x[] = {-1, 2.5, -0.001, 30, -400.75};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    double y[] = {-1, -2, -3, -4};
    galley_tensor_print(galley_from_f64(y, GALLEY_SHAPE(2, 2)));
    EXPECT(/*
      float64 [5]
      [  -1    ,    2.5  ,   -0.001,   30    , -400.75 ]
      float64 [2, 2]
      [[-1, -2],
       [-3, -4]]
    */);
}

TEST(integer_valued_floats)
{
    double x[] = {1, 10, 100, -1000, 0, 999999};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2, 3)));
    EXPECT(/*
      float64 [2, 3]
      [[     1,     10,    100],
       [ -1000,      0, 999999]]
    */);
}

TEST(int64)
{
    int64_t x[] = {INT64_MIN, INT64_MAX, 0, -1, 7, 1000};
    galley_tensor_print(galley_from_i64(x, GALLEY_SHAPE(3, 2)));
    EXPECT(/*
      int64 [3, 2]
      [[-9223372036854775808,  9223372036854775807],
       [                   0,                   -1],
       [                   7,                 1000]]
    */);
}

TEST(int64_ignores_precision)
{
    int64_t x[] = {123456789, -42};
    options(1, 0, 0);
    galley_tensor_print(galley_from_i64(x, GALLEY_SHAPE(2)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [2]
      [123456789,       -42]
    */);
}

TEST(mixed_magnitudes_use_exponents)
{
    /* %g writes 1e-08 and 1e+08 as numpy's %e would; the points (or where
     * they would be) line up. */
    double x[] = {1e-8, 1e8};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2)));
    double y[] = {1e-8, -1.5e8, 2.25, 1e100};
    galley_tensor_print(galley_from_f64(y, GALLEY_SHAPE(2, 2)));
    float z[] = {1e-8f, 1e8f, 0.5f};
    galley_tensor_print(galley_from_f32(z, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float64 [2]
      [1e-08, 1e+08]
      float64 [2, 2]
      [[ 1e-08  , -1.5e+08],
       [ 2.25   ,  1e+100 ]]
      float32 [3, 1]
      [[1e-08],
       [1e+08],
       [0.5  ]]
    */);
}

TEST(extreme_values)
{
    double x[] = {1.7976931348623157e308, 5e-324, -2.2250738585072014e-308};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(3)));
    float y[] = {3.40282347e38f, 1.4e-45f};
    galley_tensor_print(galley_from_f32(y, GALLEY_SHAPE(2)));
    EXPECT(/*
      float64 [3]
      [ 1.79769e+308,  4.94066e-324, -2.22507e-308]
      float32 [2]
      [3.40282e+38, 1.4013e-45 ]
    */);
}

TEST(nan_inf_and_negative_zero)
{
    /* -0 prints as 0 (the contract); nan and inf right-aligned in the
     * column, as numpy does. */
    double x[] = {NAN, INFINITY, -INFINITY, -0.0, 1.5};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    float y[] = {-0.0f, NAN, 1, -INFINITY};
    galley_tensor_print(galley_from_f32(y, GALLEY_SHAPE(2, 2)));
    double z[] = {NAN, -INFINITY};
    galley_tensor_print(galley_from_f64(z, GALLEY_SHAPE(2)));
    galley_tensor_print(galley_scalar(GALLEY_F32, -0.0));
    EXPECT(/*
      float64 [5]
      [ nan,  inf, -inf,  0  ,  1.5]
      float32 [2, 2]
      [[   0,  nan],
       [   1, -inf]]
      float64 [2]
      [ nan, -inf]
      float32 []
      0
    */);
}

TEST(nan_beside_wide_numbers)
{
    double x[] = {NAN, 1234.5, -0.25};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float64 [3, 1]
      [[    nan],
       [1234.5 ],
       [  -0.25]]
    */);
}

TEST(one_width_for_all_columns)
{
    /* numpy pads every element to one width, not each column to its own. */
    double x[] = {1, 2.5, -3, 0.25, 10, 6e10};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2, 3)));
    EXPECT(/*
      float64 [2, 3]
      [[ 1    ,  2.5  , -3    ],
       [ 0.25 , 10    ,  6e+10]]
    */);
}

/* Formats t and counts its lines that end in a space, which EXPECT's
 * normalization would hide. */
static int lines_ending_in_space(galley_tensor *t)
{
    char *s = galley_tensor_format(t);
    int n = 0;
    for (char *p = s; (p = strchr(p, '\n')); p++)
        n += p > s && p[-1] == ' ';
    free(s);
    return n;
}

TEST(no_line_ends_in_a_space)
{
    double x[] = {1.5, -2.25, NAN, 1e-8, 3, -0.0};
    galley_tensor *t = galley_from_f64(x, GALLEY_SHAPE(2, 3));
    int n = lines_ending_in_space(t);
    n += lines_ending_in_space(galley_transpose(t, 0, 1));
    n += lines_ending_in_space(galley_reshape(t, GALLEY_SHAPE(6)));
    n += lines_ending_in_space(galley_scalar(GALLEY_F32, 0.5));
    n += lines_ending_in_space(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 0)));
    options(0, 10, 1);
    n += lines_ending_in_space(galley_mul_scalar(
        range(GALLEY_F64, GALLEY_SHAPE(3, 4, 5)), 0.5));
    options(0, 0, 0);
    printf("lines ending in a space: %d\n", n);
    EXPECT(/* lines ending in a space: 0 */);
}

/* ---- precision ---- */

/* Prints pi, e and 1/3 as float64 at precision p. */
static void constants_at(int p)
{
    double x[] = {M_PI, -M_E, 1.0 / 3, 1e-5, 12345.678901234567};
    options(p, 0, 0);
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    options(0, 0, 0);
}

TEST(precision_1)
{
    constants_at(1);
    EXPECT(/*
      float64 [5]
      [ 3    , -3    ,  0.3  ,  1e-05,  1e+04]
    */);
}

TEST(precision_3)
{
    constants_at(3);
    EXPECT(/*
      float64 [5]
      [ 3.14    , -2.72    ,  0.333   ,  1e-05   ,  1.23e+04]
    */);
}

TEST(precision_6)
{
    constants_at(6);
    EXPECT(/*
      float64 [5]
      [    3.14159 ,    -2.71828 ,     0.333333,     1e-05   , 12345.7     ]
    */);
}

TEST(precision_10)
{
    constants_at(10);
    EXPECT(/*
      float64 [5]
      [    3.141592654 ,    -2.718281828 ,     0.3333333333,     1e-05       , 12345.6789      ]
    */);
}

TEST(precision_17)
{
    constants_at(17);
    EXPECT(/*
      float64 [5]
      [    3.1415926535897931    ,    -2.7182818284590451    ,     0.33333333333333331   ,     1.0000000000000001e-05, 12345.678901234567        ]
    */);
}

TEST(precision_17_round_trips_doubles)
{
    double x[] = {0.1, 0.1 + 0.2, 1.0 / 3, M_PI, 5e-324, 1.7976931348623157e308,
                  -2.718281828459045, 1e23, 9007199254740993.0};
    int n = (int)(sizeof x / sizeof x[0]);
    options(17, 0, 0);
    char *s = galley_tensor_format(galley_from_f64(x, GALLEY_SHAPE(n)));
    options(0, 0, 0);
    /* Read the numbers back from the text after its header line. */
    const char *p = strchr(s, '\n') + 1;
    int same = 0;
    for (int i = 0; i < n; i++) {
        p += strspn(p, "[, ");
        char *end;
        double back = strtod(p, &end);
        same += memcmp(&back, &x[i], sizeof back) == 0;
        p = end;
    }
    printf("%d of %d read back bit for bit\n", same, n);
    free(s);
    EXPECT(/* 9 of 9 read back bit for bit */);
}

/* ---- summarization ---- */

TEST(summarize_1d_default)
{
    /* 1001 > threshold 1000: 3 items at each end. */
    galley_tensor_print(galley_arange(GALLEY_F64, 0, 1001, 1));
    /* Exactly 1000: all of it would print; show only that it is not cut. */
    char *s = galley_tensor_format(galley_arange(GALLEY_I64, 0, 1000, 1));
    printf("has ...: %s\n", strstr(s, "...") ? "yes" : "no");
    free(s);
    EXPECT(/*
      float64 [1001]
      [   0,    1,    2, ...,  998,  999, 1000]
      has ...: no
    */);
}

TEST(summarize_1d_options)
{
    options(0, 5, 2);
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 10, 1));
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 5, 1)); /* 5: not above */
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 6, 1));
    options(0, 0, 0);
    EXPECT(/*
      int64 [10]
      [0, 1, ..., 8, 9]
      int64 [5]
      [0, 1, 2, 3, 4]
      int64 [6]
      [0, 1, ..., 4, 5]
    */);
}

TEST(summarize_axis_not_longer_than_two_edges_is_whole)
{
    /* More elements than threshold, but no axis longer than 2 * 2. */
    options(0, 3, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(4)));
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 4)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [4]
      [0, 1, 2, 3]
      int64 [2, 4]
      [[0, 1, 2, 3],
       [4, 5, 6, 7]]
    */);
}

TEST(summarize_widths_from_shown_elements_only)
{
    /* The hidden 1000000 does not widen the columns (numpy's rule). */
    double x[] = {1, 2, 1000000, 3, 4};
    options(0, 4, 2);
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    options(0, 0, 0);
    EXPECT(/*
      float64 [5]
      [1, 2, ..., 3, 4]
    */);
}

TEST(summarize_2d_rows_and_columns)
{
    options(0, 10, 2);
    galley_tensor_print(range(GALLEY_F32, GALLEY_SHAPE(6, 7)));
    options(0, 0, 0);
    EXPECT(/*
      float32 [6, 7]
      [[ 0,  1, ...,  5,  6],
       [ 7,  8, ..., 12, 13],
       ...,
       [28, 29, ..., 33, 34],
       [35, 36, ..., 40, 41]]
    */);
}

TEST(summarize_2d_rows_only)
{
    options(0, 10, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(7, 3)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [7, 3]
      [[ 0,  1,  2],
       [ 3,  4,  5],
       ...,
       [15, 16, 17],
       [18, 19, 20]]
    */);
}

TEST(summarize_2d_columns_only)
{
    options(0, 10, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 9)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [2, 9]
      [[ 0,  1, ...,  7,  8],
       [ 9, 10, ..., 16, 17]]
    */);
}

TEST(summarize_2d_default_options)
{
    galley_tensor_print(range(GALLEY_F64, GALLEY_SHAPE(40, 50)));
    EXPECT(/*
      float64 [40, 50]
      [[   0,    1,    2, ...,   47,   48,   49],
       [  50,   51,   52, ...,   97,   98,   99],
       [ 100,  101,  102, ...,  147,  148,  149],
       ...,
       [1850, 1851, 1852, ..., 1897, 1898, 1899],
       [1900, 1901, 1902, ..., 1947, 1948, 1949],
       [1950, 1951, 1952, ..., 1997, 1998, 1999]]
    */);
}

TEST(summarize_3d)
{
    options(0, 20, 1);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(4, 3, 5)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [4, 3, 5]
      [[[ 0, ...,  4],
        ...,
        [10, ..., 14]],

       ...,

       [[45, ..., 49],
        ...,
        [55, ..., 59]]]
    */);
}

TEST(summarize_3d_edgeitems_2)
{
    options(0, 50, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(5, 5, 5)));
    options(0, 0, 0);
    EXPECT(/*
      int64 [5, 5, 5]
      [[[  0,   1, ...,   3,   4],
        [  5,   6, ...,   8,   9],
        ...,
        [ 15,  16, ...,  18,  19],
        [ 20,  21, ...,  23,  24]],

       [[ 25,  26, ...,  28,  29],
        [ 30,  31, ...,  33,  34],
        ...,
        [ 40,  41, ...,  43,  44],
        [ 45,  46, ...,  48,  49]],

       ...,

       [[ 75,  76, ...,  78,  79],
        [ 80,  81, ...,  83,  84],
        ...,
        [ 90,  91, ...,  93,  94],
        [ 95,  96, ...,  98,  99]],

       [[100, 101, ..., 103, 104],
        [105, 106, ..., 108, 109],
        ...,
        [115, 116, ..., 118, 119],
        [120, 121, ..., 123, 124]]]
    */);
}

/* ---- views print their logical order ---- */

TEST(transposed_view)
{
    galley_tensor *t = range(GALLEY_F64, GALLEY_SHAPE(2, 3));
    galley_tensor *v = galley_transpose(t, 0, 1);
    printf("contiguous: %d\n", galley_is_contiguous(v));
    galley_tensor_print(v);
    EXPECT(/*
      contiguous: 0
      float64 [3, 2]
      [[0, 3],
       [1, 4],
       [2, 5]]
    */);
}

TEST(transposed_3d_view)
{
    galley_tensor *t = range(GALLEY_I64, GALLEY_SHAPE(2, 3, 4));
    galley_tensor_print(galley_transpose(t, 0, 2));
    EXPECT(/*
      int64 [4, 3, 2]
      [[[ 0, 12],
        [ 4, 16],
        [ 8, 20]],

       [[ 1, 13],
        [ 5, 17],
        [ 9, 21]],

       [[ 2, 14],
        [ 6, 18],
        [10, 22]],

       [[ 3, 15],
        [ 7, 19],
        [11, 23]]]
    */);
}

TEST(sliced_view)
{
    galley_tensor *t = range(GALLEY_I64, GALLEY_SHAPE(4, 5));
    galley_tensor_print(galley_slice(t, 1, 1, 5, 2));
    galley_tensor_print(galley_slice(t, 0, -2, 4, 1));
    galley_tensor_print(galley_select(t, 1, 3));
    EXPECT(/*
      int64 [4, 2]
      [[ 1,  3],
       [ 6,  8],
       [11, 13],
       [16, 18]]
      int64 [2, 5]
      [[10, 11, 12, 13, 14],
       [15, 16, 17, 18, 19]]
      int64 [4]
      [ 3,  8, 13, 18]
    */);
}

TEST(summarized_view)
{
    /* The summary is taken over the view's axes, not the storage's. */
    options(0, 10, 1);
    galley_tensor *t = range(GALLEY_I64, GALLEY_SHAPE(3, 8));
    galley_tensor_print(galley_transpose(t, 0, 1));
    options(0, 0, 0);
    EXPECT(/*
      int64 [8, 3]
      [[ 0, ..., 16],
       ...,
       [ 7, ..., 23]]
    */);
}

/* ---- fprint, format ---- */

TEST(format_is_fprint_text)
{
    galley_tensor *t = galley_transpose(range(GALLEY_F32, GALLEY_SHAPE(2, 3)),
                                        0, 1);
    char *a = galley_tensor_format(t), *b = fprint_text(t);
    printf("same: %d\n", strcmp(a, b) == 0);
    fputs(a, stdout);
    free(a);
    free(b);
    EXPECT(/*
      same: 1
      float32 [3, 2]
      [[0, 3],
       [1, 4],
       [2, 5]]
    */);
}

TEST(format_ends_with_one_newline)
{
    char *s = galley_tensor_format(galley_scalar(GALLEY_F64, 2));
    printf("%zu bytes, last is newline: %d\n", strlen(s),
           s[strlen(s) - 1] == '\n');
    free(s);
    char *e = galley_tensor_format(galley_zeros(GALLEY_F32, GALLEY_SHAPE(0)));
    printf("%zu bytes, last is newline: %d\n", strlen(e),
           e[strlen(e) - 1] == '\n');
    free(e);
    EXPECT(/*
      13 bytes, last is newline: 1
      15 bytes, last is newline: 1
    */);
}

TEST(fprint_to_stderr_leaves_stdout_alone)
{
    galley_tensor_fprint(stderr, galley_scalar(GALLEY_F32, 1));
    EXPECT();
}

/* ---- options ---- */

TEST(options_default)
{
    show_options();
    EXPECT(/* precision 6 threshold 1000 edgeitems 3 */);
}

TEST(options_zero_fields_take_defaults)
{
    options(3, 0, 0);
    show_options();
    options(0, 20, 0);
    show_options();
    options(0, 0, 5);
    show_options();
    options(0, 0, 0);
    show_options();
    options(2, 7, 1);
    galley_set_print_options(NULL); /* all the defaults back */
    show_options();
    EXPECT(/*
      precision 3 threshold 1000 edgeitems 3
      precision 6 threshold 20 edgeitems 3
      precision 6 threshold 1000 edgeitems 5
      precision 6 threshold 1000 edgeitems 3
      precision 6 threshold 1000 edgeitems 3
    */);
}

TEST(options_out_of_range_are_clamped)
{
    options(40, 0, 0);
    show_options();
    options(-3, -1, -2);
    show_options();
    /* A negative threshold summarizes every tensor, as numpy's 0 does. */
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 3, 1));
    options(0, 0, 0);
    EXPECT(/*
      precision 17 threshold 1000 edgeitems 3
      precision 1 threshold 1 edgeitems 1
      int64 [3]
      [0, ..., 2]
    */);
}

/* Reads this thread's options into *arg. */
static void *options_of_thread(void *arg)
{
    *(galley_print_options *)arg = galley_get_print_options();
    return NULL;
}

TEST(options_are_per_thread)
{
    options(2, 7, 1);
    galley_print_options o;
    pthread_t th;
    pthread_create(&th, NULL, options_of_thread, &o);
    pthread_join(th, NULL);
    printf("other thread: precision %d threshold %ld edgeitems %d\n",
           o.precision, o.threshold, o.edgeitems);
    show_options();
    options(0, 0, 0);
    EXPECT(/*
      other thread: precision 6 threshold 1000 edgeitems 3
      precision 2 threshold 7 edgeitems 1
    */);
}

/* ---- locale ---- */

TEST(locale_with_decimal_comma_changes_nothing)
{
    double x[] = {1.5, -0.25, 1e-8};
    galley_tensor *t = galley_from_f64(x, GALLEY_SHAPE(3));
    char *before = galley_tensor_format(t);
    /* A locale with a decimal comma, where one is installed; else the
     * environment's. Either way the text must not change. Where none is
     * installed the test passes without proving much; make one with
     *   localedef -i de_DE -f UTF-8 /tmp/loc/de_DE.UTF-8
     * and run with LOCPATH=/tmp/loc: without galley's own C locale the
     * text reads "1,5". */
    setenv("LC_NUMERIC", "de_DE.UTF-8", 1);
    const char *set = setlocale(LC_ALL, "");
    if (!set || strcmp(localeconv()->decimal_point, ",") != 0) {
        setenv("LC_NUMERIC", "fr_FR.UTF-8", 1);
        setlocale(LC_ALL, "");
    }
    char *after = galley_tensor_format(t);
    /* Also with a per-thread locale of C or of the decimal comma. */
    locale_t l = newlocale(LC_NUMERIC_MASK, "de_DE.UTF-8", (locale_t)0);
    if (!l)
        l = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = uselocale(l);
    char *in_thread = galley_tensor_format(t);
    uselocale(old);
    freelocale(l);
    setlocale(LC_ALL, "C");
    printf("same after setlocale: %d\n", strcmp(before, after) == 0);
    printf("same under uselocale: %d\n", strcmp(before, in_thread) == 0);
    fputs(after, stdout);
    free(before);
    free(after);
    free(in_thread);
    EXPECT(/*
      same after setlocale: 1
      same under uselocale: 1
      float64 [3]
      [ 1.5  , -0.25 ,  1e-08]
    */);
}

/* ---- errors ---- */

TEST(errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor_print(NULL);
    galley_tensor_fprint(stdout, NULL);
    printf("format: %s\n", galley_tensor_format(NULL) ? "text" : "NULL");
    galley_tensor *t = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_tensor_free(t);
    galley_tensor_print(t);
    galley_tensor_fprint(NULL, galley_ones(GALLEY_F32, GALLEY_SHAPE(2)));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      error: galley_tensor_print: input t is NULL
      error: galley_tensor_fprint: input t is NULL
      error: galley_tensor_format: input t is NULL
      format: NULL
      error: galley_tensor_print: input t was freed (by galley_tensor_free or the end of its scope)
      error: galley_tensor_fprint: file is NULL
    */);
}
