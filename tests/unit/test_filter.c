/* test_filter.c: unit tests of output filters: parsing s/REGEX/REPL/FLAGS
 * specs and their errors, each @built-in on sample lines, filters applied
 * in order, match-time errors, and a filter over a megabyte of output. */
#include <stdlib.h>
#include <string.h>

#include "../../runner/filter.h"
#include "harness.h"

#define N(a) (sizeof a / sizeof *a)

/* A filter spec, an input, and the output (NULL: the spec is refused with
 * a message that holds err). */
typedef struct filter_case {
    const char *spec;
    const char *in;
    const char *want;
    const char *err;
} filter_case;

static const filter_case parse_cases[] = {
    {"s/a/b/", "aaa", "baa", NULL},
    {"s/a/b/g", "aaa", "bbb", NULL},
    {"s/a/b/gg", "aaa", "bbb", NULL},
    {"s|/usr/lib|LIB|g", "x /usr/lib/y", "x LIB/y", NULL},
    {"s#a\\#b#X#", "a#b", "X", NULL},
    {"s/a\\/b/X/", "a/b", "X", NULL},
    {"s,x,\\,,g", "axbx", "a,b,", NULL},
    {"s/\\d+/N/g", "a1b22", "aNbN", NULL},
    {"s/\\\\/BS/g", "a\\b", "aBSb", NULL},
    {"s/A/b/gi", "aA", "bb", NULL},
    {"s/A/b/g", "aA", "ab", NULL},
    {"s/a b/X/x", "ab a b", "X a b", NULL},
    {"s/(\\w+)=(\\w+)/$2=$1/", "k=v", "v=k", NULL},
    {"s/(\\w+)/<${1}>/g", "ab cd", "<ab> <cd>", NULL},
    {"s/(?<key>\\w+):/${key} ->/", "k: v", "k -> v", NULL},
    {"s/^/> /g", "a\nb\n", "> a\n> b\n", NULL},
    {"s/x$/Y/g", "ax\nbx\n", "aY\nbY\n", NULL},
    {"s/a/\\t/", "a", "\t", NULL},
    {"s/a/$$/", "a", "$", NULL},
    {"s/z/Z/g", "no match", "no match", NULL},
    {"s/./X/g", "\xc3\xa9\xff", "X\xff", NULL},
    {"s/b/B/g", "\xff" "b\xc3", "\xff" "B\xc3", NULL},
    {"", NULL, NULL, "expected s/REGEX/REPLACEMENT/FLAGS or @NAME"},
    {"s", NULL, NULL, "expected s/REGEX/REPLACEMENT/FLAGS or @NAME"},
    {"x/a/b/", NULL, NULL, "expected s/REGEX/REPLACEMENT/FLAGS or @NAME"},
    {"sa/b/c/", NULL, NULL, "must be a punctuation delimiter"},
    {"s a b ", NULL, NULL, "must be a punctuation delimiter"},
    {"s\\a\\b\\", NULL, NULL, "must be a punctuation delimiter"},
    {"s/a", NULL, NULL, "missing the '/' that ends the regex"},
    {"s/a\\/", NULL, NULL, "missing the '/' that ends the regex"},
    {"s/a/b", NULL, NULL, "missing the '/' that ends the replacement"},
    {"s|a|b", NULL, NULL, "missing the '|' that ends the replacement"},
    {"s/a/b/q", NULL, NULL, "unknown flag 'q' (flags are g, i and x)"},
    {"s/a/b/g/", NULL, NULL, "unknown flag '/'"},
    {"s//b/", NULL, NULL, "the regex is empty"},
    {"s/(a/b/", NULL, NULL,
     "filter 's/(a/b/': bad regex: missing closing parenthesis at offset 2"},
    {"s/a{2,1}/b/", NULL, NULL, "bad regex: "},
    {"@nope", NULL, NULL,
     "unknown filter '@nope' (built-ins: @pointers, @tmpdirs, "
     "@durations, @timestamps, @pids)"},
    {"@", NULL, NULL, "built-ins: @pointers"},
};

static const filter_case builtin_cases[] = {
    {"@pointers", "at 0x7ffd5e8c1a20 and 0x55d0c0ffee00.",
     "at 0xPTR and 0xPTR.", NULL},
    {"@pointers", "p=(nil) q=0x1f r=0x12345 s=0x123456",
     "p=(nil) q=0x1f r=0x12345 s=0xPTR", NULL},
    {"@pointers", "0xABCDEF12 x0x1234567 0x12345678901234567",
     "0xPTR x0x1234567 0x12345678901234567", NULL},
    {"@pointers", "\xff 0x12345678 \xc3", "\xff 0xPTR \xc3", NULL},
    {"@tmpdirs", "/tmp/galley-e2e-Ab12/x/y.c:3: error",
     "$TMPDIR/x/y.c:3: error", NULL},
    {"@tmpdirs", "see /var/tmp/abc/d and '/tmp/q' or \"/tmp/r\"",
     "see $TMPDIR/d and '$TMPDIR' or \"$TMPDIR\"", NULL},
    {"@tmpdirs", "/home/u/tmp/x /tmp /tmpfoo/x /private/tmp/y",
     "/home/u/tmp/x /tmp /tmpfoo/x /private/tmp/y", NULL},
    {"@tmpdirs", "a\n/tmp/x/1\n/tmp/y/2\n", "a\n$TMPDIR/1\n$TMPDIR/2\n", NULL},
    {"@durations", "took 12.5 ms", "took DURATION", NULL},
    {"@durations", "3s, 5\xc2\xb5s, 7 seconds, 1h, 2 min, 10 m.",
     "DURATION, DURATION, DURATION, DURATION, DURATION, DURATION.", NULL},
    {"@durations", "4ns 5us 6 sec 7 secs 8 minutes",
     "DURATION DURATION DURATION DURATION DURATION", NULL},
    {"@durations", "v3ms 12 msec 3 sheep 1.2.3s 100% x2s",
     "v3ms 12 msec 3 sheep 1.2.3s 100% x2s", NULL},
    {"@durations", "took\n5 ms\n", "took\nDURATION\n", NULL},
    {"@timestamps", "at 2024-01-02T03:04:05Z ok", "at TIMESTAMP ok", NULL},
    {"@timestamps", "2024-01-02 03:04:05.123+01:00|2024-01-02T03:04:05-0500",
     "TIMESTAMP|TIMESTAMP", NULL},
    {"@timestamps", "2024-01-02T03:04:05.123456", "TIMESTAMP", NULL},
    {"@timestamps", "2024-01-02 and 12024-01-02T03:04:05 and 03:04:05",
     "2024-01-02 and 12024-01-02T03:04:05 and 03:04:05", NULL},
    {"@pids", "pid 1234, PID=42, pid: 7, Pid\t9",
     "pid PID, PID=PID, pid: PID, Pid\tPID", NULL},
    {"@pids", "child (pid=99) exited", "child (pid=PID) exited", NULL},
    {"@pids", "ppid 5 pids 3 pid x pid 12ab getpid 4",
     "ppid 5 pids 3 pid x pid 12ab getpid 4", NULL},
};

/* Adds c's filter to a fresh list and checks what it does to c->in, or
 * that it is refused with the right message and leaves the list alone. */
static void S_case(const filter_case *c)
{
    galley__filters fs = {0};
    galley__buf out;
    char *err = NULL;
    galley__buf_init(&out);
    unit_context(c->spec);
    int rc = galley__filters_add(&fs, c->spec, &err);
    if (c->want) {
        CHECK_INT(rc, 0);
        CHECK_INT(galley__filters_apply(&fs, c->in, strlen(c->in), &out, &err),
                  0);
        CHECK_STR(out.ptr, c->want);
        CHECK(err == NULL);
    } else {
        CHECK_INT(rc, -1);
        CHECK(err && strstr(err, c->err));
        CHECK(fs.n == 0 && fs.v == NULL);
    }
    free(err);
    galley__buf_fini(&out);
    galley__filters_fini(&fs);
}

static void S_parse(void)
{
    for (size_t i = 0; i < N(parse_cases); i++)
        S_case(&parse_cases[i]);
    unit_context(NULL);
}

/* The built-ins, with $TMPDIR unset and then set to a path that holds
 * regex metacharacters (it must be taken literally). */
static void S_builtins(void)
{
    char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    unsetenv("TMPDIR");
    for (size_t i = 0; i < N(builtin_cases); i++)
        S_case(&builtin_cases[i]);
    setenv("TMPDIR", "/s.x+/", 1);
    static const filter_case c = {
        "@tmpdirs", "/s.x+/r1/f /sAxx/r2/f /s.x+ /tmp/a/b",
        "$TMPDIR/f /sAxx/r2/f /s.x+ $TMPDIR/b", NULL};
    S_case(&c);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    unit_context(NULL);
}

/* Adds every spec in specs to fs, checking each is accepted. */
static void S_add_all(galley__filters *fs, const char *const *specs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *err = NULL;
        unit_context(specs[i]);
        CHECK_INT(galley__filters_add(fs, specs[i], &err), 0);
        CHECK(err == NULL);
        free(err);
    }
    unit_context(NULL);
}

/* Returns text filtered by specs, as a heap string (the caller frees). */
static char *S_filter(const char *const *specs, size_t n, const char *text)
{
    galley__filters fs = {0};
    galley__buf out;
    char *err = NULL;
    galley__buf_init(&out);
    S_add_all(&fs, specs, n);
    CHECK_INT(galley__filters_apply(&fs, text, strlen(text), &out, &err), 0);
    free(err);
    galley__filters_fini(&fs);
    return galley__buf_detach(&out, NULL);
}

/* Each filter runs on the previous one's result. */
static void S_order(void)
{
    static const char *const ab[] = {"s/a/b/g", "s/b/c/g"};
    static const char *const ba[] = {"s/b/c/g", "s/a/b/g"};
    static const char *const none[] = {NULL};
    char *s = S_filter(ab, 2, "ab");
    CHECK_STR(s, "cc");
    free(s);
    s = S_filter(ba, 2, "ab");
    CHECK_STR(s, "bc");
    free(s);
    s = S_filter(none, 0, "as is\n");
    CHECK_STR(s, "as is\n");
    free(s);
}

/* apply appends to out; a failure at match time leaves the text unfiltered
 * there and names the filter. */
static void S_apply_errors(void)
{
    static const char *const specs[] = {"s/a/b/g", "s/b/$9/"};
    galley__filters fs = {0};
    galley__buf out;
    char *err = NULL;
    galley__buf_init(&out);
    galley__buf_puts(&out, "<");
    S_add_all(&fs, specs, 1);
    CHECK_INT(galley__filters_apply(&fs, "aa", 2, &out, &err), 0);
    CHECK_STR(out.ptr, "<bb");
    S_add_all(&fs, specs + 1, 1);
    CHECK_INT(galley__filters_apply(&fs, "aa", 2, &out, &err), -1);
    CHECK_STR(out.ptr, "<bbaa");
    CHECK(err && strstr(err, "filter 's/b/$9/': "));
    free(err);
    galley__buf_fini(&out);
    galley__filters_fini(&fs);
}

/* Returns a line of generated output (heap) for i, raw or as the built-ins
 * leave it. */
static char *S_line(int i, int filtered)
{
    if (filtered)
        return galley__xasprintf("#%d obj 0xPTR in $TMPDIR/f%d.c took DURATION"
                                 " at TIMESTAMP (pid=PID)\n",
                                 i, i % 7);
    return galley__xasprintf("#%d obj 0x7ffd%08x in /tmp/run-%d/f%d.c took "
                             "%d.%d ms at 2024-05-%02dT10:11:%02d.%03dZ "
                             "(pid=%d)\n",
                             i, (unsigned)i * 2654435761u, i % 13, i % 7,
                             i % 500, i % 10, 1 + i % 28, i % 60, i % 1000,
                             1000 + i);
}

/* Every built-in and a user filter over a megabyte of output. */
static void S_megabyte(void)
{
    static const char *const specs[] = {"@pointers", "@tmpdirs", "@durations",
                                        "@timestamps", "@pids",
                                        "s/^#(\\d+) /[$1] /g"};
    galley__buf in, want;
    galley__buf_init(&in);
    galley__buf_init(&want);
    for (int i = 0; in.len < 1 << 20; i++) {
        char *raw = S_line(i, 0), *f = S_line(i, 1);
        galley__buf_puts(&in, raw);
        galley__buf_printf(&want, "[%d] %s", i, strchr(f, ' ') + 1);
        free(raw);
        free(f);
    }
    char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    unsetenv("TMPDIR");
    char *got = S_filter(specs, N(specs), in.ptr);
    CHECK_MEM(got, strlen(got), want.ptr, want.len);
    if (saved)
        setenv("TMPDIR", saved, 1);
    free(saved);
    free(got);
    galley__buf_fini(&in);
    galley__buf_fini(&want);
}

void test_filter(void)
{
    S_parse();
    S_builtins();
    S_order();
    S_apply_errors();
    S_megabyte();
}
