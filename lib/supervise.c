/* supervise.c: forks the test process and waits for it (see supervise.h).
 * A pidfd makes the wait exact: a test that ends at once costs no sleep;
 * every 10 ms meanwhile the output is measured against the cap. The
 * program is a child subreaper, so whatever the test started, in its own
 * session or process group too, becomes our child when its parent ends,
 * and is killed before the next test starts. */
#define _GNU_SOURCE
#include "supervise.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "child.h"

/* How often the output of a running test is measured, in ms. */
#define S_SLICE_MS 10
/* How long a test out of time gets to flush after SIGTERM, in ms. */
#define S_GRACE_MS 100

static long long S_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Returns a descriptor that polls readable once pid ends, or -1 where the
 * kernel has no pidfd_open (before Linux 5.3). */
static int S_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* Waits up to ms for pid to end, without reaping it (so its process group
 * stays ours to kill). Returns 1 if it ended. Without a pidfd it looks
 * every millisecond, which is exact enough for old kernels. */
static int S_ended(pid_t pid, int pidfd, int ms)
{
    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        return poll(&p, 1, ms) > 0;
    }
    for (;; ms--) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            si.si_pid == pid)
            return 1;
        if (ms <= 0)
            return 0;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
}

/* Whether the running test has written past its limits; notes which. */
static int S_over(const galley__capture *c, long cap, galley__outcome *o)
{
    if (galley__capture_len(c->out, 0) > cap ||
        galley__capture_len(c->err, 0) > cap)
        o->cut = 1;
    if (galley__capture_len(c->marks, c->marks_base) > GALLEY__MARKS_MAX)
        o->too_many_marks = 1;
    return o->cut || o->too_many_marks;
}

/* Watches pid until it ends, runs out of time or writes too much. A test
 * out of time gets SIGTERM first, so its handler flushes its stdout.
 * Returns 1 if it ended of itself. */
static int S_watch(pid_t pid, const galley__capture *c, int timeout_ms,
                   long cap, galley__outcome *o)
{
    int pidfd = S_pidfd(pid), ended = 0;
    long long deadline = S_now_ns() + timeout_ms * 1000000LL;
    for (;;) {
        long long left = deadline - S_now_ns();
        if (left <= 0) {
            o->timed_out = 1;
            kill(pid, SIGTERM);
            S_ended(pid, pidfd, S_GRACE_MS);
            break;
        }
        int slice = left > S_SLICE_MS * 1000000LL
                        ? S_SLICE_MS
                        : (int)((left + 999999) / 1000000);
        if ((ended = S_ended(pid, pidfd, slice)) || S_over(c, cap, o))
            break;
    }
    if (pidfd >= 0)
        close(pidfd);
    return ended;
}

/* The children the program had before its first test (started by
 * constructors of the code under test): they are not a test's to kill. */
static struct {
    pid_t *v;
    size_t n;
} S_before;

/* Calls each(pid, ctx) for each child of this process, as the kernel
 * lists them per thread in /proc. Returns how many there were, or -1
 * where /proc cannot tell. */
static long S_children(void (*each)(pid_t, void *), void *ctx)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%.20s/children",
                 e->d_name);
        FILE *f = fopen(path, "re");
        long pid;
        while (f && fscanf(f, "%ld", &pid) == 1) {
            each((pid_t)pid, ctx);
            n++;
        }
        if (f)
            fclose(f);
        else
            n = -1;
    }
    closedir(d);
    return n;
}

static void S_note_before_cb(pid_t pid, void *ctx)
{
    (void)ctx;
    S_before.v = galley__rt_xrealloc(S_before.v,
                                     (S_before.n + 1) * sizeof *S_before.v);
    S_before.v[S_before.n++] = pid;
}

/* Kills pid unless it is one of S_before; counts it in *(long *)ctx. */
static void S_kill_cb(pid_t pid, void *ctx)
{
    for (size_t i = 0; i < S_before.n; i++)
        if (S_before.v[i] == pid)
            return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    ++*(long *)ctx;
}

/* Kills and reaps every process the finished test left behind: they are
 * our children now (we are their subreaper). Killing one makes its own
 * children ours, so this goes on until a round kills none. */
static void S_kill_leftovers(void)
{
    for (;;) {
        /* The usual case costs one system call: no child at all. */
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p > 0 || (p < 0 && errno == EINTR))
            continue;
        if (p < 0)
            return;
        /* Some child runs: all but those from before the first test go.
         * Where /proc cannot tell which, they are left (as without a
         * subreaper). */
        long killed = 0;
        if (S_children(S_kill_cb, &killed) <= 0 || killed == 0)
            return;
    }
}

void galley__supervise_setup(void)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    S_children(S_note_before_cb, NULL);
}

int galley__supervise(const galley_test *t, unsigned device,
                      galley__capture *c, int timeout_ms, long cap,
                      galley__outcome *o)
{
    memset(o, 0, sizeof *o);
    /* Or the child would write the supervisor's pending output again. */
    fflush(NULL);
    long long t0 = S_now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        galley__child_main(t, c, device);
    /* The next test's files, made while this one runs. */
    galley__capture_prepare(c);
    int ended = S_watch(pid, c, timeout_ms, cap, o);
    /* Stopped early, the test and its process group are killed (the child
     * is not reaped yet, so its group id cannot be reused; if it has not
     * made its group yet, it alone). A test that ended needs no kill: what
     * it left running is ours now, as its subreaper, and goes below. */
    if (!ended && kill(-pid, SIGKILL) != 0)
        kill(pid, SIGKILL);
    while (waitpid(pid, &o->wstatus, 0) < 0 && errno == EINTR) {
    }
    S_kill_leftovers();
    o->ms = (long)((S_now_ns() - t0) / 1000000);
    /* Output found over the cap after the end is cut as well. */
    if (galley__capture_len(c->out, 0) > cap)
        o->cut = 1;
    return 0;
}
