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

/* The devices a TEST's .devices option names, as bit flags: the values of
 * galley/tensor.h's galley_device (defined once for both headers, so that
 * a test needs no tensor header to name them). */
#ifndef GALLEY__DEVICE_DEFINED
#define GALLEY__DEVICE_DEFINED
typedef enum galley_device { GALLEY_CPU = 1, GALLEY_CUDA = 2 } galley_device;
#endif

/* Options of a test, given by name after its name:
 * TEST(name, .timeout_ms = 2000, .rtol = 1e-6). Fields left out are zero,
 * which means "the default" (the runner's or galley.conf's). An option given
 * by position, TEST(name, 2000), does not compile. From C++ (C++20), name
 * them in the order below. */
typedef struct galley_test_options {
    int timeout_ms;         /* 0: the default, 10000 unless configured */
    double rtol;            /* relative tolerance for numbers; with atol,
                               0 and 0 mean galley.conf's (default 0) */
    double atol;            /* absolute tolerance for numbers */
    const char *filter;     /* a PCRE2 substitution, "s/RE/REPL/g", or a
                               built-in "@pointers", applied to the test's
                               output before comparison; NULL: none */
    const char *inputs;     /* files the test reads, as globs relative to
                               the project root separated by blanks: a
                               change to one reruns the test rather than
                               taking its result from the cache; NULL:
                               none beyond galley.conf's inputs */
    int no_cache;           /* 1: always run, never taken from the cache
                               (a test that reads the clock, the network,
                               or files it does not declare) */
    int merge_stderr;       /* 1: what the test writes to stderr goes into
                               its compared output, in order, as a shell's
                               2>&1 (stdout is line-buffered, stderr not:
                               a line not yet ended waits for its newline);
                               0: stderr apart, shown when the test fails.
                               Not named .stderr: stdio may define stderr
                               as a macro */
    unsigned devices;       /* GALLEY_CPU | GALLEY_CUDA: the body runs once
                               per device named, each run in a process of
                               its own with that device the default one
                               (galley_set_default_device), each compared
                               with the same markers; the CPU's run is the
                               one promote writes. 0: once, as it is. A
                               run on a device this machine lacks is
                               skipped with the reason */
} galley_test_options;

/* The tolerances of one EXPECT_NEAR marker, given by name before its
 * comment: EXPECT_NEAR(.rtol = 1e-6, .atol = 1e-12, / * text * /). A field
 * left out is 0. As for TEST, options by position do not compile. */
typedef struct galley_near_options {
    double rtol;            /* relative tolerance */
    double atol;            /* absolute tolerance */
} galley_near_options;

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
 * the tolerances of options at this marker only. */
void galley_expect_near(const char *file, int line,
                        galley_near_options options);

/* Sets the tolerances for the markers that follow in the running test:
 * numbers in their output match when |actual - expected| <= atol + rtol *
 * |expected|. galley_tolerance(0, 0) makes comparison textual again. It
 * lasts until the test ends or the next call. */
void galley_tolerance(double rtol, double atol);

/* The function behind GALLEY_SKIP: stops the running test at once (its
 * process ends; run with --galley-no-fork, the test function is left) and
 * reports it skipped for reason (NULL: no reason; its first 4096 bytes are
 * kept), at file:line. Markers after it are not reached, and that is no
 * failure. Never returns. */
__attribute__((noreturn)) void galley_skip(const char *file, int line,
                                           const char *reason);

/* ---- behind the macros; nothing here is for tests to use ----
 *
 * Options by name only. C lets an initializer mix names and positions, and
 * converts a double to an int silently: {0, 1e-4} would set timeout_ms = 0.
 * So TEST and EXPECT_NEAR also write their options into a "shape" (never
 * stored: only its size is taken) where two members of a pointer type that
 * no number or string converts to follow the start and every option.
 * An option given by position lands on one of them and fails to compile,
 * with a message that names galley__use_designated_initializers; two, so
 * that a literal 0 (which any pointer takes) cannot let the next one through.
 * The conversions that C compilers only warn about are made errors there. */
typedef struct galley__use_designated_initializers *galley__by_name_only;
#define GALLEY__BY_NAME(n) galley__by_name_only galley__p##n, galley__q##n;

typedef struct galley__shape_of_test {
    galley__by_name_only galley__start;
    GALLEY__BY_NAME(0)
    int timeout_ms;
    GALLEY__BY_NAME(1)
    double rtol;
    GALLEY__BY_NAME(2)
    double atol;
    GALLEY__BY_NAME(3)
    const char *filter;
    GALLEY__BY_NAME(4)
    const char *inputs;
    GALLEY__BY_NAME(5)
    int no_cache;
    GALLEY__BY_NAME(6)
    int merge_stderr;
    GALLEY__BY_NAME(7)
    unsigned devices;
    GALLEY__BY_NAME(8)
} galley__shape_of_test;

typedef struct galley__shape_of_near {
    galley__by_name_only galley__start;
    GALLEY__BY_NAME(0)
    double rtol;
    GALLEY__BY_NAME(1)
    double atol;
    GALLEY__BY_NAME(2)
} galley__shape_of_near;

#ifdef __cplusplus
/* C++20 refuses to mix names and positions (clang++ only warns: made an
 * error here) and warns of the fields that named options leave out. */
#ifdef __clang__
#define GALLEY__STRICT _Pragma("GCC diagnostic error \"-Wc99-designator\"")
#else
#define GALLEY__STRICT
#endif
#define GALLEY__BY_NAME_BEGIN                                                \
    _Pragma("GCC diagnostic push") GALLEY__STRICT                            \
        _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")
#define GALLEY__LITERAL(type) type
#define GALLEY__NULL nullptr
/* Options by name, braced; first: the first field. */
#define GALLEY__NAMED(first, ...) {__VA_ARGS__}
#else
/* A value given by position for a pointer is only a warning in C (before
 * GCC 14): made an error. GALLEY__NAMED names its first field and the
 * options may name it again: no warning, that is what C says it means. */
#define GALLEY__BY_NAME_BEGIN                                                \
    _Pragma("GCC diagnostic push")                                           \
        _Pragma("GCC diagnostic error \"-Wint-conversion\"")                 \
            _Pragma("GCC diagnostic error \"-Wincompatible-pointer-types\"") \
                _Pragma("GCC diagnostic ignored \"-Woverride-init\"")
#define GALLEY__LITERAL(type) (type)
#define GALLEY__NULL 0
/* Options by name, braced; first: the first field, named so that the
 * braces are never empty (C before C23 wants an initializer in them). */
#define GALLEY__NAMED(first, ...) {.first = 0, __VA_ARGS__}
#endif
#define GALLEY__BY_NAME_END _Pragma("GCC diagnostic pop")
/* The size of the shape holding the options: compiles only when each is
 * given by name. */
#define GALLEY__CHECK(shape, ...) \
    sizeof(GALLEY__LITERAL(shape){.galley__start = GALLEY__NULL, __VA_ARGS__})

#define GALLEY_CAT_(a, b) a##b
#define GALLEY_CAT(a, b) GALLEY_CAT_(a, b)

/* TEST(name, options...) { body }: defines and registers a test. The
 * empty argument added spares TEST(name) a pedantic warning (C99 wants one
 * for the "..." of GALLEY__TEST); a trailing comma is fine in braces. */
#define GALLEY_TEST(...) GALLEY__TEST(__VA_ARGS__, )
#define GALLEY__TEST(name, ...)                                              \
    GALLEY__BY_NAME_BEGIN                                                    \
    typedef char GALLEY_CAT(galley__options_of_, name)                       \
        [GALLEY__CHECK(galley__shape_of_test, __VA_ARGS__)];                    \
    static void GALLEY_CAT(galley__fn_, name)(void);                         \
    static galley_test GALLEY_CAT(galley__test_, name) = {                   \
        #name, __FILE__, __LINE__, GALLEY_CAT(galley__fn_, name),           \
        GALLEY__NAMED(timeout_ms, __VA_ARGS__), 0};                          \
    GALLEY__BY_NAME_END                                                      \
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
/* EXPECT_NEAR(.rtol = R, .atol = A, / * text * /): EXPECT with its own
 * tolerances. The comment is gone when the macro sees its arguments. */
#define GALLEY_EXPECT_NEAR(...)                                              \
    do {                                                                     \
        GALLEY__BY_NAME_BEGIN                                                \
        (void)GALLEY__CHECK(galley__shape_of_near, __VA_ARGS__);                \
        galley_expect_near(__FILE__, __LINE__,                               \
                           GALLEY__LITERAL(galley_near_options)              \
                               GALLEY__NAMED(rtol, __VA_ARGS__));            \
        GALLEY__BY_NAME_END                                                  \
    } while (0)

/* EXPECT_UNREACHABLE(): a place the test must not reach, as ppx_expect's
 * [%expect.unreachable]. It passes when never reached; reached, it fails
 * with the output since the previous marker, and promote turns it into an
 * EXPECT of that output. promote turns an EXPECT that a test which
 * returned never reached into this. */
#define GALLEY_EXPECT_UNREACHABLE(...) \
    galley_expect(__FILE__, __LINE__, 0, #__VA_ARGS__)

/* EXPECT_END(/ * text * /): the end of a test that may not return. Written
 * after the test's last statement, it holds the output since the previous
 * marker and, when the test exits or dies of a signal before reaching it,
 * a last line that says how: [exit 3], [signal SIGABRT]. A test that
 * returns reaches it as an EXPECT; one that ends otherwise is compared
 * with it instead of failing, and promote writes its end there. A timeout
 * never matches. */
#define GALLEY_EXPECT_END(...) \
    galley_expect(__FILE__, __LINE__, 0, #__VA_ARGS__)

/* GALLEY_SKIP("reason"): stops the test here and counts it as skipped,
 * with its reason, in every report (no short name: SKIP is a common
 * word in C code, and greatest's). */
#define GALLEY_SKIP(reason) galley_skip(__FILE__, __LINE__, (reason))

#ifndef GALLEY_NO_SHORT_NAMES
#define TEST GALLEY_TEST
#define EXPECT GALLEY_EXPECT
#define EXPECT_EXACT GALLEY_EXPECT_EXACT
#define EXPECT_NEAR GALLEY_EXPECT_NEAR
#define EXPECT_UNREACHABLE GALLEY_EXPECT_UNREACHABLE
#define EXPECT_END GALLEY_EXPECT_END
#endif

#ifdef __cplusplus
}
#endif

#endif
