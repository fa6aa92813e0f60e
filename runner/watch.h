/* watch.h: `galley watch`: runs the tests, then waits for a change to the
 * files they are made of (inotify) and runs them again, each run a fresh
 * `galley run` process that a newer save cancels. */
#ifndef GALLEY_WATCH_H
#define GALLEY_WATCH_H

#include <stddef.h>

#include "../source/util.h"

typedef struct galley__watch_opts {
    galley__words words;    /* options each `galley run` gets */
    char *const *paths;     /* test files or directories; none: default */
    const int *lines;       /* per path: a FILE:LINE focus (> 0), or 0 */
    size_t n_paths;
    int promote;            /* promote the actual output after each run */
    int color;              /* ANSI colors */
} galley__watch_opts;

/* Runs until SIGINT, SIGTERM or SIGHUP (exit status 128 + the signal), or
 * until its output is closed; returns 2 when the first run found the
 * command wrong (a PATH that does not exist, a FILE:LINE outside any
 * TEST) or inotify is not available. */
int galley__watch_cmd(const galley__watch_opts *o);

#endif
