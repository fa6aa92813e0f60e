/* build.c: generates _galley/build.ninja (one program per test file, code
 * under test in an archive, depfiles for headers) and drives ninja. A rule
 * that fails removes its output, so a missing object or program tells which
 * file failed without parsing ninja's output. */
#define _GNU_SOURCE
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "../source/source.h"
#include "../source/util.h"

#ifndef GALLEY_RUNTIME_FLAGS
#define GALLEY_RUNTIME_FLAGS ""
#endif

extern char **environ;

/* ---- finding the runtime ---- */

static int S_exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* Takes the candidate include directory inc and library lib (both heap):
 * keeps them in rt when galley.h and the library are there (returns 0),
 * else frees them (returns -1). */
static int S_try(galley__runtime *rt, char *inc, char *lib)
{
    char *hdr = galley__xasprintf("%s/galley.h", inc);
    int ok = S_exists(hdr) && S_exists(lib);
    free(hdr);
    if (ok) {
        rt->include_dir = inc;
        rt->library = lib;
        return 0;
    }
    free(inc);
    free(lib);
    return -1;
}

/* The library directories of an install prefix that galley looks in, as
 * tools/install.sh's LIBDIR may place them: lib, Debian's multiarch
 * lib/TRIPLET (the compiler's -print-multiarch, passed in by build.ninja;
 * empty where it has none) and lib64. */
#ifndef GALLEY_MULTIARCH
#define GALLEY_MULTIARCH ""
#endif
static const char *const S_libdirs[] = {
    "lib",
    "lib/" GALLEY_MULTIARCH,
    "lib64",
};

/* Tries the places next to the executable in dir: the build tree
 * (build/libgalley.a with lib/include above it, one or two levels up for
 * build/ and build/asan/), then an install prefix (bin/../include, and
 * bin/../LIBDIR for each of S_libdirs). Returns 0 or -1. */
static int S_try_near(galley__runtime *rt, const char *dir)
{
    const char *ups[] = {"..", "../.."};
    for (size_t i = 0; i < 2; i++)
        if (S_try(rt, galley__xasprintf("%s/%s/lib/include", dir, ups[i]),
                  galley__xasprintf("%s/libgalley.a", dir)) == 0)
            return 0;
    for (size_t i = 0; i < sizeof S_libdirs / sizeof *S_libdirs; i++)
        if (S_try(rt, galley__xasprintf("%s/../include", dir),
                  galley__xasprintf("%s/../%s/libgalley.a", dir,
                                    S_libdirs[i])) == 0)
            return 0;
    return -1;
}

/* Reads libgalley-cuda.txt beside the library (KEY=VALUE lines: version
 * and libs when built, reason when not) into rt's cuda fields. */
static void S_cuda_find(galley__runtime *rt)
{
    char *dir = galley__xstrdup(rt->library);
    *strrchr(dir, '/') = '\0';
    char *info = galley__xasprintf("%s/libgalley-cuda.txt", dir);
    char *lib = galley__xasprintf("%s/libgalley-cuda.a", dir);
    char *version = NULL, *reason = NULL;
    FILE *f = fopen(info, "r");
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char **to = !strcmp(line, "version") ? &version
                    : !strcmp(line, "libs")  ? &rt->cuda_libs
                    : !strcmp(line, "reason") ? &reason
                                              : NULL;
        if (to && !*to)
            *to = galley__xstrdup(eq + 1);
    }
    if (f)
        fclose(f);
    if (version && rt->cuda_libs && S_exists(lib)) {
        rt->cuda_library = lib;
        rt->cuda_info = galley__xasprintf("libgalley-cuda (%s)", version);
        lib = NULL;
    } else if (reason)
        rt->cuda_info = galley__xasprintf("not built (%s)", reason);
    else /* the sanitizer variant, or an install without it */
        rt->cuda_info = galley__xasprintf("not built (no %s)", lib);
    free(dir);
    free(info);
    free(lib);
    free(version);
    free(reason);
}

static int S_runtime_find(galley__runtime *rt, int quiet)
{
    char exe[PATH_MAX];
    memset(rt, 0, sizeof *rt);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        if (!quiet)
            galley__error_at(NULL, 0, "cannot find galley's own executable");
        return -1;
    }
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    if (S_try_near(rt, exe) != 0) {
        if (!quiet)
            galley__error_at(NULL, 0,
                             "cannot find galley.h and libgalley.a near %s "
                             "(looked in the build tree and ../include, "
                             "../lib, ../lib/%s, ../lib64)",
                             exe, GALLEY_MULTIARCH);
        return -1;
    }
    rt->flags = galley__xstrdup(GALLEY_RUNTIME_FLAGS);
    S_cuda_find(rt);
    return 0;
}

int galley__runtime_find(galley__runtime *rt)
{
    return S_runtime_find(rt, 0);
}

int galley__runtime_find_quiet(galley__runtime *rt)
{
    return S_runtime_find(rt, 1);
}

void galley__runtime_fini(galley__runtime *rt)
{
    free(rt->include_dir);
    free(rt->library);
    free(rt->flags);
    free(rt->cuda_library);
    free(rt->cuda_libs);
    free(rt->cuda_info);
}

/* ---- writing the ninja file ---- */

/* Appends p escaped for a ninja build line (paths with $, space, colon;
 * '|' has no escape, see S_ninja_name; control characters are refused
 * before a build). */
static void S_ninja_path(galley__buf *b, const char *p)
{
    for (; *p; p++) {
        if (*p == '$' || *p == ' ' || *p == ':')
            galley__buf_putc(b, '$');
        galley__buf_putc(b, *p);
    }
}

/* Appends s single-quoted for the shell, escaped for a ninja variable. */
static void S_shell_word(galley__buf *b, const char *s)
{
    galley__buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            galley__buf_puts(b, "'\\''");
        else if (*s == '$')
            galley__buf_puts(b, "$$");
        else
            galley__buf_putc(b, *s);
    }
    galley__buf_putc(b, '\'');
}

static void S_shell_words(galley__buf *b, const galley__words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        galley__buf_putc(b, ' ');
        S_shell_word(b, w->v[i]);
    }
}

/* Returns the heap build name for source path: a safe base name and a
 * hash of the full path, so any path maps to a distinct, plain name. */
static char *S_stem(const char *path)
{
    char hash[41];
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 2 && strcmp(base + n - 2, ".c") == 0)
        n -= 2;
    galley__hash(path, strlen(path), hash);
    hash[8] = '\0';
    char *stem = galley__xasprintf("%.*s-%s", (int)(n > 40 ? 40 : n), base,
                                   hash);
    for (char *p = stem; *p; p++)
        if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
              ('0' <= *p && *p <= '9') || *p == '-' || *p == '_'))
            *p = '_';
    return stem;
}

/* Adds the words of environment variable name, if set, to w. */
static void S_env_words(galley__words *w, const char *name)
{
    const char *v = getenv(name);
    if (v && *v)
        galley__split_words(w, v);
}

/* Whether an executable named name is in PATH. */
static int S_in_path(const char *name)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        char *f = galley__xasprintf("%.*s/%s", (int)n, p, name);
        int yes = n && access(f, X_OK) == 0;
        free(f);
        if (yes)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

/* A binutils tool (ar or nm) into w: the environment variable env, else
 * gcc-TOOL for GCC (cc, gcc or a name ending in -gcc), else TOOL. gcc-ar
 * and gcc-nm are the tools told which plugin reads GCC's LTO objects; the
 * plain ones look through every plugin installed for them instead, and
 * where clang's is one of them, they load LLVM each time (70 ms here). */
static void S_tool_words(galley__words *w, const galley__words *cc,
                         const char *tool, const char *env)
{
    const char *a = getenv(env);
    if (a && *a) {
        galley__split_words(w, a);
        return;
    }
    const char *last = cc->n ? cc->v[cc->n - 1] : "cc";
    const char *base = strrchr(last, '/') ? strrchr(last, '/') + 1 : last;
    size_t n = strlen(base);
    int gcc = !strcmp(base, "cc") || !strcmp(base, "gcc") ||
              (n > 4 && !strcmp(base + n - 4, "-gcc"));
    char *g = galley__xasprintf("gcc-%s", tool);
    galley__words_add(w, gcc && S_in_path(g) ? g : tool);
    free(g);
}

static void S_write_header(galley__buf *b, const galley__config *c,
                           const galley__runtime *rt)
{
    galley__words cc = {0}, cflags = {0}, ldflags = {0}, rtflags = {0};
    S_env_words(&cc, "CC");
    if (cc.n == 0)
        galley__words_add(&cc, "cc");
    galley__split_words(&rtflags, rt->flags);
    for (size_t i = 0; i < c->cflags.n; i++)
        galley__words_add(&cflags, c->cflags.v[i]);
    S_env_words(&cflags, "CFLAGS");
    /* A sanitizer build of libgalley needs the sanitizer runtimes at link
     * time; the user's code is compiled as the user asked. */
    for (size_t i = 0; i < rtflags.n; i++)
        galley__words_add(&ldflags, rtflags.v[i]);
    for (size_t i = 0; i < c->ldflags.n; i++)
        galley__words_add(&ldflags, c->ldflags.v[i]);
    S_env_words(&ldflags, "LDFLAGS");
    galley__buf_puts(b, "# Generated by galley run; do not edit.\n"
                       "ninja_required_version = 1.5\n"
                       "builddir = _galley\ncc =");
    S_shell_words(b, &cc);
    galley__words ar = {0}, nm = {0};
    S_tool_words(&ar, &cc, "ar", "AR");
    S_tool_words(&nm, &cc, "nm", "NM");
    galley__buf_puts(b, "\nar =");
    S_shell_words(b, &ar);
    galley__buf_puts(b, "\nnm =");
    S_shell_words(b, &nm);
    galley__words_fini(&ar);
    galley__words_fini(&nm);
    galley__buf_puts(b, "\ncflags =");
    S_shell_words(b, &cflags);
    galley__buf_puts(b, " -I");
    S_shell_word(b, rt->include_dir);
    for (size_t i = 0; i < c->include.n; i++) {
        galley__buf_puts(b, " -I");
        S_shell_word(b, c->include.v[i]);
    }
    galley__buf_puts(b, "\nldflags =");
    S_shell_words(b, &ldflags);
    galley__buf_puts(b, "\nlibs =");
    S_shell_words(b, &c->libs);
    galley__buf_puts(b, "\ngalleylib = ");
    /* cuda = on: the whole of libgalley-cuda (nothing in a program names
     * the backend: its constructor registers it), before libgalley,
     * whose members it calls, and the CUDA libraries after. */
    if (c->cuda && rt->cuda_library) {
        galley__buf_puts(b, "-Wl,--whole-archive ");
        S_shell_word(b, rt->cuda_library);
        galley__buf_puts(b, " -Wl,--no-whole-archive ");
    }
    S_shell_word(b, rt->library);
    if (c->cuda && rt->cuda_library) {
        galley__buf_puts(b, " ");
        galley__buf_puts(b, rt->cuda_libs);
    }
    galley__buf_puts(b, "\ngalleydeps = _galley/obj/deps.awk\n\n");
    galley__words_fini(&cc);
    galley__words_fini(&cflags);
    galley__words_fini(&ldflags);
    galley__words_fini(&rtflags);
}

/* The rules: each writes its diagnostics to $out.log and removes its
 * output on failure, so a stale output never passes for a fresh one. An
 * output that a killed run left half written is rebuilt too: both rules
 * record depfiles (deps = gcc), which ninja keeps only for a step that
 * ended, and an output without them is out of date. So the compiler and
 * the linker write their outputs in place: a rename after each would cost
 * a process more per step (10 ms here). */
static const char S_rules[] =
    "rule cc\n"
    "  command = $cc -MD -MT $out -MF $out.d $cflags -c $src -o $out"
    " >$out.log 2>&1 || { rm -f $out; exit 1; }\n"
    "  depfile = $out.d\n  deps = gcc\n  description = CC $out\n\n"
    "rule ar\n"
    "  command = rm -f $out && $ar crs $out $in\n  description = AR $out\n\n"
    /* The global symbols an object of the code under test defines, kept
     * when they are the same (restat): a new one may change which member
     * a program takes, so every program depends on these lists. */
    "rule syms\n"
    "  command = $nm -g --defined-only -P $in | awk '{ print $$1, $$2 }'"
    " | LC_ALL=C sort >$out.tmp && { cmp -s $out.tmp $out && rm -f $out.tmp"
    " || mv -f $out.tmp $out; }\n"
    "  restat = 1\n  description = SYMS $out\n\n"
    "rule link\n"
    /* The tensors of libgalley need OpenBLAS and libm; --as-needed keeps
     * programs that use no tensors free of OpenBLAS's start-up. The link
     * map names the members of the code under test's archive that the
     * program took: they become its depfile (see S_write_sut). A linker
     * whose map does not say (not GNU ld's format) makes it depend on all
     * of them. */
    "  command = $cc -o $out $in $sut $galleylib $ldflags $libs"
    " -Wl,--as-needed -lopenblas -lm -Wl,--no-as-needed -Wl,-z,now"
    " -Wl,-Map=$out.map >$out.log 2>&1"
    " && awk -v out=$out -v all='$sutobjs' -f $galleydeps $out.map >$out.d"
    " || { rm -f $out; exit 1; }\n"
    "  depfile = $out.d\n  deps = gcc\n"
    "  description = LINK $out\n\n";

/* Returns the heap name by which a ninja build line can name source src
 * (absolute): itself, or, when it holds a '|' that ninja's paths cannot
 * hold at all, a symbolic link to it under _galley/src/ (ninja follows it
 * for the time stamp). Such a file is compiled on every run: its depfile
 * cannot name it either, so it is always out of date, never stale. */
static char *S_ninja_name(const char *src, const char *rel, const char *stem,
                          const char *root)
{
    if (!strchr(rel, '|'))
        return galley__xstrdup(rel);
    char *dir = galley__xasprintf("%s/_galley/src", root);
    char *link = galley__xasprintf("%s/%s.c", dir, stem);
    galley__mkdirs(dir);
    unlink(link);
    if (symlink(src, link) != 0)
        galley__error_at(NULL, 0, "cannot make %s: %s", link,
                         strerror(errno));
    free(link);
    free(dir);
    return galley__xasprintf("_galley/src/%s.c", stem);
}

/* Writes a compile statement of src (absolute) into obj. A source below
 * the root is named relative to it (ninja runs there), so diagnostics and
 * __FILE__ read tests/foo.c rather than an absolute path; one whose name
 * begins with '-' gets "./", or the compiler would read an option. */
static void S_compile(galley__buf *b, const char *obj, const char *src,
                      const char *stem, const char *root)
{
    size_t n = strlen(root);
    const char *rel = src;
    if (strncmp(src, root, n) == 0 && src[n] == '/')
        rel += n + 1;
    char *shown = rel[0] == '-' ? galley__xasprintf("./%s", rel)
                                : galley__xstrdup(rel);
    char *input = S_ninja_name(src, shown, stem, root);
    galley__buf_printf(b, "build %s: cc ", obj);
    S_ninja_path(b, input);
    galley__buf_puts(b, "\n  src = ");
    S_shell_word(b, shown);
    galley__buf_puts(b, "\n");
    free(input);
    free(shown);
}

static int S_write_if_changed(const char *path, const galley__buf *b);

/* Writes the archive of code under test; returns 1 if there is one.
 *
 * Why an archive, linked statically, and a depfile per program: an edit
 * to one file under sources should cost what it reaches. A shared library
 * would spare every relink, but every program would then load the changed
 * library, and the result cache (which keys a program by its bytes and
 * what it loads) would rerun every test of the project. Linked from an
 * archive, a program holds only the members it uses, so its bytes change
 * only when one of those does; and since the link map names those members,
 * each program is relinked only when one of its own members changed (the
 * archive itself is order-only). Editing one module then recompiles it,
 * relinks the programs that use it and reruns their tests, and nothing
 * else. Measured by bench/rerun.sh (50 files x 20 tests, a module used by
 * 5 of the files): see README, "Performance". The list of members,
 * _galley/obj/sut.list, is rewritten when a source is added or removed,
 * which relinks every program. */
static int S_write_sut(galley__buf *b, const galley__config *c,
                       galley__buf *syms)
{
    if (c->sources.n == 0)
        return 0;
    galley__buf objs;
    galley__buf_init(&objs);
    for (size_t i = 0; i < c->sources.n; i++) {
        char *stem = S_stem(c->sources.v[i]);
        char *obj = galley__xasprintf("_galley/obj/sut/%s.o", stem);
        S_compile(b, obj, c->sources.v[i], stem, c->root);
        galley__buf_printf(b, "build _galley/obj/sut/%s.syms: syms %s\n",
                           stem, obj);
        galley__buf_printf(syms, " _galley/obj/sut/%s.syms", stem);
        galley__buf_printf(&objs, " %s", obj);
        free(obj);
        free(stem);
    }
    galley__buf_printf(b, "build _galley/obj/libsut.a: ar%s\n\n", objs.ptr);
    galley__buf_printf(b, "sut = _galley/obj/libsut.a\nsutobjs =%s\n\n",
                       objs.ptr);
    char *list = galley__xasprintf("%s/_galley/obj/sut.list", c->root);
    char *dir = galley__xasprintf("%s/_galley/obj", c->root);
    galley__mkdirs(dir);
    galley__buf_putc(&objs, '\n');
    S_write_if_changed(list, &objs);
    free(dir);
    free(list);
    galley__buf_fini(&objs);
    return 1;
}

/* Writes the C program of a source of another kind than C (Markdown) to
 * _galley/gen/STEM.c, when it changed. Returns that path (heap, absolute),
 * or NULL for a C source, which is compiled as it is. */
static char *S_write_generated(const galley__source *src, const char *stem,
                               const char *root)
{
    const galley__source_kind *kind = galley__source_kind_of(src->path);
    if (!kind->program)
        return NULL;
    galley__buf text, prog;
    galley__buf_init(&text);
    galley__buf_init(&prog);
    galley__scan sc;
    galley__read_file(src->path, &text);
    kind->scan(&sc, text.ptr ? text.ptr : "", text.len);
    /* The compiler names the document as it would a C test file: relative
     * to the root, where ninja runs. */
    size_t n = strlen(root);
    const char *rel = src->path;
    if (strncmp(rel, root, n) == 0 && rel[n] == '/')
        rel += n + 1;
    kind->program(&prog, &sc, rel);
    galley__scan_fini(&sc);
    char *dir = galley__xasprintf("%s/_galley/gen", root);
    char *path = galley__xasprintf("%s/%s.c", dir, stem);
    int rc = galley__mkdirs(dir);
    if (rc == 0)
        rc = S_write_if_changed(path, &prog);
    if (rc != 0)
        galley__error_at(NULL, 0, "cannot write %s: %s", path,
                         strerror(rc < 0 ? -rc : errno));
    galley__buf_fini(&text);
    galley__buf_fini(&prog);
    free(dir);
    return path;
}

/* Writes the build statements of one test program. A Markdown document is
 * compiled through the C program it is written as, its own directory
 * searched first for "..." includes, as a C file's would be; and with
 * DWARF 4 line tables: binutils 2.40's addr2line names the generated file
 * rather than the document for a DWARF 5 line that #line moved (file 1 is
 * taken for file 0), and a crash would be placed in the wrong file. */
static void S_write_program(galley__buf *b, const galley__source *src,
                            galley__program *p, const galley__buf *syms,
                            const galley__runtime *rt, const char *cudalib,
                            const char *root)
{
    char *stem = S_stem(src->path);
    char *obj = galley__xasprintf("_galley/obj/%s.o", stem);
    char *gen = S_write_generated(src, stem, root);
    p->exe = galley__xasprintf("_galley/bin/%s", stem);
    S_compile(b, obj, gen ? gen : src->path, stem, root);
    if (gen) {
        char *dir = galley__xstrdup(src->path);
        *strrchr(dir, '/') = '\0';
        galley__buf_puts(b, "  cflags = -iquote ");
        S_shell_word(b, *dir ? dir : "/");
        galley__buf_puts(b, " $cflags -gdwarf-4\n");
        free(dir);
    }
    galley__buf_printf(b, "build %s: link %s | ", p->exe, obj);
    S_ninja_path(b, rt->library);
    if (cudalib) {
        galley__buf_puts(b, " ");
        S_ninja_path(b, cudalib);
    }
    if (syms->len)
        galley__buf_printf(b, " _galley/obj/sut.list%s || _galley/obj/libsut.a",
                           syms->ptr);
    galley__buf_printf(b, "\ndefault %s\n\n", p->exe);
    free(gen);
    free(obj);
    free(stem);
}

/* Writes path only if its content differs, so ninja sees no change. */
static int S_write_if_changed(const char *path, const galley__buf *b)
{
    galley__buf old;
    galley__buf_init(&old);
    int same = galley__read_file(path, &old) == 0 && old.len == b->len &&
               memcmp(old.ptr, b->ptr, b->len) == 0;
    galley__buf_fini(&old);
    return same ? 0 : galley__write_file_replace(path, b->ptr, b->len, 0644, 0);
}

/* ---- the status line while ninja builds ---- */

/* What the status line needs: the name to show for each build name that
 * ninja's "[n/m] CC _galley/obj/STEM.o" lines report. */
typedef struct S_watch {
    galley__progress p;
    char **stems;     /* test files, then code under test */
    const char **names;
    size_t n;
    size_t scanned;   /* bytes of ninja's output already looked at */
} S_watch;

/* Prepares w; with progress 0 it only keeps the line off. */
static void S_watch_init(S_watch *w, int progress, const galley__config *c,
                         const galley__sources *s)
{
    memset(w, 0, sizeof *w);
    w->p.on = progress;
    if (!progress)
        return;
    size_t n = s->n + c->sources.n, root = strlen(c->root);
    w->stems = galley__xcalloc(n + 1, sizeof *w->stems);
    w->names = galley__xcalloc(n + 1, sizeof *w->names);
    for (size_t i = 0; i < s->n; i++, w->n++) {
        w->stems[w->n] = S_stem(s->v[i].path);
        w->names[w->n] = s->v[i].display;
    }
    for (size_t i = 0; i < c->sources.n; i++, w->n++) {
        const char *src = c->sources.v[i];
        w->stems[w->n] = S_stem(src);
        w->names[w->n] = strncmp(src, c->root, root) == 0 && src[root] == '/'
                             ? src + root + 1 : src;
    }
}

/* Erases the line and frees w. */
static void S_watch_fini(S_watch *w)
{
    galley__progress_clear(&w->p);
    for (size_t i = 0; i < w->n; i++)
        free(w->stems[i]);
    free(w->stems);
    free(w->names);
}

/* Returns the name to show for build output path (len bytes): the file
 * it was built from, or the path itself (the archive of code under
 * test). Borrowed from w or from path. */
static const char *S_watch_name(const S_watch *w, const char *path, int *len)
{
    const char *base = memrchr(path, '/', (size_t)*len);
    base = base ? base + 1 : path;
    size_t n = (size_t)(path + *len - base);
    if (n > 2 && !memcmp(base + n - 2, ".o", 2))
        n -= 2;
    else if (n > 5 && !memcmp(base + n - 5, ".syms", 5))
        n -= 5;
    for (size_t i = 0; i < w->n; i++)
        if (strlen(w->stems[i]) == n && !memcmp(w->stems[i], base, n)) {
            *len = (int)strlen(w->names[i]);
            return w->names[i];
        }
    return path;
}

/* Shows each complete "[n/m] RULE PATH" line of ninja's output (in out
 * past w->scanned) as "[n/m] building FILE". Ninja prints such a line
 * when a step ends, so n counts the steps done. */
static void S_watch_lines(S_watch *w, const galley__buf *out)
{
    char *nl;
    while ((nl = memchr(out->ptr + w->scanned, '\n',
                        out->len - w->scanned)) != NULL) {
        const char *line = out->ptr + w->scanned;
        size_t done, total;
        int at = 0;
        w->scanned = (size_t)(nl - out->ptr) + 1;
        if (sscanf(line, "[%zu/%zu] %*s %n", &done, &total, &at) != 2 ||
            at == 0 || line + at >= nl)
            continue;
        int len = (int)(nl - line - at);
        const char *name = S_watch_name(w, line + at, &len);
        char *shown = galley__xstrndup(name, (size_t)len);
        galley__progress_show(&w->p, done, total, "building", shown);
        free(shown);
    }
}

/* ---- running ninja ---- */

/* Runs argv with cwd root, collecting stdout and stderr into out and
 * showing ninja's progress through w. Returns the exit status, or -1 if
 * it could not be started. */
static int S_spawn_capture(char *const argv[], const char *root,
                           galley__buf *out, S_watch *w)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addchdir_np(&fa, root);
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    char chunk[4096];
    ssize_t n;
    while (e == 0 && ((n = read(fds[0], chunk, sizeof chunk)) > 0 ||
                      (n < 0 && errno == EINTR)))
        if (n > 0) {
            galley__buf_add(out, chunk, (size_t)n);
            if (w->p.on)
                S_watch_lines(w, out);
        }
    close(fds[0]);
    if (e != 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Appends the compiler's diagnostics log[0..len) to out with the names
 * that TEST gives its function and data (galley__fn_NAME, galley__test_,
 * galley__reg_) written as the user wrote them: TEST(NAME). */
static void S_user_names(galley__buf *out, const char *log, size_t len)
{
    static const char *const prefixes[] = {"galley__fn_", "galley__test_",
                                           "galley__reg_"};
    const char *p = log, *end = log + len;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), "galley__", 8);
        size_t skip = 0;
        /* Only a name the compiler quotes (‘NAME’ or 'NAME'), not the
         * macro's text in a source excerpt. */
        int quoted = hit && hit > log &&
                     (hit[-1] == '\'' || hit[-1] == '`' ||
                      (hit - log >= 3 && !memcmp(hit - 3, "\xe2\x80\x98", 3)));
        for (size_t k = 0; quoted && k < 3 && !skip; k++)
            if (!strncmp(hit, prefixes[k], strlen(prefixes[k])) &&
                hit[strlen(prefixes[k])] != '\'' &&
                (unsigned char)hit[strlen(prefixes[k])] != 0xe2)
                skip = strlen(prefixes[k]);
        if (!hit || !skip) {
            const char *to = hit ? hit + 8 : end;
            galley__buf_add(out, p, (size_t)(to - p));
            p = to;
            continue;
        }
        const char *name = hit + skip, *q = name;
        while (q < end && (*q == '_' || (*q >= 'a' && *q <= 'z') ||
                           (*q >= 'A' && *q <= 'Z') ||
                           (*q >= '0' && *q <= '9')))
            q++;
        galley__buf_add(out, p, (size_t)(hit - p));
        galley__buf_puts(out, "TEST(");
        galley__buf_add(out, name, (size_t)(q - name));
        galley__buf_putc(out, ')');
        p = q;
    }
}

/* Appends the log of output path (root-relative) to out when it is newer
 * than since, or always when since is 0. */
static void S_append_log(galley__buf *out, const char *root, const char *path,
                         time_t since)
{
    char *p = galley__xasprintf("%s/%s.log", root, path);
    struct stat st;
    galley__buf log;
    galley__buf_init(&log);
    if (stat(p, &st) == 0 && (since == 0 || st.st_mtime >= since))
        galley__read_file(p, &log);
    S_user_names(out, log.ptr ? log.ptr : "", log.len);
    galley__buf_fini(&log);
    free(p);
}

/* Returns 1 if root-relative path exists. */
static int S_exists_in(const char *root, const char *path)
{
    char *p = galley__xasprintf("%s/%s", root, path);
    int yes = S_exists(p);
    free(p);
    return yes;
}

/* Checks the code under test after ninja: every object must exist. */
static void S_collect_sut(galley__build *b, const galley__config *c,
                          time_t since)
{
    galley__buf log;
    galley__buf_init(&log);
    for (size_t i = 0; i < c->sources.n; i++) {
        char *stem = S_stem(c->sources.v[i]);
        char *obj = galley__xasprintf("_galley/obj/sut/%s.o", stem);
        int ok = S_exists_in(c->root, obj);
        if (!ok)
            b->sut_failed = 1;
        S_append_log(&log, c->root, obj, ok ? since : 0);
        free(obj);
        free(stem);
    }
    b->sut_log = galley__buf_detach(&log, NULL);
}

/* Decides which programs are fresh: a failed rule removed its output, so
 * a missing object or program means that file did not build. */
static void S_collect(galley__build *b, const galley__config *c,
                      const galley__sources *s, time_t since)
{
    S_collect_sut(b, c, since);
    for (size_t i = 0; i < s->n; i++) {
        galley__program *p = &b->progs[i];
        char *stem = S_stem(s->v[i].path);
        char *obj = galley__xasprintf("_galley/obj/%s.o", stem);
        galley__buf log;
        galley__buf_init(&log);
        int obj_ok = S_exists_in(c->root, obj);
        p->ok = obj_ok && !b->sut_failed && S_exists_in(c->root, p->exe);
        p->own_error = !obj_ok;
        S_append_log(&log, c->root, obj, obj_ok ? since : 0);
        if (obj_ok && !b->sut_failed)
            S_append_log(&log, c->root, p->exe, p->ok ? since : 0);
        p->log = galley__buf_detach(&log, NULL);
        free(obj);
        free(stem);
    }
}

/* The awk program that turns a program's link map into its depfile: the
 * members of the code under test's archive that GNU ld took (listed in
 * the map's first section), or all of them (the variable all) when the
 * map is not GNU ld's and cannot tell. */
static const char S_deps_awk[] =
    "# Written by galley run: a test program's depfile from its link map.\n"
    "/^Archive member included/ { gnu = 1 }\n"
    "/^_galley\\/obj\\/libsut[.]a\\(/ {\n"
    "    m = $0\n"
    "    sub(/^_galley\\/obj\\/libsut[.]a\\(/, \"\", m)\n"
    "    sub(/\\).*/, \"\", m)\n"
    "    used[\"_galley/obj/sut/\" m] = 1\n"
    "}\n"
    "END {\n"
    "    printf \"%s: \", out\n"
    "    if (!gnu) printf \" %s\", all\n"
    "    else for (k in used) printf \" %s\", k\n"
    "    print \"\"\n"
    "}\n";

/* Writes the ninja file for the run. Returns 0 or -errno. */
static int S_write_ninja_file(galley__build *b, const galley__config *c,
                              const galley__runtime *rt,
                              const galley__sources *s)
{
    galley__buf nf;
    galley__buf_init(&nf);
    S_write_header(&nf, c, rt);
    galley__buf_puts(&nf, S_rules);
    galley__buf syms;
    galley__buf_init(&syms);
    S_write_sut(&nf, c, &syms);
    for (size_t i = 0; i < s->n; i++)
        S_write_program(&nf, &s->v[i], &b->progs[i], &syms, rt,
                        c->cuda ? rt->cuda_library : NULL, c->root);
    galley__buf_fini(&syms);
    char *dir = galley__xasprintf("%s/_galley/obj", c->root);
    char *path = galley__xasprintf("%s/deps.awk", dir);
    galley__buf awk = {(char *)S_deps_awk, sizeof S_deps_awk - 1, 0};
    int rc = galley__mkdirs(dir);
    if (rc == 0)
        rc = S_write_if_changed(path, &awk);
    *strrchr(dir, '/') = '\0';
    free(path);
    path = galley__xasprintf("%s/build.ninja", dir);
    if (rc == 0)
        rc = S_write_if_changed(path, &nf);
    if (rc != 0)
        galley__error_at(NULL, 0, "cannot write %s: %s", path,
                         strerror(-rc));
    galley__buf_fini(&nf);
    free(dir);
    free(path);
    return rc;
}

int galley__build_run(galley__build *b, const galley__config *c,
                     const galley__runtime *rt, const galley__sources *s,
                     int jobs, int progress)
{
    memset(b, 0, sizeof *b);
    if (c->cuda && !rt->cuda_library) {
        galley__error_at(c->file, c->cuda_line,
                         "cuda = on, but this galley's libgalley-cuda is %s",
                         rt->cuda_info);
        return -1;
    }
    b->n = s->n;
    b->progs = galley__xcalloc(s->n ? s->n : 1, sizeof *b->progs);
    if (S_write_ninja_file(b, c, rt, s) != 0)
        return -1;
    time_t since = time(NULL) - 1;
    char jarg[32];
    snprintf(jarg, sizeof jarg, "-j%d", jobs);
    char *argv[] = {"ninja", "-f", "_galley/build.ninja", "-k", "0", jarg,
                    NULL};
    galley__buf out;
    galley__buf_init(&out);
    S_watch w;
    S_watch_init(&w, progress, c, s);
    int st = S_spawn_capture(argv, c->root, &out, &w);
    S_watch_fini(&w);
    b->ninja_log = galley__buf_detach(&out, NULL);
    if (st < 0) {
        galley__error_at(NULL, 0, "cannot run ninja: %s (install ninja-build)",
                         strerror(errno));
        return -1;
    }
    S_collect(b, c, s, since);
    if (st != 0 && strstr(b->ninja_log, "ninja: error:") &&
        !strstr(b->ninja_log, "subcommand")) {
        fputs(b->ninja_log, stderr);
        return -1;
    }
    return 0;
}

void galley__build_deps(const char *root, galley__words *files)
{
    char *ninja_file = galley__xasprintf("%s/_galley/build.ninja", root);
    int built = access(ninja_file, R_OK) == 0;
    free(ninja_file);
    if (!built)
        return;
    char *argv[] = {"ninja", "-f", "_galley/build.ninja", "-t", "deps", NULL};
    galley__buf out;
    galley__buf_init(&out);
    S_watch quiet = {0};
    /* Each target's line, then its files indented by four spaces. */
    if (S_spawn_capture(argv, root, &out, &quiet) == 0)
        for (char *line = out.ptr, *nl; line && *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (!nl)
                break;
            *nl = '\0';
            if (!strncmp(line, "    ", 4) && line[4])
                galley__words_add(files, line + 4);
        }
    galley__buf_fini(&out);
}

void galley__build_fini(galley__build *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->progs[i].exe);
        free(b->progs[i].log);
    }
    free(b->progs);
    free(b->sut_log);
    free(b->ninja_log);
    memset(b, 0, sizeof *b);
}
