/* tolerance_test.c: end-to-end tests of numbers compared with a tolerance:
 * the four ways to set one (TEST options, galley_tolerance, EXPECT_NEAR,
 * galley.conf) and which wins, the diff that marks the numbers out of
 * tolerance and its summary, promotion that keeps the numbers that were
 * close enough, the special values, what stays text, and bad tolerances. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

TEST(within_tolerance_passes)
{
    e2e_project();
    e2e_write("tests/pi_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(digits, .rtol = 1e-6) {\n"
              "    printf(\"pi %.12f\\n\", 3.14159265358979);\n"
              "    printf(\"sum %.17g\\n\", 0.1 + 0.2);\n"
              "    printf(\"third %.9f\\n\", 1.0 / 3);\n"
              "    EXPECT(/*\n"
              "      pi 3.1415927\n"
              "      sum 0.3\n"
              "      third 0.3333333\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
    */);
    /* The same test without its tolerance compares as text. */
    e2e_sh("sed -i 's/, .rtol = 1e-6//' tests/pi_test.c");
    e2e_galley("run");
    EXPECT(/*
      tests/pi_test.c:8: digits: mismatch
      --- expected
      +++ actual
      @@ -1,3 +1,3 @@
      -pi 3.1415927
      -sum 0.3
      -third 0.3333333
      +pi 3.141592653590
      +sum 0.30000000000000004
      +third 0.333333333

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(out_of_tolerance_marked_with_summary)
{
    e2e_project();
    e2e_write("tests/t_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(table, .rtol = 1e-3) {\n"
              "    double xs[] = {1, 2, 3};\n"
              "    for (int i = 0; i < 3; i++)\n"
              "        printf(\"x=%d  sq %.6f  inv %.6f\\n\", i,\n"
              "               xs[i] * xs[i] * 1.0001, 1 / xs[i] + (i == 2) * 0.01);\n"
              "    EXPECT(/*\n"
              "      x=0  sq 1.0000  inv 1.0000\n"
              "      x=1  sq 4.0000  inv 0.5000\n"
              "      x=2  sq 9.0000  inv 0.3333\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/t_test.c:9: table: mismatch
      --- expected
      +++ actual
      @@ -1,3 +1,3 @@
       x=0  sq 1.0000  inv 1.0000
       x=1  sq 4.0000  inv 0.5000
      -x=2  sq 9.0000  inv 0.3333
      +x=2  sq 9.0000  inv 0.343333
                           ^^^^^^^^
      numbers: 9 compared, 1 out of tolerance (11.1%)
      greatest absolute difference: 0.010033 at tests/t_test.c:12:27
      greatest relative difference: 0.030102 at tests/t_test.c:12:27
      tolerance: rtol=0.001 atol=0 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 1 failed
      [exit 1]
    */);
    /* The summary's place is the number's line and column in the source. */
    e2e_sh("sed -n 12p tests/t_test.c | cut -c27-");
    EXPECT(/* 0.3333 */);
    e2e_done();
}

TEST(promote_keeps_numbers_within_tolerance)
{
    e2e_project();
    e2e_write("tests/p_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(fit, .rtol = 1e-4, .atol = 1e-9) {\n"
              "    printf(\"slope %.8f intercept %.8f\\n\", 2.00000012, -0.49999987);\n"
              "    printf(\"loss %.6e after %d steps\\n\", 1.25e-3, 120);\n"
              "    printf(\"residuals %.7f %.7f %.7f\\n\", 0.01, 0.0200004, -0.03);\n"
              "    EXPECT(/*\n"
              "      slope 2.0 intercept -0.5\n"
              "      loss 1.2e-3 after 100 steps\n"
              "      residuals 0.01 0.02 -0.03\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/p_test.c:8: fit: mismatch
      --- expected
      +++ actual
      @@ -1,3 +1,3 @@
       slope 2.0 intercept -0.5
      -loss 1.2e-3 after 100 steps
      +loss 1.250000e-03 after 120 steps
            ^^^^^^^^^^^^       ^^^
       residuals 0.01 0.02 -0.03
      numbers: 7 compared, 2 out of tolerance (28.6%)
      greatest absolute difference: 20 at tests/p_test.c:10:25
      greatest relative difference: 0.2 at tests/p_test.c:10:25
      tolerance: rtol=0.0001 atol=1e-09 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat("tests/p_test.c");
    EXPECT(/*
      promoted tests/p_test.c (1 marker)
      [exit 0]
      #include <galley.h>
      #include <stdio.h>

      TEST(fit, .rtol = 1e-4, .atol = 1e-9) {
          printf("slope %.8f intercept %.8f\n", 2.00000012, -0.49999987);
          printf("loss %.6e after %d steps\n", 1.25e-3, 120);
          printf("residuals %.7f %.7f %.7f\n", 0.01, 0.0200004, -0.03);
          EXPECT((*
            slope 2.0 intercept -0.5
            loss 1.250000e-03 after 120 steps
            residuals 0.01 0.02 -0.03
          *));
      }
    */);
    /* Byte for byte: only the two numbers out of tolerance changed. */
    e2e_write("want.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(fit, .rtol = 1e-4, .atol = 1e-9) {\n"
              "    printf(\"slope %.8f intercept %.8f\\n\", 2.00000012, -0.49999987);\n"
              "    printf(\"loss %.6e after %d steps\\n\", 1.25e-3, 120);\n"
              "    printf(\"residuals %.7f %.7f %.7f\\n\", 0.01, 0.0200004, -0.03);\n"
              "    EXPECT(/*\n"
              "      slope 2.0 intercept -0.5\n"
              "      loss 1.250000e-03 after 120 steps\n"
              "      residuals 0.01 0.02 -0.03\n"
              "    */);\n"
              "}\n");
    e2e_sh("cmp want.c tests/p_test.c && echo same bytes");
    EXPECT(/* same bytes */);
    e2e_galley("run");
    EXPECT(/*
      1 passed (1 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(galley_tolerance_mid_test)
{
    e2e_project();
    e2e_write("tests/g_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(phases) {\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "    galley_tolerance(1e-3, 0);\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "    galley_tolerance(0, 0);\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "}\n"
              "\n"
              "TEST(overrides_options, .rtol = 1e-3) {\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "    galley_tolerance(1e-6, 0);\n"
              "    printf(\"%.4f\\n\", 2.0 / 3);\n"
              "    EXPECT(/* 0.667 */);\n"
              "}\n");
    /* Lines 9 and 11 pass: galley_tolerance holds for every marker after
     * it until the next call; line 14 compares as text again. Line 19
     * passes with the TEST's .rtol, which galley_tolerance then replaces. */
    e2e_galley("run");
    EXPECT(/*
      tests/g_test.c:6: phases: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -0.667
      +0.6667
      tests/g_test.c:14: phases: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -0.667
      +0.6667

      tests/g_test.c:22: overrides_options: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -0.667
      +0.6667
       ^^^^^^
      numbers: 1 compared, 1 out of tolerance (100%)
      greatest absolute difference: 0.0003 at tests/g_test.c:22:15
      greatest relative difference: 0.000449775 at tests/g_test.c:22:15
      tolerance: rtol=1e-06 atol=0 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 2 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(expect_near_overrides)
{
    e2e_project();
    e2e_write("tests/n_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(near, .rtol = 1e-9) {\n"
              "    printf(\"%.3f\\n\", 1.01);\n"
              "    EXPECT_NEAR(.rtol = 0.02, /* 1.0 */);\n"
              "    galley_tolerance(1e-9, 0);\n"
              "    printf(\"%.3f\\n\", 1.01);\n"
              "    EXPECT_NEAR(.atol = 0.05, /* 1.0 */);\n"
              "    printf(\"%.3f\\n\", 1.01);\n"
              "    EXPECT(/* 1.0 */);\n"
              "    printf(\"%.3f\\n\", 1.01);\n"
              "    EXPECT_NEAR(.rtol = 1e-3, /* 1.0 */);\n"
              "}\n");
    /* Lines 6 and 9 pass with their own tolerances, over the TEST's and
     * over galley_tolerance; line 11 has galley_tolerance's. */
    e2e_galley("run");
    EXPECT(/*
      tests/n_test.c:11: near: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1.0
      +1.010
       ^^^^^
      numbers: 1 compared, 1 out of tolerance (100%)
      greatest absolute difference: 0.01 at tests/n_test.c:11:15
      greatest relative difference: 0.01 at tests/n_test.c:11:15
      tolerance: rtol=1e-09 atol=0 (|actual - expected| <= atol + rtol * |expected|)
      tests/n_test.c:13: near: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1.0
      +1.010
       ^^^^^
      numbers: 1 compared, 1 out of tolerance (100%)
      greatest absolute difference: 0.01 at tests/n_test.c:13:34
      greatest relative difference: 0.01 at tests/n_test.c:13:34
      tolerance: rtol=0.001 atol=0 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_galley("promote");
    e2e_cat_lines("tests/n_test.c", 4, 14);
    EXPECT(/*
      promoted tests/n_test.c (2 markers)
      [exit 0]
      TEST(near, .rtol = 1e-9) {
          printf("%.3f\n", 1.01);
          EXPECT_NEAR(.rtol = 0.02, (* 1.0 *));
          galley_tolerance(1e-9, 0);
          printf("%.3f\n", 1.01);
          EXPECT_NEAR(.atol = 0.05, (* 1.0 *));
          printf("%.3f\n", 1.01);
          EXPECT((* 1.010 *));
          printf("%.3f\n", 1.01);
          EXPECT_NEAR(.rtol = 1e-3, (* 1.010 *));
      }
    */);
    e2e_galley("run");
    EXPECT(/*
      1 passed (1 cached), 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(galley_conf_defaults)
{
    e2e_project();
    e2e_write("galley.conf", "rtol = 1e-3\natol = 1e-6\n");
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(project_default) {\n"
              "    printf(\"%.1f %.7f\\n\", 1000.4, 0.0000005);\n"
              "    EXPECT(/* 1000 0 */);\n"
              "}\n"
              "\n"
              "TEST(project_default_too_far) {\n"
              "    printf(\"%.1f\\n\", 1000.4);\n"
              "    EXPECT(/* 1001.5 */);\n"
              "}\n"
              "\n"
              "TEST(own_options_win, .rtol = 1e-6) {\n"
              "    printf(\"%.1f %.7f\\n\", 1000.4, 0.0000005);\n"
              "    EXPECT(/* 1000 0 */);\n"
              "}\n"
              "\n"
              "TEST(own_atol_alone, .atol = 0.5) {\n"
              "    printf(\"%.1f\\n\", 1000.4);\n"
              "    EXPECT(/* 1000 */);\n"
              "    printf(\"%.1f\\n\", 1000.6);\n"
              "    EXPECT(/* 1000 */);\n"
              "}\n"
              "\n"
              "TEST(textual_again) {\n"
              "    galley_tolerance(0, 0);\n"
              "    printf(\"%.1f\\n\", 1000.4);\n"
              "    EXPECT(/* 1000 */);\n"
              "}\n"
              "\n"
              "TEST(exact_is_always_bytes, .rtol = 0.5) {\n"
              "    printf(\"%.1f\\n\", 1000.4);\n"
              "    EXPECT_EXACT(/*1000\n"
              "*/);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/c_test.c:11: project_default_too_far: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1001.5
      +1000.4
       ^^^^^^
      numbers: 1 compared, 1 out of tolerance (100%)
      greatest absolute difference: 1.1 at tests/c_test.c:11:15
      greatest relative difference: 0.00109835 at tests/c_test.c:11:15
      tolerance: rtol=0.001 atol=1e-06 (|actual - expected| <= atol + rtol * |expected|)

      tests/c_test.c:16: own_options_win: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1000 0
      +1000.4 0.0000005
       ^^^^^^ ^^^^^^^^^
      numbers: 2 compared, 2 out of tolerance (100%)
      greatest absolute difference: 0.4 at tests/c_test.c:16:15
      greatest relative difference: inf at tests/c_test.c:16:20
      tolerance: rtol=1e-06 atol=0 (|actual - expected| <= atol + rtol * |expected|)

      tests/c_test.c:23: own_atol_alone: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1000
      +1000.6
       ^^^^^^
      numbers: 1 compared, 1 out of tolerance (100%)
      greatest absolute difference: 0.6 at tests/c_test.c:23:15
      greatest relative difference: 0.0006 at tests/c_test.c:23:15
      tolerance: rtol=0 atol=0.5 (|actual - expected| <= atol + rtol * |expected|)

      tests/c_test.c:29: textual_again: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1000
      +1000.4

      tests/c_test.c:34: exact_is_always_bytes: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1000
      +1000.4

      1 passed, 5 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(nan_inf_and_negative_zero)
{
    e2e_project();
    e2e_write("tests/s_test.c",
              "#include <galley.h>\n"
              "#include <math.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(special, .rtol = 1e-6) {\n"
              "    printf(\"a=%f b=%f c=%f d=%f\\n\", NAN, -NAN, INFINITY, -INFINITY);\n"
              "    printf(\"e=%g f=%g g=1e400 h=%.1f\\n\", -0.0, 0.0, 2.5);\n"
              "    EXPECT(/*\n"
              "      a=nan b=nan c=inf d=-inf\n"
              "      e=0 f=-0 g=1e400 h=2.5\n"
              "    */);\n"
              "}\n"
              "\n"
              "TEST(huge_tolerance_still_fails, .rtol = 1, .atol = 1e300) {\n"
              "    printf(\"c=%f d=%f\\n\", INFINITY, INFINITY);\n"
              "    printf(\"g=2e400 h=%f i=%f\\n\", NAN, INFINITY);\n"
              "    printf(\"j=%.1f\\n\", 5.0);\n"
              "    EXPECT(/*\n"
              "      c=-inf d=1e308\n"
              "      g=1e400 h=0 i=1e400\n"
              "      j=1e299\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/s_test.c:18: huge_tolerance_still_fails: mismatch
      --- expected
      +++ actual
      @@ -1,3 +1,3 @@
      -c=-inf d=1e308
      -g=1e400 h=0 i=1e400
      +c=inf d=inf
         ^^^   ^^^
      +g=2e400 h=nan i=inf
         ^^^^^   ^^^   ^^^
       j=1e299
      numbers: 6 compared, 5 out of tolerance (83.3%)
      greatest absolute difference: inf at tests/s_test.c:19:9
      greatest relative difference: inf at tests/s_test.c:19:9
      tolerance: rtol=1 atol=1e+300 (|actual - expected| <= atol + rtol * |expected|)

      1 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(count_of_numbers_differs)
{
    e2e_project();
    e2e_write("tests/k_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(count, .rtol = 0.5) {\n"
              "    printf(\"loss 0.5 0.25\\n\");\n"
              "    printf(\"acc 0.9\\n\");\n"
              "    EXPECT(/*\n"
              "      loss 0.5\n"
              "      acc 0.91\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/k_test.c:7: count: mismatch
      --- expected
      +++ actual
      @@ -1,2 +1,2 @@
      -loss 0.5
      +loss 0.5 0.25
       acc 0.91
      numbers: 1 compared, 0 out of tolerance (0%)
      greatest absolute difference: 0.01 at tests/k_test.c:9:11
      greatest relative difference: 0.010989 at tests/k_test.c:9:11
      tolerance: rtol=0.5 atol=0 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(versions_dates_and_hex_stay_text)
{
    e2e_project();
    e2e_write("tests/v_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(words, .rtol = 1, .atol = 100) {\n"
              "    printf(\"version v1.2.4\\n\");\n"
              "    printf(\"library 1.0.1\\n\");\n"
              "    printf(\"built 2024-01-03 at 12:30:06\\n\");\n"
              "    printf(\"flags 0x1e\\n\");\n"
              "    printf(\"layer x2 ratio 1/3\\n\");\n"
              "    printf(\"step 7 of 9\\n\");\n"
              "    EXPECT(/*\n"
              "      version v1.2.3\n"
              "      library 1.0.0\n"
              "      built 2024-01-02 at 12:30:05\n"
              "      flags 0x1f\n"
              "      layer x1 ratio 1/2\n"
              "      step 5 of 10\n"
              "    */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/v_test.c:11: words: mismatch
      --- expected
      +++ actual
      @@ -1,6 +1,6 @@
      -version v1.2.3
      -library 1.0.0
      -built 2024-01-02 at 12:30:05
      -flags 0x1f
      -layer x1 ratio 1/2
      +version v1.2.4
      +library 1.0.1
      +built 2024-01-03 at 12:30:06
      +flags 0x1e
      +layer x2 ratio 1/3
       step 5 of 10
      numbers: 2 compared, 0 out of tolerance (0%)
      greatest absolute difference: 2 at tests/v_test.c:17:12
      greatest relative difference: 0.4 at tests/v_test.c:17:12
      tolerance: rtol=1 atol=100 (|actual - expected| <= atol + rtol * |expected|)

      0 passed, 1 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(bad_tolerances)
{
    e2e_project();
    e2e_write("tests/b_test.c",
              "#include <galley.h>\n"
              "#include <math.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(negative) {\n"
              "    printf(\"1\\n\");\n"
              "    EXPECT_NEAR(.rtol = -1, /* 1 */);\n"
              "}\n"
              "\n"
              "TEST(not_a_number) {\n"
              "    galley_tolerance(NAN, 0);\n"
              "    printf(\"2\\n\");\n"
              "    EXPECT(/* 2 */);\n"
              "}\n"
              "\n"
              "TEST(fine, .rtol = 1e-3) {\n"
              "    printf(\"%.4f\\n\", 1.0001);\n"
              "    EXPECT(/* 1 */);\n"
              "}\n"
              "\n"
              "TEST(project) {\n"
              "    printf(\"%.4f\\n\", 1.0001);\n"
              "    EXPECT(/* 1 */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/b_test.c:7: negative: bad tolerance rtol=-1 atol=0: tolerances must be finite numbers >= 0

      tests/b_test.c:13: not_a_number: bad tolerance rtol=nan atol=0: tolerances must be finite numbers >= 0

      tests/b_test.c:23: project: mismatch
      --- expected
      +++ actual
      @@ -1,1 +1,1 @@
      -1
      +1.0001

      1 passed, 3 failed
      [exit 1]
    */);
    e2e_write("galley.conf",
              "# project tolerances\n"
              "rtol = -1\n"
              "atol = nan\n"
              "rtol = 1e-3\n"
              "atol = inf\n");
    /* The good line 4 still sets the project's rtol. */
    e2e_galley("run --filter='fine|project'");
    EXPECT(/*
      galley.conf:2:8: error: a tolerance must be a finite number >= 0, such as 1e-6
      galley.conf:3:8: error: a tolerance must be a finite number >= 0, such as 1e-6
      galley.conf:5:8: error: a tolerance must be a finite number >= 0, such as 1e-6
      2 passed (2 cached), 3 failed
      [exit 1]
    */);
    e2e_done();
}

TEST(color_marks_numbers_in_reverse_video)
{
    e2e_project();
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(colored, .atol = 0.01) {\n"
              "    printf(\"w 0.501 b 0.3\\n\");\n"
              "    EXPECT(/* w 0.5 b 0.2 */);\n"
              "}\n");
    e2e_galley_filter("run --color=always", "cat -v");
    EXPECT(/*
      ^[[1mtests/c_test.c:6: colored: ^[[31mmismatch^[[0m
      ^[[1m--- expected
      +++ actual^[[0m
      ^[[36m@@ -1,1 +1,1 @@^[[0m
      ^[[31m-w 0.5 b 0.2^[[0m
      ^[[32m+w 0.5 b ^[[7m0.3^[[27m^[[0m
      numbers: 2 compared, 1 out of tolerance (50%)
      greatest absolute difference: 0.1 at tests/c_test.c:6:23
      greatest relative difference: 0.5 at tests/c_test.c:6:23
      tolerance: rtol=0 atol=0.01 (|actual - expected| <= atol + rtol * |expected|)

      ^[[31m0 passed, 1 failed^[[0m
      [exit 1]
    */);
    /* --color=auto into a pipe: none, unless FORCE_COLOR asks (and
     * NO_COLOR does not forbid): the lines with an escape, counted. */
    e2e_sh("\"$GALLEY_BIN\" run | grep -c '\033' ; "
           "FORCE_COLOR=1 \"$GALLEY_BIN\" run | grep -c '\033' ; "
           "FORCE_COLOR=1 NO_COLOR=1 \"$GALLEY_BIN\" run | grep -c '\033'; true");
    EXPECT(/*
      0
      7
      0
    */);
    e2e_done();
}

/* Output after the last marker of a test that crashes belongs to no
 * marker: it is shown with the crash, whatever tolerances were in effect,
 * and no marker is rewritten for it (not even one within tolerance). */
TEST(output_before_a_crash_is_shown_not_compared)
{
    e2e_project();
    e2e_write("tests/c_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "#include <stdlib.h>\n"
              "\n"
              "TEST(options, .rtol = 1e-3) {\n"
              "    printf(\"%.4f\\n\", 1.0001);\n"
              "    abort();\n"
              "    EXPECT(/* 1 */);\n"
              "}\n"
              "\n"
              "TEST(call) {\n"
              "    galley_tolerance(1e-2, 0);\n"
              "    printf(\"%.3f\\n\", 2.001);\n"
              "    EXPECT_NEAR(/* 2.001 */);\n"
              "    printf(\"%.3f\\n\", 3.001);\n"
              "    abort();\n"
              "    EXPECT(/* 3 */);\n"
              "}\n"
              "\n"
              "TEST(outside) {\n"
              "    printf(\"%.3f\\n\", 3.5);\n"
              "    abort();\n"
              "    EXPECT(/* 3 */);\n"
              "}\n");
    e2e_galley("run");
    EXPECT(/*
      tests/c_test.c:5: options: crashed (SIGABRT) at tests/c_test.c:7
      unchecked output before it stopped (not promoted):
        1.0001
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=options --galley-no-fork
      tests/c_test.c:8: options: not reached

      tests/c_test.c:14: call: crashed (SIGABRT) at tests/c_test.c:16, after the marker at line 14
      unchecked output before it stopped (not promoted):
        3.001
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=call --galley-no-fork
      tests/c_test.c:17: call: not reached

      tests/c_test.c:20: outside: crashed (SIGABRT) at tests/c_test.c:22
      unchecked output before it stopped (not promoted):
        3.500
      debug it with: gdb --args _galley/bin/tests/c_test --galley-only=outside --galley-no-fork
      tests/c_test.c:23: outside: not reached

      0 passed, 3 failed
      [exit 1]
    */);
    e2e_sh("cp tests/c_test.c before.c");
    e2e_galley("promote");
    e2e_sh("cmp before.c tests/c_test.c && echo unchanged");
    EXPECT(/*
      nothing to promote
      [exit 0]
      unchanged
    */);
    e2e_done();
}
