/* trust_test.c: never green by accident, never a lost edit. Each test
 * reproduces a hole that trying galley as a new user would, or attacking
 * it, found: test files the runner did not see, output promoted where it
 * does not belong, processes outliving their test, inputs that broke the
 * whole run. */
#include <galley.h>
#include <stdio.h>
#include <unistd.h>

#include "e2e.h"

/* A passing test file body after its includes. */
#define S_BODY                                   \
    "\n"                                         \
    "TEST(t) {\n"                                \
    "    puts(\"new\");\n"                       \
    "    EXPECT(/* old */);\n"                   \
    "}\n"

/* ---- discovery sees what the compiler sees ---- */

TEST(galley_h_through_a_project_header)
{
    e2e_project();
    e2e_write("tests/helpers.h", "#include <galley.h>\n#include <stdio.h>\n");
    e2e_write("tests/ind_test.c", "#include \"helpers.h\"\n" S_BODY);
    e2e_write("include/mine.h", "#include <galley.h>\n");
    e2e_write("galley.conf", "include = include\n");
    e2e_write("tests/angle_test.c",
              "#include <mine.h>\n#include <stdio.h>\n" S_BODY);
    e2e_galley("run --list");
    e2e_galley("run -q");
    EXPECT(/*
      tests/angle_test.c:4: t
      tests/ind_test.c:3: t
      [exit 0]
      tests/angle_test.c:6: t: mismatch
      tests/ind_test.c:5: t: mismatch
      0 passed, 2 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(a_file_with_tests_galley_cannot_take_is_named)
{
    e2e_project();
    /* No galley.h that galley can follow (a macro include), but TESTs
     * with markers: taken, and the compiler says what is wrong. */
    e2e_write("tests/macro_test.c",
              "#define H <galley.h>\n#include H\n#include <stdio.h>\n" S_BODY);
    /* TEST( without a marker, and no galley.h: left out, but named. */
    e2e_write("tests/other_test.c", "#define TEST(x) void x(void)\n"
                                    "TEST(elsewhere) {}\n");
    e2e_galley_filter("run -q", "grep -v '^ '");
    EXPECT(/*
      tests/other_test.c: warning: mentions TEST( or EXPECT( but is not run: it does not include <galley.h>, nor a header that galley can follow (through galley.conf's include); include <galley.h> in it, or name the file in galley.conf's tests or on the command line
      tests/macro_test.c:7: t: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(tests_in_an_included_header_run_there)
{
    e2e_project();
    e2e_write("tests/h.h", "TEST(in_header) {\n"
                           "    puts(\"from h\");\n"
                           "    EXPECT(/* nope */);\n"
                           "}\n");
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n#include <stdio.h>\n#include \"h.h\"\n");
    e2e_galley("run --list");
    e2e_galley("run");
    e2e_galley("promote");
    e2e_cat("tests/h.h");
    e2e_galley("run");
    EXPECT(/*
      tests/h.h:1: in_header
      [exit 0]
      tests/h.h:3: in_header: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -nope
      +from h

      0 passed, 1 failed
      [exit 1]
      promoted tests/h.h (1 marker)
      [exit 0]
      TEST(in_header) {
          puts("from h");
          EXPECT((* from h *));
      }
      1 passed (1 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

/* A TEST that only the compiler finds (through a header galley cannot
 * follow) still runs when the whole file runs. */
TEST(a_test_the_scanner_cannot_see_still_runs)
{
    e2e_project();
    e2e_write("tests/h.h", "TEST(hidden) { puts(\"x\"); EXPECT(/* y */); }\n");
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n#include <stdio.h>\n"
              "#define H \"h.h\"\n#include H\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/h.h:1: hidden: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(byte_order_mark_and_old_mac_line_ends)
{
    e2e_project();
    e2e_write("tests/bom_test.c", "\xef\xbb\xbf#include <galley.h>\n"
                                  "#include <stdio.h>\n" S_BODY);
    e2e_write("tests/mac_test.c", "#include <galley.h>\r#include <stdio.h>\r"
                                  "TEST(t) {\r  puts(\"x\");\r"
                                  "  EXPECT(/* y */);\r}\r");
    e2e_galley("run");
    e2e_galley("promote");
    /* The mark is kept. */
    e2e_sh("head -c 3 tests/bom_test.c | od -An -tx1");
    e2e_galley("run -q");
    EXPECT(/*
      tests/bom_test.c:6: t: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -old
      +new

      tests/mac_test.c:1: (file): a carriage return ends a line without a newline (old Mac line ends), which galley does not read; convert the file to LF or CRLF line ends, e.g. with tr '\r' '\n'

      0 passed, 2 failed
      [exit 1]
      promoted tests/bom_test.c (1 marker)
      [exit 0]
       ef bb bf
      tests/mac_test.c:1: (file): a carriage return ends a line without a newline (old Mac line ends), which galley does not read; convert the file to LF or CRLF line ends, e.g. with tr '\r' '\n'
      1 passed (1 cached), 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(a_run_that_runs_no_test_is_no_success)
{
    e2e_project();
    e2e_write("tests/off_test.c", "#include <galley.h>\n"
                                  "#if 0\n"
                                  "TEST(off) { EXPECT(); }\n"
                                  "#endif\n");
    e2e_galley("run");
    e2e_galley("run --ci");
    EXPECT(/*
      galley: warning: 1 test file found, but no test ran (every TEST was left out by #if)
      0 passed, 0 failed, 1 skipped
      [exit 0]
      galley: warning: 1 test file found, but no test ran (every TEST was left out by #if)
      galley: error: CI mode: a run that runs no test fails
      0 passed, 0 failed, 1 skipped
      [exit 1]
    */);
    /* Tests that vanish since the last run are noticed too. */
    e2e_write("tests/off_test.c", "#include <galley.h>\n"
                                  "TEST(on) { }\n");
    e2e_galley("run");
    e2e_sh("rm tests/off_test.c");
    e2e_galley("run");
    e2e_galley("run --ci");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      galley: warning: no test files found: a test file is a .c file that #includes <galley.h>, or a Markdown document with an ```output block or a <!-- galley --> comment
      galley: warning: no test ran, but the last run ran 1: were the tests deleted, or disabled?
      0 passed, 0 failed
      [exit 0]
      galley: warning: no test files found: a test file is a .c file that #includes <galley.h>, or a Markdown document with an ```output block or a <!-- galley --> comment
      galley: error: CI mode: a run that runs no test fails
      0 passed, 0 failed
      [exit 1]
    */);
    e2e_done();
}

/* ---- output lands where it belongs ---- */

TEST(a_crash_never_empties_a_marker)
{
    e2e_project();
    e2e_write("tests/c_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "#include <stdlib.h>\n"
                                "\n"
                                "TEST(c) {\n"
                                "    puts(\"one\");\n"
                                "    EXPECT(/* one */);\n"
                                "    puts(\"two\");\n"
                                "    abort();\n"
                                "    EXPECT(/* c */);\n"
                                "}\n");
    e2e_sh("cp tests/c_test.c before.c");
    e2e_galley("run");
    e2e_galley("promote");
    e2e_sh("cmp before.c tests/c_test.c && echo unchanged");
    EXPECT(/*
      tests/c_test.c:7: c: crashed (SIGABRT) at tests/c_test.c:9, after the marker at line 7
      unchecked output before it stopped (not promoted):
        two
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=c --galley-no-fork
      tests/c_test.c:10: c: not reached

      0 passed, 1 failed
      [exit 1]
      nothing to promote
      [exit 0]
      unchanged
    */);
    /* The name in the hint is one a person can type, and the option runs
     * the test in the debugger's process. */
    e2e_sh("_galley/bin/tests/c_test --galley-only=c --galley-no-fork"
           " 2>/dev/null");
    EXPECT(/*
      == c (tests/c_test.c:5)
      one
      two
      [exit 134]
    */);
    e2e_done();
}

TEST(two_tests_on_one_line_promote_in_one_step)
{
    e2e_project();
    e2e_write("tests/two_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(a) { puts(\"A\"); EXPECT(/* A */); } "
              "TEST(b) { puts(\"B\"); }\n");
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_cat("tests/two_test.c");
    e2e_galley("run");
    EXPECT(/*
      tests/two_test.c:3: b: trailing output
      1 passed, 1 failed
      [exit 1]
      promoted tests/two_test.c (1 marker)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>
      TEST(a) { puts("A"); EXPECT((* A *)); } TEST(b) { puts("B");
          EXPECT((* B *));
      }
      2 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(line_directive_is_refused_not_failed_forever)
{
    e2e_project();
    e2e_write("tests/l_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "#line 100\n"
                                "TEST(l) { puts(\"x\"); EXPECT(/* x */); }\n");
    e2e_galley("run");
    EXPECT(/*
      tests/l_test.c:3: error: #line changes the line numbers by which galley finds the markers after it; remove it, or move it below the last TEST and EXPECT
      tests/l_test.c: not built: 1 test not run

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

/* Processes a test leaves behind are killed when it ends, in whatever
 * session or group: their output never reaches another test, and none
 * outlives galley. */
TEST(a_test_takes_its_processes_with_it)
{
    e2e_project();
    e2e_write("tests/g_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "TEST(a) {\n"
              "    if (fork() == 0) {\n"
              "        setsid();\n"
              "        if (fork() == 0)\n"
              "            for (;;) {\n"
              "                usleep(20000);\n"
              "                puts(\"late\");\n"
              "                fflush(stdout);\n"
              "            }\n"
              "        _exit(0);\n"
              "    }\n"
              "    puts(\"a\");\n"
              "    EXPECT(/* a */);\n"
              "}\n"
              "\n"
              "TEST(b) {\n"
              "    usleep(200000);\n"
              "    puts(\"b\");\n"
              "    EXPECT(/* b */);\n"
              "}\n"
              "\n"
              "TEST(c) {\n"
              "    if (fork() == 0) {\n"
              "        setpgid(0, 0);\n"
              "        FILE *f = fopen(\"pid\", \"w\");\n"
              "        fprintf(f, \"%d\\n\", (int)getpid());\n"
              "        fclose(f);\n"
              "        pause();\n"
              "    }\n"
              "    while (access(\"pid\", F_OK) != 0)\n"
              "        usleep(1000);\n"
              "    puts(\"c\");\n"
              "    EXPECT(/* c */);\n"
              "}\n");
    e2e_galley("run -j1");
    e2e_sh("kill -0 $(cat pid) 2>/dev/null && echo still running"
           " || echo gone");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      gone
    */);
    e2e_done();
}

/* ---- inputs that broke the whole run ---- */

TEST(hostile_file_names)
{
    e2e_project();
    e2e_write("galley.conf", "tests = .\n");
    const char *names[] = {"tests/pipe|x_test.c", "tests/sp ace$x:y_test.c",
                           "-dash_test.c", "tests/q'u\"o#t&e;*?<>!`=%_test.c",
                           "tests/new\nline_test.c"};
    for (int i = 0; i < 5; i++)
        e2e_write(names[i], "#include <galley.h>\n#include <stdio.h>\n"
                            S_BODY);
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_galley("run");
    EXPECT(/*
      tests/new\nline_test.c: error: its name holds a control character (a newline?), which the build cannot name: rename the file
      tests/new\nline_test.c: not built: 1 test not run

      -dash_test.c:6: t: mismatch
      tests/pipe|x_test.c:6: t: mismatch
      tests/q'u"o#t&e;*?<>!`=%_test.c:6: t: mismatch
      tests/sp ace$x:y_test.c:6: t: mismatch
      0 passed, 5 failed
      [exit 1]
      promoted -dash_test.c (1 marker)
      promoted tests/pipe|x_test.c (1 marker)
      promoted tests/q'u"o#t&e;*?<>!`=%_test.c (1 marker)
      promoted tests/sp ace$x:y_test.c (1 marker)
      [exit 0]
      tests/new\nline_test.c: error: its name holds a control character (a newline?), which the build cannot name: rename the file
      tests/new\nline_test.c: not built: 1 test not run

      4 passed (4 cached), 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(a_missing_source_is_named_and_reported)
{
    e2e_project();
    e2e_write("galley.conf", "# the code under test\n"
                             "sources = src/missing.c\n");
    e2e_write("tests/a_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                S_BODY);
    e2e_galley("run");
    e2e_galley_filter("run --format=json",
                      "grep -v '^galley' | "
                      "jq -c 'select(.type == \"test\") | [.file, .line, .status]'");
    EXPECT(/*
      galley.conf:2: error: sources: src/missing.c: no such file
      galley: galley.conf:2: src/missing.c: no such file: 1 test program not built, 1 test not run

      0 passed, 2 failed
      [exit 1]
      ["galley.conf",0,"error"]
      ["tests/a_test.c",4,"failed"]
      [exit 1]
    */);
    e2e_done();
}

TEST(a_duplicate_test_name_is_one_clear_message)
{
    e2e_project();
    e2e_write("tests/d_test.c", "#include <galley.h>\n"
                                "TEST(x) { }\n"
                                "\n"
                                "TEST(x) { }\n"
                                "#if 0\n"
                                "TEST(y) { }\n"
                                "#else\n"
                                "TEST(y) { }\n"
                                "#endif\n");
    e2e_galley("run");
    EXPECT(/*
      tests/d_test.c:4: error: TEST name 'x' already used at tests/d_test.c:2; rename one of them
      tests/d_test.c: not built: 4 tests not run

      0 passed, 4 failed
      [exit 1]
    */);
    /* Two TESTs in two branches of an #if are no duplicate; what the
     * compiler says names the user's TEST, not galley's symbols. */
    e2e_write("tests/d_test.c", "#include <galley.h>\n"
                                "#if 0\n"
                                "TEST(y) { }\n"
                                "#else\n"
                                "TEST(y) { int unused; }\n"
                                "#endif\n");
    e2e_galley_filter("run", "grep -E 'In function|passed'");
    EXPECT(/*
      tests/d_test.c: In function ‘TEST(y)’:
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(a_test_that_deletes_galleys_files)
{
    e2e_project();
    for (int i = 0; i < 4; i++) {
        char path[64];
        snprintf(path, sizeof path, "tests/t%d_test.c", i);
        e2e_write(path, "#include <galley.h>\n"
                        "#include <stdio.h>\n"
                        "#include <stdlib.h>\n"
                        "TEST(t) {\n"
                        "    if (system(\"rm -rf _galley\") != 0)\n"
                        "        puts(\"rm failed\");\n"
                        "    puts(\"x\");\n"
                        "    EXPECT(/* x */);\n"
                        "}\n");
    }
    e2e_galley("run -j1");
    EXPECT(/*
      4 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

/* ---- messages ---- */

TEST(no_tests_directory_says_what_to_do)
{
    e2e_project();
    e2e_galley("run");
    EXPECT(/*
      galley: error: no tests/ directory (galley looks for test files there by default): make it with a first test (galley init does), or name test files or directories: galley run PATH...
      [exit 2]
    */);
    e2e_done();
}

TEST(varying_output_is_never_promoted)
{
    e2e_project();
    e2e_write("tests/v_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "TEST(loop) {\n"
                                "    for (int i = 0; i < 3; i++) {\n"
                                "        printf(\"%d\\n\", i < 2 ? 7 : 8);\n"
                                "        EXPECT(/* 6 */);\n"
                                "    }\n"
                                "}\n");
    e2e_galley("run");
    e2e_galley("promote");
    EXPECT(/*
      tests/v_test.c:6: loop: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -6
      +7
      tests/v_test.c:6: loop: varying output in a loop: pass 1 and pass 3 differ (not promoted)
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -7
      +8

      0 passed, 1 failed
      [exit 1]
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}

TEST(the_code_under_test_failing_is_said_once)
{
    e2e_project();
    e2e_write("galley.conf", "sources = src/a.c\n");
    e2e_write("src/a.c", "int f(void) { return undeclared; }\n");
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "tests/t%d_test.c", i);
        e2e_write(path, "#include <galley.h>\n"
                        "TEST(one) { }\n"
                        "TEST(two) { }\n");
    }
    e2e_galley_filter("run", "grep -v '^ \\|^src/a.c'");
    EXPECT(/*
      code under test (galley.conf sources): compile error

      galley: the code under test did not compile: 3 test programs not built, 6 tests not run

      0 passed, 6 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(a_copied_project_does_not_promote_into_the_original)
{
    e2e_project();
    e2e_write("orig/galley.conf", "");
    e2e_write("orig/tests/a_test.c", "#include <galley.h>\n"
                                     "#include <stdio.h>\n" S_BODY);
    if (chdir("orig") == 0) {
        e2e_galley_filter("run", "true");
        e2e_sh("cd .. && cp -a orig copy");
    }
    if (chdir("../copy") == 0)
        e2e_galley_filter("promote", "sed \"s|$(cd ../orig && pwd -P)|ORIG|\"");
    e2e_sh("grep -c 'EXPECT(/. old ./)' ../orig/tests/a_test.c"
           " tests/a_test.c");
    EXPECT(/*
      [exit 1]
      tests/a_test.c: error: this state was written for the project at ORIG, not this one (a copy?); run galley run again
      [exit 1]
      ../orig/tests/a_test.c:1
      tests/a_test.c:1
    */);
    e2e_done();
}

/* ---- found by attacking the fixes above ---- */

TEST(the_test_the_compiler_took_is_the_one_judged)
{
    e2e_project();
    e2e_write("tests/d_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "#ifndef __linux__\n"
                                "TEST(y) { printf(\"elsewhere\\n\"); }\n"
                                "#endif\n"
                                "#ifdef __linux__\n"
                                "TEST(y) { printf(\"linux\\n\"); }\n"
                                "#endif\n");
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_cat_lines("tests/d_test.c", 4, 0);
    e2e_galley("run");
    EXPECT(/*
      tests/d_test.c:7: y: trailing output
      0 passed, 1 failed
      [exit 1]
      promoted tests/d_test.c (1 marker)
      [exit 0]
      TEST(y) { printf("elsewhere\n"); }
      #endif
      #ifdef __linux__
      TEST(y) { printf("linux\n");
          EXPECT((* linux *));
      }
      #endif
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(a_marker_error_fails_every_test_on_its_line)
{
    e2e_project();
    e2e_write("tests/two_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(a) { puts(\"a\"); EXPECT(/* WRONG */); } "
              "TEST(b) { puts(\"b\"); EXPECT(/* b */); }\n"
              "TEST(c) { puts(\"c\"); EXPECT(/* c */); }\n");
    e2e_galley("run");
    e2e_galley("run --filter=:a$");
    EXPECT(/*
      tests/two_test.c:3: a: two EXPECT markers on one line; put each on its own line

      tests/two_test.c:3: b: two EXPECT markers on one line; put each on its own line

      1 passed, 2 failed
      [exit 1]
      tests/two_test.c:3: a: two EXPECT markers on one line; put each on its own line

      0 passed, 1 failed (1 cached)
      [exit 1]
    */);
    e2e_done();
}

/* Under the sanitizers (ninja test-asan), this once stopped galley. */
TEST(an_empty_marker_compared_with_a_tolerance)
{
    e2e_project();
    e2e_write("galley.conf", "rtol = 1e-3\n");
    e2e_write("tests/e_test.c", "#include <galley.h>\n"
                                "TEST(e, .atol = 1) { EXPECT(); }\n"
                                "TEST(n) { EXPECT_NEAR(.rtol = 1e-3, ); }\n"
                                "TEST(conf) { EXPECT(); }\n");
    e2e_galley("run");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(unchecked_output_is_cut_like_a_diff)
{
    e2e_project();
    e2e_write("tests/f_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "#include <stdlib.h>\n"
                                "TEST(flood) {\n"
                                "    for (int i = 0; i < 600; i++)\n"
                                "        printf(\"%d\\n\", i);\n"
                                "    abort();\n"
                                "}\n");
    e2e_galley_filter("run", "awk '/^  [0-9]/ { n++ } /more lines/ { print }"
                             " END { print n }'");
    EXPECT(/*
        ... 100 more lines not shown
      500
      [exit 1]
    */);
    e2e_done();
}

TEST(a_header_test_that_prints_otherwise_in_each_file)
{
    e2e_project();
    e2e_write("tests/h.h", "TEST(hdr) {\n"
                           "    printf(\"%d\\n\", WHO);\n"
                           "    EXPECT(/* 1 */);\n"
                           "}\n");
    e2e_write("tests/a_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "#define WHO 1\n#include \"h.h\"\n");
    e2e_write("tests/b_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "#define WHO 2\n#include \"h.h\"\n");
    e2e_galley("run -q");
    e2e_galley("promote");
    EXPECT(/*
      tests/h.h:3: hdr: output differs from what test hdr (built from tests/a_test.c) printed at this shared marker (not promoted)
      tests/h.h:3: hdr: mismatch
      1 passed, 1 failed
      [exit 1]
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}

TEST(promote_finds_the_project_as_run_does)
{
    e2e_project();
    /* No galley.conf here: the project is p/. */
    e2e_sh("rm galley.conf");
    e2e_write("p/-dash_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                S_BODY);
    e2e_write("p/galley.conf", "tests = .\n");
    e2e_galley_filter("run p", "true");
    e2e_galley("promote -- p/-dash_test.c:6");
    e2e_sh("grep -c 'EXPECT(/. new ./)' p/-dash_test.c; ls -a | grep _galley"
           " || echo no _galley here");
    EXPECT(/*
      [exit 1]
      promoted p/-dash_test.c (1 marker)
      [exit 0]
      1
      no _galley here
    */);
    e2e_done();
}

TEST(a_user_file_named_like_a_temporary_stays)
{
    e2e_project();
    e2e_write("tests/t_test.c", "#include <galley.h>\nTEST(t) { }\n");
    e2e_write("tests/notes.galley-tmp.999999.ABCDEF", "mine\n");
    e2e_write("tests/t_test.c.galley-tmp.999999.txt", "mine\n");
    e2e_write("tests/t_test.c.galley-tmp.999999.ABCDEFG", "mine\n");
    e2e_write("tests/t_test.c.galley-tmp.999999.ABCDEF", "galley's\n");
    e2e_galley("run");
    e2e_sh("ls tests");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      notes.galley-tmp.999999.ABCDEF
      t_test.c
      t_test.c.galley-tmp.999999.ABCDEFG
      t_test.c.galley-tmp.999999.txt
    */);
    e2e_done();
}

TEST(includes_written_with_comments_and_digraphs)
{
    e2e_project();
    e2e_write("tests/a_test.c", "/* x */ #include /* y */ <galley.h>\n"
                                "TEST(a) { }\n");
    e2e_write("tests/b_test.c", "%:include <galley.h>\nTEST(b) { }\n");
    e2e_galley("run --list");
    EXPECT(/*
      tests/a_test.c:2: a
      tests/b_test.c:2: b
      [exit 0]
    */);
    e2e_done();
}

/* The test programs die with galley, and what their tests started with
 * them, however galley ends. */
TEST(killing_galley_stops_its_test_programs)
{
    e2e_project();
    e2e_write("tests/s_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "#include <unistd.h>\n"
                                "TEST(slow, .timeout_ms = 600000) {\n"
                                "    puts(\"started\");\n"
                                "    fflush(stdout);\n"
                                "    FILE *f = fopen(\"started\", \"w\");\n"
                                "    fclose(f);\n"
                                "    sleep(600);\n"
                                "}\n");
    /* The program's name holds a hash of this project's path: another
     * run of this test at the same time (CI runs two suites side by side)
     * has programs of another name. */
    e2e_sh("\"$GALLEY_BIN\" run >/dev/null 2>&1 & g=$!;"
           " while [ ! -e started ]; do sleep 0.05; done;"
           " p=$(cd _galley/bin && ls | grep -x 's_test-[0-9a-f]*');"
           " kill -9 $g; wait $g 2>/dev/null;"
           " n=0; while pgrep -f \"$p\" >/dev/null && [ $n -lt 600 ];"
           " do sleep 0.05; n=$((n+1)); done;"
           " pgrep -f \"$p\" >/dev/null && echo left running"
           " || echo none left");
    EXPECT(/*
      none left
    */);
    e2e_done();
}
