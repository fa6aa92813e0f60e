/* failures_test.c: end-to-end tests of tests that do not end normally: a
 * crash, abort(), exit() in the middle, a timeout, output past the cap.
 * Each fails its own test only; what it printed before is still compared
 * and promotable, and promotion converges. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(crash_after_printing)
{
    e2e_project();
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(before) { printf(\"fine\\n\"); EXPECT(/* fine */); }\n"
              "\n"
              "TEST(segv) {\n"
              "    printf(\"first\\n\");\n"
              "    EXPECT();\n"
              "    printf(\"second line\\n\");\n"
              "    printf(\"no newline before the crash\");\n"
              "    *(volatile int *)0 = 1;\n"
              "    EXPECT(/* never reached */);\n"
              "    printf(\"never printed\\n\");\n"
              "}\n"
              "\n"
              "TEST(after) { printf(\"fine\\n\"); EXPECT(/* fine */); }\n");
    e2e_galley("run");
    EXPECT(/*
      tests/c_test.c:8: segv: crashed (SIGSEGV) at tests/c_test.c:11, after the marker at line 8
      unchecked output before it stopped (not promoted):
        second line
        no newline before the crash
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=segv --galley-no-fork
      tests/c_test.c:8: segv: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +first
      tests/c_test.c:12: segv: not reached

      2 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/c_test.c", 6, 16);
    EXPECT(/*
      promoted tests/c_test.c (1 marker)
      [exit 0]
      TEST(segv) {
          printf("first\n");
          EXPECT((* first *));
          printf("second line\n");
          printf("no newline before the crash");
          *(volatile int *)0 = 1;
          EXPECT((* never reached *));
          printf("never printed\n");
      }

      TEST(after) { printf("fine\n"); EXPECT((* fine *)); }
    */);
    e2e_galley("run");
    EXPECT(/*
      tests/c_test.c:8: segv: crashed (SIGSEGV) at tests/c_test.c:11, after the marker at line 8
      unchecked output before it stopped (not promoted):
        second line
        no newline before the crash
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=segv --galley-no-fork
      tests/c_test.c:12: segv: not reached

      2 passed (2 cached), 1 failed (1 cached)
      [exit 1]
    */);
    /* Promotion has converged: a second promote changes nothing. */
    e2e_sh("cp tests/c_test.c before.c");
    e2e_galley("promote");
    e2e_galley("run");
    e2e_sh("cmp before.c tests/c_test.c && echo unchanged");
    EXPECT(/*
      nothing to promote
      [exit 0]
      tests/c_test.c:8: segv: crashed (SIGSEGV) at tests/c_test.c:11, after the marker at line 8
      unchecked output before it stopped (not promoted):
        second line
        no newline before the crash
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=segv --galley-no-fork
      tests/c_test.c:12: segv: not reached

      2 passed (2 cached), 1 failed (1 cached)
      [exit 1]
      unchanged
    */);
    e2e_done();
}

TEST(abort_and_exit)
{
    e2e_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "TEST(aborts) {\n"
              "    printf(\"about to abort\\n\");\n"
              "    abort();\n"
              "}\n"
              "\n"
              "TEST(exits) {\n"
              "    printf(\"about to exit\\n\");\n"
              "    EXPECT();\n"
              "    exit(3);\n"
              "    EXPECT();\n"
              "}\n"
              "\n"
              "TEST(exit_zero) {\n"
              "    printf(\"exit(0) is not the end of the test\\n\");\n"
              "    exit(0);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/a_test.c:5: aborts: crashed (SIGABRT) at tests/a_test.c:7
      unchecked output before it stopped (not promoted):
        about to abort
      debug it with: gdb --args _galley/bin/tests/a_test --galley-only=aborts --galley-no-fork

      tests/a_test.c:12: exits: exited with status 3 before the end of the test, after the marker at line 12
      tests/a_test.c:12: exits: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +about to exit
      tests/a_test.c:14: exits: not reached

      tests/a_test.c:17: exit_zero: exited with status 0 before the end of the test
      unchecked output before it stopped (not promoted):
        exit(0) is not the end of the test

      0 passed, 3 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/a_test.c", 5, 0);
    EXPECT(/*
      promoted tests/a_test.c (1 marker)
      [exit 0]
      TEST(aborts) {
          printf("about to abort\n");
          abort();
      }

      TEST(exits) {
          printf("about to exit\n");
          EXPECT((* about to exit *));
          exit(3);
          EXPECT();
      }

      TEST(exit_zero) {
          printf("exit(0) is not the end of the test\n");
          exit(0);
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      tests/a_test.c:5: aborts: crashed (SIGABRT) at tests/a_test.c:7
      unchecked output before it stopped (not promoted):
        about to abort
      debug it with: gdb --args _galley/bin/tests/a_test --galley-only=aborts --galley-no-fork

      tests/a_test.c:12: exits: exited with status 3 before the end of the test, after the marker at line 12
      tests/a_test.c:14: exits: not reached

      tests/a_test.c:17: exit_zero: exited with status 0 before the end of the test
      unchecked output before it stopped (not promoted):
        exit(0) is not the end of the test

      0 passed, 3 failed (3 cached)
      [exit 1]
    */);
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    /* Each end expected by an EXPECT_END, empty at first; one test that
     * expects an exit but returns; one with stderr merged, in order; one
     * that skips itself. */
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "TEST(aborts) {\n"
              "    printf(\"about to abort\\n\");\n"
              "    abort();\n"
              "    EXPECT_END();\n"
              "}\n"
              "\n"
              "TEST(exits) {\n"
              "    printf(\"about to exit\\n\");\n"
              "    EXPECT(/* about to exit */);\n"
              "    fprintf(stderr, \"not compared\\n\");\n"
              "    exit(3);\n"
              "    EXPECT(/* between */);\n"
              "    EXPECT_END();\n"
              "}\n"
              "\n"
              "TEST(exit_zero) {\n"
              "    exit(0);\n"
              "    EXPECT_END();\n"
              "}\n"
              "\n"
              "TEST(returns) {\n"
              "    printf(\"it returned\\n\");\n"
              "    EXPECT_END(/*\n"
              "      it returned\n"
              "      [exit 1]\n"
              "    */);\n"
              "}\n"
              "\n"
              "TEST(merged, .merge_stderr = 1) {\n"
              "    printf(\"out 1\\n\");\n"
              "    fprintf(stderr, \"err 1\\n\");\n"
              "    printf(\"out 2\\n\");\n"
              "    fprintf(stderr, \"assertion failed\\n\");\n"
              "    abort();\n"
              "    EXPECT_END();\n"
              "}\n"
              "\n"
              "TEST(skips) {\n"
              "    printf(\"checked\\n\");\n"
              "    EXPECT(/* checked */);\n"
              "    printf(\"not checked\\n\");\n"
              "    GALLEY_SKIP(\"no device\");\n"
              "    EXPECT(/* never reached: no failure */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/a_test.c:8: aborts: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,2 @@
      +about to abort
      +[signal SIGABRT]

      tests/a_test.c:17: exits: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +[exit 3]
      tests/a_test.c:16: exits: not reached
      stderr of exits:
        not compared

      tests/a_test.c:22: exit_zero: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +[exit 0]

      tests/a_test.c:27: returns: mismatch
      --- expected
      +++ actual
      @@ -1,2 +1,1 @@
       it returned
      -[exit 1]

      tests/a_test.c:39: merged: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,5 @@
      +out 1
      +err 1
      +out 2
      +assertion failed
      +[signal SIGABRT]

      tests/a_test.c:46: skips: skipped: no device
      0 passed, 5 failed, 1 skipped
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/a_test.c", 5, 0);
    EXPECT(/*
      promoted tests/a_test.c (6 markers)
      [exit 0]
      TEST(aborts) {
          printf("about to abort\n");
          abort();
          EXPECT_END((*
            about to abort
            [signal SIGABRT]
          *));
      }

      TEST(exits) {
          printf("about to exit\n");
          EXPECT((* about to exit *));
          fprintf(stderr, "not compared\n");
          exit(3);
          EXPECT_UNREACHABLE();
          EXPECT_END((* [exit 3] *));
      }

      TEST(exit_zero) {
          exit(0);
          EXPECT_END((* [exit 0] *));
      }

      TEST(returns) {
          printf("it returned\n");
          EXPECT_END((* it returned *));
      }

      TEST(merged, .merge_stderr = 1) {
          printf("out 1\n");
          fprintf(stderr, "err 1\n");
          printf("out 2\n");
          fprintf(stderr, "assertion failed\n");
          abort();
          EXPECT_END((*
            out 1
            err 1
            out 2
            assertion failed
            [signal SIGABRT]
          *));
      }

      TEST(skips) {
          printf("checked\n");
          EXPECT((* checked *));
          printf("not checked\n");
          GALLEY_SKIP("no device");
          EXPECT((* never reached: no failure *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      tests/a_test.c:52: skips: skipped: no device
      5 passed, 0 failed, 1 skipped
      [exit 0]
    */);
    /* The ends come from the cache now; a skip never does: it runs. */
    e2e_galley_filter("run --format=json",
                      "grep -v '\"cached\":' | sed 's/_ms\":[0-9]*/_ms\":N/'");
    EXPECT(/*
      {"schema":1,"type":"test","file":"tests/a_test.c","line":48,"test":"skips","status":"skipped","duration_ms":N,"reason":"no device"}
      [exit 0]
    */);
    e2e_done();
}

TEST(timeout)
{
    e2e_project();
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "TEST(slow, .timeout_ms = 200) {\n"
              "    printf(\"started\\n\");\n"
              "    for (;;)\n"
              "        pause();\n"
              "}\n"
              "\n"
              "TEST(quick) { printf(\"quick\\n\"); EXPECT(/* quick */); }\n");
    e2e_galley("run");
    EXPECT(/*
      tests/t_test.c:5: slow: timed out after 200 ms
      unchecked output before it stopped (not promoted):
        started

      1 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/t_test.c", 5, 10);
    EXPECT(/*
      nothing to promote
      [exit 0]
      TEST(slow, .timeout_ms = 200) {
          printf("started\n");
          for (;;)
              pause();
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      tests/t_test.c:5: slow: timed out after 200 ms
      unchecked output before it stopped (not promoted):
        started

      1 passed (1 cached), 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}

TEST(output_limit)
{
    e2e_project();
    e2e_write("galley.conf", "output_limit = 1K\n");
    e2e_write("tests/big_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "TEST(big) {\n"
              "    for (int i = 0; i < 100 * 1024 / 8; i++)\n"
              "        printf(\"%07d\\n\", i);\n"
              "    usleep(300 * 1000); /* galley stops it here */\n"
              "    EXPECT();\n"
              "}\n"
              "\n"
              "TEST(small) { printf(\"small\\n\"); EXPECT(/* small */); }\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/big_test.c:5: big: output cut at 1024 bytes (output_limit); not promoted
      tests/big_test.c:9: big: not reached
      1 passed, 1 failed
      [exit 1]
    */);
    /* The report holds what was kept: no more than the cap. */
    e2e_galley("run | grep -c '^  [0-9]'");
    EXPECT(/*
      128
      [exit 0]
    */);
    /* Cut output is not the test's output: it is never promoted. */
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}
