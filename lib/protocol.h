/* protocol.h: the results a test program sends the runner, the one
 * interface between libgalley (lib/proto.c writes it) and galley run
 * (runner/results.c reads it). Both sides include this header; a change to
 * the format changes GALLEY__RESULTS_VERSION, and the runner refuses
 * results of another version with a message (a test program built by
 * another galley) instead of misreading them.
 *
 * The runner starts a program with --galley-results-fd=N (or
 * --galley-results=PATH) and reads the file once the program has ended.
 * Headers are lines of text; every payload (output, stderr, a filter) is
 * counted in bytes and followed by a newline, so that output is never
 * parsed. The records, in the order a test writes them:
 *
 *   galley-results VERSION    the first line of the file
 *
 *   test NAME LINE FILE       a test starts: its name, the line of its
 *                             TEST and the file it is written in, as its
 *                             __FILE__ spells it (root-relative)
 *   device WORD               the run of a test with .devices that this
 *                             is: cpu or cuda (one "test" record per
 *                             run, in the order of the bits, the runs of
 *                             a test one after the other)
 *   filter LEN                the test's .filter option, when it has one
 *   <LEN bytes>
 *   inputs LEN                the test's .inputs option, when it has one:
 *   <LEN bytes>               globs of the files it reads (the runner's
 *                             result cache checks them)
 *   nocache                   the test has .no_cache set: its result is
 *                             never taken from the cache
 *   hit LINE EXACT RTOL ATOL LEN FILE
 *   <LEN bytes>               the first time the marker at FILE:LINE was
 *                             reached, with the output since the previous
 *                             marker; EXACT 1 for EXPECT_EXACT; RTOL and
 *                             ATOL the tolerances that applied there, as C99
 *                             hex floats, or "- -" for galley.conf's
 *   vary LINE PASS LEN FILE   a later pass (PASS, counted from 1) of that
 *   <LEN bytes>               marker saw other output: the first such only
 *   misuse LINE FILE          EXPECT was given something other than a
 *                             comment
 *   trailing RTOL ATOL LEN    output after the last marker, with the
 *   <LEN bytes>               tolerances in effect at the end
 *   stderr LEN                what the test wrote to descriptor 2, at most
 *   <LEN bytes>               GALLEY__STDERR_MAX bytes and a note (with
 *                             .merge_stderr it is in the output instead)
 *   truncated LIMIT           its output passed LIMIT bytes and was cut
 *   crash OFF...              where a test that a signal killed was: up to
 *                             GALLEY__CRASH_FRAMES hex offsets into the
 *                             program's file (for addr2line), innermost
 *                             first
 *   last LINE FILE            the marker a test that did not return
 *                             reached last
 *   skip LINE LEN FILE        the test called GALLEY_SKIP at FILE:LINE
 *   <LEN bytes>               with this reason (empty: none); its end
 *                             is then "skip"
 *   leak BYTES LEN            the test's tensors still held BYTES of
 *   <LEN bytes>               device memory when it returned; the payload
 *                             names the op that made the first of them
 *                             (empty: unknown)
 *   end STATUS VALUE MS       how it ended: STATUS ok, exit (VALUE: the
 *                             status), signal (VALUE: its number),
 *                             timeout (VALUE: the limit in ms) or skip
 *                             (VALUE 0: it called GALLEY_SKIP); MS: its
 *                             run time
 *
 * FILE is the rest of its line (it may hold spaces, never a newline).
 * Every record of a test comes between its "test" and "end" lines; a
 * program that dies leaves its last test without "end", which the runner
 * reports. */
#ifndef GALLEY_PROTOCOL_H
#define GALLEY_PROTOCOL_H

/* The version this galley writes and reads. */
#define GALLEY__RESULTS_VERSION 6

/* The first word of a results file, before the version. */
#define GALLEY__RESULTS_MAGIC "galley-results"

/* How a test ended: the STATUS of an "end" record. */
typedef enum galley__end_kind {
    GALLEY__END_MISSING, /* no "end" record (the reader's): the program
                            died while the test ran */
    GALLEY__END_OK,      /* ok: the test function returned */
    GALLEY__END_EXIT,    /* exit: VALUE is the status it passed to exit */
    GALLEY__END_SIGNAL,  /* signal: VALUE is the signal that killed it */
    GALLEY__END_TIMEOUT, /* timeout: VALUE is the time limit in ms */
    GALLEY__END_SKIP,    /* skip: the test called GALLEY_SKIP (a "skip"
                            record says where and why); VALUE is 0 */
} galley__end_kind;

/* The word of a "device" record for device bit d (galley.h's
 * galley_device): "cpu", "cuda", or NULL for none. */
static inline const char *galley__device_word(unsigned d)
{
    return d == 1 ? "cpu" : d == 2 ? "cuda" : NULL;
}

/* The most stack frames a crash record holds. */
#define GALLEY__CRASH_FRAMES 16

#endif
