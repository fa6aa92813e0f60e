/* markdown_fuzz.c: libFuzzer target for the Markdown source kind
 * (source/markdown.h). An input is a document, then (after a 0xff byte)
 * the outputs to write into its markers (fuzz.h). Properties:
 * - the scan never crashes and holds fuzz.h's invariants;
 * - the generated C program is written, its #line lines naming lines of
 *   the document;
 * - rewriting every output block with its own expected text, as the
 *   runner reads it, gives text that reads back the same, changes no byte
 *   outside output blocks, and is a fixed point: rewriting that text with
 *   the same outputs gives the same bytes;
 * - rewriting with other outputs either fails with a message or gives a
 *   document whose rescan reads back those outputs (normalized, raw for an
 *   exact block) at the same markers, with the bytes before the first and
 *   after the last edited block unchanged.
 *
 *   ninja fuzz && build/fuzz/markdown_fuzz tests/fuzz/corpus/md */
#define _GNU_SOURCE /* memmem */
#include "fuzz.h"

#include "../../source/markdown.h"

/* Returns 1 for a marker of an output block (not a C block's EXPECT, not
 * the place of an output block still to insert). */
static int S_is_block(const galley__marker *m)
{
    return m->text != NULL;
}

/* Returns 1 for the marker of a C block with no output block. */
static int S_is_implicit(const galley__marker *m)
{
    return !m->text && m->start == m->lparen && !m->has_comment;
}

/* Appends t[0..n) less the lines of its output blocks (scanned into s). */
static void S_strip_blocks(galley__buf *out, const char *t, size_t n,
                           const galley__scan *s)
{
    int line = 1;
    size_t k = 0;
    galley__buf_grow(out, 0);
    for (size_t i = 0; i < n; i++) {
        while (k < s->n_markers && (!S_is_block(&s->markers[k]) ||
                                    s->markers[k].end_line < line))
            k++;
        int in = k < s->n_markers && s->markers[k].line <= line;
        if (!in)
            galley__buf_putc(out, t[i]);
        line += t[i] == '\n';
    }
}

/* The edit of each output block with its own expected text (plain: the
 * runner's edit is the actual output). Returns the number made. */
static size_t S_same_edits(galley__edit *ed, const galley__scan *s,
                           const char *t)
{
    size_t k = 0;
    galley__buf exp, act;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    for (size_t i = 0; i < s->n_markers; i++) {
        const galley__marker *m = &s->markers[i];
        if (!S_is_block(m) || F_expected(&exp, m, t) != 0)
            continue;
        /* An expected text that no output normalizes to (an escaped
         * trailing blank) has no same output. */
        F_actual(&act, m, exp.ptr, exp.len);
        if (!F_same(&exp, &act))
            continue;
        ed[k] = (galley__edit){.kind = GALLEY__EDIT_MARKER, .line = m->line};
        ed[k].text = galley__xstrndup(exp.ptr, exp.len);
        ed[k++].len = exp.len;
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    return k;
}

static void S_free_edits(galley__edit *ed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        galley__edit_fini(&ed[i]);
}

/* Checks that scan b (of text tb) reads back, at each marker of a that
 * an edit of ed names, what that edit wrote. */
static void S_check_read_back(const galley__scan *a, const galley__scan *b,
                              const char *tb, const galley__edit *ed,
                              size_t n_ed, const char *round)
{
    if (a->n_markers != b->n_markers)
        fprintf(stderr, "the rewritten text:\n%s\n", tb);
    F_CHECK(a->n_markers == b->n_markers,
            "%s: %zu markers, %zu after the rewrite", round, a->n_markers,
            b->n_markers);
    galley__buf exp, act;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    for (size_t i = 0, j = 0; i < a->n_markers; i++) {
        const galley__marker *m = &a->markers[i], *mb = &b->markers[i];
        while (j < n_ed && ed[j].line < m->line)
            j++;
        if (j == n_ed || ed[j].line != m->line)
            continue;
        F_CHECK(F_expected(&exp, mb, tb) == 0,
                "%s: the marker of line %d reads back with a bad escape or a pattern line",
                round, m->line);
        F_actual(&act, mb, ed[j].text, ed[j].len);
        F_CHECK(F_same(&exp, &act),
                "%s: the marker of line %d (now %d) reads back \"%.*s\", "
                "not what was written: \"%.*s\"", round, m->line, mb->line,
                (int)exp.len, exp.ptr, (int)act.len, act.ptr);
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
}

/* Rewriting with the same outputs: the same bytes. */
static void S_same_round(const char *t, size_t n, const galley__scan *s)
{
    galley__edit *ed = galley__xcalloc(s->n_markers + 1, sizeof *ed);
    size_t n_ed = S_same_edits(ed, s, t);
    galley__buf out;
    galley__buf_init(&out);
    galley__buf_grow(&out, 0);
    char *err = NULL;
    int rc = galley__md_rewrite(&out, t, n, s, ed, n_ed, &err);
    F_CHECK(rc == 0, "same outputs: the rewrite fails: %s", err);
    F_CHECK(out.len == n && !memcmp(out.ptr, t, n),
            "same outputs: the bytes change:\n%.*s", (int)out.len, out.ptr);
    galley__buf_fini(&out);
    S_free_edits(ed, n_ed);
    free(ed);
}

/* Returns where the bytes that an edit of marker m may change begin (in
 * *lo) and end (in *hi), in text t[0..n). */
static void S_edit_span(const galley__marker *m, const char *t, size_t n,
                        size_t *lo, size_t *hi)
{
    if (S_is_implicit(m)) {
        *lo = *hi = m->body_start;
        return;
    }
    /* The fence may grow, a C block is written again whole: its lines. */
    size_t a = m->start, b = m->body_end;
    while (a > 0 && t[a - 1] != '\n')
        a--;
    int line = m->line;
    for (size_t i = m->start; i < b; i++)
        line += t[i] == '\n';
    while (b < n && line <= m->end_line) {
        line += t[b] == '\n';
        b++;
    }
    (void)n;
    *lo = a;
    *hi = b;
}

/* Rewriting with the outputs the input asks for. */
static void S_other_round(const uint8_t *data, size_t size, const char *t,
                          size_t doc_n, const galley__scan *s)
{
    F_outputs fo;
    F_outputs_init(&fo, data, size, doc_n);
    galley__edit *ed = galley__xcalloc(s->n_markers + 1, sizeof *ed);
    size_t n_ed = 0, lo = doc_n, hi = 0;
    int c_edit = 0, inserted = 0;
    for (size_t i = 0; i < s->n_markers; i++) {
        size_t len;
        const char *o = F_next_output(&fo, &len);
        const galley__marker *m = &s->markers[i];
        if (!o)
            continue;
        ed[n_ed] = (galley__edit){.kind = GALLEY__EDIT_MARKER, .line = m->line};
        ed[n_ed].text = galley__xstrndup(o, len);
        ed[n_ed++].len = len;
        size_t a, b;
        S_edit_span(m, t, doc_n, &a, &b);
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
        c_edit |= !S_is_block(m) && !S_is_implicit(m);
        inserted |= S_is_implicit(m) && len > 0;
    }
    galley__buf_fini(&fo.scratch);
    galley__buf out;
    galley__buf_init(&out);
    galley__buf_grow(&out, 0);
    char *err = NULL;
    if (galley__md_rewrite(&out, t, doc_n, s, ed, n_ed, &err) != 0) {
        F_CHECK(err && *err, "other outputs: a rewrite fails with no message");
        /* The read-back check is a safety net: a rewrite that it stops is
         * a bug of the rewrite, not a document galley may refuse. */
        F_CHECK(!strstr(err, "would not read back") &&
                    !strstr(err, "would read back"),
                "other outputs: the rewrite wrote what does not read back: %s",
                err);
    } else {
        F_CHECK(!err, "other outputs: a message and no failure");
        galley__scan s1;
        galley__md_scan(&s1, out.ptr, out.len);
        F_check_scan(&s1, out.ptr, out.len, 0);
        S_check_read_back(s, &s1, out.ptr, ed, n_ed, "other outputs");
        if (!c_edit && !inserted) {
            /* Only output blocks changed: the rest is the same text. */
            galley__buf a, b;
            galley__buf_init(&a);
            galley__buf_init(&b);
            S_strip_blocks(&a, t, doc_n, s);
            S_strip_blocks(&b, out.ptr, out.len, &s1);
            F_CHECK(F_same(&a, &b), "other outputs: bytes outside the output "
                                    "blocks changed");
            galley__buf_fini(&a);
            galley__buf_fini(&b);
        }
        if (n_ed && !c_edit) {
            F_CHECK(out.len >= lo && !memcmp(out.ptr, t, lo),
                    "other outputs: a byte before the first edited block "
                    "(at %zu) changed", lo);
            size_t tail = doc_n - hi;
            F_CHECK(out.len >= tail &&
                        !memcmp(out.ptr + out.len - tail, t + hi, tail),
                    "other outputs: a byte after the last edited block "
                    "(at %zu) changed", hi);
        }
        galley__scan_fini(&s1);
    }
    free(err);
    galley__buf_fini(&out);
    S_free_edits(ed, n_ed);
    free(ed);
}

/* The generated program: its #line lines name lines of the document. */
static void S_check_program(const galley__scan *s, const char *t, size_t n)
{
    galley__buf p;
    galley__buf_init(&p);
    galley__md_program(&p, s, "doc.md");
    F_CHECK(p.ptr && p.len, "no program");
    int lines = F_lines(t, n);
    /* The document's own code may say #line: only galley's are checked. */
    int own = memmem(t, n, "line", 4) != NULL;
    for (const char *q = p.ptr, *end = p.ptr + p.len; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        nl = nl ? nl : end;
        if (!own && nl - q > 6 && !memcmp(q, "#line ", 6)) {
            long k = strtol(q + 6, NULL, 10);
            F_CHECK(k >= 1 && k <= lines, "program: \"%.*s\" in a document "
                    "of %d lines", (int)(nl - q), q, lines);
        }
        q = nl + 1;
    }
    galley__buf_fini(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t doc_n;
    char *t = F_source(data, size, &doc_n);
    galley__scan s;
    galley__md_scan(&s, t, doc_n);
    F_check_scan(&s, t, doc_n, 0);
    S_check_program(&s, t, doc_n);
    int fatal = F_fatal(&s);
    /* The runner rewrites no document with a fatal error. */
    if (!fatal) {
        S_same_round(t, doc_n, &s);
        S_other_round(data, size, t, doc_n, &s);
    }
    galley__scan_fini(&s);
    free(t);
    return 0;
}
