/* sink.h: the events one test produces once it has run, and the sink they
 * go to: the results file the runner reads (proto.c) or the transcript a
 * person reads when running a test program by hand (transcript.c). */
#ifndef GALLEY_SINK_H
#define GALLEY_SINK_H

#include <stddef.h>

#include "galley.h"
#include "protocol.h"

/* Tolerances for numbers; set 0 means "galley.conf's". */
typedef struct galley__tol {
    int set;
    double rtol, atol;
} galley__tol;

typedef enum galley__ev_kind {
    GALLEY__EV_TEST,      /* the test starts (sent before it runs) */
    GALLEY__EV_HIT,       /* file, line, exact, data: a marker's first hit */
    GALLEY__EV_VARY,      /* file, line, data: a later hit saw other
                             output; value: on which pass (from 1) */
    GALLEY__EV_MISUSE,    /* file, line: EXPECT was given an argument */
    GALLEY__EV_TRAILING,  /* data: output after the last marker */
    GALLEY__EV_STDERR,    /* data: what the test wrote to fd 2 */
    GALLEY__EV_TRUNCATED, /* value: the output cap the output passed */
    GALLEY__EV_LAST,      /* file, line: the marker reached last, for a
                             test that did not return */
    GALLEY__EV_CRASH,     /* data: where a crash happened, as len / 8
                             offsets (int64) into the program's file, the
                             innermost first */
    GALLEY__EV_SKIP,      /* file, line, data: the test called
                             GALLEY_SKIP there, with this reason */
    GALLEY__EV_LEAK,      /* value, data: the test returned with value
                             bytes of device memory held, the first
                             allocated by the op named in data (len 0:
                             unknown) */
    GALLEY__EV_END,       /* end, value, ms: how the test ended */
} galley__ev_kind;

/* One event. Pointers are borrowed for the duration of the call only. */
typedef struct galley__event {
    galley__ev_kind kind;
    const galley_test *test; /* the test it belongs to (always set) */
    unsigned device;  /* TEST: the run's device (a galley_device bit) for
                         a test with .devices, else 0 */
    const char *file;
    int line;
    int exact;
    galley__tol tol;  /* HIT: the tolerances at the marker's first hit;
                         TRAILING: those in effect at the end */
    const char *data; /* payload bytes (may hold NULs); NULL when len is 0 */
    size_t len;
    galley__end_kind end;
    long value;
    long ms;
} galley__event;

typedef struct galley__sink {
    void (*emit_cb)(void *ctx, const galley__event *ev);
    void *ctx;
} galley__sink;

/* Hands ev to sink s. */
static inline void galley__emit(const galley__sink *s, galley__event ev)
{
    s->emit_cb(s->ctx, &ev);
}

#endif
