/* harness.h: a tiny check harness for galley's lowest layer (the scanner,
 * the normalizer, the escapes), so that galley is never tested only by
 * itself. A failing check prints FILE:LINE: check failed: ... */
#ifndef GALLEY_UNIT_HARNESS_H
#define GALLEY_UNIT_HARNESS_H

#include <stddef.h>

/* Names the table case under test; shown with each failure (NULL: none). */
void unit_context(const char *what);

void unit_check(int ok, const char *file, int line, const char *expr);
void unit_check_int(long got, long want, const char *file, int line,
                    const char *expr);
void unit_check_mem(const char *got, size_t got_len, const char *want,
                    size_t want_len, const char *file, int line,
                    const char *expr);

/* Each macro evaluates its arguments once. */
#define CHECK(cond) unit_check(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_INT(got, want) \
    unit_check_int((long)(got), (long)(want), __FILE__, __LINE__, #got)
#define CHECK_STR(got, want) \
    unit_check_str_((got), (want), __FILE__, __LINE__, #got)
#define CHECK_MEM(got, got_len, want, want_len)                        \
    unit_check_mem((got), (got_len), (want), (want_len), __FILE__, \
                   __LINE__, #got)

/* Compares NUL-terminated strings (NULL counts as ""). */
void unit_check_str_(const char *got, const char *want, const char *file,
                     int line, const char *expr);

/* A small deterministic random generator, so that runs repeat. */
unsigned unit_rand(unsigned *state);

void test_scan(void);
void test_normalize(void);
void test_escape(void);
void test_match(void);
void test_filter(void);
void test_paths(void);
void test_results(void);

#endif
