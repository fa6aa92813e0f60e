/* install_test.c: galley installed under a prefix (tools/install.sh, which
 * `ninja install` runs) finds its header and runtime there, the pkg-config
 * file describes them, and uninstalling takes them away. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* In Debian's multiarch layout (LIBDIR=lib/TRIPLET, the triplet of the
 * compiler that built galley; the default lib is toolchain_test.c's):
 * the installed galley finds its runtime there, galley.pc names that
 * libdir, and OpenBLAS and libm for a static link; --uninstall removes
 * what the install put and the directories it made, and leaves what was
 * there before. */
TEST(installed_galley_runs_tests)
{
    e2e_project();
    e2e_sh("mkdir -p prefix/lib && touch prefix/lib/theirs.a");
    static const char install[] =
        "repo=$(realpath \"$GALLEY_BIN\"); build=${repo%/galley};"
        " repo=${repo%%/build/*}; export PREFIX=$PWD/prefix BUILD=$build;";
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "%s LIBDIR=lib/$(cc -print-multiarch) \"$repo/tools/install.sh\""
             " >/dev/null && cd prefix && LC_ALL=C find . -name '*.so*' -prune"
             " -o -name '*cuda*' -prune"
             " -o -type f -print | LC_ALL=C sort",
             install);
    e2e_sh(cmd);
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(hello) {\n"
              "    puts(\"hello from an installed galley\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_sh("prefix/bin/galley run; echo \"[exit $?]\"");
    e2e_sh("prefix/bin/galley promote && prefix/bin/galley run");
    /* OpenBLAS's own flags differ with the Debian alternative chosen. */
    e2e_sh("export PKG_CONFIG_PATH=$PWD/prefix/lib/$(cc -print-multiarch)"
           "/pkgconfig;"
           " blas=$(pkg-config --cflags openblas); blas_libs=$(pkg-config"
           " --static --libs openblas);"
           " for a in '--cflags --libs' '--static --libs'; do"
           " pkg-config $a galley | sed \"s|$PWD|PWD|g; s|$blas|<openblas's>"
           " |; s|$blas_libs|<openblas's>|\"; done");
    /* CMake finds the package in the multiarch libdir (its prefix found
     * from there); the version file takes the same minor version or a
     * range holding it, not the next minor (0.x) or major;
     * galley_discover_tests lists what FILTER keeps, named with TEST_PREFIX.
     * The project itself is configured, not built: ctest -N runs nothing. */
    e2e_write("tests/b_test.c", "#include <galley.h>\nTEST(other) { }\n");
    e2e_write("CMakeLists.txt",
              "cmake_minimum_required(VERSION 3.16)\n"
              "project(p C)\n"
              "find_package(galley REQUIRED)\n"
              "set(v ${galley_VERSION_MAJOR}.${galley_VERSION_MINOR})\n"
              "math(EXPR minor \"${galley_VERSION_MINOR} + 1\")\n"
              "math(EXPR major \"${galley_VERSION_MAJOR} + 1\")\n"
              "foreach(w ${v} ${galley_VERSION_MAJOR}.${minor} ${major}.0"
              " ${v}...${major}.0)\n"
              "  find_package(galley ${w} QUIET)\n"
              "  string(REPLACE ${v} V w ${w})\n"
              "  string(REPLACE ${major}.0 NEXT w ${w})\n"
              "  string(REPLACE ${galley_VERSION_MAJOR}.${minor} MINOR w"
              " ${w})\n"
              "  message(STATUS \"asking ${w}: ${galley_FOUND}\")\n"
              "endforeach()\n"
              "get_target_property(a galley::static IMPORTED_LOCATION)\n"
              "message(STATUS \"${GALLEY_EXECUTABLE} ${a}\")\n"
              "enable_testing()\n"
              "galley_discover_tests(TEST_PREFIX \"installed \""
              " FILTER hello)\n");
    e2e_sh("CMAKE_PREFIX_PATH=$PWD/prefix cmake -S . -B build 2>&1 |"
           " grep -E '^-- (asking|/)' | sed \"s|$PWD|PWD|g\";"
           " ctest --test-dir build -N | grep 'Test *#'");
    snprintf(cmd, sizeof cmd,
             "%s \"$repo/tools/install.sh\" --uninstall | sed \"s|$PWD|PWD|\";"
             " LC_ALL=C find prefix | LC_ALL=C sort",
             install);
    e2e_sh(cmd);
    EXPECT(/*
      ./bin/galley
      ./include/galley.h
      ./include/galley/plot.h
      ./include/galley/tensor.h
      ./lib/theirs.a
      ./lib/x86_64-linux-gnu/cmake/galley/galleyAddTests.cmake
      ./lib/x86_64-linux-gnu/cmake/galley/galleyConfig.cmake
      ./lib/x86_64-linux-gnu/cmake/galley/galleyConfigVersion.cmake
      ./lib/x86_64-linux-gnu/libgalley.a
      ./lib/x86_64-linux-gnu/pkgconfig/galley.pc
      ./share/galley/install-manifest
      ./share/man/man1/galley.1
      ./share/man/man3/galley.3
      ./share/man/man3/galley_plot.3
      ./share/man/man3/galley_tensor.3
      tests/a_test.c:6: hello: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +hello from an installed galley

      0 passed, 1 failed
      [exit 1]
      promoted tests/a_test.c (1 marker)
      1 passed (1 cached), 0 failed
      -IPWD/prefix/include <openblas's> -LPWD/prefix/lib/x86_64-linux-gnu -lgalley
      -LPWD/prefix/lib/x86_64-linux-gnu -lgalley -lm <openblas's>
      -- asking V: 1
      -- asking MINOR: 0
      -- asking NEXT: 0
      -- asking V...NEXT: 1
      -- PWD/prefix/bin/galley PWD/prefix/lib/x86_64-linux-gnu/libgalley.a
        Test #1: installed tests/a_test.c:hello
      uninstalled galley from PWD/prefix
      prefix
      prefix/lib
      prefix/lib/theirs.a
    */);
    e2e_done();
}

/* tools/install-deps.sh's decisions, with apt, dpkg, id and sudo played by
 * scripts that say what they were asked: nothing is installed. */
TEST(install_deps_lean_by_default_and_clear_without_root)
{
    e2e_project();
    e2e_sh("mkdir bin && for t in bash grep; do ln -s \"$(command -v $t)\" bin/; "
           "done && printf '#!/bin/sh\\necho 1000\\n' >bin/id && "
           "printf '#!/bin/sh\\nexit 1\\n' >bin/dpkg-query && "
           "printf '#!/bin/sh\\necho apt-get \"$@\"\\n' >bin/apt-get && "
           "chmod +x bin/id bin/dpkg-query bin/apt-get");
    static const char run[] =
        "root=$(cd \"$(dirname \"$GALLEY_BIN\")\" && pwd | sed 's|/build.*||'); "
        "PATH=$PWD/bin \"$root/tools/install-deps.sh\" ";
    char cmd[512];
    /* Not root, no sudo: what to do, and nothing run. */
    snprintf(cmd, sizeof cmd, "%s 2>&1", run);
    e2e_sh(cmd);
    /* With sudo: apt-get through it, waiting for the lock, progress shown;
     * the default set, then --dev's. */
    e2e_sh("printf '#!/bin/sh\\necho sudo; exec \"$@\"\\n' >bin/sudo && "
           "chmod +x bin/sudo");
    e2e_sh(run);
    snprintf(cmd, sizeof cmd, "%s --dev | tail -n 1", run);
    e2e_sh(cmd);
    snprintf(cmd, sizeof cmd, "%s --all", run);
    e2e_sh(cmd);
    EXPECT(/*
      tools/install-deps.sh: these packages are missing: gcc libc6-dev ninja-build pkg-config libpcre2-dev libgit2-dev libcmark-dev cmark libopenblas-dev groff-base mandoc
      tools/install-deps.sh: installing them needs root, and sudo is not installed: run this as root (su -c 'tools/install-deps.sh'), or apt-get install them
      [exit 1]
      installing: gcc libc6-dev ninja-build pkg-config libpcre2-dev libgit2-dev libcmark-dev cmark libopenblas-dev groff-base mandoc
      sudo
      apt-get -o DPkg::Lock::Timeout=600 update
      sudo
      apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends gcc libc6-dev ninja-build pkg-config libpcre2-dev libgit2-dev libcmark-dev cmark libopenblas-dev groff-base mandoc
      apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends gcc libc6-dev ninja-build pkg-config libpcre2-dev libgit2-dev libcmark-dev cmark libopenblas-dev groff-base mandoc man-db valgrind git libxml2-utils jq cmake make meson g++ perl python3-yaml emacs-nox vim neovim
      usage: tools/install-deps.sh [--dev]
      [exit 2]
    */);
}
