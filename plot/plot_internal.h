/* plot_internal.h: what the files of plot/ share: the plot object and its
 * series, the text buffer, the canvases, the axes with their ticks, the
 * frame, and the renderers of each kind. None of it touches tensors:
 * plot_tensor.c hands plot.c a function that reads them.
 *
 * plot/ is the charts library of libgalley (galley/plot.h), linked into
 * test programs, and `galley plot` (cli.c), its command-line front end in
 * the galley command. The library may include lib/include/ and libgalley's
 * floor (lib/alloc.h); cli.c may include the library, source/util.h (the
 * command's allocator, buffers and messages) and source/options.h (its
 * option parser). Nothing of plot/ includes runner/ or promote/. */
#ifndef GALLEY_PLOT_INTERNAL_H
#define GALLEY_PLOT_INTERNAL_H

#include "../lib/alloc.h"
#include "galley/plot.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the plot object ---- */

/* What a plot holds: nothing yet, line/scatter/loss series, or the one
 * histogram, bar chart or heatmap. */
enum galley__plot_kind {
    GALLEY__PLOT_EMPTY,
    GALLEY__PLOT_XY,
    GALLEY__PLOT_HIST,
    GALLEY__PLOT_BARS,
    GALLEY__PLOT_HEATMAP
};

/* How one series draws. */
enum galley__plot_style {
    GALLEY__STYLE_LINE,
    GALLEY__STYLE_SCATTER,
    GALLEY__STYLE_LOSS, /* a line at x = 1, 2, ...; smoothed per options */
    GALLEY__STYLE_HIST,
    GALLEY__STYLE_BARS,
    GALLEY__STYLE_HEATMAP
};

/* Reads count values starting at flat index start of src (a tensor, for
 * plot_tensor.c) into out. */
typedef void (*galley__plot_read_fn)(const void *src, size_t start,
                                     size_t count, double *out);

/* One series, by reference: the arrays (or tensors) are read at each
 * drawing. x and xsrc both NULL: x is the index (from 1 for a loss). */
typedef struct galley__plot_series {
    int style;
    const double *x, *y;     /* arrays, or NULL */
    const void *xsrc, *ysrc; /* tensors read through read, or NULL */
    galley__plot_read_fn read;
    size_t n;                   /* points (heatmap: rows * cols) */
    size_t rows, cols;          /* heatmaps */
    const char *const *labels;  /* bar charts: n labels, or NULL */
    char *label;                /* owned copy, or NULL */
    char marker;                /* ASCII canvas */
    int color;                  /* 1 + index into the color table */
} galley__plot_series;

/* A plot: the options with defaults resolved (strings owned), and its
 * series. */
struct galley_plot {
    galley_plot_options o;
    char *title, *xlabel, *ylabel;
    int kind;
    galley__plot_series *series;
    int nseries, cap;
};

/* Adds a copy of *s (its label copied) to p after checking that its style
 * fits the plot's kind; returns its index, or -1 after printing an error
 * naming what (the public function). plot_tensor.c calls it too. */
int galley__plot_add(galley_plot *p, const galley__plot_series *s,
                     const char *what);
/* Prints "galley: plot: MESSAGE" to stderr. */
void galley__plot_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Values start .. start + count - 1 (count <= GALLEY__PLOT_CHUNK) of the
 * series' y (which 1) or x (which 0): a pointer into the array itself, or
 * buf filled from the tensor or with the index. */
enum { GALLEY__PLOT_CHUNK = 512 };
/* How many values the chunk of a series of n values starting at value at
 * holds: GALLEY__PLOT_CHUNK, or what is left. */
static inline size_t galley__plot_chunk(size_t n, size_t at)
{
    return n - at < GALLEY__PLOT_CHUNK ? n - at : GALLEY__PLOT_CHUNK;
}
const double *galley__plot_values(const galley__plot_series *s, int which,
                                  size_t start, size_t count, double *buf);

/* ---- text buffer ---- */

/* The text being drawn (libgalley's buffer: out of memory aborts with a
 * message); line is where the current line starts. */
typedef struct galley__plot_buf {
    galley__rt_buf text;
    size_t line;
} galley__plot_buf;

void galley__plot_putn(galley__plot_buf *b, const char *s, size_t n);
void galley__plot_puts(galley__plot_buf *b, const char *s);
void galley__plot_putc(galley__plot_buf *b, char c);
void galley__plot_spaces(galley__plot_buf *b, int n);
/* Appends codepoint cp in UTF-8. */
void galley__plot_put_utf8(galley__plot_buf *b, unsigned cp);
/* Ends the current line: trailing spaces dropped, then '\n'. */
void galley__plot_endline(galley__plot_buf *b);
/* Characters (not bytes) of the UTF-8 string s; ANSI escapes count 0. */
int galley__plot_textwidth(const char *s);

/* ---- numbers as text, without the locale ---- */

enum { GALLEY__PLOT_NUM = 32 }; /* room for any formatted number */

/* v like printf's %g with sig significant digits but no "+", no leading
 * zeros in the exponent, trailing zeros dropped, never "-0": 0.5, 1e6,
 * 2.5e-5, nan, -inf. Returns the length. */
int galley__plot_fmt_g(char *out, double v, int sig);
/* v rounded to decimals digits after the point (all of them: 1.50);
 * %g's form beyond 1e15. */
int galley__plot_fmt_fixed(char *out, double v, int decimals);
/* The exact value n * 10^e: plain (1500, 0.25) or, with sci, 1.5e3. */
int galley__plot_fmt_exact(char *out, long long n, int e, int sci);

/* ---- axes and ticks ---- */

/* One axis: its limits in axis space (log10 of the values on a log axis)
 * and as given (raw), and the mapping onto npix pixels, shift of them per
 * character cell. Pixel 0 is lo, pixel npix - 1 is hi; a flipped axis (y)
 * puts hi at pixel 0. integer: ticks at integers only. index: the axis of
 * a heatmap, indices 0 .. rhi over cells, index i in cell i * cells /
 * (rhi + 1). */
typedef struct galley__plot_axis {
    double lo, hi, rlo, rhi;
    int log, flip, integer, index;
    int npix, shift, cells;
    double scale; /* (npix - 1) / (hi - lo) */
} galley__plot_axis;

enum { GALLEY__PLOT_MAXTICKS = 256, GALLEY__PLOT_LABEL = 28 };

typedef struct galley__plot_tick {
    int cell;
    double value;
    char label[GALLEY__PLOT_LABEL];
} galley__plot_tick;

typedef struct galley__plot_ticks {
    int n;
    galley__plot_tick t[GALLEY__PLOT_MAXTICKS];
} galley__plot_ticks;

/* Sets a's limits (raw; lo < hi) and mapping onto cells characters of
 * 1 << shift pixels. */
void galley__plot_axis_set(galley__plot_axis *a, double rlo, double rhi,
                           int log, int flip, int cells, int shift);
/* The pixel coordinate (not rounded) of axis-space value v. */
static inline double galley__plot_axis_pix(const galley__plot_axis *a,
                                           double v)
{
    return a->flip ? (a->hi - v) * a->scale : (v - a->lo) * a->scale;
}
/* The cell of raw value v (clamped to the axis). */
int galley__plot_axis_cell(const galley__plot_axis *a, double rv);
/* Widens an empty range [v, v] symmetrically: by the order of magnitude of
 * v (1 for 0), or a decade each way on a log axis. */
void galley__plot_widen(double *lo, double *hi, int log);

/* How ticks must be spaced: x labels in a line starting at column prefix
 * + 1 (the plot area) and ending at the right border; y labels on rows at
 * least min_rows apart. dense 0 relaxes the x spacing to one blank.
 * extend: the range is the data's, and may be carried out to the next
 * ticks (see galley__plot_ticks_make). */
typedef struct galley__plot_tickrule {
    int x, prefix, min_rows, dense, extend;
} galley__plot_tickrule;

/* Round ticks for a: 1-2-5 steps (powers of ten, with 2 and 5 between
 * when there is room, on a log axis), as many as fit the rule. With
 * r->extend, each step is tried on the range carried out to its next
 * ticks at both ends (as gnuplot's autoscale extends an axis to the next
 * tick mark), and a is set to the range of the step that wins, so that
 * both ends of the axis are labelled: the finest step whose ticks fit. */
void galley__plot_ticks_make(galley__plot_ticks *t, galley__plot_axis *a,
                             const galley__plot_tickrule *r);
/* The columns where the x labels of t start in a line whose plot area
 * begins at column prefix + 1 and has w columns (labels centered under
 * their ticks, kept between column 0 and the right border). */
void galley__plot_xlabel_starts(const galley__plot_ticks *t, int prefix, int w,
                                int *start);
/* Columns taken by the y tick labels and the space after them: 0 when
 * there are none. */
int galley__plot_gutter(const galley__plot_ticks *yt);

/* ---- canvases ---- */

/* The plot area: w x h cells, each 1 << sx by 1 << sy pixels. dots holds
 * the marker (ASCII) or the dot bits (block: 2x2, braille: 2x4) of a cell;
 * owner the color (1 + index) of the last series that drew in it. */
typedef struct galley__plot_canvas {
    int kind, w, h, sx, sy, pw, ph;
    unsigned char *dots, *owner;
} galley__plot_canvas;

void galley__plot_canvas_init(galley__plot_canvas *c, int kind, int w, int h);
void galley__plot_canvas_fini(galley__plot_canvas *c);

extern const unsigned char galley__plot_dotbit[2][4][2];

/* Sets pixel (px, py) (0, 0 at the top left; inside the canvas). */
static inline void galley__plot_canvas_set(galley__plot_canvas *c, int px,
                                           int py, unsigned char marker,
                                           unsigned char owner)
{
    size_t i = (size_t)(py >> c->sy) * (size_t)c->w + (size_t)(px >> c->sx);
    if (c->kind == GALLEY_CANVAS_ASCII)
        c->dots[i] = marker;
    else
        c->dots[i] |= galley__plot_dotbit[c->kind - 1][py & 3][px & 1];
    c->owner[i] = owner;
}
/* Draws the 8-connected line from pixel (x0, y0) to (x1, y1). */
void galley__plot_canvas_line(galley__plot_canvas *c, int x0, int y0, int x1,
                              int y1, unsigned char marker,
                              unsigned char owner);
/* Draws the segment between real pixel coordinates, clipped to the canvas
 * (coordinates round to the nearest pixel). */
void galley__plot_canvas_segment(galley__plot_canvas *c, double fx0,
                                 double fy0, double fx1, double fy1,
                                 unsigned char marker, unsigned char owner);
/* Appends row's cells as text, with color escapes when color is set. */
void galley__plot_canvas_row(const galley__plot_canvas *c, int row,
                             int color, galley__plot_buf *b);
/* The escape that starts color index c (1 + index of the table). */
const char *galley__plot_sgr(int c);
/* The number of series colors before the table repeats. */
enum { GALLEY__PLOT_NCOLORS = 6, GALLEY__PLOT_GRAY = 7 };

/* ---- the frame ---- */

/* Emits one row (cells only) of the plot area. */
typedef void (*galley__plot_row_fn)(void *ctx, int row, galley__plot_buf *b);

typedef struct galley__plot_frame {
    const galley_plot *p;
    int w, h;                          /* the plot area, in cells */
    const galley__plot_ticks *xt, *yt; /* tick labels */
    galley__plot_row_fn row;
    void *ctx;
} galley__plot_frame;

/* The title, ylabel, bordered plot area with tick labels, x labels and
 * xlabel; the caller adds the legend and the notes after. Returns the
 * column of the left border. */
int galley__plot_frame_emit(const galley__plot_frame *f, galley__plot_buf *b);
/* Unicode box drawing rather than ASCII for the canvas of p. */
int galley__plot_unicode(const galley_plot *p);
/* s (may be NULL) centered over the columns from..to, on its own line. */
void galley__plot_centered(galley__plot_buf *b, const char *s, int from,
                           int to);

/* Values beyond +-GALLEY__PLOT_BIG are not drawn, like NaN and the
 * infinities: within it every span, step and scale of an axis stays
 * finite (1e308 - -1e308 would not). */
#define GALLEY__PLOT_BIG 1e300
/* What a scan skips: values that are not finite, and finite ones beyond
 * +-GALLEY__PLOT_BIG. */
typedef struct galley__plot_skips {
    size_t nonfinite, huge;
} galley__plot_skips;
/* Whether v can be drawn (not NaN, within +-GALLEY__PLOT_BIG). */
static inline int galley__plot_in_range(double v)
{
    return v >= -GALLEY__PLOT_BIG && v <= GALLEY__PLOT_BIG;
}
/* Whether v can be drawn; counts it in *k when not. */
static inline int galley__plot_drawable(double v, galley__plot_skips *k)
{
    if (galley__plot_in_range(v))
        return 1;
    if (v != v || v - v != 0) /* NaN, or an infinity */
        k->nonfinite++;
    else
        k->huge++;
    return 0;
}

/* Notes under a plot, in the order added. */
enum { GALLEY__PLOT_MAXNOTES = 8, GALLEY__PLOT_NOTE = 120 };
typedef struct galley__plot_notes {
    int n;
    char text[GALLEY__PLOT_MAXNOTES][GALLEY__PLOT_NOTE];
} galley__plot_notes;

/* Adds "note: COUNT WHAT" with WHAT's singular or plural noun, e.g.
 * (3, "point", "points", "not shown (NaN or infinite)"), when count > 0. */
void galley__plot_note_count(galley__plot_notes *n, size_t count,
                             const char *noun, const char *nouns,
                             const char *what);
/* Adds the notes of what a scan skipped, counted with noun or nouns. */
void galley__plot_note_skips(galley__plot_notes *n, const galley__plot_skips *k,
                             const char *noun, const char *nouns);
/* Adds "note: TEXT". */
void galley__plot_note(galley__plot_notes *n, const char *text);
/* Emits the notes, each at column indent. */
void galley__plot_notes_emit(const galley__plot_notes *n, int indent,
                             galley__plot_buf *b);

/* ---- the kinds ---- */

void galley__plot_render_xy(const galley_plot *p, galley__plot_buf *b);
void galley__plot_render_hist(const galley_plot *p, galley__plot_buf *b);
void galley__plot_render_bars(const galley_plot *p, galley__plot_buf *b);
void galley__plot_render_heatmap(const galley_plot *p, galley__plot_buf *b);

#endif
