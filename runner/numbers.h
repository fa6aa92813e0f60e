/* numbers.h: numbers in text. A tokenizer that finds the numbers a program
 * printed (and leaves version strings, hex, dates and identifiers alone),
 * and the comparison of two numbers with a tolerance, numpy's way:
 * |actual - expected| <= atol + rtol * |expected|. */
#ifndef GALLEY_NUMBERS_H
#define GALLEY_NUMBERS_H

#include <stddef.h>

/* One number found in a line: bytes [start, start + len) of the line. */
typedef struct galley__num {
    size_t start, len;
    double value;      /* as strtod reads it (inf, nan included) */
    int overflow;      /* 1 if the digits do not fit a double (the value
                          then compares only by its text) */
} galley__num;

/* A growable list of numbers; zero-initialize, release with _fini. */
typedef struct galley__nums {
    galley__num *v;
    size_t n, cap;
} galley__nums;

void galley__nums_fini(galley__nums *ns);

/* Finds the numbers of line[0..len) (no newline in it) and stores them in
 * ns (its previous content is replaced), left to right. What a number is:
 * an optional sign, then digits with an optional fraction (or a fraction
 * alone, ".5"; a trailing dot, "1.", is allowed), then an optional exponent
 * (e or E, optional sign, digits); or inf, infinity, nan with an optional
 * sign, in any case. A sign belongs to the number only when the byte before
 * it is not a letter, digit, '_' or '.' ("x-1" is text, "= -1" a number).
 * A candidate stays text when glued to a word: the byte before it is a
 * letter, digit, '_' or '.', or the byte after it is a letter, digit or
 * '_' (x1, 1st, 0x1f, info), or it is followed by '.' and a digit (1.0.0,
 * v2.3.1); and when it is part of a date, time or ratio: followed by '-',
 * '/' or ':' and a digit, or preceded by a digit and one of those
 * (2024-01-02, 12:30:05, 1/2). Never fails; never reads past len. */
void galley__nums_scan(galley__nums *ns, const char *line, size_t len);

/* Returns 1 if number a (actual) matches e (expected) with tolerances
 * rtol and atol (both >= 0): identical text always matches; nan matches
 * nan whatever its sign; an infinity matches only the same infinity; a
 * number that overflowed matches only by identical text; otherwise
 * |a - e| <= atol + rtol * |e|. -0 equals 0. at and et are the tokens'
 * texts (at[0..alen), et[0..elen)). */
int galley__num_close(const galley__num *a, const char *at,
                     const galley__num *e, const char *et,
                     double rtol, double atol);

/* Returns 1 if line a and line e hold the same text between their numbers
 * and the same count of numbers (lines "match as text but for numbers").
 * an and en are the numbers of each, as galley__nums_scan found them. */
int galley__nums_same_shape(const char *a, size_t alen, const galley__nums *an,
                           const char *e, size_t elen, const galley__nums *en);

#endif
