/* trend.c: the least-squares slope of a series, and a report with a chart
 * drawn by galley/plot.h. */
#include "trend.h"

#include <galley/plot.h>

double trend_slope(const double *y, size_t n)
{
    if (n < 2)
        return 0;
    /* Centered sums: the x are 0..n-1, so their mean is (n - 1) / 2. */
    double xm = (n - 1) / 2.0, ym = 0, sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++)
        ym += y[i] / n;
    for (size_t i = 0; i < n; i++) {
        sxy += (i - xm) * (y[i] - ym);
        sxx += (i - xm) * (i - xm);
    }
    return sxy / sxx;
}

int trend_report(FILE *f, const double *y, size_t n)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 40, .height = 8, .xlabel = "step", .legend = -1});
    galley_plot_line(p, NULL, y, n, "series");
    int rc = fprintf(f, "slope: %.3f per step\n", trend_slope(y, n)) < 0;
    rc |= galley_plot_fprint(f, p);
    galley_plot_free(p);
    return rc ? -1 : 0;
}
