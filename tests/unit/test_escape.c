/* test_escape.c: unit tests of the " (esc)" lines: which lines need them,
 * their exact form, decoding and its errors, and the round trip. */
#include <stdlib.h>
#include <string.h>

#include "../../source/escape.h"
#include "harness.h"

/* A line (bytes, NULs allowed) and whether it must be escaped. */
typedef struct needs_case {
    const char *line;
    size_t len;
    int needs;
} needs_case;

#define L(s) s, sizeof s - 1

static const needs_case needs_cases[] = {
    {L(""), 0},
    {L("plain text"), 0},
    {L("tab\tinside"), 0},
    {L("back\\slash"), 0},
    {L("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 0},
    {L("\xef\xbf\xbf U+FFFF and \xf4\x8f\xbf\xbf U+10FFFF"), 0},
    {L("\xed\x9f\xbf U+D7FF"), 0},
    {L("a * / b"), 0},
    {L("x (esc) y"), 0},
    {L("(esc)"), 0},
    {L("x(esc)"), 0},
    {L("bell\a"), 1},
    {L("nul\0here"), 1},
    {L("cr\r"), 1},
    {L("\x1b[31mred"), 1},
    {L("del\x7f"), 1},
    {L("latin1 caf\xe9"), 1},
    {L("lone \x80 continuation"), 1},
    {L("overlong \xc0\xaf"), 1},
    {L("overlong \xc1\xbf"), 1},
    {L("overlong \xe0\x80\xaf"), 1},
    {L("overlong \xf0\x8f\xbf\xbf"), 1},
    {L("surrogate \xed\xa0\x80"), 1},
    {L("too big \xf4\x90\x80\x80"), 1},
    {L("too big \xf5\x80\x80\x80"), 1},
    {L("truncated \xe2\x82"), 1},
    {L("truncated \xe2\x82x"), 1},
    {L("\xf0\x9f\x98"), 1},
    {L("\xff"), 1},
    {L("ends */ comment"), 1},
    {L("opens /* comment"), 1},
    {L("*/"), 1},
    {L("/*"), 1},
    {L("x (esc)"), 1},
    {L("x (re)"), 1},
    {L("x (glob)"), 1},
    {L(" (esc)"), 1},
};

/* A line and its escaped form. */
typedef struct esc_case {
    const char *line;
    size_t len;
    const char *escaped;
} esc_case;

static const esc_case esc_cases[] = {
    {L(""), " (esc)"},
    {L("plain"), "plain (esc)"},
    {L("a\\b"), "a\\\\b (esc)"},
    {L("\ttab"), "\\ttab (esc)"},
    {L("cr\r"), "cr\\r (esc)"},
    {L("\x1b[0m"), "\\x1b[0m (esc)"},
    {L("nul\0"), "nul\\x00 (esc)"},
    {L("\x7f"), "\\x7f (esc)"},
    {L("\x1f"), "\\x1f (esc)"},
    {L("caf\xc3\xa9"), "caf\xc3\xa9 (esc)"},
    {L("caf\xe9"), "caf\\xe9 (esc)"},
    {L("\xe2\x82"), "\\xe2\\x82 (esc)"},
    {L("\xed\xa0\x80"), "\\xed\\xa0\\x80 (esc)"},
    {L("\xc0\xaf"), "\\xc0\\xaf (esc)"},
    {L("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80 (esc)"},
    {L("\xe2\x82\xac\xff"), "\xe2\x82\xac\\xff (esc)"},
    {L("a */ b"), "a *\\x2f b (esc)"},
    {L("a /* b"), "a /\\x2a b (esc)"},
    {L("*/*"), "*\\x2f\\x2a (esc)"},
    {L("/*/"), "/\\x2a\\x2f (esc)"},
    {L("**//"), "**\\x2f/ (esc)"},
    {L("x (esc)"), "x (esc) (esc)"},
    {L("x (re)"), "x (re) (esc)"},
};

/* An escaped line, what it decodes to (NULL: an error), and the error. */
typedef struct unesc_case {
    const char *line;
    const char *want;
    size_t want_len;
    const char *err;
} unesc_case;

static const unesc_case unesc_cases[] = {
    {"plain (esc)", L("plain"), NULL},
    {"plain", L("plain"), NULL},
    {" (esc)", L(""), NULL},
    {"a\\\\b\\t\\r\\n (esc)", L("a\\b\t\r\n"), NULL},
    {"\\x00\\x7F\\xfF\\x2a (esc)", L("\0\x7f\xff*"), NULL},
    {"x (esc) (esc)", L("x (esc)"), NULL},
    {"\\q (esc)", NULL, 0, "unknown escape"},
    {"\\0 (esc)", NULL, 0, "unknown escape"},
    {"\\  (esc)", NULL, 0, "unknown escape"},
    {"end\\", NULL, 0, "a backslash ends the line"},
    {"end\\ (esc)", NULL, 0, "a backslash ends the line"},
    {"\\x4 (esc)", NULL, 0, "two hex digits"},
    {"\\x4", NULL, 0, "two hex digits"},
    {"\\x (esc)", NULL, 0, "two hex digits"},
    {"\\xg0 (esc)", NULL, 0, "two hex digits"},
};

#define N(a) (sizeof a / sizeof *a)

/* Returns 1 if escaped line e[0..n) (suffix included) holds nothing that
 * would need escaping again: a 'z' in place of the suffix hides only the
 * reserved suffixes an escaped line may end in. */
static int S_clean(const char *e, size_t n)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_add(&b, e, n - 6);
    galley__buf_putc(&b, 'z');
    int clean = !galley__line_needs_escape(b.ptr, b.len);
    galley__buf_fini(&b);
    return clean;
}

static void S_needs(void)
{
    for (size_t i = 0; i < N(needs_cases); i++) {
        const needs_case *c = &needs_cases[i];
        unit_context(c->line);
        CHECK_INT(galley__line_needs_escape(c->line, c->len), c->needs);
    }
    unit_context(NULL);
}

static void S_escape(void)
{
    for (size_t i = 0; i < N(esc_cases); i++) {
        const esc_case *c = &esc_cases[i];
        galley__buf b;
        galley__buf_init(&b);
        galley__buf_puts(&b, "<");
        galley__escape_line(&b, c->line, c->len);
        unit_context(c->escaped);
        CHECK_MEM(b.ptr + 1, b.len - 1, c->escaped, strlen(c->escaped));
        CHECK(b.ptr[0] == '<');
        CHECK(galley__line_is_escaped(b.ptr + 1, b.len - 1));
        CHECK(S_clean(b.ptr + 1, b.len - 1));
        galley__buf_fini(&b);
    }
    unit_context(NULL);
}

/* Decodes one case after a prefix, checking that errors leave out alone. */
static void S_unescape_case(const unesc_case *c)
{
    galley__buf b;
    const char *msg = NULL;
    galley__buf_init(&b);
    galley__buf_puts(&b, "<");
    int rc = galley__unescape_line(&b, c->line, strlen(c->line), &msg);
    unit_context(c->line);
    if (c->want) {
        CHECK_INT(rc, 0);
        CHECK_MEM(b.ptr, 1, "<", 1);
        CHECK_MEM(b.ptr + 1, b.len - 1, c->want, c->want_len);
    } else {
        CHECK_INT(rc, -1);
        CHECK(msg && strstr(msg, c->err));
        CHECK_MEM(b.ptr, b.len, "<", 1);
    }
    galley__buf_fini(&b);
}

static void S_unescape(void)
{
    for (size_t i = 0; i < N(unesc_cases); i++)
        S_unescape_case(&unesc_cases[i]);
    unit_context(NULL);
    CHECK(galley__line_is_escaped(L("a (esc)")));
    CHECK(!galley__line_is_escaped(L("a (esc) ")));
    CHECK(!galley__line_is_escaped(L("a(esc)")));
    CHECK(!galley__line_is_escaped(L("(esc)")));
}

/* Returns a random byte, biased toward the ones escapes care about. */
static char S_byte(unsigned *seed)
{
    static const char pick[] = "\\\t\r*/ (esc)x\x01\x7f\xc3\xa9\xe2\x82\xac"
                               "\xed\xa0\xf4\x90\xff\xc0";
    unsigned r = unit_rand(seed);
    if (r % 4 == 0)
        return (char)(r >> 8);
    return pick[(r >> 8) % (sizeof pick - 1)];
}

/* unescape(escape(L)) == L for random lines L without a newline, and what
 * escape writes never needs escaping again before its suffix. */
static void S_round_trip(void)
{
    unsigned seed = 12345;
    int bad = 0;
    for (int n = 0; n < 20000; n++) {
        char line[64];
        size_t len = unit_rand(&seed) % sizeof line;
        for (size_t i = 0; i < len; i++)
            while ((line[i] = S_byte(&seed)) == '\n')
                ;
        galley__buf e, d;
        galley__buf_init(&e);
        galley__buf_init(&d);
        galley__escape_line(&e, line, len);
        const char *msg = NULL;
        int rc = galley__unescape_line(&d, e.ptr, e.len, &msg);
        bad += rc != 0 || d.len != len || memcmp(d.ptr, line, len) != 0;
        bad += !S_clean(e.ptr, e.len);
        galley__buf_fini(&e);
        galley__buf_fini(&d);
    }
    CHECK_INT(bad, 0);
}

void test_escape(void)
{
    S_needs();
    S_escape();
    S_unescape();
    S_round_trip();
}
