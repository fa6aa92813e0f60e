/* watch_test.c: end-to-end tests of `galley watch` and of `galley run
 * FILE:LINE`. Each starts a watcher on a throwaway project, writes files
 * the ways editors save them (in place; a temporary renamed over the file;
 * several writes; a backup made by renaming the file away), and waits for
 * the report it expects, with a deadline and never a fixed sleep. The
 * watcher writes into a file (pipe mode): one block per run, from "run N
 * started" to "run N ended" or "cancelled". The run numbers show that a
 * save makes one run, and that auto-promote converges (no run after the
 * one its own write caused). Every watcher is stopped with a signal, and
 * what it left running is counted ("K processes left"). */
#define _GNU_SOURCE
#include <galley.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

/* A test file with two tests; ONE and TWO are what they print. */
static void S_two_tests(const char *path, const char *one, const char *two)
{
    char text[2048];
    snprintf(text, sizeof text,
             "#include <galley.h>\n"
             "#include <stdio.h>\n"
             "\n"
             "TEST(one) {\n"
             "    printf(\"%s\\n\");\n"
             "    EXPECT(/* one */);\n"
             "}\n"
             "\n"
             "TEST(two) {\n"
             "    printf(\"%s\\n\");\n"
             "    EXPECT(/* two */);\n"
             "}\n",
             one, two);
    e2e_write(path, text);
}

/* A project for the watcher: editors' saves are coalesced over 300 ms, so
 * that a loaded machine cannot split one save into two runs. */
static void S_project(void)
{
    e2e_project();
    setenv("GALLEY_WATCH_QUIET_MS", "300", 1);
    S_two_tests("tests/a_test.c", "one", "two");
}

/* Saves text into path as editors that write a temporary file and rename
 * it over the original do. */
static void S_save_by_rename(const char *path, const char *text)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp~", path);
    e2e_write(tmp, text);
    if (rename(tmp, path) != 0)
        perror("rename");
}

/* Waits (120 s at most) until path exists; says so. */
static void S_wait_for_file(const char *path)
{
    struct timespec nap = {0, 10000000};
    for (int i = 0; i < 12000 && access(path, F_OK) != 0; i++)
        nanosleep(&nap, NULL);
    printf("%s: %s\n", path, access(path, F_OK) == 0 ? "there" : "missing");
}

/* Says whether the process whose pid file path holds is still alive. */
static void S_alive(const char *path)
{
    FILE *f = fopen(path, "r");
    int pid = 0;
    if (!f || fscanf(f, "%d", &pid) != 1 || pid <= 0) {
        printf("%s: no pid\n", path);
        if (f)
            fclose(f);
        return;
    }
    fclose(f);
    printf("%s: %s\n", path,
           kill(pid, 0) == 0 || errno != ESRCH ? "alive" : "gone");
}

TEST(each_way_an_editor_saves_makes_one_run)
{
    S_project();
    e2e_watch_start("");
    e2e_watch_until("run 1 ended");
    EXPECT(/*
      galley watch: run 1 started
      2 passed, 0 failed
      galley watch: run 1 ended: last run T s · 2 passed
    */);
    /* In place: truncate and write (what e2e_write does). */
    S_two_tests("tests/a_test.c", "one", "TWO");
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 2 started: changed tests/a_test.c
      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +TWO

      1 passed, 1 failed
      galley watch: run 2 ended: last run T s · 1 failed
    */);
    /* A temporary renamed over the file. */
    char text[1024];
    snprintf(text, sizeof text, "#include <galley.h>\n#include <stdio.h>\n"
             "TEST(one) { printf(\"one\\n\"); EXPECT(/" "* one *" "/); }\n");
    S_save_by_rename("tests/a_test.c", text);
    e2e_watch_until("run 3 ended");
    EXPECT(/*
      galley watch: run 3 started: changed tests/a_test.c
      1 passed, 0 failed
      galley watch: run 3 ended: last run T s · 1 passed
    */);
    /* Several writes in a row, then a backup made by renaming the file
     * away and writing it anew (vim's default). */
    int fd = open("tests/a_test.c", O_WRONLY | O_TRUNC);
    size_t half = strlen(text) / 2;
    if (write(fd, text, half) < 0 || fsync(fd) != 0 ||
        write(fd, text + half, strlen(text) - half) < 0)
        perror("write");
    close(fd);
    rename("tests/a_test.c", "tests/a_test.c~");
    S_two_tests("tests/a_test.c", "1", "2");
    unlink("tests/a_test.c~");
    e2e_watch_until("run 4 ended");
    EXPECT(/*
      galley watch: run 4 started: changed tests/a_test.c
      tests/a_test.c:6: one: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -one
      +1

      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +2

      0 passed, 2 failed
      galley watch: run 4 ended: last run T s · 2 failed
    */);
    /* Swap files, backups and files under _galley/ are no change. A
     * change to galley.conf is: the next run is the fifth. */
    e2e_write("tests/.a_test.c.swp", "x");
    e2e_write("tests/a_test.c~", "x");
    e2e_write("tests/#a_test.c#", "x");
    e2e_write("_galley/unrelated", "x");
    e2e_write("galley.conf", "timeout_ms = 60000\n");
    e2e_watch_until("run 5 ended");
    EXPECT(/*
      galley watch: run 5 started: changed galley.conf
      tests/a_test.c:6: one: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -one
      +1

      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +2

      0 passed, 2 failed
      galley watch: run 5 ended: last run T s · 2 failed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(on_a_terminal_the_screen_is_redrawn_under_a_status_line)
{
    S_project();
    e2e_watch_start_tty("--color=never");
    e2e_watch_until("2 passed$");
    printf("\n");
    EXPECT(/*
      ^M^[[Krunning...^[[H^[[2J2 passed, 0 failed
      watching 2 files · last run T s · 2 passed
    */);
    S_two_tests("tests/a_test.c", "one", "TWO");
    e2e_watch_until("1 failed$");
    printf("\n");
    EXPECT(/*
      ^M^[[Krunning (tests/a_test.c changed)...^[[H^[[2Jtests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +TWO

      1 passed, 1 failed
      watching 3 files · last run T s · 1 failed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(auto_promote_writes_the_output_and_converges)
{
    S_project();
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n#include <stdio.h>\n"
              "TEST(fresh) {\n"
              "    for (int i = 1; i <= 3; i++)\n"
              "        printf(\"%d squared is %d\\n\", i, i * i);\n"
              "    EXPECT();\n"
              "}\n");
    e2e_watch_start("--promote");
    /* The first run fails and promotes; its own write makes the second,
     * which passes. */
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 1 started
      tests/b_test.c:6: fresh: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,3 @@
      +1 squared is 1
      +2 squared is 4
      +3 squared is 9

      2 passed, 1 failed
      promoted tests/b_test.c (1 marker)
      galley watch: run 1 ended: last run T s · 1 failed · promoted
      galley watch: run 2 started: changed tests/b_test.c
      3 passed (2 cached), 0 failed
      galley watch: run 2 ended: last run T s · 3 passed
    */);
    e2e_cat("tests/b_test.c");
    EXPECT(/*
      #include <galley.h>
      #include <stdio.h>
      TEST(fresh) {
          for (int i = 1; i <= 3; i++)
              printf("%d squared is %d\n", i, i * i);
          EXPECT((*
            1 squared is 1
            2 squared is 4
            3 squared is 9
          *));
      }
    */);
    /* No third run follows on its own: the next is the one this save
     * makes, and it names only this file. */
    S_two_tests("tests/a_test.c", "one", "2");
    e2e_watch_until("run 4 ended");
    EXPECT(/*
      galley watch: run 3 started: changed tests/a_test.c
      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +2

      2 passed (1 cached), 1 failed
      promoted tests/a_test.c (1 marker)
      galley watch: run 3 ended: last run T s · 1 failed · promoted
      galley watch: run 4 started: changed tests/a_test.c
      3 passed (3 cached), 0 failed
      galley watch: run 4 ended: last run T s · 3 passed
    */);
    e2e_watch_stop(SIGTERM);
    EXPECT(/* [exit 143, 0 processes left] */);
    e2e_done();
}

TEST(auto_promote_does_not_chase_output_that_changes_every_run)
{
    S_project();
    /* It prints how many times it ran (counted in a file no one watches). */
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n#include <stdio.h>\n"
              "TEST(counter) {\n"
              "    int n = 0;\n"
              "    FILE *f = fopen(\"count\", \"r\");\n"
              "    if (f) { if (fscanf(f, \"%d\", &n) != 1) n = 0; fclose(f); }\n"
              "    f = fopen(\"count\", \"w\");\n"
              "    fprintf(f, \"%d\\n\", n + 1);\n"
              "    fclose(f);\n"
              "    printf(\"run %d\\n\", n + 1);\n"
              "    EXPECT();\n"
              "}\n");
    e2e_watch_brief(1);
    e2e_watch_start("--promote --no-cache");
    /* Run 1 promotes "run 1"; run 2, which that write caused, prints "run
     * 2": it is shown, not promoted, and no third run follows. */
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 1 started
      galley watch: run 1 ended: last run T s · 1 failed · promoted
      galley watch: run 2 started: changed tests/b_test.c
      galley watch: not promoted again: the run that the last promote caused differs too (output that changes from run to run?)
      galley watch: run 2 ended: last run T s · 1 failed
    */);
    e2e_sh("grep -c 'run 1' tests/b_test.c");
    /* A save of another file is the user's: promoted again, once. */
    S_two_tests("tests/a_test.c", "one", "two");
    e2e_watch_until("run 4 ended");
    EXPECT(/*
      1
      galley watch: run 3 started: changed tests/a_test.c
      galley watch: run 3 ended: last run T s · 1 failed · promoted
      galley watch: run 4 started: changed tests/b_test.c
      galley watch: not promoted again: the run that the last promote caused differs too (output that changes from run to run?)
      galley watch: run 4 ended: last run T s · 1 failed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(a_save_during_a_run_cancels_it)
{
    S_project();
    /* A test that records its pid (whole, by a rename), then sleeps far
     * past any deadline here. */
    const char *slow =
        "#include <galley.h>\n#include <stdio.h>\n#include <unistd.h>\n"
        "TEST(slow) {\n"
        "    FILE *f = fopen(\"pid.tmp\", \"w\");\n"
        "    fprintf(f, \"%%d\\n\", (int)getpid());\n"
        "    fclose(f);\n"
        "    rename(\"pid.tmp\", \"pid-" "%s\");\n"
        "    sleep(600);\n"
        "}\n";
    char text[1024];
    snprintf(text, sizeof text, slow, "1");
    e2e_write("galley.conf", "timeout_ms = 1200000\n");
    e2e_write("tests/slow_test.c", text);
    e2e_watch_start("");
    S_wait_for_file("pid-1");
    snprintf(text, sizeof text, slow, "2");
    S_save_by_rename("tests/slow_test.c", text);
    e2e_watch_until("run 1 cancelled");
    EXPECT(/*
      pid-1: there
      galley watch: run 1 started
      galley watch: run 1 cancelled: changed tests/slow_test.c
    */);
    S_alive("pid-1");
    S_wait_for_file("pid-2");
    EXPECT(/*
      pid-1: gone
      pid-2: there
    */);
    /* Ctrl-C during a run: status 130, nothing left running. */
    e2e_watch_stop(SIGINT);
    S_alive("pid-2");
    EXPECT(/*
      galley watch: run 2 started: changed tests/slow_test.c
      [exit 130, 0 processes left]
      pid-2: gone
    */);
    e2e_done();
}

TEST(a_compile_error_then_the_fix)
{
    S_project();
    e2e_watch_brief(1);
    e2e_watch_start("");
    e2e_watch_until("run 1 ended");
    e2e_write("tests/a_test.c",
              "#include <galley.h>\nTEST(one) {\n    int x = ;\n}\n");
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 1 started
      galley watch: run 1 ended: last run T s · 2 passed
      galley watch: run 2 started: changed tests/a_test.c
      tests/a_test.c:3:13: error: ...
      galley watch: run 2 ended: last run T s · 1 failed
    */);
    S_two_tests("tests/a_test.c", "one", "two");
    e2e_watch_until("run 3 ended");
    EXPECT(/*
      galley watch: run 3 started: changed tests/a_test.c
      galley watch: run 3 ended: last run T s · 2 passed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(a_hanging_test_times_out_then_the_fix)
{
    S_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n#include <unistd.h>\n"
              "TEST(hangs, .timeout_ms = 200) { for (;;) pause(); }\n");
    e2e_watch_start("");
    e2e_watch_until("run 1 ended");
    EXPECT(/*
      galley watch: run 1 started
      tests/a_test.c:3: hangs: timed out after 200 ms

      0 passed, 1 failed
      galley watch: run 1 ended: last run T s · 1 failed
    */);
    S_two_tests("tests/a_test.c", "one", "two");
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 2 started: changed tests/a_test.c
      2 passed, 0 failed
      galley watch: run 2 ended: last run T s · 2 passed
    */);
    e2e_watch_stop(SIGHUP);
    EXPECT(/* [exit 129, 0 processes left] */);
    e2e_done();
}

TEST(new_and_deleted_test_files)
{
    S_project();
    e2e_watch_start("");
    e2e_watch_until("run 1 ended");
    /* In a directory made after the watch began, too. */
    S_two_tests("tests/more/b_test.c", "one", "too");
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 1 started
      2 passed, 0 failed
      galley watch: run 1 ended: last run T s · 2 passed
      galley watch: run 2 started: changed tests/more/b_test.c
      tests/more/b_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +too

      3 passed (2 cached), 1 failed
      galley watch: run 2 ended: last run T s · 1 failed
    */);
    unlink("tests/more/b_test.c");
    e2e_watch_until("run 3 ended");
    EXPECT(/*
      galley watch: run 3 started: changed tests/more/b_test.c
      2 passed (2 cached), 0 failed
      galley watch: run 3 ended: last run T s · 2 passed
    */);
    /* The test directory itself, deleted, then made again. */
    e2e_sh("rm -rf tests");
    e2e_watch_until("run 4 ended");
    S_two_tests("tests/a_test.c", "one", "two");
    e2e_watch_until("run 5 ended");
    EXPECT(/*
      galley watch: run 4 started: changed tests/a_test.c
      galley: error: no tests/ directory (galley looks for test files there by default): make it with a first test (galley init does), or name test files or directories: galley run PATH...
      galley watch: run 4 ended: last run T s · exit status 2
      galley watch: run 5 started: changed tests
      2 passed (2 cached), 0 failed
      galley watch: run 5 ended: last run T s · 2 passed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(headers_and_code_under_test_are_watched)
{
    S_project();
    e2e_write("galley.conf", "sources = src/lib.c\ninclude = src\n");
    e2e_write("src/lib.h", "int answer(void);\n");
    e2e_write("src/lib.c", "#include \"lib.h\"\nint answer(void) { return 41; }\n");
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n#include <stdio.h>\n#include \"lib.h\"\n"
              "TEST(answer) { printf(\"%d\\n\", answer()); EXPECT(/* 42 */); }\n");
    e2e_watch_start("");
    e2e_watch_until("run 1 ended");
    EXPECT(/*
      galley watch: run 1 started
      tests/a_test.c:4: answer: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -42
      +41

      0 passed, 1 failed
      galley watch: run 1 ended: last run T s · 1 failed
    */);
    e2e_write("src/lib.c", "#include \"lib.h\"\nint answer(void) { return 42; }\n");
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 2 started: changed src/lib.c
      1 passed, 0 failed
      galley watch: run 2 ended: last run T s · 1 passed
    */);
    e2e_write("src/lib.h", "int answer(void);\n#define UNUSED 1\n");
    e2e_watch_until("run 3 ended");
    EXPECT(/*
      galley watch: run 3 started: changed src/lib.h
      1 passed (1 cached), 0 failed
      galley watch: run 3 ended: last run T s · 1 passed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(the_test_at_a_line)
{
    S_project();
    S_two_tests("tests/a_test.c", "one", "TWO");
    /* Line 10 is inside TEST(two) (lines 9 to 12). */
    e2e_galley("run tests/a_test.c:10");
    EXPECT(/*
      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +TWO

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("run tests/a_test.c:5");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_galley("run tests/a_test.c:8");
    EXPECT(/*
      tests/a_test.c:8:1: error: line 8 is not inside a TEST; the nearest: 'one' (lines 4-7) and 'two' (lines 9-12)
      [exit 2]
    */);
    e2e_galley("run tests/a_test.c:400 tests/nope.c:3");
    EXPECT(/*
      tests/nope.c: error: No such file or directory; a PATH names a test file or a directory of them
      [exit 2]
    */);
    /* The watcher keeps to that TEST when lines above it move it. */
    e2e_watch_start("tests/a_test.c:10");
    e2e_watch_until("run 1 ended");
    EXPECT(/*
      galley watch: run 1 started
      tests/a_test.c:11: two: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -two
      +TWO

      0 passed, 1 failed (1 cached)
      galley watch: run 1 ended: last run T s · 1 failed
    */);
    char text[2048];
    snprintf(text, sizeof text,
             "#include <galley.h>\n#include <stdio.h>\n/* a comment\n"
             " * of three lines */\n\n"
             "TEST(one) {\n    printf(\"ONE\\n\");\n"
             "    EXPECT(/" "* one *" "/);\n}\n\n"
             "TEST(two) {\n    printf(\"two\\n\");\n"
             "    EXPECT(/" "* two *" "/);\n}\n");
    e2e_write("tests/a_test.c", text);
    e2e_watch_until("run 2 ended");
    EXPECT(/*
      galley watch: run 2 started: changed tests/a_test.c
      1 passed, 0 failed
      galley watch: run 2 ended: last run T s · 1 passed
    */);
    e2e_watch_stop(SIGINT);
    EXPECT(/* [exit 130, 0 processes left] */);
    e2e_done();
}

TEST(watch_refuses_what_it_cannot_do)
{
    S_project();
    e2e_galley("watch --promote --ci");
    EXPECT(/*
      galley: error: CI mode: watch --promote would write sources; use --no-ci where writing them is meant
      [exit 2]
    */);
    e2e_galley("watch --list");
    EXPECT(/*
      galley: watch: --list is galley run's, not watch's
      Try 'galley watch --help'.
      [exit 2]
    */);
    /* The first run finds the command wrong: the watch ends with it. */
    const char *times = "sed -E 's/[0-9.]+ s /T s /'";
    e2e_galley_filter("watch tests/a_test.c:1", times);
    EXPECT(/*
      galley watch: run 1 started
      tests/a_test.c:1:1: error: line 1 is not inside a TEST; the nearest: 'one' (lines 4-7)
      galley watch: run 1 ended: last run T s · exit status 2
      [exit 2]
    */);
    e2e_galley_filter("watch no/such/dir", times);
    EXPECT(/*
      galley watch: run 1 started
      no/such/dir: error: No such file or directory; a PATH names a test file or a directory of them
      galley watch: run 1 ended: last run T s · exit status 2
      [exit 2]
    */);
    e2e_done();
}
