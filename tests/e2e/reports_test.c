/* reports_test.c: end-to-end tests of the reports for machines: TAP
 * (read by prove and PyYAML), JUnit XML (checked with xmllint), JSON lines
 * (checked with jq), the JUnit file beside the human report, Bazel's
 * XML_OUTPUT_FILE and GitHub Actions annotations, on a project with a
 * test of every outcome. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e.h"

/* Makes the project and exports the galley under test as an absolute
 * $GALLEY_BIN, for shell commands that redirect its streams apart. */
static void S_project(void)
{
    char bin[PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    if (env && realpath(env, bin))
        setenv("GALLEY_BIN", bin, 1);
    unsetenv("GITHUB_ACTIONS");
    unsetenv("XML_OUTPUT_FILE");
    e2e_project();
}

/* A project with a test that passes, one whose output differs (with
 * characters each format must escape, and a note on stderr), one that
 * crashes, one the compiler never sees, one that skips itself (its reason
 * with a '#' and a '\\'), and a file that does not compile. */
static void S_every_outcome(void)
{
    S_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(passes) { printf(\"3\\n\"); EXPECT(/* 3 */); }\n"
              "\n"
              "TEST(mismatch) {\n"
              "    printf(\"got <&> \\\"q\\\" 100%%\\n\");\n"
              "    fprintf(stderr, \"a note\\n\");\n"
              "    EXPECT(/* want */);\n"
              "}\n"
              "\n"
              "TEST(crash) {\n"
              "    fprintf(stderr, \"about to crash\\n\");\n"
              "    *(volatile int *)0 = 1;\n"
              "}\n"
              "\n"
              "#if 0\n"
              "TEST(skipped) { }\n"
              "#endif\n"
              "\n"
              "TEST(skips_itself) {\n"
              "    GALLEY_SKIP(\"no device #2 \\\\ here\");\n"
              "    EXPECT(/* not reached: no failure */);\n"
              "}\n");
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "#error broken on purpose\n"
              "TEST(never) { }\n");
}

/* The times vary from run to run; the compiler's words from version to
 * version: both are replaced, and the log is checked for the #error. */
#define S_STEADY                                                              \
    "sed -E 's/(duration_ms\"?: ?)[0-9]+/\\1N/; "                            \
    "s/time=\"[0-9.]+\"/time=\"T\"/g'"

/* JUnit's timestamp (checked for xs:dateTime's form) and host vary too. */
#define S_JUNIT_STEADY                                                        \
    S_STEADY " | sed -E 's/timestamp=\"[0-9]{4}(-[0-9]{2}){2}T[0-9]{2}"       \
    "(:[0-9]{2}){2}Z\"/timestamp=\"DATE\"/; "                                 \
    "s/value=\"'\"$(uname -n)\"'\"/value=\"HOST\"/'"

/* A shell function: `valid F` validates the JUnit report F against
 * Jenkins xUnit's junit-10.xsd, then each of its <testsuite>s on its own
 * (Surefire writes one per file) against Surefire's schema; xmllint says
 * "validates", or where and why not. */
#define S_VALID                                                               \
    "valid() { x=$(cd \"$(dirname \"$GALLEY_BIN\")\" && pwd | "               \
    "sed 's|/build.*||')/tests/support/junit; "                               \
    "xmllint --noout --schema \"$x/junit-10.xsd\" \"$1\"; "                   \
    "n=$(xmllint --xpath 'count(/testsuites/testsuite)' \"$1\"); i=1; "       \
    "while [ \"$i\" -le \"$n\" ]; do "                                        \
    "xmllint --xpath \"/testsuites/testsuite[$i]\" \"$1\" >suite$i.xml; "     \
    "xmllint --noout --schema \"$x/surefire-test-report.xsd\" suite$i.xml; "  \
    "i=$((i + 1)); done; }; "

TEST(tap)
{
    S_every_outcome();
    e2e_sh("\"$GALLEY_BIN\" run --format=tap >out 2>err; echo \"exit $?\"; "
           "sed '/^  log: |$/,/^  \\.\\.\\.$/{/^    /d}' out | " S_STEADY);
    EXPECT(/*
      exit 1
      TAP version 13
      1..6
      ok 1 - tests/a_test.c:passes
      not ok 2 - tests/a_test.c:mismatch
        ---
        message: "mismatch"
        severity: fail
        file: "tests/a_test.c"
        line: 9
        duration_ms: N
        diff: |
          tests/a_test.c:9: mismatch: mismatch
          --- expected
          +++ actual
          @@ -1,1 +1,1 @@
          -want
          +got <&> "q" 100%
        stderr: |
          a note
        ...
      not ok 3 - tests/a_test.c:crash
        ---
        message: "crashed (SIGSEGV) at tests/a_test.c:14"
        severity: fail
        file: "tests/a_test.c"
        line: 12
        duration_ms: N
        diff: |
          tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
          debug it with: gdb --args _galley/bin/tests/a_test --galley-only=crash --galley-no-fork
        stderr: |
          about to crash
        ...
      ok 4 - tests/a_test.c:skipped # SKIP not compiled into the program (inside #if?)
      ok 5 - tests/a_test.c:skips_itself # SKIP no device #2 \ here
      not ok 6 - tests/b_test.c:never
        ---
        message: "did not compile"
        severity: error
        file: "tests/b_test.c"
        line: 3
        duration_ms: N
        log: |
        ...
    */);
    /* The compiler's log is in the YAML block; for people, on stderr. */
    e2e_sh("sed -n '/^  log:/,/^  \\.\\.\\./p' out | grep -q 'broken on "
           "purpose' && echo 'log in the YAML block'; "
           "grep -c '^tests/b_test.c: compile error' err");
    EXPECT(/*
      log in the YAML block
      1
    */);
    /* Its readers. A file name with '#' and '\\', and a stderr that a "|"
     * block cannot hold as it is (a leading space, a control, no final
     * newline), join the stream; then Perl's prove (TAP::Harness, which
     * knows TAP 13 and a subset of YAML) must count every test and find
     * no parse error, and its parser see the names and the skip reason
     * unharmed (TAP 13 keeps the "\\#" of a description as written). */
    e2e_write("tests/odd#1\\x_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(odd) {\n"
              "    fprintf(stderr, \"  lead\\x01 no newline\");\n"
              "    printf(\"1\\n\");\n"
              "    EXPECT(/* 2 */);\n"
              "}\n"
              "TEST(fine) { }\n");
    e2e_sh("\"$GALLEY_BIN\" run --format=tap >out.tap 2>/dev/null; "
           "prove -e cat out.tap 2>&1 | grep -v '^Files=' | sed 's/ *$//'; "
           "perl -MTAP::Parser -e '$p = TAP::Parser->new({source => "
           "\"out.tap\"}); while ($r = $p->next) { print $r->number, \": \", "
           "$r->description, ($r->has_skip ? \" [skip: \" . $r->explanation"
           " . \"]\" : \"\"), \"\\n\" if $r->is_test }'");
    EXPECT(/*
      out.tap ..
      Failed 4/8 subtests
      	(less 2 skipped subtests: 2 okay)

      Test Summary Report
      -------------------
      out.tap (Wstat: 0 Tests: 8 Failed: 4)
        Failed tests:  2-3, 6-7
      Result: FAIL
      1: - tests/a_test.c:passes
      2: - tests/a_test.c:mismatch
      3: - tests/a_test.c:crash
      4: - tests/a_test.c:skipped [skip: not compiled into the program (inside #if?)]
      5: - tests/a_test.c:skips_itself [skip: no device #2 \ here]
      6: - tests/b_test.c:never
      7: - tests/odd\#1\x_test.c:odd
      8: - tests/odd\#1\x_test.c:fine
    */);
    /* PyYAML reads every YAML block, as TAP 14 readers (YAML 1.2) do,
     * each stderr back to the bytes the test wrote. Where python3-yaml is
     * missing (tools/install-deps.sh installs it) the script says so, and
     * the expectation fails: the check never passes without having run. */
    e2e_write("blocks.py",
              "import sys\n"
              "try:\n"
              "    import yaml\n"
              "except ImportError:\n"
              "    sys.exit('PyYAML missing: the YAML blocks were not read')\n"
              "block = None\n"
              "for line in open(sys.argv[1], encoding='utf-8').read()"
              ".split('\\n'):\n"
              "    if line == '  ---':\n"
              "        block = []\n"
              "    elif line == '  ...':\n"
              "        d = yaml.safe_load('\\n'.join(block) + '\\n')\n"
              "        print(repr(d['file']), d['line'], d['message'] + ':',\n"
              "              repr(d.get('stderr')))\n"
              "        block = None\n"
              "    elif block is not None:\n"
              "        assert line.startswith('  '), line\n"
              "        block.append(line[2:])\n");
    e2e_sh("python3 blocks.py out.tap");
    EXPECT(/*
      'tests/a_test.c' 9 mismatch: 'a note\n'
      'tests/a_test.c' 12 crashed (SIGSEGV) at tests/a_test.c:14: 'about to crash\n'
      'tests/b_test.c' 3 did not compile: None
      'tests/odd#1\\x_test.c' 6 mismatch: '  lead\x01 no newline'
    */);
    e2e_done();
}

TEST(junit)
{
    S_every_outcome();
    e2e_sh("\"$GALLEY_BIN\" run --format=junit >out.xml 2>/dev/null; "
           "echo \"exit $?\"; xmllint --noout out.xml && echo 'well-formed'; "
           "perl -0pe 's/(<error [^>]*>).*?(<\\/error>)/$1...$2/sg' out.xml"
           " | " S_JUNIT_STEADY);
    EXPECT(/*
      exit 1
      well-formed
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="galley" tests="6" failures="2" errors="1" time="T">
        <testsuite name="tests/a_test.c" tests="5" failures="2" errors="0" skipped="2" time="T" timestamp="DATE">
          <properties>
            <property name="hostname" value="HOST"/>
          </properties>
          <testcase classname="tests.a_test" name="passes" time="T"/>
          <testcase classname="tests.a_test" name="mismatch" time="T">
            <failure message="mismatch" type="mismatch">tests/a_test.c:9: mismatch: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -want
      +got &lt;&amp;&gt; &quot;q&quot; 100%
      </failure>
            <system-err>a note
      </system-err>
          </testcase>
          <testcase classname="tests.a_test" name="crash" time="T">
            <failure message="crashed (SIGSEGV) at tests/a_test.c:14" type="ended">tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
      debug it with: gdb --args _galley/bin/tests/a_test --galley-only=crash --galley-no-fork
      </failure>
            <system-err>about to crash
      </system-err>
          </testcase>
          <testcase classname="tests.a_test" name="skipped" time="T">
            <skipped message="not compiled into the program (inside #if?)"/>
          </testcase>
          <testcase classname="tests.a_test" name="skips_itself" time="T">
            <skipped message="no device #2 \ here"/>
          </testcase>
        </testsuite>
        <testsuite name="tests/b_test.c" tests="1" failures="0" errors="1" skipped="0" time="T" timestamp="DATE">
          <properties>
            <property name="hostname" value="HOST"/>
          </properties>
          <testcase classname="tests.b_test" name="never" time="T">
            <error message="did not compile" type="compile">...</error>
          </testcase>
        </testsuite>
      </testsuites>
    */);
    /* What xmllint reads back: the text of the compile error, the counts
     * Jenkins and GitLab total. */
    e2e_sh("xmllint --xpath 'string(//testcase[@name=\"never\"]/error)' "
           "out.xml | grep -c 'broken on purpose'; xmllint --xpath "
           "'concat(count(//testcase), \" cases, \", count(//failure), "
           "\" failures, \", count(//error), \" error, \", count(//skipped),"
           " \" skipped\")' out.xml | tr -d '\\n'; echo");
    EXPECT(/*
      2
      6 cases, 2 failures, 1 error, 2 skipped
    */);
    /* The schemas of Jenkins's xUnit plugin and of Maven Surefire take the
     * report. GALLEY_JUNIT_LOCATIONS adds each TEST's file and line, which
     * GitLab reads and both schemas reject. */
    e2e_sh(S_VALID "valid out.xml; GALLEY_JUNIT_LOCATIONS=1 \"$GALLEY_BIN\" "
           "run --format=junit >loc.xml 2>/dev/null; grep -o '<testcase "
           "[^>]*name=\"passes\"[^>]*>' loc.xml | " S_STEADY "; valid loc.xml "
           ">v 2>&1; grep validate v; sed -n 's/.*validity error : //p' v |"
           " sort -u");
    EXPECT(/*
      out.xml validates
      suite1.xml validates
      suite2.xml validates
      <testcase classname="tests.a_test" name="passes" file="tests/a_test.c" line="4" time="T"/>
      loc.xml fails to validate
      suite1.xml fails to validate
      suite2.xml fails to validate
      Element 'testcase', attribute 'file': The attribute 'file' is not allowed.
      Element 'testcase', attribute 'line': The attribute 'line' is not allowed.
    */);
    e2e_done();
}

TEST(json_lines)
{
    S_every_outcome();
    e2e_sh("\"$GALLEY_BIN\" run --format=json >out.json 2>/dev/null; "
           "echo \"exit $?\"; jq -e . out.json >/dev/null && echo 'valid'; "
           "sed -E 's/\"log\":\"([^\"\\\\]|\\\\.)*\"/\"log\":\"...\"/' "
           "out.json | " S_STEADY);
    EXPECT(/*
      exit 1
      valid
      {"schema":1,"type":"test","file":"tests/a_test.c","line":4,"test":"passes","status":"passed","duration_ms":N}
      {"schema":1,"type":"test","file":"tests/a_test.c","line":6,"test":"mismatch","status":"failed","duration_ms":N,"failures":[{"file":"tests/a_test.c","line":9,"what":"mismatch","expected":"want","actual":"got <&> \"q\" 100%"}],"stderr":"a note\n"}
      {"schema":1,"type":"test","file":"tests/a_test.c","line":12,"test":"crash","status":"failed","duration_ms":N,"failures":[{"file":"tests/a_test.c","line":12,"what":"crashed (SIGSEGV) at tests/a_test.c:14","expected":null,"actual":null}],"stderr":"about to crash\n"}
      {"schema":1,"type":"test","file":"tests/a_test.c","line":18,"test":"skipped","status":"skipped","duration_ms":N,"reason":"not compiled into the program (inside #if?)"}
      {"schema":1,"type":"test","file":"tests/a_test.c","line":21,"test":"skips_itself","status":"skipped","duration_ms":N,"reason":"no device #2 \\ here"}
      {"schema":1,"type":"test","file":"tests/b_test.c","line":3,"test":"never","status":"error","duration_ms":N,"failures":[{"file":"tests/b_test.c","line":3,"what":"did not compile","expected":null,"actual":null}],"log":"..."}
      {"schema":1,"type":"summary","tests":6,"passed":1,"failed":3,"errors":1,"skipped":2,"cached":0,"duration_ms":N}
    */);
    /* One record a line, each read on its own as JSON lines are. */
    e2e_sh("while read -r l; do printf '%s\\n' \"$l\" | jq -r "
           "'select(.type == \"test\") | "
           "[.test, .status, (.failures // [] | length)] | @tsv'; "
           "done < out.json; jq -r 'select(.log) | .log' out.json | "
           "grep -c 'broken on purpose'");
    EXPECT(/*
      passes	passed	0
      mismatch	failed	1
      crash	failed	1
      skipped	skipped	0
      skips_itself	skipped	0
      never	error	1
      2
    */);
    e2e_done();
}

/* Output no report format may carry as it is: controls, escape
 * sequences, a carriage return, bytes that are not UTF-8, a character XML
 * forbids (U+FFFE), CDATA's end and a non-ASCII letter. */
TEST(hostile_output)
{
    S_project();
    e2e_write("tests/h_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(bytes) {\n"
              "    printf(\"\\x01\\x1b[31m\\r]]> \\xef\\xbf\\xbe \\xff\\xc3 "
              "caf\\xc3\\xa9\\n\");\n"
              "    fprintf(stderr, \"\\x02\" \"err\\xfe\\n\");\n"
              "    EXPECT(/* x */);\n"
              "}\n");
    e2e_sh("\"$GALLEY_BIN\" run --format=junit >out.xml; "
           S_VALID "valid out.xml; "
           "\"$GALLEY_BIN\" run --format=json >out.json; "
           "jq -e . out.json >/dev/null && echo 'JSON valid'; "
           "jq -a 'select(.type == \"test\") | .failures[0].actual, .stderr' "
           "out.json");
    EXPECT(/*
      out.xml validates
      suite1.xml validates
      JSON valid
      "\u0001\u001b[31m\r]]> \ufffe \ufffd\ufffd caf\u00e9"
      "\u0002err\ufffd\n"
    */);
    /* The diff escapes what a terminal would misshow, as the human report
     * does; beyond that XML drops what it cannot hold (U+FFFE, controls)
     * and writes U+FFFD for bytes that are not UTF-8. */
    e2e_sh("grep -a '^+' out.xml | cat -v; xmllint --xpath "
           "'string(//system-err)' out.xml | cat -v");
    EXPECT(/*
      +++ actual
      +\\x01\\x1b[31m\\r]]&gt;  \\xff\\xc3 cafM-CM-) (esc) (esc)
      errM-oM-?M-=
    */);
    e2e_sh("\"$GALLEY_BIN\" run --format=tap | sed -n '/stderr/,$p' | cat -v");
    EXPECT(/*
      stderr: "\x02errM-oM-?M-=\n"
      ...
    */);
    e2e_done();
}

TEST(github_annotations)
{
    S_every_outcome();
    /* Only when GITHUB_ACTIONS=true; then before the summary, which
     * stays the last line. */
    e2e_galley("run -q tests/a_test.c");
    e2e_sh("GITHUB_ACTIONS=true \"$GALLEY_BIN\" run -q tests/a_test.c");
    EXPECT(/*
      tests/a_test.c:9: mismatch: mismatch
      tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
      1 passed, 2 failed, 2 skipped
      [exit 1]
      tests/a_test.c:9: mismatch: mismatch
      tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
      ::error file=tests/a_test.c,line=9,title=mismatch::mismatch%0A--- expected%0A+++ actual%0A@@ -1,1 +1,1 @@%0A-want%0A+got <&> "q" 100%25
      ::error file=tests/a_test.c,line=12,title=crash::crashed (SIGSEGV) at tests/a_test.c:14%0Aabout to crash
      1 passed (1 cached), 2 failed (2 cached), 2 skipped
      [exit 1]
    */);
    /* A file that did not compile: one annotation at the compiler's first
     * line about it, the diagnostics in the message (whose words vary
     * with the compiler: cut here). */
    e2e_sh("GITHUB_ACTIONS=true \"$GALLEY_BIN\" run -q tests/b_test.c >out;"
           " grep '^::' out | sed -E 's/(did not compile).*/\\1.../'; "
           "grep '^::' out | grep -c 'broken on purpose'");
    EXPECT(/*
      ::error file=tests/b_test.c,line=2,title=compile error::did not compile...
      1
    */);
    /* Beside a report for machines they go to stderr: stdout stays JSON. */
    e2e_sh("GITHUB_ACTIONS=true \"$GALLEY_BIN\" run --format=json >out.json "
           "2>err; jq -e . out.json >/dev/null && echo 'stdout: JSON only'; "
           "grep -c '^::error' err; GITHUB_ACTIONS=false \"$GALLEY_BIN\" run"
           " -q 2>&1 | grep -c '^::'");
    EXPECT(/*
      stdout: JSON only
      3
      0
      [exit 1]
    */);
    e2e_done();
}

/* File names and messages with the characters workflow commands reserve:
 * '%', ':' and ',' are escaped in properties, '%' and newlines in the
 * message. */
TEST(github_escapes)
{
    S_project();
    e2e_write("tests/a,b:c%_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(t) { printf(\"50%%, a:b\\n\"); EXPECT(); }\n");
    e2e_sh("GITHUB_ACTIONS=true \"$GALLEY_BIN\" run -q | grep '^::'");
    EXPECT(/*
      ::error file=tests/a%2Cb%3Ac%25_test.c,line=3,title=t::mismatch%0A--- expected%0A+++ actual%0A@@ -0,0 +1,1 @@%0A+50%25, a:b
    */);
    e2e_done();
}

TEST(junit_file_beside_the_report)
{
    S_every_outcome();
    /* --junit writes the file (parents made) and the human report stays;
     * Bazel's XML_OUTPUT_FILE gets the same report. */
    e2e_sh("XML_OUTPUT_FILE=bazel/test.xml \"$GALLEY_BIN\" run -q "
           "--junit=reports/deep/junit.xml >out 2>&1; echo \"exit $?\"; "
           "grep -E '^(tests/[ab]_test.c:[0-9]+: |[0-9]+ passed)' out; "
           "xmllint --noout reports/deep/junit.xml bazel/test.xml && "
           "cmp reports/deep/junit.xml bazel/test.xml && echo 'both written,"
           " the same'");
    EXPECT(/*
      exit 1
      tests/a_test.c:9: mismatch: mismatch
      tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
      1 passed, 3 failed, 2 skipped
      both written, the same
    */);
    /* A file that cannot be written is the command's fault: status 2. */
    e2e_galley("run -q --junit=/dev/null/junit.xml tests/a_test.c");
    EXPECT(/*
      tests/a_test.c:9: mismatch: mismatch
      tests/a_test.c:12: crash: crashed (SIGSEGV) at tests/a_test.c:14
      galley: error: cannot write the JUnit report /dev/null/junit.xml: Not a directory
      1 passed (1 cached), 2 failed (2 cached), 2 skipped
      [exit 2]
    */);
    e2e_done();
}

TEST(exit_status_and_usage)
{
    S_project();
    e2e_write("tests/ok_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(one) { printf(\"1\\n\"); EXPECT(/* 1 */); }\n");
    e2e_sh("for f in pretty tap junit json; do \"$GALLEY_BIN\" run "
           "--format $f >/dev/null; echo \"$f: exit $?\"; done");
    EXPECT(/*
      pretty: exit 0
      tap: exit 0
      junit: exit 0
      json: exit 0
    */);
    e2e_galley("run --format=tap");
    EXPECT(/*
      TAP version 13
      1..1
      ok 1 - tests/ok_test.c:one
      [exit 0]
    */);
    e2e_galley("run --format=xml");
    e2e_galley("run --format");
    e2e_galley("run --junit=");
    EXPECT(/*
      galley: run: --format takes pretty, tap, junit or json, not xml
      Try 'galley run --help'.
      [exit 2]
      galley: run: --format needs a value
      Try 'galley run --help'.
      [exit 2]
      galley: run: --junit needs a file name
      Try 'galley run --help'.
      [exit 2]
    */);
    /* No tests at all: an empty plan, an empty suite. */
    e2e_sh("\"$GALLEY_BIN\" run --format=tap --filter=nothing 2>/dev/null; "
           "\"$GALLEY_BIN\" run --format=junit --filter=nothing 2>/dev/null");
    EXPECT(/*
      TAP version 13
      1..0
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="galley" tests="0" failures="0" errors="0" time="0.000">
      </testsuites>
    */);
    e2e_done();
}

/* --promote's messages are for people: with a report for machines on
 * stdout they go to stderr. */
TEST(promote_beside_a_machine_report)
{
    S_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(p) { printf(\"new\\n\"); EXPECT(/* old */); }\n");
    e2e_sh("\"$GALLEY_BIN\" run --format=json --promote >out.json 2>err; "
           "echo \"exit $?\"; jq -c 'select(.type == \"test\") | [.test, .status]' "
           "out.json; cat err; "
           "\"$GALLEY_BIN\" run --format=json | " S_STEADY);
    EXPECT(/*
      exit 1
      ["p","failed"]
      promoted tests/p_test.c (1 marker)
      {"schema":1,"type":"test","file":"tests/p_test.c","line":3,"test":"p","status":"passed","duration_ms":N,"cached":true}
      {"schema":1,"type":"summary","tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"cached":1,"duration_ms":N}
    */);
    e2e_done();
}
