/* capture.h: the files a test's output goes to: its stdout, its stderr and
 * the marks galley_expect writes. stdout and stderr are made afresh for
 * every test and closed when it ends, so that a process the test left
 * behind could never write into the next test's output; the marks, which
 * only the test process itself writes, are one file for the program. Each
 * is an unlinked temporary file (in memory where the kernel can), appended
 * to. */
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
    /* Where the current test's marks begin. The marks file is emptied only
     * once it grows past a threshold, not before every test, as an
     * ftruncate costs about 10 us on ext4. */
    off_t marks_base;
    int next_out, next_err; /* the next test's files, made ahead, or -1 */
} galley__capture;

/* Creates the marks file in $TMPDIR (else /tmp) and opens /dev/null.
 * Returns 0, or -1 with errno set and nothing left open. Release with
 * galley__capture_close. */
int galley__capture_open(galley__capture *c);
void galley__capture_close(galley__capture *c);
/* Readies c for the next test: fresh stdout and stderr files (those made
 * ahead, if any), the marks past the last test's. Returns 0, or -1 with
 * errno set. */
int galley__capture_begin(galley__capture *c);
/* Makes the next test's stdout and stderr files ahead of time: called
 * while a test runs, so that their cost overlaps it. Failing is harmless
 * (galley__capture_begin tries again). */
void galley__capture_prepare(galley__capture *c);
/* Closes the test's stdout and stderr files once their content was read. */
void galley__capture_end(galley__capture *c);
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
