/* match.c: cram-style pattern lines. An expected line ending in " (re)" is
 * a PCRE2 pattern matched against the whole actual line (compiled once per
 * text and cached), one ending in " (glob)" a glob matched here. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../source/escape.h"
#include "../source/util.h"

static const char S_re_suffix[] = " (re)";
static const char S_glob_suffix[] = " (glob)";
#define S_RE_LEN (sizeof S_re_suffix - 1)
#define S_GLOB_LEN (sizeof S_glob_suffix - 1)

/* Backtracking budget of one match: far above what a line-sized pattern
 * needs, low enough that a catastrophic one fails in well under a second. */
#define S_MATCH_LIMIT 1000000
#define S_DEPTH_LIMIT 10000

/* One cached pattern: its text, and the compiled code or why it failed. */
typedef struct S_entry {
    char *pat; /* NULL: a free slot */
    size_t len;
    size_t hash;
    pcre2_code *code;  /* NULL when the pattern does not compile */
    char *err;         /* then the message */
    pcre2_code *bytes; /* the byte-mode code, for lines not in UTF-8 */
    int bytes_tried;   /* whether bytes was compiled (it may be NULL) */
} S_entry;

/* An open-addressing hash table keyed by pattern text (cap a power of two,
 * at most half full), and what every match shares. */
struct galley__patterns {
    S_entry *v;
    size_t cap, n;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit; /* NULL when JIT is not available */
};

/* ---- line kinds ---- */

/* Returns 1 if line[0..len) ends in suffix[0..n). */
static int S_ends_with(const char *line, size_t len, const char *suffix,
                       size_t n)
{
    return len >= n && !memcmp(line + len - n, suffix, n);
}

galley__line_kind galley__line_kind_of(const char *line, size_t len)
{
    if (S_ends_with(line, len, S_re_suffix, S_RE_LEN))
        return GALLEY__LINE_RE;
    if (S_ends_with(line, len, S_glob_suffix, S_GLOB_LEN))
        return GALLEY__LINE_GLOB;
    return GALLEY__LINE_TEXT;
}

/* ---- the cache ---- */

galley__patterns *galley__patterns_new(void)
{
    galley__patterns *p = galley__xcalloc(1, sizeof *p);
    p->cap = 16;
    p->v = galley__xcalloc(p->cap, sizeof *p->v);
    p->md = pcre2_match_data_create(1, NULL);
    p->mctx = pcre2_match_context_create(NULL);
    if (!p->md || !p->mctx) {
        galley__oom("PCRE2 match data");
    }
    pcre2_set_match_limit(p->mctx, S_MATCH_LIMIT);
    pcre2_set_depth_limit(p->mctx, S_DEPTH_LIMIT);
    /* JIT code runs on its own stack; the default 32 KiB is small for a
     * pattern like (a|b)* over a long line. */
    p->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (p->jit)
        pcre2_jit_stack_assign(p->mctx, NULL, p->jit);
    return p;
}

void galley__patterns_free(galley__patterns *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->cap; i++) {
        free(p->v[i].pat);
        pcre2_code_free(p->v[i].code);
        pcre2_code_free(p->v[i].bytes);
        free(p->v[i].err);
    }
    free(p->v);
    pcre2_match_data_free(p->md);
    pcre2_match_context_free(p->mctx);
    pcre2_jit_stack_free(p->jit);
    free(p);
}

/* FNV-1a over s[0..n). */
static size_t S_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)h;
}

/* Returns the slot holding pat[0..n) with hash h, or the free slot where it
 * belongs. */
static S_entry *S_slot(S_entry *v, size_t cap, const char *pat, size_t n,
                       size_t h)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        S_entry *e = &v[i];
        if (!e->pat || (e->hash == h && e->len == n && !memcmp(e->pat, pat, n)))
            return e;
    }
}

/* Doubles the table, moving every entry to its new slot. */
static void S_rehash(galley__patterns *p)
{
    size_t cap = p->cap * 2;
    S_entry *v = galley__xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < p->cap; i++)
        if (p->v[i].pat)
            *S_slot(v, cap, p->v[i].pat, p->v[i].len, p->v[i].hash) = p->v[i];
    free(p->v);
    p->v = v;
    p->cap = cap;
}

/* Returns pat[0..n) compiled to match whole lines with extra options opts
 * (JIT-compiled where PCRE2 can), or NULL with PCRE2's error code and
 * offset in *code and *off. */
static pcre2_code *S_compile_with(const char *pat, size_t n, uint32_t opts,
                                  int *code, PCRE2_SIZE *off)
{
    opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, n, opts, code, off, NULL);
    if (c)
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* else interpreted */
    return c;
}

/* Compiles pat[0..n) into e: the UTF-8 code, or the message saying why it
 * does not compile. */
static void S_compile(S_entry *e, const char *pat, size_t n)
{
    int code;
    PCRE2_SIZE off;
    e->code = S_compile_with(pat, n, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                             &code, &off);
    if (e->code)
        return;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    e->err = galley__xasprintf("bad (re) pattern: %s at offset %zu",
                               (char *)msg, (size_t)off);
}

/* Returns the cache entry for pattern pat[0..n), compiling it the first
 * time it is seen. */
static S_entry *S_lookup(galley__patterns *p, const char *pat, size_t n)
{
    size_t h = S_hash(pat, n);
    S_entry *e = S_slot(p->v, p->cap, pat, n, h);
    if (e->pat)
        return e;
    if (2 * (p->n + 1) > p->cap) {
        S_rehash(p);
        e = S_slot(p->v, p->cap, pat, n, h);
    }
    e->pat = galley__xstrndup(pat, n);
    e->len = n;
    e->hash = h;
    S_compile(e, pat, n);
    p->n++;
    return e;
}

/* ---- matching ---- */

/* Returns 1 if s[0..n) is all valid UTF-8. */
static int S_utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = galley__utf8_len(s + i, n - i)) == 0)
            return 0;
    return 1;
}

/* Returns 1 if code matches line[0..len), 0 if not, or a PCRE2 error. */
static int S_match(galley__patterns *p, pcre2_code *code, const char *line,
                   size_t len)
{
    int rc = pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, p->md, p->mctx);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

/* Matches a line that is not valid UTF-8 byte by byte, where '.' is any
 * byte and \xNN the byte NN, as its (esc) form reads (in UTF-8 mode no
 * part of a pattern can match an invalid byte). Returns as S_match; 0 when
 * the pattern only makes sense as UTF-8. */
static int S_match_bytes(galley__patterns *p, S_entry *e, const char *line,
                         size_t len)
{
    if (!e->bytes_tried) {
        int code;
        PCRE2_SIZE off;
        e->bytes = S_compile_with(e->pat, e->len, 0, &code, &off);
        e->bytes_tried = 1;
    }
    return e->bytes ? S_match(p, e->bytes, line, len) : 0;
}

/* Matches line[0..len) against the PCRE2 pattern pat[0..n). A line that
 * is not UTF-8 matches if the UTF-8 code or the byte-mode code does. */
static int S_re_matches(galley__patterns *p, const char *pat, size_t n,
                        const char *line, size_t len, char **err)
{
    S_entry *e = S_lookup(p, pat, n);
    if (!e->code) {
        *err = galley__xstrdup(e->err);
        return -1;
    }
    int rc = S_match(p, e->code, line, len);
    if (rc == 0 && !S_utf8_valid((const unsigned char *)line, len))
        rc = S_match_bytes(p, e, line, len);
    if (rc >= 0)
        return rc;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    int limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
    *err = galley__xasprintf("(re) pattern failed: %s%s", (char *)msg,
                             limit ? " (it backtracks too much: nested "
                                     "repeats like (a+)+?)"
                                   : "");
    return -1;
}

/* Returns the length of the character at s[i..n): a whole UTF-8 sequence,
 * or 1 for a byte that does not start a valid one. */
static size_t S_char_len(const unsigned char *s, size_t n, size_t i)
{
    size_t k = galley__utf8_len(s + i, n - i);
    return k ? k : 1;
}

/* Returns the byte glob pattern p[*pi] stands for (\*, \? and \\ stand for
 * the second byte) and moves *pi past it. */
static unsigned char S_glob_literal(const unsigned char *p, size_t pn,
                                    size_t *pi)
{
    size_t i = *pi;
    if (p[i] == '\\' && i + 1 < pn &&
        (p[i + 1] == '*' || p[i + 1] == '?' || p[i + 1] == '\\')) {
        *pi = i + 2;
        return p[i + 1];
    }
    *pi = i + 1;
    return p[i];
}

/* Matches s[0..sn) against glob p[0..pn), whole. The classic loop: on a
 * mismatch, go back to just after the last '*' and let it take one more
 * character; earlier stars never need revisiting, so there is no
 * exponential blow-up (the worst case is pn * sn steps). */
static int S_glob(const unsigned char *p, size_t pn, const unsigned char *s,
                  size_t sn)
{
    size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;
    while (si < sn) {
        if (pi < pn && p[pi] == '*') {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        if (pi < pn && p[pi] == '?') {
            pi++;
            si += S_char_len(s, sn, si);
            continue;
        }
        size_t next = pi;
        if (pi < pn && S_glob_literal(p, pn, &next) == s[si]) {
            pi = next;
            si++;
            continue;
        }
        if (star_p == SIZE_MAX)
            return 0;
        /* By whole characters, so a later '?' never starts mid-sequence. */
        star_s += S_char_len(s, sn, star_s);
        pi = star_p;
        si = star_s;
    }
    while (pi < pn && p[pi] == '*')
        pi++;
    return pi == pn;
}

int galley__line_matches(galley__patterns *p, const char *pat, size_t plen,
                        const char *line, size_t len, char **err)
{
    switch (galley__line_kind_of(pat, plen)) {
    case GALLEY__LINE_RE:
        return S_re_matches(p, pat, plen - S_RE_LEN, line, len, err);
    case GALLEY__LINE_GLOB:
        return S_glob((const unsigned char *)pat, plen - S_GLOB_LEN,
                      (const unsigned char *)line, len);
    case GALLEY__LINE_TEXT:
        break;
    }
    return plen == len && (!len || !memcmp(pat, line, len));
}
