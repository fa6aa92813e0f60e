/* changed.c: --changed. libgit2 lists the paths that differ from a revision
 * (work tree and index, untracked files too); a test file is selected when
 * it is one of them or reaches one through its #include lines. The lines
 * are read here rather than taken from the compiler's depfiles, which a
 * fresh clone does not have. */
#define _GNU_SOURCE
#include "changed.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../source/includes.h"
#include "../source/util.h"

typedef struct S_graph {
    const galley__config *conf;
    galley__words changed;      /* sorted canonical paths */
    galley__includes *includes; /* deleted headers resolve too */
} S_graph;

/* ---- paths ---- */

/* Returns the heap canonical form of absolute path p: its real path when it
 * exists (symbolic links resolved, as discovery resolves test files), else
 * its lexical form (a deleted file). */
static char *S_canon(const char *p)
{
    char real[PATH_MAX];
    if (realpath(p, real))
        return galley__xstrdup(real);
    return galley__lexical_path(p);
}

static int S_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_is_changed(const S_graph *g, const char *path)
{
    return g->changed.n &&
           bsearch(&path, g->changed.v, g->changed.n, sizeof(char *),
                   S_str_cmp) != NULL;
}

/* ---- git ---- */

/* Prints libgit2's last error after what, for the exit-2 messages. */
static int S_git_error(const char *what, const char *arg)
{
    const git_error *e = git_error_last();
    char *msg = galley__xasprintf(what, arg);
    galley__error_at(NULL, 0, "--changed: %s%s%s%s", msg,
                     e && e->message && *e->message ? " (" : "",
                     e && e->message ? e->message : "",
                     e && e->message && *e->message ? ")" : "");
    free(msg);
    return 2;
}

/* Finds the tree of rev in repo: *tree NULL stands for the empty tree of a
 * repository with no commit yet, when rev is HEAD. Returns 0 or 2. */
static int S_tree(git_repository *repo, const char *rev, git_tree **tree)
{
    git_object *obj = NULL;
    *tree = NULL;
    if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1)
        return 0;
    int rc = git_revparse_single(&obj, repo, rev);
    if (rc == GIT_ENOTFOUND) {
        galley__error_at(NULL, 0, "--changed: unknown revision '%s' (give "
                         "a commit, branch or tag, such as HEAD~1 or main)",
                         rev);
        return 2;
    }
    if (rc != 0)
        return S_git_error("bad revision '%s'", rev);
    rc = git_object_peel((git_object **)tree, obj, GIT_OBJECT_TREE);
    git_object_free(obj);
    if (rc != 0) {
        galley__error_at(NULL, 0, "--changed: '%s' names no commit or tree",
                         rev);
        return 2;
    }
    return 0;
}

/* Adds the work tree's path rel to the changed set. */
static void S_add_changed(S_graph *g, const char *workdir, const char *rel)
{
    char *abs = galley__xasprintf("%s/%s", workdir, rel);
    char *c = S_canon(abs);
    galley__words_add(&g->changed, c);
    free(c);
    free(abs);
}

/* Fills g->changed with the paths that differ between tree and the work
 * tree or index (untracked files included) of repo. Returns 0 or 2. */
static int S_diff(S_graph *g, git_repository *repo, git_tree *tree)
{
    git_diff_options opts;
    git_diff *diff = NULL;
    char real[PATH_MAX];
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
    if (git_diff_tree_to_workdir_with_index(&diff, repo, tree, &opts) != 0)
        return S_git_error("cannot compare with the work tree%s", "");
    const char *wd = git_repository_workdir(repo);
    const char *base = realpath(wd, real) ? real : wd;
    for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        S_add_changed(g, base, d->new_file.path);
        if (strcmp(d->old_file.path, d->new_file.path) != 0)
            S_add_changed(g, base, d->old_file.path);
    }
    git_diff_free(diff);
    if (g->changed.n > 1)
        qsort(g->changed.v, g->changed.n, sizeof(char *), S_str_cmp);
    return 0;
}

/* Fills g->changed from the repository holding root. Returns 0 or 2. */
static int S_changed_paths(S_graph *g, const char *root, const char *rev)
{
    git_repository *repo = NULL;
    git_tree *tree = NULL;
    int rc;
    if (git_repository_open_ext(&repo, root, 0, NULL) != 0) {
        galley__error_at(NULL, 0, "--changed: %s is not in a git "
                         "repository (--changed compares with one)", root);
        return 2;
    }
    if (git_repository_is_bare(repo))
        rc = S_git_error("%s is in a bare repository", root);
    else
        rc = S_tree(repo, rev, &tree);
    if (rc == 0)
        rc = S_diff(g, repo, tree);
    git_tree_free(tree);
    git_repository_free(repo);
    return rc;
}

/* ---- the include graph ---- */

/* The include graph's test for a deleted file: one the change removed. */
static int S_gone_cb(void *ctx, const char *path)
{
    return S_is_changed(ctx, path);
}

/* Returns 1 if the test file at path (canonical) is changed or reaches a
 * changed file through its includes. */
static int S_affected(S_graph *g, const char *path)
{
    if (S_is_changed(g, path))
        return 1;
    galley__words headers = {0};
    galley__includes_headers(g->includes, path, &headers);
    int found = 0;
    for (size_t i = 0; i < headers.n && !found; i++)
        found = S_is_changed(g, headers.v[i]);
    galley__words_fini(&headers);
    return found;
}

/* ---- selection ---- */

/* Returns the name of the configuration file that changed, making every
 * test file affected, or NULL: galley.conf or a file of its sources. */
static const char *S_config_changed(const S_graph *g)
{
    const galley__config *c = g->conf;
    const char *found = NULL;
    for (size_t i = 0; i <= c->sources.n && !found; i++) {
        const char *p = i == 0 ? c->file : c->sources.v[i - 1];
        char *canon = p ? S_canon(p) : NULL;
        if (canon && S_is_changed(g, canon))
            found = i == 0 ? "galley.conf" : "a file of galley.conf's sources";
        free(canon);
    }
    return found;
}

static void S_graph_fini(S_graph *g)
{
    galley__includes_free(g->includes);
    galley__words_fini(&g->changed);
}

/* Drops the sources that are not affected, keeping their order. */
static void S_keep_affected(S_graph *g, galley__sources *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (S_affected(g, s->v[i].path)) {
            s->v[kept++] = s->v[i];
            continue;
        }
        free(s->v[i].path);
        free(s->v[i].display);
    }
    s->n = kept;
}

int galley__changed_select(galley__sources *s, const galley__config *c,
                          const char *rev)
{
    S_graph g;
    memset(&g, 0, sizeof g);
    g.conf = c;
    galley__words dirs = {0};
    galley__config_include_dirs(c, &dirs);
    g.includes = galley__includes_new(&dirs);
    galley__words_fini(&dirs);
    galley__includes_keep_gone(g.includes, S_gone_cb, &g);
    int rc = S_changed_paths(&g, c->root, rev);
    if (rc == 0) {
        size_t all = s->n;
        const char *why = S_config_changed(&g);
        if (why)
            galley__note("--changed %s: %s changed: every test file", rev,
                         why);
        else {
            S_keep_affected(&g, s);
            galley__note("--changed %s: %zu of %zu test file%s", rev, s->n,
                         all, all == 1 ? "" : "s");
        }
    }
    S_graph_fini(&g);
    return rc;
}
