/* test_paths.c: unit tests of the path and #include helpers of util.c:
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

void test_paths(void)
{
    S_include_names();
    S_relative_paths();
    S_lexical_paths();
}
