/* exec.h: runs test programs in parallel. Each writes its results into a
 * file that the runner made and handed it as a descriptor, and its own
 * stdout and stderr into another: nothing of a run lives in the project's
 * tree, where a test could delete it. */
#ifndef GALLEY_EXEC_H
#define GALLEY_EXEC_H

#include <stddef.h>

#include "../source/util.h"

/* One run of a test program. */
typedef struct galley__job {
    const char *exe;      /* root-relative program path (borrowed) */
    const char *name;     /* the test file as reports show it, for the
                             status line (borrowed; NULL: exe) */
    char **only;          /* names of the tests to run, or NULL for all */
    size_t n_only;
    int part, parts;      /* with parts > 0: run the part-th (from 1) of
                             parts slices of the program's tests */
    int timeout_ms;
    long output_limit;
    int cached;           /* its results came from the cache: it is not
                             run (galley__exec is not given such a job) */
    int stopped;          /* the run stopped before it ended (the hook
                             said so): never started, or killed */
    /* After the run: */
    int status;           /* the program's wait status, -1 if it could not
                             be started (why: in log) */
    galley__buf results;   /* what it wrote to its results descriptor */
    galley__buf log;       /* its own stdout and stderr */
} galley__job;

/* What galley__exec calls as each job ends (its status and files taken),
 * in the order they end: a nonzero return stops the run there (--fail-fast:
 * a test failed). No further job starts; those still running are killed.
 * Such jobs are marked stopped, and their results are not to be judged. */
typedef struct galley__exec_hook {
    int (*ended)(void *arg, size_t job);
    void *arg;
} galley__exec_hook;

/* Runs the jobs, at most parallel at a time, from directory root, calling
 * hook (may be NULL) as each ends; with
 * progress 1, shows "[done/n] running FILE" as the status line (see
 * progress.h), erased before it returns. Every program is opened before
 * the first starts, so a test that deletes _galley/ stops none of them.
 * Whatever the programs leave running when the last one ends is killed.
 * Returns 0, or -1 when a program could not be started (that job's status
 * is then -1 and its log says why; the others still run). */
int galley__exec(galley__job *jobs, size_t n, int parallel, const char *root,
                int progress, const galley__exec_hook *hook);
void galley__job_fini(galley__job *j);

/* Kills (SIGKILL) and reaps every child of this process and every process
 * that becomes its child meanwhile (with PR_SET_CHILD_SUBREAPER: what its
 * children started), until none is left. */
void galley__kill_children(void);

#endif
