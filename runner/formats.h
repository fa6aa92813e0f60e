/* formats.h: reports of a run for machines: TAP version 13, JUnit XML,
 * JSON lines and GitHub Actions annotations, beside the human report of
 * report.c. Each lists every test of the run once, in file and line order. */
#ifndef GALLEY_FORMATS_H
#define GALLEY_FORMATS_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"

typedef enum galley__format {
    GALLEY__FORMAT_PRETTY,  /* report.c's, for people */
    GALLEY__FORMAT_TAP,
    GALLEY__FORMAT_JUNIT,
    GALLEY__FORMAT_JSON,
} galley__format;

/* Returns the format named by s ("pretty", "tap", "junit", "json"), or -1
 * for any other name. */
int galley__format_parse(const char *s);

/* What a report needs beyond the verdicts: tests that were skipped, errors
 * that have no verdict (bad galley.conf lines), and the diagnostics of the
 * files that did not compile, whose tests are then errors rather than
 * failures. Every string is copied; release with galley__tally_fini. */
typedef struct galley__tally_item {
    char *file;          /* display path */
    int line;
    char *name;          /* the TEST's name, or a name in parentheses */
    int error;           /* 1: an error; 0: skipped */
    char *message;       /* why it was skipped, or the error */
} galley__tally_item;

typedef struct galley__tally {
    galley__tally_item *items;
    size_t n_items;
    char **broken;       /* display paths of files that did not compile */
    char **logs;         /* the compiler's diagnostics for each */
    size_t n_broken;
    char *cwd;           /* what the display paths are relative to */
    char *repo;          /* the top of the git work tree, or NULL */
} galley__tally;

/* Records a test that did not run: skipped (error 0) or an error. */
void galley__tally_add(galley__tally *t, const char *file, int line,
                      const char *name, int error, const char *message);
/* Records that file did not compile, with the compiler's log (may be
 * NULL): its verdicts become errors that carry the log. */
void galley__tally_broken(galley__tally *t, const char *file, const char *log);
/* Says where the run's display paths start (cwd, absolute) and where
 * the paths of JUnit reports and GitHub annotations start: repo, the top
 * of the git work tree that holds the project (NULL: none, they start
 * at cwd too). Without it every report keeps the display paths. */
void galley__tally_paths(galley__tally *t, const char *cwd, const char *repo);
void galley__tally_fini(galley__tally *t);

/* Writes the report of a run in format f (not PRETTY) to out: the verdicts
 * v[0..n) (sorted by file, line and name) and the tally's items. */
void galley__format_write(FILE *out, galley__format f, const galley__verdict *v,
                         size_t n, const galley__tally *t);

/* Writes the JUnit report to path, creating its parent directories.
 * Returns 0, or -errno after printing why it could not. */
int galley__format_junit_file(const char *path, const galley__verdict *v,
                             size_t n, const galley__tally *t);

/* Writes a GitHub Actions `::error file=F,line=L,title=T::MSG` line for
 * each failure of v and each file that did not compile, the message being
 * what went wrong and the first lines of the diff or the diagnostics. */
void galley__format_github(FILE *out, const galley__verdict *v, size_t n,
                          const galley__tally *t);

#endif
