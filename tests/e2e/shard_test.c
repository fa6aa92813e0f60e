/* shard_test.c: end-to-end tests of --shard=K/N and Bazel's sharding
 * protocol: the shards together run the whole suite, each test once, the
 * assignment is the same from run to run and from any directory, a shard
 * builds only the files it runs, and bad values are usage errors. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* Makes a project of three files of eight tests (each test appends its
 * name to ran.txt when it runs) and a file with no test, and exports the
 * galley under test as an absolute $GALLEY_BIN. */
static void S_suite(void)
{
    char bin[PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    if (env && realpath(env, bin))
        setenv("GALLEY_BIN", bin, 1);
    unsetenv("TEST_TOTAL_SHARDS");
    unsetenv("TEST_SHARD_INDEX");
    unsetenv("TEST_SHARD_STATUS_FILE");
    unsetenv("XML_OUTPUT_FILE");
    e2e_project();
    static const char *const files[] = {"alpha", "beta", "gamma"};
    for (int f = 0; f < 3; f++) {
        char path[64], text[2048];
        int n = snprintf(text, sizeof text,
                         "#include <galley.h>\n#include <stdio.h>\n"
                         "#define MARK(t) do { FILE *m = fopen(\"ran.txt\", "
                         "\"a\"); fprintf(m, \"%%s\\n\", t); fclose(m); } "
                         "while (0)\n");
        for (int t = 1; t <= 8; t++)
            n += snprintf(text + n, sizeof text - (size_t)n,
                          "TEST(%s_%d) { MARK(\"%s_%d\"); }\n", files[f], t,
                          files[f], t);
        snprintf(path, sizeof path, "tests/%s_test.c", files[f]);
        e2e_write(path, text);
    }
    e2e_write("tests/empty_test.c", "#include <galley.h>\n");
}

TEST(union_is_the_whole_suite)
{
    S_suite();
    /* For N from 1 to 4: the shards' lists, put together, are the list of
     * the whole suite, each test once; a second time gives the same. */
    e2e_sh("\"$GALLEY_BIN\" run --list | sort > all; wc -l < all; "
           "for n in 1 2 3 4; do sizes=; for k in $(seq 1 $n); do "
           "\"$GALLEY_BIN\" run --list --shard=$k/$n > s$k; "
           "\"$GALLEY_BIN\" run --list --shard $k/$n | cmp -s - s$k || "
           "echo \"$k/$n changed\"; sizes=\"$sizes $(wc -l < s$k)\"; done; "
           "cat s* | sort | cmp -s - all && echo \"N=$n: whole, once "
           "each;$sizes\"; rm s*; done");
    EXPECT(/*
      24
      N=1: whole, once each; 24
      N=2: whole, once each; 11 13
      N=3: whole, once each; 7 7 10
      N=4: whole, once each; 4 4 7 9
    */);
    e2e_done();
}

TEST(runs_are_the_union)
{
    S_suite();
    /* Running, not listing: every test ran once over the three shards. */
    e2e_sh("for k in 1 2 3; do \"$GALLEY_BIN\" run --shard=$k/3; done; "
           "sort ran.txt > ran; \"$GALLEY_BIN\" run --list | "
           "sed 's/.*: //' | sort | cmp - ran && echo 'each test ran once'");
    EXPECT(/*
      7 passed, 0 failed
      7 passed, 0 failed
      10 passed, 0 failed
      each test ran once
    */);
    e2e_done();
}

TEST(stable_assignment)
{
    S_suite();
    /* The same tests from a subdirectory (paths are hashed relative to
     * the project's root), and after a file is added: a test's shard
     * depends only on its file and name. */
    e2e_sh("\"$GALLEY_BIN\" run --list --shard=2/3 | sed 's/.*: //' > a; "
           "cd tests && \"$GALLEY_BIN\" run --list --shard=2/3 | "
           "sed 's/.*: //' | cmp - ../a && echo 'same from tests/'");
    e2e_sh("printf '#include <galley.h>\\nTEST(delta_1) { }\\n"
           "TEST(delta_2) { }\\nTEST(delta_3) { }\\n' > tests/delta_test.c; "
           "\"$GALLEY_BIN\" run --list --shard=2/3 | sed 's/.*: //' | "
           "grep -v delta | cmp - a && echo 'same after a file is added'");
    EXPECT(/*
      same from tests/
      same after a file is added
    */);
    e2e_done();
}

TEST(builds_only_its_files)
{
    S_suite();
    /* A file whose only test lies in one shard: the others do not compile
     * it, so its error shows in that shard alone. */
    e2e_write("tests/broken_test.c",
              "#include <galley.h>\n"
              "#error broken on purpose\n"
              "TEST(broken) { }\n");
    e2e_sh("for k in 1 2 3; do \"$GALLEY_BIN\" run -q --shard=$k/3 >out 2>&1;"
           " echo \"$k/3: exit $?, $(grep -q 'broken on purpose' out && "
           "echo 'its error' || echo 'no error'); built:\" $(sed -n "
           "'s/^default _galley.bin.//p' _galley/build.ninja | "
           "sed 's/-.*//'); done");
    EXPECT(/*
      1/3: exit 0, no error; built: alpha_test beta_test empty_test gamma_test
      2/3: exit 1, its error; built: alpha_test beta_test broken_test gamma_test
      3/3: exit 0, no error; built: alpha_test beta_test gamma_test
    */);
    e2e_done();
}

TEST(bad_values)
{
    S_suite();
    e2e_sh("for v in 0/3 4/3 3 a/b 1/0 /2 1/ -1/2 1/2/3 ''; do "
           "\"$GALLEY_BIN\" run --list --shard=\"$v\" 2>&1 | sed 's/.*, //';"
           " done");
    EXPECT(/*
      not '0/3'
      Try 'galley run --help'.
      not '4/3'
      Try 'galley run --help'.
      not '3'
      Try 'galley run --help'.
      not 'a/b'
      Try 'galley run --help'.
      not '1/0'
      Try 'galley run --help'.
      not '/2'
      Try 'galley run --help'.
      not '1/'
      Try 'galley run --help'.
      not '-1/2'
      Try 'galley run --help'.
      not '1/2/3'
      Try 'galley run --help'.
      not ''
      Try 'galley run --help'.
    */);
    e2e_galley("run --list --shard=4/3");
    e2e_galley("run --list --shard");
    EXPECT(/*
      galley: run: --shard takes K/N, the K-th of N shards with 1 <= K <= N <= 1000000 (like --shard=2/4), not '4/3'
      Try 'galley run --help'.
      [exit 2]
      galley: run: --shard needs a value
      Try 'galley run --help'.
      [exit 2]
    */);
    e2e_done();
}

TEST(bazel_protocol)
{
    S_suite();
    /* TEST_SHARD_INDEX is 0-based: shard 1 of Bazel's 3 is --shard=2/3.
     * The status file is touched; XML_OUTPUT_FILE gets the JUnit report
     * of the shard's tests. */
    e2e_sh("\"$GALLEY_BIN\" run --list --shard=2/3 > want; mkdir bazel; "
           "TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=1 "
           "TEST_SHARD_STATUS_FILE=bazel/status XML_OUTPUT_FILE=bazel/x.xml "
           "\"$GALLEY_BIN\" run; echo \"exit $?\"; ls bazel; "
           "xmllint --xpath 'count(//testcase)' bazel/x.xml | tr -d '\\n'; "
           "echo; "
           "TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=1 \"$GALLEY_BIN\" run --list"
           " | cmp - want && echo 'the same tests as --shard=2/3'");
    EXPECT(/*
      7 passed, 0 failed
      exit 0
      status
      x.xml
      7
      the same tests as --shard=2/3
    */);
    /* --shard wins over the environment, and then the status file is not
     * touched: galley does not follow Bazel's sharding. */
    e2e_sh("TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=1 "
           "TEST_SHARD_STATUS_FILE=st2 \"$GALLEY_BIN\" run --list "
           "--shard=1/1 | wc -l; test -e st2 || echo 'not touched'");
    EXPECT(/*
      24
      not touched
    */);
    e2e_sh("TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=3 \"$GALLEY_BIN\" run; "
           "TEST_TOTAL_SHARDS=0 TEST_SHARD_INDEX=0 \"$GALLEY_BIN\" run; "
           "TEST_TOTAL_SHARDS=2 \"$GALLEY_BIN\" run; echo \"exit $?\"");
    EXPECT(/*
      galley: error: bad test sharding environment: TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=3 (Bazel's protocol: 0 <= TEST_SHARD_INDEX < TEST_TOTAL_SHARDS)
      galley: error: bad test sharding environment: TEST_TOTAL_SHARDS=0 TEST_SHARD_INDEX=0 (Bazel's protocol: 0 <= TEST_SHARD_INDEX < TEST_TOTAL_SHARDS)
      galley: error: bad test sharding environment: TEST_TOTAL_SHARDS=2 TEST_SHARD_INDEX=(unset) (Bazel's protocol: 0 <= TEST_SHARD_INDEX < TEST_TOTAL_SHARDS)
      exit 2
    */);
    e2e_done();
}

/* A shard can hold no test at all: it passes, as Bazel expects of a
 * shard that got nothing, and builds nothing. */
TEST(empty_shard)
{
    S_suite();
    e2e_sh("rm tests/beta_test.c tests/gamma_test.c; "
           "for k in $(seq 1 12); do \"$GALLEY_BIN\" run --shard=$k/12 "
           "--format=tap >o; rc=$?; echo \"$(sed -n 2p o), exit $rc\"; "
           "done | sort | uniq -c | sed 's/^ *//'");
    EXPECT(/*
      7 1..0, exit 0
      3 1..1, exit 0
      1 1..2, exit 0
      1 1..3, exit 0
    */);
    e2e_done();
}
