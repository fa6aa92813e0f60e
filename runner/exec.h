/* exec.h: runs test programs in parallel, each writing a results file. */
#ifndef GALLEY_EXEC_H
#define GALLEY_EXEC_H

#include <stddef.h>

/* One run of a test program. */
typedef struct galley_job {
    const char *exe;      /* root-relative program path (borrowed) */
    const char *name;     /* the test file as reports show it, for the
                             status line (borrowed; NULL: exe) */
    char *results;        /* root-relative results path (owned) */
    char *log;            /* root-relative path of the program's own
                             stdout/stderr (owned) */
    char **only;          /* names of the tests to run, or NULL for all */
    size_t n_only;
    int timeout_ms;
    long output_limit;
    int status;           /* after the run: the program's wait status */
} galley_job;

/* Runs the jobs, at most parallel at a time, from directory root; with
 * progress 1, shows "[done/n] running FILE" as the status line (see
 * progress.h), erased before it returns. Returns 0, or -1 after printing
 * why a program could not be started (that job's status is then -1; the
 * others still run). */
int galley_exec(galley_job *jobs, size_t n, int parallel, const char *root,
                int progress);
void galley_job_fini(galley_job *j);

#endif
