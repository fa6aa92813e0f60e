/* state.c: the run state file that `galley run` leaves for `galley promote`.
 * Headers are text lines; every string is a length-counted payload, so any
 * bytes (paths, raw output) survive, and the reader checks every count. */
#define _GNU_SOURCE
#include "state.h"

#include "promote.h"
#include "../source/source.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The format, version 2:
 *
 *   galley-state 2
 *   root LEN\n<LEN bytes>\n         the project root it was written for
 *   source LEN\n<LEN bytes>\n       the source, relative to the root (or
 *                                   absolute when outside it)
 *   display LEN\n<LEN bytes>\n      the path as reports show it
 *   hash HEX\n                      40 hex digits
 *   edits N\n                       then N edits, each
 *   marker LINE LEN\n<LEN bytes>\n  or trailing LINE LEN TEST\n<LEN bytes>\n
 *   (or verbatim LINE LEN: a marker edit whose text is written as it is)
 *   end\n
 *
 * The source is relative so that a state can never make promote write
 * outside its project, and the root is there so that the state of a copied
 * project is refused rather than trusted. */
#define S_MAGIC "galley-state 2\n"

/* Returns source (absolute) as stored: relative to root when below it. */
static const char *S_stored_path(const char *root, const char *source)
{
    size_t n = strlen(root);
    if (!strncmp(source, root, n) && source[n] == '/')
        return source + n + 1;
    return source;
}

/* ---- writing ---- */

static void S_put_payload(galley__buf *b, const char *head, const char *p,
                          size_t n)
{
    galley__buf_printf(b, "%s %zu\n", head, n);
    galley__buf_add(b, p, n);
    galley__buf_putc(b, '\n');
}

static void S_serialize(galley__buf *b, const char *root,
                        const galley__state *st)
{
    galley__buf_puts(b, S_MAGIC);
    S_put_payload(b, "root", root, strlen(root));
    const char *src = S_stored_path(root, st->source);
    S_put_payload(b, "source", src, strlen(src));
    const char *d = st->display ? st->display : st->source;
    S_put_payload(b, "display", d, strlen(d));
    galley__buf_printf(b, "hash %s\nedits %zu\n", st->hash, st->n_edits);
    for (size_t i = 0; i < st->n_edits; i++) {
        const galley__edit *e = &st->edits[i];
        galley__buf_printf(b, "%s %d %zu",
                          e->kind == GALLEY__EDIT_TRAILING ? "trailing"
                          : e->kind == GALLEY__EDIT_UNREACHABLE
                              ? "unreachable"
                          : e->verbatim ? "verbatim"
                                        : "marker",
                          e->line, e->len);
        if (e->kind == GALLEY__EDIT_TRAILING && e->test)
            galley__buf_printf(b, " %s", e->test);
        galley__buf_putc(b, '\n');
        galley__buf_add(b, e->text, e->len);
        galley__buf_putc(b, '\n');
    }
    galley__buf_puts(b, "end\n");
}

int galley__state_write(const char *path, const char *root,
                       const galley__state *st)
{
    galley__buf b;
    galley__buf_init(&b);
    S_serialize(&b, root, st);
    char *dir = galley__xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = galley__mkdirs(dir);
    }
    if (rc == 0)
        rc = galley__write_file_replace(path, b.ptr, b.len, 0644, 0);
    free(dir);
    galley__buf_fini(&b);
    return rc;
}

/* ---- reading ---- */

/* A cursor over the file's bytes; err is set at the first problem. */
typedef struct reader {
    const char *p, *end, *start;
    char *err;
} reader;

static void S_fail(reader *r, const char *what)
{
    if (r->p >= r->end)
        what = "the file ends too early";
    if (!r->err)
        r->err = galley__xasprintf("malformed state file: %s at byte %zu",
                                   what, (size_t)(r->p - r->start));
}

/* Consumes the literal word w. Returns 0 or -1. */
static int S_word(reader *r, const char *w)
{
    size_t n = strlen(w);
    if (r->err || (size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0) {
        S_fail(r, "unexpected text");
        return -1;
    }
    r->p += n;
    return 0;
}

/* Consumes a decimal number no greater than max (at most 18 digits, so it
 * cannot overflow). Returns 0 or -1. */
static int S_number(reader *r, size_t max, size_t *v)
{
    unsigned long long x = 0;
    size_t digits = 0;
    while (r->p + digits < r->end && r->p[digits] >= '0' &&
           r->p[digits] <= '9') {
        if (++digits > 18)
            break;
        x = x * 10 + (unsigned long long)(r->p[digits - 1] - '0');
    }
    if (r->err || digits == 0 || digits > 18 || x > max) {
        S_fail(r, "bad number");
        return -1;
    }
    r->p += digits;
    *v = (size_t)x;
    return 0;
}

/* Consumes n bytes and the newline after them into a heap copy. */
static char *S_payload(reader *r, size_t n)
{
    if (r->err || (size_t)(r->end - r->p) <= n || r->p[n] != '\n') {
        S_fail(r, (size_t)(r->end - r->p) <= n ? "the file ends too early"
                                               : "bad payload length");
        return NULL;
    }
    char *s = galley__xstrndup(r->p, n);
    r->p += n + 1;
    return s;
}

/* Reads "HEAD LEN\n<LEN bytes>\n" into a heap string with no NUL inside. */
static char *S_string(reader *r, const char *head)
{
    size_t n = 0;
    if (S_word(r, head) || S_word(r, " ") ||
        S_number(r, SIZE_MAX / 2, &n) || S_word(r, "\n"))
        return NULL;
    char *s = S_payload(r, n);
    if (s && strlen(s) != n) {
        S_fail(r, "NUL byte in a path");
        free(s);
        return NULL;
    }
    return s;
}

static int S_hash(reader *r, char out[41])
{
    if (S_word(r, "hash "))
        return -1;
    for (int i = 0; i < 40; i++) {
        char c = r->p < r->end ? r->p[0] : '\0';
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            S_fail(r, "bad hash");
            return -1;
        }
        out[i] = c;
        r->p++;
    }
    out[40] = '\0';
    return S_word(r, "\n");
}

/* Reads one edit record into e. */
static int S_edit(reader *r, galley__edit *e)
{
    size_t line = 0, n = 0;
    if (r->p < r->end && r->p[0] == 'm') {
        e->kind = GALLEY__EDIT_MARKER;
        S_word(r, "marker ");
    } else if (r->p < r->end && r->p[0] == 'v') {
        e->kind = GALLEY__EDIT_MARKER;
        e->verbatim = 1;
        S_word(r, "verbatim ");
    } else if (r->p < r->end && r->p[0] == 'u') {
        e->kind = GALLEY__EDIT_UNREACHABLE;
        S_word(r, "unreachable ");
    } else {
        e->kind = GALLEY__EDIT_TRAILING;
        S_word(r, "trailing ");
    }
    if (S_number(r, INT_MAX, &line) || line == 0 || S_word(r, " ") ||
        S_number(r, SIZE_MAX / 2, &n)) {
        S_fail(r, "bad edit");
        return -1;
    }
    if (e->kind == GALLEY__EDIT_TRAILING && r->p < r->end && r->p[0] == ' ') {
        const char *name = ++r->p;
        while (r->p < r->end && r->p[0] != '\n' && r->p[0] != ' ' &&
               r->p[0] != '\0')
            r->p++;
        e->test = galley__xstrndup(name, (size_t)(r->p - name));
    }
    if (S_word(r, "\n")) {
        S_fail(r, "bad edit");
        return -1;
    }
    e->line = (int)line;
    e->text = S_payload(r, n);
    e->len = n;
    return e->text ? 0 : -1;
}

static void S_parse(reader *r, galley__state *st)
{
    size_t n = 0;
    if (S_word(r, S_MAGIC))
        return;
    st->root = S_string(r, "root");
    st->source = S_string(r, "source");
    st->display = S_string(r, "display");
    if (S_hash(r, st->hash) || S_word(r, "edits ") ||
        /* Each edit takes at least 12 bytes: a bound before allocating. */
        S_number(r, (size_t)(r->end - r->p) / 12, &n) || S_word(r, "\n"))
        return;
    st->edits = galley__xcalloc(n, sizeof *st->edits);
    for (; st->n_edits < n; st->n_edits++)
        if (S_edit(r, &st->edits[st->n_edits]) != 0)
            return;
    if (S_word(r, "end\n") == 0 && r->p != r->end)
        S_fail(r, "text after the end");
}

/* Checks that st was written for the project at root, and makes its
 * source absolute. Returns 0, or -1 with r->err set. */
static int S_resolve(reader *r, galley__state *st, const char *root)
{
    if (r->err)
        return -1;
    if (strcmp(st->root, root) != 0) {
        r->err = galley__xasprintf("this state was written for the project "
                                   "at %s, not this one (a copy?)",
                                   st->root);
        return -1;
    }
    if (st->source[0] != '/') {
        char *abs = galley__xasprintf("%s/%s", root, st->source);
        free(st->source);
        st->source = abs;
    }
    return 0;
}

int galley__state_read(const char *path, const char *root, galley__state *st,
                      char **err)
{
    galley__buf b;
    galley__buf_init(&b);
    *err = NULL;
    int rc = galley__read_file(path, &b);
    if (rc != 0) {
        *err = galley__xasprintf("cannot read state file: %s",
                                 strerror(-rc));
        return -1;
    }
    reader r = {b.ptr ? b.ptr : "", (b.ptr ? b.ptr : "") + b.len,
                b.ptr ? b.ptr : "", NULL};
    S_parse(&r, st);
    galley__buf_fini(&b);
    S_resolve(&r, st, root);
    if (r.err) {
        *err = r.err;
        galley__state_fini(st);
        return -1;
    }
    return 0;
}

void galley__state_fini(galley__state *st)
{
    for (size_t i = 0; i < st->n_edits; i++)
        galley__edit_fini(&st->edits[i]);
    free(st->edits);
    free(st->root);
    free(st->source);
    free(st->display);
    memset(st, 0, sizeof *st);
}

/* ---- what a run records ---- */

/* Returns the name of the TEST of scan sc that edit e is for, or NULL (a
 * marker outside every TEST, which any test may reach). */
static const char *S_edit_test(const galley__scan *sc, const galley__edit *e)
{
    if (e->kind == GALLEY__EDIT_TRAILING) {
        for (size_t t = 0; !e->test && t < sc->n_tests; t++)
            if (sc->tests[t].line == e->line)
                return sc->tests[t].name;
        return e->test;
    }
    int mi = galley__scan_find_marker(sc, e->line);
    int ti = mi >= 0 ? sc->markers[mi].test : -1;
    return ti >= 0 ? sc->tests[ti].name : NULL;
}

/* Whether edits a and b are for one place: the same marker (whatever
 * their kinds), or the trailing output of the same TEST. */
static int S_same_place(const galley__edit *a, const galley__edit *b)
{
    int ta = a->kind == GALLEY__EDIT_TRAILING;
    if (ta != (b->kind == GALLEY__EDIT_TRAILING) || a->line != b->line)
        return 0;
    if (!ta || (!a->test && !b->test))
        return 1;
    return a->test && b->test && !strcmp(a->test, b->test);
}

/* Whether v[0..n) holds an edit for the place of e. */
static int S_has_edit(const galley__edit *v, size_t n, const galley__edit *e)
{
    for (size_t i = 0; i < n; i++)
        if (S_same_place(&v[i], e))
            return 1;
    return 0;
}

/* Whether name is one of the tests that s's run left out. */
static int S_unrun(const galley__promote_source *s, const char *name)
{
    for (size_t i = 0; name && i < s->n_unrun; i++)
        if (!strcmp(s->unrun[i], name))
            return 1;
    return 0;
}

/* Orders edits by line, then kind: the order of a run's own. */
static int S_edit_cmp(const void *pa, const void *pb)
{
    const galley__edit *a = pa, *b = pb;
    if (a->line != b->line)
        return (a->line > b->line) - (a->line < b->line);
    return ((int)a->kind > (int)b->kind) - ((int)a->kind < (int)b->kind);
}

/* Reads the state at sp into old when it was written for the text s holds,
 * and returns s's edits followed by old's for the tests s's run left out
 * (a heap array of borrowed edits, their number in *n; the caller frees
 * the array, then finishes old). NULL, with old empty, when there is no
 * such state. */
static galley__edit *S_with_unrun(const char *root, const char *sp,
                                  const galley__promote_source *s,
                                  galley__state *old, size_t *n)
{
    char *err = NULL, hash[41];
    if (!s->n_unrun || galley__state_read(sp, root, old, &err) != 0) {
        free(err);
        return NULL;
    }
    galley__hash(s->text ? s->text : "", s->len, hash);
    if (strcmp(old->hash, hash) != 0) {
        galley__state_fini(old);
        return NULL;
    }
    galley__edit *v = galley__xcalloc(s->n_edits + old->n_edits + 1,
                                      sizeof *v);
    if (s->n_edits)
        memcpy(v, s->edits, s->n_edits * sizeof *v);
    *n = s->n_edits;
    for (size_t i = 0; i < old->n_edits; i++) {
        const galley__edit *e = &old->edits[i];
        if (S_unrun(s, S_edit_test(s->scan, e)) && !S_has_edit(v, *n, e))
            v[(*n)++] = *e;
    }
    if (*n > s->n_edits)
        qsort(v, *n, sizeof *v, S_edit_cmp);
    return v;
}

/* Writes (or, with no edits, removes) the state and .corrected copy of s,
 * as galley__promote_record says. */
static void S_record(const char *root, const galley__promote_source *s)
{
    char *sp = galley__state_path(root, s->path, "state", ".state");
    char *cp = galley__state_path(root, s->path, "", ".corrected");
    if (s->n_edits == 0) {
        unlink(sp);
        unlink(cp);
        free(sp);
        free(cp);
        return;
    }
    galley__state st = {.source = (char *)s->path,
                       .display = (char *)s->display,
                       .edits = (galley__edit *)s->edits,
                       .n_edits = s->n_edits};
    galley__hash(s->text ? s->text : "", s->len, st.hash);
    galley__buf out;
    char *err = NULL;
    galley__buf_init(&out);
    int rc = galley__state_write(sp, root, &st);
    const char *failed = sp;
    if (rc == 0 &&
        galley__source_kind_of(s->path)->rewrite(&out, s->text ? s->text : "",
                                                s->len, s->scan, s->edits,
                                                s->n_edits, &err) == 0) {
        *strrchr(cp, '/') = '\0';
        rc = galley__mkdirs(cp);
        cp[strlen(cp)] = '/';
        failed = cp;
        if (rc == 0)
            rc = galley__write_file_replace(cp, out.ptr, out.len, 0644, 0);
    }
    if (err)
        galley__error_at(s->display, 0, "%s", err);
    else if (rc != 0)
        galley__error_at(NULL, 0, "cannot write %s: %s", failed,
                         strerror(-rc));
    free(err);
    galley__buf_fini(&out);
    free(sp);
    free(cp);
}

void galley__promote_record(const char *root, const galley__promote_source *s0)
{
    char *sp0 = galley__state_path(root, s0->path, "state", ".state");
    galley__state old = {0};
    galley__promote_source merged = *s0;
    galley__edit *v = S_with_unrun(root, sp0, s0, &old, &merged.n_edits);
    if (v)
        merged.edits = v;
    free(sp0);
    S_record(root, &merged);
    free(v);
    galley__state_fini(&old);
}

/* ---- paths ---- */

char *galley__state_path(const char *root, const char *source,
                        const char *dir, const char *suffix)
{
    size_t rl = strlen(root);
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    const char *rel;
    const char *abs = "";
    if (strncmp(source, root, rl) == 0 && source[rl] == '/')
        rel = source + rl + 1;
    else {
        rel = source[0] == '/' ? source + 1 : source;
        abs = "abs/";
    }
    return galley__xasprintf("%.*s/_galley/%s%s%s%s%s", (int)rl, root, dir,
                             dir[0] ? "/" : "", abs, rel, suffix);
}

/* ---- every pending file ---- */

typedef struct S_list {
    char **v;
    size_t n;
} S_list;

/* Adds the *.state files under dir (recursively) to l. */
static void S_walk(const char *dir, S_list *l)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *p = galley__xasprintf("%s/%s", dir, de->d_name);
        size_t nl = strlen(de->d_name);
        struct stat sb;
        int ok = lstat(p, &sb) == 0;
        if (ok && S_ISDIR(sb.st_mode)) {
            S_walk(p, l);
        } else if (ok && S_ISREG(sb.st_mode) && nl > 6 &&
                   !strcmp(de->d_name + nl - 6, ".state")) {
            l->v = galley__xrealloc(l->v, (l->n + 1) * sizeof *l->v);
            l->v[l->n++] = p;
            continue;
        }
        free(p);
    }
    if (d)
        closedir(d);
}

static int S_path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **galley__state_list(const char *root, size_t *n)
{
    S_list l = {0};
    char *dir = galley__xasprintf("%s/_galley/state", root);
    S_walk(dir, &l);
    free(dir);
    if (l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, S_path_cmp);
    *n = l.n;
    return l.v;
}
