/* errors_test.c: end-to-end tests of bad input: markers galley cannot read
 * (each reported at FILE:LINE, other files still run) and wrong commands,
 * options and configuration (exit status 2). */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

/* Drops the compiler's diagnostics from galley's output, keeping galley's
 * own lines: their wording varies from one compiler to the next. */
#define S_NO_COMPILER \
    "grep -Ev '^ |: (error|warning|note): |^In file included|: In function'"

/* A test file that passes, to show that other files still run. */
static void S_good_file(void)
{
    e2e_write("tests/good_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(good) { printf(\"ok\\n\"); EXPECT(/* ok */); }\n");
}

TEST(unterminated_comment_in_expect)
{
    e2e_project();
    S_good_file();
    e2e_write("tests/bad_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bad) {\n"
              "    printf(\"x\\n\");\n"
              "    EXPECT(/* x );\n"
              "}\n");
    e2e_galley_filter("run", S_NO_COMPILER);
    EXPECT(/*
      tests/bad_test.c: compile error

      tests/bad_test.c:6: (file): unterminated comment: add the closing *\x2f (esc)
      tests/bad_test.c:1: (file): did not compile

      1 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    e2e_done();
}

TEST(expect_given_a_string)
{
    e2e_project();
    S_good_file();
    e2e_write("tests/bad_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bad) {\n"
              "    printf(\"3\\n\");\n"
              "    EXPECT(\"3\");\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/bad_test.c:6: bad: EXPECT takes only a /\x2a comment *\x2f with the expected output; move other code out of the marker (esc)
      tests/bad_test.c:7: bad: trailing output
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +3

      1 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(two_markers_on_one_line)
{
    e2e_project();
    S_good_file();
    e2e_write("tests/bad_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bad) {\n"
              "    printf(\"a\\n\"); EXPECT(/* a */); printf(\"b\\n\"); EXPECT(/* b */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/bad_test.c:5: bad: two EXPECT markers on one line; put each on its own line

      1 passed, 1 failed
      [exit 1]
    */);
    // promote names the file, the line and the column of the second marker
    e2e_write("tests/bad_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bad) {\n"
              "    printf(\"a\\n\"); EXPECT(/* a */); printf(\"b\\n\"); EXPECT(/* b */);\n"
              "}\n"
              "TEST(new) { printf(\"c\\n\"); EXPECT(); }\n");
    e2e_galley("run >/dev/null");
    e2e_galley("promote tests/bad_test.c");
    EXPECT(/*
      [exit 1]
      tests/bad_test.c:5:52: error: two EXPECT markers on one line; put each on its own line
      [exit 1]
    */);
    e2e_done();
}

TEST(wrong_commands)
{
    e2e_project();
    S_good_file();
    e2e_galley("run --frobnicate");
    e2e_galley("run no/such/dir");
    e2e_galley("frobnicate");
    e2e_galley("run --color=sometimes");
    /* PCRE2's own words may change: only galley's part is kept. */
    e2e_galley_filter("run --filter '('",
                      "sed -E \"s/(--filter '\\(': ).* (at offset)/\\1... \\2/\"");
    e2e_galley("promote --all");
    e2e_galley("run -j 0");
    e2e_galley_filter("", "head -n 1");
    /* An empty word names nothing; output that cannot be written fails. */
    e2e_galley("''");
    e2e_galley("run ''");
    e2e_galley("--help >/dev/full");
    e2e_galley("run --list >/dev/full");
    e2e_galley("run --list >&-");
    EXPECT(/*
      galley: run: unknown option: --frobnicate
      Try 'galley run --help'.
      [exit 2]
      no/such/dir: error: No such file or directory; a PATH names a test file or a directory of them
      [exit 2]
      galley: unknown command: frobnicate
      Try 'galley --help'.
      [exit 2]
      galley: run: --color takes auto, always or never, not sometimes
      Try 'galley run --help'.
      [exit 2]
      galley: run: --filter '(': ... at offset 1
      Try 'galley run --help'.
      [exit 2]
      galley: promote: unknown option: --all
      Try 'galley promote --help'.
      [exit 2]
      galley: run: bad number of jobs: 0 (from 1 to 4095)
      Try 'galley run --help'.
      [exit 2]
      usage: galley run [options] [PATH[:LINE]...]
      [exit 2]
      galley: the command is an empty word ('')
      Try 'galley --help'.
      [exit 2]
      galley: error: an empty PATH (''): name a test file or a directory of them
      [exit 2]
      galley: error: cannot write standard output: No space left on device
      [exit 2]
      galley: error: cannot write standard output: No space left on device
      [exit 2]
      galley: error: cannot write standard output: Bad file descriptor
      [exit 2]
    */);
    /* Nothing was built or run. */
    e2e_sh("test -e _galley && echo _galley exists || echo no _galley");
    EXPECT(/* no _galley */);
    e2e_done();
}

TEST(unknown_key_in_galley_conf)
{
    e2e_project();
    S_good_file();
    e2e_write("galley.conf",
              "# a comment\n"
              "cflags = -O1\n"
              "colour = always\n");
    e2e_galley("run");
    EXPECT(/*
      galley.conf:3:1: error: unknown key `colour` (known: sources, include, cflags, ldflags, libs, tests, timeout_ms, output_limit, rtol, atol, filter, inputs, env, cache, cache_size, cuda)
      1 passed, 1 failed
      [exit 1]
    */);
    e2e_write("galley.conf", "output_limit = lots\nno equals sign\n");
    e2e_galley("run");
    EXPECT(/*
      galley.conf:1:16: error: output_limit must be a positive size such as 16M
      galley.conf:2:1: error: expected `key = value`
      1 passed, 2 failed
      [exit 1]
    */);
    /* The column of a quote left open is the quote's; timeout_ms is a
     * plain number; a byte order mark is not part of the first key; a
     * lone carriage return is named. Columns count a tab to the next
     * multiple of 8 and a UTF-8 character as one. */
    e2e_write("galley.conf", "\tsources = \xc3\xa9.c \"b.c\ntimeout_ms = 10K\n");
    e2e_galley("run");
    e2e_write("galley.conf", "\xEF\xBB\xBF" "cflags = -O1\n");
    e2e_galley("run");
    e2e_write("galley.conf", "cflags = -O1\rtests = tests\r");
    e2e_galley("run");
    /* From outside the project, the file is named from there. */
    e2e_write("galley.conf", "jobs = 2\n");
    e2e_sh("d=${PWD##*/}; cd .. && $GALLEY_BIN run --list $d/tests 2>&1"
           " | sed \"s|$d/|PROJECT/|\"");
    EXPECT(/*
      galley.conf:1:23: error: unterminated quote: close it, or escape it with a backslash
      galley.conf:2:14: error: timeout_ms must be a positive whole number of milliseconds, such as 10000
      1 passed (1 cached), 2 failed
      [exit 1]
      1 passed (1 cached), 0 failed
      [exit 0]
      galley.conf:1:13: error: a carriage return inside a line; save the file with LF (or CRLF) line ends
      1 passed (1 cached), 1 failed
      [exit 1]
      PROJECT/galley.conf:1:1: error: unknown key `jobs` (known: sources, include, cflags, ldflags, libs, tests, timeout_ms, output_limit, rtol, atol, filter, inputs, env, cache, cache_size, cuda)
      PROJECT/tests/good_test.c:3: good
    */);
    e2e_done();
}

/* Every command parses options the same way: --name=VALUE and --name
 * VALUE, -j2 and -j 2, bundled short flags, "--" ending the options, and
 * its own --help (exit status 0). */
TEST(one_option_parser_for_every_command)
{
    e2e_project();
    e2e_write("tests/a_test.c", "#include <galley.h>\n"
                                "#include <stdio.h>\n"
                                "TEST(a) { puts(\"a\"); EXPECT(/* a */); }\n");
    e2e_write("-dash/b_test.c", "#include <galley.h>\nTEST(b) { }\n");
    e2e_galley("run --color always --jobs 2 -qv --format json"
               " | sed 's/\"duration_ms\":[0-9]*/N/'");
    e2e_galley("run --color=never -j1 --list -- -dash");
    e2e_galley("run -vq");
    EXPECT(/*
      {"schema":1,"type":"test","file":"tests/a_test.c","line":3,"test":"a","status":"passed",N}
      {"schema":1,"type":"summary","tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"cached":0,N}
      [exit 0]
      -dash/b_test.c:2: b
      [exit 0]
      1 passed (1 cached), 0 failed
      [exit 0]
    */);
    e2e_galley_filter("run --help", "head -n 1");
    e2e_galley_filter("run -h", "head -n 1");
    e2e_galley_filter("promote --help", "head -n 1");
    e2e_galley_filter("review --help", "head -n 1");
    e2e_galley_filter("watch --help", "head -n 1");
    e2e_galley_filter("init -h", "head -n 1");
    e2e_galley_filter("plot --help", "head -n 1");
    EXPECT(/*
      usage: galley run [options] [PATH[:LINE]...]
      [exit 0]
      usage: galley run [options] [PATH[:LINE]...]
      [exit 0]
      usage: galley promote [--list] [--ci|--no-ci] [FILE[:LINE]...]
      [exit 0]
      usage: galley review [--color=WHEN] [--ci|--no-ci] [FILE[:LINE]...]
      [exit 0]
      usage: galley watch [options] [PATH[:LINE]...]
      [exit 0]
      usage: galley init [DIR]
      [exit 0]
      usage: galley plot [options] [FILE...]
      [exit 0]
    */);
    e2e_galley("run --list=yes");
    e2e_galley("plot --width");
    e2e_galley("promote -x");
    EXPECT(/*
      galley: run: --list takes no value
      Try 'galley run --help'.
      [exit 2]
      galley: plot: --width needs a value
      Try 'galley plot --help'.
      [exit 2]
      galley: promote: unknown option: -x
      Try 'galley promote --help'.
      [exit 2]
    */);
    // a bad letter in a group is named, not the option before it
    e2e_galley("run --list -qz");
    // a long option is spelled whole: --p would otherwise mean --promote
    e2e_galley("run --p");
    // an h among bad letters is no request for help: a file named
    // -dash.md must not make a run that runs nothing succeed
    e2e_galley("run -dash.md");
    // --help wins over a bad value, wherever it stands
    e2e_galley_filter("plot --kind=pie --help", "head -n 1");
    // options may follow operands, whatever POSIXLY_CORRECT says
    e2e_sh("POSIXLY_CORRECT=1 \"$GALLEY_BIN\" run tests --list");
    EXPECT(/*
      galley: run: unknown option: -z
      Try 'galley run --help'.
      [exit 2]
      galley: run: unknown option: --p (did you mean --promote?)
      Try 'galley run --help'.
      [exit 2]
      galley: run: unknown option: -d
      Try 'galley run --help'.
      [exit 2]
      usage: galley plot [options] [FILE...]
      [exit 0]
      tests/a_test.c:3: a
    */);
    e2e_done();
}
