/* build_test.c: end-to-end tests of building and finding test files: compile
 * errors, incremental rebuilds (nothing, one file, a header's dependents),
 * code under test from galley.conf, CFLAGS, odd paths, discovery, selection
 * and the project root. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "e2e.h"

/* Keeps galley's own lines, drops the compiler's diagnostics but for its
 * first error line, cut after "error:" (the wording varies). */
#define S_FIRST_ERROR                                                      \
    "sed -nE -e '/error: /{s/^([^ :]+:[0-9]+)(:[0-9]+)?: error: .*/\\1: "  \
    "error: .../p;}' -e '/^ |: (error|warning|note): |^In file included|"  \
    ": In function|undefined reference|ld returned|^collect2|^\\//!p' "       \
    "| awk '!/error: \\.\\.\\./ || !seen++'"

/* Remembers how far ninja's log of commands run has come. */
static void S_mark(void)
{
    e2e_sh("wc -l < _galley/.ninja_log > .mark");
}

/* Prints what ninja built since S_mark, build-name hashes hidden. */
static void S_built(void)
{
    e2e_sh("tail -n +$(( $(cat .mark) + 1 )) _galley/.ninja_log | cut -f4 "
           "| sed -E 's/-[0-9a-f]{8}/-HASH/' | LC_ALL=C sort; "
           "echo '(end of built)'");
}

static const char S_pass_file[] =
    "#include <galley.h>\n"
    "#include <stdio.h>\n"
    "TEST(one) { printf(\"one\\n\"); EXPECT(/* one */); }\n"
    "TEST(two) { printf(\"two\\n\"); EXPECT(/* two */); }\n";

TEST(compile_error)
{
    e2e_project();
    e2e_write("tests/fine_test.c", S_pass_file);
    e2e_write("tests/broken_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(first) {\n"
              "    printf(\"%d\\n\", undeclared_name);\n"
              "    EXPECT(/* 1 */);\n"
              "}\n"
              "TEST(second) { EXPECT(); }\n");
    e2e_galley_filter("run", S_FIRST_ERROR);
    EXPECT(/*
      tests/broken_test.c: compile error
      tests/broken_test.c:5: error: ...

      tests/broken_test.c: did not compile: 2 tests not run

      2 passed, 2 failed
      [exit 1]
    */);
    /* Fixed, it builds and runs. */
    e2e_sh("sed -i 's/undeclared_name/1/' tests/broken_test.c");
    e2e_galley("run");
    EXPECT(/*
      4 passed (2 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(incremental_builds)
{
    e2e_project();
    e2e_write("tests/helper.h", "#define GREETING \"hello\"\n");
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include \"helper.h\"\n"
              "TEST(a) { printf(\"%s\\n\", GREETING); EXPECT(/* hello */); }\n");
    e2e_write("tests/b_test.c", S_pass_file);
    e2e_galley("run");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
    */);
    /* Nothing changed: nothing is built, no object is touched. */
    S_mark();
    e2e_sh("stat -c '%Y %n' _galley/obj/*.o > mtimes");
    e2e_galley("run");
    S_built();
    e2e_sh("stat -c '%Y %n' _galley/obj/*.o | cmp - mtimes "
           "&& echo same mtimes");
    EXPECT(/*
      3 passed (3 cached), 0 failed
      [exit 0]
      (end of built)
      same mtimes
    */);
    /* One test file edited: only it is rebuilt. */
    e2e_sh("sed -i 's/\"two\"/\"TWO\"/' tests/b_test.c");
    S_mark();
    e2e_galley("run -q");
    S_built();
    EXPECT(/*
      3 passed (3 cached), 0 failed
      [exit 0]
      _galley/bin/b_test-HASH
      _galley/obj/b_test-HASH.o
      (end of built)
    */);
    /* The header that only a_test.c includes: only a_test.c is rebuilt. */
    e2e_write("tests/helper.h", "#define GREETING \"bonjour\"\n");
    S_mark();
    e2e_galley("run -q");
    S_built();
    EXPECT(/*
      tests/a_test.c:4: a: mismatch
      2 passed (2 cached), 1 failed
      [exit 1]
      _galley/bin/a_test-HASH
      _galley/obj/a_test-HASH.o
      (end of built)
    */);
    e2e_done();
}

/* A file under sources that changes relinks only the programs that
 * use it, and a source added or removed relinks them all. With a linker
 * whose map galley cannot read, a change relinks every program. */
static void S_two_modules(void)
{
    e2e_write("src/a.c", "int a(void) { return 1; }\n");
    e2e_write("src/b.c", "int b(void) { return 2; }\n");
    e2e_write("galley.conf", "sources = src/a.c src/b.c\n");
    e2e_write("tests/a_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "int a(void);\n"
                                "TEST(a) { printf(\"%d\\n\", a()); "
                                "EXPECT(/* 1 */); }\n");
    e2e_write("tests/b_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "int b(void);\n"
                                "TEST(b) { printf(\"%d\\n\", b()); "
                                "EXPECT(/* 2 */); }\n");
    e2e_write("tests/n_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "TEST(n) { printf(\"n\\n\"); "
                                "EXPECT(/* n */); }\n");
}

TEST(a_source_relinks_the_programs_that_use_it)
{
    e2e_project();
    S_two_modules();
    e2e_galley("run -q");
    e2e_write("src/a.c", "int a(void) { volatile int p = 0; return 1 + p; }\n");
    S_mark();
    e2e_galley("run -q");
    S_built();
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      3 passed (2 cached), 0 failed
      [exit 0]
      _galley/bin/a_test-HASH
      _galley/obj/libsut.a
      _galley/obj/sut/a-HASH.o
      _galley/obj/sut/a-HASH.syms
      (end of built)
    */);
    e2e_write("galley.conf", "sources = src/a.c src/b.c\n"
                             "sources = src/c.c\n");
    e2e_write("src/c.c", "int c(void) { return 3; }\n");
    S_mark();
    e2e_galley("run -q");
    S_built();
    EXPECT(/*
      3 passed (3 cached), 0 failed
      [exit 0]
      _galley/bin/a_test-HASH
      _galley/bin/b_test-HASH
      _galley/bin/n_test-HASH
      _galley/obj/libsut.a
      _galley/obj/sut/c-HASH.o
      _galley/obj/sut/c-HASH.syms
      (end of built)
    */);
    e2e_done();
}

TEST(a_symbol_a_source_newly_defines_relinks_every_program)
{
    /* b.c comes to define rand(), which a_test.c calls from the C
     * library: the program now takes b.c's member, as a fresh build would. */
    e2e_project();
    S_two_modules();
    e2e_write("tests/a_test.c", "#include <galley.h>\n#include <stdio.h>\n"
                                "#include <stdlib.h>\nint a(void);\n"
                                "TEST(a) { srand(1); printf(\"%d %d\\n\", a(), "
                                "rand() == 999); EXPECT(/* 1 0 */); }\n");
    e2e_galley("run -q");
    e2e_write("src/b.c", "int b(void) { return 2; }\n"
                         "int rand(void) { return 999; }\n");
    e2e_galley("run -q");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      tests/a_test.c:5: a: mismatch
      2 passed (1 cached), 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(a_linker_whose_map_is_unknown_relinks_every_program)
{
    e2e_project();
    S_two_modules();
    /* A compiler whose linker writes a map of another form (as lld
     * does): here, cc with the map replaced. */
    e2e_write("mapcc", "#!/bin/sh\n"
                       "cc \"$@\" || exit\n"
                       "for a; do case $a in -Wl,-Map=*) "
                       "echo 'VMA LMA Size' > \"${a#-Wl,-Map=}\";; esac; done\n");
    e2e_sh("chmod +x mapcc");
    e2e_sh("CC=$PWD/mapcc $GALLEY_BIN run -q");
    e2e_write("src/b.c", "int b(void) { volatile int p = 0; return 2 + p; }\n");
    S_mark();
    e2e_sh("CC=$PWD/mapcc $GALLEY_BIN run -q");
    S_built();
    EXPECT(/*
      3 passed, 0 failed
      3 passed (2 cached), 0 failed
      _galley/bin/a_test-HASH
      _galley/bin/b_test-HASH
      _galley/bin/n_test-HASH
      _galley/obj/libsut.a
      _galley/obj/sut/b-HASH.o
      _galley/obj/sut/b-HASH.syms
      (end of built)
    */);
    e2e_done();
}

TEST(code_under_test_from_galley_conf)
{
    e2e_project();
    e2e_write("src/gitver.h", "int gitver_major(void);\n");
    e2e_write("src/gitver.c",
              "#include <git2.h>\n"
              "#include \"gitver.h\"\n"
              "int gitver_major(void) {\n"
              "    int major, minor, rev;\n"
              "    git_libgit2_version(&major, &minor, &rev);\n"
              "    return major;\n"
              "}\n");
    e2e_write("tests/ver_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include \"gitver.h\"\n"
              "TEST(major) {\n"
              "    printf(\"%d\\n\", gitver_major() >= 0);\n"
              "    EXPECT(/* 1 */);\n"
              "}\n");
    /* Without the library, the link fails. (-lm is no example: galley
     * links it, and OpenBLAS, for its tensors.) */
    e2e_write("galley.conf", "sources = src/gitver.c\ninclude = src\n");
    e2e_galley_filter("run", S_FIRST_ERROR);
    EXPECT(/*
      tests/ver_test.c: compile error

      tests/ver_test.c: did not compile: 1 test not run

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_write("galley.conf",
              "sources = src/gitver.c\ninclude = src\nlibs = -lgit2\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(cflags_from_the_environment)
{
    e2e_project();
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#ifndef ANSWER\n"
              "#define ANSWER 0\n"
              "#endif\n"
              "TEST(answer) { printf(\"%d\\n\", ANSWER); EXPECT(/* 0 */); }\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    setenv("CFLAGS", "-DANSWER=42", 1);
    e2e_galley("run");
    unsetenv("CFLAGS");
    EXPECT(/*
      tests/c_test.c:6: answer: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -0
      +42

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(odd_paths)
{
    e2e_project();
    e2e_write("tests/my dir$x:y/odd name$1:2_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(odd) {\n"
              "    printf(\"%s\\n\", __FILE__);\n"
              "    EXPECT();\n"
              "    printf(\"second\\n\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_galley("run -q");
    EXPECT(/*
      tests/my dir$x:y/odd name$1:2_test.c:6: odd: mismatch
      tests/my dir$x:y/odd name$1:2_test.c:8: odd: mismatch
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote 'tests/my dir$x:y/odd name$1:2_test.c:6'");
    e2e_galley("run -q 'tests/my dir$x:y'");
    EXPECT(/*
      promoted tests/my dir$x:y/odd name$1:2_test.c (1 marker, 1 still pending)
      [exit 0]
      tests/my dir$x:y/odd name$1:2_test.c:8: odd: mismatch
      0 passed, 1 failed (1 cached)
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_galley("run");
    e2e_cat("tests/my dir$x:y/odd name$1:2_test.c");
    EXPECT(/*
      promoted tests/my dir$x:y/odd name$1:2_test.c (1 marker)
      [exit 0]
      1 passed (1 cached), 0 failed
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(odd) {
          printf("%s\n", __FILE__);
          EXPECT((* tests/my dir$x:y/odd name$1:2_test.c *));
          printf("second\n");
          EXPECT((* second *));
      }
    */);
    e2e_done();
}

TEST(discovery)
{
    e2e_project();
    e2e_write("tests/a_test.c", S_pass_file);
    e2e_write("tests/sub/b_test.c", S_pass_file);
    /* Not test files: no galley.h, or where galley does not look. */
    e2e_write("tests/util.c", "int util(void) { return 1; }\n");
    e2e_write("tests/notes.txt", "#include <galley.h>\n");
    e2e_write("tests/.hidden/h_test.c", S_pass_file);
    e2e_write("tests/_galley/g_test.c", S_pass_file);
    e2e_write("other/o_test.c", S_pass_file);
    e2e_galley("run --list tests");
    EXPECT(/*
      tests/a_test.c:3: one
      tests/a_test.c:4: two
      tests/sub/b_test.c:3: one
      tests/sub/b_test.c:4: two
      [exit 0]
    */);
    e2e_galley("run --list other tests/sub");
    EXPECT(/*
      other/o_test.c:3: one
      other/o_test.c:4: two
      tests/sub/b_test.c:3: one
      tests/sub/b_test.c:4: two
      [exit 0]
    */);
    /* No path: the tests/ directory of the root. */
    e2e_galley("run");
    EXPECT(/*
      4 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(selection)
{
    e2e_project();
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(one) { printf(\"1\\n\"); EXPECT(); }\n"
              "TEST(two) { printf(\"2\\n\"); EXPECT(); }\n");
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(one) { printf(\"b1\\n\"); EXPECT(); }\n");
    e2e_galley("run --list --filter 'a_test.c:one'");
    EXPECT(/*
      tests/a_test.c:3: one
      [exit 0]
    */);
    e2e_galley("run --filter 'a_test.c:one'");
    EXPECT(/*
      tests/a_test.c:3: one: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +1

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("run -q");
    EXPECT(/*
      tests/a_test.c:3: one: mismatch
      tests/a_test.c:4: two: mismatch
      tests/b_test.c:3: one: mismatch
      0 passed, 3 failed
      [exit 1]
    */);
    e2e_galley("run --promote");
    EXPECT(/*
      tests/a_test.c:3: one: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +1

      tests/a_test.c:4: two: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +2

      tests/b_test.c:3: one: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +b1

      0 passed, 3 failed (3 cached)
      promoted tests/a_test.c (2 markers)
      promoted tests/b_test.c (1 marker)
      [exit 1]
    */);
    e2e_galley("run");
    e2e_cat("tests/b_test.c");
    EXPECT(/*
      3 passed, 0 failed
      [exit 0]
      #include <galley.h>
      #include <stdio.h>
      TEST(one) { printf("b1\n"); EXPECT((* b1 *)); }
    */);
    /* A path named whole beside a FILE:LINE focus runs all its tests:
     * the focus narrows its own file only (b's test was left out). */
    e2e_galley("run -v tests/a_test.c:4 tests/b_test.c");
    e2e_galley("run -v tests/a_test.c:4 tests/a_test.c");
    EXPECT(/*
      tests/a_test.c:4: two: ok (cached)
      tests/b_test.c:3: one: ok (cached)
      2 passed (2 cached), 0 failed
      [exit 0]
      tests/a_test.c:3: one: ok (cached)
      tests/a_test.c:4: two: ok (cached)
      2 passed (2 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(root_found_from_a_subdirectory)
{
    e2e_project();
    e2e_write("galley.conf", "tests = checks\n");
    e2e_write("checks/deep/d_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(d) { printf(\"deep\\n\"); EXPECT(); }\n");
    e2e_write("checks/top_test.c", S_pass_file);
    e2e_sh("mkdir -p checks/deep/deeper");
    e2e_galley("run -q");
    EXPECT(/*
      checks/deep/d_test.c:3: d: mismatch
      2 passed, 1 failed
      [exit 1]
    */);
    /* From below the root: galley.conf and its tests are found, paths are
     * shown relative to where galley runs, and state stays in the root's
     * _galley. */
    if (chdir("checks/deep/deeper") != 0)
        perror("chdir");
    e2e_galley("run -q");
    EXPECT(/*
      ../d_test.c:3: d: mismatch
      2 passed (2 cached), 1 failed (1 cached)
      [exit 1]
    */);
    e2e_galley("run --list");
    EXPECT(/*
      ../d_test.c:3: d
      ../../top_test.c:3: one
      ../../top_test.c:4: two
      [exit 0]
    */);
    e2e_galley("promote ../d_test.c");
    EXPECT(/*
      promoted ../d_test.c (1 marker)
      [exit 0]
    */);
    if (chdir("..") != 0)
        perror("chdir");
    e2e_galley("run -q");
    e2e_sh("LC_ALL=C ls -a . deeper ../../_galley/state/checks");
    EXPECT(/*
      3 passed (2 cached), 0 failed
      [exit 0]
      .:
      .
      ..
      d_test.c
      deeper

      ../../_galley/state/checks:
      .
      ..
      deep

      deeper:
      .
      ..
    */);
    e2e_done();
}
