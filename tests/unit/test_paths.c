/* test_paths.c: unit tests of the path, word and #include helpers of
 * util.c: words split as a shell would,
 * the name an #include line names, paths shown relative to a directory,
 * and paths made canonical without the file system. */
#include <stdlib.h>
#include <string.h>

#include "../../source/util.h"
#include "harness.h"

#define N(a) (sizeof a / sizeof *a)

typedef struct include_case {
    const char *line;
    const char *want;   /* the name, or NULL: no #include */
    int angle;
} include_case;

static const include_case include_cases[] = {
    {"#include <galley.h>", "galley.h", 1},
    {"#include \"helpers.h\"", "helpers.h", 0},
    {"  #  include   <galley/tensor.h>  ", "galley/tensor.h", 1},
    {"#include/* c */<galley.h>", "galley.h", 1},
    {"#include /* c */ <galley.h>", "galley.h", 1},
    {"/* x */ #include <galley.h>", "galley.h", 1},
    {"# /* a */ include \"h.h\" /* b */", "h.h", 0},
    {"%:include <galley.h>", "galley.h", 1},
    {"#include <galley.h>\r", "galley.h", 1},
    {"\t#include\t\"t.h\"", "t.h", 0},
    {"// #include <galley.h>", NULL, 0},
    {"#define INC <galley.h>", NULL, 0},
    {"#include INC", NULL, 0},
    {"#include <>", NULL, 0},
    {"#include <unterminated", NULL, 0},
    {"#includes <x.h>", NULL, 0},
    {"/* open comment #include <x.h>", NULL, 0},
    {"", NULL, 0},
    {"#", NULL, 0},
};

static void S_include_names(void)
{
    for (size_t i = 0; i < N(include_cases); i++) {
        const include_case *c = &include_cases[i];
        unit_context(c->line);
        int angle = -1;
        char *name = galley__include_name(c->line, strlen(c->line), &angle);
        CHECK_STR(name, c->want);
        if (c->want)
            CHECK_INT(angle, c->angle);
        free(name);
    }
    unit_context(NULL);
}

typedef struct rel_case {
    const char *p, *cwd, *want;
} rel_case;

static const rel_case rel_cases[] = {
    {"/a/b/c.c", "/a", "b/c.c"},
    {"/a/b/c.c", "/a/b", "c.c"},
    {"/a/x/c.c", "/a/b", "../x/c.c"},
    {"/a", "/a/b/c", "../.."},
    {"/a/b", "/a/b/c", ".."},
    {"/x/y", "/a/b", "/x/y"},
    {"/a/b", "/", "a/b"},
    {"/ab/c", "/a", "/ab/c"},
};

static void S_relative_paths(void)
{
    for (size_t i = 0; i < N(rel_cases); i++) {
        unit_context(rel_cases[i].p);
        char *got = galley__relative_path(rel_cases[i].p, rel_cases[i].cwd);
        CHECK_STR(got, rel_cases[i].want);
        free(got);
    }
    unit_context(NULL);
}

static void S_lexical_paths(void)
{
    static const char *const cases[][2] = {
        {"/a/./b/../c", "/a/c"}, {"//a//b/", "/a/b"}, {"/..", "/"},
        {"/a/b/../../..", "/"},  {"/", "/"},         {"/a/.b/..c", "/a/.b/..c"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        unit_context(cases[i][0]);
        char *got = galley__lexical_path(cases[i][0]);
        CHECK_STR(got, cases[i][1]);
        free(got);
    }
    unit_context(NULL);
}

/* Words split as a shell would; a quote left open is found where it
 * opens. */
typedef struct words_case {
    const char *s;
    int rc;           /* 0, or 1 + the offset of the open quote */
    const char *want; /* the words joined by '|' */
} words_case;

static const words_case words_cases[] = {
    {"a b\tc", 0, "a|b|c"},
    {"  -DX='a b'  \"c d\"", 0, "-DX=a b|c d"},
    {"a\\ b \"x\\\"y\"", 0, "a b|x\"y"},
    {"'' \"\"", 0, "|"},
    {"a.c \"b.c", 5, "a.c"},
    {"'", 1, ""},
    {"x 'it''s", 7, "x"},
    {"", 0, ""},
};

static void S_split_words(void)
{
    for (size_t i = 0; i < N(words_cases); i++) {
        const words_case *c = &words_cases[i];
        galley__words w = {0};
        CHECK_INT(galley__split_words(&w, c->s), c->rc);
        galley__buf b;
        galley__buf_init(&b);
        for (size_t k = 0; k < w.n; k++) {
            if (k)
                galley__buf_putc(&b, '|');
            galley__buf_puts(&b, w.v[k]);
        }
        CHECK_STR(b.ptr ? b.ptr : "", c->want);
        galley__buf_fini(&b);
        galley__words_fini(&w);
    }
}

void test_paths(void)
{
    S_split_words();
    S_include_names();
    S_relative_paths();
    S_lexical_paths();
}
