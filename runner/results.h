/* results.h: reads the results a test program sends the runner, in the
 * format of lib/protocol.h (its one description, shared with the writer,
 * lib/proto.c). */
#ifndef GALLEY_RESULTS_H
#define GALLEY_RESULTS_H

#include <stddef.h>

#include "../lib/protocol.h"

typedef struct galley__hit {
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
} galley__hit;

typedef struct galley__result {
    char *name;
    char *file;
    int line;
    char *filter;        /* the test's .filter option, or NULL (in data) */
    char *inputs;        /* its .inputs option, or NULL (in data) */
    int no_cache;        /* its .no_cache option */
    unsigned device;     /* the run's device (a galley_device bit) for a
                            test with .devices, else 0 */
    long long leak;      /* bytes of device memory the test left held, or
                            0 */
    char *leak_op;       /* the op that allocated the first of them (in
                            data), "" when unknown */
    size_t leak_op_len;
    size_t rec_at, rec_end; /* its records: data[rec_at..rec_end) before
                            parsing (which puts NULs after payloads) */
    galley__hit *hits;    /* in the order first reached */
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
    char *skip_file;     /* where a test that skipped itself called
                            GALLEY_SKIP (heap), or NULL */
    int skip_line;
    char *skip_reason;   /* its reason (in data), "" for none */
    size_t skip_len;
    unsigned long long crash[GALLEY__CRASH_FRAMES]; /* where it crashed:
                            offsets into the program, innermost first */
    size_t n_crash;
    char *crash_site;    /* set by the runner: FILE:LINE where it crashed
                            (see crash.h), or NULL */
    char *debug;         /* set by the runner: how to rerun it under a
                            debugger, or NULL */
    galley__end_kind end;
    int end_value;
    long ms;
} galley__result;

typedef struct galley__results {
    galley__result *tests;
    size_t n_tests;
    char *data;          /* the file's bytes: payloads point into them */
} galley__results;

/* Parses the results in data[0..len), a heap buffer with a NUL after it,
 * which r takes over. Results of another version of the protocol are
 * refused with a message that says so: the outputs (hit, vary, trailing, stderr) point into
 * it, each NUL-terminated. Returns 0, or -1 with *err set to a heap message
 * (the caller frees it) when the data is malformed; what was read before
 * the problem is kept in r. Release r with galley__results_fini, also after
 * an error. */
int galley__results_parse(galley__results *r, char *data, size_t len,
                         char **err);
/* Whether result t is complete: its "end" record was read. */
int galley__result_ended(const galley__result *t);
void galley__results_fini(galley__results *r);

#endif
