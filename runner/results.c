/* results.c: parses the results file of a test program (format in
 * lib/protocol.h). Payloads are length-counted, so any output bytes pass
 * through; a truncated file (the program died) keeps what was complete. */
#define _GNU_SOURCE
#include "results.h"

#include <stdlib.h>
#include <string.h>

#include "../source/util.h"

typedef struct S_reader {
    char *p, *end;
    int lineno;
} S_reader;

/* Returns the next header line (heap, no newline), or NULL at the end. */
static char *S_line(S_reader *r)
{
    if (r->p >= r->end)
        return NULL;
    char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!nl)
        return NULL;
    char *s = galley__xstrndup(r->p, (size_t)(nl - r->p));
    r->p = nl + 1;
    r->lineno++;
    return s;
}

/* Points *out at a payload of len bytes in the data, whose closing newline
 * becomes its NUL: payloads are never copied (outputs can be large). */
static int S_payload(S_reader *r, long len, char **out, size_t *out_len)
{
    if (len < 0 || (size_t)(r->end - r->p) < (size_t)len + 1 ||
        r->p[len] != '\n')
        return -1;
    *out = r->p;
    (*out)[len] = '\0';
    *out_len = (size_t)len;
    r->p += len + 1;
    return 0;
}

/* Returns the rest of s after n space-separated fields, or NULL. */
static const char *S_after_fields(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        s = strchr(s, ' ');
        if (!s)
            return NULL;
        s++;
    }
    return s;
}

static galley__result *S_current(galley__results *rs)
{
    return rs->n_tests ? &rs->tests[rs->n_tests - 1] : NULL;
}

static int S_test(galley__results *rs, const char *line)
{
    int tline;
    const char *name = S_after_fields(line, 1);
    const char *num = S_after_fields(line, 2);
    const char *file = S_after_fields(line, 3);
    if (!file || num - name < 2 || sscanf(num, "%d", &tline) != 1)
        return -1;
    rs->tests = galley__xrealloc(rs->tests,
                                 (rs->n_tests + 1) * sizeof *rs->tests);
    galley__result *t = &rs->tests[rs->n_tests++];
    memset(t, 0, sizeof *t);
    t->name = galley__xstrndup(name, (size_t)(num - name - 1));
    t->line = tline;
    t->file = galley__xstrdup(file);
    return 0;
}

/* Reads "last LINE FILE": the marker the test reached last. */
static int S_last(galley__result *t, const char *line)
{
    const char *file = S_after_fields(line, 2);
    if (!t || !file || sscanf(line, "last %d", &t->last_line) != 1)
        return -1;
    free(t->last_file);
    t->last_file = galley__xstrdup(file);
    return 0;
}

/* Reads "skip LINE LEN FILE" and its reason. */
static int S_skip(galley__result *t, S_reader *r, const char *line)
{
    long len;
    const char *file = S_after_fields(line, 3);
    if (!t || !file || t->skip_file ||
        sscanf(line, "skip %d %ld", &t->skip_line, &len) != 2 ||
        S_payload(r, len, &t->skip_reason, &t->skip_len) != 0)
        return -1;
    t->skip_file = galley__xstrdup(file);
    return 0;
}

/* Reads "crash OFF...": hex offsets into the program, innermost first. */
static int S_crash(galley__result *t, const char *line)
{
    const char *p = line + 5;
    if (!t)
        return -1;
    while (*p == ' ' && t->n_crash < GALLEY__CRASH_FRAMES) {
        char *end;
        unsigned long long v = strtoull(p + 1, &end, 16);
        if (end == p + 1)
            return -1;
        t->crash[t->n_crash++] = v;
        p = end;
    }
    return *p ? -1 : 0;
}

/* Reads "device WORD": which run of a test with .devices this is. */
static int S_device(galley__result *t, const char *line)
{
    for (unsigned d = 1; t && galley__device_word(d); d <<= 1)
        if (!strcmp(line + 7, galley__device_word(d)) && !t->device) {
            t->device = d;
            return 0;
        }
    return -1;
}

/* Reads "leak BYTES LEN" and the op name after it. */
static int S_leak(galley__result *t, S_reader *r, const char *line)
{
    long len;
    if (!t || sscanf(line, "leak %lld %ld", &t->leak, &len) != 2 ||
        t->leak <= 0)
        return -1;
    return S_payload(r, len, &t->leak_op, &t->leak_op_len);
}

/* Reads a tolerance field: a number, or "-" for the project's default. */
static int S_tol(const char *w, double *v, int *set)
{
    char *end;
    if (!strcmp(w, "-"))
        return 0;
    *v = strtod(w, &end);
    *set = 1;
    return *end ? -1 : 0;
}

static int S_hit(galley__result *t, S_reader *r, const char *line)
{
    int hline, exact, set = 0;
    long len;
    char rt[64], at[64];
    double rtol = 0, atol = 0;
    const char *file = S_after_fields(line, 6);
    if (!t || !file ||
        sscanf(line, "hit %d %d %63s %63s %ld", &hline, &exact, rt, at,
               &len) != 5 ||
        S_tol(rt, &rtol, &set) != 0 || S_tol(at, &atol, &set) != 0)
        return -1;
    t->hits = galley__xrealloc(t->hits, (t->n_hits + 1) * sizeof *t->hits);
    galley__hit *h = &t->hits[t->n_hits];
    memset(h, 0, sizeof *h);
    if (S_payload(r, len, &h->out, &h->out_len) != 0)
        return -1;
    h->file = galley__xstrdup(file);
    h->line = hline;
    h->exact = exact;
    h->tol_set = set;
    h->rtol = rtol;
    h->atol = atol;
    t->n_hits++;
    return 0;
}

static int S_vary(galley__result *t, S_reader *r, const char *line)
{
    int hline;
    long len, pass;
    const char *file = S_after_fields(line, 4);
    if (!t || !file ||
        sscanf(line, "vary %d %ld %ld", &hline, &pass, &len) != 3)
        return -1;
    char *out;
    size_t out_len;
    if (S_payload(r, len, &out, &out_len) != 0)
        return -1;
    for (size_t i = 0; i < t->n_hits; i++) {
        galley__hit *h = &t->hits[i];
        if (h->line == hline && strcmp(h->file, file) == 0 && !h->varies) {
            h->varies = 1;
            h->vary_pass = pass;
            h->vary_out = out;
            h->vary_len = out_len;
            return 0;
        }
    }
    return -1;
}

static int S_misuse(galley__result *t, const char *line)
{
    int mline;
    const char *file = S_after_fields(line, 2);
    if (!t || !file || sscanf(line, "misuse %d", &mline) != 1)
        return -1;
    size_t n = t->n_misuses + 1;
    t->misuse_files = galley__xrealloc(t->misuse_files, n * sizeof(char *));
    t->misuse_lines = galley__xrealloc(t->misuse_lines, n * sizeof(int));
    t->misuse_files[n - 1] = galley__xstrdup(file);
    t->misuse_lines[n - 1] = mline;
    t->n_misuses = n;
    return 0;
}

static int S_end(galley__result *t, const char *line)
{
    char status[32];
    if (!t || sscanf(line, "end %31s %d %ld", status, &t->end_value, &t->ms) != 3)
        return -1;
    if (!strcmp(status, "ok"))
        t->end = GALLEY__END_OK;
    else if (!strcmp(status, "exit"))
        t->end = GALLEY__END_EXIT;
    else if (!strcmp(status, "signal"))
        t->end = GALLEY__END_SIGNAL;
    else if (!strcmp(status, "timeout"))
        t->end = GALLEY__END_TIMEOUT;
    else if (!strcmp(status, "skip") && t->skip_file)
        t->end = GALLEY__END_SKIP;
    else
        return -1;
    return 0;
}

/* Reads "trailing RTOL ATOL LEN" and its payload. */
static int S_trailing(galley__result *t, S_reader *r, const char *line)
{
    char rt[64], at[64];
    long n;
    if (sscanf(line, "trailing %63s %63s %ld", rt, at, &n) != 3 ||
        S_tol(rt, &t->trailing_rtol, &t->trailing_tol_set) != 0 ||
        S_tol(at, &t->trailing_atol, &t->trailing_tol_set) != 0)
        return -1;
    return S_payload(r, n, &t->trailing, &t->trailing_len);
}

/* Dispatches one header line. Returns 0 or -1 when malformed. */
static int S_record(galley__results *rs, S_reader *r, const char *line)
{
    galley__result *t = S_current(rs);
    long n;
    if (!strncmp(line, "test ", 5))
        return S_test(rs, line);
    if (!strncmp(line, "hit ", 4))
        return S_hit(t, r, line);
    if (!strncmp(line, "vary ", 5))
        return S_vary(t, r, line);
    if (!strncmp(line, "device ", 7))
        return S_device(t, line);
    if (!strncmp(line, "leak ", 5))
        return S_leak(t, r, line);
    if (!strncmp(line, "misuse ", 7))
        return S_misuse(t, line);
    if (!strncmp(line, "end ", 4))
        return S_end(t, line);
    if (t && !strncmp(line, "trailing ", 9))
        return S_trailing(t, r, line);
    if (t && sscanf(line, "stderr %ld", &n) == 1)
        return S_payload(r, n, &t->err, &t->err_len);
    if (t && sscanf(line, "filter %ld", &n) == 1) {
        size_t flen;
        return S_payload(r, n, &t->filter, &flen);
    }
    if (t && sscanf(line, "inputs %ld", &n) == 1) {
        size_t ilen;
        return S_payload(r, n, &t->inputs, &ilen);
    }
    if (t && !strcmp(line, "nocache")) {
        t->no_cache = 1;
        return 0;
    }
    if (t && sscanf(line, "truncated %ld", &t->truncated) == 1)
        return 0;
    if (!strncmp(line, "last ", 5))
        return S_last(t, line);
    if (!strncmp(line, "skip ", 5))
        return S_skip(t, r, line);
    if (!strncmp(line, "crash", 5) && (line[5] == ' ' || !line[5]))
        return S_crash(t, line);
    return -1;
}

/* Checks the first line of a results file. Returns 0, or -1 with *err set
 * when it is not one of this version. */
static int S_version(const char *line, char **err)
{
    size_t n = strlen(GALLEY__RESULTS_MAGIC);
    int version = 0;
    if (!line || strncmp(line, GALLEY__RESULTS_MAGIC, n) != 0 ||
        line[n] != ' ' || sscanf(line + n + 1, "%d", &version) != 1) {
        *err = galley__xstrdup("not a galley results file");
        return -1;
    }
    if (version != GALLEY__RESULTS_VERSION) {
        *err = galley__xasprintf("results of protocol version %d, but this "
                                 "galley reads version %d: the program was "
                                 "built by another galley (delete _galley/ "
                                 "to rebuild it)", version,
                                 GALLEY__RESULTS_VERSION);
        return -1;
    }
    return 0;
}

int galley__results_parse(galley__results *rs, char *data, size_t len,
                         char **err)
{
    S_reader r = {data, data + len, 0};
    memset(rs, 0, sizeof *rs);
    rs->data = data;
    char *line = S_line(&r);
    int rc = S_version(line, err);
    size_t at = (size_t)(r.p - data);
    while (rc == 0 && (free(line), line = S_line(&r)) != NULL) {
        size_t n = rs->n_tests;
        if (S_record(rs, &r, line) != 0) {
            *err = galley__xasprintf("malformed record on line %d: %.60s",
                                     r.lineno, line);
            rc = -1;
        } else if (rs->n_tests) {
            galley__result *t = &rs->tests[rs->n_tests - 1];
            if (rs->n_tests != n)
                t->rec_at = at;
            t->rec_end = (size_t)(r.p - data);
        }
        at = (size_t)(r.p - data);
    }
    free(line);
    return rc;
}

int galley__result_ended(const galley__result *t)
{
    return t->end != GALLEY__END_MISSING;
}

static void S_result_fini(galley__result *t)
{
    for (size_t i = 0; i < t->n_hits; i++) {
        free(t->hits[i].file);
    }
    for (size_t i = 0; i < t->n_misuses; i++)
        free(t->misuse_files[i]);
    free(t->misuse_files);
    free(t->misuse_lines);
    free(t->hits);
    free(t->name);
    free(t->file);
    free(t->last_file);
    free(t->skip_file);
    free(t->crash_site);
    free(t->debug);
}

void galley__results_fini(galley__results *rs)
{
    for (size_t i = 0; i < rs->n_tests; i++)
        S_result_fini(&rs->tests[i]);
    free(rs->tests);
    free(rs->data);
    memset(rs, 0, sizeof *rs);
}
