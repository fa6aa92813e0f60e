/* changed_test.c: end-to-end tests of galley run --changed[=REV]: the test
 * files changed since a revision (in the work tree, the index, or new and
 * untracked), those that include a changed header directly or through
 * other headers, everything when galley.conf or the code under test
 * changed, and the errors outside git or for a revision that is not one. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* Runs git with an identity and defaults of its own, so that the user's
 * configuration does not change what it does. */
static int S_git(const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "git -c user.name=galley -c user.email=galley@example.invalid "
             "-c init.defaultBranch=main -c commit.gpgsign=false %s", args);
    return e2e_sh(cmd);
}

/* Writes a passing test file named NAME_test.c including header (none when
 * NULL). */
static void S_test(const char *name, const char *header)
{
    char path[256], text[1024];
    snprintf(path, sizeof path, "tests/%s_test.c", name);
    snprintf(text, sizeof text,
             "#include <galley.h>\n"
             "#include <stdio.h>\n"
             "%s\n"
             "TEST(%s) {\n"
             "    printf(\"%s\\n\");\n"
             "    EXPECT(/* %s */);\n"
             "}\n",
             header ? header : "", name, name, name);
    e2e_write(path, text);
}

/* Makes and commits a project: a includes nothing; b includes h1.h; c
 * includes h2.h, which includes h1.h; d includes <h3.h> from galley.conf's
 * include directory, and h3.h and h4.h include each other; e includes a
 * source file of the code under test's directory. */
static void S_project(void)
{
    e2e_project();
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    unsetenv("GIT_INDEX_FILE");
    e2e_write("galley.conf", "include = include\nsources = src/lib.c\n");
    e2e_write(".gitignore", "_galley/\n");
    e2e_write("include/h1.h", "#define H1 1\n");
    e2e_write("include/h2.h", "#include \"h1.h\"\n");
    e2e_write("include/h3.h", "#pragma once\n#include \"h4.h\"\n");
    e2e_write("include/h4.h", "#pragma once\n  #  include \"h3.h\"\n");
    e2e_write("src/lib.c", "int lib(void) { return 1; }\n");
    e2e_write("src/helper.c", "int helper(void) { return 2; }\n");
    S_test("a", NULL);
    S_test("b", "#include \"../include/h1.h\"");
    S_test("c", "#include \"h2.h\"");
    S_test("d", "#include <h3.h>");
    S_test("e", "#include \"../src/helper.c\"");
    S_git("init -q");
    S_git("add -A");
    S_git("commit -qm one");
}

TEST(work_tree_index_and_untracked)
{
    S_project();
    e2e_galley("run --changed --list");
    EXPECT(/*
      galley: --changed HEAD: 0 of 5 test files
      [exit 0]
    */);
    /* A changed test, a header two includes away from c, and a new test
     * in a new directory (untracked): a, b, c and the new one. */
    e2e_write("tests/a_test.c", "#include <galley.h>\nTEST(a2) {}\n");
    e2e_write("include/h1.h", "#define H1 2\n");
    e2e_write("tests/new/n_test.c", "#include <galley.h>\nTEST(n) {}\n");
    e2e_galley("run --changed --list");
    EXPECT(/*
      galley: --changed HEAD: 4 of 6 test files
      tests/a_test.c:2: a2
      tests/b_test.c:4: b
      tests/c_test.c:4: c
      tests/new/n_test.c:2: n
      [exit 0]
    */);
    e2e_galley("run -q --changed");
    EXPECT(/*
      galley: --changed HEAD: 4 of 6 test files
      4 passed, 0 failed
      [exit 0]
    */);
    /* Staged changes count too, and --changed narrows the paths given. */
    S_git("add -A");
    S_git("commit -qm two");
    e2e_write("src/helper.c", "int helper(void) { return 3; }\n");
    e2e_write("include/h4.h", "#pragma once\n");
    S_git("add src/helper.c include/h4.h");
    e2e_galley("run --changed --list");
    e2e_galley("run --changed --list tests/d_test.c tests/a_test.c");
    EXPECT(/*
      galley: --changed HEAD: 2 of 6 test files
      tests/d_test.c:4: d
      tests/e_test.c:4: e
      [exit 0]
      galley: --changed HEAD: 1 of 2 test files
      tests/d_test.c:4: d
      [exit 0]
    */);
    e2e_done();
}

TEST(against_a_revision)
{
    S_project();
    e2e_write("include/h2.h", "#include \"h1.h\"\n#define H2 2\n");
    S_git("commit -qam two");
    e2e_write("tests/e_test.c", "#include <galley.h>\nTEST(e2) {}\n");
    /* HEAD~1: the commit's change to h2.h and the work tree's to e. */
    e2e_galley("run --changed=HEAD~1 --list");
    e2e_galley("run --changed=main --list");
    EXPECT(/*
      galley: --changed HEAD~1: 2 of 5 test files
      tests/c_test.c:4: c
      tests/e_test.c:2: e2
      [exit 0]
      galley: --changed main: 1 of 5 test files
      tests/e_test.c:2: e2
      [exit 0]
    */);
    e2e_done();
}

TEST(configuration_changes_everything)
{
    S_project();
    e2e_write("src/lib.c", "int lib(void) { return 2; }\n");
    e2e_galley("run -q --changed");
    S_git("checkout -q src/lib.c");
    e2e_write("galley.conf", "include = include\nsources = src/lib.c\n"
                             "timeout_ms = 5000\n");
    e2e_galley("run -q --changed");
    EXPECT(/*
      galley: --changed HEAD: a file of galley.conf's sources changed: every test file
      5 passed, 0 failed
      [exit 0]
      galley: --changed HEAD: galley.conf changed: every test file
      5 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(errors)
{
    S_project();
    e2e_galley("run --changed=no-such-rev");
    e2e_galley("run --changed=HEAD:galley.conf");
    e2e_galley("run --changed=");
    EXPECT(/*
      galley: error: --changed: unknown revision 'no-such-rev' (give a commit, branch or tag, such as HEAD~1 or main)
      [exit 2]
      galley: error: --changed: 'HEAD:galley.conf' names no commit or tree
      [exit 2]
      galley: run: --changed= needs a revision, such as HEAD~1
      Try 'galley run --help'.
      [exit 2]
    */);
    e2e_sh("rm -rf .git");
    e2e_galley_filter("run --changed", "sed 's|/[^ ]*/galley-e2e-[^ ]*|DIR|'");
    EXPECT(/*
      galley: error: --changed: DIR is not in a git repository (--changed compares with one)
      [exit 2]
    */);
    e2e_done();
}

TEST(fresh_repository)
{
    /* No commit yet: HEAD is the empty tree, every file is new, and
     * galley.conf among them. */
    e2e_project();
    unsetenv("GIT_DIR");
    S_test("a", NULL);
    S_git("init -q");
    e2e_galley("run -q --changed");
    EXPECT(/*
      galley: --changed HEAD: galley.conf changed: every test file
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}
