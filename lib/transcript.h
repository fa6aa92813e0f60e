/* transcript.h: what a test program prints when run by hand, without the
 * runner: each test, the output at each marker, and how the test ended. */
#ifndef GALLEY_TRANSCRIPT_H
#define GALLEY_TRANSCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "sink.h"

typedef struct galley__transcript {
    FILE *fp;
    int color;                  /* ANSI colors: fp is a terminal */
    size_t n_ok;
    size_t n_skipped;   /* tests that called GALLEY_SKIP */
    int leaked;         /* the running test left device memory held */
    const galley_test **failed; /* tests that did not end ok */
    size_t n_failed;
} galley__transcript;

/* Starts a transcript on fp (borrowed). Colors are used on a terminal
 * unless $NO_COLOR is set. End it with galley__transcript_finish. */
void galley__transcript_init(galley__transcript *tr, FILE *fp);
/* Prints the summary line and releases tr. Returns 0 if every test ended
 * ok, else 1: the exit status of a hand run. */
int galley__transcript_finish(galley__transcript *tr);
/* The sink callback: prints ev. */
void galley__transcript_emit_cb(void *ctx, const galley__event *ev);

#endif
