/* supervise.h: runs one test in a process of its own and watches it: the
 * time limit, the output cap, and at its end a SIGKILL to every process it
 * started, whatever its session or group, so that nothing the test started
 * outlives it or writes into another test's output. */
#ifndef GALLEY_SUPERVISE_H
#define GALLEY_SUPERVISE_H

#include "capture.h"
#include "galley.h"

/* How a test process went. */
typedef struct galley__outcome {
    int wstatus;        /* its wait status */
    int timed_out;      /* it ran out of time and was killed */
    int cut;            /* its output passed the cap */
    int too_many_marks; /* it was stopped for reaching markers too often */
    long ms;            /* from fork to its end */
} galley__outcome;

/* The most marks a test may write (8M marker hits), bounding the marks
 * file, which may live in memory (tmpfs); the test is stopped past it. */
#define GALLEY__MARKS_MAX (128L << 20)

/* Makes this program the subreaper of what its tests start, and notes the
 * children it already has (never killed). Call once before the first
 * test. */
void galley__supervise_setup(void);

/* Runs t (on device, a galley_device bit, or 0: see galley__child_main)
 * in a forked child with its output in c (readied by the caller
 * with galley__capture_begin; the next test's files are made meanwhile),
 * stops it after timeout_ms or once stdout or stderr pass cap bytes, and
 * fills o. Returns 0, or -1 with errno set if no process could be made. */
int galley__supervise(const galley_test *t, unsigned device,
                      galley__capture *c, int timeout_ms, long cap,
                      galley__outcome *o);

#endif
