/* match.h: pattern lines in expectations, after cram: an expected line
 * ending in " (re)" is a PCRE2 pattern that must match the whole actual
 * line; one ending in " (glob)" is a glob where * is any run of characters
 * and ? one character (\*, \? and \\ stand for themselves). */
#ifndef GALLEY_MATCH_H
#define GALLEY_MATCH_H

#include <stddef.h>

typedef enum galley__line_kind {
    GALLEY__LINE_TEXT,
    GALLEY__LINE_RE,
    GALLEY__LINE_GLOB,
} galley__line_kind;

/* Returns the kind of expected line line[0..len) from its suffix. */
galley__line_kind galley__line_kind_of(const char *line, size_t len);

/* Compiled patterns, kept so a pattern used in a loop compiles once. */
typedef struct galley__patterns galley__patterns;

galley__patterns *galley__patterns_new(void);
void galley__patterns_free(galley__patterns *p);

/* Returns 1 if actual line[0..len) matches pattern line pat[0..plen) (the
 * expected line, suffix included), 0 if not; -1 with *err set to a heap
 * message (caller frees) saying what is wrong with the pattern when it
 * does not compile. Matching is on the whole line; invalid UTF-8 in the
 * line never fails a match by itself. */
int galley__line_matches(galley__patterns *p, const char *pat, size_t plen,
                        const char *line, size_t len, char **err);

#endif
