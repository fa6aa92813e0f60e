/* test_results.c: unit tests of the results reader: a file of this
 * protocol version is read record by record; one of another version, or
 * no results file at all, is refused with a message that says which. */
#include <stdlib.h>
#include <string.h>

#include "../../runner/results.h"
#include "../../source/util.h"
#include "harness.h"

/* Parses text; returns the error (heap) or NULL, and fills r. */
static char *S_parse(galley__results *r, const char *text)
{
    char *err = NULL;
    galley__results_parse(r, galley__xstrdup(text), strlen(text), &err);
    return err;
}

void test_results(void)
{
    galley__results r;
    static const char t1[] = "test t 4 tests/a_test.c\n"
                             "inputs 12\ndata/*.csv x\n"
                             "hit 6 0 - - 2 tests/a_test.c\n"
                             "x\n\n"
                             "end ok 0 1\n";
    static const char t2[] = "test u 9 tests/a_test.c\n"
                             "device cuda\n"
                             "nocache\n"
                             "leak 4096 13\n"
                             "galley_matmul\n"
                             "end exit 3 0\n";
    static const char t3[] = "test s 12 tests/a_test.c\n"
                             "skip 14 6 tests/b.h\n"
                             "no GPU\n"
                             "end skip 0 1\n";
    size_t head = strlen("galley-results 6\n");
    char *text = galley__xasprintf("galley-results 6\n%s%s%s", t1, t2, t3);
    char *err = S_parse(&r, text);
    CHECK(err == NULL);
    CHECK_INT(r.n_tests, 3);
    if (r.n_tests == 3) {
        CHECK_STR(r.tests[0].name, "t");
        CHECK_STR(r.tests[0].file, "tests/a_test.c");
        CHECK_INT(r.tests[0].n_hits, 1);
        CHECK_MEM(r.tests[0].hits[0].out, r.tests[0].hits[0].out_len, "x\n",
                  2);
        CHECK_INT(r.tests[0].end, GALLEY__END_OK);
        CHECK_STR(r.tests[0].inputs, "data/*.csv x");
        CHECK_INT(r.tests[0].no_cache, 0);
        /* Each test's records, as the cache keeps them. */
        CHECK_INT(r.tests[0].rec_at, head);
        CHECK_INT(r.tests[0].rec_end, head + strlen(t1));
        CHECK_INT(r.tests[1].rec_at, head + strlen(t1));
        CHECK_INT(r.tests[1].rec_end, head + strlen(t1) + strlen(t2));
        CHECK(r.tests[1].inputs == NULL);
        CHECK_INT(r.tests[1].no_cache, 1);
        /* A device run, and the memory it left held. */
        CHECK_INT(r.tests[0].device, 0);
        CHECK_INT(r.tests[1].device, 2);
        CHECK_INT(r.tests[1].leak, 4096);
        CHECK_STR(r.tests[1].leak_op, "galley_matmul");
        CHECK_INT(r.tests[1].end, GALLEY__END_EXIT);
        CHECK(galley__result_ended(&r.tests[1]));
        /* GALLEY_SKIP: where, why, and the end it gives. */
        CHECK_INT(r.tests[2].end, GALLEY__END_SKIP);
        CHECK_STR(r.tests[2].skip_file, "tests/b.h");
        CHECK_INT(r.tests[2].skip_line, 14);
        CHECK_MEM(r.tests[2].skip_reason, r.tests[2].skip_len, "no GPU", 6);
    }
    galley__results_fini(&r);
    free(text);

    /* A test without its "end" did not finish. */
    err = S_parse(&r, "galley-results 6\ntest t 4 tests/a_test.c\n");
    CHECK(err == NULL);
    CHECK(r.n_tests == 1 && !galley__result_ended(&r.tests[0]));
    galley__results_fini(&r);

    err = S_parse(&r, "galley-results 4\ntest t 4 tests/a_test.c\n");
    CHECK_STR(err, "results of protocol version 4, but this galley reads "
                   "version 6: the program was built by another galley "
                   "(delete _galley/ to rebuild it)");
    CHECK_INT(r.n_tests, 0);
    free(err);
    galley__results_fini(&r);

    err = S_parse(&r, "hello\n");
    CHECK_STR(err, "not a galley results file");
    free(err);
    galley__results_fini(&r);
}
