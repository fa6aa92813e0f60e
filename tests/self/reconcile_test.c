/* reconcile_test.c: the tolerant comparison, tested with galley: each case
 * prints whether expected and actual match, the merged text (what promote
 * would write) and what the numbers' report found. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <git2.h>
#include <string.h>

#include "reconcile.h"

static galley__patterns *patterns;

static void check(const char *exp, const char *act, double rtol, double atol)
{
    galley__buf merged;
    galley__num_report rep;
    char *err = NULL;
    size_t err_line = 0;
    galley__reconcile_opts o = {.rtol = rtol, .atol = atol,
                               .patterns = patterns};
    galley__buf_init(&merged);
    memset(&rep, 0, sizeof rep);
    if (!patterns) {
        git_libgit2_init(); /* the diff engine wants it, as in galley */
        o.patterns = patterns = galley__patterns_new();
    }
    int rc = galley__reconcile(&merged, exp, strlen(exp), act, strlen(act),
                              &o, &rep, &err, &err_line);
    if (rc < 0)
        printf("error on line %zu: %s\n", err_line, err);
    else
        printf("%s [%s] compared %zu, out %zu, max abs %g at %zu:%zu\n",
               rc ? "pass" : "FAIL", merged.ptr ? merged.ptr : "",
               rep.compared, rep.out, rep.max_abs, rep.abs_line, rep.abs_col);
    for (size_t i = 0; i < rep.n_spans; i++)
        printf("  out of tolerance: line %zu col %zu len %zu\n",
               rep.spans[i].line, rep.spans[i].col, rep.spans[i].len);
    free(err);
    galley__num_report_fini(&rep);
    galley__buf_fini(&merged);
}

TEST(numbers_within_and_out_of_tolerance)
{
    check("x = 1.0001, y = 2", "x = 1.0002, y = 2", 1e-3, 0);
    check("x = 1.0001, y = 2", "x = 1.0002, y = 3", 1e-3, 0);
    check("a 1 2 3", "a 1 2", 1e-3, 0);
    check("v1.2.3 0x1f 2024-01-02", "v1.2.4 0x1f 2024-01-02", 1, 1);
    check("nan inf -0", "-nan inf 0", 1e-9, 0);
    check("inf", "-inf", 1e-9, 0);
    EXPECT(/*
      pass [x = 1.0001, y = 2] compared 2, out 0, max abs 0.0001 at 0:4
      FAIL [x = 1.0001, y = 3] compared 2, out 1, max abs 1 at 0:16
        out of tolerance: line 0 col 16 len 1
      FAIL [a 1 2] compared 0, out 0, max abs 0 at 0:0
      FAIL [v1.2.4 0x1f 2024-01-02] compared 0, out 0, max abs 0 at 0:0
      pass [nan inf -0] compared 3, out 0, max abs 0 at 0:0
      FAIL [-inf] compared 1, out 1, max abs inf at 0:0
        out of tolerance: line 0 col 0 len 4
    */);
}

TEST(lines_align_around_inserted_and_removed_lines)
{
    check("head\n1.0 a\n2.0 b\ntail", "head\n1.00001 a\nnew 5\n2.00001 b\ntail",
          1e-3, 0);
    check("one 1\ntwo 2\nthree 3", "one 1.0001\nthree 3.0001", 1e-3, 0);
    EXPECT(/*
      FAIL [head
      1.0 a
      new 5
      2.0 b
      tail] compared 2, out 0, max abs 1e-05 at 1:0
      FAIL [one 1
      three 3] compared 2, out 0, max abs 0.0001 at 2:6
    */);
}

TEST(pattern_lines)
{
    check("id: \\d+ (re)\nname: g*y (glob)", "id: 42\nname: galley", 0, 0);
    check("id: \\d+ (re)\nname: g*y (glob)", "id: x42\nname: galley", 0, 0);
    check("bad: ( (re)", "bad: (", 0, 0);
    EXPECT(/*
      pass [id: \\d+ (re) (esc)
      name: g*y (glob)] compared 0, out 0, max abs 0 at 0:0
      FAIL [id: x42
      name: g*y (glob)] compared 0, out 0, max abs 0 at 0:0
      error on line 0: bad (re) pattern: missing closing parenthesis at offset 6
    */);
}
