/* options.h: the one option parser of galley's commands (galley run,
 * promote, init, plot), on getopt_long, with the same rules everywhere:
 * --name=VALUE and --name VALUE, -j4 and -j 4, bundled short flags (-qv),
 * options anywhere among the operands (POSIXLY_CORRECT or not), "--"
 * ending the options, long names in full (an abbreviation is refused with
 * the name it may mean), -h and --help printing the command's own usage
 * (exit status 0, even beside a wrong option; an h in a group of letters
 * only when the others are options too: -dash.md is a wrong option), and
 * usage
 * errors said as "galley: CMD: what is wrong" with the hint "Try 'galley
 * CMD --help'." (exit status 2). */
#ifndef GALLEY_OPTIONS_H
#define GALLEY_OPTIONS_H

enum {
    GALLEY__FLAG,     /* --name: no value */
    GALLEY__VALUE,    /* --name=VALUE or --name VALUE */
    GALLEY__OPTIONAL, /* --name or --name=VALUE (never a separate word) */
};

/* One option of a command. */
typedef struct galley__option {
    const char *name; /* the long name, without its "--" */
    int letter;       /* its short form (-j), or 0 */
    int value;        /* GALLEY__FLAG, GALLEY__VALUE or GALLEY__OPTIONAL */
} galley__option;

/* Applies option i of the table (value: its value, or NULL) for a
 * command. Returns NULL, or a static or ctx-owned message saying what is
 * wrong with it, which ends the parse (exit status 2). */
typedef const char *(*galley__option_cb)(void *ctx, int i, const char *value);

/* Parses the argc words of argv after the name of command cmd (such as
 * "run") with the options of opts (n of them; --help and -h are added).
 * Calls set for each option in order, and puts the operands, in order,
 * into operands (room for argc of them; their count in *n_operands).
 * Returns -1 when --help was asked for (usage printed on stdout), 0, or
 * 2 after printing the problem and the hint on stderr. */
int galley__options_parse(const char *cmd, const char *usage,
                          const galley__option *opts, int n, int argc,
                          char **argv, galley__option_cb set, void *ctx,
                          char **operands, int *n_operands);

/* Prints "galley: CMD: " and the message, then the hint to try
 * `galley CMD --help` (cmd NULL: "galley: MSG" and `galley --help`), on
 * stderr. Returns 2, the exit status of a wrong command. */
int galley__usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
