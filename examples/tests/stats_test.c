/* stats_test.c: tests of src/stats.c. Each test prints what it computes;
 * the EXPECT marker after the prints holds the output expected there.
 * Run `galley run` in examples/, and `galley promote` to accept changes. */
#include <galley.h>
#include <math.h>
#include <stdio.h>

#include "stats.h"

#define LEN(a) (sizeof(a) / sizeof *(a))

/* A one-line output stays on the marker's line. */
TEST(mean_of_three)
{
    double xs[] = {1, 2, 4};
    printf("%g\n", mean(xs, LEN(xs)));
    EXPECT(/* 2.33333 */);
}

/* Empty input is not an error: the functions return 0. */
TEST(empty_input)
{
    printf("mean %g, variance %g\n", mean(NULL, 0), variance(NULL, 0));
    EXPECT(/* mean 0, variance 0 */);
}

/* Several lines become a block, indented under the marker. Markers split a
 * test into steps: each compares the output since the previous one. */
TEST(variance_and_stddev)
{
    double xs[] = {2, 4, 4, 4, 5, 5, 7, 9};
    printf("n        %zu\n", LEN(xs));
    printf("mean     %.3f\n", mean(xs, LEN(xs)));
    EXPECT(/*
      n        8
      mean     5.000
    */);
    printf("variance %.3f\n", variance(xs, LEN(xs)));
    printf("stddev   %.3f\n", stddev(xs, LEN(xs)));
    EXPECT(/*
      variance 4.000
      stddev   2.000
    */);
}

/* A loop prints a table; one marker after the loop checks all of it. */
TEST(format_number_table)
{
    double xs[] = {0, 7, -0.25, 1234.5, 1000000, -98765.4321, 0.001, 999.999};
    for (size_t i = 0; i < LEN(xs); i++) {
        char buf[32];
        printf("%14.4f -> %s\n", xs[i], format_number(buf, sizeof buf, xs[i]));
    }
    EXPECT(/*
            0.0000 -> 0
            7.0000 -> 7
           -0.2500 -> -0.25
         1234.5000 -> 1,234.5
      1000000.0000 -> 1,000,000
       -98765.4321 -> -98,765.43
            0.0010 -> 0
          999.9990 -> 1,000
    */);
}

TEST(histogram)
{
    double xs[] = {0.5, 1.2, 1.9, 2.0, 2.2, 2.8, 3.1, 3.3, 3.9, 4.4, 7.5, -1};
    print_histogram(stdout, xs, LEN(xs), 0, 5, 5);
    EXPECT(/*
      [  0.00,   1.00)   1 #
      [  1.00,   2.00)   2 ##
      [  2.00,   3.00)   3 ###
      [  3.00,   4.00)   3 ###
      [  4.00,   5.00)   1 #
      outside 2
    */);
}

/* A helper with a marker of its own: every test that calls it checks the
 * same invariant. Standardized data has mean 0 and standard deviation 1,
 * whatever the input, so the marker sees the same output at each call. */
static void check_standardized(const double *xs, size_t n)
{
    double m = mean(xs, n), s = stddev(xs, n), z[16];
    for (size_t i = 0; i < n && i < LEN(z); i++)
        z[i] = (xs[i] - m) / s;
    /* Rounding leaves the mean near zero, maybe a hair below: show 0. */
    double zm = fabs(mean(z, n)) < 1e-12 ? 0 : mean(z, n);
    printf("mean %.6f, stddev %.6f\n", zm, stddev(z, n));
    EXPECT(/* mean 0.000000, stddev 1.000000 */);
}

TEST(standardize_small)
{
    double xs[] = {1, 2, 3};
    check_standardized(xs, LEN(xs));
}

TEST(standardize_skewed)
{
    double xs[] = {1, 1, 1, 1, 10, 100};
    printf("before: mean %.2f\n", mean(xs, LEN(xs)));
    EXPECT(/* before: mean 19.00 */);
    check_standardized(xs, LEN(xs));
}
