/* stats.h: a few small numeric functions, the code under test of the
 * example project. */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdio.h>

/* Returns the arithmetic mean of xs[0..n), or 0 when n is 0. */
double mean(const double *xs, size_t n);

/* Returns the population variance of xs[0..n), or 0 when n < 2. */
double variance(const double *xs, size_t n);

/* Returns the population standard deviation of xs[0..n). */
double stddev(const double *xs, size_t n);

/* Prints a histogram of xs[0..n) to out: bins equal-width bins from lo to
 * hi, one line per bin with its range, its count and a bar of '#'. Values
 * outside [lo, hi) are counted on an extra "outside" line if any. */
void print_histogram(FILE *out, const double *xs, size_t n, double lo,
                     double hi, int bins);

/* Writes x into buf (of size cap) in a human-friendly form: thousands
 * separated by commas, at most two decimals, trailing zeros dropped
 * ("1,234.5", "-0.25", "1,000,000"). Returns buf. */
char *format_number(char *buf, size_t cap, double x);

#endif
