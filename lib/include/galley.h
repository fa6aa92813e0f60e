/* galley.h: the test-file API of galley, expect tests for C.
 * A test prints what it computes; EXPECT(/ * text * /) after the prints holds
 * the output expected there. See galley(3) for the whole story. */
#ifndef GALLEY_H
#define GALLEY_H

#ifdef __cplusplus
extern "C" {
#endif

/* The version of galley: the one place it is written. The galley command,
 * tools/install.sh (galley.pc) and the man pages read it from here. */
#define GALLEY_VERSION "0.1.0"

/* Options of a test, given as designated initializers after its name:
 * TEST(name, .timeout_ms = 2000). Fields left out are zero, which means
 * "the default" (the runner's or galley.conf's). */
typedef struct galley_test_options {
    int galley__reserved;   /* keeps the initializer list non-empty */
    int timeout_ms;         /* 0: the default, 10000 unless configured */
    double rtol;            /* relative tolerance for numbers; with atol,
                               0 and 0 mean galley.conf's (default 0) */
    double atol;            /* absolute tolerance for numbers */
    const char *filter;     /* a PCRE2 substitution, "s/RE/REPL/g", or a
                               built-in "@pointers", applied to the test's
                               output before comparison; NULL: none */
} galley_test_options;

/* A registered test. Made by TEST; not touched by user code. */
typedef struct galley_test {
    const char *name;
    const char *file;
    int line;
    void (*fn)(void);
    galley_test_options options;
    struct galley_test *next;
} galley_test;

/* Adds t to the program's list of tests. Called by TEST's constructor before
 * main; t must outlive the program (TEST makes it static). */
void galley_register(galley_test *t);

/* The marker behind EXPECT and EXPECT_EXACT: flushes stdio and records the
 * position in the captured output together with file and line. The expected
 * text itself is read from the source by the runner. args is the marker's
 * argument list as text: after preprocessing a comment is empty, so anything
 * else is reported as a misuse. */
void galley_expect(const char *file, int line, int exact, const char *args);

/* The marker behind EXPECT_NEAR: as galley_expect, comparing numbers with
 * the tolerances rtol and atol at this marker only. */
void galley_expect_near(const char *file, int line, double rtol, double atol,
                        const char *args);

/* Sets the tolerances for the markers that follow in the running test:
 * numbers in their output match when |actual - expected| <= atol + rtol *
 * |expected|. galley_tolerance(0, 0) makes comparison textual again. It
 * lasts until the test ends or the next call. */
void galley_tolerance(double rtol, double atol);

#define GALLEY_CAT_(a, b) a##b
#define GALLEY_CAT(a, b) GALLEY_CAT_(a, b)

/* TEST(name, options...) { body }: defines and registers a test. */
#define GALLEY_TEST(name, ...)                                               \
    static void GALLEY_CAT(galley__fn_, name)(void);                         \
    static galley_test GALLEY_CAT(galley__test_, name) = {                   \
        #name, __FILE__, __LINE__, GALLEY_CAT(galley__fn_, name),           \
        {0, __VA_ARGS__}, 0};                                                \
    __attribute__((constructor)) static void GALLEY_CAT(galley__reg_, name)( \
        void)                                                                \
    {                                                                        \
        galley_register(&GALLEY_CAT(galley__test_, name));                  \
    }                                                                        \
    static void GALLEY_CAT(galley__fn_, name)(void)

/* EXPECT(/ * text * /): the output since the previous marker must be text,
 * after normalization (blank edges, trailing spaces, common indent). */
#define GALLEY_EXPECT(...) galley_expect(__FILE__, __LINE__, 0, #__VA_ARGS__)
/* EXPECT_EXACT(/ * text * /): the same, compared byte for byte. */
#define GALLEY_EXPECT_EXACT(...) \
    galley_expect(__FILE__, __LINE__, 1, #__VA_ARGS__)
/* EXPECT_NEAR(rtol, atol, / * text * /): EXPECT with its own tolerances. */
#define GALLEY_EXPECT_NEAR(rtol, atol, ...) \
    galley_expect_near(__FILE__, __LINE__, (rtol), (atol), #__VA_ARGS__)

#ifndef GALLEY_NO_SHORT_NAMES
#define TEST GALLEY_TEST
#define EXPECT GALLEY_EXPECT
#define EXPECT_EXACT GALLEY_EXPECT_EXACT
#define EXPECT_NEAR GALLEY_EXPECT_NEAR
#endif

#ifdef __cplusplus
}
#endif

#endif
