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
typedef struct galley__shared_output {
    char *test;          /* the first test that reached it, or NULL */
    char hash[41];       /* of its normalized output */
    int conflict;        /* a later test printed something else */
} galley__shared_output;

/* A source file taking part in a run: a test file, or a file holding
 * markers that a test reached (a helper header). */
typedef struct galley__srcfile {
    char *path;          /* absolute */
    char *display;
    const galley__source_kind *kind;
    galley__buf text;     /* as read before the build */
    int readable;
    galley__scan scan;
    galley__edit *edits;  /* pending promotions, texts owned */
    size_t n_edits;
    galley__shared_output *shared; /* per marker, NULL until needed */
    galley__words trailing_conflicts; /* TESTs (in a header) whose trailing
                            output differed between programs: not promoted */
    int judged;          /* a test of the run was judged in it, or reached
                            one of its markers: its pending output is this
                            run's to say */
} galley__srcfile;

typedef struct galley__srcfiles {
    galley__srcfile **v;
    size_t n;
    char *root;          /* relative __FILE__ names resolve against it */
    char *cwd;
    double rtol, atol;   /* galley.conf's tolerances */
    const galley__filters *filters; /* galley.conf's filters (borrowed) */
    galley__patterns *patterns;     /* (re) patterns compiled so far */
} galley__srcfiles;

/* Returns the file for path (absolute, or relative to the root), reading
 * and scanning it the first time. Never NULL; check ->readable. */
galley__srcfile *galley__srcfile_get(galley__srcfiles *fs, const char *path);
void galley__srcfiles_fini(galley__srcfiles *fs);
/* Drops the edits of shared markers that tests disagreed on. Call after
 * every test was compared. */
void galley__srcfile_drop_conflicts(galley__srcfile *f);

typedef enum galley__failure_kind {
    GALLEY__FAIL_MISMATCH,   /* also an EXPECT_END that says another end */
    GALLEY__FAIL_TRAILING,
    GALLEY__FAIL_VARYING,
    GALLEY__FAIL_NOT_REACHED,
    GALLEY__FAIL_ENDED,      /* crash, exit, timeout, program died */
    GALLEY__FAIL_TRUNCATED,
    GALLEY__FAIL_ERROR,      /* bad input at a location: message */
    GALLEY__FAIL_LEAK,       /* the test left device memory held */
} galley__failure_kind;

typedef struct galley__failure {
    galley__failure_kind kind;
    char *file;          /* display path (owned) */
    int line;
    char *what;          /* header text: "mismatch", "crashed (SIGSEGV)" */
    char *expected;      /* both sides of the diff, or NULL; with expected
                            NULL, actual is output that belongs to no
                            marker (before a crash), shown as it is */
    size_t expected_len;
    char *actual;
    size_t actual_len;
    galley__num_span *spans; /* numbers out of tolerance in actual */
    size_t n_spans;
    char *summary;       /* the numbers' summary under the diff, or NULL */
    char *note;          /* a last line for people (how to debug), or
                            NULL */
} galley__failure;

typedef struct galley__verdict {
    char *name;          /* the TEST's */
    char *shown;         /* as reports show it: the name, and for a run of
                            a test with .devices its device: "mlp [cuda]" */
    unsigned device;     /* that device (a galley_device bit), or 0 */
    const char *reference; /* a device run whose output promote does not
                            write: the device of the one it writes ("cpu",
                            static), else NULL */
    char *file;          /* display path of the TEST */
    int line;
    galley__failure *fails;
    size_t n_fails;
    char *err;           /* the test's stderr, shown when it fails */
    size_t err_len;
    long ms;
    int cached;          /* its results came from the cache */
    int skipped;         /* it called GALLEY_SKIP: counted as skipped when
                            nothing failed before */
    char *skip_file;     /* where (display path, heap), or NULL */
    int skip_line;
    char *skip_reason;   /* why (heap, "" for no reason), or NULL */
    int grouped;         /* not run for a reason its whole file shares: the
                            human report shows one line for the file. That
                            reason is the last failure; any before it (a
                            problem the scanner found in the test) are
                            shown still */
} galley__verdict;

/* Judges every test in results, which came from the program built from
 * src: each in the file its TEST is written in (src, or a header that src
 * includes). Appends verdicts to *v (n in *nv) and edits to the files of
 * fs. */
void galley__compare(galley__srcfiles *fs, galley__srcfile *src,
                    const galley__results *results, galley__verdict **v,
                    size_t *nv);
/* Adds a failed verdict for test name of src with one failure (used for
 * compile errors and tests the program never reported). */
void galley__verdict_fail(galley__verdict **v, size_t *nv, const char *file,
                         int line, const char *name, const char *what);
void galley__verdict_fini(galley__verdict *v);
/* The order of reports: by file, then line, then test name (<0, 0, >0). */
int galley__place_cmp(const char *file_a, int line_a, const char *name_a,
                     const char *file_b, int line_b, const char *name_b);

/* Returns a heap string naming signal sig ("SIGSEGV"). */
char *galley__signal_name(int sig);

#endif
