/* normalize.h: the text normalization of DESIGN.md, applied to both sides of
 * a comparison: leading and trailing blank lines dropped, trailing
 * whitespace stripped, common indentation removed. */
#ifndef GALLEY_NORMALIZE_H
#define GALLEY_NORMALIZE_H

#include <stddef.h>

#include "util.h"

/* Appends the normalized form of actual output text[0..len) to out. The
 * result has no trailing newline and LF line ends; empty output (or output
 * of blank lines only) normalizes to the empty string. */
void galley__normalize(galley__buf *out, const char *text, size_t len);

/* Appends the expected text of a marker to out, from the raw comment body
 * (the bytes between slash-star and star-slash). CRLF line ends become LF.
 * Unless exact, the body is normalized as above; a first line that starts
 * on the marker's own line is left out of the common indentation. Lines
 * ending in " (esc)" are then decoded (see escape.h). Returns 0, or -1 with
 * *bad_line set to the 0-based line within the body of a malformed escape
 * and *msg to a static description. */
int galley__expected_text(galley__buf *out, const char *body, size_t len,
                         int exact, int *bad_line, const char **msg);

/* The same, also appending to literal one byte per line of the result: 1
 * for a line that was written escaped (" (esc)"), which is literal text
 * even when what it decodes to ends in " (re)" or " (glob)", else 0. */
int galley__expected_text_lines(galley__buf *out, galley__buf *literal,
                               const char *body, size_t len, int exact,
                               int *bad_line, const char **msg);

#endif
