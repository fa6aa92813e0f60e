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
 * mapped to its index in letters[]. The short string begins with "-" (each
 * operand comes back as option 1, in order, whatever POSIXLY_CORRECT says)
 * and ":" (a missing value is ':', not '?'). */
static void S_tables(const galley__option *opts, int n, struct option *lo,
                     char *shorts, int letters[256])
{
    size_t k = 0;
    shorts[k++] = '-';
    shorts[k++] = ':';
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

/* What getopt_long found wrong (c is '?' or ':'; opt is its optopt, word
 * the word it read), as a heap message. opt tells long from short: a
 * long option's val, 0 for an unknown long option, or the letter. */
static char *S_bad(const galley__option *opts, int n, int c, int opt,
                   const char *word)
{
    if (c == ':' && opt >= S_LONG)
        return galley__xasprintf("--%s needs a value", S_name(opts, n, opt));
    if (c == ':')
        return galley__xasprintf("-%c needs a value", opt);
    if (opt >= S_LONG)
        return galley__xasprintf("--%s takes no value", S_name(opts, n, opt));
    if (opt == 0)
        return galley__xasprintf("unknown option: %.*s",
                                 (int)strcspn(word, "="), word);
    return galley__xasprintf("unknown option: -%c", opt);
}

/* Whether word ("--name" or "--name=VALUE") spells long option name whole:
 * getopt_long takes any unambiguous prefix, and `galley run --p` must not
 * mean --promote. */
static int S_whole(const char *word, const char *name)
{
    size_t len = strlen(name);
    return !strncmp(word + 2, name, len) &&
           (word[2 + len] == '\0' || word[2 + len] == '=');
}

int galley__options_parse(const char *cmd, const char *usage,
                          const galley__option *opts, int n, int argc,
                          char **argv, galley__option_cb set, void *ctx,
                          char **operands, int *n_operands)
{
    struct option *lo = galley__xcalloc((size_t)n + 2, sizeof *lo);
    char *shorts = galley__xcalloc((size_t)n * 2 + 5, 1);
    int letters[256];
    S_tables(opts, n, lo, shorts, letters);
    /* getopt_long wants the program's name first. */
    char **args = galley__xcalloc((size_t)argc + 2, sizeof *args);
    args[0] = (char *)cmd;
    memcpy(args + 1, argv, (size_t)argc * sizeof *args);
    /* The first problem is said at the end, unless --help came: help
     * wins wherever it stands, as in GNU tools. help: 1 for -h or --help
     * as a word, 2 for an h in a group of letters. */
    char *problem = NULL;
    int help = 0, c, at;
    optind = 0; /* a fresh scan (glibc) */
    opterr = 0;
    *n_operands = 0;
    for (;;) {
        int word = optind ? optind : 1; /* the word read, unless mid-group */
        if ((c = getopt_long(argc + 1, args, shorts, lo, &at)) == -1)
            break;
        int i = c >= S_LONG ? c - S_LONG
                : c > 1 && c < 256 && c != ':' && strchr(shorts + 2, c)
                    ? letters[c]
                    : -1;
        char *why = NULL;
        if (c == 1)
            operands[(*n_operands)++] = optarg;
        else if (c == '?' || c == ':')
            why = S_bad(opts, n, c, optopt, args[optind - 1]);
        else if (c >= S_LONG && !S_whole(args[word], lo[i].name))
            why = galley__xasprintf("unknown option: %.*s (did you mean "
                                    "--%s?)", (int)strcspn(args[word], "="),
                                    args[word], lo[i].name);
        else if (i == n)
            help = c >= S_LONG || !strcmp(args[word], "-h") ? 1 : 2;
        else if (i >= 0 && (why = (char *)set(ctx, i, optarg)))
            why = galley__xstrdup(why);
        if (why && !problem)
            problem = why;
        else
            free(why);
    }
    /* After "--", the rest are operands. */
    for (int k = optind; k < argc + 1; k++)
        operands[(*n_operands)++] = args[k];
    /* An h among other letters (-qh) asks for help only if every letter
     * is an option: -dash.md is a misspelt file, not a request for help
     * that would end a CI step with success and nothing run. */
    int rc = 0;
    if (help == 1 || (help == 2 && !problem)) {
        fputs(usage, stdout);
        rc = -1;
    } else if (problem) {
        rc = galley__usage_error(cmd, "%s", problem);
    }
    free(problem);
    free(args);
    free(shorts);
    free(lo);
    return rc;
}
