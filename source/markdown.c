/* markdown.c: Markdown documents as test files (markdown.h). cmark finds
 * the blocks, their lines and their info strings; the bytes of fences and
 * of the prefixes that containers (lists, block quotes) put before each
 * line are read from the text itself, so that a rewrite changes the lines
 * of output blocks and nothing else. */
#define _GNU_SOURCE
#include "markdown.h"

#include <cmark.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "normalize.h"

/* ---- lines ---- */

/* Where each line of a text begins: start[i] is the offset of line i + 1. */
typedef struct S_lines {
    size_t *start;
    int n;
    const char *t;
    size_t len;
    unsigned char *opens; /* per line (1-based): a code block begins there
                             (set by the scan; NULL otherwise) */
} S_lines;

static void S_lines_init(S_lines *L, const char *t, size_t len)
{
    size_t cap = 64;
    L->start = galley__xmalloc(cap * sizeof *L->start);
    L->start[0] = 0;
    L->n = 1;
    L->t = t;
    L->len = len;
    L->opens = NULL;
    for (const char *p = t, *end = t + len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL;) {
        if ((size_t)L->n == cap)
            L->start = galley__xrealloc(L->start, (cap *= 2) * sizeof *L->start);
        L->start[L->n++] = (size_t)(++p - t);
    }
}

/* Returns the offset where 1-based line begins (len past the last). */
static size_t S_bol(const S_lines *L, int line)
{
    return line >= 1 && line <= L->n ? L->start[line - 1] : L->len;
}

/* Returns the offset of line's end: its "\r\n" or '\n', or len. */
static size_t S_eol(const S_lines *L, int line)
{
    size_t e = line < L->n ? L->start[line] - 1 : L->len;
    if (e > S_bol(L, line) && e < L->len && L->t[e - 1] == '\r')
        e--;
    return e;
}

/* ---- fences ---- */

/* A fenced code block as its text shows it. */
typedef struct S_fence {
    int open_line, close_line; /* lines of its fences (close: when closed) */
    size_t open_at, open_n;    /* the opening run of fence characters */
    char ch;                   /* '`' or '~' */
    size_t close_at, close_n;  /* the closing run */
    int closed;
    int toplevel;              /* not in a list item or a block quote */
    int stray_close;           /* not closed: the line cmark ends it at
                                  begins another block (a fence outside
                                  the block's list item or quote) */
    const char *lit;           /* cmark's content: lines without prefixes */
    size_t lit_n;
} S_fence;

/* Fills f from cmark's code block node. Returns 0, or -1 for a block with
 * no fence (indented code). */
static int S_fence_of(S_fence *f, cmark_node *node, const S_lines *L)
{
    memset(f, 0, sizeof *f);
    f->open_line = cmark_node_get_start_line(node);
    f->open_at = S_bol(L, f->open_line) +
                 (size_t)cmark_node_get_start_column(node) - 1;
    if (f->open_at >= L->len || (L->t[f->open_at] != '`' &&
                                 L->t[f->open_at] != '~'))
        return -1;
    f->ch = L->t[f->open_at];
    cmark_node *parent = cmark_node_parent(node);
    f->toplevel = !parent || cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
    while (f->open_at + f->open_n < L->len &&
           L->t[f->open_at + f->open_n] == f->ch)
        f->open_n++;
    f->lit = cmark_node_get_literal(node);
    f->lit = f->lit ? f->lit : "";
    f->lit_n = strlen(f->lit);
    size_t lines = 0;
    for (size_t i = 0; i < f->lit_n; i++)
        lines += f->lit[i] == '\n';
    int end = cmark_node_get_end_line(node);
    /* Indented code (cmark starts it past its four spaces) whose first
     * line looks like a fence: its content begins at that very line, and
     * every line from there to its end is content. */
    size_t first = (size_t)(strchrnul(f->lit, '\n') - f->lit);
    size_t rest = S_eol(L, f->open_line) - f->open_at;
    size_t bol = S_bol(L, f->open_line);
    if (end >= f->open_line && lines >= (size_t)(end - f->open_line) &&
        first == rest && !memcmp(f->lit, L->t + f->open_at, first) &&
        f->open_at > bol && strchr(" \t", L->t[f->open_at - 1]))
        return -1;
    /* Closed, content lines are exactly those between the fences. */
    if (end <= f->open_line || (size_t)(end - f->open_line - 1) != lines)
        return 0;
    /* cmark ends a block that its container's end closed at the fence
     * that, outside the container, opens the next block. */
    if (L->opens && end <= L->n && L->opens[end]) {
        f->stray_close = end;
        return 0;
    }
    size_t b = S_bol(L, end), e = S_eol(L, end);
    for (size_t p = b; p < e; p++) {
        if (L->t[p] != f->ch || (p > b && L->t[p - 1] == f->ch))
            continue;
        size_t q = p;
        while (q < e && L->t[q] == f->ch)
            q++;
        size_t r = q;
        while (r < e && (L->t[r] == ' ' || L->t[r] == '\t'))
            r++;
        if (q - p >= f->open_n && r == e) {
            f->closed = 1;
            f->close_line = end;
            f->close_at = p;
            f->close_n = q - p;
            return 0;
        }
    }
    return 0;
}

/* Returns the offset where content line k (0-based) of f begins. */
static size_t S_content_line(const S_fence *f, const S_lines *L, int k)
{
    return S_bol(L, f->open_line + 1 + k);
}

/* ---- what the rewrite needs: one per marker ---- */

typedef struct S_out {
    int block;           /* the C block of TESTs that holds this EXPECT
                            (index into galley__md_doc.blocks), or -1 for
                            an output block */
    int implicit;        /* no output block yet: one goes at insert */
    S_fence f;           /* the output block (explicit) */
    size_t insert;       /* implicit: the offset after the C block */
    int insert_eol;      /* implicit: the C block's last line has no eol */
    char *prefix;        /* what each content line begins with */
    size_t prefix_n;
    int prefix_ok;       /* 0: the lines' prefixes do not agree (tabs) */
    int tabs;            /* a tab indents a line of the block (or, for an
                            implicit marker, of its C block) */
    char *lit;           /* explicit: cmark's content, kept */
    size_t lit_n;
    int exact;
} S_out;

/* A C block that holds TESTs: a piece of a C test file, whose markers
 * are EXPECTs in its own text. Its lines are the text's, with no prefix. */
typedef struct S_cfile {
    size_t start, end;   /* its content lines: text[start, end) */
    int line0;           /* the line before its first (the fence's) */
    char ch;             /* its fence: n_fence characters ch */
    size_t n_fence;
    size_t open_at, close_at; /* where its opening and closing runs are */
} S_cfile;

struct galley__md_doc {
    S_out *outs;         /* one per marker of the scan, in order */
    size_t n;
    S_cfile *blocks;
    size_t n_blocks;
    int *test_block;     /* per TEST of the scan: its S_cfile, or -1 */
    size_t base;         /* 3 when the text begins with a BOM */
};

void galley__md_doc_free(struct galley__md_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->outs[i].prefix);
        free(d->outs[i].lit);
    }
    free(d->outs);
    free(d->blocks);
    free(d->test_block);
    free(d);
}

/* Sets o's prefix from the lines of fence f: what the source line holds
 * before cmark's content of a line that is not blank; for a block with
 * none, what the closing fence's line holds before the fence. */
/* Returns 1 if a tab is among the blanks and '>' that begin a line of
 * fence f, its fence lines included. */
static int S_tabbed(const S_fence *f, const S_lines *L)
{
    int last = f->closed ? f->close_line : f->open_line;
    for (int line = f->open_line; line <= last; line++)
        for (size_t p = S_bol(L, line), e = S_eol(L, line);
             p < e && strchr(" \t>", L->t[p]); p++)
            if (L->t[p] == '\t')
                return 1;
    return 0;
}

/* A block quote's '>' takes one space after it as its own: a prefix that
 * ends in '>' gets that space, or a line written after it that begins
 * with a space would lose it. */
static void S_quote_space(S_out *o)
{
    /* What containers put before a line is blanks and '>': anything else
     * is a line that cmark took in some other way (lazily), whose
     * indentation galley cannot repeat. */
    if (strspn(o->prefix, " \t>") != o->prefix_n)
        o->prefix_ok = 0;
    if (o->prefix_n && o->prefix[o->prefix_n - 1] == '>') {
        o->prefix = galley__xrealloc(o->prefix, o->prefix_n + 2);
        o->prefix[o->prefix_n++] = ' ';
        o->prefix[o->prefix_n] = '\0';
    }
}

/* Returns 1 if prefixes a[0..an) and b[0..bn) are the same, a '>' at the
 * end of either standing for "> " (S_quote_space). */
static int S_same_prefix(const char *a, size_t an, const char *b, size_t bn)
{
    int qa = an && a[an - 1] == '>', qb = bn && b[bn - 1] == '>';
    if (an + (size_t)qa != bn + (size_t)qb)
        return 0;
    for (size_t i = 0; i < an + (size_t)qa; i++)
        if ((i < an ? a[i] : ' ') != (i < bn ? b[i] : ' '))
            return 0;
    return 1;
}

/* Sets o's prefix: what each content line of fence f is to begin with. At
 * the top level, the spaces that indent the opening fence (cmark takes as
 * many off each line). In a container (a list item, a block quote), what
 * the source lines hold before cmark's content, which must agree from line
 * to line and with what the closing fence's line holds before the fence
 * (for a block with no content, that). */
static void S_prefix(S_out *o, const S_fence *f, const S_lines *L)
{
    o->tabs = S_tabbed(f, L);
    o->prefix_ok = 1;
    if (f->toplevel) {
        size_t b = S_bol(L, f->open_line);
        o->prefix_n = f->open_at - b;
        o->prefix = galley__xstrndup("   ", o->prefix_n <= 3 ? o->prefix_n : 3);
        o->prefix_ok = strspn(L->t + b, " ") >= o->prefix_n;
        return;
    }
    const char *lit = f->lit;
    int k = 0, found = 0;
    for (const char *p = lit, *nl; (nl = strchr(p, '\n')) != NULL;
         p = nl + 1, k++) {
        size_t n = (size_t)(nl - p);
        size_t b = S_content_line(f, L, k), e = S_eol(L, f->open_line + 1 + k);
        if (n == 0)
            continue;
        int suffix = e - b >= n && !memcmp(L->t + e - n, p, n);
        if (!found && suffix) {
            o->prefix = galley__xstrndup(L->t + b, e - n - b);
            o->prefix_n = e - n - b;
            found = 1;
        } else if (!found || !suffix || e - n - b != o->prefix_n ||
                   memcmp(L->t + b, o->prefix, o->prefix_n) != 0) {
            o->prefix_ok = 0;
        }
    }
    size_t cb = S_bol(L, f->close_line);
    if (!found) {
        o->prefix = galley__xstrndup(L->t + cb, f->close_at - cb);
        o->prefix_n = f->close_at - cb;
    } else if (!S_same_prefix(o->prefix, o->prefix_n, L->t + cb,
                              f->close_at - cb)) {
        o->prefix_ok = 0;
    }
    S_quote_space(o);
}

/* ---- options ---- */

typedef struct S_opts {
    int top, skip, exact, no_cache;
    double rtol, atol;
    int has_rtol, has_atol;
    long timeout_ms;
    char *filter, *inputs;
} S_opts;

static void S_opts_fini(S_opts *o)
{
    free(o->filter);
    free(o->inputs);
    memset(o, 0, sizeof *o);
}

/* The scan under way. */
typedef struct S_md {
    galley__scan *s;
    S_lines L;
    size_t base;
    size_t cap_markers, cap_tests, cap_errors, cap_outs;
    struct galley__md_doc *doc;
    galley__buf top;      /* the C of top blocks */
    galley__buf tests;    /* the C of the TESTs */
    galley__buf section;  /* the body of the TEST being written */
    int sec_line;         /* the heading line of the section (0: none) */
    char *sec_heading;    /* its heading's text */
    galley__words written; /* the names of the TESTs that C blocks hold,
                             which no section's name may take */
    int sec_test;         /* its TEST's index, or -1 before its first block */
    S_opts sec_opts;      /* its TEST's options */
    int sec_opts_line[4]; /* where each was set: timeout, filter, inputs,
                             no_cache */
} S_md;

/* Returns the length of the prefix that the content lines of fence f
 * have (S_prefix), setting *agree to whether the lines agree on it. */
static size_t S_prefix_len(const S_md *m, const S_fence *f, int *agree)
{
    S_out probe = {0};
    S_prefix(&probe, f, &m->L);
    free(probe.prefix);
    *agree = probe.prefix_ok;
    return probe.prefix_n;
}

static void S_error(S_md *m, int line, int col, int fatal, char *msg)
{
    galley__scan *s = m->s;
    if (s->n_errors == m->cap_errors) {
        m->cap_errors = m->cap_errors ? 2 * m->cap_errors : 4;
        s->errors = galley__xrealloc(s->errors, m->cap_errors * sizeof *s->errors);
    }
    s->errors[s->n_errors++] = (galley__scan_error){line, col, msg, fatal};
}

/* Reads one word of an option list at *p: key or key=value, the value
 * bare or in double quotes (with \" and \\). Returns 1 with *key and
 * *value (heap, value NULL when none), 0 at the end, -1 when a quote is
 * not closed. */
static int S_word(const char **p, char **key, char **value)
{
    const char *q = *p;
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
    if (!*q)
        return 0;
    const char *k = q;
    while (*q && *q != '=' && *q != ' ' && *q != '\t' && *q != '\n' &&
           *q != '\r')
        q++;
    *key = galley__xstrndup(k, (size_t)(q - k));
    *value = NULL;
    if (*q == '=') {
        galley__buf v;
        galley__buf_init(&v);
        galley__buf_grow(&v, 0);
        if (*++q == '"') {
            for (q++; *q && *q != '"'; q++) {
                if (*q == '\\' && (q[1] == '"' || q[1] == '\\'))
                    q++;
                galley__buf_putc(&v, *q);
            }
            if (*q != '"') {
                galley__buf_fini(&v);
                free(*key);
                return -1;
            }
            q++;
        } else
            while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
                galley__buf_putc(&v, *q++);
        *value = galley__buf_detach(&v, NULL);
    }
    *p = q;
    return 1;
}

/* Reads a tolerance. Returns 0, or -1 when v is not a finite number >= 0. */
static int S_tol(const char *v, double *out)
{
    char *end;
    errno = 0;
    *out = v ? strtod(v, &end) : -1;
    return v && *v && !*end && !errno && isfinite(*out) && *out >= 0 ? 0 : -1;
}

/* Applies option key=value to o. Returns NULL, or what is wrong (heap). */
static char *S_option(S_opts *o, const char *key, const char *value)
{
    static const char *const flags[] = {"top", "skip", "exact", "no_cache"};
    int *fields[] = {&o->top, &o->skip, &o->exact, &o->no_cache};
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(key, flags[i])) {
            if (value)
                return galley__xasprintf("'%s' takes no value", key);
            *fields[i] = 1;
            return NULL;
        }
    if (!strcmp(key, "rtol") || !strcmp(key, "atol")) {
        int r = key[0] == 'r';
        if (S_tol(value, r ? &o->rtol : &o->atol) != 0)
            return galley__xasprintf("%s=%s: a tolerance is a number >= 0, "
                                     "as in %s=1e-6", key, value ? value : "",
                                     key);
        *(r ? &o->has_rtol : &o->has_atol) = 1;
        return NULL;
    }
    if (!strcmp(key, "timeout_ms")) {
        char *end;
        errno = 0;
        long t = value ? strtol(value, &end, 10) : 0;
        if (!value || !*value || *end || errno || t <= 0 || t > 86400000)
            return galley__xasprintf("timeout_ms=%s: a timeout is a number of "
                                     "milliseconds, as in timeout_ms=2000",
                                     value ? value : "");
        o->timeout_ms = t;
        return NULL;
    }
    if (!strcmp(key, "filter") || !strcmp(key, "inputs")) {
        char **f = key[0] == 'f' ? &o->filter : &o->inputs;
        if (!value || !*value)
            return galley__xasprintf("%s takes a value: %s=\"...\"", key, key);
        free(*f);
        *f = galley__xstrdup(value);
        return NULL;
    }
    return galley__xasprintf("unknown option '%s': a block takes top, skip, "
                             "exact, rtol=R, atol=A, timeout_ms=N, "
                             "filter=\"s/RE/REPL/g\", inputs=\"GLOBS\" and "
                             "no_cache",
                             key);
}

/* Applies the words of list to o. Returns 0, or -1 after a fatal error at
 * line. */
static int S_options(S_md *m, S_opts *o, const char *list, int line)
{
    char *key, *value, *why = NULL;
    int r;
    while ((r = S_word(&list, &key, &value)) > 0) {
        why = S_option(o, key, value);
        free(key);
        free(value);
        if (why)
            break;
    }
    if (r < 0)
        why = galley__xstrdup("a quoted value is not closed: write "
                              "key=\"value\"");
    if (!why)
        return 0;
    S_error(m, line, 0, 1, why);
    return -1;
}

/* If html (an HTML block's text) is a galley comment, "<!-- galley ...
 * -->", returns its option list (heap); else NULL. */
static char *S_galley_comment(const char *html)
{
    html += strspn(html, " "); /* a comment may be indented 3 spaces */
    if (strncmp(html, "<!--", 4) != 0)
        return NULL;
    const char *p = html + 4;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (strncmp(p, "galley", 6) != 0)
        return NULL;
    p += 6;
    if (*p == ':')
        p++;
    else if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
             strncmp(p, "-->", 3) != 0)
        return NULL;
    const char *end = strstr(p, "-->");
    return end ? galley__xstrndup(p, (size_t)(end - p)) : NULL;
}

/* ---- sections and their TESTs ---- */

/* Appends to out the C string literal of s. */
static void S_c_string(galley__buf *out, const char *s)
{
    galley__buf_putc(out, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            galley__buf_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            galley__buf_printf(out, "\\%03o", c);
        else
            galley__buf_putc(out, (char)c);
    }
    galley__buf_putc(out, '"');
}

/* Returns the TEST name of a heading (heap): its ASCII letters (lower
 * case) and digits, each run of other characters one '_'. */
static char *S_slug(const char *heading)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_grow(&b, 0);
    for (const unsigned char *p = (const unsigned char *)heading; *p; p++) {
        int c = *p;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            c = '_';
        if (c == '_' && (b.len == 0 || b.ptr[b.len - 1] == '_'))
            continue;
        if (b.len < 48)
            galley__buf_putc(&b, (char)c);
    }
    while (b.len && b.ptr[b.len - 1] == '_')
        b.ptr[--b.len] = '\0';
    if (b.len == 0)
        galley__buf_puts(&b, "section");
    return galley__buf_detach(&b, NULL);
}

/* Returns name made unique among the TESTs of s and the names in taken
 * (heap; takes name). */
static char *S_unique(const galley__scan *s, const galley__words *taken,
                      char *name)
{
    for (int k = 1;; k++) {
        char *cand = k == 1 ? galley__xstrdup(name)
                            : galley__xasprintf("%s_%d", name, k);
        int used = galley__words_has(taken, cand);
        for (size_t i = 0; i < s->n_tests && !used; i++)
            used = !strcmp(s->tests[i].name, cand);
        if (!used) {
            free(name);
            return cand;
        }
        free(cand);
    }
}

/* Ends the section under way: writes its TEST, when it has blocks. */
static void S_end_section(S_md *m)
{
    if (m->sec_test >= 0) {
        const S_opts *o = &m->sec_opts;
        galley__buf *t = &m->tests;
        const galley__scanned_test *test = &m->s->tests[m->sec_test];
        galley__buf_printf(t, "#line %d\nGALLEY_TEST(%s", test->line,
                           test->name);
        if (o->timeout_ms)
            galley__buf_printf(t, ", .timeout_ms = %ld", o->timeout_ms);
        if (o->filter) {
            galley__buf_puts(t, ", .filter = ");
            S_c_string(t, o->filter);
        }
        if (o->inputs) {
            galley__buf_puts(t, ", .inputs = ");
            S_c_string(t, o->inputs);
        }
        if (o->no_cache)
            galley__buf_puts(t, ", .no_cache = 1");
        galley__buf_puts(t, ") {\n");
        galley__buf_add(t, m->section.ptr, m->section.len);
        galley__buf_puts(t, "}\n");
    }
    m->section.len = 0;
    m->sec_test = -1;
    S_opts_fini(&m->sec_opts);
    memset(m->sec_opts_line, 0, sizeof m->sec_opts_line);
}

/* Returns the text of a heading node (heap). */
static char *S_heading_text(cmark_node *h)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_grow(&b, 0);
    cmark_iter *it = cmark_iter_new(h);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *lit = ev == CMARK_EVENT_ENTER ? cmark_node_get_literal(n)
                                                   : NULL;
        if (lit)
            galley__buf_puts(&b, lit);
        else if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK)
            galley__buf_putc(&b, ' ');
    }
    cmark_iter_free(it);
    return galley__buf_detach(&b, NULL);
}

static void S_start_section(S_md *m, cmark_node *heading)
{
    S_end_section(m);
    free(m->sec_heading);
    m->sec_heading = S_heading_text(heading);
    m->sec_line = cmark_node_get_start_line(heading);
}

/* Merges the TEST options of a block's o into its section's. Returns 0,
 * or -1 after a fatal error: two blocks of one section disagree. */
static int S_merge_test_opts(S_md *m, const S_opts *o, int line)
{
    S_opts *so = &m->sec_opts;
    static const char *const names[] = {"timeout_ms", "filter", "inputs",
                                        "no_cache"};
    int set[4] = {o->timeout_ms != 0, o->filter != NULL, o->inputs != NULL,
                  o->no_cache};
    int same[4] = {so->timeout_ms == o->timeout_ms,
                   so->filter && o->filter && !strcmp(so->filter, o->filter),
                   so->inputs && o->inputs && !strcmp(so->inputs, o->inputs),
                   1};
    for (int i = 0; i < 4; i++) {
        if (!set[i])
            continue;
        if (m->sec_opts_line[i] && !same[i]) {
            S_error(m, line, 0, 1, galley__xasprintf(
                "%s differs from the one given at line %d: it is an option "
                "of the section's TEST, which one value must hold",
                names[i], m->sec_opts_line[i]));
            return -1;
        }
        m->sec_opts_line[i] = line;
    }
    if (o->timeout_ms)
        so->timeout_ms = o->timeout_ms;
    if (o->filter && !so->filter)
        so->filter = galley__xstrdup(o->filter);
    if (o->inputs && !so->inputs)
        so->inputs = galley__xstrdup(o->inputs);
    so->no_cache |= o->no_cache;
    return 0;
}

/* Adds a TEST (zeroed) of C block block (-1: of a section) to the scan;
 * returns it. */
static galley__scanned_test *S_add_test(S_md *m, int block)
{
    galley__scan *s = m->s;
    if (s->n_tests == m->cap_tests) {
        m->cap_tests = m->cap_tests ? 2 * m->cap_tests : 4;
        s->tests = galley__xrealloc(s->tests, m->cap_tests * sizeof *s->tests);
        m->doc->test_block = galley__xrealloc(
            m->doc->test_block, m->cap_tests * sizeof *m->doc->test_block);
    }
    m->doc->test_block[s->n_tests] = block;
    galley__scanned_test *t = &s->tests[s->n_tests++];
    memset(t, 0, sizeof *t);
    return t;
}

/* Returns the index of the section's TEST, adding it for a first block at
 * line. */
static int S_section_test(S_md *m, int line)
{
    if (m->sec_test >= 0)
        return m->sec_test;
    char *name = m->sec_line ? S_slug(m->sec_heading) : galley__xstrdup("intro");
    name = S_unique(m->s, &m->written, name);
    galley__scanned_test *t = S_add_test(m, -1);
    t->name = name;
    t->line = m->sec_line ? m->sec_line : line;
    m->sec_test = (int)m->s->n_tests - 1;
    return m->sec_test;
}

/* ---- blocks ---- */

/* Adds the marker of C block c (its output block out, or NULL). */
/* Adds a marker (zeroed) and its S_out (block: -1) to the scan. */
static galley__marker *S_new_marker(S_md *m, S_out **out)
{
    galley__scan *s = m->s;
    struct galley__md_doc *d = m->doc;
    if (s->n_markers == m->cap_markers) {
        m->cap_markers = m->cap_markers ? 2 * m->cap_markers : 8;
        s->markers = galley__xrealloc(s->markers,
                                      m->cap_markers * sizeof *s->markers);
        d->outs = galley__xrealloc(d->outs, m->cap_markers * sizeof *d->outs);
    }
    galley__marker *mk = &s->markers[s->n_markers++];
    *out = &d->outs[d->n++];
    memset(mk, 0, sizeof *mk);
    memset(*out, 0, sizeof **out);
    (*out)->block = -1;
    return mk;
}

static void S_add_marker(S_md *m, const S_fence *c, const S_fence *out,
                         const S_opts *o, int test)
{
    S_out *so;
    galley__marker *mk = S_new_marker(m, &so);
    mk->kind = o->exact ? GALLEY__MARKER_EXACT
               : o->has_rtol || o->has_atol ? GALLEY__MARKER_NEAR
                                            : GALLEY__MARKER_EXPECT;
    mk->sep = "";
    mk->test = test;
    mk->first_line = c->open_line;
    so->exact = o->exact;
    if (!out) {
        so->implicit = 1;
        so->insert = S_bol(&m->L, c->close_line + 1);
        so->insert_eol = c->close_line >= m->L.n;
        size_t b = S_bol(&m->L, c->close_line);
        so->prefix = galley__xstrndup(m->L.t + b, c->close_at - b);
        so->prefix_n = c->close_at - b;
        so->prefix_ok = 1;
        S_quote_space(so);
        so->tabs = S_tabbed(c, &m->L);
        mk->line = mk->end_line = c->close_line;
        mk->start = mk->lparen = mk->rparen = mk->content_start =
            mk->body_start = mk->body_end = so->insert + m->base;
        return;
    }
    so->f = *out;
    so->lit = galley__xstrndup(out->lit, out->lit_n);
    so->lit_n = out->lit_n;
    so->f.lit = so->lit;
    S_prefix(so, out, &m->L);
    mk->line = out->open_line;
    mk->end_line = out->close_line;
    mk->has_comment = 1;
    size_t content = S_content_line(out, &m->L, 0);
    mk->body_end = S_bol(&m->L, out->close_line) + m->base;
    /* The line arithmetic of the runner counts the newlines between start
     * and body_start: see galley__marker_body. An exact text is the
     * content less its last newline; another reads as a comment whose
     * first line is the fence's. */
    if (o->exact) {
        mk->start = S_bol(&m->L, out->open_line) + m->base;
        mk->body_start = content + m->base;
        mk->text_len = out->lit_n ? out->lit_n - 1 : 0;
        mk->text = galley__xstrndup(out->lit, mk->text_len);
    } else {
        mk->start = mk->body_start = S_eol(&m->L, out->open_line) + m->base;
        mk->text = galley__xasprintf("\n%s", out->lit);
        mk->text_len = out->lit_n + 1;
    }
    mk->lparen = mk->rparen = mk->content_start = mk->start;
}

/* Adds the TESTs, markers and problems of sc, the scan of C block c's
 * content lines (text[start, ...)), as those of the document. */
static void S_add_cfile(S_md *m, const galley__scan *sc, const S_fence *c,
                        size_t start)
{
    struct galley__md_doc *d = m->doc;
    int block = (int)d->n_blocks, line0 = c->open_line;
    size_t off = start + m->base;
    int test0 = (int)m->s->n_tests;
    d->blocks = galley__xrealloc(d->blocks, (d->n_blocks + 1) * sizeof *d->blocks);
    d->blocks[d->n_blocks++] = (S_cfile){start, S_bol(&m->L, c->close_line),
                                         line0, c->ch, c->open_n, c->open_at,
                                         c->close_at};
    for (size_t i = 0; i < sc->n_tests; i++) {
        galley__scanned_test *t = S_add_test(m, block);
        *t = sc->tests[i];
        t->name = galley__xstrdup(sc->tests[i].name);
        t->line += line0;
        t->close_line += line0;
        t->body_open += off;
        t->body_close += off;
    }
    for (size_t i = 0; i < sc->n_markers; i++) {
        S_out *so;
        galley__marker *mk = S_new_marker(m, &so);
        *mk = sc->markers[i];
        so->block = block;
        mk->line += line0;
        mk->end_line += line0;
        mk->test += mk->test >= 0 ? test0 : 0;
        size_t *offs[] = {&mk->start, &mk->lparen, &mk->rparen,
                          &mk->content_start, &mk->body_start, &mk->body_end,
                          &mk->indent_start};
        for (size_t k = 0; k < sizeof offs / sizeof *offs; k++)
            *offs[k] += off;
    }
    for (size_t i = 0; i < sc->n_errors; i++)
        S_error(m, sc->errors[i].line + line0, sc->errors[i].col,
                sc->errors[i].fatal, galley__xstrdup(sc->errors[i].msg));
}

/* A C block that holds TESTs (scanned into sc): file-scope code whose
 * EXPECT markers are its own, as in a C test file. Returns 0, or -1 after
 * a fatal error. */
static int S_file_block(S_md *m, const S_fence *c, const S_fence *out,
                   const S_opts *o)
{
    size_t start = S_content_line(c, &m->L, 0);
    size_t end = S_bol(&m->L, c->close_line);
    int agree;
    /* An indented fence takes as many spaces off each line: the bytes
     * would not be the code. */
    int plain = S_prefix_len(m, c, &agree) == 0 && agree &&
                c->open_at == S_bol(&m->L, c->open_line);
    const char *why =
        !plain ? "a C block with TESTs is a piece of a C test file, whose "
                 "markers galley edits in place: it cannot sit in a list or "
                 "a block quote, or be indented"
        : out  ? "an output block after a C block with TESTs: the TESTs' "
                 "EXPECT markers hold their output; remove the output block"
        : o->top || o->exact || o->has_rtol || o->has_atol || o->timeout_ms ||
                o->filter || o->inputs || o->no_cache
            ? "a C block with TESTs takes no options but skip: give its "
              "TESTs their options, TEST(name, .rtol = 1e-6)"
            : NULL;
    if (why) {
        S_error(m, out && plain ? out->open_line : c->open_line, 0, 1,
                galley__xstrdup(why));
        return -1;
    }
    galley__scan sc;
    galley__scan_text(&sc, m->L.t + start, end - start);
    S_add_cfile(m, &sc, c, start);
    galley__scan_fini(&sc);
    return 0;
}

/* Returns 1 if code holds a TEST (then *markers is 0), or an EXPECT marker
 * outside any (*markers 1); else 0. */
static int S_c_kind(const char *code, size_t n, int *markers)
{
    galley__scan sc;
    galley__scan_text(&sc, code, n);
    *markers = sc.n_tests == 0 && sc.n_markers > 0;
    int tests = sc.n_tests > 0;
    galley__scan_fini(&sc);
    return tests;
}

/* Appends "#line N" and code (ending in a newline) to b. */
static void S_put_code(galley__buf *b, int line, const char *code, size_t n)
{
    galley__buf_printf(b, "#line %d\n", line);
    galley__buf_add(b, code, n);
    if (n && code[n - 1] != '\n')
        galley__buf_putc(b, '\n');
}

/* Appends C block c's code as S_put_code does, each line after as many
 * spaces as its container's prefix has bytes (when the lines agree on
 * one), so that the compiler's columns are the document's. */
static void S_put_block(S_md *m, galley__buf *b, const S_fence *c)
{
    int agree;
    size_t prefix = S_prefix_len(m, c, &agree);
    if (!agree || prefix == 0 || prefix > 64) {
        S_put_code(b, c->open_line + 1, c->lit, c->lit_n);
        return;
    }
    galley__buf_printf(b, "#line %d\n", c->open_line + 1);
    for (const char *p = c->lit, *end = p + c->lit_n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        nl = nl ? nl : end;
        if (nl > p)
            galley__buf_printf(b, "%*s", (int)prefix, "");
        galley__buf_add(b, p, (size_t)(nl - p));
        galley__buf_putc(b, '\n');
        p = nl + 1;
    }
}

/* Appends the marker call of a block whose marker is mk. */
static void S_put_marker(galley__buf *b, const galley__marker *mk,
                         const S_opts *o)
{
    /* The functions behind the macros: a block whose last statement lacks
     * its ';' then gets the compiler's plain message, without notes about
     * galley.h's macros. */
    galley__buf_printf(b, "#line %d\n", mk->line);
    if (mk->kind == GALLEY__MARKER_NEAR)
        galley__buf_printf(b, "galley_expect_near(__FILE__, __LINE__, "
                           "(galley_near_options){.rtol = %.17g, "
                           ".atol = %.17g});\n", o->rtol, o->atol);
    else
        galley__buf_printf(b, "galley_expect(__FILE__, __LINE__, %d, \"\");\n",
                           mk->kind == GALLEY__MARKER_EXACT);
}

/* A C block (node) with options o; its output block is out (or NULL). */
static void S_c_block(S_md *m, const S_fence *c, const S_fence *out,
                      const S_opts *o)
{
    int body = c->open_line + 1, markers;
    if (S_c_kind(c->lit, c->lit_n, &markers)) {
        if (S_file_block(m, c, out, o) == 0)
            S_put_code(&m->top, body, c->lit, c->lit_n);
        return;
    }
    if (markers) {
        S_error(m, c->open_line, 0, 1, galley__xstrdup(
            "an EXPECT marker outside any TEST: in a Markdown document the "
            "output block after a C block is its EXPECT; write the TEST "
            "around it, or take the marker out"));
        return;
    }
    if (o->exact && (o->has_rtol || o->has_atol)) {
        S_error(m, c->open_line, 0, 1, galley__xstrdup(
            "exact and a tolerance together: an exact block is compared byte "
            "for byte, where tolerances do not apply; drop one of them"));
        return;
    }
    if (o->top) {
        if (out)
            S_error(m, out->open_line, 0, 1, galley__xstrdup(
                "an output block after a 'top' C block, which is file-scope "
                "code and prints nothing: move the output block, or drop "
                "'top'"));
        else if (o->has_rtol || o->has_atol || o->exact)
            S_error(m, c->open_line, 0, 1, galley__xstrdup(
                "a 'top' C block has no output to compare: exact, rtol and "
                "atol do not apply to it"));
        S_put_block(m, &m->top, c);
        return;
    }
    int test = S_section_test(m, c->open_line);
    if (S_merge_test_opts(m, o, c->open_line) != 0)
        return;
    S_add_marker(m, c, out, o, test);
    galley__scanned_test *t = &m->s->tests[test];
    t->close_line = out ? out->close_line : c->close_line;
    S_put_block(m, &m->section, c);
    S_put_marker(&m->section, &m->s->markers[m->s->n_markers - 1], o);
}

/* Returns the first word of a code block's info string (heap). */
static char *S_info_word(cmark_node *node, const char **rest)
{
    const char *info = cmark_node_get_fence_info(node);
    info = info ? info : "";
    while (*info == ' ' || *info == '\t')
        info++;
    size_t n = strcspn(info, " \t");
    *rest = info + n;
    return galley__xstrndup(info, n);
}

/* Returns 1 if node is a fenced code block whose info string's first word
 * is word. */
static int S_is_block(cmark_node *node, const char *word)
{
    if (!node || cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK)
        return 0;
    const char *rest;
    char *w = S_info_word(node, &rest);
    int yes = !strcasecmp(w, word);
    free(w);
    return yes;
}

/* ---- the walk ---- */

typedef struct S_walk {
    cmark_node *opts_for;  /* the block that a galley comment's options are
                              for */
    char *opts;            /* those options */
    int opts_line;
} S_walk;

/* A galley comment (html, at line) that comes before next. */
static void S_comment(S_md *m, S_walk *w, cmark_node *node, const char *list)
{
    int line = cmark_node_get_start_line(node);
    cmark_node *next = cmark_node_next(node);
    m->s->opted_in = 1;
    const char *p = list;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p)
        return;
    if (!S_is_block(next, "c")) {
        S_error(m, line, 0, 1, galley__xstrdup(
            "galley options with no C block right after them: a comment "
            "<!-- galley: OPTIONS --> gives options to the ```c block just "
            "after it; to opt the document in, write <!-- galley --> alone"));
        return;
    }
    free(w->opts);
    w->opts = galley__xstrdup(list);
    w->opts_for = next;
    w->opts_line = line;
}

/* A fenced code block. */
static void S_code(S_md *m, S_walk *w, cmark_node *node)
{
    S_fence f;
    if (S_fence_of(&f, node, &m->L) != 0)
        return; /* indented code is prose */
    if (!f.closed && f.stray_close) {
        S_error(m, f.open_line, 0, 1, galley__xasprintf(
            "this fence (%.*s) is never closed: the fence of line %d is "
            "outside its list item or block quote, and opens another block; "
            "indent the closing fence as the opening one",
            (int)f.open_n, m->L.t + f.open_at, f.stray_close));
        return;
    }
    if (!f.closed) {
        S_error(m, f.open_line, 0, 1, galley__xasprintf(
            "this fence (%.*s) is never closed, so all that follows it%s "
            "is its content: close it with a line of %zu or more '%c'",
            (int)f.open_n, m->L.t + f.open_at,
            f.toplevel ? "" : " in its list item or block quote", f.open_n,
            f.ch));
        return;
    }
    const char *rest;
    char *word = S_info_word(node, &rest);
    if (!strcasecmp(word, "output")) {
        m->s->opted_in = 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest)
            S_error(m, f.open_line, 0, 1, galley__xasprintf(
                "an output block takes no options ('%s'): put them on the "
                "C block before it", rest));
        else if (!S_is_block(cmark_node_previous(node), "c"))
            S_error(m, f.open_line, 0, 0, galley__xstrdup(
                "an output block with no C block right before it: it is "
                "not compared; put it just after the ```c block whose "
                "output it is"));
    } else if (!strcasecmp(word, "c")) {
        S_opts o = {0};
        int bad = S_options(m, &o, rest, f.open_line) != 0 ||
                  (w->opts_for == node &&
                   S_options(m, &o, w->opts, w->opts_line) != 0);
        cmark_node *next = cmark_node_next(node);
        S_fence out;
        int has_out = S_is_block(next, "output") &&
                      S_fence_of(&out, next, &m->L) == 0 && out.closed;
        if (!bad && !o.skip)
            S_c_block(m, &f, has_out ? &out : NULL, &o);
        S_opts_fini(&o);
    }
    free(word);
}

/* Reports a line of HTML block node (text html) that would open a C block
 * if a blank line came before it: HTML runs to the next blank line, and
 * what looks like code in it is not run. */
static void S_fence_in_html(S_md *m, cmark_node *node, const char *html)
{
    int line = cmark_node_get_start_line(node);
    for (const char *p = html; *p; line++) {
        const char *q = p + strspn(p, " ");
        size_t run = strspn(q, "`");
        if (!run)
            run = strspn(q, "~");
        const char *w = q + run + strspn(q + run, " \t");
        if (run >= 3 && w[0] == 'c' && strchr(" \t\n", w[1] ? w[1] : '\n')) {
            S_error(m, line, 0, 0, galley__xstrdup(
                "a ```c fence inside an HTML block is HTML, not code, and "
                "does not run: put a blank line between the HTML and the "
                "fence"));
            return;
        }
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
}

/* Adds to m->written the names of the TESTs that C block node holds. */
static void S_written_tests(S_md *m, cmark_node *node)
{
    if (!S_is_block(node, "c"))
        return;
    const char *lit = cmark_node_get_literal(node);
    galley__scan sc;
    galley__scan_text(&sc, lit ? lit : "", lit ? strlen(lit) : 0);
    for (size_t i = 0; i < sc.n_tests; i++)
        galley__words_add(&m->written, sc.tests[i].name);
    galley__scan_fini(&sc);
}

/* Marks in m->L.opens the lines where code blocks of doc begin, and
 * gathers the names of the TESTs that its C blocks hold. */
static void S_mark_openings(S_md *m, cmark_node *doc)
{
    m->L.opens = galley__xcalloc((size_t)m->L.n + 2, 1);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        int line = cmark_node_get_start_line(node);
        if (ev == CMARK_EVENT_ENTER &&
            cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK &&
            line >= 1 && line <= m->L.n) {
            m->L.opens[line] = 1;
            S_written_tests(m, node);
        }
    }
    cmark_iter_free(it);
}

static void S_walk_doc(S_md *m, cmark_node *doc)
{
    S_mark_openings(m, doc);
    S_walk w = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *node = cmark_iter_get_node(it);
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_HEADING:
            S_start_section(m, node);
            break;
        case CMARK_NODE_HTML_BLOCK: {
            const char *html = cmark_node_get_literal(node);
            char *list = S_galley_comment(html ? html : "");
            if (list)
                S_comment(m, &w, node, list);
            else
                S_fence_in_html(m, node, html ? html : "");
            free(list);
            break;
        }
        case CMARK_NODE_CODE_BLOCK:
            S_code(m, &w, node);
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    free(w.opts);
    S_end_section(m);
}

/* ---- the text itself ---- */

/* Checks that the text is UTF-8 without NULs, and that every carriage
 * return ends a line (CRLF): cmark reads a lone CR as a line end, and the
 * lines galley counts would not be cmark's. Returns 0, or -1 after a fatal
 * error. */
static int S_check_text(S_md *m)
{
    const S_lines *L = &m->L;
    const unsigned char *t = (const unsigned char *)L->t;
    int line = 1;
    size_t bol = 0;
    for (size_t i = 0, k; i < L->len; i += k) {
        k = t[i] ? galley__utf8_len(t + i, L->len - i) : 0;
        if (t[i] == '\r' && (i + 1 >= L->len || t[i + 1] != '\n'))
            k = 0;
        if (k == 0) {
            const char *what = t[i] == '\r' ? "a carriage return that ends "
                               "no line (old Mac line ends): use LF or CRLF"
                               : t[i] == 0 ? "a NUL byte: a Markdown "
                               "document is text"
                               : "a byte that is not UTF-8: galley reads "
                               "Markdown as UTF-8; convert the file (iconv "
                               "-f latin1 -t utf-8)";
            S_error(m, line, (int)(i - bol) + 1, 1, galley__xasprintf(
                "%s (byte 0x%02x)", what, t[i]));
            return -1;
        }
        if (t[i] == '\n') {
            line++;
            bol = i + 1;
        }
    }
    return 0;
}

/* Returns 1 if t[0..n) looks like a document that opts in, read as bytes:
 * a fence with the info string output, or a comment "<!-- galley". What
 * cmark would find cannot be trusted when the document is broken (a fence
 * never closed swallows what follows; bytes that are not UTF-8 stop the
 * scan), and a broken document must be reported, not passed over. */
static int S_looks_opted_in(const char *t, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        if (t[i] == '<' && i + 4 <= n && !memcmp(t + i, "<!--", 4)) {
            size_t k = i + 4;
            while (k < n && (t[k] == ' ' || t[k] == '\t'))
                k++;
            if (n - k >= 7 && !memcmp(t + k, "galley", 6) &&
                strchr(": \t\r\n-", t[k + 6]))
                return 1;
        }
        if ((t[i] != '`' && t[i] != '~') || t[i + 1] != t[i] ||
            t[i + 2] != t[i] || (i && t[i - 1] == t[i]))
            continue;
        size_t k = i;
        while (k < n && t[k] == t[i])
            k++;
        while (k < n && (t[k] == ' ' || t[k] == '\t'))
            k++;
        if (n - k >= 6 && !memcmp(t + k, "output", 6) &&
            (n - k == 6 || strchr(" \t\r\n", t[k + 6])))
            return 1;
    }
    return 0;
}

void galley__md_scan(galley__scan *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    text = text ? text : "";
    S_md m = {.s = s, .sec_test = -1};
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
        s->bom = 1;
        m.base = 3;
    }
    const char *nl = memchr(text, '\n', len);
    s->crlf = nl && nl > text && nl[-1] == '\r';
    m.doc = galley__xcalloc(1, sizeof *m.doc);
    m.doc->base = m.base;
    s->md = m.doc;
    S_lines_init(&m.L, text + m.base, len - m.base);
    galley__buf_init(&m.top);
    galley__buf_init(&m.tests);
    galley__buf_init(&m.section);
    if (S_check_text(&m) == 0) {
        cmark_node *doc = cmark_parse_document(m.L.t, m.L.len,
                                               CMARK_OPT_SOURCEPOS);
        S_walk_doc(&m, doc);
        cmark_node_free(doc);
    }
    int broken = 0;
    for (size_t i = 0; i < s->n_errors && !broken; i++)
        broken = s->errors[i].fatal;
    if (!s->opted_in && broken)
        s->opted_in = S_looks_opted_in(text, len);
    galley__buf_add(&m.top, m.tests.ptr ? m.tests.ptr : "", m.tests.len);
    s->program_len = m.top.len;
    s->program = galley__buf_detach(&m.top, NULL);
    galley__buf_fini(&m.tests);
    galley__buf_fini(&m.section);
    free(m.sec_heading);
    S_opts_fini(&m.sec_opts);
    free(m.L.opens);
    galley__words_fini(&m.written);
    free(m.L.start);
}

/* ---- the program ---- */

void galley__md_program(galley__buf *out, const galley__scan *s,
                        const char *path)
{
    galley__buf_puts(out,
        "/* Written by galley run from a Markdown document: edit the "
        "document. */\n"
        "#include <galley.h>\n#include <galley/plot.h>\n"
        "#include <galley/tensor.h>\n#include <math.h>\n#include <stdio.h>\n"
        "#include <stdlib.h>\n#include <string.h>\n#line 1 ");
    S_c_string(out, path);
    galley__buf_putc(out, '\n');
    galley__buf_add(out, s->program ? s->program : "", s->program_len);
}

/* ---- the rewrite ---- */

/* One replacement: text[start, end) gives way to with. */
typedef struct S_span {
    size_t start, end;
    char *with;
    size_t with_n;
} S_span;

typedef struct S_edits {
    S_span *v;
    size_t n, cap;
} S_edits;

static void S_replace(S_edits *e, size_t start, size_t end, galley__buf *with)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 8;
        e->v = galley__xrealloc(e->v, e->cap * sizeof *e->v);
    }
    S_span *sp = &e->v[e->n++];
    sp->start = start;
    sp->end = end;
    sp->with = galley__buf_detach(with, &sp->with_n);
}

/* Appends to lines the lines that an output block gets for edit e, each
 * ended by '\n': the normalized output (exact: the raw output, and a last
 * empty line when it ends in a newline), escaped where a line cannot be
 * written as it is; verbatim text as it is. */
static void S_block_lines(galley__buf *lines, const galley__edit *e, int exact)
{
    galley__buf norm;
    galley__buf_init(&norm);
    /* An empty output still has a buffer: the fence and verify code adds
     * offsets to lines->ptr and compares it with memcmp. */
    galley__buf_grow(lines, 0);
    const char *t = e->text;
    size_t n = e->len;
    if (!exact && !e->verbatim) {
        galley__normalize(&norm, e->text, e->len);
        t = norm.ptr ? norm.ptr : "";
        n = norm.len;
    }
    for (const char *p = t, *end = t + n; n;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!e->verbatim && galley__line_needs_escape(p, ln))
            galley__escape_line(lines, p, ln);
        else
            galley__buf_add(lines, p, ln);
        galley__buf_putc(lines, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    galley__buf_fini(&norm);
}

/* Returns the length of the fence of character ch that lines need: n, or
 * longer than any run of ch that begins one of them (after blanks). */
static size_t S_fence_len(const galley__buf *lines, char ch, size_t n)
{
    for (const char *p = lines->ptr, *end = p + lines->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        while (p < nl && *p == ' ')
            p++;
        size_t run = 0;
        while (p + run < nl && p[run] == ch)
            run++;
        if (run >= n)
            n = run + 1;
        p = nl + 1;
    }
    return n;
}

/* Returns the length of o's prefix less its trailing blanks: what an
 * empty line gets ("> " gives ">", an indentation nothing). */
static size_t S_blank_prefix(const S_out *o)
{
    size_t n = o->prefix_n;
    while (n && (o->prefix[n - 1] == ' ' || o->prefix[n - 1] == '\t'))
        n--;
    return n;
}

/* Appends lines (each ended by '\n'), each after prefix (an empty line
 * after prefix less its trailing blanks), with line ends eol. */
static void S_put_lines(galley__buf *b, const galley__buf *lines,
                        const S_out *o, const char *eol)
{
    size_t blank = S_blank_prefix(o);
    for (const char *p = lines->ptr, *end = p + lines->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        galley__buf_add(b, o->prefix, nl > p ? o->prefix_n : blank);
        galley__buf_add(b, p, (size_t)(nl - p));
        galley__buf_puts(b, eol);
        p = nl + 1;
    }
}

/* A fence of n characters ch. */
static void S_put_fence(galley__buf *b, char ch, size_t n)
{
    for (size_t i = 0; i < n; i++)
        galley__buf_putc(b, ch);
}

/* The replacements that make a block's fences n characters ch long: the
 * opening run at open_at (open_n long) and the closing one at close_at
 * (close_n), when n is not open_n. */
static void S_grow_fences(S_edits *ed, char ch, size_t n, size_t open_at,
                          size_t open_n, size_t close_at, size_t close_n)
{
    if (n == open_n)
        return;
    galley__buf b;
    galley__buf_init(&b);
    S_put_fence(&b, ch, n);
    S_replace(ed, open_at, open_at + open_n, &b);
    S_put_fence(&b, ch, n);
    S_replace(ed, close_at, close_at + close_n, &b);
}

/* The replacements that write lines into existing output block o. */
static void S_rewrite_block(S_edits *ed, const S_out *o, const S_lines *L,
                            const galley__buf *lines, const char *eol)
{
    const S_fence *f = &o->f;
    S_grow_fences(ed, f->ch, S_fence_len(lines, f->ch, f->open_n), f->open_at,
                  f->open_n, f->close_at, f->close_n);
    galley__buf b;
    galley__buf_init(&b);
    S_put_lines(&b, lines, o, eol);
    S_replace(ed, S_content_line(f, L, 0), S_bol(L, f->close_line), &b);
}

/* The replacement that inserts an output block holding lines after the C
 * block of implicit marker o. */
static void S_insert_block(S_edits *ed, const S_out *o,
                           const galley__buf *lines, const char *eol)
{
    size_t n = S_fence_len(lines, '`', 3), blank = S_blank_prefix(o);
    galley__buf b;
    galley__buf_init(&b);
    if (o->insert_eol)
        galley__buf_puts(&b, eol);
    /* A blank line between the blocks, as people write them; not in a
     * list, where it would make the list loose. */
    if (blank || !o->prefix_n) {
        galley__buf_add(&b, o->prefix, blank);
        galley__buf_puts(&b, eol);
    }
    galley__buf_add(&b, o->prefix, o->prefix_n);
    S_put_fence(&b, '`', n);
    galley__buf_puts(&b, "output");
    galley__buf_puts(&b, eol);
    S_put_lines(&b, lines, o, eol);
    galley__buf_add(&b, o->prefix, o->prefix_n);
    S_put_fence(&b, '`', n);
    if (!o->insert_eol)
        galley__buf_puts(&b, eol);
    S_replace(ed, o->insert, o->insert, &b);
}

/* Orders replacements by where they start; of two that start at one
 * place, the empty one (an empty block's lines, before its closing
 * fence) first, whatever order they were made in. */
static int S_span_cmp(const void *a, const void *b)
{
    const S_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Checks that t[0..n), the rewritten document, reads back with the
 * output blocks of s and, at each one edited (want[i] not NULL), the
 * lines want[i]. (The C rewrite checks its own markers.) Returns NULL, or
 * what is wrong (heap). */
static char *S_verify(const char *t, size_t n, const galley__scan *s,
                      galley__buf *const *want)
{
    galley__scan again;
    galley__md_scan(&again, t, n);
    char *why = NULL;
    size_t k = 0;
    for (size_t i = 0; !why && i < s->n_markers; i++) {
        if (s->md->outs[i].block >= 0)
            continue;
        while (k < again.n_markers && again.md->outs[k].block >= 0)
            k++;
        const S_out *o = k < again.n_markers ? &again.md->outs[k++] : NULL;
        int bad = !o || (want[i] && (o->implicit ||
                                     o->lit_n != want[i]->len ||
                                     memcmp(o->lit, want[i]->ptr, o->lit_n)));
        const S_out *was = &s->md->outs[i];
        /* cmark reads a tab of a container's indentation as the spaces
         * up to the next tab stop, which a line written after it may
         * not keep: the one case a rewrite cannot be sure of. */
        if (bad && was->tabs)
            why = galley__xasprintf("the output block of line %d sits in a "
                                    "list or quote indented with tabs, which "
                                    "galley cannot write so that it reads "
                                    "back the same: indent it with spaces",
                                    s->markers[i].line);
        else if (bad)
            why = galley__xasprintf("the output block of line %d would not "
                                    "read back as written",
                                    s->markers[i].line);
    }
    while (!why && k < again.n_markers && again.md->outs[k].block >= 0)
        k++;
    if (!why && k != again.n_markers)
        why = galley__xstrdup("the document would read back with more "
                              "output blocks than it had");
    /* C blocks with TESTs keep their count (a marker added for trailing
     * output adds to the markers, never to the blocks). */
    if (!why && (again.n_markers < s->n_markers ||
                 again.md->n_blocks != s->md->n_blocks))
        why = galley__xstrdup("the document would read back with other "
                              "C blocks than it had");
    galley__scan_fini(&again);
    return why;
}

/* Returns the C block (index) that edit e is for, or -1: one of its
 * markers, or the trailing output of one of its TESTs. */
static int S_block_of(const galley__scan *s, const galley__edit *e)
{
    if (e->kind != GALLEY__EDIT_TRAILING) {
        int mi = galley__scan_find_marker(s, e->line);
        return mi >= 0 ? s->md->outs[mi].block : -1;
    }
    for (size_t i = 0; i < s->n_tests; i++)
        if (s->tests[i].line == e->line &&
            (!e->test || !strcmp(s->tests[i].name, e->test)))
            return s->md->test_block[i];
    return -1;
}

/* Returns the length of the fence of characters ch that text needs: n, or
 * longer than the run of ch on any line that would close a fence of n
 * (up to three spaces, n or more ch, then only blanks). */
static size_t S_closing_len(const galley__buf *text, char ch, size_t n)
{
    size_t need = n;
    for (const char *p = text->ptr, *end = p + text->len; p && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        nl = nl ? nl : end;
        for (int k = 0; k < 3 && p < nl && *p == ' '; k++)
            p++;
        size_t run = 0;
        while (p < nl && *p == ch) {
            p++;
            run++;
        }
        while (p < nl && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (run >= need && p == nl)
            need = run + 1;
        p = nl + 1;
    }
    return need;
}

/* The replacement of C block b's content by the C rewrite of the edits
 * that are for it. Returns 0, or -1 with *err set. */
static int S_rewrite_cfile(S_edits *ed, const galley__scan *s, int b,
                           const S_lines *L, const galley__edit *edits,
                           size_t n_edits, char **err)
{
    const S_cfile *cf = &s->md->blocks[b];
    galley__edit *mine = galley__xcalloc(n_edits, sizeof *mine);
    size_t n = 0;
    for (size_t i = 0; i < n_edits; i++)
        if (S_block_of(s, &edits[i]) == b) {
            mine[n] = edits[i]; /* borrowed: not finished here */
            mine[n++].line -= cf->line0;
        }
    galley__scan sc;
    galley__buf with;
    galley__buf_init(&with);
    galley__scan_text(&sc, L->t + cf->start, cf->end - cf->start);
    int rc = galley__rewrite(&with, L->t + cf->start, cf->end - cf->start, &sc,
                             mine, n, err);
    galley__scan_fini(&sc);
    /* A line of output in a marker (EXPECT_EXACT keeps a line of ``` as
     * it is) must not close the block: its fences grow instead. */
    if (rc == 0) {
        S_grow_fences(ed, cf->ch, S_closing_len(&with, cf->ch, cf->n_fence),
                      cf->open_at, cf->n_fence, cf->close_at, cf->n_fence);
        S_replace(ed, cf->start, cf->end, &with);
    }
    galley__buf_fini(&with);
    free(mine);
    return rc;
}

/* Returns 1 if line[0..n) ends in suffix. */
static int S_ends_with(const char *line, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(line + n - k, suffix, k);
}

/* Returns 1 if output block o (marker mk) already reads, as the runner
 * reads it, as the output of edit e, and holds no pattern line: then the
 * same output leaves its bytes as they are, however they are spelled
 * (blank lines, trailing blanks, indentation, escapes). */
static int S_reads_as(const galley__marker *mk, const S_out *o,
                      const galley__edit *e)
{
    if (e->verbatim || !mk->text)
        return 0;
    galley__buf exp, literal, act;
    galley__buf_init(&exp);
    galley__buf_init(&literal);
    galley__buf_init(&act);
    galley__buf_grow(&exp, 0);
    galley__buf_grow(&act, 0);
    int bad_line, same = 0;
    const char *msg;
    if (galley__expected_text_lines(&exp, &literal, mk->text, mk->text_len,
                                    o->exact, &bad_line, &msg) == 0) {
        if (o->exact)
            galley__buf_add(&act, e->text, e->len);
        else
            galley__normalize(&act, e->text, e->len);
        same = exp.len == act.len && !memcmp(exp.ptr, act.ptr, exp.len);
        size_t k = 0;
        for (const char *p = exp.ptr, *end = p + exp.len; same && p <= end;
             k++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if ((k >= literal.len || !literal.ptr[k]) &&
                (S_ends_with(p, n, " (re)") || S_ends_with(p, n, " (glob)")))
                same = 0;
            if (!nl)
                break;
            p = nl + 1;
        }
    }
    galley__buf_fini(&exp);
    galley__buf_fini(&literal);
    galley__buf_fini(&act);
    return same;
}

/* Fills ed and want for the edits of output blocks. Returns 0, or -1 with
 * *err set. */
static int S_plan(S_edits *ed, galley__buf **want, const galley__scan *s,
                  const S_lines *L, const galley__edit *edits, size_t n_edits,
                  char **err)
{
    const char *eol = s->crlf ? "\r\n" : "\n";
    for (size_t i = 0; i < n_edits; i++) {
        const galley__edit *e = &edits[i];
        int mi = e->kind == GALLEY__EDIT_MARKER
                     ? galley__scan_find_marker(s, e->line) : -1;
        if (S_block_of(s, e) >= 0)
            continue; /* S_rewrite_cfile's */
        /* An output block has no unreachable form: the block that was not
         * reached keeps failing until the document changes. */
        if (e->kind == GALLEY__EDIT_UNREACHABLE)
            continue;
        /* Output after the last marker of a section (a block returned
         * early) has no block to go to: the run reports it, and the
         * document's other outputs are still promoted. */
        if (e->kind == GALLEY__EDIT_TRAILING)
            continue;
        if (mi < 0) {
            *err = galley__xasprintf("no output block at line %d", e->line);
            return -1;
        }
        const S_out *o = &s->md->outs[mi];
        if (want[mi]) {
            *err = galley__xasprintf("two edits for the output block of line "
                                     "%d", e->line);
            return -1;
        }
        want[mi] = galley__xcalloc(1, sizeof *want[mi]);
        if (!o->implicit && S_reads_as(&s->markers[mi], o, e)) {
            galley__buf_add(want[mi], o->lit, o->lit_n);
            continue; /* the block holds it already, as it spells it */
        }
        S_block_lines(want[mi], e, o->exact);
        if (!o->implicit && want[mi]->len == o->lit_n &&
            !memcmp(want[mi]->ptr, o->lit, o->lit_n))
            continue; /* the block holds it already */
        if (o->implicit && want[mi]->len == 0) {
            galley__buf_fini(want[mi]);
            free(want[mi]);
            want[mi] = NULL; /* nothing printed: no block to add */
            continue;
        }
        if (!o->prefix_ok) {
            *err = galley__xasprintf("the lines of the output block of line "
                                     "%d are not indented alike (tabs, or a "
                                     "line indented less than its fence), so "
                                     "galley cannot repeat their indentation: "
                                     "indent them as the fence, with spaces",
                                     e->line);
            return -1;
        }
        if (o->implicit)
            S_insert_block(ed, o, want[mi], eol);
        else
            S_rewrite_block(ed, o, L, want[mi], eol);
    }
    for (size_t b = 0; b < s->md->n_blocks; b++)
        for (size_t i = 0; i < n_edits; i++)
            if (S_block_of(s, &edits[i]) == (int)b) {
                if (S_rewrite_cfile(ed, s, (int)b, L, edits, n_edits, err))
                    return -1;
                break;
            }
    return 0;
}

int galley__md_rewrite(galley__buf *out, const char *text, size_t len,
                       const galley__scan *s, const galley__edit *edits,
                       size_t n_edits, char **err)
{
    *err = NULL;
    text = text ? text : "";
    size_t base = s->md ? s->md->base : 0;
    if (!s->md || s->md->n != s->n_markers) {
        *err = galley__xstrdup("not a Markdown scan");
        return -1;
    }
    S_lines L;
    S_lines_init(&L, text + base, len - base);
    S_edits ed = {0};
    galley__buf **want = galley__xcalloc(s->n_markers + 1, sizeof *want);
    int rc = S_plan(&ed, want, s, &L, edits, n_edits, err);
    size_t mark = out->len;
    if (rc == 0) {
        if (ed.n > 1)
            qsort(ed.v, ed.n, sizeof *ed.v, S_span_cmp);
        galley__buf_add(out, text, base);
        size_t pos = 0;
        for (size_t i = 0; i < ed.n; i++) {
            galley__buf_add(out, L.t + pos, ed.v[i].start - pos);
            galley__buf_add(out, ed.v[i].with, ed.v[i].with_n);
            pos = ed.v[i].end;
        }
        galley__buf_add(out, L.t + pos, L.len - pos);
        *err = S_verify(out->ptr + mark, out->len - mark, s, want);
        rc = *err ? -1 : 0;
    }
    for (size_t i = 0; i < ed.n; i++)
        free(ed.v[i].with);
    free(ed.v);
    for (size_t i = 0; i < s->n_markers; i++)
        if (want[i]) {
            galley__buf_fini(want[i]);
            free(want[i]);
        }
    free(want);
    free(L.start);
    return rc;
}
