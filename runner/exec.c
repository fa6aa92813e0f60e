/* exec.c: starts test programs with posix_spawn, no more than -j at once,
 * and waits for them. Results and logs go to anonymous files (memfds),
 * read back when the program ends; programs are started through
 * descriptors opened up front (/proc/self/fd/N). galley is a child
 * subreaper, so what a test program leaves behind is ours to kill. */
#define _GNU_SOURCE
#include "exec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "progress.h"

extern char **environ;

/* The descriptor a program writes its results to. */
#define S_RESULTS_FD 3

/* What one running job holds. */
typedef struct S_slot {
    pid_t pid;
    int exe;      /* the program, opened before any job started */
    int results;  /* its results file */
    int log;      /* its stdout and stderr */
} S_slot;

/* Returns an anonymous file for reading and writing: a memfd, else an
 * unlinked file in $TMPDIR (else /tmp). Returns -1 with errno set. */
static int S_anon_file(void)
{
    int fd = memfd_create("galley-job", MFD_CLOEXEC);
    if (fd >= 0)
        return fd;
    const char *dir = getenv("TMPDIR");
    return open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC,
                0600);
}

/* Builds the argument vector of a job; the caller frees it with S_argv_free. */
static char **S_argv(const galley__job *j)
{
    size_t n = 0;
    char **argv = galley__xcalloc(j->n_only + 7, sizeof *argv);
    argv[n++] = galley__xasprintf("./%s", j->exe);
    argv[n++] = galley__xasprintf("--galley-results-fd=%d", S_RESULTS_FD);
    argv[n++] = galley__xasprintf("--galley-timeout=%d", j->timeout_ms);
    argv[n++] = galley__xasprintf("--galley-output-limit=%ld", j->output_limit);
    if (j->parts > 1)
        argv[n++] = galley__xasprintf("--galley-part=%d/%d", j->part,
                                      j->parts);
    for (size_t i = 0; i < j->n_only; i++)
        argv[n++] = galley__xasprintf("--galley-only=%s", j->only[i]);
    argv[n] = NULL;
    return argv;
}

static void S_argv_free(char **argv)
{
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

/* Starts job j in slot s (its files made, its program opened). Returns
 * 0, or an errno value. */
static int S_start(galley__job *j, S_slot *s, const char *root)
{
    s->results = S_anon_file();
    s->log = s->results >= 0 ? S_anon_file() : -1;
    if (s->log < 0)
        return errno;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, root);
    posix_spawn_file_actions_adddup2(&fa, s->log, 1);
    posix_spawn_file_actions_adddup2(&fa, s->log, 2);
    posix_spawn_file_actions_adddup2(&fa, s->results, S_RESULTS_FD);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char **argv = S_argv(j);
    char via[64];
    snprintf(via, sizeof via, "/proc/self/fd/%d", s->exe);
    /* The descriptor is close-on-exec: the kernel opens the program
     * through it before closing it. Without /proc, the path. */
    const char *path = s->exe >= 0 && access(via, F_OK) == 0 ? via : argv[0];
    int e = posix_spawn(&s->pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    S_argv_free(argv);
    return e;
}

/* Reads all of the anonymous file fd into out and closes it. */
static void S_collect(int fd, galley__buf *out)
{
    char chunk[65536];
    ssize_t n;
    off_t at = 0;
    while (fd >= 0 && ((n = pread(fd, chunk, sizeof chunk, at)) > 0 ||
                       (n < 0 && errno == EINTR)))
        if (n > 0) {
            galley__buf_add(out, chunk, (size_t)n);
            at += n;
        }
    galley__buf_grow(out, 0);
    if (fd >= 0)
        close(fd);
}

/* Closes what slot s holds and keeps its files' contents in job j. */
static void S_finish(galley__job *j, S_slot *s)
{
    S_collect(s->results, &j->results);
    S_collect(s->log, &j->log);
    s->results = s->log = -1;
}

/* Returns what the status line calls job j. */
static const char *S_name(const galley__job *j)
{
    return j->name ? j->name : j->exe;
}

/* Kills and reaps every child of this process, and those that become
 * its children meanwhile (galley is a subreaper: killing one makes its
 * children ours): again until a round finds none. */
void galley__kill_children(void)
{
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p > 0 || (p < 0 && errno == EINTR))
            continue;
        if (p < 0 && errno == ECHILD)
            return;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%d/children",
                 (int)getpid());
        FILE *f = fopen(path, "re");
        long pid, killed = 0;
        while (f && fscanf(f, "%ld", &pid) == 1 && ++killed) {
            kill((pid_t)pid, SIGKILL);
            while (waitpid((pid_t)pid, &st, 0) < 0 && errno == EINTR)
                ;
        }
        if (f)
            fclose(f);
        if (killed == 0)
            return;
    }
}

/* Opens every job's program before any of them runs, once per program
 * (the jobs of one file share it). A program that cannot be held open
 * (past the limit of descriptors) is started by its path. */
static void S_open_programs(const galley__job *jobs, size_t n, S_slot *slots,
                            const char *root)
{
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (size_t i = 0; i < n; i++) {
        slots[i].exe = -1;
        for (size_t k = 0; k < i && slots[i].exe < 0; k++)
            if (!strcmp(jobs[k].exe, jobs[i].exe))
                slots[i].exe = slots[k].exe;
        if (slots[i].exe < 0 && dir >= 0)
            slots[i].exe = openat(dir, jobs[i].exe, O_RDONLY | O_CLOEXEC);
        slots[i].results = slots[i].log = -1;
    }
    if (dir >= 0)
        close(dir);
}

/* Closes the programs S_open_programs opened, each once. */
static void S_close_programs(S_slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int fd = slots[i].exe;
        if (fd < 0)
            continue;
        close(fd);
        for (size_t k = i; k < n; k++)
            if (slots[k].exe == fd)
                slots[k].exe = -1;
    }
}

/* Stops the run: marks the jobs not started stopped, and kills those
 * still running (slots[0..next) that hold their files), which the wait
 * loop then collects as stopped. */
static void S_stop(galley__job *jobs, size_t n, S_slot *slots, size_t next)
{
    for (size_t i = 0; i < n; i++) {
        if (i >= next)
            jobs[i].stopped = 1;
        else if (slots[i].log >= 0 && slots[i].pid > 0) {
            jobs[i].stopped = 1;
            kill(slots[i].pid, SIGKILL);
        }
    }
}

int galley__exec(galley__job *jobs, size_t n, int parallel, const char *root,
                int progress, const galley__exec_hook *hook)
{
    S_slot *slots = galley__xcalloc(n ? n : 1, sizeof *slots);
    size_t next = 0, running = 0, done = 0;
    int rc = 0, stop = 0;
    galley__progress line = {progress, 0};
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    S_open_programs(jobs, n, slots, root);
    while ((next < n && !stop) || running > 0) {
        while (next < n && !stop && running < (size_t)parallel) {
            galley__job *j = &jobs[next];
            galley__progress_show(&line, done, n, "running", S_name(j));
            int e = S_start(j, &slots[next], root);
            if (e != 0) {
                galley__progress_clear(&line);
                galley__error_at(NULL, 0, "cannot run %s: %s", j->exe,
                                 strerror(e));
                galley__buf_printf(&j->log, "cannot run %s: %s\n", j->exe,
                                  strerror(e));
                S_finish(j, &slots[next]);
                j->status = -1;
                rc = -1;
                done++;
            } else {
                running++;
            }
            next++;
        }
        if (running == 0)
            continue;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (size_t i = 0; i < next; i++)
            if (slots[i].pid == pid && slots[i].log >= 0) {
                jobs[i].status = status;
                S_finish(&jobs[i], &slots[i]);
                running--;
                galley__progress_show(&line, ++done, n, "running",
                                     S_name(&jobs[i]));
                if (!stop && !jobs[i].stopped && hook &&
                    hook->ended(hook->arg, i)) {
                    stop = 1;
                    S_stop(jobs, n, slots, next);
                }
            }
    }
    galley__progress_clear(&line);
    /* What the programs left running (processes that outlived them). */
    galley__kill_children();
    S_close_programs(slots, n);
    free(slots);
    return rc;
}

void galley__job_fini(galley__job *j)
{
    galley__buf_fini(&j->results);
    galley__buf_fini(&j->log);
    for (size_t i = 0; i < j->n_only; i++)
        free(j->only[i]);
    free(j->only);
}
