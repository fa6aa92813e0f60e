/* plot/plot.c: the plot object, the roof of plot/: its options with the
 * defaults resolved, its series (held by reference), the rules of which
 * kinds mix, and the output to a FILE* or a string, which it hands to the
 * renderer of the plot's kind (kinds.c). The floor the renderers stand on
 * is base.c. */
#include "plot_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Widths and heights beyond this are clamped: a plot is read on a screen. */
#define S_MAX_SIZE 1000
#define S_MAX_BINS 1000

/* A copy of s, or NULL for NULL. */
static char *S_strdup(const char *s)
{
    return s ? galley__rt_xstrndup(s, strlen(s)) : NULL;
}

/* ---- options ---- */

/* lim with {0, 0} meaning "the data's"; a range that is not one is
 * reported and dropped. log: its ends must be > 0. */
static void S_check_lim(double lim[2], const char *name, int log)
{
    if (lim[0] == 0 && lim[1] == 0)
        return;
    const char *why = NULL;
    if (!isfinite(lim[0]) || !isfinite(lim[1]))
        why = "is not finite";
    else if (!galley__plot_in_range(lim[0]) || !galley__plot_in_range(lim[1]))
        why = "goes beyond 1e300 in magnitude";
    else if (lim[0] >= lim[1])
        why = "is not an increasing range";
    else if (log && lim[0] <= 0)
        why = "is not > 0 on a log axis";
    if (!why)
        return;
    char a[GALLEY__PLOT_NUM], c[GALLEY__PLOT_NUM];
    galley__plot_fmt_g(a, lim[0], 6);
    galley__plot_fmt_g(c, lim[1], 6);
    galley__plot_error("%s {%s, %s} %s; using the data's range", name, a, c,
                       why);
    lim[0] = lim[1] = 0;
}

/* n with 0 (or less than min) meaning def, at most S_MAX_SIZE. */
static int S_size(int n, int def, int min, const char *name)
{
    if (n == 0)
        return def;
    if (n < min || n > S_MAX_SIZE) {
        int m = n < min ? def : S_MAX_SIZE;
        galley__plot_error("%s %d is out of range (%d to %d); using %d", name,
                           n, min, S_MAX_SIZE, m);
        return m;
    }
    return n;
}

/* The options with defaults and checked values. */
static galley_plot_options S_resolve(galley_plot_options o)
{
    o.width = S_size(o.width, 60, 1, "width");
    o.height = S_size(o.height, 15, 1, "height");
    if (o.canvas != GALLEY_CANVAS_ASCII && o.canvas != GALLEY_CANVAS_BLOCK &&
        o.canvas != GALLEY_CANVAS_BRAILLE) {
        galley__plot_error("canvas %d is not one of GALLEY_CANVAS_ASCII, "
                           "_BLOCK, _BRAILLE; using ASCII", (int)o.canvas);
        o.canvas = GALLEY_CANVAS_ASCII;
    }
    o.xlog = o.xlog != 0;
    o.ylog = o.ylog != 0;
    o.color = o.color != 0;
    o.legend = o.legend > 0 ? 1 : o.legend < 0 ? -1 : 0;
    S_check_lim(o.xlim, "xlim", o.xlog);
    S_check_lim(o.ylim, "ylim", o.ylog);
    S_check_lim(o.zlim, "zlim", 0);
    if (!(o.smooth >= 0 && o.smooth < 1)) {
        galley__plot_error("smooth must be in [0, 1); not smoothing");
        o.smooth = 0;
    }
    if (o.bins < 0 || o.bins > S_MAX_BINS) {
        galley__plot_error("bins %d is out of range (0 to %d); using %s",
                           o.bins, S_MAX_BINS, o.bins < 0 ? "Sturges' rule"
                                                          : "1000");
        o.bins = o.bins < 0 ? 0 : S_MAX_BINS;
    }
    return o;
}

galley_plot *galley_plot_new(const galley_plot_options *options)
{
    galley_plot *p = galley__rt_xcalloc(1, sizeof *p);
    galley_plot_options o = {0};
    if (options)
        o = *options;
    p->o = S_resolve(o);
    p->title = S_strdup(o.title);
    p->xlabel = S_strdup(o.xlabel);
    p->ylabel = S_strdup(o.ylabel);
    p->o.title = p->title;
    p->o.xlabel = p->xlabel;
    p->o.ylabel = p->ylabel;
    return p;
}

void galley_plot_free(galley_plot *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nseries; i++)
        free(p->series[i].label);
    free(p->series);
    free(p->title);
    free(p->xlabel);
    free(p->ylabel);
    free(p);
}

/* ---- series ---- */

/* The kind of plot a series of style makes. */
static int S_kind_of(int style)
{
    switch (style) {
    case GALLEY__STYLE_HIST: return GALLEY__PLOT_HIST;
    case GALLEY__STYLE_BARS: return GALLEY__PLOT_BARS;
    case GALLEY__STYLE_HEATMAP: return GALLEY__PLOT_HEATMAP;
    default: return GALLEY__PLOT_XY;
    }
}

/* The name of a kind in messages. */
static const char *S_kind_name(int kind)
{
    switch (kind) {
    case GALLEY__PLOT_HIST: return "a histogram";
    case GALLEY__PLOT_BARS: return "a bar chart";
    case GALLEY__PLOT_HEATMAP: return "a heatmap";
    default: return "line and scatter series";
    }
}

int galley__plot_add(galley_plot *p, const galley__plot_series *s,
                     const char *what)
{
    static const char markers[] = "*+ox#@%&";
    if (!p) {
        galley__plot_error("%s: the plot is NULL", what);
        return -1;
    }
    int kind = S_kind_of(s->style);
    if (p->kind != GALLEY__PLOT_EMPTY &&
        (kind != GALLEY__PLOT_XY || p->kind != GALLEY__PLOT_XY)) {
        galley__plot_error("%s: this plot already holds %s; a histogram, a "
                           "bar chart or a heatmap needs a plot of its own",
                           what, S_kind_name(p->kind));
        return -1;
    }
    if (p->nseries == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 4;
        p->series = galley__rt_xrealloc(p->series,
                                         (size_t)p->cap * sizeof *p->series);
    }
    galley__plot_series *t = &p->series[p->nseries];
    *t = *s;
    t->label = S_strdup(s->label);
    t->marker = markers[p->nseries % 8];
    t->color = 1 + p->nseries % GALLEY__PLOT_NCOLORS;
    p->kind = kind;
    return p->nseries++;
}

/* Adds an x/y series of style from arrays. */
static int S_add_xy(galley_plot *p, int style, const double *x,
                    const double *y, size_t n, const char *label,
                    const char *what)
{
    if (!y && n > 0) {
        galley__plot_error("%s: y is NULL with n = %zu", what, n);
        return -1;
    }
    galley__plot_series s = {.style = style, .x = x, .y = y, .n = n};
    s.label = (char *)label; /* copied by galley__plot_add */
    return galley__plot_add(p, &s, what);
}

int galley_plot_line(galley_plot *p, const double *x, const double *y,
                     size_t n, const char *label)
{
    return S_add_xy(p, GALLEY__STYLE_LINE, x, y, n, label,
                    "galley_plot_line");
}

int galley_plot_scatter(galley_plot *p, const double *x, const double *y,
                        size_t n, const char *label)
{
    return S_add_xy(p, GALLEY__STYLE_SCATTER, x, y, n, label,
                    "galley_plot_scatter");
}

int galley_plot_loss(galley_plot *p, const double *loss, size_t n,
                     const char *label)
{
    return S_add_xy(p, GALLEY__STYLE_LOSS, NULL, loss, n, label,
                    "galley_plot_loss");
}

void galley_plot_marker(galley_plot *p, int series, char marker)
{
    if (!p || series < 0 || series >= p->nseries) {
        galley__plot_error("galley_plot_marker: no series %d in this plot",
                           series);
        return;
    }
    if (marker <= ' ' || marker > '~') {
        galley__plot_error("galley_plot_marker: the marker must be a "
                           "printable ASCII character other than space");
        return;
    }
    p->series[series].marker = marker;
}

int galley_plot_hist(galley_plot *p, const double *values, size_t n)
{
    if (!values && n > 0) {
        galley__plot_error("galley_plot_hist: values is NULL with n = %zu", n);
        return -1;
    }
    galley__plot_series s = {.style = GALLEY__STYLE_HIST, .y = values, .n = n};
    return galley__plot_add(p, &s, "galley_plot_hist");
}

int galley_plot_bars(galley_plot *p, const char *const *labels,
                     const double *values, size_t n)
{
    if (!values && n > 0) {
        galley__plot_error("galley_plot_bars: values is NULL with n = %zu", n);
        return -1;
    }
    galley__plot_series s = {.style = GALLEY__STYLE_BARS, .y = values,
                             .n = n, .labels = labels};
    return galley__plot_add(p, &s, "galley_plot_bars");
}

int galley_plot_heatmap(galley_plot *p, const double *z, size_t rows,
                        size_t cols)
{
    if (cols && rows > (size_t)-1 / cols) {
        galley__plot_error("galley_plot_heatmap: %zu x %zu is too large",
                           rows, cols);
        return -1;
    }
    if (!z && rows * cols > 0) {
        galley__plot_error("galley_plot_heatmap: z is NULL with %zu x %zu",
                           rows, cols);
        return -1;
    }
    galley__plot_series s = {.style = GALLEY__STYLE_HEATMAP, .y = z,
                             .n = rows * cols, .rows = rows, .cols = cols};
    return galley__plot_add(p, &s, "galley_plot_heatmap");
}

/* ---- output ---- */

/* The chart's text, in b (b->s may stay NULL for nothing). */
static void S_render(const galley_plot *p, galley__plot_buf *b)
{
    /* An empty histogram, bar chart or heatmap draws the empty frame of
     * an x-y plot with its note, as an empty line plot does. */
    if (p->kind >= GALLEY__PLOT_HIST && p->nseries > 0 &&
        p->series[0].n == 0) {
        galley_plot empty = *p;
        empty.nseries = 0;
        galley__plot_render_xy(&empty, b);
        return;
    }
    switch (p->kind) {
    case GALLEY__PLOT_HIST: galley__plot_render_hist(p, b); break;
    case GALLEY__PLOT_BARS: galley__plot_render_bars(p, b); break;
    case GALLEY__PLOT_HEATMAP: galley__plot_render_heatmap(p, b); break;
    default: galley__plot_render_xy(p, b); break;
    }
}

char *galley_plot_format(galley_plot *p)
{
    if (!p) {
        galley__plot_error("galley_plot_format: the plot is NULL");
        return NULL;
    }
    galley__plot_buf b = {0};
    S_render(p, &b);
    return galley__rt_buf_detach(&b.text);
}

int galley_plot_fprint(FILE *f, galley_plot *p)
{
    if (!f || !p) {
        galley__plot_error("galley_plot_fprint: the %s is NULL",
                           f ? "plot" : "file");
        return -1;
    }
    galley__plot_buf b = {0};
    S_render(p, &b);
    int rc = 0;
    if (b.text.len && fwrite(b.text.ptr, 1, b.text.len, f) != b.text.len)
        rc = -1;
    if (fflush(f) != 0 || ferror(f))
        rc = -1;
    galley__rt_buf_fini(&b.text);
    return rc;
}

void galley_plot_print(galley_plot *p)
{
    galley_plot_fprint(stdout, p);
}
