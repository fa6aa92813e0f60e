/* init_test.c: `galley init` scaffolds a project whose first test passes as
 * it is, never overwrites a file, adds the _galley/ line to .gitignore only
 * when it is missing, and reports bad usage and unwritable places. */
#include <galley.h>
#include <stdio.h>
#include <unistd.h>

#include "e2e.h"

/* e2e_project writes an empty galley.conf; these tests start with none. */
static void S_empty_project(void)
{
    e2e_project();
    e2e_sh("rm galley.conf");
}

TEST(init_in_an_empty_directory_then_run_passes)
{
    S_empty_project();
    e2e_galley("init");
    e2e_sh("find . -type f | LC_ALL=C sort; cat .gitignore");
    EXPECT(/*
      created galley.conf
      created tests/example_test.c
      created .gitignore

      next steps:
        galley run        build and run the tests in tests/
        galley promote    accept new output into the source
      Name your code in galley.conf (sources, include), then write tests
      like tests/example_test.c. See galley(1) and galley(3).
      [exit 0]
      ./.gitignore
      ./galley.conf
      ./tests/example_test.c
      _galley/
    */);
    e2e_galley("run");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
    */);
    /* Every key of the configuration is there, commented out. */
    e2e_sh("grep '^#[a-z_]* = ' galley.conf");
    EXPECT(/*
      #sources = src/parse.c src/eval.c
      #include = src
      #cflags = -g -Wall
      #ldflags = -L/opt/mylib/lib
      #libs = -lm
      #tests = tests
      #timeout_ms = 10000
      #output_limit = 16M
      #rtol = 0
      #atol = 0
      #filter = @pointers
      #filter = s/took [0-9.]+ ms/took N ms/g
      #inputs = data
      #env = OMP_NUM_THREADS
      #cache = on
      #cache_size = 64M
      #cuda = off
    */);
    /* Each example value is one galley accepts (sources would name files
     * that do not exist). */
    e2e_sh("sed -n 's/^#\\([a-z_]* = \\)/\\1/p' galley.conf"
           " | grep -v '^sources' > conf && mv conf galley.conf");
    /* (Whether the results come from the cache depends on the build:
     * libs = -lm makes the program need libm where it did not.) */
    e2e_galley_filter("run", "sed 's/ ([0-9]* cached)//'");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(init_twice_keeps_everything)
{
    S_empty_project();
    e2e_galley("init >/dev/null");
    e2e_sh("echo '// mine' >> tests/example_test.c"
           " && cat galley.conf tests/example_test.c .gitignore > before");
    e2e_galley("init");
    e2e_sh("cat galley.conf tests/example_test.c .gitignore | cmp - before"
           " && echo unchanged");
    EXPECT(/*
      [exit 0]
      kept galley.conf (exists)
      kept tests/example_test.c (exists)
      kept .gitignore (has _galley/)

      next steps:
        galley run        build and run the tests in tests/
        galley promote    accept new output into the source
      Name your code in galley.conf (sources, include), then write tests
      like tests/example_test.c. See galley(1) and galley(3).
      [exit 0]
      unchanged
    */);
    e2e_done();
}

TEST(init_into_a_new_directory)
{
    S_empty_project();
    e2e_galley("init proj/sub/");
    if (chdir("proj/sub") == 0)
        e2e_galley("run");
    EXPECT(/*
      created proj/sub/galley.conf
      created proj/sub/tests/example_test.c
      created proj/sub/.gitignore

      next steps:
        cd proj/sub/
        galley run        build and run the tests in tests/
        galley promote    accept new output into the source
      Name your code in galley.conf (sources, include), then write tests
      like tests/example_test.c. See galley(1) and galley(3).
      [exit 0]
      2 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(existing_gitignore_without_the_line)
{
    S_empty_project();
    /* The last line has no newline: the new line must not join it. */
    e2e_sh("printf '*.o\\nbuild/' > .gitignore");
    e2e_galley("init | grep gitignore");
    e2e_galley("init | grep gitignore");
    e2e_cat(".gitignore");
    EXPECT(/*
      added _galley/ to .gitignore
      [exit 0]
      kept .gitignore (has _galley/)
      [exit 0]
      *.o
      build/
      _galley/
    */);
    e2e_done();
}

TEST(existing_gitignore_with_the_line)
{
    S_empty_project();
    e2e_sh("printf '*.o\\n/_galley/  \\nbuild/\\n' > .gitignore");
    e2e_galley("init | grep gitignore");
    e2e_cat(".gitignore");
    EXPECT(/*
      kept .gitignore (has _galley/)
      [exit 0]
      *.o
      /_galley/
      build/
    */);
    e2e_done();
}

TEST(existing_galley_conf_is_kept)
{
    S_empty_project();
    e2e_write("galley.conf", "cflags = -g -Wall -Wextra\n");
    e2e_galley("init");
    e2e_sh("cat galley.conf");
    EXPECT(/*
      kept galley.conf (exists)
      created tests/example_test.c
      created .gitignore

      next steps:
        galley run        build and run the tests in tests/
        galley promote    accept new output into the source
      Name your code in galley.conf (sources, include), then write tests
      like tests/example_test.c. See galley(1) and galley(3).
      [exit 0]
      cflags = -g -Wall -Wextra
    */);
    e2e_done();
}

TEST(bad_usage_and_unwritable_places)
{
    S_empty_project();
    e2e_galley("init a b");
    e2e_galley("init --force");
    e2e_galley("init ''");
    /* A path through a plain file cannot be made, even by root. */
    e2e_sh("touch plain");
    e2e_galley("init plain/proj");
    e2e_sh("mkdir half && touch half/tests");
    e2e_galley("init half");
    e2e_sh("ls -A");
    /* A name with a control character is refused; one with characters a
     * shell reads is quoted in the next steps. */
    e2e_galley("init 'new\nline'");
    e2e_galley_filter("init \"it's \\$HOME\"", "grep cd");
    e2e_galley_filter("init -- -x", "grep cd");
    e2e_sh("ls -A");
    EXPECT(/*
      galley: init: one directory, not a and b
      Try 'galley init --help'.
      [exit 2]
      galley: init: unknown option: --force
      Try 'galley init --help'.
      [exit 2]
      galley: init: the directory name is empty
      Try 'galley init --help'.
      [exit 2]
      plain/proj: error: cannot create: Not a directory
      [exit 1]
      created half/galley.conf
      half/tests/example_test.c: error: cannot create: Not a directory
      [exit 1]
      half
      plain
      galley: init: the directory name holds a control character (byte 0x0a); choose a name without one
      Try 'galley init --help'.
      [exit 2]
        cd 'it'\''s $HOME'
      [exit 0]
        cd ./-x
      [exit 0]
      -x
      half
      it's $HOME
      plain
    */);
    e2e_done();
}
