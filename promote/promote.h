/* promote.h: `galley promote`, which writes the actual output that the last
 * `galley run` saw into the sources: every pending file, one file, or the
 * one marker at a line. */
#ifndef GALLEY_PROMOTE_H
#define GALLEY_PROMOTE_H

#include <stddef.h>
#include <stdio.h>

/* Promotes the pending output recorded under root/_galley/state/. targets
 * are command-line words, FILE or FILE:LINE (FILE relative to the cwd or
 * absolute); with n == 0 every pending file is promoted. A file changed
 * since the run that recorded it (or while promote writes it) is refused
 * and left alone. Prints one line per file promoted to out (stdout for the
 * command) and problems to stderr. Returns the exit status: 0 done (or
 * nothing to do), 1 some file was refused or could not be written, 2 a
 * target was wrong (no such file, nothing pending in it, nothing pending
 * at its LINE: the pending lines are listed); with 2 no file is changed. */
int galley_promote_cmd(const char *root, char *const *targets, size_t n,
                       FILE *out);

#endif
