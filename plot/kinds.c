/* plot/kinds.c: the renderers: line, scatter and loss series on a canvas
 * (one scan for the limits, one pass to map and draw), histograms and bar
 * charts as rows of bars, and heatmaps as a ramp of characters. Memory is
 * the canvas and a few per-row or per-bin arrays, never per point. */
#include "plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

/* Whether lim is set (not {0, 0}). */
static int S_has(const double lim[2])
{
    return lim[0] != 0 || lim[1] != 0;
}

/* Adds "note: all WHAT equal V". */
static void S_note_equal(galley__plot_notes *n, const char *what, double v)
{
    char num[GALLEY__PLOT_NUM], t[GALLEY__PLOT_NOTE];
    galley__plot_fmt_g(num, v, 6);
    snprintf(t, sizeof t, "all %s equal %s", what, num);
    galley__plot_note(n, t);
}

/* The title centered over columns 0 .. width - 1, and the ylabel. */
static void S_heading(const galley_plot *p, int width, galley__plot_buf *b)
{
    galley__plot_centered(b, p->title, 0, width - 1);
    if (p->ylabel && *p->ylabel) {
        galley__plot_puts(b, p->ylabel);
        galley__plot_endline(b);
    }
}

/* ---- line, scatter, loss: limits ---- */

/* What a scan of the series finds: the extent of the points that count
 * for each automatic limit (raw values), and how many points are valid,
 * not finite, or <= 0 on a log axis. */
typedef struct S_scan {
    double xmin, xmax, ymin, ymax;
    int have_x, have_y;
    size_t valid, nonpos;
    galley__plot_skips skip;
} S_scan;

/* The debiased exponential moving average of TensorBoard: acc and the
 * power of the weight so far; non-finite values leave it alone. */
typedef struct S_ema {
    double w, acc, wk;
} S_ema;

/* Takes finite y into e; returns the smoothed value. */
static double S_ema_next(S_ema *e, double y)
{
    e->acc = e->acc * e->w + (1 - e->w) * y;
    e->wk *= e->w;
    return e->acc / (1 - e->wk);
}

/* Whether s is a loss curve drawn smoothed under options o. */
static int S_smoothed(const galley_plot *p, const galley__plot_series *s)
{
    return s->style == GALLEY__STYLE_LOSS && p->o.smooth > 0;
}

/* Widens the scan's extent with (x, y) for the automatic limits: x counts
 * when y lies in a given ylim, and the other way round. */
static void S_extend(S_scan *sc, const galley_plot_options *o, double x,
                     double y)
{
    int inx = !S_has(o->xlim) || (x >= o->xlim[0] && x <= o->xlim[1]);
    int iny = !S_has(o->ylim) || (y >= o->ylim[0] && y <= o->ylim[1]);
    if (iny) {
        sc->xmin = sc->have_x && sc->xmin < x ? sc->xmin : x;
        sc->xmax = sc->have_x && sc->xmax > x ? sc->xmax : x;
        sc->have_x = 1;
    }
    if (inx) {
        sc->ymin = sc->have_y && sc->ymin < y ? sc->ymin : y;
        sc->ymax = sc->have_y && sc->ymax > y ? sc->ymax : y;
        sc->have_y = 1;
    }
}

/* Scans one series into sc (a smoothed loss adds its smoothed values to
 * the y extent, not to the counts). */
static void S_scan_series(const galley_plot *p, const galley__plot_series *s,
                          S_scan *sc)
{
    const galley_plot_options *o = &p->o;
    double bx[GALLEY__PLOT_CHUNK], by[GALLEY__PLOT_CHUNK];
    S_ema e = {o->smooth, 0, 1};
    int smooth = S_smoothed(p, s);
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t m = galley__plot_chunk(s->n, at);
        const double *xs = galley__plot_values(s, 0, at, m, bx);
        const double *ys = galley__plot_values(s, 1, at, m, by);
        for (size_t i = 0; i < m; i++) {
            double x = xs[i], y = ys[i];
            if (!galley__plot_drawable(x, &sc->skip) ||
                !galley__plot_drawable(y, &sc->skip))
                continue;
            double sm = smooth ? S_ema_next(&e, y) : 0;
            if (smooth && !(o->ylog && sm <= 0) && !(o->xlog && x <= 0))
                S_extend(sc, o, x, sm);
            if ((o->xlog && x <= 0) || (o->ylog && y <= 0)) {
                sc->nonpos++;
                continue;
            }
            sc->valid++;
            S_extend(sc, o, x, y);
        }
    }
}

/* One axis' limits: given, the data's, or a default for no data; an
 * empty range widened. Returns 1 when it was widened. */
static int S_limits(const double lim[2], int have, double min, double max,
                    int log, double *lo, double *hi)
{
    if (S_has(lim)) {
        *lo = lim[0];
        *hi = lim[1];
        return 0;
    }
    *lo = have ? min : log ? 1 : 0;
    *hi = have ? max : log ? 10 : 1;
    if (*lo < *hi)
        return 0;
    galley__plot_widen(lo, hi, log);
    return 1;
}

/* ---- line, scatter, loss: drawing ---- */

/* A drawing: the canvas, its axes, and the count of valid points outside
 * the limits. */
typedef struct S_draw {
    const galley_plot *p;
    galley__plot_canvas c;
    galley__plot_axis ax, ay;
    size_t outside;
} S_draw;

/* How one pass over a series draws. */
typedef struct S_pass {
    unsigned char marker, owner;
    int connect, smoothed, count;
} S_pass;

/* The previous point of a line: its pixel coordinates, rounded pixel and
 * whether it was inside the limits; and the rows ylo..yhi of the run of
 * points in its pixel column, drawn as one span when the column changes
 * (the union of the segments within a column is that span, so a million
 * points in 80 columns cost a compare each, not a line each). */
typedef struct S_prev {
    int have, in, px, py, ylo, yhi;
    double fx, fy;
} S_prev;

/* Draws the pending span of the previous point's column. */
static void S_flush(S_draw *d, const S_pass *ps, const S_prev *pv)
{
    if (!pv->have || !pv->in || pv->ylo == pv->yhi)
        return;
    for (int y = pv->ylo; y <= pv->yhi; y++)
        galley__plot_canvas_set(&d->c, pv->px, y, ps->marker, ps->owner);
}

/* Ends a line at a point that is not drawn. */
static void S_break(S_draw *d, const S_pass *ps, S_prev *pv)
{
    S_flush(d, ps, pv);
    pv->have = 0;
}

/* Draws the point at axis-space (tx, ty): a pixel, and the segment from
 * the previous point when connecting. */
static void S_point(S_draw *d, const S_pass *ps, S_prev *pv, double tx,
                    double ty)
{
    const galley__plot_axis *ax = &d->ax, *ay = &d->ay;
    int in = tx >= ax->lo && tx <= ax->hi && ty >= ay->lo && ty <= ay->hi;
    d->outside += !in && ps->count;
    double fx = (tx - ax->lo) * ax->scale, fy = (ay->hi - ty) * ay->scale;
    if (!isfinite(fx) || !isfinite(fy)) {
        S_break(d, ps, pv);
        return;
    }
    /* Inside, fx and fy are >= 0 (up to rounding): truncation rounds. */
    int px = in ? (int)(fx + 0.5) : 0, py = in ? (int)(fy + 0.5) : 0;
    if (ps->connect && pv->have && in && pv->in && px == pv->px) {
        pv->ylo = py < pv->ylo ? py : pv->ylo;
        pv->yhi = py > pv->yhi ? py : pv->yhi;
        pv->py = py;
        pv->fx = fx;
        pv->fy = fy;
        return;
    }
    S_flush(d, ps, pv);
    if (ps->connect && pv->have) {
        if (in && pv->in)
            galley__plot_canvas_line(&d->c, pv->px, pv->py, px, py,
                                     ps->marker, ps->owner);
        else
            galley__plot_canvas_segment(&d->c, pv->fx, pv->fy, fx, fy,
                                        ps->marker, ps->owner);
    } else if (in) {
        galley__plot_canvas_set(&d->c, px, py, ps->marker, ps->owner);
    }
    *pv = (S_prev){1, in, px, py, py, py, fx, fy};
}

/* One pass over series s. */
static void S_draw_series(S_draw *d, const galley__plot_series *s,
                          const S_pass *ps)
{
    const galley_plot_options *o = &d->p->o;
    double bx[GALLEY__PLOT_CHUNK], by[GALLEY__PLOT_CHUNK];
    S_ema e = {o->smooth, 0, 1};
    S_prev pv = {0};
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t m = galley__plot_chunk(s->n, at);
        const double *xs = galley__plot_values(s, 0, at, m, bx);
        const double *ys = galley__plot_values(s, 1, at, m, by);
        for (size_t i = 0; i < m; i++) {
            double x = xs[i], y = ys[i];
            if (!galley__plot_in_range(x) || !galley__plot_in_range(y)) {
                S_break(d, ps, &pv); /* a gap in the line */
                continue;
            }
            if (ps->smoothed)
                y = S_ema_next(&e, y);
            if ((o->xlog && x <= 0) || (o->ylog && y <= 0)) {
                S_break(d, ps, &pv);
                continue;
            }
            S_point(d, ps, &pv, o->xlog ? log10(x) : x,
                    o->ylog ? log10(y) : y);
        }
    }
    S_flush(d, ps, &pv);
}

/* Draws every series, in order (a later one wins a cell). */
static void S_draw_all(S_draw *d)
{
    const galley_plot *p = d->p;
    for (int k = 0; k < p->nseries; k++) {
        const galley__plot_series *s = &p->series[k];
        S_pass ps = {(unsigned char)s->marker, (unsigned char)s->color,
                     s->style != GALLEY__STYLE_SCATTER, 0, 1};
        if (S_smoothed(p, s)) {
            S_pass raw = {'.', GALLEY__PLOT_GRAY, 1, 0, 1};
            S_draw_series(d, s, &raw);
            ps.smoothed = 1;
            ps.count = 0;
        }
        S_draw_series(d, s, &ps);
    }
}

/* ---- line, scatter, loss: legend and layout ---- */

/* Appends one legend entry: the marker (colored) and the label. */
static void S_entry(const galley_plot *p, galley__plot_buf *b, int first,
                    char marker, int color, const char *label,
                    const char *suffix)
{
    if (!first)
        galley__plot_spaces(b, 3);
    if (p->o.color)
        galley__plot_puts(b, galley__plot_sgr(color));
    if (p->o.canvas == GALLEY_CANVAS_BLOCK)
        galley__plot_puts(b, "█");
    else if (p->o.canvas == GALLEY_CANVAS_BRAILLE)
        galley__plot_puts(b, "⣿");
    else
        galley__plot_putc(b, marker);
    if (p->o.color)
        galley__plot_puts(b, "\033[0m");
    galley__plot_putc(b, ' ');
    galley__plot_puts(b, label);
    galley__plot_puts(b, suffix);
}

/* The legend line: each series' marker and label ("series N" for one
 * without), a smoothed loss as its raw '.' and its smoothed curve. */
static void S_legend(const galley_plot *p, int indent, galley__plot_buf *b)
{
    int any = 0;
    for (int k = 0; k < p->nseries; k++)
        any |= p->series[k].label != NULL;
    if (p->nseries == 0 || p->o.legend < 0 || (p->o.legend == 0 && !any))
        return;
    galley__plot_spaces(b, indent);
    for (int k = 0; k < p->nseries; k++) {
        const galley__plot_series *s = &p->series[k];
        char name[32];
        snprintf(name, sizeof name, "series %d", k);
        const char *label = s->label ? s->label : name;
        if (S_smoothed(p, s)) {
            S_entry(p, b, k == 0, '.', GALLEY__PLOT_GRAY, label, "");
            S_entry(p, b, 0, s->marker, s->color, label, " (smoothed)");
        } else {
            S_entry(p, b, k == 0, s->marker, s->color, label, "");
        }
    }
    galley__plot_endline(b);
}

/* Emits a row of the canvas (a frame callback). */
static void S_canvas_row(void *ctx, int row, galley__plot_buf *b)
{
    const S_draw *d = ctx;
    galley__plot_canvas_row(&d->c, row, d->p->o.color, b);
}

/* The notes of a line/scatter plot. */
static void S_xy_notes(const S_scan *sc, const S_draw *d, int wx, int wy,
                       galley__plot_notes *n)
{
    galley__plot_note_skips(n, &sc->skip, "point", "points");
    galley__plot_note_count(n, sc->nonpos, "point", "points",
                            "not shown (<= 0 on a log axis)");
    galley__plot_note_count(n, d->outside, "point", "points",
                            "outside the limits");
    if (sc->valid == 0)
        galley__plot_note(n, "no data");
    else if (sc->valid == 1)
        galley__plot_note(n, "a single point");
    else {
        if (wx)
            S_note_equal(n, "x values", sc->xmin);
        if (wy)
            S_note_equal(n, "y values", sc->ymin);
    }
}

/* Whether every series has x = the index (ticks at integers); not so
 * for a plot without series. */
static int S_index_x(const galley_plot *p)
{
    if (p->nseries == 0)
        return 0;
    for (int k = 0; k < p->nseries; k++)
        if (p->series[k].x || p->series[k].xsrc)
            return 0;
    return 1;
}

void galley__plot_render_xy(const galley_plot *p, galley__plot_buf *b)
{
    const galley_plot_options *o = &p->o;
    S_scan sc = {0};
    for (int k = 0; k < p->nseries; k++)
        S_scan_series(p, &p->series[k], &sc);
    double xlo, xhi, ylo, yhi;
    int wx = S_limits(o->xlim, sc.have_x, sc.xmin, sc.xmax, o->xlog, &xlo,
                      &xhi);
    int wy = S_limits(o->ylim, sc.have_y, sc.ymin, sc.ymax, o->ylog, &ylo,
                      &yhi);
    S_draw d = {.p = p};
    galley__plot_canvas_init(&d.c, o->canvas, o->width, o->height);
    galley__plot_axis_set(&d.ax, xlo, xhi, o->xlog, 0, o->width, d.c.sx);
    galley__plot_axis_set(&d.ay, ylo, yhi, o->ylog, 1, o->height, d.c.sy);
    d.ax.integer = S_index_x(p);
    galley__plot_ticks xt, yt;
    /* y labels a row apart at least; two on plots of 6 rows or more. */
    galley__plot_tickrule ry = {.x = 0, .min_rows = o->height >= 6 ? 2 : 1,
                                .extend = !S_has(o->ylim)};
    galley__plot_ticks_make(&yt, &d.ay, &ry);
    galley__plot_tickrule rx = {.x = 1, .prefix = galley__plot_gutter(&yt),
                                .dense = 1, .extend = !S_has(o->xlim)};
    galley__plot_ticks_make(&xt, &d.ax, &rx);
    S_draw_all(&d);
    galley__plot_frame f = {p, o->width, o->height, &xt, &yt, S_canvas_row,
                            &d};
    int indent = galley__plot_frame_emit(&f, b);
    S_legend(p, indent, b);
    galley__plot_notes n = {0};
    S_xy_notes(&sc, &d, wx, wy, &n);
    galley__plot_notes_emit(&n, indent, b);
    galley__plot_canvas_fini(&d.c);
}

/* ---- bars of histograms and bar charts ---- */

/* The partial blocks of one to seven eighths, growing rightward. */
static const char *const S_eighths[8] = {"", "▏", "▎", "▍",
                                         "▌", "▋", "▊", "▉"};

/* A bar of len eighths of a cell, growing rightward: '#' per cell in
 * ASCII (len rounded to cells), full blocks and a partial one else. */
static void S_bar_right(const galley_plot *p, long len, galley__plot_buf *b)
{
    if (p->o.color && len > 0)
        galley__plot_puts(b, galley__plot_sgr(1));
    if (!galley__plot_unicode(p)) {
        for (long i = 0; i < (len + 4) / 8; i++)
            galley__plot_putc(b, '#');
    } else {
        for (long i = 0; i < len / 8; i++)
            galley__plot_puts(b, "█");
        galley__plot_puts(b, S_eighths[len % 8]);
    }
    if (p->o.color && len > 0)
        galley__plot_puts(b, "\033[0m");
}

/* A bar of len eighths growing leftward, right-aligned in a cells: whole
 * cells only (no left-growing partial blocks exist). */
static void S_bar_left(const galley_plot *p, long len, int a,
                       galley__plot_buf *b)
{
    long cells = (len + 4) / 8;
    cells = cells > a ? a : cells;
    galley__plot_spaces(b, a - (int)cells);
    if (p->o.color && cells > 0)
        galley__plot_puts(b, galley__plot_sgr(1));
    for (long i = 0; i < cells; i++)
        galley__plot_puts(b, galley__plot_unicode(p) ? "█" : "#");
    if (p->o.color && cells > 0)
        galley__plot_puts(b, "\033[0m");
}

/* The line above (top) or under the bars: corners at columns l and r,
 * and a tick at column z when z is between them. */
static void S_bracket(const galley_plot *p, int top, int l, int z, int r,
                      galley__plot_buf *b)
{
    int u = galley__plot_unicode(p);
    galley__plot_spaces(b, l);
    galley__plot_puts(b, !u ? "+" : top ? "┌" : "└");
    for (int c = l + 1; c < r; c++) {
        if (c == z)
            galley__plot_puts(b, !u ? "+" : top ? "┬" : "┴");
        else
            galley__plot_putc(b, ' ');
    }
    galley__plot_puts(b, !u ? "+" : top ? "┐" : "┘");
    galley__plot_endline(b);
}

/* The zero line of a row of bars. */
static const char *S_zero(const galley_plot *p)
{
    return galley__plot_unicode(p) ? "┤" : "|";
}

/* ---- histograms ---- */

/* What the histogram counts: the range, the bins, and how many values
 * were not finite, <= 0 on a log x axis, or outside the range. */
typedef struct S_hist {
    double lo, hi;   /* raw */
    int k;           /* bins */
    long *count;     /* k */
    size_t valid, nonpos, outside;
    galley__plot_skips skip;
    double min, max; /* of the valid values */
    int widened;
} S_hist;

/* The first pass: counts of valid values, their extent. */
static void S_hist_scan(const galley_plot *p, const galley__plot_series *s,
                        S_hist *h)
{
    double buf[GALLEY__PLOT_CHUNK];
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t m = galley__plot_chunk(s->n, at);
        const double *v = galley__plot_values(s, 1, at, m, buf);
        for (size_t i = 0; i < m; i++) {
            if (!galley__plot_drawable(v[i], &h->skip))
                continue;
            if (p->o.xlog && v[i] <= 0) {
                h->nonpos++;
                continue;
            }
            h->min = h->valid && h->min < v[i] ? h->min : v[i];
            h->max = h->valid && h->max > v[i] ? h->max : v[i];
            h->valid++;
        }
    }
}

/* The second pass: each valid value into its bin (the last bin closed). */
static void S_hist_count(const galley_plot *p, const galley__plot_series *s,
                         S_hist *h)
{
    double buf[GALLEY__PLOT_CHUNK];
    int log = p->o.xlog;
    double tlo = log ? log10(h->lo) : h->lo, thi = log ? log10(h->hi) : h->hi;
    double scale = h->k / (thi - tlo);
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t m = galley__plot_chunk(s->n, at);
        const double *v = galley__plot_values(s, 1, at, m, buf);
        for (size_t i = 0; i < m; i++) {
            if (!galley__plot_in_range(v[i]) || (log && v[i] <= 0))
                continue;
            if (v[i] < h->lo || v[i] > h->hi) {
                h->outside++;
                continue;
            }
            double t = ((log ? log10(v[i]) : v[i]) - tlo) * scale;
            int bin = (int)t;
            h->count[bin >= h->k ? h->k - 1 : bin < 0 ? 0 : bin]++;
        }
    }
}

/* Edge i of the bins. */
static double S_edge(const galley_plot *p, const S_hist *h, int i)
{
    if (i == 0)
        return h->lo;
    if (i == h->k)
        return h->hi;
    if (p->o.xlog) {
        double a = log10(h->lo), c = log10(h->hi);
        return pow(10, a + (c - a) * i / h->k);
    }
    return h->lo + (h->hi - h->lo) * i / h->k;
}

/* Drops from the k + 1 labels of fixed-point edges the trailing fraction
 * digits that are zero in all of them (and the point if none is left), so
 * that the column keeps one number of decimals: 0.5, 1.0, 1.5 or 0, 2, 4. */
static void S_trim_common(char *lab, int k)
{
    int cut = 99;
    for (int i = 0; i <= k; i++) {
        char *l = lab + (size_t)i * GALLEY__PLOT_NUM, *dot = strchr(l, '.');
        int z = 0;
        for (char *e = l + strlen(l) - 1; dot && e > dot && *e == '0'; e--)
            z++;
        z += dot && z == (int)strlen(dot + 1); /* the point too */
        cut = !dot ? 0 : z < cut ? z : cut;
    }
    for (int i = 0; i <= k && cut > 0; i++) {
        char *l = lab + (size_t)i * GALLEY__PLOT_NUM;
        l[strlen(l) - (size_t)cut] = '\0';
    }
}

/* Whether every edge has at most dec decimals (up to rounding). */
static int S_exact(const galley_plot *p, const S_hist *h, int dec)
{
    double scale = pow(10, dec);
    for (int i = 0; i <= h->k; i++) {
        double e = S_edge(p, h, i) * scale;
        if (fabs(e - floor(e + 0.5)) > 1e-9 * (fabs(e) > 1 ? fabs(e) : 1))
            return 0;
    }
    return 1;
}

/* An edge of log bins: sig significant digits, plain from 1e-3 to 1e6
 * (2.15, 46.4, 1000), %g's form beyond. */
static void S_fmt_log_edge(char *out, double e, int sig)
{
    if (e < 1e-3 || e >= 1e6) {
        galley__plot_fmt_g(out, e, sig);
        return;
    }
    int dec = sig - 1 - (int)floor(log10(e));
    galley__plot_fmt_fixed(out, e, dec < 0 ? 0 : dec);
    char *end = out + strlen(out), *dot = strchr(out, '.');
    while (dot && end > dot && (end[-1] == '0' || end[-1] == '.'))
        *--end = '\0';
}

/* The edges as text (k + 1 of GALLEY__PLOT_NUM): with the digits the bin
 * width needs (two significant ones of it; up to two more when that makes
 * them exact: 2.75 rather than 2.8), more when two would read the same. */
static void S_edge_labels(const galley_plot *p, const S_hist *h, char *lab)
{
    double w = (h->hi - h->lo) / h->k;
    double big = fabs(h->lo) > fabs(h->hi) ? fabs(h->lo) : fabs(h->hi);
    int fixed = !p->o.xlog && big < 1e6 && big >= 1e-3;
    int dec = 1 - (int)floor(log10(w));
    for (int more = 1; fixed && more <= 2; more++)
        if (!S_exact(p, h, dec) && S_exact(p, h, dec + more))
            dec += more;
    int sig = p->o.xlog ? 3 : (int)floor(log10(big)) + dec + 1;
    for (int more = 0; more < 17; more++) {
        int same = 0;
        for (int i = 0; i <= h->k; i++) {
            char *l = lab + (size_t)i * GALLEY__PLOT_NUM;
            double e = S_edge(p, h, i);
            if (fixed)
                galley__plot_fmt_fixed(l, e, dec + more);
            else if (p->o.xlog)
                S_fmt_log_edge(l, e, sig + more);
            else
                galley__plot_fmt_g(l, e, sig + more);
            same |= i > 0 && !strcmp(l, l - GALLEY__PLOT_NUM);
        }
        if (!same)
            break;
    }
    if (fixed)
        S_trim_common(lab, h->k);
}

/* The range and the number of bins; 0 when there is nothing to draw. */
static int S_hist_bins(const galley_plot *p, S_hist *h)
{
    const galley_plot_options *o = &p->o;
    if (S_has(o->xlim)) {
        h->lo = o->xlim[0];
        h->hi = o->xlim[1];
    } else if (h->valid) {
        h->lo = h->min;
        h->hi = h->max;
        if (h->lo == h->hi) {
            galley__plot_widen(&h->lo, &h->hi, o->xlog);
            h->widened = 1;
        }
    } else {
        return 0;
    }
    /* Sturges' rule: ceil(log2 n) + 1, n counted exactly (no log2()). */
    int k = 1;
    for (size_t n = 1; n < h->valid; n *= 2)
        k++;
    h->k = o->bins ? o->bins : k;
    return 1;
}

/* One row of the histogram: "[lo, hi)", the bar, the count. */
static void S_hist_row(const galley_plot *p, const S_hist *h, const char *lab,
                       int wlo, int whi, long top, galley__plot_buf *b, int i)
{
    const char *a = lab + (size_t)i * GALLEY__PLOT_NUM, *c = a + GALLEY__PLOT_NUM;
    galley__plot_putc(b, '[');
    galley__plot_spaces(b, wlo - (int)strlen(a));
    galley__plot_puts(b, a);
    galley__plot_puts(b, ", ");
    galley__plot_spaces(b, whi - (int)strlen(c));
    galley__plot_puts(b, c);
    galley__plot_puts(b, i == h->k - 1 ? "] " : ") ");
    galley__plot_puts(b, S_zero(p));
    long len = top ? (long)((h->count[i] * 16L * p->o.width + top) /
                            (2 * top)) : 0;
    S_bar_right(p, len, b);
    char num[32];
    snprintf(num, sizeof num, " %ld", h->count[i]);
    galley__plot_puts(b, num);
    galley__plot_endline(b);
}

/* The rows, between the brackets, and the xlabel. */
static void S_hist_rows(const galley_plot *p, const S_hist *h,
                        const char *lab, galley__plot_buf *b)
{
    int wlo = 0, whi = 0;
    long top = 0;
    for (int i = 0; i < h->k; i++) {
        int a = (int)strlen(lab + (size_t)i * GALLEY__PLOT_NUM);
        int c = (int)strlen(lab + (size_t)(i + 1) * GALLEY__PLOT_NUM);
        wlo = a > wlo ? a : wlo;
        whi = c > whi ? c : whi;
        top = h->count[i] > top ? h->count[i] : top;
    }
    int z = wlo + whi + 5; /* "[" lo ", " hi ") " */
    S_heading(p, z + p->o.width + 2, b);
    S_bracket(p, 1, z, -1, z + p->o.width + 1, b);
    for (int i = 0; i < h->k; i++)
        S_hist_row(p, h, lab, wlo, whi, top, b, i);
    S_bracket(p, 0, z, -1, z + p->o.width + 1, b);
    galley__plot_centered(b, p->xlabel, z, z + p->o.width + 1);
}

void galley__plot_render_hist(const galley_plot *p, galley__plot_buf *b)
{
    const galley__plot_series *s = &p->series[0];
    S_hist h = {0};
    S_hist_scan(p, s, &h);
    galley__plot_notes n = {0};
    if (S_hist_bins(p, &h)) {
        h.count = galley__rt_xcalloc(1, (size_t)h.k * sizeof *h.count);
        S_hist_count(p, s, &h);
        char *lab = galley__rt_xcalloc(1, (size_t)(h.k + 1) * GALLEY__PLOT_NUM);
        S_edge_labels(p, &h, lab);
        S_hist_rows(p, &h, lab, b);
        free(lab);
        free(h.count);
    } else {
        S_heading(p, p->o.width, b);
    }
    galley__plot_note_skips(&n, &h.skip, "value", "values");
    galley__plot_note_count(&n, h.nonpos, "value", "values",
                            "not shown (<= 0 on a log axis)");
    galley__plot_note_count(&n, h.outside, "value", "values",
                            "outside the limits");
    if (h.valid == 0)
        galley__plot_note(&n, "no data");
    else if (h.valid == 1)
        galley__plot_note(&n, "a single value");
    else if (h.widened)
        S_note_equal(&n, "values", h.min);
    galley__plot_notes_emit(&n, 0, b);
}

/* ---- bar charts ---- */

/* The layout of a bar chart: the label column, the extent of the value
 * axis, and the cells left (a) and right (c) of the zero line. */
typedef struct S_bars {
    int labw, a, c;
    double vmin, vmax;
    size_t outside;
    galley__plot_skips skip;
} S_bars;

/* Label i of the bar chart (its index when there are no labels). */
static const char *S_bar_label(const galley__plot_series *s, size_t i,
                               char *tmp)
{
    if (!s->labels) {
        snprintf(tmp, 32, "%zu", i);
        return tmp;
    }
    return s->labels[i] ? s->labels[i] : "";
}

/* The extent of the values (and 0), or xlim; the label column. */
static void S_bars_scan(const galley_plot *p, const galley__plot_series *s,
                        S_bars *L)
{
    double buf[GALLEY__PLOT_CHUNK];
    char tmp[32];
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t m = galley__plot_chunk(s->n, at);
        const double *v = galley__plot_values(s, 1, at, m, buf);
        for (size_t i = 0; i < m; i++) {
            int w = galley__plot_textwidth(S_bar_label(s, at + i, tmp));
            L->labw = w > L->labw ? w : L->labw;
            if (!galley__plot_drawable(v[i], &L->skip))
                continue;
            L->vmin = v[i] < L->vmin ? v[i] : L->vmin;
            L->vmax = v[i] > L->vmax ? v[i] : L->vmax;
        }
    }
    if (S_has(p->o.xlim)) {
        L->vmin = p->o.xlim[0] < 0 ? p->o.xlim[0] : 0;
        L->vmax = p->o.xlim[1] > 0 ? p->o.xlim[1] : 0;
    }
    int w = p->o.width;
    L->a = L->vmin < 0 ? (int)floor(w * -L->vmin / (L->vmax - L->vmin) + 0.5)
                       : 0;
    L->c = w - L->a;
}

/* One bar row. */
static void S_bars_row(const galley_plot *p, S_bars *L, const char *label,
                       double v, galley__plot_buf *b)
{
    galley__plot_puts(b, label);
    galley__plot_spaces(b, L->labw - galley__plot_textwidth(label) + 1);
    double f = !galley__plot_in_range(v) ? 0 : v < 0 ? v / L->vmin : v > 0 ? v / L->vmax
                                                                : 0;
    if (f > 1)
        L->outside++;
    f = f > 1 ? 1 : f;
    long len = (long)floor(f * 8 * (v < 0 ? L->a : L->c) + 0.5);
    if (L->a)
        S_bar_left(p, v < 0 ? len : 0, L->a, b);
    galley__plot_puts(b, S_zero(p));
    if (v > 0)
        S_bar_right(p, len, b);
    char num[GALLEY__PLOT_NUM];
    galley__plot_fmt_g(num, v, 6);
    galley__plot_putc(b, ' ');
    galley__plot_puts(b, num);
    galley__plot_endline(b);
}

void galley__plot_render_bars(const galley_plot *p, galley__plot_buf *b)
{
    const galley__plot_series *s = &p->series[0];
    S_bars L = {0};
    S_bars_scan(p, s, &L);
    galley__plot_notes n = {0};
    if (s->n) {
        int z = L.labw + 1 + L.a; /* the zero line's column */
        int l = L.a ? L.labw : z, r = z + L.c + 1;
        S_heading(p, r + 1, b);
        S_bracket(p, 1, l, L.a ? z : -1, r, b);
        double buf[GALLEY__PLOT_CHUNK];
        char tmp[32];
        for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
            size_t m = galley__plot_chunk(s->n, at);
            const double *v = galley__plot_values(s, 1, at, m, buf);
            for (size_t i = 0; i < m; i++)
                S_bars_row(p, &L, S_bar_label(s, at + i, tmp), v[i], b);
        }
        S_bracket(p, 0, l, L.a ? z : -1, r, b);
        galley__plot_centered(b, p->xlabel, l, r);
    } else {
        S_heading(p, p->o.width, b);
        galley__plot_note(&n, "no data");
    }
    galley__plot_note_skips(&n, &L.skip, "value", "values");
    galley__plot_note_count(&n, L.outside, "value", "values",
                            "outside the limits");
    galley__plot_notes_emit(&n, 0, b);
}

/* ---- heatmaps ---- */

static const char S_ramp[] = " .:-=+*#%@";

/* A heatmap drawing: z's shape, the shown cells (w x h) and their
 * characters, the value range of the ramp and what the notes count. */
typedef struct S_heat {
    const galley__plot_series *s;
    size_t rows, cols;
    int w, h;
    char *glyph; /* h * w */
    double zlo, zhi, min, max;
    size_t valid, outside;
    galley__plot_skips skip;
    int widened;
} S_heat;

/* The extent of the finite values. */
static void S_heat_scan(S_heat *m)
{
    double buf[GALLEY__PLOT_CHUNK];
    const galley__plot_series *s = m->s;
    for (size_t at = 0; at < s->n; at += GALLEY__PLOT_CHUNK) {
        size_t k = galley__plot_chunk(s->n, at);
        const double *v = galley__plot_values(s, 1, at, k, buf);
        for (size_t i = 0; i < k; i++) {
            if (!galley__plot_drawable(v[i], &m->skip))
                continue;
            m->min = m->valid && m->min < v[i] ? m->min : v[i];
            m->max = m->valid && m->max > v[i] ? m->max : v[i];
            m->valid++;
        }
    }
}

/* The ramp character of mean value v. */
static char S_level(S_heat *m, double v)
{
    double f = (v - m->zlo) / (m->zhi - m->zlo) * 10;
    int k = f < 0 ? 0 : f >= 9 ? 9 : (int)f;
    return S_ramp[k];
}

/* Adds z row r into the sums of the shown row's cells. */
static void S_heat_add_row(S_heat *m, size_t r, double *sum, size_t *cnt)
{
    double buf[GALLEY__PLOT_CHUNK];
    for (size_t at = 0; at < m->cols; at += GALLEY__PLOT_CHUNK) {
        size_t k = galley__plot_chunk(m->cols, at);
        const double *v = galley__plot_values(m->s, 1, r * m->cols + at, k,
                                              buf);
        for (size_t i = 0; i < k; i++) {
            if (!galley__plot_in_range(v[i]))
                continue;
            m->outside += v[i] < m->zlo || v[i] > m->zhi;
            size_t c = (at + i) * (size_t)m->w / m->cols;
            sum[c] += v[i];
            cnt[c]++;
        }
    }
}

/* Sets the characters of shown row r from the sums of its cells. */
static void S_heat_finish(S_heat *m, int r, const double *sum,
                          const size_t *cnt)
{
    for (int c = 0; c < m->w; c++)
        m->glyph[(size_t)r * (size_t)m->w + (size_t)c] =
            cnt[c] ? S_level(m, sum[c] / (double)cnt[c]) : '?';
}

/* The characters of the shown cells: means of the z cells in each. z row
 * i goes to shown row i * h / rows, as z column j to j * w / cols (the
 * mapping of the index labels too). */
static void S_heat_cells(S_heat *m)
{
    double *sum = galley__rt_xcalloc(1, (size_t)m->w * sizeof *sum);
    size_t *cnt = galley__rt_xcalloc(1, (size_t)m->w * sizeof *cnt);
    int cur = 0;
    for (size_t zr = 0; zr < m->rows; zr++) {
        int r = (int)(zr * (size_t)m->h / m->rows);
        if (r != cur) {
            S_heat_finish(m, cur, sum, cnt);
            memset(sum, 0, (size_t)m->w * sizeof *sum);
            memset(cnt, 0, (size_t)m->w * sizeof *cnt);
            cur = r;
        }
        S_heat_add_row(m, zr, sum, cnt);
    }
    S_heat_finish(m, cur, sum, cnt);
    free(sum);
    free(cnt);
}

/* Emits a row of the heatmap (a frame callback). */
static void S_heat_row(void *ctx, int row, galley__plot_buf *b)
{
    const S_heat *m = ctx;
    galley__plot_putn(b, m->glyph + (size_t)row * (size_t)m->w,
                      (size_t)m->w);
}

/* An index axis of n entries over cells. */
static void S_index_axis(galley__plot_axis *a, size_t n, int cells)
{
    galley__plot_axis_set(a, 0, (double)n - 1, 0, 0, cells, 0);
    a->integer = a->index = 1;
}

/* The frame, its tick labels at round indices, and the scale line. */
static int S_heat_frame(const galley_plot *p, S_heat *m, galley__plot_buf *b)
{
    galley__plot_axis ax, ay;
    S_index_axis(&ax, m->cols, m->w);
    S_index_axis(&ay, m->rows, m->h);
    galley__plot_ticks xt, yt;
    galley__plot_tickrule ry = {.x = 0, .min_rows = 1};
    galley__plot_ticks_make(&yt, &ay, &ry);
    galley__plot_tickrule rx = {.x = 1, .prefix = galley__plot_gutter(&yt)};
    galley__plot_ticks_make(&xt, &ax, &rx);
    galley__plot_frame f = {p, m->w, m->h, &xt, &yt, S_heat_row, m};
    int indent = galley__plot_frame_emit(&f, b);
    char lo[GALLEY__PLOT_NUM], hi[GALLEY__PLOT_NUM];
    galley__plot_fmt_g(lo, m->zlo, 6);
    galley__plot_fmt_g(hi, m->zhi, 6);
    galley__plot_spaces(b, indent);
    galley__plot_puts(b, lo);
    galley__plot_puts(b, " '");
    galley__plot_puts(b, S_ramp);
    galley__plot_puts(b, "' ");
    galley__plot_puts(b, hi);
    galley__plot_endline(b);
    return indent;
}

/* The range of the ramp: zlim, or the data's (widened when empty). */
static void S_heat_range(const galley_plot *p, S_heat *m)
{
    if (S_has(p->o.zlim)) {
        m->zlo = p->o.zlim[0];
        m->zhi = p->o.zlim[1];
        return;
    }
    m->zlo = m->valid ? m->min : 0;
    m->zhi = m->valid ? m->max : 1;
    if (m->zlo == m->zhi) {
        galley__plot_widen(&m->zlo, &m->zhi, 0);
        m->widened = 1;
    }
}

void galley__plot_render_heatmap(const galley_plot *p, galley__plot_buf *b)
{
    S_heat m = {.s = &p->series[0]};
    m.rows = m.s->rows;
    m.cols = m.s->cols;
    galley__plot_notes n = {0};
    int indent = 0;
    S_heat_scan(&m);
    S_heat_range(p, &m);
    if (m.rows && m.cols) {
        m.w = m.cols < (size_t)p->o.width ? (int)m.cols : p->o.width;
        m.h = m.rows < (size_t)p->o.height ? (int)m.rows : p->o.height;
        m.glyph = galley__rt_xcalloc(1, (size_t)m.w * (size_t)m.h);
        S_heat_cells(&m);
        indent = S_heat_frame(p, &m, b);
        free(m.glyph);
    } else {
        S_heading(p, p->o.width, b);
    }
    galley__plot_note_skips(&n, &m.skip, "cell", "cells");
    galley__plot_note_count(&n, m.outside, "cell", "cells",
                            "outside the limits");
    if (m.rows * m.cols == 0)
        galley__plot_note(&n, "no data");
    else if (m.widened && m.valid)
        S_note_equal(&n, "values", m.min);
    galley__plot_notes_emit(&n, indent, b);
}
