/* filters_test.c: end-to-end tests of output filters, the PCRE2
 * substitutions of galley.conf's `filter` lines and of a test's .filter
 * option, applied to the actual output before it is compared and before
 * it is promoted: the built-ins on real pointers, temporary directories,
 * durations, timestamps and pids; custom filters with capture groups, in
 * order; and bad filters. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(builtins_on_real_output)
{
    e2e_project();
    e2e_write("galley.conf",
              "filter = @pointers\n"
              "filter = @tmpdirs\n"
              "filter = @durations\n"
              "filter = @timestamps\n"
              "filter = @pids\n");
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "#include <time.h>\n"
              "#include <unistd.h>\n"
              "\n"
              "static int counter;\n"
              "\n"
              "TEST(redacted) {\n"
              "    int *p = malloc(sizeof *p);\n"
              "    printf(\"counter at %p, heap at %p\\n\", (void *)&counter, (void *)p);\n"
              "    free(p);\n"
              "    const char *tmp = getenv(\"TMPDIR\");\n"
              "    char dir[4096];\n"
              "    snprintf(dir, sizeof dir, \"%s/run-XXXXXX\", tmp ? tmp : \"/tmp\");\n"
              "    printf(\"scratch in %s/data.bin\\n\", mkdtemp(dir));\n"
              "    rmdir(dir);\n"
              "    printf(\"wrote /var/tmp/cache-%d/index\\n\", (int)getpid());\n"
              "    struct timespec a, b;\n"
              "    clock_gettime(CLOCK_MONOTONIC, &a);\n"
              "    for (volatile int i = 0; i < 100000; i++)\n"
              "        ;\n"
              "    clock_gettime(CLOCK_MONOTONIC, &b);\n"
              "    double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;\n"
              "    printf(\"loop took %.3f ms, budget 2s\\n\", ms);\n"
              "    time_t t = 1700000000;\n"
              "    char when[64];\n"
              "    strftime(when, sizeof when, \"%Y-%m-%dT%H:%M:%SZ\", gmtime(&t));\n"
              "    printf(\"stamped %s, logged 2023-11-14 22:13:20.250+01:00\\n\", when);\n"
              "    printf(\"worker pid=%d, parent PID: %d\\n\", (int)getpid(), (int)getppid());\n"
              "    printf(\"kept: flags 0x1f, v3ms, 5 items, 2023-11-14, pidfile 12\\n\");\n"
              "    EXPECT(/*\n"
              "      counter at 0xPTR, heap at 0xPTR\n"
              "      scratch in $TMPDIR/data.bin\n"
              "      wrote $TMPDIR/index\n"
              "      loop took DURATION, budget DURATION\n"
              "      stamped TIMESTAMP, logged TIMESTAMP\n"
              "      worker pid=PID, parent PID: PID\n"
              "      kept: flags 0x1f, v3ms, 5 items, 2023-11-14, pidfile 12\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    /* Without the filters the same output differs on every run. */
    e2e_write("galley.conf", "");
    e2e_galley_filter("run -q", "cat");
    EXPECT(/*
      tests/b_test.c:32: redacted: mismatch
      0 passed, 1 failed (1 cached)
      [exit 1]
    */);
    e2e_done();
}

TEST(custom_filters_in_order)
{
    e2e_project();
    e2e_write("galley.conf",
              "# a capture group, and '|' as the delimiter\n"
              "filter = s|user (\\w+) from [0-9.]+|user $1 from IP|g\n"
              "# two filters: the second sees what the first wrote\n"
              "filter = s/id=[0-9]+/id=ID/g\n"
              "filter = s/ID/<id>/g\n"
              "filter = s/^secret.*$/[hidden]/i\n");
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(log) {\n"
              "    printf(\"user alice from 10.0.0.7\\n\");\n"
              "    printf(\"user bob from 192.168.1.20 and user carol from 10.1.1.1\\n\");\n"
              "    printf(\"request id=4471 then id=4472\\n\");\n"
              "    printf(\"SECRET token 1234\\n\");\n"
              "    printf(\"no secret here\\n\");\n"
              "    EXPECT(/*\n"
              "      user alice from IP\n"
              "      user bob from IP and user carol from IP\n"
              "      request id=<id> then id=<id>\n"
              "      [hidden]\n"
              "      no secret here\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    /* The same filters the other way round give another text. */
    e2e_sh("sed -i '4{h;d};5G' galley.conf && grep id galley.conf");
    e2e_galley("run");
    EXPECT(/*
      filter = s/ID/<id>/g
      filter = s/id=[0-9]+/id=ID/g
      filter = s/^secret.*$/[hidden]/i
      tests/c_test.c:10: log: mismatch
      --- expected
      +++ actual
      @@ -1,5 +1,5 @@
       user alice from IP
       user bob from IP and user carol from IP
      -request id=<id> then id=<id>
      +request id=ID then id=ID
       [hidden]
       no secret here

      0 passed, 1 failed (1 cached)
      [exit 1]
    */);
    e2e_done();
}

TEST(test_filter_option)
{
    e2e_project();
    e2e_write("galley.conf", "filter = s/alpha/beta/g\n");
    e2e_write("tests/o_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(seeded, .filter = \"s/seed [0-9]+/seed S/\") {\n"
              "    printf(\"seed 8812 alpha\\n\");\n"
              "    EXPECT(/* seed S beta */);\n"
              "}\n"
              "\n"
              "TEST(after_the_project_filters, .filter = \"s/beta/gamma/\") {\n"
              "    printf(\"alpha\\n\");\n"
              "    EXPECT(/* gamma */);\n"
              "}\n"
              "\n"
              "TEST(builtin, .filter = \"@pointers\") {\n"
              "    printf(\"%p\\n\", (void *)\"x\");\n"
              "    EXPECT(/* 0xPTR */);\n"
              "}\n"
              "\n"
              "TEST(not_for_other_tests) {\n"
              "    printf(\"seed 8812 alpha\\n\");\n"
              "    EXPECT(/* seed S beta */);\n"
              "}\n"
              "\n"
              "TEST(bad, .filter = \"s/(/x/\") {\n"
              "    printf(\"seed 1\\n\");\n"
              "    EXPECT(/* seed 1 */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/o_test.c:21: not_for_other_tests: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -seed S beta
      +seed 8812 beta

      tests/o_test.c:24: bad: .filter: filter 's/(/x/': bad regex: missing closing parenthesis at offset 1

      3 passed, 2 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(promote_writes_filtered_output)
{
    e2e_project();
    e2e_write("galley.conf", "filter = @pointers\n");
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "TEST(nodes) {\n"
              "    int *a = malloc(4), *b = malloc(4);\n"
              "    printf(\"a %p\\nb %p\\n\", (void *)a, (void *)b);\n"
              "    printf(\"same %s\\n\", a == b ? \"yes\" : \"no\");\n"
              "    free(a);\n"
              "    free(b);\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/p_test.c:11: nodes: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,3 @@
      +a 0xPTR
      +b 0xPTR
      +same no

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/p_test.c", 11, 15);
    EXPECT(/*
      promoted tests/p_test.c (1 marker)
      [exit 0]
          EXPECT((*
            a 0xPTR
            b 0xPTR
            same no
          *));
    */);
    e2e_sh("grep -q '0x[0-9a-f]\\{6\\}' tests/p_test.c || echo no pointer values");
    EXPECT(/* no pointer values */);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(bad_filters_in_galley_conf)
{
    e2e_project();
    e2e_write("galley.conf",
              "filter = @pointers\n"
              "filter = s/(unclosed/x/g\n"
              "filter = @nonsense\n"
              "filter = s/no-end/x\n"
              "filter = s/a/b/q\n"
              "filter =\n"
              "filter = s/kept/KEPT/\n");
    e2e_write("tests/k_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(still_filtered) {\n"
              "    printf(\"kept %p\\n\", (void *)\"x\");\n"
              "    EXPECT(/* KEPT 0xPTR */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      galley.conf:6:9: error: filter needs a value: s/REGEX/REPLACEMENT/g or @NAME
      galley.conf:2:10: error: bad filter: filter 's/(unclosed/x/g': bad regex: missing closing parenthesis at offset 9
      galley.conf:3:10: error: bad filter: unknown filter '@nonsense' (built-ins: @pointers, @tmpdirs, @durations, @timestamps, @pids)
      galley.conf:4:10: error: bad filter: filter 's/no-end/x': missing the '/' that ends the replacement (the form is s/REGEX/REPLACEMENT/FLAGS)
      galley.conf:5:10: error: bad filter: filter 's/a/b/q': unknown flag 'q' (flags are g, i and x)
      1 passed, 5 failed
      [exit 1]
    */);
    e2e_done();
}
