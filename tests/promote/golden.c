/* golden.c: golden tests for promote's rewriting: each case is a source
 * before, the run's outputs (NAME.edits) and the source expected after, byte
 * for byte; then round-trip properties on generated outputs, and the
 * promote command itself run on a scratch project. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../promote/promote.h"
#include "../../promote/state.h"
#include "../../source/escape.h"
#include "../../source/markdown.h"
#include "../../source/normalize.h"
#include "../../source/rewrite.h"
#include "../../source/scan.h"
#include "../../source/source.h"
#include "../../source/util.h"

/* The .edits format, one line at a time (LF line ends):
 *
 *   # a comment; blank lines are ignored too
 *   marker LINE        an edit for the marker at LINE...
 *   unreachable LINE   ...the marker at LINE, never reached, becomes
 *                      EXPECT_UNREACHABLE()...
 *   trailing LINE [NAME] ...or for the trailing output of the TEST at LINE
 *                      (named NAME, when two TESTs share the line)
 *   |TEXT              a line of that edit's output: TEXT and a newline;
 *                      TEXT ending in " (esc)" is decoded first (escape.h),
 *                      which is how control bytes and such are written
 *   \ no newline       the output does not end in a newline after all
 *
 * An edit with no | lines has empty output. A case whose NAME.after.c is
 * missing must fail instead, with the message held in NAME.error. */

static int S_passed, S_failed;

/* ---- reporting ---- */

/* Prints s[0..n) with what is invisible made visible. */
static void S_put_visible(FILE *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t')
            fputs("\\t", o);
        else if (c == '\r')
            fputs("\\r", o);
        else if (c < 0x20 || c == 0x7f)
            fprintf(o, "\\x%02x", c);
        else
            fputc(c, o);
    }
}

static size_t S_next_line(const char *s, size_t n, size_t at)
{
    const char *nl = memchr(s + at, '\n', n - at);
    return nl ? (size_t)(nl - s) + 1 : n;
}

/* Prints the lines of s[from, to) prefixed with mark. */
static void S_put_lines(const char *mark, const char *s, size_t from,
                        size_t to)
{
    for (size_t a = from; a < to;) {
        size_t b = S_next_line(s, to, a);
        size_t e = b > a && s[b - 1] == '\n' ? b - 1 : b;
        fprintf(stderr, "  %s", mark);
        S_put_visible(stderr, s + a, e - a);
        fputs(e == b ? "  (no newline)\n" : "\n", stderr);
        a = b;
    }
}

/* Prints a diff-ish report: the common lines at both ends are left out,
 * the differing middle is shown as - expected / + actual. */
static void S_report_diff(const char *want, size_t wn, const char *got,
                          size_t gn)
{
    size_t pre = 0, line = 1;
    for (size_t i = 0; i < wn && i < gn && want[i] == got[i]; i++)
        if (want[i] == '\n') {
            pre = i + 1;
            line++;
        }
    size_t sw = wn, sg = gn;
    while (sw > pre && sg > pre && want[sw - 1] == got[sg - 1])
        sw--, sg--;
    /* Widen the middle to whole lines (the ends are common to both). */
    while (sw > pre && sw < wn && want[sw - 1] != '\n')
        sw++, sg++;
    fprintf(stderr, "  first difference at line %zu:\n", line);
    S_put_lines("-", want, pre, sw);
    S_put_lines("+", got, pre, sg);
}

static void S_fail(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void S_fail(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "FAIL %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- edits files ---- */

typedef struct edits {
    galley__edit *v;
    size_t n;
} edits;

static void S_edits_fini(edits *es)
{
    for (size_t i = 0; i < es->n; i++)
        galley__edit_fini(&es->v[i]);
    free(es->v);
    es->v = NULL;
    es->n = 0;
}

/* Adds one "|TEXT" line to the last edit. Returns 0 or -1. */
static int S_edit_text(galley__edit *e, const char *t, size_t n)
{
    galley__buf b;
    const char *msg = NULL;
    galley__buf_init(&b);
    galley__buf_add(&b, e->text, e->len);
    int rc = 0;
    if (galley__line_is_escaped(t, n))
        rc = galley__unescape_line(&b, t, n, &msg);
    else
        galley__buf_add(&b, t, n);
    galley__buf_putc(&b, '\n');
    free(e->text);
    e->text = galley__buf_detach(&b, &e->len);
    return rc;
}

/* Parses one line of an .edits file. Returns 0 or -1. */
static int S_edits_line(edits *es, const char *l, size_t n)
{
    int line;
    galley__edit *last = es->n ? &es->v[es->n - 1] : NULL;
    if (n == 0 || l[0] == '#')
        return 0;
    if (l[0] == '|' && last)
        return S_edit_text(last, l + 1, n - 1);
    if (l[0] == '\\' && last) {
        if (last->len == 0 || last->text[last->len - 1] != '\n')
            return -1;
        last->text[--last->len] = '\0';
        return 0;
    }
    char *s = galley__xstrndup(l, n);
    char test[128] = "";
    int kind = sscanf(s, "marker %d", &line) == 1     ? GALLEY__EDIT_MARKER
               : sscanf(s, "unreachable %d", &line) == 1
                   ? GALLEY__EDIT_UNREACHABLE
               : sscanf(s, "trailing %d %127s", &line, test) >= 1
                   ? GALLEY__EDIT_TRAILING
                   : -1;
    free(s);
    if (kind < 0)
        return -1;
    es->v = galley__xrealloc(es->v, (es->n + 1) * sizeof *es->v);
    es->v[es->n++] = (galley__edit){.kind = (galley__edit_kind)kind,
                                   .line = line,
                                   .text = galley__xstrdup(""),
                                   .test = *test ? galley__xstrdup(test)
                                                 : NULL};
    return 0;
}

/* Reads an .edits file. Returns 0, or the 1-based number of a bad line. */
static int S_edits_parse(edits *es, const char *p, size_t n)
{
    int lineno = 1;
    for (size_t a = 0; a < n; lineno++) {
        size_t b = S_next_line(p, n, a);
        size_t e = b > a && p[b - 1] == '\n' ? b - 1 : b;
        if (S_edits_line(es, p + a, e - a) != 0)
            return lineno;
        a = b;
    }
    return 0;
}

/* ---- checks shared by cases and properties ---- */

/* Returns 1 if s[0..n) holds "/" followed by "*". */
static int S_has_opener(const char *s, size_t n)
{
    return n >= 2 && memmem(s, n, "/*", 2) != NULL;
}

/* Checks that marker m of the rewritten text reads back as output o[0..on)
 * (normalized unless m is EXPECT_EXACT), and that its body opens no
 * comment. Returns 0, or -1 after reporting. */
static int S_check_readback(const char *name, const char *text,
                            const galley__marker *m, const char *o, size_t on)
{
    size_t bn;
    const char *body = galley__marker_body(m, text, &bn);
    int md = m->text != NULL || m->lparen == m->rparen;
    galley__buf want, got;
    int bad = -1, rc = -1;
    const char *msg = NULL;
    int exact = m->kind == GALLEY__MARKER_EXACT;
    galley__buf_init(&want);
    galley__buf_init(&got);
    if (exact)
        galley__buf_add(&want, o, on);
    else
        galley__normalize(&want, o, on);
    if (!md && !m->has_comment && m->rparen != m->lparen + 1) {
        S_fail(name, "marker at line %d lost its comment", m->line);
    } else if (m->has_comment &&
               galley__expected_text(&got, body, bn, exact, &bad, &msg) != 0) {
        S_fail(name, "marker at line %d: bad escape on body line %d: %s",
               m->line, bad, msg);
    } else if (!md && m->has_comment && S_has_opener(body, bn)) {
        S_fail(name, "marker at line %d holds a comment opener", m->line);
    } else if (want.len != got.len ||
               memcmp(want.ptr ? want.ptr : "", got.ptr ? got.ptr : "",
                      want.len) != 0) {
        S_fail(name, "marker at line %d does not read back as the output",
               m->line);
        S_report_diff(want.ptr ? want.ptr : "", want.len,
                      got.ptr ? got.ptr : "", got.len);
    } else {
        rc = 0;
    }
    galley__buf_fini(&want);
    galley__buf_fini(&got);
    return rc;
}

/* Returns the index of the last marker of test t, or -1. */
static int S_last_marker_of(const galley__scan *s, int t)
{
    int last = -1;
    for (size_t i = 0; i < s->n_markers; i++)
        if (s->markers[i].test == t)
            last = (int)i;
    return last;
}

/* Returns the index of the test of trailing edit e (its TEST line, and
 * its name when it has one), or -1. */
static int S_test_at(const galley__scan *s, const galley__edit *e)
{
    for (size_t i = 0; i < s->n_tests; i++)
        if (s->tests[i].line == e->line &&
            (!e->test || !strcmp(s->tests[i].name, e->test)))
            return (int)i;
    return -1;
}

/* Finds, in the rewritten text's scan ns, the marker that edit e of es
 * (for the old scan os) became. Markers keep their order; the trailing
 * edits only add one at the end of their tests. Returns its index or -1. */
static int S_new_marker(const galley__scan *os, const galley__scan *ns,
                        const edits *es, const galley__edit *e)
{
    if (e->kind == GALLEY__EDIT_TRAILING) {
        int t = S_test_at(os, e);
        return t >= 0 ? S_last_marker_of(ns, t) : -1;
    }
    int m = galley__scan_find_marker(os, e->line);
    if (m < 0)
        return -1;
    int k = m;
    for (size_t i = 0; i < es->n; i++) {
        int t = es->v[i].kind == GALLEY__EDIT_TRAILING
                    ? S_test_at(os, &es->v[i])
                    : -1;
        if (t >= 0 && os->tests[t].body_close < os->markers[m].start)
            k++;
    }
    return (size_t)k < ns->n_markers ? k : -1;
}

/* Checks that the rewritten text[0..len) scans cleanly and that every
 * marker edited (es, given for the old scan os) reads back as its output.
 * Returns 0, or -1 after reporting. */
static int S_check_result(const galley__source_kind *kind, const char *name,
                          const char *text, size_t len,
                          const galley__scan *os, const edits *es)
{
    galley__scan ns = {0};
    int rc = 0;
    kind->scan(&ns, text, len);
    for (size_t i = 0; i < ns.n_errors && rc == 0; i++) {
        S_fail(name, "the result does not scan: line %d: %s",
               ns.errors[i].line, ns.errors[i].msg);
        rc = -1;
    }
    for (size_t i = 0; i < es->n && rc == 0; i++) {
        int m = S_new_marker(os, &ns, es, &es->v[i]);
        if (m < 0) {
            S_fail(name, "no marker for the edit at line %d", es->v[i].line);
            rc = -1;
        } else {
            rc = S_check_readback(name, text, &ns.markers[m], es->v[i].text,
                                  es->v[i].len);
        }
    }
    galley__scan_fini(&ns);
    return rc;
}

/* ---- golden cases ---- */

static char *S_path(const char *dir, const char *name, const char *ext)
{
    return galley__xasprintf("%s/%s%s", dir, name, ext);
}

/* Checks a case that must be refused with the message in want. */
static int S_check_error(const char *name, const char *err, const char *want,
                         size_t wn)
{
    while (wn > 0 && (want[wn - 1] == '\n' || want[wn - 1] == '\r'))
        wn--;
    if (!err) {
        S_fail(name, "rewrite succeeded but should fail with: %.*s", (int)wn,
               want);
        return -1;
    }
    if (strlen(err) != wn || memcmp(err, want, wn) != 0) {
        S_fail(name, "wrong error:\n  - %.*s\n  + %s", (int)wn, want, err);
        return -1;
    }
    return 0;
}

/* Compares the rewrite of the case with NAME.after.EXT (or NAME.error). */
static int S_compare(const galley__source_kind *kind, const char *dir,
                     const char *name, const char *ext, const galley__buf *src,
                     const galley__scan *s, const edits *es)
{
    galley__buf out, want;
    char *err = NULL;
    char *after = galley__xasprintf("%s/%s.after%s", dir, name, ext);
    char *errp = S_path(dir, name, ".error");
    int rc = -1;
    galley__buf_init(&out);
    galley__buf_init(&want);
    int bad = kind->rewrite(&out, src->ptr, src->len, s, es->v, es->n, &err);
    if (galley__read_file(after, &want) != 0) {
        if (galley__read_file(errp, &want) != 0)
            S_fail(name, "neither %s nor %s can be read", after, errp);
        else
            rc = S_check_error(name, bad ? err : NULL, want.ptr, want.len);
    } else if (bad) {
        S_fail(name, "rewrite failed: %s", err);
    } else if (out.len != want.len || memcmp(out.ptr, want.ptr, out.len)) {
        S_fail(name, "the result differs from %s", after);
        S_report_diff(want.ptr, want.len, out.ptr, out.len);
    } else {
        rc = S_check_result(kind, name, out.ptr, out.len, s, es);
    }
    free(err);
    free(after);
    free(errp);
    galley__buf_fini(&out);
    galley__buf_fini(&want);
    return rc;
}

/* Runs the case NAME in dir, whose source is NAME.before.EXT (ext: ".c"
 * or ".md", which says the kind of source). */
static void S_run_case(const char *dir, const char *name, const char *ext)
{
    galley__buf src, ed;
    edits es = {0};
    galley__scan s = {0};
    char *before = galley__xasprintf("%s/%s.before%s", dir, name, ext);
    const galley__source_kind *kind = galley__source_kind_of(before);
    char *edp = S_path(dir, name, ".edits");
    int ok = 0, bad;
    galley__buf_init(&src);
    galley__buf_init(&ed);
    if (galley__read_file(before, &src) != 0 ||
        galley__read_file(edp, &ed) != 0) {
        S_fail(name, "cannot read %s or %s", before, edp);
    } else if ((bad = S_edits_parse(&es, ed.ptr, ed.len)) != 0) {
        S_fail(name, "%s:%d: bad line", edp, bad);
    } else {
        kind->scan(&s, src.ptr ? src.ptr : "", src.len);
        ok = S_compare(kind, dir, name, ext, &src, &s, &es) == 0;
        galley__scan_fini(&s);
    }
    ok ? S_passed++ : S_failed++;
    S_edits_fini(&es);
    galley__buf_fini(&src);
    galley__buf_fini(&ed);
    free(before);
    free(edp);
}

static int S_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every NAME.before.c and NAME.before.md of dir, in name order.
 * Returns -1 if dir cannot be read. */
static int S_run_cases(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *dot = strstr(de->d_name, ".before.");
        if (dot && (!strcmp(dot, ".before.c") || !strcmp(dot, ".before.md"))) {
            names = galley__xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = galley__xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, S_str_cmp);
    for (size_t i = 0; i < n; i++) {
        char *dot = strstr(names[i], ".before.");
        *dot = '\0';
        S_run_case(dir, names[i], dot + 7);
        free(names[i]);
    }
    free(names);
    return 0;
}

/* ---- round-trip properties ---- */

static uint64_t S_rng = 0x9e3779b97f4a7c15u;

static uint32_t S_rand(uint32_t n)
{
    S_rng ^= S_rng << 13;
    S_rng ^= S_rng >> 7;
    S_rng ^= S_rng << 17;
    return (uint32_t)(S_rng % n);
}

/* Appends a random piece of output likely to trouble a rewriter. */
static void S_gen_piece(galley__buf *b)
{
    static const char *const tricky[] = {
        "*/", "/*", "/", "*", "*/*", "/**/", " (esc)", " (re)", " (glob)",
        "(esc)", "\\", "\\x41", "\\\\", "?\?/", "\t", "  ", "\r", "\r\n",
        "\n", "\n\n", "\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "\xff", "\xc3",
        "\xe2\x82", "\xed\xa0\x80", "EXPECT(", ")", "\"", "'", "}", "{",
        "// c", "#define", "  \n", "\t\n", " \\\n", "*\\\n/", "/\\\n*",
        "*?\?/\n/", "*\\ \t\n/"};
    const size_t n_tricky = sizeof tricky / sizeof *tricky;
    switch (S_rand(6)) {
    case 0:
        galley__buf_puts(b, tricky[S_rand((uint32_t)n_tricky)]);
        break;
    case 1:
        galley__buf_putc(b, (char)S_rand(256));
        break;
    case 2:
        for (uint32_t k = S_rand(4); k-- > 0;)
            galley__buf_putc(b, S_rand(3) ? ' ' : '\t');
        break;
    default:
        for (uint32_t k = 1 + S_rand(S_rand(8) ? 12 : 90); k-- > 0;)
            galley__buf_putc(b, (char)(' ' + S_rand(95)));
        break;
    }
}

/* Appends random output: mostly lines of pieces, sometimes nothing. */
static void S_gen_output(galley__buf *b)
{
    if (S_rand(20) == 0)
        return;
    uint32_t lines = 1 + S_rand(S_rand(3) ? 3 : 10);
    for (uint32_t l = 0; l < lines; l++) {
        for (uint32_t k = S_rand(6); k-- > 0;)
            S_gen_piece(b);
        if (l + 1 < lines || S_rand(3))
            galley__buf_putc(b, '\n');
    }
}

/* A generated source: one test holding one marker (kind exact) with the
 * given line end and indentation, in one of a few layouts. */
static void S_gen_source(galley__buf *b, int exact, const char *eol,
                         const char *ind)
{
    static const char *const old[] = {"", "/* old */", "/*%s  was%s*/",
                                      " /* spaced */ "};
    const char *name = exact ? "EXPECT_EXACT" : "EXPECT";
    galley__buf_printf(b, "#include <galley.h>%s%s", eol, eol);
    int nested = (int)S_rand(2);
    galley__buf_printf(b, "TEST(t) {%s%sputs(\"x\");%s", eol, ind, eol);
    if (nested)
        galley__buf_printf(b, "%sif (1) {%s%s%s", ind, eol, ind, ind);
    else
        galley__buf_puts(b, ind);
    galley__buf_printf(b, "%s(", name);
    galley__buf_printf(b, old[S_rand(4)], eol, eol);
    galley__buf_puts(b, ");");
    if (S_rand(3) == 0)
        galley__buf_puts(b, " /* after */");
    galley__buf_puts(b, eol);
    if (nested)
        galley__buf_printf(b, "%s}%s", ind, eol);
    galley__buf_printf(b, "%sputs(\"y\");%s}", ind, S_rand(2) ? eol : " ");
    if (S_rand(4))
        galley__buf_puts(b, eol);
}

/* Checks the layout of the rewritten text[0..len): its line ends are all
 * CRLF (crlf) or all LF, and an EXPECT marker m holds no trailing blanks.
 * Returns 0 or -1 after reporting. */
static int S_check_layout(const char *name, const char *text, size_t len,
                          int crlf, const galley__marker *m)
{
    for (size_t i = 0; i < len; i++) {
        int cr_before = i > 0 && text[i - 1] == '\r';
        if ((text[i] == '\n' && cr_before != crlf) ||
            (text[i] == '\r' && !crlf)) {
            S_fail(name, "mixed line ends at byte %zu", i);
            return -1;
        }
    }
    for (size_t i = m->lparen; m->kind == GALLEY__MARKER_EXPECT && i < m->rparen;
         i++) {
        if ((text[i] == '\n' || text[i] == '\r') && i > 0 &&
            (text[i - 1] == ' ' || text[i - 1] == '\t')) {
            S_fail(name, "trailing blanks in the marker at line %d", m->line);
            return -1;
        }
    }
    return 0;
}

/* Rewrites src with the one edit e and checks the result; also checks that
 * rewriting the result again gives it back. Returns 0 or -1. */
static int S_check_one(const galley__source_kind *kind, const char *name,
                       const galley__buf *src, const galley__edit *e, int crlf)
{
    galley__scan s = {0}, s2 = {0};
    galley__buf out, again;
    char *err = NULL;
    int rc = -1;
    edits es = {(galley__edit *)e, 1};
    galley__buf_init(&out);
    galley__buf_init(&again);
    kind->scan(&s, src->ptr, src->len);
    if (s.n_errors || kind->rewrite(&out, src->ptr, src->len, &s, e, 1,
                                    &err) != 0) {
        S_fail(name, "cannot rewrite: %s", err ? err : s.errors[0].msg);
        goto done;
    }
    if (S_check_result(kind, name, out.ptr, out.len, &s, &es) != 0)
        goto done;
    kind->scan(&s2, out.ptr, out.len);
    const galley__marker *m = &s2.markers[S_new_marker(&s, &s2, &es, e)];
    if (S_check_layout(name, out.ptr, out.len, crlf, m) != 0)
        goto done;
    galley__edit e2 = {.kind = GALLEY__EDIT_MARKER, .line = m->line,
                      .text = e->text, .len = e->len};
    if (kind->rewrite(&again, out.ptr, out.len, &s2, &e2, 1, &err) != 0 ||
        again.len != out.len || memcmp(again.ptr, out.ptr, out.len) != 0) {
        S_fail(name, "rewriting the result again changes it");
        S_report_diff(out.ptr, out.len, again.ptr ? again.ptr : "",
                      again.len);
        goto done;
    }
    rc = 0;
done:
    if (rc != 0) {
        fprintf(stderr, "  source:\n");
        S_put_lines("|", src->ptr, 0, src->len);
        fprintf(stderr, "  output:\n");
        S_put_lines("|", e->text, 0, e->len);
    }
    free(err);
    galley__scan_fini(&s);
    galley__scan_fini(&s2);
    galley__buf_fini(&out);
    galley__buf_fini(&again);
    return rc;
}

/* One property test: many outputs written into a marker (or added as
 * trailing output) of kind exact, line end eol, indentation ind. */
static void S_property(int exact, int trailing, const char *eol,
                       const char *ind, int rounds)
{
    char name[96];
    snprintf(name, sizeof name, "roundtrip %s %s %s",
             trailing ? "trailing" : exact ? "exact" : "expect",
             eol[0] == '\r' ? "crlf" : "lf", ind[0] == '\t' ? "tabs" : "spaces");
    int ok = 1;
    for (int r = 0; r < rounds && ok; r++) {
        galley__buf src, o;
        galley__buf_init(&src);
        galley__buf_init(&o);
        S_gen_source(&src, exact, eol, ind);
        S_gen_output(&o);
        galley__edit e = {.kind = trailing ? GALLEY__EDIT_TRAILING
                                          : GALLEY__EDIT_MARKER,
                         .line = trailing ? 3 : 0,
                         .text = o.ptr ? o.ptr : "", .len = o.len};
        if (!trailing) {
            galley__scan s = {0};
            galley__scan_text(&s, src.ptr, src.len);
            e.line = s.n_markers ? s.markers[0].line : 1;
            galley__scan_fini(&s);
        }
        ok = S_check_one(galley__source_kind_of("t.c"), name, &src, &e,
                         eol[0] == '\r') == 0;
        galley__buf_fini(&src);
        galley__buf_fini(&o);
    }
    ok ? S_passed++ : S_failed++;
}

/* A generated Markdown document: a C block and its output block (or
 * none: has_out 0), exact or not, with line end eol, inside container
 * (a prefix such as "> " or "  " after a list item's first line, or ""),
 * fenced with fence. */
static void S_gen_md(galley__buf *b, int exact, int has_out, const char *eol,
                     const char *container, const char *fence)
{
    int list = container[0] == ' ';
    galley__buf_printf(b, "# T%s%s", eol, eol);
    galley__buf_printf(b, "%s%sc%s%s", list ? "- " : container, fence,
                       exact ? " exact" : "", eol);
    galley__buf_printf(b, "%sputs(\"x\");%s%s%s%s", container, eol, container,
                       fence, eol);
    if (has_out) {
        galley__buf_printf(b, "%s%soutput%s", container, fence, eol);
        if (S_rand(2))
            galley__buf_printf(b, "%sold%s", container, eol);
        galley__buf_printf(b, "%s%s", container, fence);
    }
    if (S_rand(4))
        galley__buf_puts(b, eol);
    if (S_rand(2))
        galley__buf_printf(b, "%sprose after%s", eol, eol);
}

/* The same property as S_property for Markdown documents. */
static void S_md_property(int exact, int has_out, const char *eol,
                          const char *container, int rounds)
{
    static const char *const fences[] = {"```", "~~~", "````"};
    char name[96];
    snprintf(name, sizeof name, "md roundtrip %s %s %s '%s'",
             exact ? "exact" : "expect", has_out ? "block" : "inserted",
             eol[0] == '\r' ? "crlf" : "lf", container);
    int ok = 1;
    for (int r = 0; r < rounds && ok; r++) {
        galley__buf src, o;
        galley__buf_init(&src);
        galley__buf_init(&o);
        S_gen_md(&src, exact, has_out, eol, container, fences[S_rand(3)]);
        S_gen_output(&o);
        galley__scan s = {0};
        galley__md_scan(&s, src.ptr, src.len);
        galley__edit e = {.kind = GALLEY__EDIT_MARKER,
                          .line = s.n_markers ? s.markers[0].line : 1,
                          .text = o.ptr ? o.ptr : "", .len = o.len};
        galley__scan_fini(&s);
        /* Nothing printed into a block that is not there adds none. */
        if (has_out || o.len)
            ok = S_check_one(galley__source_kind_of("t.md"), name, &src, &e,
                             eol[0] == '\r') == 0;
        galley__buf_fini(&src);
        galley__buf_fini(&o);
    }
    ok ? S_passed++ : S_failed++;
}

static void S_run_properties(void)
{
    static const char *const containers[] = {"", "> ", "  "};
    for (int k = 0; k < 2; k++)
        for (int h = 0; h < 2; h++)
            for (int c = 0; c < 3; c++)
                S_md_property(k, h, c == 1 ? "\r\n" : "\n", containers[c],
                              300);
    static const char *const eols[] = {"\n", "\r\n"};
    static const char *const inds[] = {"    ", "\t"};
    for (int k = 0; k < 3; k++)
        for (int e = 0; e < 2; e++)
            for (int i = 0; i < 2; i++)
                S_property(k == 1, k == 2, eols[e], inds[i], 2000);
}

/* ---- the promote command ---- */

/* A scratch project: ROOT with galley's state for one source. */
typedef struct project {
    char *root;          /* real path of a fresh temporary directory */
    char *src;           /* ROOT/tests/NAME.c */
    char *state;         /* its state file */
    char *corrected;     /* its .corrected copy */
} project;

/* Reads a whole file into a fresh buffer (empty when it cannot be read). */
static galley__buf S_slurp(const char *path)
{
    galley__buf b;
    galley__buf_init(&b);
    if (galley__read_file(path, &b) != 0)
        galley__buf_init(&b);
    galley__buf_grow(&b, 0);
    return b;
}

/* Makes a project holding case NAME of dir as it stands after a run: the
 * source before, its state and .corrected copy. Returns 0 or -1. */
static int S_project(project *pj, const char *dir, const char *name)
{
    char tmpl[] = "/tmp/promote-golden.XXXXXX";
    memset(pj, 0, sizeof *pj);
    if (!mkdtemp(tmpl) || !(pj->root = realpath(tmpl, NULL)))
        return -1;
    char *before = S_path(dir, name, ".before.c");
    char *edp = S_path(dir, name, ".edits");
    galley__buf src = S_slurp(before), ed = S_slurp(edp), out;
    galley__buf_init(&out);
    edits es = {0};
    galley__scan s = {0};
    char *err = NULL;
    pj->src = galley__xasprintf("%s/tests/%s.c", pj->root, name);
    pj->state = galley__state_path(pj->root, pj->src, "state", ".state");
    pj->corrected = galley__state_path(pj->root, pj->src, "", ".corrected");
    galley__state st = {.source = pj->src, .display = pj->src};
    galley__hash(src.ptr, src.len, st.hash);
    galley__scan_text(&s, src.ptr, src.len);
    int rc = S_edits_parse(&es, ed.ptr, ed.len) != 0 ? -1 : 0;
    st.edits = es.v;
    st.n_edits = es.n;
    char *tdir = galley__xasprintf("%s/tests", pj->root);
    char *cdir = galley__xasprintf("%s/_galley/tests", pj->root);
    if (rc || galley__mkdirs(tdir) || galley__mkdirs(cdir) ||
        galley__write_file_atomic(pj->src, src.ptr, src.len, 0644) ||
        galley__state_write(pj->state, pj->root, &st) ||
        galley__rewrite(&out, src.ptr, src.len, &s, es.v, es.n, &err) ||
        galley__write_file_atomic(pj->corrected, out.ptr, out.len, 0644))
        rc = -1;
    free(tdir);
    free(cdir);
    free(err);
    free(before);
    free(edp);
    galley__scan_fini(&s);
    S_edits_fini(&es);
    galley__buf_fini(&src);
    galley__buf_fini(&ed);
    galley__buf_fini(&out);
    return rc;
}

static void S_project_fini(project *pj)
{
    if (pj->root) {
        char *cmd = galley__xasprintf("rm -rf '%s'", pj->root);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", pj->root);
        free(cmd);
    }
    free(pj->root);
    free(pj->src);
    free(pj->state);
    free(pj->corrected);
}

/* Runs galley__promote_cmd with its stdout and stderr caught together in
 * *said. Returns its exit status. */
static int S_promote(const project *pj, const char *const *targets, size_t n,
                     galley__buf *said)
{
    char path[] = "/tmp/promote-golden-out.XXXXXX";
    int fd = mkstemp(path);
    fflush(stdout);
    fflush(stderr);
    int o1 = dup(1), o2 = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    int rc = galley__promote_cmd(pj->root, (char *const *)targets, n, stdout);
    fflush(stdout);
    fflush(stderr);
    dup2(o1, 1);
    dup2(o2, 2);
    close(o1);
    close(o2);
    close(fd);
    *said = S_slurp(path);
    unlink(path);
    return rc;
}

/* Checks that file path holds the text of case file dir/NAME+ext. */
static int S_same_as_case(const char *test, const char *path, const char *dir,
                          const char *name, const char *ext)
{
    char *want_p = S_path(dir, name, ext);
    galley__buf want = S_slurp(want_p), got = S_slurp(path);
    int rc = want.len == got.len && !memcmp(want.ptr, got.ptr, got.len) ? 0
                                                                        : -1;
    if (rc) {
        S_fail(test, "%s differs from %s", path, want_p);
        S_report_diff(want.ptr, want.len, got.ptr, got.len);
    }
    free(want_p);
    galley__buf_fini(&want);
    galley__buf_fini(&got);
    return rc;
}

/* Checks a promote run: its exit status and what it said. */
static int S_expect_run(const char *test, int rc, int want_rc,
                        const galley__buf *said, const char *want_said)
{
    if (rc == want_rc && !strcmp(said->ptr, want_said))
        return 0;
    S_fail(test, "exit %d, said:\n%s  expected exit %d, saying:\n%s", rc,
           said->ptr, want_rc, want_said);
    return -1;
}

/* One command test: a project of case NAME, promote with targets (FILE
 * stands for the source, FILE:N for a line of it), then checks. */
typedef struct cmd_test {
    const char *title;
    const char *name;
    const char *targets[3];   /* "" for the source itself, else ":LINE" */
    int touch;                /* change the source after the "run" */
    int want_rc;
    const char *want_said;    /* %s is the source's path */
    const char *after;        /* ext of the case file the source must
                                 match; NULL: unchanged if refused */
    int pending;              /* the state must remain */
} cmd_test;

static void S_run_cmd_test(const char *dir, const cmd_test *t)
{
    project pj;
    galley__buf said;
    galley__buf_init(&said);
    char *targets[3] = {NULL, NULL, NULL};
    size_t n = 0;
    int ok = S_project(&pj, dir, t->name) == 0;
    if (!ok)
        S_fail(t->title, "cannot set up the project");
    for (; ok && n < 3 && t->targets[n]; n++)
        targets[n] = galley__xasprintf("%s%s", pj.src, t->targets[n]);
    if (ok && t->touch)
        ok = galley__write_file_atomic(pj.src, "x", 1, 0644) == 0;
    /* Messages name the file as reports do, relative to the cwd; a target
     * that names no file or line (exit 2) is echoed as it was typed, here
     * absolute. A line with nothing pending is in a file that was found. */
    char cwd[4096];
    int typed = t->want_rc == 2 && !strstr(t->want_said, "pending in");
    char *shown = typed || !getcwd(cwd, sizeof cwd)
                      ? galley__xstrdup(pj.src)
                      : galley__relative_path(pj.src, cwd);
    char *want_said = galley__xasprintf(t->want_said, shown, shown);
    free(shown);
    if (ok) {
        int rc = S_promote(&pj, (const char *const *)targets, n, &said);
        ok = S_expect_run(t->title, rc, t->want_rc, &said, want_said) == 0;
    }
    if (ok && t->after && !t->touch)
        ok = S_same_as_case(t->title, pj.src, dir, t->name, t->after) == 0;
    if (ok && !t->after && !t->touch && t->want_rc != 0)
        ok = S_same_as_case(t->title, pj.src, dir, t->name, ".before.c") == 0;
    if (ok && (access(pj.state, F_OK) == 0) != t->pending) {
        S_fail(t->title, "the state is %s", t->pending ? "gone" : "left");
        ok = 0;
    }
    if (ok && !t->pending && access(pj.corrected, F_OK) == 0) {
        S_fail(t->title, "the .corrected copy is left");
        ok = 0;
    }
    ok ? S_passed++ : S_failed++;
    for (size_t i = 0; i < n; i++)
        free(targets[i]);
    free(want_said);
    galley__buf_fini(&said);
    S_project_fini(&pj);
}

/* Promotes several.c one line at a time: each step must leave a state and
 * a .corrected copy that the next step (and a final full promote) can use,
 * ending with several.after.c. */
static void S_cmd_steps(const char *dir)
{
    /* Lines of the file as it stands at each step: the block marker, the
     * stale marker (moved up two lines), the test's last line (trailing
     * output), then the rest. */
    static const char *const steps[] = {":16", ":17", ":18", ""};
    const char *title = "command: step by step";
    project pj;
    int ok = S_project(&pj, dir, "several") == 0;
    for (size_t i = 0; ok && i < 4; i++) {
        galley__buf said;
        char *target = galley__xasprintf("%s%s", pj.src, steps[i]);
        const char *const targets[1] = {target};
        int rc = S_promote(&pj, targets, 1, &said);
        if (rc != 0 || !strstr(said.ptr, "promoted ")) {
            S_fail(title, "step %zu: exit %d, said:\n%s", i, rc, said.ptr);
            ok = 0;
        }
        if (ok && i < 3) {
            /* The .corrected copy must always be the final result. */
            ok = S_same_as_case(title, pj.corrected, dir, "several",
                                ".after.c") == 0;
        }
        free(target);
        galley__buf_fini(&said);
    }
    ok = ok && S_same_as_case(title, pj.src, dir, "several", ".after.c") == 0;
    if (ok && (access(pj.state, F_OK) == 0 || access(pj.corrected, F_OK) == 0)) {
        S_fail(title, "the state is left after the last step");
        ok = 0;
    }
    ok ? S_passed++ : S_failed++;
    S_project_fini(&pj);
}

static void S_run_commands(const char *dir)
{
    static const cmd_test tests[] = {
        {"command: all", "several", {NULL}, 0, 0,
         "promoted %s (4 markers)\n", ".after.c", 0},
        {"command: one file", "several", {""}, 0, 0,
         "promoted %s (4 markers)\n", ".after.c", 0},
        {"command: file and line", "several", {"", ":16"}, 0, 0,
         "promoted %s (4 markers)\n", ".after.c", 0},
        {"command: one line", "several", {":16"}, 0, 0,
         "promoted %s (1 marker, 3 still pending)\n", NULL, 1},
        {"command: nothing at the line", "several", {":3"}, 0, 2,
         "%s:3: error: nothing to promote at this line; pending in this "
         "file: line 11 (trailing output of its TEST), line 15, line 19, "
         "line 30\n", NULL, 1},
        {"command: changed since the run", "several", {NULL}, 1, 1,
         "%s: error: changed since the last galley run; run it again before "
         "promoting\n", NULL, 1},
        {"command: no such file", "several", {".nope"}, 0, 2,
         "%s.nope: error: no such file\n", NULL, 1},
        {"command: no such line", "several", {":0"}, 0, 2,
         "%s:0: error: no such line\n", NULL, 1},
    };
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        S_run_cmd_test(dir, &tests[i]);
    S_cmd_steps(dir);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
    char *dir;
    if (argc > 1) {
        dir = galley__xstrdup(argv[1]);
    } else {
        const char *slash = strrchr(__FILE__, '/');
        dir = slash ? galley__xasprintf("%.*s/cases",
                                        (int)(slash - __FILE__), __FILE__)
                    : galley__xstrdup("cases");
    }
    if (S_run_cases(dir) != 0) {
        fprintf(stderr, "promote-golden: cannot read %s\n", dir);
        S_failed++;
    }
    S_run_properties();
    S_run_commands(dir);
    free(dir);
    printf("promote-golden: %d passed, %d failed\n", S_passed, S_failed);
    return S_failed ? 1 : 0;
}
