/* markdown_test.c: the Markdown scan, tested with galley. Each test scans
 * a small document and prints what the scan found: the TESTs (sections),
 * the markers (output blocks, and the blocks that have none), the problems,
 * whether the document opts in, and the C program it compiles to. */
#include <galley.h>
#include <stdio.h>
#include <string.h>

#include "markdown.h"

/* Prints what the Markdown scan finds in doc[0..len); with program, also
 * the C program it compiles to. */
static void scan_n(const char *doc, size_t len, int program)
{
    galley__scan s;
    galley__md_scan(&s, doc, len);
    printf("opted in: %s\n", s.opted_in ? "yes" : "no");
    for (size_t i = 0; i < s.n_tests; i++)
        printf("test %s line %d closes line %d\n", s.tests[i].name,
               s.tests[i].line, s.tests[i].close_line);
    for (size_t i = 0; i < s.n_markers; i++) {
        const galley__marker *m = &s.markers[i];
        static const char *const kinds[] = {"EXPECT", "EXPECT_EXACT",
                                            "EXPECT_NEAR"};
        size_t n;
        const char *body = galley__marker_body(m, doc, &n);
        printf("%s lines %d-%d test %d", kinds[m->kind], m->line, m->end_line,
               m->test);
        if (m->has_comment)
            printf(" text [%.*s]", (int)n, body);
        printf("\n");
    }
    for (size_t i = 0; i < s.n_errors; i++)
        printf("%s line %d: %s\n", s.errors[i].fatal ? "fatal" : "error",
               s.errors[i].line, s.errors[i].msg);
    if (program)
        printf("%.*s", (int)s.program_len, s.program ? s.program : "");
    galley__scan_fini(&s);
}

static void scan(const char *doc, int program)
{
    scan_n(doc, strlen(doc), program);
}

TEST(sections_are_tests_and_output_blocks_are_markers)
{
    scan("# Title\n"
         "\n"
         "```c top\n"
         "static int sq(int x) { return x * x; }\n"
         "```\n"
         "\n"
         "## Squares & cubes!\n"
         "\n"
         "```c\n"
         "int y = sq(3);\n"
         "printf(\"%d\\n\", y);\n"
         "```\n"
         "\n"
         "```output\n"
         "9\n"
         "```\n"
         "\n"
         "```c\n"
         "printf(\"%d\\n\", y * 3);\n"
         "```\n"
         "## Squares, cubes\n"
         "```c\n"
         "puts(\"again\");\n"
         "```\n",
         1);
    EXPECT(/*
      opted in: yes
      test squares_cubes line 7 closes line 20
      test squares_cubes_2 line 21 closes line 24
      EXPECT lines 14-16 test 0 text [
      9
      ]
      EXPECT lines 20-20 test 0
      EXPECT lines 24-24 test 1
      #line 4
      static int sq(int x) { return x * x; }
      #line 7
      GALLEY_TEST(squares_cubes) {
      #line 10
      int y = sq(3);
      printf("%d\n", y);
      #line 14
      galley_expect(__FILE__, __LINE__, 0, "");
      #line 19
      printf("%d\n", y * 3);
      #line 20
      galley_expect(__FILE__, __LINE__, 0, "");
      }
      #line 21
      GALLEY_TEST(squares_cubes_2) {
      #line 23
      puts("again");
      #line 24
      galley_expect(__FILE__, __LINE__, 0, "");
      }
    */);
}

TEST(blocks_before_any_heading_and_names_that_are_not_identifiers)
{
    /* A heading with no letters or digits gets "section"; one that
     * starts with a digit keeps it (TEST pastes names after a prefix). */
    scan("```c\nputs(\"x\");\n```\n"
         "# ★★★\n```c\nputs(\"y\");\n```\n"
         "# 2. Intro\n```c\nputs(\"z\");\n```\n"
         "# Intro\n```c\nputs(\"w\");\n```\n",
         0);
    EXPECT(/*
      opted in: no
      test intro line 1 closes line 3
      test section line 4 closes line 7
      test 2_intro line 8 closes line 11
      test intro_2 line 12 closes line 15
      EXPECT lines 3-3 test 0
      EXPECT lines 7-7 test 1
      EXPECT lines 11-11 test 2
      EXPECT lines 15-15 test 3
    */);
}

TEST(options_in_the_info_string_and_in_a_comment)
{
    scan("# Opts\n"
         "<!-- galley: rtol=1e-3 timeout_ms=2000 filter=\"s/0x[0-9a-f]+/PTR/g\" -->\n"
         "```c atol=0.5\n"
         "printf(\"%p\\n\", (void *)&errno);\n"
         "```\n"
         "```output\n0.5\n```\n"
         "```c exact no_cache\n"
         "puts(\"e\");\n"
         "```\n"
         "```output\ne\n\n```\n"
         "```c skip\n"
         "this is not C;\n"
         "```\n"
         "```output\nnot compared\n```\n",
         1);
    EXPECT(/*
      opted in: yes
      test opts line 1 closes line 15
      EXPECT_NEAR lines 6-8 test 0 text [
      0.5
      ]
      EXPECT_EXACT lines 12-15 test 0 text [e
      ]
      #line 1
      GALLEY_TEST(opts, .timeout_ms = 2000, .filter = "s/0x[0-9a-f]+/PTR/g", .no_cache = 1) {
      #line 4
      printf("%p\n", (void *)&errno);
      #line 6
      galley_expect_near(__FILE__, __LINE__, (galley_near_options){.rtol = 0.001, .atol = 0.5});
      #line 10
      puts("e");
      #line 12
      galley_expect(__FILE__, __LINE__, 1, "");
      }
    */);
}

TEST(a_c_block_with_tests_is_a_piece_of_a_c_test_file)
{
    scan("# File\n"
         "```c\n"
         "static int one(void) { return 1; }\n"
         "TEST(one) {\n"
         "    printf(\"%d\\n\", one());\n"
         "    EXPECT(/* 1 */);\n"
         "}\n"
         "```\n"
         "## Section\n"
         "```c\nputs(\"s\");\n```\n",
         1);
    EXPECT(/*
      opted in: no
      test one line 4 closes line 7
      test section line 9 closes line 12
      EXPECT lines 6-6 test 0 text [ 1 ]
      EXPECT lines 12-12 test 1
      #line 3
      static int one(void) { return 1; }
      TEST(one) {
          printf("%d\n", one());
          EXPECT(/\x2a 1 *\x2f); (esc)
      }
      #line 9
      GALLEY_TEST(section) {
      #line 11
      puts("s");
      #line 12
      galley_expect(__FILE__, __LINE__, 0, "");
      }
    */);
}

TEST(opting_in)
{
    /* A directory search takes a document with an output block or a galley
     * comment, and leaves a README with C snippets alone. */
    scan("# README\n```c\nint main(void) { return 0; }\n```\n", 0);
    scan("<!-- galley -->\n# Doc\n", 0);
    scan("<!--galley:skip-->\n```c\nx\n```\n", 0);
    scan("<!-- galleys are ships -->\n", 0);
    EXPECT(/*
      opted in: no
      test readme line 1 closes line 4
      EXPECT lines 4-4 test 0
      opted in: yes
      opted in: yes
      opted in: no
    */);
}

TEST(problems_name_their_line)
{
    scan("# Bad\n"
         "```output\norphan\n```\n"
         "```c fast\nputs(\"x\");\n```\n"
         "```c rtol=-1\nputs(\"x\");\n```\n"
         "```c filter=\"open\nputs(\"x\");\n```\n"
         "<!-- galley: exact -->\n\nprose\n"
         "```c top\nint g;\n```\n```output\n```\n"
         "```c\nEXPECT(/* x */);\n```\n"
         "```c\nputs(\"x\");\n```\n```output extra\n```\n"
         "```c timeout_ms=5\nputs(\"a\");\n```\n"
         "```c timeout_ms=6\nputs(\"b\");\n```\n",
         0);
    EXPECT(/*
      opted in: yes
      test bad line 1 closes line 32
      EXPECT lines 28-29 test 0 text [
      ]
      EXPECT lines 32-32 test 0
      error line 2: an output block with no C block right before it: it is not compared; put it just after the ```c block whose output it is
      fatal line 5: unknown option 'fast': a block takes top, skip, exact, rtol=R, atol=A, timeout_ms=N, filter="s/RE/REPL/g", inputs="GLOBS" and no_cache
      fatal line 8: rtol=-1: a tolerance is a number >= 0, as in rtol=1e-6
      fatal line 11: a quoted value is not closed: write key="value"
      fatal line 14: galley options with no C block right after them: a comment <!-- galley: OPTIONS --> gives options to the ```c block just after it; to opt the document in, write <!-- galley --> alone
      fatal line 20: an output block after a 'top' C block, which is file-scope code and prints nothing: move the output block, or drop 'top'
      fatal line 22: an EXPECT marker outside any TEST: in a Markdown document the output block after a C block is its EXPECT; write the TEST around it, or take the marker out
      fatal line 28: an output block takes no options ('extra'): put them on the C block before it
      fatal line 33: timeout_ms differs from the one given at line 30: it is an option of the section's TEST, which one value must hold
    */);
}

TEST(text_that_markdown_cannot_hold)
{
    scan("# A\n```c\nx\n", 0);
    scan("# B\n\n```c\nx\n```\ncaf\xe9\n", 0);
    scan("# C\r\n```c\rx\r\n```\r\n", 0);
    scan("# E\n- item\n  ```c\n  puts(\"x\");\n```\n", 0);
    static const char nul[] = "# D\n```c\nputs(\"\0\");\n```\n";
    scan_n(nul, sizeof nul - 1, 0);
    EXPECT(/*
      opted in: no
      fatal line 2: this fence (```) is never closed, so all that follows it is its content: close it with a line of 3 or more '`'
      opted in: no
      fatal line 6: a byte that is not UTF-8: galley reads Markdown as UTF-8; convert the file (iconv -f latin1 -t utf-8) (byte 0xe9)
      opted in: no
      fatal line 2: a carriage return that ends no line (old Mac line ends): use LF or CRLF (byte 0x0d)
      opted in: no
      fatal line 3: this fence (```) is never closed: the fence of line 5 is outside its list item or block quote, and opens another block; indent the closing fence as the opening one
      fatal line 5: this fence (```) is never closed, so all that follows it is its content: close it with a line of 3 or more '`'
      opted in: no
      fatal line 3: a NUL byte: a Markdown document is text (byte 0x00)
    */);
}

/* TEST(shape) used to collide with a type of galley.h's (a heading
 * "Shape" gives this name). */
TEST(shape)
{
    puts("shape");
    EXPECT(/* shape */);
}

TEST(nested_fences_and_html)
{
    /* A longer fence holds a shorter one as text; a fence after an HTML
     * tag and a blank line is code; one right under the tag is HTML. */
    scan("# Nested\n"
         "````markdown\n```c\nputs(\"shown, not run\");\n```\n````\n"
         "<details>\n\n```c\nputs(\"in details\");\n```\n\n</details>\n"
         "<div>\n```c\nputs(\"html\");\n```\n</div>\n",
         0);
    EXPECT(/*
      opted in: no
      test nested line 1 closes line 11
      EXPECT lines 11-11 test 0
      error line 15: a ```c fence inside an HTML block is HTML, not code, and does not run: put a blank line between the HTML and the fence
    */);
}
