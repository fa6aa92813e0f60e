/* robustness_test.c: what a new user's project throws at galley: symbolic
 * link loops, tests disabled with #if 0, read-only sources, bad values in
 * galley.conf, a directory with no tests. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

static void good_test(const char *path)
{
    e2e_write(path, "#include <galley.h>\n"
                    "#include <stdio.h>\n"
                    "\n"
                    "TEST(ok) {\n"
                    "    puts(\"fine\");\n"
                    "    EXPECT(/* fine */);\n"
                    "}\n");
}

TEST(symbolic_link_loops_and_twins)
{
    e2e_project();
    good_test("tests/a/x_test.c");
    e2e_sh("ln -s .. tests/a/up && ln -s a tests/twin");
    e2e_galley("run --list");
    e2e_galley("run");
    EXPECT(/*
      tests/a/x_test.c:4: ok
      [exit 0]
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(test_inside_if_0_is_skipped)
{
    e2e_project();
    e2e_write("tests/s_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(runs) {\n"
              "    puts(\"yes\");\n"
              "    EXPECT(/* yes */);\n"
              "}\n"
              "\n"
              "#if 0\n"
              "TEST(disabled) {\n"
              "    puts(\"never\");\n"
              "    EXPECT(/* never */);\n"
              "}\n"
              "#endif\n");
    e2e_galley("run");
    e2e_galley_filter("run -v", "grep skipped");
    EXPECT(/*
      1 passed, 0 failed, 1 skipped
      [exit 0]
      tests/s_test.c: disabled: skipped (not compiled into the program: inside #if?)
      1 passed (1 cached), 0 failed, 1 skipped
      [exit 0]
    */);
    e2e_done();
}

TEST(read_only_source_is_not_promoted)
{
    e2e_project();
    e2e_write("tests/r_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(t) {\n"
              "    puts(\"new\");\n"
              "    EXPECT(/* old */);\n"
              "}\n");
    e2e_sh("chmod 444 tests/r_test.c");
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_cat_lines("tests/r_test.c", 6, 6);
    e2e_sh("chmod 644 tests/r_test.c");
    e2e_galley("promote");
    EXPECT(/*
      tests/r_test.c:6: t: mismatch
      0 passed, 1 failed
      [exit 1]
      tests/r_test.c: error: read-only; make it writable (chmod u+w) to promote
      [exit 1]
          EXPECT((* old *));
      promoted tests/r_test.c (1 marker)
      [exit 0]
    */);
    e2e_done();
}

TEST(bad_value_keeps_the_default)
{
    e2e_project();
    good_test("tests/g_test.c");
    e2e_write("galley.conf", "output_limit = 12Q\ntimeout_ms = soon\n");
    e2e_galley("run");
    EXPECT(/*
      galley.conf:1:16: error: output_limit must be a positive size such as 16M
      galley.conf:2:14: error: timeout_ms must be a positive whole number of milliseconds, such as 10000
      1 passed, 2 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(no_tests_found)
{
    e2e_project();
    e2e_write("tests/plain.c", "int main(void) { return 0; }\n");
    e2e_galley("run");
    EXPECT(/*
      galley: warning: no test files found: a test file is a .c file that #includes <galley.h>, or a Markdown document with an ```output block or a <!-- galley --> comment
      0 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(root_found_from_the_path_given)
{
    e2e_project();
    e2e_write("proj/galley.conf", "sources = src/lib.c\ninclude = src\n");
    e2e_write("proj/src/lib.h", "int twice(int x);\n");
    e2e_write("proj/src/lib.c", "#include \"lib.h\"\nint twice(int x) { return 2 * x; }\n");
    e2e_write("proj/tests/l_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include \"lib.h\"\n"
              "\n"
              "TEST(twice) {\n"
              "    printf(\"%d\\n\", twice(21));\n"
              "    EXPECT(/* 42 */);\n"
              "}\n");
    e2e_sh("rm galley.conf && mkdir -p elsewhere"); /* no root above it */
    e2e_sh("cd elsewhere && \"$GALLEY_BIN\" run ../proj/tests; "
           "echo \"[exit $?]\"");
    e2e_sh("test -d elsewhere/_galley && echo 'elsewhere/_galley made' || echo 'no _galley outside the project'");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      no _galley outside the project
    */);
    e2e_done();
}
