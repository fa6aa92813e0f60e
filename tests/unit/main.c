/* main.c: runs galley's plain C unit tests and prints one summary line,
 * "unit: N passed, N failed"; the exit status is 1 if any check failed. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

void test_numbers(void); /* not in harness.h: see test_numbers.c */

static int S_passed, S_failed;
static const char *S_what;

void unit_context(const char *what)
{
    S_what = what;
}

/* Prints s[0..n) with control bytes, quotes and backslashes escaped. */
static void S_show(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Counts one check; on failure prints its place and what it checked. */
static int S_count(int ok, const char *file, int line, const char *expr)
{
    if (ok) {
        S_passed++;
        return 1;
    }
    S_failed++;
    printf("%s:%d: check failed: %s", file, line, expr);
    if (S_what)
        printf(" [%s]", S_what);
    putchar('\n');
    return 0;
}

void unit_check(int ok, const char *file, int line, const char *expr)
{
    S_count(ok, file, line, expr);
}

void unit_check_int(long got, long want, const char *file, int line,
                    const char *expr)
{
    if (!S_count(got == want, file, line, expr))
        printf("    got %ld, want %ld\n", got, want);
}

void unit_check_mem(const char *got, size_t got_len, const char *want,
                    size_t want_len, const char *file, int line,
                    const char *expr)
{
    int ok = got_len == want_len && (!got_len || !memcmp(got, want, got_len));
    if (S_count(ok, file, line, expr))
        return;
    fputs("    got:  ", stdout);
    S_show(got ? got : "", got ? got_len : 0);
    fputs("\n    want: ", stdout);
    S_show(want ? want : "", want ? want_len : 0);
    putchar('\n');
}

void unit_check_str_(const char *got, const char *want, const char *file,
                     int line, const char *expr)
{
    got = got ? got : "";
    want = want ? want : "";
    unit_check_mem(got, strlen(got), want, strlen(want), file, line, expr);
}

unsigned unit_rand(unsigned *state)
{
    /* xorshift32: small, deterministic, good enough for test inputs. */
    unsigned x = *state ? *state : 1u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

int main(void)
{
    test_scan();
    test_normalize();
    test_escape();
    test_match();
    test_filter();
    test_numbers();
    test_paths();
    test_results();
    printf("unit: %d passed, %d failed\n", S_passed, S_failed);
    return S_failed ? 1 : 0;
}
