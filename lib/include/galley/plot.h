/* galley/plot.h: text charts made to sit in an EXPECT block: line and
 * scatter plots, loss curves, histograms, bar charts and heatmaps, drawn
 * with ASCII (the default) or Unicode block or braille characters, in a frame
 * with round tick labels. The same input gives the same bytes everywhere:
 * no locale, no color unless asked, no trailing spaces. See galley_plot(3).
 *
 *   galley_plot *p = galley_plot_new(&(galley_plot_options){
 *       .title = "loss", .ylog = 1});
 *   galley_plot_loss(p, losses, n, "train");
 *   galley_plot_print(p);
 *   galley_plot_free(p);
 *
 * A plot holds one kind of chart: line and scatter series (and loss curves,
 * which are line series) mix in one plot; a histogram, a bar chart or a
 * heatmap is the only content of its plot.
 *
 * Series are NOT copied: the arrays given must stay valid and unchanged
 * until the plot is printed (or formatted) for the last time. That keeps
 * the memory of a plot independent of the number of points. */
#ifndef GALLEY_PLOT_H
#define GALLEY_PLOT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the plot area is drawn. */
typedef enum galley_plot_canvas {
    GALLEY_CANVAS_ASCII = 0, /* one point per character; safe in any file */
    GALLEY_CANVAS_BLOCK = 1, /* Unicode quadrant blocks: 2 x 2 per character */
    GALLEY_CANVAS_BRAILLE = 2 /* Unicode braille: 2 x 4 per character */
} galley_plot_canvas;

/* Zero fields take the defaults shown. */
typedef struct galley_plot_options {
    int width;      /* columns of the plot area (inside the frame): 60 */
    int height;     /* rows of the plot area: 15 */
    galley_plot_canvas canvas; /* GALLEY_CANVAS_ASCII */
    const char *title;  /* centered above the frame: none */
    const char *xlabel; /* centered below the x tick labels: none */
    const char *ylabel; /* above the y tick labels: none */
    double xlim[2]; /* the x range shown; {0, 0}: the data's, carried
                       out to the next tick at each end (gnuplot's way),
                       so both ends are labelled */
    double ylim[2]; /* the y range shown; {0, 0}: the same */
    int xlog;       /* 1: log10 scale on x (values <= 0 are not shown) */
    int ylog;       /* 1: log10 scale on y */
    int color;      /* 1: ANSI colors per series; 0: none */
    int legend;     /* 0: when a series has a label; 1: always; -1: never */
    double smooth;  /* loss curves: exponential moving average weight of
                       the past, in [0, 1); 0: no smoothing */
    int bins;       /* histograms: the number of bins; 0: Sturges' rule */
    double zlim[2]; /* heatmaps: the value range of the ramp; {0, 0}: the
                       data's */
} galley_plot_options;

typedef struct galley_plot galley_plot;

/* A new empty plot (options NULL: all defaults; strings are copied). Free
 * it with galley_plot_free. */
galley_plot *galley_plot_new(const galley_plot_options *options);
void galley_plot_free(galley_plot *p);

/* ---- line and scatter ----
 * n points (x[i], y[i]); x NULL: 0, 1, ..., n-1. label names the series in
 * the legend (NULL: none). Each series gets the next marker of
 * "*+ox#@%&" (ASCII canvas) and, with color, the next color. Points that
 * are NaN or infinite (or <= 0 on a log axis) are skipped, counted in a
 * note under the plot, and break a line. Lines join consecutive points
 * without gaps. Return the series' index, or -1 after printing an error to
 * stderr (a plot of another kind, NULL y with n > 0). */
int galley_plot_line(galley_plot *p, const double *x, const double *y,
                     size_t n, const char *label);
int galley_plot_scatter(galley_plot *p, const double *x, const double *y,
                        size_t n, const char *label);
/* A training curve: loss[i] at step i + 1, as a line. With options.smooth
 * > 0 the raw values are drawn with '.' and the smoothed curve (an
 * exponential moving average, debiased as TensorBoard's) with the series'
 * marker. */
int galley_plot_loss(galley_plot *p, const double *loss, size_t n,
                     const char *label);
/* Sets the marker character of a series (ASCII canvas), e.g. 'o'. */
void galley_plot_marker(galley_plot *p, int series, char marker);

/* ---- histogram, bars, heatmap (the only content of their plot) ---- */

/* The n values counted in options.bins bins (0: Sturges' rule) over the
 * x range (xlim, or the data's), drawn as horizontal bars, one row per
 * bin, labelled with the bin's interval and count. */
int galley_plot_hist(galley_plot *p, const double *values, size_t n);
/* n horizontal bars, one row each, labelled with labels[i] on the left and
 * the value on the right; negative values are drawn to the left of a zero
 * line. */
int galley_plot_bars(galley_plot *p, const char *const *labels,
                     const double *values, size_t n);
/* The rows x cols row-major array z as a heatmap: row 0 at the top, each
 * character a cell (cells averaged when z is larger than the plot area),
 * drawn with the ramp " .:-=+*#%@" from zlim[0] (or the data's minimum) to
 * zlim[1], with a scale line under it. */
int galley_plot_heatmap(galley_plot *p, const double *z, size_t rows,
                        size_t cols);

/* ---- tensors (galley/tensor.h) ----
 * The same from tensors of float32 or float64 (any strides): y and x 1-d
 * (x NULL: the index), z 2-d. The tensors are read when the plot is drawn
 * and must stay alive until then. */
typedef struct galley_tensor galley_tensor;
int galley_plot_line_tensor(galley_plot *p, const galley_tensor *x,
                            const galley_tensor *y, const char *label);
int galley_plot_heatmap_tensor(galley_plot *p, const galley_tensor *z);

/* ---- output ----
 * The chart as text: lines of at most about width + 12 columns, each
 * ending in '\n', none with trailing spaces. */
void galley_plot_print(galley_plot *p);
/* Returns 0, or -1 when writing to f failed. */
int galley_plot_fprint(FILE *f, galley_plot *p);
/* The same text in a string the caller frees. */
char *galley_plot_format(galley_plot *p);

#ifdef __cplusplus
}
#endif

#endif
