/* escape.h: the escape that lets any output live inside a C comment.
 * A line that holds control characters (other than tab), bytes that are not
 * UTF-8, a comment delimiter, or that ends in a reserved suffix, is written
 * escaped and followed by " (esc)", as in cram: \\ is a backslash, \t a tab,
 * \r a carriage return, \xNN any byte; '/' next to '*' is written \x2f or
 * \x2a is written for the '*' after '/'. Other lines are written as they
 * are. Reserved suffixes: " (esc)", " (re)", " (glob)". */
#ifndef GALLEY_ESCAPE_H
#define GALLEY_ESCAPE_H

#include <stddef.h>

#include "util.h"

/* Returns the length of the UTF-8 character at p[0..n) (n >= 1): 1 for
 * ASCII, 2 to 4 for a valid sequence, 0 when the bytes are not UTF-8
 * (overlongs, surrogates, code points past U+10FFFF, truncated sequences).
 * The one definition of "text" shared by the escape and the glob. */
size_t galley__utf8_len(const unsigned char *p, size_t n);

/* Returns 1 if line[0..len) (no newline) must be escaped, else 0. */
int galley__line_needs_escape(const char *line, size_t len);
/* Appends the escaped form of line[0..len) and " (esc)" to out. */
void galley__escape_line(galley__buf *out, const char *line, size_t len);
/* Returns 1 if line[0..len) ends in " (esc)". */
int galley__line_is_escaped(const char *line, size_t len);
/* Appends the decoded form of an escaped line (with or without its
 * " (esc)" suffix) to out. Returns 0, or -1 with *msg set to a static
 * description when an escape is malformed. */
int galley__unescape_line(galley__buf *out, const char *line, size_t len,
                         const char **msg);

#endif
