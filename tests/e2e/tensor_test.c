/* tensor_test.c: tensors (galley/tensor.h) as a user meets them through
 * galley: a tensor test builds with no configuration, an error in a tensor
 * op fails the test with its message instead of a crash, tests that use no
 * tensors do not load OpenBLAS, and an installed galley builds a tensor
 * program through pkg-config. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* A test that trains nothing but uses matmul, so OpenBLAS is linked. */
static const char S_matmul_test[] =
    "#include <galley.h>\n"
    "#include <galley/tensor.h>\n"
    "TEST(product) {\n"
    "    galley_tensor *a = galley_reshape(\n"
    "        galley_arange(GALLEY_F32, 1, 7, 1), GALLEY_SHAPE(2, 3));\n"
    "    galley_tensor_print(galley_matmul(a, galley_transpose(a, 0, 1)));\n"
    "    EXPECT(/*\n"
    "      float32 [2, 2]\n"
    "      [[14. 32.]\n"
    "       [32. 77.]]\n"
    "    */);\n"
    "    galley_tensor_free_all();\n"
    "}\n";

TEST(a_tensor_test_needs_no_configuration)
{
    e2e_project();
    e2e_write("tests/mm_test.c", S_matmul_test);
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(an_op_error_fails_the_test_with_its_message)
{
    e2e_project();
    e2e_write("tests/bad_test.c",
              "#include <galley.h>\n"
              "#include <galley/tensor.h>\n"
              "#include <stdio.h>\n"
              "TEST(shapes) {\n"
              "    galley_tensor *a = galley_ones(GALLEY_F32, GALLEY_SHAPE(2, 3));\n"
              "    galley_tensor *b = galley_ones(GALLEY_F32, GALLEY_SHAPE(4, 3));\n"
              "    puts(\"before\");\n"
              "    galley_tensor_print(galley_add(a, b));\n"
              "    puts(\"after\");\n"
              "    EXPECT(/* */);\n"
              "}\n"
              "TEST(freed) {\n"
              "    galley_tensor *a = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));\n"
              "    galley_tensor_free(a);\n"
              "    galley_tensor_print(galley_exp(a));\n"
              "}\n"
              "TEST(not_scalar) {\n"
              "    galley_tensor *w = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(3)));\n"
              "    galley_backward(galley_mul(w, w));\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/bad_test.c:4: shapes: exited with status 1 before the end of the test
      unchecked output before it stopped (not promoted):
        before
      tests/bad_test.c:10: shapes: not reached
      stderr of shapes:
        galley: error: galley_add: shapes [2, 3] and [4, 3] cannot be broadcast

      tests/bad_test.c:12: freed: exited with status 1 before the end of the test
      stderr of freed:
        galley: error: galley_exp: input a was freed (by galley_tensor_free or the end of its scope)

      tests/bad_test.c:17: not_scalar: exited with status 1 before the end of the test
      stderr of not_scalar:
        galley: error: galley_backward: float64 [3] is not a scalar; reduce it first (galley_sum_all, galley_mean_all) or use galley_backward_with

      0 passed, 3 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(only_tensor_tests_load_openblas)
{
    e2e_project();
    e2e_write("tests/mm_test.c", S_matmul_test);
    e2e_write("tests/plain_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "TEST(plain) { puts(\"hi\"); EXPECT(/* hi */); }\n");
    e2e_galley("run");
    /* The dynamic dependencies each test program records, by the stable
     * names of the programs. */
    e2e_sh("for f in _galley/bin/tests/*; do"
           "  n=$(basename \"$f\");"
           "  if readelf -d \"$f\" | grep -q 'NEEDED.*libopenblas'; then"
           "    echo \"$n: openblas\"; else echo \"$n: no openblas\"; fi;"
           "done | LC_ALL=C sort");
    EXPECT(/*
      2 passed, 0 failed
      [exit 0]
      mm_test: openblas
      plain_test: no openblas
    */);
    e2e_done();
}

TEST(an_installed_galley_builds_a_tensor_program)
{
    e2e_project();
    e2e_install_here();
    e2e_write("prog.c",
              "#include <galley/tensor.h>\n"
              "int main(void) {\n"
              "    galley_tensor *w = galley_param(galley_eye(GALLEY_F64, 2));\n"
              "    galley_tensor *x = galley_arange(GALLEY_F64, 1, 3, 1);\n"
              "    galley_backward(galley_sum_all(galley_matmul(w, x)));\n"
              "    galley_tensor_print(galley_grad(w));\n"
              "    galley_tensor_free_all();\n"
              "    return 0;\n"
              "}\n");
    /* The sanitizer build of galley installs an instrumented library,
     * which programs link with the sanitizers' runtimes. */
    e2e_sh("nm prefix/lib/libgalley.a 2>/dev/null | grep -q __asan_ &&"
           " echo '-fsanitize=address,undefined' > san || : > san");
    /* A program of its own (its own main) against the shared library (the
     * sanitizer build installs none: there, the static one). */
    e2e_sh("export PKG_CONFIG_PATH=prefix/lib/pkgconfig;"
           " static=; [ -e prefix/lib/libgalley.so ] || static=--static;"
           " cc $(cat san) -o prog prog.c"
           " $(pkg-config --cflags --libs $static galley)"
           " -Wl,-rpath,$PWD/prefix/lib && ./prog");
    /* And against the static one, with the libraries it needs (OpenBLAS's
     * own come through its .pc, Requires.private: which depend on the
     * machine, so only the names of ours are shown). */
    e2e_sh("export PKG_CONFIG_PATH=prefix/lib/pkgconfig;"
           " pkg-config --libs --static galley | tr ' ' '\\n' |"
           " grep -xE -- '-l(galley|openblas|m)' | sort -u | tr '\\n' ' ';"
           " echo;"
           " cc $(cat san) -o prog-static prog.c $(pkg-config --cflags galley)"
           " prefix/lib/libgalley.a"
           " $(pkg-config --libs-only-l --static galley | sed 's/-lgalley//')"
           " && ./prog-static");
    EXPECT(/*
      float64 [2, 2]
      [[1. 2.]
       [1. 2.]]
      -lgalley -lm -lopenblas
      float64 [2, 2]
      [[1. 2.]
       [1. 2.]]
    */);
    e2e_done();
}
