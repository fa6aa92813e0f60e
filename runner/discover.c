/* discover.c: walks the paths of a run and collects test files. A file
 * named on the command line is taken as it is; in a directory, a *.c file
 * is a test file when it mentions galley.h (its #include). */
#define _GNU_SOURCE
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

char *galley_display_path(const char *p, const char *cwd)
{
    return galley__relative_path(p, cwd);
}

static void S_add(galley_sources *s, const char *abs, const char *cwd)
{
    s->v = galley__xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n].path = galley__xstrdup(abs);
    s->v[s->n].display = galley_display_path(abs, cwd);
    s->n++;
}

/* Returns 1 if line[0..n) is an #include of galley.h or galley/... */
static int S_includes_galley(const char *line, size_t n)
{
    int angle;
    char *name = galley__include_name(line, n, &angle);
    int yes = name && (!strncmp(name, "galley.h", 8) ||
                       !strncmp(name, "galley/", 7));
    free(name);
    return yes;
}

/* Returns 1 if the file at path is a *.c file that includes galley.h. */
static int S_is_test_file(const char *path)
{
    size_t n = strlen(path);
    if (n < 3 || strcmp(path + n - 2, ".c") != 0)
        return 0;
    galley_buf text;
    galley_buf_init(&text);
    int yes = 0;
    if (galley__read_file(path, &text) == 0) {
        const char *p = text.ptr, *end = text.ptr + text.len;
        while (p < end && !yes) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            yes = S_includes_galley(p, (size_t)(le - p));
            p = le + 1;
        }
    }
    galley_buf_fini(&text);
    return yes;
}

/* Adds the file at p under its real path (so a file reached twice through
 * symbolic links is one file). */
static void S_add_real(galley_sources *s, const char *p, const char *cwd)
{
    char real[PATH_MAX];
    S_add(s, realpath(p, real) ? real : p, cwd);
}

/* Skips hidden directories and galley's own state directory. */
static int S_skip_dir(const char *name)
{
    return name[0] == '.' || strcmp(name, "_galley") == 0;
}

/* Directories already walked, by device and inode: a symbolic link that
 * loops back (tests/a/up -> ..) or a second way into the same directory
 * is walked once. */
typedef struct S_seen {
    dev_t *dev;
    ino_t *ino;
    size_t n;
} S_seen;

/* Returns 1 if dir was walked already, else records it and returns 0. */
static int S_visited(S_seen *seen, const struct stat *st)
{
    for (size_t i = 0; i < seen->n; i++)
        if (seen->dev[i] == st->st_dev && seen->ino[i] == st->st_ino)
            return 1;
    seen->dev = galley__xrealloc(seen->dev, (seen->n + 1) * sizeof *seen->dev);
    seen->ino = galley__xrealloc(seen->ino, (seen->n + 1) * sizeof *seen->ino);
    seen->dev[seen->n] = st->st_dev;
    seen->ino[seen->n++] = st->st_ino;
    return 0;
}

static void S_walk(galley_sources *s, const char *dir, const char *cwd,
                   S_seen *seen)
{
    struct stat dst;
    if (stat(dir, &dst) != 0 || S_visited(seen, &dst))
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = galley__xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && !S_skip_dir(e->d_name))
                S_walk(s, p, cwd, seen);
            else if (S_ISREG(st.st_mode) && S_is_test_file(p))
                S_add_real(s, p, cwd);
        }
        free(p);
    }
    closedir(d);
}

static int S_cmp(const void *a, const void *b)
{
    return strcmp(((const galley_source *)a)->path,
                  ((const galley_source *)b)->path);
}

/* Sorts by path and drops repeats. */
static void S_sort_unique(galley_sources *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, S_cmp);
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (k && strcmp(s->v[k - 1].path, s->v[i].path) == 0) {
            free(s->v[i].path);
            free(s->v[i].display);
            continue;
        }
        s->v[k++] = s->v[i];
    }
    s->n = k;
}

/* Adds what one path names. Returns 0 or -1 (error printed). */
static int S_add_path(galley_sources *out, const char *path, const char *cwd)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) != 0) {
        galley__error_at(NULL, 0, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        S_seen seen = {0};
        S_walk(out, real, cwd, &seen);
        free(seen.dev);
        free(seen.ino);
    } else {
        S_add(out, real, cwd);
    }
    return 0;
}

int galley_discover(galley_sources *out, const galley_config *c,
                    char *const *paths, size_t n, const char *cwd)
{
    memset(out, 0, sizeof *out);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= S_add_path(out, paths[i], cwd);
    for (size_t i = 0; n == 0 && i < c->tests.n; i++) {
        const char *t = c->tests.v[i];
        char *p = t[0] == '/' ? galley__xstrdup(t)
                              : galley__xasprintf("%s/%s", c->root, t);
        rc |= S_add_path(out, p, cwd);
        free(p);
    }
    S_sort_unique(out);
    return rc ? -1 : 0;
}

void galley_sources_fini(galley_sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].display);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}
