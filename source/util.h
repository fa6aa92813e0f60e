/* util.h: small helpers shared by the runner and promote: growable byte
 * buffers, checked allocation, file I/O and the one error formatter. */
#ifndef GALLEY_UTIL_H
#define GALLEY_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "atomic.h"

/* Allocation that aborts with a clear message when memory runs out. */
void *galley__xmalloc(size_t n);
void *galley__xcalloc(size_t n, size_t size);
void *galley__xrealloc(void *p, size_t n);
/* Returns a heap copy of s (or of its first n bytes); the caller frees it. */
char *galley__xstrdup(const char *s);
char *galley__xstrndup(const char *s, size_t n);
/* Returns a heap string formatted as by printf; the caller frees it. */
char *galley__xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* The same with a va_list (which it uses up). */
char *galley__xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* A growable byte buffer, always NUL-terminated (ptr may hold NULs too). */
typedef struct galley__buf {
    char *ptr;
    size_t len;
    size_t cap;
} galley__buf;

void galley__buf_init(galley__buf *b);
void galley__buf_fini(galley__buf *b);
void galley__buf_grow(galley__buf *b, size_t extra);
void galley__buf_puts(galley__buf *b, const char *s);

/* Appends n bytes of data (inline: the hot path of every text pass). */
static inline void galley__buf_add(galley__buf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap)
        galley__buf_grow(b, n);
    if (n)
        __builtin_memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

static inline void galley__buf_putc(galley__buf *b, char c)
{
    if (b->len + 2 > b->cap)
        galley__buf_grow(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}
void galley__buf_printf(galley__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the buffer's memory to the caller (who frees it) and resets b. */
char *galley__buf_detach(galley__buf *b, size_t *len);

/* A list of words (paths or flags), each a heap string. */
typedef struct galley__words {
    char **v;
    size_t n;
    int *lines;  /* for lists read from galley.conf: the line of each
                    word (NULL otherwise) */
} galley__words;

void galley__words_add(galley__words *w, const char *s);
void galley__words_fini(galley__words *w);
/* Returns 1 if w holds the word s. */
int galley__words_has(const galley__words *w, const char *s);

/* Splits s into words the way a shell would for plain words: blanks
 * separate, single and double quotes group, backslash escapes. Returns 0,
 * or 1 + the byte offset in s of a quote left open (the words before it
 * are added). */
int galley__split_words(galley__words *w, const char *s);

/* Reads a whole file into out (initialized by the caller). Returns 0, or
 * -errno with out left empty. */
int galley__read_file(const char *path, galley__buf *out);
/* Returns 1 if s holds a control character (a byte below 0x20, or DEL). */
int galley__has_control(const char *s);
/* Returns 1 if the file at path holds the bytes word, 0 if not or when it
 * cannot be read. */
int galley__file_mentions(const char *path, const char *word);
/* Returns the heap name of the #include on line[0..n) ("x.h" of
 * `#include "x.h"`), with *angle set for <...>, or NULL when the line is no
 * #include. Blanks and comments (closed on the line) may stand around the
 * '#' and the word, and "%:" may stand for '#'. */
char *galley__include_name(const char *line, size_t n, int *angle);
/* Writes all n bytes at p to fd, again after EINTR and short writes.
 * Returns 0, or -errno. */
int galley__write_all(int fd, const char *p, size_t n);
/* Creates dir and its parents (like mkdir -p). Returns 0 or -errno. */
int galley__mkdirs(const char *dir);

/* Returns a heap copy of absolute path p with "." and ".." steps and
 * repeated slashes removed, without asking the file system (the path of a
 * file that may not exist). */
char *galley__lexical_path(const char *p);
/* Returns absolute path p as reports show it (heap): relative to the
 * absolute directory cwd, with "../" steps when p lies beside it rather
 * than below, as compilers and editors expect; absolute when the two share
 * nothing but the root directory. */
char *galley__relative_path(const char *p, const char *cwd);

/* Returns the column reached after s[0..n) when starting at col (0 for
 * the start of a line): a tab goes to the next multiple of 8, a UTF-8
 * character takes one column. Columns in messages are 1 + this, as GCC
 * counts them (which gives a wide character two). */
size_t galley__cols(size_t col, const char *s, size_t n);

/* The one printer of galley's messages for people, on stderr, in the form
 * compilers use so that editors jump to them: "FILE:LINE:COL: KIND: MSG",
 * COL left out when 0, LINE too, and "galley: KIND: MSG" without a FILE.
 * KIND is "error" or "warning"; a note (kind NULL) has none: "galley: MSG".
 * stdout is flushed first, so that the two read in order on a terminal. */
void galley__vsay(const char *kind, const char *file, int line, int col,
                  const char *fmt, va_list ap);
/* An error at FILE:LINE (see galley__vsay). */
void galley__error_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error at FILE:LINE:COL. */
void galley__error_col(const char *file, int line, int col, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
/* A warning at FILE:LINE (FILE NULL: of galley's). */
void galley__warning_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Says that memory ran out for what (through galley__vsay) and ends the
 * program: nothing sensible is left to do. */
_Noreturn void galley__oom(const char *what);
/* A note of galley's: "galley: MSG". */
void galley__note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Takes the project's lock (ROOT/_galley/lock), waiting with a message
 * while another galley run or promote holds it: they share _galley/. The
 * lock lasts until the returned descriptor is closed or the process ends.
 * Returns the descriptor, or -1 if the lock file cannot be made (then the
 * command goes on unlocked). */
int galley__lock_project(const char *root);

/* Hex SHA-1 of data (40 characters and a NUL in out), through libgit2. */
void galley__hash(const void *data, size_t len, char out[41]);

/* Returns the heap real path of the top of the git work tree that holds
 * directory dir (no '/' at its end unless it is "/"), or NULL when dir is
 * in none (or in a bare repository). Needs libgit2 started. */
char *galley__repo_top(const char *dir);

/* Returns 1 if colour suits what goes to descriptor fd when the user
 * asked for neither (--color=auto): NO_COLOR (set, not empty) says no;
 * then FORCE_COLOR or CLICOLOR_FORCE (set, not empty) says yes, for a
 * pipe too; then a terminal whose TERM is not dumb. */
int galley__color_auto(int fd);

#endif
