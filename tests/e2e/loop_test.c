/* loop_test.c: end-to-end tests of galley's basic loop: run, read the diff,
 * promote, rerun; what is captured and where it lands; the ways a test's
 * output can fail to match its markers. Each test makes a throwaway project,
 * runs the galley under test ($GALLEY_BIN) there and prints what it said. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(basic_loop)
{
    e2e_project();
    e2e_write("tests/x_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(answer) {\n"
              "    printf(\"answer %d\\n\", 6 * 7);\n"
              "    printf(\"second line\\n\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/x_test.c:7: answer: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,2 @@
      +answer 42
      +second line

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_cat("_galley/tests/x_test.c.corrected");
    EXPECT(/*
      #include <galley.h>
      #include <stdio.h>

      TEST(answer) {
          printf("answer %d\n", 6 * 7);
          printf("second line\n");
          EXPECT((*
            answer 42
            second line
          *));
      }
    */);
    e2e_galley("promote");
    e2e_cat("tests/x_test.c");
    EXPECT(/*
      promoted tests/x_test.c (1 marker)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(answer) {
          printf("answer %d\n", 6 * 7);
          printf("second line\n");
          EXPECT((*
            answer 42
            second line
          *));
      }
    */);
    e2e_galley("run");
    e2e_sh("LC_ALL=C ls _galley/tests _galley/state/tests");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      _galley/state/tests:

      _galley/tests:
    */);
    e2e_sh("sed -i 's/6 \\* 7/6 * 8/' tests/x_test.c");
    e2e_galley("run");
    EXPECT(/*
      tests/x_test.c:7: answer: mismatch
      --- expected
      +++ actual
      @@ -1,2 +1,2 @@
      -answer 42
      +answer 48
       second line

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(capture)
{
    e2e_project();
    e2e_write("tests/cap_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "#include <sys/wait.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "TEST(cap) {\n"
              "    printf(\"no newline,\");\n"
              "    puts(\" then puts\");\n"
              "    EXPECT();\n"
              "    write(1, \"raw write\\n\", 10);\n"
              "    EXPECT();\n"
              "    fprintf(stdout, \"stdio 1\\n\");\n"
              "    write(1, \"write 2\\n\", 8);\n"
              "    fprintf(stdout, \"stdio 3\\n\");\n"
              "    EXPECT();\n"
              "    fprintf(stderr, \"to stderr\\n\");\n"
              "    system(\"echo from a shell\");\n"
              "    printf(\"after the shell\\n\");\n"
              "    EXPECT();\n"
              "    pid_t pid = fork();\n"
              "    if (pid == 0) {\n"
              "        execlp(\"echo\", \"echo\", \"from\", \"exec\", (char *)0);\n"
              "        _exit(127);\n"
              "    }\n"
              "    waitpid(pid, 0, 0);\n"
              "    printf(\"parent again\\n\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/cap_test.c:10: cap: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +no newline, then puts
      tests/cap_test.c:12: cap: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +raw write
      tests/cap_test.c:16: cap: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,3 @@
      +stdio 1
      +write 2
      +stdio 3
      tests/cap_test.c:20: cap: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,2 @@
      +from a shell
      +after the shell
      tests/cap_test.c:28: cap: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,2 @@
      +from exec
      +parent again
      stderr of cap:
        to stderr

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/cap_test.c");
    EXPECT(/*
      promoted tests/cap_test.c (5 markers)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <sys/wait.h>
      #include <unistd.h>

      TEST(cap) {
          printf("no newline,");
          puts(" then puts");
          EXPECT((* no newline, then puts *));
          write(1, "raw write\n", 10);
          EXPECT((* raw write *));
          fprintf(stdout, "stdio 1\n");
          write(1, "write 2\n", 8);
          fprintf(stdout, "stdio 3\n");
          EXPECT((*
            stdio 1
            write 2
            stdio 3
          *));
          fprintf(stderr, "to stderr\n");
          system("echo from a shell");
          printf("after the shell\n");
          EXPECT((*
            from a shell
            after the shell
          *));
          pid_t pid = fork();
          if (pid == 0) {
              execlp("echo", "echo", "from", "exec", (char *)0);
              _exit(127);
          }
          waitpid(pid, 0, 0);
          printf("parent again\n");
          EXPECT((*
            from exec
            parent again
          *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(trailing_output)
{
    e2e_project();
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(tail) {\n"
              "    printf(\"before\\n\");\n"
              "    EXPECT(/* before */);\n"
              "    printf(\"after the last marker\\n\");\n"
              "}\n"
              "\n"
              "TEST(no_marker) { printf(\"all on one line\\n\"); }\n");
    e2e_galley("run");
    EXPECT(/*
      tests/t_test.c:8: tail: trailing output
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +after the last marker

      tests/t_test.c:10: no_marker: trailing output
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +all on one line

      0 passed, 2 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/t_test.c");
    EXPECT(/*
      promoted tests/t_test.c (2 markers)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(tail) {
          printf("before\n");
          EXPECT((* before *));
          printf("after the last marker\n");
          EXPECT((* after the last marker *));
      }

      TEST(no_marker) { printf("all on one line\n");
          EXPECT((* all on one line *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(varying_output_in_a_loop)
{
    e2e_project();
    e2e_write("tests/v_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(varies) {\n"
              "    for (int i = 0; i < 3; i++) {\n"
              "        printf(\"i = %d\\n\", i);\n"
              "        EXPECT(/* i = 0 */);\n"
              "    }\n"
              "}\n"
              "\n"
              "TEST(same_every_time) {\n"
              "    for (int i = 0; i < 100000; i++) {\n"
              "        printf(\"same\\n\");\n"
              "        EXPECT(/* same */);\n"
              "    }\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/v_test.c:7: varies: varying output in a loop: pass 1 and pass 2 differ (not promoted)
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -i = 0
      +i = 1

      1 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(not_reached)
{
    e2e_project();
    e2e_write("tests/n_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(branch) {\n"
              "    int x = 1;\n"
              "    if (x == 2) {\n"
              "        printf(\"two\\n\");\n"
              "        EXPECT(/* two */);\n"
              "    }\n"
              "    printf(\"one\\n\");\n"
              "    EXPECT(/* one */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/n_test.c:8: branch: not reached

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(expect_exact)
{
    e2e_project();
    e2e_write("tests/e_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(exact) {\n"
              "    printf(\"  two spaces before, two after  \\nno newline\");\n"
              "    EXPECT_EXACT();\n"
              "    printf(\"\\nblank edges\\n\\n\");\n"
              "    EXPECT_EXACT();\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/e_test.c:6: exact: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,2 @@
      +  two spaces before, two after
      +no newline
      tests/e_test.c:8: exact: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,3 @@
      +
      +blank edges
      +

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    /* cat -A makes each line end visible ($), so trailing spaces show. */
    e2e_sh("sed -n '4,$p' tests/e_test.c | cat -A "
           "| sed 's#/\\*#(*#g; s#\\*/#*)#g'");
    EXPECT(/*
      promoted tests/e_test.c (2 markers)
      [exit 0]
      TEST(exact) {$
          printf("  two spaces before, two after  \nno newline");$
          EXPECT_EXACT((*  two spaces before, two after  $
      no newline*));$
          printf("\nblank edges\n\n");$
          EXPECT_EXACT((*$
      blank edges$
      $
      *));$
      }$
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(marker_in_a_helper)
{
    e2e_project();
    e2e_write("tests/h_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "static void show(int x) {\n"
              "    printf(\"x is %s\\n\", x > 0 ? \"positive\" : \"not positive\");\n"
              "    EXPECT();\n"
              "}\n"
              "\n"
              "TEST(first) { show(1); }\n"
              "TEST(second) { show(2); }\n");
    e2e_galley("run");
    EXPECT(/*
      tests/h_test.c:6: first: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +x is positive

      tests/h_test.c:6: second: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +x is positive

      0 passed, 2 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/h_test.c", 4, 7);
    EXPECT(/*
      promoted tests/h_test.c (1 marker)
      [exit 0]
      static void show(int x) {
          printf("x is %s\n", x > 0 ? "positive" : "not positive");
          EXPECT((* x is positive *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    /* Now the two tests print different things at the same marker. */
    e2e_sh("sed -i 's/show(2)/show(-2)/' tests/h_test.c");
    e2e_galley("run");
    EXPECT(/*
      tests/h_test.c:6: second: output differs from what test first printed at this shared marker (not promoted)
      tests/h_test.c:6: second: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -x is positive
      +x is not positive

      1 passed, 1 failed
      [exit 1]
    */);
    /* One marker cannot hold both outputs: promote leaves it alone rather
     * than flip it between the two tests on every promote. */
    e2e_galley("promote");
    e2e_cat_lines("tests/h_test.c", 6, 6);
    EXPECT(/*
      nothing to promote
      [exit 0]
          EXPECT((* x is positive *));
    */);
    e2e_done();
}

TEST(test_program_run_by_hand)
{
    e2e_project();
    e2e_write("tests/hand_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "TEST(good) {\n"
              "    printf(\"hello\\n\");\n"
              "    EXPECT(/* hello */);\n"
              "    printf(\"no newline\");\n"
              "    EXPECT(/* no newline */);\n"
              "}\n"
              "\n"
              "TEST(bad) {\n"
              "    fprintf(stderr, \"oops\\n\");\n"
              "    exit(4);\n"
              "}\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/hand_test.c:12: bad: exited with status 4 before the end of the test
      1 passed, 1 failed
      [exit 1]
    */);
    e2e_sh("./_galley/bin/hand_test-*[0-9a-f] | sed 's/([0-9]* ms)/(N ms)/'");
    EXPECT(/*
      === good (tests/hand_test.c:5)
      tests/hand_test.c:7:
          hello
      tests/hand_test.c:9:
          no newline
          (no newline at end)
      --- ok (N ms)

      === bad (tests/hand_test.c:12)
      stderr:
          oops
      --- FAILED: exited with status 4 (N ms)

      2 tests: 1 ok, 1 failed (bad)
    */);
    e2e_sh("./_galley/bin/hand_test-*[0-9a-f] --galley-list");
    EXPECT(/*
      good 5 tests/hand_test.c
      bad 12 tests/hand_test.c
    */);
    e2e_done();
}

/* --failed reruns what failed last, as pytest's --last-failed: a test that
 * passes leaves the record, one not run keeps its place in it; none left,
 * every test runs. */
TEST(failed_reruns_what_failed)
{
    e2e_project();
    e2e_write("tests/f_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(good) { puts(\"ok\"); EXPECT(/* ok */); }\n"
              "TEST(bad) { puts(\"1\"); EXPECT(/* 2 */); }\n"
              "TEST(worse) { puts(\"3\"); EXPECT(/* 4 */); }\n");
    e2e_galley("run -q");
    e2e_galley("run -q --failed");
    e2e_galley("run -q --failed --filter=bad --promote");
    e2e_galley("run -q --failed");
    e2e_galley("promote");
    e2e_galley("run -q --failed");
    e2e_galley("run -q --failed");
    /* A test that failed, then renamed: --failed runs every test rather
     * than none (which would pass). */
    e2e_sh("sed -i 's/EXPECT(\\/\\* 3 \\*\\/)/EXPECT()/' tests/f_test.c");
    e2e_galley("run -q");
    e2e_sh("sed -i 's/TEST(worse)/TEST(worst)/' tests/f_test.c");
    e2e_galley("run -q --failed");
    EXPECT(/*
      tests/f_test.c:4: bad: mismatch
      tests/f_test.c:5: worse: mismatch
      1 passed, 2 failed
      [exit 1]
      tests/f_test.c:4: bad: mismatch
      tests/f_test.c:5: worse: mismatch
      0 passed, 2 failed (2 cached)
      [exit 1]
      tests/f_test.c:4: bad: mismatch
      0 passed, 1 failed (1 cached)
      promoted tests/f_test.c (1 marker, 1 still pending)
      [exit 1]
      tests/f_test.c:5: worse: mismatch
      1 passed (1 cached), 1 failed (1 cached)
      [exit 1]
      promoted tests/f_test.c (1 marker)
      [exit 0]
      1 passed (1 cached), 0 failed
      [exit 0]
      galley: --failed: no test failed when it last ran: running every test
      3 passed (3 cached), 0 failed
      [exit 0]
      tests/f_test.c:5: worse: mismatch
      2 passed, 1 failed
      [exit 1]
      galley: --failed: none of the tests that failed when they last ran is here now: running every test
      tests/f_test.c:5: worst: mismatch
      2 passed, 1 failed
      [exit 1]
    */);
}

/* --fail-fast (-x) stops at the first failure, as pytest -x: no test
 * program starts after it, and the tests that did not run are reported as
 * not run (skipped, with the reason, in the reports for machines), never
 * as passed. A failure the cache already knows stops the run before
 * anything starts. With -j1, small files run in path order. */
TEST(fail_fast_stops_at_the_first_failure)
{
    e2e_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(good) { puts(\"ok\"); EXPECT(/* ok */); }\n"
              "TEST(bad) { puts(\"1\"); EXPECT(/* 2 */); }\n");
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(later) { puts(\"b\"); EXPECT(/* b */); }\n");
    e2e_galley("run -q -x -j1");
    e2e_sh("\"$GALLEY_BIN\" run --fail-fast --format=tap | grep ok");
    e2e_galley("promote");
    e2e_galley("run -q -x");
    EXPECT(/*
      tests/a_test.c:4: bad: mismatch
      1 passed, 1 failed, 1 not run
      [exit 1]
      ok 1 - tests/a_test.c:good
      not ok 2 - tests/a_test.c:bad
      ok 3 - tests/b_test.c:later # SKIP not run: --fail-fast stopped the run at the first failure
      promoted tests/a_test.c (1 marker)
      [exit 0]
      3 passed (2 cached), 0 failed
      [exit 0]
    */);
}
