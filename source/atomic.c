/* atomic.c: files written whole or not at all (see atomic.h). */
#define _GNU_SOURCE
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* What names a temporary file: FILE.galley-tmp.PID.XXXXXX. */
#define S_TAG ".galley-tmp."

/* ---- temporary files ---- */

/* Returns the heap directory part of path ("." when it has none). */
static char *S_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return galley__xstrdup(".");
    if (slash == path)
        return galley__xstrdup("/");
    return galley__xstrndup(path, (size_t)(slash - path));
}

/* Opens a temporary file for path in its directory: unnamed (O_TMPFILE),
 * so that a galley killed while writing it leaves nothing, or where the
 * file system cannot, named for this process in *name (heap). Returns
 * the descriptor or -errno. */
static int S_temp_open(const char *path, char **name)
{
    char *dir = S_dir_of(path);
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    free(dir);
    *name = NULL;
    if (fd >= 0)
        return fd;
    char *tmpl = galley__xasprintf("%s" S_TAG "%d.XXXXXX", path,
                                   (int)getpid());
    fd = mkostemp(tmpl, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(tmpl);
        return -e;
    }
    *name = tmpl;
    return fd;
}

/* Gives the unnamed temporary fd a name beside path, in *name (heap), for
 * the rename: the only moment a killed galley could leave it behind, and
 * its name says whose it is. Returns 0 or -errno. */
static int S_temp_link(const char *path, int fd, char **name)
{
    char via[64];
    snprintf(via, sizeof via, "/proc/self/fd/%d", fd);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned r = (unsigned)ts.tv_nsec ^ ((unsigned)getpid() << 12);
    for (int tries = 0; tries < 100; tries++, r = r * 1103515245u + 12345u) {
        char *n = galley__xasprintf("%s" S_TAG "%d.%06x", path, (int)getpid(),
                                    r & 0xffffff);
        int rc = linkat(AT_FDCWD, via, AT_FDCWD, n, AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno == ENOENT) /* no /proc: needs privilege */
            rc = linkat(fd, "", AT_FDCWD, n, AT_EMPTY_PATH);
        if (rc == 0) {
            *name = n;
            return 0;
        }
        int e = errno;
        free(n);
        if (e != EEXIST)
            return -e;
    }
    return -EEXIST;
}

/* Writes data[0..len) with mode into a new temporary file for path, named
 * in *name (heap) when it returns 0; else -errno and nothing is left.
 * With durable, the data is on disk first. *ino gets its inode. */
static int S_temp_make(const char *path, const void *data, size_t len,
                       int mode, int durable, char **name, ino_t *ino)
{
    int fd = S_temp_open(path, name);
    if (fd < 0)
        return fd;
    struct stat st;
    int rc = galley__write_all(fd, data, len);
    if (rc == 0 && fchmod(fd, (mode_t)mode) != 0)
        rc = -errno;
    if (rc == 0 && durable && fsync(fd) != 0)
        rc = -errno;
    if (rc == 0 && fstat(fd, &st) != 0)
        rc = -errno;
    if (rc == 0 && !*name)
        rc = S_temp_link(path, fd, name);
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc != 0 && *name) {
        unlink(*name);
        free(*name);
        *name = NULL;
    }
    if (rc == 0 && ino)
        *ino = st.st_ino;
    return rc;
}

/* ---- replacing files ---- */

int galley__write_file_atomic(const char *path, const void *data, size_t len,
                              int mode)
{
    return galley__write_file_replace(path, data, len, mode, 1);
}

int galley__write_file_replace(const char *path, const void *data, size_t len,
                               int mode, int durable)
{
    struct stat st;
    if (mode < 0)
        mode = stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : 0644;
    char *tmp;
    int rc = S_temp_make(path, data, len, mode, durable, &tmp, NULL);
    if (rc != 0)
        return rc;
    if (rename(tmp, path) != 0) {
        rc = -errno;
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* Returns 1 if the file open at fd hashes to seen; *st gets its state. */
static int S_still(int fd, const char seen[41], struct stat *st)
{
    galley__buf text;
    char hash[41];
    galley__buf_init(&text);
    char chunk[65536];
    ssize_t n;
    off_t at = 0;
    if (fstat(fd, st) != 0)
        return 0;
    while ((n = pread(fd, chunk, sizeof chunk, at)) > 0 ||
           (n < 0 && errno == EINTR))
        if (n > 0) {
            galley__buf_add(&text, chunk, (size_t)n);
            at += n;
        }
    galley__hash(text.ptr ? text.ptr : "", text.len, hash);
    galley__buf_fini(&text);
    return n == 0 && strcmp(hash, seen) == 0;
}

/* Returns 1 if a and b show the same file with the same content as far as
 * its inode tells (a rename changes ctime, not mtime). */
static int S_same(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Takes a read lease on the file open at fd: from then on, a process that
 * opens it to write is held in open() until the lease is let go, and
 * F_GETLEASE tells that one tried. Returns 1 with the lease; 0 where none
 * is to be had (a file of another user, a file system without leases),
 * and the checks then rest on the file's state alone; -1 when a process
 * has the file open for writing right now. */
static int S_lease(int fd)
{
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
        return 1;
    return errno == EAGAIN ? -1 : 0;
}

/* After tmp and path were exchanged: returns 0 if what tmp now holds is
 * the file checked (before, still open at old) and no process opened it to
 * write meanwhile (leased: we hold a lease on it), else undoes the
 * exchange where path still holds the new file (inode ino) and returns
 * GALLEY__CHANGED. A writer held by the lease then opens the file back at
 * path, once the lease is let go. */
static int S_verify_exchange(const char *path, const char *tmp, int old,
                             const struct stat *before, ino_t ino, int leased)
{
    struct stat out, now, cur;
    int opened = leased && fcntl(old, F_GETLEASE) != F_RDLCK;
    if (!opened && stat(tmp, &out) == 0 && fstat(old, &now) == 0 &&
        S_same(before, &now) && out.st_dev == before->st_dev &&
        out.st_ino == before->st_ino)
        return 0;
    if (stat(path, &cur) == 0 && cur.st_ino == ino)
        renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE);
    return GALLEY__CHANGED;
}

int galley__replace_source(const char *path, const void *data, size_t len,
                           const char seen[41])
{
    struct stat st, before;
    if (stat(path, &st) != 0)
        return -errno;
    char *tmp;
    ino_t ino;
    int rc = S_temp_make(path, data, len, (int)(st.st_mode & 07777), 1, &tmp,
                         &ino);
    if (rc != 0)
        return rc;
    /* The last look before the swap, under a lease, whose break signal
     * (SIGIO, fatal by default) is of no use here: F_GETLEASE tells. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, was;
    sigaction(SIGIO, &ign, &was);
    int old = open(path, O_RDONLY | O_CLOEXEC), leased = 0;
    if (old < 0)
        rc = errno == ENOENT ? GALLEY__CHANGED : -errno;
    else if ((leased = S_lease(old)) < 0 || !S_still(old, seen, &before))
        rc = GALLEY__CHANGED;
    else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0)
        rc = S_verify_exchange(path, tmp, old, &before, ino, leased);
    else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        rc = -errno;
    else if (rename(tmp, path) != 0) /* no exchange on this file system */
        rc = -errno;
    else
        rc = 1 + GALLEY__CHANGED; /* renamed: nothing is left to unlink */
    if (leased > 0)
        fcntl(old, F_SETLEASE, F_UNLCK);
    if (old >= 0)
        close(old);
    sigaction(SIGIO, &was, NULL);
    if (rc != 1 + GALLEY__CHANGED)
        unlink(tmp);
    else
        rc = 0;
    free(tmp);
    return rc;
}

/* ---- leftovers ---- */

/* Returns the pid in a temporary's name, FILE.galley-tmp.PID.XXXXXX with
 * six letters or digits and FILE a regular file beside it (what galley
 * writes), or 0 when name is no such temporary: a file of the user's with
 * a name like it is never taken for one. */
static long S_temp_pid(int dir, const char *name)
{
    const char *tag = strstr(name, S_TAG);
    if (!tag || tag == name)
        return 0;
    char *end;
    long pid = strtol(tag + strlen(S_TAG), &end, 10);
    if (pid <= 0 || *end != '.' || strlen(end + 1) != 6)
        return 0;
    for (const char *q = end + 1; *q; q++)
        if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') ||
              (*q >= 'A' && *q <= 'Z')))
            return 0;
    char *target = galley__xstrndup(name, (size_t)(tag - name));
    struct stat st;
    int ok = fstatat(dir, target, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISREG(st.st_mode);
    free(target);
    return ok ? pid : 0;
}

void galley__clean_temps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        long pid = S_temp_pid(dirfd(d), e->d_name);
        struct stat st;
        if (pid <= 0 || pid == (long)getpid() ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
}
