/* cache.c: the result cache (see cache.h). Digests are SHA-1, as git
 * computes them for blobs, through libgit2. The digests of files are kept
 * in a table under their stat data (device, inode, size, times), so that a
 * rerun hashes only what changed; a file changed in the last seconds is
 * not entered, since a second change within the same clock tick would
 * keep its stat data. */
#define _GNU_SOURCE
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/protocol.h"
#include "../source/atomic.h"
#include <galley.h> /* GALLEY_VERSION */

/* The first line of a pack. */
#define S_MAGIC "galley-cache 1\n"
/* A pack read that was last marked used before this many seconds is
 * marked again: the eviction order is least recently used, to the hour. */
#define S_TOUCH_AFTER 3600
/* A file whose times are this recent is hashed again on the next run. */
#define S_SETTLE_S 2

/* ---- file digests ---- */

/* The stat data that stands for a file's content in the table. */
static char *S_stat_key(const struct stat *st, const char *path)
{
    return galley__xasprintf(
        "%llu %llu %lld %lld.%09ld %lld.%09ld %s", (unsigned long long)st->st_dev,
        (unsigned long long)st->st_ino, (long long)st->st_size,
        (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
        (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec, path);
}

/* Orders lines of the table by their stat data (after the digest). */
static int S_line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + GALLEY__DIGEST_LEN,
                  *(char *const *)b + GALLEY__DIGEST_LEN);
}

/* Compares stat data key with a line of the table, for bsearch. */
static int S_key_cmp(const void *key, const void *line)
{
    return strcmp(key, *(char *const *)line + GALLEY__DIGEST_LEN);
}

/* The digest of the file at path (absolute) into out. Returns 0, or -1
 * when it cannot be read. */
static int S_file_digest(galley__cache *c, const char *path,
                         char out[GALLEY__DIGEST_LEN])
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    char *key = S_stat_key(&st, path);
    char **hit = c->stat_sorted ? bsearch(key, c->stat.v, c->stat_sorted,
                                          sizeof *c->stat.v, S_key_cmp)
                                : NULL;
    if (hit) {
        memcpy(out, *hit, GALLEY__DIGEST_LEN - 1);
        out[GALLEY__DIGEST_LEN - 1] = '\0';
        free(key);
        return 0;
    }
    git_oid oid;
    if (git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB) != 0) {
        free(key);
        return -1;
    }
    git_oid_tostr(out, GALLEY__DIGEST_LEN, &oid);
    time_t now = time(NULL);
    if (now - st.st_mtim.tv_sec >= S_SETTLE_S &&
        now - st.st_ctim.tv_sec >= S_SETTLE_S) {
        char *line = galley__xasprintf("%s %s", out, key);
        galley__words_add(&c->stat, line);
        free(line);
        c->stat_dirty = 1;
    }
    free(key);
    return 0;
}

/* Reads the table of file digests, keeping the lines of files that still
 * exist. */
static void S_stat_load(galley__cache *c)
{
    char *path = galley__xasprintf("%s/stat", c->dir);
    galley__buf b;
    galley__buf_init(&b);
    if (galley__read_file(path, &b) == 0 && b.len) {
        for (char *p = b.ptr, *nl; (nl = strchr(p, '\n')) != NULL;
             p = nl + 1) {
            *nl = '\0';
            if (nl - p > GALLEY__DIGEST_LEN && p[GALLEY__DIGEST_LEN - 1] == ' ')
                galley__words_add(&c->stat, p);
        }
    }
    galley__buf_fini(&b);
    free(path);
    if (c->stat.n > 1)
        qsort(c->stat.v, c->stat.n, sizeof *c->stat.v, S_line_cmp);
    c->stat_sorted = c->stat.n;
}

/* Writes the table back when it gained lines, without those of files
 * that are gone or changed. */
static void S_stat_save(galley__cache *c)
{
    if (!c->stat_dirty || !c->write)
        return;
    galley__buf b;
    galley__buf_init(&b);
    for (size_t i = 0; i < c->stat.n; i++) {
        const char *line = c->stat.v[i];
        const char *file = line;
        for (int k = 0; k < 6 && file; k++)
            file = strchr(file + 1, ' ');
        struct stat st;
        if (!file || stat(file + 1, &st) != 0)
            continue;
        char *key = S_stat_key(&st, file + 1);
        if (!strcmp(key, line + GALLEY__DIGEST_LEN))
            galley__buf_printf(&b, "%s\n", line);
        free(key);
    }
    char *path = galley__xasprintf("%s/stat", c->dir);
    galley__write_file_replace(path, b.ptr ? b.ptr : "", b.len, 0644, 0);
    free(path);
    galley__buf_fini(&b);
}

/* ---- inputs ---- */

/* The files found under a directory, for nftw (one walk at a time). */
static galley__words *S_walk_into;

static int S_walk_cb(const char *path, const struct stat *st, int type,
                     struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_D && n >= 8 && !strcmp(path + n - 8, "/_galley"))
        return FTW_SKIP_SUBTREE;
    /* Symbolic links are followed; one that leads nowhere is listed as a
     * file that cannot be read, so that its mending is a change. */
    if (type == FTW_F || type == FTW_SLN)
        galley__words_add(S_walk_into, path);
    return FTW_CONTINUE;
}

static int S_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds to b the files that the blank-separated globs of globs name
 * (relative to the root; a directory: every file below it), each with its
 * digest, sorted; a glob that names nothing is said too, so that a file
 * appearing later changes the listing. */
static void S_list_inputs(galley__cache *c, const galley__words *globs,
                          galley__buf *b)
{
    galley__words files = {0};
    for (size_t i = 0; i < globs->n; i++) {
        char *pat = globs->v[i][0] == '/'
                        ? galley__xstrdup(globs->v[i])
                        : galley__xasprintf("%s/%s", c->root, globs->v[i]);
        glob_t g;
        int rc = glob(pat, GLOB_BRACE | GLOB_NOSORT, NULL, &g);
        if (rc != 0 || g.gl_pathc == 0)
            galley__buf_printf(b, "none %s\n", globs->v[i]);
        for (size_t k = 0; rc == 0 && k < g.gl_pathc; k++) {
            struct stat st;
            if (stat(g.gl_pathv[k], &st) == 0 && S_ISDIR(st.st_mode)) {
                S_walk_into = &files;
                nftw(g.gl_pathv[k], S_walk_cb, 16, FTW_ACTIONRETVAL);
                S_walk_into = NULL;
            } else {
                galley__words_add(&files, g.gl_pathv[k]);
            }
        }
        if (rc == 0)
            globfree(&g);
        free(pat);
    }
    if (files.n > 1)
        qsort(files.v, files.n, sizeof *files.v, S_cmp);
    for (size_t i = 0; i < files.n; i++) {
        if (i > 0 && !strcmp(files.v[i], files.v[i - 1]))
            continue;
        char d[GALLEY__DIGEST_LEN];
        if (S_file_digest(c, files.v[i], d) != 0)
            strcpy(d, "unreadable");
        galley__buf_printf(b, "%s %s\n", d, files.v[i]);
    }
    galley__words_fini(&files);
}

/* The digest of the files a test's .inputs names, computed once a run. */
static void S_inputs_digest(galley__cache *c, const char *inputs,
                            char out[GALLEY__DIGEST_LEN])
{
    for (size_t i = 0; i < c->globs.n; i++)
        if (!strcmp(c->globs.v[i], inputs)) {
            strcpy(out, c->globs_digest.v[i]);
            return;
        }
    galley__words globs = {0};
    galley__split_words(&globs, inputs);
    galley__buf b;
    galley__buf_init(&b);
    S_list_inputs(c, &globs, &b);
    galley__hash(b.ptr ? b.ptr : "", b.len, out);
    galley__buf_fini(&b);
    galley__words_fini(&globs);
    galley__words_add(&c->globs, inputs);
    galley__words_add(&c->globs_digest, out);
}

/* ---- the run ---- */

/* Adds environment variable name's value (or that it is unset) to the
 * cache key being written in b. */
static void S_key_env(galley__buf *b, const char *name)
{
    const char *v = getenv(name);
    if (v)
        galley__buf_printf(b, "env %s=%zu:%s\n", name, strlen(v), v);
    else
        galley__buf_printf(b, "env %s unset\n", name);
}

void galley__cache_init(galley__cache *c, const galley__config *conf,
                        int read, int write)
{
    memset(c, 0, sizeof *c);
    c->root = galley__xstrdup(conf->root);
    c->dir = galley__xasprintf("%s/_galley/cache", conf->root);
    c->read = read;
    c->write = write;
    c->cap = conf->cache_size;
    if (!read && !write)
        return;
    S_stat_load(c);
    /* What shapes every result besides the program: the version of the
     * runtime's protocol, the limits, the environment galley.conf names
     * and the files it declares. */
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_printf(&b, "galley %s protocol %d\ntimeout %d\nlimit %ld\n",
                       GALLEY_VERSION, GALLEY__RESULTS_VERSION,
                       conf->timeout_ms, conf->output_limit);
    for (size_t i = 0; i < conf->env.n; i++)
        S_key_env(&b, conf->env.v[i]);
    /* And what decides which devices a test's .devices runs on
     * (galley_tensor(3)): a pass on the simulated device, or on another
     * GPU, is no result for a run without it. */
    S_key_env(&b, "GALLEY_CUDA_SIM");
    S_key_env(&b, "CUDA_VISIBLE_DEVICES");
    S_list_inputs(c, &conf->inputs, &b);
    galley__hash(b.ptr, b.len, c->base);
    galley__buf_fini(&b);
}

static int S_later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec ||
           (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* Whether the pack at path was written by this run (never removed). */
static int S_written_now(const galley__cache *c, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < c->written.n; i++) {
        size_t k = strlen(c->written.v[i]);
        if (n >= k && !strcmp(path + n - k, c->written.v[i]) &&
            path[n - k - 1] == '/')
            return 1;
    }
    return 0;
}

/* The size of the cache's packs, and the least recently used ones removed
 * (not those this run wrote) until it is three quarters of the cap when
 * it is over. */
static void S_evict(galley__cache *c)
{
    typedef struct { char *path; struct timespec at; off_t size; } S_pack;
    S_pack *v = NULL;
    size_t n = 0;
    off_t total = 0;
    DIR *top = opendir(c->dir);
    struct dirent *e;
    while (top && (e = readdir(top)) != NULL) {
        if (strlen(e->d_name) != 2)
            continue;
        char *sub = galley__xasprintf("%s/%s", c->dir, e->d_name);
        DIR *d = opendir(sub);
        struct dirent *f;
        while (d && (f = readdir(d)) != NULL) {
            struct stat st;
            char *p = galley__xasprintf("%s/%s", sub, f->d_name);
            if (f->d_name[0] != '.' && stat(p, &st) == 0 &&
                S_ISREG(st.st_mode)) {
                v = galley__xrealloc(v, (n + 1) * sizeof *v);
                v[n++] = (S_pack){p, st.st_mtim, st.st_size};
                total += st.st_size;
            } else {
                free(p);
            }
        }
        if (d)
            closedir(d);
        free(sub);
    }
    if (top)
        closedir(top);
    /* Oldest first. */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && S_later(&v[k - 1].at, &v[k].at); k--) {
            S_pack t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    for (size_t i = 0; i < n && total > c->cap; i++) {
        if (!S_written_now(c, v[i].path) && unlink(v[i].path) == 0)
            total -= v[i].size;
        if (total <= c->cap / 4 * 3)
            break;
    }
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}

void galley__cache_fini(galley__cache *c)
{
    if (c->write && c->dir) {
        S_stat_save(c);
        S_evict(c);
    }
    galley__words_fini(&c->written);
    galley__words_fini(&c->globs);
    galley__words_fini(&c->globs_digest);
    galley__words_fini(&c->stat);
    free(c->root);
    free(c->dir);
    memset(c, 0, sizeof *c);
}

/* ---- packs ---- */

static char *S_pack_path(const galley__cache *c, const char *key)
{
    return galley__xasprintf("%s/%.2s/%s", c->dir, key, key + 2);
}

static void S_entries_fini(galley__cache_pack *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].block);
        free(p->v[i].inputs);
    }
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* Reads one entry at *at of text[0..end). Returns 0, or -1 if malformed. */
static int S_read_entry(galley__cache_pack *p, const char *text, size_t *at,
                        size_t end)
{
    size_t name_len, len, inputs_len;
    int rerun, used = 0;
    char digest[GALLEY__DIGEST_LEN];
    const char *s = text + *at;
    const char *nl = memchr(s, '\n', end - *at);
    if (!nl || sscanf(s, "entry %zu %zu %d %zu %40s%n", &name_len, &len,
                      &rerun, &inputs_len, digest, &used) != 5 ||
        s + used != nl || strlen(digest) != GALLEY__DIGEST_LEN - 1)
        return -1;
    size_t body = (size_t)(nl + 1 - text);
    if (name_len == 0 || name_len > end - body ||
        inputs_len > end - body - name_len ||
        len > end - body - name_len - inputs_len ||
        body + name_len + inputs_len + len >= end ||
        text[body + name_len + inputs_len + len] != '\n')
        return -1;
    p->v = galley__xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    galley__cache_entry *e = &p->v[p->n++];
    e->name = galley__xstrndup(text + body, name_len);
    e->inputs = inputs_len ? galley__xstrndup(text + body + name_len,
                                              inputs_len)
                           : NULL;
    e->block = galley__xstrndup(text + body + name_len + inputs_len, len);
    e->len = len;
    e->rerun = rerun != 0;
    strcpy(e->digest, digest);
    *at = body + name_len + inputs_len + len + 1;
    return 0;
}

/* Parses pack text[0..len). Returns 0, or -1 when it is not a whole pack
 * whose checksum matches (p is then left empty). */
static int S_parse_pack(galley__cache_pack *p, const char *text, size_t len)
{
    static const char sum[] = "sum ";
    size_t trailer = sizeof sum - 1 + GALLEY__DIGEST_LEN; /* with '\n' */
    size_t magic = strlen(S_MAGIC);
    if (len < magic + trailer || memcmp(text, S_MAGIC, magic) != 0 ||
        memcmp(text + len - trailer, sum, sizeof sum - 1) != 0 ||
        text[len - 1] != '\n')
        return -1;
    size_t end = len - trailer;
    char want[GALLEY__DIGEST_LEN];
    galley__hash(text, end, want);
    if (memcmp(want, text + end + sizeof sum - 1, GALLEY__DIGEST_LEN - 1))
        return -1;
    size_t at = magic;
    int complete;
    if (sscanf(text + at, "complete %d\n", &complete) != 1)
        return -1;
    const char *nl = memchr(text + at, '\n', end - at);
    if (!nl)
        return -1;
    at = (size_t)(nl + 1 - text);
    while (at < end)
        if (S_read_entry(p, text, &at, end) != 0) {
            S_entries_fini(p);
            return -1;
        }
    p->complete = complete == 1;
    return 0;
}

void galley__cache_open_pack(galley__cache *c, const char *exe,
                             const char *sut, galley__cache_pack *p)
{
    memset(p, 0, sizeof *p);
    if (!c->read && !c->write)
        return;
    char d_exe[GALLEY__DIGEST_LEN], d_sut[GALLEY__DIGEST_LEN] = "-";
    char *path = galley__xasprintf("%s/%s", c->root, exe);
    int bad = S_file_digest(c, path, d_exe) != 0;
    free(path);
    if (sut && !bad) {
        path = galley__xasprintf("%s/%s", c->root, sut);
        bad = S_file_digest(c, path, d_sut) != 0;
        free(path);
    }
    if (bad)
        return;
    char *text = galley__xasprintf("%s %s %s", c->base, d_exe, d_sut);
    galley__hash(text, strlen(text), p->key);
    free(text);
    /* Read also when results are not taken from it (--no-cache): the
     * entries that this run does not replace are kept. */
    path = S_pack_path(c, p->key);
    galley__buf b;
    galley__buf_init(&b);
    if (galley__read_file(path, &b) == 0 && b.ptr &&
        S_parse_pack(p, b.ptr, b.len) == 0)
        p->found = 1;
    galley__buf_fini(&b);
    free(path);
}

static galley__cache_entry *S_find(const galley__cache_pack *p,
                                   const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].name, name))
            return &p->v[i];
    return NULL;
}

const galley__cache_entry *galley__cache_hit(galley__cache *c,
                                             const galley__cache_pack *p,
                                             const char *name)
{
    const galley__cache_entry *e = c->read ? S_find(p, name) : NULL;
    if (!e || e->rerun)
        return NULL;
    if (e->inputs) {
        char d[GALLEY__DIGEST_LEN];
        S_inputs_digest(c, e->inputs, d);
        if (strcmp(d, e->digest) != 0)
            return NULL;
    }
    return e;
}

void galley__cache_put(galley__cache *c, galley__cache_pack *p,
                       const char *name, const char *block, size_t len,
                       const char *inputs, int rerun)
{
    if (!p->key[0] || !c->write)
        return;
    galley__cache_entry *e = S_find(p, name);
    if (!e) {
        p->v = galley__xrealloc(p->v, (p->n + 1) * sizeof *p->v);
        e = &p->v[p->n++];
        memset(e, 0, sizeof *e);
        e->name = galley__xstrdup(name);
    }
    free(e->block);
    free(e->inputs);
    e->block = galley__xstrndup(block, len);
    e->len = len;
    e->rerun = rerun;
    e->inputs = inputs && *inputs ? galley__xstrdup(inputs) : NULL;
    if (e->inputs)
        S_inputs_digest(c, e->inputs, e->digest);
    else
        strcpy(e->digest, "0000000000000000000000000000000000000000");
    p->dirty = 1;
}

void galley__cache_save(galley__cache *c, galley__cache_pack *p)
{
    if (!p->key[0] || !c->write)
        return;
    char *path = S_pack_path(c, p->key);
    if (!p->dirty) {
        struct stat st;
        if (p->found && stat(path, &st) == 0 &&
            time(NULL) - st.st_mtime > S_TOUCH_AFTER)
            utimensat(AT_FDCWD, path, NULL, 0);
        free(path);
        return;
    }
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_printf(&b, "%scomplete %d\n", S_MAGIC, p->complete);
    for (size_t i = 0; i < p->n; i++) {
        const galley__cache_entry *e = &p->v[i];
        size_t il = e->inputs ? strlen(e->inputs) : 0;
        galley__buf_printf(&b, "entry %zu %zu %d %zu %s\n%s%s",
                           strlen(e->name), e->len, e->rerun, il, e->digest,
                           e->name, e->inputs ? e->inputs : "");
        galley__buf_add(&b, e->block, e->len);
        galley__buf_putc(&b, '\n');
    }
    char sum[GALLEY__DIGEST_LEN];
    galley__hash(b.ptr, b.len, sum);
    galley__buf_printf(&b, "sum %s\n", sum);
    *strrchr(path, '/') = '\0';
    galley__mkdirs(path);
    path[strlen(path)] = '/';
    if (galley__write_file_replace(path, b.ptr, b.len, 0644, 0) == 0)
        galley__words_add(&c->written, p->key + 2);
    galley__buf_fini(&b);
    free(path);
    p->dirty = 0;
}

void galley__cache_pack_fini(galley__cache_pack *p)
{
    S_entries_fini(p);
}
