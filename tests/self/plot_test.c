/* plot_test.c: galley/plot.h's line, scatter and loss plots, tested with
 * galley: the frame, the three canvases, legends, notes, limits, log
 * scales, colors, tick labels, output to a FILE* or a string; and, as
 * properties over many random cases, the promises of the contract: the
 * limits land on the first and last pixels, lines have no gaps, labels
 * never overlap, no line has trailing spaces, the same plot gives the same
 * bytes, and a million points draw fast. The small expectations were
 * checked pixel by pixel by hand (the comments say how). */
#define _GNU_SOURCE /* open_memstream */
#include <galley.h>
#include <galley/plot.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prints p, then frees it. */
static void show(galley_plot *p)
{
    galley_plot_print(p);
    galley_plot_free(p);
}

/* Sends stderr to stdout, so that error messages are part of the output
 * the expectations check. */
static void errors_to_stdout(void)
{
    fflush(stdout);
    dup2(1, 2);
}

/* A small deterministic generator: uniform in [0, 1). */
static double uniform(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1p-53;
}

/* ---- the frame ---- */

TEST(frame_small_by_hand)
{
    /* 5 x 3 cells, x in [0, 4] onto columns 0..4 (x itself), y in [0, 2]
     * onto rows 2 - y. So (0, 0) is at the bottom left, (4, 2) at the top
     * right, (2, 1) in the middle, (1, 2) on the top row, column 1. A
     * plot this low has a y label on each row; the x labels 0, 2, 4 have
     * a blank between them (1 would touch). */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 5, .height = 3, .xlim = {0, 4}, .ylim = {0, 2}});
    galley_plot_scatter(p, (double[]){0, 4, 2, 1}, (double[]){0, 2, 1, 2}, 4,
                        NULL);
    show(p);
    EXPECT_EXACT(/*  +-----+
2 + *  *|
1 +  *  |
0 +*    |
  ++-+-++
   0 2 4
*/);
}

TEST(frame_with_title_labels_and_legend)
{
    /* The layout: title centered over the box, ylabel on its own line,
     * y labels right-aligned before the border, x labels centered under
     * their ticks, xlabel centered, legend and notes aligned with the
     * box. */
    double x[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double y[] = {0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 30, .height = 8, .title = "squares", .xlabel = "n",
        .ylabel = "n^2"});
    galley_plot_line(p, x, y, 11, "n^2");
    galley_plot_scatter(p, x, x, 11, "n");
    show(p);
    EXPECT_EXACT(/*                squares
n^2
    +------------------------------+
100 +                            **|
    |                          **  |
    |                        **    |
    |                      **      |
 50 +                ******        |
    |              **              |
    |        ******         +  +  +|
  0 ++**+**+* +  +  + +  +         |
    ++--------------+-------------++
     0              5             10
                   n
    * n^2   + n
*/);
}

TEST(default_size_is_60_by_15)
{
    galley_plot *p = galley_plot_new(NULL);
    galley_plot_line(p, NULL, (double[]){1, 3, 2}, 3, NULL);
    char *text = galley_plot_format(p);
    int lines = 0, widest = 0, len = 0;
    for (char *c = text; *c; c++) {
        if (*c == '\n') {
            lines++;
            widest = len > widest ? len : widest;
            len = 0;
        } else {
            len++;
        }
    }
    printf("%d lines, the widest %d columns\n", lines, widest);
    free(text);
    galley_plot_free(p);
    /* 15 rows, two borders, the x labels: 18; 60 + 2 borders + "2.5 ". */
    EXPECT(/*
      18 lines, the widest 66 columns
    */);
}

/* ---- canvases ---- */

TEST(block_canvas_by_hand)
{
    /* 3 x 2 cells of 2 x 2 pixels: x in [0, 5] onto pixel columns 0..5,
     * y in [0, 3] onto pixel rows 3 - y. Points: (0, 0) -> pixel (0, 3),
     * the lower left quadrant of cell (0, 1): ▖; (5, 3) -> pixel (5, 0),
     * upper right of cell (2, 0): ▝; (1, 3) and (0, 3) -> pixels (1, 0),
     * (0, 0): the upper half of cell (0, 0): ▀; (2, 1) and (3, 1) ->
     * pixels (2, 2) and (3, 2): the upper half of cell (1, 1): ▀. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 3, .height = 2, .xlim = {0, 5}, .ylim = {0, 3},
        .canvas = GALLEY_CANVAS_BLOCK});
    galley_plot_scatter(p, (double[]){0, 5, 1, 0, 2, 3},
                        (double[]){0, 3, 3, 3, 1, 1}, 6, NULL);
    show(p);
    EXPECT_EXACT(/*  ┌───┐
2 ┤▀ ▝│
0 ┤▖▀ │
  └┬─┬┘
   0 5
*/);
}

TEST(braille_canvas_by_hand)
{
    /* 2 x 1 cells of 2 x 4 pixels: x in [0, 3] onto pixel columns 0..3,
     * y in [0, 3] onto pixel rows 3 - y. A line from (0, 0) to (3, 3):
     * pixels (0, 3) (1, 2) (2, 1) (3, 0): in cell 0, dots 7 (0x40) and 6
     * (0x20): U+2860 ⡠; in cell 1, dots 2 (0x02) and 4 (0x08): U+280A ⠊. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 2, .height = 1, .xlim = {0, 3}, .ylim = {0, 3},
        .canvas = GALLEY_CANVAS_BRAILLE});
    galley_plot_line(p, (double[]){0, 3}, (double[]){0, 3}, 2, NULL);
    show(p);
    EXPECT_EXACT(/*  ┌──┐
0 ┤⡠⠊│
  └┬─┘
   0
*/);
}

TEST(every_block_and_braille_pattern)
{
    /* Each quadrant pattern 0..15 in its own cell: pixel bits 1 upper
     * left, 2 upper right, 4 lower left, 8 lower right. */
    double x[64], y[64];
    int n = 0;
    for (int b = 0; b < 16; b++)
        for (int k = 0; k < 4; k++)
            if (b >> k & 1) {
                x[n] = 2 * b + (k & 1);
                y[n++] = 1 - (k >> 1);
            }
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 16, .height = 1, .xlim = {0, 31}, .ylim = {0, 1},
        .canvas = GALLEY_CANVAS_BLOCK});
    galley_plot_scatter(p, x, y, (size_t)n, NULL);
    show(p);
    /* Braille: the eight dots one at a time, then all: columns 0..17. */
    n = 0;
    for (int d = 0; d < 9; d++)
        for (int k = 0; k < 8; k++)
            if (d == 8 || k == d) {
                x[n] = 2 * d + k / 4;
                y[n++] = 3 - k % 4;
            }
    p = galley_plot_new(&(galley_plot_options){
        .width = 9, .height = 1, .xlim = {0, 17}, .ylim = {0, 3},
        .canvas = GALLEY_CANVAS_BRAILLE, .legend = -1});
    galley_plot_scatter(p, x, y, (size_t)n, NULL);
    show(p);
    /* dots 1 2 3 7 down the left column, 4 5 6 8 down the right. */
    EXPECT_EXACT(/*  ┌────────────────┐
0 ┤ ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█│
  └┬────┬────┬────┬┘
   0    10   20   30
  ┌─────────┐
0 ┤⠁⠂⠄⡀⠈⠐⠠⢀⣿│
  └┬────┬───┘
   0    10
*/);
}

TEST(ascii_series_overlap_later_wins)
{
    /* Two series through the same cells: the later one's marker shows. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 5, .height = 2, .xlim = {0, 4}, .ylim = {0, 1}});
    galley_plot_line(p, NULL, (double[]){0, 0, 0, 0, 0}, 5, "a");
    galley_plot_line(p, NULL, (double[]){1, 1, 0, 0, 1}, 5, "b");
    show(p);
    EXPECT(/*
        +-----+
      1 +++  +|
      0 +**++*|
        ++-+-++
         0 2 4
        * a   + b
    */);
}

/* ---- line, scatter, markers ---- */

TEST(line_joins_points_without_gaps)
{
    /* From (0, 0) to (9, 3) in a 10 x 4 grid: one pixel per column, the
     * row stepping down every third column or so (Bresenham). */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 10, .height = 4, .xlim = {0, 9}, .ylim = {0, 3}});
    galley_plot_line(p, (double[]){0, 9}, (double[]){0, 3}, 2, NULL);
    show(p);
    /* A steep one: one pixel per row. */
    p = galley_plot_new(&(galley_plot_options){
        .width = 4, .height = 6, .xlim = {0, 3}, .ylim = {0, 5}});
    galley_plot_line(p, (double[]){0, 3}, (double[]){5, 0}, 2, NULL);
    show(p);
    EXPECT(/*
        +----------+
      3 +        **|
      2 +     ***  |
      1 +  ***     |
      0 +**        |
        ++-+-+-+-+-+
         0 2 4 6 8
        +----+
        |*   |
      4 + *  |
        | *  |
      2 +  * |
        |  * |
      0 +   *|
        ++-+-+
         0 2
    */);
}

TEST(scatter_draws_only_the_points)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 10, .height = 4, .xlim = {0, 9}, .ylim = {0, 3}});
    galley_plot_scatter(p, (double[]){0, 9}, (double[]){0, 3}, 2, NULL);
    show(p);
    EXPECT(/*
        +----------+
      3 +         *|
      2 +          |
      1 +          |
      0 +*         |
        ++-+-+-+-+-+
         0 2 4 6 8
    */);
}

TEST(markers_cycle_and_can_be_set)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 9, .height = 9, .xlim = {0, 8}, .ylim = {0, 8}});
    static double x[9], y[9]; /* held by reference until printed */
    for (int k = 0; k < 9; k++) {
        x[k] = k, y[k] = 8 - k;
        galley_plot_scatter(p, &x[k], &y[k], 1, NULL);
    }
    galley_plot_marker(p, 8, 'Z');
    show(p);
    /* "*+ox#@%&", then again from '*' (set to 'Z' here). */
    EXPECT(/*
        +---------+
      8 +*        |
        | +       |
      6 +  o      |
        |   x     |
      4 +    #    |
        |     @   |
      2 +      %  |
        |       & |
      0 +        Z|
        ++-+-+-+-++
         0 2 4 6 8
    */);
}

TEST(bad_marker_and_series_are_reported)
{
    errors_to_stdout();
    galley_plot *p = galley_plot_new(NULL);
    galley_plot_line(p, NULL, (double[]){1, 2}, 2, NULL);
    galley_plot_marker(p, 1, 'o');
    galley_plot_marker(p, -1, 'o');
    galley_plot_marker(p, 0, ' ');
    galley_plot_marker(p, 0, '\n');
    galley_plot_marker(NULL, 0, 'o');
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: galley_plot_marker: no series 1 in this plot
      galley: plot: galley_plot_marker: no series -1 in this plot
      galley: plot: galley_plot_marker: the marker must be a printable ASCII character other than space
      galley: plot: galley_plot_marker: the marker must be a printable ASCII character other than space
      galley: plot: galley_plot_marker: no series 0 in this plot
    */);
}

TEST(x_null_is_the_index)
{
    /* x = 0, 1, 2, 3; integer ticks only, however narrow the range. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 16, .height = 3});
    galley_plot_line(p, NULL, (double[]){2, 4, 3, 5}, 4, NULL);
    show(p);
    EXPECT(/*
        +----------------+
      6 +                |
      4 +   *****     ***|
      2 +***     *****   |
        ++----+----+----++
         0    1    2    3
    */);
}

/* ---- loss curves ---- */

TEST(loss_by_hand)
{
    /* Loss 4, 0, 0, 0 with y in [0, 4] onto rows 4 - y. The x range,
     * steps 1..4, is carried out to the next ticks: 0 2 4 would touch
     * in 4 columns, so 0 and 5, and x = 1 .. 4 (at 0.6 1.2 1.8 2.4
     * pixels of 0 .. 3) falls in columns 1, 1, 2, 2. */
    double loss[] = {4, 0, 0, 0};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 4, .height = 5});
    galley_plot_loss(p, loss, 4, "train");
    show(p);
    EXPECT(/*
        +----+
      4 + *  |
      3 + *  |
      2 + *  |
      1 + *  |
      0 + ** |
        ++--++
         0  5
        * train
    */);
}

TEST(loss_smoothed_as_tensorboard)
{
    /* Weight 0.5, debiased: 4, (0.5*2 + 0)/(1 - 0.25) = 1.33,
     * 0.5/(1 - 0.125) = 0.571, 0.25/(1 - 0.0625) = 0.267: rows 0, 3 (2.67
     * rounded), 3 (3.43), 4 (3.73), joined by lines. The raw values are
     * drawn first, with '.' (columns as in loss_by_hand), the smoothed
     * curve over them: the raw shows at column 1, row 4 only. */
    double loss[] = {4, 0, 0, 0};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 4, .height = 5, .smooth = 0.5});
    galley_plot_loss(p, loss, 4, "train");
    show(p);
    EXPECT(/*
        +----+
      4 + *  |
      3 + *  |
      2 + *  |
      1 + ** |
      0 + .* |
        ++--++
         0  5
        . train   * train (smoothed)
    */);
}

TEST(loss_log_y_and_non_finite_steps)
{
    /* A NaN step leaves a gap in the raw curve and does not move the
     * average (TensorBoard's rule); it is counted in a note. */
    double loss[40];
    for (int i = 0; i < 40; i++)
        loss[i] = 10 * pow(0.9, i) + (i % 3 == 0 ? 0.5 : 0);
    loss[20] = NAN;
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 40, .height = 8, .ylog = 1, .smooth = 0.6,
        .title = "loss"});
    galley_plot_loss(p, loss, 40, NULL);
    show(p);
    EXPECT(/*
                             loss
          +----------------------------------------+
      100 +                                        |
          |                                        |
       10 + ***                                    |
          |   .***********                         |
          |            . .**********               |
        1 +                      .. ********** *  *|
          |                               .. .* ** |
      0.1 +                                        |
          ++---------+---------+--------+---------++
           0         10        20       30        40
          note: 1 point not shown (NaN or infinite)
    */);
}

/* ---- legends ---- */

TEST(legend_options)
{
    double y[] = {0, 1};
    for (int legend = -1; legend <= 1; legend++) {
        for (int labelled = 0; labelled < 2; labelled++) {
            galley_plot *p = galley_plot_new(&(galley_plot_options){
                .width = 10, .height = 2, .legend = legend});
            galley_plot_line(p, NULL, y, 2, labelled ? "up" : NULL);
            galley_plot_scatter(p, NULL, y, 2, NULL);
            char *text = galley_plot_format(p);
            char *last = strrchr(text, '\n');
            *last = '\0';
            last = strrchr(text, '\n');
            printf("legend %2d, %-8s:%s\n", legend,
                   labelled ? "a label" : "no label", last + 1);
            free(text);
            galley_plot_free(p);
        }
    }
    EXPECT(/*
      legend -1, no label:   0        1
      legend -1, a label :   0        1
      legend  0, no label:   0        1
      legend  0, a label :  * up   + series 1
      legend  1, no label:  * series 0   + series 1
      legend  1, a label :  * up   + series 1
    */);
}

TEST(legend_on_unicode_canvases)
{
    /* No markers there: the legend shows a full cell of the canvas. */
    for (int c = 1; c <= 2; c++) {
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = 6, .height = 2, .canvas = (galley_plot_canvas)c});
        galley_plot_line(p, NULL, (double[]){0, 1}, 2, "a");
        galley_plot_loss(p, (double[]){1, 0}, 2, "b");
        show(p);
    }
    EXPECT(/*
        ┌──────┐
      1 ┤ ▗▞▚▖ │
      0 ┤▞▘  ▝▚│
        └┬──┬─┬┘
         0  1 2
        █ a   █ b
        ┌──────┐
      1 ┤ ⢀⠔⠱⡀ │
      0 ┤⡠⠊  ⠈⢆│
        └┬──┬─┬┘
         0  1 2
        ⣿ a   ⣿ b
    */);
}

/* ---- notes ---- */

TEST(notes_non_finite_and_log)
{
    double x[] = {1, 2, 3, 4, 5, 6};
    double y[] = {1, NAN, INFINITY, -2, 0, 100};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 12, .height = 3, .ylog = 1});
    galley_plot_scatter(p, x, y, 6, NULL);
    show(p);
    double xl[] = {-1, 0, 1, 10};
    p = galley_plot_new(&(galley_plot_options){
        .width = 12, .height = 3, .xlog = 1});
    galley_plot_scatter(p, xl, (double[]){1, 2, 3, 4}, 4, NULL);
    show(p);
    EXPECT(/*
          +------------+
      100 +           *|
       10 +            |
        1 +  *         |
          ++---+--+---++
           0   2  4   6
          note: 2 points not shown (NaN or infinite)
          note: 2 points not shown (<= 0 on a log axis)
          +------------+
        4 +           *|
      3.5 +            |
        3 +*           |
          ++--+----+--++
           1  2    5  10
          note: 2 points not shown (<= 0 on a log axis)
    */);
}

TEST(notes_outside_the_limits)
{
    /* Outside points are not drawn but a line to them is, clipped. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 9, .height = 3, .xlim = {0, 8}, .ylim = {0, 2}});
    galley_plot_line(p, (double[]){-4, 4, 12}, (double[]){1, 1, 5}, 3, NULL);
    show(p);
    EXPECT(/*
        +---------+
      2 +      ** |
      1 +******   |
      0 +         |
        ++-+-+-+-++
         0 2 4 6 8
        note: 2 points outside the limits
    */);
}

TEST(notes_no_data_single_point_constant)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 12, .height = 3});
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 12, .height = 3});
    galley_plot_line(p, NULL, NULL, 0, "nothing");
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 12, .height = 3});
    galley_plot_line(p, NULL, (double[]){NAN, NAN}, 2, NULL);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 12, .height = 3});
    galley_plot_scatter(p, (double[]){0.3}, (double[]){-7}, 1, NULL);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 12, .height = 3});
    galley_plot_line(p, NULL, (double[]){5, 5, 5}, 3, NULL);
    show(p);
    EXPECT(/*
          +------------+
        1 +            |
      0.5 +            |
        0 +            |
          ++-----+----++
           0    0.5   1
          note: no data
          +------------+
        1 +            |
      0.5 +            |
        0 +            |
          ++----------++
           0          1
          * nothing
          note: no data
          +------------+
        1 +            |
      0.5 +            |
        0 +            |
          ++----------++
           0          1
          note: 2 points not shown (NaN or infinite)
          note: no data
         +------------+
      -6 +            |
      -7 +     *      |
      -8 +            |
         ++----+-----++
         0.2  0.3   0.4
         note: a single point
        +------------+
      6 +            |
      5 +************|
      4 +            |
        ++-----+----++
         0     1    2
        note: all y values equal 5
    */);
}

/* ---- limits ---- */

TEST(automatic_limits_reach_the_next_ticks)
{
    /* x 1.5 .. 7.25, y -3 .. 12, carried out to the ticks of the finest
     * step that fits once carried out, as gnuplot's autoscale: 0 .. 10
     * (0 2 4 6 8 would be 5 columns apart somewhere, under the 6 that 24
     * columns ask), -5 .. 15; both ends of each axis labelled. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 24, .height = 5});
    galley_plot_scatter(p, (double[]){1.5, 7.25, 4}, (double[]){-3, 12, 2}, 3,
                        NULL);
    show(p);
    EXPECT(/*
         +------------------------+
      15 +                        |
      10 +                 *      |
       5 +                        |
       0 +         *              |
      -5 +   *                    |
         ++-----------+----------++
          0           5          10
    */);
}

TEST(a_sine_and_a_log_axis_are_labelled_at_both_ends)
{
    /* Issue 17: a sine sampled off its peaks (0.1 .. 6.3, |y| < 1) labels
     * -1 and 1 and an x axis from 0 to 7, as gnuplot's autoscale; a log
     * axis over 1 .. 10^7.9 labels 1 (never 1e0) and 1e8 at its ends. */
    double x[32], y[32], e[32];
    for (int i = 0; i < 32; i++) {
        x[i] = 0.1 + i * 0.2;
        y[i] = sin(x[i]);
        e[i] = pow(10, i * 7.9 / 31);
    }
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 60, .height = 5});
    galley_plot_line(p, x, y, 32, NULL);
    show(p);
    p = galley_plot_new(&(galley_plot_options){
        .width = 60, .height = 5, .ylog = 1});
    galley_plot_line(p, NULL, e, 32, NULL);
    show(p);
    EXPECT(/*
           +------------------------------------------------------------+
         1 +       ************                                         |
       0.5 +  *****            *****                                    |
         0 + *                      *****                      ***      |
      -0.5 +                             *****            *****         |
        -1 +                                  ************              |
           ++-------+--------+-------+--------+-------+--------+-------++
            0       1        2       3        4       5        6       7
            +------------------------------------------------------------+
        1e8 +                                               ******       |
        1e6 +                                 **************             |
      10000 +                    *************                           |
        100 +      **************                                        |
          1 +******                                                      |
            ++-------+--------+-------+--------+-------+--------+-------++
             0       5        10      15       20      25       30      35
    */);
}

TEST(xlim_fits_y_to_the_points_inside)
{
    /* y = x^2 for x in -10..10; xlim {0, 3}: the automatic y range is that
     * of the points with x in [0, 3]: 0 .. 9. */
    double x[21], y[21];
    for (int i = 0; i < 21; i++) {
        x[i] = i - 10;
        y[i] = x[i] * x[i];
    }
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 16, .height = 5, .xlim = {0, 3}});
    galley_plot_line(p, x, y, 21, NULL);
    show(p);
    EXPECT(/*
         +----------------+
      10 +              **|
         |            **  |
       5 +         ***    |
         |       **       |
       0 +*******         |
         ++----+----+----++
          0    1    2    3
         note: 17 points outside the limits
    */);
}

TEST(bad_options_are_reported_and_replaced)
{
    errors_to_stdout();
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = -3, .height = 100000, .xlim = {2, 1}, .ylim = {NAN, 1},
        .canvas = (galley_plot_canvas)7, .smooth = 1, .bins = -1,
        .zlim = {1, 1}});
    galley_plot_free(p);
    p = galley_plot_new(&(galley_plot_options){
        .width = 1, .xlog = 1, .xlim = {0, 10}});
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: width -3 is out of range (1 to 1000); using 60
      galley: plot: height 100000 is out of range (1 to 1000); using 1000
      galley: plot: canvas 7 is not one of GALLEY_CANVAS_ASCII, _BLOCK, _BRAILLE; using ASCII
      galley: plot: xlim {2, 1} is not an increasing range; using the data's range
      galley: plot: ylim {nan, 1} is not finite; using the data's range
      galley: plot: zlim {1, 1} is not an increasing range; using the data's range
      galley: plot: smooth must be in [0, 1); not smoothing
      galley: plot: bins -1 is out of range (0 to 1000); using Sturges' rule
      galley: plot: xlim {0, 10} is not > 0 on a log axis; using the data's range
    */);
}

/* ---- log scales ---- */

TEST(log_x_few_decades_has_2_and_5)
{
    double x[] = {1, 100}, y[] = {0, 1};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 60, .height = 2, .xlog = 1});
    galley_plot_line(p, x, y, 2, NULL);
    show(p);
    /* Three decades in 40 columns: no room for 2 and 5. */
    x[1] = 1000;
    p = galley_plot_new(&(galley_plot_options){
        .width = 40, .height = 2, .xlog = 1});
    galley_plot_line(p, x, y, 2, NULL);
    show(p);
    EXPECT(/*
        +------------------------------------------------------------+
      1 +                              ******************************|
      0 +******************************                              |
        ++--------+-----------+--------+-------+-----------+--------++
         1        2           5        10      20          50      100
        +----------------------------------------+
      1 +                    ********************|
      0 +********************                    |
        ++------------+------------+------------++
         1            10          100         1000
    */);
}

TEST(log_y_many_decades_skips_some)
{
    double y[] = {1e-12, 1, 1e12};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 20, .height = 8, .ylog = 1});
    galley_plot_line(p, NULL, y, 3, NULL);
    show(p);
    EXPECT(/*
            +--------------------+
       1e20 +                    |
            |                  **|
            |               ***  |
            |            ***     |
          1 +        ****        |
            |   *****            |
            |***                 |
      1e-20 +                    |
            ++---------+--------++
             0         1        2
    */);
}

TEST(log_within_a_decade_uses_linear_steps)
{
    double x[] = {2.2, 2.4, 2.6, 2.8, 3.1}, y[] = {1, 2, 3, 4, 5};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 30, .height = 3, .xlog = 1});
    galley_plot_line(p, x, y, 5, NULL);
    show(p);
    EXPECT(/*
        +------------------------------+
      5 +                ********      |
        |       *********              |
      0 +     **                       |
        ++-----------+--------+-------++
         2          2.5       3      3.5
    */);
}

/* ---- colors ---- */

TEST(colors_only_when_asked)
{
    double y[] = {0, 1, 0};
    for (int color = 0; color < 2; color++) {
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = 3, .height = 2, .color = color});
        galley_plot_line(p, NULL, y, 3, "a");
        galley_plot_scatter(p, NULL, (double[]){1, 1, 1}, 3, "b");
        show(p);
    }
    EXPECT(/*
        +---+
      1 ++++|
      0 +* *|
        ++-++
         0 2
        * a   + b
        +---+
      1 +\x1b[34m+++\x1b[0m| (esc)
      0 +\x1b[32m*\x1b[0m \x1b[32m*\x1b[0m| (esc)
        ++-++
         0 2
        \x1b[32m*\x1b[0m a   \x1b[34m+\x1b[0m b (esc)
    */);
}

TEST(colors_on_braille_and_smoothed_loss)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 4, .height = 3, .color = 1, .smooth = 0.5,
        .canvas = GALLEY_CANVAS_BRAILLE});
    galley_plot_loss(p, (double[]){3, 1, 2, 0, 1}, 5, "l");
    show(p);
    EXPECT(/*
        ┌────┐
      4 ┤\x1b[32m⢀\x1b[0m   │ (esc)
      2 ┤\x1b[90m⠈\x1b[0m\x1b[32m⢧⣄\x1b[0m │ (esc)
      0 ┤ \x1b[90m⠈\x1b[0m\x1b[32m⠘⡞\x1b[0m│ (esc)
        └┬──┬┘
         0  5
        \x1b[90m⣿\x1b[0m l   \x1b[32m⣿\x1b[0m l (smoothed) (esc)
    */);
}

/* ---- output ---- */

TEST(format_and_fprint_give_the_same_bytes)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 20, .height = 4, .title = "t", .canvas = GALLEY_CANVAS_BLOCK});
    galley_plot_line(p, NULL, (double[]){3, 1, 4, 1, 5, 9, 2, 6}, 8, "pi");
    char *a = galley_plot_format(p), *b = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&b, &len);
    int rc = galley_plot_fprint(f, p);
    fclose(f);
    printf("fprint %d, %zu bytes, same as format: %s\n", rc, len,
           strlen(a) == len && !memcmp(a, b, len) ? "yes" : "no");
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        printf("fprint to /dev/full: %d\n", galley_plot_fprint(full, p));
        fclose(full);
    }
    free(a);
    free(b);
    galley_plot_free(p);
    EXPECT(/*
      fprint 0, 353 bytes, same as format: yes
      fprint to /dev/full: -1
    */);
}

TEST(null_plot_and_arguments)
{
    errors_to_stdout();
    printf("format(NULL) %s\n", galley_plot_format(NULL) ? "text" : "NULL");
    printf("fprint(NULL) %d\n", galley_plot_fprint(stdout, NULL));
    printf("line(NULL) %d\n", galley_plot_line(NULL, NULL, NULL, 0, NULL));
    galley_plot_free(NULL);
    galley_plot *p = galley_plot_new(NULL);
    printf("y NULL: %d\n", galley_plot_line(p, NULL, NULL, 3, NULL));
    printf("scatter y NULL: %d\n", galley_plot_scatter(p, NULL, NULL, 1, 0));
    printf("loss NULL: %d\n", galley_plot_loss(p, NULL, 2, NULL));
    printf("n 0: %d\n", galley_plot_line(p, NULL, NULL, 0, NULL));
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: galley_plot_format: the plot is NULL
      format(NULL) NULL
      galley: plot: galley_plot_fprint: the plot is NULL
      fprint(NULL) -1
      galley: plot: galley_plot_line: the plot is NULL
      line(NULL) -1
      galley: plot: galley_plot_line: y is NULL with n = 3
      y NULL: -1
      galley: plot: galley_plot_scatter: y is NULL with n = 1
      scatter y NULL: -1
      galley: plot: galley_plot_loss: y is NULL with n = 2
      loss NULL: -1
      n 0: 0
    */);
}

TEST(kinds_mix_as_the_contract_says)
{
    errors_to_stdout();
    double v[] = {1, 2};
    galley_plot *p = galley_plot_new(NULL);
    printf("line %d\n", galley_plot_line(p, NULL, v, 2, NULL));
    printf("scatter %d\n", galley_plot_scatter(p, NULL, v, 2, NULL));
    printf("loss %d\n", galley_plot_loss(p, v, 2, NULL));
    printf("hist %d\n", galley_plot_hist(p, v, 2));
    printf("bars %d\n", galley_plot_bars(p, NULL, v, 2));
    printf("heatmap %d\n", galley_plot_heatmap(p, v, 1, 2));
    galley_plot_free(p);
    p = galley_plot_new(NULL);
    printf("hist %d\n", galley_plot_hist(p, v, 2));
    printf("hist %d\n", galley_plot_hist(p, v, 2));
    printf("line %d\n", galley_plot_line(p, NULL, v, 2, NULL));
    galley_plot_free(p);
    EXPECT(/*
      line 0
      scatter 1
      loss 2
      galley: plot: galley_plot_hist: this plot already holds line and scatter series; a histogram, a bar chart or a heatmap needs a plot of its own
      hist -1
      galley: plot: galley_plot_bars: this plot already holds line and scatter series; a histogram, a bar chart or a heatmap needs a plot of its own
      bars -1
      galley: plot: galley_plot_heatmap: this plot already holds line and scatter series; a histogram, a bar chart or a heatmap needs a plot of its own
      heatmap -1
      hist 0
      galley: plot: galley_plot_hist: this plot already holds a histogram; a histogram, a bar chart or a heatmap needs a plot of its own
      hist -1
      galley: plot: galley_plot_line: this plot already holds a histogram; a histogram, a bar chart or a heatmap needs a plot of its own
      line -1
    */);
}

TEST(strings_are_copied_arrays_are_not)
{
    char title[] = "before", label[] = "first";
    double y[] = {0, 1};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 6, .height = 2, .title = title});
    galley_plot_line(p, NULL, y, 2, label);
    strcpy(title, "after");
    strcpy(label, "later");
    y[1] = -1; /* read when drawn */
    show(p);
    EXPECT(/*
          before
         +------+
       0 +***   |
      -1 +   ***|
         ++----++
          0    1
         * first
    */);
}

/* ---- tick labels ---- */

/* Prints the x tick labels of a plot of width w over [lo, hi] (log when
 * log is set). */
static void xlabels(double lo, double hi, int w, int log)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = w, .height = 2, .xlim = {lo, hi}, .ylim = {0, 1},
        .xlog = log});
    char *text = galley_plot_format(p);
    char *line = text;
    for (int i = 0; i < 4; i++) /* the top border, 2 rows, the bottom */
        line = strchr(line, '\n') + 1;
    *strchr(line, '\n') = '\0';
    char a[32], b[32];
    snprintf(a, sizeof a, "%g", lo);
    snprintf(b, sizeof b, "%g", hi);
    printf("%-10s %-10s %3d%s |%s\n", a, b, w, log ? " log" : "    ",
           line);
    free(text);
    galley_plot_free(p);
}

TEST(tick_labels)
{
    xlabels(0, 1, 60, 0);
    xlabels(0, 1, 30, 0);
    xlabels(0, 100, 60, 0);
    xlabels(-1, 1, 60, 0);
    xlabels(-0.3, 0.3, 60, 0);
    xlabels(0.95, 1.05, 60, 0);
    xlabels(1, 1.0001, 60, 0);
    xlabels(0, 2.5e-5, 60, 0);
    xlabels(0, 0.004, 60, 0);
    xlabels(0, 3e6, 60, 0);
    xlabels(-2e9, 7e9, 60, 0);
    xlabels(123456, 123789, 60, 0);
    xlabels(1e-3, 1e3, 60, 1);
    xlabels(1e-9, 1e9, 60, 1);
    xlabels(1, 1e30, 60, 1);
    xlabels(3, 40, 60, 1);
    xlabels(0, 1, 4, 0);
    xlabels(0, 1, 2, 0);
    EXPECT(/*
      0          1           60     |   0          0.2         0.4        0.6         0.8          1
      0          1           30     |   0             0.5            1
      0          100         60     |   0           20          40         60          80         100
      -1         1           60     |   -1            -0.5            0            0.5             1
      -0.3       0.3         60     |  -0.3      -0.2      -0.1       0       0.1       0.2       0.3
      0.95       1.05        60     |        0.96        0.98        1          1.02        1.04
      1          1.0001      60     |   1        1.00002     1.00004    1.00006     1.00008    1.0001
      0          2.5e-05     60     |   0          5e-6        1e-5      1.5e-5       2e-5     2.5e-5
      0          0.004       60     |   0            0.001          0.002         0.003         0.004
      0          3e+06       60     |   0                  1e6                2e6                 3e6
      -2e+09     7e+09       60     |  -2e9          0           2e9          4e9          6e9
      123456     123789      60     |         123500            123600           123700
      0.001      1000        60 log | 0.001      0.01      0.1        1        10       100      1000
      1e-09      1e+09       60 log |  1e-9      1e-6     0.001       1       1000      1e6       1e9
      1          1e+30       60 log |   1                  1e10               1e20               1e30
      3          40          60 log |               5              10              20
      0          1            4     |   0  1
      0          1            2     |   0
    */);
}

/* ---- properties ---- */

/* The lines of a text, decoded to codepoints. */
typedef struct grid {
    int n;
    int len[256];
    uint32_t cp[256][1100];
} grid;

/* Decodes text (valid UTF-8 expected) into g. */
static void decode(const char *text, grid *g)
{
    const unsigned char *s = (const unsigned char *)text;
    g->n = 0;
    while (*s && g->n < 256) {
        int k = 0;
        while (*s && *s != '\n') {
            uint32_t c = *s++;
            int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
            c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
            while (more-- > 0 && *s)
                c = c << 6 | (*s++ & 0x3F);
            if (k < 1100)
                g->cp[g->n][k++] = c;
        }
        g->len[g->n++] = k;
        if (*s)
            s++;
    }
}

/* The character at line l, column c of g, or ' '. */
static uint32_t at(const grid *g, int l, int c)
{
    return l < g->n && c >= 0 && c < g->len[l] ? g->cp[l][c] : ' ';
}

/* The dot bits of a cell character: the marker of ASCII as all bits. */
static unsigned bits_of(uint32_t cp, int canvas)
{
    static const uint32_t block[16] = {
        ' ',    0x2598, 0x259D, 0x2580, 0x2596, 0x258C, 0x259E, 0x259B,
        0x2597, 0x259A, 0x2590, 0x259C, 0x2584, 0x2599, 0x259F, 0x2588};
    if (canvas == 0)
        return cp != ' ';
    if (canvas == 1) {
        for (unsigned b = 0; b < 16; b++)
            if (block[b] == cp)
                return b;
        return 0;
    }
    return cp >= 0x2800 && cp <= 0x28FF ? cp - 0x2800 : 0;
}

/* Whether pixel (px, py) of a plot drawn with no title or labels is lit:
 * line 0 is the top border, at column left. */
static int lit(const grid *g, int canvas, int left, int px, int py)
{
    static const unsigned char dot[3][4][2] = {
        {{1, 1}, {1, 1}, {1, 1}, {1, 1}},
        {{1, 2}, {4, 8}, {1, 2}, {4, 8}},
        {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}};
    int sx = canvas ? 1 : 0, sy = canvas == 2 ? 2 : canvas;
    uint32_t cp = at(g, 1 + (py >> sy), left + 1 + (px >> sx));
    return (bits_of(cp, canvas) & dot[canvas][py & 3][px & 1]) != 0;
}

/* The column of the top left corner in line 0. */
static int left_border(const grid *g)
{
    for (int c = 0; c < g->len[0]; c++)
        if (g->cp[0][c] == '+' || g->cp[0][c] == 0x250C)
            return c;
    return -1;
}

/* A random range of a random magnitude: lo < hi (both > 0 for log). */
static void random_range(uint64_t *s, int log, double *lo, double *hi)
{
    double mag = pow(10, floor(uniform(s) * 16) - 8);
    if (log) {
        *lo = mag * (0.5 + uniform(s));
        *hi = *lo * pow(10, uniform(s) * 12 + 0.01);
        return;
    }
    *lo = (uniform(s) - 0.5) * mag * 10;
    *hi = *lo + mag * (0.001 + uniform(s) * 10);
    if (uniform(s) < 0.1) /* ranges far from 0 */
        *lo += mag * 1000, *hi += mag * 1000;
}

/* Whether both ends of each axis of a plot drawn with no title or labels
 * (h rows, w columns, top left corner at column left) carry a tick, on an
 * axis with two ticks or more; *two counts the plots where both have. */
static int ends_ticked(const grid *g, int left, int w, int h, int *two)
{
    int ny = 0, nx = 0;
    for (int r = 1; r <= h; r++)
        ny += at(g, r, left) == '+' || at(g, r, left) == 0x2524;
    for (int c = left + 1; c <= left + w; c++)
        nx += at(g, h + 1, c) == '+' || at(g, h + 1, c) == 0x252C;
    uint32_t y0 = at(g, 1, left), y1 = at(g, h, left);
    uint32_t x0 = at(g, h + 1, left + 1), x1 = at(g, h + 1, left + w);
    *two += ny >= 2 && nx >= 2;
    return (ny < 2 || ((y0 == '+' || y0 == 0x2524) &&
                       (y1 == '+' || y1 == 0x2524))) &&
           (nx < 2 || ((x0 == '+' || x0 == 0x252C) &&
                       (x1 == '+' || x1 == 0x252C)));
}

/* Given limits land on the first and last pixels; automatic ones are
 * carried out to the next ticks, so that both ends are labelled, and
 * every point stays inside. */
TEST(property_limits_land_on_the_first_and_last_pixels)
{
    uint64_t s = 1;
    int cases = 0, bad = 0, two = 0;
    static grid g;
    for (int i = 0; i < 600; i++) {
        int canvas = i % 3, xlog = i / 3 % 2, ylog = i / 6 % 2;
        int w = 2 + (int)(uniform(&s) * 118), h = 2 + (int)(uniform(&s) * 30);
        double xlo, xhi, ylo, yhi;
        random_range(&s, xlog, &xlo, &xhi);
        random_range(&s, ylog, &ylo, &yhi);
        int autolim = i % 4 == 0; /* limits from the data themselves */
        galley_plot_options o = {.width = w, .height = h, .xlog = xlog,
                                 .ylog = ylog, .canvas = canvas};
        if (!autolim) {
            o.xlim[0] = xlo, o.xlim[1] = xhi;
            o.ylim[0] = ylo, o.ylim[1] = yhi;
        }
        galley_plot *p = galley_plot_new(&o);
        /* (xlo, ylo) and (xhi, yhi), and a point inside with auto. */
        double x[3] = {xlo, xhi, xlog ? sqrt(xlo * xhi) : (xlo + xhi) / 2};
        double y[3] = {ylo, yhi, ylog ? sqrt(ylo * yhi) : (ylo + yhi) / 2};
        galley_plot_scatter(p, x, y, autolim ? 3 : 2, NULL);
        char *text = galley_plot_format(p);
        decode(text, &g);
        int left = left_border(&g);
        int pw = canvas ? 2 * w : w, ph = h << (canvas == 2 ? 2 : canvas);
        int ok = autolim ? ends_ticked(&g, left, w, h, &two) &&
                               !strstr(text, "outside")
                         : lit(&g, canvas, left, 0, ph - 1) &&
                               lit(&g, canvas, left, pw - 1, 0);
        if (!ok && bad++ == 0)
            printf("first failure, case %d:\n%s", i, text);
        cases++;
        free(text);
        galley_plot_free(p);
    }
    printf("%d cases: %s\n", cases, bad ? "FAILED" : "given limits on the "
           "first and last pixels, automatic ones ticked at both ends");
    printf("automatic, two ticks or more on both axes: %d\n", two);
    EXPECT(/*
      600 cases: given limits on the first and last pixels, automatic ones ticked at both ends
      automatic, two ticks or more on both axes: 141
    */);
}

/* Whether the lit pixels of g form one 8-connected set holding a and b,
 * with max(|dx|, |dy|) + 1 pixels when exact (both ends inside). */
static int connected(const grid *g, int canvas, int left, int pw, int ph,
                     int ax, int ay, int bx, int by, int exact, int *count)
{
    static unsigned char seen[2200][200];
    static int stack[440000][2];
    memset(seen, 0, sizeof seen);
    int total = 0, sx = -1, sy = -1;
    for (int y = 0; y < ph; y++)
        for (int x = 0; x < pw; x++)
            if (lit(g, canvas, left, x, y)) {
                total++;
                sx = x, sy = y;
            }
    *count = total;
    if (total == 0)
        return !exact;
    if (exact && (!lit(g, canvas, left, ax, ay) ||
                  !lit(g, canvas, left, bx, by)))
        return 0;
    int n = 0, reached = 0;
    stack[n][0] = sx, stack[n++][1] = sy;
    seen[sx][sy] = 1;
    while (n > 0) {
        int x = stack[--n][0], y = stack[n][1];
        reached++;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int u = x + dx, v = y + dy;
                if (u < 0 || v < 0 || u >= pw || v >= ph || seen[u][v] ||
                    !lit(g, canvas, left, u, v))
                    continue;
                seen[u][v] = 1;
                stack[n][0] = u, stack[n++][1] = v;
            }
    }
    int ddx = abs(bx - ax), ddy = abs(by - ay);
    return reached == total &&
           (!exact || total == (ddx > ddy ? ddx : ddy) + 1);
}

TEST(property_lines_have_no_gaps)
{
    uint64_t s = 7;
    int bad = 0, cases = 0;
    static grid g;
    for (int i = 0; i < 900; i++) {
        int canvas = i % 3, clipped = i % 5 == 0;
        int w = 2 + (int)(uniform(&s) * 100), h = 2 + (int)(uniform(&s) * 40);
        double x[2], y[2];
        for (int k = 0; k < 2; k++) {
            x[k] = clipped ? uniform(&s) * 3 - 1 : uniform(&s);
            y[k] = clipped ? uniform(&s) * 3 - 1 : uniform(&s);
        }
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = w, .height = h, .xlim = {0, 1}, .ylim = {0, 1},
            .canvas = canvas});
        galley_plot_line(p, x, y, 2, NULL);
        char *text = galley_plot_format(p);
        decode(text, &g);
        int pw = canvas ? 2 * w : w, ph = h << (canvas == 2 ? 2 : canvas);
        int ax = (int)floor(x[0] * (pw - 1) + 0.5);
        int ay = (int)floor((1 - y[0]) * (ph - 1) + 0.5);
        int bx = (int)floor(x[1] * (pw - 1) + 0.5);
        int by = (int)floor((1 - y[1]) * (ph - 1) + 0.5);
        int count;
        if (!connected(&g, canvas, left_border(&g), pw, ph, ax, ay, bx, by,
                       !clipped, &count) &&
            bad++ == 0)
            printf("first failure, case %d (%d pixels):\n%s", i, count, text);
        cases++;
        free(text);
        galley_plot_free(p);
    }
    printf("%d segments: %s\n", cases, bad ? "FAILED" : "each one 8-connected "
           "piece, max(|dx|, |dy|) + 1 pixels from end to end");
    EXPECT(/*
      900 segments: each one 8-connected piece, max(|dx|, |dy|) + 1 pixels from end to end
    */);
}

/* Checks the tick labels of g (a plot of w x h on canvas over the given
 * limits, no title): x labels apart and each over its tick, at the column
 * of its value; y labels at the row of their value, decreasing downward.
 * Returns the number of labels checked, -1 on a failure (said in why). */
static int check_labels(const grid *g, int canvas, int w, int h, double xlo,
                        double xhi, int xlog, double ylo, double yhi,
                        int ylog, char *why)
{
    int left = left_border(g), sx = canvas ? 1 : 0;
    int sy = canvas == 2 ? 2 : canvas, pw = w << sx, ph = h << sy, n = 0;
    double prev = INFINITY;
    for (int r = 0; r < h; r++) { /* y labels */
        char buf[64];
        int k = 0;
        for (int c = 0; c < left && k < 63; c++)
            if (at(g, 1 + r, c) != ' ')
                buf[k++] = (char)at(g, 1 + r, c);
        buf[k] = '\0';
        if (!k)
            continue;
        double v = strtod(buf, NULL), t = ylog ? log10(v) : v;
        double lo = ylog ? log10(ylo) : ylo, hi = ylog ? log10(yhi) : yhi;
        int row = (int)floor((hi - t) * ((ph - 1) / (hi - lo)) + 0.5) >> sy;
        if (row != r || !(v < prev))
            return sprintf(why, "y label %s on row %d", buf, r), -1;
        prev = v;
        n++;
    }
    int ticks[1100], nt = 0;
    for (int c = left + 1; c <= left + w; c++)
        if (at(g, h + 1, c) == '+' || at(g, h + 1, c) == 0x252C)
            ticks[nt++] = c;
    int i = 0;
    for (int c = 0; nt > 0 && c < g->len[h + 2]; c++) {
        if (at(g, h + 2, c) == ' ')
            continue;
        char buf[64];
        int start = c, k = 0;
        while (c < g->len[h + 2] && at(g, h + 2, c) != ' ' && k < 63)
            buf[k++] = (char)at(g, h + 2, c++);
        buf[k] = '\0';
        if (i >= nt || ticks[i] < start || ticks[i] >= c)
            return sprintf(why, "x label %s not over its tick", buf), -1;
        double v = strtod(buf, NULL), t = xlog ? log10(v) : v;
        double lo = xlog ? log10(xlo) : xlo, hi = xlog ? log10(xhi) : xhi;
        int col = (int)floor((t - lo) * ((pw - 1) / (hi - lo)) + 0.5) >> sx;
        if (left + 1 + col != ticks[i])
            return sprintf(why, "x label %s at the wrong column", buf), -1;
        i++, n++;
    }
    if (i != nt)
        return sprintf(why, "%d x ticks, %d labels", nt, i), -1;
    return n;
}

/* Whether line l of g is a note (or missing). */
static int is_note(const grid *g, int l)
{
    int c = 0;
    while (at(g, l, c) == ' ' && c < g->len[l])
        c++;
    return l >= g->n || (at(g, l, c) == 'n' && at(g, l, c + 1) == 'o' &&
                         at(g, l, c + 2) == 't' && at(g, l, c + 3) == 'e');
}

TEST(property_tick_labels_never_overlap)
{
    uint64_t s = 11;
    int bad = 0, cases = 0, labels = 0, few = 0, noxlabel = 0;
    static grid g;
    for (int i = 0; i < 1200; i++) {
        int canvas = i % 3, xlog = i / 3 % 2, ylog = i / 6 % 2;
        int w = 2 + (int)(uniform(&s) * 150), h = 2 + (int)(uniform(&s) * 40);
        double xlo, xhi, ylo, yhi;
        random_range(&s, xlog, &xlo, &xhi);
        random_range(&s, ylog, &ylo, &yhi);
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = w, .height = h, .canvas = canvas, .xlog = xlog,
            .ylog = ylog, .xlim = {xlo, xhi}, .ylim = {ylo, yhi}});
        char *text = galley_plot_format(p);
        decode(text, &g);
        char why[200];
        int n = check_labels(&g, canvas, w, h, xlo, xhi, xlog, ylo, yhi,
                             ylog, why);
        if (n < 0 && bad++ == 0)
            printf("first failure, case %d: %s\n%s", i, why, text);
        labels += n > 0 ? n : 0;
        few += n >= 0 && n < 2;
        /* The line under the bottom border holds the x labels (or the
         * note "no data" when there are none). */
        noxlabel += is_note(&g, h + 2);
        cases++;
        free(text);
        galley_plot_free(p);
    }
    printf("%d plots: %s\n", cases, bad ? "FAILED" : "x labels apart, each "
           "over its tick at its value's column; y labels on their rows");
    printf("fewer than 2 labels on both axes together: %d plots\n", few);
    printf("without x labels: %d plots\n", noxlabel);
    printf("labels per plot: %s\n", labels > 4 * cases ? "more than 4 on "
           "average" : "4 or fewer on average");
    EXPECT(/*
      1200 plots: x labels apart, each over its tick at its value's column; y labels on their rows
      fewer than 2 labels on both axes together: 0 plots
      without x labels: 0 plots
      labels per plot: more than 4 on average
    */);
}

/* Whether text ends each line with '\n' and has no trailing spaces. */
static int clean_lines(const char *text)
{
    size_t n = strlen(text);
    if (n == 0 || text[n - 1] != '\n')
        return 0;
    for (const char *c = text; *c; c++)
        if (*c == '\n' && c > text && c[-1] == ' ')
            return 0;
    return 1;
}

/* A plot of kind k (0..7) with options varied by i. */
static galley_plot *some_plot(int k, int i, const double *v, size_t n)
{
    static const char *const labels[] = {"a", "bb", "", "dddd", "e"};
    galley_plot_options o = {
        .width = 5 + i % 50, .height = 2 + i % 13, .canvas = i % 3,
        .title = i % 4 ? "a title" : NULL, .xlabel = i % 5 ? "x" : NULL,
        .ylabel = i % 6 ? "y" : NULL, .color = i % 7 == 0,
        .legend = i % 3 - 1, .smooth = i % 2 ? 0.8 : 0};
    galley_plot *p = galley_plot_new(&o);
    switch (k) {
    case 0: galley_plot_line(p, NULL, v, n, "line"); break;
    case 1: galley_plot_scatter(p, v + 1, v, n - 1, NULL); break;
    case 2: galley_plot_loss(p, v, n, "loss"); break;
    case 3: galley_plot_hist(p, v, n); break;
    case 4: galley_plot_bars(p, labels, v, 5); break;
    case 5: galley_plot_heatmap(p, v, 4, n / 4); break;
    case 6: galley_plot_line(p, NULL, v, 0, NULL); break;
    default: galley_plot_scatter(p, v, v, 1, "one"); break;
    }
    return p;
}

TEST(property_no_trailing_spaces_and_same_bytes_twice)
{
    uint64_t s = 5;
    double v[64];
    int plots = 0, dirty = 0, differ = 0;
    for (int i = 0; i < 400; i++) {
        for (int j = 0; j < 64; j++)
            v[j] = uniform(&s) < 0.05 ? NAN : (uniform(&s) - 0.3) * 10;
        galley_plot *p = some_plot(i % 8, i, v, 64);
        char *a = galley_plot_format(p), *b = galley_plot_format(p);
        dirty += !clean_lines(a);
        differ += strcmp(a, b) != 0;
        if (!clean_lines(a) && dirty == 1)
            printf("first unclean, case %d:\n%s", i, a);
        plots++;
        free(a);
        free(b);
        galley_plot_free(p);
    }
    printf("%d plots of every kind: %d with trailing spaces or no final "
           "newline, %d formatted differently twice\n", plots, dirty, differ);
    EXPECT(/*
      400 plots of every kind: 0 with trailing spaces or no final newline, 0 formatted differently twice
    */);
}

TEST(property_a_million_points_draw_in_a_canvas_sized_text)
{
    /* The plot holds the points by reference: its memory is the 80 x 24
     * canvas, whatever the number of points; drawing scans them twice.
     * (How fast: bench/plot.sh, not a test.) */
    size_t n = 1000000;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    uint64_t s = 3;
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i;
        y[i] = sin((double)i * 1e-4) + uniform(&s) / 4;
    }
    size_t longest = 0, most_lines = 0;
    for (int c = 0; c < 3; c++) {
        for (int scatter = 0; scatter < 2; scatter++) {
            galley_plot *p = galley_plot_new(&(galley_plot_options){
                .width = 80, .height = 24, .canvas = c});
            if (scatter)
                galley_plot_scatter(p, x, y, n, NULL);
            else
                galley_plot_line(p, x, y, n, NULL);
            char *text = galley_plot_format(p);
            size_t lines = 0;
            for (const char *q = text; *q; q++)
                lines += *q == '\n';
            longest = strlen(text) > longest ? strlen(text) : longest;
            most_lines = lines > most_lines ? lines : most_lines;
            free(text);
            galley_plot_free(p);
        }
    }
    printf("1,000,000 points, 3 canvases, line and scatter: at most %zu "
           "lines, %s\n", most_lines,
           longest < 80 * 4 * 30 ? "no more text than the canvas" : "TOO BIG");
    free(x);
    free(y);
    EXPECT(/*
      1,000,000 points, 3 canvases, line and scatter: at most 27 lines, no more text than the canvas
    */);
}
