/* cuda_test.c: libgalley-cuda as the build makes it and galley.conf's
 * cuda = on links it, on a machine without a GPU: where nvcc was found the
 * library is built, a cuda = on project builds and its program runs and
 * says why there is no device; where nvcc is missing, tools/cuda.sh says
 * so, and a galley without the library refuses cuda = on at its line. The
 * kernels' per-element code is checked on the host (lib/cuda/host_check.cu);
 * the kernels themselves run on a GPU only (bench/gpu-check.sh). */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* The repository that $GALLEY_BIN was built in, in $repo, for e2e_sh. */
#define S_REPO "repo=$(realpath \"$GALLEY_BIN\"); repo=${repo%%/build/*};"

/* Skips the test unless the galley under test has libgalley-cuda: the
 * default variant built where nvcc was found. */
static void S_need_cuda(void)
{
    if (strstr(getenv("GALLEY_BIN") ? getenv("GALLEY_BIN") : "", "/asan/"))
        GALLEY_SKIP("the sanitizer variant builds no libgalley-cuda");
    if (system(S_REPO " grep -q '^version='"
               " \"$repo/build/libgalley-cuda.txt\"") != 0)
        GALLEY_SKIP("no nvcc: libgalley-cuda was not built");
    if (system("nvidia-smi -L >/dev/null 2>&1") == 0)
        GALLEY_SKIP("a CUDA device is here: bench/gpu-check.sh tests it");
}

TEST(a_cuda_on_project_links_libgalley_cuda_and_says_why_no_device)
{
    S_need_cuda();
    e2e_project();
    /* The kernels' per-element code, run on the host against the CPU
     * backend (lib/cuda/host_check.cu): every op, cast, view, reduction
     * and argmax agrees to the bit. */
    e2e_sh(S_REPO " \"$repo/build/cuda/host-check\"");
    e2e_sh("\"$GALLEY_BIN\" --version |"
           " sed -n 's/(CUDA [0-9.]*)/(CUDA N)/; /^cuda/p'");
    e2e_write("galley.conf", "cuda = on\n");
    e2e_write("tests/device_test.c",
              "#include <galley.h>\n"
              "#include <galley/tensor.h>\n"
              "\n"
              "TEST(no_device_here)\n"
              "{\n"
              "    const char *why = NULL;\n"
              "    int ok = galley_device_available(GALLEY_CUDA, &why);\n"
              "    printf(\"%d %s\\n\", ok, why);\n"
              "}\n");
    /* The driver's words left out: a machine with no driver at all (no
     * libcuda.so.1) gets the runtime's "driver version is insufficient",
     * which the reason says is no driver. */
    e2e_galley_filter("run --color=never --no-cache tests",
                      "sed 's/: CUDA driver.*)/: DRIVER)/;"
                      " s/CUDA [0-9.]*:/CUDA N:/'");
    EXPECT(/*
      host-check: 31622 checks, 0 mismatches
      cuda: libgalley-cuda (CUDA N)
      tests/device_test.c:9: no_device_here: trailing output
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +0 no CUDA device (no CUDA driver, or one older than the runtime, CUDA N: DRIVER)

      0 passed, 1 failed
      [exit 1]
    */);
    /* The install carries libgalley-cuda and its pkg-config file, which
     * names galley's own (Requires) and the CUDA runtime. */
    e2e_sh(S_REPO " PREFIX=$PWD/prefix BUILD=$repo/build"
           " \"$repo/tools/install.sh\" >/dev/null &&"
           " cd prefix && LC_ALL=C find . -name '*cuda*' | LC_ALL=C sort &&"
           " PKG_CONFIG_PATH=$PWD/lib/pkgconfig pkg-config --print-requires"
           " galley-cuda && PKG_CONFIG_PATH=$PWD/lib/pkgconfig pkg-config"
           " --libs-only-l galley-cuda | tr ' ' '\\n' | grep -c cuda");
    EXPECT(/*
      ./lib/libgalley-cuda.a
      ./lib/libgalley-cuda.so
      ./lib/libgalley-cuda.so.0
      ./lib/libgalley-cuda.txt
      ./lib/pkgconfig/galley-cuda.pc
      galley
      1
    */);
    e2e_done();
}

TEST(without_nvcc_nothing_cuda_is_built_and_cuda_on_names_its_line)
{
    e2e_project();
    /* tools/cuda.sh, as build.ninja's cuda rule runs it, where no nvcc is
     * found: the note, no libraries. */
    e2e_sh(S_REPO " mkdir -p prefix/lib && cd \"$repo\" &&"
           " NVCC=/nonexistent/nvcc tools/cuda.sh \"$OLDPWD/prefix/lib\""
           " build/libgalley.so lib/cuda/backend.cu && cd - >/dev/null &&"
           " cat prefix/lib/libgalley-cuda.txt &&"
           " ls prefix/lib | grep -v '[.]d$'");
    /* A galley whose runtime is that directory: an install's layout. */
    e2e_sh(S_REPO " mkdir prefix/bin && cp \"$GALLEY_BIN\" prefix/bin/ &&"
           " ln -s \"$repo/lib/include\" prefix/include &&"
           " ln -s \"$(dirname \"$GALLEY_BIN\")/libgalley.a\" prefix/lib/ &&"
           " prefix/bin/galley --version | sed 1d");
    e2e_write("galley.conf", "# the GPU\ncuda = on\n");
    e2e_write("tests/a_test.c", "#include <galley.h>\nTEST(a) {}\n");
    e2e_sh("prefix/bin/galley run --color=never tests 2>&1 |"
           " sed \"s|$PWD|PROJECT|\"");
    EXPECT(/*
      reason=nvcc not found when galley was built
      libgalley-cuda.txt
      cuda: not built (nvcc not found when galley was built)
      PROJECT/galley.conf:2: error: cuda = on, but this galley's libgalley-cuda is not built (nvcc not found when galley was built)
      galley: the build could not run: 1 test program not built, 1 test not run

      0 passed, 1 failed
    */);
    e2e_done();
}
