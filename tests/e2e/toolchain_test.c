/* toolchain_test.c: galley used from other builds. The projects of
 * examples/cmake, examples/make and examples/meson, copied into a
 * throwaway directory, build and run their expect tests against galley
 * installed in a temporary prefix, as CI does; and a staged install
 * (DESTDIR) lands under DESTDIR/PREFIX while naming PREFIX alone, and
 * uninstalls from there. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* Copies examples/NAME of the repository that $GALLEY_BIN was built in to
 * ./NAME, without the run state or builds a checkout may hold, and writes
 * ./env: the environment that finds the install of e2e_install_here
 * first (pkg-config's and CMake's search paths, PATH), with the
 * sanitizers' link flags when that install is the sanitizer build's. */
static void S_copy_example(const char *name)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "repo=$(realpath \"$GALLEY_BIN\"); repo=${repo%%/build/*};"
             " cp -R \"$repo/examples/%s\" %s &&"
             " rm -rf %s/_galley %s/build",
             name, name, name, name);
    e2e_sh(cmd);
    e2e_sh("{ echo \"export PKG_CONFIG_PATH=$PWD/prefix/lib/pkgconfig\";"
           "  echo \"export CMAKE_PREFIX_PATH=$PWD/prefix\";"
           "  echo \"export PATH=$PWD/prefix/bin:\\$PATH\";"
           "  if nm prefix/lib/libgalley.a | grep -q __asan_; then"
           "  echo 'export LDFLAGS=-fsanitize=address,undefined'; fi; } > env");
}

/* ctest's lines for the tests it ran, "NAME STATUS", without the times. */
#define S_CTEST_RESULTS                                                  \
    " | sed -n 's/^ *[0-9]*\\/[0-9]* Test *#[0-9]*: \\([^ ]*\\) [.]*\\**"  \
    " *\\([A-Za-z]*\\).*/\\1 \\2/p; /tests passed/p'"

/* find_package(galley) and galley_discover_tests(): one CTest test per
 * galley test, which ctest lists each time it runs (a test added since
 * CMake configured is there at once), runs alone, and reports; `ctest -R`
 * picks one; a failing listing is a failing test that shows why. */
TEST(a_cmake_project_runs_each_expect_test_as_a_ctest_test)
{
    e2e_project();
    e2e_install_here();
    S_copy_example("cmake");
    e2e_sh(". ./env && cd cmake && cmake -S . -B build >cmake.log 2>&1 &&"
           " cmake --build build >>cmake.log 2>&1 || cat cmake.log");
    /* The program of the project links libgalley (its charts). */
    e2e_sh("echo 1 2 4 | cmake/build/trend-report | head -n 1");
    e2e_sh(". ./env && cd cmake && ctest --test-dir build"
           S_CTEST_RESULTS);
    e2e_sh(". ./env && ctest --test-dir cmake/build -R short -V | grep -E"
           " '^2: (Test command|Working|[0-9]+ passed)|^[0-9]+% tests passed'"
           " | sed \"s|$PWD|PWD|g\"");
    EXPECT(/*
      slope: 1.500 per step
      tests/trend_test.c:slope_of_a_line Passed
      tests/trend_test.c:too_short_for_a_slope Passed
      tests/trend_test.c:report_of_a_noisy_rise Passed
      100% tests passed, 0 tests failed out of 3
      2: Test command: PWD/prefix/bin/galley "run" "--color=never" "--filter=^tests/trend_test\.c:too_short_for_a_slope$"
      2: Working Directory: PWD/cmake
      2: 1 passed (1 cached), 0 failed
      100% tests passed, 0 tests failed out of 1
    */);
    /* A failing expectation fails its test, whose output is galley's
     * diff; a new file's tests run without a reconfigure, the one inside
     * #if 0 skipped. */
    e2e_sh("sed -i 's|EXPECT(/\\* 2 \\*/)|EXPECT(/* 3 */)|' "
           "cmake/tests/trend_test.c");
    e2e_write("cmake/tests/new_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(added) { puts(\"new\"); EXPECT(/* new */); }\n"
              "#if 0\n"
              "TEST(left_out) { }\n"
              "#endif\n");
    e2e_sh(". ./env && cd cmake && ctest --test-dir build --output-on-failure"
           " >ctest.log 2>&1; echo \"[ctest exit $?]\"; cat ctest.log"
           S_CTEST_RESULTS ";"
           " grep -E '^(tests/|[-+@]|[0-9]+ passed)' ctest.log");
    /* Each test ran alone; what failed is still pending for promote, and
     * in CI mode in the patch, though the last test passed. */
    e2e_sh(". ./env && cd cmake && galley promote --list");
    e2e_sh(". ./env && cd cmake && CI=true ctest --test-dir build"
           " >/dev/null 2>&1; grep '^[-+] ' _galley/promote.patch"
           " | sed 's|/\\*\\(.*\\)\\*/|\\1|'");
    /* galley.conf wrong: the listing fails, as a test that shows why. */
    e2e_sh("echo 'tests = nowhere' >> cmake/galley.conf");
    e2e_sh(". ./env && cd cmake && ctest --test-dir build --output-on-failure"
           " >ctest.log 2>&1; cat ctest.log" S_CTEST_RESULTS ";"
           " grep error: ctest.log");
    EXPECT(/*
      [ctest exit 8]
      tests/new_test.c:added Passed
      tests/new_test.c:left_out Skipped
      tests/trend_test.c:slope_of_a_line Failed
      tests/trend_test.c:too_short_for_a_slope Passed
      tests/trend_test.c:report_of_a_noisy_rise Passed
      80% tests passed, 1 tests failed out of 5
      tests/trend_test.c:12: slope_of_a_line: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -3
      +2
      0 passed, 1 failed (1 cached)
      tests/trend_test.c:12: slope_of_a_line: new output
      -    EXPECT( 3 );
      +    EXPECT( 2 );
      galley_discovery Failed
      0% tests passed, 1 tests failed out of 1
      galley.conf:7: error: tests: nowhere: No such file or directory
    */);
    e2e_done();
}

TEST(a_makefile_project_builds_with_pkg_config_and_runs_make_test)
{
    e2e_project();
    e2e_install_here();
    S_copy_example("make");
    e2e_sh(". ./env && make -s -C make 2>&1");
    e2e_sh("echo 3 2 1 | make/trend-report | head -n 1");
    e2e_sh(". ./env && make -s -C make test 2>&1");
    EXPECT(/*
      slope: -1.000 per step
      3 passed, 0 failed
    */);
    e2e_sh("sed -i 's|EXPECT(/\\* 0 0 \\*/)|EXPECT(/* 1 1 */)|' "
           "make/tests/trend_test.c");
    e2e_sh(". ./env && make -s -C make test 2>&1 | grep -v '^make'");
    e2e_sh(". ./env && make -s -C make promote && make -s -C make test");
    EXPECT(/*
      tests/trend_test.c:19: too_short_for_a_slope: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1 1
      +0 0

      2 passed (2 cached), 1 failed (1 cached)
      promoted tests/trend_test.c (1 marker)
      3 passed (3 cached), 0 failed
    */);
    e2e_done();
}

/* meson test's result lines without their times and exit statuses. */
#define S_MESON_TIMES " | sed -E 's/ +[0-9.]+s( .*)?$//'"

/* Meson finds galley through pkg-config (dependency('galley')), and its
 * one test() runs galley; a failing expectation fails `meson test`. */
TEST(a_meson_project_builds_with_pkg_config_and_runs_meson_test)
{
    e2e_project();
    e2e_install_here();
    S_copy_example("meson");
    e2e_sh(". ./env && cd meson && meson setup build >meson.log 2>&1 &&"
           " meson compile -C build >>meson.log 2>&1 || cat meson.log");
    e2e_sh("echo 2 4 6 | meson/build/trend-report | head -n 1");
    e2e_sh(". ./env && cd meson && meson test -C build -v 2>&1 |"
           " grep -E '^[0-9]+ passed|galley +(OK|FAIL)'" S_MESON_TIMES);
    e2e_sh("sed -i 's|EXPECT(/\\* 2 \\*/)|EXPECT(/* 3 */)|' "
           "meson/tests/trend_test.c");
    /* --print-errorlogs shows a failing test's output (then repeats its
     * result line under "Summary of Failures", left out). */
    e2e_sh(". ./env && cd meson && meson test -C build --print-errorlogs"
           " >test.log 2>&1; echo \"[meson test exit $?]\";"
           " sed '/^Summary of Failures/q' test.log |"
           " grep -E '^(tests/|[-+@]|[0-9]+ passed)|galley +(OK|FAIL)'"
           S_MESON_TIMES);
    EXPECT(/*
      slope: 2.000 per step
      3 passed, 0 failed
      1/1 galley OK
      [meson test exit 1]
      1/1 galley FAIL
      tests/trend_test.c:12: slope_of_a_line: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -3
      +2
      2 passed (2 cached), 1 failed (1 cached)
    */);
    e2e_done();
}

TEST(a_staged_install_lands_under_destdir_and_names_the_prefix)
{
    e2e_project();
    /* The version, from galley.h, is the same everywhere: VERSION below. */
    e2e_sh("repo=$(realpath \"$GALLEY_BIN\"); build=${repo%/galley};"
           " repo=${repo%%/build/*};"
           " v=$(\"$GALLEY_BIN\" --version | sed -n 's/^galley //p');"
           " echo \"$v\" > version;"
           " DESTDIR=$PWD/stage PREFIX=/opt/galley BUILD=$build"
           " \"$repo/tools/install.sh\" | sed \"s|$PWD|PWD|; s|$v|VERSION|\"");
    /* Everything under DESTDIR/PREFIX, nothing elsewhere (the shared
     * library, which the sanitizer build does not make, and libgalley-cuda,
     * which only a build that found nvcc makes, left out: cuda_test's). */
    e2e_sh("cd stage && LC_ALL=C find . -name '*.so*' -prune -o"
           " -name '*cuda*' -prune -o -type f -print | LC_ALL=C sort");
    e2e_sh("grep -n 'prefix=' stage/opt/galley/lib/pkgconfig/galley.pc");
    e2e_sh("top=$PWD; cd stage/opt/galley && grep -c \"$top\""
           " lib/pkgconfig/galley.pc lib/cmake/galley/galleyConfig.cmake"
           " share/galley/install-manifest");
    /* --libs: OpenBLAS's own --cflags (galley.pc requires it) would come
     * from the system, put under the sysroot too. */
    e2e_sh("PKG_CONFIG_SYSROOT_DIR=$PWD/stage"
           " PKG_CONFIG_PATH=$PWD/stage/opt/galley/lib/pkgconfig"
           " pkg-config --libs galley | sed \"s|$PWD|PWD|g\"");
    e2e_sh("MANWIDTH=200 man -l stage/opt/galley/share/man/man1/galley.1 2>&1"
           " | grep -A1 '^NAME'");
    e2e_sh("v=$(cat version);"
           " PKG_CONFIG_LIBDIR=$PWD/stage/opt/galley/lib/pkgconfig"
           " pkg-config --modversion galley | sed \"s|$v|VERSION|\";"
           " for m in man1/galley.1 man3/galley.3 man3/galley_tensor.3;"
           " do MANWIDTH=80 man -l stage/opt/galley/share/man/$m 2>&1"
           " | tail -n 1 | grep -o \"galley $v\" | sed \"s|$v|VERSION|\"; done");
    /* Uninstalling from the stage empties it. */
    e2e_sh("repo=$(realpath \"$GALLEY_BIN\"); repo=${repo%%/build/*};"
           " DESTDIR=$PWD/stage PREFIX=/opt/galley"
           " \"$repo/tools/install.sh\" --uninstall | sed \"s|$PWD|PWD|\";"
           " find stage");
    EXPECT(/*
      installed galley VERSION in PWD/stage/opt/galley
      ./opt/galley/bin/galley
      ./opt/galley/include/galley.h
      ./opt/galley/include/galley/plot.h
      ./opt/galley/include/galley/tensor.h
      ./opt/galley/lib/cmake/galley/galleyAddTests.cmake
      ./opt/galley/lib/cmake/galley/galleyConfig.cmake
      ./opt/galley/lib/cmake/galley/galleyConfigVersion.cmake
      ./opt/galley/lib/libgalley.a
      ./opt/galley/lib/pkgconfig/galley.pc
      ./opt/galley/share/galley/install-manifest
      ./opt/galley/share/man/man1/galley.1
      ./opt/galley/share/man/man3/galley.3
      ./opt/galley/share/man/man3/galley_plot.3
      ./opt/galley/share/man/man3/galley_tensor.3
      5:prefix=/opt/galley
      lib/pkgconfig/galley.pc:0
      lib/cmake/galley/galleyConfig.cmake:0
      share/galley/install-manifest:0
      [exit 1]
      -LPWD/stage/opt/galley/lib -lgalley
      NAME
             galley - expect tests for C: run them, review the diffs, promote the output
      VERSION
      galley VERSION
      galley VERSION
      galley VERSION
      uninstalled galley from PWD/stage/opt/galley
      stage
    */);
    e2e_done();
}
