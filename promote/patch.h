/* patch.h: the pending promotions as one unified diff, _galley/promote.patch,
 * for CI mode: galley never writes sources there, and a developer accepts
 * what CI saw with one `git apply`. */
#ifndef GALLEY_PATCH_H
#define GALLEY_PATCH_H

#include "promote.h"

/* Appends to out a unified diff in git's format (made by libgit2) that
 * changes every source with output pending under ROOT/_galley/state/ as
 * `galley promote` would. Paths are relative to the work tree of the git
 * repository holding root, or to root when it is in none. A source changed
 * since the run, unreadable, or outside that directory is left out with a
 * warning on stderr. Returns the number of files in the diff. */
size_t galley__promote_patch(const char *root, galley__buf *out);

/* Writes that diff to ROOT/_galley/promote.patch, or removes the file when
 * nothing is pending. Returns the number of files in it, or -1 after
 * printing why it could not be written. */
int galley__promote_patch_write(const char *root);


#endif
