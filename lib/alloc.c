/* alloc.c: checked allocation for libgalley (see alloc.h). All of the
 * runtime's heap memory goes through here. */
#define _GNU_SOURCE
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Says that n bytes could not be had, and ends the program. write(2), not
 * stdio: stdio itself may need memory. */
static _Noreturn void S_oom(size_t n)
{
    char msg[96] = "galley: out of memory (asked for ";
    char digits[24];
    size_t len = strlen(msg), k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    while (k > 0)
        msg[len++] = digits[--k];
    memcpy(msg + len, " bytes)\n", 8);
    (void)!write(2, msg, len + 8);
    abort();
}

void *galley__rt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        S_oom(n);
    return q;
}

void *galley__rt_xcalloc(size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes))
        bytes = (size_t)-1; /* fails below */
    void *p = galley__rt_xrealloc(NULL, bytes);
    return memset(p, 0, bytes);
}

char *galley__rt_buf_room(galley__rt_buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->ptr = galley__rt_xrealloc(b->ptr, cap);
        b->cap = cap;
    }
    return b->ptr + b->len;
}

void galley__rt_buf_add(galley__rt_buf *b, const char *s, size_t n)
{
    char *at = galley__rt_buf_room(b, n);
    if (n)
        memcpy(at, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void galley__rt_buf_puts(galley__rt_buf *b, const char *s)
{
    galley__rt_buf_add(b, s, strlen(s));
}

char *galley__rt_buf_detach(galley__rt_buf *b)
{
    char *p = b->ptr ? b->ptr : galley__rt_xstrndup("", 0);
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void galley__rt_buf_fini(galley__rt_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *galley__rt_xstrndup(const char *s, size_t n)
{
    char *d = galley__rt_xrealloc(NULL, n + 1);
    if (n > 0)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
