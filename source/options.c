/* options.c: the option parser of the commands (see options.h). getopt_long
 * does the parsing; this file gives every command the same table form, the
 * same help and the same messages. */
#define _GNU_SOURCE
#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int galley__usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = galley__xvasprintf(fmt, ap);
    va_end(ap);
    if (cmd) {
        galley__note("%s: %s", cmd, msg);
        fprintf(stderr, "Try 'galley %s --help'.\n", cmd);
    } else {
        galley__note("%s", msg);
        fputs("Try 'galley --help'.\n", stderr);
    }
    free(msg);
    return 2;
}

/* What getopt_long returns for long option i: past every letter. */
#define S_LONG 256

/* The name of the option getopt_long returned v for (a long option's, or
 * a letter's), "help" for --help. */
static const char *S_name(const galley__option *opts, int n, int v)
{
    if (v >= S_LONG)
        return v - S_LONG < n ? opts[v - S_LONG].name : "help";
    for (int i = 0; i < n; i++)
        if (opts[i].letter == v)
            return opts[i].name;
    return "help";
}

/* Makes getopt_long's tables from opts: the long options, with val
 * S_LONG + the option's index (n for --help), and the short letters, each
 * mapped to its index in letters[]. */
static void S_tables(const galley__option *opts, int n, struct option *lo,
                     char *shorts, int letters[256])
{
    size_t k = 0;
    shorts[k++] = ':'; /* a missing value is ':', not '?' */
    shorts[k++] = 'h';
    letters['h'] = n;
    for (int i = 0; i < n; i++) {
        lo[i].name = opts[i].name;
        lo[i].has_arg = opts[i].value == GALLEY__FLAG    ? no_argument
                        : opts[i].value == GALLEY__VALUE ? required_argument
                                                         : optional_argument;
        lo[i].flag = NULL;
        lo[i].val = S_LONG + i;
        if (opts[i].letter) {
            shorts[k++] = (char)opts[i].letter;
            if (opts[i].value == GALLEY__VALUE)
                shorts[k++] = ':';
            letters[(unsigned char)opts[i].letter] = i;
        }
    }
    lo[n] = (struct option){"help", no_argument, NULL, S_LONG + n};
    lo[n + 1] = (struct option){NULL, 0, NULL, 0};
    shorts[k] = '\0';
}

/* Says what getopt_long found wrong at the word it stopped after. */
static int S_bad(const char *cmd, const galley__option *opts, int n, int c,
                 int opt, char **args)
{
    const char *word = args[optind - 1];
    int is_long = word[0] == '-' && word[1] == '-';
    if (c == ':' && is_long)
        return galley__usage_error(cmd, "--%s needs a value",
                                   S_name(opts, n, opt));
    if (c == ':')
        return galley__usage_error(cmd, "-%c needs a value", opt);
    if (is_long && opt >= S_LONG && strchr(word, '='))
        return galley__usage_error(cmd, "--%s takes no value",
                                   S_name(opts, n, opt));
    if (is_long || !opt)
        return galley__usage_error(cmd, "unknown option: %s", word);
    return galley__usage_error(cmd, "unknown option: -%c", opt);
}

int galley__options_parse(const char *cmd, const char *usage,
                          const galley__option *opts, int n, int argc,
                          char **argv, galley__option_cb set, void *ctx,
                          char **operands, int *n_operands)
{
    struct option *lo = galley__xcalloc((size_t)n + 2, sizeof *lo);
    char *shorts = galley__xcalloc((size_t)n * 2 + 4, 1);
    int letters[256];
    S_tables(opts, n, lo, shorts, letters);
    /* getopt_long wants the program's name first; it may permute the rest,
     * so it works on a copy. */
    char **args = galley__xcalloc((size_t)argc + 2, sizeof *args);
    args[0] = (char *)cmd;
    memcpy(args + 1, argv, (size_t)argc * sizeof *args);
    int rc = 0, c, at;
    optind = 0; /* a fresh scan (glibc) */
    opterr = 0;
    *n_operands = 0;
    while (rc == 0 &&
           (c = getopt_long(argc + 1, args, shorts, lo, &at)) != -1) {
        int i = c >= S_LONG ? c - S_LONG
                : c > 0 && c < 256 && c != ':' && strchr(shorts + 1, c)
                    ? letters[c]
                    : -1;
        if (c == '?' || c == ':') {
            rc = S_bad(cmd, opts, n, c, optopt, args);
        } else if (i == n) {
            fputs(usage, stdout);
            rc = -1;
        } else if (i >= 0) {
            const char *why = set(ctx, i, optarg);
            if (why)
                rc = galley__usage_error(cmd, "%s", why);
        }
    }
    for (int k = optind; rc == 0 && k < argc + 1; k++)
        operands[(*n_operands)++] = args[k];
    free(args);
    free(shorts);
    free(lo);
    return rc;
}
