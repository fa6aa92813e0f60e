/* results.h: reads the results file a test program writes for the runner.
 *
 * The format (written by lib/proto.c, version 3) is line-oriented headers
 * followed by length-counted payloads, so output bytes are never parsed:
 *
 *   galley-results 3
 *   test NAME LINE FILE                   a test starts (LINE: its TEST line)
 *   filter LEN                            the test's .filter option
 *   <LEN bytes>
 *   hit LINE EXACT RTOL ATOL LEN FILE     first time a marker is reached,
 *   <LEN bytes of output>                 with the tolerances that applied
 *                                         there (C99 hex floats, or "- -"
 *                                         for galley.conf's), followed by
 *                                         a newline
 *   vary LINE PASS LEN FILE               a later hit (on pass PASS, from
 *   <LEN bytes>                           1) saw other output (the first
 *                                         such output only)
 *   misuse LINE FILE                      EXPECT was given something other
 *                                         than a comment
 *   trailing RTOL ATOL LEN                output after the last marker, with
 *                                         the test's tolerances at the end
 *   <LEN bytes>
 *   stderr LEN                            what the test wrote to fd 2
 *   <LEN bytes>
 *   truncated LIMIT                       output was cut at LIMIT bytes
 *   crash OFF...                          where a test that died of a
 *                                         signal was: hex offsets into the
 *                                         program's file (for addr2line),
 *                                         the innermost first
 *   last LINE FILE                        the marker a test that did not
 *                                         return reached last
 *   end STATUS VALUE MS                   STATUS: ok, exit (VALUE: status),
 *                                         signal (VALUE: number), timeout
 *                                         (VALUE: limit in ms); MS: run time
 *
 * FILE is the rest of the line (it may hold spaces). Every record of a test
 * comes between its "test" and "end" lines. A program killed before "end"
 * leaves a test without one; the reader reports that. */
#ifndef GALLEY_RESULTS_H
#define GALLEY_RESULTS_H

#include <stddef.h>

typedef enum galley_end {
    GALLEY_END_MISSING,  /* no "end" record: the test program itself died */
    GALLEY_END_OK,
    GALLEY_END_EXIT,
    GALLEY_END_SIGNAL,
    GALLEY_END_TIMEOUT,
} galley_end;

/* The most frames of a crash the results carry. */
#define GALLEY_CRASH_FRAMES 16

typedef struct galley_hit {
    char *file;          /* as the program's __FILE__ spelled it */
    int line;
    int exact;
    int tol_set;         /* 1 if rtol/atol came from the test, else the
                            project's defaults apply */
    double rtol, atol;
    char *out;           /* output since the previous marker (in data) */
    size_t out_len;
    int varies;          /* 1 if a later hit saw other output */
    long vary_pass;      /* on which pass (from 1) */
    char *vary_out;      /* that other output */
    size_t vary_len;
} galley_hit;

typedef struct galley_result {
    char *name;
    char *file;
    int line;
    char *filter;        /* the test's .filter option, or NULL (in data) */
    galley_hit *hits;    /* in the order first reached */
    size_t n_hits;
    char **misuse_files; /* EXPECTs given something other than a comment */
    int *misuse_lines;
    size_t n_misuses;
    char *trailing;      /* output after the last marker (may be empty) */
    size_t trailing_len;
    int trailing_tol_set;  /* the test's tolerances at its end, if set */
    double trailing_rtol, trailing_atol;
    char *err;           /* stderr */
    size_t err_len;
    long truncated;      /* the cap in bytes if output was cut, else 0 */
    char *last_file;     /* the marker reached last by a test that did
                            not return, or NULL */
    int last_line;
    unsigned long long crash[GALLEY_CRASH_FRAMES]; /* where it crashed:
                            offsets into the program, innermost first */
    size_t n_crash;
    char *crash_site;    /* set by the runner: FILE:LINE where it crashed
                            (see crash.h), or NULL */
    char *debug;         /* set by the runner: how to rerun it under a
                            debugger, or NULL */
    galley_end end;
    int end_value;
    long ms;
} galley_result;

typedef struct galley_results {
    galley_result *tests;
    size_t n_tests;
    char *data;          /* the file's bytes: payloads point into them */
} galley_results;

/* Parses the results in data[0..len), a heap buffer with a NUL after it,
 * which r takes over: the outputs (hit, vary, trailing, stderr) point into
 * it, each NUL-terminated. Returns 0, or -1 with *err set to a heap message
 * (the caller frees it) when the data is malformed; what was read before
 * the problem is kept in r. Release r with galley_results_fini, also after
 * an error. */
int galley_results_parse(galley_results *r, char *data, size_t len,
                         char **err);
void galley_results_fini(galley_results *r);

#endif
