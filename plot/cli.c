/* cli.c: `galley plot`, the command-line front end of plot/. It parses the
 * options, reads the rows of numbers of the files (or standard input) into
 * one growable array, and hands its columns to the plotting library. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../source/options.h"
#include "../source/util.h"
#include "galley/plot.h"

static const char S_help[] =
    "usage: galley plot [options] [FILE...]\n"
    "Draws the columns of numbers in the FILEs (standard input when there\n"
    "are none, or for -) as a text chart on standard output.\n"
    "\n"
    "  --kind=KIND      line (the default), scatter, hist, bars, heatmap,\n"
    "                   or loss\n"
    "  --x=N|index      the x column, from 1 (default: 1, or the row index\n"
    "                   when there is one column)\n"
    "  --columns=N,...  the y columns (default: all but x)\n"
    "  --header         the first row holds column names\n"
    "  --no-header      it does not (default: it does when one of its cells\n"
    "                   is not a number)\n"
    "  --width=N        columns of the plot area (default 60)\n"
    "  --height=N       rows of the plot area (default 15)\n"
    "  --canvas=C       ascii (the default), block or braille\n"
    "  --title=T, --xlabel=T, --ylabel=T\n"
    "  --xlim=A,B       the x range shown; --ylim=A,B the y range\n"
    "  --xlog, --ylog   log10 scale\n"
    "  --bins=N         hist: the number of bins (default: Sturges' rule)\n"
    "  --smooth=W       loss: smoothing weight in [0, 1), as TensorBoard's\n"
    "  --color=WHEN     auto (the default), always or never\n"
    "  --skip-bad       skip the rows with a bad cell or a wrong number of\n"
    "                   cells, and say how many\n"
    "  -h, --help       print this and exit\n"
    "\n"
    "Cells are separated by whitespace or commas; blank lines and lines\n"
    "that begin with # are skipped.\n"
    "Exit status: 0 drawn, 1 bad input data, 2 bad usage. See galley(1).\n";

/* ---- the command line ---- */

typedef enum S_kind {
    S_LINE,
    S_SCATTER,
    S_HIST,
    S_BARS,
    S_HEATMAP,
    S_LOSS
} S_kind;

static const char *const S_kinds[] = {"line", "scatter", "hist",
                                      "bars", "heatmap", "loss"};

/* --x=index: the row index is x. */
#define S_INDEX (-1)

/* What the command line asked for. */
typedef struct S_args {
    galley_plot_options plot; /* for galley_plot_new */
    S_kind kind;
    int x;            /* the x column from 1; 0: the default; S_INDEX */
    int *columns;     /* --columns, from 1 (heap), n_columns of them */
    size_t n_columns;
    int header;       /* 1: --header; -1: --no-header; 0: guess */
    int skip_bad;
    char why[256];    /* a bad option's message */
    int xlabel_given; /* --xlabel, even empty: no x label from a header */
    const char **files; /* n_files (heap array of argv's strings) */
    size_t n_files;
    locale_t c;       /* the C locale: numbers never follow LC_NUMERIC */
} S_args;

/* Prints "galley: plot: MSG" to stderr, through galley's one printer. */
static void S_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void S_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = galley__xvasprintf(fmt, ap);
    va_end(ap);
    galley__note("plot: %s", msg);
    free(msg);
}

/* Prints a usage error and the hint; returns the exit status 2. */
static int S_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int S_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = galley__xvasprintf(fmt, ap);
    va_end(ap);
    galley__usage_error("plot", "%s", msg);
    free(msg);
    return 2;
}

/* Parses all of s as a number in the C locale: "1e-3", "-0.5", "inf" and
 * "nan" are numbers, "", " 1" and "1x" are not. Returns 1 if it is. */
static int S_number(locale_t c, const char *s, double *out)
{
    char *end;
    if (!*s || *s == ' ' || *s == '\t')
        return 0;
    *out = strtod_l(s, &end, c);
    return *end == '\0';
}

/* Parses all of s as a whole number in [lo, hi]; returns 1 if it is. */
static int S_whole(const char *s, long lo, long hi, int *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (*end || errno || n < lo || n > hi)
        return 0;
    *out = (int)n;
    return 1;
}

/* Parses "A,B" with A < B, both finite, into lim. */
static int S_range(locale_t c, const char *s, double lim[2])
{
    const char *comma = strchr(s, ',');
    if (!comma)
        return 0;
    char *a = galley__xstrndup(s, (size_t)(comma - s));
    int ok = S_number(c, a, &lim[0]) && S_number(c, comma + 1, &lim[1]) &&
             isfinite(lim[0]) && isfinite(lim[1]) && lim[0] < lim[1];
    free(a);
    return ok;
}

/* ---- options: each setter returns NULL, or what it expected ---- */

typedef const char *(*S_setter)(S_args *a, const char *v);

static const char *S_set_kind(S_args *a, const char *v)
{
    for (size_t i = 0; i < sizeof S_kinds / sizeof *S_kinds; i++)
        if (!strcmp(v, S_kinds[i])) {
            a->kind = (S_kind)i;
            return NULL;
        }
    return "line, scatter, hist, bars, heatmap or loss";
}

static const char *S_set_width(S_args *a, const char *v)
{
    return S_whole(v, 1, 1000, &a->plot.width)
               ? NULL
               : "a whole number from 1 to 1000";
}

static const char *S_set_height(S_args *a, const char *v)
{
    return S_whole(v, 1, 1000, &a->plot.height)
               ? NULL
               : "a whole number from 1 to 1000";
}

static const char *S_set_canvas(S_args *a, const char *v)
{
    if (!strcmp(v, "ascii"))
        a->plot.canvas = GALLEY_CANVAS_ASCII;
    else if (!strcmp(v, "block"))
        a->plot.canvas = GALLEY_CANVAS_BLOCK;
    else if (!strcmp(v, "braille"))
        a->plot.canvas = GALLEY_CANVAS_BRAILLE;
    else
        return "ascii, block or braille";
    return NULL;
}

/* An empty text is no text: --title= removes a title. */
static const char *S_text(const char *v)
{
    return *v ? v : NULL;
}

static const char *S_set_title(S_args *a, const char *v)
{
    a->plot.title = S_text(v);
    return NULL;
}

static const char *S_set_xlabel(S_args *a, const char *v)
{
    a->plot.xlabel = S_text(v);
    a->xlabel_given = 1;
    return NULL;
}

static const char *S_set_ylabel(S_args *a, const char *v)
{
    a->plot.ylabel = S_text(v);
    return NULL;
}

static const char *S_set_xlim(S_args *a, const char *v)
{
    return S_range(a->c, v, a->plot.xlim) ? NULL
                                          : "two numbers A,B with A < B";
}

static const char *S_set_ylim(S_args *a, const char *v)
{
    return S_range(a->c, v, a->plot.ylim) ? NULL
                                          : "two numbers A,B with A < B";
}

static const char *S_set_xlog(S_args *a, const char *v)
{
    (void)v;
    a->plot.xlog = 1;
    return NULL;
}

static const char *S_set_ylog(S_args *a, const char *v)
{
    (void)v;
    a->plot.ylog = 1;
    return NULL;
}

static const char *S_set_bins(S_args *a, const char *v)
{
    return S_whole(v, 1, 1000, &a->plot.bins)
               ? NULL
               : "a whole number from 1 to 1000";
}

static const char *S_set_smooth(S_args *a, const char *v)
{
    double w;
    if (!S_number(a->c, v, &w) || !(w >= 0 && w < 1))
        return "a number from 0 up to (not including) 1";
    a->plot.smooth = w;
    return NULL;
}


static const char *S_set_color(S_args *a, const char *v)
{
    if (!strcmp(v, "always"))
        a->plot.color = 1;
    else if (!strcmp(v, "never"))
        a->plot.color = 0;
    else if (!strcmp(v, "auto"))
        a->plot.color = galley__color_auto(1);
    else
        return "auto, always or never";
    return NULL;
}

static const char *S_set_x(S_args *a, const char *v)
{
    if (!strcmp(v, "index")) {
        a->x = S_INDEX;
        return NULL;
    }
    return S_whole(v, 1, 100000, &a->x) ? NULL
                                        : "a column from 1, or index";
}

/* "2,3": a list of columns from 1, kept in the order given. */
static const char *S_set_columns(S_args *a, const char *v)
{
    size_t n = 1;
    for (const char *s = v; *s; s++)
        n += *s == ',';
    int *cols = galley__xcalloc(n, sizeof *cols);
    const char *s = v;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(s, ",");
        char *one = galley__xstrndup(s, len);
        int ok = S_whole(one, 1, 100000, &cols[i]);
        free(one);
        if (!ok) {
            free(cols);
            return "columns from 1, such as 2 or 2,3";
        }
        s += len + 1;
    }
    free(a->columns);
    a->columns = cols;
    a->n_columns = n;
    return NULL;
}

static const char *S_set_header(S_args *a, const char *v)
{
    (void)v;
    a->header = 1;
    return NULL;
}

static const char *S_set_no_header(S_args *a, const char *v)
{
    (void)v;
    a->header = -1;
    return NULL;
}

static const char *S_set_skip_bad(S_args *a, const char *v)
{
    (void)v;
    a->skip_bad = 1;
    return NULL;
}

typedef struct S_option {
    const char *name; /* without its "--" */
    int takes_value;
    S_setter set;
} S_option;

static const S_option S_options[] = {
    {"kind", 1, S_set_kind},         {"width", 1, S_set_width},
    {"height", 1, S_set_height},     {"canvas", 1, S_set_canvas},
    {"title", 1, S_set_title},       {"xlabel", 1, S_set_xlabel},
    {"ylabel", 1, S_set_ylabel},     {"xlim", 1, S_set_xlim},
    {"ylim", 1, S_set_ylim},         {"xlog", 0, S_set_xlog},
    {"ylog", 0, S_set_ylog},         {"bins", 1, S_set_bins},
    {"smooth", 1, S_set_smooth},     {"color", 1, S_set_color},
    {"x", 1, S_set_x},               {"columns", 1, S_set_columns},
    {"header", 0, S_set_header},     {"no-header", 0, S_set_no_header},
    {"skip-bad", 0, S_set_skip_bad},
};

#define S_N_OPTIONS ((int)(sizeof S_options / sizeof *S_options))

/* The option parser's callback: applies option i with value v. Returns
 * NULL, or what is wrong (in a->why). */
static const char *S_set(void *ctx, int i, const char *v)
{
    S_args *a = ctx;
    const char *want = S_options[i].set(a, v);
    if (!want)
        return NULL;
    snprintf(a->why, sizeof a->why, "--%s=%s: expected %s",
             S_options[i].name, v ? v : "", want);
    return a->why;
}

/* Rejects options that the kind does not use, rather than ignoring them. */
static int S_check_kind(const S_args *a)
{
    const char *kind = S_kinds[a->kind];
    if (a->plot.bins && a->kind != S_HIST)
        return S_usage("--bins is for --kind=hist, not %s", kind);
    if (a->plot.smooth > 0 && a->kind != S_LOSS)
        return S_usage("--smooth is for --kind=loss, not %s", kind);
    if (a->kind == S_HEATMAP && (a->x || a->n_columns))
        return S_usage("--x and --columns are not for --kind=%s: it draws "
                       "every column", kind);
    if (a->kind == S_BARS && a->n_columns > 1)
        return S_usage("--kind=%s draws one column of values; pick it with "
                       "--columns=N", kind);
    return 0;
}

/* Parses the arguments into a (its files point into argv). Returns 0, -1
 * after --help (printed), or the exit status 2. */
static int S_parse(S_args *a, int argc, char **argv)
{
    static galley__option opts[S_N_OPTIONS];
    for (int i = 0; i < S_N_OPTIONS; i++)
        opts[i] = (galley__option){S_options[i].name, 0,
                                   S_options[i].takes_value ? GALLEY__VALUE
                                                            : GALLEY__FLAG};
    a->files = galley__xcalloc((size_t)argc + 1, sizeof *a->files);
    a->plot.color = galley__color_auto(1);
    int n = 0;
    int rc = galley__options_parse("plot", S_help, opts, S_N_OPTIONS, argc,
                                   argv, S_set, a, (char **)a->files, &n);
    a->n_files = (size_t)n;
    return rc ? rc : S_check_kind(a);
}

/* ---- reading rows of cells ---- */

/* A growable array of doubles. */
typedef struct S_values {
    double *v;
    size_t len, cap;
} S_values;

/* Makes room for n more values. */
static void S_values_room(S_values *a, size_t n)
{
    if (a->len + n <= a->cap)
        return;
    size_t cap = a->cap ? a->cap : 1024;
    while (cap < a->len + n)
        cap *= 2;
    a->v = galley__xrealloc(a->v, cap * sizeof *a->v);
    a->cap = cap;
}

/* The rows of one input: a block of the shared array of values. */
typedef struct S_table {
    const char *name; /* as messages name it: the path, or "<stdin>" */
    size_t first;     /* the index of its first value */
    size_t rows;
    size_t cols;      /* 0 until its first row is read */
    char **names;     /* the header's cells (cols of them, heap), or NULL */
    int x;            /* the x column from 0, or S_INDEX; set with cols */
} S_table;

/* Everything read. */
typedef struct S_data {
    S_values values;   /* every table's cells, row by row */
    S_table *tables;   /* one per input, n_tables of them (heap) */
    size_t n_tables;
    galley__buf labels; /* bars: each bar's label, each ending in NUL */
    size_t n_labels;
    size_t skipped;    /* bad rows skipped under --skip-bad */
    galley__buf skipped_at; /* "FILE:LINE, ..." of the first few of them */
} S_data;

/* The state of reading one input. */
typedef struct S_reader {
    const S_args *a;
    S_data *d;
    S_table *t;
    size_t line;  /* the number of the line being read, from 1 */
    char **cells; /* the cells of the line (pointers into it) */
    size_t n_cells, cap_cells;
} S_reader;

static void S_add_cell(S_reader *r, char *cell)
{
    if (r->n_cells == r->cap_cells) {
        r->cap_cells = r->cap_cells ? 2 * r->cap_cells : 16;
        r->cells = galley__xrealloc(r->cells,
                                    r->cap_cells * sizeof *r->cells);
    }
    r->cells[r->n_cells++] = cell;
}

static int S_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Cuts one cell out of the line at s, in place: a run of bytes up to a
 * blank or a comma, or a CSV string in double quotes ("" for a quote,
 * commas and blanks kept). Returns where the cell ended. */
static char *S_cut_cell(S_reader *r, char *s)
{
    S_add_cell(r, s);
    if (*s != '"') {
        while (*s && !S_blank(*s) && *s != ',')
            s++;
        return s;
    }
    /* Unquoted in place: out stays behind s, by the quotes taken out. */
    char *out = s;
    for (s++; *s && (*s != '"' || s[1] == '"'); s++)
        *out++ = *s == '"' ? *s++ : *s;
    if (*s)
        s++;
    /* What follows the closing quote up to a separator belongs to the
     * cell, as lenient CSV readers take it. */
    while (*s && !S_blank(*s) && *s != ',')
        *out++ = *s++;
    *out = '\0';
    return s;
}

/* Splits the line into r->cells: separated by blanks or by one comma with
 * blanks around it, so "1,,3" has an empty second cell. A blank line or a
 * comment line ('#' first) has none. */
static void S_split(S_reader *r, char *s)
{
    r->n_cells = 0;
    while (S_blank(*s))
        s++;
    if (!*s || *s == '#')
        return;
    for (;;) {
        char *end = S_cut_cell(r, s);
        s = end;
        while (S_blank(*s))
            s++;
        int comma = *s == ',';
        s += comma;
        while (S_blank(*s))
            s++;
        *end = '\0'; /* after looking at what followed the cell */
        if (!*s && !comma)
            return;
    }
}

/* Whether byte c continues a UTF-8 character. */
static int S_continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* Appends cell to b in double quotes, cut after about 40 bytes (not inside
 * a UTF-8 character), with control bytes, quotes and backslashes escaped,
 * so that any cell shows on one line as it is. */
static void S_quote(galley__buf *b, const char *cell)
{
    galley__buf_putc(b, '"');
    size_t i = 0;
    for (; cell[i] && (i < 40 || S_continuation(cell[i])); i++) {
        unsigned char c = (unsigned char)cell[i];
        if (c == '"' || c == '\\')
            galley__buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            galley__buf_printf(b, "\\x%02x", c);
        else
            galley__buf_putc(b, (char)c);
    }
    galley__buf_puts(b, cell[i] ? "\"..." : "\"");
}

/* A row that cannot be used: an error (returns 1), or under --skip-bad
 * counted (returns 0). what says why, after "FILE:LINE: ". */
static int S_bad_row(S_reader *r, const char *what)
{
    S_data *d = r->d;
    if (!r->a->skip_bad) {
        S_say("%s:%zu: %s (use --skip-bad to ignore such rows)", r->t->name,
              r->line, what);
        return 1;
    }
    if (d->skipped++ < 5)
        galley__buf_printf(&d->skipped_at, "%s%s:%zu",
                          d->skipped > 1 ? ", " : "", r->t->name, r->line);
    return 0;
}

/* Whether column c (from 0) holds text rather than numbers: the labels of
 * bars. */
static int S_text_column(const S_reader *r, size_t c)
{
    return r->a->kind == S_BARS && r->t->x == (int)c;
}

/* The x column (from 0, or S_INDEX) of a table of cols columns. */
static int S_x_of(const S_args *a, size_t cols)
{
    if (a->x == S_INDEX || (a->x == 0 && cols == 1))
        return S_INDEX;
    return a->x ? a->x - 1 : 0;
}

/* Checks that the columns asked for exist in a table of cols columns and
 * that one is left for y. Returns 0 or 1 after saying why not. */
static int S_check_columns(const S_reader *r, size_t cols)
{
    const S_args *a = r->a;
    size_t need = a->x > 0 ? (size_t)a->x : 0;
    for (size_t i = 0; i < a->n_columns; i++)
        if ((size_t)a->columns[i] > need)
            need = (size_t)a->columns[i];
    if (need > cols) {
        S_say("%s:%zu: there is no column %zu: the rows have %zu column%s",
              r->t->name, r->line, need, cols, cols == 1 ? "" : "s");
        return 1;
    }
    for (size_t i = 0; a->kind == S_BARS && i < a->n_columns; i++)
        if (a->columns[i] - 1 == S_x_of(a, cols)) {
            S_say("%s:%zu: column %d holds the labels of the bars, not their "
                  "values", r->t->name, r->line, a->columns[i]);
            return 1;
        }
    if (a->kind != S_HEATMAP && !a->n_columns && cols == 1 &&
        S_x_of(a, cols) == 0) {
        S_say("%s:%zu: no column is left for y: the rows have only x",
              r->t->name, r->line);
        return 1;
    }
    return 0;
}

/* The number of columns the next row should have: the table's, or for a
 * heatmap stacked from several inputs the first input's; 0: any. */
static size_t S_expected_cols(const S_reader *r)
{
    if (r->t->cols || r->a->kind != S_HEATMAP)
        return r->t->cols;
    for (size_t i = 0; i < r->d->n_tables; i++)
        if (r->d->tables[i].cols)
            return r->d->tables[i].cols;
    return 0;
}

/* Parses the cells of the row into values, or says which is not a number
 * (returns 1, with values as they were). */
static int S_parse_row(S_reader *r, const char **bad, size_t *bad_col)
{
    S_values *v = &r->d->values;
    S_values_room(v, r->n_cells);
    for (size_t c = 0; c < r->n_cells; c++) {
        double *out = &v->v[v->len + c];
        *out = 0; /* a label's place */
        if (!S_text_column(r, c) && !S_number(r->a->c, r->cells[c], out)) {
            *bad = r->cells[c];
            *bad_col = c;
            return 1;
        }
    }
    v->len += r->n_cells;
    return 0;
}

/* Keeps the row's label (bars): its label cell or its index. */
static void S_keep_label(S_reader *r)
{
    S_data *d = r->d;
    if (r->t->x == S_INDEX)
        galley__buf_printf(&d->labels, "%zu", r->t->rows);
    else
        galley__buf_puts(&d->labels, r->cells[r->t->x]);
    galley__buf_putc(&d->labels, '\0');
    d->n_labels++;
}

/* Takes in a data row. Returns 0, or 1 for a bad row not skipped. */
static int S_data_row(S_reader *r)
{
    size_t cols = r->t->cols, col;
    const char *bad;
    if (r->n_cells != cols) {
        char *what = galley__xasprintf(
            "%zu column%s, but the rows before have %zu", r->n_cells,
            r->n_cells == 1 ? "" : "s", cols);
        int rc = S_bad_row(r, what);
        free(what);
        return rc;
    }
    if (S_parse_row(r, &bad, &col)) {
        galley__buf what;
        galley__buf_init(&what);
        galley__buf_printf(&what, "column %zu: ", col + 1);
        if (*bad) {
            S_quote(&what, bad);
            galley__buf_puts(&what, " is not a number");
        } else
            galley__buf_puts(&what, "empty cell");
        int rc = S_bad_row(r, what.ptr);
        galley__buf_fini(&what);
        return rc;
    }
    if (r->a->kind == S_BARS)
        S_keep_label(r);
    r->t->rows++;
    return 0;
}

/* Whether the table's first row is its header: --header says so, or,
 * unless --no-header, one of its cells that should hold a number does
 * not. */
static int S_is_header(const S_reader *r)
{
    double ignored;
    if (r->a->header)
        return r->a->header > 0;
    for (size_t c = 0; c < r->n_cells; c++)
        if (!S_text_column(r, c) &&
            !S_number(r->a->c, r->cells[c], &ignored))
            return 1;
    return 0;
}

/* Takes in the table's first row: it fixes the number of columns, and is
 * either the header or the first data row. Returns 0 or 1. */
static int S_first_row(S_reader *r)
{
    S_table *t = r->t;
    size_t expect = S_expected_cols(r);
    t->x = S_x_of(r->a, r->n_cells);
    int header = S_is_header(r);
    if (expect) {
        /* A heatmap's later input: its rows, header included, must be as
         * wide as the first input's. */
        t->cols = expect;
        if (!header || r->n_cells != expect)
            return S_data_row(r);
    } else {
        t->cols = r->n_cells;
        if (S_check_columns(r, t->cols))
            return 1;
        if (!header)
            return S_data_row(r);
    }
    t->names = galley__xcalloc(t->cols, sizeof *t->names);
    for (size_t c = 0; c < t->cols; c++)
        t->names[c] = galley__xstrdup(r->cells[c]);
    return 0;
}

/* Reads the lines of f into the reader's table. Returns 0, 1 (bad data)
 * or 2 (a read error, said). */
static int S_read_lines(S_reader *r, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        r->line++;
        char *s = line;
        /* A spreadsheet's CSV may begin with a UTF-8 byte order mark. */
        if (r->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
            s += 3;
        if (len > 0 && line[len - 1] == '\n')
            line[len - 1] = '\0';
        S_split(r, s);
        if (r->n_cells)
            rc = r->t->cols ? S_data_row(r) : S_first_row(r);
    }
    if (rc == 0 && ferror(f)) {
        S_usage("%s: %s", r->t->name, strerror(errno));
        rc = 2;
    }
    free(line);
    return rc;
}

/* Reads the input at path ("-": standard input) as a new table. Returns
 * 0, 1 (bad data, said) or 2 (unreadable, said). */
static int S_read_input(const S_args *a, S_data *d, const char *path)
{
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    if (!f)
        return S_usage("%s: %s", path, strerror(errno));
    d->tables = galley__xrealloc(d->tables,
                                 (d->n_tables + 1) * sizeof *d->tables);
    S_table *t = &d->tables[d->n_tables++];
    *t = (S_table){.name = is_stdin ? "<stdin>" : path,
                   .first = d->values.len,
                   .x = S_INDEX};
    S_reader r = {.a = a, .d = d, .t = t};
    int rc = S_read_lines(&r, f);
    free(r.cells);
    if (!is_stdin)
        fclose(f);
    return rc;
}

static void S_data_fini(S_data *d)
{
    for (size_t i = 0; i < d->n_tables; i++) {
        for (size_t c = 0; d->tables[i].names && c < d->tables[i].cols; c++)
            free(d->tables[i].names[c]);
        free(d->tables[i].names);
    }
    free(d->tables);
    free(d->values.v);
    galley__buf_fini(&d->labels);
    galley__buf_fini(&d->skipped_at);
}

/* ---- drawing ---- */

/* The y columns (from 0) of table t into ys (room for t->cols or
 * n_columns); returns how many. */
static size_t S_ys(const S_args *a, const S_table *t, int *ys)
{
    size_t n = 0;
    if (a->n_columns) {
        for (; n < a->n_columns; n++)
            ys[n] = a->columns[n] - 1;
        return n;
    }
    for (size_t c = 0; c < t->cols; c++)
        if ((int)c != t->x && !(a->kind == S_BARS && n == 1))
            ys[n++] = (int)c;
    return n;
}

/* Copies column c of table t into out (t->rows values). */
static void S_column(const S_data *d, const S_table *t, int c, double *out)
{
    const double *row = d->values.v + t->first + (size_t)c;
    for (size_t i = 0; i < t->rows; i++, row += t->cols)
        out[i] = *row;
}

/* The legend label of column c of table t (heap, or NULL for none): the
 * column's name and, with several inputs, the input's. */
static char *S_label(const S_data *d, const S_table *t, int c, size_t n_ys)
{
    const char *name = t->names ? t->names[c] : NULL;
    if (d->n_tables > 1) {
        if (n_ys == 1)
            return galley__xstrdup(t->name);
        return name ? galley__xasprintf("%s: %s", t->name, name)
                    : galley__xasprintf("%s: column %d", t->name, c + 1);
    }
    if (name)
        return galley__xstrdup(name);
    return n_ys > 1 ? galley__xasprintf("column %d", c + 1) : NULL;
}

/* The labels of a plot's series and bars, kept until it is printed: the
 * plot does not copy them. */
typedef struct S_labels {
    char **v; /* of the series (heap strings) */
    size_t n;
    const char **bars; /* of the bars (into the data's labels) */
} S_labels;

static const char *S_keep(S_labels *l, char *label)
{
    l->v = galley__xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = label;
    return label;
}

/* Adds the series of table t (its columns copied to *at, which moves on)
 * to the plot: line, scatter or loss. Returns 0 or -1. */
static int S_add_series(const S_args *a, const S_data *d, const S_table *t,
                        double **at, galley_plot *p, S_labels *labels)
{
    int *ys = galley__xcalloc(t->cols + a->n_columns, sizeof *ys);
    size_t n_ys = S_ys(a, t, ys), n = t->rows;
    const double *x = NULL;
    int rc = 0;
    if (t->x != S_INDEX && a->kind != S_LOSS) {
        S_column(d, t, t->x, *at);
        x = *at;
        *at += n;
    }
    for (size_t i = 0; i < n_ys && rc >= 0; i++) {
        double *y = *at;
        const char *label = S_keep(labels, S_label(d, t, ys[i], n_ys));
        S_column(d, t, ys[i], y);
        *at += n;
        if (a->kind == S_LOSS)
            rc = galley_plot_loss(p, y, n, label);
        else if (a->kind == S_SCATTER)
            rc = galley_plot_scatter(p, x, y, n, label);
        else
            rc = galley_plot_line(p, x, y, n, label);
    }
    free(ys);
    return rc < 0 ? -1 : 0;
}

/* The number of values the plot needs: every y column and x column used,
 * of every table. */
static size_t S_needed(const S_args *a, const S_data *d)
{
    size_t total = 0;
    for (size_t i = 0; i < d->n_tables; i++) {
        const S_table *t = &d->tables[i];
        int *ys = galley__xcalloc(t->cols + a->n_columns, sizeof *ys);
        size_t used = S_ys(a, t, ys);
        free(ys);
        if (t->x != S_INDEX && (a->kind == S_LINE || a->kind == S_SCATTER))
            used++;
        total += used * t->rows;
    }
    return total;
}

/* Adds the y values of every table to the plot as one histogram or one
 * bar chart, their columns copied into v. Returns 0 or -1. */
static int S_add_pooled(const S_args *a, const S_data *d, double *v,
                        galley_plot *p, S_labels *l)
{
    double *at = v;
    for (size_t i = 0; i < d->n_tables; i++) {
        const S_table *t = &d->tables[i];
        int *ys = galley__xcalloc(t->cols + a->n_columns, sizeof *ys);
        size_t n_ys = S_ys(a, t, ys);
        for (size_t k = 0; k < n_ys; k++, at += t->rows)
            S_column(d, t, ys[k], at);
        free(ys);
    }
    size_t n = (size_t)(at - v);
    if (a->kind == S_HIST)
        return galley_plot_hist(p, v, n) < 0 ? -1 : 0;
    l->bars = galley__xcalloc(n, sizeof *l->bars);
    const char *s = d->labels.ptr;
    for (size_t i = 0; i < n; i++, s += strlen(s) + 1)
        l->bars[i] = s;
    return galley_plot_bars(p, l->bars, v, n) < 0 ? -1 : 0;
}

/* The stacked rows of every table as one matrix. Returns 0 or -1. */
static int S_add_heatmap(const S_data *d, galley_plot *p)
{
    size_t rows = 0, cols = 0;
    for (size_t i = 0; i < d->n_tables; i++) {
        rows += d->tables[i].rows;
        if (d->tables[i].cols)
            cols = d->tables[i].cols;
    }
    static const double none[1] = {0};
    const double *z = d->values.v ? d->values.v : none;
    return galley_plot_heatmap(p, z, rows, rows ? cols : 0) < 0 ? -1 : 0;
}

/* The options for the plot: the command line's, and the x column's name
 * from a header as the x label when none is given. */
static galley_plot_options S_plot_options(const S_args *a, const S_data *d)
{
    galley_plot_options o = a->plot;
    if (a->xlabel_given || (a->kind != S_LINE && a->kind != S_SCATTER))
        return o;
    for (size_t i = 0; i < d->n_tables; i++) {
        const S_table *t = &d->tables[i];
        if (t->names && t->x != S_INDEX) {
            o.xlabel = t->names[t->x];
            break;
        }
    }
    return o;
}

/* Adds what was read to plot p, its columns copied into v. */
static int S_fill(const S_args *a, const S_data *d, double *v,
                  galley_plot *p, S_labels *labels)
{
    if (a->kind == S_HEATMAP)
        return S_add_heatmap(d, p);
    if (a->kind == S_HIST || a->kind == S_BARS)
        return S_add_pooled(a, d, v, p, labels);
    for (size_t i = 0; i < d->n_tables; i++)
        if (S_add_series(a, d, &d->tables[i], &v, p, labels) < 0)
            return -1;
    return 0;
}

/* Draws what was read on standard output. Returns the exit status. */
static int S_draw(const S_args *a, S_data *d)
{
    galley_plot_options o = S_plot_options(a, d);
    galley_plot *p = galley_plot_new(&o);
    S_labels labels = {0};
    /* Series are not copied: v holds their columns until the plot is
     * printed, one after another, in one block. */
    double *v = a->kind == S_HEATMAP
                    ? NULL
                    : galley__xcalloc(S_needed(a, d) + 1, sizeof *v);
    int rc = S_fill(a, d, v, p, &labels) < 0 ? 1 : 0;
    if (rc == 0 && (galley_plot_fprint(stdout, p) < 0 || fflush(stdout))) {
        S_say("cannot write the plot: %s", strerror(errno));
        clearerr(stdout); /* said: main need not say it again */
        rc = 1;
    }
    galley_plot_free(p);
    free(v);
    for (size_t i = 0; i < labels.n; i++)
        free(labels.v[i]);
    free(labels.v);
    free(labels.bars);
    return rc;
}

/* Reads every input (standard input when none is given) into d. Returns
 * 0, 1 or 2. */
static int S_read_all(const S_args *a, S_data *d)
{
    static const char *const stdin_only[] = {"-"};
    const char *const *files = a->n_files ? a->files : stdin_only;
    size_t n = a->n_files ? a->n_files : 1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = S_read_input(a, d, files[i]);
    return rc;
}

int galley__plot_main(int argc, char **argv)
{
    S_args a = {.c = newlocale(LC_ALL_MASK, "C", (locale_t)0)};
    S_data d = {0};
    if (!a.c) {
        S_say("cannot make the C locale: %s", strerror(errno));
        return 2;
    }
    int rc = S_parse(&a, argc, argv);
    if (rc < 0) /* --help */
        rc = 0;
    else if (rc == 0 && (rc = S_read_all(&a, &d)) == 0) {
        rc = S_draw(&a, &d);
        if (d.skipped)
            S_say("skipped %zu bad row%s (%s%s)", d.skipped,
                  d.skipped == 1 ? "" : "s", d.skipped_at.ptr,
                  d.skipped > 5 ? ", ..." : "");
    }
    S_data_fini(&d);
    free(a.columns);
    free(a.files);
    freelocale(a.c);
    return rc;
}
