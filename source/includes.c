/* includes.c: the include graph of a run (see includes.h). Files are nodes
 * read on first need; an edge is an #include that resolves to a file of
 * the project. Queries walk the graph breadth first, so include cycles
 * (guarded headers that include each other) end. */
#define _GNU_SOURCE
#include "includes.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

typedef struct S_file {
    char *path;       /* real path */
    int loaded;       /* its includes were read */
    int galley;       /* it includes galley.h itself */
    size_t *edges;    /* the nodes it includes */
    size_t n_edges;
    unsigned seen;    /* the query that last reached it */
} S_file;

struct galley__includes {
    galley__words dirs; /* where <x.h> and, after the file's own directory,
                          "x.h" are looked for */
    S_file *nodes;
    size_t n, cap;
    unsigned query;
    int (*gone)(void *ctx, const char *path);
    void *gone_ctx;
};

galley__includes *galley__includes_new(const galley__words *dirs)
{
    galley__includes *g = galley__xcalloc(1, sizeof *g);
    for (size_t i = 0; i < dirs->n; i++)
        galley__words_add(&g->dirs, dirs->v[i]);
    return g;
}

void galley__includes_free(galley__includes *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->nodes[i].path);
        free(g->nodes[i].edges);
    }
    free(g->nodes);
    galley__words_fini(&g->dirs);
    free(g);
}

void galley__includes_keep_gone(galley__includes *g,
                               int (*gone)(void *ctx, const char *path),
                               void *ctx)
{
    g->gone = gone;
    g->gone_ctx = ctx;
}

/* Returns the node of the file at path (made real), added if new, or -1
 * when path names no regular file (nor a gone one that counts). */
static long S_node(galley__includes *g, const char *path)
{
    char buf[PATH_MAX];
    struct stat st;
    char *real = realpath(path, buf) ? galley__xstrdup(buf) : NULL;
    if (real && (stat(real, &st) != 0 || !S_ISREG(st.st_mode))) {
        free(real);
        return -1;
    }
    if (!real && g->gone && path[0] == '/') {
        real = galley__lexical_path(path);
        if (!g->gone(g->gone_ctx, real)) {
            free(real);
            real = NULL;
        }
    }
    if (!real)
        return -1;
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->nodes[i].path, real)) {
            free(real);
            return (long)i;
        }
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 16;
        g->nodes = galley__xrealloc(g->nodes, g->cap * sizeof *g->nodes);
    }
    memset(&g->nodes[g->n], 0, sizeof *g->nodes);
    g->nodes[g->n].path = real;
    return (long)g->n++;
}

/* Returns 1 if include name is galley's header: galley.h, a header under
 * galley/, or a path to either. */
static int S_is_galley(const char *name)
{
    const char *base = strrchr(name, '/');
    return !strcmp(name, "galley.h") || (base && !strcmp(base, "/galley.h")) ||
           !strncmp(name, "galley/", 7) || strstr(name, "/galley/");
}

/* Resolves the include of name from the file at from: returns its node,
 * or -1 when it is no file of the project. */
static long S_resolve(galley__includes *g, const char *from, const char *name,
                      int angle)
{
    long k = -1;
    if (name[0] == '/')
        return S_node(g, name);
    if (!angle) {
        char *dir = galley__xstrdup(from);
        *strrchr(dir, '/') = '\0';
        char *p = galley__xasprintf("%s/%s", dir, name);
        k = S_node(g, p);
        free(p);
        free(dir);
    }
    for (size_t i = 0; k < 0 && i < g->dirs.n; i++) {
        char *p = galley__xasprintf("%s/%s", g->dirs.v[i], name);
        k = S_node(g, p);
        free(p);
    }
    return k;
}

/* Adds an edge from node k to node to, once. */
static void S_edge(galley__includes *g, size_t k, size_t to)
{
    S_file *n = &g->nodes[k];
    for (size_t i = 0; i < n->n_edges; i++)
        if (n->edges[i] == to)
            return;
    n->edges = galley__xrealloc(n->edges, (n->n_edges + 1) * sizeof *n->edges);
    n->edges[n->n_edges++] = to;
}

/* Reads the #include lines of node k (a UTF-8 byte-order mark skipped). */
static void S_load(galley__includes *g, size_t k)
{
    galley__buf text;
    galley__buf_init(&text);
    g->nodes[k].loaded = 1;
    if (galley__read_file(g->nodes[k].path, &text) != 0)
        return;
    const char *p = text.ptr, *end = text.ptr + text.len;
    if (text.len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        int angle = 0;
        char *name = galley__include_name(p, (size_t)(le - p), &angle);
        if (name && S_is_galley(name)) {
            g->nodes[k].galley = 1;
        } else if (name) {
            /* The path is copied: S_resolve may move the nodes. */
            char *from = galley__xstrdup(g->nodes[k].path);
            long to = S_resolve(g, from, name, angle);
            free(from);
            if (to >= 0 && (size_t)to != k)
                S_edge(g, k, (size_t)to);
        }
        free(name);
        p = le + 1;
    }
    galley__buf_fini(&text);
}

/* Walks the files that path includes, breadth first, calling visit on
 * each node reached (path's own first) until it returns 1. Returns 1 if
 * a visit did, else 0. */
static int S_walk(galley__includes *g, const char *path,
                  int (*visit)(galley__includes *, size_t, void *), void *ctx)
{
    long start = S_node(g, path);
    if (start < 0)
        return 0;
    size_t *queue = galley__xmalloc(sizeof *queue), head = 0, tail = 0, cap = 1;
    unsigned q = ++g->query;
    g->nodes[start].seen = q;
    queue[tail++] = (size_t)start;
    int stop = 0;
    while (head < tail && !stop) {
        size_t k = queue[head++];
        if (!g->nodes[k].loaded)
            S_load(g, k);
        stop = visit(g, k, ctx);
        for (size_t e = 0; e < g->nodes[k].n_edges; e++) {
            size_t to = g->nodes[k].edges[e];
            if (g->nodes[to].seen == q)
                continue;
            g->nodes[to].seen = q;
            if (tail == cap)
                queue = galley__xrealloc(queue, (cap *= 2) * sizeof *queue);
            queue[tail++] = to;
        }
    }
    free(queue);
    return stop;
}

static int S_galley_cb(galley__includes *g, size_t k, void *ctx)
{
    (void)ctx;
    return g->nodes[k].galley;
}

int galley__includes_galley(galley__includes *g, const char *path)
{
    return S_walk(g, path, S_galley_cb, NULL);
}

/* Collects every node but the first one visited. */
typedef struct S_collect {
    galley__words *out;
    int first;
} S_collect;

static int S_collect_cb(galley__includes *g, size_t k, void *ctx)
{
    S_collect *c = ctx;
    if (!c->first)
        galley__words_add(c->out, g->nodes[k].path);
    c->first = 0;
    return 0;
}

void galley__includes_headers(galley__includes *g, const char *path,
                             galley__words *out)
{
    S_collect c = {out, 1};
    S_walk(g, path, S_collect_cb, &c);
}
