/* alloc.h: allocation inside libgalley. Running out of memory aborts with
 * a clear message instead of failing somewhere later.
 *
 * lib/ is libgalley, the test-program side: the runtime that every test
 * program links (main, the supervision of each test in its own process,
 * capture of its output, the marks EXPECT writes, the results it sends the
 * runner in the format of protocol.h), and the tensors. Its public headers
 * are lib/include/; everything else is internal (galley__). It may include
 * only the C library, OpenBLAS and its own headers; alloc.h is its floor,
 * the one allocator of this side, which plot/'s library uses too. */
#ifndef GALLEY_ALLOC_H
#define GALLEY_ALLOC_H

#include <stddef.h>

/* Like realloc, but never returns NULL: aborts when memory runs out. The
 * caller frees the result; p is invalid afterwards. */
void *galley__rt_xrealloc(void *p, size_t n);
/* Like calloc (n zeroed elements of size bytes), but never returns NULL:
 * aborts when memory runs out (or n * size overflows). */
void *galley__rt_xcalloc(size_t n, size_t size);
/* Returns a heap copy of the n bytes at s with a NUL added; the caller
 * frees it. */
char *galley__rt_xstrndup(const char *s, size_t n);

/* The byte buffer of this side (tensor printing, the charts): it grows as
 * needed, always NUL-terminated once anything was added; zero it to
 * start. */
typedef struct galley__rt_buf {
    char *ptr;
    size_t len, cap;
} galley__rt_buf;

/* Makes room for n more bytes and returns where they go; the caller
 * writes them and adds n to len. */
char *galley__rt_buf_room(galley__rt_buf *b, size_t n);
/* Appends the n bytes at s. */
void galley__rt_buf_add(galley__rt_buf *b, const char *s, size_t n);
void galley__rt_buf_puts(galley__rt_buf *b, const char *s);
/* Returns the text (heap, "" when nothing was added), which the caller
 * frees; b is empty again. */
char *galley__rt_buf_detach(galley__rt_buf *b);
void galley__rt_buf_fini(galley__rt_buf *b);

#endif
