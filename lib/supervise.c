/* supervise.c: forks the test process and waits for it (see supervise.h).
 * A pidfd makes the wait exact: a test that ends at once costs no sleep;
 * every 10 ms meanwhile the output is measured against the cap. */
#define _GNU_SOURCE
#include "supervise.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
 * out of time gets SIGTERM first, so its handler flushes its stdout. */
static void S_watch(pid_t pid, const galley__capture *c, int timeout_ms,
                    long cap, galley__outcome *o)
{
    int pidfd = S_pidfd(pid);
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
        if (S_ended(pid, pidfd, slice) || S_over(c, cap, o))
            break;
    }
    if (pidfd >= 0)
        close(pidfd);
}

int galley__supervise(const galley_test *t, const galley__capture *c,
                      int timeout_ms, long cap, galley__outcome *o)
{
    memset(o, 0, sizeof *o);
    /* Or the child would write the supervisor's pending output again. */
    fflush(NULL);
    long long t0 = S_now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        galley__child_main(t, c);
    /* The child does this too; whichever runs first, no kill can reach
     * the group before it exists. */
    setpgid(pid, pid);
    S_watch(pid, c, timeout_ms, cap, o);
    /* The child is not reaped yet, so its group id cannot be reused. */
    kill(-pid, SIGKILL);
    while (waitpid(pid, &o->wstatus, 0) < 0 && errno == EINTR) {
    }
    o->ms = (long)((S_now_ns() - t0) / 1000000);
    /* Output found over the cap after the end is cut as well. */
    if (galley__capture_len(c->out, 0) > cap)
        o->cut = 1;
    return 0;
}
