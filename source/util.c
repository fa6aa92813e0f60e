/* util.c: checked allocation, byte buffers, whole-file I/O, atomic writes
 * and the error formatter shared by the runner and promote. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- allocation ---- */

static _Noreturn void S_oom(size_t n)
{
    char what[64];
    snprintf(what, sizeof what, "asked for %zu bytes", n);
    galley__oom(what);
}

void *galley__xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        S_oom(n);
    return p;
}

void *galley__xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        S_oom(n * size);
    return p;
}

void *galley__xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        S_oom(n);
    return q;
}

char *galley__xstrndup(const char *s, size_t n)
{
    char *p = galley__xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *galley__xstrdup(const char *s)
{
    return galley__xstrndup(s, strlen(s));
}

char *galley__xvasprintf(const char *fmt, va_list ap)
{
    galley__buf b;
    va_list again;
    galley__buf_init(&b);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    galley__buf_grow(&b, (size_t)n + 1);
    vsnprintf(b.ptr, (size_t)n + 1, fmt, again);
    va_end(again);
    b.len = (size_t)n;
    return galley__buf_detach(&b, NULL);
}

char *galley__xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = galley__xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- buffers ---- */

void galley__buf_init(galley__buf *b)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

void galley__buf_fini(galley__buf *b)
{
    free(b->ptr);
    galley__buf_init(b);
}

void galley__buf_grow(galley__buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            S_oom(SIZE_MAX);
        cap *= 2;
    }
    b->ptr = galley__xrealloc(b->ptr, cap);
    b->cap = cap;
    b->ptr[b->len] = '\0';
}

void galley__buf_puts(galley__buf *b, const char *s)
{
    galley__buf_add(b, s, strlen(s));
}

void galley__buf_printf(galley__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    galley__buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *galley__buf_detach(galley__buf *b, size_t *len)
{
    galley__buf_grow(b, 0);
    char *p = b->ptr;
    if (len)
        *len = b->len;
    galley__buf_init(b);
    return p;
}

/* ---- lists of words ---- */

void galley__words_add(galley__words *w, const char *s)
{
    w->v = galley__xrealloc(w->v, (w->n + 1) * sizeof *w->v);
    w->v[w->n++] = galley__xstrdup(s);
}

void galley__words_fini(galley__words *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    free(w->lines);
    w->v = NULL;
    w->lines = NULL;
    w->n = 0;
}

int galley__words_has(const galley__words *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->v[i], s))
            return 1;
    return 0;
}

int galley__split_words(galley__words *w, const char *s)
{
    galley__buf cur;
    galley__buf_init(&cur);
    int in_word = 0, rc = 0;
    char quote = 0;
    const char *start = s, *opened = s;
    for (; *s; s++) {
        char c = *s;
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && s[1])
                galley__buf_putc(&cur, *++s);
            else
                galley__buf_putc(&cur, c);
        } else if (c == ' ' || c == '\t') {
            if (in_word)
                galley__words_add(w, cur.ptr ? cur.ptr : "");
            cur.len = 0;
            in_word = 0;
            continue;
        } else if (c == '\'' || c == '"') {
            quote = c;
            opened = s;
        } else if (c == '\\' && s[1]) {
            galley__buf_putc(&cur, *++s);
        } else {
            galley__buf_putc(&cur, c);
        }
        in_word = 1;
    }
    if (quote)
        rc = 1 + (int)(opened - start);
    else if (in_word)
        galley__words_add(w, cur.ptr ? cur.ptr : "");
    galley__buf_fini(&cur);
    return rc;
}

/* ---- files ---- */

int galley__read_file(const char *path, galley__buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            galley__buf_fini(out);
            return -e;
        }
        if (n == 0)
            break;
        galley__buf_add(out, chunk, (size_t)n);
    }
    close(fd);
    galley__buf_grow(out, 0);
    return 0;
}

int galley__has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

int galley__file_mentions(const char *path, const char *word)
{
    galley__buf text;
    galley__buf_init(&text);
    int yes = galley__read_file(path, &text) == 0 && text.len &&
              memmem(text.ptr, text.len, word, strlen(word)) != NULL;
    galley__buf_fini(&text);
    return yes;
}

int galley__write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int galley__mkdirs(const char *dir)
{
    if (!dir[0])
        return 0;
    char *p = galley__xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; ; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = -errno;
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}

/* ---- errors and hashing ---- */

size_t galley__cols(size_t col, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t')
            col += 8 - col % 8;
        else if ((c & 0xC0) != 0x80)
            col++;
    }
    return col;
}

void galley__vsay(const char *kind, const char *file, int line, int col,
                  const char *fmt, va_list ap)
{
    fflush(stdout);
    fputs(file ? file : "galley", stderr);
    if (file && line > 0)
        fprintf(stderr, ":%d", line);
    if (file && line > 0 && col > 0)
        fprintf(stderr, ":%d", col);
    fprintf(stderr, ": %s%s", kind ? kind : "", kind ? ": " : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void galley__error_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    galley__vsay("error", file, line, 0, fmt, ap);
    va_end(ap);
}

void galley__error_col(const char *file, int line, int col, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    galley__vsay("error", file, line, col, fmt, ap);
    va_end(ap);
}

void galley__warning_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    galley__vsay("warning", file, line, 0, fmt, ap);
    va_end(ap);
}

_Noreturn void galley__oom(const char *what)
{
    fprintf(stderr, "galley: out of memory (%s)\n", what);
    abort();
}

void galley__note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    galley__vsay(NULL, NULL, 0, 0, fmt, ap);
    va_end(ap);
}

void galley__hash(const void *data, size_t len, char out[41])
{
    git_oid oid;
    /* Hashing a buffer as a blob needs no repository and cannot fail for
     * valid arguments; on failure we fall back to an all-zero id, which
     * only makes the stale-file check stricter. */
    if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) != 0)
        memset(&oid, 0, sizeof oid);
    git_oid_tostr(out, 41, &oid);
}

char *galley__repo_top(const char *dir)
{
    git_repository *repo = NULL;
    char real[PATH_MAX];
    char *top = NULL;
    if (git_repository_open_ext(&repo, dir, 0, NULL) == 0 &&
        git_repository_workdir(repo)) {
        const char *w = git_repository_workdir(repo);
        top = galley__xstrdup(realpath(w, real) ? real : w);
        size_t n = strlen(top);
        if (n > 1 && top[n - 1] == '/')
            top[n - 1] = '\0';
    }
    git_repository_free(repo);
    return top;
}

/* Returns a heap copy of absolute path p with "." and ".." steps and
 * repeated slashes removed, without asking the file system. */
char *galley__lexical_path(const char *p)
{
    char *out = galley__xmalloc(strlen(p) + 2);
    size_t n = 0;
    while (*p) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        int dot = len == 1 && p[0] == '.';
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 0 && out[--n] != '/')
                ;
        } else if (len > 0 && !dot) {
            out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return out;
}

char *galley__relative_path(const char *p, const char *cwd)
{
    size_t n = strlen(cwd), common = 0, ups = 0;
    if (p[0] != '/' || cwd[0] != '/')
        return galley__xstrdup(p);
    if (n == 1)
        return galley__xstrdup(p + 1);
    if (strncmp(p, cwd, n) == 0 && p[n] == '/')
        return galley__xstrdup(p + n + 1);
    size_t pn = strlen(p);
    if (pn > 1 && strncmp(cwd, p, pn) == 0 && cwd[pn] == '/') {
        /* p is above the cwd: as many ".." as steps between them. */
        galley__buf up;
        galley__buf_init(&up);
        for (const char *q = cwd + pn; *q; q++)
            if (*q == '/')
                galley__buf_puts(&up, up.len ? "/.." : "..");
        return galley__buf_detach(&up, NULL);
    }
    /* The last '/' up to which both agree ends their common directory. */
    for (size_t i = 0; p[i] && p[i] == cwd[i]; i++)
        if (p[i] == '/')
            common = i;
    if (common == 0)
        return galley__xstrdup(p);
    for (const char *q = cwd + common; *q; q++)
        ups += *q == '/';
    galley__buf b;
    galley__buf_init(&b);
    for (size_t i = 0; i < ups; i++)
        galley__buf_puts(&b, "../");
    galley__buf_puts(&b, p + common + 1);
    return galley__buf_detach(&b, NULL);
}

int galley__lock_project(const char *root)
{
    char *dir = galley__xasprintf("%s/_galley", root);
    char *path = galley__xasprintf("%s/lock", dir);
    int fd = -1;
    if (galley__mkdirs(dir) == 0)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
        galley__note("waiting for another galley in %s", root);
        while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
            ;
    }
    free(dir);
    free(path);
    return fd;
}

/* Moves p past blanks and block comments that close on the line. */
static const char *S_skip_blank(const char *p, const char *end)
{
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (end - p < 2 || p[0] != '/' || p[1] != '*')
            return p;
        const char *close = memmem(p + 2, (size_t)(end - p - 2), "*/", 2);
        if (!close)
            return p;
        p = close + 2;
    }
}

char *galley__include_name(const char *line, size_t n, int *angle)
{
    const char *p = line, *end = line + n;
    p = S_skip_blank(p, end);
    if (p < end && *p == '#')
        p++;
    else if (end - p >= 2 && p[0] == '%' && p[1] == ':') /* digraph */
        p += 2;
    else
        return NULL;
    p = S_skip_blank(p, end);
    if ((size_t)(end - p) < 7 || memcmp(p, "include", 7) != 0)
        return NULL;
    p = S_skip_blank(p + 7, end);
    if (p == end || (*p != '"' && *p != '<'))
        return NULL;
    *angle = *p == '<';
    const char *close = memchr(p + 1, *angle ? '>' : '"',
                               (size_t)(end - p - 1));
    return close && close > p + 1
               ? galley__xstrndup(p + 1, (size_t)(close - p - 1)) : NULL;
}

/* Returns 1 if the environment variable name is set and not empty. */
static int S_env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

int galley__color_auto(int fd)
{
    const char *term = getenv("TERM");
    if (S_env_set("NO_COLOR"))
        return 0;
    if (S_env_set("FORCE_COLOR") || S_env_set("CLICOLOR_FORCE"))
        return 1;
    return isatty(fd) && !(term && !strcmp(term, "dumb"));
}
