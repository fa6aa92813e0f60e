/* run.c: the `galley run` pipeline. Sources are read and scanned before the
 * build, so the text the run judged is the text that was compiled; the
 * verdicts then leave state and .corrected files for promote. */
#define _GNU_SOURCE
#include "run.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../promote/patch.h"
#include "../promote/promote.h"
#include "../promote/state.h"
#include "build.h"
#include "changed.h"
#include "compare.h"
#include "config.h"
#include "discover.h"
#include "exec.h"
#include "formats.h"
#include "progress.h"
#include "report.h"
#include "results.h"
#include "shard.h"

/* Everything one run holds; freed by S_ctx_fini. */
typedef struct S_ctx {
    const galley_run_opts *o;
    galley_config conf;
    galley_runtime rt;
    galley_sources sources;
    galley_srcfiles files;
    galley_srcfile **tests;   /* one per source, in files */
    char ***selected;         /* per source: names of selected tests */
    size_t *n_selected;
    int *skip;                /* per source: 1 if no test was selected */
    galley_build build;
    galley_job *jobs;
    size_t n_jobs;
    size_t *job_src;          /* source index of each job */
    galley_verdict *verdicts;
    size_t n_verdicts;
    size_t compile_failed;
    galley_report_opts ro;
    int lock;                 /* the project lock's descriptor, or -1 */
    galley_filters filters;   /* galley.conf's filters, compiled */
    size_t skipped;           /* TESTs the compiler never saw (#if 0) */
    size_t config_errors;     /* bad galley.conf lines: each a failure */
    galley_tally tally;       /* skips and compile errors, for formats.c */
    int progress;             /* a status line on the terminal */
} S_ctx;

/* Returns where notes for people go (compiler output, skipped tests):
 * stdout, or stderr when stdout carries a report for machines. */
static FILE *S_human(const S_ctx *c)
{
    return c->o->format == GALLEY_FORMAT_PRETTY ? stdout : stderr;
}

/* ---- selection ---- */

/* Compiles the filter. Returns NULL with no filter, or on error (printed;
 * *bad set). */
static pcre2_code *S_compile_filter(const char *re, int *bad)
{
    if (!re)
        return NULL;
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF, &code, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        galley__error_at(NULL, 0, "--filter: %s at offset %zu", (char *)msg,
                         (size_t)off);
        *bad = 1;
    }
    return c;
}

static int S_matches(pcre2_code *re, const char *s)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

/* Returns 1 if test name of f (NULL: the file itself, when it has no
 * TEST) is in the run's shard. The key is the root-relative path, so that
 * where galley runs from does not move tests between shards. */
static int S_in_shard(const S_ctx *c, const galley_srcfile *f,
                      const char *name)
{
    if (c->o->shard_total <= 1)
        return 1;
    size_t n = strlen(c->conf.root);
    const char *rel = f->path;
    if (!strncmp(rel, c->conf.root, n) && rel[n] == '/')
        rel += n + 1;
    char *key = galley__xasprintf("%s%s%s", rel, name ? ":" : "",
                                  name ? name : "");
    int in = galley_shard_of(key, c->o->shard_total) == c->o->shard_index;
    free(key);
    return in;
}

/* Selects the tests of source i that the filter matches and the shard
 * holds. A file left with none is skipped (neither built nor run). */
static void S_select(S_ctx *c, size_t i, pcre2_code *re)
{
    galley_srcfile *f = c->tests[i];
    c->selected[i] = galley__xcalloc(f->scan.n_tests + 1, sizeof(char *));
    for (size_t k = 0; k < f->scan.n_tests; k++) {
        const char *name = f->scan.tests[k].name;
        char *key = galley__xasprintf("%s:%s", f->display, name);
        if ((!re || S_matches(re, key)) && S_in_shard(c, f, name))
            c->selected[i][c->n_selected[i]++] = galley__xstrdup(name);
        free(key);
    }
    int mine = f->scan.n_tests ? c->n_selected[i] > 0 : S_in_shard(c, f, NULL);
    c->skip[i] = c->n_selected[i] == 0 && (re || !mine);
}

/* Reads and scans every source and applies the filter. */
static int S_scan_and_select(S_ctx *c)
{
    size_t n = c->sources.n;
    int bad = 0;
    pcre2_code *re = S_compile_filter(c->o->filter, &bad);
    if (bad)
        return -1;
    c->tests = galley__xcalloc(n + 1, sizeof *c->tests);
    c->selected = galley__xcalloc(n + 1, sizeof *c->selected);
    c->n_selected = galley__xcalloc(n + 1, sizeof *c->n_selected);
    c->skip = galley__xcalloc(n + 1, sizeof *c->skip);
    for (size_t i = 0; i < n; i++) {
        c->tests[i] = galley_srcfile_get(&c->files, c->sources.v[i].path);
        S_select(c, i, re);
    }
    size_t any = 0;
    for (size_t i = 0; i < n; i++)
        any += c->n_selected[i];
    if (re && any == 0)
        fprintf(stderr, "galley: no test matches --filter %s\n",
                c->o->filter);
    pcre2_code_free(re);
    return 0;
}

static int S_list(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        galley_srcfile *f = c->tests[i];
        for (size_t k = 0; k < f->scan.n_tests; k++)
            for (size_t s = 0; s < c->n_selected[i]; s++)
                if (!strcmp(c->selected[i][s], f->scan.tests[k].name))
                    printf("%s:%d: %s\n", f->display, f->scan.tests[k].line,
                           f->scan.tests[k].name);
    }
    return 0;
}

/* ---- building ---- */

/* Fails every selected test of source i (or the file, if it has none). */
static void S_fail_all(S_ctx *c, size_t i, const char *what)
{
    galley_srcfile *f = c->tests[i];
    if (c->n_selected[i] == 0)
        galley_verdict_fail(&c->verdicts, &c->n_verdicts, f->display, 1,
                            "(file)", what);
    for (size_t s = 0; s < c->n_selected[i]; s++) {
        int line = 1;
        for (size_t k = 0; k < f->scan.n_tests; k++)
            if (!strcmp(f->scan.tests[k].name, c->selected[i][s]))
                line = f->scan.tests[k].line;
        galley_verdict_fail(&c->verdicts, &c->n_verdicts, f->display, line,
                            c->selected[i][s], what);
    }
}

/* Reports compile errors and warnings; fails the files that did not build. */
static void S_report_build(S_ctx *c)
{
    galley_build *b = &c->build;
    if (b->sut_log && *b->sut_log)
        galley_report_compile_error(S_human(c), "code under test (galley.conf "
                                                "sources)", b->sut_log, &c->ro);
    for (size_t i = 0; i < b->n; i++) {
        if (c->skip[i])
            continue;
        if (!b->progs[i].ok) {
            if (!b->sut_failed)
                galley_report_compile_error(S_human(c), c->tests[i]->display,
                                            b->progs[i].log, &c->ro);
            galley_tally_broken(&c->tally, c->tests[i]->display,
                                b->sut_failed ? b->sut_log : b->progs[i].log);
            S_fail_all(c, i, "did not compile");
            c->compile_failed++;
        } else if (*b->progs[i].log) {
            fputs(b->progs[i].log, S_human(c));
        }
    }
}

/* Builds the programs of the files that have a selected test, so that a
 * shard or a --filter builds only what it runs; the programs then sit at
 * the index of their source, the others empty (not ok). Returns what
 * galley_build_run does. */
static int S_build(S_ctx *c)
{
    size_t n = c->sources.n;
    galley_sources some = {galley__xcalloc(n + 1, sizeof *some.v), 0};
    size_t *at = galley__xcalloc(n + 1, sizeof *at);
    for (size_t i = 0; i < n; i++)
        if (!c->skip[i]) {
            at[some.n] = i;
            some.v[some.n++] = c->sources.v[i]; /* borrowed */
        }
    int rc = 0;
    if (some.n || !n) /* nothing selected: nothing to build */
        rc = galley_build_run(&c->build, &c->conf, &c->rt, &some, c->o->jobs,
                              c->progress);
    galley_program *all = galley__xcalloc(n + 1, sizeof *all);
    for (size_t k = 0; k < some.n && c->build.progs; k++)
        all[at[k]] = c->build.progs[k];
    free(c->build.progs);
    c->build.progs = all;
    c->build.n = n;
    free(some.v);
    free(at);
    return rc;
}

/* ---- executing ---- */

/* Adds a job running tests [from, to) of source i's selection. */
static void S_add_job(S_ctx *c, size_t i, size_t from, size_t to, int part)
{
    c->jobs = galley__xrealloc(c->jobs, (c->n_jobs + 1) * sizeof *c->jobs);
    c->job_src = galley__xrealloc(c->job_src,
                                  (c->n_jobs + 1) * sizeof *c->job_src);
    galley_job *j = &c->jobs[c->n_jobs];
    memset(j, 0, sizeof *j);
    const char *exe = c->build.progs[i].exe;
    const char *base = strrchr(exe, '/') + 1;
    j->exe = exe;
    j->name = c->tests[i]->display;
    j->results = galley__xasprintf("_galley/run/%s.%d.res", base, part);
    j->log = galley__xasprintf("_galley/run/%s.%d.log", base, part);
    j->timeout_ms = c->conf.timeout_ms;
    j->output_limit = c->conf.output_limit;
    j->n_only = to - from;
    j->only = galley__xcalloc(j->n_only + 1, sizeof(char *));
    for (size_t k = from; k < to; k++)
        j->only[k - from] = galley__xstrdup(c->selected[i][k]);
    c->job_src[c->n_jobs++] = i;
}

/* Splits the selected tests into jobs: one per file, or several per file
 * when there are fewer files than parallel slots. */
static void S_plan_jobs(S_ctx *c)
{
    size_t progs = 0;
    for (size_t i = 0; i < c->sources.n; i++)
        progs += !c->skip[i] && c->build.progs[i].ok;
    size_t per = progs ? ((size_t)c->o->jobs + progs - 1) / progs : 1;
    for (size_t i = 0; i < c->sources.n; i++) {
        size_t n = c->n_selected[i];
        if (c->skip[i] || !c->build.progs[i].ok || n == 0)
            continue;
        size_t parts = per < n ? per : n;
        for (size_t p = 0; p < parts; p++)
            S_add_job(c, i, n * p / parts, n * (p + 1) / parts, (int)p);
    }
}

/* Appends the program's own output (its log) to a test's stderr. */
static void S_program_died(S_ctx *c, size_t j, const char *why)
{
    galley_job *job = &c->jobs[j];
    size_t i = c->job_src[j];
    char *p = galley__xasprintf("%s/%s", c->conf.root, job->log);
    galley_buf log;
    galley_buf_init(&log);
    galley__read_file(p, &log);
    free(p);
    char *what = galley__xasprintf("the test program %s: %s", job->exe, why);
    for (size_t k = 0; k < job->n_only; k++) {
        galley_verdict_fail(&c->verdicts, &c->n_verdicts, c->tests[i]->display,
                            1, job->only[k], what);
        galley_verdict *v = &c->verdicts[c->n_verdicts - 1];
        v->err = galley_buf_detach(&log, &v->err_len);
        galley_buf_init(&log);
    }
    free(what);
    galley_buf_fini(&log);
}

/* Counts test name of source i as skipped, for the summary and for the
 * machine reports, which list it at its TEST line. */
static void S_skipped(S_ctx *c, size_t i, const char *name)
{
    const galley_scan *sc = &c->tests[i]->scan;
    int line = 1;
    for (size_t k = 0; k < sc->n_tests; k++)
        if (!strcmp(sc->tests[k].name, name))
            line = sc->tests[k].line;
    c->skipped++;
    galley_tally_add(&c->tally, c->tests[i]->display, line, name, 0,
                     "not compiled into the program (inside #if?)");
}

/* Handles the tests of job j that its results do not mention. When the
 * program ran to its end, such a TEST was never compiled into it (inside
 * #if 0, say): it is skipped. When the program died, they did not run. */
static void S_missing_tests(S_ctx *c, size_t j, const galley_results *r)
{
    galley_job *job = &c->jobs[j];
    size_t i = c->job_src[j];
    int ran_out = WIFEXITED(job->status) && WEXITSTATUS(job->status) <= 1;
    for (size_t k = 0; k < job->n_only; k++) {
        int found = 0;
        for (size_t t = 0; t < r->n_tests && !found; t++)
            found = !strcmp(r->tests[t].name, job->only[k]);
        if (found)
            continue;
        if (ran_out && c->o->verbosity > 0)
            fprintf(S_human(c), "%s: %s: skipped (not compiled into the "
                    "program: inside #if?)\n", c->tests[i]->display,
                    job->only[k]);
        if (ran_out)
            S_skipped(c, i, job->only[k]);
        else
            galley_verdict_fail(&c->verdicts, &c->n_verdicts,
                                c->tests[i]->display, 1, job->only[k],
                                "not run: the test program died before "
                                "this test");
    }
}

/* Reads job j's results and judges its tests. A program that wrote no
 * usable results fails all the tests it was given. */
static void S_judge_job(S_ctx *c, size_t j)
{
    galley_job *job = &c->jobs[j];
    char *p = galley__xasprintf("%s/%s", c->conf.root, job->results);
    galley_buf data;
    galley_buf_init(&data);
    int rd = job->status < 0 ? -1 : galley__read_file(p, &data);
    free(p);
    galley_results r;
    char *err = NULL;
    memset(&r, 0, sizeof r);
    size_t len = data.len;
    if (rd == 0 && galley_results_parse(&r, galley_buf_detach(&data, NULL),
                                        len, &err) != 0 &&
        r.n_tests > 0) {
        free(err); /* a truncated file: judge what it holds */
        err = NULL;
    }
    if (rd == 0 && !err && r.n_tests == 0 &&
        !(WIFEXITED(job->status) && WEXITSTATUS(job->status) <= 1))
        err = galley__xstrdup("wrote no results"); /* it died at once */
    int parsed = rd == 0 && (r.n_tests > 0 || !err);
    if (!parsed) {
        char *why = galley__xasprintf(
            "%s (exit status %d)", err ? err : "wrote no results",
            job->status >= 0 && WIFEXITED(job->status)
                ? WEXITSTATUS(job->status) : -1);
        S_program_died(c, j, why);
        free(why);
    } else {
        galley_compare(&c->files, c->tests[c->job_src[j]], &r, &c->verdicts,
                       &c->n_verdicts);
        S_missing_tests(c, j, &r);
    }
    galley_results_fini(&r);
    free(err);
    galley_buf_fini(&data);
}

static int S_execute(S_ctx *c)
{
    S_plan_jobs(c);
    char *dir = galley__xasprintf("%s/_galley/run", c->conf.root);
    galley__mkdirs(dir);
    free(dir);
    galley_exec(c->jobs, c->n_jobs, c->o->jobs, c->conf.root, c->progress);
    for (size_t j = 0; j < c->n_jobs; j++)
        S_judge_job(c, j);
    return 0;
}

/* ---- scan errors ---- */

/* Attaches each scan error of the test files to the test around it: to
 * that test's verdict when the run gave it one, so a test counts once in
 * the summary, else to a verdict of its own. */
static void S_scan_errors(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        galley_srcfile *f = c->tests[i];
        for (size_t e = 0; e < f->scan.n_errors && !c->skip[i]; e++) {
            const galley_scan_error *se = &f->scan.errors[e];
            const char *name = "(file)";
            for (size_t k = 0; k < f->scan.n_tests; k++)
                if (f->scan.tests[k].line <= se->line &&
                    se->line <= f->scan.tests[k].close_line)
                    name = f->scan.tests[k].name;
            galley_verdict *v = NULL;
            for (size_t k = 0; k < c->n_verdicts && !v; k++)
                if (!strcmp(c->verdicts[k].file, f->display) &&
                    !strcmp(c->verdicts[k].name, name))
                    v = &c->verdicts[k];
            if (!v) {
                galley_verdict_fail(&c->verdicts, &c->n_verdicts, f->display,
                                    se->line, name, se->msg);
                c->verdicts[c->n_verdicts - 1].fails[0].kind =
                    GALLEY_FAIL_ERROR;
                continue;
            }
            /* First: the problem in the source likely explains the rest. */
            v->fails = galley__xrealloc(v->fails,
                                        (v->n_fails + 1) * sizeof *v->fails);
            memmove(v->fails + 1, v->fails, v->n_fails++ * sizeof *v->fails);
            galley_failure *fl = &v->fails[0];
            memset(fl, 0, sizeof *fl);
            fl->kind = GALLEY_FAIL_ERROR;
            fl->file = galley__xstrdup(f->display);
            fl->line = se->line;
            fl->what = galley__xstrdup(se->msg);
        }
    }
}

/* ---- state for promote ---- */

/* Writes (or removes) the state and .corrected copy of one file. */
static void S_save_state(S_ctx *c, galley_srcfile *f)
{
    galley_srcfile_drop_conflicts(f);
    char *sp = galley_state_path(c->conf.root, f->path, "state", ".state");
    char *cp = galley_state_path(c->conf.root, f->path, "", ".corrected");
    if (f->n_edits == 0 || !f->readable) {
        unlink(sp);
        unlink(cp);
    } else {
        galley_state st = {0};
        st.source = f->path;
        st.display = f->display;
        galley__hash(f->text.ptr, f->text.len, st.hash);
        st.edits = f->edits;
        st.n_edits = f->n_edits;
        galley_buf out;
        char *err = NULL;
        galley_buf_init(&out);
        int rc = galley_state_write(sp, &st);
        const char *failed = sp;
        if (rc == 0 && galley_rewrite(&out, f->text.ptr, f->text.len, &f->scan,
                                      f->edits, f->n_edits, &err) == 0) {
            *strrchr(cp, '/') = '\0';
            rc = galley__mkdirs(cp);
            cp[strlen(cp)] = '/';
            failed = cp;
            if (rc == 0)
                rc = galley__write_file_replace(cp, out.ptr, out.len, 0644, 0);
        }
        if (err)
            galley__error_at(f->display, 0, "%s", err);
        else if (rc != 0)
            galley__error_at(NULL, 0, "cannot write %s: %s", failed,
                             strerror(-rc));
        free(err);
        galley_buf_fini(&out);
    }
    free(sp);
    free(cp);
}

/* Saves state for the files this run judged; a test file that --filter
 * left out keeps the state of its last run. */
static void S_save_states(S_ctx *c)
{
    for (size_t i = 0; i < c->files.n; i++) {
        int skipped = 0;
        for (size_t k = 0; k < c->sources.n; k++)
            skipped |= c->skip[k] && c->tests[k] == c->files.v[i];
        if (!skipped)
            S_save_state(c, c->files.v[i]);
    }
}

/* Promotes the files of this run that have edits. */
static void S_promote(S_ctx *c)
{
    char **targets = galley__xcalloc(c->files.n + 1, sizeof *targets);
    size_t n = 0;
    for (size_t i = 0; i < c->files.n; i++)
        if (c->files.v[i]->n_edits)
            targets[n++] = c->files.v[i]->path;
    /* Its messages are for people: off stdout when that carries a report
     * for machines. */
    if (n)
        galley_promote_cmd(c->conf.root, targets, n, S_human(c));
    free(targets);
}

/* ---- the command ---- */

/* Orders verdicts by file, then line, then name. */
static int S_verdict_cmp(const void *pa, const void *pb)
{
    const galley_verdict *a = pa, *b = pb;
    return galley_place_cmp(a->file, a->line, a->name, b->file, b->line,
                            b->name);
}

/* Writes the reports for machines that were asked for: stdout's
 * (--format), the JUnit files (--junit, XML_OUTPUT_FILE) and GitHub's
 * annotations. Returns 0, or 2 when a report file could not be written. */
static int S_machine_reports(S_ctx *c)
{
    const galley_run_opts *o = c->o;
    int rc = 0;
    if (c->config_errors && c->conf.file) {
        char *shown = galley_display_path(c->conf.file, c->files.cwd);
        char *msg = galley__xasprintf("%zu bad line%s in galley.conf (see "
                                      "the errors galley printed)",
                                      c->config_errors,
                                      c->config_errors > 1 ? "s" : "");
        galley_tally_add(&c->tally, shown, 0, "(galley.conf)", 1, msg);
        free(msg);
        free(shown);
    }
    if (o->format != GALLEY_FORMAT_PRETTY)
        galley_format_write(stdout, o->format, c->verdicts, c->n_verdicts,
                            &c->tally);
    const char *files[] = {o->junit, o->xml_output};
    for (int i = 0; i < 2; i++)
        if (files[i] && galley_format_junit_file(files[i], c->verdicts,
                                                 c->n_verdicts, &c->tally))
            rc = 2;
    if (o->github)
        galley_format_github(S_human(c), c->verdicts, c->n_verdicts,
                             &c->tally);
    return rc;
}

static int S_report(S_ctx *c)
{
    size_t passed = 0, failed = 0;
    int pretty = c->o->format == GALLEY_FORMAT_PRETTY;
    if (c->n_verdicts > 1)
        qsort(c->verdicts, c->n_verdicts, sizeof *c->verdicts, S_verdict_cmp);
    for (size_t i = 0; i < c->n_verdicts; i++) {
        if (pretty)
            galley_report_verdict(stdout, &c->verdicts[i], &c->ro);
        if (c->verdicts[i].n_fails)
            failed++;
        else
            passed++;
    }
    failed += c->config_errors;
    /* Before the summary, which stays the last line. */
    int bad_file = S_machine_reports(c) != 0;
    if (pretty)
        galley_report_summary(stdout, passed, failed, c->skipped, &c->ro);
    if (bad_file)
        return 2;
    return failed || c->compile_failed ? 1 : 0;
}

static void S_ctx_fini(S_ctx *c)
{
    galley_tally_fini(&c->tally);
    for (size_t i = 0; i < c->n_jobs; i++)
        galley_job_fini(&c->jobs[i]);
    free(c->jobs);
    free(c->job_src);
    for (size_t i = 0; i < c->n_verdicts; i++)
        galley_verdict_fini(&c->verdicts[i]);
    free(c->verdicts);
    for (size_t i = 0; c->selected && i < c->sources.n; i++) {
        for (size_t k = 0; k < c->n_selected[i]; k++)
            free(c->selected[i][k]);
        free(c->selected[i]);
    }
    free(c->selected);
    free(c->n_selected);
    free(c->skip);
    free(c->tests);
    galley_build_fini(&c->build);
    galley_patterns_free(c->files.patterns);
    galley_srcfiles_fini(&c->files);
    galley_filters_fini(&c->filters);
    galley_sources_fini(&c->sources);
    galley_runtime_fini(&c->rt);
    galley_config_fini(&c->conf);
    if (c->lock >= 0)
        close(c->lock);
}

/* Loads configuration, runtime and sources. Returns 0 or an exit status. */
/* Compiles galley.conf's filters; a bad one is reported at its line and
 * left out, and counts as a failure of the run. */
static void S_compile_filters(S_ctx *c, const char *cwd)
{
    char *shown = c->conf.file ? galley_display_path(c->conf.file, cwd)
                               : galley__xstrdup("galley.conf");
    for (size_t i = 0; i < c->conf.filters.n; i++) {
        char *err = NULL;
        if (galley_filters_add(&c->filters, c->conf.filters.v[i], &err)) {
            galley__error_at(shown, c->conf.filter_lines[i], "bad filter: %s",
                             err);
            c->config_errors++;
            free(err);
        }
    }
    free(shown);
    c->files.rtol = c->conf.rtol;
    c->files.atol = c->conf.atol;
    c->files.filters = &c->filters;
    c->files.patterns = galley_patterns_new();
}

/* Returns the heap directory of path (the path itself for a directory),
 * resolved, or NULL when it does not exist. */
static char *S_path_dir(const char *path)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) != 0)
        return NULL;
    if (!S_ISDIR(st.st_mode))
        *strrchr(real, '/') = '\0';
    return galley__xstrdup(real[0] ? real : "/");
}

/* Reads galley.conf: a file that cannot be read stops the command (2); a
 * bad line is reported, skipped, and fails the run (the tests still run). */
static int S_setup(S_ctx *c, const char *cwd)
{
    /* Only the human report shares the terminal with a status line. */
    c->progress = galley_progress_wanted(
        c->o->verbosity < 0 || c->o->format != GALLEY_FORMAT_PRETTY);
    int rc = galley_config_load(&c->conf, cwd);
    char *from = c->conf.file || c->o->n_paths == 0
                     ? NULL : S_path_dir(c->o->paths[0]);
    if (from) {
        /* No galley.conf above the cwd: look above the path given, so that
         * `galley run ~/proj/tests` works from anywhere. */
        galley_config_fini(&c->conf);
        rc = galley_config_load(&c->conf, from);
        free(from);
        if (!c->conf.file) { /* none there either: the cwd is the root */
            galley_config_fini(&c->conf);
            rc = galley_config_load(&c->conf, cwd);
        }
    }
    if (rc != 0 && c->conf.n_errors == 0)
        return 2;
    c->config_errors = (size_t)c->conf.n_errors;
    if (galley_discover(&c->sources, &c->conf, c->o->paths, c->o->n_paths,
                        cwd) != 0)
        return 2;
    if (c->sources.n == 0)
        fprintf(stderr, "galley: no test files found: a test file is a .c "
                "file that #includes <galley.h>\n");
    if (c->o->changed &&
        galley_changed_select(&c->sources, &c->conf, c->o->changed))
        return 2;
    c->files.root = galley__xstrdup(c->conf.root);
    c->files.cwd = galley__xstrdup(cwd);
    S_compile_filters(c, cwd);
    if (S_scan_and_select(c) != 0)
        return 2;
    if (!c->o->list && galley_runtime_find(&c->rt) != 0)
        return 2;
    /* Only a command that will build takes the lock (and makes _galley/). */
    if (!c->o->list)
        c->lock = galley__lock_project(c->conf.root);
    return 0;
}

int galley_run_cmd(const galley_run_opts *o)
{
    S_ctx c;
    char cwd[PATH_MAX];
    memset(&c, 0, sizeof c);
    c.lock = -1;
    c.o = o;
    c.ro.color = o->color;
    c.ro.verbosity = o->verbosity;
    if (!getcwd(cwd, sizeof cwd)) {
        galley__error_at(NULL, 0, "cannot read the current directory");
        return 2;
    }
    int rc = S_setup(&c, cwd);
    if (rc == 0 && o->list)
        rc = S_list(&c);
    else if (rc == 0) {
        if (S_build(&c))
            rc = 1;
        if (rc == 0) {
            S_report_build(&c);
            S_execute(&c);
            S_scan_errors(&c);
            S_save_states(&c);
            rc = S_report(&c);
            if (o->promote)
                S_promote(&c);
            if (o->ci)
                galley_promote_patch_ci(c.conf.root, rc != 0);
        }
    }
    S_ctx_fini(&c);
    return rc;
}
