/* compare.h: pairs what test programs reported with the markers the scanner
 * found, decides each test's verdict and collects the edits promote needs. */
#ifndef GALLEY_COMPARE_H
#define GALLEY_COMPARE_H

#include <stddef.h>

#include "../source/source.h"
#include "config.h"
#include "filter.h"
#include "match.h"
#include "reconcile.h"
#include "results.h"
#include "../source/scan.h"
#include "../source/util.h"

/* What tests printed at a marker outside any TEST (in a helper). */
typedef struct galley_shared_output {
    char *test;          /* the first test that reached it, or NULL */
    char hash[41];       /* of its normalized output */
    int conflict;        /* a later test printed something else */
} galley_shared_output;

/* A source file taking part in a run: a test file, or a file holding
 * markers that a test reached (a helper header). */
typedef struct galley_srcfile {
    char *path;          /* absolute */
    char *display;
    const galley_source_kind *kind;
    galley_buf text;     /* as read before the build */
    int readable;
    galley_scan scan;
    galley_edit *edits;  /* pending promotions, texts owned */
    size_t n_edits;
    galley_shared_output *shared; /* per marker, NULL until needed */
    galley_words trailing_conflicts; /* TESTs (in a header) whose trailing
                            output differed between programs: not promoted */
    int judged;          /* a test of the run was judged in it, or reached
                            one of its markers: its pending output is this
                            run's to say */
} galley_srcfile;

typedef struct galley_srcfiles {
    galley_srcfile **v;
    size_t n;
    char *root;          /* relative __FILE__ names resolve against it */
    char *cwd;
    double rtol, atol;   /* galley.conf's tolerances */
    const galley_filters *filters; /* galley.conf's filters (borrowed) */
    galley_patterns *patterns;     /* (re) patterns compiled so far */
} galley_srcfiles;

/* Returns the file for path (absolute, or relative to the root), reading
 * and scanning it the first time. Never NULL; check ->readable. */
galley_srcfile *galley_srcfile_get(galley_srcfiles *fs, const char *path);
void galley_srcfiles_fini(galley_srcfiles *fs);
/* Drops the edits of shared markers that tests disagreed on. Call after
 * every test was compared. */
void galley_srcfile_drop_conflicts(galley_srcfile *f);

typedef enum galley_failure_kind {
    GALLEY_FAIL_MISMATCH,
    GALLEY_FAIL_TRAILING,
    GALLEY_FAIL_VARYING,
    GALLEY_FAIL_NOT_REACHED,
    GALLEY_FAIL_ENDED,      /* crash, exit, timeout, program died */
    GALLEY_FAIL_TRUNCATED,
    GALLEY_FAIL_ERROR,      /* bad input at a location: message */
} galley_failure_kind;

typedef struct galley_failure {
    galley_failure_kind kind;
    char *file;          /* display path (owned) */
    int line;
    char *what;          /* header text: "mismatch", "crashed (SIGSEGV)" */
    char *expected;      /* both sides of the diff, or NULL; with expected
                            NULL, actual is output that belongs to no
                            marker (before a crash), shown as it is */
    size_t expected_len;
    char *actual;
    size_t actual_len;
    galley_num_span *spans; /* numbers out of tolerance in actual */
    size_t n_spans;
    char *summary;       /* the numbers' summary under the diff, or NULL */
    char *note;          /* a last line for people (how to debug), or
                            NULL */
} galley_failure;

typedef struct galley_verdict {
    char *name;
    char *file;          /* display path of the TEST */
    int line;
    galley_failure *fails;
    size_t n_fails;
    char *err;           /* the test's stderr, shown when it fails */
    size_t err_len;
    long ms;
    int grouped;         /* not run for a reason its whole file shares: the
                            human report shows one line for the file */
} galley_verdict;

/* Judges every test in results, which came from the program built from
 * src: each in the file its TEST is written in (src, or a header that src
 * includes). Appends verdicts to *v (n in *nv) and edits to the files of
 * fs. */
void galley_compare(galley_srcfiles *fs, galley_srcfile *src,
                    const galley_results *results, galley_verdict **v,
                    size_t *nv);
/* Adds a failed verdict for test name of src with one failure (used for
 * compile errors and tests the program never reported). */
void galley_verdict_fail(galley_verdict **v, size_t *nv, const char *file,
                         int line, const char *name, const char *what);
void galley_verdict_fini(galley_verdict *v);
/* The order of reports: by file, then line, then test name (<0, 0, >0). */
int galley_place_cmp(const char *file_a, int line_a, const char *name_a,
                     const char *file_b, int line_b, const char *name_b);

/* Returns a heap string naming signal sig ("SIGSEGV"). */
char *galley_signal_name(int sig);

#endif
