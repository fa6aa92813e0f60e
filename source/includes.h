/* includes.h: follows the #include lines of C sources through the
 * project's own headers, to see what the compiler will see: whether a file
 * includes galley.h (directly or through a header of the project), and
 * which headers of the project it reads (they may hold TESTs). */
#ifndef GALLEY_INCLUDES_H
#define GALLEY_INCLUDES_H

#include "util.h"

/* The include graph of one run: each file is read once, however many
 * files include it. */
typedef struct galley_includes galley_includes;

/* Makes a graph that resolves includes the way a compiler given the
 * include directories dirs (absolute) would: "x.h" in the including file's
 * directory first, then in those directories; <x.h> in those directories
 * only. System directories are not searched: their headers are not the
 * project's. Free it with galley_includes_free. */
galley_includes *galley_includes_new(const galley_words *dirs);
void galley_includes_free(galley_includes *g);

/* Makes an #include of a file that does not exist resolve all the same
 * when gone(ctx, path) returns 1 for its path (absolute, "." and ".."
 * steps removed): --changed follows includes of deleted headers. */
void galley_includes_keep_gone(galley_includes *g,
                               int (*gone)(void *ctx, const char *path),
                               void *ctx);

/* Returns 1 if the file at path (absolute) has an #include of galley.h or
 * of a header under galley/, itself or in a project header it includes,
 * however deep; 0 if not or when it cannot be read. Conditional includes
 * (#if) count as included. */
int galley_includes_galley(galley_includes *g, const char *path);

/* Adds to out the real paths of the project headers that the file at path
 * includes, however deep, each once, in the order first included; the file
 * itself is not among them. */
void galley_includes_headers(galley_includes *g, const char *path,
                             galley_words *out);

#endif
