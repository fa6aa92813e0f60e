/* e2e.c: the end-to-end helpers (see e2e.h). They use the shell for what it
 * does best, running a command in a directory; output goes to stdout, where
 * galley captures it for the test's EXPECT markers. */
#define _GNU_SOURCE
#include "e2e.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
