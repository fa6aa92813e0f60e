/* header_test.c: galley.h as a new user compiles it. Options go by name
 * only: one given by position (TEST(t, 1e-4), the old EXPECT_NEAR(r, a,
 * ...)) is a compile error naming galley__use_designated_initializers, not
 * a silent timeout_ms = 0; and the header compiles, links and runs as
 * C++20. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

/* Keeps, of a run's output, galley's report lines and the compiler's
 * errors that name the guard, each cut after its FILE:LINE:COL, once. */
#define S_GUARD_ERRORS                                                     \
    "sed -nE 's/^(tests\\/[a-z_]+\\.c:[0-9]+:[0-9]+): error: .*"          \
    "galley__use_designated_initializers.*/\\1: error naming "             \
    "galley__use_designated_initializers/p; /^tests\\/.*: (mismatch|"     \
    "did not compile|EXPECT_NEAR)/p; /passed/p' | uniq"

TEST(options_by_position_do_not_compile)
{
    e2e_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(tolerance_first, 1e-4) { printf(\"1\\n\"); EXPECT(); }\n"
              "TEST(timeout, 2000) { printf(\"2\\n\"); EXPECT(); }\n"
              "TEST(mixed, .rtol = 1e-3, 5) { EXPECT(); }\n"
              "TEST(zero_then, 0, 1e-4) { EXPECT(); }\n"
              "TEST(named, .timeout_ms = 2000, .rtol = 1e-3) {\n"
              "    printf(\"1.0001\\n\");\n"
              "    EXPECT(/* 1 */);\n"
              "}\n");
    e2e_galley_filter("run", S_GUARD_ERRORS);
    EXPECT(/*
      tests/p_test.c:4:23: error naming galley__use_designated_initializers
      tests/p_test.c:5:15: error naming galley__use_designated_initializers
      tests/p_test.c:6:27: error naming galley__use_designated_initializers
      tests/p_test.c:7:20: error naming galley__use_designated_initializers
      tests/p_test.c: did not compile: 5 tests not run
      0 passed, 5 failed
      [exit 1]
    */);
    /* Written by name, the same options compile and take effect. */
    e2e_sh("sed -i '4,7d' tests/p_test.c");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(expect_near_takes_its_tolerances_by_name)
{
    e2e_project();
    e2e_write("tests/n_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(old_order) {\n"
              "    printf(\"1.0001\\n\");\n"
              "    EXPECT_NEAR(0, 1e-3, /* 1 */);\n"
              "}\n");
    /* The compiler refuses it, and the runner says what to write. */
    e2e_galley_filter("run", S_GUARD_ERRORS);
    EXPECT(/*
      tests/n_test.c:6:20: error naming galley__use_designated_initializers
      tests/n_test.c: did not compile: 1 test not run
      tests/n_test.c:6: old_order: EXPECT_NEAR takes its options by name, then a /\x2a comment *\x2f with the expected output: EXPECT_NEAR(.rtol = 1e-6, .atol = 1e-9, /\x2a ... *\x2f) (esc)
      0 passed, 1 failed
      [exit 1]
    */);
    e2e_sh("sed -i 's/EXPECT_NEAR(0, 1e-3,/EXPECT_NEAR(.atol = 1e-3,/' "
           "tests/n_test.c");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    /* A marker without its comment gets one, after a comma. */
    e2e_sh("sed -i 's|, /\\* 1 \\*/);|);|' tests/n_test.c");
    e2e_galley_filter("run --promote", "true");
    e2e_cat_lines("tests/n_test.c", 6, 6);
    EXPECT(/*
      [exit 1]
          EXPECT_NEAR(.atol = 1e-3, (* 1.0001 *));
    */);
    e2e_done();
}

TEST(the_header_compiles_links_and_runs_as_cxx20)
{
    e2e_project();
    e2e_install_here();
    e2e_write("t.cc",
              "#include <galley.h>\n"
              "#include <galley/plot.h>\n"
              "#include <galley/tensor.h>\n"
              "#include <cstdio>\n"
              "\n"
              "TEST(plain) { std::puts(\"plain\"); EXPECT(/* plain */); }\n"
              "TEST(options, .timeout_ms = 2000, .rtol = 1e-3,\n"
              "     .filter = \"s/[0-9]+ ms/N ms/g\") {\n"
              "    std::puts(\"12 ms\");\n"
              "    EXPECT_NEAR(.rtol = 1e-6, .atol = 0, /* N ms */);\n"
              "    EXPECT_NEAR(/* */);\n"
              "    galley_tensor *t = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));\n"
              "    galley_tensor_print(t);\n"
              "    EXPECT();\n"
              "}\n");
    /* Run by hand, the program prints its transcript. */
    e2e_sh("g++ -std=c++20 -Wall -Wextra -Werror -Iprefix/include t.cc"
           " prefix/lib/libgalley.a -lopenblas -lm"
           " $(nm prefix/lib/libgalley.a | grep -q __asan_ &&"
           "   echo -fsanitize=address,undefined) -o t"
           " && ./t | grep -Ev '^(===|---)'");
    EXPECT(/*
      t.cc:6:
          plain

      t.cc:10:
          12 ms
      t.cc:11:
          (no output)
      t.cc:14:
          float64 [2]
          [1. 1.]

      2 tests: 2 ok, 0 failed
    */);
    /* Positional options are refused there too. */
    e2e_sh("sed -i 's/TEST(plain)/TEST(plain, 2000)/' t.cc;"
           " g++ -std=c++20 -Iprefix/include -c t.cc -o t.o 2>err"
           " && echo compiled;"
           " grep -q galley__use_designated_initializers err && echo refused");
    EXPECT(/* refused */);
    e2e_done();
}
