/* markdown.h: Markdown documents as test files, read with cmark. The
 * second kind of source (source.h): the scan finds the document's tests
 * and markers, the rewrite writes outputs into its output blocks, and the
 * scan also writes the C program that the document compiles to.
 *
 * The format (galley(3), "Markdown documents"):
 * - a fenced code block whose info string's first word is `c` is code; the
 *   fenced block right after it whose info string is `output` holds what
 *   that code prints, and is its marker. A C block with no output block
 *   after it expects no output; promote inserts one when it prints;
 * - a heading starts a section; the C blocks of a section are the body of
 *   one TEST, named after the heading (lower case, every run of other
 *   characters than ASCII letters and digits written `_`, made unique with
 *   `_2`, `_3`...); C blocks before the first heading make a TEST named
 *   `intro`. Each TEST runs in its own process, as in C files;
 * - a C block with the word `top` is file-scope code (includes, helpers,
 *   types), compiled before every TEST, in the order of the document;
 * - words after `c` in the info string, or an HTML comment right before
 *   the block (`<!-- galley: rtol=1e-4 skip -->`), are the block's options:
 *   top, skip, exact, rtol=R, atol=A (its output block's marker), and the
 *   TEST options timeout_ms=N, filter="...", inputs="...", no_cache (its
 *   section's TEST);
 * - a document found in a directory is a test file when it opts in: it has
 *   an output block, or an HTML comment that starts `<!-- galley`. */
#ifndef GALLEY_MARKDOWN_H
#define GALLEY_MARKDOWN_H

#include <stddef.h>

#include "rewrite.h"
#include "scan.h"
#include "util.h"

/* Scans Markdown text[0..len) into s, as galley__scan_text does for C: the
 * TESTs are the sections, the markers are the output blocks (and, for a C
 * block that has none, a marker with no text at the block's closing fence
 * line). Also sets s->opted_in and s->program (the document as C, with
 * #line directives naming lines of the document, to follow a line
 * `#line 1 "PATH"`). Never fails on any input; problems are s->errors. */
void galley__md_scan(galley__scan *s, const char *text, size_t len);

/* Appends text[0..len) (scanned into s) with edits applied, as
 * galley__rewrite does for C: only the bytes of output blocks change, and
 * an output block is inserted after a C block that had none. The result is
 * parsed again and checked to hold exactly the outputs written. Returns 0,
 * or -1 with *err (heap) saying why nothing can be written. */
int galley__md_rewrite(galley__buf *out, const char *text, size_t len,
                       const galley__scan *s, const galley__edit *edits,
                       size_t n_edits, char **err);

/* Appends to out the C program of the document scanned into s: galley's
 * headers and the standard ones a snippet most often needs, then the
 * document's code, its lines named as lines of path (the document as the
 * compiler is to call it). */
void galley__md_program(galley__buf *out, const galley__scan *s,
                        const char *path);

/* Frees what the Markdown scan hung on a galley__scan (scan_fini calls
 * it). */
void galley__md_doc_free(struct galley__md_doc *d);

#endif
