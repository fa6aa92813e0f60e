/* review.c: `galley review`, the terminal side: shows a pending output
 * (FILE:LINE, its TEST, and the diff that promoting it makes to the
 * source, with three lines of context), reads one answer, and says what
 * happened. No full-screen library: plain lines, so it works over ssh, in
 * a pipe and in an editor's shell buffer alike. */
#define _GNU_SOURCE
#include "review.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../promote/promote.h"
#include "diff.h"

#define S_BOLD "\033[1m"
#define S_RESET "\033[0m"

/* What the review talks through. */
typedef struct S_ui {
    FILE *out;
    int color;
    int tty;    /* stdin is a terminal: single keys, without Enter */
    char *line; /* line mode: the last answer read (getline's) */
    size_t cap;
} S_ui;

static const char S_prompt[] = "accept? [a,r,s,A,f,q,?] ";

static const char S_short_help[] =
    "a accept, r reject, s skip, A accept the rest of this file, "
    "f full output, q quit, ? help\n";

static const char S_help[] =
    "  a  accept: write this output into the source now\n"
    "  r  reject: forget this output; the source is left as it is\n"
    "  s  skip: leave it pending (galley promote or review can take it "
    "later)\n"
    "  A  accept this one and every one after it in this file\n"
    "  f  show the whole new output\n"
    "  q  quit: what is left stays pending\n"
    "  ?  this help\n";

/* ---- the terminal ---- */

/* The terminal's settings while a key is read in raw mode, for the signal
 * handlers to put back (S_saved) and to take up again (S_raw_mode). */
static struct termios S_saved, S_raw_mode;
static volatile sig_atomic_t S_raw;

/* The signals after which the terminal must not be left raw: those that
 * end galley, and Ctrl-Z's, which stops it (the last one). */
static const int S_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define S_N_SIGNALS (sizeof S_signals / sizeof *S_signals)

/* Puts the terminal back, then lets the signal do what it would have
 * done (end galley, with the status that says which signal). */
static void S_signal_cb(int sig)
{
    if (S_raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &S_saved);
    S_raw = 0;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Ctrl-Z: puts the terminal back and stops, here in the handler (the
 * signal unblocked for that); once continued (fg), takes raw mode and
 * this handler up again, and the read goes on. */
static void S_stop_cb(int sig)
{
    int saved_errno = errno;
    struct sigaction again = {.sa_handler = S_stop_cb};
    sigset_t set;
    tcsetattr(STDIN_FILENO, TCSANOW, &S_saved);
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    sigemptyset(&again.sa_mask);
    sigaction(sig, &again, NULL);
    tcsetattr(STDIN_FILENO, TCSANOW, &S_raw_mode);
    errno = saved_errno;
}

/* Reads one byte from the terminal without waiting for Enter and without
 * echo. ISIG stays on, so Ctrl-C still interrupts; output processing too,
 * so lines printed meanwhile still start at the left. out, holding the
 * prompt, is flushed once the terminal is raw: whoever sees the prompt
 * may answer. Returns the byte, or EOF. */
static int S_read_raw(FILE *out)
{
    struct termios raw;
    struct sigaction sa = {.sa_handler = S_signal_cb}, old[S_N_SIGNALS];
    struct sigaction stop = {.sa_handler = S_stop_cb};
    unsigned char c;
    if (tcgetattr(STDIN_FILENO, &S_saved) != 0) {
        fflush(out);
        return EOF;
    }
    raw = S_saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    S_raw_mode = raw;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&stop.sa_mask);
    for (size_t i = 0; i < S_N_SIGNALS; i++) {
        sigaction(S_signals[i], S_signals[i] == SIGTSTP ? &stop : &sa,
                  &old[i]);
        /* A signal ignored by whoever started galley (nohup) stays so. */
        if (old[i].sa_handler == SIG_IGN)
            sigaction(S_signals[i], &old[i], NULL);
    }
    S_raw = 1;
    /* TCSANOW, not TCSAFLUSH: keys typed ahead are answers too. */
    ssize_t n = -1;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 && fflush(out) != EOF)
        do
            n = read(STDIN_FILENO, &c, 1);
        while (n < 0 && errno == EINTR);
    tcsetattr(STDIN_FILENO, TCSANOW, &S_saved);
    S_raw = 0;
    for (size_t i = 0; i < S_N_SIGNALS; i++)
        sigaction(S_signals[i], &old[i], NULL);
    /* Ctrl-D reads as itself in raw mode; script(1) sends a NUL when its
     * input ends. Both end the review, as the end of a pipe does. */
    return n == 1 && c != 4 && c != 0 ? c : EOF;
}

/* Reads an answer line; returns its first character that is not blank
 * ('\n' for a blank line), or EOF at the end of the input. */
static int S_read_line(S_ui *ui)
{
    if (getline(&ui->line, &ui->cap, stdin) < 0)
        return EOF;
    const char *p = ui->line + strspn(ui->line, " \t\r");
    return *p ? (unsigned char)*p : '\n';
}

/* Reads an answer and shows it after the prompt (neither a raw terminal
 * nor a pipe shows it otherwise). Returns it, or EOF. */
static int S_read_answer(S_ui *ui)
{
    int c;
    if (ui->tty) {
        c = S_read_raw(ui->out);
    } else {
        fflush(ui->out);
        c = S_read_line(ui);
    }
    if (c == EOF)
        fputs("q (end of input)\n", ui->out);
    else if (c >= ' ' && c < 127)
        fprintf(ui->out, "%c\n", c);
    else
        fputs("\n", ui->out);
    return c;
}

/* ---- what is shown ---- */

/* Shows item: where it is, and the diff it makes to the source. */
static void S_show(const S_ui *ui, const galley__review_item *it)
{
    fprintf(ui->out, "\n%s%s:%d: %s:%s %s", ui->color ? S_BOLD : "",
            it->display, it->line, it->test, ui->color ? S_RESET : "",
            it->what);
    if (it->left)
        fprintf(ui->out, " (%zu more in this file)", it->left);
    fputc('\n', ui->out);
    galley__diff_print_source(ui->out, it->display, it->source,
                              it->source_len, it->promoted, it->promoted_len,
                              ui->color);
}

/* Shows item's new output in full, as the test printed it. */
static void S_show_output(const S_ui *ui, const galley__review_item *it)
{
    if (it->output_len == 0) {
        fprintf(ui->out, "(no output%s)\n",
                it->kind == GALLEY__EDIT_UNREACHABLE
                    ? ": the marker was not reached" : "");
        return;
    }
    fprintf(ui->out, "the new output of %s:\n", it->test);
    galley__text_print(ui->out, it->output, it->output_len, "  ");
}

/* Asks about item until an answer is given: galley__review_cb. */
static galley__review_answer S_ask_cb(void *ctx,
                                      const galley__review_item *it)
{
    S_ui *ui = ctx;
    S_show(ui, it);
    for (;;) {
        fputs(S_prompt, ui->out);
        int c = S_read_answer(ui);
        switch (c) {
        case 'a': return GALLEY__REVIEW_ACCEPT;
        case 'r': return GALLEY__REVIEW_REJECT;
        case 's': return GALLEY__REVIEW_SKIP;
        case 'A': return GALLEY__REVIEW_ACCEPT_FILE;
        case 'q':
        case EOF: return GALLEY__REVIEW_QUIT;
        case 'f': S_show_output(ui, it); break;
        case '?': fputs(S_help, ui->out); break;
        default: fputs(S_short_help, ui->out); break;
        }
    }
}

int galley__review_cmd(const char *root, char *const *targets, size_t n,
                       int color)
{
    S_ui ui = {.out = stdout, .color = color,
               .tty = isatty(STDIN_FILENO)};
    galley__review_counts c;
    int rc = galley__promote_review(root, targets, n, stdout, S_ask_cb, &ui,
                                    &c);
    if (rc != 2 && c.files > 0) {
        printf("accepted %zu, rejected %zu, skipped %zu", c.accepted,
               c.rejected, c.skipped);
        if (c.refused)
            printf("; %zu file%s refused (see above)", c.refused,
                   c.refused == 1 ? "" : "s");
        putchar('\n');
    }
    free(ui.line);
    return rc;
}
