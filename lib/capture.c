/* capture.c: the capture files of a test (see capture.h). A memfd costs a
 * few microseconds to make, and the next test's are made while a test
 * runs, so fresh files per test cost little. */
#define _GNU_SOURCE
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

/* Opens a memfd, else an unlinked temporary file in $TMPDIR (else /tmp),
 * for reading and appending. O_TMPFILE makes it nameless at once; filesystems without it
 * get a named file removed right away. Returns the descriptor or -1. */
static int S_tmpfile(void)
{
    /* A memfd lives in memory: writes cost a fraction of a disk file's, and
     * the supervisor's size checks keep it bounded by the output cap. */
    int mfd = memfd_create("galley-capture", MFD_CLOEXEC);
    if (mfd >= 0 && fcntl(mfd, F_SETFL, O_APPEND) == 0)
        return mfd;
    if (mfd >= 0)
        close(mfd);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/galley-capture-XXXXXX", dir) >=
        (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = mkostemp(path, O_APPEND | O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

int galley__capture_open(galley__capture *c)
{
    c->out = c->err = c->next_out = c->next_err = -1;
    c->marks = S_tmpfile();
    c->null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    c->marks_base = 0;
    return c->marks < 0 ? -1 : 0;
}

/* Closes *fd if it is open and marks it closed. */
static void S_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void galley__capture_close(galley__capture *c)
{
    int *fds[] = {&c->out, &c->err, &c->marks, &c->null, &c->next_out,
                  &c->next_err};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        S_close(fds[i]);
}

void galley__capture_prepare(galley__capture *c)
{
    if (c->next_out < 0)
        c->next_out = S_tmpfile();
    if (c->next_err < 0)
        c->next_err = S_tmpfile();
}

/* The marks file is emptied before a test once it holds this much. */
#define S_MARKS_EMPTY_AT (1L << 20)

int galley__capture_begin(galley__capture *c)
{
    galley__capture_end(c);
    galley__capture_prepare(c);
    c->out = c->next_out;
    c->err = c->next_err;
    c->next_out = c->next_err = -1;
    if (c->out < 0 || c->err < 0)
        return -1;
    off_t end = lseek(c->marks, 0, SEEK_END);
    if (end >= 0 && end < S_MARKS_EMPTY_AT) {
        c->marks_base = end;
        return 0;
    }
    /* O_APPEND: writes go to the end whatever the offset, so no lseek. */
    c->marks_base = 0;
    return ftruncate(c->marks, 0);
}

void galley__capture_end(galley__capture *c)
{
    S_close(&c->out);
    S_close(&c->err);
}

long galley__capture_len(int fd, off_t base)
{
    off_t end = lseek(fd, 0, SEEK_END);
    return end < 0 ? -1 : end < base ? 0 : (long)(end - base);
}

size_t galley__pread_all(int fd, char *buf, size_t len, off_t off)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, off + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

/* Appends the line s (a newline added) to buf at *len. */
static void S_add_line(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    memcpy(buf + *len, s, n);
    buf[*len + n] = '\n';
    *len += n + 1;
}

char *galley__capture_stderr(const galley__capture *c, const char *note,
                             size_t *len)
{
    long size = galley__capture_len(c->err, 0);
    size_t keep = size > GALLEY__STDERR_MAX ? GALLEY__STDERR_MAX
                  : size > 0                ? (size_t)size
                                            : 0;
    char cut[64] = "";
    if (size > GALLEY__STDERR_MAX)
        snprintf(cut, sizeof cut, "[... stderr cut at %d bytes]",
                 GALLEY__STDERR_MAX);
    *len = 0;
    if (keep == 0 && !note)
        return NULL;
    size_t room = keep + 1 + sizeof cut + (note ? strlen(note) + 1 : 0);
    char *buf = galley__rt_xrealloc(NULL, room);
    *len = galley__pread_all(c->err, buf, keep, 0);
    if ((*cut || note) && *len > 0 && buf[*len - 1] != '\n')
        buf[(*len)++] = '\n';
    if (*cut)
        S_add_line(buf, len, cut);
    if (note)
        S_add_line(buf, len, note);
    return buf;
}
