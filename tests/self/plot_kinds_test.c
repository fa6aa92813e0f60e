/* plot_kinds_test.c: galley/plot.h's histograms, bar charts and heatmaps,
 * and the plots of tensors, tested with galley: every option of each kind,
 * the notes, the errors, and as properties that a histogram counts every
 * value once and that a bar's length is its value scaled to the width.
 * The small expectations were counted by hand (the comments say how). */
#define _GNU_SOURCE
#include <galley.h>
#include <galley/plot.h>
#include <galley/tensor.h>
#include <float.h>
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

/* ---- histograms ---- */

TEST(hist_by_hand)
{
    /* 8 values: Sturges' rule gives ceil(log2 8) + 1 = 4 bins over [1, 9],
     * 2 wide: [1, 3) holds 1 2 2, [3, 5) 3 3 3 4, [5, 7) none, [7, 9] 9.
     * Bars scaled to 8 columns for the largest count, 4: 6, 8, 0, 2. */
    double v[] = {1, 2, 2, 3, 3, 3, 4, 9};
    galley_plot *p = galley_plot_new(&(galley_plot_options){.width = 8});
    galley_plot_hist(p, v, 8);
    show(p);
    EXPECT_EXACT(/*       +        +
[1, 3) |###### 3
[3, 5) |######## 4
[5, 7) | 0
[7, 9] |## 1
       +        +
*/);
}

TEST(hist_edges_with_the_digits_they_need)
{
    /* 1..8 in 4 bins: edges 1, 2.75, 4.5, 6.25, 8, all shown exactly and
     * with one number of decimals; numbers right-aligned in their column. */
    double v[] = {1, 2, 3, 4, 5, 6, 7, 8};
    galley_plot *p = galley_plot_new(&(galley_plot_options){.width = 4});
    galley_plot_hist(p, v, 8);
    show(p);
    /* -12.5 .. 1000 in 3 bins, 337.5 wide: edges 325 and 662.5, all with
     * the one decimal that shows them exactly. */
    p = galley_plot_new(&(galley_plot_options){.width = 4, .bins = 3});
    galley_plot_hist(p, (double[]){-12.5, 1000, 500}, 3);
    show(p);
    EXPECT(/*
                   +    +
      [1.00, 2.75) |#### 2
      [2.75, 4.50) |#### 2
      [4.50, 6.25) |#### 2
      [6.25, 8.00] |#### 2
                   +    +
                      +    +
      [-12.5,  325.0) |#### 1
      [325.0,  662.5) |#### 1
      [662.5, 1000.0] |#### 1
                      +    +
    */);
}

TEST(hist_bins_and_xlim)
{
    double v[] = {-3, 0, 0.5, 1, 2, 2.5, 3, 4, 4, 9, 10, 11};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 10, .bins = 5, .xlim = {0, 10}, .title = "given",
        .xlabel = "count", .ylabel = "value"});
    galley_plot_hist(p, v, 12);
    show(p);
    EXPECT(/*
             given
      value
              +          +
      [0,  2) |########## 3
      [2,  4) |########## 3
      [4,  6) |####### 2
      [6,  8) | 0
      [8, 10] |####### 2
              +          +
                 count
      note: 2 values outside the limits
    */);
}

TEST(hist_notes)
{
    double v[] = {1, NAN, 2, INFINITY, -INFINITY, 2};
    galley_plot *p = galley_plot_new(&(galley_plot_options){.width = 10});
    galley_plot_hist(p, v, 6);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 10});
    galley_plot_hist(p, (double[]){5, 5, 5}, 3);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 10});
    galley_plot_hist(p, (double[]){0.25}, 1);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 10});
    galley_plot_hist(p, NULL, 0);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 10});
    galley_plot_hist(p, (double[]){NAN}, 1);
    show(p);
    EXPECT(/*
                   +          +
      [1.00, 1.33) |##### 1
      [1.33, 1.67) | 0
      [1.67, 2.00] |########## 2
                   +          +
      note: 3 values not shown (NaN or infinite)
                   +          +
      [4.00, 4.67) | 0
      [4.67, 5.33) |########## 3
      [5.33, 6.00] | 0
                   +          +
      note: all values equal 5
                   +          +
      [0.15, 0.35] |########## 1
                   +          +
      note: a single value
          +----------+
        1 +          |
          |          |
          |          |
      0.8 +          |
          |          |
          |          |
      0.6 +          |
          |          |
      0.4 +          |
          |          |
          |          |
      0.2 +          |
          |          |
          |          |
        0 +          |
          ++----+---++
           0   0.5  1
          note: no data
      note: 1 value not shown (NaN or infinite)
      note: no data
    */);
}

TEST(hist_log_x_bins)
{
    /* Bins even in log10: 1..1000 in 3 bins is a decade each. */
    double v[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0, -1};
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 8, .bins = 3, .xlog = 1});
    galley_plot_hist(p, v, 12);
    show(p);
    EXPECT(/*
                  +        +
      [  1,   10) |###### 3
      [ 10,  100) |###### 3
      [100, 1000] |######## 4
                  +        +
      note: 2 values not shown (<= 0 on a log axis)
    */);
}

TEST(hist_unicode_eighths)
{
    /* Counts 8 down to 1 with a width of 1: eighths of a cell. */
    double v[36];
    int n = 0;
    for (int b = 0; b < 8; b++)
        for (int k = 0; k < 8 - b; k++)
            v[n++] = b + 0.5;
    for (int c = 1; c <= 2; c++) {
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = 1, .bins = 8, .xlim = {0, 8},
            .canvas = (galley_plot_canvas)c});
        galley_plot_hist(p, v, (size_t)n);
        show(p);
    }
    EXPECT(/*
             ┌ ┐
      [0, 1) ┤█ 8
      [1, 2) ┤▉ 7
      [2, 3) ┤▊ 6
      [3, 4) ┤▋ 5
      [4, 5) ┤▌ 4
      [5, 6) ┤▍ 3
      [6, 7) ┤▎ 2
      [7, 8] ┤▏ 1
             └ ┘
             ┌ ┐
      [0, 1) ┤█ 8
      [1, 2) ┤▉ 7
      [2, 3) ┤▊ 6
      [3, 4) ┤▋ 5
      [4, 5) ┤▌ 4
      [5, 6) ┤▍ 3
      [6, 7) ┤▎ 2
      [7, 8] ┤▏ 1
             └ ┘
    */);
}

TEST(hist_color)
{
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 6, .color = 1, .canvas = GALLEY_CANVAS_BLOCK});
    galley_plot_hist(p, (double[]){1, 2, 2, 3}, 4);
    show(p);
    EXPECT(/*
                   ┌      ┐
      [1.00, 1.67) ┤\x1b[32m███\x1b[0m 1 (esc)
      [1.67, 2.33) ┤\x1b[32m██████\x1b[0m 2 (esc)
      [2.33, 3.00] ┤\x1b[32m███\x1b[0m 1 (esc)
                   └      ┘
    */);
}

TEST(hist_of_normal_samples)
{
    /* 100,000 samples of a sum of 12 uniforms minus 6 (mean 0, sd 1): 18
     * bins by Sturges' rule, a bell. */
    enum { N = 100000 };
    static double v[N];
    uint64_t s = 42;
    for (int i = 0; i < N; i++) {
        double a = -6;
        for (int k = 0; k < 12; k++)
            a += uniform(&s);
        v[i] = a;
    }
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 40, .title = "sum of 12 uniforms - 6"});
    galley_plot_hist(p, v, N);
    show(p);
    EXPECT(/*
                       sum of 12 uniforms - 6
                     +                                        +
      [-4.03, -3.60) | 11
      [-3.60, -3.16) | 39
      [-3.16, -2.73) |# 200
      [-2.73, -2.30) |## 740
      [-2.30, -1.87) |##### 2083
      [-1.87, -1.43) |########### 4684
      [-1.43, -1.00) |#################### 8350
      [-1.00, -0.57) |############################## 12640
      [-0.57, -0.14) |###################################### 15964
      [-0.14,  0.30) |######################################## 16849
      [ 0.30,  0.73) |#################################### 14929
      [ 0.73,  1.16) |########################## 11030
      [ 1.16,  1.59) |################ 6839
      [ 1.59,  2.03) |######## 3511
      [ 2.03,  2.46) |#### 1471
      [ 2.46,  2.89) |# 498
      [ 2.89,  3.32) | 137
      [ 3.32,  3.76] | 25
                     +                                        +
    */);
}

/* The counts printed at the end of the bar rows of a histogram: their sum. */
static long count_sum(const char *text, int *rows)
{
    long sum = 0;
    *rows = 0;
    for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
        const char *end = strchr(l, '\n');
        if (*l == '[') {
            const char *sp = end;
            while (sp > l && sp[-1] != ' ')
                sp--;
            sum += strtol(sp, NULL, 10);
            ++*rows;
        }
    }
    return sum;
}

TEST(property_hist_counts_every_value_once)
{
    uint64_t s = 9;
    static double v[3000];
    int bad = 0;
    for (int i = 0; i < 300; i++) {
        int n = 1 + (int)(uniform(&s) * 3000), bins = i % 3 ? 0 : 1 + i % 40;
        double scale = pow(10, floor(uniform(&s) * 12) - 6);
        for (int k = 0; k < n; k++)
            v[k] = (uniform(&s) - 0.3) * scale;
        galley_plot *p = galley_plot_new(&(galley_plot_options){
            .width = 20, .bins = bins});
        galley_plot_hist(p, v, (size_t)n);
        char *text = galley_plot_format(p);
        int rows, sturges = 1;
        for (int m = 1; m < n; m *= 2)
            sturges++;
        long sum = count_sum(text, &rows);
        if ((sum != n || rows != (bins ? bins : sturges)) && bad++ == 0)
            printf("first failure, case %d: %ld of %d in %d rows\n%s", i,
                   sum, n, rows, text);
        free(text);
        galley_plot_free(p);
    }
    printf("300 histograms: %s\n", bad ? "FAILED" : "the counts add up to n, "
           "in the bins asked or ceil(log2 n) + 1");
    EXPECT(/*
      300 histograms: the counts add up to n, in the bins asked or ceil(log2 n) + 1
    */);
}

/* ---- bar charts ---- */

TEST(bars_by_hand)
{
    /* Width 12 for the largest value, 3: 1.5 gets 6, 0.75 gets 3. */
    const char *labels[] = {"three", "one and a half", "0.75", "zero"};
    galley_plot *p = galley_plot_new(&(galley_plot_options){.width = 12});
    galley_plot_bars(p, labels, (double[]){3, 1.5, 0.75, 0}, 4);
    show(p);
    EXPECT_EXACT(/*               +            +
three          |############ 3
one and a half |###### 1.5
0.75           |### 0.75
zero           | 0
               +            +
*/);
}

TEST(bars_negative_values)
{
    /* From -2 to 2 over 12 columns: 6 on each side of the zero line. */
    const char *labels[] = {"a", "b", "c", "d"};
    galley_plot *p = galley_plot_new(&(galley_plot_options){.width = 12});
    galley_plot_bars(p, labels, (double[]){2, -1, -2, 1}, 4);
    show(p);
    p = galley_plot_new(&(galley_plot_options){
        .width = 12, .canvas = GALLEY_CANVAS_BRAILLE});
    galley_plot_bars(p, labels, (double[]){2, -1, -2, 1}, 4);
    show(p);
    EXPECT(/*
       +      +      +
      a       |###### 2
      b    ###| -1
      c ######| -2
      d       |### 1
       +      +      +
       ┌      ┬      ┐
      a       ┤██████ 2
      b    ███┤ -1
      c ██████┤ -2
      d       ┤███ 1
       └      ┴      ┘
    */);
}

TEST(bars_options_and_notes)
{
    const char *labels[] = {"acc", "f1", NULL, "nan", "inf"};
    double v[] = {0.5, 0.25, 1.5, NAN, INFINITY};
    /* xlim fixes the scale (here 0 .. 1): 1.5 is cut at the end. */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 8, .xlim = {0, 1}, .title = "scores", .xlabel = "score",
        .ylabel = "metric"});
    galley_plot_bars(p, labels, v, 5);
    show(p);
    /* No labels: the index. */
    p = galley_plot_new(&(galley_plot_options){.width = 8});
    galley_plot_bars(p, NULL, v, 3);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 8});
    galley_plot_bars(p, NULL, NULL, 0);
    show(p);
    EXPECT(/*
          scores
      metric
          +        +
      acc |#### 0.5
      f1  |## 0.25
          |######## 1.5
      nan | nan
      inf | inf
          +        +
            score
      note: 2 values not shown (NaN or infinite)
      note: 1 value outside the limits
        +        +
      0 |### 0.5
      1 |# 0.25
      2 |######## 1.5
        +        +
          +--------+
        1 +        |
          |        |
          |        |
      0.8 +        |
          |        |
          |        |
      0.6 +        |
          |        |
      0.4 +        |
          |        |
          |        |
      0.2 +        |
          |        |
          |        |
        0 +        |
          ++------++
           0      1
          note: no data
    */);
}

TEST(bars_unicode_and_color)
{
    const char *labels[] = {"x", "y", "z"};
    double v[] = {1, 0.5625, 0.0625}; /* 8, 4.5 and 0.5 cells of 8 */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 8, .canvas = GALLEY_CANVAS_BLOCK});
    galley_plot_bars(p, labels, v, 3);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 8, .color = 1});
    galley_plot_bars(p, labels, v, 3);
    show(p);
    EXPECT(/*
        ┌        ┐
      x ┤████████ 1
      y ┤████▌ 0.5625
      z ┤▌ 0.0625
        └        ┘
        +        +
      x |\x1b[32m########\x1b[0m 1 (esc)
      y |\x1b[32m#####\x1b[0m 0.5625 (esc)
      z |\x1b[32m#\x1b[0m 0.0625 (esc)
        +        +
    */);
}

/* ---- heatmaps ---- */

TEST(heatmap_ramp_by_hand)
{
    /* 0..9 over [0, 9]: level floor(v / 9 * 10), the top clamped to 9:
     * each of the ten characters once. */
    double z[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    galley_plot *p = galley_plot_new(NULL);
    galley_plot_heatmap(p, z, 1, 10);
    show(p);
    EXPECT_EXACT(/*  +----------+
0 + .:-=+*#%@|
  ++-+-+-+-+-+
   0 2 4 6 8
  0 ' .:-=+*#%@' 9
*/);
}

TEST(heatmap_row_zero_at_the_top)
{
    /* An identity matrix: the diagonal from the top left. */
    double z[16] = {0};
    for (int i = 0; i < 4; i++)
        z[i * 4 + i] = 1;
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .title = "eye", .xlabel = "col", .ylabel = "row"});
    galley_plot_heatmap(p, z, 4, 4);
    show(p);
    EXPECT(/*
         eye
      row
        +----+
      0 +@   |
      1 + @  |
      2 +  @ |
      3 +   @|
        ++-+-+
         0 2
         col
        0 ' .:-=+*#%@' 1
    */);
}

TEST(heatmap_cells_averaged)
{
    /* 4 x 4 into 2 x 2: each shown cell the mean of a 2 x 2 block: 0, 1
     * on top; 2, 3 below; over the data's [-0.25, 3.25], levels 0.7, 3.6,
     * 6.4, 9.3: ' ', '-', '*', '@'. */
    double z[16];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            z[r * 4 + c] = (r / 2) * 2 + c / 2 + (r % 2 ? 0.25 : -0.25);
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 2, .height = 2});
    galley_plot_heatmap(p, z, 4, 4);
    show(p);
    /* 5 x 3 into 2 x 2: z row i in row i * 2 / 5 (rows 0..2, then 3..4),
     * column j in j * 2 / 3 (columns 0..1, then 2): means 3.5, 5 on top,
     * 11, 12.5 below, over [0, 14]: levels 2.5, 3.6, 7.9, 8.9: ':', '-',
     * '#', '%'. */
    double y[15];
    for (int i = 0; i < 15; i++)
        y[i] = i;
    p = galley_plot_new(&(galley_plot_options){.width = 2, .height = 2});
    galley_plot_heatmap(p, y, 5, 3);
    show(p);
    EXPECT(/*
        +--+
      0 + -|
      2 +*@|
        ++-+
         0
        -0.25 ' .:-=+*#%@' 3.25
        +--+
      0 +:-|
        |#%|
        ++-+
         0
        0 ' .:-=+*#%@' 14
    */);
}

TEST(heatmap_large_with_round_labels)
{
    static double z[40 * 100];
    for (int r = 0; r < 40; r++)
        for (int c = 0; c < 100; c++)
            z[r * 100 + c] = sin(r / 6.0) * cos(c / 15.0);
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 50, .height = 10, .canvas = GALLEY_CANVAS_BRAILLE});
    galley_plot_heatmap(p, z, 40, 100);
    show(p);
    EXPECT(/*
         ┌──────────────────────────────────────────────────┐
       0 ┤*****+++++++=======---------========+++++++*******│
       5 ┤%%%%%###**++==--:::..........:::--==++**##%%%%%%%%│
      10 ┤@@@@@%%##*++==-::..         ...:--==+**##%%@@@@@@@│
      15 ┤%%%%%###**++==--:::..........::---==++**##%%%%%%%%│
         │***+++++++++=========------=========++++++++******│
      20 ┤:::-----====++++*****#####******++++===------:::::│
      25 ┤   ...::--==++**##%%%@@@@@@%%%##**++=--::...      │
      30 ┤     ..::-==++*##%%@@@@@@@@@%%%#**++=--::..       │
      35 ┤...::::---==++***####%%%%%####***+++==---::::.....│
         │============++++++++++++++++++++++++==============│
         └┬────┬────┬────┬────┬────┬────┬────┬────┬────┬────┘
          0    10   20   30   40   50   60   70   80   90
         -0.998955 ' .:-=+*#%@' 0.998921
    */);
}

TEST(heatmap_nan_zlim_constant_empty)
{
    double z[] = {0, NAN, 2, 3, INFINITY, 5};
    galley_plot *p = galley_plot_new(NULL);
    galley_plot_heatmap(p, z, 2, 3);
    show(p);
    /* zlim: 0 and 5 are outside [1, 4], drawn at the ends. */
    p = galley_plot_new(&(galley_plot_options){.zlim = {1, 4}});
    galley_plot_heatmap(p, (double[]){0, 1, 2, 3, 4, 5}, 2, 3);
    show(p);
    p = galley_plot_new(NULL);
    galley_plot_heatmap(p, (double[]){7, 7, 7, 7}, 2, 2);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.title = "none"});
    galley_plot_heatmap(p, NULL, 0, 3);
    show(p);
    EXPECT(/*
        +---+
      0 + ?=|
      1 +*?@|
        ++-++
         0 2
        0 ' .:-=+*#%@' 5
        note: 2 cells not shown (NaN or infinite)
        +---+
      0 +  -|
      1 +*@@|
        ++-++
         0 2
        1 ' .:-=+*#%@' 4
        note: 2 cells outside the limits
        +--+
      0 +++|
      1 +++|
        ++-+
         0
        6 ' .:-=+*#%@' 8
        note: all values equal 7
                                       none
          +------------------------------------------------------------+
        1 +                                                            |
          |                                                            |
          |                                                            |
      0.8 +                                                            |
          |                                                            |
          |                                                            |
      0.6 +                                                            |
          |                                                            |
      0.4 +                                                            |
          |                                                            |
          |                                                            |
      0.2 +                                                            |
          |                                                            |
          |                                                            |
        0 +                                                            |
          ++-----------+-----------+----------+-----------+-----------++
           0          0.2         0.4        0.6         0.8          1
          note: no data
    */);
}

TEST(heatmap_errors)
{
    errors_to_stdout();
    galley_plot *p = galley_plot_new(NULL);
    printf("%d\n", galley_plot_heatmap(p, NULL, 2, 2));
    printf("%d\n", galley_plot_heatmap(p, (double[]){1}, (size_t)-1, 2));
    printf("%d\n", galley_plot_heatmap(p, (double[]){1}, 1, 1));
    printf("%d\n", galley_plot_heatmap(p, (double[]){1}, 1, 1));
    galley_plot_free(p);
    p = galley_plot_new(NULL);
    printf("%d\n", galley_plot_bars(p, NULL, NULL, 2));
    printf("%d\n", galley_plot_hist(p, NULL, 2));
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: galley_plot_heatmap: z is NULL with 2 x 2
      -1
      galley: plot: galley_plot_heatmap: 18446744073709551615 x 2 is too large
      -1
      0
      galley: plot: galley_plot_heatmap: this plot already holds a heatmap; a histogram, a bar chart or a heatmap needs a plot of its own
      -1
      galley: plot: galley_plot_bars: values is NULL with n = 2
      -1
      galley: plot: galley_plot_hist: values is NULL with n = 2
      -1
    */);
}

/* ---- tensors ---- */

TEST(line_tensor)
{
    float y32[] = {0, 1, 4, 9, 16};
    double x64[] = {0, 1, 2, 3, 4};
    galley_tensor *y = galley_from_f32(y32, GALLEY_SHAPE(5));
    galley_tensor *x = galley_from_f64(x64, GALLEY_SHAPE(5));
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 10, .height = 4});
    printf("%d\n", galley_plot_line_tensor(p, x, y, "float32 y"));
    galley_tensor *half = galley_mul_scalar(galley_tensor_to(y, GALLEY_F64), 0.5);
    printf("%d\n", galley_plot_line_tensor(p, NULL, half, "float64 / 2"));
    show(p);
    EXPECT(/*
      0
      1
         +----------+
      20 +          |
         |        **|
      10 +    **++++|
       0 +++++++    |
         ++-+--+-+-++
          0 1  2 3 4
         * float32 y   + float64 / 2
    */);
}

TEST(line_tensor_strided_and_read_when_drawn)
{
    /* Column 1 of a 5 x 2 matrix (stride 2), and a slice with step 2. */
    galley_tensor *m = galley_reshape(
        galley_arange(GALLEY_F64, 0, 10, 1), GALLEY_SHAPE(5, 2));
    galley_tensor *col = galley_select(m, 1, 1); /* 1 3 5 7 9 */
    galley_tensor *even = galley_slice(galley_arange(GALLEY_F32, 0, 10, 1),
                                       0, 0, 10, 2); /* 0 2 4 6 8 */
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .width = 10, .height = 5});
    galley_plot_line_tensor(p, even, col, "column 1");
    /* Changed after adding: the plot shows the new value. */
    galley_tensor_set(m, 2, (long[]){4, 1}, 0);
    show(p);
    EXPECT(/*
        +----------+
      8 +          |
      6 +      **  |
      4 +    **  * |
      2 + ***    * |
      0 +*        *|
        ++-+--+-+-++
         0 2  4 6 8
        * column 1
    */);
}

TEST(line_tensor_errors)
{
    errors_to_stdout();
    galley_plot *p = galley_plot_new(NULL);
    galley_tensor *ok = galley_arange(GALLEY_F32, 0, 3, 1);
    printf("%d\n", galley_plot_line_tensor(p, NULL, NULL, "y"));
    printf("%d\n", galley_plot_line_tensor(
                       p, NULL, galley_arange(GALLEY_I64, 0, 3, 1), "y"));
    printf("%d\n", galley_plot_line_tensor(
                       p, NULL, galley_zeros(GALLEY_F32, GALLEY_SHAPE(2, 2)),
                       "y"));
    printf("%d\n", galley_plot_line_tensor(
                       p, galley_arange(GALLEY_F32, 0, 4, 1), ok, "y"));
    printf("%d\n", galley_plot_line_tensor(
                       p, galley_arange(GALLEY_I64, 0, 3, 1), ok, "y"));
    printf("%d\n", galley_plot_line_tensor(NULL, NULL, ok, "y"));
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: galley_plot_line_tensor: y is NULL
      -1
      galley: plot: galley_plot_line_tensor: y is int64; plots take float32 or float64 (convert with galley_tensor_to)
      -1
      galley: plot: galley_plot_line_tensor: y has 2 dimensions; it needs 1
      -1
      galley: plot: galley_plot_line_tensor: x has 4 elements and y 3
      -1
      galley: plot: galley_plot_line_tensor: x is int64; plots take float32 or float64 (convert with galley_tensor_to)
      -1
      galley: plot: galley_plot_line_tensor: the plot is NULL
      -1
    */);
}

TEST(heatmap_tensor)
{
    /* A 3 x 4 float32 matrix and its transpose (a strided view). */
    galley_tensor *z = galley_reshape(galley_arange(GALLEY_F32, 0, 12, 1),
                                      GALLEY_SHAPE(3, 4));
    galley_plot *p = galley_plot_new(NULL);
    printf("%d\n", galley_plot_heatmap_tensor(p, z));
    show(p);
    p = galley_plot_new(NULL);
    galley_plot_heatmap_tensor(p, galley_transpose(z, 0, 1));
    show(p);
    EXPECT(/*
      0
        +----+
      0 +  .:|
      1 +-=+*|
      2 +#%@@|
        ++-+-+
         0 2
        0 ' .:-=+*#%@' 11
        +---+
      0 + -#|
      1 + =%|
      2 +.+@|
      3 +:*@|
        ++-++
         0 2
        0 ' .:-=+*#%@' 11
    */);
}

TEST(heatmap_tensor_errors)
{
    errors_to_stdout();
    galley_plot *p = galley_plot_new(NULL);
    printf("%d\n", galley_plot_heatmap_tensor(p, NULL));
    printf("%d\n", galley_plot_heatmap_tensor(
                       p, galley_arange(GALLEY_F32, 0, 3, 1)));
    printf("%d\n", galley_plot_heatmap_tensor(
                       p, galley_zeros(GALLEY_I64, GALLEY_SHAPE(2, 2))));
    printf("%d\n", galley_plot_heatmap_tensor(
                       p, galley_zeros(GALLEY_F64, GALLEY_SHAPE(1, 2, 2))));
    galley_plot_line(p, NULL, (double[]){1}, 1, NULL);
    printf("%d\n", galley_plot_heatmap_tensor(
                       p, galley_zeros(GALLEY_F64, GALLEY_SHAPE(2, 2))));
    galley_plot_free(p);
    EXPECT(/*
      galley: plot: galley_plot_heatmap_tensor: z is NULL
      -1
      galley: plot: galley_plot_heatmap_tensor: z has 1 dimension; it needs 2
      -1
      galley: plot: galley_plot_heatmap_tensor: z is int64; plots take float32 or float64 (convert with galley_tensor_to)
      -1
      galley: plot: galley_plot_heatmap_tensor: z has 3 dimensions; it needs 2
      -1
      galley: plot: galley_plot_heatmap_tensor: this plot already holds line and scatter series; a histogram, a bar chart or a heatmap needs a plot of its own
      -1
    */);
}

/* ---- values too large to draw ---- */

TEST(values_beyond_1e300_are_not_drawn)
{
    /* 1e308 - -1e308 overflows a double: such values are counted in a
     * note, like NaN, and the rest is drawn over its own range. Limits
     * that go beyond 1e300 are refused. */
    errors_to_stdout();
    double v[] = {1e308, -1e308, 1, 2, -DBL_MAX, 1e300, -1e300};
    galley_plot_options o = {.width = 12, .height = 3};
    galley_plot *p = galley_plot_new(&o);
    galley_plot_line(p, NULL, v, 4, NULL);
    show(p);
    p = galley_plot_new(&o);
    galley_plot_hist(p, v, 5);
    show(p);
    p = galley_plot_new(&o);
    galley_plot_bars(p, NULL, v, 4);
    show(p);
    p = galley_plot_new(&o);
    galley_plot_heatmap(p, v, 2, 2);
    show(p);
    /* 1e300 itself is drawn. */
    p = galley_plot_new(&o);
    galley_plot_hist(p, v + 5, 2);
    show(p);
    p = galley_plot_new(&(galley_plot_options){.width = 12, .height = 3,
                                               .ylim = {-1e301, 1}});
    galley_plot_line(p, NULL, v + 2, 2, NULL);
    show(p);
    EXPECT(/*
          +------------+
        2 +         ***|
      1.5 +   ******   |
        1 +***         |
          ++----------++
           2          3
          note: 2 points not shown (beyond 1e300 in magnitude)
                 +            +
      [1.0, 1.5) |############ 1
      [1.5, 2.0] |############ 1
                 +            +
      note: 3 values not shown (beyond 1e300 in magnitude)
        +            +
      0 | 1e308
      1 | -1e308
      2 |###### 1
      3 |############ 2
        +            +
      note: 2 values not shown (beyond 1e300 in magnitude)
        +--+
      0 +??|
      1 + @|
        ++-+
         0
        1 ' .:-=+*#%@' 2
        note: 2 cells not shown (beyond 1e300 in magnitude)
                      +            +
      [-1e300,     0) |############ 1
      [     0, 1e300] |############ 1
                      +            +
      galley: plot: ylim {-1e301, 1} goes beyond 1e300 in magnitude; using the data's range
          +------------+
        2 +         ***|
      1.5 +   ******   |
        1 +***         |
          ++----------++
           0          1
    */);
}
