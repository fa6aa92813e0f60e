/* markdown_test.c: end-to-end tests of Markdown documents as test files:
 * run, promote (inserted and rewritten output blocks, one block at a
 * time, the CI patch, .corrected), which documents a directory search
 * takes, errors at FILE.md:LINE, and the comparison features (tolerances,
 * patterns, filters, exact blocks, tensors, plots) in output blocks. */
#define _GNU_SOURCE
#include <galley.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* A document with a top block, two sections, a list and a block quote;
 * every output block still to write. */
static const char S_doc[] =
    "# Squares\n"
    "\n"
    "A helper for every section:\n"
    "\n"
    "```c top\n"
    "static int square(int x) { return x * x; }\n"
    "```\n"
    "\n"
    "## Small\n"
    "\n"
    "```c\n"
    "int n = 3;\n"
    "printf(\"%d\\n\", square(n));\n"
    "```\n"
    "\n"
    "```output\n"
    "```\n"
    "\n"
    "Variables carry on to the next block of the section:\n"
    "\n"
    "```c\n"
    "printf(\"%d\\n\", square(n + 1));\n"
    "```\n"
    "\n"
    "## Large\n"
    "\n"
    "- in a list:\n"
    "\n"
    "  ```c\n"
    "  printf(\"%d\\n\", square(100));\n"
    "  ```\n"
    "\n"
    "> ```c\n"
    "> puts(\"quoted\");\n"
    "> ```\n";

TEST(run_promote_and_run_again)
{
    e2e_project();
    e2e_write("tests/squares.md", S_doc);
    e2e_galley("run --color=never tests/squares.md:9");
    EXPECT(/*
      tests/squares.md:16: small: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +9
      tests/squares.md:23: small: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +16

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("run -q");
    EXPECT(/*
      tests/squares.md:16: small: mismatch
      tests/squares.md:23: small: mismatch
      tests/squares.md:31: large: mismatch
      tests/squares.md:35: large: mismatch
      0 passed, 2 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/squares.md");
    EXPECT(/*
      promoted tests/squares.md (4 markers)
      [exit 0]
      # Squares

      A helper for every section:

      ```c top
      static int square(int x) { return x * x; }
      ```

      ## Small

      ```c
      int n = 3;
      printf("%d\n", square(n));
      ```

      ```output
      9
      ```

      Variables carry on to the next block of the section:

      ```c
      printf("%d\n", square(n + 1));
      ```

      ```output
      16
      ```

      ## Large

      - in a list:

        ```c
        printf("%d\n", square(100));
        ```
        ```output
        10000
        ```

      > ```c
      > puts("quoted");
      > ```
      >
      > ```output
      > quoted
      > ```
    */);
    e2e_galley("run");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
    */);
    /* Only an expectation changed: the program is the same, and the
     * results come from the cache. */
    e2e_sh("sed -i 's/^  10000$/  10001/' tests/squares.md");
    e2e_galley("run -q");
    EXPECT(/*
      tests/squares.md:37: large: mismatch
      1 passed (1 cached), 1 failed (1 cached)
      [exit 1]
    */);
}

TEST(one_block_at_a_time_the_ci_patch_and_corrected_files)
{
    e2e_project();
    e2e_write("tests/two.md",
              "# Two\n"
              "```c\nputs(\"one\");\n```\n"
              "```output\nold one\n```\n"
              "```c\nputs(\"two\");\n```\n"
              "```output\nold two\n```\n");
    e2e_galley("run -q --ci");
    e2e_sh("cat _galley/promote.patch; cat _galley/tests/two.md.corrected");
    EXPECT(/*
      tests/two.md:5: two: mismatch
      tests/two.md:11: two: mismatch
      0 passed, 1 failed
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
      diff --git a/tests/two.md b/tests/two.md
      index 0e2dfa5..abd980b 100644
      --- a/tests/two.md
      +++ b/tests/two.md
      @@ -3,11 +3,11 @@
       puts("one");
       ```
       ```output
      -old one
      +one
       ```
       ```c
       puts("two");
       ```
       ```output
      -old two
      +two
       ```
      # Two
      ```c
      puts("one");
      ```
      ```output
      one
      ```
      ```c
      puts("two");
      ```
      ```output
      two
      ```
    */);
    /* JUnit's class of a document: its name's dot is not a package's. */
    e2e_galley("run -q --ci --junit=j.xml");
    e2e_sh("grep -o 'classname=\"[^\"]*\"' j.xml");
    EXPECT(/*
      tests/two.md:5: two: mismatch
      tests/two.md:11: two: mismatch
      0 passed, 1 failed (1 cached)
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
      classname="tests.two_md"
    */);
    e2e_galley("promote tests/two.md:11");
    e2e_sh("grep -n old tests/two.md");
    EXPECT(/*
      promoted tests/two.md (1 marker, 1 still pending)
      [exit 0]
      6:old one
    */);
}

TEST(which_documents_a_directory_search_takes)
{
    e2e_project();
    /* A README with C snippets and no output block: not a test. */
    e2e_write("tests/README.md",
              "# Build\n```c\nint x = make_it();\n```\n");
    e2e_write("tests/notes.md", "# Notes\nNo code.\n");
    e2e_write("tests/opted.md",
              "<!-- galley -->\n# Opted in\n```c\nputs(\"x\");\n```\n");
    e2e_write("tests/output.markdown",
              "# Has output\n```c\nputs(\"y\");\n```\n```output\ny\n```\n");
    e2e_galley("run --list");
    EXPECT(/*
      tests/opted.md:2: opted_in
      tests/output.markdown:1: has_output
      [exit 0]
    */);
    /* Named, a document is always taken, as a C file is; and galley.conf's
     * tests can name one. */
    e2e_galley_filter("run -q tests/README.md", "grep -E 'compile error|passed'");
    e2e_write("galley.conf", "tests = tests/README.md\n");
    e2e_galley_filter("run -q", "grep -E 'compile error|passed'");
    EXPECT(/*
      tests/README.md: compile error
      0 passed, 1 failed
      [exit 1]
      tests/README.md: compile error
      0 passed, 1 failed
      [exit 1]
    */);
}

TEST(errors_name_the_line_of_the_document)
{
    e2e_project();
    e2e_write("tests/ok.md", "# Fine\n```c\nputs(\"fine\");\n```\n"
                             "```output\nfine\n```\n");
    /* The compiler's messages name the document's lines. */
    e2e_write("tests/cc.md", "# Compile\n\n```c\nint x = ;\n```\n"
                             "```output\n```\n");
    e2e_galley_filter("run --color=never", "sed -nE 's/^(tests[^ ]*): error: .*/\\1: error/p; /compile error|passed/p'");
    EXPECT(/*
      tests/cc.md: compile error
      tests/cc.md:4:9: error
      1 passed, 1 failed
      [exit 1]
    */);
    e2e_write("tests/cc.md", "# Unclosed\n\n```c\nputs(\"x\");\n\n"
                             "```output\nx\n");
    e2e_write_bytes("tests/latin1.md", "# Caf\xe9\n```output\n```\n", 22);
    e2e_write("tests/opt.md", "# Opt\n```c rtol\nputs(\"x\");\n```\n"
                              "```output\nx\n```\n");
    e2e_write("tests/orphan.md", "# Orphan\nText.\n\n```output\nalone\n```\n");
    e2e_galley("run --color=never");
    EXPECT(/*
      tests/cc.md:3: (file): this fence (```) is never closed, so all that follows it is its content: close it with a line of 3 or more '`'

      tests/latin1.md:1: (file): a byte that is not UTF-8: galley reads Markdown as UTF-8; convert the file (iconv -f latin1 -t utf-8) (byte 0xe9)

      tests/opt.md:2: (file): rtol=: a tolerance is a number >= 0, as in rtol=1e-6

      tests/orphan.md:4: (file): an output block with no C block right before it: it is not compared; put it just after the ```c block whose output it is

      1 passed (1 cached), 4 failed
      [exit 1]
    */);
}

TEST(outputs_compare_as_expectations_do)
{
    e2e_project();
    e2e_write("galley.conf", "filter = @pointers\n");
    e2e_write("tests/cmp.md",
              "# Numbers\n"
              "```c rtol=1e-3\nprintf(\"pi %.6f\\n\", 3.14159265);\n```\n"
              "```output\npi 3.1416\n```\n"
              "# Patterns and filters\n"
              "<!-- galley: filter=\"s/took [0-9]+/took N/g\" -->\n"
              "```c\nint local;\nprintf(\"at %p\\n\", (void *)&local);\n"
              "printf(\"id %d\\n\", 4242);\nputs(\"took 17 ms\");\n```\n"
              "```output\nat 0xPTR\nid \\d+ (re)\ntook N ms\n```\n"
              "# Exact\n"
              "```c exact\nprintf(\"  two spaces\\n\\n\");\n```\n"
              "```output\n  two spaces\n\n\n```\n"
              "# Tensors and plots\n"
              "```c\n"
              "galley_tensor_print(galley_arange(GALLEY_F32, 0, 3, 1));\n"
              "galley_tensor_free_all();\n"
              "double y[] = {0, 1, 0, 1};\n"
              "galley_plot *p = galley_plot_new(&(galley_plot_options){\n"
              "    .width = 12, .height = 3});\n"
              "galley_plot_line(p, NULL, y, 4, NULL);\n"
              "galley_plot_print(p);\n"
              "galley_plot_free(p);\n"
              "```\n");
    e2e_galley("run -q --promote");
    e2e_cat_lines("tests/cmp.md", 21, 0);
    e2e_galley("run -q");
    EXPECT(/*
      tests/cmp.md:40: tensors_and_plots: mismatch
      3 passed, 1 failed
      promoted tests/cmp.md (1 marker)
      [exit 1]
      # Exact
      ```c exact
      printf("  two spaces\n\n");
      ```
      ```output
        two spaces


      ```
      # Tensors and plots
      ```c
      galley_tensor_print(galley_arange(GALLEY_F32, 0, 3, 1));
      galley_tensor_free_all();
      double y[] = {0, 1, 0, 1};
      galley_plot *p = galley_plot_new(&(galley_plot_options){
          .width = 12, .height = 3});
      galley_plot_line(p, NULL, y, 4, NULL);
      galley_plot_print(p);
      galley_plot_free(p);
      ```

      ```output
      float32 [3]
      [0. 1. 2.]
          +------------+
        1 +   **     **|
      0.5 + **  ** **  |
        0 +*      *    |
          ++---+--+---++
           0   1  2   3
      ```
      4 passed, 0 failed
      [exit 0]
    */);
}

TEST(includes_of_the_documents_own_directory_and_c_files_in_blocks)
{
    e2e_project();
    e2e_write("docs/helper.h", "static int twice(int x) { return 2 * x; }\n");
    e2e_write("docs/guide.md",
              "# Guide\n"
              "```c top\n#include \"helper.h\"\n```\n"
              "## Twice\n"
              "```c\nprintf(\"%d\\n\", twice(21));\n```\n"
              "```output\n42\n```\n"
              "## A test file in the guide\n"
              "```c\n"
              "TEST(in_place) {\n"
              "    printf(\"%d\\n\", twice(1));\n"
              "    EXPECT(/* 3 */);\n"
              "}\n"
              "```\n");
    e2e_galley("run -q --promote docs");
    e2e_cat_lines("docs/guide.md", 12, 0);
    EXPECT(/*
      docs/guide.md:16: in_place: mismatch
      1 passed, 1 failed
      promoted docs/guide.md (1 marker)
      [exit 1]
      ## A test file in the guide
      ```c
      TEST(in_place) {
          printf("%d\n", twice(1));
          EXPECT((* 2 *));
      }
      ```
    */);
}

TEST(a_document_as_a_notebook_under_watch, .timeout_ms = 300000)
{
    e2e_project();
    setenv("GALLEY_WATCH_QUIET_MS", "300", 1);
    /* A new document opts in with a comment (or an empty output block). */
    e2e_write("tests/nb.md", "<!-- galley -->\n# Notebook\n\n"
                             "```c\nputs(\"first\");\n```\n");
    e2e_watch_start("--promote");
    e2e_watch_brief(1);
    e2e_watch_until("run 2 ended");
    /* A new section, saved: its output appears under it. */
    e2e_write("tests/nb.md", "<!-- galley -->\n# Notebook\n\n"
                             "```c\nputs(\"first\");\n```\n\n"
                             "```output\nfirst\n```\n\n## Next\n\n"
                             "```c\nputs(\"second\");\n```\n");
    e2e_watch_until("run 4 ended");
    e2e_watch_stop(SIGINT);
    e2e_cat("tests/nb.md");
    EXPECT(/*
      galley watch: run 1 started
      galley watch: run 1 ended: last run T s · 1 failed · promoted
      galley watch: run 2 started: changed tests/nb.md
      galley watch: run 2 ended: last run T s · 1 passed
      galley watch: run 3 started: changed tests/nb.md
      galley watch: run 3 ended: last run T s · 1 failed · promoted
      galley watch: run 4 started: changed tests/nb.md
      galley watch: run 4 ended: last run T s · 2 passed
      [exit 130, 0 processes left]
      <!-- galley -->
      # Notebook

      ```c
      puts("first");
      ```

      ```output
      first
      ```

      ## Next

      ```c
      puts("second");
      ```

      ```output
      second
      ```
    */);
}

/* What a first trial of the feature found. */
TEST(found_by_a_new_user)
{
    e2e_project();
    /* A comment indented up to three spaces still gives its options; an
     * uppercase info string is C; <!-- galley --> shown inside a fence
     * does not opt a document in. */
    e2e_write("tests/opts.md",
              "# Indented\n\n  <!-- galley: skip -->\n```c\nthis is not C\n```\n"
              "\n## Upper\n\n```C\nputs(\"upper\");\n```\n\n```Output\nupper\n```\n");
    e2e_write("tests/README.md",
              "# Usage\n```html\n<!-- galley -->\n```\n```c\nnot C!\n```\n");
    e2e_galley("run -q");
    /* A crash in a helper is placed in the document; a compile error in a
     * list item names the document's column. */
    e2e_write("tests/crash.md",
              "# T\n\n```c top\nstatic void boom(int *p) {\n    *p = 42;\n}\n```\n"
              "\n## X\n\n- item\n\n  ```c\n  boom(NULL);\n  int b = ;\n  ```\n");
    e2e_galley_filter("run --color=never tests/crash.md",
                      "sed -nE 's/^(tests[^ ]*): error: .*/\\1: error/p'");
    e2e_write("tests/crash.md",
              "# T\n\n```c top\nstatic void boom(int *p) {\n    *p = 42;\n}\n```\n"
              "\n## X\n\n- item\n\n  ```c\n  boom(NULL);\n  ```\n");
    e2e_galley_filter("run --color=never tests/crash.md", "head -n 1");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      tests/crash.md:15:11: error
      [exit 1]
      tests/crash.md:9: x: crashed (SIGSEGV) at tests/crash.md:5
      [exit 1]
    */);
    /* Any line of a C block and its output block names the block. */
    e2e_write("tests/two.md", "# Two\n```c\nputs(\"a\");\n```\n"
                              "```c\nputs(\"b\");\n```\n```output\n```\n");
    e2e_galley("run -q tests/two.md");
    e2e_galley("promote tests/two.md:3");
    e2e_cat("tests/two.md");
    EXPECT(/*
      tests/two.md:4: two: mismatch
      tests/two.md:8: two: mismatch
      0 passed, 1 failed
      [exit 1]
      promoted tests/two.md (1 marker, 1 still pending)
      [exit 0]
      # Two
      ```c
      puts("a");
      ```

      ```output
      a
      ```
      ```c
      puts("b");
      ```
      ```output
      ```
    */);
}

/* What a second trial found: a block that returns early leaves output with
 * no block to go to (reported), and the document's other outputs still
 * promote; indented code that shows a fence is prose; a heading's name
 * keeps clear of the document's own TEST names, whichever comes first. */
TEST(found_by_a_second_trial)
{
    e2e_project();
    e2e_write("tests/ur.md",
              "# Early\n\n```c\nprintf(\"first\\n\");\nif (1) return;\n```\n\n"
              "```output\nfirst\n```\n\n# Branch\n\n"
              "```c\nTEST(br) { printf(\"yes\\n\"); EXPECT(/* no */); }\n```\n");
    e2e_galley("run -q tests/ur.md");
    e2e_galley("promote tests/ur.md");
    e2e_sh("grep -n 'EXPECT' tests/ur.md");
    e2e_write("tests/ind.md", "# I\n\n    ```c\n    x\n    ```\n\n"
                              "```c\nputs(\"r\");\n```\n\n```output\nr\n```\n");
    e2e_write("tests/col.md",
              "# Fences\n\n```c\nputs(\"h\");\n```\n\n```output\nh\n```\n\n"
              "## Other\n\n```c\nTEST(fences) { puts(\"t\"); EXPECT(/* t */); }\n"
              "```\n");
    e2e_galley("run --list tests/ind.md tests/col.md");
    e2e_galley("run -q tests/ind.md tests/col.md");
    EXPECT(/*
      tests/ur.md:10: early: trailing output
      tests/ur.md:8: early: not reached
      tests/ur.md:15: br: mismatch
      0 passed, 2 failed
      [exit 1]
      promoted tests/ur.md (1 marker)
      [exit 0]
      15:TEST(br) { printf("yes\\n"); EXPECT(/\x2a yes *\x2f); } (esc)
      tests/col.md:1: fences_2
      tests/col.md:14: fences
      tests/ind.md:1: i
      [exit 0]
      3 passed, 0 failed
      [exit 0]
    */);
}
