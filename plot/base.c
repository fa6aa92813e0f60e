/* plot/base.c: the floor of plot/, below the renderers (axis, canvas,
 * frame, kinds) and the plot object: errors, the text buffer they write
 * into (libgalley's buffer, with the line it is on), the width of text,
 * and the values of a series. It calls nothing above it. */
#include "plot_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

void galley__plot_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("galley: plot: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- the text buffer ---- */

void galley__plot_putn(galley__plot_buf *b, const char *s, size_t n)
{
    galley__rt_buf_add(&b->text, s, n);
}

void galley__plot_puts(galley__plot_buf *b, const char *s)
{
    galley__plot_putn(b, s, strlen(s));
}

void galley__plot_putc(galley__plot_buf *b, char c)
{
    galley__plot_putn(b, &c, 1);
}

void galley__plot_spaces(galley__plot_buf *b, int n)
{
    static const char blanks[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        galley__plot_putn(b, blanks, (size_t)k);
        n -= k;
    }
}

void galley__plot_put_utf8(galley__plot_buf *b, unsigned cp)
{
    char u[4];
    if (cp < 0x80) {
        galley__plot_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        galley__plot_putn(b, u, 2);
    } else {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        galley__plot_putn(b, u, 3);
    }
}

void galley__plot_endline(galley__plot_buf *b)
{
    galley__rt_buf *t = &b->text;
    while (t->len > b->line && t->ptr[t->len - 1] == ' ')
        t->len--;
    galley__plot_putc(b, '\n');
    b->line = t->len;
}

int galley__plot_textwidth(const char *s)
{
    int w = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u == 0x1B) { /* ESC [ ... letter */
            while (u[1] && !((u[1] >= 'A' && u[1] <= 'Z') ||
                             (u[1] >= 'a' && u[1] <= 'z')))
                u++;
            if (u[1])
                u++;
            continue;
        }
        if ((*u & 0xC0) != 0x80)
            w++;
    }
    return w;
}

/* ---- series ---- */

const double *galley__plot_values(const galley__plot_series *s, int which,
                                  size_t start, size_t count, double *buf)
{
    const double *a = which ? s->y : s->x;
    const void *src = which ? s->ysrc : s->xsrc;
    if (a)
        return a + start;
    if (src) {
        s->read(src, start, count, buf);
        return buf;
    }
    /* The index: exact in a double up to 2^53 points. */
    double base = (double)start + (s->style == GALLEY__STYLE_LOSS);
    for (size_t i = 0; i < count; i++)
        buf[i] = base + (double)i;
    return buf;
}

