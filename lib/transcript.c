/* transcript.c: the readable account of a hand run (see transcript.h).
 * Output is shown indented under the marker it belongs to, control bytes
 * escaped so that a test printing binary cannot garble the terminal. */
#define _GNU_SOURCE
#include "transcript.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloc.h"

#define S_BOLD "\033[1m"
#define S_DIM "\033[2m"
#define S_RED "\033[31m"
#define S_GREEN "\033[32m"
#define S_OFF "\033[0m"

void galley__transcript_init(galley__transcript *tr, FILE *fp)
{
    const char *no_color = getenv("NO_COLOR");
    tr->fp = fp;
    tr->color = isatty(fileno(fp)) && !(no_color && *no_color);
    tr->n_ok = 0;
    tr->n_skipped = 0;
    tr->leaked = 0;
    tr->failed = NULL;
    tr->n_failed = 0;
}

/* Returns s when colors are on, else "". */
static const char *S_c(const galley__transcript *tr, const char *s)
{
    return tr->color ? s : "";
}

/* Prints output indented by four spaces. Bytes below 0x20 but tab and
 * newline, and DEL, are shown as \xNN; others (UTF-8 too) go as they are.
 * Output that does not end with a newline is said to. */
static void S_block(const galley__transcript *tr, const char *p, size_t len)
{
    FILE *fp = tr->fp;
    if (len == 0) {
        fprintf(fp, "    %s(no output)%s\n", S_c(tr, S_DIM), S_c(tr, S_OFF));
        return;
    }
    flockfile(fp);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (i == 0 || p[i - 1] == '\n')
            fputs_unlocked("    ", fp);
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            fprintf(fp, "\\x%02x", ch);
        else
            putc_unlocked(ch, fp);
    }
    funlockfile(fp);
    if (p[len - 1] != '\n')
        fprintf(fp, "\n    %s(no newline at end)%s\n", S_c(tr, S_DIM),
                S_c(tr, S_OFF));
}

/* Returns the name of signal sig, or NULL for one without a known name. */
static const char *S_signame(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"},
        {SIGILL, "SIGILL"},   {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
        {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"},
        {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
        {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

/* Prints the line that says how a test ended, and counts it. */
static void S_end(galley__transcript *tr, const galley__event *ev)
{
    FILE *fp = tr->fp;
    const char *sig = S_signame((int)ev->value);
    if ((ev->end == GALLEY__END_OK && !tr->leaked) ||
        ev->end == GALLEY__END_SKIP) {
        fprintf(fp, "%s--- %s%s (%ld ms)\n\n", S_c(tr, S_GREEN),
                ev->end == GALLEY__END_OK ? "ok" : "skipped", S_c(tr, S_OFF),
                ev->ms);
        if (ev->end == GALLEY__END_OK)
            tr->n_ok++;
        else
            tr->n_skipped++;
        return;
    }
    fprintf(fp, "%s--- FAILED: ", S_c(tr, S_RED));
    if (ev->end == GALLEY__END_OK)
        fputs("device memory left held", fp);
    else if (ev->end == GALLEY__END_EXIT)
        fprintf(fp, "exited with status %ld", ev->value);
    else if (ev->end == GALLEY__END_SIGNAL && sig)
        fprintf(fp, "crashed (%s)", sig);
    else if (ev->end == GALLEY__END_SIGNAL)
        fprintf(fp, "crashed (signal %ld)", ev->value);
    else
        fprintf(fp, "timed out after %ld ms", ev->value);
    fprintf(fp, "%s (%ld ms)\n\n", S_c(tr, S_OFF), ev->ms);
    tr->failed = galley__rt_xrealloc(tr->failed,
                                     (tr->n_failed + 1) * sizeof *tr->failed);
    tr->failed[tr->n_failed++] = ev->test;
}

void galley__transcript_emit_cb(void *ctx, const galley__event *ev)
{
    galley__transcript *tr = ctx;
    FILE *fp = tr->fp;
    switch (ev->kind) {
    case GALLEY__EV_TEST:
        fprintf(fp, "%s=== %s%s%s%s%s (%s:%d)\n", S_c(tr, S_BOLD),
                ev->test->name, ev->device ? " [" : "",
                ev->device ? galley__device_word(ev->device) : "",
                ev->device ? "]" : "", S_c(tr, S_OFF), ev->test->file,
                ev->test->line);
        tr->leaked = 0;
        break;
    case GALLEY__EV_LEAK:
        fprintf(fp, "%sdevice memory still held at the end: %ld bytes, "
                "first allocated by %.*s%s\n", S_c(tr, S_RED), ev->value,
                ev->len ? (int)ev->len : 9, ev->len ? ev->data : "(unknown)",
                S_c(tr, S_OFF));
        tr->leaked = 1;
        break;
    case GALLEY__EV_HIT:
        fprintf(fp, "%s:%d:\n", ev->file, ev->line);
        S_block(tr, ev->data, ev->len);
        break;
    case GALLEY__EV_VARY:
        fprintf(fp, "%s:%d: %spass %ld printed something else:%s\n",
                ev->file, ev->line, S_c(tr, S_RED), ev->value,
                S_c(tr, S_OFF));
        S_block(tr, ev->data, ev->len);
        break;
    case GALLEY__EV_MISUSE:
        fprintf(fp, "%s:%d: %sEXPECT takes only a /* comment */ holding "
                "the expected output%s\n", ev->file, ev->line,
                S_c(tr, S_RED), S_c(tr, S_OFF));
        break;
    case GALLEY__EV_TRAILING:
        fprintf(fp, "after the last marker:\n");
        S_block(tr, ev->data, ev->len);
        break;
    case GALLEY__EV_STDERR:
        fprintf(fp, "stderr:\n");
        S_block(tr, ev->data, ev->len);
        break;
    case GALLEY__EV_TRUNCATED:
        fprintf(fp, "%soutput cut at %ld bytes (the output limit)%s\n",
                S_c(tr, S_RED), ev->value, S_c(tr, S_OFF));
        break;
    case GALLEY__EV_LAST:
        fprintf(fp, "stopped after the marker at %s:%d\n", ev->file,
                ev->line);
        break;
    case GALLEY__EV_SKIP:
        fprintf(fp, "%s:%d: skipped: ", ev->file, ev->line);
        fwrite(ev->data ? ev->data : "", 1, ev->len, fp);
        fputc('\n', fp);
        break;
    case GALLEY__EV_CRASH: /* addresses mean nothing to a reader */
        break;
    case GALLEY__EV_END:
        S_end(tr, ev);
        break;
    }
}

int galley__transcript_finish(galley__transcript *tr)
{
    FILE *fp = tr->fp;
    size_t n = tr->n_ok + tr->n_failed + tr->n_skipped;
    fprintf(fp, "%zu test%s: %zu ok, %zu failed", n, n == 1 ? "" : "s",
            tr->n_ok, tr->n_failed);
    if (tr->n_skipped)
        fprintf(fp, ", %zu skipped", tr->n_skipped);
    for (size_t i = 0; i < tr->n_failed; i++)
        fprintf(fp, "%s%s", i ? ", " : " (", tr->failed[i]->name);
    fputs(tr->n_failed ? ")\n" : "\n", fp);
    fflush(fp);
    free(tr->failed);
    tr->failed = NULL;
    return tr->n_failed ? 1 : 0;
}
