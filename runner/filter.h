/* filter.h: output filters, PCRE2 substitutions applied to a test's actual
 * output before it is compared (and before it is promoted), to redact what
 * changes on every run: pointers, temporary paths, durations, timestamps. */
#ifndef GALLEY_FILTER_H
#define GALLEY_FILTER_H

#include <stddef.h>

#include "../source/util.h"

typedef struct galley__filter {
    void *re;            /* pcre2_code * */
    char *replacement;   /* PCRE2 replacement text ($1, ${name}) */
    int global;          /* replace every match, not only the first */
    char *spec;          /* the filter as written, for messages */
} galley__filter;

typedef struct galley__filters {
    galley__filter *v;
    size_t n;
} galley__filters;

/* Adds the filter spec: "s/REGEX/REPLACEMENT/FLAGS" where '/' may be any
 * punctuation byte used as the delimiter (escape it with a backslash inside
 * the parts), FLAGS among g (every match), i (ignore case), x (extended);
 * or "@NAME", a built-in: @pointers, @tmpdirs, @durations, @timestamps,
 * @pids (see galley(1)). The regex runs in multiline mode over the whole
 * output. Returns 0, or -1 with *err set to a heap message (caller frees)
 * saying what is wrong; fs is then unchanged. */
int galley__filters_add(galley__filters *fs, const char *spec, char **err);

/* Appends text[0..len) with every filter applied in order to out. Returns
 * 0, or -1 with *err set (heap) when PCRE2 fails at match time; out then
 * holds the text unfiltered. */
int galley__filters_apply(const galley__filters *fs, const char *text,
                         size_t len, galley__buf *out, char **err);

void galley__filters_fini(galley__filters *fs);

#endif
