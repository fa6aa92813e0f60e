/* test_paths.c: unit tests of the path, word and #include helpers of
 * util.c: words split as a shell would,
 * the name an #include line names, paths shown relative to a directory,
 * and paths made canonical without the file system; and of paths.c:
 * compiler diagnostics named from another directory, report paths moved
 * onto another base. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runner/paths.h"
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

/* Diagnostics of a compiler run in ROOT, read from ROOT/tests: only a
 * leading name of a file that exists below the root changes. */
typedef struct rebase_case {
    const char *in, *want;
} rebase_case;

static const rebase_case rebase_cases[] = {
    {"tests/a.c:3:5: error: x\n", "a.c:3:5: error: x\n"},
    {"tests/a.c:3: note\n", "a.c:3: note\n"},
    {"tests/a.c: In function 'f':\n", "a.c: In function 'f':\n"},
    {"In file included from tests/a.c:1,\n                 from lib/b.h:2:\n",
     "In file included from a.c:1,\n                 from ../lib/b.h:2:\n"},
    {"\033[01m\033[Ktests/a.c:\033[m\033[K In function",
     "\033[01m\033[Ka.c:\033[m\033[K In function"},
    {"In file included from \033[01m\033[Klib/b.h:2\033[m\033[K,",
     "In file included from \033[01m\033[K../lib/b.h:2\033[m\033[K,"},
    {"lib/b.h:9:1: warning: w", "../lib/b.h:9:1: warning: w"},
    /* Left alone: no such file, a directory, absolute, not leading, no
     * digit or space after the colon, a source excerpt. */
    {"tests/gone.c:3:5: error\n", "tests/gone.c:3:5: error\n"},
    {"lib:3: x\n", "lib:3: x\n"},
    {"/abs/tests/a.c:1: x\n", "/abs/tests/a.c:1: x\n"},
    {"/usr/bin/ld: tests/a.c:1: x", "/usr/bin/ld: tests/a.c:1: x"},
    {"tests/a.c:x\n", "tests/a.c:x\n"},
    {"    3 | tests/a.c:1: x\n", "    3 | tests/a.c:1: x\n"},
    {"cc1: all warnings being treated as errors\n",
     "cc1: all warnings being treated as errors\n"},
    {"a\n\ntests/a.c:1:2: e", "a\n\na.c:1:2: e"},
    {"", ""},
};

/* Makes an empty file at path, and its directory. */
static void S_touch(const char *path)
{
    char *dir = galley__xstrdup(path);
    *strrchr(dir, '/') = '\0';
    CHECK_INT(galley__mkdirs(dir), 0);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    free(dir);
}

static void S_rebase_logs(void)
{
    char root[] = "/tmp/galley-unit-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return;
    }
    char *tests = galley__xasprintf("%s/tests", root);
    char *a = galley__xasprintf("%s/tests/a.c", root);
    char *b = galley__xasprintf("%s/lib/b.h", root);
    S_touch(a);
    S_touch(b);
    for (size_t i = 0; i < N(rebase_cases); i++) {
        unit_context(rebase_cases[i].in);
        char *got = galley__rebase_log(rebase_cases[i].in, root, tests);
        CHECK_STR(got, rebase_cases[i].want);
        free(got);
        got = galley__rebase_log(rebase_cases[i].in, root, root);
        CHECK_STR(got, rebase_cases[i].in);
        free(got);
    }
    unit_context(NULL);
    char *rm = galley__xasprintf("rm -rf '%s'", root);
    CHECK_INT(system(rm), 0);
    free(rm);
    free(b);
    free(a);
    free(tests);
}

static void S_paths_from(void)
{
    static const char *const cases[][4] = {
        /* shown, cwd, base, want */
        {"a.c", "/r/sub/tests", "/r", "sub/tests/a.c"},
        {"../lib/b.h", "/r/sub/tests", "/r", "sub/lib/b.h"},
        {"/r/x.c", "/r/sub", "/r", "x.c"},
        {"../../../o.c", "/r/sub/tests", "/r", "/o.c"},
        {"/ro/x.c", "/r", "/r", "/ro/x.c"},
        {"a.c", "/r", "/", "r/a.c"},
        {"a.c", "/r", NULL, "a.c"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        unit_context(cases[i][0]);
        char *got = galley__path_from(cases[i][0], cases[i][1], cases[i][2]);
        CHECK_STR(got, cases[i][3]);
        free(got);
    }
    unit_context(NULL);
}

void test_paths(void)
{
    S_rebase_logs();
    S_paths_from();
    S_split_words();
    S_include_names();
    S_relative_paths();
    S_lexical_paths();
}
