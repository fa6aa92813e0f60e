/* changed.h: `galley run --changed[=REV]`: narrows a run to the test files
 * that a change since REV can affect, found with libgit2 and the files'
 * #include lines. */
#ifndef GALLEY_CHANGED_H
#define GALLEY_CHANGED_H

#include "config.h"
#include "discover.h"

/* Keeps in s only the test files that differ from rev (a git revision, such
 * as HEAD or main~2) in the work tree or the index, untracked files
 * included, and those that #include a changed file, directly or through
 * other headers ("..." resolved in the including file's directory, then in
 * galley.conf's include directories; <...> in those directories). A changed
 * galley.conf, or a changed file of its sources (the code every test links
 * with), keeps them all. Prints one line saying what it kept to stderr.
 * Returns 0, or 2 after printing why (the root is in no git repository,
 * rev names nothing). */
int galley__changed_select(galley__sources *s, const galley__config *c,
                          const char *rev);

#endif
