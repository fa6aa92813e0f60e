/* devices_test.c: end-to-end tests of TEST's .devices: a run per device,
 * each judged with the same markers; a device the program cannot have is
 * a skipped run with its reason in every report; promote writes the CPU
 * run's output only; a device run that leaves device memory held fails.
 * No GPU here: a CUDA run that differs uses a fake backend that a test
 * file registers (tensor_internal.h), making no tensors. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* A test run on both devices whose output is the same on each. */
static const char S_same_test[] =
    "#include <galley.h>\n"
    "#include <stdio.h>\n"
    "TEST(mlp, .devices = GALLEY_CPU | GALLEY_CUDA) {\n"
    "    puts(\"loss 0.25\");\n"
    "    EXPECT(/* loss 0.25 */);\n"
    "}\n";

TEST(without_cuda_the_cuda_run_is_skipped_with_its_reason)
{
    e2e_project();
    e2e_write("tests/a_test.c", S_same_test);
    e2e_galley("run --color=never");
    EXPECT(/*
      tests/a_test.c:3: mlp [cuda]: skipped: built without CUDA (cuda = on in galley.conf links it)
      1 passed, 0 failed, 1 skipped
      [exit 0]
    */);
    /* The skipped run is never cached: both run again. */
    e2e_galley("run --color=never --format=tap");
    EXPECT(/*
      TAP version 13
      1..2
      ok 1 - tests/a_test.c:mlp [cpu]
      ok 2 - tests/a_test.c:mlp [cuda] # SKIP built without CUDA (cuda = on in galley.conf links it)
      [exit 0]
    */);
    e2e_galley_filter("run --format=json",
                      "sed 's/\"duration_ms\":[0-9]*/\"duration_ms\":T/'");
    EXPECT(/*
      {"schema":1,"type":"test","file":"tests/a_test.c","line":3,"test":"mlp","device":"cpu","status":"passed","duration_ms":T}
      {"schema":1,"type":"test","file":"tests/a_test.c","line":3,"test":"mlp","device":"cuda","status":"skipped","duration_ms":T,"reason":"built without CUDA (cuda = on in galley.conf links it)"}
      {"schema":1,"type":"summary","tests":2,"passed":1,"failed":0,"errors":0,"skipped":1,"cached":0,"duration_ms":T}
      [exit 0]
    */);
    /* A pass on the simulated device is no result for a run without it:
     * what decides the devices is part of the cache's key. */
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <galley/tensor.h>\n"
              "#include <stdio.h>\n"
              "TEST(mlp, .devices = GALLEY_CPU | GALLEY_CUDA) {\n"
              "    galley_scope *s = galley_scope_begin();\n"
              "    galley_tensor *t = galley_ones(GALLEY_F32, GALLEY_SHAPE(4));\n"
              "    printf(\"%g\\n\", galley_item(galley_sum_all(t)));\n"
              "    galley_scope_end(s);\n"
              "    EXPECT(/* 4 */);\n"
              "}\n");
    e2e_sh("GALLEY_CUDA_SIM=1 \"$GALLEY_BIN\" run -q --color=never");
    e2e_galley("run -q --color=never");
    EXPECT(/*
      2 passed, 0 failed
      1 passed, 0 failed, 1 skipped
      [exit 0]
    */);
    e2e_done();
}

/* The repository's lib/, for a project that includes tensor_internal.h:
 * $GALLEY_BIN is build/galley or build/asan/galley in it. */
static const char *S_lib_dir(void)
{
    static char dir[PATH_MAX];
    const char *bin = getenv("GALLEY_BIN");
    if (!bin || !realpath(bin, dir))
        return "lib";
    char *cut = strstr(dir, "/build/");
    if (cut)
        strcpy(cut, "/lib");
    return dir;
}

/* A CUDA that is there: a backend that says it is usable, for a test
 * that makes no tensors. Its run prints the default device: 2. */
static const char S_fake_cuda_test[] =
    "#include <galley.h>\n"
    "#include <stdio.h>\n"
    "#include \"tensor_internal.h\"\n"
    "static int S_usable(const char **why) { (void)why; return 1; }\n"
    "static const galley__backend S_fake = {.name = \"fake\",\n"
    "    .device = GALLEY_CUDA, .usable = S_usable};\n"
    "__attribute__((constructor)) static void S_reg(void) {\n"
    "    galley__backend_register(&S_fake);\n"
    "}\n"
    "TEST(mlp, .devices = GALLEY_CPU | GALLEY_CUDA) {\n"
    "    printf(\"on %d\\n\", galley_default_device());\n"
    "    EXPECT(/* on 1 */);\n"
    "}\n";

TEST(a_device_run_that_differs_fails_and_only_the_cpu_run_is_promoted)
{
    e2e_project();
    char conf[PATH_MAX + 16];
    snprintf(conf, sizeof conf, "include = %s\n", S_lib_dir());
    e2e_write("galley.conf", conf);
    e2e_write("tests/a_test.c", S_fake_cuda_test);
    e2e_galley("run --color=never");
    EXPECT(/*
      tests/a_test.c:12: mlp [cuda]: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -on 1
      +on 2
      (not promoted: promote writes the cpu run's output)

      1 passed, 1 failed
      [exit 1]
    */);
    /* The CPU run matched: nothing to write. */
    e2e_galley("promote");
    EXPECT(/*
      nothing to promote
      [exit 0]
    */);
    /* Both differ: the CPU run's output is written. */
    e2e_sh("sed -i 's/on 1 /on 0 /' tests/a_test.c");
    e2e_galley("run --color=never");
    EXPECT(/*
      tests/a_test.c:12: mlp [cpu]: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -on 0
      +on 1

      tests/a_test.c:12: mlp [cuda]: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -on 0
      +on 2
      (not promoted: promote writes the cpu run's output)

      0 passed, 2 failed (2 cached)
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/a_test.c", 12, 12);
    EXPECT(/*
      promoted tests/a_test.c (1 marker)
      [exit 0]
          EXPECT((* on 1 *));
    */);
    e2e_done();
}

TEST(a_device_run_that_leaves_device_memory_held_fails)
{
    e2e_project();
    /* The tensor code's count of device memory, as a program without it
     * may stand in for it (its reference is weak). */
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stddef.h>\n"
              "size_t galley__device_leak(const char **first_op);\n"
              "size_t galley__device_leak(const char **first_op) {\n"
              "    *first_op = \"galley_matmul\";\n"
              "    return 4096;\n"
              "}\n"
              "TEST(held, .devices = GALLEY_CPU) { }\n");
    e2e_galley("run --color=never");
    EXPECT(/*
      tests/a_test.c:8: held [cpu]: device memory still held at the end: 4096 bytes, first allocated by galley_matmul

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}
