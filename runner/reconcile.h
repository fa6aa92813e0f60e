/* reconcile.h: compares expected with actual text the way a numerical
 * programmer means it: lines are aligned by a diff that sees numbers as
 * placeholders, numbers then compare by value within a tolerance, and
 * (re)/(glob) lines match by pattern. The result is the actual text with
 * everything that matched spelled as expected, so promote keeps it. */
#ifndef GALLEY_RECONCILE_H
#define GALLEY_RECONCILE_H

#include <stddef.h>

#include "match.h"
#include "../source/util.h"

/* A number out of tolerance, in the merged text: line (0-based) and the
 * bytes [col, col + len) of that line. */
typedef struct galley__num_span {
    size_t line, col, len;
} galley__num_span;

/* What the comparison of numbers found. Lines are 0-based lines of the
 * expected text, columns 0-based bytes in them. */
typedef struct galley__num_report {
    size_t compared;          /* numbers compared by value */
    size_t out;               /* of those, out of tolerance */
    double max_abs, max_rel;  /* greatest differences (compared numbers) */
    size_t abs_line, abs_col, rel_line, rel_col;
    galley__num_span *spans;   /* out-of-tolerance numbers (heap) */
    size_t n_spans;
    char *kept;               /* per merged line: 1 if it is an expected
                                 pattern line kept because it matched */
    size_t n_kept;            /* 0 when no pattern line was kept */
} galley__num_report;

void galley__num_report_fini(galley__num_report *r);

typedef struct galley__reconcile_opts {
    double rtol, atol;        /* numbers compare by value when either > 0 */
    galley__patterns *patterns;/* compiled (re) patterns, shared */
    const char *literal;      /* per expected line, 1 if it is literal text
                                 (it was an (esc) line), or NULL */
    size_t n_literal;
} galley__reconcile_opts;

/* Returns 1 if expected text e needs reconciling (it holds a pattern line,
 * or the options compare numbers), else 0: plain text comparison will do. */
int galley__reconcile_needed(const char *e, size_t elen,
                            const galley__reconcile_opts *o);

/* Appends to merged the actual text a (normalized, LF lines) in which each
 * line that matches its aligned expected line (text equal but for numbers
 * within tolerance, or a pattern that matches) takes the expected line's
 * spelling, and in other aligned lines each number within tolerance keeps
 * the expected spelling. Fills rep (zeroed by the caller). Returns 1 if
 * merged equals e (the marker passes), 0 if not, or -1 when a pattern does
 * not compile: *err (heap, caller frees) says why and *err_line is its
 * 0-based line in e. */
int galley__reconcile(galley__buf *merged, const char *e, size_t elen,
                     const char *a, size_t alen,
                     const galley__reconcile_opts *o, galley__num_report *rep,
                     char **err, size_t *err_line);

#endif
