/* source.h: the source layer, below galley run and galley promote. It owns
 * the source model: reading a source for its TEST definitions and EXPECT
 * markers (scan.h), the text of markers (normalize.h, escape.h), writing
 * edits back into a source (rewrite.h), what a source includes
 * (includes.h), and the small utilities both commands share: checked
 * allocation, byte buffers, lists of words, whole-file I/O, files written
 * whole or not at all, the one printer of messages (util.h, atomic.h), and
 * the one parser of command-line options (options.h). It may include the
 * C library, libgit2 (hashes) and nothing else of galley: runner/ and
 * promote/ stand on it.
 *
 * A kind of source is one interface: scan a text into markers and tests
 * with byte ranges, and rewrite a text with edits. C files are the kind
 * there is; another (Markdown documents) slots in here. */
#ifndef GALLEY_SOURCE_H
#define GALLEY_SOURCE_H

#include <stddef.h>

#include "rewrite.h"
#include "scan.h"
#include "util.h"

typedef struct galley__source_kind {
    const char *name; /* "C" */
    /* Scans text[0..len) into s, as galley__scan_text does for C. */
    void (*scan)(galley__scan *s, const char *text, size_t len);
    /* Appends text[0..len) (scanned into s) with edits applied to out, as
     * galley__rewrite does for C. Returns 0, or -1 with *err set. */
    int (*rewrite)(galley__buf *out, const char *text, size_t len,
                   const galley__scan *s, const galley__edit *edits,
                   size_t n_edits, char **err);
} galley__source_kind;

/* Returns the kind of the source at path (never NULL). */
const galley__source_kind *galley__source_kind_of(const char *path);

#endif
