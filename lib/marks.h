/* marks.h: the record galley_expect writes to the marks file at each
 * marker a test reaches, and the supervisor's reader that turns a finished
 * test's marks and captured stdout into hit, vary, misuse and trailing
 * events. */
#ifndef GALLEY_MARKS_H
#define GALLEY_MARKS_H

#include <stdint.h>

#include "capture.h"
#include "protocol.h"
#include "sink.h"

enum {
    GALLEY__MARK_FILE = 1, /* names the file of the records after it: the
                              name follows, line holds its length */
    GALLEY__MARK_HIT,      /* a marker was reached; offset: stdout size */
    GALLEY__MARK_MISUSE,   /* EXPECT was given something, not a comment */
    GALLEY__MARK_DONE,     /* the test function returned */
    GALLEY__MARK_TOL,      /* the tolerances of the hits after it: exact
                              holds 1 if set (else galley.conf's apply),
                              2 for those of the next hit only
                              (EXPECT_NEAR); two doubles (rtol, atol)
                              follow */
    GALLEY__MARK_CRASH,    /* the test died of a signal: line holds how
                              many int64 offsets into the program's file
                              follow (the stack, innermost first) */
    GALLEY__MARK_SKIP,     /* GALLEY_SKIP was called at line (of the file
                              named last); offset holds the length of its
                              reason, whose bytes follow */
    GALLEY__MARK_LEAK,     /* the test returned with device memory
                              held: offset holds the bytes, line the
                              length of the op name that follows */
};

/* The longest file name a FILE record carries; longer ones are cut. */
#define GALLEY__MARK_NAME_MAX 4096

/* One record, 16 bytes. A file is named once and not per hit, so a marker
 * in a loop costs 16 bytes of marks file per iteration. Both ends are the
 * same program, so the layout needs no care for byte order. */
typedef struct galley__mark {
    int64_t offset;
    int32_t line;
    uint8_t kind;
    uint8_t exact;
    uint8_t pad[2];
} galley__mark;

/* Reads the marks of the test t that just ended from c and emits through s
 * the first hit of each marker, the first later hit whose output differs
 * (vary), each misused marker once, where it crashed (crash), the marker
 * reached last when the test did not return (last), and the output after
 * the last hit (trailing, only when not empty). Reads at most cap bytes of stdout; that
 * and 64 KiB is all the memory it takes, however many hits there were.
 * Device memory left held goes out as a leak event.
 * Returns GALLEY__MARKS_RETURNED when the test reported that its function
 * returned, GALLEY__MARKS_SKIPPED when it called GALLEY_SKIP (then a skip
 * event was sent), else 0. */
enum { GALLEY__MARKS_RETURNED = 1, GALLEY__MARKS_SKIPPED = 2 };
int galley__marks_emit(const galley__capture *c, long cap,
                       const galley_test *t, const galley__sink *s);

#endif
