/* e2e.c: the end-to-end helpers (see e2e.h). They use the shell for what it
 * does best, running a command in a directory; output goes to stdout, where
 * galley captures it for the test's EXPECT markers. */
#define _GNU_SOURCE
#include "e2e.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The project directory of this test process: one per process, set once. */
static char S_dir[PATH_MAX];
/* The galley binary, made absolute before the test changes directory. */
static char S_galley[PATH_MAX];

static void S_die(const char *what)
{
    fprintf(stderr, "e2e: %s: %s\n", what, strerror(errno));
    exit(99);
}

const char *e2e_project(void)
{
    const char *bin = getenv("GALLEY_BIN");
    if (!bin || !realpath(bin, S_galley))
        S_die("GALLEY_BIN must name the galley binary under test");
    const char *tmp = getenv("TMPDIR");
    snprintf(S_dir, sizeof S_dir, "%s/galley-e2e-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(S_dir) || chdir(S_dir) != 0)
        S_die("cannot make a project directory");
    e2e_write("galley.conf", "");
    /* The projects are built as their galley.conf says, whatever flags
     * the shell running the suite exports. */
    unsetenv("CFLAGS");
    unsetenv("LDFLAGS");
    /* Nor does the CI running the suite put galley in CI mode (which would
     * refuse the promotions that tests make on purpose), add GitHub
     * annotations, or shard the projects as Bazel asks of the suite. */
    static const char *const ci_vars[] = {
        "CI", "GITHUB_ACTIONS", "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX",
        "TEST_SHARD_STATUS_FILE", "XML_OUTPUT_FILE"};
    for (size_t i = 0; i < sizeof ci_vars / sizeof *ci_vars; i++)
        unsetenv(ci_vars[i]);
    return S_dir;
}

/* Creates the parent directories of path. */
static void S_parents(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0777);
            *p = '/';
        }
}

void e2e_write_bytes(const char *path, const char *data, unsigned long len)
{
    S_parents(path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        S_die(path);
}

void e2e_write(const char *path, const char *content)
{
    e2e_write_bytes(path, content, strlen(content));
}

/* Runs cmd through the shell with merged output; prints it. */
static int S_system(const char *cmd, int always_status)
{
    fflush(stdout);
    char *full;
    if (asprintf(&full, "(%s) 2>&1", cmd) < 0)
        S_die("asprintf");
    int st = system(full);
    free(full);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (always_status || rc != 0)
        printf("[exit %d]\n", rc);
    return rc;
}

int e2e_galley(const char *args)
{
    char *cmd;
    if (asprintf(&cmd, "'%s' %s", S_galley, args) < 0)
        S_die("asprintf");
    int rc = S_system(cmd, 1);
    free(cmd);
    return rc;
}

int e2e_galley_filter(const char *args, const char *filter)
{
    char *cmd;
    fflush(stdout);
    if (asprintf(&cmd, "'%s' %s >.e2e-out 2>&1; rc=$?; (%s) <.e2e-out 2>&1; "
                 "rm -f .e2e-out; exit $rc", S_galley, args, filter) < 0)
        S_die("asprintf");
    int st = system(cmd);
    free(cmd);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    printf("[exit %d]\n", rc);
    return rc;
}

int e2e_sh(const char *cmd)
{
    return S_system(cmd, 0);
}

/* Prints byte c of a file as e2e_cat shows it. */
static void S_show(int c)
{
    if (c == '\r')
        fputs("\\r", stdout);
    else if (c == '\t')
        fputs("\\t", stdout);
    else if ((c < 0x20 && c != '\n') || c == 0x7f)
        printf("\\x%02x", c);
    else
        putchar(c);
}

void e2e_cat_lines(const char *path, int first, int last)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("(cannot open %s)\n", path);
        return;
    }
    int c, prev = '\n', line = 1;
    while ((c = fgetc(f)) != EOF) {
        int shown = line >= first && (last <= 0 || line <= last);
        int next = fgetc(f);
        if (c == '/' && next == '*') {
            if (shown) /* keeps the expectation a plain comment */
                fputs("(*", stdout);
            c = next;
        } else if (c == '*' && next == '/') {
            if (shown)
                fputs("*)", stdout);
            c = next;
        } else {
            if (next != EOF)
                ungetc(next, f);
            if (shown)
                S_show(c);
        }
        if (shown)
            prev = c;
        line += c == '\n';
    }
    if (prev != '\n')
        fputs("\\ (no newline at end)\n", stdout);
    fclose(f);
}

void e2e_cat(const char *path)
{
    e2e_cat_lines(path, 1, 0);
}

void e2e_done(void)
{
    char *cmd;
    if (S_dir[0] && chdir("/") == 0 && asprintf(&cmd, "rm -rf '%s'", S_dir) >= 0) {
        if (system(cmd) != 0)
            fprintf(stderr, "e2e: could not remove %s\n", S_dir);
        free(cmd);
    }
}

void e2e_install_here(void)
{
    char bin[PATH_MAX], build[PATH_MAX], cmd[3 * PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    if (!env || !realpath(env, bin))
        return;
    snprintf(build, sizeof build, "%s", dirname(bin));
    /* build/galley or build/asan/galley: the repository is above build/. */
    char *cut = strstr(build, "/build");
    if (!cut)
        return;
    *cut = '\0';
    snprintf(cmd, sizeof cmd,
             "PREFIX=$PWD/prefix BUILD='%s/%s' '%s/tools/install.sh' "
             ">/dev/null",
             build, cut + 1, build);
    e2e_sh(cmd);
}

/* ---- galley watch ---- */

/* The watcher of this test process, its output file, and how much of the
 * output the test has seen. */
static pid_t S_watch_pid;
static int S_watch_tty; /* S_watch_pid is script(1), the watcher its child */
static char S_watch_out[PATH_MAX + 16];
static long S_watch_seen;

/* Starts shell command cmd as the watcher (see e2e_watch_start). */
static void S_watch_spawn(const char *cmd)
{
    /* Whatever the watcher leaves behind becomes ours, to be counted. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    snprintf(S_watch_out, sizeof S_watch_out, "%s.watch", S_dir);
    S_watch_seen = 0;
    fflush(NULL);
    S_watch_pid = fork();
    if (S_watch_pid < 0)
        S_die("fork");
    if (S_watch_pid == 0) {
        int fd = open(S_watch_out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (fd < 0 || in < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
            dup2(in, 0) < 0)
            _exit(99);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
}

void e2e_watch_start(const char *args)
{
    char *cmd;
    S_watch_tty = 0;
    if (asprintf(&cmd, "exec '%s' watch %s", S_galley, args) < 0)
        S_die("asprintf");
    S_watch_spawn(cmd);
    free(cmd);
}

void e2e_watch_start_tty(const char *args)
{
    char *cmd;
    S_watch_tty = 1;
    /* script(1) gives it a terminal, and passes its exit status on. */
    if (asprintf(&cmd, "exec script -qefc \"exec '%s' watch %s\" /dev/null",
                 S_galley, args) < 0)
        S_die("asprintf");
    S_watch_spawn(cmd);
    free(cmd);
}

/* Returns the watcher's output (heap, NUL-terminated). */
static char *S_watch_text(long *len)
{
    FILE *f = fopen(S_watch_out, "r");
    char *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&text, &n);
    int c;
    while (f && (c = getc(f)) != EOF)
        putc(c, m);
    if (f)
        fclose(f);
    fclose(m);
    *len = (long)n;
    return text;
}

static int S_watch_brief;

void e2e_watch_brief(int on)
{
    S_watch_brief = on;
}

/* Prints line (len bytes, its newline included) with each "NUMBER s" (a
 * duration) as "T s"; brief, only the watcher's own lines and compile
 * errors, cut after "error:". */
static void S_watch_line(const char *line, long len)
{
    if (S_watch_brief) {
        const char *err = memmem(line, (size_t)len, ": error: ", 9);
        if (err) {
            printf("%.*s ...\n", (int)(err + 8 - line), line);
            return;
        }
        if (strncmp(line, "galley watch:", 13) != 0)
            return;
    }
    for (long i = 0; i < len; i++) {
        long j = i;
        while (j < len && ((line[j] >= '0' && line[j] <= '9') ||
                           line[j] == '.'))
            j++;
        if (j > i && (i == 0 || line[i - 1] == ' ') && j + 2 <= len &&
            !strncmp(line + j, " s", 2) &&
            (j + 2 == len || line[j + 2] == ' ' || line[j + 2] == '\n')) {
            putchar('T');
            i = j - 1;
            continue;
        }
        if (line[i] == '\033')
            fputs("^[", stdout);
        else if (line[i] == '\r' && i + 1 < len && line[i + 1] == '\n')
            continue; /* the terminal's line end */
        else if (line[i] == '\r')
            fputs("^M", stdout);
        else
            putchar(line[i]);
    }
}

/* Prints text[from..to) line by line with S_watch_line. */
static void S_watch_print(const char *text, long from, long to)
{
    while (from < to) {
        const char *nl = memchr(text + from, '\n', (size_t)(to - from));
        long end = nl ? (long)(nl - text) + 1 : to;
        S_watch_line(text + from, end - from);
        from = end;
    }
}

int e2e_watch_until(const char *want)
{
    struct timespec t0, now, nap = {0, 10000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long len;
        char *text = S_watch_text(&len);
        /* want$: at the end of what there is (a status line that no
         * newline ends). */
        size_t wl = strlen(want);
        int at_end = wl && want[wl - 1] == '$';
        size_t kl = at_end ? wl - 1 : wl;
        char *key = strndup(want, kl);
        char *hit = len > S_watch_seen ? strstr(text + S_watch_seen, key)
                                       : NULL;
        char *end = hit && !at_end ? strchr(hit, '\n') : NULL;
        if (at_end && len - S_watch_seen >= (long)kl && kl &&
            !memcmp(text + len - kl, key, kl))
            end = text + len - 1;
        free(key);
        if (end) {
            long to = (long)(end - text) + 1;
            S_watch_print(text, S_watch_seen, to);
            S_watch_seen = to;
            free(text);
            fflush(stdout);
            return 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        int over = now.tv_sec - t0.tv_sec > 120;
        int dead = waitpid(S_watch_pid, NULL, WNOHANG) == S_watch_pid;
        if (over || dead) {
            S_watch_print(text, S_watch_seen, len);
            S_watch_seen = len;
            printf("[no '%s' after %s]\n", want,
                   dead ? "the watcher ended" : "120 s");
            free(text);
            if (dead)
                S_watch_pid = -1;
            fflush(stdout);
            return -1;
        }
        free(text);
        nanosleep(&nap, NULL);
    }
}

/* Returns the number of this process's children (see e2e_watch_start). */
static int S_children(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    FILE *f = fopen(path, "r");
    long pid;
    int n = 0;
    while (f && fscanf(f, "%ld", &pid) == 1) {
        n++;
        kill((pid_t)pid, SIGKILL);
        waitpid((pid_t)pid, NULL, 0);
    }
    if (f)
        fclose(f);
    return n;
}

int e2e_watch_stop(int sig)
{
    int st = 0, rc = -1;
    if (S_watch_pid > 0 && S_watch_tty) {
        /* As a terminal's Ctrl-C would: to the watcher, not to script. */
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task/%d/children",
                 (int)S_watch_pid, (int)S_watch_pid);
        FILE *f = fopen(path, "r");
        long pid;
        while (f && fscanf(f, "%ld", &pid) == 1)
            kill((pid_t)pid, sig);
        if (f)
            fclose(f);
    } else if (S_watch_pid > 0)
        kill(S_watch_pid, sig);
    if (S_watch_pid > 0) {
        while (waitpid(S_watch_pid, &st, 0) < 0 && errno == EINTR)
            ;
        rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    S_watch_pid = 0;
    long len;
    char *text = S_watch_text(&len);
    /* A line end alone (the one after a terminal's status line) is not
     * shown: a terminal may or may not pass it on before the end. */
    if ((long)strspn(text + S_watch_seen, "\r\n") < len - S_watch_seen)
        S_watch_print(text, S_watch_seen, len);
    free(text);
    unlink(S_watch_out);
    printf("[exit %d, %d processes left]\n", rc, S_children());
    fflush(stdout);
    return rc;
}
