/* editors_test.c: the editor integrations of examples/editors/ against the
 * real editors (tools/install-deps.sh installs emacs-nox, vim and neovim):
 * Emacs's compilation-mode and the quickfix lists of Vim and Neovim land on
 * the lines galley's report names, promote-at-point promotes the marker at
 * the cursor, and VS Code's problem matchers (JavaScript regexps, checked
 * with perl, whose syntax they share here) read the same report. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "e2e.h"

/* galley's source tree: tests run with it as their working directory. */
static char S_src[PATH_MAX];

/* Makes a project with two failing markers and a file that does not
 * compile; GALLEY_BIN is made absolute for the editors. */
static void S_project(void)
{
    char bin[PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    /* Never go on in the cwd (the repository): the files below would land
     * there. */
    if (!getcwd(S_src, sizeof S_src) || !env || !realpath(env, bin)) {
        fprintf(stderr, "e2e: GALLEY_BIN must name the galley under test\n");
        exit(99);
    }
    setenv("GALLEY_BIN", bin, 1);
    setenv("SRC", S_src, 1);
    setenv("LC_ALL", "C", 1); /* the compiler's quotes in plain ASCII */
    e2e_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(sum) {\n"
              "    printf(\"%d\\n\", 1 + 2);\n"
              "    EXPECT(/*\n"
              "      4\n"
              "    */);\n"
              "}\n"
              "\n"
              "TEST(greeting) {\n"
              "    printf(\"hello\\n\");\n"
              "    EXPECT(/* goodbye */);\n"
              "}\n");
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "\n"
              "#warning a warning here\n"
              "  #error an error there\n"
              "TEST(broken) {}\n");
}

/* Shows C comment delimiters in printed source as "(*" and "*)", so that
 * it can sit in an expectation, as e2e_cat does. */
#define S_UNCOMMENT " | sed 's|/[*]|(*|g; s|[*]/|*)|g'"

/* Runs emacs --batch with galley.el and the check driver, calling the
 * driver's function galley-check-STEP; prints what the driver printed,
 * then Emacs's messages (the echo area) but for "Current locus" notes. */
static void S_emacs(const char *step)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "emacs --batch -Q -l \"$SRC/examples/editors/galley.el\""
             " -l \"$SRC/tests/e2e/editors/emacs-check.el\""
             " -f galley-check-%s 2>messages" S_UNCOMMENT "; echo messages:;"
             " grep -v '^Current locus\\|^$' messages" S_UNCOMMENT,
             step);
    e2e_sh(cmd);
}

TEST(emacs_compilation_mode_lands_on_each_location)
{
    S_project();
    S_emacs("run");
    EXPECT(/*
      tests/b_test.c:3:2: warning: #warning a warning here [-Wcpp]
        -> tests/b_test.c:3:2: #warning a warning here
      tests/b_test.c:4:4: error: #error an error there
        -> tests/b_test.c:4:4: #error an error there
      tests/a_test.c:6: sum: mismatch
        -> tests/a_test.c:6:5: EXPECT((*
      tests/a_test.c:13: greeting: mismatch
        -> tests/a_test.c:13:5: EXPECT((* goodbye *));
      messages:
      galley exited abnormally with code 1
    */);
    e2e_done();
}

TEST(emacs_show_corrected_and_promote_at_point)
{
    S_project();
    e2e_galley("run -q >/dev/null");
    S_emacs("corrected");
    EXPECT(/*
      [exit 1]
      -    EXPECT((*
      -      4
      -    *));
      +    EXPECT((* 3 *));
      -    EXPECT((* goodbye *));
      +    EXPECT((* hello *));
      messages:
    */);
    S_emacs("promote");
    EXPECT(/*
      status 0
      status 0
      #include <galley.h>
      #include <stdio.h>

      TEST(sum) {
          printf("%d\n", 1 + 2);
          EXPECT((* 3 *));
      }

      TEST(greeting) {
          printf("hello\n");
          EXPECT((* hello *));
      }
      messages:
      galley exited abnormally with code 1
      promoted tests/a_test.c (1 marker, 1 still pending)
      promoted tests/a_test.c (1 marker)
    */);
    e2e_done();
}

/* The editor the Vim tests run: vim, or nvim for Neovim. Both get the
 * same commands and must print the same. */
static const char *S_editor = "vim";

/* Runs S_editor in ex mode with the plugin's directory on 'runtimepath',
 * the check helpers sourced and the galley under test as
 * g:galley_program, then the commands cmds (each a -c argument), then
 * quits. */
static void S_vim(const char *cmds)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -N -u NONE -i NONE -es --cmd \"set rtp^=$SRC/examples/editors/vim\""
             " -c 'let g:galley_program = $GALLEY_BIN'"
             " -c \"source $SRC/tests/e2e/editors/vim-check.vim\""
             " %s -c 'qa!' </dev/null" S_UNCOMMENT,
             S_editor, cmds);
    e2e_sh(cmd);
}

/* :compiler galley, with a saved report and with :make. */
static void S_quickfix(void)
{
    S_project();
    /* A report read from a file, as :cgetfile does after a CI run. */
    e2e_galley("run --color=never >report.txt");
    S_vim("-c 'compiler galley' -c 'cgetfile report.txt'"
          " -c 'call GalleyCheckQuickfix()'");
    EXPECT(/*
      [exit 1]
      tests/b_test.c:3:2: w #warning a warning here [-Wcpp]
      tests/b_test.c:4:4: e #error an error there
      tests/a_test.c:6:0: - sum: mismatch
      tests/a_test.c:13:0: - greeting: mismatch
    */);
    /* :make runs galley itself; 'shellpipe' keeps its output off stdout. */
    S_vim("-c 'compiler galley' -c 'call GalleyCheckMakeprg()' -c 'set shellpipe=>'"
          " -c 'silent make' -c 'call GalleyCheckQuickfix()'");
    EXPECT(/*
      makeprg=GALLEY run --color=never
      tests/b_test.c:3:2: w #warning a warning here [-Wcpp]
      tests/b_test.c:4:4: e #error an error there
      tests/a_test.c:6:0: - sum: mismatch
      tests/a_test.c:13:0: - greeting: mismatch
    */);
    e2e_done();
}

/* :GalleyCorrected, then :GalleyPromote at two cursor positions. */
static void S_promote(void)
{
    S_project();
    e2e_galley("run -q >/dev/null");
    /* What promote would write, in a diff split beside the file. */
    S_vim("-c 'runtime plugin/galley.vim' -c 'edit tests/a_test.c'"
          " -c GalleyCorrected -c 'call GalleyCheckWindow()'"
          " -c 'call GalleyCheckBuffer()'");
    EXPECT(/*
      [exit 1]
      _galley/tests/a_test.c.corrected, 2 windows, diff 1
      #include <galley.h>
      #include <stdio.h>

      TEST(sum) {
          printf("%d\n", 1 + 2);
          EXPECT((* 3 *));
      }

      TEST(greeting) {
          printf("hello\n");
          EXPECT((* hello *));
      }
    */);
    /* Line 7 is inside sum's block marker; then the cursor goes to
     * greeting's marker, which has moved up two lines. */
    S_vim("-c 'runtime plugin/galley.vim' -c 'edit tests/a_test.c'"
          " -c 7 -c GalleyPromote -c /goodbye -c GalleyPromote"
          " -c 'call GalleyCheckBuffer()'");
    EXPECT(/*
      #include <galley.h>
      #include <stdio.h>

      TEST(sum) {
          printf("%d\n", 1 + 2);
          EXPECT((* 3 *));
      }

      TEST(greeting) {
          printf("hello\n");
          EXPECT((* hello *));
      }
    */);
    e2e_done();
}

TEST(vim_errorformat_fills_the_quickfix_list)
{
    S_quickfix();
}

TEST(neovim_errorformat_fills_the_quickfix_list)
{
    S_editor = "nvim";
    S_quickfix();
}

TEST(vim_galley_promote_at_the_cursor)
{
    S_promote();
}

TEST(neovim_galley_promote_at_the_cursor)
{
    S_editor = "nvim";
    S_promote();
}

TEST(vscode_problem_matchers_read_the_report)
{
    S_project();
    e2e_write("galley.conf", "filter = s/(/x/\n");
    e2e_galley("run --color=never >report.txt 2>&1");
    /* Each "regexp" of tasks.json, unescaped from JSON, applied to each
     * line of the report: the groups it captures. */
    e2e_sh("sed -n 's/^ *\"regexp\": \"\\(.*\\)\",$/\\1/p'"
           " \"$SRC/examples/editors/vscode/.vscode/tasks.json\""
           " | sed 's/\\\\\\\\/\\\\/g' | while IFS= read -r re; do"
           "   echo \"$re\";"
           "   RE=$re perl -ne 'print \"  \", join(\" | \", @{^CAPTURE}), \"\\n\""
           "     if /$ENV{RE}/' report.txt;"
           " done");
    EXPECT(/*
      [exit 1]
      ^([^\s+@:-][^:]*):(\d+): ([A-Za-z_(][^:]*): (.*)$
        tests/a_test.c | 6 | sum | mismatch
        tests/a_test.c | 13 | greeting | mismatch
      ^([^\s+@:-][^:]*):(\d+):(\d+): (?:fatal )?(error|warning|note): (.*)$
        galley.conf | 1 | 10 | error | bad filter: filter 's/(/x/': bad regex: missing closing parenthesis at offset 1
        tests/b_test.c | 3 | 2 | warning | #warning a warning here [-Wcpp]
        tests/b_test.c | 4 | 4 | error | #error an error there
    */);
    e2e_done();
}
