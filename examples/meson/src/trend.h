/* trend.h: the code under test of this example: the least-squares trend of
 * a series, and a report of it with a chart drawn by galley's plot library
 * (which is why this library is built with galley's pkg-config flags). */
#ifndef TREND_H
#define TREND_H

#include <stddef.h>
#include <stdio.h>

/* Returns the least-squares slope of y[0..n) against 0, 1, ..., n-1: how
 * much the series grows per step. 0 when n < 2. */
double trend_slope(const double *y, size_t n);

/* Writes to f the slope of y[0..n) and a line chart of it, 40 by 8
 * characters. Returns 0, or -1 when writing failed. */
int trend_report(FILE *f, const double *y, size_t n);

#endif
