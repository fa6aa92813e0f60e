/* scan_test.c: galley's scanner, tested with galley. Each test scans a
 * small source and prints what the scanner found: tests, markers (kind,
 * lines, enclosing test, the text of the comment) and errors. */
#include <galley.h>
#include <stdio.h>
#include <string.h>

#include "scan.h"

/* Prints what the scanner finds in src. */
static void show(const char *src)
{
    galley__scan s;
    galley__scan_text(&s, src, strlen(src));
    for (size_t i = 0; i < s.n_tests; i++)
        printf("test %s line %d closes line %d\n", s.tests[i].name,
               s.tests[i].line, s.tests[i].close_line);
    for (size_t i = 0; i < s.n_markers; i++) {
        const galley__marker *m = &s.markers[i];
        printf("%s lines %d-%d test %d", m->kind == GALLEY__MARKER_EXACT
               ? "EXPECT_EXACT" : "EXPECT", m->line, m->end_line, m->test);
        if (m->has_comment)
            printf(" body [%.*s]", (int)(m->body_end - m->body_start),
                   src + m->body_start);
        printf("\n");
    }
    for (size_t i = 0; i < s.n_errors; i++)
        printf("error line %d: %s\n", s.errors[i].line, s.errors[i].msg);
    galley__scan_fini(&s);
}

TEST(finds_tests_and_markers)
{
    show("TEST(a) {\n"
         "  puts(\"x\");\n"
         "  EXPECT(/* x */);\n"
         "}\n"
         "TEST(b, .timeout_ms = 5) { EXPECT();\n"
         "  EXPECT_EXACT(/*\n"
         "y\n"
         "*/); }\n");
    EXPECT(/*
      test a line 1 closes line 4
      test b line 5 closes line 8
      EXPECT lines 3-3 test 0 body [ x ]
      EXPECT lines 5-5 test 1
      EXPECT_EXACT lines 6-8 test 1 body [
      y
      ]
    */);
}

TEST(ignores_markers_in_strings_comments_and_directives)
{
    show("#define CHECK() EXPECT()\n"
         "// EXPECT(/* no */)\n"
         "/* EXPECT() */\n"
         "TEST(c) {\n"
         "  puts(\"EXPECT(/* not a marker */)\");\n"
         "  char q = '\"';\n"
         "  EXP\\\n"
         "ECT(/* continued */);\n"
         "}\n");
    EXPECT(/*
      test c line 4 closes line 9
      EXPECT lines 7-8 test 0 body [ continued ]
    */);
}

TEST(reports_bad_markers)
{
    show("TEST(d) {\n"
         "  EXPECT(\"3\");\n"
         "  EXPECT(/* a */); EXPECT(/* b */);\n"
         "  EXPECT(/* never closed\n"
         "}\n");
    EXPECT(/*
      error line 2: EXPECT takes only a /\x2a comment *\x2f with the expected output; move other code out of the marker (esc)
      error line 3: two EXPECT markers on one line; put each on its own line
      error line 4: unterminated comment: add the closing *\x2f (esc)
    */);
}

TEST(marker_outside_tests)
{
    show("static void helper(void) {\n"
         "  EXPECT(/* from helper */);\n"
         "}\n"
         "TEST(e) { helper(); }\n");
    EXPECT(/*
      test e line 4 closes line 4
      EXPECT lines 2-2 test -1 body [ from helper ]
    */);
}
