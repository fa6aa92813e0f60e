/* tensor_print_test.c: galley_tensor_print, galley_tensor_fprint, galley_tensor_format and the
 * print options, tested with galley. The numpy style's expectations are
 * numpy 1.24's np.array2string(a) under galley's header line (compared
 * case by case in tensor_print_numpy_test.c); those of the compact style
 * are np.array2string(a, separator=", ") with tensor.h's element text: %g
 * with `precision` significant digits (so 1 for numpy's "1."), -0 as 0. */
#define _GNU_SOURCE /* open_memstream, newlocale */
#include "tensor_check.h"
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets the print options of the numpy style; linewidth stays 75. */
static void options(int precision, long threshold, int edgeitems)
{
    galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;
    o.precision = precision;
    o.threshold = threshold;
    o.edgeitems = edgeitems;
    galley_set_print_options(&o);
}

/* Sets the compact style with `precision` significant digits. */
static void compact(int precision)
{
    galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;
    o.style = GALLEY_PRINT_COMPACT;
    o.precision = precision;
    galley_set_print_options(&o);
}

/* Prints the options now in force. */
static void show_options(void)
{
    galley_print_options o = galley_get_print_options();
    printf("version %u style %d precision %d threshold %ld edgeitems %d "
           "linewidth %d\n", o.version, (int)o.style, o.precision,
           o.threshold, o.edgeitems, o.linewidth);
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
      [ 1.5   2.25 -3.  ]
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
      [[0. 1. 2.]
       [3. 4. 5.]]
      float64 [3, 2]
      [[  0.5   -12.25 ]
       [  3.    100.   ]
       [ -0.125   7.   ]]
    */);
}

TEST(tensor_3d)
{
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 3, 4)));
    EXPECT(/*
      int64 [2, 3, 4]
      [[[ 0  1  2  3]
        [ 4  5  6  7]
        [ 8  9 10 11]]

       [[12 13 14 15]
        [16 17 18 19]
        [20 21 22 23]]]
    */);
}

TEST(tensor_4d)
{
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 2, 2, 2)));
    galley_tensor_print(galley_mul_scalar(range(GALLEY_F32, GALLEY_SHAPE(1, 2, 1, 3)),
                                   0.5));
    EXPECT(/*
      int64 [2, 2, 2, 2]
      [[[[ 0  1]
         [ 2  3]]

        [[ 4  5]
         [ 6  7]]]


       [[[ 8  9]
         [10 11]]

        [[12 13]
         [14 15]]]]
      float32 [1, 2, 1, 3]
      [[[[0.  0.5 1. ]]

        [[1.5 2.  2.5]]]]
    */);
}

TEST(size_one_axes)
{
    galley_tensor_print(galley_ones(GALLEY_F32, GALLEY_SHAPE(1, 1, 1)));
    galley_tensor_print(galley_ones(GALLEY_F32, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float32 [1, 1, 1]
      [[[1.]]]
      float32 [3, 1]
      [[1.]
       [1.]
       [1.]]
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
    /* 0.1f is 0.100000001490116...: its shortest float32 digits are 0.1,
     * whatever the precision; as float64 0.3f needs 0.30000001. */
    float x[] = {0.1f, 0.2f, 0.3f, 1.0f / 3};
    galley_tensor *t = galley_from_f32(x, GALLEY_SHAPE(4));
    galley_tensor_print(t);
    galley_tensor_print(galley_tensor_to(t, GALLEY_F64));
    options(10, 1000, 3);
    galley_tensor_print(t);
    options(17, 1000, 3);
    galley_tensor_print(galley_slice(t, 0, 0, 1, 1));
    galley_set_print_options(NULL);
    EXPECT(/*
      float32 [4]
      [0.1        0.2        0.3        0.33333334]
      float64 [4]
      [0.1        0.2        0.30000001 0.33333334]
      float32 [4]
      [0.1        0.2        0.3        0.33333334]
      float32 [1]
      [0.1]
    */);
}

TEST(float64_scientific_when_max_over_min_passes_1000)
{
    double x[] = {0.1, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123456.7, 1234567.0};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(6)));
    EXPECT(/*
      float64 [6]
      [1.00000000e-01 3.00000000e-01 3.33333333e-01 6.66666667e-01
       1.23456700e+05 1.23456700e+06]
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
      [-1.0000e+00  2.5000e+00 -1.0000e-03  3.0000e+01 -4.0075e+02]
      float64 [2, 2]
      [[-1. -2.]
       [-3. -4.]]
    */);
}

TEST(integer_valued_floats)
{
    double x[] = {1, 10, 100, -1000, 0, 999999};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2, 3)));
    EXPECT(/*
      float64 [2, 3]
      [[ 1.00000e+00  1.00000e+01  1.00000e+02]
       [-1.00000e+03  0.00000e+00  9.99999e+05]]
    */);
}

TEST(int64)
{
    int64_t x[] = {INT64_MIN, INT64_MAX, 0, -1, 7, 1000};
    galley_tensor_print(galley_from_i64(x, GALLEY_SHAPE(3, 2)));
    EXPECT(/*
      int64 [3, 2]
      [[-9223372036854775808  9223372036854775807]
       [                   0                   -1]
       [                   7                 1000]]
    */);
}

TEST(int64_ignores_precision)
{
    int64_t x[] = {123456789, -42};
    options(1, 1000, 3);
    galley_tensor_print(galley_from_i64(x, GALLEY_SHAPE(2)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [2]
      [123456789       -42]
    */);
}

TEST(mixed_magnitudes_use_exponents)
{
    /* One exponent width for all: 1e+100 widens 1e-08 to 1.00e-008. */
    double x[] = {1e-8, 1e8};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2)));
    double y[] = {1e-8, -1.5e8, 2.25, 1e100};
    galley_tensor_print(galley_from_f64(y, GALLEY_SHAPE(2, 2)));
    float z[] = {1e-8f, 1e8f, 0.5f};
    galley_tensor_print(galley_from_f32(z, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float64 [2]
      [1.e-08 1.e+08]
      float64 [2, 2]
      [[ 1.00e-008 -1.50e+008]
       [ 2.25e+000  1.00e+100]]
      float32 [3, 1]
      [[1.e-08]
       [1.e+08]
       [5.e-01]]
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
      [ 1.79769313e+308  4.94065646e-324 -2.22507386e-308]
      float32 [2]
      [3.4028235e+38 1.4012985e-45]
    */);
}

TEST(nan_inf_and_negative_zero)
{
    /* -0 prints as -0. (numpy); nan and inf right-aligned in the
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
      [ nan  inf -inf -0.   1.5]
      float32 [2, 2]
      [[ -0.  nan]
       [  1. -inf]]
      float64 [2]
      [ nan -inf]
      float32 []
      -0.
    */);
}

TEST(nan_beside_wide_numbers)
{
    double x[] = {NAN, 1234.5, -0.25};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(3, 1)));
    EXPECT(/*
      float64 [3, 1]
      [[        nan]
       [ 1.2345e+03]
       [-2.5000e-01]]
    */);
}

TEST(one_width_for_all_columns)
{
    /* numpy pads every element to one width, not each column to its own. */
    double x[] = {1, 2.5, -3, 0.25, 10, 6e10};
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(2, 3)));
    EXPECT(/*
      float64 [2, 3]
      [[ 1.0e+00  2.5e+00 -3.0e+00]
       [ 2.5e-01  1.0e+01  6.0e+10]]
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
    options(8, 10, 1);
    n += lines_ending_in_space(galley_mul_scalar(
        range(GALLEY_F64, GALLEY_SHAPE(3, 4, 5)), 0.5));
    galley_set_print_options(NULL);
    printf("lines ending in a space: %d\n", n);
    EXPECT(/* lines ending in a space: 0 */);
}

/* ---- precision ---- */

/* Prints pi, e and 1/3 as float64 in the compact style at precision p. */
static void constants_at(int p)
{
    double x[] = {M_PI, -M_E, 1.0 / 3, 1e-5, 12345.678901234567};
    compact(p);
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    galley_set_print_options(NULL);
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
      [    3.141592654 ,    -2.718281828 ,     0.3333333333,     1e-05       ,
       12345.6789      ]
    */);
}

TEST(precision_17)
{
    constants_at(17);
    EXPECT(/*
      float64 [5]
      [    3.1415926535897931    ,    -2.7182818284590451    ,
           0.33333333333333331   ,     1.0000000000000001e-05,
       12345.678901234567        ]
    */);
}

TEST(precision_17_round_trips_doubles)
{
    double x[] = {0.1, 0.1 + 0.2, 1.0 / 3, M_PI, 5e-324, 1.7976931348623157e308,
                  -2.718281828459045, 1e23, 9007199254740993.0};
    int n = (int)(sizeof x / sizeof x[0]);
    compact(17);
    char *s = galley_tensor_format(galley_from_f64(x, GALLEY_SHAPE(n)));
    galley_set_print_options(NULL);
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
      [   0.    1.    2. ...  998.  999. 1000.]
      has ...: no
    */);
}

TEST(summarize_1d_options)
{
    options(8, 5, 2);
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 10, 1));
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 5, 1)); /* 5: not above */
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 6, 1));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [10]
      [0 1 ... 8 9]
      int64 [5]
      [0 1 2 3 4]
      int64 [6]
      [0 1 ... 4 5]
    */);
}

TEST(summarize_axis_not_longer_than_two_edges_is_whole)
{
    /* More elements than threshold, but no axis longer than 2 * 2. */
    options(8, 3, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(4)));
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 4)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [4]
      [0 1 2 3]
      int64 [2, 4]
      [[0 1 2 3]
       [4 5 6 7]]
    */);
}

TEST(summarize_widths_from_shown_elements_only)
{
    /* The hidden 1000000 does not widen the columns (numpy's rule). */
    double x[] = {1, 2, 1000000, 3, 4};
    options(8, 4, 2);
    galley_tensor_print(galley_from_f64(x, GALLEY_SHAPE(5)));
    galley_set_print_options(NULL);
    EXPECT(/*
      float64 [5]
      [1. 2. ... 3. 4.]
    */);
}

TEST(summarize_2d_rows_and_columns)
{
    options(8, 10, 2);
    galley_tensor_print(range(GALLEY_F32, GALLEY_SHAPE(6, 7)));
    galley_set_print_options(NULL);
    EXPECT(/*
      float32 [6, 7]
      [[ 0.  1. ...  5.  6.]
       [ 7.  8. ... 12. 13.]
       ...
       [28. 29. ... 33. 34.]
       [35. 36. ... 40. 41.]]
    */);
}

TEST(summarize_2d_rows_only)
{
    options(8, 10, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(7, 3)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [7, 3]
      [[ 0  1  2]
       [ 3  4  5]
       ...
       [15 16 17]
       [18 19 20]]
    */);
}

TEST(summarize_2d_columns_only)
{
    options(8, 10, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 9)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [2, 9]
      [[ 0  1 ...  7  8]
       [ 9 10 ... 16 17]]
    */);
}

TEST(summarize_2d_default_options)
{
    galley_tensor_print(range(GALLEY_F64, GALLEY_SHAPE(40, 50)));
    EXPECT(/*
      float64 [40, 50]
      [[0.000e+00 1.000e+00 2.000e+00 ... 4.700e+01 4.800e+01 4.900e+01]
       [5.000e+01 5.100e+01 5.200e+01 ... 9.700e+01 9.800e+01 9.900e+01]
       [1.000e+02 1.010e+02 1.020e+02 ... 1.470e+02 1.480e+02 1.490e+02]
       ...
       [1.850e+03 1.851e+03 1.852e+03 ... 1.897e+03 1.898e+03 1.899e+03]
       [1.900e+03 1.901e+03 1.902e+03 ... 1.947e+03 1.948e+03 1.949e+03]
       [1.950e+03 1.951e+03 1.952e+03 ... 1.997e+03 1.998e+03 1.999e+03]]
    */);
}

TEST(summarize_3d)
{
    options(8, 20, 1);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(4, 3, 5)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [4, 3, 5]
      [[[ 0 ...  4]
        ...
        [10 ... 14]]

       ...

       [[45 ... 49]
        ...
        [55 ... 59]]]
    */);
}

TEST(summarize_3d_edgeitems_2)
{
    options(8, 50, 2);
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(5, 5, 5)));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [5, 5, 5]
      [[[  0   1 ...   3   4]
        [  5   6 ...   8   9]
        ...
        [ 15  16 ...  18  19]
        [ 20  21 ...  23  24]]

       [[ 25  26 ...  28  29]
        [ 30  31 ...  33  34]
        ...
        [ 40  41 ...  43  44]
        [ 45  46 ...  48  49]]

       ...

       [[ 75  76 ...  78  79]
        [ 80  81 ...  83  84]
        ...
        [ 90  91 ...  93  94]
        [ 95  96 ...  98  99]]

       [[100 101 ... 103 104]
        [105 106 ... 108 109]
        ...
        [115 116 ... 118 119]
        [120 121 ... 123 124]]]
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
      [[0. 3.]
       [1. 4.]
       [2. 5.]]
    */);
}

TEST(transposed_3d_view)
{
    galley_tensor *t = range(GALLEY_I64, GALLEY_SHAPE(2, 3, 4));
    galley_tensor_print(galley_transpose(t, 0, 2));
    EXPECT(/*
      int64 [4, 3, 2]
      [[[ 0 12]
        [ 4 16]
        [ 8 20]]

       [[ 1 13]
        [ 5 17]
        [ 9 21]]

       [[ 2 14]
        [ 6 18]
        [10 22]]

       [[ 3 15]
        [ 7 19]
        [11 23]]]
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
      [[ 1  3]
       [ 6  8]
       [11 13]
       [16 18]]
      int64 [2, 5]
      [[10 11 12 13 14]
       [15 16 17 18 19]]
      int64 [4]
      [ 3  8 13 18]
    */);
}

TEST(summarized_view)
{
    /* The summary is taken over the view's axes, not the storage's. */
    options(8, 10, 1);
    galley_tensor *t = range(GALLEY_I64, GALLEY_SHAPE(3, 8));
    galley_tensor_print(galley_transpose(t, 0, 1));
    galley_set_print_options(NULL);
    EXPECT(/*
      int64 [8, 3]
      [[ 0 ... 16]
       ...
       [ 7 ... 23]]
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
      [[0. 3.]
       [1. 4.]
       [2. 5.]]
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
      14 bytes, last is newline: 1
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
    EXPECT(/*
      version 1 style 0 precision 8 threshold 1000 edgeitems 3 linewidth 75
    */);
}

TEST(options_are_taken_as_given)
{
    /* 0 is a value like any other (numpy's precision=0, threshold=0). */
    galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;
    o.precision = 0;
    o.threshold = 0;
    o.edgeitems = 0;
    o.linewidth = 0;
    galley_set_print_options(&o);
    show_options();
    options(2, 7, 1);
    show_options();
    galley_set_print_options(NULL); /* all the defaults back */
    show_options();
    EXPECT(/*
      version 1 style 0 precision 0 threshold 0 edgeitems 0 linewidth 0
      version 1 style 0 precision 2 threshold 7 edgeitems 1 linewidth 75
      version 1 style 0 precision 8 threshold 1000 edgeitems 3 linewidth 75
    */);
}

TEST(options_not_from_init_or_out_of_range_are_refused)
{
    galley_tensor_on_error(on_error, NULL);
    options(2, 7, 1);
    /* Zero-initialized, as galley's options once were. */
    galley_set_print_options(&(galley_print_options){.precision = 4});
    galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;
    o.precision = 31;
    galley_set_print_options(&o);
    o.precision = -1;
    galley_set_print_options(&o);
    o = (galley_print_options)GALLEY_PRINT_OPTIONS_INIT;
    o.threshold = -1;
    galley_set_print_options(&o);
    o.threshold = 1000;
    o.edgeitems = -2;
    galley_set_print_options(&o);
    o.edgeitems = 3;
    o.linewidth = -75;
    galley_set_print_options(&o);
    o.linewidth = 75;
    o.style = (galley_print_style)7;
    galley_set_print_options(&o);
    show_options(); /* unchanged by all of them */
    galley_set_print_options(NULL);
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      error: galley_set_print_options: options were not started from GALLEY_PRINT_OPTIONS_INIT: write `galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;` and set the fields (each is taken as given, 0 included)
      error: galley_set_print_options: precision 31 is outside 0..30
      error: galley_set_print_options: precision -1 is outside 0..30
      error: galley_set_print_options: threshold -1 is negative
      error: galley_set_print_options: edgeitems -2 is negative
      error: galley_set_print_options: linewidth -75 is negative
      error: galley_set_print_options: style 7 is neither GALLEY_PRINT_NUMPY nor GALLEY_PRINT_COMPACT
      version 1 style 0 precision 2 threshold 7 edgeitems 1 linewidth 75
    */);
}

TEST(compact_style_keeps_galleys_former_text)
{
    double x[] = {1.5, -0.0, 1.0 / 3, NAN, 1e-8, 123456789};
    galley_tensor *t = galley_from_f64(x, GALLEY_SHAPE(2, 3));
    galley_tensor_print(t);
    compact(6);
    galley_tensor_print(t);
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 3, 1));
    /* Lines wrap as np.array2string(a, separator=", ") wraps them. */
    galley_tensor_print(galley_arange(GALLEY_F32, 0, 30, 1));
    galley_set_print_options(NULL);
    EXPECT(/*
      float64 [2, 3]
      [[ 1.50000000e+00 -0.00000000e+00  3.33333333e-01]
       [            nan  1.00000000e-08  1.23456789e+08]]
      float64 [2, 3]
      [[1.5        , 0          , 0.333333   ],
       [        nan, 1e-08      , 1.23457e+08]]
      int64 [3]
      [0, 1, 2]
      float32 [30]
      [ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
       18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]
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
    printf("other thread: style %d precision %d threshold %ld edgeitems %d "
           "linewidth %d\n", (int)o.style, o.precision, o.threshold,
           o.edgeitems, o.linewidth);
    show_options();
    galley_set_print_options(NULL);
    EXPECT(/*
      other thread: style 0 precision 8 threshold 1000 edgeitems 3 linewidth 75
      version 1 style 0 precision 2 threshold 7 edgeitems 1 linewidth 75
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
      [ 1.5e+00 -2.5e-01  1.0e-08]
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
