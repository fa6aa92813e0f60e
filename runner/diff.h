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
 * lines are red, added green, hunk headers cyan. spans (n_spans of them,
 * sorted by line; may be NULL) mark numbers out of tolerance on the actual
 * side: reverse video on a terminal, otherwise a line of carets under each
 * added line that holds some. At most 500 lines are printed. Returns 0, or
 * -1 if the diff engine failed (a message is printed instead). */
int galley__diff_print(FILE *out, const char *expected, size_t expected_len,
                      const char *actual, size_t actual_len, int color,
                      const galley__num_span *spans, size_t n_spans);

/* Prints a unified diff of a source before -> after, as galley review
 * shows what promoting one output does to it: headed "--- NAME" / "+++ NAME
 * (promoted)", three lines of context, colored as galley__diff_print. The
 * lines are shown as they are, comment delimiters included; only what a
 * terminal would misshow (control bytes but tab, bytes that are not
 * UTF-8) is written \xNN, and a CRLF file's CRs are not shown. Returns 0,
 * or -1 if the diff engine failed (a message is printed instead). */
int galley__diff_print_source(FILE *out, const char *name, const char *before,
                             size_t before_len, const char *after,
                             size_t after_len, int color);

/* Prints text[0..len) as lines, each after indent, escaped as the lines of
 * a diff are; at most as many lines as a diff, then a line counting those
 * left out. */
void galley__text_print(FILE *out, const char *text, size_t len,
                       const char *indent);

#endif
