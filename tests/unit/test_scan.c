/* test_scan.c: unit tests of the scanner. Each table case renders the whole
 * scan (markers, tests, errors) as text, offsets shown as the substrings
 * they delimit, and compares it with the expected rendering. */
#include <stdlib.h>
#include <string.h>

#include "../../source/scan.h"
#include "../../source/util.h"
#include "harness.h"

#define N(a) (sizeof a / sizeof *a)

typedef struct scan_case {
    const char *name;
    const char *src;
    const char *want;
} scan_case;

/* Appends s[0..n) with newlines, CRs, tabs, backslashes and quotes
 * written as C escapes, so that renderings stay on one line. */
static void S_quote(galley__buf *b, const char *s, size_t n)
{
    galley__buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            galley__buf_puts(b, "\\n");
        else if (c == '\r')
            galley__buf_puts(b, "\\r");
        else if (c == '\t')
            galley__buf_puts(b, "\\t");
        else if (c == '\\' || c == '\'')
            galley__buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            galley__buf_printf(b, "\\x%02x", c);
        else
            galley__buf_putc(b, (char)c);
    }
    galley__buf_putc(b, '\'');
}

/* Appends "LINE:COL" of offset off in src (both 1-based). */
static void S_where(galley__buf *b, const char *src, size_t off)
{
    int line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (src[i] == '\n') {
            line++;
            bol = i + 1;
        }
    galley__buf_printf(b, "%d:%zu", line, off - bol + 1);
}

/* Renders one marker: lines, kind, test, indent, the text from the
 * identifier to '(', where EXPECT_NEAR's expectation begins, and the
 * comment's interior. */
static void S_render_marker(galley__buf *b, const char *src,
                            const galley__marker *m)
{
    galley__buf_printf(b, "M %d-%d %s t%d ind", m->line, m->end_line,
                      m->kind == GALLEY__MARKER_EXACT         ? "X"
                      : m->kind == GALLEY__MARKER_NEAR        ? "N"
                      : m->kind == GALLEY__MARKER_UNREACHABLE ? "U"
                      : m->kind == GALLEY__MARKER_END         ? "D"
                                                              : "E",
                      m->test);
    S_quote(b, src + m->indent_start, m->indent_len);
    galley__buf_puts(b, " id");
    S_quote(b, src + m->start, m->lparen - m->start);
    galley__buf_puts(b, " body");
    if (m->has_comment)
        S_quote(b, src + m->body_start, m->body_end - m->body_start);
    else
        galley__buf_puts(b, "-");
    /* EXPECT_NEAR: where a new expectation goes, and what comes first */
    if (m->kind == GALLEY__MARKER_NEAR) {
        galley__buf_puts(b, " text@");
        S_where(b, src, m->content_start);
        galley__buf_puts(b, " sep");
        S_quote(b, m->sep, strlen(m->sep));
    }
    if (src[m->lparen] != '(' || src[m->rparen] != ')')
        galley__buf_puts(b, " BAD-PARENS");
    if (m->has_comment && (memcmp(src + m->body_start - 1, "*", 1) ||
                           memcmp(src + m->body_end, "*", 1)))
        galley__buf_puts(b, " BAD-COMMENT");
    galley__buf_putc(b, '\n');
}

/* Renders one test: name, line, and where its braces are. */
static void S_render_test(galley__buf *b, const char *src,
                          const galley__scanned_test *t)
{
    galley__buf_printf(b, "T %s %d {", t->name, t->line);
    S_where(b, src, t->body_open);
    galley__buf_puts(b, " }");
    S_where(b, src, t->body_close);
    if (src[t->body_open] != '{' && src[t->body_open] != '<')
        galley__buf_puts(b, " BAD-OPEN");
    if (src[t->body_close] != '}' && src[t->body_close] != '%')
        galley__buf_puts(b, " BAD-CLOSE");
    int line = 1;
    for (size_t i = 0; i < t->body_close; i++)
        line += src[i] == '\n';
    if (line != t->close_line)
        galley__buf_printf(b, " close_line=%d", t->close_line);
    if (t->branch)
        galley__buf_printf(b, " branch=%d", t->branch);
    galley__buf_putc(b, '\n');
}

/* Renders a whole scan. */
static void S_render(galley__buf *b, const char *src, const galley__scan *s)
{
    if (s->crlf)
        galley__buf_puts(b, "crlf\n");
    if (s->bom)
        galley__buf_puts(b, "bom\n");
    for (size_t i = 0; i < s->n_markers; i++)
        S_render_marker(b, src, &s->markers[i]);
    for (size_t i = 0; i < s->n_tests; i++)
        S_render_test(b, src, &s->tests[i]);
    for (size_t i = 0; i < s->n_errors; i++) {
        const galley__scan_error *e = &s->errors[i];
        galley__buf_printf(b, "%s %d", e->fatal ? "F" : "E", e->line);
        if (e->col)
            galley__buf_printf(b, ":%d", e->col);
        galley__buf_printf(b, " %s\n", e->msg);
    }
}

/* The scanner's errors, each at a LINE:COL token such as 2:3. */
#define TAKES(at, name) "E " #at " " name " " TAKES_MSG "\n"
#define TAKES_MSG                                                          \
    "takes only a /* comment */ with the expected output; move other code " \
    "out of the marker"
#define TWO(at) \
    "E " #at " two EXPECT markers on one line; put each on its own line\n"
#define BY_NAME(at)                                                   \
    "E " #at " EXPECT_NEAR takes its options by name, then a /* comment */" \
    " with the expected output: EXPECT_NEAR(.rtol = 1e-6, .atol = 1e-9, " \
    "/* ... */)\n"
#define NEAR_TAKES(at)                                                    \
    "E " #at " EXPECT_NEAR takes options by name, then a /* comment */ "  \
    "with the expected output; move other code out of the marker\n"
#define UNTERMINATED(at) \
    "E " #at " unterminated comment: add the closing */\n"
#define NO_CLOSE(at, name) \
    "E " #at " " name "( has no closing ')': add it after the comment\n"

#define LONE_CR                                                           \
    "a carriage return ends a line without a newline (old Mac line ends), " \
    "which galley does not read; convert the file to LF or CRLF line "     \
    "ends, e.g. with tr '\\r' '\\n'"
#define LINE_DIR                                                          \
    "#line changes the line numbers by which galley finds the markers "   \
    "after it; remove it, or move it below the last TEST and EXPECT"

static const scan_case scan_cases[] = {
    {"design example",
     "#include <galley.h>\n"
     "TEST(addition) {\n"
     "    printf(\"%d\\n\", 1 + 2);\n"
     "    EXPECT(/*\n"
     "      3\n"
     "    */);\n"
     "}\n",
     "M 4-6 E t0 ind'    ' id'EXPECT' body'\\n      3\\n    '\n"
     "T addition 2 {2:16 }7:1\n"},
    {"inline, empty and blank markers",
     "TEST(a) {\n"
     "  EXPECT(/* x */);\n"
     "  EXPECT();\n"
     "  EXPECT(  \n  );\n"
     "  EXPECT( /**/ );\n"
     "}\n",
     "M 2-2 E t0 ind'  ' id'EXPECT' body' x '\n"
     "M 3-3 E t0 ind'  ' id'EXPECT' body-\n"
     "M 4-5 E t0 ind'  ' id'EXPECT' body-\n"
     "M 6-6 E t0 ind'  ' id'EXPECT' body''\n"
     "T a 1 {1:9 }7:1\n"},
    {"all the names",
     "GALLEY_TEST(long_names, .timeout_ms = 5) {\n"
     "  GALLEY_EXPECT(/* a */);\n"
     "  GALLEY_EXPECT_EXACT(/* b */);\n"
     "  EXPECT_EXACT(/* c */);\n"
     "}\n",
     "M 2-2 E t0 ind'  ' id'GALLEY_EXPECT' body' a '\n"
     "M 3-3 X t0 ind'  ' id'GALLEY_EXPECT_EXACT' body' b '\n"
     "M 4-4 X t0 ind'  ' id'EXPECT_EXACT' body' c '\n"
     "T long_names 1 {1:42 }5:1\n"},
    {"the end and unreachable markers, both spellings",
     "TEST(ends) {\n"
     "  EXPECT_UNREACHABLE();\n"
     "  GALLEY_EXPECT_UNREACHABLE(/* why */);\n"
     "  exit(3);\n"
     "  EXPECT_END(/* [exit 3] */);\n"
     "  GALLEY_EXPECT_END();\n"
     "}\n",
     "M 2-2 U t0 ind'  ' id'EXPECT_UNREACHABLE' body-\n"
     "M 3-3 U t0 ind'  ' id'GALLEY_EXPECT_UNREACHABLE' body' why '\n"
     "M 5-5 D t0 ind'  ' id'EXPECT_END' body' [exit 3] '\n"
     "M 6-6 D t0 ind'  ' id'GALLEY_EXPECT_END' body-\n"
     "T ends 1 {1:12 }7:1\n"},
    {"markers outside tests, and two tests",
     "EXPECT(/* top */);\n"
     "TEST(one) { EXPECT(); }\n"
     "static void f(void) {\n"
     "  EXPECT(/* in f */);\n"
     "}\n"
     "TEST(two)\n"
     "{\n"
     "\tEXPECT();\n"
     "}\n",
     "M 1-1 E t-1 ind'' id'EXPECT' body' top '\n"
     "M 2-2 E t0 ind'' id'EXPECT' body-\n"
     "M 4-4 E t-1 ind'  ' id'EXPECT' body' in f '\n"
     "M 8-8 E t1 ind'\\t' id'EXPECT' body-\n"
     "T one 2 {2:11 }2:23\n"
     "T two 6 {7:1 }9:1\n"},
    {"comments holding EXPECT(",
     "/* EXPECT(/* x */) */\n"
     "// EXPECT(/* y */);\n"
     "EXPECT(/* z */);\n",
     "M 3-3 E t-1 ind'' id'EXPECT' body' z '\n"},
    {"strings and characters",
     "const char *s = \"EXPECT(/* no */) /*\";\n"
     "char q = '\"'; EXPECT(/* a */);\n"
     "char r = '\\''; char t = '\\\\';\n"
     "EXPECT(/* b */); puts(\"\\\" EXPECT() \\\\\");\n",
     "M 2-2 E t-1 ind'' id'EXPECT' body' a '\n"
     "M 4-4 E t-1 ind'' id'EXPECT' body' b '\n"},
    {"prefixed literals",
     "u8\"EXPECT()\" L\"EXPECT()\" u\"/*\" U\"EXPECT()\";\n"
     "L'\"' EXPECT(/* a */);\n"
     "u8R\"x(EXPECT() )\" EXPECT() )x\";\n"
     "R\"(\n"
     "EXPECT()\n"
     ")\" EXPECT(/* b */);\n",
     "M 2-2 E t-1 ind'' id'EXPECT' body' a '\n"
     "M 6-6 E t-1 ind'' id'EXPECT' body' b '\n"},
    {"identifiers that are not markers",
     "void *p = &EXPECT; int EXPECT_X(void); int MY_EXPECT(int);\n"
     "x = 1EXPECT(/* n */); y = EXPECTS(/* n */);\n"
     "EXPECT;\n"
     "EXPECT\n"
     "  (/* late paren */);\n"
     "EXPECT /* c */ (/* after comment */);\n",
     "M 4-5 E t-1 ind'' id'EXPECT\\n  ' body' late paren '\n"
     "M 6-6 E t-1 ind'' id'EXPECT /* c */ ' body' after comment '\n"},
    {"splices in the identifier and the comment",
     "TEST(s) {\n"
     "  EXP\\\n"
     "ECT(/\\\n"
     "* a *\\\n"
     "/);\n"
     "  EXPECT(/* b */\\\n"
     ");\n"
     "}\n",
     "M 2-5 E t0 ind'  ' id'EXP\\\\\\nECT' body' a '\n"
     "M 6-7 E t0 ind'  ' id'EXPECT' body' b '\n"
     "T s 1 {1:9 }8:1\n"},
    {"line comment continued by a splice",
     "// a comment \\\n"
     "EXPECT(/* hidden */);\n"
     "// blanks after the backslash \\  \t\n"
     "EXPECT(/* hidden too */);\n"
     "EXPECT(/* seen */);\n",
     "M 5-5 E t-1 ind'' id'EXPECT' body' seen '\n"},
    {"splice inside a string",
     "puts(\"a\\\n"
     "EXPECT(/* in string */)\");\n"
     "EXPECT();\n",
     "M 3-3 E t-1 ind'' id'EXPECT' body-\n"},
    {"CRLF file",
     "TEST(crlf) {\r\n"
     "    EXPECT(/*\r\n"
     "      x\r\n"
     "    */);\r\n"
     "}\r\n",
     "crlf\n"
     "M 2-4 E t0 ind'    ' id'EXPECT' body'\\r\\n      x\\r\\n    '\n"
     "T crlf 1 {1:12 }5:1\n"},
    {"CRLF only counts on the first line",
     "int a;\n"
     "int b;\r\n",
     ""},
    {"preprocessor directives",
     "#define CHECK() EXPECT()\n"
     "  #  define LONG \\\n"
     "      EXPECT(/* x */)\n"
     "/* c */ #define AFTER_COMMENT EXPECT()\n"
     "#define SPAN /* two\n"
     "  lines */ EXPECT()\n"
     "%:define DIGRAPH EXPECT()\n"
     "#define TEST(n) void n(void) {\n"
     "#define BRACE }\n"
     "#error don't\n"
     "EXPECT(/* real */);\n"
     "int x; # EXPECT();\n",
     "M 11-11 E t-1 ind'' id'EXPECT' body' real '\n"
     "M 12-12 E t-1 ind'' id'EXPECT' body-\n"},
    {"braces inside a test",
     "TEST(braces) {\n"
     "  if (1) { puts(\"}\"); }\n"
     "  char c = '}', d = '{';\n"
     "  /* } */ // }\n"
     "  { { } }\n"
     "  EXPECT();\n"
     "}\n"
     "EXPECT(/* after */);\n",
     "M 6-6 E t0 ind'  ' id'EXPECT' body-\n"
     "M 8-8 E t-1 ind'' id'EXPECT' body' after '\n"
     "T braces 1 {1:14 }7:1\n"},
    {"digraph braces",
     "TEST(d) <%\n"
     "  EXPECT();\n"
     "%>\n"
     "EXPECT(/* out */);\n",
     "M 2-2 E t0 ind'  ' id'EXPECT' body-\n"
     "M 4-4 E t-1 ind'' id'EXPECT' body' out '\n"
     "T d 1 {1:9 }3:1\n"},
    {"what is not a test",
     "TEST(proto);\n"
     "TEST(with_opts, .rtol = 1e-4);\n"
     "void f(void) { TEST(inner) { } }\n"
     "TEST() { }\n"
     "TEST(\"str\") { }\n"
     "TEST;\n"
     "TEST(opts, .timeout_ms = (2000), .a = {1, 2}) {\n"
     "  EXPECT();\n"
     "}\n",
     "M 8-8 E t0 ind'  ' id'EXPECT' body-\n"
     "T opts 7 {7:47 }9:1\n"},
    {"unterminated comment at the end",
     "TEST(u) {\n"
     "  EXPECT(/* abc\n"
     "  def\n",
     UNTERMINATED(2:10)},
    {"unterminated comment in code",
     "TEST(ok) { EXPECT(); }\n"
     "int x; /* oops\n"
     "EXPECT();\n",
     "M 1-1 E t0 ind'' id'EXPECT' body-\n"
     "T ok 1 {1:10 }1:22\n"
     UNTERMINATED(2:8)},
    {"unterminated comment in a directive",
     "#define A /* no end\n"
     "\n",
     UNTERMINATED(1:11)},
    {"code in the parentheses",
     "TEST(bad) {\n"
     "  EXPECT(\"x\");\n"
     "  EXPECT(/* a */ /* b */);\n"
     "  EXPECT(// c\n"
     "  );\n"
     "  EXPECT_EXACT(f(1, (2)));\n"
     "  EXPECT(/* a */ x);\n"
     "  EXPECT(/* good */);\n"
     "}\n",
     "M 8-8 E t0 ind'  ' id'EXPECT' body' good '\n"
     "T bad 1 {1:11 }9:1\n"
     TAKES(2:3, "EXPECT") TAKES(3:3, "EXPECT") TAKES(4:3, "EXPECT")
     TAKES(6:3, "EXPECT_EXACT") TAKES(7:3, "EXPECT")},
    {"missing parenthesis",
     "TEST(m) {\n"
     "  EXPECT(/* a */;\n"
     "  EXPECT(/* b */);\n"
     "  GALLEY_EXPECT(/* c */\n"
     "}\n"
     "EXPECT(/* d */);\n"
     "EXPECT(/* e */\n",
     "M 3-3 E t0 ind'  ' id'EXPECT' body' b '\n"
     "M 6-6 E t-1 ind'' id'EXPECT' body' d '\n"
     "T m 1 {1:9 }5:1\n"
     NO_CLOSE(2:3, "EXPECT") NO_CLOSE(4:3, "GALLEY_EXPECT")
     NO_CLOSE(7:1, "EXPECT")},
    {"two markers on one line",
     "EXPECT(); EXPECT(/* x */);\n"
     "EXPECT(/*\n"
     "  a\n"
     "*/); EXPECT();\n"
     "EXPECT(/* ok */);\n"
     "EXPECT(); EXPECT(); EXPECT();\n"
     "EXPECT(\"bad\"); EXPECT();\n"
     "EXPECT(/* last */);\n",
     "M 5-5 E t-1 ind'' id'EXPECT' body' ok '\n"
     "M 8-8 E t-1 ind'' id'EXPECT' body' last '\n"
     TWO(1:11) TWO(2:1) TWO(4:6) TWO(6:11) TWO(6:21)
     TAKES(7:1, "EXPECT") TWO(7:16)},
    /* Columns as GCC counts them: a tab to the next multiple of 8, a
     * UTF-8 character one column. */
    {"columns after tabs and UTF-8",
     "\tEXPECT(); EXPECT();\n"
     " \t x(\"\xc3\xa9\"); EXPECT(); EXPECT();\n",
     TWO(1:19) TWO(2:28)},
    {"indentation with tabs",
     "TEST(t) {\n"
     "\tEXPECT();\n"
     " \t EXPECT();\n"
     "\t\t\n"
     "\t\tx; EXPECT();\n"
     "}\n",
     "M 2-2 E t0 ind'\\t' id'EXPECT' body-\n"
     "M 3-3 E t0 ind' \\t ' id'EXPECT' body-\n"
     "M 5-5 E t0 ind'\\t\\t' id'EXPECT' body-\n"
     "T t 1 {1:9 }6:1\n"},
    /* A line ending in two backslashes still ends in a splice (phase 2
     * knows nothing of escapes), so the string goes on over line 6. */
    {"unterminated literals resync at the line end",
     "puts(\"abc\n"
     "EXPECT();\n"
     "char c = ';\n"
     "EXPECT(/* b */);\n"
     "puts(\"x\\\\\n"
     "EXPECT(/* c */);\n"
     "EXPECT(/* d */);\n",
     "M 2-2 E t-1 ind'' id'EXPECT' body-\n"
     "M 4-4 E t-1 ind'' id'EXPECT' body' b '\n"
     "M 7-7 E t-1 ind'' id'EXPECT' body' d '\n"},
    {"comment delimiters inside the marker's comment",
     "EXPECT(/*/ a **/);\n"
     "EXPECT(/* // b */);\n",
     "M 1-1 E t-1 ind'' id'EXPECT' body'/ a *'\n"
     "M 2-2 E t-1 ind'' id'EXPECT' body' // b '\n"},
    {"unclosed test body",
     "TEST(open) {\n"
     "  EXPECT();\n",
     "M 2-2 E t-1 ind'  ' id'EXPECT' body-\n"},
    {"numbers",
     "x = 1'000'000 + 0x1p-3 + 1e+5 + .5e-2; EXPECT(/* a */);\n"
     "y = 1'5;\n"
     "EXPECT(/* b */);\n",
     "M 1-1 E t-1 ind'' id'EXPECT' body' a '\n"
     "M 3-3 E t-1 ind'' id'EXPECT' body' b '\n"},
    {"directives inside a test's options",
     "TEST(cond,\n"
     "#if SLOW\n"
     "     .timeout_ms = 9000\n"
     "#endif\n"
     ") {\n"
     "  EXPECT();\n"
     "}\n",
     "M 6-6 E t0 ind'  ' id'EXPECT' body-\n"
     "T cond 1 {5:3 }7:1\n"},
    {"EXPECT_NEAR: options by name, then the comment",
     "TEST(n) {\n"
     "  EXPECT_NEAR(.rtol = 1e-3, .atol = f(1, 2), /* a */);\n"
     "  EXPECT_NEAR(/* b */);\n"
     "  EXPECT_NEAR(.atol = 1 /* loose */, );\n"
     "  EXPECT_NEAR(.rtol = 1e-3);\n"
     "  EXPECT_NEAR();\n"
     "  GALLEY_EXPECT_NEAR(.rtol = 1,\n"
     "                     /* c */);\n"
     "}\n",
     "M 2-2 N t0 ind'  ' id'EXPECT_NEAR' body' a ' text@2:45 sep' '\n"
     "M 3-3 N t0 ind'  ' id'EXPECT_NEAR' body' b ' text@3:15 sep''\n"
     "M 4-4 N t0 ind'  ' id'EXPECT_NEAR' body- text@4:37 sep' '\n"
     "M 5-5 N t0 ind'  ' id'EXPECT_NEAR' body- text@5:27 sep', '\n"
     "M 6-6 N t0 ind'  ' id'EXPECT_NEAR' body- text@6:15 sep''\n"
     "M 7-8 N t0 ind'  ' id'GALLEY_EXPECT_NEAR' body' c ' text@7:32 sep' '\n"
     "T n 1 {1:9 }9:1\n"},
    {"EXPECT_NEAR: options by position, or code after the comment",
     "TEST(n) {\n"
     "  EXPECT_NEAR(1e-3, 0, /* a */);\n"
     "  EXPECT_NEAR(.rtol = 1, 0, /* b */);\n"
     "  EXPECT_NEAR(/* c */, .rtol = 1);\n"
     "  EXPECT_NEAR(.rtol = 1, /* d */ x);\n"
     "  EXPECT_NEAR(.rtol = 1, /* e */ /* f */);\n"
     "  EXPECT_NEAR(, /* g */);\n"
     "  EXPECT_NEAR(.rtol = 1, /* h */);\n"
     "}\n",
     "M 8-8 N t0 ind'  ' id'EXPECT_NEAR' body' h ' text@8:25 sep' '\n"
     "T n 1 {1:9 }9:1\n"
     BY_NAME(2:15) BY_NAME(3:26) BY_NAME(4:22) NEAR_TAKES(5:3)
     NEAR_TAKES(6:3) BY_NAME(7:15)},
    {"empty text", "", ""},
    {"byte-order mark",
     "\xef\xbb\xbf#include <galley.h>\n"
     "TEST(t) { EXPECT(/* a */); }\n",
     "bom\n"
     "M 2-2 E t0 ind'' id'EXPECT' body' a '\n"
     "T t 2 {2:9 }2:28\n"},
    {"byte-order mark before a marker on the first line",
     "\xef\xbb\xbf  EXPECT(/* a */);\n",
     "bom\n"
     "M 1-1 E t-1 ind'  ' id'EXPECT' body' a '\n"},
    {"old Mac line ends",
     "#include <galley.h>\rTEST(t) {\r  EXPECT(/* a */);\r}\r",
     "F 1:20 " LONE_CR "\n"},
    {"old Mac line ends, no directive first",
     "int a;\rint b;\r",
     "F 1:7 " LONE_CR "\n"},
    {"a lone carriage return after CRLF lines",
     "int a;\r\nint b;\r\nint c;\rint d;\r\n",
     "crlf\n"
     "F 3:7 " LONE_CR "\n"},
    {"#line before a test",
     "#include <galley.h>\n"
     "#line 100\n"
     "TEST(t) { EXPECT(/* a */); }\n",
     "M 3-3 E t0 ind'' id'EXPECT' body' a '\n"
     "T t 3 {3:9 }3:28\n"
     "F 2 " LINE_DIR "\n"},
    {"GNU line marker before a marker",
     "EXPECT(/* a */);\n"
     "# 7 \"x.c\"\n"
     "EXPECT(/* b */);\n",
     "M 1-1 E t-1 ind'' id'EXPECT' body' a '\n"
     "M 3-3 E t-1 ind'' id'EXPECT' body' b '\n"
     "F 2 " LINE_DIR "\n"},
    {"#line after the last test is harmless",
     "TEST(t) { EXPECT(/* a */); }\n"
     "#line 1 \"generated.c\"\n"
     "int x;\n",
     "M 1-1 E t0 ind'' id'EXPECT' body' a '\n"
     "T t 1 {1:9 }1:28\n"},
    {"#if branches of tests",
     "TEST(a) {}\n"
     "#if X\n"
     "TEST(b) {}\n"
     "#  ifdef Y\n"
     "TEST(c) {}\n"
     "#  endif\n"
     "TEST(d) {}\n"
     "#elif Z\n"
     "TEST(e) {}\n"
     "#else\n"
     "TEST(f) {}\n"
     "#endif\n"
     "TEST(g) {}\n"
     "#endif\n"
     "TEST(h) {}\n",
     "T a 1 {1:9 }1:10\n"
     "T b 3 {3:9 }3:10 branch=1\n"
     "T c 5 {5:9 }5:10 branch=2\n"
     "T d 7 {7:9 }7:10 branch=1\n"
     "T e 9 {9:9 }9:10 branch=3\n"
     "T f 11 {11:9 }11:10 branch=4\n"
     "T g 13 {13:9 }13:10\n"
     "T h 15 {15:9 }15:10\n"},
};

static void S_scan_cases(void)
{
    for (size_t i = 0; i < N(scan_cases); i++) {
        const scan_case *c = &scan_cases[i];
        galley__scan s;
        galley__buf b;
        galley__buf_init(&b);
        galley__scan_text(&s, c->src, strlen(c->src));
        S_render(&b, c->src, &s);
        unit_context(c->name);
        CHECK_STR(b.ptr, c->want);
        galley__buf_fini(&b);
        galley__scan_fini(&s);
    }
    unit_context(NULL);
}

/* find_marker answers for the identifier's line (gcc's __LINE__) and the
 * closing parenthesis's line (clang's), nothing in between. */
static void S_find_marker(void)
{
    static const char src[] = "EXPECT();\n"
                              "\n"
                              "EXPECT(/*\n"
                              "  a\n"
                              "*/);\n"
                              "EXPECT(/* b */\n"
                              ");\n";
    galley__scan s;
    galley__scan_text(&s, src, sizeof src - 1);
    CHECK_INT(s.n_markers, 3);
    CHECK_INT(galley__scan_find_marker(&s, 1), 0);
    CHECK_INT(galley__scan_find_marker(&s, 2), -1);
    CHECK_INT(galley__scan_find_marker(&s, 3), 1);
    CHECK_INT(galley__scan_find_marker(&s, 4), -1);
    CHECK_INT(galley__scan_find_marker(&s, 5), 1);
    CHECK_INT(galley__scan_find_marker(&s, 6), 2);
    CHECK_INT(galley__scan_find_marker(&s, 7), 2);
    CHECK_INT(galley__scan_find_marker(&s, 8), -1);
    CHECK_INT(galley__scan_find_marker(&s, 0), -1);
    galley__scan_fini(&s);
    CHECK_INT(s.n_markers, 0);
    CHECK(s.markers == NULL);
    galley__scan_text(&s, NULL, 0);
    CHECK_INT(galley__scan_find_marker(&s, 1), -1);
    galley__scan_fini(&s);
}

/* NULs and bytes past a length are not the scanner's business. */
static void S_binary(void)
{
    static const char src[] = "a\0EXPECT(/* \0 */);\0\xff\xfe\nEXPECT();X";
    galley__scan s;
    galley__scan_text(&s, src, sizeof src - 3);
    CHECK_INT(s.n_markers, 2);
    CHECK_INT(s.n_markers > 1 ? s.markers[1].rparen : 0, sizeof src - 4);
    galley__scan_fini(&s);
    galley__scan_text(&s, src, sizeof src - 4);
    CHECK_INT(s.n_markers, 1);
    CHECK_INT(s.n_errors, 1);
    galley__scan_fini(&s);
}

/* Checks what must hold for any input; returns the number of breaches. */
static int S_sane(const char *t, size_t len, const galley__scan *s)
{
    int bad = 0;
    for (size_t i = 0; i < s->n_markers; i++) {
        const galley__marker *m = &s->markers[i];
        bad += !(m->start < m->lparen && m->lparen < m->rparen &&
                 m->rparen < len && t[m->lparen] == '(' &&
                 t[m->rparen] == ')' && m->line <= m->end_line);
        bad += !(m->body_start <= m->body_end && m->body_end <= m->rparen);
        bad += i > 0 && m->line <= s->markers[i - 1].end_line;
        bad += galley__scan_find_marker(s, m->line) != (int)i;
        bad += galley__scan_find_marker(s, m->end_line) != (int)i;
        bad += m->test >= (int)s->n_tests || m->test < -1;
    }
    for (size_t i = 0; i < s->n_tests; i++) {
        const galley__scanned_test *t2 = &s->tests[i];
        bad += !(t2->body_open < t2->body_close && t2->body_close < len);
        bad += t2->line > t2->close_line || !t2->name;
    }
    for (size_t i = 0; i < s->n_errors; i++)
        bad += !s->errors[i].msg || s->errors[i].line < 1;
    return bad;
}

/* Scans t[0..len) from an exact-size heap copy, so the sanitizers catch
 * any read past the end; returns the breaches of S_sane. */
static int S_scan_copy(const char *t, size_t len)
{
    char *copy = malloc(len ? len : 1);
    galley__scan s;
    memcpy(copy, t, len);
    galley__scan_text(&s, copy, len);
    int bad = S_sane(copy, len, &s);
    galley__scan_fini(&s);
    free(copy);
    return bad;
}

/* Every prefix of every table source, then random token soup. */
static void S_robust(void)
{
    static const char *const bits[] = {
        "EXPECT", "EXPECT_EXACT", "TEST", "(", ")", "{", "}", "/*", "*/",
        "//", "\"", "'", "\\", "\n", "\r\n", " ", "#", "x", ",", ";", "R\"",
        "u8", "<%", "%>", "%:", "\\\n", "/", "*", "\0", "\xff", "1e+",
    };
    int bad = 0;
    unsigned seed = 7;
    for (size_t i = 0; i < N(scan_cases); i++)
        for (size_t n = 0; n <= strlen(scan_cases[i].src); n++)
            bad += S_scan_copy(scan_cases[i].src, n);
    for (int k = 0; k < 3000; k++) {
        galley__buf b;
        galley__buf_init(&b);
        size_t n = unit_rand(&seed) % 60;
        for (size_t j = 0; j < n; j++) {
            const char *bit = bits[unit_rand(&seed) % N(bits)];
            galley__buf_add(&b, bit, bit[0] ? strlen(bit) : 1);
        }
        bad += S_scan_copy(b.ptr ? b.ptr : "", b.len);
        galley__buf_fini(&b);
    }
    CHECK_INT(bad, 0);
}

/* Appends copies of piece to b until it holds at least n bytes. */
static void S_repeat(galley__buf *b, const char *piece, size_t n)
{
    while (b->len < n)
        galley__buf_puts(b, piece);
}

/* Inputs that would be quadratic for a naive scanner: unclosed markers and
 * test headers, which must each be read once. A generous bound on time,
 * so that sanitizer builds pass, still catches quadratic behaviour. */
static void S_speed(void)
{
    static const char *const pieces[] = {
        "TEST(t) {\n  printf(\"%d\\n\", x); /* c */\n  EXPECT(/* 3 */);\n}\n",
        "EXPECT(", "TEST(a, (", "EXPECT((((", "TEST(a, (TEST(a, ())))",
        "\\        ", "R\"x(", "/*",
    };
    for (size_t i = 0; i < N(pieces); i++) {
        galley__buf b;
        galley__scan s;
        galley__buf_init(&b);
        S_repeat(&b, pieces[i], 2000000);
        galley__scan_text(&s, b.ptr, b.len);
        unit_context(pieces[i]);
        /* Scanned to its end (how fast is bench/'s question, not a test's:
         * a scan that went quadratic would hang the suite here). */
        CHECK(s.n_markers <= b.len && s.n_tests <= b.len);
        galley__scan_fini(&s);
        galley__buf_fini(&b);
    }
    unit_context(NULL);
}

void test_scan(void)
{
    S_scan_cases();
    S_find_marker();
    S_binary();
    S_robust();
    S_speed();
}
