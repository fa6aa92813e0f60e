/* tensor_print.c: tensors as text, in the manner of numpy's str(array): a
 * header line with dtype and shape, then numpy's np.array2string body
 * (numpy 1.24 defaults: floatmode 'maxprec', precision 8, lines wrapped at
 * 75 columns, "..." for the middle of long axes of big tensors); or, in
 * the compact style, %g elements separated by ", ". */
#include "tensor_internal.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* The longest element: "-1.<30 digits>e-308" (38) or an int64 (20). */
#define S_ELEM_MAX 64

/* The largest precision taken: beyond 17 significant digits a float64
 * has no more digits to show, and 30 fractional ones leave room for the
 * leading zeros of numbers down to 1e-4, the smallest numpy writes
 * without an exponent. */
#define S_PRECISION_MAX 30

/* This thread's options, when set. */
static _Thread_local galley_print_options S_options;
static _Thread_local int S_options_set;

/* How the elements of one print are written, found from the elements
 * that show (numpy's format_function): for the numpy style, whether in
 * scientific notation, the digits after the point (the cap in positional
 * notation, the common count in scientific), and numpy's pad_left,
 * pad_right and exponent digits; for the compact style, the widest parts
 * before and from the decimal point and the widest nan/inf; for int64,
 * the widest element (in before). */
typedef struct S_format {
    int sci, digits, pad_left, pad_right, exp_digits;
    int before, after, special;
} S_format;

/* One print: the tensor, its options, whether it is summarized and how
 * many items show at each end of a long axis, its strides in bytes, the
 * format, the text made, and the length of the text's last line. */
typedef struct S_printer {
    const galley_tensor *t;
    galley_print_options o;
    int summarize;
    long edge;
    long bstride[GALLEY_MAX_DIMS];
    S_format f;
    galley__rt_buf out;
    int col;
} S_printer;

/* ---- options ---- */

/* numpy's defaults: np.get_printoptions() of numpy 1.24. */
static const galley_print_options S_defaults = GALLEY_PRINT_OPTIONS_INIT;

/* Checks o as galley_set_print_options takes it; 0 when it is good. */
static int S_check_options(const galley_print_options *o)
{
    const char *op = "galley_set_print_options";
    if (galley__check_version(o->version, op, "galley_print_options"))
        return -1;
    if (o->style != GALLEY_PRINT_NUMPY && o->style != GALLEY_PRINT_COMPACT)
        galley__error(op, "style %d is neither GALLEY_PRINT_NUMPY nor "
                          "GALLEY_PRINT_COMPACT", (int)o->style);
    else if (o->precision < 0 || o->precision > S_PRECISION_MAX)
        galley__error(op, "precision %d is outside 0..%d", o->precision,
                      S_PRECISION_MAX);
    else if (o->threshold < 0)
        galley__error(op, "threshold %ld is negative", o->threshold);
    else if (o->edgeitems < 0)
        galley__error(op, "edgeitems %d is negative", o->edgeitems);
    else if (o->linewidth < 0)
        galley__error(op, "linewidth %d is negative", o->linewidth);
    else
        return 0;
    return -1;
}

/* Sets this thread's print options, or the defaults when options is NULL;
 * options that are not right are reported and change nothing. */
void galley_set_print_options(const galley_print_options *options)
{
    if (options && S_check_options(options))
        return;
    S_options = options ? *options : S_defaults;
    S_options_set = 1;
}

/* This thread's print options. */
galley_print_options galley_get_print_options(void)
{
    return S_options_set ? S_options : S_defaults;
}

/* ---- buffers ---- */

static void S_spaces(galley__rt_buf *b, int n)
{
    if (n <= 0)
        return;
    memset(galley__rt_buf_room(b, (size_t)n), ' ', (size_t)n);
    b->len += (size_t)n;
    b->ptr[b->len] = '\0';
}

/* Appends the n bytes at s to the text, counting them on the line. */
static void S_put(S_printer *pr, const char *s, int n)
{
    galley__rt_buf_add(&pr->out, s, (size_t)n);
    pr->col += n;
}

/* ---- the C locale ---- */

/* The C locale, made once for the process: numbers print with a point
 * whatever the locale of the program. NULL when it cannot be made. */
locale_t galley__c_locale(void)
{
    static locale_t cached;
    locale_t l = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
    if (l)
        return l;
    l = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!l)
        return (locale_t)0;
    locale_t none = (locale_t)0;
    if (!__atomic_compare_exchange_n(&cached, &none, l, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        freelocale(l); /* another thread was first */
        l = none;
    }
    return l;
}

/* ---- the elements ---- */

/* The element at p as a double (float32 widens exactly). */
static double S_value(const S_printer *pr, const char *p)
{
    return pr->t->dtype == GALLEY_F32 ? *(const float *)p
                                      : *(const double *)p;
}

/* Writes v in decimal into s; returns the length. */
static int S_format_int(char *s, int64_t v)
{
    char tmp[24];
    int n = 0;
    /* Negative digits, so that INT64_MIN needs no special case. */
    int64_t r = v < 0 ? v : -v;
    do {
        tmp[n++] = (char)('0' - r % 10);
        r /= 10;
    } while (r);
    int len = 0;
    if (v < 0)
        s[len++] = '-';
    while (n)
        s[len++] = tmp[--n];
    s[len] = '\0';
    return len;
}

/* The spellings of nan, inf and -inf (numpy's), or NULL for a finite x. */
static const char *S_special(double x)
{
    return isnan(x) ? "nan" : isinf(x) ? (x > 0 ? "inf" : "-inf") : NULL;
}

/* ---- numpy's float format ---- */

/* The fewest digits after the point of the %e form of x that read back as
 * x in its own type (strtof for float32: the shortest float32 digits,
 * which numpy's Dragon4 prints, are fewer than a double's). Dragon4 picks
 * the closest of the shortest strings; so does %e, which rounds
 * correctly. */
static int S_shortest(double x, int f32)
{
    char s[S_ELEM_MAX];
    int most = f32 ? 8 : 16; /* 9 and 17 significant digits always do */
    for (int k = 0; k < most; k++) {
        snprintf(s, sizeof s, "%.*e", k, x);
        if (f32 ? strtof(s, NULL) == (float)x : strtod(s, NULL) == x)
            return k;
    }
    return most;
}

/* The decimal exponent of the %e form of x with k digits after the point. */
static int S_exponent(double x, int k)
{
    char s[S_ELEM_MAX];
    snprintf(s, sizeof s, "%.*e", k, x);
    return atoi(strchr(s, 'e') + 1);
}

/* Removes the zeros that end the digits after the point of s (its
 * mantissa, when it has an exponent), keeping the point: numpy's
 * trim='.'. Returns the new length. */
static int S_trim(char *s)
{
    char *e = strchr(s, 'e'), *end = e ? e : s + strlen(s), *z = end;
    while (z[-1] == '0')
        z--;
    memmove(z, end, strlen(end) + 1);
    return (int)strlen(s);
}

/* Writes finite x into s as numpy's positional maxprec does: the shortest
 * digits that read back as x, rounded to at most `cap` digits after the
 * point; all the digits before the point (numpy prints float32 99999992
 * so, though its shortest digits are 9.999999e+07). Returns the length. */
static int S_positional(char *s, double x, int f32, int cap)
{
    int k = S_shortest(x, f32);
    int frac = k - S_exponent(x, k);
    frac = frac < 0 ? 0 : frac > cap ? cap : frac;
    snprintf(s, S_ELEM_MAX, "%#.*f", frac, x);
    return S_trim(s);
}

/* Writes finite x into s in scientific notation with the shortest digits,
 * at most cap after the point, as numpy's first pass does to measure
 * them. Returns the length. */
static int S_scientific(char *s, double x, int f32, int cap)
{
    int k = S_shortest(x, f32);
    snprintf(s, S_ELEM_MAX, "%#.*e", k < cap ? k : cap, x);
    return S_trim(s);
}

/* Whether numpy writes the finite nonzero values vals (n of them) in
 * scientific notation: the largest magnitude 1e8 or more, the smallest
 * under 1e-4, or their ratio over 1000 (numpy divides in the array's
 * type, so in float for float32). */
static int S_wants_sci(const double *vals, size_t n, int f32)
{
    double big = 0, small = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(vals[i]);
        if (isfinite(a) && a != 0) {
            big = a > big ? a : big;
            small = a < small ? a : small;
        }
    }
    if (big == 0)
        return 0;
    double ratio = f32 ? (double)((float)big / (float)small) : big / small;
    return big >= 1e8 || small < 1e-4 || ratio > 1000;
}

/* Fills in the numpy format of the float values vals (numpy's
 * FloatingFormat.fillFormat with floatmode 'maxprec'). */
static void S_numpy_format(S_printer *pr, const double *vals, size_t n)
{
    S_format *f = &pr->f;
    int f32 = pr->t->dtype == GALLEY_F32, neginf = 0, finite = 0;
    int special = 0;
    int cap = pr->o.precision;
    f->sci = S_wants_sci(vals, n, f32);
    for (size_t i = 0; i < n; i++) {
        char s[S_ELEM_MAX];
        if (!isfinite(vals[i])) {
            special = 1;
            neginf |= isinf(vals[i]) && vals[i] < 0;
            continue;
        }
        finite = 1;
        int len = f->sci ? S_scientific(s, vals[i], f32, cap)
                         : S_positional(s, vals[i], f32, cap);
        char *point = strchr(s, '.'), *e = strchr(s, 'e');
        int left = (int)(point - s);
        int frac = (int)((e ? e : s + len) - point - 1);
        int exp = e ? (int)strlen(e + 2) : 0;
        f->pad_left = left > f->pad_left ? left : f->pad_left;
        f->digits = frac > f->digits ? frac : f->digits;
        f->exp_digits = exp > f->exp_digits ? exp : f->exp_digits;
    }
    if (!f->sci)
        f->pad_right = f->digits, f->digits = cap;
    else if (finite)
        f->pad_right = f->exp_digits + 2 + f->digits;
    /* nan and inf are right-aligned in the whole width, which they widen. */
    if (!special)
        return;
    int offset = f->pad_right + 1, inflen = 3 + neginf;
    if (3 - offset > f->pad_left)
        f->pad_left = 3 - offset;
    if (inflen - offset > f->pad_left)
        f->pad_left = inflen - offset;
}

/* Writes the element x into s as numpy's format f does, padded to the
 * common width; returns the length. */
static int S_numpy_elem(const S_printer *pr, char *s, double x)
{
    const S_format *f = &pr->f;
    int width = f->pad_left + f->pad_right + 1;
    const char *sp = S_special(x);
    if (sp)
        return snprintf(s, S_ELEM_MAX, "%*s", width, sp);
    char m[S_ELEM_MAX];
    int f32 = pr->t->dtype == GALLEY_F32;
    if (!f->sci) {
        int len = S_positional(m, x, f32, f->digits);
        int left = (int)(strchr(m, '.') - m);
        return snprintf(s, S_ELEM_MAX, "%*s%s%*s", f->pad_left - left, "", m,
                        f->pad_right - (len - left - 1), "");
    }
    /* Every element gets the common digits, past the shortest ones if
     * need be (numpy's min_digits: the exact value's digits, rounded). */
    snprintf(m, sizeof m, "%#.*e", f->digits, x);
    char *e = strchr(m, 'e');
    int exp = atoi(e + 1);
    *e = '\0';
    int left = (int)(strchr(m, '.') - m);
    return snprintf(s, S_ELEM_MAX, "%*s%se%c%0*d", f->pad_left - left, "", m,
                    exp < 0 ? '-' : '+', f->exp_digits, abs(exp));
}

/* ---- the compact style and int64 ---- */

/* Writes x as %.*g into s with numpy's spellings of nan and inf; returns
 * the length. -0 is 0 here, as in galley before numpy's style, so that
 * the sign of a zero, which differs between equivalent computations,
 * stays out of compact output. */
static int S_compact_float(char *s, double x, int precision)
{
    const char *sp = S_special(x);
    if (sp)
        return (int)strlen(strcpy(s, sp));
    if (x == 0)
        return (int)strlen(strcpy(s, "0"));
    return snprintf(s, S_ELEM_MAX, "%.*g", precision, x);
}

/* The length of the part of s before its decimal point, or before its
 * exponent when it has no point, or all of it. */
static int S_split(const char *s, int len)
{
    const char *e = NULL;
    for (int i = 0; i < len; i++) {
        if (s[i] == '.')
            return i;
        if (s[i] == 'e' && !e)
            e = s + i;
    }
    return e ? (int)(e - s) : len;
}

/* Widens the compact format (or the int64 width) to hold the element at
 * p. */
static void S_compact_measure(S_printer *pr, const char *p)
{
    char s[S_ELEM_MAX];
    S_format *f = &pr->f;
    if (pr->t->dtype == GALLEY_I64) {
        int len = S_format_int(s, *(const int64_t *)p);
        f->before = len > f->before ? len : f->before;
        return;
    }
    double x = S_value(pr, p);
    int len = S_compact_float(s, x, pr->o.precision);
    if (!isfinite(x)) {
        f->special = len > f->special ? len : f->special;
        return;
    }
    int split = S_split(s, len);
    f->before = split > f->before ? split : f->before;
    f->after = len - split > f->after ? len - split : f->after;
}

/* Writes the element at p into s in the compact style (or an int64, in
 * either), padded to the common width with the points lined up; nan and
 * inf right-aligned. Returns the length. */
static int S_compact_elem(const S_printer *pr, char *s, const char *p)
{
    char e[S_ELEM_MAX];
    const S_format *f = &pr->f;
    if (pr->t->dtype == GALLEY_I64) {
        S_format_int(e, *(const int64_t *)p);
        return snprintf(s, S_ELEM_MAX, "%*s", f->before, e);
    }
    double x = S_value(pr, p);
    int len = S_compact_float(e, x, pr->o.precision);
    if (!isfinite(x))
        return snprintf(s, S_ELEM_MAX, "%*s", f->before + f->after, e);
    int split = S_split(e, len);
    return snprintf(s, S_ELEM_MAX, "%*s%s%*s", f->before - split, "", e,
                    f->after - (len - split), "");
}

/* ---- walking the elements ---- */

/* How many entries of an axis of n show before "..." (all of them when
 * none is left out). */
static long S_leading(const S_printer *pr, long n)
{
    return pr->summarize && n > 2 * pr->edge ? pr->edge : n;
}

/* How many entries show after "...": numpy always shows the last one,
 * edgeitems 0 included. */
static long S_trailing(const S_printer *pr, long n)
{
    if (!pr->summarize || n <= 2 * pr->edge)
        return 0;
    return pr->edge > 0 ? pr->edge : 1;
}

/* Appends to vals the values under axis at p that decide the format:
 * numpy's _leading_trailing, the first and last edgeitems entries of a
 * long axis of a summarized tensor (all of them when edgeitems is 0, as
 * numpy's a[-0:] is all of a). */
static void S_gather(const S_printer *pr, int axis, const char *p,
                     galley__rt_buf *vals)
{
    const galley_tensor *t = pr->t;
    long n = t->shape[axis];
    int cut = pr->summarize && pr->edge > 0 && n > 2 * pr->edge;
    for (long i = 0; i < n; i++) {
        if (cut && i == pr->edge)
            i = n - pr->edge;
        const char *q = p + i * pr->bstride[axis];
        if (axis < t->ndim - 1) {
            S_gather(pr, axis + 1, q, vals);
            continue;
        }
        double x = S_value(pr, q);
        galley__rt_buf_add(vals, (const char *)&x, sizeof x);
    }
}

/* Compact measuring over the same elements as S_gather. */
static void S_measure(S_printer *pr, int axis, const char *p)
{
    const galley_tensor *t = pr->t;
    long n = t->shape[axis];
    int cut = pr->summarize && pr->edge > 0 && n > 2 * pr->edge;
    for (long i = 0; i < n; i++) {
        if (cut && i == pr->edge)
            i = n - pr->edge;
        const char *q = p + i * pr->bstride[axis];
        if (axis < t->ndim - 1)
            S_measure(pr, axis + 1, q);
        else
            S_compact_measure(pr, q);
    }
}

/* Finds the format of the whole print. */
static void S_find_format(S_printer *pr, const char *base)
{
    if (pr->t->dtype == GALLEY_I64 || pr->o.style == GALLEY_PRINT_COMPACT) {
        if (pr->t->ndim == 0)
            S_compact_measure(pr, base);
        else
            S_measure(pr, 0, base);
        /* As numpy: a special wider than the column widens its integer
         * part. */
        if (pr->f.special - pr->f.after > pr->f.before)
            pr->f.before = pr->f.special - pr->f.after;
        return;
    }
    galley__rt_buf vals = {0};
    if (pr->t->ndim == 0) {
        double x = S_value(pr, base);
        galley__rt_buf_add(&vals, (const char *)&x, sizeof x);
    } else {
        S_gather(pr, 0, base, &vals);
    }
    double *v = (double *)(void *)vals.ptr;
    S_numpy_format(pr, v, vals.len / sizeof(double));
    galley__rt_buf_fini(&vals);
}

/* Writes the element at p into s; returns the length. */
static int S_elem(const S_printer *pr, char *s, const char *p)
{
    if (pr->t->dtype == GALLEY_I64 || pr->o.style == GALLEY_PRINT_COMPACT)
        return S_compact_elem(pr, s, p);
    return S_numpy_elem(pr, s, S_value(pr, p));
}

/* ---- layout: numpy's _formatArray ---- */

/* Removes the spaces that end the text (of its last line). */
static void S_rstrip(S_printer *pr)
{
    while (pr->out.len > 0 && pr->out.ptr[pr->out.len - 1] == ' ') {
        pr->out.len--;
        pr->col--;
    }
    pr->out.ptr[pr->out.len] = '\0';
}

/* Puts word on the line, first starting a new one at the indent when the
 * word would end past width, unless the line holds no more than the
 * indent (a wrap that would not help): numpy's _extendLine. */
static void S_extend(S_printer *pr, const char *word, int len, int indent,
                     int width)
{
    if (pr->col + len > width && pr->col > indent) {
        S_rstrip(pr);
        galley__rt_buf_add(&pr->out, "\n", 1);
        pr->col = 0;
        S_spaces(&pr->out, indent);
        pr->col = indent;
    }
    S_put(pr, word, len);
}

/* The separator of the style: numpy's str() " ", compact ", ". */
static const char *S_separator(const S_printer *pr)
{
    return pr->o.style == GALLEY_PRINT_COMPACT ? ", " : " ";
}

/* Lays out the innermost axis at p: its entries on lines that end by
 * width, less one column for the closing bracket or the comma. */
static void S_emit_row(S_printer *pr, int axis, const char *p, int width)
{
    const char *sep = S_separator(pr);
    int seplen = (int)strlen(sep), indent = axis + 1;
    long n = pr->t->shape[axis], lead = S_leading(pr, n);
    long trail = S_trailing(pr, n), shown = lead + trail;
    for (long j = 0; j < shown; j++) {
        char s[S_ELEM_MAX];
        if (j > 0)
            S_put(pr, sep, seplen);
        if (trail && j == lead) {
            S_extend(pr, "...", 3, indent, width - 1);
            S_put(pr, sep, seplen);
        }
        long i = j < lead ? j : n - shown + j;
        int len = S_elem(pr, s, p + i * pr->bstride[axis]);
        S_extend(pr, s, len, indent, width - 1);
    }
}

/* Ends an entry of an outer axis: the separator without its spaces and a
 * newline per axis below, then the indent of the next entry. */
static void S_next_line(S_printer *pr, int axis)
{
    const char *sep = S_separator(pr);
    galley__rt_buf_add(&pr->out, sep, strcspn(sep, " "));
    for (int b = axis; b < pr->t->ndim - 1; b++)
        galley__rt_buf_add(&pr->out, "\n", 1);
    pr->col = 0;
    S_spaces(&pr->out, axis + 1);
    pr->col = axis + 1;
}

/* Lays out the subarray at axis, first element at p, within width columns
 * (numpy takes one off per level, for its closing bracket). */
static void S_emit(S_printer *pr, int axis, const char *p, int width)
{
    S_put(pr, "[", 1);
    if (axis == pr->t->ndim - 1) {
        S_emit_row(pr, axis, p, width);
    } else {
        long n = pr->t->shape[axis], lead = S_leading(pr, n);
        long trail = S_trailing(pr, n), shown = lead + trail;
        for (long j = 0; j < shown; j++) {
            if (j > 0)
                S_next_line(pr, axis);
            if (trail && j == lead) {
                S_put(pr, "...", 3);
                S_next_line(pr, axis);
            }
            long i = j < lead ? j : n - shown + j;
            S_emit(pr, axis + 1, p + i * pr->bstride[axis], width - 1);
        }
    }
    S_put(pr, "]", 1);
}

/* ---- the whole text ---- */

/* Appends the header line and the body of t to pr->out. */
static void S_print(S_printer *pr, const galley_tensor *t)
{
    char desc[GALLEY__SHAPE_STR_MAX + 8];
    pr->t = t;
    pr->o = galley_get_print_options();
    pr->summarize = t->numel > pr->o.threshold;
    pr->edge = pr->o.edgeitems;
    for (int i = 0; i < t->ndim; i++)
        pr->bstride[i] = t->strides[i] * (long)galley__elsize(t->dtype);
    galley__rt_buf_puts(&pr->out, galley__desc(t, desc));
    galley__rt_buf_add(&pr->out, "\n", 1);
    if (t->numel == 0) {
        galley__rt_buf_add(&pr->out, "[]\n", 3);
        return;
    }
    locale_t c = galley__c_locale(), old = c ? uselocale(c) : (locale_t)0;
    const char *base = galley__ptr(t);
    S_find_format(pr, base);
    if (t->ndim == 0) {
        char s[S_ELEM_MAX];
        S_put(pr, s, S_elem(pr, s, base));
    } else {
        S_emit(pr, 0, base, pr->o.linewidth);
    }
    if (c)
        uselocale(old);
    galley__rt_buf_add(&pr->out, "\n", 1);
}

/* The text of t as a NUL-terminated heap string, or NULL after a reported
 * error (t NULL or freed); op names the public function for it. */
static char *S_text(const galley_tensor *t, const char *op, size_t *len)
{
    if (galley__check(t, op, "t"))
        return NULL;
    S_printer pr = {0};
    /* A device tensor prints from a host copy (a download), with the same
     * text as on the CPU, so that one expectation holds on both. */
    galley_scope *s = galley_scope_begin();
    S_print(&pr, galley__on_host(t));
    galley_scope_end(s);
    *len = pr.out.len;
    return galley__rt_buf_detach(&pr.out);
}

/* Writes t's text to f. */
static void S_fprint(FILE *f, const galley_tensor *t, const char *op)
{
    if (!f) {
        galley__error(op, "file is NULL");
        return;
    }
    size_t len;
    char *s = S_text(t, op, &len);
    if (!s)
        return;
    fwrite(s, 1, len, f);
    free(s);
}

/* Prints t to standard output. */
void galley_tensor_print(const galley_tensor *t)
{
    S_fprint(stdout, t, "galley_tensor_print");
}

/* Prints t to f. */
void galley_tensor_fprint(FILE *f, const galley_tensor *t)
{
    S_fprint(f, t, "galley_tensor_fprint");
}

/* The text galley_tensor_fprint writes, as a string the caller frees; NULL after
 * a reported error. */
char *galley_tensor_format(const galley_tensor *t)
{
    size_t len;
    return S_text(t, "galley_tensor_format", &len);
}
