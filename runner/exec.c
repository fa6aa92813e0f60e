/* exec.c: starts test programs with posix_spawn, no more than -j at once,
 * and waits for them. Each writes its results to a file the runner reads
 * afterwards; its own stdout and stderr go to a log kept for reports. */
#define _GNU_SOURCE
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

extern char **environ;

/* Builds the argument vector of a job; the caller frees it with S_argv_free. */
static char **S_argv(const galley_job *j)
{
    size_t n = 0;
    char **argv = galley__xcalloc(j->n_only + 6, sizeof *argv);
    argv[n++] = galley__xasprintf("./%s", j->exe);
    argv[n++] = galley__xasprintf("--galley-results=%s", j->results);
    argv[n++] = galley__xasprintf("--galley-timeout=%d", j->timeout_ms);
    argv[n++] = galley__xasprintf("--galley-output-limit=%ld", j->output_limit);
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

/* Starts job j; returns its pid, or -1 with errno set. */
static pid_t S_start(galley_job *j, const char *root)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, root);
    posix_spawn_file_actions_addopen(&fa, 1, j->log,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char **argv = S_argv(j);
    pid_t pid;
    int e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    S_argv_free(argv);
    if (e != 0) {
        errno = e;
        return -1;
    }
    return pid;
}

/* Returns what the status line calls job j. */
static const char *S_name(const galley_job *j)
{
    return j->name ? j->name : j->exe;
}

int galley_exec(galley_job *jobs, size_t n, int parallel, const char *root,
                int progress)
{
    pid_t *pids = galley__xcalloc(n ? n : 1, sizeof *pids);
    size_t next = 0, running = 0, done = 0;
    int rc = 0;
    galley_progress line = {progress, 0};
    while (next < n || running > 0) {
        while (next < n && running < (size_t)parallel) {
            galley_progress_show(&line, done, n, "running",
                                 S_name(&jobs[next]));
            pids[next] = S_start(&jobs[next], root);
            if (pids[next] < 0) {
                int e = errno;
                galley_progress_clear(&line);
                galley__error_at(NULL, 0, "cannot run %s: %s", jobs[next].exe,
                                 strerror(e));
                jobs[next].status = -1;
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
            if (pids[i] == pid) {
                jobs[i].status = status;
                pids[i] = 0;
                running--;
                galley_progress_show(&line, ++done, n, "running",
                                     S_name(&jobs[i]));
            }
    }
    galley_progress_clear(&line);
    free(pids);
    return rc;
}

void galley_job_fini(galley_job *j)
{
    free(j->results);
    free(j->log);
    for (size_t i = 0; i < j->n_only; i++)
        free(j->only[i]);
    free(j->only);
}
