/* promote.h: the promote layer, and its public header: `galley promote`,
 * which writes the actual output that the last `galley run` saw into the
 * sources (every pending file, one file, or the one marker at a line), and
 * what a run records for it. promote/ owns the run state under
 * _galley/state/ (state.h), the .corrected copies and the CI patch
 * (patch.h); it may include source/ (the source model) and nothing of
 * runner/, which in turn sees only this header of promote/. */
#ifndef GALLEY_PROMOTE_H
#define GALLEY_PROMOTE_H

#include <stddef.h>
#include <stdio.h>

#include "../source/rewrite.h"
#include "../source/scan.h"

/* Promotes the pending output recorded under root/_galley/state/. targets
 * are command-line words, FILE or FILE:LINE (FILE relative to the cwd or
 * absolute); with n == 0 every pending file is promoted. A file changed
 * since the run that recorded it (or while promote writes it) is refused
 * and left alone. Prints one line per file promoted to out (stdout for the
 * command) and problems to stderr. Returns the exit status: 0 done (or
 * nothing to do), 1 some file was refused or could not be written, 2 a
 * target was wrong (no such file, nothing pending in it, nothing pending
 * at its LINE: the pending lines are listed); with 2 no file is changed. */
int galley__promote_cmd(const char *root, char *const *targets, size_t n,
                       FILE *out);

/* What galley__promote_with does with the pending output it selects. */
typedef enum galley__promote_mode {
    GALLEY__PROMOTE_ALL,    /* write it into the sources */
    GALLEY__PROMOTE_NEW,    /* write only what fills a marker still empty
                              (EXPECT(), an empty output block) or adds
                              one (trailing output), as insta's
                              INSTA_UPDATE=new; the rest stays pending */
    GALLEY__PROMOTE_LIST,   /* print a line for each, write nothing */
    GALLEY__PROMOTE_REJECT, /* forget it: the sources are left as they are */
} galley__promote_mode;

/* galley__promote_cmd with a mode: LIST prints "FILE:LINE: TEST: what"
 * for each pending output selected; REJECT drops it from the run state
 * (and its .corrected copy), printing "rejected FILE (N markers)". The
 * exit statuses are galley__promote_cmd's. */
int galley__promote_with(const char *root, char *const *targets, size_t n,
                         FILE *out, galley__promote_mode mode);

/* ---- galley review: one pending output at a time ---- */

/* One pending output as galley review shows it; everything is borrowed
 * for the duration of the callback. */
typedef struct galley__review_item {
    const char *display;  /* FILE, as reports show it */
    int line;             /* the marker's line; trailing output: its TEST's */
    const char *test;     /* the name of its TEST */
    galley__edit_kind kind;
    const char *what;     /* as promote --list says it: "new output", ... */
    const char *source;   /* the source as it is now */
    size_t source_len;
    const char *promoted; /* the source with this one output promoted */
    size_t promoted_len;
    const char *output;   /* the new output in full, raw (empty for a
                             marker not reached) */
    size_t output_len;
    size_t left;          /* outputs still to review in this file after it */
} galley__review_item;

/* What the reviewer answers for an item. */
typedef enum galley__review_answer {
    GALLEY__REVIEW_ACCEPT,      /* promote it now */
    GALLEY__REVIEW_REJECT,      /* forget it; the source is left alone */
    GALLEY__REVIEW_SKIP,        /* leave it pending */
    GALLEY__REVIEW_ACCEPT_FILE, /* promote it and the rest of its file */
    GALLEY__REVIEW_QUIT,        /* stop; the rest stays pending */
} galley__review_answer;

typedef galley__review_answer (*galley__review_cb)(
    void *ctx, const galley__review_item *item);

/* What a review did, counted by marker. */
typedef struct galley__review_counts {
    size_t files;    /* files with pending output it looked at */
    size_t refused;  /* files refused (changed since the run, ...) */
    size_t accepted, rejected, skipped;
} galley__review_counts;

/* Walks the pending output under root (every file's, or the targets',
 * FILE or FILE:LINE as for galley__promote_cmd), file by file in path
 * order and in source order within a file, asking cb about each. An
 * accepted output is promoted at once, atomically and with the stale
 * check of galley__promote_cmd (a file changed since the run is refused
 * and its review ends); a rejected one is dropped from the run state.
 * It holds the project's lock (galley__lock_project) except while cb
 * runs; a file whose run state changed meanwhile (a galley run in another
 * terminal) is refused at its answer. Prints "nothing pending" to out
 * when there is nothing, and problems to stderr; fills *counts. Returns
 * galley__promote_cmd's exit status. */
int galley__promote_review(const char *root, char *const *targets, size_t n,
                           FILE *out, galley__review_cb cb, void *ctx,
                           galley__review_counts *counts);

/* What a run saw of one source, for galley__promote_record. */
typedef struct galley__promote_source {
    const char *path;     /* absolute */
    const char *display;  /* as reports show it */
    const char *text;     /* the text the run judged, scanned into scan */
    size_t len;
    const galley__scan *scan;
    const galley__edit *edits; /* the pending promotions */
    size_t n_edits;
    const char *const *unrun; /* names of its TESTs that the run left out */
    size_t n_unrun;
} galley__promote_source;

/* Records what a run leaves for galley promote about source s of the
 * project at root: its state under ROOT/_galley/state/ and the .corrected
 * copy (the source as promote would write it), or, with no edits, removes
 * both. The pending promotions that the state held for the tests in
 * s->unrun stay, beside s's own, while the source is still the text that
 * state was written for: a run of some of a file's tests (ctest runs them
 * one at a time, an editor the test at the cursor) leaves the others'
 * pending. Problems are printed; the run goes on. */
void galley__promote_record(const char *root, const galley__promote_source *s);

/* Ends a run in CI mode: writes _galley/promote.patch (the pending
 * promotions as one diff for git apply), after failures saying on stderr
 * how to accept it, or removes it when nothing is pending. */
void galley__promote_patch_ci(const char *root, int failed);

#endif
