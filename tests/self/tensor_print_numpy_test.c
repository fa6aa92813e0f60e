/* tensor_print_numpy_test.c: galley_tensor_print side by side with numpy
 * 1.24. Each expectation is galley's header line over the body numpy
 * prints for the same array: np.array2string(a) (the text of print(a)),
 * with the options named where they differ from numpy's defaults; the
 * comment over each case is the numpy array. Made by a script that runs
 * numpy, and read. */
#include <galley.h>
#include <galley/tensor.h>
#include <math.h>

/* Prints the float64 / float32 / int64 tensor of the given shape, e.g.
 * F64((2, 2), 1.5, -2.0, 3.25, 4.0) for np.array([[1.5, -2.], [3.25, 4.]]). */
#define F64(SHAPE, ...)                                                        \
    galley_tensor_print(                                                      \
        galley_from_f64((const double[]){__VA_ARGS__}, GALLEY_SHAPE SHAPE))
#define F32(SHAPE, ...)                                                        \
    galley_tensor_print(                                                      \
        galley_from_f32((const float[]){__VA_ARGS__}, GALLEY_SHAPE SHAPE))
#define I64(SHAPE, ...)                                                        \
    galley_tensor_print(                                                      \
        galley_from_i64((const int64_t[]){__VA_ARGS__}, GALLEY_SHAPE SHAPE))

/* 0, 1, ... n-1 of dtype, in shape: np.arange(n).reshape(shape). */
static galley_tensor *range(galley_dtype dtype, int ndim, const long *shape)
{
    long n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    return galley_reshape(galley_arange(dtype, 0, (double)n, 1), ndim, shape);
}

/* Sets the print options of the numpy style. */
static void options(int precision, long threshold, int edgeitems,
                    int linewidth)
{
    galley_print_options o = GALLEY_PRINT_OPTIONS_INIT;
    o.precision = precision;
    o.threshold = threshold;
    o.edgeitems = edgeitems;
    o.linewidth = linewidth;
    galley_set_print_options(&o);
}

TEST(floats_1d)
{
    /* np.array([1.5, 2.25, -3]) */
    F64((3), 1.5, 2.25, -3.0);
    /* np.array([1., 2., 3.]) */
    F64((3), 1.0, 2.0, 3.0);
    /* np.array([1/3, 2/3]) */
    F64((2), 0.3333333333333333, 0.6666666666666666);
    /* np.array([1/3, 2/3], dtype=np.float32) */
    F32((2), 0.33333334f, 0.6666667f);
    /* np.array([0.1 + 0.2, 0.1]) */
    F64((2), 0.30000000000000004, 0.1);
    /* np.array([123456789], dtype=np.float32) */
    F32((1), 123456790.0f);
    /* np.array([99999992], dtype=np.float32) */
    F32((1), 99999990.0f);
    /* np.array([99999999.]) */
    F64((1), 99999999.0);
    /* np.array([1000., 1.]) */
    F64((2), 1000.0, 1.0);
    /* np.array([0.001953125, 1.]) */
    F64((2), 0.001953125, 1.0);
    /* np.array([0.0001, 100.]) */
    F64((2), 0.0001, 100.0);
    EXPECT(/*
      float64 [3]
      [ 1.5   2.25 -3.  ]
      float64 [3]
      [1. 2. 3.]
      float64 [2]
      [0.33333333 0.66666667]
      float32 [2]
      [0.33333334 0.6666667 ]
      float64 [2]
      [0.3 0.1]
      float32 [1]
      [1.2345679e+08]
      float32 [1]
      [99999992.]
      float64 [1]
      [99999999.]
      float64 [2]
      [1000.    1.]
      float64 [2]
      [0.00195312 1.        ]
      float64 [2]
      [1.e-04 1.e+02]
    */);
}

TEST(scientific)
{
    /* np.array([1e-5, 1.5]) */
    F64((2), 1e-05, 1.5);
    /* np.array([1000.5, 1.]) */
    F64((2), 1000.5, 1.0);
    /* np.array([1e8]) */
    F64((1), 100000000.0);
    /* np.array([123.456, -0.001]) */
    F64((2), 123.456, -0.001);
    /* np.array([1e-100, 1e5]) */
    F64((2), 1e-100, 100000.0);
    /* np.array([0., 1e20, -2.5e-7]) */
    F64((3), 0.0, 1e+20, -2.5e-07);
    /* np.array([1e-4], dtype=np.float32) */
    F32((1), 1e-04f);
    /* np.array([0.1, 0.114932634, 1e-7], dtype=np.float32) */
    F32((3), 0.1f, 0.114932634f, 1e-07f);
    /* np.array([1/3, 1e-6]) */
    F64((2), 0.3333333333333333, 1e-06);
    /* np.array([1.99999999999e9, 3.]) */
    F64((2), 1999999999.99, 3.0);
    EXPECT(/*
      float64 [2]
      [1.0e-05 1.5e+00]
      float64 [2]
      [1.0005e+03 1.0000e+00]
      float64 [1]
      [1.e+08]
      float64 [2]
      [ 1.23456e+02 -1.00000e-03]
      float64 [2]
      [1.e-100 1.e+005]
      float64 [3]
      [ 0.0e+00  1.0e+20 -2.5e-07]
      float32 [1]
      [1.e-04]
      float32 [3]
      [1.00000001e-01 1.14932634e-01 1.00000001e-07]
      float64 [2]
      [3.33333333e-01 1.00000000e-06]
      float64 [2]
      [2.e+09 3.e+00]
    */);
}

TEST(zeros_nan_inf)
{
    /* np.array([-0., 0., 1.]) */
    F64((3), -0.0, 0.0, 1.0);
    /* np.array([-0.]) */
    F64((1), -0.0);
    /* np.array([-0., 1e-5]) */
    F64((2), -0.0, 1e-05);
    /* np.array([np.nan, np.inf, -np.inf]) */
    F64((3), NAN, INFINITY, -INFINITY);
    /* np.array([np.nan, np.inf]) */
    F64((2), NAN, INFINITY);
    /* np.array([1.5, np.nan, -np.inf]) */
    F64((3), 1.5, NAN, -INFINITY);
    /* np.array([np.nan, 1e-5, 1.]) */
    F64((3), NAN, 1e-05, 1.0);
    /* np.array([np.inf, 0.25], dtype=np.float32) */
    F32((2), INFINITY, 0.25f);
    EXPECT(/*
      float64 [3]
      [-0.  0.  1.]
      float64 [1]
      [-0.]
      float64 [2]
      [-0.e+00  1.e-05]
      float64 [3]
      [ nan  inf -inf]
      float64 [2]
      [nan inf]
      float64 [3]
      [ 1.5  nan -inf]
      float64 [3]
      [   nan 1.e-05 1.e+00]
      float32 [2]
      [ inf 0.25]
    */);
}

TEST(wrapping)
{
    /* np.arange(30.) / 7 */
    F64((30), 0.0, 0.14285714285714285, 0.2857142857142857,
            0.42857142857142855, 0.5714285714285714, 0.7142857142857143,
            0.8571428571428571, 1.0, 1.1428571428571428, 1.2857142857142858,
            1.4285714285714286, 1.5714285714285714, 1.7142857142857142,
            1.8571428571428572, 2.0, 2.142857142857143, 2.2857142857142856,
            2.4285714285714284, 2.5714285714285716, 2.7142857142857144,
            2.857142857142857, 3.0, 3.142857142857143, 3.2857142857142856,
            3.4285714285714284, 3.5714285714285716, 3.7142857142857144,
            3.857142857142857, 4.0, 4.142857142857143);
    /* (np.arange(30.) / 7).astype(np.float32) */
    F32((30), 0.0f, 0.14285715f, 0.2857143f, 0.42857143f, 0.5714286f,
            0.71428573f, 0.85714287f, 1.0f, 1.1428572f, 1.2857143f, 1.4285715f,
            1.5714285f, 1.7142857f, 1.8571428f, 2.0f, 2.142857f, 2.2857144f,
            2.4285715f, 2.5714285f, 2.7142856f, 2.857143f, 3.0f, 3.142857f,
            3.2857144f, 3.4285715f, 3.5714285f, 3.7142856f, 3.857143f, 4.0f,
            4.142857f);
    /* np.arange(40.).reshape(2, 20) / 4 */
    F64((2, 20), 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5,
            2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25, 4.5, 4.75, 5.0, 5.25, 5.5,
            5.75, 6.0, 6.25, 6.5, 6.75, 7.0, 7.25, 7.5, 7.75, 8.0, 8.25, 8.5,
            8.75, 9.0, 9.25, 9.5, 9.75);
    /* np.arange(-20, 20) */
    galley_tensor_print(galley_arange(GALLEY_I64, -20, 20, 1));
    /* np.arange(25, dtype=np.float32) */
    galley_tensor_print(galley_arange(GALLEY_F32, 0, 25, 1));
    EXPECT(/*
      float64 [30]
      [0.         0.14285714 0.28571429 0.42857143 0.57142857 0.71428571
       0.85714286 1.         1.14285714 1.28571429 1.42857143 1.57142857
       1.71428571 1.85714286 2.         2.14285714 2.28571429 2.42857143
       2.57142857 2.71428571 2.85714286 3.         3.14285714 3.28571429
       3.42857143 3.57142857 3.71428571 3.85714286 4.         4.14285714]
      float32 [30]
      [0.         0.14285715 0.2857143  0.42857143 0.5714286  0.71428573
       0.85714287 1.         1.1428572  1.2857143  1.4285715  1.5714285
       1.7142857  1.8571428  2.         2.142857   2.2857144  2.4285715
       2.5714285  2.7142856  2.857143   3.         3.142857   3.2857144
       3.4285715  3.5714285  3.7142856  3.857143   4.         4.142857  ]
      float64 [2, 20]
      [[0.   0.25 0.5  0.75 1.   1.25 1.5  1.75 2.   2.25 2.5  2.75 3.   3.25
        3.5  3.75 4.   4.25 4.5  4.75]
       [5.   5.25 5.5  5.75 6.   6.25 6.5  6.75 7.   7.25 7.5  7.75 8.   8.25
        8.5  8.75 9.   9.25 9.5  9.75]]
      int64 [40]
      [-20 -19 -18 -17 -16 -15 -14 -13 -12 -11 -10  -9  -8  -7  -6  -5  -4  -3
        -2  -1   0   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15
        16  17  18  19]
      float32 [25]
      [ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.
       18. 19. 20. 21. 22. 23. 24.]
    */);
}

TEST(nd_and_int64)
{
    /* np.array([[1.5, -2.], [3.25, 4.]]) */
    F64((2, 2), 1.5, -2.0, 3.25, 4.0);
    /* np.arange(24.).reshape(2, 3, 4) */
    galley_tensor_print(range(GALLEY_F64, GALLEY_SHAPE(2, 3, 4)));
    /* np.arange(12).reshape(2, 1, 2, 3) */
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 1, 2, 3)));
    /* np.array([1, -20, 300]) */
    I64((3), 1, -20, 300);
    /* np.array([[-9223372036854775807 - 1], [9223372036854775807]]) */
    I64((2, 1), INT64_MIN, 9223372036854775807);
    EXPECT(/*
      float64 [2, 2]
      [[ 1.5  -2.  ]
       [ 3.25  4.  ]]
      float64 [2, 3, 4]
      [[[ 0.  1.  2.  3.]
        [ 4.  5.  6.  7.]
        [ 8.  9. 10. 11.]]

       [[12. 13. 14. 15.]
        [16. 17. 18. 19.]
        [20. 21. 22. 23.]]]
      int64 [2, 1, 2, 3]
      [[[[ 0  1  2]
         [ 3  4  5]]]


       [[[ 6  7  8]
         [ 9 10 11]]]]
      int64 [3]
      [  1 -20 300]
      int64 [2, 1]
      [[-9223372036854775808]
       [ 9223372036854775807]]
    */);
}

TEST(summarized)
{
    /* np.arange(2000.) */
    galley_tensor_print(galley_arange(GALLEY_F64, 0, 2000, 1));
    /* np.arange(2000).reshape(2, 1000) */
    galley_tensor_print(range(GALLEY_I64, GALLEY_SHAPE(2, 1000)));
    /* np.arange(2000, dtype=np.float32).reshape(2, 8, 125) */
    galley_tensor_print(range(GALLEY_F32, GALLEY_SHAPE(2, 8, 125)));
    EXPECT(/*
      float64 [2000]
      [0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]
      int64 [2, 1000]
      [[   0    1    2 ...  997  998  999]
       [1000 1001 1002 ... 1997 1998 1999]]
      float32 [2, 8, 125]
      [[[0.000e+00 1.000e+00 2.000e+00 ... 1.220e+02 1.230e+02 1.240e+02]
        [1.250e+02 1.260e+02 1.270e+02 ... 2.470e+02 2.480e+02 2.490e+02]
        [2.500e+02 2.510e+02 2.520e+02 ... 3.720e+02 3.730e+02 3.740e+02]
        ...
        [6.250e+02 6.260e+02 6.270e+02 ... 7.470e+02 7.480e+02 7.490e+02]
        [7.500e+02 7.510e+02 7.520e+02 ... 8.720e+02 8.730e+02 8.740e+02]
        [8.750e+02 8.760e+02 8.770e+02 ... 9.970e+02 9.980e+02 9.990e+02]]

       [[1.000e+03 1.001e+03 1.002e+03 ... 1.122e+03 1.123e+03 1.124e+03]
        [1.125e+03 1.126e+03 1.127e+03 ... 1.247e+03 1.248e+03 1.249e+03]
        [1.250e+03 1.251e+03 1.252e+03 ... 1.372e+03 1.373e+03 1.374e+03]
        ...
        [1.625e+03 1.626e+03 1.627e+03 ... 1.747e+03 1.748e+03 1.749e+03]
        [1.750e+03 1.751e+03 1.752e+03 ... 1.872e+03 1.873e+03 1.874e+03]
        [1.875e+03 1.876e+03 1.877e+03 ... 1.997e+03 1.998e+03 1.999e+03]]]
    */);
}

TEST(zero_d_and_empty)
{
    /* np.array(1.5) */
    galley_tensor_print(galley_scalar(GALLEY_F64, 1.5));
    /* np.array(1/3, dtype=np.float32) */
    galley_tensor_print(galley_scalar(GALLEY_F32, 1.0 / 3));
    /* np.array(-0.) */
    galley_tensor_print(galley_scalar(GALLEY_F64, -0.0));
    /* np.array(1e-5) */
    galley_tensor_print(galley_scalar(GALLEY_F64, 1e-5));
    /* np.array(np.nan) */
    galley_tensor_print(galley_scalar(GALLEY_F64, NAN));
    /* np.array(-42) */
    galley_tensor_print(galley_scalar(GALLEY_I64, -42));
    /* np.zeros(0, dtype=np.float32) */
    galley_tensor_print(galley_zeros(GALLEY_F32, GALLEY_SHAPE(0)));
    /* np.zeros((2, 0)) */
    galley_tensor_print(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 0)));
    EXPECT(/*
      float64 []
      1.5
      float32 []
      0.33333334
      float64 []
      -0.
      float64 []
      1.e-05
      float64 []
      nan
      int64 []
      -42
      float32 [0]
      []
      float64 [2, 0]
      []
    */);
}

TEST(options)
{
    /* np.array2string(np.array([1/3, 2/3, 2.]), precision=3) */
    options(3, 1000, 3, 75);
    F64((3), 0.3333333333333333, 0.6666666666666666, 2.0);
    /* np.array2string(np.array([1/3, 1e-5]), precision=3) */
    options(3, 1000, 3, 75);
    F64((2), 0.3333333333333333, 1e-05);
    /* np.array2string(np.array([1.4, 0.3]), precision=0) */
    options(0, 1000, 3, 75);
    F64((2), 1.4, 0.3);
    /* np.array2string(np.array([1.4e-7, 0.3]), precision=0) */
    options(0, 1000, 3, 75);
    F64((2), 1.4e-07, 0.3);
    /* np.array2string(np.arange(10.), max_line_width=20) */
    options(8, 1000, 3, 20);
    galley_tensor_print(galley_arange(GALLEY_F64, 0, 10, 1));
    /* np.array2string(np.arange(3.), max_line_width=0) */
    options(8, 1000, 3, 0);
    galley_tensor_print(galley_arange(GALLEY_F64, 0, 3, 1));
    /* np.array2string(np.arange(10.), threshold=0, edgeitems=1) */
    options(8, 0, 1, 75);
    galley_tensor_print(galley_arange(GALLEY_F64, 0, 10, 1));
    /* np.array2string(np.arange(5), threshold=0, edgeitems=0) */
    options(8, 0, 0, 75);
    galley_tensor_print(galley_arange(GALLEY_I64, 0, 5, 1));
    /* np.array2string(np.arange(12.).reshape(3, 4), threshold=0,
                        edgeitems=0) */
    options(8, 0, 0, 75);
    galley_tensor_print(range(GALLEY_F64, GALLEY_SHAPE(3, 4)));
    options(8, 1000, 3, 75);
    EXPECT(/*
      float64 [3]
      [0.333 0.667 2.   ]
      float64 [2]
      [3.333e-01 1.000e-05]
      float64 [2]
      [1. 0.]
      float64 [2]
      [1.e-07 3.e-01]
      float64 [10]
      [0. 1. 2. 3. 4. 5.
       6. 7. 8. 9.]
      float64 [3]
      [0.
       1.
       2.]
      float64 [10]
      [0. ... 9.]
      int64 [5]
      [... 4]
      float64 [3, 4]
      [...
       [... 11.]]
    */);
}
