/* progress.h: the one status line a run shows on a terminal, in the manner
 * of ninja: "[done/total] building FILE", then "[done/total] running FILE",
 * rewritten in place and erased before the report. */
#ifndef GALLEY_PROGRESS_H
#define GALLEY_PROGRESS_H

#include <stddef.h>

/* A status line; {0} is one that shows nothing. */
typedef struct galley__progress {
    int on;     /* 1 when the line is shown at all */
    int shown;  /* 1 while a line is on the screen */
} galley__progress;

/* Returns 1 when a run should show a status line: stdout is a terminal,
 * TERM is not "dumb" and the run is not quiet. Anything else (a pipe, a
 * file, a CI log) gets no line, so its output stays plain. */
int galley__progress_wanted(int quiet);

/* Replaces the status line with "[done/total] verb what" on stdout, cut
 * to the terminal's width so that "\r" keeps rewriting one line. Does
 * nothing when p->on is 0. */
void galley__progress_show(galley__progress *p, size_t done, size_t total,
                          const char *verb, const char *what);

/* Erases the status line, if one is shown, so the next output starts on a
 * clean line. */
void galley__progress_clear(galley__progress *p);

#endif
