/* tensor_print.c: tensors as text, in the manner of numpy's array repr: a
 * header line with dtype and shape, nested brackets, decimal points lined
 * up in a column, "..." for the middle of long axes of big tensors. */
#include "tensor_internal.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* The longest element: "-1.2345678901234567e-308" (24) or an int64 (20). */
#define S_ELEM_MAX 32

/* The split stored for nan, inf and -inf, which numpy right-aligns in the
 * whole column rather than at the decimal point. */
#define S_SPECIAL 255

/* This thread's options as set; zero fields mean the defaults. */
static _Thread_local galley_print_options S_options;

/* One print: the tensor, its options, the shown elements formatted in
 * row-major order and packed as [length][split][chars...], where split is
 * the length of the part before the decimal point (or the 'e', or the
 * end), or S_SPECIAL; the widest such parts, and the widest special; and
 * the text made. */
typedef struct S_printer {
    const galley_tensor *t;
    int precision;
    long edge;      /* items shown at each end of a long axis; 0: all */
    long bstride[GALLEY_MAX_DIMS]; /* strides in bytes */
    galley__rt_buf elems;
    size_t next;    /* the next element of elems to lay out */
    int before, after, special;
    galley__rt_buf out;
} S_printer;

/* ---- options ---- */

/* o with the defaults in place of zero fields, and clamped. */
static galley_print_options S_resolve(galley_print_options o)
{
    if (o.precision == 0)
        o.precision = 6;
    o.precision = o.precision < 1 ? 1 : o.precision > 17 ? 17 : o.precision;
    if (o.threshold == 0)
        o.threshold = 1000;
    /* 1, not 0, which would read back as the default: summarizing a
     * single element changes nothing, so 1 acts as "always". */
    if (o.threshold < 0)
        o.threshold = 1;
    if (o.edgeitems == 0)
        o.edgeitems = 3;
    if (o.edgeitems < 1)
        o.edgeitems = 1;
    return o;
}

/* Sets this thread's print options; zero fields (or options NULL) take
 * the defaults. */
void galley_set_print_options(const galley_print_options *options)
{
    S_options = S_resolve(options ? *options : (galley_print_options){0});
}

/* This thread's print options, defaults filled in. */
galley_print_options galley_get_print_options(void)
{
    return S_resolve(S_options);
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

/* ---- formatting one element ---- */

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

/* Writes x as %.*g into s (S_ELEM_MAX bytes) with the spellings numpy
 * uses for the special values; returns the length. -0 is 0 so that a sign
 * of zero, which differs between equivalent computations, stays out of
 * test output. */
static int S_format_float(char *s, double x, int precision)
{
    if (isnan(x))
        return (int)strlen(strcpy(s, "nan"));
    if (isinf(x))
        return (int)strlen(strcpy(s, x > 0 ? "inf" : "-inf"));
    if (x == 0)
        return (int)strlen(strcpy(s, "0"));
    return snprintf(s, S_ELEM_MAX, "%.*g", precision, x);
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

/* Formats the element at p and appends it to the packed elements. */
static void S_add(S_printer *pr, const char *p)
{
    char *s = galley__rt_buf_room(&pr->elems, 2 + S_ELEM_MAX) + 2;
    int len;
    double x = 0;
    if (pr->t->dtype == GALLEY_I64) {
        len = S_format_int(s, *(const int64_t *)p);
    } else {
        x = pr->t->dtype == GALLEY_F32 ? *(const float *)p
                                       : *(const double *)p;
        len = S_format_float(s, x, pr->precision);
    }
    int split = isfinite(x) ? S_split(s, len) : S_SPECIAL;
    pr->elems.ptr[pr->elems.len] = (char)len;
    pr->elems.ptr[pr->elems.len + 1] = (char)split;
    pr->elems.len += 2 + (size_t)len;
    if (split == S_SPECIAL) {
        if (len > pr->special)
            pr->special = len;
        return;
    }
    if (split > pr->before)
        pr->before = split;
    if (len - split > pr->after)
        pr->after = len - split;
}

/* ---- walking the shown elements ---- */

/* How many of the n entries of an axis are shown. */
static long S_shown(const S_printer *pr, long n)
{
    return pr->edge && n > 2 * pr->edge ? 2 * pr->edge : n;
}

/* The index of the j-th shown entry of an axis of n. */
static long S_index(const S_printer *pr, long n, long j)
{
    return pr->edge && n > 2 * pr->edge && j >= pr->edge
               ? n - 2 * pr->edge + j
               : j;
}

/* Whether "..." goes before the j-th shown entry of an axis of n. */
static int S_gap(const S_printer *pr, long n, long j)
{
    return pr->edge && n > 2 * pr->edge && j == pr->edge;
}

/* Formats the shown elements under axis, whose first element is at p, in
 * row-major order. */
static void S_collect(S_printer *pr, int axis, const char *p)
{
    const galley_tensor *t = pr->t;
    long n = t->shape[axis], k = S_shown(pr, n);
    for (long j = 0; j < k; j++) {
        const char *q = p + S_index(pr, n, j) * pr->bstride[axis];
        if (axis == t->ndim - 1)
            S_add(pr, q);
        else
            S_collect(pr, axis + 1, q);
    }
}

/* Lays out the next packed element, padded to the common widths. */
static void S_emit_elem(S_printer *pr)
{
    const char *e = pr->elems.ptr + pr->next;
    int len = (unsigned char)e[0], split = (unsigned char)e[1];
    if (split == S_SPECIAL) {
        S_spaces(&pr->out, pr->before + pr->after - len);
        galley__rt_buf_add(&pr->out, e + 2, (size_t)len);
    } else {
        S_spaces(&pr->out, pr->before - split);
        galley__rt_buf_add(&pr->out, e + 2, (size_t)len);
        S_spaces(&pr->out, pr->after - (len - split));
    }
    pr->next += 2 + (size_t)len;
}

/* Writes what separates two entries of axis: ", " on the innermost axis;
 * else ",", a newline, ndim - axis - 2 blank lines, and the indent that
 * lines the next subarray up under the bracket. */
static void S_sep(S_printer *pr, int axis)
{
    int ndim = pr->t->ndim;
    if (axis == ndim - 1) {
        galley__rt_buf_add(&pr->out, ", ", 2);
        return;
    }
    galley__rt_buf_add(&pr->out, ",\n", 2);
    for (int b = 0; b < ndim - axis - 2; b++)
        galley__rt_buf_add(&pr->out, "\n", 1);
    S_spaces(&pr->out, axis + 1);
}

/* Lays out the subarray at axis as numpy does: the innermost axis on one
 * line, the others one subarray per line; "..." stands as an entry for
 * the entries left out. */
static void S_emit(S_printer *pr, int axis)
{
    long n = pr->t->shape[axis], k = S_shown(pr, n);
    galley__rt_buf_add(&pr->out, "[", 1);
    for (long j = 0; j < k; j++) {
        if (j > 0)
            S_sep(pr, axis);
        if (S_gap(pr, n, j)) {
            galley__rt_buf_add(&pr->out, "...", 3);
            S_sep(pr, axis);
        }
        if (axis == pr->t->ndim - 1)
            S_emit_elem(pr);
        else
            S_emit(pr, axis + 1);
    }
    galley__rt_buf_add(&pr->out, "]", 1);
}

/* ---- the whole text ---- */

/* Appends the header line and the body of t to pr->out. */
static void S_print(S_printer *pr, const galley_tensor *t)
{
    galley_print_options o = galley_get_print_options();
    char desc[GALLEY__SHAPE_STR_MAX + 8];
    pr->t = t;
    pr->precision = o.precision;
    pr->edge = t->numel > o.threshold ? o.edgeitems : 0;
    for (int i = 0; i < t->ndim; i++)
        pr->bstride[i] = t->strides[i] * (long)galley__elsize(t->dtype);
    galley__rt_buf_puts(&pr->out, galley__desc(t, desc));
    galley__rt_buf_add(&pr->out, "\n", 1);
    if (t->numel == 0) {
        galley__rt_buf_add(&pr->out, "[]\n", 3);
        return;
    }
    locale_t c = galley__c_locale(), old = c ? uselocale(c) : (locale_t)0;
    if (t->ndim == 0)
        S_add(pr, galley__ptr(t));
    else
        S_collect(pr, 0, galley__ptr(t));
    if (c)
        uselocale(old);
    /* As numpy: a special wider than the column widens its integer part. */
    if (pr->special - pr->after > pr->before)
        pr->before = pr->special - pr->after;
    if (t->ndim == 0)
        S_emit_elem(pr);
    else
        S_emit(pr, 0);
    galley__rt_buf_add(&pr->out, "\n", 1);
}

/* The text of t as a NUL-terminated heap string, or NULL after a reported
 * error (t NULL or freed); op names the public function for it. */
static char *S_text(const galley_tensor *t, const char *op, size_t *len)
{
    if (galley__check(t, op, "t"))
        return NULL;
    S_printer pr = {0};
    S_print(&pr, t);
    galley__rt_buf_fini(&pr.elems);
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
