/* includes.h: follows the #include lines of C sources through the
 * project's own headers, to see what the compiler will see: whether a file
 * includes galley.h (directly or through a header of the project), and
 * which headers of the project it reads (they may hold TESTs). */
#ifndef GALLEY_INCLUDES_H
#define GALLEY_INCLUDES_H

#include "util.h"

/* The include graph of one run: each file is read once, however many
 * files include it. */
typedef struct galley__includes galley__includes;

/* Makes a graph that resolves includes the way a compiler given the
 * include directories dirs (absolute) would: "x.h" in the including file's
 * directory first, then in those directories; <x.h> in those directories
 * only. System directories are not searched: their headers are not the
 * project's. Free it with galley__includes_free. */
galley__includes *galley__includes_new(const galley__words *dirs);
void galley__includes_free(galley__includes *g);

/* Makes an #include of a file that does not exist resolve all the same
 * when gone(ctx, path) returns 1 for its path (absolute, "." and ".."
 * steps removed): --changed follows includes of deleted headers. */
void galley__includes_keep_gone(galley__includes *g,
                               int (*gone)(void *ctx, const char *path),
                               void *ctx);

/* Returns 1 if the file at path (absolute) has an #include of galley.h or
 * of a header under galley/, itself or in a project header it includes,
 * however deep; 0 if not or when it cannot be read. Conditional includes
 * (#if) count as included. */
int galley__includes_galley(galley__includes *g, const char *path);

/* Adds to out the real paths of the project headers that the file at path
 * includes, however deep, each once, in the order first included; the file
 * itself is not among them. */
void galley__includes_headers(galley__includes *g, const char *path,
                             galley__words *out);

#endif
