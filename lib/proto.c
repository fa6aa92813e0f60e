/* proto.c: writes the results file for the runner (see proto.h), in the
 * format of protocol.h: header lines, each payload counted in bytes and
 * followed by a newline, so that output is never parsed. */
#define _GNU_SOURCE
#include "proto.h"

#include <fcntl.h>
#include <inttypes.h>
#include <string.h>

#include "child.h"

/* Writes the header once the file is open. */
static int S_start(galley__proto *p)
{
    if (!p->fp)
        return -1;
    fprintf(p->fp, "%s %d\n", GALLEY__RESULTS_MAGIC, GALLEY__RESULTS_VERSION);
    return 0;
}

int galley__proto_open(galley__proto *p, const char *path)
{
    p->fp = fopen(path, "we");
    return S_start(p);
}

int galley__proto_open_fd(galley__proto *p, int fd)
{
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    galley__child_close_fd(fd);
    p->fp = fdopen(fd, "w");
    return S_start(p);
}

int galley__proto_close(galley__proto *p)
{
    int bad = ferror(p->fp);
    int rc = fclose(p->fp);
    p->fp = NULL;
    return bad || rc != 0 ? -1 : 0;
}

/* Writes a file name as the rest of a header line. A newline in it (only a
 * #line directive could put one there) would break the line: it becomes a
 * space. */
static void S_name(FILE *fp, const char *s)
{
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        fwrite(s, 1, (size_t)(nl - s), fp);
        putc(' ', fp);
    }
    fputs(s, fp);
    putc('\n', fp);
}

/* Writes a payload and the newline that closes it. */
static void S_payload(FILE *fp, const galley__event *ev)
{
    if (ev->len)
        fwrite(ev->data, 1, ev->len, fp);
    putc('\n', fp);
}

static const char *S_end_word(galley__end_kind end)
{
    switch (end) {
    case GALLEY__END_OK:
        return "ok";
    case GALLEY__END_EXIT:
        return "exit";
    case GALLEY__END_SIGNAL:
        return "signal";
    case GALLEY__END_TIMEOUT:
        return "timeout";
    case GALLEY__END_SKIP:
        return "skip";
    case GALLEY__END_MISSING: /* the reader's alone: never written */
        break;
    }
    return "?";
}

/* Writes a hit's tolerances: "RTOL ATOL" exactly (%a keeps every bit),
 * or "- -" when galley.conf's apply. */
static void S_tol_fields(FILE *fp, const galley__tol *t)
{
    if (t->set)
        fprintf(fp, "%a %a", t->rtol, t->atol);
    else
        fputs("- -", fp);
}

void galley__proto_emit_cb(void *ctx, const galley__event *ev)
{
    FILE *fp = ((galley__proto *)ctx)->fp;
    switch (ev->kind) {
    case GALLEY__EV_TEST:
        fprintf(fp, "test %s %d ", ev->test->name, ev->test->line);
        S_name(fp, ev->test->file);
        if (galley__device_word(ev->device))
            fprintf(fp, "device %s\n", galley__device_word(ev->device));
        if (ev->test->options.filter) {
            size_t n = strlen(ev->test->options.filter);
            fprintf(fp, "filter %zu\n", n);
            S_payload(fp, &(galley__event){.data = ev->test->options.filter,
                                           .len = n});
        }
        if (ev->test->options.inputs) {
            size_t n = strlen(ev->test->options.inputs);
            fprintf(fp, "inputs %zu\n", n);
            S_payload(fp, &(galley__event){.data = ev->test->options.inputs,
                                           .len = n});
        }
        if (ev->test->options.no_cache)
            fputs("nocache\n", fp);
        break;
    case GALLEY__EV_HIT:
        fprintf(fp, "hit %d %d ", ev->line, ev->exact);
        S_tol_fields(fp, &ev->tol);
        fprintf(fp, " %zu ", ev->len);
        S_name(fp, ev->file);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_VARY:
        fprintf(fp, "vary %d %ld %zu ", ev->line, ev->value, ev->len);
        S_name(fp, ev->file);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_MISUSE:
        fprintf(fp, "misuse %d ", ev->line);
        S_name(fp, ev->file);
        break;
    case GALLEY__EV_TRAILING:
        fputs("trailing ", fp);
        S_tol_fields(fp, &ev->tol);
        fprintf(fp, " %zu\n", ev->len);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_STDERR:
        fprintf(fp, "stderr %zu\n", ev->len);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_TRUNCATED:
        fprintf(fp, "truncated %ld\n", ev->value);
        break;
    case GALLEY__EV_LAST:
        fprintf(fp, "last %d ", ev->line);
        S_name(fp, ev->file);
        break;
    case GALLEY__EV_SKIP:
        fprintf(fp, "skip %d %zu ", ev->line, ev->len);
        S_name(fp, ev->file);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_CRASH:
        fputs("crash", fp);
        for (size_t i = 0; i + sizeof(int64_t) <= ev->len;
             i += sizeof(int64_t)) {
            int64_t off;
            memcpy(&off, ev->data + i, sizeof off);
            fprintf(fp, " %" PRIx64, (uint64_t)off);
        }
        putc('\n', fp);
        break;
    case GALLEY__EV_LEAK:
        fprintf(fp, "leak %ld %zu\n", ev->value, ev->len);
        S_payload(fp, ev);
        break;
    case GALLEY__EV_END:
        fprintf(fp, "end %s %ld %ld\n", S_end_word(ev->end), ev->value,
                ev->ms);
        fflush(fp);
        break;
    }
}
