/* run.h: `galley run`: discover, build, execute, compare, report, and
 * leave the state promote needs in _galley/.
 *
 * runner/ is the galley command: `galley run` and what it is made of
 * (discovery, the build through ninja, running test programs and reading
 * their results, the result cache, comparison, the reports for people and
 * machines), the
 * configuration, `galley init`, and main.c, the one table of commands. It
 * may include source/ (the source model), promote/promote.h (and no other
 * header of promote/), plot/cli.h (only main.c, for `galley plot`) and
 * lib/protocol.h (the results format it shares with test programs). */
#ifndef GALLEY_RUN_H
#define GALLEY_RUN_H

#include <stddef.h>

typedef struct galley__run_opts {
    char *const *paths;   /* test files or directories; none: the default */
    size_t n_paths;
    const int *lines;     /* per path, or NULL: a line > 0 focuses the run
                             on the TEST of that file whose body holds it
                             (FILE:LINE, the test at an editor's cursor) */
    int jobs;             /* parallel builds and programs */
    const char *filter;   /* PCRE2 pattern over FILE:TEST, or NULL */
    int list;             /* list the tests instead of running them */
    int promote;          /* promote after the run */
    int ci;               /* CI mode: no source written; promote.patch */
    const char *changed;  /* --changed: the git revision, or NULL */
    int verbosity;        /* -1, 0, 1 */
    int color;            /* 1 for ANSI colors */
    int format;           /* a galley__format (formats.h): stdout's report */
    const char *junit;    /* --junit: also write JUnit XML there, or NULL */
    const char *xml_output; /* XML_OUTPUT_FILE (Bazel): the same, or NULL */
    int github;           /* GITHUB_ACTIONS=true: ::error annotations too */
    int shard_index;      /* 0-based; the run's tests are those of shard */
    int shard_total;      /* shard_index out of shard_total (0: no shards) */
    int no_cache;         /* --no-cache, GALLEY_NO_CACHE: take no result
                             from the cache (new ones are still kept) */
    int failed;           /* --failed: only the tests that failed when they
                             last ran (failed.h); all when none did */
    int fail_fast;        /* --fail-fast: stop at the first failure, the
                             tests not yet run reported as not run */
} galley__run_opts;

/* Checks --filter's pattern re: returns NULL, or what is wrong with it
 * (written into why, of size n). */
const char *galley__filter_check(const char *re, char *why, size_t n);

/* Runs the command and returns its exit status: 0 all passed, 1 some test
 * failed or did not build, 2 the command or configuration was wrong. */
int galley__run_cmd(const galley__run_opts *o);

#endif
