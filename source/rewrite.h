/* rewrite.h: writes actual output into the EXPECT markers of a C source,
 * changing no other byte of the file. */
#ifndef GALLEY_REWRITE_H
#define GALLEY_REWRITE_H

#include <stddef.h>

#include "scan.h"
#include "util.h"

typedef enum galley__edit_kind {
    GALLEY__EDIT_MARKER,   /* replace the text of the marker at line */
    GALLEY__EDIT_TRAILING, /* add a marker before the closing brace of the
                             TEST whose TEST line is line */
    GALLEY__EDIT_UNREACHABLE, /* the marker at line, which a test that
                             returned never reached, becomes
                             EXPECT_UNREACHABLE() (text: empty) */
} galley__edit_kind;

/* One change to a source: the actual output the run saw. */
typedef struct galley__edit {
    galley__edit_kind kind;
    int line;       /* MARKER: galley__marker.line; TRAILING: the TEST line */
    char *text;     /* raw actual output, not normalized; owned by whoever
                       owns the edit array */
    size_t len;
    int verbatim;   /* MARKER only: text is the expected text as it is to
                       be written (normalized, lines already escaped where
                       needed, pattern lines kept as written) */
    char *test;     /* TRAILING: the TEST's name, so that two tests on one
                       line are told apart (NULL: the first TEST at line);
                       owned like text */
} galley__edit;

/* Frees what edit e owns (its text and test name). */
void galley__edit_fini(galley__edit *e);

/* Appends to out the source src[0..len) (scanned into s) with edits applied.
 * Each marker is rewritten by its kind: EXPECT gets the normalized output,
 * on the marker's line when it is one short line, else as a block indented
 * two spaces past the marker's line; empty output gives EXPECT(). EXPECT_EXACT
 * gets the raw output. Lines that cannot live in a comment are escaped (see
 * escape.h). The file's line ends (LF or CRLF) are kept. Returns 0, or -1
 * with *err set to a heap message (caller frees) when an edit names no
 * marker or test of s; out is then unspecified. */
int galley__rewrite(galley__buf *out, const char *src, size_t len,
                   const galley__scan *s, const galley__edit *edits,
                   size_t n_edits, char **err);

#endif
