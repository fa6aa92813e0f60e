/* capture.h: the files a test's output goes to: its stdout, its stderr and
 * the marks galley_expect writes. Made afresh for every test and closed
 * when it ends, so that a process the test left behind can never write
 * into the next test's output; each is an unlinked temporary file (in
 * memory where the kernel can), appended to. */
#ifndef GALLEY_CAPTURE_H
#define GALLEY_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

/* At most this much of a test's stderr is kept; a line notes the cut. */
#define GALLEY__STDERR_MAX 65536

typedef struct galley__capture {
    int out;   /* the test's stdout: fd 1 in the test process */
    int err;   /* the test's stderr: fd 2 in the test process */
    int marks; /* marks written by galley_expect (format in marks.h) */
    int null;  /* /dev/null, the test's stdin; -1 if it could not be opened */
} galley__capture;

/* Creates the capture files in $TMPDIR (else /tmp). Returns 0, or -1 with
 * errno set and nothing left open. Release with galley__capture_close. */
int galley__capture_open(galley__capture *c);
void galley__capture_close(galley__capture *c);
/* Returns how many bytes the file at fd holds past base, or -1. Costs one
 * lseek, far less than an fstat right after writes on ext4. */
long galley__capture_len(int fd, off_t base);
/* Reads up to len bytes at off from fd into buf; returns how many it got
 * (fewer at the end of the file or on an error). */
size_t galley__pread_all(int fd, char *buf, size_t len, off_t off);
/* Returns what the test wrote to stderr: at most GALLEY__STDERR_MAX bytes,
 * then a line saying where it was cut if it was, then note as a line of its
 * own when note is not NULL. Sets *len. Returns NULL (and *len 0) when all
 * that is empty; otherwise the caller frees the result. */
char *galley__capture_stderr(const galley__capture *c, const char *note,
                             size_t *len);

#endif
