/* plot_bench.c: a benchmark of plot/ (not a test): N points of a line and
 * of a scatter plot drawn into an 80 x 24 canvas of each kind, the median of
 * REPS formats, and the memory the drawing takes beyond the points (the
 * growth of the peak resident set from a plot of 1,000 points to one of N).
 * Run by bench/plot.sh. */
#define _GNU_SOURCE
#include <galley/plot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

enum { MAXREPS = 64 };

/* The peak resident set of this process so far, in KiB. */
static long S_peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Formats a plot of n points (a noisy sine) of kind on canvas; returns the
 * milliseconds it took. */
static double S_once(const double *x, const double *y, size_t n, int scatter,
                     galley_plot_canvas canvas)
{
    galley_plot_options o = {.width = 80, .height = 24, .canvas = canvas};
    double t0 = bench_now();
    galley_plot *p = galley_plot_new(&o);
    if (scatter)
        galley_plot_scatter(p, x, y, n, "points");
    else
        galley_plot_line(p, x, y, n, "points");
    char *text = galley_plot_format(p);
    double ms = (bench_now() - t0) * 1e3;
    free(text);
    galley_plot_free(p);
    return ms;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 1000000;
    if (reps < 1 || reps > MAXREPS)
        reps = 5;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y)
        return 1;
    unsigned s = 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = (double)i;
        y[i] = sin((double)i * 1e-4) + (double)(s >> 16 & 1023) / 4096.0;
    }
    /* The memory of the drawing: a small plot first, then the big ones;
     * the points themselves were allocated (and touched) above. */
    S_once(x, y, 1000, 0, GALLEY_CANVAS_BRAILLE);
    long before = S_peak_kib();
    static const char *names[] = {"ascii", "block", "braille"};
    for (int c = 0; c < 3; c++) {
        for (int sc = 0; sc < 2; sc++) {
            double t[MAXREPS];
            S_once(x, y, n, sc, (galley_plot_canvas)c); /* warm-up */
            for (int r = 0; r < reps; r++)
                t[r] = S_once(x, y, n, sc, (galley_plot_canvas)c);
            printf("%zu points, %-7s %-7s 80x24: %6.1f ms\n", n,
                   sc ? "scatter" : "line", names[c], bench_median(t, reps));
        }
    }
    printf("peak memory beyond the points, %zu-point plots vs a 1000-point "
           "plot: %+ld KiB\n", n, S_peak_kib() - before);
    free(x);
    free(y);
    return 0;
}
