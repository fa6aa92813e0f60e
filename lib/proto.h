/* proto.h: the results file a test program writes for the runner when
 * started with --galley-results=PATH or --galley-results-fd=N (format:
 * protocol.h). */
#ifndef GALLEY_PROTO_H
#define GALLEY_PROTO_H

#include <stdio.h>

#include "protocol.h"
#include "sink.h"

typedef struct galley__proto {
    FILE *fp;
} galley__proto;

/* Creates the results file at path and writes its header. Returns 0, or
 * -1 with errno set. Close with galley__proto_close. */
int galley__proto_open(galley__proto *p, const char *path);
/* The same, on descriptor fd (which p then owns); it is closed in the
 * test processes, which must not write to it. */
int galley__proto_open_fd(galley__proto *p, int fd);
/* Closes the file. Returns 0, or -1 if any write to it failed. */
int galley__proto_close(galley__proto *p);
/* The sink callback: writes ev's record; an end record is flushed at once
 * so that the program dying later loses nothing of the finished tests. */
void galley__proto_emit_cb(void *ctx, const galley__event *ev);

#endif
