/* compare.c: the verdicts. For each test the program reported, each marker
 * it reached is compared with the marker's text after normalization; output
 * after the last marker, loops that vary, unreached markers, crashes and
 * timeouts all fail the test. Mismatches become edits for promote. */
#define _GNU_SOURCE
#include "compare.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "../source/escape.h"
#include "../source/normalize.h"

/* ---- source files ---- */

galley__srcfile *galley__srcfile_get(galley__srcfiles *fs, const char *path)
{
    char real[PATH_MAX];
    char *abs = path[0] == '/' ? galley__xstrdup(path)
                               : galley__xasprintf("%s/%s", fs->root, path);
    const char *key = realpath(abs, real) ? real : abs;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->v[i]->path, key) == 0) {
            free(abs);
            return fs->v[i];
        }
    galley__srcfile *f = galley__xcalloc(1, sizeof *f);
    f->path = galley__xstrdup(key);
    free(abs);
    f->display = galley__display_path(f->path, fs->cwd);
    galley__buf_init(&f->text);
    f->readable = galley__read_file(f->path, &f->text) == 0;
    f->kind = galley__source_kind_of(f->path);
    f->kind->scan(&f->scan, f->text.ptr ? f->text.ptr : "", f->text.len);
    fs->v = galley__xrealloc(fs->v, (fs->n + 1) * sizeof *fs->v);
    fs->v[fs->n++] = f;
    return f;
}

void galley__srcfiles_fini(galley__srcfiles *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        galley__srcfile *f = fs->v[i];
        for (size_t k = 0; k < f->n_edits; k++)
            galley__edit_fini(&f->edits[k]);
        free(f->edits);
        galley__words_fini(&f->trailing_conflicts);
        for (size_t k = 0; f->shared && k < f->scan.n_markers; k++)
            free(f->shared[k].test);
        free(f->shared);
        galley__scan_fini(&f->scan);
        galley__buf_fini(&f->text);
        free(f->path);
        free(f->display);
        free(f);
    }
    free(fs->v);
    free(fs->root);
    free(fs->cwd);
}

void galley__srcfile_drop_conflicts(galley__srcfile *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n_edits; i++) {
        int mi = f->edits[i].kind != GALLEY__EDIT_TRAILING
                     ? galley__scan_find_marker(&f->scan, f->edits[i].line)
                     : -1;
        if (f->shared && mi >= 0 && f->shared[mi].conflict)
            galley__edit_fini(&f->edits[i]);
        else
            f->edits[k++] = f->edits[i];
    }
    f->n_edits = k;
}

/* Adds a pending promotion to f: of the marker at line, or of the
 * trailing output of the TEST test at line. */
static void S_add_edit(galley__srcfile *f, galley__edit_kind kind, int line,
                       const char *test, const char *text, size_t len)
{
    for (size_t i = 0; i < f->n_edits; i++)
        if (f->edits[i].kind == kind && f->edits[i].line == line &&
            (!test || !strcmp(f->edits[i].test, test)))
            return;
    f->edits = galley__xrealloc(f->edits, (f->n_edits + 1) * sizeof *f->edits);
    galley__edit *e = &f->edits[f->n_edits++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->text = galley__xstrndup(text, len);
    e->len = len;
    e->test = test ? galley__xstrdup(test) : NULL;
}

/* ---- verdicts ---- */

static galley__failure *S_fail(galley__verdict *v, galley__failure_kind kind,
                              const char *file, int line, char *what)
{
    v->fails = galley__xrealloc(v->fails, (v->n_fails + 1) * sizeof *v->fails);
    galley__failure *f = &v->fails[v->n_fails++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->file = galley__xstrdup(file);
    f->line = line;
    f->what = what;
    return f;
}

/* Gives failure f both sides of its diff: the buffers' memory moves into
 * f and exp and act are left empty (large outputs are not copied). */
static void S_sides(galley__failure *f, galley__buf *exp, galley__buf *act)
{
    f->expected = galley__buf_detach(exp, &f->expected_len);
    f->actual = galley__buf_detach(act, &f->actual_len);
}

char *galley__signal_name(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        return galley__xasprintf("SIG%s", abbrev);
    return galley__xasprintf("signal %d", sig);
}

/* Returns the actual side of a hit: normalized, or raw for EXPECT_EXACT. */
static void S_actual(galley__buf *out, const char *text, size_t len, int exact)
{
    if (exact)
        galley__buf_add(out, text, len);
    else
        galley__normalize(out, text, len);
}

static int S_same(const galley__buf *a, const galley__buf *b)
{
    return a->len == b->len && (a->len == 0 || !memcmp(a->ptr, b->ptr, a->len));
}

/* Reads the expected text of marker m into exp. Returns 0, or -1 after
 * recording an error failure in v. */
static int S_expected(galley__verdict *v, galley__srcfile *f,
                      const galley__marker *m, galley__buf *exp,
                      galley__buf *literal)
{
    if (!m->has_comment)
        return 0;
    int bad_line = 0;
    const char *msg = NULL;
    size_t n;
    const char *body = galley__marker_body(m, f->text.ptr, &n);
    if (galley__expected_text_lines(exp, literal, body, n,
                                   m->kind == GALLEY__MARKER_EXACT, &bad_line,
                                   &msg) == 0)
        return 0;
    int line = m->line;
    for (size_t i = m->start; i < m->body_start; i++)
        line += f->text.ptr[i] == '\n';
    S_fail(v, GALLEY__FAIL_ERROR, f->display, line + bad_line,
           galley__xasprintf("bad escape in (esc) line: %s", msg));
    return -1;
}

/* ---- filters ---- */

/* Applies filters fs (may be NULL) to text. Returns the filtered text: in
 * scratch, or text itself when there is nothing to apply. A filter that
 * fails at match time fails the test; the text then goes unfiltered. */
static const char *S_apply(galley__verdict *v, const galley__filters *fl,
                           const char *text, size_t len, galley__buf *scratch,
                           size_t *out_len)
{
    *out_len = len;
    if (!fl || fl->n == 0)
        return text;
    char *err = NULL;
    galley__buf tmp;
    galley__buf_init(&tmp);
    if (galley__filters_apply(fl, text, len, &tmp, &err) != 0) {
        S_fail(v, GALLEY__FAIL_ERROR, v->file, v->line,
               galley__xasprintf("filter failed: %s", err));
        free(err);
        galley__buf_fini(&tmp);
        return text;
    }
    galley__buf_fini(scratch);
    *scratch = tmp;
    *out_len = scratch->len;
    return scratch->ptr ? scratch->ptr : "";
}

/* Applies galley.conf's filters, then the test's own (tf), to text. */
static const char *S_filter(galley__srcfiles *fs, galley__verdict *v,
                            const galley__filters *tf, const char *text,
                            size_t len, galley__buf *scratch, size_t *out_len)
{
    galley__buf second;
    galley__buf_init(&second);
    const char *t = S_apply(v, fs->filters, text, len, scratch, out_len);
    const char *u = S_apply(v, tf, t, *out_len, &second, out_len);
    if (u == second.ptr) {
        galley__buf_fini(scratch);
        *scratch = second;
        return scratch->ptr;
    }
    galley__buf_fini(&second);
    return u;
}

/* ---- judging one marker ---- */

/* Returns the 1-based source line of the first line of m's normalized
 * expected text: the body's first line that is not blank. */
static int S_expected_first_line(const galley__srcfile *f,
                                 const galley__marker *m)
{
    int line = m->line;
    const char *t = f->text.ptr;
    for (size_t i = m->start; i < m->body_start; i++)
        line += t[i] == '\n';
    size_t p = m->body_start;
    for (;;) {
        size_t q = p;
        while (q < m->body_end && (t[q] == ' ' || t[q] == '\t' ||
                                   t[q] == '\r'))
            q++;
        if (q >= m->body_end || t[q] != '\n')
            return line;
        p = q + 1;
        line++;
    }
}

/* Returns "FILE:LINE:COL" (heap) of byte col of line k of expected text
 * exp, which begins at source line first: the column is found by looking
 * for the expected line in the source line. */
static char *S_place(const galley__srcfile *f, int first, const char *exp,
                     size_t elen, size_t k, size_t col)
{
    const char *p = exp, *end = exp + elen;
    for (size_t i = 0; i < k && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *s = f->text.ptr, *send = s + f->text.len;
    for (int l = 1; l < first + (int)k && s < send; l++) {
        const char *snl = memchr(s, '\n', (size_t)(send - s));
        s = snl ? snl + 1 : send;
    }
    const char *snl = memchr(s, '\n', (size_t)(send - s));
    size_t sn = snl ? (size_t)(snl - s) : (size_t)(send - s);
    const char *hit = n ? memmem(s, sn, p, n) : NULL;
    size_t base = hit ? (size_t)(hit - s) : 0;
    return galley__xasprintf("%s:%d:%zu", f->display, first + (int)k,
                             base + col + 1);
}

/* Formats the numbers' summary of a failed tolerant comparison, in the
 * manner of numpy's assert_allclose. */
static char *S_summary(const galley__srcfile *f, const galley__marker *m,
                       const galley__buf *exp, const galley__num_report *r,
                       double rtol, double atol)
{
    int first = S_expected_first_line(f, m);
    char *abs_at = S_place(f, first, exp->ptr, exp->len, r->abs_line,
                           r->abs_col);
    char *rel_at = S_place(f, first, exp->ptr, exp->len, r->rel_line,
                           r->rel_col);
    char *s = galley__xasprintf(
        "numbers: %zu compared, %zu out of tolerance (%.3g%%)\n"
        "greatest absolute difference: %.6g at %s\n"
        "greatest relative difference: %.6g at %s\n"
        "tolerance: rtol=%g atol=%g (|actual - expected| <= atol + rtol * "
        "|expected|)\n",
        r->compared, r->out, r->compared ? 100.0 * (double)r->out /
                                               (double)r->compared : 0.0,
        r->max_abs, abs_at, r->max_rel, rel_at, rtol, atol);
    free(abs_at);
    free(rel_at);
    return s;
}

/* Adds the edit of a reconciled marker. When pattern lines were kept, the
 * text is written verbatim: kept pattern lines as they are in the source,
 * every other line escaped where it must be (an actual line that ends in
 * " (re)" is literal text and gets " (esc)"). */
static void S_add_merged_edit(galley__srcfile *f, const galley__marker *m,
                              const galley__buf *merged,
                              const galley__num_report *rep)
{
    const char *t = merged->ptr ? merged->ptr : "";
    if (rep->n_kept == 0) {
        S_add_edit(f, GALLEY__EDIT_MARKER, m->line, NULL, t, merged->len);
        return;
    }
    galley__buf v;
    galley__buf_init(&v);
    const char *p = t, *end = t + merged->len;
    for (size_t k = 0; p <= end; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (k > 0)
            galley__buf_putc(&v, '\n');
        if ((k >= rep->n_kept || !rep->kept[k]) &&
            galley__line_needs_escape(p, n))
            galley__escape_line(&v, p, n);
        else
            galley__buf_add(&v, p, n);
        if (!nl)
            break;
        p = nl + 1;
    }
    S_add_edit(f, GALLEY__EDIT_MARKER, m->line, NULL, v.ptr ? v.ptr : "",
               v.len);
    f->edits[f->n_edits - 1].verbatim = 1;
    galley__buf_fini(&v);
}

/* How one marker is judged: its tolerances and the failure's header. */
typedef struct S_judging {
    double rtol, atol;
    const char *what;     /* "mismatch" or a variant */
    const char *raw;      /* the filtered raw output, for plain promotion */
    size_t raw_len;
    galley__buf literal;   /* per expected line: 1 if it was an (esc) line */
    int keep;             /* 1: no edit (the output varied in a loop) */
} S_judging;

/* Compares expected exp with normalized actual act at marker m of f. Plain
 * text compares as bytes; with a tolerance or pattern lines, through
 * galley__reconcile, whose merged text (what matched spelled as expected)
 * is both the diff's actual side and what promote writes. */
static void S_judge(galley__srcfiles *fs, galley__verdict *v, galley__srcfile *f,
                    const galley__marker *m, galley__buf *exp, galley__buf *act,
                    const S_judging *j)
{
    galley__reconcile_opts o = {j->rtol, j->atol, fs->patterns,
                               j->literal.ptr, j->literal.len};
    if (m->kind == GALLEY__MARKER_EXACT ||
        !galley__reconcile_needed(exp->ptr ? exp->ptr : "", exp->len, &o)) {
        if (!S_same(exp, act)) {
            S_sides(S_fail(v, GALLEY__FAIL_MISMATCH, f->display, m->line,
                           galley__xstrdup(j->what)), exp, act);
            if (!j->keep)
                S_add_edit(f, GALLEY__EDIT_MARKER, m->line, NULL, j->raw,
                           j->raw_len);
        }
        return;
    }
    galley__buf merged;
    galley__num_report rep;
    char *err = NULL;
    size_t err_line = 0;
    galley__buf_init(&merged);
    memset(&rep, 0, sizeof rep);
    int rc = galley__reconcile(&merged, exp->ptr ? exp->ptr : "", exp->len,
                              act->ptr ? act->ptr : "", act->len, &o, &rep,
                              &err, &err_line);
    if (rc < 0) {
        S_fail(v, GALLEY__FAIL_ERROR, f->display,
               S_expected_first_line(f, m) + (int)err_line,
               galley__xasprintf("%s", err));
        free(err);
    } else if (rc == 0) {
        if (!j->keep)
            S_add_merged_edit(f, m, &merged, &rep);
        galley__failure *fl = S_fail(v, GALLEY__FAIL_MISMATCH, f->display,
                                    m->line, galley__xstrdup(j->what));
        if (rep.compared && (j->rtol > 0 || j->atol > 0))
            fl->summary = S_summary(f, m, exp, &rep, j->rtol, j->atol);
        fl->spans = rep.spans;
        fl->n_spans = rep.n_spans;
        rep.spans = NULL;
        S_sides(fl, exp, &merged);
    }
    galley__num_report_fini(&rep);
    galley__buf_fini(&merged);
}

/* Fills j's tolerances for hit h: its own, else galley.conf's. A bad
 * tolerance fails the test at the marker and compares as text. */
static void S_tolerances(galley__srcfiles *fs, galley__verdict *v,
                         const galley__srcfile *f, const galley__marker *m,
                         const galley__hit *h, S_judging *j)
{
    j->rtol = h->tol_set ? h->rtol : fs->rtol;
    j->atol = h->tol_set ? h->atol : fs->atol;
    if (j->rtol >= 0 && j->atol >= 0 && isfinite(j->rtol) &&
        isfinite(j->atol))
        return;
    S_fail(v, GALLEY__FAIL_ERROR, f->display, m->line,
           galley__xasprintf("bad tolerance rtol=%g atol=%g: tolerances "
                             "must be finite numbers >= 0",
                             j->rtol, j->atol));
    j->rtol = j->atol = 0;
}

/* A marker outside any TEST (in a helper) can be reached by several
 * tests, and a marker of a TEST in a header by the programs of every test
 * file that includes it; one text cannot hold two outputs, so when they
 * disagree the marker fails in the later test and is not promoted at all
 * (promoting either output would only make the other test fail next
 * time). who names the test that reached it. */
static void S_shared_marker(galley__srcfile *f, int mi, galley__verdict *v,
                            const char *who, const galley__buf *act)
{
    char hash[41];
    if (!f->shared)
        f->shared = galley__xcalloc(f->scan.n_markers, sizeof *f->shared);
    galley__shared_output *so = &f->shared[mi];
    galley__hash(act->ptr ? act->ptr : "", act->len, hash);
    if (!so->test) {
        so->test = galley__xstrdup(who);
        memcpy(so->hash, hash, sizeof hash);
    } else if (strcmp(so->hash, hash) != 0 && !so->conflict) {
        so->conflict = 1;
        S_fail(v, GALLEY__FAIL_VARYING, f->display, f->scan.markers[mi].line,
               galley__xasprintf("output differs from what test %s printed "
                                 "at this shared marker (not promoted)",
                                 so->test));
    }
}

/* Which test reached a marker: its name as messages give it, and the test
 * file whose program ran it. */
typedef struct S_who {
    const char *name;      /* "t", or "t (built from tests/a_test.c)" for
                              a TEST in a header */
    galley__srcfile *prog;
    int reference;         /* 1: the run whose output promote writes;
                              0: another device's run of a test with
                              .devices, judged alike, never promoted */
} S_who;

/* Judges one marker hit; marks it reached in reached[] of its file. */
/* An EXPECT_UNREACHABLE that hit h reached: a failure that shows the
 * output since the previous marker, and the edit that makes it an EXPECT
 * of that output. */
static void S_reached_unreachable(galley__srcfiles *fs, galley__verdict *v,
                                  galley__srcfile *f, const galley__marker *m,
                                  const galley__hit *h,
                                  const galley__filters *tf, int reference)
{
    galley__buf exp, act, raw;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    galley__buf_init(&raw);
    size_t n;
    const char *out = S_filter(fs, v, tf, h->out, h->out_len, &raw, &n);
    S_actual(&act, out, n, 0);
    S_sides(S_fail(v, GALLEY__FAIL_MISMATCH, f->display, m->line,
                   galley__xstrdup(h->varies
                                       ? "reached EXPECT_UNREACHABLE, with "
                                         "output that varies in a loop (not "
                                         "promoted)"
                                       : "reached EXPECT_UNREACHABLE")),
            &exp, &act);
    if (!h->varies && reference)
        S_add_edit(f, GALLEY__EDIT_MARKER, m->line, NULL, out, n);
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    galley__buf_fini(&raw);
}

static void S_hit(galley__srcfiles *fs, galley__verdict *v, const galley__hit *h,
                  const galley__filters *tf, const S_who *who,
                  galley__srcfile **hit_files, int *hit_marks)
{
    galley__srcfile *f = galley__srcfile_get(fs, h->file);
    int mi = galley__scan_find_marker(&f->scan, h->line);
    f->judged = 1;
    *hit_files = f;
    *hit_marks = mi;
    for (size_t e = 0; mi < 0 && e < f->scan.n_errors; e++)
        if (f->scan.errors[e].line == h->line)
            return; /* the scan error is reported on its own */
    if (mi < 0) {
        S_fail(v, GALLEY__FAIL_ERROR, f->display, h->line,
               galley__xstrdup("the program reached a marker here, but no "
                               "EXPECT marker was found on this line; write "
                               "EXPECT literally in the source, not through "
                               "another macro"));
        return;
    }
    const galley__marker *m = &f->scan.markers[mi];
    if (m->kind == GALLEY__MARKER_UNREACHABLE) {
        S_reached_unreachable(fs, v, f, m, h, tf, who->reference);
        return;
    }
    int exact = m->kind == GALLEY__MARKER_EXACT;
    galley__buf exp, act, raw, raw2;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    galley__buf_init(&raw);
    galley__buf_init(&raw2);
    /* Output that varies in a loop has no one text to promote. */
    S_judging j = {.what = "mismatch", .keep = h->varies || !who->reference};
    galley__buf_init(&j.literal);
    j.raw = S_filter(fs, v, tf, h->out, h->out_len, &raw, &j.raw_len);
    S_tolerances(fs, v, f, m, h, &j);
    if (S_expected(v, f, m, &exp, &j.literal) == 0) {
        S_actual(&act, j.raw, j.raw_len, exact);
        if ((m->test < 0 || f != who->prog) && who->reference)
            S_shared_marker(f, mi, v, who->name, &act);
        S_judge(fs, v, f, m, &exp, &act, &j);
    }
    if (h->varies) {
        galley__buf other;
        galley__buf_init(&other);
        size_t olen;
        const char *o = S_filter(fs, v, tf, h->vary_out, h->vary_len, &raw2,
                                 &olen);
        act.len = 0;
        S_actual(&act, j.raw, j.raw_len, exact);
        S_actual(&other, o, olen, exact);
        S_sides(S_fail(v, GALLEY__FAIL_VARYING, f->display, m->line,
                       galley__xasprintf("varying output in a loop: pass 1 "
                                         "and pass %ld differ (not "
                                         "promoted)", h->vary_pass)),
                &act, &other);
        galley__buf_fini(&other);
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    galley__buf_fini(&raw);
    galley__buf_fini(&raw2);
    galley__buf_fini(&j.literal);
}

/* Returns the index in src's scan of the TEST named name at line (two
 * TESTs of one name may stand in two #if branches: the one the program
 * ran is at its line), or -1. */
static int S_scanned_test(const galley__srcfile *src, const char *name,
                          int line)
{
    for (size_t i = 0; i < src->scan.n_tests; i++)
        if (src->scan.tests[i].line == line &&
            strcmp(src->scan.tests[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Fails the markers of test ti in src that no hit reached, but for an
 * EXPECT_UNREACHABLE. When the test returned (returned 1), promote makes
 * such a marker an EXPECT_UNREACHABLE; after a crash or an exit it is not
 * known to be unreachable, and stays. */
static void S_not_reached(galley__verdict *v, galley__srcfile *src, int ti,
                          galley__srcfile **hit_files, int *hit_marks,
                          size_t n_hits, int returned, int end_marker)
{
    for (size_t k = 0; ti >= 0 && k < src->scan.n_markers; k++) {
        const galley__marker *m = &src->scan.markers[k];
        if (m->test != ti || m->kind == GALLEY__MARKER_UNREACHABLE ||
            (int)k == end_marker)
            continue;
        int reached = 0;
        for (size_t i = 0; i < n_hits && !reached; i++)
            reached = hit_files[i] == src && hit_marks[i] == (int)k;
        if (reached)
            continue;
        S_fail(v, GALLEY__FAIL_NOT_REACHED, src->display, m->line,
               galley__xstrdup("not reached"));
        /* Only a plain EXPECT: EXPECT_EXACT's kind and EXPECT_NEAR's
         * tolerances would be lost on the way back, and a Markdown output
         * block has no unreachable form. */
        if (returned && m->kind == GALLEY__MARKER_EXPECT && !m->first_line)
            S_add_edit(src, GALLEY__EDIT_UNREACHABLE, m->line, NULL, "", 0);
    }
}

/* Adds the edit for trailing output raw[0..len) of test ti of src. When
 * two programs (that of each test file including a header) saw other
 * output there, the output is not promoted at all, as for a shared marker:
 * it fails in the later test. */
static void S_trailing_edit(galley__srcfile *src, int ti, galley__verdict *v,
                            const char *raw, size_t len)
{
    const galley__scanned_test *test = &src->scan.tests[ti];
    galley__edit *e = NULL;
    /* A Markdown section (no braces of its own) has no place for output
     * after its last block: it is reported, never promoted. */
    if (test->body_close == 0)
        return;
    for (size_t i = 0; i < src->n_edits && !e; i++)
        if (src->edits[i].kind == GALLEY__EDIT_TRAILING &&
            src->edits[i].line == test->line &&
            !strcmp(src->edits[i].test, test->name))
            e = &src->edits[i];
    if (!e) {
        if (!galley__words_has(&src->trailing_conflicts, test->name))
            S_add_edit(src, GALLEY__EDIT_TRAILING, test->line, test->name,
                       raw, len);
        return;
    }
    if (e->len == len && !memcmp(e->text, raw, len))
        return;
    S_fail(v, GALLEY__FAIL_VARYING, src->display, test->close_line,
           galley__xstrdup("trailing output differs between the test files "
                           "that include this header (not promoted)"));
    galley__words_add(&src->trailing_conflicts, test->name);
    galley__edit_fini(e);
    *e = src->edits[--src->n_edits];
}

/* Judges output after the last marker. In a test that ended normally it
 * fails as trailing output, and promote adds a marker before the closing
 * brace. In one that stopped early (crash, exit, timeout) it belongs to
 * no marker: it is shown with how the test ended (fl) and never promoted,
 * so a test that dies can never empty or rewrite a marker it did not
 * reach. */
static void S_trailing(galley__srcfiles *fs, galley__verdict *v,
                       galley__srcfile *src, int ti, const galley__result *t,
                       const galley__filters *tf, galley__failure *fl,
                       int reference)
{
    galley__buf exp, act, scratch;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    galley__buf_init(&scratch);
    size_t len;
    const char *raw = S_filter(fs, v, tf, t->trailing ? t->trailing : "",
                               t->trailing_len, &scratch, &len);
    galley__normalize(&act, raw, len);
    if (fl && act.len > 0) {
        fl->actual = galley__buf_detach(&act, &fl->actual_len);
    } else if (!fl && act.len > 0) {
        int line = ti >= 0 ? src->scan.tests[ti].close_line : t->line;
        /* Without the TEST in the source (made by a macro), promote would
         * have no closing brace to put a marker before. */
        S_sides(S_fail(v, GALLEY__FAIL_TRAILING, src->display, line,
                       galley__xstrdup(ti >= 0 ? "trailing output"
                                               : "trailing output (not "
                                                 "promoted: no TEST of this "
                                                 "name is written here)")),
                &exp, &act);
        if (ti >= 0 && reference)
            S_trailing_edit(src, ti, v, raw, len);
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    galley__buf_fini(&scratch);
}

/* ---- the end of a test: EXPECT_END ---- */

/* Returns the index in src's scan of the EXPECT_END of test ti that
 * stands for how test t ended, or -1: the test exited or died of a signal
 * (not a timeout, not the output limit's kill) before its last EXPECT_END,
 * which no hit reached. */
static int S_end_marker(galley__srcfiles *fs, galley__srcfile *src, int ti,
                        const galley__result *t)
{
    if (ti < 0 || t->truncated ||
        (t->end != GALLEY__END_EXIT && t->end != GALLEY__END_SIGNAL))
        return -1;
    int em = -1;
    for (size_t k = 0; k < src->scan.n_markers; k++)
        if (src->scan.markers[k].test == ti &&
            src->scan.markers[k].kind == GALLEY__MARKER_END)
            em = (int)k;
    for (size_t i = 0; em >= 0 && i < t->n_hits; i++)
        if (galley__srcfile_get(fs, t->hits[i].file) == src &&
            galley__scan_find_marker(&src->scan, t->hits[i].line) == em)
            return -1;
    return em;
}

/* Appends to b the line that says how t ended, as EXPECT_END spells it:
 * "[exit 3]", "[signal SIGABRT]"; after a newline when b's text lacks
 * its last one. */
static void S_end_line(galley__buf *b, const galley__result *t)
{
    if (b->len && b->ptr[b->len - 1] != '\n')
        galley__buf_putc(b, '\n');
    if (t->end == GALLEY__END_EXIT) {
        galley__buf_printf(b, "[exit %d]\n", t->end_value);
        return;
    }
    char *sig = galley__signal_name(t->end_value);
    galley__buf_printf(b, "[signal %s]\n", sig);
    free(sig);
}

/* Judges the end of test t at its EXPECT_END em in src, which it did not
 * reach: the output after the last marker it reached, then its end line,
 * are compared with the marker's text as at an EXPECT (the two normalized
 * together), and promoted the same way. Numbers compare with the tolerances in effect at the end;
 * filters apply to the output, never to the end line. */
static void S_end_compare(galley__srcfiles *fs, galley__verdict *v,
                          galley__srcfile *src, int em,
                          const galley__result *t, const galley__filters *tf,
                          const S_who *who)
{
    const galley__marker *m = &src->scan.markers[em];
    galley__buf exp, act, scratch, raw;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    galley__buf_init(&scratch);
    galley__buf_init(&raw);
    S_judging j = {.what = "mismatch", .keep = !who->reference};
    galley__buf_init(&j.literal);
    size_t len;
    const char *out = S_filter(fs, v, tf, t->trailing ? t->trailing : "",
                               t->trailing_len, &scratch, &len);
    galley__buf_add(&raw, out, len);
    S_end_line(&raw, t);
    j.raw = raw.ptr;
    j.raw_len = raw.len;
    j.rtol = t->trailing_tol_set ? t->trailing_rtol : fs->rtol;
    j.atol = t->trailing_tol_set ? t->trailing_atol : fs->atol;
    if (S_expected(v, src, m, &exp, &j.literal) == 0) {
        /* Normalized whole, as promote's text will be read back: output
         * keeps its indent against the end line. */
        galley__normalize(&act, raw.ptr, raw.len);
        if (src != who->prog && who->reference)
            S_shared_marker(src, em, v, who->name, &act);
        S_judge(fs, v, src, m, &exp, &act, &j);
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    galley__buf_fini(&scratch);
    galley__buf_fini(&raw);
    galley__buf_fini(&j.literal);
}

/* Returns the heap text of how test t ended, or NULL when it returned:
 * "crashed (SIGSEGV)", "timed out after N ms"... with where it crashed
 * when the program could tell. */
static char *S_end_what(const galley__result *t)
{
    char *what = NULL, *sig;
    switch (t->end) {
    case GALLEY__END_OK:
        break;
    case GALLEY__END_EXIT:
        what = galley__xasprintf("exited with status %d before the end of "
                                 "the test", t->end_value);
        break;
    case GALLEY__END_SIGNAL:
        /* Output past the cap makes the runtime stop the test with
         * SIGKILL: the cut, reported below, is why it ended, not a crash. */
        if (t->truncated && t->end_value == SIGKILL)
            break;
        sig = galley__signal_name(t->end_value);
        what = galley__xasprintf("crashed (%s)%s%s", sig,
                                 t->crash_site ? " at " : "",
                                 t->crash_site ? t->crash_site : "");
        free(sig);
        break;
    case GALLEY__END_TIMEOUT:
        what = galley__xasprintf("timed out after %d ms", t->end_value);
        break;
    case GALLEY__END_MISSING:
        what = galley__xstrdup("the test program died while running this "
                               "test");
        break;
    case GALLEY__END_SKIP: /* not a failure: counted apart */
        break;
    }
    return what;
}

/* Fails a test that did not end normally, at the marker it reached last
 * (in whatever file: a helper's marker too), else at its TEST line; the
 * failure says so. An end that an EXPECT_END stands for (expected 1) is
 * compared there instead. Returns that failure (or the cut, for a test stopped at
 * the output limit), or NULL when the test returned whole. */
static galley__failure *S_ending(galley__srcfiles *fs, galley__verdict *v,
                                const galley__result *t, int expected)
{
    char *what = expected ? NULL : S_end_what(t);
    galley__failure *fl = NULL;
    if (what && t->last_file) {
        galley__srcfile *lf = galley__srcfile_get(fs, t->last_file);
        char *full = galley__xasprintf("%s, after the marker at line %d",
                                       what, t->last_line);
        fl = S_fail(v, GALLEY__FAIL_ENDED, lf->display, t->last_line, full);
        free(what);
    } else if (what) {
        fl = S_fail(v, GALLEY__FAIL_ENDED, v->file, v->line, what);
    }
    if (fl && t->debug)
        fl->note = galley__xstrdup(t->debug);
    if (!t->truncated)
        return fl;
    galley__failure *cut = S_fail(v, GALLEY__FAIL_TRUNCATED, v->file, v->line,
                                 galley__xasprintf("output cut at %ld bytes "
                                                   "(output_limit); not "
                                                   "promoted", t->truncated));
    return fl ? &v->fails[v->n_fails - 2] : cut;
}

static void S_misuses(galley__srcfiles *fs, galley__verdict *v,
                      const galley__result *t)
{
    for (size_t i = 0; i < t->n_misuses; i++) {
        galley__srcfile *f = galley__srcfile_get(fs, t->misuse_files[i]);
        int dup = 0;
        for (size_t e = 0; e < f->scan.n_errors; e++)
            dup |= f->scan.errors[e].line == t->misuse_lines[i];
        if (dup)
            continue; /* the scanner already said so */
        S_fail(v, GALLEY__FAIL_ERROR, f->display, t->misuse_lines[i],
               galley__xstrdup("EXPECT takes only a /* comment */ holding "
                               "the expected output"));
    }
}

static galley__verdict *S_new_verdict(galley__verdict **v, size_t *nv,
                                     const char *file, int line,
                                     const char *name)
{
    *v = galley__xrealloc(*v, (*nv + 1) * sizeof **v);
    galley__verdict *r = &(*v)[(*nv)++];
    memset(r, 0, sizeof *r);
    r->name = galley__xstrdup(name);
    r->shown = galley__xstrdup(name);
    r->file = galley__xstrdup(file);
    r->line = line;
    return r;
}

/* Drops the edits a test added (to every file: markers in helpers too):
 * output cut at the limit is not the test's output, and promoting it would
 * put a truncated text in the source. */
static void S_drop_edits(galley__srcfiles *fs, const size_t *before,
                         size_t n_before)
{
    for (size_t k = 0; k < fs->n; k++) {
        galley__srcfile *f = fs->v[k];
        size_t keep = k < n_before ? before[k] : 0;
        for (size_t i = keep; i < f->n_edits; i++)
            galley__edit_fini(&f->edits[i]);
        if (f->n_edits > keep)
            f->n_edits = keep;
    }
}

/* Compiles the test's own .filter into tf; a bad one fails the test at
 * its TEST line. */
static void S_test_filter(galley__verdict *v, const galley__result *t,
                          galley__filters *tf)
{
    char *err = NULL;
    if (t->filter && galley__filters_add(tf, t->filter, &err) != 0) {
        S_fail(v, GALLEY__FAIL_ERROR, v->file, v->line,
               galley__xasprintf(".filter: %s", err));
        free(err);
    }
}

/* Notes in v that test t skipped itself, where and why. */
static void S_skipped(galley__srcfiles *fs, galley__verdict *v,
                      const galley__result *t)
{
    v->skipped = 1;
    v->skip_file = galley__xstrdup(
        galley__srcfile_get(fs, t->skip_file)->display);
    v->skip_line = t->skip_line;
    v->skip_reason = galley__xstrndup(t->skip_reason ? t->skip_reason : "",
                                      t->skip_len);
}

/* Fails a test (a device run or any other) that returned with device
 * memory held. */
static void S_leak(galley__verdict *v, const galley__result *t)
{
    if (t->leak <= 0)
        return;
    S_fail(v, GALLEY__FAIL_LEAK, v->file, v->line,
           galley__xasprintf("device memory still held at the end: %lld "
                             "bytes, first allocated by %s", t->leak,
                             t->leak_op_len ? t->leak_op : "(unknown)"));
}

/* Says under each mismatch of a run that is not the reference one that
 * promote does not write it: it writes the reference run's output, and
 * nothing where that one matched. */
static void S_other_device(galley__verdict *v)
{
    for (size_t i = 0; i < v->n_fails; i++) {
        galley__failure *f = &v->fails[i];
        if (f->kind != GALLEY__FAIL_MISMATCH &&
            f->kind != GALLEY__FAIL_TRAILING)
            continue;
        free(f->note);
        f->note = galley__xasprintf("(not promoted: promote writes the %s "
                                    "run's output)", v->reference);
    }
}

/* Judges one test of the results, whose TEST is in src, run by the
 * program of test file prog. A test that skipped itself is judged at the
 * markers it reached; the output after them and the markers it never
 * reached are not its to answer for. */
static void S_test(galley__srcfiles *fs, galley__srcfile *src,
                   galley__srcfile *prog, const galley__result *t,
                   int reference, galley__verdict *v)
{
    int ti = S_scanned_test(src, t->name, t->line);
    int em = S_end_marker(fs, src, ti, t);
    int skipped = t->end == GALLEY__END_SKIP;
    size_t n = t->n_hits;
    galley__srcfile **hit_files = galley__xcalloc(n ? n : 1, sizeof *hit_files);
    int *hit_marks = galley__xcalloc(n ? n : 1, sizeof *hit_marks);
    galley__filters tf = {0};
    size_t n_files = fs->n;
    size_t *edits_before = galley__xcalloc(n_files + 1, sizeof *edits_before);
    for (size_t k = 0; k < n_files; k++)
        edits_before[k] = fs->v[k]->n_edits;
    galley__failure *ended = S_ending(fs, v, t, em >= 0);
    size_t ended_at = ended ? (size_t)(ended - v->fails) : 0;
    S_misuses(fs, v, t);
    S_test_filter(v, t, &tf);
    char *qualified = src == prog ? NULL
                      : galley__xasprintf("%s (built from %s)", t->name,
                                          prog->display);
    S_who who = {qualified ? qualified : t->name, prog, reference};
    for (size_t i = 0; i < n; i++)
        S_hit(fs, v, &t->hits[i], &tf, &who, &hit_files[i], &hit_marks[i]);
    /* The failures array may have moved. */
    if (em >= 0)
        S_end_compare(fs, v, src, em, t, &tf, &who);
    else if (!skipped)
        S_trailing(fs, v, src, ti, t, &tf,
                   ended ? &v->fails[ended_at] : NULL, reference);
    free(qualified);
    if (!skipped)
        S_not_reached(v, src, ti, hit_files, hit_marks, n, ended == NULL,
                      em);
    else
        S_skipped(fs, v, t);
    S_leak(v, t);
    if (!reference)
        S_other_device(v);
    if (t->truncated || !reference)
        S_drop_edits(fs, edits_before, n_files);
    free(edits_before);
    galley__filters_fini(&tf);
    free(hit_files);
    free(hit_marks);
    v->err = galley__xstrndup(t->err ? t->err : "", t->err_len);
    v->err_len = t->err_len;
    v->ms = t->ms;
}

/* Whether results a and b are runs of one test. */
static int S_same_test(const galley__result *a, const galley__result *b)
{
    return a->line == b->line && !strcmp(a->name, b->name) &&
           !strcmp(a->file ? a->file : "", b->file ? b->file : "");
}

/* Names in verdict r the device of the i-th result, a run of a test with
 * .devices: "mlp [cuda]" as reports show it, and the run before it of
 * the same test, whose output promote writes (the first run is the
 * reference: the CPU's, when the test names it). */
static void S_device_run(galley__verdict *r, const galley__results *rs,
                         size_t i)
{
    const galley__result *t = &rs->tests[i];
    if (!t->device)
        return;
    r->device = t->device;
    free(r->shown);
    r->shown = galley__xasprintf("%s [%s]", t->name,
                                 galley__device_word(t->device));
    size_t k = i;
    while (k > 0 && rs->tests[k - 1].device && rs->tests[k - 1].device <
                                                  rs->tests[k].device &&
           S_same_test(&rs->tests[k - 1], t))
        k--;
    if (k < i)
        r->reference = galley__device_word(rs->tests[k].device);
}

void galley__compare(galley__srcfiles *fs, galley__srcfile *src,
                    const galley__results *results, galley__verdict **v,
                    size_t *nv)
{
    for (size_t i = 0; i < results->n_tests; i++) {
        const galley__result *t = &results->tests[i];
        /* A TEST in a header belongs there, with its markers. */
        galley__srcfile *tf = t->file ? galley__srcfile_get(fs, t->file) : src;
        if (!tf->readable)
            tf = src;
        galley__verdict *r = S_new_verdict(v, nv, tf->display, t->line,
                                          t->name);
        S_device_run(r, results, i);
        tf->judged = 1;
        S_test(fs, tf, src, t, r->reference == NULL, r);
    }
}

void galley__verdict_fail(galley__verdict **v, size_t *nv, const char *file,
                         int line, const char *name, const char *what)
{
    galley__verdict *r = S_new_verdict(v, nv, file, line, name);
    S_fail(r, GALLEY__FAIL_ENDED, file, line, galley__xstrdup(what));
}

void galley__verdict_fini(galley__verdict *v)
{
    for (size_t i = 0; i < v->n_fails; i++) {
        free(v->fails[i].spans);
        free(v->fails[i].summary);
        free(v->fails[i].note);
        free(v->fails[i].file);
        free(v->fails[i].what);
        free(v->fails[i].expected);
        free(v->fails[i].actual);
    }
    free(v->fails);
    free(v->name);
    free(v->shown);
    free(v->file);
    free(v->err);
    free(v->skip_file);
    free(v->skip_reason);
}

int galley__place_cmp(const char *file_a, int line_a, const char *name_a,
                     const char *file_b, int line_b, const char *name_b)
{
    int c = strcmp(file_a, file_b);
    if (c)
        return c;
    if (line_a != line_b)
        return line_a < line_b ? -1 : 1;
    return strcmp(name_a, name_b);
}
