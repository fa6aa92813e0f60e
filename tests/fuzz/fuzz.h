/* fuzz.h: what the two fuzz targets (scan_fuzz.c, markdown_fuzz.c) share:
 * the check that aborts with a message, the invariants of a scan, the
 * expected text of a marker as the runner reads it, and the outputs that a
 * fuzz input asks to write. Header-only: each target is one file. */
#ifndef GALLEY_FUZZ_H
#define GALLEY_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../source/escape.h"
#include "../../source/normalize.h"
#include "../../source/rewrite.h"
#include "../../source/scan.h"
#include "../../source/util.h"

/* A property that does not hold: the message, then abort(), which
 * libFuzzer reports as a crash and saves the input of. */
__attribute__((format(printf, 1, 2), noreturn))
static void F_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz property violated: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

#define F_CHECK(cond, ...)        \
    do {                          \
        if (!(cond))              \
            F_fail(__VA_ARGS__);  \
    } while (0)

/* Returns the number of lines of t[0..n): its newlines, plus one. */
static int F_lines(const char *t, size_t n)
{
    int k = 1;
    for (size_t i = 0; i < n; i++)
        k += t[i] == '\n';
    return k;
}

/* Checks what every scan of text t[0..n) must hold: lines within the text,
 * markers in order of line, byte ranges inside the text and ordered, tests
 * and errors named by lines of the text; tests in order of line when
 * ordered (not in Markdown: a section's TEST is named by its heading's line
 * but comes at its first C block, after the TESTs of C blocks between). */
static void F_check_scan(const galley__scan *s, const char *t, size_t n,
                         int ordered)
{
    int lines = F_lines(t, n);
    for (size_t i = 0; i < s->n_markers; i++) {
        const galley__marker *m = &s->markers[i];
        F_CHECK(m->line >= 1 && m->line <= m->end_line && m->end_line <= lines,
                "marker %zu: lines %d..%d of %d", i, m->line, m->end_line,
                lines);
        F_CHECK(i == 0 || s->markers[i - 1].line < m->line,
                "marker %zu at line %d after one at line %d", i, m->line,
                s->markers[i - 1].line);
        F_CHECK(m->start <= m->lparen && m->lparen <= m->content_start &&
                    m->content_start <= m->rparen && m->rparen <= n &&
                    m->start <= m->body_start &&
                    m->body_start <= m->body_end && m->body_end <= n,
                "marker %zu (line %d): offsets start %zu lparen %zu content "
                "%zu rparen %zu body %zu..%zu outside text of %zu",
                i, m->line, m->start, m->lparen, m->content_start, m->rparen,
                m->body_start, m->body_end, n);
        F_CHECK(m->indent_start + m->indent_len <= n,
                "marker %zu: indent outside the text", i);
        F_CHECK(m->test >= -1 && m->test < (int)s->n_tests,
                "marker %zu: test %d of %zu", i, m->test, s->n_tests);
        F_CHECK(m->sep != NULL, "marker %zu: no sep", i);
        if (!m->text)
            F_CHECK(m->body_end <= m->rparen || !m->has_comment ||
                        m->body_end <= n,
                    "marker %zu: body past its parenthesis", i);
        size_t bl;
        const char *b = galley__marker_body(m, t, &bl);
        F_CHECK(b != NULL, "marker %zu: no body", i);
        if (bl)
            (void)*(volatile const char *)(b + bl - 1); /* ASan reads it */
    }
    for (size_t i = 0; i < s->n_tests; i++) {
        const galley__scanned_test *k = &s->tests[i];
        F_CHECK(k->name && *k->name, "test %zu has no name", i);
        F_CHECK(k->line >= 1 && k->line <= lines,
                "test %s: line %d of %d", k->name, k->line, lines);
        F_CHECK(k->body_open <= k->body_close && k->body_close <= n,
                "test %s: body %zu..%zu outside the text of %zu", k->name,
                k->body_open, k->body_close, n);
        F_CHECK(k->close_line <= lines, "test %s: closes at line %d of %d",
                k->name, k->close_line, lines);
        F_CHECK(!ordered || i == 0 || s->tests[i - 1].line <= k->line,
                "test %zu at line %d after one at line %d", i, k->line,
                s->tests[i - 1].line);
    }
    for (size_t i = 0; i < s->n_errors; i++)
        F_CHECK(s->errors[i].msg && s->errors[i].line >= 0 &&
                    s->errors[i].line <= lines + 1,
                "error %zu at line %d of %d: %s", i, s->errors[i].line, lines,
                s->errors[i].msg ? s->errors[i].msg : "(no message)");
}

/* Returns 1 if line[0..n) ends in suffix. */
static int F_ends_with(const char *line, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(line + n - k, suffix, k);
}

/* Returns 1 if expected text exp (with literal, one byte per line: 1 for
 * an escaped line) has a pattern line, (re) or (glob): no output is the
 * same as such a text, the runner matches it. */
static int F_has_pattern(const galley__buf *exp, const galley__buf *literal)
{
    size_t k = 0;
    for (const char *p = exp->ptr, *end = p + exp->len; p <= end; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if ((k >= literal->len || !literal->ptr[k]) &&
            (F_ends_with(p, n, " (re)") || F_ends_with(p, n, " (glob)")))
            return 1;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* Sets exp to the expected text of marker m of the text t it was scanned
 * from, as the runner reads it (runner/compare.c). Returns 0, 1 for a text
 * with a pattern line, or -1 for a text with a bad escape, which the runner
 * reports instead. */
static int F_expected(galley__buf *exp, const galley__marker *m, const char *t)
{
    galley__buf lit;
    galley__buf_init(&lit);
    exp->len = 0;
    int rc = 0;
    if (m->has_comment) {
        size_t n;
        const char *b = galley__marker_body(m, t, &n);
        int bad_line;
        const char *msg;
        rc = galley__expected_text_lines(exp, &lit, b, n,
                                         m->kind == GALLEY__MARKER_EXACT,
                                         &bad_line, &msg);
    }
    galley__buf_grow(exp, 0);
    if (rc == 0 && F_has_pattern(exp, &lit))
        rc = 1;
    galley__buf_fini(&lit);
    return rc;
}

/* Returns 1 if a's and b's texts are the same bytes. */
static int F_same(const galley__buf *a, const galley__buf *b)
{
    return a->len == b->len && (a->len == 0 || !memcmp(a->ptr, b->ptr, a->len));
}

/* The outputs a fuzz input asks to write: after the document (which ends
 * at the first 0xff byte, never part of UTF-8 text), chunks separated by
 * 0xff, chunk i the output of marker i; a chunk that begins with 0xfe
 * means no edit for it. An input with no 0xff gets outputs drawn from
 * F_POOL by a hash of the document, so every seed tries some. */
typedef struct F_outputs {
    const uint8_t *tail;
    size_t tail_n;
    int have_tail;
    uint32_t rng;
    galley__buf scratch;
} F_outputs;

static const char *const F_POOL[] = {
    "", "\n", "hello\n", "a\nb\n", "```\n", "~~~~\n", "````output\n",
    "  ```\n  x\n", "\x01\x02\n", "trailing  \n\n\n", "\t tab\n",
    "x (re)\n", "y (glob)\n", "z (esc)\n", "*/\n/*\n", "\r\n", "a\rb\n",
    "\xc3\x28\n", "no newline", "   \n   indented\n     more\n", "~~~\n~~~\n",
    "<!-- galley -->\n", "# heading\n", "- item\n", "> quote\n",
    "``` output\n", "\n\n\n", "    code\n", "\\\\ back\n", "\xe2\x82\xac euro\n",
};

static void F_outputs_init(F_outputs *o, const uint8_t *data, size_t n,
                           size_t doc_n)
{
    memset(o, 0, sizeof *o);
    galley__buf_init(&o->scratch);
    o->have_tail = doc_n < n;
    o->tail = data + doc_n + (doc_n < n);
    o->tail_n = doc_n < n ? n - doc_n - 1 : 0;
    o->rng = 2166136261u;
    for (size_t i = 0; i < doc_n; i++)
        o->rng = (o->rng ^ data[i]) * 16777619u;
}

static uint32_t F_rand(F_outputs *o)
{
    o->rng ^= o->rng << 13;
    o->rng ^= o->rng >> 17;
    o->rng ^= o->rng << 5;
    return o->rng;
}

/* Returns the next output (in o->scratch, valid until the next call) with
 * its length in *len, or NULL for no edit. */
static const char *F_next_output(F_outputs *o, size_t *len)
{
    o->scratch.len = 0;
    galley__buf_grow(&o->scratch, 0);
    if (o->have_tail) {
        const uint8_t *end = memchr(o->tail, 0xff, o->tail_n);
        size_t k = end ? (size_t)(end - o->tail) : o->tail_n;
        const uint8_t *c = o->tail;
        o->tail += k + (end != NULL);
        o->tail_n -= k + (end != NULL);
        if (k && c[0] == 0xfe)
            return NULL;
        galley__buf_add(&o->scratch, c, k);
    } else {
        uint32_t r = F_rand(o);
        if (r % 4 == 0)
            return NULL;
        for (uint32_t i = 0, k = 1 + (r >> 8) % 3; i < k; i++)
            galley__buf_puts(&o->scratch, F_POOL[F_rand(o) % (sizeof F_POOL /
                                                             sizeof *F_POOL)]);
    }
    *len = o->scratch.len;
    return o->scratch.ptr;
}

/* What the runner compares the expected text of marker m with: the
 * normalized output, or the raw one for an exact marker. */
static void F_actual(galley__buf *act, const galley__marker *m, const char *t,
                     size_t n)
{
    act->len = 0;
    galley__buf_grow(act, 0);
    if (m->kind == GALLEY__MARKER_EXACT)
        galley__buf_add(act, t, n);
    else
        galley__normalize(act, t, n);
}

/* Returns a heap copy of the source of a fuzz input (what comes before
 * its first 0xff byte), of exactly its size so that ASan sees a read past
 * it; *n gets its length. */
static char *F_source(const uint8_t *data, size_t size, size_t *n)
{
    const uint8_t *ff = memchr(data, 0xff, size);
    *n = ff ? (size_t)(ff - data) : size;
    char *t = galley__xmalloc(*n ? *n : 1);
    memcpy(t, data, *n);
    return t;
}

/* Returns 1 if scan s found a problem that makes the runner refuse the
 * source (then nothing is rewritten). */
static int F_fatal(const galley__scan *s)
{
    int fatal = 0;
    for (size_t i = 0; i < s->n_errors; i++)
        fatal |= s->errors[i].fatal;
    return fatal;
}

#endif
