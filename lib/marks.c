/* marks.c: turns the marks a test wrote and its captured stdout into
 * events (see marks.h). Hits are compared in place in the captured output,
 * so a marker reached a million times costs no memory per hit. */
#define _GNU_SOURCE
#include "marks.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* A distinct marker of the test: where its first output lies. */
typedef struct S_marker {
    size_t file; /* index into S_state.files */
    int line;
    int hit, varied, misused;
    long passes;       /* how many times it was reached */
    size_t start, len; /* the first hit's output in S_state.out */
    galley__tol tol;   /* the tolerances at the first hit */
} S_marker;

/* Buffered reading of the marks file. */
typedef struct S_reader {
    int fd;
    off_t pos;
    size_t start, end;
    char buf[1 << 16];
} S_reader;

typedef struct S_state {
    const galley_test *test;
    const galley__sink *sink;
    char *out; /* the test's captured stdout, at most cap bytes */
    size_t out_len;
    char **files; /* names from FILE records */
    size_t n_files;
    size_t file; /* the current file; n_files when none yet */
    S_marker *markers;
    size_t n_markers, cap_markers;
    size_t last; /* the marker found last: a loop finds it first try */
    size_t prev; /* where the previous hit's output ended */
    galley__tol tol; /* the test's, from the last TOL record */
    galley__tol near; /* the next hit's own (EXPECT_NEAR), if near.set */
    int done;
    long latest;     /* the marker hit last (index), or -1 */
    int64_t crash[GALLEY__CRASH_FRAMES]; /* from a CRASH record */
    size_t n_crash;
    int64_t leak;    /* a LEAK record's bytes, or 0 */
    char leak_op[GALLEY__MARK_NAME_MAX]; /* and its op name */
    size_t leak_len;
    char *skip;      /* a SKIP record's reason (heap), or NULL */
    size_t skip_len, skip_file;
    int skip_line;
} S_state;

/* Copies the next n bytes of marks into dst (n at most the buffer size).
 * Returns 0, or -1 at the end of the marks. */
static int S_take(S_reader *r, void *dst, size_t n)
{
    if (r->end - r->start < n) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
        size_t got = galley__pread_all(r->fd, r->buf + r->end,
                                       sizeof r->buf - r->end, r->pos);
        r->pos += (off_t)got;
        r->end += got;
        if (r->end < n)
            return -1;
    }
    memcpy(dst, r->buf + r->start, n);
    r->start += n;
    return 0;
}

/* Reads at most cap bytes of the test's captured stdout into s->out. */
static void S_load_out(S_state *s, const galley__capture *c, long cap)
{
    long size = galley__capture_len(c->out, 0);
    size_t want = size < 0 ? 0 : size > cap ? (size_t)cap : (size_t)size;
    if (want == 0)
        return;
    s->out = galley__rt_xrealloc(NULL, want);
    s->out_len = galley__pread_all(c->out, s->out, want, 0);
}

/* Reads a FILE record's name of len bytes and makes it current. */
static int S_on_file(S_state *s, S_reader *r, int32_t len)
{
    char name[GALLEY__MARK_NAME_MAX];
    if (len < 0 || len > GALLEY__MARK_NAME_MAX || S_take(r, name, (size_t)len))
        return -1;
    for (s->file = 0; s->file < s->n_files; s->file++)
        if (!strncmp(s->files[s->file], name, (size_t)len) &&
            s->files[s->file][len] == '\0')
            return 0;
    s->files = galley__rt_xrealloc(s->files,
                                   (s->n_files + 1) * sizeof *s->files);
    s->files[s->n_files++] = galley__rt_xstrndup(name, (size_t)len);
    return 0;
}

/* Returns the marker at line of the current file, added if new. The
 * pointer is valid until the next call. */
static S_marker *S_find(S_state *s, int line)
{
    S_marker *m;
    if (s->last < s->n_markers) {
        m = &s->markers[s->last];
        if (m->line == line && m->file == s->file)
            return m;
    }
    for (s->last = 0; s->last < s->n_markers; s->last++) {
        m = &s->markers[s->last];
        if (m->line == line && m->file == s->file)
            return m;
    }
    if (s->n_markers == s->cap_markers) {
        s->cap_markers = s->cap_markers ? 2 * s->cap_markers : 16;
        s->markers = galley__rt_xrealloc(
            s->markers, s->cap_markers * sizeof *s->markers);
    }
    m = &s->markers[s->n_markers++];
    memset(m, 0, sizeof *m);
    m->file = s->file;
    m->line = line;
    return m;
}

/* Sends a hit or vary event for marker m with output out[start, +len),
 * seen on its passes-th pass. */
static void S_emit_out(S_state *s, galley__ev_kind kind, const S_marker *m,
                       int exact, size_t start, size_t len)
{
    galley__emit(s->sink, (galley__event){
        .kind = kind, .test = s->test, .file = s->files[m->file],
        .line = m->line, .exact = exact, .tol = m->tol,
        .data = len ? s->out + start : NULL, .len = len,
        .value = m->passes});
}

/* A marker was reached with stdout at offset: its output is what came
 * since the previous hit. Only a first hit and a first difference count. */
static void S_on_hit(S_state *s, const galley__mark *mk)
{
    galley__tol near = s->near;
    s->near.set = 0; /* EXPECT_NEAR's tolerances are for one hit */
    size_t end = mk->offset < 0 ? 0
                 : (uint64_t)mk->offset > s->out_len ? s->out_len
                                                     : (size_t)mk->offset;
    size_t start = s->prev < end ? s->prev : end;
    size_t len = end - start;
    s->prev = end;
    S_marker *m = S_find(s, mk->line);
    s->latest = (long)(m - s->markers);
    m->passes++;
    if (!m->hit) {
        m->hit = 1;
        m->start = start;
        m->len = len;
        m->tol = near.set ? near : s->tol;
        S_emit_out(s, GALLEY__EV_HIT, m, mk->exact, start, len);
    } else if (!m->varied &&
               (len != m->len ||
                (len && memcmp(s->out + start, s->out + m->start, len)))) {
        m->varied = 1;
        S_emit_out(s, GALLEY__EV_VARY, m, mk->exact, start, len);
    }
}

/* A TOL record: the tolerances of the hits that follow. */
static int S_on_tol(S_state *s, S_reader *r, int set)
{
    double v[2];
    if (S_take(r, v, sizeof v) != 0)
        return -1;
    if (set == 2)
        s->near = (galley__tol){1, v[0], v[1]};
    else
        s->tol = (galley__tol){set, v[0], v[1]};
    return 0;
}

/* A marker was given something other than a comment; said once each. */
static void S_on_misuse(S_state *s, const galley__mark *mk)
{
    S_marker *m = S_find(s, mk->line);
    if (m->misused)
        return;
    m->misused = 1;
    galley__emit(s->sink, (galley__event){
        .kind = GALLEY__EV_MISUSE, .test = s->test,
        .file = s->files[m->file], .line = m->line});
}

/* A SKIP record: its reason, of mk->offset bytes, follows. */
static int S_on_skip(S_state *s, S_reader *r, const galley__mark *mk)
{
    if (mk->offset < 0 || mk->offset > GALLEY__MARK_NAME_MAX || s->skip)
        return -1;
    s->skip_len = (size_t)mk->offset;
    s->skip = galley__rt_xrealloc(NULL, s->skip_len + 1);
    s->skip_file = s->file;
    s->skip_line = mk->line;
    return S_take(r, s->skip, s->skip_len);
}

/* A LEAK record: the op name, of mk->line bytes, follows. */
static int S_on_leak(S_state *s, S_reader *r, const galley__mark *mk)
{
    if (mk->line < 0 || mk->line > GALLEY__MARK_NAME_MAX || mk->offset <= 0)
        return -1;
    s->leak = mk->offset;
    s->leak_len = (size_t)mk->line;
    return S_take(r, s->leak_op, s->leak_len);
}

/* Handles one record. Returns 0, or -1 when the marks make no sense (a
 * test that wrote over them), which ends the reading. */
static int S_record(S_state *s, S_reader *r, const galley__mark *mk)
{
    int have_file = s->file < s->n_files;
    switch (mk->kind) {
    case GALLEY__MARK_FILE:
        return S_on_file(s, r, mk->line);
    case GALLEY__MARK_HIT:
        if (have_file)
            S_on_hit(s, mk);
        return have_file ? 0 : -1;
    case GALLEY__MARK_MISUSE:
        if (have_file)
            S_on_misuse(s, mk);
        return have_file ? 0 : -1;
    case GALLEY__MARK_DONE:
        s->done = 1;
        return 0;
    case GALLEY__MARK_TOL:
        return S_on_tol(s, r, mk->exact);
    case GALLEY__MARK_CRASH:
        if (mk->line < 0 || mk->line > GALLEY__CRASH_FRAMES)
            return -1;
        s->n_crash = (size_t)mk->line;
        return S_take(r, s->crash, s->n_crash * sizeof *s->crash);
    case GALLEY__MARK_SKIP:
        return have_file ? S_on_skip(s, r, mk) : -1;
    case GALLEY__MARK_LEAK:
        return S_on_leak(s, r, mk);
    }
    return -1;
}

/* Emits where the test crashed and the marker it reached last, for a test
 * that did not return. */
static void S_emit_stop(S_state *s)
{
    if (s->done)
        return;
    if (s->skip) {
        galley__emit(s->sink, (galley__event){
            .kind = GALLEY__EV_SKIP, .test = s->test,
            .file = s->files[s->skip_file], .line = s->skip_line,
            .data = s->skip_len ? s->skip : NULL, .len = s->skip_len});
        return;
    }
    if (s->n_crash)
        galley__emit(s->sink, (galley__event){
            .kind = GALLEY__EV_CRASH, .test = s->test,
            .data = (const char *)s->crash,
            .len = s->n_crash * sizeof *s->crash});
    if (s->latest >= 0) {
        const S_marker *m = &s->markers[s->latest];
        galley__emit(s->sink, (galley__event){
            .kind = GALLEY__EV_LAST, .test = s->test,
            .file = s->files[m->file], .line = m->line});
    }
}

static void S_fini(S_state *s)
{
    for (size_t i = 0; i < s->n_files; i++)
        free(s->files[i]);
    free(s->files);
    free(s->markers);
    free(s->out);
    free(s->skip);
}

int galley__marks_emit(const galley__capture *c, long cap,
                       const galley_test *t, const galley__sink *sink)
{
    S_state s = {.test = t, .sink = sink, .latest = -1};
    s.tol = (galley__tol){t->options.rtol != 0 || t->options.atol != 0,
                          t->options.rtol, t->options.atol};
    S_load_out(&s, c, cap);
    S_reader *r = galley__rt_xrealloc(NULL, sizeof *r);
    r->fd = c->marks;
    r->pos = c->marks_base;
    r->start = r->end = 0;
    galley__mark mk;
    while (S_take(r, &mk, sizeof mk) == 0 && S_record(&s, r, &mk) == 0) {
    }
    S_emit_stop(&s);
    if (s.leak)
        galley__emit(sink, (galley__event){
            .kind = GALLEY__EV_LEAK, .test = t, .value = (long)s.leak,
            .data = s.leak_len ? s.leak_op : NULL, .len = s.leak_len});
    if (s.prev < s.out_len)
        galley__emit(sink, (galley__event){
            .kind = GALLEY__EV_TRAILING, .test = t, .tol = s.tol,
            .data = s.out + s.prev, .len = s.out_len - s.prev});
    int done = s.done ? GALLEY__MARKS_RETURNED
               : s.skip ? GALLEY__MARKS_SKIPPED
                        : 0;
    free(r);
    S_fini(&s);
    return done;
}
