/* config.h: the project root and galley.conf, plain `key = value` lines
 * that name the code under test, flags, libraries and defaults. */
#ifndef GALLEY_CONFIG_H
#define GALLEY_CONFIG_H

#include <stddef.h>

#include "../source/util.h"

typedef struct galley__config {
    char *root;            /* absolute path of the project root */
    char *file;            /* galley.conf's path, or NULL when none */
    galley__words sources;  /* code under test, absolute paths */
    galley__words include;  /* include directories, absolute paths */
    galley__words cflags;   /* compiler flags (default: -g -Wall) */
    galley__words ldflags;  /* linker flags */
    galley__words libs;     /* libraries, e.g. -lm */
    galley__words tests;    /* default test paths (default: tests) */
    galley__words inputs;   /* globs of files tests read (root-relative) */
    galley__words env;      /* environment variables tests read */
    int cache_off;         /* cache = off: no result cache at all */
    int cuda;              /* cuda = on: programs link libgalley-cuda */
    int cuda_line;         /* the galley.conf line that said so */
    long cache_size;       /* the result cache's cap in bytes */
    int timeout_ms;        /* default per-test timeout */
    long output_limit;     /* default per-test output cap in bytes */
    double rtol, atol;     /* default tolerances for numbers (0: text) */
    galley__words filters;  /* output filters, as written */
    int *filter_lines;     /* the galley.conf line of each filter */
    int *filter_cols;      /* and the column where its value begins */
    int n_errors;          /* bad lines (reported, then skipped) */
    int cur_line;          /* while parsing: the line being read */
    int cur_col;           /* and the column of its value */
} galley__config;

/* Finds the root (the nearest directory upward from cwd holding
 * galley.conf, else cwd) and reads its galley.conf. A bad line is reported
 * as FILE:LINE: error and skipped (counted in n_errors), so the rest of the
 * configuration still applies. Returns 0, or -1 if galley.conf could not
 * be read at all or had bad lines. Release with galley__config_fini, also
 * after an error. */
int galley__config_load(galley__config *c, const char *cwd);
/* The same, but with no galley.conf above cwd, the root is looked for
 * above path (a file or directory given on the command line, or NULL), so
 * that `galley run ~/proj/tests` works from anywhere; with none there
 * either, cwd is the root. */
int galley__config_load_near(galley__config *c, const char *cwd,
                            const char *path);
void galley__config_fini(galley__config *c);

/* Adds to dirs the directories the compiler searches for the tests'
 * #include lines: galley.conf's include, then the -I (and -iquote) flags of
 * its cflags and of CFLAGS, relative ones made absolute from the root. */
void galley__config_include_dirs(const galley__config *c, galley__words *dirs);

#endif
