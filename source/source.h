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
 * with byte ranges, rewrite a text with edits, and, for a kind that is not
 * C, write the C program the text compiles to. There are two kinds: C
 * files (scan.h, rewrite.h) and Markdown documents (markdown.h). */
#ifndef GALLEY_SOURCE_H
#define GALLEY_SOURCE_H

#include <stddef.h>

#include "rewrite.h"
#include "scan.h"
#include "util.h"

typedef struct galley__source_kind {
    const char *name; /* "C" or "Markdown" */
    /* Scans text[0..len) into s, as galley__scan_text does for C. */
    void (*scan)(galley__scan *s, const char *text, size_t len);
    /* Appends text[0..len) (scanned into s) with edits applied to out, as
     * galley__rewrite does for C. Returns 0, or -1 with *err set. */
    int (*rewrite)(galley__buf *out, const char *text, size_t len,
                   const galley__scan *s, const galley__edit *edits,
                   size_t n_edits, char **err);
    /* NULL for C, which is compiled as it is; else appends the C program
     * of text scanned into s to out, its #line directives naming path. */
    void (*program)(galley__buf *out, const galley__scan *s,
                    const char *path);
} galley__source_kind;

/* Returns the kind of the source at path (never NULL): Markdown for a name
 * ending in .md or .markdown (in any case), else C. */
const galley__source_kind *galley__source_kind_of(const char *path);

/* Returns 1 if a file named path, found in a directory that is searched
 * for tests, may be a test file (then scan it and see s.opted_in): a C
 * file or a Markdown document. */
int galley__source_is_candidate(const char *path);

#endif
