/* plot/frame.c: the layout around a plot area, in the manner of gnuplot's
 * dumb terminal and UnicodePlots: title, ylabel, a border with y tick
 * labels on its left ('+' or '┤' at a tick) and x ticks on its bottom ('+'
 * or '┬') with their labels under them, the xlabel, and the notes. */
#include "plot_internal.h"

#include <stdio.h>

/* The border pieces: corners (top left, top right, bottom left, bottom
 * right), horizontal, vertical, y tick, x tick. */
typedef struct S_box {
    const char *tl, *tr, *bl, *br, *h, *v, *ytick, *xtick;
} S_box;

static const S_box S_ascii = {"+", "+", "+", "+", "-", "|", "+", "+"};
static const S_box S_unicode = {"┌", "┐", "└", "┘", "─", "│", "┤", "┬"};

int galley__plot_unicode(const galley_plot *p)
{
    return p->o.canvas != GALLEY_CANVAS_ASCII;
}

void galley__plot_centered(galley__plot_buf *b, const char *s, int from,
                           int to)
{
    if (!s || !*s)
        return;
    int start = from + (to - from + 1 - galley__plot_textwidth(s)) / 2;
    galley__plot_spaces(b, start < 0 ? 0 : start);
    galley__plot_puts(b, s);
    galley__plot_endline(b);
}

/* The index of the tick at cell, or -1. */
static int S_tick_at(const galley__plot_ticks *t, int cell)
{
    for (int i = 0; i < t->n; i++)
        if (t->t[i].cell == cell)
            return i;
    return -1;
}

/* A horizontal border: left corner, w pieces (xtick at the x ticks when
 * ticks is set), right corner. */
static void S_hborder(galley__plot_buf *b, int prefix, int w, const char *l,
                      const char *r, const char *h, const char *tick,
                      const galley__plot_ticks *ticks)
{
    galley__plot_spaces(b, prefix);
    galley__plot_puts(b, l);
    for (int c = 0; c < w; c++)
        galley__plot_puts(b, ticks && S_tick_at(ticks, c) >= 0 ? tick : h);
    galley__plot_puts(b, r);
    galley__plot_endline(b);
}

/* The rows of the plot area, each with its y label and borders. */
static void S_rows(const galley__plot_frame *f, const S_box *box, int prefix,
                   galley__plot_buf *b)
{
    for (int r = 0; r < f->h; r++) {
        int k = S_tick_at(f->yt, r);
        if (k >= 0) {
            const char *label = f->yt->t[k].label;
            galley__plot_spaces(b, prefix - 1 - galley__plot_textwidth(label));
            galley__plot_puts(b, label);
            galley__plot_putc(b, ' ');
        } else {
            galley__plot_spaces(b, prefix);
        }
        galley__plot_puts(b, k >= 0 ? box->ytick : box->v);
        f->row(f->ctx, r, b);
        galley__plot_puts(b, box->v);
        galley__plot_endline(b);
    }
}

/* The x tick labels, on one line. */
static void S_xlabels(const galley__plot_ticks *t, int prefix, int w,
                      galley__plot_buf *b)
{
    int start[GALLEY__PLOT_MAXTICKS], col = 0;
    if (t->n == 0)
        return;
    galley__plot_xlabel_starts(t, prefix, w, start);
    for (int i = 0; i < t->n; i++) {
        galley__plot_spaces(b, start[i] - col);
        galley__plot_puts(b, t->t[i].label);
        col = start[i] + galley__plot_textwidth(t->t[i].label);
    }
    galley__plot_endline(b);
}

int galley__plot_frame_emit(const galley__plot_frame *f, galley__plot_buf *b)
{
    const S_box *box = galley__plot_unicode(f->p) ? &S_unicode : &S_ascii;
    int prefix = galley__plot_gutter(f->yt), right = prefix + f->w + 1;
    galley__plot_centered(b, f->p->title, prefix, right);
    if (f->p->ylabel && *f->p->ylabel) {
        galley__plot_puts(b, f->p->ylabel);
        galley__plot_endline(b);
    }
    S_hborder(b, prefix, f->w, box->tl, box->tr, box->h, NULL, NULL);
    S_rows(f, box, prefix, b);
    S_hborder(b, prefix, f->w, box->bl, box->br, box->h, box->xtick, f->xt);
    S_xlabels(f->xt, prefix, f->w, b);
    galley__plot_centered(b, f->p->xlabel, prefix, right);
    return prefix;
}

/* ---- notes ---- */

void galley__plot_note(galley__plot_notes *n, const char *text)
{
    if (n->n == GALLEY__PLOT_MAXNOTES)
        return;
    snprintf(n->text[n->n++], GALLEY__PLOT_NOTE, "note: %s", text);
}

void galley__plot_note_count(galley__plot_notes *n, size_t count,
                             const char *noun, const char *nouns,
                             const char *what)
{
    char t[GALLEY__PLOT_NOTE];
    if (count == 0)
        return;
    snprintf(t, sizeof t, "%zu %s %s", count, count == 1 ? noun : nouns,
             what);
    galley__plot_note(n, t);
}

void galley__plot_note_skips(galley__plot_notes *n, const galley__plot_skips *k,
                             const char *noun, const char *nouns)
{
    galley__plot_note_count(n, k->nonfinite, noun, nouns,
                            "not shown (NaN or infinite)");
    galley__plot_note_count(n, k->huge, noun, nouns,
                            "not shown (beyond 1e300 in magnitude)");
}

void galley__plot_notes_emit(const galley__plot_notes *n, int indent,
                             galley__plot_buf *b)
{
    for (int i = 0; i < n->n; i++) {
        galley__plot_spaces(b, indent);
        galley__plot_puts(b, n->text[i]);
        galley__plot_endline(b);
    }
}
