/* state.h: what `galley run` leaves in _galley/ for `galley promote`: per
 * source file, the hash of the text the run saw and the pending edits. */
#ifndef GALLEY_STATE_H
#define GALLEY_STATE_H

#include <stddef.h>

#include "../source/rewrite.h"

typedef struct galley__state {
    char *root;          /* the project root it was written for (read) */
    char *source;        /* absolute path of the source file */
    char *display;       /* the path as reports show it */
    char hash[41];       /* galley__hash of the source text the run saw */
    galley__edit *edits;  /* owned, with their texts */
    size_t n_edits;
} galley__state;

/* Writes st, the state of a file of the project at root, to path
 * atomically (creating parent directories); the source is stored relative
 * to root. Returns 0 or -errno. */
int galley__state_write(const char *path, const char *root,
                       const galley__state *st);
/* Reads path into st (zeroed by the caller), its source made absolute
 * against root. Returns 0, or -1 with *err set to a heap message (caller
 * frees) naming what is wrong: a malformed file, or a state written for
 * the project at another root (a copied project: its paths would name
 * files of the original). */
int galley__state_read(const char *path, const char *root, galley__state *st,
                      char **err);
void galley__state_fini(galley__state *st);

/* Returns the heap path (caller frees) where run state for source (an
 * absolute path) lives under root: ROOT/_galley/state/REL.state, REL being
 * source relative to root, or "abs/" + the absolute path for a source
 * outside root. With suffix ".corrected" and dir "" gives the corrected
 * copy ROOT/_galley/REL.corrected. */
char *galley__state_path(const char *root, const char *source,
                        const char *dir, const char *suffix);

/* The heap paths of every *.state file under ROOT/_galley/state (every
 * file a run left pending), sorted; their number in *n. The caller frees
 * each path and the array (NULL when there are none). */
char **galley__state_list(const char *root, size_t *n);

#endif
