/* diff.c: renders expected -> actual as a unified diff. libgit2 computes
 * the hunks (git_patch_from_buffers with the patience algorithm); we print
 * them ourselves so lines can be escaped and colored. */
#define _GNU_SOURCE
#include "diff.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "../source/escape.h"
#include "match.h"
#include "../source/util.h"

#define S_RED "\033[31m"
#define S_GREEN "\033[32m"
#define S_CYAN "\033[36m"
#define S_BOLD "\033[1m"
#define S_RESET "\033[0m"

/* The spans of out-of-tolerance numbers, for the line being printed. */
typedef struct S_marks {
    const galley__num_span *v;
    size_t n;
    size_t printed;   /* diff lines printed so far */
    size_t left_out;  /* lines not printed past S_MAX_LINES */
    int source;       /* the lines are a source's: see S_source_line */
} S_marks;

/* The most lines one diff prints: a test that prints megabytes must not
 * flood the terminal; the whole text is in _galley/FILE.corrected. */
#define S_MAX_LINES 500

/* Returns the index of the first span on line or after it. Spans come
 * sorted by line (reconcile writes them in order), so this is a binary
 * search: a diff of 100,000 lines with 10,000 marks stays linear. */
static size_t S_first_mark(const S_marks *mk, size_t line)
{
    size_t lo = 0, hi = mk ? mk->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mk->v[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Prints an added line whose numbers out of tolerance are marked: reverse
 * video on a terminal, else carets on a line below. Such lines hold only
 * printable text (numbers come from text lines), so columns line up. */
static void S_marked_line(FILE *out, const char *s, size_t n, int color,
                          const S_marks *mk, size_t line)
{
    size_t at = 0;
    galley__buf carets;
    galley__buf_init(&carets);
    galley__buf_putc(&carets, ' ');
    fputs(color ? S_GREEN "+" : "+", out);
    for (size_t i = S_first_mark(mk, line); i < mk->n; i++) {
        const galley__num_span *sp = &mk->v[i];
        if (sp->line != line)
            break;
        if (sp->col < at || sp->col + sp->len > n)
            continue;
        fwrite(s + at, 1, sp->col - at, out);
        for (size_t k = at; k < sp->col; k++)
            galley__buf_putc(&carets, s[k] == '\t' ? '\t' : ' ');
        fprintf(out, "%s%.*s%s", color ? "\033[7m" : "", (int)sp->len,
                s + sp->col, color ? "\033[27m" : "");
        for (size_t k = 0; k < sp->len; k++)
            galley__buf_putc(&carets, '^');
        at = sp->col + sp->len;
    }
    fwrite(s + at, 1, n - at, out);
    fputs(color ? S_RESET "\n" : "\n", out);
    if (!color)
        fprintf(out, "%s\n", carets.ptr);
    galley__buf_fini(&carets);
}

/* Returns 1 if line (0-based) of the actual side has marked spans. */
static int S_has_marks(const S_marks *mk, size_t line)
{
    size_t i = S_first_mark(mk, line);
    return mk && i < mk->n && mk->v[i].line == line;
}

/* Returns 1 if s[0..n) is a (re) or (glob) line of the expected side (a
 * deletion, or context, which spells matched lines as expected) that needs
 * no escape but for its suffix: it is shown as written in the source. */
static int S_pattern_line(char prefix, const char *s, size_t n)
{
    if (prefix == '+')
        return 0;
    galley__line_kind kind = galley__line_kind_of(s, n);
    size_t suffix = kind == GALLEY__LINE_RE ? 5 : kind == GALLEY__LINE_GLOB ? 7
                                                                          : 0;
    return suffix && !galley__line_needs_escape(s, n - suffix);
}

/* Appends a line of source s[0..n) as it is but for what a terminal
 * would misshow: control bytes other than tab, C1 controls and bytes that
 * are not UTF-8 become \xNN. Unlike the (esc) escape of output, comment
 * delimiters stay: they are the source's own. */
static void S_source_line(galley__buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = galley__utf8_len(u + i, n - i);
        if (k == 0 || (u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f ||
            (k == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0)) {
            galley__buf_printf(b, "\\x%02x", u[i]);
            i++;
        } else {
            galley__buf_add(b, s + i, k);
            i += k;
        }
    }
}

/* Prints one diff line with its prefix, escaping what a terminal would
 * misshow (as promote would write it, or for a source line as
 * S_source_line shows it). */
static void S_line(FILE *out, char prefix, const char *s, size_t n,
                   const char *color, int source)
{
    while (n && (s[n - 1] == '\n'))
        n--;
    /* A CRLF source's CRs are its line ends, not content. */
    if (source && n && s[n - 1] == '\r')
        n--;
    galley__buf shown;
    galley__buf_init(&shown);
    if (source)
        S_source_line(&shown, s, n);
    else if (galley__line_needs_escape(s, n) && !S_pattern_line(prefix, s, n))
        galley__escape_line(&shown, s, n);
    else
        galley__buf_add(&shown, s, n);
    if (color)
        fprintf(out, "%s%c%s" S_RESET "\n", color, prefix,
                shown.ptr ? shown.ptr : "");
    else
        fprintf(out, "%c%s\n", prefix, shown.ptr ? shown.ptr : "");
    galley__buf_fini(&shown);
}

void galley__text_print(FILE *out, const char *text, size_t len,
                       const char *indent)
{
    const char *p = text, *end = text + len;
    size_t shown = 0, left = 0;
    galley__buf line;
    galley__buf_init(&line);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (shown++ >= S_MAX_LINES) {
            left++;
        } else {
            line.len = 0;
            if (galley__line_needs_escape(p, n))
                galley__escape_line(&line, p, n);
            else
                galley__buf_add(&line, p, n);
            fprintf(out, "%s%s\n", indent, line.ptr ? line.ptr : "");
        }
        p += n + (nl != NULL);
    }
    if (left)
        fprintf(out, "%s... %zu more lines not shown\n", indent, left);
    galley__buf_fini(&line);
}

/* Prints the lines of one hunk. */
static void S_hunk(FILE *out, git_patch *patch, size_t h, int color,
                   S_marks *mk)
{
    const git_diff_hunk *hunk;
    size_t n_lines;
    if (git_patch_get_hunk(&hunk, &n_lines, patch, h) != 0)
        return;
    fprintf(out, "%s@@ -%d,%d +%d,%d @@%s\n", color ? S_CYAN : "",
            hunk->old_start, hunk->old_lines, hunk->new_start,
            hunk->new_lines, color ? S_RESET : "");
    for (size_t i = 0; i < n_lines; i++) {
        const git_diff_line *l;
        if (mk->printed >= S_MAX_LINES) {
            mk->left_out += n_lines - i;
            return;
        }
        mk->printed++;
        if (git_patch_get_line_in_hunk(&l, patch, h, i) != 0)
            continue;
        switch (l->origin) {
        case GIT_DIFF_LINE_ADDITION:
            if (l->new_lineno > 0 && S_has_marks(mk, (size_t)l->new_lineno - 1)) {
                size_t n = l->content_len;
                while (n && l->content[n - 1] == '\n')
                    n--;
                S_marked_line(out, l->content, n, color, mk,
                              (size_t)l->new_lineno - 1);
            } else
                S_line(out, '+', l->content, l->content_len,
                       color ? S_GREEN : 0, mk->source);
            break;
        case GIT_DIFF_LINE_DELETION:
            S_line(out, '-', l->content, l->content_len, color ? S_RED : 0,
                   mk->source);
            break;
        case GIT_DIFF_LINE_CONTEXT:
            S_line(out, ' ', l->content, l->content_len, 0, mk->source);
            break;
        default: /* end-of-file newline markers */
            fputs("\\ No newline at end of text\n", out);
            break;
        }
    }
}

/* Prints the diff of a -> b, headed "--- A_NAME" / "+++ B_NAME", with the
 * marks and kind of lines that mk says. */
static int S_print(FILE *out, const char *a, size_t a_len, const char *a_name,
                   const char *b, size_t b_len, const char *b_name, int color,
                   S_marks *mk)
{
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags = GIT_DIFF_PATIENCE | GIT_DIFF_FORCE_TEXT;
    opts.context_lines = 3;
    git_patch *patch = NULL;
    if (git_patch_from_buffers(&patch, a, a_len, a_name, b, b_len, b_name,
                               &opts) != 0) {
        const git_error *e = git_error_last();
        fprintf(out, "(diff failed: %s)\n", e ? e->message : "unknown error");
        return -1;
    }
    fprintf(out, "%s--- %s\n+++ %s%s\n", color ? S_BOLD : "", a_name, b_name,
            color ? S_RESET : "");
    size_t n = git_patch_num_hunks(patch);
    for (size_t h = 0; h < n; h++)
        S_hunk(out, patch, h, color, mk);
    if (mk->left_out)
        fprintf(out, "... %zu more diff lines not shown (the whole output is "
                "in _galley/, in the .corrected copy of the file)\n",
                mk->left_out);
    git_patch_free(patch);
    return 0;
}

int galley__diff_print(FILE *out, const char *expected, size_t expected_len,
                      const char *actual, size_t actual_len, int color,
                      const galley__num_span *spans, size_t n_spans)
{
    S_marks mk = {spans, n_spans, 0, 0, 0};
    return S_print(out, expected, expected_len, "expected", actual,
                   actual_len, "actual", color, &mk);
}

int galley__diff_print_source(FILE *out, const char *name, const char *before,
                             size_t before_len, const char *after,
                             size_t after_len, int color)
{
    S_marks mk = {NULL, 0, 0, 0, 1};
    char *promoted = galley__xasprintf("%s (promoted)", name);
    int rc = S_print(out, before, before_len, name, after, after_len,
                     promoted, color, &mk);
    free(promoted);
    return rc;
}
