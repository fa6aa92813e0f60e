/* main.c: trend, a program built on the library: reads numbers from
 * standard input and prints their trend report. */
#include "trend.h"

#include <stdlib.h>

int main(void)
{
    double y[1000];
    size_t n = 0;
    while (n < sizeof y / sizeof *y && scanf("%lf", &y[n]) == 1)
        n++;
    return trend_report(stdout, y, n) ? EXIT_FAILURE : EXIT_SUCCESS;
}
