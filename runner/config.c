/* config.c: finds the project root and parses galley.conf. Each line is
 * `key = value`; '#' starts a comment line. List keys may repeat: their
 * words accumulate. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "../source/util.h"

/* Adds s to w, read from line of galley.conf (words added otherwise have
 * line 0). */
static void S_add_at(galley__words *w, const char *s, int line)
{
    int had = w->lines != NULL;
    galley__words_add(w, s);
    w->lines = galley__xrealloc(w->lines, w->n * sizeof *w->lines);
    if (!had)
        memset(w->lines, 0, (w->n - 1) * sizeof *w->lines);
    w->lines[w->n - 1] = line;
}

/* The known keys, and the marker of the error of an unknown one. */
static const char S_UNKNOWN_KEY[] = "sources, include, cflags, ldflags, libs, "
                                    "tests, timeout_ms, output_limit, rtol, "
                                    "atol, filter, inputs, env, cache, "
                                    "cache_size, cuda";

/* Whether s is a name an environment variable can have. */
static int S_env_name(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
              (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

/* Returns root-relative path p made absolute (heap). */
static char *S_absolute(const char *root, const char *p)
{
    if (p[0] == '/')
        return galley__xstrdup(p);
    return galley__xasprintf("%s/%s", root, p);
}

/* Returns the nearest directory from cwd upward holding galley.conf. */
static char *S_find_root(const char *cwd, char **file)
{
    char *dir = galley__xstrdup(cwd);
    for (;;) {
        char *conf = galley__xasprintf("%s/galley.conf", dir);
        if (access(conf, F_OK) == 0) {
            *file = conf;
            return dir;
        }
        free(conf);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            free(dir);
            *file = NULL;
            return galley__xstrdup(cwd);
        }
        *slash = '\0';
    }
}

/* Parses a positive whole number of milliseconds; -1 if bad. */
static long S_parse_ms(const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    return errno || end == v || *end || n <= 0 || n > INT_MAX ? -1 : n;
}

/* Parses a positive integer with an optional K/M/G suffix; -1 if bad. */
static long S_parse_size(const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || n <= 0)
        return -1;
    long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024L, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024L * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1024L * 1024 * 1024, end++;
    if (*end || n > LONG_MAX / mul)
        return -1;
    return n * mul;
}

/* Adds the words of value to list, paths made absolute if paths. Returns
 * 0, or 1 + the offset in value of a quote left open (nothing added). */
static int S_add_list(galley__config *c, galley__words *list, const char *value,
                      int paths)
{
    galley__words w = {0};
    int open = galley__split_words(&w, value);
    if (open) {
        galley__words_fini(&w);
        return open;
    }
    for (size_t i = 0; i < w.n; i++) {
        char *p = paths ? S_absolute(c->root, w.v[i]) : galley__xstrdup(w.v[i]);
        S_add_at(list, p, c->cur_line);
        free(p);
    }
    galley__words_fini(&w);
    return 0;
}

/* Applies one key = value pair. Returns NULL or a static error message,
 * about the key when *at_key is set, else about the value (at byte *at of
 * it, 0 unless said). */
static const char *S_apply(galley__config *c, const char *key, const char *v,
                           int *cflags_set, int *at_key, int *at)
{
    int bad_quote = 0;
    if (!strcmp(key, "sources"))
        bad_quote = S_add_list(c, &c->sources, v, 1);
    else if (!strcmp(key, "include"))
        bad_quote = S_add_list(c, &c->include, v, 1);
    else if (!strcmp(key, "tests"))
        bad_quote = S_add_list(c, &c->tests, v, 0);
    else if (!strcmp(key, "cflags")) {
        if (!*cflags_set)
            galley__words_fini(&c->cflags);
        *cflags_set = 1;
        bad_quote = S_add_list(c, &c->cflags, v, 0);
    } else if (!strcmp(key, "ldflags"))
        bad_quote = S_add_list(c, &c->ldflags, v, 0);
    else if (!strcmp(key, "libs"))
        bad_quote = S_add_list(c, &c->libs, v, 0);
    else if (!strcmp(key, "inputs"))
        bad_quote = S_add_list(c, &c->inputs, v, 0);
    else if (!strcmp(key, "env")) {
        size_t from = c->env.n;
        bad_quote = S_add_list(c, &c->env, v, 0);
        for (size_t i = from; i < c->env.n && !bad_quote; i++)
            if (!S_env_name(c->env.v[i]))
                return "env takes names of environment variables, such as "
                       "OMP_NUM_THREADS";
    } else if (!strcmp(key, "cache")) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return "cache takes on or off";
        c->cache_off = !strcmp(v, "off");
    } else if (!strcmp(key, "cuda")) {
        /* Whether libgalley-cuda exists is the build's to say (it knows
         * where the runtime is), naming this line. */
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return "cuda takes on or off";
        c->cuda = !strcmp(v, "on");
        c->cuda_line = c->cur_line;
    } else if (!strcmp(key, "cache_size")) {
        long n = S_parse_size(v);
        if (n <= 0)
            return "cache_size must be a positive size such as 64M";
        c->cache_size = n;
    }
    else if (!strcmp(key, "timeout_ms")) {
        long n = S_parse_ms(v);
        if (n < 0)
            return "timeout_ms must be a positive whole number of "
                   "milliseconds, such as 10000";
        c->timeout_ms = (int)n;
    } else if (!strcmp(key, "rtol") || !strcmp(key, "atol")) {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !(d >= 0) || d == INFINITY)
            return "a tolerance must be a finite number >= 0, such as 1e-6";
        *(key[0] == 'r' ? &c->rtol : &c->atol) = d;
    } else if (!strcmp(key, "filter")) {
        if (!*v)
            return "filter needs a value: s/REGEX/REPLACEMENT/g or @NAME";
        galley__words_add(&c->filters, v);
        c->filter_lines = galley__xrealloc(c->filter_lines,
                                           c->filters.n * sizeof(int));
        c->filter_lines[c->filters.n - 1] = c->cur_line;
        c->filter_cols = galley__xrealloc(c->filter_cols,
                                          c->filters.n * sizeof(int));
        c->filter_cols[c->filters.n - 1] = c->cur_col;
    } else if (!strcmp(key, "output_limit")) {
        long n = S_parse_size(v);
        if (n <= 0)
            return "output_limit must be a positive size such as 16M";
        c->output_limit = n;
    } else {
        *at_key = 1;
        return S_UNKNOWN_KEY;
    }
    if (!bad_quote)
        return NULL;
    *at = bad_quote - 1;
    return "unterminated quote: close it, or escape it with a backslash";
}

/* Returns s with leading and trailing blanks cut, in place. */
static char *S_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* The 1-based column of p in line (as GCC counts: tabs to multiples of
 * 8, a UTF-8 character one). */
static int S_col(const char *line, const char *p)
{
    return (int)galley__cols(0, line, (size_t)(p - line)) + 1;
}

/* Parses one line; returns 0, or -1 after writing what is wrong into err
 * (of size n), with *col the 1-based column it is about. */
static int S_parse_line(galley__config *c, char *line, int *cflags_set,
                        int *col, char *err, size_t n)
{
    char *s = S_trim(line);
    int at_key = 0, at = 0, key_col = S_col(line, s);
    *col = key_col;
    if (!*s || *s == '#')
        return 0;
    const char *why = NULL;
    char *cr = strchr(s, '\r');
    char *eq = strchr(s, '=');
    if (cr) {
        *col = S_col(line, cr);
        why = "a carriage return inside a line; save the file with LF (or "
              "CRLF) line ends";
    } else if (!eq) {
        why = "expected `key = value`";
    } else {
        char *value = eq + 1 + strspn(eq + 1, " \t");
        c->cur_col = S_col(line, value); /* before the blanks become NULs */
        *eq = '\0';
        char *key = S_trim(s);
        S_trim(value);
        if (!*key)
            why = "missing key before '='";
        if (*key)
            why = S_apply(c, key, value, cflags_set, &at_key, &at);
        *col = at_key ? key_col
                      : (int)galley__cols((size_t)c->cur_col - 1, value,
                                          (size_t)at) + 1;
        if (why == S_UNKNOWN_KEY) {
            snprintf(err, n, "unknown key `%.40s%s` (known: %s)", key,
                     strlen(key) > 40 ? "..." : "", S_UNKNOWN_KEY);
            return -1;
        }
    }
    if (why)
        snprintf(err, n, "%s", why);
    return why ? -1 : 0;
}

/* Parses text; errors name the file as shown, relative to the cwd. */
static int S_parse(galley__config *c, char *text, const char *shown)
{
    int rc = 0, lineno = 0, cflags_set = 0;
    char *save = NULL;
    for (char *p = text; p; p = save) {
        char *nl = strchr(p, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        if (!nl && !*p)
            break;
        c->cur_line = lineno;
        int col;
        char err[256];
        if (S_parse_line(c, p, &cflags_set, &col, err, sizeof err)) {
            galley__error_col(shown, lineno, col, "%s", err);
            c->n_errors++;
            rc = -1;
        }
    }
    return rc;
}

/* galley__config_load from directory start, with paths in messages shown
 * relative to cwd. */
static int S_load(galley__config *c, const char *start, const char *cwd)
{
    memset(c, 0, sizeof *c);
    c->timeout_ms = 10000;
    c->output_limit = 16L * 1024 * 1024;
    c->cache_size = 64L * 1024 * 1024;
    galley__words_add(&c->cflags, "-g");
    galley__words_add(&c->cflags, "-Wall");
    c->root = S_find_root(start, &c->file);
    int rc = 0;
    if (c->file) {
        char *shown = galley__display_path(c->file, cwd);
        galley__buf text;
        galley__buf_init(&text);
        int e = galley__read_file(c->file, &text);
        if (e < 0) {
            galley__error_at(shown, 0, "cannot read: %s", strerror(-e));
            rc = -1;
        } else if (memchr(text.ptr, '\0', text.len)) {
            galley__error_at(shown, 0, "not a text file");
            rc = -1;
        } else {
            /* A UTF-8 byte order mark, as some editors write, is not
             * part of the first key. */
            int bom = text.len >= 3 && !memcmp(text.ptr, "\xEF\xBB\xBF", 3);
            rc = S_parse(c, text.ptr + 3 * bom, shown);
        }
        galley__buf_fini(&text);
        free(shown);
    }
    if (c->tests.n == 0)
        galley__words_add(&c->tests, "tests");
    return rc;
}

int galley__config_load(galley__config *c, const char *cwd)
{
    return S_load(c, cwd, cwd);
}

/* Returns the heap directory of path (the path itself for a directory),
 * resolved, or NULL when it does not exist. */
static char *S_path_dir(const char *path)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) != 0)
        return NULL;
    if (!S_ISDIR(st.st_mode))
        *strrchr(real, '/') = '\0';
    return galley__xstrdup(real[0] ? real : "/");
}

int galley__config_load_near(galley__config *c, const char *cwd,
                            const char *path)
{
    int rc = galley__config_load(c, cwd);
    char *from = c->file || !path ? NULL : S_path_dir(path);
    if (!from)
        return rc;
    galley__config_fini(c);
    rc = S_load(c, from, cwd);
    free(from);
    if (!c->file) {
        galley__config_fini(c);
        rc = galley__config_load(c, cwd);
    }
    return rc;
}

/* Adds the directories of -I flags in the words w (relative ones are
 * relative to the root, where the compiler runs). */
static void S_flag_dirs(galley__words *dirs, const galley__words *w,
                        const char *root)
{
    for (size_t i = 0; i < w->n; i++) {
        const char *d = NULL;
        if (!strncmp(w->v[i], "-I", 2) && w->v[i][2])
            d = w->v[i] + 2;
        else if ((!strcmp(w->v[i], "-I") || !strcmp(w->v[i], "-iquote")) &&
                 i + 1 < w->n)
            d = w->v[++i];
        if (!d)
            continue;
        char *abs = d[0] == '/' ? galley__xstrdup(d)
                                : galley__xasprintf("%s/%s", root, d);
        galley__words_add(dirs, abs);
        free(abs);
    }
}

void galley__config_include_dirs(const galley__config *c, galley__words *dirs)
{
    for (size_t i = 0; i < c->include.n; i++)
        galley__words_add(dirs, c->include.v[i]);
    S_flag_dirs(dirs, &c->cflags, c->root);
    galley__words env = {0};
    const char *cflags = getenv("CFLAGS");
    if (cflags && galley__split_words(&env, cflags) == 0)
        S_flag_dirs(dirs, &env, c->root);
    galley__words_fini(&env);
}

void galley__config_fini(galley__config *c)
{
    free(c->root);
    free(c->file);
    galley__words_fini(&c->sources);
    galley__words_fini(&c->include);
    galley__words_fini(&c->cflags);
    galley__words_fini(&c->ldflags);
    galley__words_fini(&c->libs);
    galley__words_fini(&c->tests);
    galley__words_fini(&c->inputs);
    galley__words_fini(&c->env);
    galley__words_fini(&c->filters);
    free(c->filter_lines);
    free(c->filter_cols);
}
