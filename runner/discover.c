/* discover.c: walks the paths of a run and collects test files. A file
 * named on the command line is taken as it is; in a directory, a *.c file
 * is a test file when the compiler will see galley.h in it (its own
 * #include, or one of a project header) or when it holds galley TESTs. */
#define _GNU_SOURCE
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../source/includes.h"
#include "../source/source.h"
#include "../source/util.h"

char *galley__display_path(const char *p, const char *cwd)
{
    char *rel = galley__relative_path(p, cwd);
    if (!galley__has_control(rel))
        return rel;
    /* A newline in a name would break the FILE:LINE: lines of reports. */
    galley__buf b;
    galley__buf_init(&b);
    for (const unsigned char *q = (const unsigned char *)rel; *q; q++)
        if (*q == '\n')
            galley__buf_puts(&b, "\\n");
        else if (*q == '\t')
            galley__buf_puts(&b, "\\t");
        else if (*q < 0x20 || *q == 0x7f)
            galley__buf_printf(&b, "\\x%02x", *q);
        else
            galley__buf_putc(&b, (char)*q);
    free(rel);
    return galley__buf_detach(&b, NULL);
}

static void S_add(galley__sources *s, const char *abs, const char *cwd)
{
    s->v = galley__xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n].path = galley__xstrdup(abs);
    s->v[s->n].display = galley__display_path(abs, cwd);
    s->n++;
}

/* Returns 1 if text, the file at path, opts in as a test file: a C file
 * with a TEST holding an EXPECT marker (galley's, whatever it includes), a
 * Markdown document with an output block or a galley comment. */
static int S_opted_in(const char *path, const galley__buf *text)
{
    galley__scan sc;
    galley__source_kind_of(path)->scan(&sc, text->ptr ? text->ptr : "",
                                       text->len);
    int yes = sc.opted_in;
    galley__scan_fini(&sc);
    return yes;
}

/* Decides whether the file at path, found in a directory, is a test file:
 * a C file that includes galley.h (itself or through a header of the
 * project), or any file that opts in (S_opted_in). A C file that mentions
 * TEST( or EXPECT( but is neither is left out with a warning, since its
 * tests would otherwise silently not run. */
static int S_is_test_file(galley__includes *g, const char *path,
                          const char *cwd)
{
    if (!galley__source_is_candidate(path))
        return 0;
    int c = galley__source_kind_of(path)->program == NULL;
    if (c && galley__includes_galley(g, path))
        return 1;
    galley__buf text;
    galley__buf_init(&text);
    int yes = 0;
    if (galley__read_file(path, &text) == 0) {
        yes = S_opted_in(path, &text);
        if (!yes && c && (memmem(text.ptr, text.len, "TEST(", 5) ||
                          memmem(text.ptr, text.len, "EXPECT(", 7))) {
            char *shown = galley__display_path(path, cwd);
            galley__warning_at(shown, 0, "mentions TEST( or EXPECT( but is "
                               "not run: it does not include <galley.h>, "
                               "nor a header that galley can follow "
                               "(through galley.conf's include); include "
                               "<galley.h> in it, or name the file in "
                               "galley.conf's tests or on the command line");
            free(shown);
        }
    }
    galley__buf_fini(&text);
    return yes;
}

/* Adds the file at p under its real path (so a file reached twice through
 * symbolic links is one file). */
static void S_add_real(galley__sources *s, const char *p, const char *cwd)
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

static void S_walk(galley__sources *s, galley__includes *g, const char *dir,
                   const char *cwd, S_seen *seen)
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
                S_walk(s, g, p, cwd, seen);
            else if (S_ISREG(st.st_mode) && S_is_test_file(g, p, cwd))
                S_add_real(s, p, cwd);
        }
        free(p);
    }
    closedir(d);
}

static int S_cmp(const void *a, const void *b)
{
    return strcmp(((const galley__source *)a)->path,
                  ((const galley__source *)b)->path);
}

/* Sorts by path and drops repeats. */
static void S_sort_unique(galley__sources *s)
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
static int S_add_path(galley__sources *out, galley__includes *g,
                      const char *path, const char *cwd)
{
    char real[PATH_MAX];
    struct stat st;
    if (!*path) {
        galley__error_at(NULL, 0, "an empty PATH (''): name a test file or "
                         "a directory of them");
        return -1;
    }
    if (!realpath(path, real) || stat(real, &st) != 0) {
        galley__error_at(path, 0, "%s; a PATH names a test file or a "
                         "directory of them", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        S_seen seen = {0};
        S_walk(out, g, real, cwd, &seen);
        free(seen.dev);
        free(seen.ino);
    } else {
        S_add(out, real, cwd);
    }
    return 0;
}

/* Says that test path i of the configuration (absolute: p) is missing,
 * and what to do: for galley.conf's own tests key, at its line; for the
 * default, tests/, how to start. Returns -1. */
static int S_missing_tests_path(const galley__config *c, size_t i,
                                const char *p, const char *cwd)
{
    int e = errno;
    char *shown = galley__display_path(p, cwd);
    if (c->tests.lines && c->tests.lines[i] && c->file) {
        char *conf = galley__display_path(c->file, cwd);
        galley__error_at(conf, c->tests.lines[i], "tests: %s: %s", shown,
                         strerror(e));
        free(conf);
    } else {
        galley__error_at(NULL, 0, "no %s/ directory (galley looks for "
                         "test files there by default): make it with a "
                         "first test (galley init does), or name test files "
                         "or directories: galley run PATH...", shown);
    }
    free(shown);
    return -1;
}

int galley__discover(galley__sources *out, const galley__config *c,
                    galley__includes *g, char *const *paths, size_t n,
                    const char *cwd)
{
    memset(out, 0, sizeof *out);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= S_add_path(out, g, paths[i], cwd);
    for (size_t i = 0; n == 0 && i < c->tests.n; i++) {
        const char *t = c->tests.v[i];
        char *p = t[0] == '/' ? galley__xstrdup(t)
                              : galley__xasprintf("%s/%s", c->root, t);
        struct stat st;
        if (stat(p, &st) == 0)
            rc |= S_add_path(out, g, p, cwd);
        else
            rc |= S_missing_tests_path(c, i, p, cwd);
        free(p);
    }
    S_sort_unique(out);
    return rc ? -1 : 0;
}

void galley__sources_fini(galley__sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].display);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}
