/* progress_test.c: on a terminal, galley run shows one status line in the
 * manner of ninja, "[done/total] building|running FILE", rewritten in place
 * and erased before the report; on a pipe, with TERM=dumb or with --quiet,
 * nothing of the kind. script(1) gives galley a pseudo-terminal. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* A project with code under test and two test files, built one step at a
 * time (-j1) so that the order of the steps is fixed. */
static void S_project(void)
{
    e2e_project();
    e2e_write("galley.conf", "sources = src/twice.c\n");
    e2e_write("src/twice.c", "int twice(int x) { return 2 * x; }\n");
    const char *test = "#include <galley.h>\n"
                       "#include <stdio.h>\n"
                       "int twice(int);\n"
                       "TEST(t) { printf(\"%d\\n\", twice(2)); EXPECT(/* 4 */); }\n";
    e2e_write("tests/a_test.c", test);
    e2e_write("tests/b_test.c", test);
}

/* Runs `galley ARGS` on a pseudo-terminal after the shell commands
 * before, and prints what the terminal got: the terminal's own "\r" at
 * each line end dropped, galley's "\r" and "\033[K" shown as \r and \e,
 * each rewrite of the status line on a line of its own. */
static void S_on_terminal(const char *before, const char *args)
{
    char bin[PATH_MAX], cmd[3 * PATH_MAX];
    if (!realpath(getenv("GALLEY_BIN"), bin))
        return;
    snprintf(cmd, sizeof cmd,
             "script -qec \"%s '%s' %s\" /dev/null </dev/null"
             " | sed -e 's/\\r$//' -e 's/\\r\\x1b\\[K/\\n\\\\r\\\\e[K/g'",
             before, bin, args);
    e2e_sh(cmd);
}

TEST(status_line_on_a_terminal)
{
    S_project();
    S_on_terminal("export TERM=xterm;", "run -j1 --color=never");
    EXPECT(/*
      \r\e[K[1/7] building src/twice.c
      \r\e[K[2/7] building src/twice.c
      \r\e[K[3/7] building _galley/obj/libsut.a
      \r\e[K[4/7] building tests/a_test.c
      \r\e[K[5/7] building tests/a_test.c
      \r\e[K[6/7] building tests/b_test.c
      \r\e[K[7/7] building tests/b_test.c
      \r\e[K
      \r\e[K[0/2] running tests/a_test.c
      \r\e[K[1/2] running tests/a_test.c
      \r\e[K[1/2] running tests/b_test.c
      \r\e[K[2/2] running tests/b_test.c
      \r\e[K2 passed, 0 failed
    */);
    /* Nothing to build and nothing to run: the results come from the
     * cache, with no status line. */
    S_on_terminal("export TERM=xterm;", "run -j1 --color=never tests/a_test.c");
    EXPECT(/* 1 passed (1 cached), 0 failed */);
    /* With --no-cache: ninja reports no step, the tests still run. */
    S_on_terminal("export TERM=xterm;",
                  "run -j1 --color=never --no-cache tests/a_test.c");
    EXPECT(/*
      \r\e[K[0/1] running tests/a_test.c
      \r\e[K[1/1] running tests/a_test.c
      \r\e[K1 passed, 0 failed
    */);
    e2e_done();
}

TEST(status_line_fits_the_terminal)
{
    S_project();
    /* A line that wrapped would stay behind: it is cut one column short. */
    S_on_terminal("export TERM=xterm; stty cols 24;",
                  "run -j1 --color=never tests/b_test.c");
    EXPECT(/*
      \r\e[K[1/5] building src/twic
      \r\e[K[2/5] building src/twic
      \r\e[K[3/5] building _galley/
      \r\e[K[4/5] building tests/b_
      \r\e[K[5/5] building tests/b_
      \r\e[K
      \r\e[K[0/1] running tests/b_t
      \r\e[K[1/1] running tests/b_t
      \r\e[K1 passed, 0 failed
    */);
    e2e_done();
}

TEST(no_status_line_off_a_terminal)
{
    S_project();
    /* A pipe, as in CI logs and editors. */
    e2e_galley("run -j1 --color=never | cat -v");
    /* A terminal that cannot rewrite a line, and a quiet run. */
    e2e_sh("rm -rf _galley");
    S_on_terminal("export TERM=dumb;", "run -j1 --color=never");
    e2e_sh("rm -rf _galley");
    S_on_terminal("export TERM=xterm;", "run -j1 --color=never -q");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      2 passed, 0 failed
      2 passed, 0 failed
    */);
    e2e_done();
}
