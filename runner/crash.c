/* crash.c: where a crashed test was (see crash.h). One addr2line process
 * places every frame at once; it runs only for tests that crashed. */
#define _GNU_SOURCE
#include "crash.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../source/util.h"

extern char **environ;

/* Runs argv from directory dir and returns its standard output (heap), or
 * NULL when it could not run or failed. Its stderr goes nowhere. */
static char *S_output(char *const argv[], const char *dir)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    galley__buf out;
    galley__buf_init(&out);
    char chunk[4096];
    ssize_t n;
    while (e == 0 && ((n = read(fds[0], chunk, sizeof chunk)) > 0 ||
                      (n < 0 && errno == EINTR)))
        if (n > 0)
            galley__buf_add(&out, chunk, (size_t)n);
    close(fds[0]);
    int status = 1;
    while (e == 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (e != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        galley__buf_fini(&out);
        return NULL;
    }
    return galley__buf_detach(&out, NULL);
}

/* Turns one line of addr2line's output ("PATH:LINE", perhaps followed by
 * " (discriminator N)"; "??:0" when unknown) into a heap FILE:LINE shown
 * from cwd, or NULL. */
static char *S_place(const char *line, size_t n, const char *root,
                     const char *cwd)
{
    char *l = galley__xstrndup(line, n);
    char *sp = strstr(l, " (");
    if (sp)
        *sp = '\0';
    char *colon = strrchr(l, ':');
    char *place = NULL;
    if (colon && colon != l && strncmp(l, "??", 2) != 0 &&
        atoi(colon + 1) > 0) {
        *colon = '\0';
        char *abs = l[0] == '/' ? galley__xstrdup(l)
                                : galley__xasprintf("%s/%s", root, l);
        char *lex = galley__lexical_path(abs);
        char *shown = galley__relative_path(lex, cwd);
        place = galley__xasprintf("%s:%d", shown, atoi(colon + 1));
        free(shown);
        free(lex);
        free(abs);
    }
    free(l);
    return place;
}

/* Returns 1 if place (FILE:LINE) is in file. */
static int S_in_file(const char *place, const char *file)
{
    size_t n = strlen(file);
    return !strncmp(place, file, n) && place[n] == ':';
}

char *galley__crash_site(const char *exe, const char *root, const char *cwd,
                        const unsigned long long *offs, size_t n,
                        const char *test)
{
    if (n == 0)
        return NULL;
    char **argv = galley__xcalloc(n + 4, sizeof *argv);
    argv[0] = galley__xstrdup("addr2line");
    argv[1] = galley__xstrdup("-e");
    argv[2] = galley__xstrdup(exe);
    for (size_t i = 0; i < n; i++)
        argv[3 + i] = galley__xasprintf("0x%llx", offs[i]);
    char *out = S_output(argv, root);
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
    char *first = NULL, *site = NULL;
    for (const char *p = out; p && *p && !site;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *place = S_place(p, len, root, cwd);
        if (place && !first && S_in_file(place, test))
            site = place;
        else if (place && !first)
            first = place;
        else if (place && S_in_file(place, test))
            site = galley__xasprintf("%s (called from %s)", first, place);
        if (place && site != place && first != place)
            free(place);
        p = nl ? nl + 1 : p + len;
    }
    free(out);
    if (site && first && site != first)
        free(first);
    return site ? site : first;
}
