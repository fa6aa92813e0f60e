/* plot/canvas.c: the plot area as pixels: ASCII (a pixel per character,
 * drawn with the series' marker), Unicode quadrant blocks (2 x 2 pixels per
 * character) and braille (2 x 4); gap-free lines between pixels, segments
 * clipped to the area, and rows turned into UTF-8, colored when asked. */
#include "plot_internal.h"

#include <math.h>
#include <stdlib.h>

/* The bit of pixel (x & 1, y & 3) in a cell: block (U+2596..U+259F; the
 * rows repeat since a block cell is 2 pixels high), then braille (dots 1-8
 * of U+2800). */
const unsigned char galley__plot_dotbit[2][4][2] = {
    {{0x01, 0x02}, {0x04, 0x08}, {0x01, 0x02}, {0x04, 0x08}},
    {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}},
};

/* The block character of the quadrants set in bits (1 upper left, 2 upper
 * right, 4 lower left, 8 lower right). */
static const unsigned short S_block[16] = {
    ' ',    0x2598, 0x259D, 0x2580, 0x2596, 0x258C, 0x259E, 0x259B,
    0x2597, 0x259A, 0x2590, 0x259C, 0x2584, 0x2599, 0x259F, 0x2588,
};

void galley__plot_canvas_init(galley__plot_canvas *c, int kind, int w, int h)
{
    c->kind = kind;
    c->w = w;
    c->h = h;
    c->sx = kind == GALLEY_CANVAS_ASCII ? 0 : 1;
    c->sy = kind == GALLEY_CANVAS_ASCII ? 0 : kind == GALLEY_CANVAS_BLOCK ? 1
                                                                          : 2;
    c->pw = w << c->sx;
    c->ph = h << c->sy;
    c->dots = galley__rt_xcalloc(1, (size_t)w * (size_t)h);
    c->owner = galley__rt_xcalloc(1, (size_t)w * (size_t)h);
}

void galley__plot_canvas_fini(galley__plot_canvas *c)
{
    free(c->dots);
    free(c->owner);
    c->dots = c->owner = NULL;
}

void galley__plot_canvas_line(galley__plot_canvas *c, int x0, int y0, int x1,
                              int y1, unsigned char marker,
                              unsigned char owner)
{
    /* Bresenham: one step along the longer axis at a time, the other
     * moving by at most one, so the pixels are 8-connected. */
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        galley__plot_canvas_set(c, x0, y0, marker, owner);
        if (x0 == x1 && y0 == y1)
            return;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* The nearest pixel to f, clamped to 0 .. n - 1. */
static int S_round(double f, int n)
{
    double r = floor(f + 0.5);
    return r < 0 ? 0 : r > n - 1 ? n - 1 : (int)r;
}

/* Clips p + t * d, t in [*t0, *t1], to the side q - t * pd >= 0 (one of
 * Liang-Barsky's four); 0 when nothing is left. */
static int S_clip(double pd, double q, double *t0, double *t1)
{
    if (pd == 0)
        return q >= 0;
    double r = q / pd;
    if (pd < 0) {
        if (r > *t1)
            return 0;
        if (r > *t0)
            *t0 = r;
    } else {
        if (r < *t0)
            return 0;
        if (r < *t1)
            *t1 = r;
    }
    return 1;
}

void galley__plot_canvas_segment(galley__plot_canvas *c, double fx0,
                                 double fy0, double fx1, double fy1,
                                 unsigned char marker, unsigned char owner)
{
    double xmax = c->pw - 0.5, ymax = c->ph - 0.5;
    double dx = fx1 - fx0, dy = fy1 - fy0, t0 = 0, t1 = 1;
    if (!S_clip(-dx, fx0 + 0.5, &t0, &t1) || !S_clip(dx, xmax - fx0, &t0, &t1)
        || !S_clip(-dy, fy0 + 0.5, &t0, &t1)
        || !S_clip(dy, ymax - fy0, &t0, &t1))
        return;
    double ax = fx0 + t0 * dx, ay = fy0 + t0 * dy;
    double bx = fx0 + t1 * dx, by = fy0 + t1 * dy;
    galley__plot_canvas_line(c, S_round(ax, c->pw), S_round(ay, c->ph),
                             S_round(bx, c->pw), S_round(by, c->ph), marker,
                             owner);
}

/* ANSI foreground colors of the series, in order, then gray (the raw
 * values under a smoothed loss curve). */
const char *galley__plot_sgr(int c)
{
    static const char *const sgr[] = {
        "",         "\033[32m", "\033[34m", "\033[31m",
        "\033[35m", "\033[33m", "\033[36m", "\033[90m",
    };
    return c >= 1 && c <= GALLEY__PLOT_GRAY ? sgr[c] : "";
}

/* Appends the character of cell i. */
static void S_glyph(const galley__plot_canvas *c, size_t i,
                    galley__plot_buf *b)
{
    unsigned d = c->dots[i];
    if (c->kind == GALLEY_CANVAS_ASCII)
        galley__plot_putc(b, d ? (char)d : ' ');
    else if (c->kind == GALLEY_CANVAS_BLOCK)
        galley__plot_put_utf8(b, S_block[d & 15]);
    else
        galley__plot_put_utf8(b, d ? 0x2800 + d : ' ');
}

void galley__plot_canvas_row(const galley__plot_canvas *c, int row,
                             int color, galley__plot_buf *b)
{
    int cur = 0;
    for (int x = 0; x < c->w; x++) {
        size_t i = (size_t)row * (size_t)c->w + (size_t)x;
        int want = color && c->dots[i] ? c->owner[i] : 0;
        if (want != cur) {
            if (cur)
                galley__plot_puts(b, "\033[0m");
            galley__plot_puts(b, galley__plot_sgr(want));
            cur = want;
        }
        S_glyph(c, i, b);
    }
    if (cur)
        galley__plot_puts(b, "\033[0m");
}
