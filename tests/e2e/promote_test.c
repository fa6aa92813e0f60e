/* promote_test.c: end-to-end tests of galley promote: output that cannot
 * sit in a comment as it is, line endings and indentation kept, one marker
 * at a time, and refusing to promote into a file changed since the run. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(escapes_round_trip)
{
    e2e_project();
    e2e_write("tests/esc_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(esc) {\n"
              "    printf(\"closes */ a comment\\n\");\n"
              "    printf(\"opens /* one\\n\");\n"
              "    printf(\"ctrl \\x01 and \\x1b[1mbold\\x1b[0m\\n\");\n"
              "    printf(\"carriage\\rreturn\\n\");\n"
              "    printf(\"bad utf-8 \\xff, good \\xc3\\xa9\\n\");\n"
              "    printf(\"looks escaped (esc)\\n\");\n"
              "    printf(\"plain\\ttab and back\\\\slash\\n\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/esc_test.c:12: esc: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    /* The file's escaped lines end in " (esc)", so this expectation holds
     * them escaped once more: `X (esc) (esc)` is the line `X (esc)`. */
    e2e_cat("tests/esc_test.c");
    EXPECT(/*
      promoted tests/esc_test.c (1 marker)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(esc) {
          printf("closes *) a comment\n");
          printf("opens (* one\n");
          printf("ctrl \x01 and \x1b[1mbold\x1b[0m\n");
          printf("carriage\rreturn\n");
          printf("bad utf-8 \xff, good \xc3\xa9\n");
          printf("looks escaped (esc)\n");
          printf("plain\ttab and back\\slash\n");
          EXPECT((*
            closes *\\x2f a comment (esc) (esc)
            opens /\\x2a one (esc) (esc)
            ctrl \\x01 and \\x1b[1mbold\\x1b[0m (esc) (esc)
            carriage\\rreturn (esc) (esc)
            bad utf-8 \\xff, good é (esc) (esc)
            looks escaped (esc) (esc) (esc)
            plain\ttab and back\slash
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

TEST(crlf_source)
{
    e2e_project();
    e2e_write("tests/crlf_test.c",
              "#include <galley.h>\r\n"
              "#include <stdio.h>\r\n"
              "\r\n"
              "TEST(two_lines) {\r\n"
              "    printf(\"one\\ntwo\\n\");\r\n"
              "    EXPECT();\r\n"
              "    printf(\"inline\\n\");\r\n"
              "    EXPECT();\r\n"
              "    printf(\"trailing\\nlines\\n\");\r\n"
              "}\r\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/crlf_test.c:6: two_lines: mismatch
      tests/crlf_test.c:8: two_lines: mismatch
      tests/crlf_test.c:10: two_lines: trailing output
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/crlf_test.c");
    EXPECT(/*
      promoted tests/crlf_test.c (3 markers)
      [exit 0]
      #include <galley.h>\r
      #include <stdio.h>\r
      \r
      TEST(two_lines) {\r
          printf("one\ntwo\n");\r
          EXPECT((*\r
            one\r
            two\r
          *));\r
          printf("inline\n");\r
          EXPECT((* inline *));\r
          printf("trailing\nlines\n");\r
          EXPECT((*\r
            trailing\r
            lines\r
          *));\r
      }\r
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(tab_indented_source)
{
    e2e_project();
    e2e_write("tests/tab_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(tabs) {\n"
              "\tfor (int i = 0; i < 1; i++) {\n"
              "\t\tprintf(\"a\\n\\tb\\n\");\n"
              "\t\tEXPECT();\n"
              "\t}\n"
              "\tprintf(\"after\\n\");\n"
              "}\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/tab_test.c:7: tabs: mismatch
      tests/tab_test.c:10: tabs: trailing output
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/tab_test.c");
    EXPECT(/*
      promoted tests/tab_test.c (2 markers)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(tabs) {
      \tfor (int i = 0; i < 1; i++) {
      \t\tprintf("a\n\tb\n");
      \t\tEXPECT((*
      \t\t  a
      \t\t  \tb
      \t\t*));
      \t}
      \tprintf("after\n");
      \tEXPECT((* after *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(promote_one_marker)
{
    e2e_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(three) {\n"
              "    printf(\"first\\n\");\n"
              "    EXPECT();\n"
              "    printf(\"second\\nsecond again\\n\");\n"
              "    EXPECT();\n"
              "    printf(\"third\\n\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/p_test.c:6: three: mismatch
      tests/p_test.c:8: three: mismatch
      tests/p_test.c:10: three: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote tests/p_test.c:8");
    e2e_cat("tests/p_test.c");
    EXPECT(/*
      promoted tests/p_test.c (1 marker, 2 still pending)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(three) {
          printf("first\n");
          EXPECT();
          printf("second\nsecond again\n");
          EXPECT((*
            second
            second again
          *));
          printf("third\n");
          EXPECT();
      }
    */);
    /* What is left stays pending, its lines moved by the promotion. */
    e2e_cat("_galley/tests/p_test.c.corrected");
    EXPECT(/*
      #include <galley.h>
      #include <stdio.h>

      TEST(three) {
          printf("first\n");
          EXPECT((* first *));
          printf("second\nsecond again\n");
          EXPECT((*
            second
            second again
          *));
          printf("third\n");
          EXPECT((* third *));
      }
    */);
    e2e_galley("run -q");
    EXPECT(/*
      tests/p_test.c:6: three: mismatch
      tests/p_test.c:13: three: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    /* No marker at line 3, nor at a line past the end. */
    e2e_galley("promote tests/p_test.c:3");
    e2e_galley("promote tests/p_test.c:99");
    e2e_galley("promote tests/nonexistent_test.c");
    EXPECT(/*
      tests/p_test.c:3: error: nothing to promote at this line; pending in this file: line 6, line 13
      [exit 2]
      tests/p_test.c:99: error: nothing to promote at this line; pending in this file: line 6, line 13
      [exit 2]
      tests/nonexistent_test.c: error: no such file
      [exit 2]
    */);
    e2e_galley("promote tests/p_test.c:13");
    e2e_galley("run");
    EXPECT(/*
      promoted tests/p_test.c (1 marker, 1 still pending)
      [exit 0]
      tests/p_test.c:6: three: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +first

      0 passed, 1 failed (1 cached)
      [exit 1]
    */);
    e2e_done();
}

TEST(stale_state)
{
    e2e_project();
    e2e_write("tests/s_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(s) { printf(\"out\\n\"); EXPECT(); }\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/s_test.c:4: s: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_sh("echo '// edited after the run' >> tests/s_test.c");
    e2e_sh("cp tests/s_test.c saved.c");
    e2e_galley("promote");
    e2e_sh("cmp saved.c tests/s_test.c && echo unchanged");
    EXPECT(/*
      tests/s_test.c: error: changed since the last galley run; run it again before promoting
      [exit 1]
      unchanged
    */);
    e2e_galley("promote tests/s_test.c");
    e2e_sh("cmp saved.c tests/s_test.c && echo unchanged");
    EXPECT(/*
      tests/s_test.c: error: changed since the last galley run; run it again before promoting
      [exit 1]
      unchanged
    */);
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_cat("tests/s_test.c");
    EXPECT(/*
      tests/s_test.c:4: s: mismatch
      0 passed, 1 failed (1 cached)
      [exit 1]
      promoted tests/s_test.c (1 marker)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(s) { printf("out\n"); EXPECT((* out *)); }
      // edited after the run
    */);
    e2e_done();
}

/* A run of some of a file's tests (one CTest test, the test at the cursor)
 * leaves the others' output pending while the file is unchanged;
 * --promote writes only what its own run found. */
TEST(a_run_of_one_test_keeps_the_others_pending)
{
    e2e_project();
    e2e_write("tests/k_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(a) { puts(\"a\"); EXPECT(); }\n"
              "TEST(b) { puts(\"b\"); EXPECT(); }\n");
    e2e_galley("run -q");
    e2e_galley("run -q tests/k_test.c:4");
    e2e_galley("promote --list");
    e2e_galley("run -q --filter=:b --promote");
    e2e_galley("promote --list");
    /* Changed since, the file's old pending output is dropped. */
    e2e_sh("echo '// edited' >> tests/k_test.c");
    e2e_galley("run -q --filter=:b");
    e2e_galley("promote --list");
    EXPECT(/*
      tests/k_test.c:3: a: mismatch
      tests/k_test.c:4: b: mismatch
      0 passed, 2 failed
      [exit 1]
      tests/k_test.c:4: b: mismatch
      0 passed, 1 failed (1 cached)
      [exit 1]
      tests/k_test.c:3: a: new output
      tests/k_test.c:4: b: new output
      [exit 0]
      tests/k_test.c:4: b: mismatch
      0 passed, 1 failed (1 cached)
      promoted tests/k_test.c (1 marker, 1 still pending)
      [exit 1]
      tests/k_test.c:3: a: new output
      [exit 0]
      1 passed, 0 failed
      [exit 0]
      nothing pending
      [exit 0]
    */);
    e2e_done();
}

/* A branch not taken: its marker fails "not reached" until promote makes
 * it EXPECT_UNREACHABLE(), which passes; taken after all, it fails with
 * the output, and promote makes it an EXPECT again. A marker after a crash
 * is not known to be unreachable, and stays. */
TEST(markers_never_reached_become_unreachable)
{
    e2e_project();
    e2e_write("tests/u_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "static int mode = 1;\n"
              "\n"
              "TEST(branch) {\n"
              "    if (mode == 2) {\n"
              "        puts(\"two\");\n"
              "        EXPECT(/* two */);\n"
              "    }\n"
              "}\n"
              "\n"
              "TEST(crash) {\n"
              "    if (mode == 1)\n"
              "        *(volatile int *)0 = 1;\n"
              "    EXPECT(/* after */);\n"
              "}\n");
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_cat_lines("tests/u_test.c", 7, 12);
    e2e_galley("run -q");
    EXPECT(/*
      tests/u_test.c:10: branch: not reached
      tests/u_test.c:14: crash: crashed (SIGSEGV) at tests/u_test.c:16
      tests/u_test.c:17: crash: not reached
      0 passed, 2 failed
      [exit 1]
      promoted tests/u_test.c (1 marker)
      [exit 0]
      TEST(branch) {
          if (mode == 2) {
              puts("two");
              EXPECT_UNREACHABLE();
          }
      }
      tests/u_test.c:14: crash: crashed (SIGSEGV) at tests/u_test.c:16
      tests/u_test.c:17: crash: not reached
      1 passed (1 cached), 1 failed (1 cached)
      [exit 1]
    */);
    e2e_sh("sed -i 's/mode = 1/mode = 2/' tests/u_test.c");
    e2e_galley("run --color=never --filter=branch");
    e2e_galley("promote");
    e2e_cat_lines("tests/u_test.c", 7, 12);
    EXPECT(/*
      tests/u_test.c:10: branch: reached EXPECT_UNREACHABLE
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +two

      0 passed, 1 failed
      [exit 1]
      promoted tests/u_test.c (1 marker)
      [exit 0]
      TEST(branch) {
          if (mode == 2) {
              puts("two");
              EXPECT((* two *));
          }
      }
    */);
}

/* What is pending, listed; some of it rejected (the source untouched);
 * --promote=new fills only markers still empty (and adds the marker for
 * trailing output), as insta's INSTA_UPDATE=new; reject forgets the rest. */
TEST(list_reject_and_promote_new)
{
    e2e_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(a) {\n"
              "    puts(\"new\");\n"
              "    EXPECT();\n"
              "    puts(\"changed\");\n"
              "    EXPECT(/* old */);\n"
              "    if (0) {\n"
              "        EXPECT(/* never */);\n"
              "    }\n"
              "}\n"
              "TEST(b) { puts(\"late\"); }\n");
    e2e_galley("run -q");
    e2e_galley("promote --list");
    e2e_sh("cp tests/p_test.c before.c");
    e2e_galley("reject tests/p_test.c:9");
    e2e_galley("promote --list tests/p_test.c");
    e2e_sh("cmp before.c tests/p_test.c && echo untouched");
    e2e_galley("run -q --promote=new");
    e2e_cat_lines("tests/p_test.c", 4, 0);
    e2e_galley("reject");
    e2e_galley("promote --list");
    e2e_galley("run -q --promote=newest");
    EXPECT(/*
      tests/p_test.c:5: a: mismatch
      tests/p_test.c:7: a: mismatch
      tests/p_test.c:9: a: not reached
      tests/p_test.c:12: b: trailing output
      0 passed, 2 failed
      [exit 1]
      tests/p_test.c:5: a: new output
      tests/p_test.c:7: a: new output
      tests/p_test.c:9: a: not reached: becomes EXPECT_UNREACHABLE()
      tests/p_test.c:12: b: trailing output, for a new marker
      [exit 0]
      rejected tests/p_test.c (1 marker, 3 still pending)
      [exit 0]
      tests/p_test.c:5: a: new output
      tests/p_test.c:7: a: new output
      tests/p_test.c:12: b: trailing output, for a new marker
      [exit 0]
      untouched
      tests/p_test.c:5: a: mismatch
      tests/p_test.c:7: a: mismatch
      tests/p_test.c:9: a: not reached
      tests/p_test.c:12: b: trailing output
      0 passed, 2 failed (2 cached)
      promoted tests/p_test.c (2 markers, 2 still pending)
      [exit 1]
          puts("new");
          EXPECT((* new *));
          puts("changed");
          EXPECT((* old *));
          if (0) {
              EXPECT((* never *));
          }
      }
      TEST(b) { puts("late");
          EXPECT((* late *));
      }
      rejected tests/p_test.c (2 markers)
      [exit 0]
      nothing pending
      [exit 0]
      galley: run: --promote takes all (the default) or new (only markers still empty)
      Try 'galley run --help'.
      [exit 2]
    */);
}

/* galley review in line mode (answers from a pipe, a line each): every
 * pending output shown as the diff it makes to its source, one answer
 * each; a Markdown output block is one too. Then CI mode, and a file
 * changed since the run. */
TEST(review_one_at_a_time)
{
    e2e_project();
    e2e_galley("review");
    EXPECT(/*
      nothing pending
      [exit 0]
    */);
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(a) {\n"
              "    puts(\"new\");\n"
              "    EXPECT();\n"
              "    puts(\"changed\");\n"
              "    EXPECT(/* old */);\n"
              "    if (0) {\n"
              "        EXPECT(/* never */);\n"
              "    }\n"
              "}\n"
              "TEST(b) { puts(\"late\"); }\n");
    e2e_write("tests/doc.md", "# Doc\n\n```c\nputs(\"three\");\n```\n\n"
                              "```output\ntwo\n```\n");
    e2e_galley("run -q >/dev/null");
    /* doc.md: skip; p_test.c:5: an unknown key, the full output, reject;
     * :7 accept; :9 accept it and the rest of the file (:12). */
    e2e_sh("printf 's\\nx\\nf\\nr\\na\\nA\\n' >answers");
    e2e_galley_filter("review <answers", "sed 's|/\\*|(*|g; s|\\*/|*)|g'");
    EXPECT(/*
      [exit 1]

      tests/doc.md:7: doc: new output
      --- tests/doc.md
      +++ tests/doc.md (promoted)
      @@ -5,5 +5,5 @@
       ```

       ```output
      -two
      +three
       ```
      accept? [a,r,s,A,f,q,?] s

      tests/p_test.c:5: a: new output (3 more in this file)
      --- tests/p_test.c
      +++ tests/p_test.c (promoted)
      @@ -2,7 +2,7 @@
       #include <stdio.h>
       TEST(a) {
           puts("new");
      -    EXPECT();
      +    EXPECT((* new *));
           puts("changed");
           EXPECT((* old *));
           if (0) {
      accept? [a,r,s,A,f,q,?] x
      a accept, r reject, s skip, A accept the rest of this file, f full output, q quit, ? help
      accept? [a,r,s,A,f,q,?] f
      the new output of a:
        new
      accept? [a,r,s,A,f,q,?] r

      tests/p_test.c:7: a: new output (2 more in this file)
      --- tests/p_test.c
      +++ tests/p_test.c (promoted)
      @@ -4,7 +4,7 @@
           puts("new");
           EXPECT();
           puts("changed");
      -    EXPECT((* old *));
      +    EXPECT((* changed *));
           if (0) {
               EXPECT((* never *));
           }
      accept? [a,r,s,A,f,q,?] a

      tests/p_test.c:9: a: not reached: becomes EXPECT_UNREACHABLE() (1 more in this file)
      --- tests/p_test.c
      +++ tests/p_test.c (promoted)
      @@ -6,7 +6,7 @@
           puts("changed");
           EXPECT((* changed *));
           if (0) {
      -        EXPECT((* never *));
      +        EXPECT_UNREACHABLE();
           }
       }
       TEST(b) { puts("late"); }
      accept? [a,r,s,A,f,q,?] A
      accepted 3, rejected 1, skipped 1
      [exit 0]
    */);
    e2e_cat_lines("tests/p_test.c", 3, 0);
    e2e_galley("promote --list");
    EXPECT(/*
      TEST(a) {
          puts("new");
          EXPECT();
          puts("changed");
          EXPECT((* changed *));
          if (0) {
              EXPECT_UNREACHABLE();
          }
      }
      TEST(b) { puts("late");
          EXPECT((* late *));
      }
      tests/doc.md:7: doc: new output
      [exit 0]
    */);
    e2e_galley("review --ci");
    e2e_sh("CI=true \"$GALLEY_BIN\" review; echo \"[exit $?]\"");
    /* Changed since the run: refused as galley promote refuses it. */
    e2e_sh("echo >>tests/doc.md");
    e2e_galley("review </dev/null");
    EXPECT(/*
      galley: error: CI mode: galley review would write sources; review where writing them is meant (--no-ci), or apply _galley/promote.patch with git apply
      [exit 2]
      galley: error: CI mode: galley review would write sources; review where writing them is meant (--no-ci), or apply _galley/promote.patch with git apply
      [exit 2]
      tests/doc.md: error: changed since the last galley run; run it again before promoting
      accepted 0, rejected 0, skipped 0; 1 file refused (see above)
      [exit 1]
    */);
    e2e_done();
}

/* galley review on a terminal (script(1) gives it one): single keys, no
 * Enter, colored as galley run colors; the terminal is as it was after
 * it, also after a Ctrl-C at the prompt. script is bsdutils' (essential
 * in Debian; -E needs util-linux 2.35), python3 comes with
 * tools/install-deps.sh --dev (python3-yaml). */
TEST(review_on_a_terminal)
{
    e2e_project();
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(t) {\n"
              "    puts(\"one\");\n"
              "    EXPECT(/* 1 */);\n"
              "    puts(\"two\");\n"
              "    EXPECT(/* 2 */);\n"
              "    puts(\"three\");\n"
              "    EXPECT(/* 3 */);\n"
              "}\n");
    e2e_galley("run -q >/dev/null");
    /* -E never: keys that arrive before galley reads them are not echoed
     * by the terminal (script would echo its piped input). */
    e2e_write("tty.sh", "\"$GALLEY_BIN\" review --color=always\n"
                        "echo \"[exit $?]\"\n"
                        "stty -a | grep -ow -e -icanon -e icanon\n");
    e2e_sh("printf 'saq' | script -E never -qec 'sh tty.sh' /dev/null | "
           "tr -d '\\r' | sed 's|/\\*|(*|g; s|\\*/|*)|g' | cat -v");
    e2e_cat_lines("tests/t_test.c", 4, 9);
    e2e_galley("promote --list");
    EXPECT(/*
      [exit 1]

      ^[[1mtests/t_test.c:5: t:^[[0m new output (2 more in this file)
      ^[[1m--- tests/t_test.c
      +++ tests/t_test.c (promoted)^[[0m
      ^[[36m@@ -2,7 +2,7 @@^[[0m
       #include <stdio.h>
       TEST(t) {
           puts("one");
      ^[[31m-    EXPECT((* 1 *));^[[0m
      ^[[32m+    EXPECT((* one *));^[[0m
           puts("two");
           EXPECT((* 2 *));
           puts("three");
      accept? [a,r,s,A,f,q,?] s

      ^[[1mtests/t_test.c:7: t:^[[0m new output (1 more in this file)
      ^[[1m--- tests/t_test.c
      +++ tests/t_test.c (promoted)^[[0m
      ^[[36m@@ -4,7 +4,7 @@^[[0m
           puts("one");
           EXPECT((* 1 *));
           puts("two");
      ^[[31m-    EXPECT((* 2 *));^[[0m
      ^[[32m+    EXPECT((* two *));^[[0m
           puts("three");
           EXPECT((* 3 *));
       }
      accept? [a,r,s,A,f,q,?] a

      ^[[1mtests/t_test.c:9: t:^[[0m new output
      ^[[1m--- tests/t_test.c
      +++ tests/t_test.c (promoted)^[[0m
      ^[[36m@@ -6,5 +6,5 @@^[[0m
           puts("two");
           EXPECT((* two *));
           puts("three");
      ^[[31m-    EXPECT((* 3 *));^[[0m
      ^[[32m+    EXPECT((* three *));^[[0m
       }
      accept? [a,r,s,A,f,q,?] q
      accepted 1, rejected 0, skipped 1
      [exit 0]
      icanon
          puts("one");
          EXPECT((* 1 *));
          puts("two");
          EXPECT((* two *));
          puts("three");
          EXPECT((* 3 *));
      tests/t_test.c:5: t: new output
      tests/t_test.c:9: t: new output
      [exit 0]
    */);
    /* Ctrl-C at the prompt, through a pseudo-terminal that Python drives:
     * it answers once the prompt shows, when the terminal is raw. SIGINT
     * is set to its default for galley, as a terminal's shell does: a
     * suite started in the background by a shell without job control
     * (.ci/run) inherits it ignored, and galley review keeps a signal
     * ignored at its start ignored. */
    e2e_write("ctrl_c.py",
              "import os, pty, signal, termios\n"
              "signal.alarm(120)  # a hang fails the test instead\n"
              "pid, fd = pty.fork()\n"
              "if pid == 0:\n"
              "    signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
              "    os.execlp(os.environ['GALLEY_BIN'], 'galley', 'review')\n"
              "out = b''\n"
              "while b'accept?' not in out:\n"
              "    out += os.read(fd, 4096)\n"
              "raw = not termios.tcgetattr(fd)[3] & termios.ICANON\n"
              "os.write(fd, b'\\x03')\n"
              "_, st = os.waitpid(pid, 0)\n"
              "lflag = termios.tcgetattr(fd)[3]\n"
              "print('raw at the prompt:', raw)\n"
              "print('ended by SIGINT:', os.WTERMSIG(st) == 2)\n"
              "print('icanon and echo after:',\n"
              "      bool(lflag & termios.ICANON), bool(lflag & termios.ECHO))\n");
    e2e_sh("python3 ctrl_c.py");
    e2e_galley("promote --list");
    EXPECT(/*
      raw at the prompt: True
      ended by SIGINT: True
      icanon and echo after: True True
      tests/t_test.c:5: t: new output
      tests/t_test.c:9: t: new output
      [exit 0]
    */);
    e2e_done();
}
