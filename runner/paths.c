/* paths.c: rewrites the file names of compiler diagnostics for the
 * directory galley was started in, and moves report paths onto the base
 * their reader resolves them from (see paths.h). */
#define _GNU_SOURCE
#include "paths.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../source/util.h"

/* ---- compiler diagnostics ---- */

/* Returns p past the escape sequences (ESC [ ... final byte) at p, which
 * -fdiagnostics-color puts before a file name; none past end. */
static const char *S_skip_escapes(const char *p, const char *end)
{
    while (end - p >= 2 && p[0] == '\033' && p[1] == '[') {
        const char *q = p + 2;
        while (q < end && ((*q >= '0' && *q <= '9') || *q == ';'))
            q++;
        if (q == end || *q < '@' || *q > '~')
            break;
        p = q + 1;
    }
    return p;
}

/* Returns where the file name of line[0..end) would start: past colour
 * escapes and GCC's and Clang's "In file included from " or the
 * "                 from " of the lines after it. */
static const char *S_name_start(const char *line, const char *end)
{
    static const char included[] = "In file included from ";
    const char *p = S_skip_escapes(line, end);
    size_t n = (size_t)(end - p);
    if (n > strlen(included) && !memcmp(p, included, strlen(included)))
        return S_skip_escapes(p + strlen(included), end);
    const char *q = p;
    while (q < end && *q == ' ')
        q++;
    if (q > p && end - q > 5 && !memcmp(q, "from ", 5))
        return S_skip_escapes(q + 5, end);
    return p;
}

/* Returns 1 if name[0..n) names a regular file below root. */
static int S_file_in(const char *root, const char *name, size_t n)
{
    if (n == 0 || name[0] == '/' || memchr(name, '\0', n))
        return 0;
    char *p = galley__xasprintf("%s/%.*s", root, (int)n, name);
    struct stat st;
    int yes = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return yes;
}

/* Returns the length of the file name at p (before end, the line's) that
 * names a file below root, or 0: the text up to the first ':' that ends
 * such a name and that a digit, space or escape (or the line's end)
 * follows. */
static size_t S_name_len(const char *p, const char *end, const char *root)
{
    for (const char *c = p; (c = memchr(c, ':', (size_t)(end - c))); c++) {
        char next = c + 1 < end ? c[1] : '\n';
        if (((next >= '0' && next <= '9') || next == ' ' || next == '\033' ||
             next == '\n' || next == '\r') &&
            S_file_in(root, p, (size_t)(c - p)))
            return (size_t)(c - p);
    }
    return 0;
}

/* Appends line[0..end) to out, its file name rewritten. */
static void S_rebase_line(galley__buf *out, const char *line, const char *end,
                          const char *root, const char *cwd)
{
    const char *name = S_name_start(line, end);
    size_t n = S_name_len(name, end, root);
    if (n == 0) {
        galley__buf_add(out, line, (size_t)(end - line));
        return;
    }
    char *joined = galley__xasprintf("%s/%.*s", root, (int)n, name);
    char *abs = galley__lexical_path(joined);
    char *rel = galley__relative_path(abs, cwd);
    galley__buf_add(out, line, (size_t)(name - line));
    galley__buf_puts(out, rel);
    galley__buf_add(out, name + n, (size_t)(end - name - n));
    free(rel);
    free(abs);
    free(joined);
}

char *galley__rebase_log(const char *text, const char *root, const char *cwd)
{
    if (!text)
        return NULL;
    if (!strcmp(root, cwd))
        return galley__xstrdup(text);
    galley__buf out;
    galley__buf_init(&out);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        S_rebase_line(&out, p, end, root, cwd);
        if (nl)
            galley__buf_putc(&out, '\n');
        p = nl ? nl + 1 : end;
    }
    return galley__buf_detach(&out, NULL);
}

/* ---- report paths ---- */

char *galley__path_from(const char *shown, const char *cwd, const char *base)
{
    if (!base)
        return galley__xstrdup(shown);
    char *joined = shown[0] == '/' ? galley__xstrdup(shown)
                                   : galley__xasprintf("%s/%s", cwd, shown);
    char *abs = galley__lexical_path(joined);
    free(joined);
    size_t n = strlen(base);
    if (n == 1 && abs[1]) /* base is "/" */
        memmove(abs, abs + 1, strlen(abs));
    else if (!strncmp(abs, base, n) && abs[n] == '/')
        memmove(abs, abs + n + 1, strlen(abs + n));
    return abs;
}
