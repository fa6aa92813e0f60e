/* main.c: the galley command. It only parses arguments and hands over to
 * the commands' modules through one table (S_commands): run.c for `galley
 * run`, promote/ for `galley promote`, init.c, and plot/cli.c for `galley
 * plot`. It is the one file of runner/ that knows every command. */
#define _GNU_SOURCE
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../plot/cli.h"
#include "../promote/promote.h"
#include "config.h"
#include "formats.h"
#include "init.h"
#include "run.h"
#include "shard.h"
#include "../source/util.h"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "0.1.0"
#endif

static const char S_usage[] =
    "usage: galley run [options] [PATH...]\n"
    "       galley promote [FILE[:LINE]...]\n"
    "       galley init [DIR]                 (a galley.conf, a first test)\n"
    "       galley plot [options] [FILE...]   (galley plot --help)\n"
    "       galley --version | --help\n"
    "\n"
    "run options:\n"
    "  -j N, --jobs=N      build and run N at a time (default: cores)\n"
    "  --filter=REGEX      only tests whose FILE:TEST matches (PCRE2)\n"
    "  --list              list the tests, run nothing\n"
    "  --promote           promote the actual output after the run\n"
    "  --changed[=REV]     only test files changed since REV (git; HEAD)\n"
    "  --ci, --no-ci       CI mode (default: on when CI is set): never write\n"
    "                      sources; write _galley/promote.patch on failure\n"
    "  --color=WHEN        auto, always or never (NO_COLOR is honoured)\n"
    "  -q, --quiet         failure headers and the summary only\n"
    "  -v, --verbose       also a line for each passing test\n"
    "  --format=FORMAT     report as pretty (default), tap, junit or json\n"
    "  --junit=FILE        also write a JUnit XML report to FILE\n"
    "  --shard=K/N         run only the K-th of N shards of the tests\n"
    "\n"
    "Exit status: 0 all passed, 1 a test failed or did not compile,\n"
    "2 the command was wrong. See galley(1) and galley(3).\n";

static int S_bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "galley: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'galley --help'.\n");
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
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if ((nc && *nc) || (term && !strcmp(term, "dumb")))
        return 0;
    return isatty(1);
}

/* Parses a -j value; returns -1 if it is not a positive number. */
static int S_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return (*s && !*end && n > 0 && n < 4096) ? (int)n : -1;
}

/* Parses --format, --junit or --shard at argv[*i] (VALUE in the same
 * argument after '=', or in the next). Returns 0, an exit status, or -1
 * when the argument is none of them. */
static int S_report_option(galley__run_opts *o, int argc, char **argv, int *i)
{
    static const char *const names[] = {"--format", "--junit", "--shard"};
    const char *a = argv[*i], *v = NULL;
    int k = 0;
    for (; k < 3; k++) {
        size_t n = strlen(names[k]);
        if (!strncmp(a, names[k], n) && a[n] == '=')
            v = a + n + 1;
        else if (!strcmp(a, names[k]) && *i + 1 < argc)
            v = argv[++*i];
        else if (!strcmp(a, names[k]))
            return S_bad_usage("%s needs a value", a);
        if (v)
            break;
    }
    if (!v)
        return -1;
    if (k == 0 && (o->format = galley__format_parse(v)) < 0)
        return S_bad_usage("--format takes pretty, tap, junit or json, not %s",
                           v);
    if (k == 1 && !*v)
        return S_bad_usage("%s", "--junit needs a file name");
    if (k == 1)
        o->junit = v;
    if (k == 2 && galley__shard_parse(v, &o->shard_index, &o->shard_total))
        return 2;
    return 0;
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
    if (o->shard_total == 0 &&
        galley__shard_from_env(&o->shard_index, &o->shard_total) != 0)
        return 2;
    return 0;
}

/* Parses one option of `run` at argv[*i]; returns 0 or an exit status. */
static int S_run_option(galley__run_opts *o, int argc, char **argv, int *i,
                        const char **color)
{
    const char *a = argv[*i];
    const char *v = NULL;
    int rc = S_report_option(o, argc, argv, i);
    if (rc >= 0)
        return rc;
    if (!strcmp(a, "-j") || !strcmp(a, "--jobs") || !strcmp(a, "--filter")) {
        if (*i + 1 >= argc)
            return S_bad_usage("%s needs a value", a);
        v = argv[++*i];
    }
    if (!strncmp(a, "-j", 2) && a[2])
        v = a + 2;
    else if (!strncmp(a, "--jobs=", 7))
        v = a + 7, a = "--jobs";
    else if (!strncmp(a, "--filter=", 9))
        v = a + 9, a = "--filter";
    if (!strcmp(a, "--filter"))
        o->filter = v;
    else if (!strncmp(a, "-j", 2) || !strcmp(a, "--jobs")) {
        if ((o->jobs = S_jobs(v)) < 0)
            return S_bad_usage("bad number of jobs: %s", v);
    } else if (!strcmp(a, "--list"))
        o->list = 1;
    else if (!strcmp(a, "--promote"))
        o->promote = 1;
    else if (!strcmp(a, "--ci") || !strcmp(a, "--no-ci"))
        o->ci = a[2] == 'c';
    else if (!strcmp(a, "--changed"))
        o->changed = "HEAD";
    else if (!strncmp(a, "--changed=", 10) && a[10])
        o->changed = a + 10;
    else if (!strcmp(a, "--changed="))
        return S_bad_usage("%s", "--changed= needs a revision, such as HEAD~1");
    else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
        o->verbosity = -1;
    else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
        o->verbosity = 1;
    else if (!strncmp(a, "--color=", 8))
        *color = a + 8;
    else
        return S_bad_usage("unknown option: %s", a);
    return 0;
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
    fprintf(stderr, "galley: CI mode: not writing sources; apply "
            "_galley/promote.patch with git apply\n");
    return 2;
}

static int S_run(int argc, char **argv)
{
    galley__run_opts o = {0};
    const char *color = "auto";
    char **paths = galley__xcalloc((size_t)argc + 1, sizeof *paths);
    int rc = 0, only_paths = 0;
    o.jobs = S_cores();
    o.ci = -1;
    for (int i = 0; i < argc && rc == 0; i++) {
        if (!only_paths && !strcmp(argv[i], "--"))
            only_paths = 1;
        else if (!only_paths && argv[i][0] == '-' && argv[i][1])
            rc = S_run_option(&o, argc, argv, &i, &color);
        else
            paths[o.n_paths++] = argv[i];
    }
    if (rc == 0 && (o.color = S_color(color)) < 0)
        rc = S_bad_usage("--color takes auto, always or never, not %s", color);
    if (rc == 0)
        rc = S_run_env(&o);
    o.ci = S_ci_mode(o.ci);
    if (rc == 0 && o.promote)
        rc = S_ci_refuse(o.ci);
    o.paths = paths;
    if (rc == 0)
        rc = galley__run_cmd(&o);
    free(paths);
    return rc;
}

/* Returns the heap file part of promote target word (FILE or FILE:LINE). */
static char *S_target_file(const char *word)
{
    const char *colon = strrchr(word, ':');
    if (access(word, F_OK) == 0 || !colon || !colon[1] ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return galley__xstrdup(word);
    return galley__xstrndup(word, (size_t)(colon - word));
}

/* `galley promote`: targets are FILE or FILE:LINE. */
static int S_promote(int argc, char **argv)
{
    char cwd[4096];
    int ci = -1, n = 0, only_targets = 0;
    for (int i = 0; i < argc; i++) {
        if (!only_targets && !strcmp(argv[i], "--"))
            only_targets = 1;
        else if (!only_targets && (!strcmp(argv[i], "--ci") ||
                                   !strcmp(argv[i], "--no-ci")))
            ci = argv[i][2] == 'c';
        else if (!only_targets && argv[i][0] == '-' && argv[i][1])
            return S_bad_usage("unknown option: %s", argv[i]);
        else
            argv[n++] = argv[i]; /* the targets, in place */
    }
    if (S_ci_refuse(S_ci_mode(ci)))
        return 2;
    argc = n;
    if (!getcwd(cwd, sizeof cwd))
        return 2;
    galley__config conf;
    /* Bad lines are reported; promote needs only the root, found as a run
     * finds it (above the first target when not above the cwd). */
    char *near = argc ? S_target_file(argv[0]) : NULL;
    int bad = galley__config_load_near(&conf, cwd, near) != 0 &&
              conf.n_errors == 0;
    free(near);
    if (bad) {
        galley__config_fini(&conf);
        return 2;
    }
    /* Without _galley/, nothing is pending: no lock file is made. */
    char *dir = galley__xasprintf("%s/_galley", conf.root);
    int lock = access(dir, F_OK) == 0 ? galley__lock_project(conf.root) : -1;
    free(dir);
    int rc = galley__promote_cmd(conf.root, argv, (size_t)argc, stdout);
    if (lock >= 0)
        close(lock);
    galley__config_fini(&conf);
    return rc;
}

/* Every command of galley, and the function that runs it with the words
 * after its name: this table is the one place that knows them all. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} S_commands[] = {
    {"run", S_run},
    {"promote", S_promote},
    {"init", galley__init_cmd},
    {"plot", galley__plot_main},
};

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(S_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("galley %s\n", GALLEY_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof S_commands / sizeof *S_commands; i++) {
        if (strcmp(argv[1], S_commands[i].name) != 0)
            continue;
        git_libgit2_init();
        int rc = S_commands[i].run(argc - 2, argv + 2);
        git_libgit2_shutdown();
        return rc;
    }
    return S_bad_usage("unknown command: %s", argv[1]);
}
