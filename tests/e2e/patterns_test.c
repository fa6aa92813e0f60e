/* patterns_test.c: end-to-end tests of pattern lines in expectations, as in
 * cram: a line ending in " (re)" is a PCRE2 pattern for the whole actual
 * line, one ending in " (glob)" a glob; both pass when they match, show in
 * the diff as written when they do not, and survive promotion while they
 * still match. Also invalid patterns, and (esc) lines next to patterns.
 * Lines of galley's output that end in " (re)", " (glob)" or " (esc)" are
 * held here in their (esc) form, as promote writes them: backslashes
 * doubled, " (esc)" added. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(matching_patterns_pass)
{
    e2e_project();
    e2e_write("tests/m_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "static int counter;\n"
              "\n"
              "TEST(varying) {\n"
              "    printf(\"started worker pid %d\\n\", (int)getpid());\n"
              "    printf(\"object at %p\\n\", (void *)&counter);\n"
              "    printf(\"wrote /tmp/out-%d.txt\\n\", (int)getpid() % 1000);\n"
              "    printf(\"literal *star? and back\\\\slash\\n\");\n"
              "    printf(\"caf\\xc3\\xa9 ok\\n\");\n"
              "    printf(\"plain line\\n\");\n"
              "    EXPECT(/*\n"
              "      started worker pid \\d+ (re)\n"
              "      object at (0x[0-9a-f]+|\\(nil\\)) (re)\n"
              "      wrote /tmp/out-*.txt (glob)\n"
              "      literal \\*star\\? and back\\\\slash (glob)\n"
              "      caf? ok (glob)\n"
              "      plain line\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(patterns_that_do_not_match_fail)
{
    e2e_project();
    e2e_write("tests/f_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(nomatch) {\n"
              "    printf(\"built in 35 s\\n\");\n"
              "    printf(\"file report.csv\\n\");\n"
              "    printf(\"done in 3 ms\\n\");\n"
              "    printf(\"prefix only matches\\n\");\n"
              "    EXPECT(/*\n"
              "      built in \\d+ ms (re)\n"
              "      file *.txt (glob)\n"
              "      done in \\d+ ms (re)\n"
              "      prefix (re)\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/f_test.c:9: nomatch: mismatch
      --- expected
      +++ actual
      @@ -1,4 +1,4 @@
      -built in \\d+ ms (re) (esc)
      -file *.txt (glob) (esc)
      +built in 35 s
      +file report.csv
       done in \\d+ ms (re) (esc)
      -prefix (re) (esc)
      +prefix only matches

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(promote_keeps_patterns_that_match)
{
    e2e_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(report) {\n"
              "    printf(\"run 42 started\\n\");\n"
              "    printf(\"loaded 3 files\\n\");\n"
              "    printf(\"cache at /var/cache/app-7\\n\");\n"
              "    printf(\"total 17\\n\");\n"
              "    printf(\"exit code 2\\n\");\n"
              "    printf(\"new line at the end\\n\");\n"
              "    EXPECT(/*\n"
              "      run \\d+ started (re)\n"
              "      loaded 2 files\n"
              "      cache at /var/cache/app-? (glob)\n"
              "      total 17\n"
              "      exit code [01] (re)\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/p_test.c:11: report: mismatch
      --- expected
      +++ actual
      @@ -1,5 +1,6 @@
       run \\d+ started (re) (esc)
      -loaded 2 files
      +loaded 3 files
       cache at /var/cache/app-? (glob) (esc)
       total 17
      -exit code [01] (re) (esc)
      +exit code 2
      +new line at the end

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/p_test.c", 11, 18);
    EXPECT(/*
      promoted tests/p_test.c (1 marker)
      [exit 0]
          EXPECT((*
            run \\d+ started (re) (esc)
            loaded 3 files
            cache at /var/cache/app-? (glob) (esc)
            total 17
            exit code 2
            new line at the end
          *));
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(invalid_pattern_is_an_error_at_its_line)
{
    e2e_project();
    e2e_write("tests/i_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(paired) {\n"
              "    printf(\"x\\n\");\n"
              "    EXPECT(/*\n"
              "      x( (re)\n"
              "    */);\n"
              "}\n"
              "\n"
              "TEST(unpaired) {\n"
              "    printf(\"a\\nb\\n\");\n"
              "    EXPECT(/*\n"
              "      a\n"
              "      [z (re)\n"
              "      b\n"
              "    */);\n"
              "}\n"
              "\n"
              "TEST(still_runs) {\n"
              "    printf(\"fine\\n\");\n"
              "    EXPECT(/* f.ne (re) */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/i_test.c:7: paired: bad (re) pattern: missing closing parenthesis at offset 2

      tests/i_test.c:15: unpaired: bad (re) pattern: missing terminating ] for character class at offset 2

      1 passed, 2 failed
      [exit 1]
    */);
    /* Nothing to write: a pattern that does not compile is left alone. */
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}

TEST(esc_lines_round_trip)
{
    e2e_project();
    e2e_write("tests/e_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bytes) {\n"
              "    printf(\"\\x1b[1mbold\\x1b[0m\\n\");\n"
              "    printf(\"latin-1 caf\\xe9 \\xff\\n\");\n"
              "    printf(\"id %d\\n\", 1234);\n"
              "    printf(\"ends like a pattern (re)\\n\");\n"
              "    EXPECT(/*\n"
              "      id \\d+ (re)\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/e_test.c:9: bytes: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,4 @@
      +\\x1b[1mbold\\x1b[0m (esc) (esc)
      +latin-1 caf\\xe9 \\xff (esc) (esc)
       id \\d+ (re) (esc)
      +ends like a pattern (re) (esc) (esc)

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/e_test.c", 9, 14);
    EXPECT(/*
      promoted tests/e_test.c (1 marker)
      [exit 0]
          EXPECT((*
            \\x1b[1mbold\\x1b[0m (esc) (esc)
            latin-1 caf\\xe9 \\xff (esc) (esc)
            id \\d+ (re) (esc)
            ends like a pattern (re) (esc) (esc)
          *));
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}
