/* plot/axis.c: axes: the mapping of values onto pixels (linear or log10),
 * the widening of empty ranges, round tick values (1-2-5 steps, powers of
 * ten on log axes) chosen so that their labels never overlap, automatic
 * ranges carried out to the next tick at both ends (gnuplot's autoscale),
 * and numbers formatted without printf's locale, the same bytes
 * everywhere. */
#include "plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers as text ---- */

/* Copies s to out; returns its length. */
static int S_copy(char *out, const char *s)
{
    size_t n = strlen(s);
    memcpy(out, s, n + 1);
    return (int)n;
}

/* "nan", "inf" or "-inf" into out when v is one of them; else 0. */
static int S_special(char *out, double v)
{
    if (isnan(v))
        return S_copy(out, "nan");
    if (isinf(v))
        return S_copy(out, v < 0 ? "-inf" : "inf");
    return 0;
}

int galley__plot_fmt_exact(char *out, long long n, int e, int sci)
{
    if (n == 0)
        return S_copy(out, "0");
    char *o = out;
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n
                                 : (unsigned long long)n;
    if (n < 0)
        *o++ = '-';
    while (u % 10 == 0) {
        u /= 10;
        e++;
    }
    char d[24];
    int len = snprintf(d, sizeof d, "%llu", u); /* digits: no locale */
    if (sci) {
        *o++ = d[0];
        if (len > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)len - 1);
            o += len - 1;
        }
        o += sprintf(o, "e%d", e + len - 1);
    } else if (e >= 0) {
        memcpy(o, d, (size_t)len);
        o += len;
        for (int i = 0; i < e; i++)
            *o++ = '0';
    } else if (len + e <= 0) { /* 0.00ddd */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -(len + e); i++)
            *o++ = '0';
        memcpy(o, d, (size_t)len);
        o += len;
    } else { /* dd.ddd */
        memcpy(o, d, (size_t)(len + e));
        o += len + e;
        *o++ = '.';
        memcpy(o, d + len + e, (size_t)-e);
        o += -e;
    }
    *o = '\0';
    return (int)(o - out);
}

int galley__plot_fmt_g(char *out, double v, int sig)
{
    int k = S_special(out, v);
    if (k)
        return k;
    if (v == 0)
        return S_copy(out, "0");
    sig = sig < 1 ? 1 : sig > 17 ? 17 : sig;
    /* %e's digits are correctly rounded and ASCII; the decimal point may
     * be the locale's, so only the digits and the exponent are read. */
    char t[48];
    snprintf(t, sizeof t, "%.*e", sig - 1, v);
    long long n = 0;
    const char *s = t + (t[0] == '-');
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            n = n * 10 + (*s - '0');
    int x = *s == 'e' ? (int)strtol(s + 1, NULL, 10) : 0;
    if (t[0] == '-')
        n = -n;
    return galley__plot_fmt_exact(out, n, x - (sig - 1), x < -4 || x >= sig);
}

int galley__plot_fmt_fixed(char *out, double v, int decimals)
{
    int k = S_special(out, v);
    if (k)
        return k;
    if (fabs(v) >= 1e15)
        return galley__plot_fmt_g(out, v, 15);
    decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    char t[64];
    snprintf(t, sizeof t, "%.*f", decimals, v);
    /* The integer digits, whatever the locale's point, then the fraction. */
    const char *s = t + (t[0] == '-');
    char *o = out;
    int nonzero = 0;
    if (t[0] == '-')
        *o++ = '-';
    while (*s >= '0' && *s <= '9') {
        nonzero |= *s != '0';
        *o++ = *s++;
    }
    while (*s && !(*s >= '0' && *s <= '9'))
        s++;
    if (*s)
        *o++ = '.';
    while (*s >= '0' && *s <= '9') {
        nonzero |= *s != '0';
        *o++ = *s++;
    }
    *o = '\0';
    size_t len = (size_t)(o - out);
    if (t[0] == '-' && !nonzero) { /* never "-0" or "-0.00" */
        memmove(out, out + 1, len);
        len--;
    }
    return (int)len;
}

/* ---- axes ---- */

void galley__plot_axis_set(galley__plot_axis *a, double rlo, double rhi,
                           int log, int flip, int cells, int shift)
{
    *a = (galley__plot_axis){0};
    a->rlo = rlo;
    a->rhi = rhi;
    a->log = log;
    a->flip = flip;
    a->lo = log ? log10(rlo) : rlo;
    a->hi = log ? log10(rhi) : rhi;
    a->cells = cells;
    a->shift = shift;
    a->npix = cells << shift;
    a->scale = a->hi > a->lo ? (a->npix - 1) / (a->hi - a->lo) : 0;
}

/* The cell of pixel coordinate f, clamped to the axis. */
static int S_cell_of_pix(const galley__plot_axis *a, double f)
{
    double r = floor(f + 0.5);
    int px = r < 0 ? 0 : r > a->npix - 1 ? a->npix - 1 : (int)r;
    return px >> a->shift;
}

int galley__plot_axis_cell(const galley__plot_axis *a, double rv)
{
    if (a->index) { /* cell i * cells / n: the block that holds index i */
        double c = floor(rv * a->cells / (a->rhi + 1));
        return c < 0 ? 0 : c > a->cells - 1 ? a->cells - 1 : (int)c;
    }
    double v = a->log ? log10(rv) : rv;
    return S_cell_of_pix(a, galley__plot_axis_pix(a, v));
}

void galley__plot_widen(double *lo, double *hi, int log)
{
    double v = *lo;
    if (log) {
        *lo = v / 10;
        *hi = v * 10;
        return;
    }
    double d = v == 0 ? 1 : pow(10, floor(log10(fabs(v))));
    *lo = v - d;
    *hi = v + d;
    if (!isfinite(*lo) || !isfinite(*hi) || *lo == *hi) {
        *lo = v - fabs(v) / 2;
        *hi = v + fabs(v) / 2;
    }
}

/* ---- ticks ---- */

/* A candidate set of ticks: each value n * 10^e, at axis-space position
 * pos (log10 of the value on a log axis). */
typedef struct S_cand {
    int n;
    long long mant[GALLEY__PLOT_MAXTICKS];
    int exp[GALLEY__PLOT_MAXTICKS];
    double pos[GALLEY__PLOT_MAXTICKS];
} S_cand;

/* 10^e as a double, exact for |e| <= 22. */
static double S_pow10(int e)
{
    double p = 1;
    for (int i = 0; i < (e < 0 ? -e : e) && i < 400; i++)
        p *= 10;
    return e < 0 ? 1 / p : p;
}

/* The value n * 10^e, rounded once. */
static double S_value(long long n, int e)
{
    return e >= 0 ? (double)n * S_pow10(e) : (double)n / S_pow10(-e);
}

/* Adds n * 10^e at axis position pos; 0 when the candidate is full. */
static int S_push(S_cand *c, long long n, int e, double pos)
{
    if (c->n == GALLEY__PLOT_MAXTICKS)
        return 0;
    c->mant[c->n] = n;
    c->exp[c->n] = e;
    c->pos[c->n++] = pos;
    return 1;
}

/* The multiples of m * 10^e in the raw range of a; 0 when too many. */
static int S_gen_linear(S_cand *c, const galley__plot_axis *a, int m, int e)
{
    double step = S_value(m, e);
    double k0 = ceil(a->rlo / step - 1e-9), k1 = floor(a->rhi / step + 1e-9);
    c->n = 0;
    if (k1 - k0 + 1 > GALLEY__PLOT_MAXTICKS || fabs(k0) > 1e15 ||
        fabs(k1) > 1e15)
        return 0;
    for (long long k = (long long)k0; k <= (long long)k1; k++) {
        double v = S_value(k * m, e);
        if (a->log && v <= 0)
            continue;
        S_push(c, k * m, e, a->log ? log10(v) : v);
    }
    return 1;
}

/* On a log axis: the values m * 10^k for m in ms (of nm) and k a multiple
 * of stride, inside the range. 0 when too many. */
static int S_gen_log(S_cand *c, const galley__plot_axis *a, const int *ms,
                     int nm, int stride)
{
    static const double lg[] = {0, 0, 0.30102999566398120, 0, 0,
                                0.69897000433601886};
    c->n = 0;
    double k0 = floor(a->lo) - 1, k1 = ceil(a->hi);
    for (double k = k0; k <= k1; k++) {
        if (fmod(k, stride) != 0)
            continue;
        for (int i = 0; i < nm; i++) {
            double pos = k + lg[ms[i]];
            if (pos < a->lo - 1e-9 || pos > a->hi + 1e-9)
                continue;
            if (!S_push(c, ms[i], (int)k, pos))
                return 0;
        }
    }
    return 1;
}

/* Whether the label of n * 10^e goes in scientific form: where %g would
 * put it, its leading digit at 10^6 or beyond or below 10^-4, so that a
 * log axis reads 0.001, 1, 10, 100000, 1e6 as gnuplot's does, one label
 * at a time (never "1e0"), and a linear axis the same way. */
static int S_sci(long long n, int e)
{
    if (n == 0)
        return 0;
    for (long long u = n < 0 ? -n : n; u >= 10; u /= 10)
        e++;
    return e < -4 || e >= 6;
}

/* Fills t from the candidate: cells and labels. */
static void S_fill(galley__plot_ticks *t, const S_cand *c,
                   const galley__plot_axis *a)
{
    t->n = c->n;
    for (int i = 0; i < c->n; i++) {
        galley__plot_tick *k = &t->t[i];
        k->value = S_value(c->mant[i], c->exp[i]);
        if (a->index)
            k->cell = galley__plot_axis_cell(a, k->value);
        else
            k->cell = S_cell_of_pix(a, galley__plot_axis_pix(a, c->pos[i]));
        galley__plot_fmt_exact(k->label, c->mant[i], c->exp[i],
                               S_sci(c->mant[i], c->exp[i]));
    }
}

void galley__plot_xlabel_starts(const galley__plot_ticks *t, int prefix, int w,
                                int *start)
{
    int right = prefix + w + 1; /* the right border's column */
    for (int i = 0; i < t->n; i++) {
        int len = galley__plot_textwidth(t->t[i].label);
        int s = prefix + 1 + t->t[i].cell - (len - 1) / 2;
        if (s + len - 1 > right)
            s = right - len + 1;
        start[i] = s < 0 ? 0 : s;
    }
}

/* Whether the x labels of t fit the rule: one blank at least between
 * labels, and (dense) ticks max(widest + 4, 8) columns apart, or a
 * quarter of the width on a narrow plot. */
static int S_fits_x(const galley__plot_ticks *t, const galley__plot_axis *a,
                    const galley__plot_tickrule *r)
{
    int start[GALLEY__PLOT_MAXTICKS], widest = 0;
    galley__plot_xlabel_starts(t, r->prefix, a->cells, start);
    for (int i = 0; i < t->n; i++) {
        int len = galley__plot_textwidth(t->t[i].label);
        widest = len > widest ? len : widest;
        if (start[i] + len - 1 > r->prefix + a->cells + 1)
            return 0; /* wider than the whole line */
        if (i > 0) {
            int prev = start[i - 1] +
                       galley__plot_textwidth(t->t[i - 1].label);
            if (start[i] < prev + 1 || t->t[i].cell <= t->t[i - 1].cell)
                return 0;
        }
    }
    /* Round labels a handful apart, as gnuplot spaces them; closer on a
     * narrow plot, but one blank between labels always. */
    int gap = widest + 4 > 8 ? widest + 4 : 8;
    gap = gap < a->cells / 4 ? gap : a->cells / 4;
    gap = gap > widest + 1 ? gap : widest + 1;
    for (int i = 1; r->dense && i < t->n; i++)
        if (t->t[i].cell - t->t[i - 1].cell < gap)
            return 0;
    return 1;
}

/* Whether the y labels of t sit on rows min_rows apart at least. */
static int S_fits_y(const galley__plot_ticks *t, const galley__plot_tickrule *r)
{
    for (int i = 1; i < t->n; i++) {
        int d = t->t[i].cell - t->t[i - 1].cell;
        if ((d < 0 ? -d : d) < r->min_rows)
            return 0;
    }
    return 1;
}

/* ---- carrying a range out to its ticks ---- */

/* A sequence of tick values: the multiples of m * 10^e (log 0), or the
 * values m * 10^k with m in ms (of nm) and k a multiple of stride. */
typedef struct S_seq {
    int log, m, e;
    const int *ms;
    int nm, stride;
} S_seq;

/* The ends below snap to the value of a sequence at or beyond them, or
 * stay where a value is within the tolerance that S_gen_linear and
 * S_gen_log give a tick (0.19999999999999998 takes the tick 0.2): the
 * range never shrinks, so no point falls outside it. */

/* The value of the log sequence q nearest v (> 0) on the side dir (-1: at
 * or below v, 1: at or above); the decades around log10(v) are all
 * looked at, so that its rounding does not matter. */
static double S_snap_log(const S_seq *q, double v, int dir)
{
    double best = dir < 0 ? -INFINITY : INFINITY, lv = log10(v);
    double k0 = floor(lv / q->stride) * q->stride;
    for (double k = k0 - 2 * q->stride; k <= k0 + 2 * q->stride;
         k += q->stride) {
        for (int i = 0; i < q->nm && fabs(k) <= 300; i++) {
            double w = S_value(q->ms[i], (int)k), lw = log10(w);
            if (dir < 0 ? lw <= lv + 1e-9 && w > best
                        : lw >= lv - 1e-9 && w < best)
                best = w;
        }
    }
    return dir < 0 ? (best > v ? v : best) : (best < v ? v : best);
}

/* The multiple of m * 10^e nearest v on the side dir. */
static double S_snap_linear(const S_seq *q, double v, int dir)
{
    double d = v / S_value(q->m, q->e);
    if (fabs(d) > 1e15)
        return v;
    long long k = (long long)(dir < 0 ? floor(d + 1e-9) : ceil(d - 1e-9));
    double w = S_value(k * q->m, q->e);
    return dir < 0 ? (w > v ? v : w) : (w < v ? v : w);
}

/* The end v of a range carried out to q on the side dir; NaN when that
 * would leave the drawable range, or reach 0 on a log axis. */
static double S_snap(const S_seq *q, int log, double v, int dir)
{
    double w = q->log ? S_snap_log(q, v, dir) : S_snap_linear(q, v, dir);
    if (!galley__plot_in_range(w) || (log && w <= 0))
        return NAN;
    return w;
}

/* ---- the search ---- */

/* The state of a search over candidates: the first that fits with two
 * ticks or more wins; else the first that fits with one (one: 2), else
 * the middle tick of the coarsest candidate that did not fit (one: 1).
 * a is the axis of the candidate being tried: base, or base carried out
 * to the candidate's next ticks (rule extend); single_axis that of
 * single. extend: whether candidates are tried on carried-out ranges
 * (the rule's extend, until a search of those found nothing). */
typedef struct S_search {
    const galley__plot_axis *base;
    galley__plot_axis a, single_axis;
    const galley__plot_tickrule *r;
    galley__plot_ticks *out, *single;
    int done, one, extend;
} S_search;

/* Sets s->a for candidates of the sequence q: the base axis, carried out
 * to q at each end when the search extends. Returns 0 when the range
 * cannot be carried out to q (a log axis would reach 0): the candidate
 * is skipped. */
static int S_aim(S_search *s, S_seq q)
{
    const galley__plot_axis *b = s->base;
    s->a = *b;
    if (!s->extend)
        return 1;
    double lo = S_snap(&q, b->log, b->rlo, -1);
    double hi = S_snap(&q, b->log, b->rhi, 1);
    if (isnan(lo) || isnan(hi))
        return 0;
    if (lo == b->rlo && hi == b->rhi)
        return 1;
    galley__plot_axis_set(&s->a, lo, hi, b->log, b->flip, b->cells, b->shift);
    s->a.integer = b->integer;
    s->a.index = b->index;
    return 1;
}

/* Whether t fits the search's rule. */
static int S_fits(const S_search *s, const galley__plot_ticks *t)
{
    return s->r->x ? S_fits_x(t, &s->a, s->r) : S_fits_y(t, s->r);
}

/* Tries candidate c (on s->a); sets s->done when it wins. */
static void S_try(S_search *s, const S_cand *c)
{
    if (s->done || c->n == 0 || s->one == 2)
        return;
    galley__plot_ticks t;
    S_cand one = {.n = 1};
    if (c->n >= 2) {
        S_fill(s->out, c, &s->a);
        if (S_fits(s, s->out)) {
            s->done = 1;
            return;
        }
        /* A narrow plot may have room for one label only. */
        int m = (c->n - 1) / 2;
        one.mant[0] = c->mant[m];
        one.exp[0] = c->exp[m];
        one.pos[0] = c->pos[m];
        c = &one;
    }
    S_fill(&t, c, &s->a);
    if (S_fits(s, &t)) {
        *s->single = t;
        s->single_axis = s->a;
        s->one = c == &one ? 1 : 2;
    }
}

/* Linear steps m * 10^e from a tenth of the range up. */
static void S_search_linear(S_search *s, S_cand *c)
{
    static const int ms[] = {1, 2, 5};
    double range = s->base->rhi - s->base->rlo;
    int e0 = (int)floor(log10(range)) - 1;
    if (s->base->integer && e0 < 0)
        e0 = 0;
    for (int e = e0; e <= e0 + 3 && !s->done; e++) {
        for (int i = 0; i < 3 && !s->done; i++) {
            if (S_aim(s, (S_seq){.m = ms[i], .e = e}) &&
                S_gen_linear(c, &s->a, ms[i], e))
                S_try(s, c);
        }
    }
}

/* Powers of ten with 2 and 5 between, then powers of ten every 1, 2, 3,
 * 5, 10, ... decades; linear steps first when the range (as given) holds
 * less than two of the former. */
static void S_search_log(S_search *s, S_cand *c)
{
    static const int m125[] = {1, 2, 5}, m1[] = {1};
    static const int strides[] = {1, 2, 3, 5, 10, 20, 30, 50, 100, 200};
    if (S_gen_log(c, s->base, m125, 3, 1) && c->n < 2)
        S_search_linear(s, c);
    if (!s->done &&
        S_aim(s, (S_seq){.log = 1, .ms = m125, .nm = 3, .stride = 1}) &&
        S_gen_log(c, &s->a, m125, 3, 1))
        S_try(s, c);
    for (int i = 0; i < 10 && !s->done; i++) {
        S_seq q = {.log = 1, .ms = m1, .nm = 1, .stride = strides[i]};
        if (S_aim(s, q) && S_gen_log(c, &s->a, m1, 1, strides[i]))
            S_try(s, c);
    }
}

/* Runs the search of the axis' scale. */
static void S_search_any(S_search *s, S_cand *c)
{
    if (s->base->log)
        S_search_log(s, c);
    else
        S_search_linear(s, c);
}

void galley__plot_ticks_make(galley__plot_ticks *t, galley__plot_axis *a,
                             const galley__plot_tickrule *r)
{
    S_cand c;
    galley__plot_ticks single;
    S_search s = {.base = a, .a = *a, .r = r, .out = t, .single = &single,
                  .extend = r->extend};
    t->n = 0;
    if (a->index && a->rhi == a->rlo) { /* one row or column: "0" */
        c.n = 0;
        S_push(&c, 0, 0, 0);
        S_fill(t, &c, a);
        return;
    }
    if (!(a->rhi > a->rlo))
        return;
    S_search_any(&s, &c);
    if (!s.done && s.extend) { /* nothing fits carried out: as given */
        s.extend = 0;
        S_search_any(&s, &c);
    }
    if (s.done) {
        *a = s.a;
    } else if (s.one) {
        t->n = 1;
        t->t[0] = single.t[0];
        *a = s.single_axis;
    }
}

int galley__plot_gutter(const galley__plot_ticks *yt)
{
    int w = 0;
    for (int i = 0; i < yt->n; i++) {
        int len = galley__plot_textwidth(yt->t[i].label);
        w = len > w ? len : w;
    }
    return w ? w + 1 : 0;
}
