/* trend_test.c: the expect tests of the trend library, run by `meson test`
 * (through `galley run`) or by `galley run` itself. */
#include <galley.h>
#include <stdio.h>

#include "trend.h"

TEST(slope_of_a_line)
{
    double y[] = {1, 3, 5, 7};
    printf("%g\n", trend_slope(y, 4));
    EXPECT(/* 2 */);
}

TEST(too_short_for_a_slope)
{
    double y[] = {42};
    printf("%g %g\n", trend_slope(y, 1), trend_slope(y, 0));
    EXPECT(/* 0 0 */);
}

TEST(report_of_a_noisy_rise)
{
    double y[] = {1, 2, 1.5, 3, 2.5, 4, 3.5, 5};
    trend_report(stdout, y, 8);
    EXPECT(/*
      slope: 0.506 per step
        +----------------------------------------+
      6 +                                        |
        |                                 **     |
      4 +                       ****    **       |
        |                     **    ****         |
        |             ********                   |
      2 +   **********                           |
        |***                                     |
      0 +                                        |
        ++---------+---------+--------+---------++
         0         2         4        6         8
                           step
    */);
}
