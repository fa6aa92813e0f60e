/* reconcile.c: tolerant comparison of expected and actual text. Lines are
 * aligned by libgit2's diff over "keys" (a line with its numbers masked; a
 * pattern line a key of its own), then each aligned pair is judged: numbers
 * by value, patterns by matching. What matched keeps the expected spelling
 * in the merged text, so diffs and promotion touch only real differences. */
#define _GNU_SOURCE
#include "reconcile.h"

#include <git2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"

/* A line of a text: bytes [p, p + n), no newline. */
typedef struct S_line {
    const char *p;
    size_t n;
} S_line;

typedef struct S_lines {
    S_line *v;
    size_t n;
} S_lines;

/* Everything one reconciliation works with. */
typedef struct S_ctx {
    const galley__reconcile_opts *o;
    int numeric;             /* numbers compare by value */
    S_lines e, a;
    galley__buf *out;         /* the merged text */
    size_t out_lines;        /* lines written to out so far */
    galley__num_report *rep;
    galley__nums en, an;      /* scratch number lists */
    size_t *e_count;         /* numbers in each expected line */
    int have_stats;          /* rep's greatest differences have a place */
    char *err;
    size_t err_line;
} S_ctx;

void galley__num_report_fini(galley__num_report *r)
{
    free(r->spans);
    free(r->kept);
    r->spans = NULL;
    r->kept = NULL;
    r->n_spans = r->n_kept = 0;
}

/* Notes that the merged line just begun is a kept pattern line. */
static void S_kept(S_ctx *c)
{
    galley__num_report *r = c->rep;
    size_t line = c->out_lines - 1;
    r->kept = galley__xrealloc(r->kept, line + 1);
    memset(r->kept + r->n_kept, 0, line + 1 - r->n_kept);
    r->kept[line] = 1;
    r->n_kept = line + 1;
}

/* Splits text into lines; an empty text has none. */
static void S_split(S_lines *ls, const char *t, size_t len)
{
    size_t cap = 16;
    ls->n = 0;
    ls->v = len ? galley__xmalloc(cap * sizeof *ls->v) : NULL;
    const char *p = t, *end = t + len;
    while (len && p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (ls->n == cap)
            ls->v = galley__xrealloc(ls->v, (cap *= 2) * sizeof *ls->v);
        ls->v[ls->n++] = (S_line){p, (size_t)(le - p)};
        p = le + 1;
    }
}

int galley__reconcile_needed(const char *e, size_t elen,
                            const galley__reconcile_opts *o)
{
    if (o->rtol > 0 || o->atol > 0)
        return 1;
    return memmem(e, elen, " (re)", 5) || memmem(e, elen, " (glob)", 7);
}

/* Returns the kind of expected line i: a line that was an (esc) line is
 * literal text whatever it ends with. */
static galley__line_kind S_kind(const S_ctx *c, size_t i)
{
    if (i < c->o->n_literal && c->o->literal[i])
        return GALLEY__LINE_TEXT;
    return galley__line_kind_of(c->e.v[i].p, c->e.v[i].n);
}

/* ---- keys: what the alignment compares ---- */

/* Appends the key of expected line i (pattern lines are unique) or of an
 * actual line (is_e 0): the line with its numbers masked when numeric. */
static void S_key(S_ctx *c, galley__buf *k, const S_line *l, int is_e,
                  size_t i)
{
    if (is_e && S_kind(c, i) != GALLEY__LINE_TEXT) {
        galley__buf_printf(k, "\001%zu\n", i);
        return;
    }
    if (!c->numeric) {
        galley__buf_add(k, l->p, l->n);
        galley__buf_putc(k, '\n');
        return;
    }
    galley__nums_scan(&c->en, l->p, l->n);
    if (is_e)
        c->e_count[i] = c->en.n;
    size_t at = 0;
    for (size_t t = 0; t < c->en.n; t++) {
        galley__buf_add(k, l->p + at, c->en.v[t].start - at);
        galley__buf_putc(k, '\002');
        at = c->en.v[t].start + c->en.v[t].len;
    }
    galley__buf_add(k, l->p + at, l->n - at);
    galley__buf_putc(k, '\n');
}

static void S_keys(S_ctx *c, galley__buf *ke, galley__buf *ka)
{
    c->e_count = galley__xcalloc(c->e.n + 1, sizeof *c->e_count);
    for (size_t i = 0; i < c->e.n; i++)
        S_key(c, ke, &c->e.v[i], 1, i);
    for (size_t j = 0; j < c->a.n; j++)
        S_key(c, ka, &c->a.v[j], 0, j);
}

/* ---- judging aligned lines ---- */

/* Starts a line of merged output. */
static void S_begin_line(S_ctx *c)
{
    if (c->out_lines++ > 0)
        galley__buf_putc(c->out, '\n');
}

/* Records the difference of a compared number pair for the report; close
 * says whether it is within tolerance. A pair with nan, inf or a number
 * too big for a double differs by 0 when it matches, else by inf. The
 * first pair recorded gives the greatest differences their first place. */
static void S_stats(S_ctx *c, const galley__num *a, const galley__num *e,
                    size_t eline, int close)
{
    galley__num_report *r = c->rep;
    r->compared++;
    double d, rel;
    if (!isfinite(a->value) || !isfinite(e->value) || a->overflow ||
        e->overflow) {
        d = rel = close ? 0 : INFINITY;
    } else {
        d = fabs(a->value - e->value);
        rel = e->value != 0 ? d / fabs(e->value) : d > 0 ? INFINITY : 0;
    }
    int first = !c->have_stats;
    c->have_stats = 1;
    if (first || d > r->max_abs) {
        r->max_abs = d;
        r->abs_line = eline;
        r->abs_col = e->start;
    }
    if (first || rel > r->max_rel) {
        r->max_rel = rel;
        r->rel_line = eline;
        r->rel_col = e->start;
    }
}

static void S_span(S_ctx *c, size_t col, size_t len)
{
    galley__num_report *r = c->rep;
    r->spans = galley__xrealloc(r->spans, (r->n_spans + 1) * sizeof *r->spans);
    r->spans[r->n_spans++] = (galley__num_span){c->out_lines - 1, col, len};
}

/* Writes the merge of expected line el and actual line al, which have the
 * same shape: each number within tolerance as expected, others as actual. */
static void S_merge_numbers(S_ctx *c, const S_line *el, const S_line *al,
                            size_t eline)
{
    size_t at = 0, line_start = c->out->len;
    for (size_t t = 0; t < c->en.n; t++) {
        const galley__num *e = &c->en.v[t], *a = &c->an.v[t];
        galley__buf_add(c->out, el->p + at, e->start - at);
        at = e->start + e->len;
        int close = galley__num_close(a, al->p + a->start, e,
                                     el->p + e->start, c->o->rtol,
                                     c->o->atol);
        S_stats(c, a, e, eline, close);
        if (close) {
            galley__buf_add(c->out, el->p + e->start, e->len);
            continue;
        }
        c->rep->out++;
        S_span(c, c->out->len - line_start, a->len);
        galley__buf_add(c->out, al->p + a->start, a->len);
    }
    galley__buf_add(c->out, el->p + at, el->n - at);
}

/* Judges the aligned pair (expected line i, actual line j) and writes the
 * merged line. Returns 0, or -1 on a pattern that does not compile. */
static int S_pair(S_ctx *c, size_t i, size_t j)
{
    const S_line *el = &c->e.v[i], *al = &c->a.v[j];
    S_begin_line(c);
    if (S_kind(c, i) != GALLEY__LINE_TEXT) {
        int m = galley__line_matches(c->o->patterns, el->p, el->n, al->p,
                                    al->n, &c->err);
        if (m < 0) {
            c->err_line = i;
            return -1;
        }
        galley__buf_add(c->out, m ? el->p : al->p, m ? el->n : al->n);
        if (m)
            S_kept(c);
        return 0;
    }
    if (c->numeric && el->n == al->n && !memcmp(el->p, al->p, el->n)) {
        /* Most lines of a rerun are identical: nothing to parse, but for
         * the first numbers seen, the greatest differences' first place. */
        if (!c->have_stats && c->e_count[i] > 0) {
            galley__nums_scan(&c->en, el->p, el->n);
            c->have_stats = 1;
            c->rep->abs_line = c->rep->rel_line = i;
            c->rep->abs_col = c->rep->rel_col = c->en.v[0].start;
        }
        c->rep->compared += c->e_count[i];
        galley__buf_add(c->out, el->p, el->n);
        return 0;
    }
    if (c->numeric) {
        galley__nums_scan(&c->en, el->p, el->n);
        galley__nums_scan(&c->an, al->p, al->n);
        if (galley__nums_same_shape(al->p, al->n, &c->an, el->p, el->n,
                                   &c->en)) {
            S_merge_numbers(c, el, al, i);
            return 0;
        }
    }
    galley__buf_add(c->out, al->p, al->n);
    return 0;
}

/* Writes actual line j as it is (a line with no expected counterpart). */
static void S_added(S_ctx *c, size_t j)
{
    S_begin_line(c);
    galley__buf_add(c->out, c->a.v[j].p, c->a.v[j].n);
}

/* ---- alignment ---- */

/* Pairs lines one to one from (*i, *j) up to expected line i_end. */
static int S_equal_run(S_ctx *c, size_t *i, size_t *j, size_t i_end)
{
    for (; *i < i_end && *j < c->a.n; (*i)++, (*j)++)
        if (S_pair(c, *i, *j) != 0)
            return -1;
    return 0;
}

/* Judges expected lines [i, i + ol) against actual lines [j, j + nl),
 * paired in order; the rest deleted or added. */
static int S_in_order(S_ctx *c, size_t i, size_t ol, size_t j, size_t nl)
{
    size_t k = 0;
    for (; k < ol && k < nl; k++)
        if (S_pair(c, i + k, j + k) != 0)
            return -1;
    for (; k < nl; k++)
        S_added(c, j + k);
    return 0;
}

/* The most (pattern, actual line) matches S_block tries when it looks for
 * where the pattern lines of a replaced block went. */
#define S_ANCHOR_BUDGET 1000000

/* Returns 1 if pattern line e matches actual line a, 0 if not, -1 on a
 * PCRE2 error (c->err and c->err_line set). */
static int S_pattern_matches(S_ctx *c, size_t e, size_t a)
{
    const S_line *el = &c->e.v[e], *al = &c->a.v[a];
    int m = galley__line_matches(c->o->patterns, el->p, el->n, al->p, al->n,
                                &c->err);
    if (m < 0)
        c->err_line = e;
    return m;
}

/* Judges a replaced block: expected lines [i, i + ol) against actual
 * lines [j, j + nl). Lines pair in order, unless a (re) or (glob) line
 * would then miss an actual line it matches elsewhere in the block (a line
 * was printed before it, or one went missing): then the most pattern lines
 * that can match, in order, are anchored to the lines they match (the
 * earliest such), and the lines between anchors pair in order. So promote
 * keeps a pattern line that still matches. */
static int S_block(S_ctx *c, size_t i, size_t ol, size_t j, size_t nl)
{
    size_t np = 0;
    int all_match = 1;
    for (size_t k = 0; k < ol; k++) {
        if (S_kind(c, i + k) == GALLEY__LINE_TEXT)
            continue;
        np++;
        if (all_match && k < nl) {
            int m = S_pattern_matches(c, i + k, j + k);
            if (m < 0)
                return -1;
            all_match = m;
        } else
            all_match = 0;
    }
    if (np == 0 || all_match || nl == 0 || np > S_ANCHOR_BUDGET / nl)
        return S_in_order(c, i, ol, j, nl);
    size_t *pat = galley__xmalloc(np * sizeof *pat);
    np = 0;
    for (size_t k = 0; k < ol; k++)
        if (S_kind(c, i + k) != GALLEY__LINE_TEXT)
            pat[np++] = i + k;
    /* best[a * w + b]: most matches of patterns a.. with actual lines b..;
     * hit[a * w + b]: pattern a matches actual line j + b. */
    size_t w = nl + 1;
    size_t *best = galley__xcalloc((np + 1) * w, sizeof *best);
    unsigned char *hit = galley__xcalloc(np * w, 1);
    int rc = 0;
    for (size_t a = np; a-- > 0 && rc == 0;)
        for (size_t b = nl; b-- > 0;) {
            int m = S_pattern_matches(c, pat[a], j + b);
            if (m < 0) {
                rc = -1;
                break;
            }
            hit[a * w + b] = (unsigned char)m;
            size_t v = best[(a + 1) * w + b];
            if (best[a * w + b + 1] > v)
                v = best[a * w + b + 1];
            if (m && best[(a + 1) * w + b + 1] + 1 > v)
                v = best[(a + 1) * w + b + 1] + 1;
            best[a * w + b] = v;
        }
    size_t a = 0, b = 0, ei = i, aj = j;
    while (rc == 0 && a < np && b < nl) {
        if (hit[a * w + b] &&
            best[a * w + b] == best[(a + 1) * w + b + 1] + 1) {
            if (S_in_order(c, ei, pat[a] - ei, aj, j + b - aj) != 0 ||
                S_pair(c, pat[a], j + b) != 0)
                rc = -1;
            ei = pat[a] + 1;
            aj = j + b + 1;
            a++, b++;
        } else if (best[(a + 1) * w + b] >= best[a * w + b + 1])
            a++;
        else
            b++;
    }
    if (rc == 0)
        rc = S_in_order(c, ei, i + ol - ei, aj, j + nl - aj);
    free(pat);
    free(best);
    free(hit);
    return rc;
}

/* Walks the hunks of the key diff (no context lines): between hunks keys
 * are equal and lines pair one to one. */
static int S_walk(S_ctx *c, git_patch *patch)
{
    size_t i = 0, j = 0, n = patch ? git_patch_num_hunks(patch) : 0;
    for (size_t h = 0; h < n; h++) {
        const git_diff_hunk *hk;
        size_t lines;
        if (git_patch_get_hunk(&hk, &lines, patch, h) != 0)
            continue;
        size_t os = hk->old_lines ? (size_t)hk->old_start - 1
                                  : (size_t)hk->old_start;
        size_t ns = hk->new_lines ? (size_t)hk->new_start - 1
                                  : (size_t)hk->new_start;
        if (S_equal_run(c, &i, &j, os) != 0 ||
            S_block(c, os, (size_t)hk->old_lines, ns,
                    (size_t)hk->new_lines) != 0)
            return -1;
        i = os + (size_t)hk->old_lines;
        j = ns + (size_t)hk->new_lines;
    }
    if (S_equal_run(c, &i, &j, c->e.n) != 0)
        return -1;
    for (; j < c->a.n; j++)
        S_added(c, j);
    return 0;
}

/* Compiles every (re) line of the expected text, paired with an actual
 * line or not, so that a bad pattern is an error wherever it sits (not a
 * mismatch that promote would then overwrite). Returns 0, or -1 with
 * c->err and c->err_line set. */
static int S_check_patterns(S_ctx *c)
{
    for (size_t i = 0; i < c->e.n; i++) {
        const S_line *l = &c->e.v[i];
        if (S_kind(c, i) == GALLEY__LINE_RE &&
            galley__line_matches(c->o->patterns, l->p, l->n, "", 0,
                                &c->err) < 0) {
            c->err_line = i;
            return -1;
        }
    }
    return 0;
}

/* Diffs the keys; returns the patch (NULL when equal or on failure, in
 * which case lines pair one to one). */
static git_patch *S_align(const galley__buf *ke, const galley__buf *ka)
{
    if (ke->len == ka->len && (ke->len == 0 ||
                               !memcmp(ke->ptr, ka->ptr, ke->len)))
        return NULL;
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags = GIT_DIFF_PATIENCE | GIT_DIFF_FORCE_TEXT;
    opts.context_lines = 0;
    git_patch *patch = NULL;
    if (git_patch_from_buffers(&patch, ke->ptr, ke->len, NULL, ka->ptr,
                               ka->len, NULL, &opts) != 0)
        return NULL;
    return patch;
}

int galley__reconcile(galley__buf *merged, const char *e, size_t elen,
                     const char *a, size_t alen,
                     const galley__reconcile_opts *o, galley__num_report *rep,
                     char **err, size_t *err_line)
{
    S_ctx c = {.o = o, .numeric = o->rtol > 0 || o->atol > 0,
               .out = merged, .rep = rep};
    size_t mark = merged->len;
    galley__buf ke, ka;
    galley__buf_init(&ke);
    galley__buf_init(&ka);
    S_split(&c.e, e, elen);
    S_split(&c.a, a, alen);
    S_keys(&c, &ke, &ka);
    galley__buf_grow(merged, alen);
    int rc = S_check_patterns(&c);
    git_patch *patch = rc ? NULL : S_align(&ke, &ka);
    if (rc == 0)
        rc = S_walk(&c, patch);
    git_patch_free(patch);
    galley__buf_fini(&ke);
    galley__buf_fini(&ka);
    galley__nums_fini(&c.en);
    galley__nums_fini(&c.an);
    free(c.e.v);
    free(c.a.v);
    free(c.e_count);
    if (rc != 0) {
        *err = c.err;
        *err_line = c.err_line;
        return -1;
    }
    return merged->len - mark == elen && !memcmp(merged->ptr + mark, e, elen);
}
