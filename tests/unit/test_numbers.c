/* test_numbers.c: unit tests of the number tokenizer (what is a number and
 * what stays text), the values it reads (checked against strtod), the
 * comparison with a tolerance and the "same shape" test of two lines. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runner/numbers.h"
#include "../../source/util.h"
#include "harness.h"

/* Declared here, not in harness.h, which other modules edit meanwhile. */
void test_numbers(void);

#define L(s) s, sizeof s - 1
#define N(a) (sizeof a / sizeof *a)

/* ---- the tokenizer ---- */

/* A line (bytes, NULs allowed) and the numbers found in it, as their
 * texts joined by '|' ("" for none). */
typedef struct scan_case {
    const char *line;
    size_t len;
    const char *want;
} scan_case;

static const scan_case scan_cases[] = {
    {L(""), ""},
    {L("     "), ""},
    {L("\t \t"), ""},
    {L("42"), "42"},
    {L("a 1 2 3"), "1|2|3"},
    {L("007"), "007"},
    /* Signs: part of the number unless a letter, digit, '_' or '.' is
     * right before the sign; the digits after such a sign still count. */
    {L("x=-1.5"), "-1.5"},
    {L("a -1"), "-1"},
    {L("a-1"), "1"},
    {L("utf-8"), "8"},
    {L("a - 1"), "1"},
    {L("[-1, +2]"), "-1|+2"},
    {L("(-3)"), "-3"},
    {L("\t-7\t"), "-7"},
    {L("1.5 -2.25 +0.5"), "1.5|-2.25|+0.5"},
    {L("--5"), "-5"},
    {L("+-5"), "-5"},
    {L("0.1+0.2"), "0.1|0.2"},
    {L("5 - 3"), "5|3"},
    {L("-"), ""},
    {L("- +"), ""},
    /* Decimals: a fraction alone, a trailing dot. */
    {L("3.14"), "3.14"},
    {L(".5"), ".5"},
    {L("-.5"), "-.5"},
    {L("5."), "5."},
    {L("x = 5."), "5."},
    {L("is 1.5."), "1.5"},
    {L("1..."), "1."},
    {L("."), ""},
    {L("..."), ""},
    {L("+."), ""},
    {L("$3.50 50%"), "3.50|50"},
    /* Exponents need digits; "1e" glued to letters is text. */
    {L("1e5"), "1e5"},
    {L("1E-05"), "1E-05"},
    {L("2.5e+300"), "2.5e+300"},
    {L("+.5e-3"), "+.5e-3"},
    {L("1.e5"), "1.e5"},
    {L("1em"), ""},
    {L("1e"), ""},
    {L("1e+"), ""},
    {L("1e+x"), ""},
    {L("1.5e3px"), ""},
    {L("1e5e5"), ""},
    {L("x=1e5y"), ""},
    {L("1e400 1e-400 4.9e-324"), "1e400|1e-400|4.9e-324"},
    /* inf, infinity and nan in any case, with a sign; not inside words. */
    {L("inf -inf Infinity nan -nan NaN INF +inf"),
     "inf|-inf|Infinity|nan|-nan|NaN|INF|+inf"},
    {L("-INFINITY"), "-INFINITY"},
    {L("nan(0x7ff)"), "nan"},
    {L("info nanny inflation infinit"), ""},
    {L("in n i"), ""},
    {L("xnan _inf 1nan"), ""},
    /* Glued to words: identifiers, versions, hex, ordinals. */
    {L("x1"), ""},
    {L("_1 1_000 x_1"), ""},
    {L("v2.3.1"), ""},
    {L("1.0.0"), ""},
    {L("0x1f"), ""},
    {L("1st"), ""},
    {L("a.5"), ""},
    {L("x86-64"), ""},
    {L("T=300K"), ""},
    {L("1..10"), ""},
    /* A candidate glued to something is skipped whole: "5.3" is not
     * found inside "1e-5.3". */
    {L("1e-5.3"), ""},
    /* Dates, times, ratios. */
    {L("2024-01-02"), ""},
    {L("12:30:05"), ""},
    {L("12:30"), ""},
    {L("1/2"), ""},
    {L("ratio 3:4 and 1-2"), ""},
    {L("1--2"), "1"}, /* "1-" is no date: "-2" is, after "1-" */
    {L("1-x"), "1"},
    {L("loss:0.5"), "0.5"},
    {L("1: a"), "1"},
    {L("on 2024-01-02 at 12:30 took 1.5 s"), "1.5"},
    /* Separators. */
    {L("3.14,2.71"), "3.14|2.71"},
    {L("1;2"), "1|2"},
    {L("1,000,000"), "1|000|000"},
    {L("1\0 2"), "1|2"},
    /* Only ASCII letters glue: a byte >= 0x80 is like punctuation, so
     * "3\xc2\xb5s" (3 microseconds, UTF-8) holds the number 3. */
    {L("\xc2\xb5=3"), "3"},
    {L("3\xc2\xb5s"), "3"},
    {L("\xff" "1\xfe"), "1"},
};

/* Returns the numbers ns of line as their texts joined by '|' (heap; the
 * caller frees it). */
static char *S_tokens(const char *line, const galley__nums *ns)
{
    galley__buf b;
    galley__buf_init(&b);
    for (size_t k = 0; k < ns->n; k++) {
        if (k)
            galley__buf_putc(&b, '|');
        galley__buf_add(&b, line + ns->v[k].start, ns->v[k].len);
    }
    return b.ptr ? galley__buf_detach(&b, NULL) : galley__xstrdup("");
}

/* Scans a heap copy of exactly len bytes, so ASan sees any read past it. */
static void S_scan_exact(galley__nums *ns, const char *line, size_t len)
{
    char *copy = galley__xmalloc(len ? len : 1);
    memcpy(copy, line, len);
    galley__nums_scan(ns, copy, len);
    free(copy);
}

static void S_scan_cases(void)
{
    galley__nums ns = {0};
    for (size_t i = 0; i < N(scan_cases); i++) {
        const scan_case *c = &scan_cases[i];
        unit_context(c->line);
        galley__nums_scan(&ns, c->line, c->len);
        char *got = S_tokens(c->line, &ns);
        CHECK_STR(got, c->want);
        free(got);
        /* Every prefix, in a buffer of its exact size. */
        for (size_t k = 0; k < c->len; k++)
            S_scan_exact(&ns, c->line, k);
    }
    unit_context(NULL);
    /* A scan replaces what the list held. */
    galley__nums_scan(&ns, L("1 2 3"));
    CHECK_INT(ns.n, 3);
    galley__nums_scan(&ns, L("4"));
    CHECK_INT(ns.n, 1);
    CHECK_INT(ns.v[0].start, 0);
    galley__nums_scan(&ns, L("none"));
    CHECK_INT(ns.n, 0);
    galley__nums_fini(&ns);
    CHECK(ns.v == NULL && ns.n == 0 && ns.cap == 0);
}

/* Many numbers on one line: the list grows; positions are right. */
static void S_many(void)
{
    galley__buf b;
    galley__nums ns = {0};
    galley__buf_init(&b);
    for (int i = 0; i < 1000; i++)
        galley__buf_printf(&b, "%s%d.5", i ? ", " : "", i);
    galley__nums_scan(&ns, b.ptr, b.len);
    CHECK_INT(ns.n, 1000);
    int bad = 0;
    for (size_t k = 0; k < ns.n; k++)
        bad += ns.v[k].value != (double)k + 0.5;
    CHECK_INT(bad, 0);
    CHECK_INT(ns.v[999].start + ns.v[999].len, b.len);
    galley__nums_fini(&ns);
    galley__buf_fini(&b);
}

/* ---- values ---- */

/* A line holding one number, its value and whether it overflowed. */
typedef struct value_case {
    const char *line;
    double value;
    int overflow;
} value_case;

static const value_case value_cases[] = {
    {"0", 0.0, 0},
    {"-0", -0.0, 0},
    {"-0.0e5", -0.0, 0},
    {"+2", 2.0, 0},
    {"0.1", 0.1, 0},
    {"1.", 1.0, 0},
    {".5", 0.5, 0},
    {"007", 7.0, 0},
    {"1E-05", 1e-5, 0},
    {"2.5e+300", 2.5e300, 0},
    {"-3.25e-2", -0.0325, 0},
    {"0.10000000000000001", 0.1, 0},
    {"3.141592653589793", 3.141592653589793, 0},
    {"1.7976931348623157e308", DBL_MAX, 0},
    {"2.2250738585072014e-308", DBL_MIN, 0},
    {"123456789012345678901234567890", 1.2345678901234568e29, 0},
    {"0.000000000000000000000000000001", 1e-30, 0},
    {"0e999999999999", 0.0, 0},
    /* Ties round to even. */
    {"9007199254740993", 9007199254740992.0, 0},
    {"9007199254740995", 9007199254740996.0, 0},
    /* Denormals and underflow: not an overflow. */
    {"4.9e-324", 4.9e-324, 0},
    {"2.5e-320", 2.5e-320, 0},
    {"1e-400", 0.0, 0},
    {"-1e-400", -0.0, 0},
    /* Too big for a double: the value is strtod's infinity, overflow set. */
    {"1e400", INFINITY, 1},
    {"-1e400", -INFINITY, 1},
    {"1.7976931348623159e308", INFINITY, 1},
    {"1e99999999999999999999", INFINITY, 1},
    /* inf and nan are values, never an overflow. */
    {"inf", INFINITY, 0},
    {"-Infinity", -INFINITY, 0},
    {"+INF", INFINITY, 0},
    {"nan", NAN, 0},
    {"-nan", -NAN, 0},
    {"NaN", NAN, 0},
};

/* Returns 1 if x and y are the same double: same bits, or both nan with
 * the same sign. */
static int S_same_double(double x, double y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) && isnan(y) && !signbit(x) == !signbit(y);
    return memcmp(&x, &y, sizeof x) == 0;
}

/* Scans line and checks it holds exactly one number, all of it; returns
 * that number (zeroed if not). */
static galley__num S_one(const char *line)
{
    galley__nums ns = {0};
    galley__num num = {0};
    size_t len = strlen(line);
    galley__nums_scan(&ns, line, len);
    CHECK(ns.n == 1 && ns.v[0].start == 0 && ns.v[0].len == len);
    if (ns.n == 1)
        num = ns.v[0];
    galley__nums_fini(&ns);
    return num;
}

static void S_value_cases(void)
{
    for (size_t i = 0; i < N(value_cases); i++) {
        const value_case *c = &value_cases[i];
        unit_context(c->line);
        galley__num num = S_one(c->line);
        CHECK(S_same_double(num.value, c->value));
        CHECK_INT(num.overflow, c->overflow);
    }
    unit_context(NULL);
}

/* Digit strings longer than any double: 400 digits overflow; a long
 * fraction does not. */
static void S_long_digits(void)
{
    char big[402];
    memset(big, '9', 400);
    big[400] = '\0';
    unit_context("400 digits");
    galley__num num = S_one(big);
    CHECK(num.overflow == 1 && isinf(num.value) && num.value > 0);
    big[0] = '-';
    num = S_one(big);
    CHECK(num.overflow == 1 && isinf(num.value) && num.value < 0);
    memset(big, '0', 401);
    big[1] = '.';
    big[400] = '1';
    big[401] = '\0';
    unit_context("0.000...1");
    num = S_one(big);
    CHECK(num.overflow == 0 && num.value == strtod(big, NULL));
    unit_context(NULL);
}

/* Returns the next pseudo-random 64 bits. */
static uint64_t S_rand64(unsigned *seed)
{
    uint64_t hi = unit_rand(seed);
    return hi << 32 | unit_rand(seed);
}

/* Returns a random finite double: any bit pattern, or a decimal-looking
 * value of random magnitude (what programs print). */
static double S_random_double(unsigned *seed)
{
    if (unit_rand(seed) % 2) {
        uint64_t bits = S_rand64(seed);
        double d;
        memcpy(&d, &bits, sizeof d);
        return isfinite(d) ? d : 1.0;
    }
    double m = (double)(S_rand64(seed) >> 11) / 9007199254740992.0;
    int e = (int)(unit_rand(seed) % 61) - 30;
    for (; e > 0; e--)
        m *= 10;
    for (; e < 0; e++)
        m /= 10;
    return unit_rand(seed) % 2 ? -m : m;
}

/* Checks that the number printed in text reads as strtod reads it;
 * returns 0 (and reports the first) if not. */
static int S_agrees(const char *text, int *reported)
{
    galley__nums ns = {0};
    size_t len = strlen(text);
    galley__nums_scan(&ns, text, len);
    int ok = ns.n == 1 && ns.v[0].len == len &&
             S_same_double(ns.v[0].value, strtod(text, NULL));
    galley__nums_fini(&ns);
    if (!ok && !(*reported)++) {
        unit_context(text);
        CHECK(!"value differs from strtod");
        unit_context(NULL);
    }
    return ok;
}

/* The fast paths against strtod, over printf's usual formats. */
static void S_strtod_agrees(void)
{
    static const char *const fmts[] = {"%.*g", "%.*e", "%.*f"};
    unsigned seed = 7;
    int bad = 0, reported = 0;
    char text[512];
    for (int i = 0; i < 60000; i++) {
        double d = S_random_double(&seed);
        int f = (int)(unit_rand(&seed) % N(fmts));
        int prec = (int)(unit_rand(&seed) % (f == 2 ? 25 : 19));
        snprintf(text, sizeof text, fmts[f], prec, d);
        bad += !S_agrees(text, &reported);
    }
    CHECK_INT(bad, 0);
}

/* Decimals exactly halfway between two doubles (and next to halfway),
 * where a fast path that rounds twice would go wrong. */
static void S_halfway(void)
{
    unsigned seed = 11;
    int bad = 0, reported = 0;
    char text[64];
    for (int i = 0; i < 20000; i++) {
        /* Integers in [2^53, 2^64): the halfway point is an integer. */
        /* A double u of 54 + shift bits: its ulp is 2^(shift + 1). */
        int shift = (int)(unit_rand(&seed) % 11);
        uint64_t u = S_rand64(&seed) >> (10 - shift) | 1ull << (53 + shift);
        u &= ~((2ull << shift) - 1);
        uint64_t mid = u + (1ull << shift);
        for (int off = -1; off <= 1; off++) {
            snprintf(text, sizeof text, "%llu", (unsigned long long)(mid + off));
            bad += !S_agrees(text, &reported);
        }
        /* The same digits with the point moved: n / 10^k. */
        int k = (int)(unit_rand(&seed) % 28);
        snprintf(text, sizeof text, "%llue-%d", (unsigned long long)mid, k);
        bad += !S_agrees(text, &reported);
    }
    CHECK_INT(bad, 0);
}

/* ---- random lines: invariants, and no read past the end (ASan) ---- */

/* Checks the numbers of one line: in order, inside it, and each one,
 * scanned alone, the same number. Returns the count of failures. */
static int S_line_invariants(const char *line, size_t len,
                             const galley__nums *ns)
{
    int bad = 0;
    size_t prev_end = 0;
    galley__nums one = {0};
    for (size_t k = 0; k < ns->n; k++) {
        const galley__num *num = &ns->v[k];
        bad += num->len == 0 || num->start < prev_end ||
               num->start + num->len > len;
        prev_end = num->start + num->len;
        S_scan_exact(&one, line + num->start, num->len);
        bad += one.n != 1 || one.v[0].len != num->len ||
               !S_same_double(one.v[0].value, num->value) ||
               one.v[0].overflow != num->overflow;
        bad += !galley__num_close(num, line + num->start, num,
                                 line + num->start, 0, 0);
    }
    bad += !galley__nums_same_shape(line, len, ns, line, len, ns);
    galley__nums_fini(&one);
    return bad;
}

static void S_random_lines(void)
{
    static const char *const bits[] = {
        "0", "1", "9", "12", ".", "-", "+", "e", "E", "e-", "inf", "nan",
        "Infinity", "x", "_", ":", "/", ",", " ", "  ", "\xc2\xb5", "\xff",
        "1e400", "\0", "2024-01-02", "1.5", "-.5", "n", "i",
    };
    unsigned seed = 99;
    int bad = 0;
    galley__buf line;
    galley__nums ns = {0};
    galley__buf_init(&line);
    for (int i = 0; i < 20000; i++) {
        line.len = 0;
        size_t n = unit_rand(&seed) % 16;
        for (size_t k = 0; k < n; k++) {
            const char *b = bits[unit_rand(&seed) % N(bits)];
            galley__buf_add(&line, b, *b ? strlen(b) : 1);
        }
        char *copy = galley__xmalloc(line.len ? line.len : 1);
        memcpy(copy, line.ptr ? line.ptr : "", line.len);
        galley__nums_scan(&ns, copy, line.len);
        bad += S_line_invariants(copy, line.len, &ns);
        free(copy);
    }
    CHECK_INT(bad, 0);
    galley__nums_fini(&ns);
    galley__buf_fini(&line);
}

/* ---- comparison ---- */

/* Actual and expected (one number each), tolerances, and the verdict. */
typedef struct close_case {
    const char *a, *e;
    double rtol, atol;
    int want;
} close_case;

static const close_case close_cases[] = {
    /* rtol: |a - e| <= rtol * |e|, the boundary included. */
    {"101", "100", 0.01, 0, 1},
    {"99", "100", 0.01, 0, 1},
    {"101.0001", "100", 0.01, 0, 0},
    {"98.9999", "100", 0.01, 0, 0},
    {"-101", "-100", 0.01, 0, 1},
    {"101", "-100", 0.01, 0, 0},
    {"1.0000001", "1", 1e-6, 0, 1},
    {"1.000002", "1", 1e-6, 0, 0},
    /* Expected is the reference: the test is not symmetric. */
    {"100", "99", 0.01, 0, 0},
    {"99", "100", 0.01, 0, 1},
    /* atol: what matters near zero. */
    {"1e-9", "0", 0, 1e-8, 1},
    {"-1e-8", "0", 0, 1e-8, 1},
    {"2e-8", "0", 0, 1e-8, 0},
    {"0.5", "1e-12", 0, 1e-8, 0},
    {"1.5", "1", 0.25, 0.25, 1},
    {"1.51", "1", 0.25, 0.25, 0},
    /* Expected 0 with rtol only: only zeros match. */
    {"1e-300", "0", 0.5, 0, 0},
    {"4.9e-324", "0", 0.5, 0, 0},
    {"0.0", "0", 0.5, 0, 1},
    {"-0", "0", 0, 0, 1},
    {"0", "-0.0", 0, 0, 1},
    /* Tolerance 0: equal values only, whatever the text. */
    {"3.14", "3.14", 0, 0, 1},
    {"1.0", "1", 0, 0, 1},
    {"+1", "1", 0, 0, 1},
    {"1e2", "100", 0, 0, 1},
    {"0.1", "0.10000000000000001", 0, 0, 1},
    {"1.00", "1.01", 0, 0, 0},
    {"1.0000000000000002", "1", 0, 0, 0},
    /* nan matches nan, whatever its sign or case, and nothing else. */
    {"nan", "nan", 0, 0, 1},
    {"-nan", "nan", 0, 0, 1},
    {"NaN", "-nan", 0, 0, 1},
    {"nan", "1", 1, 1, 0},
    {"1", "nan", 1, 1, 0},
    {"nan", "inf", 1, 1, 0},
    {"inf", "nan", 1, 1, 0},
    /* An infinity matches only the same infinity. */
    {"inf", "inf", 0, 0, 1},
    {"Infinity", "inf", 0, 0, 1},
    {"-INF", "-infinity", 0, 0, 1},
    {"-inf", "inf", 1, 1, 0},
    {"inf", "1e308", 1, 1, 0},
    {"1e308", "inf", 1, 1, 0},
    /* An overflowed number matches only its own text. */
    {"1e400", "1e400", 0, 0, 1},
    {"1e401", "1e400", 1, 1, 0},
    {"1e400", "1E400", 1, 1, 0},
    {"1e400", "inf", 1, 1, 0},
    {"inf", "1e400", 1, 1, 0},
    {"1e308", "1e400", 1, 1, 0},
    {"1e400", "1e308", 1, 1, 0},
    /* Huge values: no overflow in the test itself. */
    {"-1.7e308", "1.7e308", 1, 0, 0},
    {"1.7e308", "1.69e308", 0.01, 0, 1},
};

static void S_close_cases(void)
{
    char what[128];
    for (size_t i = 0; i < N(close_cases); i++) {
        const close_case *c = &close_cases[i];
        snprintf(what, sizeof what, "a=%s e=%s rtol=%g atol=%g", c->a, c->e,
                 c->rtol, c->atol);
        unit_context(what);
        galley__num a = S_one(c->a), e = S_one(c->e);
        CHECK_INT(galley__num_close(&a, c->a, &e, c->e, c->rtol, c->atol),
                  c->want);
    }
    unit_context(NULL);
}

/* ---- same shape ---- */

typedef struct shape_case {
    const char *a, *e;
    int want;
} shape_case;

static const shape_case shape_cases[] = {
    {"", "", 1},
    {"a", "a", 1},
    {"a", "b", 0},
    {"1", "2", 1},
    {"x = 1.5, y = 2", "x = 1.49, y = 2.0001", 1},
    {"-1", "+1", 1},
    {"1.0", "1", 1},
    {"inf nan", "1 2", 1},
    {"v2.3.1 took 1.5 s", "v2.3.1 took 1.7 s", 1},
    {"x = 1.5", "y = 1.5", 0},
    {"1 x", "1 y", 0},
    {"1 x", "1 xx", 0},
    {"1 2", "1 2 3", 0},
    {"1 2 3", "1 2", 0},
    {"[1, 2]", "[1,2]", 0},
    {"a-1", "a+1", 0},
    {"x1", "x2", 0},
    {"v2.3.1 took 1.5 s", "v2.3.2 took 1.5 s", 0},
    {"1.5s", "1.6s", 0},
    {"time 2024-01-02: 5", "time 2024-01-03: 5", 0},
};

static void S_shape_cases(void)
{
    galley__nums an = {0}, en = {0};
    for (size_t i = 0; i < N(shape_cases); i++) {
        const shape_case *c = &shape_cases[i];
        size_t alen = strlen(c->a), elen = strlen(c->e);
        unit_context(c->a);
        galley__nums_scan(&an, c->a, alen);
        galley__nums_scan(&en, c->e, elen);
        CHECK_INT(galley__nums_same_shape(c->a, alen, &an, c->e, elen, &en),
                  c->want);
        CHECK_INT(galley__nums_same_shape(c->e, elen, &en, c->a, alen, &an),
                  c->want);
    }
    unit_context(NULL);
    galley__nums_fini(&an);
    galley__nums_fini(&en);
}

void test_numbers(void)
{
    S_scan_cases();
    S_many();
    S_value_cases();
    S_long_digits();
    S_strtod_agrees();
    S_halfway();
    S_random_lines();
    S_close_cases();
    S_shape_cases();
}
