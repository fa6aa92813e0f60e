/* cache_test.c: end-to-end tests of the result cache. A test that counts
 * its own runs (it appends to runs.log in the project root, where tests
 * run) tells a result taken from the cache from one run again: the
 * summary's "(N cached)" must agree with what the log shows. A result is
 * reused after no change, and not after a change to anything its key
 * covers; a failing test fails again from the cache and promote works from
 * it; results that depend on load are never kept; a broken pack is
 * ignored; two runs share the cache; the cache stays under its size. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

/* A test file whose tests log each run: "ran NAME" in runs.log. */
static const char S_counting[] =
    "#include <galley.h>\n"
    "#include <stdio.h>\n"
    "#include \"greeting.h\"\n"
    "\n"
    "static void ran(const char *name)\n"
    "{\n"
    "    FILE *f = fopen(\"runs.log\", \"a\");\n"
    "    fprintf(f, \"ran %s\\n\", name);\n"
    "    fclose(f);\n"
    "}\n"
    "\n"
    "TEST(hello) {\n"
    "    ran(\"hello\");\n"
    "    printf(\"%s\\n\", GREETING);\n"
    "    EXPECT(/* hello */);\n"
    "}\n"
    "\n"
    "TEST(number) {\n"
    "    ran(\"number\");\n"
    "    printf(\"%.4f\\n\", 3.14159);\n"
    "    EXPECT(/* 3.1416 */);\n"
    "}\n";

/* Makes the project of S_counting. */
static void S_project(void)
{
    e2e_project();
    e2e_write("tests/greeting.h", "#define GREETING \"hello\"\n");
    e2e_write("tests/c_test.c", S_counting);
}

/* Runs galley with args, then shows and empties runs.log. */
static void S_run(const char *args)
{
    e2e_galley(args);
    e2e_sh("sort runs.log 2>/dev/null; rm -f runs.log");
}

TEST(a_rerun_with_nothing_changed_runs_nothing)
{
    S_project();
    S_run("run");
    S_run("run -v");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      tests/c_test.c:12: hello: ok (cached)
      tests/c_test.c:18: number: ok (cached)
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    /* Touched but not changed: rebuilt to the same program, still
     * cached. */
    e2e_sh("touch tests/c_test.c tests/greeting.h");
    S_run("run");
    EXPECT(/*
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    /* Reports for machines say it too. */
    e2e_galley("run --format=json | sed 's/\"duration_ms\":[0-9]*/N/'");
    EXPECT(/*
      {"schema":1,"type":"test","file":"tests/c_test.c","line":12,"test":"hello","status":"passed",N,"cached":true}
      {"schema":1,"type":"test","file":"tests/c_test.c","line":18,"test":"number","status":"passed",N,"cached":true}
      {"schema":1,"type":"summary","tests":2,"passed":2,"failed":0,"errors":0,"skipped":0,"cached":2,N}
      [exit 0]
    */);
    e2e_done();
}

TEST(a_change_to_any_part_of_the_key_runs_again)
{
    S_project();
    e2e_write("src/lib.c", "int lib(void) { return 1; }\n");
    e2e_write("tests/l_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "int lib(void);\n"
              "TEST(lib_user) {\n"
              "    FILE *f = fopen(\"runs.log\", \"a\");\n"
              "    fprintf(f, \"ran lib_user\\n\");\n"
              "    fclose(f);\n"
              "    printf(\"%d\\n\", lib() > 0);\n"
              "    EXPECT(/* 1 */);\n"
              "}\n");
    e2e_write("data/in.txt", "one\n");
    e2e_write("galley.conf", "sources = src/lib.c\n"
                             "inputs = data\n"
                             "env = GREET_LANG\n");
    S_run("run");
    S_run("run");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
      3 passed (3 cached), 0 failed
      [exit 0]
    */);
    /* The test source, where the program changes; only its tests run.
     * (An edit that leaves the program as it was, a comment, say, or
     * the expected text, runs nothing.) */
    e2e_sh("echo 'int version = 2;' >> tests/c_test.c");
    S_run("run");
    e2e_sh("printf '/%s/\\n' '* a comment *' >> tests/c_test.c");
    S_run("run");
    EXPECT(/*
      3 passed (1 cached), 0 failed
      [exit 0]
      ran hello
      ran number
      3 passed (3 cached), 0 failed
      [exit 0]
    */);
    /* A header it includes. */
    e2e_write("tests/greeting.h", "#define GREETING \"hello\"\n"
                                  "int greeting_version = 2;\n");
    S_run("run");
    /* A file under sources: the tests of the programs that link it. */
    e2e_write("src/lib.c", "int lib(void) { return 2; }\n");
    S_run("run");
    /* cflags in galley.conf: every program. */
    e2e_write("galley.conf", "sources = src/lib.c\ninputs = data\n"
                             "env = GREET_LANG\ncflags = -g -O1\n");
    S_run("run");
    EXPECT(/*
      3 passed (1 cached), 0 failed
      [exit 0]
      ran hello
      ran number
      3 passed (2 cached), 0 failed
      [exit 0]
      ran lib_user
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
    */);
    /* A file under the declared inputs: changed, then a new one. */
    e2e_write("data/in.txt", "two\n");
    S_run("run");
    e2e_write("data/more.txt", "three\n");
    S_run("run");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
    */);
    /* A listed environment variable: unset as before, set, changed. */
    S_run("run");
    e2e_sh("GREET_LANG=fr $GALLEY_BIN run; sort runs.log; rm runs.log");
    e2e_sh("GREET_LANG=fr $GALLEY_BIN run; test -e runs.log || "
           "echo nothing ran");
    e2e_sh("GREET_LANG=de $GALLEY_BIN run; sort runs.log; rm runs.log");
    EXPECT(/*
      3 passed (3 cached), 0 failed
      [exit 0]
      3 passed, 0 failed
      ran hello
      ran lib_user
      ran number
      3 passed (3 cached), 0 failed
      nothing ran
      3 passed, 0 failed
      ran hello
      ran lib_user
      ran number
    */);
    /* The time limit and the output limit. */
    e2e_write("galley.conf", "sources = src/lib.c\ninputs = data\n"
                             "env = GREET_LANG\ncflags = -g -O1\n"
                             "timeout_ms = 20000\n");
    S_run("run");
    e2e_write("galley.conf", "sources = src/lib.c\ninputs = data\n"
                             "env = GREET_LANG\ncflags = -g -O1\n"
                             "timeout_ms = 20000\noutput_limit = 1M\n");
    S_run("run");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
      3 passed, 0 failed
      [exit 0]
      ran hello
      ran lib_user
      ran number
    */);
    e2e_done();
}

TEST(tolerances_and_filters_apply_to_cached_results)
{
    /* The runner compares: a tolerance or filter changed in galley.conf
     * changes the verdict at once, from the same cached output. */
    S_project();
    e2e_sh("sed -i 's/3.1416/3.1415/' tests/c_test.c");
    S_run("run -q");
    e2e_write("galley.conf", "atol = 0.001\n");
    S_run("run -q");
    e2e_write("galley.conf", "atol = 0.001\nfilter = s/hello/HELLO/\n");
    S_run("run -q");
    EXPECT(/*
      tests/c_test.c:21: number: mismatch
      1 passed, 1 failed
      [exit 1]
      ran hello
      ran number
      2 passed (2 cached), 0 failed
      [exit 0]
      tests/c_test.c:15: hello: mismatch
      1 passed (1 cached), 1 failed (1 cached)
      [exit 1]
    */);
    e2e_done();
}

TEST(a_failure_fails_again_from_the_cache_and_promotes_from_it)
{
    S_project();
    e2e_sh("sed -i 's/\\/\\* hello \\*\\//\\/\\* bonjour \\*\\//' "
           "tests/c_test.c");
    S_run("run -q");
    S_run("run");
    EXPECT(/*
      tests/c_test.c:15: hello: mismatch
      1 passed, 1 failed
      [exit 1]
      ran hello
      ran number
      tests/c_test.c:15: hello: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -bonjour
      +hello

      1 passed (1 cached), 1 failed (1 cached)
      [exit 1]
    */);
    /* The .corrected file and the promote state come from the cached run
     * as from a fresh one. */
    e2e_sh("diff tests/c_test.c _galley/tests/c_test.c.corrected "
           "| grep '^[<>]' | sed 's|/[*]|(*|; s|[*]/|*)|'");
    e2e_galley("promote");
    S_run("run");
    EXPECT(/*
      <     EXPECT((* bonjour *));
      >     EXPECT((* hello *));
      promoted tests/c_test.c (1 marker)
      [exit 0]
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(results_that_depend_on_load_or_the_clock_are_not_kept)
{
    e2e_project();
    e2e_write("tests/l_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <unistd.h>\n"
              "static void ran(const char *name)\n"
              "{\n"
              "    FILE *f = fopen(\"runs.log\", \"a\");\n"
              "    fprintf(f, \"ran %s\\n\", name);\n"
              "    fclose(f);\n"
              "}\n"
              "TEST(slow, .timeout_ms = 200) { ran(\"slow\"); sleep(30); }\n"
              "TEST(chatty) {\n"
              "    ran(\"chatty\");\n"
              "    for (int i = 0; i < 100000; i++) printf(\"line\\n\");\n"
              "}\n"
              "TEST(clock, .no_cache = 1) { ran(\"clock\"); }\n"
              "TEST(plain) { ran(\"plain\"); }\n");
    e2e_write("galley.conf", "output_limit = 1K\n");
    e2e_galley_filter("run", "grep -E '^tests/|passed'");
    e2e_sh("sort runs.log; rm runs.log");
    e2e_galley_filter("run -v", "grep -E ': ok|passed' "
                                "| sed -E 's/[0-9]+ ms/N ms/'");
    e2e_sh("sort runs.log; rm runs.log");
    EXPECT(/*
      tests/l_test.c:10: slow: timed out after 200 ms
      tests/l_test.c:11: chatty: output cut at 1024 bytes (output_limit); not promoted
      2 passed, 2 failed
      [exit 1]
      ran chatty
      ran clock
      ran plain
      ran slow
      tests/l_test.c:15: clock: ok (N ms)
      tests/l_test.c:16: plain: ok (cached)
      2 passed (1 cached), 2 failed
      [exit 1]
      ran chatty
      ran clock
      ran slow
    */);
    e2e_done();
}

TEST(a_broken_pack_is_ignored)
{
    S_project();
    S_run("run");
    /* Truncated, then garbage, then a byte changed under its checksum. */
    e2e_sh("for p in _galley/cache/[0-9a-f][0-9a-f]/*; do head -c 100 $p > t; mv t $p; "
           "done");
    S_run("run");
    e2e_sh("for p in _galley/cache/[0-9a-f][0-9a-f]/*; do head -c 3000 /dev/urandom > $p; "
           "done");
    S_run("run");
    e2e_sh("for p in _galley/cache/[0-9a-f][0-9a-f]/*; do sed -i 's/hello/HELLO/' $p; "
           "done");
    S_run("run");
    S_run("run");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(no_cache_three_ways)
{
    S_project();
    S_run("run");
    S_run("run --no-cache");
    e2e_sh("GALLEY_NO_CACHE=1 $GALLEY_BIN run; sort runs.log; rm runs.log");
    /* --no-cache still keeps what it ran: the next run takes it. */
    S_run("run");
    /* cache = off: nothing is taken or kept. */
    e2e_sh("rm -rf _galley/cache");
    e2e_write("galley.conf", "cache = off\n");
    S_run("run");
    S_run("run");
    e2e_sh("test -d _galley/cache && echo cache kept || echo no cache");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      ran hello
      ran number
      2 passed (2 cached), 0 failed
      [exit 0]
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      no cache
    */);
    e2e_done();
}

TEST(a_test_reads_its_declared_inputs)
{
    e2e_project();
    e2e_write("data/a.csv", "1,2\n");
    e2e_write("tests/i_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(reads, .inputs = \"data/*.csv\") {\n"
              "    char line[64];\n"
              "    FILE *f = fopen(\"data/a.csv\", \"r\");\n"
              "    while (fgets(line, sizeof line, f)) fputs(line, stdout);\n"
              "    fclose(f);\n"
              "    EXPECT(/* 1,2 */);\n"
              "}\n"
              "TEST(other) { printf(\"x\\n\"); EXPECT(/* x */); }\n");
    e2e_galley("run");
    e2e_galley("run");
    e2e_write("data/a.csv", "3,4\n");
    e2e_galley("run -q");
    e2e_write("data/b.csv", "new\n");
    e2e_galley("run -q");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      2 passed (2 cached), 0 failed
      [exit 0]
      tests/i_test.c:8: reads: mismatch
      1 passed (1 cached), 1 failed
      [exit 1]
      tests/i_test.c:8: reads: mismatch
      1 passed (1 cached), 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(two_runs_at_once_share_the_cache)
{
    S_project();
    e2e_write("tests/d_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "TEST(d) { printf(\"d\\n\"); EXPECT(/* d */); }\n");
    e2e_sh("$GALLEY_BIN run -q > one.out 2>&1 & "
           "$GALLEY_BIN run -q > two.out 2>&1; wait; "
           "cat one.out two.out | grep passed | sed 's/ (3 cached)//' "
           "| sort | uniq -c");
    S_run("run");
    EXPECT(/*
            2 3 passed, 0 failed
      3 passed (3 cached), 0 failed
      [exit 0]
      ran hello
      ran number
    */);
    e2e_done();
}

TEST(the_cache_stays_under_its_size)
{
    /* Each run with another GREET value is another key: more packs than
     * the cap holds. */
    S_project();
    e2e_write("galley.conf", "env = GREET\ncache_size = 4K\n");
    e2e_sh("for i in $(seq 1 12); do GREET=$i $GALLEY_BIN run -q >/dev/null; "
           "done; rm runs.log");
    e2e_sh("n=$(du -cb _galley/cache/[0-9a-f][0-9a-f]/* | tail -n 1 | cut -f1); "
           "test $n -le 4096 && echo within the cap || echo $n bytes");
    /* The newest are the ones kept. */
    e2e_sh("GREET=12 $GALLEY_BIN run -q");
    EXPECT(/*
      within the cap
      2 passed (2 cached), 0 failed
    */);
    e2e_done();
}

TEST(a_large_program_runs_on_every_slot)
{
    /* 64 tests in one file, -j 2: two slices of the program run at once,
     * each in its own start of the program (the tests' parents). */
    static char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "#include <galley.h>\n#include <stdio.h>\n"
                                "#include <unistd.h>\n");
    for (int i = 0; i < 64; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "TEST(t%d) { FILE *f = fopen(\"parents.log\", "
                              "\"a\"); fprintf(f, \"%%d\\n\", "
                              "(int)getppid()); fclose(f); }\n", i);
    e2e_project();
    e2e_write("tests/big_test.c", text);
    e2e_galley("run -j 2");
    e2e_sh("sort -u parents.log | wc -l; rm parents.log");
    e2e_galley("run -j 1 --no-cache");
    e2e_sh("sort -u parents.log | wc -l");
    EXPECT(/*
      64 passed, 0 failed
      [exit 0]
      2
      64 passed, 0 failed
      [exit 0]
      1
    */);
    e2e_done();
}

TEST(symbolic_links_under_inputs_are_followed)
{
    /* A link inside a declared directory, and a declared link to a
     * directory: their targets' contents count, and a link that leads
     * nowhere (then somewhere) is a change too. */
    e2e_project();
    e2e_write("galley.conf", "inputs = data ddir\n");
    e2e_write("data/x.txt", "x\n");
    e2e_write("real/a.txt", "a\n");
    e2e_sh("ln -s real ddir");
    e2e_write("tests/l_test.c",
              "#include <galley.h>\n#include <stdio.h>\n"
              "TEST(l) { printf(\"l\\n\"); EXPECT(/* l */); }\n");
    e2e_galley("run");
    e2e_write("real/b.txt", "b\n");
    e2e_galley("run");
    e2e_sh("ln -s ../target data/link");
    e2e_galley("run");
    e2e_galley("run");
    e2e_write("target", "t\n");
    e2e_galley("run");
    e2e_write("target", "u\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      1 passed, 0 failed
      [exit 0]
      1 passed, 0 failed
      [exit 0]
      1 passed (1 cached), 0 failed
      [exit 0]
      1 passed, 0 failed
      [exit 0]
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(a_partial_run_without_the_cache_keeps_the_rest_of_it)
{
    /* --no-cache --filter reruns one test and refreshes its result; the
     * other results stay in the cache for the next run. */
    S_project();
    S_run("run -q");
    S_run("run -q --no-cache --filter=hello");
    S_run("run -q");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      ran hello
      ran number
      1 passed, 0 failed
      [exit 0]
      ran hello
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}
