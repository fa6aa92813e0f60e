/* normalize.c: the text normalization of DESIGN.md (blank edges dropped,
 * trailing whitespace stripped, common indentation removed), and the
 * expected text of a marker read back from its comment, escapes decoded. */
#define _GNU_SOURCE
#include "normalize.h"

#include <string.h>

#include "escape.h"

/* Where the non-blank lines of a text lie, and their common indentation. */
typedef struct S_shape {
    int any;            /* some line is not blank */
    size_t first, last; /* indexes of the first and last non-blank lines */
    const char *ref;    /* a non-blank line taking part in the indentation */
    size_t indent;      /* length of the common leading spaces and tabs */
} S_shape;

static int S_is_trailing_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Returns the length of p[0..n) without its trailing whitespace. */
static size_t S_rstrip(const char *p, size_t n)
{
    while (n > 0 && S_is_trailing_space(p[n - 1]))
        n--;
    return n;
}

/* Returns the length of the spaces and tabs that begin p[0..n). */
static size_t S_lead(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

/* Steps to the next line of text[0..len) at *pos: sets *line and *n (the
 * newline left out) and returns 1, or returns 0 after the last line. A
 * text of k newlines has k + 1 lines. */
static int S_next_line(const char *text, size_t len, size_t *pos,
                       const char **line, size_t *n)
{
    if (*pos > len)
        return 0;
    const char *nl = *pos < len ? memchr(text + *pos, '\n', len - *pos) : NULL;
    size_t end = nl ? (size_t)(nl - text) : len;
    *line = text + *pos;
    *n = end - *pos;
    *pos = end + 1;
    return 1;
}

/* Takes non-blank line p[0..n) into the common indentation. */
static void S_measure_line(S_shape *sh, const char *p, size_t n)
{
    size_t lead = S_lead(p, n), k = 0;
    if (!sh->ref) {
        sh->ref = p;
        sh->indent = lead;
        return;
    }
    while (k < sh->indent && k < lead && p[k] == sh->ref[k])
        k++;
    sh->indent = k;
}

/* Finds the non-blank lines and their common indentation; with skip_first,
 * line 0 takes no part in the indentation. */
static void S_measure(S_shape *sh, const char *text, size_t len,
                      int skip_first)
{
    const char *p;
    size_t n, pos = 0;
    memset(sh, 0, sizeof *sh);
    for (size_t i = 0; S_next_line(text, len, &pos, &p, &n); i++) {
        n = S_rstrip(p, n);
        if (n == 0)
            continue;
        if (!sh->any)
            sh->first = i;
        sh->any = 1;
        sh->last = i;
        if (!(skip_first && i == 0))
            S_measure_line(sh, p, n);
    }
}

/* Appends the normalized text; with skip_first, line 0 (non-blank) is
 * left-trimmed instead of losing the common indentation. Sets *first to
 * the index of the first line kept. */
static void S_normalize(galley__buf *out, const char *text, size_t len,
                        int skip_first, size_t *first)
{
    S_shape sh;
    const char *p;
    size_t n, pos = 0;
    S_measure(&sh, text, len, skip_first);
    *first = sh.first;
    galley__buf_grow(out, 0);
    for (size_t i = 0; sh.any && S_next_line(text, len, &pos, &p, &n); i++) {
        if (i < sh.first || i > sh.last)
            continue;
        if (i > sh.first)
            galley__buf_putc(out, '\n');
        n = S_rstrip(p, n);
        size_t cut = skip_first && i == 0 ? S_lead(p, n) : sh.indent;
        if (n > 0)
            galley__buf_add(out, p + cut, n - cut);
    }
}

void galley__normalize(galley__buf *out, const char *text, size_t len)
{
    size_t first;
    S_normalize(out, text ? text : "", text ? len : 0, 0, &first);
}

/* Appends text[0..len) with each CRLF turned into LF. */
static void S_crlf_to_lf(galley__buf *out, const char *text, size_t len)
{
    const char *p = text, *end = text + len, *cr;
    galley__buf_grow(out, len);
    while ((cr = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        int crlf = cr + 1 < end && cr[1] == '\n';
        galley__buf_add(out, p, (size_t)(cr - p) + !crlf);
        p = cr + 1;
    }
    galley__buf_add(out, p, (size_t)(end - p));
}

/* Appends text with its " (esc)" lines decoded. On a bad escape returns -1
 * and sets *bad to its line index, counted from first. */
static int S_decode(galley__buf *out, galley__buf *literal, const char *text,
                    size_t len, size_t first, int *bad, const char **msg)
{
    const char *p;
    size_t n, pos = 0;
    for (size_t i = 0; S_next_line(text, len, &pos, &p, &n); i++) {
        if (i > 0)
            galley__buf_putc(out, '\n');
        if (literal)
            galley__buf_putc(literal, (char)galley__line_is_escaped(p, n));
        if (!galley__line_is_escaped(p, n))
            galley__buf_add(out, p, n);
        else if (galley__unescape_line(out, p, n, msg) != 0) {
            *bad = (int)(first + i);
            return -1;
        }
    }
    return 0;
}

int galley__expected_text(galley__buf *out, const char *body, size_t len,
                         int exact, int *bad_line, const char **msg)
{
    return galley__expected_text_lines(out, NULL, body, len, exact, bad_line,
                                      msg);
}

int galley__expected_text_lines(galley__buf *out, galley__buf *literal,
                               const char *body, size_t len, int exact,
                               int *bad_line, const char **msg)
{
    galley__buf lf, norm;
    size_t first = 0, mark = out->len, n0, pos = 0;
    const char *line0, *ignored_msg;
    int ignored_line, rc;
    galley__buf_init(&lf);
    galley__buf_init(&norm);
    galley__buf_grow(out, 0);
    if (body && memchr(body, '\r', len))
        S_crlf_to_lf(&lf, body, len);
    else
        lf = (galley__buf){(char *)(body ? body : ""), body ? len : 0, 0};
    S_next_line(lf.ptr, lf.len, &pos, &line0, &n0);
    /* Text on the marker's own line is not indented like the lines below. */
    int inline_first = S_rstrip(line0, n0) > 0;
    if (!exact)
        S_normalize(&norm, lf.ptr, lf.len, inline_first, &first);
    galley__buf *text = exact ? &lf : &norm;
    if (!memmem(text->ptr, text->len, " (esc)", 6)) {
        galley__buf_add(out, text->ptr, text->len); /* nothing to decode */
        rc = 0;
    } else
        rc = S_decode(out, literal, text->ptr, text->len, first,
                      bad_line ? bad_line : &ignored_line,
                      msg ? msg : &ignored_msg);
    if (rc != 0) {
        out->len = mark;
        out->ptr[mark] = '\0';
    }
    if (lf.cap) /* a CRLF copy; otherwise lf borrows body */
        galley__buf_fini(&lf);
    galley__buf_fini(&norm);
    return rc;
}
