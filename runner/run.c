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
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../promote/promote.h"
#include "build.h"
#include "cache.h"
#include "changed.h"
#include "compare.h"
#include "config.h"
#include "crash.h"
#include "discover.h"
#include "exec.h"
#include "failed.h"
#include "formats.h"
#include "paths.h"
#include "progress.h"
#include "report.h"
#include "results.h"
#include "shard.h"

/* A test that a test file's program holds, as the scanner sees it: in the
 * file itself or in a header of the project that it includes. */
typedef struct S_planned {
    const char *name;        /* borrowed from the scan of file */
    galley__srcfile *file;    /* where its TEST is written */
    int line;
    int branch;              /* its #if branch there (scan.h) */
} S_planned;

typedef struct S_plan {
    S_planned *v;
    size_t n;
} S_plan;

/* Why a test file is not built: a problem at file:line. */
typedef struct S_refusal {
    char *file;              /* display path */
    int line;
    char *msg;               /* NULL: the file is not refused */
} S_refusal;

/* Everything one run holds; freed by S_ctx_fini. */
typedef struct S_ctx {
    const galley__run_opts *o;
    galley__config conf;
    galley__runtime rt;
    galley__sources sources;
    galley__includes *includes; /* the test files' include graph */
    galley__srcfiles files;
    galley__srcfile **tests;   /* one per source, in files */
    S_plan *plans;            /* per source: the tests its program holds */
    S_refusal *refused;       /* per source: why it is not built (msg), or
                                 nothing (msg NULL) */
    char ***selected;         /* per source: names of selected tests */
    size_t *n_selected;
    int *skip;                /* per source: 1 if no test was selected */
    galley__build build;
    galley__job *jobs;
    size_t n_jobs;
    size_t n_run;             /* jobs[0..n_run) run; the rest come from the
                                 cache */
    size_t *job_src;          /* source index of each job */
    int *job_whole;           /* 1: the job runs a slice of its program's
                                 tests, not tests by name */
    galley__cache cache;
    galley__cache_pack *packs; /* per source: its program's cached results */
    int *whole_ok;            /* per source: its whole program ran (1), a
                                 slice of it did not end (-1), or not (0) */
    galley__words *reported;   /* per source: the tests its jobs reported */
    int *died;                /* per source: a job did not run to its end */
    char **died_why;          /* per source: how the first such job died */
    galley__buf *died_log;     /* per source: that job's own output */
    int *stopped;             /* per source: --fail-fast stopped a job of
                                 it before it ended */
    size_t not_run;           /* selected tests --fail-fast left unrun */
    galley__verdict *verdicts;
    size_t n_verdicts;
    size_t compile_failed;
    galley__report_opts ro;
    int lock;                 /* the project lock's descriptor, or -1 */
    char *blocked;            /* why nothing can be built (a missing source
                                 of galley.conf), or NULL */
    galley__filters filters;   /* galley.conf's filters, compiled */
    size_t skipped;           /* TESTs the compiler never saw (#if 0) */
    size_t config_errors;     /* bad galley.conf lines: each a failure */
    galley__tally tally;       /* skips and compile errors, for formats.c */
    int progress;             /* a status line on the terminal */
    char **focus;             /* per path of the command: the real path of
                                 a FILE:LINE focus, or NULL */
    size_t *focus_hits;       /* per path: the tests its focus selected */
    char **plain;             /* per path: the real path of one named
                                 without a line, or NULL */
    int focused;              /* some path is a FILE:LINE focus */
    galley__words last_failed; /* --failed: the tests to run, "PATH\tNAME"
                                 (failed.h); empty: every test */
} S_ctx;

/* Returns where notes for people go (compiler output, skipped tests):
 * stdout, or stderr when stdout carries a report for machines. */
static FILE *S_human(const S_ctx *c)
{
    return c->o->format == GALLEY__FORMAT_PRETTY ? stdout : stderr;
}

/* ---- selection ---- */

/* Compiles --filter's pattern re; NULL after writing what is wrong into
 * why (of size n). */
static pcre2_code *S_compile_filter(const char *re, char *why, size_t n)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF, &code, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(why, n, "--filter '%.200s': %s at offset %zu", re,
                 (char *)msg, (size_t)off);
    }
    return c;
}

const char *galley__filter_check(const char *re, char *why, size_t n)
{
    pcre2_code *c = S_compile_filter(re, why, n);
    pcre2_code_free(c);
    return c ? NULL : why;
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
static int S_in_shard(const S_ctx *c, const galley__srcfile *f,
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
    int in = galley__shard_of(key, c->o->shard_total) == c->o->shard_index;
    free(key);
    return in;
}

/* Returns the scanned TEST of planned test p. */
static const galley__scanned_test *S_scanned(const S_planned *p)
{
    const galley__scan *sc = &p->file->scan;
    for (size_t k = 0; k < sc->n_tests; k++)
        if (sc->tests[k].line == p->line && !strcmp(sc->tests[k].name, p->name))
            return &sc->tests[k];
    return NULL;
}

/* Returns 1 if planned test p is one that a FILE:LINE of the command
 * focuses on (its body, from the TEST line to the closing brace, holds
 * LINE), counting it for that focus; 1 also when there is no focus. */
static int S_in_focus(S_ctx *c, const S_planned *p)
{
    if (!c->focused)
        return 1;
    const galley__scanned_test *t = S_scanned(p);
    int in = 0;
    for (size_t j = 0; t && j < c->o->n_paths; j++) {
        int line = c->o->lines[j];
        if (c->focus[j] && !strcmp(c->focus[j], p->file->path) &&
            line >= t->line && line <= t->close_line) {
            c->focus_hits[j]++;
            in = 1;
        }
    }
    return in;
}

/* Returns 1 if test p is to run as --failed asks: the option is off, or
 * no test failed, or p did. */
static int S_failed_last(const S_ctx *c, const S_planned *p)
{
    if (c->last_failed.n == 0)
        return 1;
    char *key = galley__xasprintf("%s\t%s", p->file->path, p->name);
    char *file = galley__xasprintf("%s\t*", p->file->path);
    int yes = galley__words_has(&c->last_failed, key) ||
              galley__words_has(&c->last_failed, file);
    free(key);
    free(file);
    return yes;
}

/* For --failed: when none of the tests that failed last time is among
 * the planned ones (renamed, deleted), says so and runs every test rather
 * than none. */
static void S_failed_check(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++)
        for (size_t k = 0; k < c->plans[i].n; k++)
            if (S_failed_last(c, &c->plans[i].v[k]))
                return;
    if (c->last_failed.n == 0)
        return;
    galley__note("--failed: none of the tests that failed when they last "
                 "ran is here now: running every test");
    galley__words_fini(&c->last_failed);
}

/* Selects the planned tests of source i that the filter matches, a
 * FILE:LINE focuses on and the shard holds. A file left with none is
 * skipped (neither built nor run). */
/* Whether source i lies in a path of the command named without a line
 * (a file, or a directory above it): beside FILE:LINE focuses, such a path
 * still runs all its tests (`galley run a_test.c b_test.c:16`). */
static int S_in_plain_path(const S_ctx *c, size_t i)
{
    const char *src = c->sources.v[i].path;
    for (size_t j = 0; j < c->o->n_paths; j++) {
        if (!c->plain[j])
            continue;
        size_t n = strlen(c->plain[j]);
        if (!strncmp(src, c->plain[j], n) &&
            (src[n] == '\0' || src[n] == '/' || !strcmp(c->plain[j], "/")))
            return 1;
    }
    return 0;
}

static void S_select(S_ctx *c, size_t i, pcre2_code *re)
{
    galley__srcfile *f = c->tests[i];
    const S_plan *pl = &c->plans[i];
    c->selected[i] = galley__xcalloc(pl->n + 1, sizeof(char *));
    int plain = c->focused && S_in_plain_path(c, i);
    for (size_t k = 0; k < pl->n; k++) {
        const char *name = pl->v[k].name;
        char *key = galley__xasprintf("%s:%s", pl->v[k].file->display, name);
        /* S_in_focus first: it counts what each focus selects. */
        if ((!re || S_matches(re, key)) &&
            (S_in_focus(c, &pl->v[k]) || plain) &&
            S_in_shard(c, f, name) && S_failed_last(c, &pl->v[k]))
            c->selected[i][c->n_selected[i]++] = galley__xstrdup(name);
        free(key);
    }
    int mine = pl->n ? c->n_selected[i] > 0 : S_in_shard(c, f, NULL);
    c->skip[i] = c->n_selected[i] == 0 &&
                 (re || (c->focused && !plain) || c->last_failed.n || !mine);
}

/* Reads the FILE:LINE paths of the command: their files' real paths. */
static void S_focus_init(S_ctx *c)
{
    c->focus = galley__xcalloc(c->o->n_paths + 1, sizeof *c->focus);
    c->focus_hits = galley__xcalloc(c->o->n_paths + 1, sizeof *c->focus_hits);
    c->plain = galley__xcalloc(c->o->n_paths + 1, sizeof *c->plain);
    for (size_t j = 0; c->o->lines && j < c->o->n_paths; j++) {
        char real[PATH_MAX];
        if (!realpath(c->o->paths[j], real))
            continue;
        if (c->o->lines[j] > 0) {
            c->focus[j] = galley__xstrdup(real);
            c->focused = 1;
        } else {
            c->plain[j] = galley__xstrdup(real);
        }
    }
}

/* Says that FILE:LINE (path j) holds no TEST, naming the nearest ones.
 * Returns -1. */
static int S_focus_missed(S_ctx *c, size_t j)
{
    galley__srcfile *f = galley__srcfile_get(&c->files, c->focus[j]);
    int line = c->o->lines[j];
    const galley__scanned_test *before = NULL, *after = NULL;
    for (size_t k = 0; k < f->scan.n_tests; k++) {
        const galley__scanned_test *t = &f->scan.tests[k];
        if (t->close_line < line)
            before = t;
        else if (t->line > line && !after)
            after = t;
    }
    if (!before && !after) {
        galley__error_col(f->display, line, 1, "this file has no TEST; "
                          "FILE:LINE runs the TEST whose body holds LINE");
        return -1;
    }
    galley__buf b;
    galley__buf_init(&b);
    const galley__scanned_test *near[2] = {before, after};
    for (int n = 0; n < 2; n++)
        if (near[n])
            galley__buf_printf(&b, "%s'%s' (lines %d-%d)",
                               b.len ? " and " : "", near[n]->name,
                               near[n]->line, near[n]->close_line);
    galley__error_col(f->display, line, 1, "line %d is not inside a TEST; "
                      "the nearest: %s", line, b.ptr);
    galley__buf_fini(&b);
    return -1;
}

/* Checks that each FILE:LINE found its test. Returns 0 or -1. */
static int S_focus_check(S_ctx *c)
{
    for (size_t j = 0; j < c->o->n_paths; j++)
        if (c->focus[j] && c->focus_hits[j] == 0)
            return S_focus_missed(c, j);
    return 0;
}

/* Adds the TESTs of file f to plan. */
static void S_plan_file(S_plan *plan, galley__srcfile *f)
{
    const galley__scan *sc = &f->scan;
    if (sc->n_tests == 0)
        return;
    plan->v = galley__xrealloc(plan->v,
                               (plan->n + sc->n_tests) * sizeof *plan->v);
    for (size_t k = 0; k < sc->n_tests; k++)
        plan->v[plan->n++] = (S_planned){sc->tests[k].name, f,
                                         sc->tests[k].line,
                                         sc->tests[k].branch};
}

/* Plans source i: its own TESTs, then those of the project headers it
 * includes, which its program holds too. A header is read only when its
 * text has a TEST, so that helper headers are left to the comparison. */
static void S_plan_source(S_ctx *c, size_t i)
{
    S_plan *plan = &c->plans[i];
    S_plan_file(plan, c->tests[i]);
    galley__words headers = {0};
    galley__includes_headers(c->includes, c->sources.v[i].path, &headers);
    for (size_t h = 0; h < headers.n; h++)
        if (galley__file_mentions(headers.v[h], "TEST"))
            S_plan_file(plan, galley__srcfile_get(&c->files, headers.v[h]));
    galley__words_fini(&headers);
}

/* Fills r when source i cannot be run as it is: a name that the build
 * cannot write, a fatal problem that the scanner found in one of its
 * files, or two TESTs of one name that would be compiled together (the
 * compiler would bury that under dozens of lines about galley's
 * macros). */
static void S_refuse(S_ctx *c, size_t i, S_refusal *r)
{
    const S_plan *pl = &c->plans[i];
    if (galley__has_control(c->sources.v[i].path)) {
        r->file = galley__xstrdup(c->tests[i]->display);
        r->line = 0;
        r->msg = galley__xstrdup("its name holds a control character (a "
                                 "newline?), which the build cannot name: "
                                 "rename the file");
        return;
    }
    for (size_t k = 0; k <= pl->n && !r->msg; k++) {
        galley__srcfile *f = k == 0 ? c->tests[i] : pl->v[k - 1].file;
        for (size_t e = 0; e < f->scan.n_errors && !r->msg; e++)
            if (f->scan.errors[e].fatal) {
                r->file = galley__xstrdup(f->display);
                r->line = f->scan.errors[e].line;
                r->msg = galley__xstrdup(f->scan.errors[e].msg);
            }
    }
    for (size_t a = 0; a < pl->n && !r->msg; a++)
        for (size_t b = a + 1; b < pl->n && !r->msg; b++) {
            const S_planned *x = &pl->v[a], *y = &pl->v[b];
            /* In one #if branch (or in none) the compiler sees both. */
            int together = x->file == y->file ? x->branch == y->branch
                                              : !x->branch && !y->branch;
            if (!together || strcmp(x->name, y->name) != 0)
                continue;
            r->file = galley__xstrdup(y->file->display);
            r->line = y->line;
            r->msg = galley__xasprintf("TEST name '%s' already used at "
                                       "%s:%d; rename one of them", y->name,
                                       x->file->display, x->line);
        }
}

/* Reads and scans every source and the headers with TESTs it includes,
 * and applies the filter. */
static int S_scan_and_select(S_ctx *c)
{
    size_t n = c->sources.n;
    char why[512];
    pcre2_code *re = c->o->filter ? S_compile_filter(c->o->filter, why,
                                                     sizeof why)
                                  : NULL;
    if (c->o->filter && !re) { /* checked by the option parser already */
        galley__error_at(NULL, 0, "%s", why);
        return -1;
    }
    c->tests = galley__xcalloc(n + 1, sizeof *c->tests);
    c->plans = galley__xcalloc(n + 1, sizeof *c->plans);
    c->refused = galley__xcalloc(n + 1, sizeof *c->refused);
    c->selected = galley__xcalloc(n + 1, sizeof *c->selected);
    c->n_selected = galley__xcalloc(n + 1, sizeof *c->n_selected);
    c->skip = galley__xcalloc(n + 1, sizeof *c->skip);
    S_focus_init(c);
    for (size_t i = 0; i < n; i++) {
        c->tests[i] = galley__srcfile_get(&c->files, c->sources.v[i].path);
        S_plan_source(c, i);
    }
    S_failed_check(c);
    for (size_t i = 0; i < n; i++) {
        S_select(c, i, re);
        if (!c->skip[i] && !c->o->list)
            S_refuse(c, i, &c->refused[i]);
    }
    if (S_focus_check(c) != 0) {
        pcre2_code_free(re);
        return -1;
    }
    size_t any = 0;
    for (size_t i = 0; i < n; i++)
        any += c->n_selected[i];
    if (re && any == 0)
        galley__warning_at(NULL, 0, "no test matches --filter %s",
                           c->o->filter);
    pcre2_code_free(re);
    return 0;
}

/* Returns the planned test of source i named name, or NULL. */
static const S_planned *S_planned_test(const S_ctx *c, size_t i,
                                       const char *name)
{
    for (size_t k = 0; k < c->plans[i].n; k++)
        if (!strcmp(c->plans[i].v[k].name, name))
            return &c->plans[i].v[k];
    return NULL;
}

static int S_list(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++)
        for (size_t s = 0; s < c->n_selected[i]; s++) {
            const S_planned *p = S_planned_test(c, i, c->selected[i][s]);
            printf("%s:%d: %s\n", p->file->display, p->line, p->name);
        }
    return 0;
}

/* ---- building ---- */

/* Fails every selected test of source i (or the file, if it has none) as
 * not run, for reason what. The human report shows them as one line of
 * their file (see S_not_built), the machine reports each. */
static void S_fail_all(S_ctx *c, size_t i, const char *what)
{
    galley__srcfile *f = c->tests[i];
    if (c->n_selected[i] == 0)
        galley__verdict_fail(&c->verdicts, &c->n_verdicts, f->display, 1,
                            "(file)", what);
    for (size_t s = 0; s < c->n_selected[i]; s++) {
        const S_planned *p = S_planned_test(c, i, c->selected[i][s]);
        galley__verdict_fail(&c->verdicts, &c->n_verdicts, p->file->display,
                            p->line, p->name, what);
        c->verdicts[c->n_verdicts - 1].grouped = 1;
    }
}

/* Prints the line that stands for the tests of source i that were not
 * run because of why. */
static void S_not_built(S_ctx *c, size_t i, const char *why)
{
    size_t n = c->n_selected[i];
    if (n)
        fprintf(S_human(c), "%s: %s: %zu test%s not run\n\n",
                c->tests[i]->display, why, n, n == 1 ? "" : "s");
}

/* Reports compile errors and warnings; fails the files that did not
 * build. The code under test failing stops every program: its errors are
 * shown once, then one line counts what it stopped. */
static void S_report_build(S_ctx *c)
{
    galley__build *b = &c->build;
    size_t stopped = 0, tests = 0;
    if (b->sut_failed)
        galley__report_compile_error(S_human(c), "code under test (galley.conf "
                                                "sources)", b->sut_log, &c->ro);
    else if (b->sut_log && *b->sut_log) /* warnings */
        fputs(b->sut_log, S_human(c));
    for (size_t i = 0; i < b->n; i++) {
        if (c->skip[i] || c->refused[i].msg)
            continue;
        if (!b->progs[i].ok) {
            if (!b->sut_failed || b->progs[i].own_error) {
                /* Its own errors are shown even when the code under test
                 * failed too. */
                galley__report_compile_error(S_human(c), c->tests[i]->display,
                                            b->progs[i].log, &c->ro);
                S_not_built(c, i, "did not compile");
            }
            galley__tally_broken(&c->tally, c->tests[i]->display,
                                b->sut_failed ? b->sut_log : b->progs[i].log);
            S_fail_all(c, i, b->sut_failed && !b->progs[i].own_error
                                 ? "not built: the code under test did not "
                                   "compile"
                                 : "did not compile");
            c->compile_failed++;
            stopped++;
            tests += c->n_selected[i];
        } else if (*b->progs[i].log) {
            fputs(b->progs[i].log, S_human(c));
        }
    }
    if (b->sut_failed)
        fprintf(S_human(c), "galley: the code under test did not compile: "
                "%zu test program%s not built, %zu test%s not run\n\n",
                stopped, stopped == 1 ? "" : "s", tests, tests == 1 ? "" : "s");
}

/* Fails every selected test when nothing could be built: galley.conf
 * names a source that is missing (c->blocked), or ninja itself failed (it
 * said why), so that the summary and the machine reports still come. */
static void S_build_failed(S_ctx *c)
{
    size_t progs = 0, tests = 0;
    char *what = galley__xasprintf("not built: %s",
                                   c->blocked ? c->blocked
                                              : "the build could not run");
    for (size_t i = 0; i < c->sources.n; i++) {
        if (c->skip[i] || c->refused[i].msg)
            continue;
        S_fail_all(c, i, what);
        c->compile_failed++;
        progs++;
        tests += c->n_selected[i];
    }
    fprintf(S_human(c), "galley: %s: %zu test program%s not built, %zu "
            "test%s not run\n\n", c->blocked ? c->blocked
                                             : "the build could not run",
            progs, progs == 1 ? "" : "s", tests, tests == 1 ? "" : "s");
    free(what);
}

/* Reports the refused sources (S_refuse) and fails their tests. */
static void S_report_refused(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        const S_refusal *r = &c->refused[i];
        if (c->skip[i] || !r->msg)
            continue;
        if (c->n_selected[i] == 0) {
            galley__verdict_fail(&c->verdicts, &c->n_verdicts, r->file,
                                r->line ? r->line : 1, "(file)", r->msg);
            continue;
        }
        char *at = r->line ? galley__xasprintf("%s:%d", r->file, r->line)
                           : galley__xstrdup(r->file);
        fprintf(S_human(c), "%s: error: %s\n", at, r->msg);
        char *what = galley__xasprintf("not run: %s: %s", at, r->msg);
        free(at);
        S_fail_all(c, i, what);
        S_not_built(c, i, "not built");
        free(what);
    }
}

/* Returns how galley.conf's path p (absolute) is shown: relative to the
 * root when below it, as it is usually written there. */
static const char *S_conf_path(const S_ctx *c, const char *p)
{
    size_t n = strlen(c->conf.root);
    return !strncmp(p, c->conf.root, n) && p[n] == '/' ? p + n + 1 : p;
}

/* Checks the sources galley.conf names before anything is built: one
 * that is missing is an error of galley.conf at its line, which fails the
 * run and stops every program (c->blocked says why), instead of a raw
 * ninja error. (A missing include directory is left to the compiler,
 * which ignores it, as an example configuration may name one.) */
static void S_check_conf_paths(S_ctx *c)
{
    const galley__words *w = &c->conf.sources;
    char *shown = c->conf.file ? galley__display_path(c->conf.file,
                                                     c->files.cwd)
                               : galley__xstrdup("galley.conf");
    for (size_t k = 0; k < w->n; k++) {
        struct stat st;
        int found = stat(w->v[k], &st) == 0;
        const char *what = !found && errno != ENOENT ? strerror(errno)
                           : !found                  ? "no such file"
                           : !S_ISREG(st.st_mode)    ? "not a file"
                           : galley__has_control(w->v[k])
                               ? "its name holds a control character: "
                                 "rename it"
                               : NULL;
        if (!what)
            continue;
        int line = w->lines ? w->lines[k] : 0;
        galley__error_at(shown, line, "sources: %s: %s",
                         S_conf_path(c, w->v[k]), what);
        c->config_errors++;
        if (!c->blocked)
            c->blocked = galley__xasprintf("%s:%d: %s: %s", shown, line,
                                           S_conf_path(c, w->v[k]), what);
    }
    free(shown);
}

/* Replaces *log by its rebased copy (paths.h). */
static void S_rebase(char **log, const S_ctx *c)
{
    char *rebased = galley__rebase_log(*log, c->conf.root, c->files.cwd);
    free(*log);
    *log = rebased;
}

/* Names the files of the compiler's diagnostics from the directory galley
 * was started in, as its own lines do: the compiler ran in the root. */
static void S_rebase_logs(S_ctx *c)
{
    S_rebase(&c->build.sut_log, c);
    for (size_t i = 0; i < c->build.n; i++)
        S_rebase(&c->build.progs[i].log, c);
}

/* Builds the programs of the files that have a selected test, so that a
 * shard or a --filter builds only what it runs; the programs then sit at
 * the index of their source, the others empty (not ok). Returns what
 * galley__build_run does. */
static int S_build(S_ctx *c)
{
    size_t n = c->sources.n;
    galley__sources some = {galley__xcalloc(n + 1, sizeof *some.v), 0};
    size_t *at = galley__xcalloc(n + 1, sizeof *at);
    for (size_t i = 0; i < n; i++)
        if (!c->skip[i] && !c->refused[i].msg) {
            at[some.n] = i;
            some.v[some.n++] = c->sources.v[i]; /* borrowed */
        }
    int rc = 0;
    if (c->blocked)
        memset(&c->build, 0, sizeof c->build);
    else if (some.n || !n) /* nothing selected: nothing to build */
        rc = galley__build_run(&c->build, &c->conf, &c->rt, &some, c->o->jobs,
                              c->progress);
    galley__program *all = galley__xcalloc(n + 1, sizeof *all);
    for (size_t k = 0; k < some.n && c->build.progs; k++)
        all[at[k]] = c->build.progs[k];
    free(c->build.progs);
    c->build.progs = all;
    c->build.n = n;
    free(some.v);
    free(at);
    S_rebase_logs(c);
    return rc;
}

/* Returns the heap path, relative to the root, of the stable name of
 * source i's program: _galley/bin/ and the test file's path below the root
 * without ".c" (_galley/bin/tests/x_test), or NULL for a file outside the
 * root. */
static char *S_stable_name(const S_ctx *c, size_t i)
{
    const char *p = c->sources.v[i].path;
    size_t n = strlen(c->conf.root), len = strlen(p);
    if (strncmp(p, c->conf.root, n) != 0 || p[n] != '/')
        return NULL;
    if (len > 2 && !strcmp(p + len - 2, ".c"))
        len -= 2;
    return galley__xasprintf("_galley/bin/%.*s", (int)(len - n - 1),
                             p + n + 1);
}

/* Points the stable name of each program built (S_stable_name) at it, so
 * that a person can type the name to debug a test: the program itself is
 * named for the build, with a hash. */
static void S_link_programs(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        char *name = c->build.progs && c->build.progs[i].ok
                         ? S_stable_name(c, i) : NULL;
        if (!name)
            continue;
        char *link = galley__xasprintf("%s/%s", c->conf.root, name);
        /* From the link's directory back up to _galley/bin/. */
        galley__buf target;
        galley__buf_init(&target);
        for (const char *q = name + strlen("_galley/bin/"); *q; q++)
            if (*q == '/')
                galley__buf_puts(&target, "../");
        galley__buf_puts(&target, strrchr(c->build.progs[i].exe, '/') + 1);
        char old[PATH_MAX];
        ssize_t n = readlink(link, old, sizeof old - 1);
        if (n < 0 || (size_t)n != target.len ||
            memcmp(old, target.ptr, target.len) != 0) {
            *strrchr(link, '/') = '\0';
            galley__mkdirs(link);
            link[strlen(link)] = '/';
            unlink(link);
            if (symlink(target.ptr, link) != 0 && errno != EEXIST)
                galley__error_at(NULL, 0, "cannot make %s: %s", name,
                                 strerror(errno));
        }
        galley__buf_fini(&target);
        free(link);
        free(name);
    }
}

/* ---- executing ---- */

/* Adds a job of source i running the n tests named by names, or, with
 * names NULL, the part-th of parts slices of the program's own tests. */
static galley__job *S_add_job(S_ctx *c, size_t i, char *const *names,
                              size_t n, int part, int parts)
{
    c->jobs = galley__xrealloc(c->jobs, (c->n_jobs + 1) * sizeof *c->jobs);
    c->job_src = galley__xrealloc(c->job_src,
                                  (c->n_jobs + 1) * sizeof *c->job_src);
    c->job_whole = galley__xrealloc(c->job_whole,
                                    (c->n_jobs + 1) * sizeof *c->job_whole);
    c->job_whole[c->n_jobs] = names == NULL;
    galley__job *j = &c->jobs[c->n_jobs];
    memset(j, 0, sizeof *j);
    j->exe = c->build.progs[i].exe;
    j->name = c->tests[i]->display;
    j->timeout_ms = c->conf.timeout_ms;
    j->output_limit = c->conf.output_limit;
    if (!names) {
        j->part = part + 1;
        j->parts = parts;
    } else {
        j->n_only = n;
        j->only = galley__xcalloc(n + 1, sizeof(char *));
        for (size_t k = 0; k < n; k++)
            j->only[k] = galley__xstrdup(names[k]);
    }
    c->job_src[c->n_jobs++] = i;
    return j;
}

/* What one program is to run: the tests its cache cannot give (names, or
 * the whole program), and those it can (hits). */
typedef struct S_todo {
    galley__words run;         /* tests to run by name */
    int whole;                 /* run the whole program instead */
    size_t weight;             /* how many tests will run */
    const galley__cache_entry **hits;
    size_t n_hits;
} S_todo;

/* Decides what program i runs and what its cache gives. When every test
 * of a file is selected and its cache holds every test of the program,
 * the cached ones come from there and the rest run by name; with a cache
 * that does not know the whole program, the whole program runs (asked
 * for slices of its own tests rather than for names, so that a test the
 * scanner did not see, from a header it could not follow, still runs). */
static void S_todo_of(S_ctx *c, size_t i, int all, S_todo *t)
{
    galley__cache_pack *p = &c->packs[i];
    memset(t, 0, sizeof *t);
    galley__cache_open_pack(&c->cache, c->build.progs[i].exe, NULL, p);
    size_t n = all && p->complete ? p->n : c->n_selected[i];
    t->hits = galley__xcalloc(n + 1, sizeof *t->hits);
    if (all && !p->complete) {
        t->whole = 1;
        t->weight = c->n_selected[i] ? c->n_selected[i] : 1;
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const char *name = all ? p->v[k].name : c->selected[i][k];
        const galley__cache_entry *e = galley__cache_hit(&c->cache, p, name);
        if (e)
            t->hits[t->n_hits++] = e;
        else
            galley__words_add(&t->run, name);
    }
    t->weight = t->run.n;
}

/* Adds the job that stands for the cached results of program i: its
 * results file made of the cached records, as if the program had run
 * them and ended well. */
static void S_add_cached_job(S_ctx *c, size_t i, const S_todo *t)
{
    galley__job *j = S_add_job(c, i, NULL, 0, 0, 0);
    c->job_whole[c->n_jobs - 1] = 0; /* it holds the hits, by name */
    galley__buf_printf(&j->results, "%s %d\n", GALLEY__RESULTS_MAGIC,
                       GALLEY__RESULTS_VERSION);
    for (size_t k = 0; k < t->n_hits; k++)
        galley__buf_add(&j->results, t->hits[k]->block, t->hits[k]->len);
    j->status = 0;
    j->cached = 1;
}

/* The fewest tests a slice of a program holds: each slice costs a start
 * of the program. */
#define S_MIN_SLICE 32

/* Orders the jobs made so far longest first (by the tests each runs), so
 * that the last to start are short. Jobs of fewer than S_MIN_SLICE tests
 * keep their order: their count says little of how long they take. */
static void S_order_jobs(S_ctx *c, const S_todo *todo)
{
    size_t n = c->n_jobs;
    size_t *w = galley__xcalloc(n + 1, sizeof *w);
    for (size_t j = 0; j < n; j++) {
        const galley__job *job = &c->jobs[j];
        w[j] = job->parts ? todo[c->job_src[j]].weight / (size_t)job->parts
                          : job->n_only;
        w[j] = w[j] < S_MIN_SLICE ? 0 : w[j];
    }
    /* Insertion sort: stable, and n is the number of jobs. */
    for (size_t j = 1; j < n; j++)
        for (size_t k = j; k > 0 && w[k - 1] < w[k]; k--) {
            size_t tw = w[k];
            w[k] = w[k - 1];
            w[k - 1] = tw;
            galley__job tj = c->jobs[k];
            c->jobs[k] = c->jobs[k - 1];
            c->jobs[k - 1] = tj;
            size_t ts = c->job_src[k];
            c->job_src[k] = c->job_src[k - 1];
            c->job_src[k - 1] = ts;
            int tb = c->job_whole[k];
            c->job_whole[k] = c->job_whole[k - 1];
            c->job_whole[k - 1] = tb;
        }
    free(w);
}

/* Splits what is to run into jobs, then adds the cached results. A
 * program gets several jobs when its tests are a large share of the run,
 * so that with -j N the tests of one large program do not run one after
 * another while the other slots idle: slices of about a quarter of an
 * even share per slot, and the longest jobs first. */
static void S_plan_jobs(S_ctx *c)
{
    size_t n = c->sources.n, total = 0;
    int all = !c->o->filter && c->o->shard_total <= 1 && !c->focused &&
              c->last_failed.n == 0;
    S_todo *todo = galley__xcalloc(n + 1, sizeof *todo);
    c->packs = galley__xcalloc(n + 1, sizeof *c->packs);
    c->whole_ok = galley__xcalloc(n + 1, sizeof *c->whole_ok);
    for (size_t i = 0; i < n; i++) {
        if (c->skip[i] || !c->build.progs[i].ok ||
            (c->n_selected[i] == 0 && !all))
            continue;
        S_todo_of(c, i, all, &todo[i]);
        total += todo[i].weight;
    }
    size_t slots = (size_t)c->o->jobs;
    size_t chunk = (total + 4 * slots - 1) / (4 * slots);
    chunk = chunk < S_MIN_SLICE ? S_MIN_SLICE : chunk;
    for (size_t i = 0; i < n; i++) {
        S_todo *t = &todo[i];
        size_t w = t->weight, parts = (w + chunk - 1) / chunk;
        parts = parts > slots ? slots : parts ? parts : 1;
        if (t->whole) {
            c->whole_ok[i] = 1;
            for (size_t p = 0; p < parts; p++)
                S_add_job(c, i, NULL, 0, (int)p, (int)parts);
        } else if (t->run.n) {
            parts = parts > t->run.n ? t->run.n : parts;
            for (size_t p = 0; p < parts; p++)
                S_add_job(c, i, t->run.v + w * p / parts,
                          w * (p + 1) / parts - w * p / parts, 0, 0);
        }
    }
    S_order_jobs(c, todo);
    c->n_run = c->n_jobs;
    for (size_t i = 0; i < n; i++) {
        if (todo[i].n_hits)
            S_add_cached_job(c, i, &todo[i]);
        galley__words_fini(&todo[i].run);
        free(todo[i].hits);
    }
    free(todo);
}

/* Records that job j's program died (why) with its own output (its log),
 * which the tests it did not report then carry as their stderr. */
static void S_program_died(S_ctx *c, size_t j, const char *why)
{
    galley__job *job = &c->jobs[j];
    size_t i = c->job_src[j];
    c->died[i] = 1;
    if (c->died_why[i])
        return;
    c->died_why[i] = galley__xasprintf("the test program %s: %s", job->exe,
                                       why);
    c->died_log[i] = job->log;
    galley__buf_init(&job->log);
}

/* Handles the selected tests of source i that none of its jobs reported.
 * When every job ran to its end, such a TEST was never compiled into the
 * program (inside #if 0, say): it is skipped. When one died, they did not
 * run. */
static void S_missing_tests(S_ctx *c, size_t i)
{
    for (size_t k = 0; k < c->n_selected[i]; k++) {
        const char *name = c->selected[i][k];
        int found = 0;
        for (size_t t = 0; t < c->reported[i].n && !found; t++)
            found = !strcmp(c->reported[i].v[t], name);
        if (found)
            continue;
        const S_planned *p = S_planned_test(c, i, name);
        if (c->died[i]) {
            galley__verdict_fail(&c->verdicts, &c->n_verdicts,
                                p->file->display, p->line, name,
                                c->died_why[i] ? c->died_why[i]
                                               : "not run: the test program "
                                                 "died before this test");
            galley__verdict *v = &c->verdicts[c->n_verdicts - 1];
            v->err = galley__xstrndup(c->died_log[i].ptr ? c->died_log[i].ptr
                                                         : "",
                                      c->died_log[i].len);
            v->err_len = c->died_log[i].len;
            continue;
        }
        if (c->stopped[i]) {
            c->not_run++;
            galley__tally_add(&c->tally, p->file->display, p->line, name, 0,
                             "not run: --fail-fast stopped the run at the "
                             "first failure");
            continue;
        }
        if (c->o->verbosity > 0)
            fprintf(S_human(c), "%s: %s: skipped (not compiled into the "
                    "program: inside #if?)\n", p->file->display, name);
        c->skipped++;
        galley__tally_add(&c->tally, p->file->display, p->line, name, 0,
                         "not compiled into the program (inside #if?)");
    }
}

/* Appends word to b, quoted for the shell when it must be. */
static void S_shell_quote(galley__buf *b, const char *word)
{
    if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                              "TUVWXYZ0123456789_./-+,:@%=") == strlen(word)) {
        galley__buf_puts(b, word);
        return;
    }
    galley__buf_putc(b, '\'');
    for (; *word; word++)
        if (*word == '\'')
            galley__buf_puts(b, "'\\''");
        else
            galley__buf_putc(b, *word);
    galley__buf_putc(b, '\'');
}

/* Returns the heap line that says how to rerun test name of program exe
 * (root-relative) under a debugger: a command to paste, run from the
 * root (where tests run), quoted as the shell needs. */
static char *S_debug_hint(const S_ctx *c, const char *exe, const char *name)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_puts(&b, "debug it with: ");
    if (strcmp(c->conf.root, c->files.cwd) != 0) {
        char *to_root = galley__relative_path(c->conf.root, c->files.cwd);
        galley__buf_puts(&b, "cd ");
        S_shell_quote(&b, to_root);
        galley__buf_puts(&b, " && ");
        free(to_root);
    }
    galley__buf_puts(&b, "gdb --args ");
    S_shell_quote(&b, exe);
    galley__buf_printf(&b, " --galley-only=%s --galley-no-fork", name);
    return galley__buf_detach(&b, NULL);
}

/* Says, for each test of r that crashed, where (crash.h) and how to rerun
 * it under a debugger by the stable name of its program. */
static void S_locate_crashes(S_ctx *c, size_t j, galley__results *r)
{
    size_t i = c->job_src[j];
    for (size_t k = 0; k < r->n_tests; k++) {
        galley__result *t = &r->tests[k];
        if (t->end != GALLEY__END_SIGNAL || (t->truncated &&
                                            t->end_value == SIGKILL))
            continue;
        t->crash_site = galley__crash_site(c->jobs[j].exe, c->conf.root,
                                          c->files.cwd, t->crash, t->n_crash,
                                          c->tests[i]->display);
        char *name = S_stable_name(c, i);
        t->debug = S_debug_hint(c, name ? name : c->jobs[j].exe, t->name);
        free(name);
    }
}

/* Whether result t may be reused: it ended, neither out of time,
 * skipped nor cut at the output limit, nor with .no_cache. A skip is not
 * kept: what made a test skip itself (no device, no network) is seldom a
 * file the cache can watch. */
static int S_reusable(const galley__result *t)
{
    return galley__result_ended(t) && t->end != GALLEY__END_TIMEOUT &&
           t->end != GALLEY__END_SKIP && !t->truncated && !t->no_cache;
}

/* Keeps in the cache the results of the tests of job j (raw: the
 * results file as written) that may be reused (S_reusable); the others
 * that ended are noted as tests of the program that must run. The runs
 * of a test with .devices, one after the other in the file, are one
 * entry: kept when each may be, a skipped device's run included. */
static void S_cache_results(S_ctx *c, size_t j, const galley__results *r,
                            const char *raw)
{
    galley__cache_pack *p = &c->packs[c->job_src[j]];
    for (size_t k = 0, e; k < r->n_tests; k = e) {
        const galley__result *t = &r->tests[k];
        int keep = S_reusable(t), ended = galley__result_ended(t);
        for (e = k + 1; e < r->n_tests && t->device &&
                        r->tests[e].device > r->tests[e - 1].device &&
                        !strcmp(r->tests[e].name, t->name);
             e++) {
            keep &= S_reusable(&r->tests[e]);
        }
        if (!ended)
            continue;
        galley__cache_put(&c->cache, p, t->name, raw + t->rec_at,
                          keep ? r->tests[e - 1].rec_end - t->rec_at : 0,
                          t->inputs, !keep);
    }
}

/* Reads job j's results and judges its tests. A program that wrote no
 * usable results fails all the tests it was given. Returns 1 when a test
 * failed or the program died (its tests then fail), else 0. */
static int S_judge_job(S_ctx *c, size_t j)
{
    galley__job *job = &c->jobs[j];
    int ran = job->status >= 0;
    int ran_out = ran && WIFEXITED(job->status) &&
                  WEXITSTATUS(job->status) <= 1;
    galley__results r;
    char *err = NULL;
    size_t before_all = c->n_verdicts;
    memset(&r, 0, sizeof r);
    size_t len = job->results.len;
    /* The parse writes into the data: the cache keeps a copy. */
    char *raw = ran && !job->cached && c->cache.write && len
                    ? galley__xstrndup(job->results.ptr, len) : NULL;
    if (ran && galley__results_parse(&r, galley__buf_detach(&job->results,
                                                          NULL),
                                    len, &err) != 0 &&
        r.n_tests > 0) {
        free(err); /* a truncated file: judge what it holds */
        err = NULL;
    }
    if (raw)
        S_cache_results(c, j, &r, raw);
    free(raw);
    if (c->job_whole[j] && !(ran_out && !err))
        c->whole_ok[c->job_src[j]] = -1; /* a slice did not end well */
    if (ran && !err && r.n_tests == 0 && !ran_out)
        err = galley__xstrdup("wrote no results"); /* it died at once */
    int parsed = ran && (r.n_tests > 0 || !err);
    if (!parsed) {
        char *sig = ran && WIFSIGNALED(job->status)
                        ? galley__signal_name(WTERMSIG(job->status)) : NULL;
        char *why = sig ? galley__xasprintf("%s (killed by %s)",
                                            err ? err : "wrote no results",
                                            sig)
                        : galley__xasprintf("%s (exit status %d)",
                                            err ? err : "wrote no results",
                                            ran ? WEXITSTATUS(job->status)
                                                : -1);
        S_program_died(c, j, why);
        free(why);
        free(sig);
    } else {
        size_t i = c->job_src[j], before = c->n_verdicts;
        S_locate_crashes(c, j, &r);
        galley__compare(&c->files, c->tests[i], &r, &c->verdicts,
                       &c->n_verdicts);
        for (size_t v = before; v < c->n_verdicts; v++)
            c->verdicts[v].cached = job->cached;
        for (size_t t = 0; t < r.n_tests; t++)
            galley__words_add(&c->reported[i], r.tests[t].name);
    }
    if (parsed && !ran_out)
        c->died[c->job_src[j]] = 1;
    galley__results_fini(&r);
    free(err);
    int failed = c->died[c->job_src[j]];
    for (size_t v = before_all; v < c->n_verdicts && !failed; v++)
        failed = c->verdicts[v].n_fails > 0;
    return failed;
}

/* Writes the programs' packs back to the cache: a pack whose whole
 * program ran to its end now knows every test of it. */
static void S_save_packs(S_ctx *c)
{
    for (size_t i = 0; i < c->sources.n; i++) {
        galley__cache_pack *p = &c->packs[i];
        if (c->whole_ok[i] == 1 && !p->complete && p->key[0]) {
            p->complete = 1;
            p->dirty = 1;
        }
        galley__cache_save(&c->cache, p);
    }
}

/* What galley__exec's hook holds: the run, which jobs have ended, and
 * the first not yet judged. */
typedef struct S_ff {
    S_ctx *c;
    char *ended;
    size_t next;
} S_ff;

/* galley__exec's hook under --fail-fast: judges the jobs in their order
 * as far as they have ended (in order, so that what is judged first, as
 * the output of a header's test that two programs share, does not depend
 * on which program ended first); a failure stops the run. */
static int S_job_ended(void *arg, size_t j)
{
    S_ff *ff = arg;
    int failed = 0;
    ff->ended[j] = 1;
    while (ff->next < ff->c->n_run && ff->ended[ff->next])
        failed |= S_judge_job(ff->c, ff->next++);
    return failed;
}

/* Whether the run has failed before any test ran: a file that did not
 * compile or was refused, a bad line of galley.conf. */
static int S_failed_before_running(const S_ctx *c)
{
    if (c->compile_failed || c->config_errors)
        return 1;
    for (size_t i = 0; i < c->sources.n; i++)
        if (!c->skip[i] && c->refused[i].msg)
            return 1;
    return 0;
}

/* Marks job j stopped by --fail-fast: its tests did not run. */
static void S_stop_job(S_ctx *c, size_t j)
{
    c->jobs[j].stopped = 1;
    c->stopped[c->job_src[j]] = 1;
    if (c->job_whole[j])
        c->whole_ok[c->job_src[j]] = -1;
}

/* Runs the jobs and judges them, in their order, then the cached results.
 * Under --fail-fast the cached results are judged first, so that a
 * failure among them stops the run before anything starts, as does a
 * failure of the build; the jobs that run are judged as they end. */
static int S_execute(S_ctx *c)
{
    int on = !c->conf.cache_off;
    galley__cache_init(&c->cache, &c->conf, on && !c->o->no_cache, on);
    S_plan_jobs(c);
    size_t n = c->sources.n + 1;
    c->reported = galley__xcalloc(n, sizeof *c->reported);
    c->died = galley__xcalloc(n, sizeof *c->died);
    c->died_why = galley__xcalloc(n, sizeof *c->died_why);
    c->died_log = galley__xcalloc(n, sizeof *c->died_log);
    c->stopped = galley__xcalloc(n, sizeof *c->stopped);
    int failed = 0;
    if (c->o->fail_fast) {
        failed = S_failed_before_running(c);
        for (size_t j = c->n_run; j < c->n_jobs; j++)
            failed |= S_judge_job(c, j);
    }
    S_ff ff = {c, galley__xcalloc(c->n_run + 1, 1), 0};
    galley__exec_hook hook = {S_job_ended, &ff};
    if (c->o->fail_fast && failed)
        for (size_t j = 0; j < c->n_run; j++)
            c->jobs[j].stopped = 1;
    else
        galley__exec(c->jobs, c->n_run, c->o->jobs, c->conf.root,
                     c->progress, c->o->fail_fast ? &hook : NULL);
    for (size_t j = ff.next; j < c->n_run; j++)
        if (c->jobs[j].stopped)
            S_stop_job(c, j);
        else
            S_judge_job(c, j);
    free(ff.ended);
    for (size_t j = c->n_run; j < c->n_jobs && !c->o->fail_fast; j++)
        S_judge_job(c, j);
    for (size_t i = 0; i < c->sources.n; i++)
        if (!c->skip[i] && !c->refused[i].msg && c->build.progs[i].ok)
            S_missing_tests(c, i);
    S_save_packs(c);
    return 0;
}

/* ---- scan errors ---- */

/* Returns 1 if the run selected a test named name written in file f. */
static int S_selected_in(const S_ctx *c, const galley__srcfile *f,
                         const char *name)
{
    for (size_t i = 0; i < c->sources.n; i++)
        for (size_t s = 0; !c->skip[i] && s < c->n_selected[i]; s++) {
            const S_planned *p = S_planned_test(c, i, c->selected[i][s]);
            if (p && p->file == f && !strcmp(p->name, name))
                return 1;
        }
    return 0;
}

/* Attaches scan error se of file f to the verdict of test name: first,
 * since the problem in the source likely explains the rest; or to a
 * verdict of its own, so that a test counts once in the summary. */
static void S_scan_error_to(S_ctx *c, galley__srcfile *f, const char *name,
                            const galley__scan_error *se)
{
    galley__verdict *v = NULL;
    for (size_t k = 0; k < c->n_verdicts && !v; k++)
        if (!strcmp(c->verdicts[k].file, f->display) &&
            !strcmp(c->verdicts[k].name, name))
            v = &c->verdicts[k];
    if (!v) {
        galley__verdict_fail(&c->verdicts, &c->n_verdicts, f->display,
                            se->line, name, se->msg);
        c->verdicts[c->n_verdicts - 1].fails[0].kind = GALLEY__FAIL_ERROR;
        return;
    }
    v->fails = galley__xrealloc(v->fails, (v->n_fails + 1) * sizeof *v->fails);
    memmove(v->fails + 1, v->fails, v->n_fails++ * sizeof *v->fails);
    galley__failure *fl = &v->fails[0];
    memset(fl, 0, sizeof *fl);
    fl->kind = GALLEY__FAIL_ERROR;
    fl->file = galley__xstrdup(f->display);
    fl->line = se->line;
    fl->what = galley__xstrdup(se->msg);
}

/* Attaches scan error se of file f to every selected test around it (two
 * tests may share its line), or to the file when it is in none. */
static void S_scan_error(S_ctx *c, galley__srcfile *f,
                         const galley__scan_error *se)
{
    int in_test = 0;
    for (size_t k = 0; k < f->scan.n_tests; k++) {
        const galley__scanned_test *t = &f->scan.tests[k];
        if (t->line > se->line || se->line > t->close_line)
            continue;
        in_test = 1;
        if (S_selected_in(c, f, t->name))
            S_scan_error_to(c, f, t->name, se);
    }
    if (!in_test)
        S_scan_error_to(c, f, "(file)", se);
}

/* Reports the scan errors of the files that the run's programs hold (the
 * test files and the headers with TESTs), each file once. Fatal ones were
 * reported when their file was refused. */
static void S_scan_errors(S_ctx *c)
{
    galley__srcfile **done = galley__xcalloc(c->files.n + 1, sizeof *done);
    size_t n_done = 0;
    for (size_t i = 0; i < c->sources.n; i++) {
        if (c->skip[i] || c->refused[i].msg)
            continue;
        for (size_t k = 0; k <= c->plans[i].n; k++) {
            galley__srcfile *f = k ? c->plans[i].v[k - 1].file : c->tests[i];
            int seen = 0;
            for (size_t d = 0; d < n_done && !seen; d++)
                seen = done[d] == f;
            if (seen)
                continue;
            done[n_done++] = f;
            for (size_t e = 0; e < f->scan.n_errors; e++)
                if (!f->scan.errors[e].fatal)
                    S_scan_error(c, f, &f->scan.errors[e]);
        }
    }
    free(done);
}

/* ---- state for promote ---- */

/* Whether the program of source i holds a test written in f. */
static int S_plans_file(const S_ctx *c, size_t i, const galley__srcfile *f)
{
    for (size_t k = 0; k < c->plans[i].n; k++)
        if (c->plans[i].v[k].file == f)
            return 1;
    return 0;
}

/* Returns the heap array (caller frees) of the names of f's tests that
 * this run left out, borrowed from its scan; their number in *n. One pass
 * over the selection of the programs that hold f's tests: S_selected_in
 * for each test of every file cost a no-op rerun of 1000 tests 20%. */
static const char **S_unrun(const S_ctx *c, const galley__srcfile *f,
                            size_t *n)
{
    size_t nt = f->scan.n_tests;
    char *ran = galley__xcalloc(nt + 1, 1);
    for (size_t i = 0; i < c->sources.n; i++) {
        if (c->skip[i] || !S_plans_file(c, i, f))
            continue;
        for (size_t s = 0; s < c->n_selected[i]; s++) {
            const S_planned *p = S_planned_test(c, i, c->selected[i][s]);
            for (size_t t = 0; p && p->file == f && t < nt; t++)
                if (!strcmp(f->scan.tests[t].name, p->name))
                    ran[t] = 1;
        }
    }
    const char **unrun = galley__xcalloc(nt + 1, sizeof *unrun);
    *n = 0;
    for (size_t t = 0; t < nt; t++)
        if (!ran[t])
            unrun[(*n)++] = f->scan.tests[t].name;
    free(ran);
    return unrun;
}

/* Writes (or removes) the state and .corrected copy of one file; the
 * pending output of its tests that this run left out stays. */
static void S_save_state(S_ctx *c, galley__srcfile *f)
{
    galley__srcfile_drop_conflicts(f);
    size_t n_unrun;
    const char **unrun = S_unrun(c, f, &n_unrun);
    galley__promote_record(c->conf.root, &(galley__promote_source){
        .path = f->path, .display = f->display, .text = f->text.ptr,
        .len = f->text.len, .scan = &f->scan, .edits = f->edits,
        .n_edits = f->readable ? f->n_edits : 0, .unrun = unrun,
        .n_unrun = f->readable ? n_unrun : 0});
    free(unrun);
}

/* Saves state for the files this run judged: its test files, and the
 * headers whose tests or markers it reached. A file that --filter left
 * out (a header read only to plan its tests, too) keeps the state of its
 * last run. */
static void S_save_states(S_ctx *c)
{
    for (size_t i = 0; i < c->files.n; i++) {
        galley__srcfile *f = c->files.v[i];
        int ran = f->judged;
        for (size_t k = 0; k < c->sources.n && !ran; k++)
            ran = !c->skip[k] && c->tests[k] == f;
        if (ran)
            S_save_state(c, f);
    }
}

/* Adds to targets (at *n) what S_promote promotes of file f: the file,
 * or, when this run left some of its tests out, FILE:LINE for each of its
 * own edits, since the state also holds the pending output that earlier
 * runs left for those tests, which --promote after --filter must not
 * write. The strings are heap copies. */
static void S_promote_targets(const S_ctx *c, const galley__srcfile *f,
                              char **targets, size_t *n)
{
    size_t n_unrun;
    free(S_unrun(c, f, &n_unrun));
    if (n_unrun == 0) {
        targets[(*n)++] = galley__xstrdup(f->path);
        return;
    }
    for (size_t e = 0; e < f->n_edits; e++)
        targets[(*n)++] = galley__xasprintf("%s:%d", f->path,
                                            f->edits[e].line);
}

/* Promotes what this run found in the files where it found edits. */
static void S_promote(S_ctx *c)
{
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < c->files.n; i++)
        cap += c->files.v[i]->n_edits;
    char **targets = galley__xcalloc(cap + 1, sizeof *targets);
    for (size_t i = 0; i < c->files.n; i++)
        if (c->files.v[i]->n_edits)
            S_promote_targets(c, c->files.v[i], targets, &n);
    /* Its messages are for people: off stdout when that carries a report
     * for machines. */
    if (n)
        galley__promote_with(c->conf.root, targets, n, S_human(c),
                             c->o->promote == 2 ? GALLEY__PROMOTE_NEW
                                                : GALLEY__PROMOTE_ALL);
    for (size_t i = 0; i < n; i++)
        free(targets[i]);
    free(targets);
}

/* ---- the command ---- */

/* Orders verdicts by file, then line, then name. */
static int S_verdict_cmp(const void *pa, const void *pb)
{
    const galley__verdict *a = pa, *b = pb;
    return galley__place_cmp(a->file, a->line, a->shown, b->file, b->line,
                            b->shown);
}

/* Writes the reports for machines that were asked for: stdout's
 * (--format), the JUnit files (--junit, XML_OUTPUT_FILE) and GitHub's
 * annotations. Returns 0, or 2 when a report file could not be written. */
static int S_machine_reports(S_ctx *c)
{
    const galley__run_opts *o = c->o;
    int rc = 0;
    if (c->config_errors && c->conf.file) {
        char *shown = galley__display_path(c->conf.file, c->files.cwd);
        char *msg = galley__xasprintf("%zu bad line%s in galley.conf (see "
                                      "the errors galley printed)",
                                      c->config_errors,
                                      c->config_errors > 1 ? "s" : "");
        galley__tally_add(&c->tally, shown, 0, "(galley.conf)", 1, msg);
        free(msg);
        free(shown);
    }
    if (o->github || o->junit || o->xml_output ||
        o->format == GALLEY__FORMAT_JUNIT) {
        /* GitHub reads annotation paths from the top of the repository,
         * as the CI patch names them; JUnit's readers are CI servers. */
        char *top = galley__repo_top(c->conf.root);
        galley__tally_paths(&c->tally, c->files.cwd, top);
        free(top);
    }
    if (o->format != GALLEY__FORMAT_PRETTY)
        galley__format_write(stdout, o->format, c->verdicts, c->n_verdicts,
                            &c->tally);
    const char *files[] = {o->junit, o->xml_output};
    for (int i = 0; i < 2; i++)
        if (files[i] && galley__format_junit_file(files[i], c->verdicts,
                                                 c->n_verdicts, &c->tally))
            rc = 2;
    if (o->github)
        galley__format_github(S_human(c), c->verdicts, c->n_verdicts,
                             &c->tally);
    return rc;
}

/* Whether the run is the whole project's (no path, filter, shard or
 * --changed narrowing it): only such a run can tell that tests vanished. */
static int S_whole_run(const S_ctx *c)
{
    return !c->o->n_paths && !c->o->filter && c->o->shard_total <= 1 &&
           !c->o->changed && c->last_failed.n == 0 && !c->not_run;
}

/* Returns the number of tests the last whole run ran (0 if unknown), and
 * records ran as this run's, when this run is a whole one. */
static long S_last_count(const S_ctx *c, size_t ran)
{
    char *p = galley__xasprintf("%s/_galley/tests-run", c->conf.root);
    galley__buf old;
    galley__buf_init(&old);
    long last = galley__read_file(p, &old) == 0 && old.ptr
                    ? strtol(old.ptr, NULL, 10) : 0;
    galley__buf_fini(&old);
    char count[32];
    int n = snprintf(count, sizeof count, "%zu\n", ran);
    if (S_whole_run(c) && !c->o->list)
        galley__write_file_replace(p, count, (size_t)n, 0644, 0);
    free(p);
    return last;
}

/* Says on stderr when a run ran no test although it found test files, or
 * when every test vanished since the last whole run: that is no success.
 * Returns 1 when the run must fail for it: in CI mode, unless a shard or
 * --changed left this run nothing to do, which is not an accident. */
static int S_ran_nothing(S_ctx *c, size_t ran)
{
    long last = S_last_count(c, ran);
    /* --fail-fast's stop says itself why tests did not run. */
    int expected = c->o->shard_total > 1 || c->o->changed || c->not_run;
    if (ran > 0 || expected)
        return 0;
    if (last > 0 && S_whole_run(c))
        galley__warning_at(NULL, 0, "no test ran, but the last run ran %ld: "
                           "were the tests deleted, or disabled?", last);
    else if (c->sources.n > 0 && !c->o->filter)
        galley__warning_at(NULL, 0, "%zu test file%s found, but no test "
                           "ran%s", c->sources.n,
                           c->sources.n == 1 ? "" : "s",
                           c->skipped ? " (every TEST was left out by #if)"
                                      : "");
    if (c->o->ci)
        galley__error_at(NULL, 0, "CI mode: a run that runs no test fails");
    return c->o->ci;
}

/* Records which tests of the run failed, for a later --failed (failed.h):
 * each verdict's file by its real path. */
static void S_record_failed(const S_ctx *c)
{
    galley__words ran = {0}, failed = {0};
    /* A file refused whole (what the scanner could not read, a Markdown
     * document cut short) fails as a file: its tests, known or not. */
    for (size_t i = 0; i < c->sources.n; i++) {
        char *key = galley__xasprintf("%s\t*", c->sources.v[i].path);
        if (!c->skip || !c->skip[i])
            galley__words_add(&ran, key);
        if (c->refused && c->refused[i].msg)
            galley__words_add(&failed, key);
        free(key);
    }
    for (size_t i = 0; i < c->n_verdicts; i++) {
        const galley__verdict *v = &c->verdicts[i];
        for (size_t k = 0; k < c->files.n; k++) {
            if (strcmp(c->files.v[k]->display, v->file) != 0)
                continue;
            char *key = galley__xasprintf("%s\t%s", c->files.v[k]->path,
                                          v->name);
            galley__words_add(&ran, key);
            if (v->n_fails)
                galley__words_add(&failed, key);
            free(key);
            break;
        }
    }
    galley__failed_save(c->conf.root, &ran, &failed);
    galley__words_fini(&ran);
    galley__words_fini(&failed);
}

static int S_report(S_ctx *c)
{
    galley__counts n = {.skipped = c->skipped, .not_run = c->not_run};
    size_t ran_skipped = 0; /* tests that ran and skipped themselves */
    int pretty = c->o->format == GALLEY__FORMAT_PRETTY;
    if (c->n_verdicts > 1)
        qsort(c->verdicts, c->n_verdicts, sizeof *c->verdicts, S_verdict_cmp);
    for (size_t i = 0; i < c->n_verdicts; i++) {
        const galley__verdict *v = &c->verdicts[i];
        if (pretty)
            galley__report_verdict(stdout, v, &c->ro);
        if (v->n_fails) {
            n.failed++;
            n.failed_cached += v->cached;
        } else if (v->skipped) {
            n.skipped++;
            ran_skipped++;
        } else {
            n.passed++;
            n.passed_cached += v->cached;
        }
    }
    n.failed += c->config_errors;
    if (!c->o->list)
        S_record_failed(c);
    int empty = S_ran_nothing(c, n.passed + n.failed + ran_skipped);
    /* Before the summary, which stays the last line. */
    int bad_file = S_machine_reports(c) != 0;
    if (pretty)
        galley__report_summary(stdout, &n, &c->ro);
    if (bad_file)
        return 2;
    return n.failed || c->compile_failed || empty ? 1 : 0;
}

static void S_ctx_fini(S_ctx *c)
{
    galley__words_fini(&c->last_failed);
    for (size_t j = 0; c->focus && j < c->o->n_paths; j++) {
        free(c->focus[j]);
        free(c->plain[j]);
    }
    free(c->focus);
    free(c->plain);
    free(c->focus_hits);
    for (size_t i = 0; i < c->sources.n; i++) {
        if (c->plans)
            free(c->plans[i].v);
        if (c->refused) {
            free(c->refused[i].file);
            free(c->refused[i].msg);
        }
        if (c->reported)
            galley__words_fini(&c->reported[i]);
        if (c->died_why)
            free(c->died_why[i]);
        if (c->died_log)
            galley__buf_fini(&c->died_log[i]);
    }
    free(c->blocked);
    free(c->plans);
    free(c->refused);
    free(c->reported);
    free(c->died);
    free(c->died_why);
    free(c->died_log);
    free(c->stopped);
    galley__tally_fini(&c->tally);
    for (size_t i = 0; i < c->n_jobs; i++)
        galley__job_fini(&c->jobs[i]);
    free(c->jobs);
    free(c->job_src);
    free(c->job_whole);
    for (size_t i = 0; c->packs && i < c->sources.n; i++)
        galley__cache_pack_fini(&c->packs[i]);
    free(c->packs);
    free(c->whole_ok);
    galley__cache_fini(&c->cache);
    for (size_t i = 0; i < c->n_verdicts; i++)
        galley__verdict_fini(&c->verdicts[i]);
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
    galley__build_fini(&c->build);
    galley__patterns_free(c->files.patterns);
    galley__srcfiles_fini(&c->files);
    galley__filters_fini(&c->filters);
    galley__sources_fini(&c->sources);
    galley__includes_free(c->includes);
    galley__runtime_fini(&c->rt);
    galley__config_fini(&c->conf);
    if (c->lock >= 0)
        close(c->lock);
}

/* Compiles galley.conf's filters; a bad one is reported at its line and
 * left out, and counts as a failure of the run. */
static void S_compile_filters(S_ctx *c, const char *cwd)
{
    char *shown = c->conf.file ? galley__display_path(c->conf.file, cwd)
                               : galley__xstrdup("galley.conf");
    for (size_t i = 0; i < c->conf.filters.n; i++) {
        char *err = NULL;
        if (galley__filters_add(&c->filters, c->conf.filters.v[i], &err)) {
            galley__error_col(shown, c->conf.filter_lines[i],
                              c->conf.filter_cols[i], "bad filter: %s", err);
            c->config_errors++;
            free(err);
        }
    }
    free(shown);
    c->files.rtol = c->conf.rtol;
    c->files.atol = c->conf.atol;
    c->files.filters = &c->filters;
    c->files.patterns = galley__patterns_new();
}

/* Removes the temporaries that a galley promote killed while writing left
 * beside the test files (atomic.h), each directory looked at once. */
static void S_clean_temps(const S_ctx *c)
{
    char *last = NULL;
    for (size_t i = 0; i < c->sources.n; i++) {
        char *dir = galley__xstrdup(c->sources.v[i].path);
        *strrchr(dir, '/') = '\0';
        if (!last || strcmp(last, dir) != 0)
            galley__clean_temps(*dir ? dir : "/");
        free(last);
        last = dir;
    }
    free(last);
}

/* Reads galley.conf: a file that cannot be read stops the command (2); a
 * bad line is reported, skipped, and fails the run (the tests still run). */
static int S_setup(S_ctx *c, const char *cwd)
{
    /* Only the human report shares the terminal with a status line. */
    c->progress = galley__progress_wanted(
        c->o->verbosity < 0 || c->o->format != GALLEY__FORMAT_PRETTY);
    int rc = galley__config_load_near(&c->conf, cwd,
                                     c->o->n_paths ? c->o->paths[0] : NULL);
    if (rc != 0 && c->conf.n_errors == 0)
        return 2;
    c->config_errors = (size_t)c->conf.n_errors;
    galley__words dirs = {0};
    galley__config_include_dirs(&c->conf, &dirs);
    c->includes = galley__includes_new(&dirs);
    galley__words_fini(&dirs);
    if (galley__discover(&c->sources, &c->conf, c->includes, c->o->paths,
                        c->o->n_paths, cwd) != 0)
        return 2;
    if (c->sources.n == 0)
        galley__warning_at(NULL, 0, "no test files found: a test file is a "
                           ".c file that #includes <galley.h>, or a "
                           "Markdown document with an ```output block or a "
                           "<!-- galley --> comment");
    if (c->o->changed &&
        galley__changed_select(&c->sources, &c->conf, c->o->changed))
        return 2;
    if (!c->o->list)
        S_clean_temps(c);
    c->files.root = galley__xstrdup(c->conf.root);
    c->files.cwd = galley__xstrdup(cwd);
    S_compile_filters(c, cwd);
    if (c->o->failed) {
        galley__failed_load(c->conf.root, &c->last_failed);
        if (c->last_failed.n == 0)
            galley__note("--failed: no test failed when it last ran: "
                         "running every test");
    }
    if (S_scan_and_select(c) != 0)
        return 2;
    if (!c->o->list && galley__runtime_find(&c->rt) != 0)
        return 2;
    /* Only a command that will build takes the lock (and makes _galley/). */
    if (!c->o->list)
        c->lock = galley__lock_project(c->conf.root);
    return 0;
}

int galley__run_cmd(const galley__run_opts *o)
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
        S_check_conf_paths(&c);
        if (S_build(&c) == 0 && !c.blocked)
            S_report_build(&c);
        else
            S_build_failed(&c);
        S_link_programs(&c);
        S_report_refused(&c);
        S_execute(&c);
        S_scan_errors(&c);
        S_save_states(&c);
        rc = S_report(&c);
        if (o->promote)
            S_promote(&c);
        if (o->ci)
            galley__promote_patch_ci(c.conf.root, rc != 0);
    }
    S_ctx_fini(&c);
    return rc;
}
