/* editors_test.c: the editor integrations of examples/editors/ against the
 * real editors (tools/install-deps.sh --dev installs emacs-nox, vim and neovim):
 * Emacs's compilation-mode and the quickfix lists of Vim and Neovim land on
 * the lines galley's report names, promote-at-point promotes the marker at
 * the cursor, and VS Code's problem matchers (JavaScript regexps, checked
 * with perl, whose syntax they share here) read the same report. Each
 * editor also runs one `galley watch` session: its errors follow the runs
 * as the file is edited and saved, and the test at the cursor runs alone.
 * Waits have a deadline (120 s), a safety that is never the assertion. */
#include <galley.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
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
 * then Emacs's messages (the echo area) but for "Current locus" notes.
 * Compilations run in SHELL=/bin/sh (dash), as on a machine without SHELL:
 * dash stays the parent of the command it runs. */
static void S_emacs(const char *step)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "SHELL=/bin/sh emacs --batch -Q -l \"$SRC/examples/editors/galley.el\""
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

/* A project for galley watch: saves are coalesced over 300 ms, so that a
 * loaded machine cannot split one save into two runs. */
static void S_watch_project(void)
{
    S_project();
    setenv("GALLEY_WATCH_QUIET_MS", "300", 1);
}

TEST(emacs_galley_watch_follows_the_runs)
{
    S_watch_project();
    S_emacs("watch");
    EXPECT(/*
      command: exec GALLEY watch --color\=never
      with C-u C-u and -j 2: exec GALLEY watch --color\=never --promote -j 2
      galley watch: run 1 started
      galley watch: run 1 ended: last run T s · 3 failed
      tests/b_test.c:3:2: warning: #warning a warning here [-Wcpp]
        -> tests/b_test.c:3:2: #warning a warning here
      tests/b_test.c:4:4: error: #error an error there
        -> tests/b_test.c:4:4: #error an error there
      tests/a_test.c:6: sum: mismatch
        -> tests/a_test.c:6:5: EXPECT((*
      tests/a_test.c:13: greeting: mismatch
        -> tests/a_test.c:13:5: EXPECT((* goodbye *));
      auto-revert-mode in a_test.c: t
      galley watch: run 2 started: changed tests/a_test.c
      galley watch: run 2 ended: last run T s · 2 failed
      tests/b_test.c:3:2: warning: #warning a warning here [-Wcpp]
        -> tests/b_test.c:3:2: #warning a warning here
      tests/b_test.c:4:4: error: #error an error there
        -> tests/b_test.c:4:4: #error an error there
      tests/a_test.c:8: sum: mismatch
        -> tests/a_test.c:8:5: EXPECT((*
      galley watch: run 3 started: changed tests/a_test.c
      galley watch: run 3 ended: last run T s · 1 failed
      tests/b_test.c:3:2: warning: #warning a warning here [-Wcpp]
        -> tests/b_test.c:3:2: #warning a warning here
      tests/b_test.c:4:4: error: #error an error there
        -> tests/b_test.c:4:4: #error an error there
      a_test.c after run 3:     EXPECT((* 3 *));
      galley-watch exited abnormally with code 130
      auto-revert-mode in a_test.c: nil
      GALLEY run --color\=never tests/a_test.c\:7
      tests/a_test.c:8: sum: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -3
      +2

      0 passed, 1 failed

      galley exited abnormally with code 1
      messages:
      galley-watch exited abnormally with code 130
      galley exited abnormally with code 1
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

/* :GalleyWatch, :GalleyWatchStop, :GalleyRunHere (GalleyCheckWatch). */
static void S_watch(void)
{
    S_watch_project();
    S_vim("-c 'runtime plugin/galley.vim' -c 'call GalleyCheckWatch()'");
    EXPECT(/*
      galley watch: run 1 ended: last run T s · 3 failed
      tests/b_test.c:3:2: w #warning a warning here [-Wcpp]
      tests/b_test.c:4:4: e #error an error there
      tests/a_test.c:6:0: - sum: mismatch
      tests/a_test.c:13:0: - greeting: mismatch
      galley watch: run 2 ended: last run T s · 2 failed
      tests/b_test.c:3:2: w #warning a warning here [-Wcpp]
      tests/b_test.c:4:4: e #error an error there
      tests/a_test.c:8:0: - sum: mismatch
      galley watch: run 3 ended: last run T s · 1 failed
      tests/b_test.c:3:2: w #warning a warning here [-Wcpp]
      tests/b_test.c:4:4: e #error an error there
      a_test.c after run 3:     EXPECT((* 3 *));
      galley processes left: 0
      tests/a_test.c:8:0: - sum: mismatch
      tests/a_test.c:1:1: e line 1 is not inside a TEST; the nearest: 'sum' (lines 6-9)
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

TEST(vim_galley_watch_fills_the_quickfix_list_each_run)
{
    S_watch();
}

TEST(neovim_galley_watch_fills_the_quickfix_list_each_run)
{
    S_editor = "nvim";
    S_watch();
}

/* Runs vscode-check.pl on the task label of tasks.json with args: the
 * task, then what its problem matchers take from a report or from its
 * own output. */
static void S_vscode(const char *label, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "perl \"$SRC/tests/e2e/editors/vscode-check.pl\""
             " \"$SRC/examples/editors/vscode/.vscode/tasks.json\" '%s' %s",
             label, args);
    e2e_sh(cmd);
}

TEST(vscode_problem_matchers_read_the_report)
{
    S_project();
    e2e_write("galley.conf", "filter = s/(/x/\n");
    e2e_galley("run --color=never >report.txt 2>&1");
    S_vscode("galley run", "report.txt");
    EXPECT(/*
      [exit 1]
      task 'galley run': process: galley run --color=never
        galley: ^([^\s+@:-][^:]*):(\d+): ([A-Za-z_(][^:]*): (.*)$
        galley-cc: ^([^\s+@:-][^:]*):(\d+):(\d+): (?:fatal )?(error|warning|note): (.*)$
      galley-cc: galley.conf | 1 | 10 | error | bad filter: filter 's/(/x/': bad regex: missing closing parenthesis at offset 1
      galley-cc: tests/b_test.c | 3 | 2 | warning | #warning a warning here [-Wcpp]
      galley-cc: tests/b_test.c | 4 | 4 | error | #error an error there
      galley: tests/a_test.c | 6 | sum | mismatch
      galley: tests/a_test.c | 13 | greeting | mismatch
    */);
    e2e_done();
}

/* The VS Code test's watcher: its pid, or 0. */
static pid_t S_watcher;

/* Starts `galley watch --color=never` in the background, its merged
 * output into watch.txt: not a terminal, as the task's "| cat" makes it. */
static void S_watch_start(void)
{
    fflush(NULL);
    S_watcher = fork();
    if (S_watcher == 0) {
        int fd = open("watch.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (fd < 0 || in < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
            dup2(in, 0) < 0)
            _exit(99);
        execl(getenv("GALLEY_BIN"), "galley", "watch", "--color=never",
              (char *)NULL);
        _exit(127);
    }
}

/* Returns whether the file at path exists and holds want. */
static int S_holds(const char *path, const char *want)
{
    char text[1 << 16];
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return strstr(text, want) != NULL;
}

/* Waits until the file at path exists and holds want; past 120 s (a
 * safety), says so. */
static void S_wait_for(const char *path, const char *want)
{
    struct timespec nap = {0, 10000000};
    for (int i = 0; i < 12000; i++) {
        if (S_holds(path, want))
            return;
        nanosleep(&nap, NULL);
    }
    printf("[no '%s' in %s after 120 s]\n", want, path);
}

/* Stops the watcher with SIGINT, as Ctrl-C in the task's terminal does;
 * prints its exit status. */
static void S_watch_stop(void)
{
    int st = 0;
    kill(S_watcher, SIGINT);
    waitpid(S_watcher, &st, 0);
    printf("[watcher exit %d]\n",
           WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    S_watcher = 0;
}

TEST(vscode_background_task_follows_the_watcher)
{
    S_watch_project();
    e2e_write("galley.conf", "timeout_ms = 1200000\n");
    S_watch_start();
    S_wait_for("watch.txt", "run 1 ended");
    /* A new test that says it started, then sleeps: saving it again
     * during run 2 cancels that run. */
    e2e_write("tests/slow_test.c",
              "#include <galley.h>\n#include <stdio.h>\n#include <unistd.h>\n"
              "TEST(slow) {\n"
              "    fclose(fopen(\"started\", \"w\"));\n"
              "    sleep(600);\n"
              "}\n");
    S_wait_for("started", "");
    e2e_write("tests/slow_test.c", "#include <galley.h>\nTEST(slow) {}\n");
    S_wait_for("watch.txt", "run 3 ended");
    S_watch_stop();
    S_vscode("galley watch", "watch.txt");
    EXPECT(/*
      [watcher exit 130]
      task 'galley watch': shell: galley watch --color=never | cat, in the background
        galley: ^([^\s+@:-][^:]*):(\d+): ([A-Za-z_(][^:]*): (.*)$
          begins: ^galley watch: run \d+ started
          ends: ^galley watch: run \d+ (?:ended|cancelled)
        galley-cc: ^([^\s+@:-][^:]*):(\d+):(\d+): (?:fatal )?(error|warning|note): (.*)$
          begins: ^galley watch: run \d+ started
          ends: ^galley watch: run \d+ (?:ended|cancelled)
      begins: galley watch: run 1 started
      galley-cc: tests/b_test.c | 3 | 2 | warning | #warning a warning here [-Wcpp]
      galley-cc: tests/b_test.c | 4 | 4 | error | #error an error there
      galley: tests/a_test.c | 6 | sum | mismatch
      galley: tests/a_test.c | 13 | greeting | mismatch
      ends: galley watch: run 1 ended: last run T s · 3 failed
      begins: galley watch: run 2 started: changed tests/slow_test.c
      ends: galley watch: run 2 cancelled: changed tests/slow_test.c
      begins: galley watch: run 3 started: changed tests/slow_test.c
      galley-cc: tests/b_test.c | 3 | 2 | warning | #warning a warning here [-Wcpp]
      galley-cc: tests/b_test.c | 4 | 4 | error | #error an error there
      galley: tests/a_test.c | 6 | sum | mismatch
      galley: tests/a_test.c | 13 | greeting | mismatch
      ends: galley watch: run 3 ended: last run T s · 3 failed
    */);
    /* On greeting's line: only greeting runs. */
    S_vscode("galley run (test at the cursor)", "--run tests/a_test.c 12");
    EXPECT(/*
      task 'galley run (test at the cursor)': process: galley run --color=never ${file}:${lineNumber}
        galley: ^([^\s+@:-][^:]*):(\d+): ([A-Za-z_(][^:]*): (.*)$
        galley-cc: ^([^\s+@:-][^:]*):(\d+):(\d+): (?:fatal )?(error|warning|note): (.*)$
      command: galley run --color=never ${workspaceFolder}/tests/a_test.c:12
      [exit 1]
      galley: tests/a_test.c | 13 | greeting | mismatch
    */);
    e2e_done();
}
