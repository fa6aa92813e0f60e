/* stats.c: mean, variance, a histogram printer and a number formatter;
 * the code under test of galley's example project. */
#include "stats.h"

#include <math.h>
#include <string.h>

double mean(const double *xs, size_t n)
{
    double sum = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    return sum / (double)n;
}

double variance(const double *xs, size_t n)
{
    double m = mean(xs, n), ss = 0;
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        ss += (xs[i] - m) * (xs[i] - m);
    return ss / (double)n;
}

double stddev(const double *xs, size_t n)
{
    return sqrt(variance(xs, n));
}

void print_histogram(FILE *out, const double *xs, size_t n, double lo,
                     double hi, int bins)
{
    int counts[64] = {0};
    size_t outside = 0;
    if (bins < 1 || bins > 64 || !(hi > lo))
        return;
    double width = (hi - lo) / bins;
    for (size_t i = 0; i < n; i++) {
        if (xs[i] < lo || xs[i] >= hi) {
            outside++;
            continue;
        }
        int b = (int)((xs[i] - lo) / width);
        counts[b < bins ? b : bins - 1]++;
    }
    for (int b = 0; b < bins; b++) {
        fprintf(out, "[%6.2f, %6.2f) %3d ", lo + b * width,
                lo + (b + 1) * width, counts[b]);
        for (int k = 0; k < counts[b]; k++)
            fputc('#', out);
        fputc('\n', out);
    }
    if (outside)
        fprintf(out, "outside %zu\n", outside);
}

char *format_number(char *buf, size_t cap, double x)
{
    char digits[64], *frac;
    size_t len, int_len, o = 0;
    snprintf(digits, sizeof digits, "%.2f", fabs(x));
    frac = strchr(digits, '.');
    int_len = (size_t)(frac - digits);
    /* Drop trailing zeros of the decimals, and the point if none is left. */
    len = strlen(digits);
    while (len > int_len + 1 && digits[len - 1] == '0')
        digits[--len] = '\0';
    if (len == int_len + 1)
        digits[--len] = '\0';
    if (x < 0 && strcmp(digits, "0") != 0 && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0 && o + 2 < cap)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}
