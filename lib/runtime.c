/* runtime.c: the main() of every test program. Tests register themselves
 * before main; main reads the command line and runs each test in a process
 * of its own, reporting to the runner's results file or, run by hand, as a
 * transcript on stdout. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "alloc.h"
#include "capture.h"
#include "child.h"
#include "galley.h"
#include "marks.h"
#include "proto.h"
#include "sink.h"
#include "supervise.h"
#include "transcript.h"

/* The tests in the order they registered, which with gcc is the order of
 * definition within a file. Global because TEST's constructors run before
 * main and have nowhere else to put them. */
static galley_test *S_head;
static galley_test **S_tail = &S_head;

void galley_register(galley_test *t)
{
    t->next = NULL;
    *S_tail = t;
    S_tail = &t->next;
}

/* ---- the command line ---- */

typedef struct S_opts {
    const char *results; /* --galley-results: protocol mode */
    int results_fd;      /* --galley-results-fd: the same, to a descriptor
                            (-1: none) */
    const char **only;   /* --galley-only names (into argv), or none */
    size_t n_only;
    int timeout_ms;      /* for tests whose .timeout_ms is 0 */
    long cap;            /* most bytes of stdout kept per test */
    int list;            /* --galley-list */
    long part, parts;    /* --galley-part=K/N: run the K-th of N equal
                            slices of the selected tests (0-based K) */
    int no_fork;         /* --galley-no-fork: for a debugger */
} S_opts;

static const char S_usage[] =
    "usage: %s [OPTION...]\n"
    "Runs the galley tests in this program. With no option it runs them all\n"
    "and shows what each printed at each EXPECT and how it ended; `galley\n"
    "run` compares that output with the expectations.\n"
    "  --galley-list               list the tests: NAME LINE FILE\n"
    "  --galley-only=NAME          run only this test (repeatable)\n"
    "  --galley-timeout=MS         time limit of tests without .timeout_ms\n"
    "                              (default 10000)\n"
    "  --galley-output-limit=BYTES most stdout kept per test (default "
    "16777216)\n"
    "  --galley-part=K/N           run only the K-th of N slices of the\n"
    "                              tests (K from 1), in their order\n"
    "  --galley-no-fork            run the tests in this process, output\n"
    "                              not captured (for a debugger: gdb --args\n"
    "                              PROGRAM --galley-only=NAME "
    "--galley-no-fork)\n"
    "  --galley-results=PATH       write results for the runner to PATH\n"
    "  --galley-results-fd=N       ... or to descriptor N\n";

/* Parses a positive number no greater than max; returns it, or -1. */
static long S_number(const char *s, long max)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (!isdigit((unsigned char)*s) || errno || *end || n <= 0 || n > max)
        return -1;
    return n;
}

/* If arg is --NAME=VALUE, returns VALUE, else NULL. */
static const char *S_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* Reads K/N (1 <= K <= N) into o. Returns 0, or -1 if malformed. */
static int S_part(S_opts *o, const char *v)
{
    const char *slash = strchr(v, '/');
    char k[24];
    if (!slash || (size_t)(slash - v) >= sizeof k)
        return -1;
    memcpy(k, v, (size_t)(slash - v));
    k[slash - v] = '\0';
    o->part = S_number(k, INT_MAX);
    o->parts = S_number(slash + 1, INT_MAX);
    if (o->part < 1 || o->parts < 1 || o->part > o->parts)
        return -1;
    o->part--;
    return 0;
}

/* Reads one argument into o. Returns 0, or -1 if it is not understood. */
static int S_arg(S_opts *o, const char *arg)
{
    const char *v;
    if (!strcmp(arg, "--galley-list")) {
        o->list = 1;
    } else if (!strcmp(arg, "--galley-no-fork")) {
        o->no_fork = 1;
    } else if ((v = S_value(arg, "--galley-results")) && *v) {
        o->results = v;
    } else if ((v = S_value(arg, "--galley-results-fd"))) {
        long fd = S_number(v, INT_MAX);
        if (fd < 3)
            return -1;
        o->results_fd = (int)fd;
        o->results = v;
    } else if ((v = S_value(arg, "--galley-only")) && *v) {
        o->only = galley__rt_xrealloc(o->only,
                                      (o->n_only + 1) * sizeof *o->only);
        o->only[o->n_only++] = v;
    } else if ((v = S_value(arg, "--galley-timeout"))) {
        o->timeout_ms = (int)S_number(v, INT_MAX);
        return o->timeout_ms > 0 ? 0 : -1;
    } else if ((v = S_value(arg, "--galley-output-limit"))) {
        o->cap = S_number(v, LONG_MAX);
        return o->cap > 0 ? 0 : -1;
    } else if ((v = S_value(arg, "--galley-part"))) {
        return S_part(o, v);
    } else {
        return -1;
    }
    return 0;
}

/* Whether the options select test t. */
static int S_selected(const S_opts *o, const galley_test *t)
{
    for (size_t i = 0; i < o->n_only; i++)
        if (!strcmp(o->only[i], t->name))
            return 1;
    return o->n_only == 0;
}

/* Checks that every --galley-only name is a test. Returns 0, or 2 (the
 * exit status) after saying which is not. */
static int S_check_only(const S_opts *o, const char *prog)
{
    for (size_t i = 0; i < o->n_only; i++) {
        const galley_test *t = S_head;
        while (t && strcmp(t->name, o->only[i]) != 0)
            t = t->next;
        if (!t) {
            fprintf(stderr, "%s: no test named '%s' in this program (see "
                    "--galley-list)\n", prog, o->only[i]);
            return 2;
        }
    }
    return 0;
}

/* ---- running ---- */

/* Turns how the test process ended into an end event; done is what
 * galley__marks_emit said. exit(0) from the test itself is not ok: the
 * test did not reach its end. */
static galley__event S_ending(const galley_test *t, const galley__outcome *o,
                              int done, int timeout_ms)
{
    galley__event ev = {.kind = GALLEY__EV_END, .test = t, .ms = o->ms};
    if (o->timed_out) {
        ev.end = GALLEY__END_TIMEOUT;
        ev.value = timeout_ms;
    } else if (WIFSIGNALED(o->wstatus)) {
        ev.end = GALLEY__END_SIGNAL;
        ev.value = WTERMSIG(o->wstatus);
    } else if (WEXITSTATUS(o->wstatus) == 0 &&
               done == GALLEY__MARKS_RETURNED) {
        ev.end = GALLEY__END_OK;
    } else if (WEXITSTATUS(o->wstatus) == 0 &&
               done == GALLEY__MARKS_SKIPPED) {
        ev.end = GALLEY__END_SKIP;
    } else {
        ev.end = GALLEY__END_EXIT;
        ev.value = WEXITSTATUS(o->wstatus);
    }
    return ev;
}

/* Sends the test's stderr, with a note if it was stopped for its marks. */
static void S_emit_stderr(const galley_test *t, const galley__capture *c,
                          const galley__outcome *o, const galley__sink *s)
{
    char note[128];
    snprintf(note, sizeof note,
             "[galley: stopped after %ld marker hits; marks are limited]",
             GALLEY__MARKS_MAX / (long)sizeof(galley__mark));
    size_t len;
    char *err = galley__capture_stderr(c, o->too_many_marks ? note : NULL,
                                       &len);
    if (len)
        galley__emit(s, (galley__event){.kind = GALLEY__EV_STDERR,
                                        .test = t, .data = err, .len = len});
    free(err);
}

/* Says that the capture files cannot be made. */
static void S_capture_error(void)
{
    fprintf(stderr, "galley: cannot make capture files in %s: %s\n",
            getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(errno));
}

/* The runs of test t: into d the device of each (a galley_device bit,
 * the CPU's first: it is the reference, whose output promote writes), or
 * one 0 for a test without .devices, run as it is. Returns how many. */
static int S_runs(const galley_test *t, unsigned d[2])
{
    int n = 0;
    if (t->options.devices & GALLEY_CPU)
        d[n++] = GALLEY_CPU;
    if (t->options.devices & GALLEY_CUDA)
        d[n++] = GALLEY_CUDA;
    if (n == 0)
        d[n++] = 0;
    return n;
}

/* Runs test t on device (0: as it is) and sends its events to s. Returns
 * 1 if it ended ok (or skipped itself), 0 if not, -1 if it could not be
 * run at all (after saying why). */
static int S_run_test(const galley_test *t, unsigned device,
                      const S_opts *o, galley__capture *c,
                      const galley__sink *s)
{
    int timeout = t->options.timeout_ms > 0 ? t->options.timeout_ms
                                            : o->timeout_ms;
    galley__outcome out;
    galley__emit(s, (galley__event){.kind = GALLEY__EV_TEST, .test = t,
                                    .device = device});
    if (galley__capture_begin(c) != 0) {
        S_capture_error();
        return -1;
    }
    if (galley__supervise(t, device, c, timeout, o->cap, &out) != 0) {
        fprintf(stderr, "galley: cannot run test %s: %s\n", t->name,
                strerror(errno));
        return -1;
    }
    int done = galley__marks_emit(c, o->cap, t, s);
    S_emit_stderr(t, c, &out, s);
    galley__capture_end(c);
    if (out.cut)
        galley__emit(s, (galley__event){.kind = GALLEY__EV_TRUNCATED,
                                        .test = t, .value = o->cap});
    galley__event end = S_ending(t, &out, done, timeout);
    galley__emit(s, end);
    return end.end == GALLEY__END_OK || end.end == GALLEY__END_SKIP;
}

/* Whether the i-th of n selected tests is in the part o asks for: parts
 * are consecutive slices of equal size (give or take one). */
static int S_in_part(const S_opts *o, long i, long n)
{
    return o->parts <= 1 || (i >= n * o->part / o->parts &&
                             i < n * (o->part + 1) / o->parts);
}

/* Runs the selected tests into sink s. Returns 1 if one did not end ok
 * or could not run, else 0. */
static int S_run_all(const S_opts *o, galley__capture *c,
                     const galley__sink *s)
{
    int failed = 0;
    long n = 0, i = 0;
    for (const galley_test *t = S_head; t; t = t->next)
        n += S_selected(o, t);
    for (const galley_test *t = S_head; t; t = t->next) {
        if (!S_selected(o, t) || !S_in_part(o, i++, n))
            continue;
        /* One run per device, each in its own process, one after the
         * other: the runner judges each with the same markers. */
        unsigned d[2];
        for (int k = 0, n_runs = S_runs(t, d); k < n_runs; k++) {
            int r = S_run_test(t, d[k], o, c, s);
            if (r < 0)
                return 1;
            failed |= !r;
        }
    }
    return failed;
}

/* Protocol mode: the results file for the runner, nothing on stdout. */
static int S_results(const S_opts *o, galley__capture *c)
{
    galley__proto p;
    if ((o->results_fd >= 0 ? galley__proto_open_fd(&p, o->results_fd)
                            : galley__proto_open(&p, o->results)) != 0) {
        fprintf(stderr, "galley: cannot write %s: %s\n", o->results,
                strerror(errno));
        return 1;
    }
    galley__sink s = {galley__proto_emit_cb, &p};
    int rc = S_run_all(o, c, &s);
    if (galley__proto_close(&p) != 0) {
        fprintf(stderr, "galley: cannot write %s\n", o->results);
        rc = 1;
    }
    return rc;
}

/* A hand run: the transcript on stdout. */
static int S_transcript(const S_opts *o, galley__capture *c)
{
    galley__transcript tr;
    galley__transcript_init(&tr, stdout);
    galley__sink s = {galley__transcript_emit_cb, &tr};
    int rc = S_run_all(o, c, &s);
    return galley__transcript_finish(&tr) | rc;
}

/* Prints the selected tests, one "NAME LINE FILE" line each. */
static int S_list(const S_opts *o)
{
    for (const galley_test *t = S_head; t; t = t->next)
        if (S_selected(o, t))
            printf("%s %d %s\n", t->name, t->line, t->file);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Runs test t in this process on device (0: as it is): a GALLEY_SKIP
 * in it, or a device this machine lacks, jumps back here. */
static void S_call(const galley_test *t, unsigned device)
{
    static jmp_buf env;
    const char *op;
    galley__child_no_fork(&env);
    if (setjmp(env) == 0) {
        if (device)
            galley__run_on_device(t, device);
        t->fn();
        fflush(stdout);
        printf("== %s returned\n", t->name);
        size_t held = galley__device_held(&op);
        if (held)
            printf("== device memory still held at the end: %zu bytes, "
                   "first allocated by %s\n", held, op ? op : "(unknown)");
    }
    galley__child_no_fork(NULL);
}

/* Runs the selected tests one after the other in this process, with no
 * capture: markers only flush. A crash is the debugger's to catch. */
static int S_no_fork(const S_opts *o)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (const galley_test *t = S_head; t; t = t->next) {
        if (!S_selected(o, t))
            continue;
        unsigned d[2];
        for (int k = 0, n_runs = S_runs(t, d); k < n_runs; k++) {
            printf("== %s%s%s%s (%s:%d)\n", t->name, d[k] ? " [" : "",
                   d[k] ? galley__device_word(d[k]) : "", d[k] ? "]" : "",
                   t->file, t->line);
            fflush(stdout);
            S_call(t, d[k]);
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Runs the tests as the options say; returns the exit status. */
static int S_main(const S_opts *o, const char *prog)
{
    /* For the runner an unknown name is a TEST the compiler never saw
     * (inside #if 0, say): it reports it as skipped. By hand it is a typo. */
    int rc = o->results ? 0 : S_check_only(o, prog);
    if (rc != 0 || o->list)
        return rc ? rc : S_list(o);
    if (o->no_fork)
        return S_no_fork(o);
    /* A SIGCHLD ignored by whoever started us would make children
     * unwaitable. */
    /* Run by galley: die with it (killed, or ^C), so that no test program
     * outlives the run; what the tests started dies with the program. */
    if (o->results_fd >= 0)
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    galley__capture c;
    if (galley__capture_open(&c) != 0) {
        S_capture_error();
        return 1;
    }
    signal(SIGCHLD, SIG_DFL);
    galley__child_setup();
    galley__supervise_setup();
    rc = o->results ? S_results(o, &c) : S_transcript(o, &c);
    galley__capture_close(&c);
    return rc;
}

int main(int argc, char **argv)
{
    S_opts o = {.timeout_ms = 10000, .cap = 16L * 1024 * 1024,
                .results_fd = -1};
    const char *prog = argc > 0 ? argv[0] : "test";
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(S_usage, prog);
            free(o.only);
            return 0;
        }
        if (S_arg(&o, argv[i]) != 0) {
            fprintf(stderr, "%s: unknown or malformed option '%s'\n", prog,
                    argv[i]);
            fprintf(stderr, S_usage, prog);
            rc = 2;
        }
    }
    if (rc == 0)
        rc = S_main(&o, prog);
    free(o.only);
    return rc;
}
