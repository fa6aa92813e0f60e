/* patch.c: _galley/promote.patch, every pending promotion as one unified
 * diff made with libgit2. It reads the same state `galley promote` reads and
 * rewrites with the same function, so applying the patch gives the sources
 * that promote would have written. */
#define _GNU_SOURCE
#include "patch.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../source/source.h"
#include "state.h"

/* ---- where the patch's paths start ---- */

/* Returns the heap real path of the directory the patch's paths are
 * relative to: the work tree of the repository holding root, else root. */
static char *S_base_dir(const char *root)
{
    char real[PATH_MAX];
    char *top = galley__repo_top(root);
    return top ? top : galley__xstrdup(realpath(root, real) ? real : root);
}

/* Returns path below base, relative to it (a pointer into path), or NULL
 * when path is not below base. */
static const char *S_below(const char *path, const char *base)
{
    size_t n = strlen(base);
    if (n == 1) /* base is "/" */
        return path + 1;
    if (strncmp(path, base, n) != 0 || path[n] != '/')
        return NULL;
    return path + n + 1;
}

/* ---- one file ---- */

/* Prints a warning about a file that the patch leaves out. */
static void S_left_out(const char *file, const char *why)
{
    galley__warning_at(file, 0, "%s; left out of _galley/promote.patch",
                       why);
}

/* Reads the source of st and rewrites it with every edit into out. Returns
 * 0, or -1 after printing why the file is left out. */
static int S_promoted(const galley__state *st, galley__buf *src, galley__buf *out)
{
    char hash[41], *err = NULL;
    galley__scan scan = {0};
    int rc = galley__read_file(st->source, src);
    if (rc != 0) {
        S_left_out(st->display, strerror(-rc));
        return -1;
    }
    galley__hash(src->ptr ? src->ptr : "", src->len, hash);
    if (strcmp(hash, st->hash) != 0) {
        S_left_out(st->display, "changed since the last galley run");
        return -1;
    }
    const galley__source_kind *kind = galley__source_kind_of(st->source);
    kind->scan(&scan, src->ptr ? src->ptr : "", src->len);
    rc = scan.n_errors ? -1
                       : kind->rewrite(out, src->ptr ? src->ptr : "",
                                       src->len, &scan, st->edits,
                                       st->n_edits, &err);
    if (rc != 0)
        S_left_out(st->display, err ? err : scan.errors[0].msg);
    free(err);
    galley__scan_fini(&scan);
    return rc;
}

/* Appends the diff from old to new text of path rel to out. Returns 1 if
 * it added one, 0 if the texts are the same. */
static int S_diff(galley__buf *out, const galley__buf *old,
                  const galley__buf *new, const char *rel)
{
    git_patch *p = NULL;
    git_buf text = {0};
    int added = 0;
    if (git_patch_from_buffers(&p, old->ptr, old->len, rel, new->ptr,
                               new->len, rel, NULL) == 0 &&
        git_patch_num_hunks(p) > 0 && git_patch_to_buf(&text, p) == 0) {
        galley__buf_add(out, text.ptr, text.size);
        added = 1;
    } else if (!p) {
        const git_error *e = git_error_last();
        S_left_out(rel, e ? e->message : "libgit2 could not diff it");
    }
    git_buf_dispose(&text);
    git_patch_free(p);
    return added;
}

/* Appends the diff for the state file at sp to out. Returns 1 if it added
 * one. */
static int S_add_file(const char *sp, const char *root, const char *base,
                      galley__buf *out)
{
    galley__state st = {0};
    galley__buf src, promoted;
    char *err = NULL, real[PATH_MAX];
    const char *rel = NULL;
    int added = 0;
    galley__buf_init(&src);
    galley__buf_init(&promoted);
    if (galley__state_read(sp, root, &st, &err) != 0) {
        S_left_out(sp, err);
    } else if (!(rel = S_below(realpath(st.source, real) ? real : st.source,
                               base))) {
        S_left_out(st.display, "outside the directory the patch is "
                   "relative to");
    } else if (S_promoted(&st, &src, &promoted) == 0) {
        added = S_diff(out, &src, &promoted, rel);
    }
    free(err);
    galley__buf_fini(&src);
    galley__buf_fini(&promoted);
    galley__state_fini(&st);
    return added;
}

/* ---- the patch ---- */

size_t galley__promote_patch(const char *root, galley__buf *out)
{
    size_t np;
    char **paths = galley__state_list(root, &np);
    char *base = np ? S_base_dir(root) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        n += (size_t)S_add_file(paths[i], root, base, out);
        free(paths[i]);
    }
    free(paths);
    free(base);
    return n;
}

int galley__promote_patch_write(const char *root)
{
    galley__buf b;
    galley__buf_init(&b);
    size_t n = galley__promote_patch(root, &b);
    int rc = (int)n;
    char *path = galley__xasprintf("%s/_galley/promote.patch", root);
    if (n == 0) {
        unlink(path);
    } else {
        int w = galley__write_file_replace(path, b.ptr, b.len, 0644, 0);
        if (w != 0) {
            galley__error_at(NULL, 0, "cannot write %s: %s", path,
                             strerror(-w));
            rc = -1;
        }
    }
    free(path);
    galley__buf_fini(&b);
    return rc;
}

/* Returns heap word w quoted for the shell when it must be. */
static char *S_shell_word(const char *w)
{
    if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_./-+,:@%=") == strlen(w))
        return galley__xstrdup(w);
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_putc(&b, '\'');
    for (; *w; w++)
        if (*w == '\'')
            galley__buf_puts(&b, "'\\''");
        else
            galley__buf_putc(&b, *w);
    galley__buf_putc(&b, '\'');
    return galley__buf_detach(&b, NULL);
}

/* Returns the heap line that says where the patch is and how to apply
 * it, both from the directory galley was started in: from another than
 * the root, through a cd to the root, since git apply run in a directory
 * leaves out what the patch changes outside it. */
static char *S_accept_hint(const char *root)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd) || !strcmp(cwd, root))
        return galley__xstrdup("wrote _galley/promote.patch; accept with: "
                               "git apply _galley/promote.patch");
    char *patch = galley__xasprintf("%s/_galley/promote.patch", root);
    char *shown = galley__relative_path(patch, cwd);
    char *rel = galley__relative_path(root, cwd);
    char *to_root = S_shell_word(rel);
    free(rel);
    char *hint = galley__xasprintf("wrote %s; accept with: cd %s && git "
                                   "apply _galley/promote.patch", shown,
                                   to_root);
    free(to_root);
    free(shown);
    free(patch);
    return hint;
}

void galley__promote_patch_ci(const char *root, int failed)
{
    fflush(stdout); /* the line comes after the report */
    /* A run that passed may have left out tests whose output is still
     * pending (ctest runs one test at a time): the patch holds what is
     * pending, said by the run that failed. */
    if (galley__promote_patch_write(root) > 0 && failed) {
        char *hint = S_accept_hint(root);
        galley__note("%s", hint);
        free(hint);
    }
}
