/* numbers.c: finds the numbers in a line of output and compares two of
 * them with a tolerance. It runs over whole outputs (megabytes of floats),
 * so printf's usual decimals are read without strtod, exactly. */
#define _GNU_SOURCE
#include "numbers.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../source/util.h"

/* ---- byte classes (ASCII only: a byte >= 0x80 is never a letter) ---- */

enum {
    S_DIG = 1,   /* 0-9 */
    S_WORD = 2,  /* letters, digits, '_': glue a number to a word */
    S_GLUE = 4,  /* S_WORD and '.': no number starts right after one */
    S_SEP = 8,   /* '-', '/', ':' of dates, times and ratios */
    S_START = 16 /* a byte a number can start with */
};

static const unsigned char S_class[256] = {
    ['0' ... '9'] = S_DIG | S_WORD | S_GLUE | S_START,
    /* i and n start inf, infinity and nan. */
    ['a' ... 'h'] = S_WORD | S_GLUE,
    ['i'] = S_WORD | S_GLUE | S_START,
    ['j' ... 'm'] = S_WORD | S_GLUE,
    ['n'] = S_WORD | S_GLUE | S_START,
    ['o' ... 'z'] = S_WORD | S_GLUE,
    ['A' ... 'H'] = S_WORD | S_GLUE,
    ['I'] = S_WORD | S_GLUE | S_START,
    ['J' ... 'M'] = S_WORD | S_GLUE,
    ['N'] = S_WORD | S_GLUE | S_START,
    ['O' ... 'Z'] = S_WORD | S_GLUE,
    ['_'] = S_WORD | S_GLUE,
    ['.'] = S_GLUE | S_START,
    ['+'] = S_START,
    ['-'] = S_SEP | S_START,
    ['/'] = S_SEP,
    [':'] = S_SEP,
};

#define S_IS(c, k) (S_class[(unsigned char)(c)] & (k))

/* ---- the grammar ---- */

/* Returns the end of the run of digits at s[j..len). */
static size_t S_digits_end(const char *s, size_t len, size_t j)
{
    while (j < len && S_IS(s[j], S_DIG))
        j++;
    return j;
}

/* Returns i + strlen(w) if s[i..len) starts with lowercase word w in any
 * case, else i. */
static size_t S_word_end(const char *s, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (len - i < n)
        return i;
    for (size_t k = 0; k < n; k++)
        if ((s[i + k] | 0x20) != w[k])
            return i;
    return i + n;
}

/* Returns the end of inf, infinity or nan at s[i..len) (longest), or i. */
static size_t S_special_end(const char *s, size_t len, size_t i)
{
    size_t j = S_word_end(s, len, i, "infinity");
    if (j == i)
        j = S_word_end(s, len, i, "inf");
    if (j == i)
        j = S_word_end(s, len, i, "nan");
    return j;
}

/* Returns the end of an exponent (e or E, optional sign, digits) at
 * s[j..len), or j when there is none: "1e" and "1e+" end at the 1. */
static size_t S_exponent_end(const char *s, size_t len, size_t j)
{
    if (j >= len || (s[j] | 0x20) != 'e')
        return j;
    size_t k = j + 1;
    if (k < len && (s[k] == '+' || s[k] == '-'))
        k++;
    size_t d = S_digits_end(s, len, k);
    return d > k ? d : j;
}

/* Returns the end of the unsigned number at s[i..len) (i <= len), or i if
 * none starts there; *special is set when it is inf or nan. */
static size_t S_unsigned_end(const char *s, size_t len, size_t i,
                             int *special)
{
    size_t j = S_digits_end(s, len, i);
    *special = 0;
    if (j < len && s[j] == '.') {
        size_t k = S_digits_end(s, len, j + 1);
        if (j == i && k == j + 1)
            return i; /* a dot alone */
        j = k;
    } else if (j == i) {
        j = S_special_end(s, len, i);
        *special = j > i;
        return j;
    }
    return S_exponent_end(s, len, j);
}

/* Returns 1 if the candidate s[start..end) is glued to what follows it
 * (a word, ".digit", a date, time or ratio), or to a date, time or ratio
 * before it. The caller has checked the byte just before it. */
static int S_glued(const char *s, size_t len, size_t start, size_t end)
{
    if (end < len) {
        char c = s[end];
        if (S_IS(c, S_WORD))
            return 1;
        if ((c == '.' || S_IS(c, S_SEP)) && end + 1 < len &&
            S_IS(s[end + 1], S_DIG))
            return 1;
    }
    return start >= 2 && S_IS(s[start - 1], S_SEP) &&
           S_IS(s[start - 2], S_DIG);
}

/* ---- values ---- */

/* A decimal read digit by digit: m * 10^q, while m has at most 19 digits
 * (it then fits a uint64_t); too_long is set past that. */
typedef struct S_decimal {
    uint64_t m;
    int digits, q, too_long;
} S_decimal;

/* Adds one digit c, of the fraction when frac. Leading zeros only move q. */
static void S_add_digit(S_decimal *d, char c, int frac)
{
    if (d->m == 0 && c == '0') {
        /* Saturates, far outside the fast path: a line of a billion
         * zeros must not overflow an int. */
        if (frac && d->q > -1000000)
            d->q--;
    } else if (d->digits == 19) {
        d->too_long = 1;
    } else {
        d->m = d->m * 10 + (uint64_t)(c - '0');
        d->digits++;
        d->q -= frac;
    }
}

/* Reads the digits of tok[0..n), a number of the grammar without its sign.
 * The exponent saturates near a million: there only strtod can tell. */
static void S_read_decimal(S_decimal *d, const char *tok, size_t n)
{
    size_t i = 0;
    int e = 0, eneg = 0;
    for (; i < n && S_IS(tok[i], S_DIG); i++)
        S_add_digit(d, tok[i], 0);
    if (i < n && tok[i] == '.')
        for (i++; i < n && S_IS(tok[i], S_DIG); i++)
            S_add_digit(d, tok[i], 1);
    if (i < n) { /* e or E, then a sign or digits */
        i++;
        eneg = tok[i] == '-';
        i += tok[i] == '-' || tok[i] == '+';
    }
    for (; i < n; i++)
        if (e < 100000)
            e = e * 10 + (tok[i] - '0');
    d->q += eneg ? -e : e;
}

/* 10^k for k <= 22: each exact in a double. */
static const double S_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#if (defined(__x86_64__) || defined(__i386__)) && LDBL_MANT_DIG == 64 && \
    !defined(GALLEY_NUMBERS_NO_X87)
/* 10^k for k <= 27: 5^27 < 2^64, so each is exact in x87's long double. */
static const long double S_pow10l[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};

/* The same as S_exact for up to 19 digits, with x87's long double: m and
 * 10^|q| are exact in it (64-bit mantissa), so one multiply or divide
 * rounds once to r; rounding r again to double is then correct unless r
 * lies exactly halfway between two doubles (its 11 low bits 10000000000):
 * a halfway point strictly between the true value and r would be a long
 * double nearer than r. This makes printf("%.17g") output fast; the
 * results stay normal doubles. */
static int S_exact_x87(uint64_t m, int q, double *out)
{
    if (q < -27 || q > 27)
        return 0;
    long double r = (long double)m;
    r = q < 0 ? r / S_pow10l[-q] : r * S_pow10l[q];
    uint64_t mant;
    memcpy(&mant, &r, sizeof mant); /* x87: the significand comes first */
    if ((mant & 0x7ff) == 0x400)
        return 0;
    *out = (double)r;
    return 1;
}
#else
static int S_exact_x87(uint64_t m, int q, double *out)
{
    (void)m, (void)q, (void)out;
    return 0;
}
#endif

/* Sets *out to m * 10^q correctly rounded and returns 1, or returns 0 when
 * only strtod can tell. First Clinger's fast path: m and 10^|q| exact in a
 * double, one rounding (it needs doubles evaluated as doubles). */
static int S_exact(uint64_t m, int q, double *out)
{
    if (FLT_EVAL_METHOD == 0 && m <= (1ull << 53) && q >= -22 && q <= 22) {
        *out = q < 0 ? (double)m / S_pow10[-q] : (double)m * S_pow10[q];
        return 1;
    }
    return S_exact_x87(m, q, out);
}

/* The "C" locale, made once: strtod reads the locale's decimal point, and
 * galley never calls setlocale but a library it loads might. It lives as
 * long as the process. Returns (locale_t)0 if it cannot be made. */
static locale_t S_c_locale(void)
{
    static locale_t S_loc;
    locale_t l = __atomic_load_n(&S_loc, __ATOMIC_ACQUIRE);
    if (l)
        return l;
    l = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t none = (locale_t)0;
    if (l && !__atomic_compare_exchange_n(&S_loc, &none, l, 0,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        freelocale(l); /* another thread made it first */
        l = none;
    }
    return l;
}

/* strtod on the token tok[0..n) alone, in the "C" locale. */
static double S_strtod(const char *tok, size_t n)
{
    char small[64];
    char *buf = n < sizeof small ? small : galley__xmalloc(n + 1);
    memcpy(buf, tok, n);
    buf[n] = '\0';
    locale_t c = S_c_locale();
    double v = c ? strtod_l(buf, NULL, c) : strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return v;
}

/* Sets num's value (and overflow) from its token tok[0..n). */
static void S_set_value(galley__num *num, const char *tok, size_t n,
                        int special)
{
    int neg = tok[0] == '-';
    size_t sign = neg || tok[0] == '+';
    S_decimal d = {0};
    double v;
    num->overflow = 0;
    if (special) {
        v = (tok[sign] | 0x20) == 'i' ? INFINITY : NAN;
    } else {
        S_read_decimal(&d, tok + sign, n - sign);
        if (d.too_long || !S_exact(d.m, d.q, &v)) {
            v = S_strtod(tok + sign, n - sign);
            num->overflow = isinf(v) != 0;
        }
    }
    num->value = neg ? -v : v;
}

/* ---- the scanner ---- */

/* Frees the list and leaves it empty, ready for another scan. */
void galley__nums_fini(galley__nums *ns)
{
    free(ns->v);
    ns->v = NULL;
    ns->n = ns->cap = 0;
}

/* Appends the number line[start..end) to ns. */
static void S_push(galley__nums *ns, const char *line, size_t start,
                   size_t end, int special)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 16;
        ns->v = galley__xrealloc(ns->v, ns->cap * sizeof *ns->v);
    }
    galley__num *num = &ns->v[ns->n++];
    num->start = start;
    num->len = end - start;
    S_set_value(num, line + start, end - start, special);
}

/* Looks for a number starting at s[i] (a byte of S_START with no S_GLUE
 * byte before it), stores it if it is one, and returns where to go on: a
 * candidate glued to a word or a date is skipped whole, so that no number
 * is found inside it ("1e-5.3" is text, not "5.3"). */
static size_t S_candidate(galley__nums *ns, const char *s, size_t len,
                          size_t i)
{
    /* Here the sign belongs to the number: the byte before is no S_GLUE. */
    size_t body = i + (s[i] == '+' || s[i] == '-');
    int special;
    size_t end = S_unsigned_end(s, len, body, &special);
    if (end == body)
        return i + 1;
    if (!S_glued(s, len, i, end))
        S_push(ns, s, i, end, special);
    return end;
}

/* Tries each byte that can start a number and has no word before it. */
void galley__nums_scan(galley__nums *ns, const char *line, size_t len)
{
    ns->n = 0;
    for (size_t i = 0; i < len;) {
        if (S_IS(line[i], S_START) && (i == 0 || !S_IS(line[i - 1], S_GLUE)))
            i = S_candidate(ns, line, len, i);
        else
            i++;
    }
}

/* ---- comparison ---- */

/* numpy's test, after the cases that the difference cannot decide. */
int galley__num_close(const galley__num *a, const char *at,
                     const galley__num *e, const char *et, double rtol,
                     double atol)
{
    if (a->len == e->len && memcmp(at, et, a->len) == 0)
        return 1;
    if (a->overflow || e->overflow)
        return 0;
    if (isnan(a->value) || isnan(e->value))
        return isnan(a->value) && isnan(e->value);
    if (isinf(a->value) || isinf(e->value))
        return a->value == e->value;
    return fabs(a->value - e->value) <= atol + rtol * fabs(e->value);
}

/* Compares the k-th gap of each line: before the first number, between
 * two, after the last. */
int galley__nums_same_shape(const char *a, size_t alen, const galley__nums *an,
                           const char *e, size_t elen, const galley__nums *en)
{
    if (an->n != en->n)
        return 0;
    size_t ap = 0, ep = 0; /* the ends of the previous numbers */
    for (size_t k = 0; k <= an->n; k++) {
        size_t as = k < an->n ? an->v[k].start : alen;
        size_t es = k < en->n ? en->v[k].start : elen;
        if (as - ap != es - ep ||
            (as > ap && memcmp(a + ap, e + ep, as - ap) != 0))
            return 0;
        if (k < an->n) {
            ap = as + an->v[k].len;
            ep = es + en->v[k].len;
        }
    }
    return 1;
}
