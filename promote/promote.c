/* promote.c: `galley promote`: reads the run state under _galley/state/,
 * checks that each source is still the text the run saw, and rewrites its
 * markers; what is left pending keeps its state and .corrected copy. */
#define _GNU_SOURCE
#include "promote.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../source/source.h"
#include "state.h"

/* One file to promote: its state file and the lines asked for. */
typedef struct job {
    char *state_path;
    int all;            /* every edit, else only those at lines */
    int *lines;
    size_t n_lines;
} job;

typedef struct jobs {
    job *v;
    size_t n;
} jobs;

/* What one file's promotion works on. */
typedef struct file {
    const char *root;
    const char *state_path;
    FILE *out;          /* where the lines for people go */
    galley__state st;
    char *display;
    const galley__source_kind *kind;
    galley__buf src;
    galley__scan scan;
    char *sel;          /* sel[i]: edit i is promoted now */
    size_t n_sel;
    galley__promote_mode mode;
} file;

/* ---- targets ---- */

/* Returns the heap real path of path if it names a regular file, else NULL
 * (errno set). */
static char *S_real_file(const char *path)
{
    struct stat sb;
    char *real = realpath(path, NULL);
    if (real && (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        free(real);
        errno = EISDIR;
        return NULL;
    }
    return real;
}

/* Returns 1 if s is one or more decimal digits. */
static int S_all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Splits word into a real path and a line (0 when there is none). A name
 * may hold ':' itself, so FILE:LINE wins only when LINE is digits and FILE
 * exists. Returns the heap path, or NULL after printing why. */
static char *S_parse_target(const char *word, long *line)
{
    const char *colon = strrchr(word, ':');
    *line = 0;
    if (colon && S_all_digits(colon + 1)) {
        char *prefix = galley__xstrndup(word, (size_t)(colon - word));
        char *real = S_real_file(prefix);
        free(prefix);
        if (real) {
            errno = 0;
            *line = strtol(colon + 1, NULL, 10);
            if (*line >= 1 && *line <= INT_MAX && errno == 0)
                return real;
            galley__error_at(word, 0, "no such line");
            free(real);
            return NULL;
        }
    }
    char *real = S_real_file(word);
    if (!real)
        galley__error_at(word, 0, "%s",
                         errno == EISDIR   ? "not a file"
                         : errno == ENOENT ? "no such file"
                                           : strerror(errno));
    return real;
}

/* Adds a target (line 0: the whole file) for state path sp (which js then
 * owns) to js, merging it with a job for the same file. */
static void S_add_job(jobs *js, char *sp, long line)
{
    job *j = NULL;
    for (size_t i = 0; i < js->n && !j; i++)
        if (strcmp(js->v[i].state_path, sp) == 0)
            j = &js->v[i];
    if (j) {
        free(sp);
    } else {
        js->v = galley__xrealloc(js->v, (js->n + 1) * sizeof *js->v);
        j = &js->v[js->n++];
        memset(j, 0, sizeof *j);
        j->state_path = sp;
    }
    if (line == 0) {
        j->all = 1;
        return;
    }
    j->lines = galley__xrealloc(j->lines, (j->n_lines + 1) * sizeof *j->lines);
    j->lines[j->n_lines++] = (int)line;
}

/* Turns the command-line targets into jobs. Returns 0, or 2 after printing
 * the problem when a target is not a file with pending output. */
static int S_jobs_from_targets(const char *root, char *const *targets,
                               size_t n, jobs *js)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        long line;
        char *real = S_parse_target(targets[i], &line);
        if (!real) {
            rc = 2;
            continue;
        }
        char *sp = galley__state_path(root, real, "state", ".state");
        size_t rl = strlen(root);
        int outside = strncmp(real, root, rl) != 0 || real[rl] != '/';
        free(real);
        if (access(sp, F_OK) != 0) {
            if (outside)
                galley__error_at(targets[i], 0, "nothing to promote in this "
                                 "file: it is outside the project at %s; run "
                                 "galley promote in its own project", root);
            else
                galley__error_at(targets[i], 0, "nothing to promote in this "
                                 "file (the last galley run left no output "
                                 "for it)");
            free(sp);
            rc = 2;
            continue;
        }
        S_add_job(js, sp, line);
    }
    return rc;
}

/* ---- every pending file ---- */

/* Fills js with every pending file under root, in path order. */
static void S_jobs_all(const char *root, jobs *js)
{
    size_t n;
    char **paths = galley__state_list(root, &n);
    for (size_t i = 0; i < n; i++)
        S_add_job(js, paths[i], 0);
    free(paths);
}

static void S_jobs_fini(jobs *js)
{
    for (size_t i = 0; i < js->n; i++) {
        free(js->v[i].state_path);
        free(js->v[i].lines);
    }
    free(js->v);
}

/* ---- one file ---- */

/* Returns the heap path to show for source: relative to the cwd, as the
 * run's reports show it. */
static char *S_display(const char *source)
{
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd))
        return galley__relative_path(source, cwd);
    return galley__xstrdup(source);
}

/* Returns the heap path to show for the source whose state is at sp
 * (ROOT/_galley/state/REL.state), without reading the state. */
static char *S_source_of_state(const char *root, const char *sp)
{
    char *prefix = galley__xasprintf("%s/_galley/state/", root);
    size_t n = strlen(prefix), len = strlen(sp);
    char *shown;
    if (!strncmp(sp, prefix, n) && len > n + 6 &&
        !strcmp(sp + len - 6, ".state")) {
        const char *rel = sp + n;
        char *abs = !strncmp(rel, "abs/", 4)
                        ? galley__xstrndup(rel + 3, len - n - 6 - 3)
                        : galley__xasprintf("%s/%.*s", root,
                                            (int)(len - n - 6), rel);
        shown = S_display(abs);
        free(abs);
    } else {
        shown = galley__xstrdup(sp);
    }
    free(prefix);
    return shown;
}

/* Returns the index of the marker whose lines hold line (for a Markdown
 * output block, those of its C block too), or -1. */
static int S_marker_at(const galley__scan *s, int line)
{
    for (size_t i = 0; i < s->n_markers; i++) {
        const galley__marker *m = &s->markers[i];
        int first = m->first_line ? m->first_line : m->line;
        if (first <= line && line <= m->end_line)
            return (int)i;
    }
    return -1;
}

/* Returns the index of the test whose lines hold line, or -1. */
static int S_test_at(const galley__scan *s, int line)
{
    for (size_t i = 0; i < s->n_tests; i++)
        if (s->tests[i].line <= line && line <= s->tests[i].close_line)
            return (int)i;
    return -1;
}

/* Selects the edit at line: that of the marker there, else the trailing
 * output of the test there. Returns 0, or -1 if there is none. */
static int S_select_line(file *f, int line)
{
    const galley__scan *s = &f->scan;
    int m = S_marker_at(s, line);
    int t = m < 0 ? S_test_at(s, line) : -1;
    for (size_t i = 0; i < f->st.n_edits; i++) {
        const galley__edit *e = &f->st.edits[i];
        if ((m >= 0 && e->kind != GALLEY__EDIT_TRAILING &&
             galley__scan_find_marker(s, e->line) == m) ||
            (t >= 0 && e->kind == GALLEY__EDIT_TRAILING &&
             e->line == s->tests[t].line)) {
            f->sel[i] = 1;
            return 0;
        }
    }
    return -1;
}

static int S_edit_line_cmp(const void *a, const void *b)
{
    int x = (*(const galley__edit *const *)a)->line;
    int y = (*(const galley__edit *const *)b)->line;
    return (x > y) - (x < y);
}

/* Returns the heap list of the lines of f with pending output, each as
 * FILE:LINE would select it: "line 6, line 12 (trailing output of t)". */
static char *S_pending_lines(const file *f)
{
    galley__buf b;
    galley__buf_init(&b);
    size_t n = f->st.n_edits;
    const galley__edit **by_line = galley__xcalloc(n + 1, sizeof *by_line);
    for (size_t i = 0; i < n; i++)
        by_line[i] = &f->st.edits[i];
    if (n > 1)
        qsort(by_line, n, sizeof *by_line, S_edit_line_cmp);
    for (size_t i = 0; i < n; i++) {
        const galley__edit *e = by_line[i];
        galley__buf_printf(&b, "%sline %d", i ? ", " : "", e->line);
        if (e->kind == GALLEY__EDIT_TRAILING)
            galley__buf_printf(&b, " (trailing output of %s)",
                              e->test ? e->test : "its TEST");
        else if (e->kind == GALLEY__EDIT_UNREACHABLE)
            galley__buf_puts(&b, " (not reached: EXPECT_UNREACHABLE)");
    }
    free(by_line);
    return galley__buf_detach(&b, NULL);
}

/* Returns 1 if edit i of f fills a marker still empty or adds one (what
 * --promote=new writes): trailing output, EXPECT() with no comment or a
 * blank one, an empty output block or none yet. */
static int S_fills_new(const file *f, size_t i)
{
    const galley__edit *e = &f->st.edits[i];
    if (e->kind == GALLEY__EDIT_TRAILING)
        return 1;
    int mi = galley__scan_find_marker(&f->scan, e->line);
    if (mi < 0 || e->kind != GALLEY__EDIT_MARKER ||
        f->scan.markers[mi].kind == GALLEY__MARKER_UNREACHABLE)
        return 0;
    size_t n;
    const char *body = galley__marker_body(&f->scan.markers[mi],
                                           f->src.ptr ? f->src.ptr : "", &n);
    if (!f->scan.markers[mi].has_comment)
        return 1;
    return strspn(body, " \t\r\n") >= n;
}

/* Marks the edits job j asks for. Returns 0, or -1 after printing why. */
static int S_select(file *f, const job *j)
{
    int rc = 0;
    for (size_t i = 0; i < f->st.n_edits; i++)
        f->sel[i] = (char)j->all;
    for (size_t k = 0; k < j->n_lines; k++) {
        if (S_select_line(f, j->lines[k]) != 0) {
            char *pending = S_pending_lines(f);
            galley__error_at(f->display, j->lines[k],
                             "nothing to promote at this line; pending in "
                             "this file: %s", pending);
            free(pending);
            rc = -1;
        }
    }
    f->n_sel = 0;
    for (size_t i = 0; i < f->st.n_edits; i++) {
        if (f->mode == GALLEY__PROMOTE_NEW && !S_fills_new(f, i))
            f->sel[i] = 0;
        f->n_sel += (size_t)f->sel[i];
    }
    return rc;
}

/* Reads the state and the source and checks they still agree. Returns 0;
 * 1 when the source is gone (the state is stale, nothing to do); or -1
 * after printing why. */
static int S_load(file *f)
{
    char *err = NULL;
    char hash[41];
    if (galley__state_read(f->state_path, f->root, &f->st, &err) != 0) {
        char *src = S_source_of_state(f->root, f->state_path);
        galley__error_at(src, 0, "%s; run galley run again", err);
        free(src);
        free(err);
        return -1;
    }
    f->display = S_display(f->st.source);
    int rc = galley__read_file(f->st.source, &f->src);
    if (rc == -ENOENT) {
        fprintf(f->out, "%s: no longer exists; dropped its pending "
                "promotion\n", f->display);
        return 1;
    }
    if (rc != 0) {
        galley__error_at(f->display, 0, "cannot read: %s; run galley run "
                         "again", strerror(-rc));
        return -1;
    }
    galley__hash(f->src.ptr ? f->src.ptr : "", f->src.len, hash);
    if (strcmp(hash, f->st.hash) != 0) {
        galley__error_at(f->display, 0, "changed since the last galley run; "
                         "run it again before promoting");
        return -1;
    }
    f->kind = galley__source_kind_of(f->st.source);
    f->kind->scan(&f->scan, f->src.ptr ? f->src.ptr : "", f->src.len);
    for (size_t i = 0; i < f->scan.n_errors; i++)
        galley__error_col(f->display, f->scan.errors[i].line,
                          f->scan.errors[i].col, "%s", f->scan.errors[i].msg);
    return f->scan.n_errors ? -1 : 0;
}

/* Appends to out text[0..len) (scanned into s) with edits applied. Returns
 * 0, or -1 after printing why. */
static int S_apply(const file *f, galley__buf *out, const char *text,
                   size_t len, const galley__scan *s, const galley__edit *edits,
                   size_t n)
{
    char *err = NULL;
    if (f->kind->rewrite(out, text, len, s, edits, n, &err) == 0)
        return 0;
    galley__error_at(f->display, 0, "%s; run galley run again", err);
    free(err);
    return -1;
}

static long S_count_lines(const char *p, size_t n)
{
    long c = 0;
    for (size_t i = 0; i < n; i++)
        c += p[i] == '\n';
    return c;
}

/* Returns the offset an edit is found at in the scanned source: where its
 * marker begins, or for trailing output the '{' (as a remaining edit) or
 * the '}' (as an edit applied) of its test. */
static size_t S_edit_offset(const galley__scan *s, const galley__edit *e,
                            int applied)
{
    if (e->kind != GALLEY__EDIT_TRAILING) {
        int m = galley__scan_find_marker(s, e->line);
        return m >= 0 ? s->markers[m].start : 0;
    }
    for (size_t i = 0; i < s->n_tests; i++)
        if (s->tests[i].line == e->line)
            return applied ? s->tests[i].body_close : s->tests[i].body_open;
    return 0;
}

/* Returns the edits not selected, each moved by the lines that the selected
 * edits above it add (or remove); *n gets their count. The texts are
 * borrowed from f->st. A selected edit's line change is measured by
 * rewriting with it alone: files are small, and it keeps rewrite.h lean. */
static galley__edit *S_rest(const file *f, size_t *n)
{
    const galley__state *st = &f->st;
    long base = S_count_lines(f->src.ptr, f->src.len);
    long *shift = galley__xcalloc(st->n_edits, sizeof *shift);
    for (size_t i = 0; i < st->n_edits; i++) {
        galley__buf one;
        char *err = NULL;
        galley__buf_init(&one);
        if (f->sel[i] && f->kind->rewrite(&one, f->src.ptr, f->src.len,
                                          &f->scan, &st->edits[i], 1,
                                          &err) == 0)
            shift[i] = S_count_lines(one.ptr, one.len) - base;
        free(err);
        galley__buf_fini(&one);
    }
    galley__edit *rest = galley__xcalloc(st->n_edits, sizeof *rest);
    *n = 0;
    for (size_t i = 0; i < st->n_edits; i++) {
        if (f->sel[i])
            continue;
        rest[*n] = st->edits[i];
        size_t at = S_edit_offset(&f->scan, &st->edits[i], 0);
        for (size_t k = 0; k < st->n_edits; k++)
            if (f->sel[k] && S_edit_offset(&f->scan, &st->edits[k], 1) < at)
                rest[*n].line += (int)shift[k];
        (*n)++;
    }
    free(shift);
    return rest;
}

/* What stays pending after a partial promotion: the remaining edits (their
 * texts borrowed from the old state) and the .corrected copy. */
typedef struct rest {
    galley__edit *edits;
    size_t n;
    galley__buf corrected;
} rest;

/* Prepares r for new text ntext[0..nlen). Returns 0, or -1 after printing
 * why. */
static int S_rest_prepare(const file *f, const char *ntext, size_t nlen,
                          rest *r)
{
    galley__scan ns = {0};
    r->edits = S_rest(f, &r->n);
    f->kind->scan(&ns, ntext, nlen);
    int rc = S_apply(f, &r->corrected, ntext, nlen, &ns, r->edits, r->n);
    galley__scan_fini(&ns);
    return rc;
}

/* Writes the state and .corrected copy of r for new text ntext[0..nlen).
 * Returns 0, or -1 after printing why. */
static int S_rest_write(const file *f, const char *ntext, size_t nlen,
                        const rest *r)
{
    galley__state nst = f->st;
    nst.edits = r->edits;
    nst.n_edits = r->n;
    galley__hash(ntext, nlen, nst.hash);
    char *cp = galley__state_path(f->root, f->st.source, "", ".corrected");
    int w = galley__state_write(f->state_path, f->root, &nst);
    char *slash = strrchr(cp, '/');
    *slash = '\0';
    if (w == 0)
        w = galley__mkdirs(cp);
    *slash = '/';
    if (w == 0)
        w = galley__write_file_replace(cp, r->corrected.ptr, r->corrected.len,
                                       0644, 0);
    free(cp);
    if (w == 0)
        return 0;
    /* The source is already written: its hash no longer matches the old
     * state, so a later promote refuses instead of applying stale edits. */
    galley__error_at(NULL, 0, "cannot write the state of %s: %s",
                     f->display, strerror(-w));
    return -1;
}

/* Removes the state and .corrected copy of a file with nothing left. */
static void S_forget(const file *f)
{
    char *cp = galley__state_path(f->root, f->st.source, "", ".corrected");
    unlink(f->state_path);
    unlink(cp);
    free(cp);
}

/* Writes the selected edits into the source, then what stays pending.
 * Everything is computed before the source is written. Returns 0, or -1
 * after printing why. */
static int S_write(file *f)
{
    galley__edit *sel = galley__xcalloc(f->st.n_edits, sizeof *sel);
    galley__buf out;
    rest r = {0};
    galley__buf_init(&out);
    galley__buf_init(&r.corrected);
    size_t n = 0;
    for (size_t i = 0; i < f->st.n_edits; i++)
        if (f->sel[i])
            sel[n++] = f->st.edits[i];
    int partial = n < f->st.n_edits;
    int rc = S_apply(f, &out, f->src.ptr, f->src.len, &f->scan, sel, n);
    if (rc == 0 && partial)
        rc = S_rest_prepare(f, out.ptr, out.len, &r);
    if (rc != 0)
        goto done;
    /* Writing a new file and renaming it would go round a read-only
     * source: a file made read-only on purpose is refused instead. */
    struct stat st;
    if (stat(f->st.source, &st) == 0 &&
        !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))) {
        galley__error_at(f->display, 0, "read-only; make it writable "
                         "(chmod u+w) to promote");
        rc = -1;
        goto done;
    }
    int w = galley__replace_source(f->st.source, out.ptr, out.len,
                                   f->st.hash);
    if (w == GALLEY__CHANGED) {
        galley__error_at(f->display, 0, "changed while galley promote was "
                         "writing it (saved in an editor?): left as it is; "
                         "run galley run again");
        rc = -1;
    } else if (w != 0) {
        galley__error_at(f->display, 0, "cannot write: %s", strerror(-w));
        rc = -1;
    } else if (partial) {
        rc = S_rest_write(f, out.ptr, out.len, &r);
    } else {
        S_forget(f);
    }
done:
    galley__buf_fini(&r.corrected);
    free(r.edits);
    galley__buf_fini(&out);
    free(sel);
    return rc;
}

/* Reports a promoted file on f->out. */
static void S_report(const file *f)
{
    size_t left = f->st.n_edits - f->n_sel;
    fprintf(f->out, "promoted %s (%zu marker%s", f->display, f->n_sel,
            f->n_sel == 1 ? "" : "s");
    if (left)
        fprintf(f->out, ", %zu still pending", left);
    fprintf(f->out, ")\n");
}

/* Removes what a promote killed while writing source left beside it. */
static void S_clean_temps(const char *source)
{
    char *dir = galley__xstrdup(source);
    *strrchr(dir, '/') = '\0';
    galley__clean_temps(*dir ? dir : "/");
    free(dir);
}

/* Loads the file of job j into f (zeroed by the caller) and selects what
 * j asks for. Returns 0; 1 when there is nothing to do (the source is
 * gone: its state is dropped); -1 when the file is refused (changed, bad
 * state), or 2 when a line asked for has nothing pending, after printing
 * why. */
static int S_prepare(file *f, const char *root, const job *j, FILE *out,
                     galley__promote_mode mode)
{
    f->root = root;
    f->out = out;
    f->mode = mode;
    f->state_path = j->state_path;
    galley__buf_init(&f->src);
    int loaded = S_load(f);
    if (loaded == 1)
        S_forget(f);
    if (loaded != 0)
        return loaded;
    f->sel = galley__xcalloc(f->st.n_edits, 1);
    return S_select(f, j) != 0 ? 2 : 0;
}

/* Returns the name of the TEST of edit e of f. */
static const char *S_edit_test(const file *f, const galley__edit *e)
{
    int mi = e->kind == GALLEY__EDIT_TRAILING
                 ? -1 : galley__scan_find_marker(&f->scan, e->line);
    int ti = mi >= 0 ? f->scan.markers[mi].test : -1;
    return e->test ? e->test : ti >= 0 ? f->scan.tests[ti].name : "(no TEST)";
}

/* Returns what edit e does, in words. */
static const char *S_edit_what(const galley__edit *e)
{
    return e->kind == GALLEY__EDIT_TRAILING
               ? "trailing output, for a new marker"
           : e->kind == GALLEY__EDIT_UNREACHABLE
               ? "not reached: becomes EXPECT_UNREACHABLE()"
               : "new output";
}

/* Prints a line for each selected edit of f: FILE:LINE: TEST: what. */
static void S_list(const file *f)
{
    for (size_t i = 0; i < f->st.n_edits; i++) {
        const galley__edit *e = &f->st.edits[i];
        if (f->sel[i])
            fprintf(f->out, "%s:%d: %s: %s\n", f->display, e->line,
                    S_edit_test(f, e), S_edit_what(e));
    }
}

/* Drops the selected edits of f from its state, leaving the source as it
 * is; the rest stays pending (their lines have not moved). Returns how
 * many are left. */
static size_t S_drop(file *f)
{
    galley__edit *kept = galley__xcalloc(f->st.n_edits + 1, sizeof *kept);
    size_t n = 0;
    for (size_t i = 0; i < f->st.n_edits; i++)
        if (!f->sel[i])
            kept[n++] = f->st.edits[i]; /* borrowed */
    galley__promote_source s = {.path = f->st.source,
                                .display = f->display,
                                .text = f->src.ptr,
                                .len = f->src.len,
                                .scan = &f->scan,
                                .edits = kept,
                                .n_edits = n};
    galley__promote_record(f->root, &s);
    free(kept);
    return n;
}

/* S_drop, reported. Returns 0. */
static int S_reject(file *f)
{
    size_t n = S_drop(f);
    fprintf(f->out, "rejected %s (%zu marker%s", f->display, f->n_sel,
            f->n_sel == 1 ? "" : "s");
    if (n)
        fprintf(f->out, ", %zu still pending", n);
    fprintf(f->out, ")\n");
    return 0;
}

/* Writes a prepared file (or lists or rejects its edits, as its mode
 * says). Returns 0, or -1 after printing why (then the source is
 * unchanged). */
static int S_promote_file(file *f)
{
    if (f->mode == GALLEY__PROMOTE_LIST) {
        S_list(f);
        return 0;
    }
    if (f->mode == GALLEY__PROMOTE_REJECT)
        return f->n_sel ? S_reject(f) : 0;
    if (f->n_sel == 0)
        return 0; /* --promote=new: nothing new in this file */
    S_clean_temps(f->st.source);
    if (S_write(f) != 0)
        return -1;
    S_report(f);
    return 0;
}

static void S_file_fini(file *f)
{
    free(f->sel);
    galley__scan_fini(&f->scan);
    galley__buf_fini(&f->src);
    free(f->display);
    galley__state_fini(&f->st);
}

/* ---- the command ---- */

int galley__promote_cmd(const char *root, char *const *targets, size_t n,
                       FILE *out)
{
    return galley__promote_with(root, targets, n, out, GALLEY__PROMOTE_ALL);
}

int galley__promote_with(const char *root, char *const *targets, size_t n,
                         FILE *out, galley__promote_mode mode)
{
    jobs js = {0};
    int rc = 0;
    if (n > 0)
        rc = S_jobs_from_targets(root, targets, n, &js);
    else
        S_jobs_all(root, &js);
    if (rc == 0 && js.n == 0)
        fprintf(out, "nothing %s\n", mode == GALLEY__PROMOTE_REJECT
                                          ? "to reject"
                                      : mode == GALLEY__PROMOTE_LIST
                                          ? "pending"
                                          : "to promote");
    /* Every target is checked before any file is written: a wrong one
     * (exit status 2) changes nothing. */
    file *fs = galley__xcalloc(js.n + 1, sizeof *fs);
    int *state = galley__xcalloc(js.n + 1, sizeof *state);
    for (size_t i = 0; rc != 2 && i < js.n; i++) {
        state[i] = S_prepare(&fs[i], root, &js.v[i], out, mode);
        if (state[i] == 2)
            rc = 2;
        else if (state[i] < 0)
            rc = 1;
    }
    for (size_t i = 0; rc != 2 && i < js.n; i++)
        if (state[i] == 0 && S_promote_file(&fs[i]) != 0)
            rc = 1;
    for (size_t i = 0; i < js.n; i++)
        S_file_fini(&fs[i]);
    free(fs);
    free(state);
    fflush(out);
    S_jobs_fini(&js);
    return rc;
}

/* ---- galley review ---- */

/* Where the review of one file stands: its pending edits in source order,
 * and for each whether it is still to be shown (todo[p]). Accepting or
 * rejecting one removes its place; promoting keeps the order of the rest
 * (the lines after a rewritten marker move together), so the places stay
 * right when the file is read again after each answer. */
typedef struct S_walk {
    char *todo;
    size_t n;
} S_walk;

/* What one review shares across its files. */
typedef struct S_review {
    const char *root;
    FILE *out;
    galley__review_cb cb;
    void *ctx;
    galley__review_counts *counts;
    int quit;
    int lock;           /* the project's lock, or -1 while a question waits */
} S_review;

/* The project's lock is held while the review reads or writes the run
 * state and the sources, not while a question waits for its answer: a
 * galley run (a watcher's) in another terminal goes on meanwhile, and the
 * review sees what it changed (S_ask). */
static void S_review_lock(S_review *r)
{
    if (r->lock < 0)
        r->lock = galley__lock_project(r->root);
}

static void S_review_unlock(S_review *r)
{
    if (r->lock >= 0)
        close(r->lock);
    r->lock = -1;
}

/* Asks the reviewer about item it of f, without the lock. Returns the
 * answer, or -1 after printing why it cannot be acted on: the run state
 * of f changed while the question waited (a galley run since). */
static int S_ask_unlocked(S_review *r, const file *f,
                          const galley__review_item *it)
{
    galley__buf before, after;
    galley__buf_init(&before);
    galley__buf_init(&after);
    galley__read_file(f->state_path, &before);
    S_review_unlock(r);
    int a = (int)r->cb(r->ctx, it);
    S_review_lock(r);
    if (a != GALLEY__REVIEW_SKIP && a != GALLEY__REVIEW_QUIT &&
        (galley__read_file(f->state_path, &after) != 0 ||
         after.len != before.len ||
         memcmp(after.ptr, before.ptr, before.len) != 0)) {
        galley__error_at(f->display, 0, "its pending output changed while "
                         "galley review asked (a galley run since?); left "
                         "as it is: run galley review again");
        a = -1;
    }
    galley__buf_fini(&after);
    galley__buf_fini(&before);
    return a;
}

/* An edit and where its change lands in the source, to sort by. */
typedef struct S_at {
    size_t off, i;
} S_at;

static int S_at_cmp(const void *a, const void *b)
{
    const S_at *x = a, *y = b;
    if (x->off != y->off)
        return (x->off > y->off) - (x->off < y->off);
    return (x->i > y->i) - (x->i < y->i);
}

/* Returns the heap list of f's edit indices in source order (trailing
 * output at its TEST's closing brace, after the TEST's markers). */
static size_t *S_source_order(const file *f)
{
    size_t n = f->st.n_edits;
    S_at *at = galley__xcalloc(n + 1, sizeof *at);
    size_t *order = galley__xcalloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++)
        at[i] = (S_at){S_edit_offset(&f->scan, &f->st.edits[i], 1), i};
    if (n > 1)
        qsort(at, n, sizeof *at, S_at_cmp);
    for (size_t i = 0; i < n; i++)
        order[i] = at[i].i;
    free(at);
    return order;
}

/* Fills w with what job j selects. Returns S_prepare's status. */
static int S_walk_init(S_walk *w, const char *root, const job *j, FILE *out)
{
    file f = {0};
    int rc = S_prepare(&f, root, j, out, GALLEY__PROMOTE_ALL);
    if (rc == 0) {
        size_t *order = S_source_order(&f);
        w->n = f.st.n_edits;
        w->todo = galley__xcalloc(w->n + 1, 1);
        for (size_t p = 0; p < w->n; p++)
            w->todo[p] = f.sel[order[p]];
        free(order);
    }
    S_file_fini(&f);
    return rc;
}

/* Returns the first place still to be shown, or w->n. */
static size_t S_walk_next(const S_walk *w)
{
    size_t p = 0;
    while (p < w->n && !w->todo[p])
        p++;
    return p;
}

/* Forgets place p, whose edit is no longer pending. */
static void S_walk_remove(S_walk *w, size_t p)
{
    memmove(w->todo + p, w->todo + p + 1, w->n - p - 1);
    w->n--;
}

/* Shows the edit at place p of f to the reviewer. Returns the answer, or
 * -1 after printing why it cannot be shown. */
static int S_ask(S_review *r, const file *f, const size_t *order,
                 const S_walk *w, size_t p)
{
    const galley__edit *e = &f->st.edits[order[p]];
    galley__buf promoted;
    galley__buf_init(&promoted);
    int a = -1;
    if (S_apply(f, &promoted, f->src.ptr ? f->src.ptr : "", f->src.len,
                &f->scan, e, 1) == 0) {
        size_t left = 0;
        for (size_t k = p + 1; k < w->n; k++)
            left += (size_t)w->todo[k];
        galley__review_item it = {
            .display = f->display, .line = e->line,
            .test = S_edit_test(f, e), .kind = e->kind,
            .what = S_edit_what(e),
            .source = f->src.ptr ? f->src.ptr : "", .source_len = f->src.len,
            .promoted = promoted.ptr ? promoted.ptr : "",
            .promoted_len = promoted.len,
            .output = e->text ? e->text : "", .output_len = e->len,
            .left = left};
        a = S_ask_unlocked(r, f, &it);
    }
    galley__buf_fini(&promoted);
    return a;
}

/* Does answer a for place p of f: accepted edits are written at once.
 * Returns 0 to go on with the file, 1 when it is done, -1 when it was
 * refused (after printing why). */
static int S_act(S_review *r, file *f, const size_t *order, S_walk *w,
                 size_t p, galley__review_answer a)
{
    memset(f->sel, 0, f->st.n_edits);
    f->sel[order[p]] = 1;
    switch (a) {
    case GALLEY__REVIEW_SKIP:
        w->todo[p] = 0;
        r->counts->skipped++;
        return 0;
    case GALLEY__REVIEW_QUIT:
        r->quit = 1;
        return 1;
    case GALLEY__REVIEW_REJECT:
        S_drop(f);
        S_walk_remove(w, p);
        r->counts->rejected++;
        return 0;
    case GALLEY__REVIEW_ACCEPT_FILE:
        for (size_t k = p + 1; k < w->n; k++)
            f->sel[order[k]] = w->todo[k];
        break;
    case GALLEY__REVIEW_ACCEPT:
        break;
    }
    f->n_sel = 0;
    for (size_t i = 0; i < f->st.n_edits; i++)
        f->n_sel += (size_t)f->sel[i];
    S_clean_temps(f->st.source);
    if (S_write(f) != 0)
        return -1;
    r->counts->accepted += f->n_sel;
    if (a == GALLEY__REVIEW_ACCEPT_FILE)
        return 1;
    S_walk_remove(w, p);
    return 0;
}

/* Reviews the file whose state is at sp, reading it again before each
 * question: an answer may have rewritten it. Returns 0, or -1 when the
 * file was refused. */
static int S_review_file(S_review *r, char *sp, S_walk *w)
{
    int rc = 0;
    while (rc == 0 && !r->quit && S_walk_next(w) < w->n) {
        file f = {0};
        job all = {.state_path = sp, .all = 1};
        size_t p = S_walk_next(w);
        rc = S_prepare(&f, r->root, &all, r->out, GALLEY__PROMOTE_ALL);
        if (rc == 0 && f.st.n_edits != w->n) {
            /* Under the project's lock only this review changes it. */
            galley__error_at(f.display, 0, "its pending output changed "
                             "during the review; run galley run again");
            rc = -1;
        }
        if (rc == 0) {
            size_t *order = S_source_order(&f);
            int a = S_ask(r, &f, order, w, p);
            rc = a < 0 ? -1
                       : S_act(r, &f, order, w, p, (galley__review_answer)a);
            free(order);
        }
        S_file_fini(&f);
    }
    return rc < 0 ? -1 : 0;
}

int galley__promote_review(const char *root, char *const *targets, size_t n,
                           FILE *out, galley__review_cb cb, void *ctx,
                           galley__review_counts *counts)
{
    S_review r = {root, out, cb, ctx, counts, 0, -1};
    jobs js = {0};
    int rc = 0;
    memset(counts, 0, sizeof *counts);
    /* Without _galley/, nothing is pending: no lock file is made. */
    char *dir = galley__xasprintf("%s/_galley", root);
    if (access(dir, F_OK) == 0)
        S_review_lock(&r);
    free(dir);
    if (n > 0)
        rc = S_jobs_from_targets(root, targets, n, &js);
    else
        S_jobs_all(root, &js);
    if (rc == 0 && js.n == 0)
        fprintf(out, "nothing pending\n");
    /* Every target is checked before the first question. */
    S_walk *ws = galley__xcalloc(js.n + 1, sizeof *ws);
    for (size_t i = 0; rc != 2 && i < js.n; i++) {
        int s = S_walk_init(&ws[i], root, &js.v[i], out);
        rc = s == 2 ? 2 : s < 0 ? 1 : rc;
        counts->refused += s < 0;
    }
    if (rc != 2)
        counts->files = js.n;
    for (size_t i = 0; rc != 2 && !r.quit && i < js.n; i++)
        if (S_review_file(&r, js.v[i].state_path, &ws[i]) != 0) {
            counts->refused++;
            rc = 1;
        }
    S_review_unlock(&r);
    for (size_t i = 0; i < js.n; i++)
        free(ws[i].todo);
    free(ws);
    fflush(out);
    S_jobs_fini(&js);
    return rc;
}
