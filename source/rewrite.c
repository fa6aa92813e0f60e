/* rewrite.c: writes actual output into the EXPECT markers of a C source.
 * Each edit becomes the replacement of one byte span of the source; the spans
 * are sorted and applied in one pass, so every other byte is copied as is. */
#define _GNU_SOURCE
#include "rewrite.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "normalize.h"

/* A marker body goes on the marker's own line only if that line then stays
 * within this many columns. */
#define S_MAX_COLS 80

/* One replacement: src[start, end) gives way to what edit asks for. */
typedef struct span {
    size_t start, end;
    const galley__edit *edit;
    int target;         /* marker index (MARKER) or test index (TRAILING) */
} span;

/* ---- columns and lines ---- */

/* Returns the offset where the line holding offset off begins. */
static size_t S_line_start(const char *src, size_t off)
{
    while (off > 0 && src[off - 1] != '\n')
        off--;
    return off;
}

/* Returns the offset of the end of the line holding off (its '\r' or '\n',
 * or len). */
static size_t S_line_end(const char *src, size_t len, size_t off)
{
    while (off < len && src[off] != '\n' && src[off] != '\r')
        off++;
    return off;
}

/* Returns the offset where 1-based line number line begins (len if the text
 * is shorter). */
static size_t S_offset_of_line(const char *src, size_t len, int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < len; off++)
        if (src[off] == '\n')
            l++;
    return off;
}

/* Returns the length of the spaces and tabs at src[off..len). */
static size_t S_blank_len(const char *src, size_t len, size_t off)
{
    size_t i = off;
    while (i < len && (src[i] == ' ' || src[i] == '\t'))
        i++;
    return i - off;
}

/* ---- marker bodies ---- */

/* Returns 1 if a line must be escaped although escape.h would let it be:
 * one that ends in the trigraph ??/ makes compilers warn inside a comment,
 * and, where backslash is set, one that ends in a backslash would be joined
 * to the next line, which in an exact body could make a star-slash. Blanks
 * after them do not help: compilers splice "\\ \n" too. */
static int S_splices(const char *line, size_t n, int backslash)
{
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    return (backslash && n >= 1 && line[n - 1] == '\\') ||
           (n >= 3 && !memcmp(line + n - 3, "?\?/", 3));
}

/* Appends one line of output, escaped when it cannot live in a comment as
 * it is (or when force asks for it). */
static void S_put_line(galley__buf *out, const char *line, size_t n, int force)
{
    if (force == 2) /* verbatim: the line is written as it is */
        galley__buf_add(out, line, n);
    else if (force || galley__line_needs_escape(line, n))
        galley__escape_line(out, line, n);
    else
        galley__buf_add(out, line, n);
}

/* Returns 1 if normalized text t[0..n) can go on the marker's line: one
 * line, nothing to escape, and the line stays within S_MAX_COLS. */
static int S_fits_inline(const char *t, size_t n, size_t prefix_cols,
                         const char *suffix, size_t suffix_len)
{
    if (memchr(t, '\n', n) || galley__line_needs_escape(t, n))
        return 0;
    size_t col = galley__cols(prefix_cols + 3, t, n) + 3;
    return galley__cols(col, suffix, suffix_len) <= S_MAX_COLS;
}

/* Appends the body of an EXPECT marker for normalized text t[0..n). */
static void S_format_expect(galley__buf *out, const char *t, size_t n,
                            const char *indent, size_t indent_len,
                            const char *eol, size_t prefix_cols,
                            const char *suffix, size_t suffix_len,
                            int verbatim)
{
    if (n == 0)
        return;
    if (!verbatim && S_fits_inline(t, n, prefix_cols, suffix, suffix_len)) {
        galley__buf_puts(out, "/* ");
        galley__buf_add(out, t, n);
        galley__buf_puts(out, " */");
        return;
    }
    galley__buf_puts(out, "/*");
    galley__buf_puts(out, eol);
    for (const char *p = t, *end = t + n;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        /* An empty line stays empty: no indentation, no trailing blanks. */
        if (ln > 0) {
            galley__buf_add(out, indent, indent_len);
            galley__buf_puts(out, "  ");
            S_put_line(out, p, ln, verbatim ? 2 : S_splices(p, ln, 0));
        }
        galley__buf_puts(out, eol);
        if (!nl)
            break;
        p = nl + 1;
    }
    galley__buf_add(out, indent, indent_len);
    galley__buf_puts(out, "*/");
}

/* Appends the body of an EXPECT_EXACT marker for raw output t[0..n): the
 * bytes themselves between the comment delimiters, newlines written as eol,
 * so that reading the comment back gives t again. */
static void S_format_exact(galley__buf *out, const char *t, size_t n,
                           const char *eol)
{
    if (n == 0)
        return;
    galley__buf_puts(out, "/*");
    for (const char *p = t, *end = t + n;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ln > 0)
            S_put_line(out, p, ln, S_splices(p, ln, 1));
        if (!nl)
            break;
        galley__buf_puts(out, eol);
        p = nl + 1;
    }
    galley__buf_puts(out, "*/");
}

/* Appends the marker body for raw output text[0..len); prefix_cols is the
 * column just after the marker's '(' and suffix what follows its ')' on
 * that line, both used only to decide whether the text fits inline. */
static void S_format_body(galley__buf *out, const char *text, size_t len,
                          int exact, const char *indent, size_t indent_len,
                          const char *eol, size_t prefix_cols,
                          const char *suffix, size_t suffix_len, int verbatim)
{
    if (exact) {
        S_format_exact(out, text, len, eol);
        return;
    }
    if (verbatim) {
        S_format_expect(out, text, len, indent, indent_len, eol,
                        prefix_cols, suffix, suffix_len, 1);
        return;
    }
    galley__buf norm;
    galley__buf_init(&norm);
    galley__normalize(&norm, text, len);
    S_format_expect(out, norm.ptr ? norm.ptr : "", norm.len, indent,
                    indent_len, eol, prefix_cols, suffix, suffix_len, 0);
    galley__buf_fini(&norm);
}

/* ---- replacements ---- */

/* Appends the new body of marker m for edit e. */
static void S_emit_marker(galley__buf *out, const char *src, size_t len,
                          const galley__marker *m, const galley__edit *e,
                          const char *eol)
{
    size_t ls = S_line_start(src, m->content_start);
    size_t prefix = galley__cols(0, src + ls, m->content_start - ls);
    size_t le = S_line_end(src, len, m->rparen);
    galley__buf body;
    galley__buf_init(&body);
    prefix += strlen(m->sep);
    S_format_body(&body, e->text, e->len, m->kind == GALLEY__MARKER_EXACT,
                  src + m->indent_start, m->indent_len, eol, prefix,
                  src + m->rparen, le - m->rparen, e->verbatim);
    /* EXPECT_NEAR(.rtol = R, / * text * /): the text follows a comma. */
    if (body.len)
        galley__buf_puts(out, m->sep);
    galley__buf_add(out, body.ptr, body.len);
    galley__buf_fini(&body);
}

/* Appends what marker m (its name to its ')') becomes for edit e, when the
 * marker itself changes: EXPECT_UNREACHABLE() for a marker never reached,
 * EXPECT(output) for an EXPECT_UNREACHABLE that was reached. The name
 * keeps the marker's spelling (GALLEY_ or not). */
static void S_emit_swap(galley__buf *out, const char *src, size_t len,
                        const galley__marker *m, const galley__edit *e,
                        const char *eol)
{
    const char *prefix = strncmp(src + m->start, "GALLEY_", 7) ? "" : "GALLEY_";
    if (e->kind == GALLEY__EDIT_UNREACHABLE) {
        galley__buf_printf(out, "%sEXPECT_UNREACHABLE()", prefix);
        return;
    }
    size_t ls = S_line_start(src, m->start);
    size_t col = galley__cols(0, src + ls, m->start - ls) + strlen(prefix) + 7;
    size_t le = S_line_end(src, len, m->rparen);
    galley__buf_printf(out, "%sEXPECT(", prefix);
    S_format_body(out, e->text, e->len, 0, src + m->indent_start,
                  m->indent_len, eol, col, src + m->rparen + 1,
                  le - m->rparen - 1, e->verbatim);
    galley__buf_putc(out, ')');
}

/* Returns 1 if edit e changes marker m's name, not only its text. */
static int S_swaps(const galley__marker *m, const galley__edit *e)
{
    return e->kind == GALLEY__EDIT_UNREACHABLE ||
           m->kind == GALLEY__MARKER_UNREACHABLE;
}

/* Returns "GALLEY_EXPECT" when the file spells its markers (or its TEST)
 * with the long names, as with GALLEY_NO_SHORT_NAMES, else "EXPECT". */
static const char *S_expect_name(const char *src, size_t len,
                                 const galley__scan *s, const char *test_line)
{
    if (s->n_markers > 0)
        return strncmp(src + s->markers[0].start, "GALLEY_", 7) == 0
                   ? "GALLEY_EXPECT"
                   : "EXPECT";
    size_t le = S_line_end(src, len, (size_t)(test_line - src));
    return memmem(test_line, le - (size_t)(test_line - src), "GALLEY_TEST",
                  11)
               ? "GALLEY_EXPECT"
               : "EXPECT";
}

/* Returns the offset of the line after the one holding off (len if none). */
static size_t S_next_line_start(const char *src, size_t len, size_t off)
{
    const char *nl = memchr(src + off, '\n', len - off);
    return nl ? (size_t)(nl - src) + 1 : len;
}

/* Finds the indentation of test t's body: that of its first line after the
 * '{' that holds code (blank and preprocessor lines do not count). Returns
 * 1 with src[*start..*start + *n) set, or 0 when there is none. */
static int S_body_indent(const char *src, size_t len,
                         const galley__scanned_test *t, size_t *start,
                         size_t *n)
{
    for (size_t off = S_next_line_start(src, len, t->body_open);
         off < t->body_close; off = S_next_line_start(src, len, off)) {
        size_t b = S_blank_len(src, len, off);
        if (off + b >= t->body_close)
            return 0;
        char c = src[off + b];
        if (c != '\n' && c != '\r' && c != '#') {
            *start = off;
            *n = b;
            return 1;
        }
    }
    return 0;
}

/* Computes where test t's trailing marker goes: the span before its '}'.
 * When the '}' begins its line, nothing is replaced; otherwise the blanks
 * before it are, so that the marker and the '}' get lines of their own. */
static void S_trailing_span(const char *src, const galley__scanned_test *t,
                            span *sp)
{
    size_t ls = S_line_start(src, t->body_close);
    size_t p = t->body_close;
    while (p > ls && (src[p - 1] == ' ' || src[p - 1] == '\t'))
        p--;
    sp->start = p;
    sp->end = p == ls ? p : t->body_close;
}

/* Appends the marker added for trailing edit e of test t, which replaces
 * sp (see S_trailing_span). */
static void S_emit_trailing(galley__buf *out, const char *src, size_t len,
                            const galley__scan *s, const galley__scanned_test *t,
                            const span *sp, const char *eol)
{
    size_t tl = S_offset_of_line(src, len, t->line);
    size_t tl_indent = S_blank_len(src, len, tl);
    size_t bstart = 0, bn = 0;
    galley__buf indent;
    galley__buf_init(&indent);
    if (S_body_indent(src, len, t, &bstart, &bn)) {
        galley__buf_add(&indent, src + bstart, bn);
    } else {
        galley__buf_add(&indent, src + tl, tl_indent);
        galley__buf_puts(&indent, "    ");
    }
    int own_line = sp->start == S_line_start(src, t->body_close);
    const char *name = S_expect_name(src, len, s, src + tl);
    if (!own_line)
        galley__buf_puts(out, eol);
    galley__buf_add(out, indent.ptr, indent.len);
    galley__buf_puts(out, name);
    galley__buf_putc(out, '(');
    S_format_body(out, sp->edit->text, sp->edit->len, 0, indent.ptr,
                  indent.len, eol, galley__cols(0, indent.ptr, indent.len) +
                  strlen(name) + 1, ");", 2, 0);
    galley__buf_puts(out, ");");
    galley__buf_puts(out, eol);
    if (!own_line)
        galley__buf_add(out, src + tl, tl_indent);
    galley__buf_fini(&indent);
}

/* ---- the rewrite ---- */

static int S_span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->edit < y->edit ? -1 : x->edit > y->edit;
}

/* Returns the index of the TEST of trailing edit e: at its line, with its
 * name when it has one; -1 when there is none. */
static int S_find_test(const galley__scan *s, const galley__edit *e)
{
    for (size_t i = 0; i < s->n_tests; i++)
        if (s->tests[i].line == e->line &&
            (!e->test || !strcmp(s->tests[i].name, e->test)))
            return (int)i;
    return -1;
}

/* Fills sp for edit e. Returns 0, or -1 with *err set. */
static int S_make_span(const char *src, const galley__scan *s,
                       const galley__edit *e, span *sp, char **err)
{
    sp->edit = e;
    if (e->kind == GALLEY__EDIT_MARKER || e->kind == GALLEY__EDIT_UNREACHABLE) {
        sp->target = galley__scan_find_marker(s, e->line);
        if (sp->target < 0) {
            *err = galley__xasprintf("no EXPECT marker at line %d", e->line);
            return -1;
        }
        const galley__marker *m = &s->markers[sp->target];
        int swap = S_swaps(m, e);
        sp->start = swap ? m->start : m->content_start;
        sp->end = swap ? m->rparen + 1 : m->rparen;
        return 0;
    }
    sp->target = S_find_test(s, e);
    if (e->kind != GALLEY__EDIT_TRAILING || sp->target < 0) {
        *err = e->test ? galley__xasprintf("no TEST %s at line %d", e->test,
                                           e->line)
                       : galley__xasprintf("no TEST at line %d", e->line);
        return -1;
    }
    S_trailing_span(src, &s->tests[sp->target], sp);
    return 0;
}

/* Sorts the spans and checks that no two edits change the same place. */
static int S_sort_spans(span *sp, size_t n, char **err)
{
    if (n > 1)
        qsort(sp, n, sizeof *sp, S_span_cmp);
    for (size_t i = 1; i < n; i++) {
        if (sp[i].start < sp[i - 1].end || sp[i].start == sp[i - 1].start) {
            *err = galley__xasprintf("two edits for the same place (lines %d "
                                     "and %d)",
                                     sp[i - 1].edit->line, sp[i].edit->line);
            return -1;
        }
    }
    return 0;
}

void galley__edit_fini(galley__edit *e)
{
    free(e->text);
    free(e->test);
    e->text = e->test = NULL;
}

int galley__rewrite(galley__buf *out, const char *src, size_t len,
                   const galley__scan *s, const galley__edit *edits,
                   size_t n_edits, char **err)
{
    const char *eol = s->crlf ? "\r\n" : "\n";
    span *sp = galley__xcalloc(n_edits, sizeof *sp);
    int rc = -1;
    *err = NULL;
    for (size_t i = 0; i < n_edits; i++)
        if (S_make_span(src, s, &edits[i], &sp[i], err) != 0)
            goto done;
    if (S_sort_spans(sp, n_edits, err) != 0)
        goto done;
    size_t pos = 0;
    for (size_t i = 0; i < n_edits; i++) {
        galley__buf_add(out, src + pos, sp[i].start - pos);
        const galley__edit *e = sp[i].edit;
        if (e->kind != GALLEY__EDIT_TRAILING &&
            S_swaps(&s->markers[sp[i].target], e))
            S_emit_swap(out, src, len, &s->markers[sp[i].target], e, eol);
        else if (e->kind == GALLEY__EDIT_MARKER)
            S_emit_marker(out, src, len, &s->markers[sp[i].target], e, eol);
        else
            S_emit_trailing(out, src, len, s, &s->tests[sp[i].target], &sp[i],
                            eol);
        pos = sp[i].end;
    }
    galley__buf_add(out, src + pos, len - pos);
    rc = 0;
done:
    free(sp);
    return rc;
}
