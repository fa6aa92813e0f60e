/* progress.c: the status line of a run on a terminal. It is drawn as ninja
 * draws its own: carriage return, erase to the end of the line, the text;
 * never a newline, so the report that follows owns the screen. */
#define _GNU_SOURCE
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int galley__progress_wanted(int quiet)
{
    const char *term = getenv("TERM");
    return !quiet && isatty(1) && !(term && !strcmp(term, "dumb"));
}

/* Returns the terminal's width in columns, or 0 when it is not known (a
 * pseudo-terminal nobody sized, say). */
static size_t S_width(void)
{
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) != 0)
        return 0;
    return ws.ws_col;
}

void galley__progress_show(galley__progress *p, size_t done, size_t total,
                          const char *verb, const char *what)
{
    if (!p->on)
        return;
    char line[512];
    int n = snprintf(line, sizeof line, "[%zu/%zu] %s %s", done, total, verb,
                     what);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n
                                                       : sizeof line - 1;
    /* A line that wraps would leave its first part behind on the screen:
     * keep it one column short of the width, as ninja does. */
    size_t width = S_width();
    if (width > 1 && len > width - 1)
        len = width - 1;
    while (len > 0 && (line[len] & 0xc0) == 0x80)
        len--; /* not in the middle of a UTF-8 character */
    printf("\r\033[K%.*s", (int)len, line);
    fflush(stdout);
    p->shown = 1;
}

void galley__progress_clear(galley__progress *p)
{
    if (!p->shown)
        return;
    fputs("\r\033[K", stdout);
    fflush(stdout);
    p->shown = 0;
}
