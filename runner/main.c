/* main.c: the galley command. It only parses arguments and hands over to
 * the commands' modules through one table (S_commands): run.c for `galley
 * run`, promote/ for `galley promote`, review.c, init.c, and plot/cli.c
 * for `galley plot`. It is the one file of runner/ that knows every
 * command. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../plot/cli.h"
#include "../promote/promote.h"
#include "build.h"
#include "config.h"
#include "formats.h"
#include "init.h"
#include "review.h"
#include "run.h"
#include "shard.h"
#include "watch.h"
#include "../source/options.h"
#include "../source/util.h"

#include <galley.h> /* GALLEY_VERSION */

static const char S_usage[] =
    "usage: galley run [options] [PATH[:LINE]...]\n"
    "       galley watch [options] [PATH[:LINE]...]  (run on every save)\n"
    "       galley promote [--list] [--ci|--no-ci] [FILE[:LINE]...]\n"
    "       galley reject [FILE[:LINE]...]    (forget pending output)\n"
    "       galley review [FILE[:LINE]...]    (accept or reject one by one)\n"
    "       galley init [DIR]                 (a galley.conf, a first test)\n"
    "       galley plot [options] [FILE...]   (draw columns of numbers)\n"
    "       galley --version | --help\n"
    "Each command says more with --help. See galley(1) and galley(3).\n";

static const char S_run_usage[] =
    "usage: galley run [options] [PATH[:LINE]...]\n"
    "Builds and runs the tests of the test files in PATHs (default: the\n"
    "tests of galley.conf, tests/), compares and reports. FILE:LINE runs\n"
    "only the TEST of FILE whose body holds LINE.\n"
    "\n"
    "  -j N, --jobs=N      build and run N at a time (default: cores)\n"
    "  --filter=REGEX      only tests whose FILE:TEST matches (PCRE2)\n"
    "  --failed            only the tests that failed when they last ran\n"
    "  -x, --fail-fast     stop at the first failure; what did not run is\n"
    "                      reported as not run\n"
    "  --list              list the tests, run nothing\n"
    "  --promote[=new]     promote the actual output after the run (new:\n"
    "                      only into markers still empty)\n"
    "  --changed[=REV]     only test files changed since REV (git; HEAD)\n"
    "  --ci, --no-ci       CI mode (default: on when CI is set): never write\n"
    "                      sources; write _galley/promote.patch on failure\n"
    "  --color=WHEN        auto, always or never (NO_COLOR and FORCE_COLOR\n"
    "                      are honoured)\n"
    "  -q, --quiet         failure headers and the summary only\n"
    "  -v, --verbose       also a line for each passing test\n"
    "  --format=FORMAT     report as pretty (default), tap, junit or json\n"
    "  --junit=FILE        also write a JUnit XML report to FILE\n"
    "  --shard=K/N         run only the K-th of N shards of the tests\n"
    "  --no-cache          run every test; take no result from the cache\n"
    "  -h, --help          print this and exit\n"
    "\n"
    "Exit status: 0 all passed, 1 a test failed or did not compile,\n"
    "2 the command was wrong. See galley(1).\n";

static const char S_reject_usage[] =
    "usage: galley reject [FILE[:LINE]...]\n"
    "Forgets the actual output of the last run that galley promote would\n"
    "write: every file's, the FILEs', or the marker's at FILE:LINE. The\n"
    "sources are left as they are.\n"
    "\n"
    "  -h, --help          print this and exit\n";

static const char S_promote_usage[] =
    "usage: galley promote [--list] [--ci|--no-ci] [FILE[:LINE]...]\n"
    "Writes the actual output of the last run into the sources: every file\n"
    "with pending output, the FILEs given, or the marker at FILE:LINE.\n"
    "\n"
    "  --list              print what is pending, a line per marker\n"
    "                      (FILE:LINE: TEST: what); write nothing\n"
    "  --ci, --no-ci       CI mode (default: on when CI is set) refuses\n"
    "  -h, --help          print this and exit\n"
    "\n"
    "Exit status: 0 promoted (or nothing to do), 1 a file was refused or\n"
    "could not be written, 2 the command or a target was wrong.\n";

/* Says a usage problem of a galley command; returns the exit status 2. */
static int S_bad_usage(const char *cmd, const char *fmt, const char *arg)
{
    char *msg = galley__xasprintf(fmt, arg);
    galley__usage_error(cmd, "%s", msg);
    free(msg);
    return 2;
}

/* Returns the default parallelism: the number of online cores. */
static int S_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Decides color from --color=WHEN; returns -1 for a bad WHEN. */
static int S_color(const char *when)
{
    if (!strcmp(when, "always"))
        return 1;
    if (!strcmp(when, "never"))
        return 0;
    if (strcmp(when, "auto"))
        return -1;
    return galley__color_auto(1);
}

/* Parses a -j value; returns -1 if it is not a positive number. */
static int S_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return (*s && !*end && n > 0 && n < 4096) ? (int)n : -1;
}

/* Reads what CI systems say through the environment: GitHub Actions
 * (annotations), Bazel (sharding, unless --shard was given, and the JUnit
 * report's path). Returns 0 or an exit status. */
static int S_run_env(galley__run_opts *o)
{
    const char *gh = getenv("GITHUB_ACTIONS"), *xml = getenv("XML_OUTPUT_FILE");
    o->github = gh && !strcmp(gh, "true");
    if (xml && *xml)
        o->xml_output = xml;
    const char *nc = getenv("GALLEY_NO_CACHE");
    if (nc && *nc && strcmp(nc, "0") != 0)
        o->no_cache = 1;
    if (o->shard_total == 0 &&
        galley__shard_from_env(&o->shard_index, &o->shard_total) != 0)
        return 2;
    return 0;
}

/* The options of `galley run`, in the order S_run_set knows them. */
enum {
    S_JOBS, S_FILTER, S_LIST, S_PROMOTE, S_CHANGED, S_CI, S_NO_CI, S_COLOR,
    S_QUIET, S_VERBOSE, S_FORMAT, S_JUNIT, S_SHARD, S_NO_CACHE, S_FAILED,
    S_FAIL_FAST
};
static const galley__option S_run_options[] = {
    [S_JOBS] = {"jobs", 'j', GALLEY__VALUE},
    [S_FILTER] = {"filter", 0, GALLEY__VALUE},
    [S_LIST] = {"list", 0, GALLEY__FLAG},
    [S_PROMOTE] = {"promote", 0, GALLEY__OPTIONAL},
    [S_CHANGED] = {"changed", 0, GALLEY__OPTIONAL},
    [S_CI] = {"ci", 0, GALLEY__FLAG},
    [S_NO_CI] = {"no-ci", 0, GALLEY__FLAG},
    [S_COLOR] = {"color", 0, GALLEY__VALUE},
    [S_QUIET] = {"quiet", 'q', GALLEY__FLAG},
    [S_VERBOSE] = {"verbose", 'v', GALLEY__FLAG},
    [S_FORMAT] = {"format", 0, GALLEY__VALUE},
    [S_JUNIT] = {"junit", 0, GALLEY__VALUE},
    [S_SHARD] = {"shard", 0, GALLEY__VALUE},
    [S_NO_CACHE] = {"no-cache", 0, GALLEY__FLAG},
    [S_FAILED] = {"failed", 0, GALLEY__FLAG},
    [S_FAIL_FAST] = {"fail-fast", 'x', GALLEY__FLAG},
};

/* What `galley run`'s options fill. */
typedef struct S_run_args {
    galley__run_opts o;
    const char *color;
    char why[512];    /* a bad option's message */
} S_run_args;

/* Applies option i of S_run_options with value v; returns NULL or what is
 * wrong. */
static const char *S_run_set(void *ctx, int i, const char *v)
{
    S_run_args *a = ctx;
    galley__run_opts *o = &a->o;
    switch (i) {
    case S_JOBS:
        if ((o->jobs = S_jobs(v)) > 0)
            break;
        snprintf(a->why, sizeof a->why, "bad number of jobs: %.300s (from "
                 "1 to 4095)", v);
        return a->why;
    case S_FILTER:
        o->filter = v;
        return galley__filter_check(v, a->why, sizeof a->why);
    case S_LIST: o->list = 1; break;
    case S_PROMOTE:
        if (!v || !strcmp(v, "all"))
            o->promote = 1;
        else if (!strcmp(v, "new"))
            o->promote = 2;
        else
            return "--promote takes all (the default) or new (only markers "
                   "still empty)";
        break;
    case S_CHANGED:
        if (v && !*v)
            return "--changed= needs a revision, such as HEAD~1";
        o->changed = v ? v : "HEAD";
        break;
    case S_CI: o->ci = 1; break;
    case S_NO_CACHE: o->no_cache = 1; break;
    case S_FAILED: o->failed = 1; break;
    case S_FAIL_FAST: o->fail_fast = 1; break;
    case S_NO_CI: o->ci = 0; break;
    case S_COLOR:
        a->color = v;
        if (S_color(v) >= 0)
            break;
        snprintf(a->why, sizeof a->why, "--color takes auto, always or "
                 "never, not %.300s", v);
        return a->why;
    case S_QUIET: o->verbosity = -1; break;
    case S_VERBOSE: o->verbosity = 1; break;
    case S_FORMAT:
        if ((o->format = galley__format_parse(v)) >= 0)
            break;
        snprintf(a->why, sizeof a->why, "--format takes pretty, tap, junit "
                 "or json, not %s", v);
        return a->why;
    case S_JUNIT:
        o->junit = v;
        return *v ? NULL : "--junit needs a file name";
    case S_SHARD:
        if (galley__shard_parse(v, &o->shard_index, &o->shard_total) == 0)
            break;
        snprintf(a->why, sizeof a->why, "--shard takes K/N, the K-th of N "
                 "shards with 1 <= K <= N <= %d (like --shard=2/4), not "
                 "'%.300s'", GALLEY__MAX_SHARDS, v);
        return a->why;
    }
    return NULL;
}

/* Returns 1 when CI mode is on: flag is 1 (--ci) or 0 (--no-ci), or -1
 * to ask the environment, where CI systems set CI (CI=true). */
static int S_ci_mode(int flag)
{
    const char *ci = getenv("CI");
    if (flag >= 0)
        return flag;
    return ci && *ci && strcmp(ci, "0") != 0 && strcasecmp(ci, "false") != 0;
}

/* Refuses to write sources in CI mode. Returns 0 or the exit status 2. */
static int S_ci_refuse(int ci)
{
    if (!ci)
        return 0;
    galley__error_at(NULL, 0, "CI mode: not writing sources; apply "
                     "_galley/promote.patch with git apply");
    return 2;
}

/* Returns the colon of word FILE:LINE, or NULL when word is a plain path
 * (a file of that very name, or no :DIGITS at its end). The rule of both
 * `galley run FILE:LINE` and `galley promote FILE:LINE`. */
static const char *S_line_colon(const char *word)
{
    const char *colon = strrchr(word, ':');
    if (access(word, F_OK) == 0 || !colon || !colon[1] ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return NULL;
    return colon;
}

/* Returns the LINE of word FILE:LINE, or 0 when word is a plain path. */
static int S_word_line(const char *word)
{
    const char *colon = S_line_colon(word);
    if (!colon || colon == word || strlen(colon + 1) > 9)
        return 0;
    return atoi(colon + 1);
}

/* Splits the FILE:LINE words of paths[0..n) into FILE (in paths) and LINE
 * (in lines; 0 for a plain path). Returns the heap FILEs made, for the
 * caller to free (an array of n), or NULL when there were none. */
static char **S_focus_paths(char **paths, int n, int *lines)
{
    char **owned = NULL;
    for (int i = 0; i < n; i++) {
        if ((lines[i] = S_word_line(paths[i])) <= 0)
            continue;
        if (!owned)
            owned = galley__xcalloc((size_t)n, sizeof *owned);
        size_t len = (size_t)(strrchr(paths[i], ':') - paths[i]);
        paths[i] = owned[i] = galley__xstrndup(paths[i], len);
    }
    return owned;
}

/* Frees the operands of run or watch: paths, lines, and the n FILEs that
 * S_focus_paths made (owned, or NULL). */
static void S_operands_free(char **paths, int n, int *lines, char **owned)
{
    for (int i = 0; owned && i < n; i++)
        free(owned[i]);
    free(owned);
    free(lines);
    free(paths);
}

static int S_run(int argc, char **argv)
{
    S_run_args a = {.o = {.jobs = S_cores(), .ci = -1}, .color = "auto"};
    char **paths = galley__xcalloc((size_t)argc + 1, sizeof *paths);
    int n = 0;
    int rc = galley__options_parse(
        "run", S_run_usage, S_run_options,
        (int)(sizeof S_run_options / sizeof *S_run_options), argc, argv,
        S_run_set, &a, paths, &n);
    galley__run_opts *o = &a.o;
    o->n_paths = (size_t)n;
    int *lines = galley__xcalloc((size_t)n + 1, sizeof *lines);
    char **owned = S_focus_paths(paths, n, lines);
    o->lines = lines;
    o->color = S_color(a.color);
    if (rc == 0)
        rc = S_run_env(o);
    o->ci = S_ci_mode(o->ci);
    if (rc == 0 && o->promote)
        rc = S_ci_refuse(o->ci);
    o->paths = paths;
    if (rc == 0 && o->list && owned)
        rc = S_bad_usage("run", "--list lists whole files, not the test at "
                         "a line (%s)", paths[0]);
    if (rc == 0)
        rc = galley__run_cmd(o);
    S_operands_free(paths, n, lines, owned);
    return rc < 0 ? 0 : rc;
}

static const char S_watch_usage[] =
    "usage: galley watch [options] [PATH[:LINE]...]\n"
    "Runs the tests like galley run, then again each time a file they are\n"
    "made of changes (test files, what they include, code under test,\n"
    "galley.conf, declared inputs). A save during a run cancels it. On a\n"
    "terminal the screen shows the last report and a status line; into a\n"
    "pipe, each run is a block from 'galley watch: run N started' to\n"
    "'galley watch: run N ended: ...' (or '... cancelled: ...').\n"
    "FILE:LINE follows the TEST whose body holds LINE. Ctrl-C ends it.\n"
    "\n"
    "  --promote           write the actual output into the sources after\n"
    "                      each run (refused in CI mode)\n"
    "  -j N, --jobs=N      build and run N at a time (default: cores)\n"
    "  --filter=REGEX      only tests whose FILE:TEST matches (PCRE2)\n"
    "  --color=WHEN        auto, always or never (NO_COLOR and FORCE_COLOR\n"
    "                      are honoured)\n"
    "  -q, --quiet         failure headers and the summary only\n"
    "  -v, --verbose       also a line for each passing test\n"
    "  --no-cache          run every test; take no result from the cache\n"
    "  --ci, --no-ci       CI mode (default: on when CI is set)\n"
    "  -h, --help          print this and exit\n"
    "\n"
    "Exit status: 130 after Ctrl-C (128 + the signal that ended it), 2 when\n"
    "the first run found the command wrong. See galley(1).\n";

/* What `galley watch`'s options fill: the run's options, checked as
 * `galley run` checks them, and the words that pass them on to each run. */
typedef struct S_watch_args {
    S_run_args run;
    galley__words words;
    char why[512];
} S_watch_args;

/* Applies option i of S_run_options for `galley watch`: those that make
 * sense on every save are checked by S_run_set and passed on (--promote,
 * --color and --ci are the watcher's own). */
static const char *S_watch_set(void *ctx, int i, const char *v)
{
    S_watch_args *a = ctx;
    static const int kept[] = {S_JOBS, S_FILTER, S_PROMOTE, S_CI, S_NO_CI,
                               S_COLOR, S_QUIET, S_VERBOSE, S_NO_CACHE};
    int ok = 0;
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++)
        ok |= kept[k] == i;
    if (!ok) {
        snprintf(a->why, sizeof a->why, "--%s is galley run's, not "
                 "watch's", S_run_options[i].name);
        return a->why;
    }
    if (i == S_PROMOTE && v && strcmp(v, "all") != 0)
        return "--promote=new is galley run's; the watcher promotes all";
    const char *why = S_run_set(&a->run, i, v);
    if (why || i == S_PROMOTE || i == S_COLOR || i == S_CI || i == S_NO_CI)
        return why;
    char *word = v ? galley__xasprintf("--%s=%s", S_run_options[i].name, v)
                   : galley__xasprintf("--%s", S_run_options[i].name);
    galley__words_add(&a->words, word);
    free(word);
    return NULL;
}

static int S_watch(int argc, char **argv)
{
    S_watch_args a = {.run = {.o = {.ci = -1}, .color = "auto"}};
    char **paths = galley__xcalloc((size_t)argc + 1, sizeof *paths);
    int n = 0;
    int rc = galley__options_parse(
        "watch", S_watch_usage, S_run_options,
        (int)(sizeof S_run_options / sizeof *S_run_options), argc, argv,
        S_watch_set, &a, paths, &n);
    int *lines = galley__xcalloc((size_t)n + 1, sizeof *lines);
    char **owned = S_focus_paths(paths, n, lines);
    galley__watch_opts o = {.words = a.words, .paths = paths,
                            .lines = lines, .n_paths = (size_t)n,
                            .promote = a.run.o.promote,
                            .color = S_color(a.run.color)};
    if (rc == 0 && o.promote && S_ci_mode(a.run.o.ci)) {
        galley__error_at(NULL, 0, "CI mode: watch --promote would write "
                         "sources; use --no-ci where writing them is meant");
        rc = 2;
    }
    if (rc == 0) {
        galley__words_add(&o.words, o.color ? "--color=always"
                                            : "--color=never");
        rc = galley__watch_cmd(&o);
    }
    galley__words_fini(&o.words);
    S_operands_free(paths, n, lines, owned);
    return rc < 0 ? 0 : rc;
}

/* Returns the heap file part of promote target word (FILE or FILE:LINE). */
static char *S_target_file(const char *word)
{
    const char *colon = S_line_colon(word);
    return colon ? galley__xstrndup(word, (size_t)(colon - word))
                 : galley__xstrdup(word);
}

/* Loads the configuration of the project that the targets[0..n) are in
 * (its root found as a run finds it: above the cwd, else above the first
 * target; bad lines are reported, the commands need only the root) and
 * takes the project's lock into *lock (unless lock is NULL) when _galley/
 * exists (without it nothing is pending, and no lock file is made).
 * Returns 0, or 2 after printing why (then there is nothing to close). */
static int S_project_open(galley__config *conf, char *const *targets, int n,
                          int *lock)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) {
        galley__error_at(NULL, 0, "cannot tell the current directory: %s",
                         strerror(errno));
        return 2;
    }
    char *near = n ? S_target_file(targets[0]) : NULL;
    int bad = galley__config_load_near(conf, cwd, near) != 0 &&
              conf->n_errors == 0;
    free(near);
    if (bad) {
        galley__config_fini(conf);
        return 2;
    }
    if (!lock)
        return 0;
    char *dir = galley__xasprintf("%s/_galley", conf->root);
    *lock = access(dir, F_OK) == 0 ? galley__lock_project(conf->root) : -1;
    free(dir);
    return 0;
}

/* Ends what S_project_open began. */
static void S_project_close(galley__config *conf, int lock)
{
    if (lock >= 0)
        close(lock);
    galley__config_fini(conf);
}

/* The options of `galley promote` and `galley reject`. */
static const galley__option S_promote_options[] = {
    {"ci", 0, GALLEY__FLAG},
    {"no-ci", 0, GALLEY__FLAG},
    {"list", 0, GALLEY__FLAG},
};

/* What the options of promote and reject fill. */
typedef struct S_promote_args {
    int ci;                    /* -1: the environment's */
    galley__promote_mode mode;
} S_promote_args;

static const char *S_promote_set(void *ctx, int i, const char *v)
{
    S_promote_args *a = ctx;
    (void)v;
    if (i == 2)
        a->mode = GALLEY__PROMOTE_LIST;
    else
        a->ci = i == 0;
    return NULL;
}

static int S_promote_or(int argc, char **argv, const char *cmd,
                        galley__promote_mode mode);

/* `galley promote`: targets are FILE or FILE:LINE. */
static int S_promote(int argc, char **argv)
{
    return S_promote_or(argc, argv, "promote", GALLEY__PROMOTE_ALL);
}

/* `galley reject`: forgets pending output, all or FILE or FILE:LINE's. */
static int S_reject(int argc, char **argv)
{
    return S_promote_or(argc, argv, "reject", GALLEY__PROMOTE_REJECT);
}

/* Runs promote (mode ALL, or LIST with --list) or reject (mode REJECT). */
static int S_promote_or(int argc, char **argv, const char *cmd,
                        galley__promote_mode mode)
{
    int n = 0;
    S_promote_args a = {-1, mode};
    char **targets = galley__xcalloc((size_t)argc + 1, sizeof *targets);
    int rc = galley__options_parse(
        cmd, mode == GALLEY__PROMOTE_REJECT ? S_reject_usage : S_promote_usage,
        S_promote_options, mode == GALLEY__PROMOTE_REJECT ? 0 : 3, argc, argv,
        S_promote_set, &a, targets, &n);
    /* Only writing sources is refused in CI mode: a list or a reject
     * writes none. */
    if (rc != 0 ||
        (a.mode == GALLEY__PROMOTE_ALL && S_ci_refuse(S_ci_mode(a.ci)))) {
        free(targets);
        return rc < 0 ? 0 : 2;
    }
    galley__config conf;
    int lock;
    if (S_project_open(&conf, targets, n, &lock) != 0) {
        free(targets);
        return 2;
    }
    rc = galley__promote_with(conf.root, targets, (size_t)n, stdout, a.mode);
    S_project_close(&conf, lock);
    free(targets);
    return rc;
}

static const char S_review_usage[] =
    "usage: galley review [--color=WHEN] [--ci|--no-ci] [FILE[:LINE]...]\n"
    "Shows each output of the last run that galley promote would write\n"
    "(every file's, the FILEs', or the marker's at FILE:LINE) as the diff\n"
    "it makes to its source, and asks for one key:\n"
    "  a  accept: promote it now        r  reject: forget it\n"
    "  s  skip: leave it pending        A  accept the rest of this file\n"
    "  f  show the whole new output     q  quit: the rest stays pending\n"
    "  ?  help\n"
    "On a terminal a key needs no Enter; otherwise one answer a line, and\n"
    "the end of the input quits.\n"
    "\n"
    "  --color=WHEN        auto, always or never (NO_COLOR and FORCE_COLOR\n"
    "                      are honoured)\n"
    "  --ci, --no-ci       CI mode (default: on when CI is set) refuses\n"
    "  -h, --help          print this and exit\n"
    "\n"
    "Exit status: 0 done (or nothing pending), 1 a file was refused (changed\n"
    "since the run), 2 the command or a target was wrong.\n";

/* The options of `galley review`. */
static const galley__option S_review_options[] = {
    {"ci", 0, GALLEY__FLAG},
    {"no-ci", 0, GALLEY__FLAG},
    {"color", 0, GALLEY__VALUE},
};

/* What the options of review fill. */
typedef struct S_review_args {
    int ci;              /* -1: the environment's */
    const char *color;
    char why[512];
} S_review_args;

static const char *S_review_set(void *ctx, int i, const char *v)
{
    S_review_args *a = ctx;
    if (i < 2) {
        a->ci = i == 0;
        return NULL;
    }
    a->color = v;
    if (S_color(v) >= 0)
        return NULL;
    snprintf(a->why, sizeof a->why, "--color takes auto, always or never, "
             "not %.300s", v);
    return a->why;
}

/* `galley review`: one pending output at a time, as insta's review. */
static int S_review(int argc, char **argv)
{
    S_review_args a = {.ci = -1, .color = "auto"};
    char **targets = galley__xcalloc((size_t)argc + 1, sizeof *targets);
    int n = 0;
    int rc = galley__options_parse(
        "review", S_review_usage, S_review_options,
        (int)(sizeof S_review_options / sizeof *S_review_options), argc,
        argv, S_review_set, &a, targets, &n);
    if (rc == 0 && S_ci_mode(a.ci)) {
        galley__error_at(NULL, 0, "CI mode: galley review would write "
                         "sources; review where writing them is meant "
                         "(--no-ci), or apply _galley/promote.patch with "
                         "git apply");
        rc = 2;
    }
    galley__config conf;
    /* The review takes the project's lock itself, and lets it go while
     * it waits for an answer. */
    if (rc == 0 && S_project_open(&conf, targets, n, NULL) != 0)
        rc = 2;
    else if (rc == 0) {
        rc = galley__review_cmd(conf.root, targets, (size_t)n,
                                S_color(a.color));
        S_project_close(&conf, -1);
    }
    free(targets);
    return rc < 0 ? 0 : rc;
}

/* Every command of galley, and the function that runs it with the words
 * after its name: this table is the one place that knows them all. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    int git;    /* it uses libgit2 (hashes, diffs, git repositories) */
} S_commands[] = {
    {"run", S_run, 1},
    {"promote", S_promote, 1},
    {"reject", S_reject, 1},
    {"review", S_review, 1},
    /* The watcher's runs are processes of their own. */
    {"watch", S_watch, 0},
    {"init", galley__init_cmd, 0},
    {"plot", galley__plot_main, 0},
};

static int S_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(S_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("galley %s\n", GALLEY_VERSION);
        /* What galley.conf's cuda = on would link: libgalley-cuda beside
         * the runtime, built when nvcc was found (tools/cuda.sh). */
        galley__runtime rt;
        if (galley__runtime_find_quiet(&rt) == 0)
            printf("cuda: %s\n", rt.cuda_info);
        else
            printf("cuda: unknown (libgalley not found near galley)\n");
        galley__runtime_fini(&rt);
        return 0;
    }
    for (size_t i = 0; i < sizeof S_commands / sizeof *S_commands; i++) {
        if (strcmp(argv[1], S_commands[i].name) != 0)
            continue;
        /* Starting libgit2 costs milliseconds (Debian's reads the
         * system's CA certificates): only where it is used. */
        if (S_commands[i].git)
            git_libgit2_init();
        int rc = S_commands[i].run(argc - 2, argv + 2);
        if (S_commands[i].git)
            git_libgit2_shutdown();
        return rc;
    }
    if (!*argv[1])
        return galley__usage_error(NULL, "the command is an empty word ('')");
    return galley__usage_error(NULL, "unknown command: %s", argv[1]);
}

/* Says so when standard output could not be written in full (a full disk,
 * /dev/full, a closed descriptor): what was lost is part of the result. */
static int S_check_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    galley__error_at(NULL, 0, "cannot write standard output%s%s",
                     errno ? ": " : "", errno ? strerror(errno) : "");
    return rc ? rc : 2;
}

/* Opens /dev/null (read-only, so that a write to it fails and is seen)
 * on each of descriptors 0 to 2 that is closed, so that no file galley
 * opens becomes standard output by chance. */
static void S_standard_fds(void)
{
    /* In order: the lowest free descriptor is the one closed. */
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
            open("/dev/null", O_RDONLY) != fd)
            return;
}

int main(int argc, char **argv)
{
    S_standard_fds();
    return S_check_stdout(S_main(argc, argv));
}
