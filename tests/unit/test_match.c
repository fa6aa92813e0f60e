/* test_match.c: unit tests of pattern lines: kinds from suffixes, " (re)"
 * lines matching whole lines through PCRE2 (errors, UTF-8, the cache, a
 * catastrophic pattern), and " (glob)" lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runner/match.h"
#include "harness.h"

#define L(s) s, sizeof s - 1
#define N(a) (sizeof a / sizeof *a)

/* An expected line and its kind. */
typedef struct kind_case {
    const char *line;
    size_t len;
    galley__line_kind kind;
} kind_case;

static const kind_case kind_cases[] = {
    {L(""), GALLEY__LINE_TEXT},
    {L("plain"), GALLEY__LINE_TEXT},
    {L("a (re)"), GALLEY__LINE_RE},
    {L(" (re)"), GALLEY__LINE_RE},
    {L("(re)"), GALLEY__LINE_TEXT},
    {L("a(re)"), GALLEY__LINE_TEXT},
    {L("a (re) "), GALLEY__LINE_TEXT},
    {L("a (RE)"), GALLEY__LINE_TEXT},
    {L("a (glob)"), GALLEY__LINE_GLOB},
    {L(" (glob)"), GALLEY__LINE_GLOB},
    {L("(glob)"), GALLEY__LINE_TEXT},
    {L("a (glob) x"), GALLEY__LINE_TEXT},
    {L("a (esc)"), GALLEY__LINE_TEXT},
    {L("a (re) (glob)"), GALLEY__LINE_GLOB},
    {L("a (glob) (re)"), GALLEY__LINE_RE},
};

/* A pattern line (suffix included), an actual line, and the answer: 1, 0,
 * or -1 for an error whose message holds err. */
typedef struct match_case {
    const char *pat;
    const char *line;
    size_t len;
    int want;
    const char *err;
} match_case;

static const match_case re_cases[] = {
    {"abc (re)", L("abc"), 1, NULL},
    {"abc (re)", L("abcd"), 0, NULL},
    {"abc (re)", L("xabc"), 0, NULL},
    {"b (re)", L("abc"), 0, NULL},
    {"a.c (re)", L("abc"), 1, NULL},
    {"a.c (re)", L("a\nc"), 0, NULL},
    {"\\d+ tests? in [0-9.]+s (re)", L("12 tests in 0.5s"), 1, NULL},
    {"\\d+ tests? in [0-9.]+s (re)", L("12 tests in 0.5s!"), 0, NULL},
    {"^abc$ (re)", L("abc"), 1, NULL},
    {"a|b (re)", L("a"), 1, NULL},
    {"a|b (re)", L("b"), 1, NULL},
    {"a|b (re)", L("ab"), 0, NULL},
    {"a|bc (re)", L("abc"), 0, NULL},
    {".* (re)", L(""), 1, NULL},
    {".* (re)", L("anything at all"), 1, NULL},
    {" (re)", L(""), 1, NULL},
    {" (re)", L("x"), 0, NULL},
    {"caf. (re)", L("caf\xc3\xa9"), 1, NULL},
    {"caf.. (re)", L("caf\xc3\xa9"), 0, NULL},
    {"\xe2\x82\xac\\d+ (re)", L("\xe2\x82\xac" "42"), 1, NULL},
    {"caf.* (re)", L("caf\xe9 latin1"), 1, NULL},
    {"bad .* bytes (re)", L("bad \xff\xfe\xc3 bytes"), 1, NULL},
    {"x (re)", L("\xff"), 0, NULL},
    {".* (re)", L("\xff"), 1, NULL},
    {". (re)", L("\xff"), 1, NULL},
    {"caf\\xe9 latin1 (re)", L("caf\xe9 latin1"), 1, NULL},
    {"caf\\xe9 (re)", L("caf\xc3\xa9"), 1, NULL},
    {"caf\\xe9 (re)", L("caf\xc3\xa9\xff"), 0, NULL},
    {"x .* (re)", L("x \xc3\xa9 \xff"), 1, NULL},
    {"\\x{20ac} (re)", L("\xe2\x82\xac"), 1, NULL},
    {"\\x{20ac}.* (re)", L("\xe2\x82\xac\xff"), 0, NULL},
    {"\\x{20ac}.*\\d (re)", L("\xe2\x82\xac" "9"), 1, NULL},
    {"a\\x00b (re)", L("a\0b"), 1, NULL},
    {"(a (re)", L("a"), -1, "bad (re) pattern: missing closing parenthesis"},
    {"a[ (re)", L("a"), -1, "bad (re) pattern: missing terminating ]"},
    {"*a (re)", L("a"), -1, "at offset 0"},
    {"a{2,1} (re)", L("aa"), -1, "bad (re) pattern: "},
    {"plain", L("plain"), 1, NULL},
    {"plain", L("plain "), 0, NULL},
    {"", L(""), 1, NULL},
    {"a.c", L("abc"), 0, NULL},
};

static const match_case glob_cases[] = {
    {"abc (glob)", L("abc"), 1, NULL},
    {"abc (glob)", L("abcd"), 0, NULL},
    {"abc (glob)", L("xabc"), 0, NULL},
    {" (glob)", L(""), 1, NULL},
    {" (glob)", L("x"), 0, NULL},
    {"* (glob)", L(""), 1, NULL},
    {"* (glob)", L("anything"), 1, NULL},
    {"** (glob)", L("x"), 1, NULL},
    {"a* (glob)", L("a"), 1, NULL},
    {"a* (glob)", L("abc"), 1, NULL},
    {"a* (glob)", L("ba"), 0, NULL},
    {"*c (glob)", L("abc"), 1, NULL},
    {"*c (glob)", L("abcd"), 0, NULL},
    {"a*b*c (glob)", L("abc"), 1, NULL},
    {"a*b*c (glob)", L("axxbyyc"), 1, NULL},
    {"a*b*c (glob)", L("abbbcbc"), 1, NULL},
    {"a*b*c (glob)", L("acb"), 0, NULL},
    {"a*b*c (glob)", L("abcb"), 0, NULL},
    {"*ab*ab* (glob)", L("aabaab"), 1, NULL},
    {"*aab (glob)", L("aaaab"), 1, NULL},
    {"? (glob)", L("x"), 1, NULL},
    {"? (glob)", L(""), 0, NULL},
    {"? (glob)", L("xy"), 0, NULL},
    {"a?c (glob)", L("abc"), 1, NULL},
    {"a?c (glob)", L("ac"), 0, NULL},
    {"? (glob)", L("\xc3\xa9"), 1, NULL},
    {"? (glob)", L("\xe2\x82\xac"), 1, NULL},
    {"? (glob)", L("\xf0\x9f\x98\x80"), 1, NULL},
    {"?? (glob)", L("\xe2\x82\xac"), 0, NULL},
    {"*?? (glob)", L("\xe2\x82\xac"), 0, NULL},
    {"*?? (glob)", L("a\xe2\x82\xac"), 1, NULL},
    {"caf? (glob)", L("caf\xc3\xa9"), 1, NULL},
    {"? (glob)", L("\xff"), 1, NULL},
    {"?? (glob)", L("\xc3\x41"), 1, NULL},
    {"? (glob)", L("\xe2\x82"), 0, NULL},
    {"?? (glob)", L("\xe2\x82"), 1, NULL},
    {"a\\*b (glob)", L("a*b"), 1, NULL},
    {"a\\*b (glob)", L("axb"), 0, NULL},
    {"a\\?b (glob)", L("a?b"), 1, NULL},
    {"a\\?b (glob)", L("axb"), 0, NULL},
    {"a\\\\b (glob)", L("a\\b"), 1, NULL},
    {"a\\\\b (glob)", L("a\\\\b"), 0, NULL},
    {"a\\nb (glob)", L("a\\nb"), 1, NULL},
    {"end\\ (glob)", L("end\\"), 1, NULL},
    {"[a] (glob)", L("[a]"), 1, NULL},
    {"[a] (glob)", L("a"), 0, NULL},
    {"a.c (glob)", L("abc"), 0, NULL},
    {"took * ms (glob)", L("took 12.5 ms"), 1, NULL},
    {"0x* (glob)", L("0x7ffd1234"), 1, NULL},
};

/* Checks one case against the cache p; errors must come with a message. */
static void S_match_case(galley__patterns *p, const match_case *c)
{
    char *err = NULL;
    unit_context(c->pat);
    int rc = galley__line_matches(p, c->pat, strlen(c->pat), c->line, c->len,
                                 &err);
    CHECK_INT(rc, c->want);
    if (c->want < 0)
        CHECK(err && strstr(err, c->err));
    else
        CHECK(err == NULL);
    free(err);
}

static void S_kinds(void)
{
    for (size_t i = 0; i < N(kind_cases); i++) {
        unit_context(kind_cases[i].line);
        CHECK_INT(galley__line_kind_of(kind_cases[i].line, kind_cases[i].len),
                  kind_cases[i].kind);
    }
    unit_context(NULL);
}

/* Runs the tables twice on one cache: the second pass finds every pattern
 * (and every error) compiled already, with the same answers. */
static void S_tables(void)
{
    galley__patterns *p = galley__patterns_new();
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < N(re_cases); i++)
            S_match_case(p, &re_cases[i]);
        for (size_t i = 0; i < N(glob_cases); i++)
            S_match_case(p, &glob_cases[i]);
    }
    unit_context(NULL);
    galley__patterns_free(p);
}

/* The exact message of a bad pattern: PCRE2's words and its offset. */
static void S_message(void)
{
    galley__patterns *p = galley__patterns_new();
    char *err = NULL;
    CHECK_INT(galley__line_matches(p, L("(a (re)"), L("a"), &err), -1);
    CHECK_STR(err, "bad (re) pattern: missing closing parenthesis at offset 2");
    free(err);
    galley__patterns_free(p);
}

/* Many distinct patterns (the table grows) and one pattern a million times
 * (it compiles once; how long that takes is bench/'s to say, not a test's:
 * the suite runs on loaded machines and under sanitizers). */
static void S_cache(void)
{
    galley__patterns *p = galley__patterns_new();
    char pat[64], line[64];
    int ok = 1;
    for (int i = 0; i < 500; i++) {
        int n = snprintf(pat, sizeof pat, "n=%d\\d* (re)", i);
        int m = snprintf(line, sizeof line, "n=%d7", i);
        ok &= galley__line_matches(p, pat, (size_t)n, line, (size_t)m, NULL) ==
              1;
        ok &= galley__line_matches(p, pat, (size_t)n, "n=", 2, NULL) == 0;
    }
    CHECK(ok);
    for (int i = 0; i < 1000000 && ok; i++)
        ok = galley__line_matches(p, L("item \\d+: (ok|fail) (re)"),
                                 L("item 123456: ok"), NULL) == 1;
    CHECK(ok);
    galley__patterns_free(p);
}

/* Catastrophic backtracking ends: either PCRE2 sees the match is
 * impossible, or the match limit stops it with an error (a hang would stop
 * the suite; no duration is asserted). */
static void S_pathological(void)
{
    galley__patterns *p = galley__patterns_new();
    char line[64];
    memset(line, 'a', 30);
    line[30] = 'c';
    char *err = NULL;
    CHECK_INT(galley__line_matches(p, L("(a+)+b (re)"), line, 30, &err), 0);
    CHECK(err == NULL);
    int rc = galley__line_matches(p, L("(a+)+[bd] (re)"), line, 31, &err);
    CHECK(rc == 0 || rc == -1);
    if (rc < 0)
        CHECK(err && strstr(err, "limit"));
    free(err);
    err = NULL;
    rc = galley__line_matches(p, L("(a|aa)+$ (re)"), line, 30, &err);
    CHECK(rc == 1);
    free(err);
    galley__patterns_free(p);
}

/* A glob with many stars against a long line: both answers right (a
 * matcher that backtracks exponentially would hang the suite here). */
static void S_glob_stars(void)
{
    galley__patterns *p = galley__patterns_new();
    char line[20001];
    memset(line, 'a', 20000);
    line[20000] = 'b';
    CHECK_INT(galley__line_matches(p, L("*a*a*a*a*a*a*a*a*c (glob)"), line,
                                  sizeof line, NULL),
              0);
    CHECK_INT(galley__line_matches(p, L("*a*a*a*a*a*a*a*a*b (glob)"), line,
                                  sizeof line, NULL),
              1);
    galley__patterns_free(p);
}

void test_match(void)
{
    S_kinds();
    S_tables();
    S_message();
    S_cache();
    S_pathological();
    S_glob_stars();
}
