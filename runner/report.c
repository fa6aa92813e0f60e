/* report.c: the human report of a run. Headers have the FILE:LINE: form
 * that compilers use, so editors and compilation modes jump to them. */
#define _GNU_SOURCE
#include "report.h"

#include <string.h>

#include "diff.h"

#define S_BOLD "\033[1m"
#define S_RED "\033[31m"
#define S_GREEN "\033[32m"
#define S_RESET "\033[0m"

/* Prints text indented by two spaces, ending with a newline. */
static void S_indented(FILE *out, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        fprintf(out, "  %.*s\n", (int)n, p);
        p += n + (nl != NULL);
    }
}

/* Prints the diff of a failure. Texts that both lack a final newline get
 * one, so the diff shows no "No newline" noise for normalized text: it goes
 * in the NUL slot that every side has (see galley__buf), so nothing large is
 * copied. */
static void S_failure_diff(FILE *out, const galley__failure *f, int color)
{
    char *e = f->expected, *a = f->actual;
    size_t el = f->expected_len, al = f->actual_len;
    int add = (el == 0 || e[el - 1] != '\n') && (al == 0 || a[al - 1] != '\n');
    if (add && el)
        e[el++] = '\n';
    if (add && al)
        a[al++] = '\n';
    galley__diff_print(out, e, el, a, al, color, f->spans, f->n_spans);
    if (f->summary)
        fputs(f->summary, out);
    e[f->expected_len] = '\0';
    a[f->actual_len] = '\0';
}

void galley__report_diff(FILE *out, const galley__failure *f, int color)
{
    if (f->expected) {
        S_failure_diff(out, f, color);
    } else if (f->actual) {
        fputs("unchecked output before it stopped (not promoted):\n", out);
        galley__text_print(out, f->actual, f->actual_len, "  ");
    }
    if (f->note)
        fprintf(out, "%s\n", f->note);
}

void galley__report_verdict(FILE *out, const galley__verdict *v,
                           const galley__report_opts *o)
{
    size_t n = v->grouped && v->n_fails ? v->n_fails - 1 : v->n_fails;
    if (v->grouped && n == 0)
        return;
    if (v->n_fails == 0 && v->skipped) {
        if (o->verbosity >= 0)
            fprintf(out, "%s:%d: %s: skipped%s%s\n", v->skip_file,
                    v->skip_line, v->shown, *v->skip_reason ? ": " : "",
                    v->skip_reason);
        return;
    }
    if (v->n_fails == 0) {
        if (o->verbosity > 0 && v->cached)
            fprintf(out, "%s:%d: %s: %sok%s (cached)\n", v->file, v->line,
                    v->shown, o->color ? S_GREEN : "",
                    o->color ? S_RESET : "");
        else if (o->verbosity > 0)
            fprintf(out, "%s:%d: %s: %sok%s (%ld ms)\n", v->file, v->line,
                    v->shown, o->color ? S_GREEN : "", o->color ? S_RESET : "",
                    v->ms);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const galley__failure *f = &v->fails[i];
        fprintf(out, "%s%s:%d: %s: %s%s%s%s\n", o->color ? S_BOLD : "",
                f->file, f->line, v->shown, o->color ? S_RED : "", f->what,
                o->color ? S_RESET : "",
                o->verbosity > 0 && v->cached ? " (cached)" : "");
        if (o->verbosity >= 0)
            galley__report_diff(out, f, o->color);
    }
    if (v->err_len > 0 && o->verbosity >= 0) {
        fprintf(out, "stderr of %s:\n", v->shown);
        S_indented(out, v->err, v->err_len);
    }
    if (o->verbosity >= 0)
        fputc('\n', out);
}

void galley__report_compile_error(FILE *out, const char *file, const char *log,
                                 const galley__report_opts *o)
{
    fprintf(out, "%s%s: %scompile error%s\n", o->color ? S_BOLD : "", file,
            o->color ? S_RED : "", o->color ? S_RESET : "");
    if (log && *log)
        fputs(log, out);
    if (log && *log && log[strlen(log) - 1] != '\n')
        fputc('\n', out);
    fputc('\n', out);
}

/* Prints " (N cached)" when n > 0. */
static void S_cached(FILE *out, size_t n)
{
    if (n)
        fprintf(out, " (%zu cached)", n);
}

void galley__report_summary(FILE *out, const galley__counts *n,
                           const galley__report_opts *o)
{
    const char *c = !o->color ? "" : n->failed ? S_RED : S_GREEN;
    fprintf(out, "%s%zu passed", c, n->passed);
    S_cached(out, n->passed_cached);
    fprintf(out, ", %zu failed", n->failed);
    S_cached(out, n->failed_cached);
    if (n->skipped)
        fprintf(out, ", %zu skipped", n->skipped);
    if (n->not_run)
        fprintf(out, ", %zu not run", n->not_run);
    fprintf(out, "%s\n", o->color ? S_RESET : "");
}
