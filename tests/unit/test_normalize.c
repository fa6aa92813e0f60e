/* test_normalize.c: unit tests of the normalization of DESIGN.md and of
 * the expected text read back from a marker's comment, including the
 * invariant that what promote writes reads back as what it normalized. */
#include <string.h>

#include "../../source/escape.h"
#include "../../source/normalize.h"
#include "harness.h"

#define L(s) s, sizeof s - 1
#define N(a) (sizeof a / sizeof *a)

typedef struct norm_case {
    const char *in;
    size_t len;
    const char *want;
    size_t want_len;
} norm_case;

static const norm_case norm_cases[] = {
    {L(""), L("")},
    {L("\n\n"), L("")},
    {L("   \n\t\n \r\n"), L("")},
    {L("a"), L("a")},
    {L("a\n"), L("a")},
    {L("\n\na\nb\n\n\n"), L("a\nb")},
    {L("a  \nb\t\r\n"), L("a\nb")},
    {L("a\r\nb\r\n"), L("a\nb")},
    {L("x\f\v \n"), L("x")},
    {L("a\rb\n"), L("a\rb")},
    {L("\fx"), L("\fx")},
    {L("  a\n    b\n  c"), L("a\n  b\nc")},
    {L("    a\n  b"), L("  a\nb")},
    {L("  a\n\n    b\n"), L("a\n\n  b")},
    {L("  a\n \t \n  b"), L("a\n\nb")},
    {L("a\n\n\nb"), L("a\n\n\nb")},
    {L("\ta\n\t\tb"), L("a\n\tb")},
    {L(" \ta\n\t b"), L(" \ta\n\t b")},
    {L("\t a\n\t  b"), L("a\n b")},
    {L("   only   "), L("only")},
    {L("  a \n  b\t"), L("a\nb")},
    {L("a\0b\n"), L("a\0b")},
    {L("\n   \n  x\n   \n"), L("x")},
};

/* A marker's comment body, its mode, and the text read back from it; on a
 * bad escape want is NULL and bad_line the 0-based body line. */
typedef struct exp_case {
    const char *body;
    int exact;
    const char *want;
    int bad_line;
} exp_case;

static const exp_case exp_cases[] = {
    {"", 0, "", 0},
    {" ", 0, "", 0},
    {" 3 ", 0, "3", 0},
    {"\n      3\n    ", 0, "3", 0},
    {"\n  a\n    b\n  ", 0, "a\n  b", 0},
    {"\n\n  a\n\n  b\n\n", 0, "a\n\nb", 0},
    /* Text on the marker's line is trimmed and takes no part in the
     * indentation of the lines below it. */
    {" first\n      second\n        third\n    ", 0,
     "first\nsecond\n  third", 0},
    {"first\n  a", 0, "first\na", 0},
    {"    deep\n  a", 0, "deep\na", 0},
    {"   \n  a\n   b", 0, "a\n b", 0},
    {"\r\n  a\r\n  b\r\n", 0, "a\nb", 0},
    {"\n\ta\n\t\tb\n", 0, "a\n\tb", 0},
    /* Exact mode keeps every byte but turns CRLF into LF. */
    {" a  \n\tb\n", 1, " a  \n\tb\n", 0},
    {"a\r\nb\r\n", 1, "a\nb\n", 0},
    {"a\rb", 1, "a\rb", 0},
    {"\n\n", 1, "\n\n", 0},
    /* (esc) lines are decoded after normalization. */
    {"\n  a\\tb (esc)\n  plain\n", 0, "a\tb\nplain", 0},
    {"\n  a\\tb (esc)   \n", 0, "a\tb", 0},
    {" \\x1b[0m (esc) ", 0, "\x1b[0m", 0},
    {"\n    \\tx (esc)\n      y\n  ", 0, "\tx\n  y", 0},
    {"\n  *\\x2f (esc)\n", 0, "*/", 0},
    {"x\\r (esc)\n", 1, "x\r\n", 0},
    {"a (esc) ", 1, "a (esc) ", 0},
    {"\n  x (esc) (esc)\n", 0, "x (esc)", 0},
    /* A bad escape names its line within the body. */
    {"\n  ok\n  bad\\q (esc)\n", 0, NULL, 2},
    {"\n\n\n  \\x (esc)\n  ok\n", 0, NULL, 3},
    {"a\n\\z (esc)", 1, NULL, 1},
    {" \\z (esc) ", 0, NULL, 0},
    {"\r\n\r\n  bad\\ (esc)\r\n", 0, NULL, 2},
};

static void S_normalize_cases(void)
{
    for (size_t i = 0; i < N(norm_cases); i++) {
        const norm_case *c = &norm_cases[i];
        galley__buf b;
        galley__buf_init(&b);
        galley__buf_puts(&b, "<");
        galley__normalize(&b, c->in, c->len);
        unit_context(c->in);
        CHECK_MEM(b.ptr, b.len > 0 ? 1 : 0, "<", 1);
        CHECK_MEM(b.ptr + 1, b.len - 1, c->want, c->want_len);
        galley__buf_fini(&b);
    }
    unit_context(NULL);
}

/* Reads one case back after a prefix, which must stay as it is. */
static void S_expected_case(const exp_case *c)
{
    galley__buf b;
    int bad = -7;
    const char *msg = NULL;
    galley__buf_init(&b);
    galley__buf_puts(&b, "<");
    int rc = galley__expected_text(&b, c->body, strlen(c->body), c->exact,
                                  &bad, &msg);
    unit_context(c->body);
    CHECK_MEM(b.ptr, 1, "<", 1);
    if (c->want) {
        CHECK_INT(rc, 0);
        CHECK_STR(b.ptr + 1, c->want);
    } else {
        CHECK_INT(rc, -1);
        CHECK_INT(bad, c->bad_line);
        CHECK(msg != NULL && msg[0] != '\0');
        CHECK_INT(b.len, 1);
    }
    galley__buf_fini(&b);
}

static void S_expected_cases(void)
{
    for (size_t i = 0; i < N(exp_cases); i++)
        S_expected_case(&exp_cases[i]);
    unit_context(NULL);
    /* NULL out-parameters are allowed. */
    galley__buf b;
    galley__buf_init(&b);
    CHECK_INT(galley__expected_text(&b, L("\\q (esc)"), 1, NULL, NULL), -1);
    CHECK_INT(b.len, 0);
    galley__buf_fini(&b);
}

/* ---- the promote invariant ---- */

/* Fills o with random output, biased toward what normalization and
 * escapes care about. */
static void S_random_output(galley__buf *o, unsigned *seed)
{
    static const char *const bits[] = {
        " ", "  ", "\t", "\n", "\n", "\r\n", "a", "b c", "*", "/", "\\",
        "\x01", "\xff", "\f", "\v", " (esc)", " (re)", "\xc3\xa9", "*/",
        "/*", "\\x2a",
    };
    size_t n = unit_rand(seed) % 24;
    for (size_t i = 0; i < n; i++)
        galley__buf_puts(o, bits[unit_rand(seed) % N(bits)]);
}

/* Appends the block promote writes for normalized text t: a newline after
 * the opener, each line indented (blank ones empty, or indented when
 * blank_indent), escaped where needed, then the indent of the closer. */
static void S_block(galley__buf *b, const galley__buf *t, const char *indent,
                    const char *eol, int blank_indent)
{
    galley__buf_puts(b, eol);
    for (size_t p = 0; p <= t->len;) {
        const char *nl = memchr(t->ptr + p, '\n', t->len - p);
        size_t ln = nl ? (size_t)(nl - t->ptr) - p : t->len - p;
        if (ln > 0 || blank_indent)
            galley__buf_puts(b, indent);
        if (galley__line_needs_escape(t->ptr + p, ln))
            galley__escape_line(b, t->ptr + p, ln);
        else
            galley__buf_add(b, t->ptr + p, ln);
        galley__buf_puts(b, eol);
        p += ln + 1;
    }
    galley__buf_puts(b, indent);
}

/* Checks expected_text(body) == want; counts a mismatch in *bad. */
static void S_reads_back(const galley__buf *body, int exact,
                         const galley__buf *want, int *bad)
{
    galley__buf got;
    galley__buf_init(&got);
    int rc = galley__expected_text(&got, body->ptr, body->len, exact, NULL,
                                  NULL);
    if (rc != 0 || got.len != want->len ||
        (got.len && memcmp(got.ptr, want->ptr, got.len)))
        (*bad)++;
    galley__buf_fini(&got);
}

/* One random output: its block forms and, if one line, its inline form. */
static void S_invariant_one(unsigned *seed, int *bad)
{
    static const char *const indents[] = {"  ", "      ", "\t", "\t  ",
                                          " \t"};
    galley__buf o, norm, body;
    galley__buf_init(&o);
    galley__buf_init(&norm);
    galley__buf_init(&body);
    S_random_output(&o, seed);
    galley__normalize(&norm, o.ptr ? o.ptr : "", o.len);
    for (size_t k = 0; k < 2 * N(indents); k++) {
        body.len = 0;
        S_block(&body, &norm, indents[k / 2], k % 2 ? "\r\n" : "\n", k % 2);
        S_reads_back(&body, 0, &norm, bad);
    }
    if (!memchr(norm.ptr, '\n', norm.len)) {
        body.len = 0;
        galley__buf_putc(&body, ' ');
        if (galley__line_needs_escape(norm.ptr, norm.len))
            galley__escape_line(&body, norm.ptr, norm.len);
        else
            galley__buf_add(&body, norm.ptr, norm.len);
        galley__buf_putc(&body, ' ');
        S_reads_back(&body, 0, &norm, bad);
    }
    galley__buf_fini(&o);
    galley__buf_fini(&norm);
    galley__buf_fini(&body);
}

/* Exact form, as promote writes it: the raw lines joined by eol, escaped
 * where needed or where a final backslash would splice lines. */
static void S_invariant_exact(unsigned *seed, int *bad)
{
    galley__buf o, body;
    galley__buf_init(&o);
    galley__buf_init(&body);
    S_random_output(&o, seed);
    const char *t = o.ptr ? o.ptr : "";
    for (size_t p = 0; p <= o.len;) {
        const char *nl = memchr(t + p, '\n', o.len - p);
        size_t ln = nl ? (size_t)(nl - t) - p : o.len - p;
        if (ln > 0 && (galley__line_needs_escape(t + p, ln) ||
                       t[p + ln - 1] == '\\'))
            galley__escape_line(&body, t + p, ln);
        else
            galley__buf_add(&body, t + p, ln);
        if (nl)
            galley__buf_puts(&body, *seed % 2 ? "\r\n" : "\n");
        p += ln + 1;
    }
    S_reads_back(&body, 1, &o, bad);
    galley__buf_fini(&o);
    galley__buf_fini(&body);
}

static void S_invariant(void)
{
    unsigned seed = 2024;
    int bad = 0, bad_exact = 0;
    for (int i = 0; i < 5000; i++) {
        S_invariant_one(&seed, &bad);
        S_invariant_exact(&seed, &bad_exact);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(bad_exact, 0);
}

void test_normalize(void)
{
    S_normalize_cases();
    S_expected_cases();
    S_invariant();
}
