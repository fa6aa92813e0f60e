/* discover.h: finds the test files of a run: the files named, and under
 * the directories named the *.c files that include galley.h (directly or
 * through the project's headers) or hold galley TESTs, and the Markdown
 * documents (*.md, *.markdown) that opt in (markdown.h). */
#ifndef GALLEY_DISCOVER_H
#define GALLEY_DISCOVER_H

#include <stddef.h>

#include "config.h"
#include "../source/includes.h"

typedef struct galley__source {
    char *path;     /* absolute, symbolic links resolved */
    char *display;  /* relative to the cwd when below it, else absolute */
} galley__source;

typedef struct galley__sources {
    galley__source *v;
    size_t n;
} galley__sources;

/* Fills out with the test files under paths (or, when n == 0, under the
 * configuration's test paths, relative to the root), sorted by path and
 * without repeats; g follows the includes of the files found in
 * directories. Returns 0, or -1 after printing an error for a path that
 * does not exist (the command is then wrong: exit status 2). */
int galley__discover(galley__sources *out, const galley__config *c,
                    galley__includes *g, char *const *paths, size_t n,
                    const char *cwd);
void galley__sources_fini(galley__sources *s);

/* Returns the heap display form of absolute path p for the given cwd:
 * relative to it where it can be, control characters written as \n, \t
 * or \xNN. */
char *galley__display_path(const char *p, const char *cwd);

#endif
