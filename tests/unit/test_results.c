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
    char *err = S_parse(&r, "galley-results 3\n"
                            "test t 4 tests/a_test.c\n"
                            "hit 6 0 - - 2 tests/a_test.c\n"
                            "x\n\n"
                            "end ok 0 1\n");
    CHECK(err == NULL);
    CHECK_INT(r.n_tests, 1);
    CHECK_STR(r.tests[0].name, "t");
    CHECK_STR(r.tests[0].file, "tests/a_test.c");
    CHECK_INT(r.tests[0].n_hits, 1);
    CHECK_MEM(r.tests[0].hits[0].out, r.tests[0].hits[0].out_len, "x\n", 2);
    CHECK_INT(r.tests[0].end, GALLEY__END_OK);
    galley__results_fini(&r);

    err = S_parse(&r, "galley-results 2\ntest t 4 tests/a_test.c\n");
    CHECK_STR(err, "results of protocol version 2, but this galley reads "
                   "version 3: the program was built by another galley "
                   "(delete _galley/ to rebuild it)");
    CHECK_INT(r.n_tests, 0);
    free(err);
    galley__results_fini(&r);

    err = S_parse(&r, "hello\n");
    CHECK_STR(err, "not a galley results file");
    free(err);
    galley__results_fini(&r);
}
