/* crash.h: where a crashed test was. Its program writes the offsets of the
 * frames of its own code when a signal kills a test (lib/child.c); here
 * addr2line (binutils, which every C toolchain has) turns them into
 * FILE:LINE, which needs the program's debug information (-g, on by
 * default in galley.conf's cflags). */
#ifndef GALLEY_CRASH_H
#define GALLEY_CRASH_H

#include <stddef.h>

/* Returns the heap FILE:LINE of the innermost frame of offs[0..n) that
 * addr2line can place in program exe (root-relative, run from root),
 * followed by " (called from FILE:LINE)" for the first frame in the test
 * file test (a display path) when the innermost one is elsewhere; paths
 * are shown relative to cwd. Returns NULL when no frame can be placed
 * (no debug information, or no addr2line). */
char *galley__crash_site(const char *exe, const char *root, const char *cwd,
                        const unsigned long long *offs, size_t n,
                        const char *test);

#endif
