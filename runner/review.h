/* review.h: `galley review`: each pending output shown with its diff, and
 * one key to accept, reject or skip it, as `cargo insta review` does. The
 * walk and the writes are promote/'s (galley__promote_review); this is the
 * side that talks to the person at the terminal. */
#ifndef GALLEY_REVIEW_H
#define GALLEY_REVIEW_H

#include <stddef.h>

/* Reviews the pending output of the project at root: every file's, or
 * the targets' (FILE or FILE:LINE words), asking on stdout and reading
 * answers from stdin: single keys when stdin is a terminal (the terminal
 * is put back as it was after each key, and on SIGINT, SIGTERM, SIGHUP or
 * SIGQUIT before the signal ends galley), otherwise one answer a line,
 * the end of input meaning quit. With color, the lines are colored as
 * galley run's. Ends with a line counting what was accepted, rejected and
 * skipped. Returns the exit status: 0, 1 when a file was refused (changed
 * since the run), 2 when a target was wrong. */
int galley__review_cmd(const char *root, char *const *targets, size_t n,
                       int color);

#endif
