/* scan_fuzz.c: libFuzzer target for the C source kind (source/scan.h,
 * source/rewrite.h). An input is a C source, then (after a 0xff byte) the
 * outputs to write into its markers (fuzz.h). Properties:
 * - the scan never crashes and holds fuzz.h's invariants;
 * - rewriting every marker with its own expected text, as the runner
 *   reads it, succeeds and reads back the same expected texts;
 * - rewriting with other outputs succeeds and reads back those outputs
 *   (normalized, raw for EXPECT_EXACT) at the same markers.
 *
 *   ninja fuzz && build/fuzz/scan_fuzz /tmp/c tests/promote/cases */
#include "fuzz.h"

/* Rewrites t[0..n) (scanned into s) with edits ed and checks that the
 * result reads them back. round names the property in messages. */
static void S_round(const char *t, size_t n, const galley__scan *s,
                    const galley__edit *ed, size_t n_ed, const char *round)
{
    galley__buf out;
    galley__buf_init(&out);
    galley__buf_grow(&out, 0);
    char *err = NULL;
    int rc = galley__rewrite(&out, t, n, s, ed, n_ed, &err);
    F_CHECK(rc == 0, "%s: the rewrite fails: %s", round, err);
    galley__scan s1;
    galley__scan_text(&s1, out.ptr, out.len);
    F_check_scan(&s1, out.ptr, out.len, 1);
    F_CHECK(s1.n_markers == s->n_markers, "%s: %zu markers, %zu after the "
            "rewrite", round, s->n_markers, s1.n_markers);
    galley__buf exp, act;
    galley__buf_init(&exp);
    galley__buf_init(&act);
    for (size_t i = 0, j = 0; i < s->n_markers; i++) {
        const galley__marker *m = &s->markers[i], *m1 = &s1.markers[i];
        while (j < n_ed && ed[j].line < m->line)
            j++;
        if (j == n_ed || ed[j].line != m->line)
            continue;
        /* An output written into an EXPECT_UNREACHABLE makes it an EXPECT
         * of it (a reached one); other markers keep their kind. */
        galley__marker_kind want = m->kind == GALLEY__MARKER_UNREACHABLE
                                       ? GALLEY__MARKER_EXPECT : m->kind;
        F_CHECK(m1->kind == want, "%s: the marker of line %d changes kind",
                round, m->line);
        F_CHECK(F_expected(&exp, m1, out.ptr) == 0,
                "%s: the marker of line %d reads back with a bad escape or a pattern line",
                round, m->line);
        F_actual(&act, m1, ed[j].text, ed[j].len);
        F_CHECK(F_same(&exp, &act),
                "%s: the marker of line %d (now %d) reads back \"%.*s\", "
                "not what was written: \"%.*s\"", round, m->line, m1->line,
                (int)exp.len, exp.ptr, (int)act.len, act.ptr);
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&act);
    galley__scan_fini(&s1);
    galley__buf_fini(&out);
}

static void S_free_edits(galley__edit *ed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        galley__edit_fini(&ed[i]);
}

/* Returns 1 if marker i's line is another marker's too: an edit names a
 * marker by its line, so only the first of them can be edited. */
static int S_shares_line(const galley__scan *s, size_t i)
{
    return i > 0 && s->markers[i - 1].line == s->markers[i].line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *t = F_source(data, size, &n);
    galley__scan s;
    galley__scan_text(&s, t, n);
    F_check_scan(&s, t, n, 1);
    int fatal = F_fatal(&s);
    if (!fatal) {
        galley__edit *ed = galley__xcalloc(s.n_markers + 1, sizeof *ed);
        galley__buf exp;
        galley__buf_init(&exp);
        size_t n_ed = 0;
        for (size_t i = 0; i < s.n_markers; i++) {
            /* An EXPECT_UNREACHABLE has no output of its own to keep. */
            if (S_shares_line(&s, i) ||
                s.markers[i].kind == GALLEY__MARKER_UNREACHABLE ||
                F_expected(&exp, &s.markers[i], t))
                continue;
            ed[n_ed] = (galley__edit){.kind = GALLEY__EDIT_MARKER,
                                      .line = s.markers[i].line};
            ed[n_ed].text = galley__xstrndup(exp.ptr, exp.len);
            ed[n_ed++].len = exp.len;
        }
        galley__buf_fini(&exp);
        S_round(t, n, &s, ed, n_ed, "same outputs");
        S_free_edits(ed, n_ed);
        F_outputs fo;
        F_outputs_init(&fo, data, size, n);
        n_ed = 0;
        for (size_t i = 0; i < s.n_markers; i++) {
            size_t len;
            const char *o = F_next_output(&fo, &len);
            if (!o || S_shares_line(&s, i))
                continue;
            ed[n_ed] = (galley__edit){.kind = GALLEY__EDIT_MARKER,
                                      .line = s.markers[i].line};
            ed[n_ed].text = galley__xstrndup(o, len);
            ed[n_ed++].len = len;
        }
        galley__buf_fini(&fo.scratch);
        S_round(t, n, &s, ed, n_ed, "other outputs");
        S_free_edits(ed, n_ed);
        free(ed);
    }
    galley__scan_fini(&s);
    free(t);
    return 0;
}
