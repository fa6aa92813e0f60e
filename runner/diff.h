/* diff.h: unified diffs of expected against actual text, computed with
 * libgit2's diff engine (patience), printed for people. */
#ifndef GALLEY_DIFF_H
#define GALLEY_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "reconcile.h"

/* Prints a unified diff of expected -> actual to out, with three lines of
 * context, headed "--- expected" / "+++ actual". Control bytes and invalid
 * UTF-8 are shown escaped, as promote would write them. With color, removed
 * lines are red, added green, hunk headers cyan. Returns 0, or -1 if the
 * diff engine failed (a message is printed instead). */
int galley_diff_print(FILE *out, const char *expected, size_t expected_len,
                      const char *actual, size_t actual_len, int color);

/* The same, marking spans of the actual side (numbers out of tolerance):
 * on a terminal in reverse video, otherwise with a line of carets under
 * each added line that holds some. */
int galley_diff_print_marked(FILE *out, const char *expected,
                             size_t expected_len, const char *actual,
                             size_t actual_len, int color,
                             const galley_num_span *spans, size_t n_spans);

#endif
