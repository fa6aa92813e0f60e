/* report.h: prints verdicts for people: a FILE:LINE: TEST: what header per
 * failure, the diff under it, the test's stderr, and the summary line. */
#ifndef GALLEY_REPORT_H
#define GALLEY_REPORT_H

#include <stdio.h>

#include "compare.h"

typedef struct galley__report_opts {
    int color;      /* 1: ANSI colors */
    int verbosity;  /* -1 quiet (headers only), 0 normal, 1 verbose */
} galley__report_opts;

/* Prints the failures of v (a line for a test that skipped itself, and
 * when verbose, a line for a pass); of a
 * grouped verdict only those before the reason its file's line stands for
 * (see galley__verdict.grouped). */
void galley__report_verdict(FILE *out, const galley__verdict *v,
                           const galley__report_opts *o);
/* Prints the body of failure f: its diff, or the output that belongs to
 * no marker, and its note (nothing when it has none); the body of a
 * failure in the human report, also used by the machine formats. */
void galley__report_diff(FILE *out, const galley__failure *f, int color);
/* Prints a compile failure of file with the compiler's diagnostics. */
void galley__report_compile_error(FILE *out, const char *file, const char *log,
                                 const galley__report_opts *o);
/* The counts of a run's summary. */
typedef struct galley__counts {
    size_t passed, failed, skipped;
    size_t not_run;     /* left unrun by --fail-fast */
    size_t passed_cached, failed_cached; /* of those, from the cache */
} galley__counts;

/* Prints "N passed, N failed" on a line of its own, each with "(N
 * cached)" when results came from the cache, ", N skipped" when some
 * were, and ", N not run" when --fail-fast stopped the run. */
void galley__report_summary(FILE *out, const galley__counts *n,
                           const galley__report_opts *o);

#endif
