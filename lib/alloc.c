/* alloc.c: checked allocation for libgalley (see alloc.h). All of the
 * runtime's heap memory goes through here. */
#define _GNU_SOURCE
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *galley__rt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        static const char msg[] = "galley: out of memory\n";
        /* write(2), not stdio: stdio itself may need memory. */
        (void)!write(2, msg, sizeof msg - 1);
        abort();
    }
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

char *galley__rt_xstrndup(const char *s, size_t n)
{
    char *d = galley__rt_xrealloc(NULL, n + 1);
    if (n > 0)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
