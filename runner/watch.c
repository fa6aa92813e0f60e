/* watch.c: `galley watch` (see watch.h).
 *
 * The watcher never runs a test itself: each run is a child `galley run`
 * (this very executable) in a process group of its own, writing its report
 * into a pipe; so every result comes from fresh processes, the watcher's
 * memory does not grow with the runs, and a run is cancelled by killing
 * what it started. The watcher is a subreaper: what a cancelled run leaves
 * (ninja, compilers, test programs in their own groups) becomes its child,
 * and is killed.
 *
 * What is watched, recomputed after each run: galley.conf, the test files
 * (discovery, as `galley run` finds them), the project headers they
 * include, every file of the compiler's depfiles (`ninja -t deps` of
 * _galley/build.ninja: test files, code under test, headers; not those
 * under /usr), and the files galley.conf's `inputs` name. inotify watches
 * their directories, not the files, so that an editor that saves by
 * writing a temporary and renaming it over the file is seen; and the test
 * directories, for new test files. An event on another name (swap files,
 * backups, temporaries, _galley/) is ignored.
 *
 * A save is over when its files have been quiet for S_SETTLE_MS after a
 * file was written whole, S_QUIET_MS otherwise (editors write several
 * times, rename, delete a backup): then the running run is cancelled and
 * the next one starts. */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "discover.h"
#include "exec.h"
#include "../source/source.h"

extern char **environ;

/* A save is over when the files it touched have been quiet this long
 * (GALLEY_WATCH_QUIET_MS, for slow file systems and editors). */
#define S_QUIET_MS 40
/* ... or this long after a file was written whole (closed after a write,
 * or renamed into place): the usual end of an editor's save. */
#define S_SETTLE_MS 10
/* ... or this long while a watched file is missing (between the delete
 * and the create of an editor that saves so). */
#define S_GONE_MS 300
/* Files that never go quiet (a program writing on and on) get a run at
 * least this often. */
#define S_MAX_WAIT_MS 2000
/* How long a cancelled run's processes have to end after SIGTERM (ninja
 * removes its half-written outputs) before they are killed. */
#define S_GRACE_MS 300
/* The most of a run's report kept for the screen. */
#define S_SCREEN_MAX (4L << 20)
/* What inotify reports in a watched directory. */
#define S_MASK                                                              \
    (IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |      \
     IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_EXCL_UNLINK)

/* A watched directory. */
typedef struct S_dir {
    int wd;
    char *path;
    int tests;    /* a test directory: a new *.c file in it counts */
    int all;      /* an input directory: every file in it counts */
} S_dir;

typedef struct S_watch {
    const galley__watch_opts *o;
    char cwd[PATH_MAX];
    int ino;               /* the inotify descriptor */
    int sig;               /* signalfd: SIGINT, SIGTERM, SIGHUP, SIGCHLD */
    int tty;               /* stdout is a terminal: redraw a screen */
    S_dir *dirs;
    size_t n_dirs;
    galley__words files;    /* watched files, absolute, sorted */
    galley__words paths;    /* the test PATHs (or galley.conf's tests),
                              absolute, there or not */
    galley__words globs;    /* galley.conf's inputs, absolute */
    galley__words changed;  /* files changed since the last run started */
    galley__words changed_dirs; /* and directories (named when no file
                                  is) */
    int dirty;             /* a change waits for its run */
    long long first_ns, last_ns; /* its first and latest event */
    char **focus;          /* per path: the TEST its FILE:LINE named */
    int *lines;            /* per path: the line given now */
    pid_t child;           /* the running run, or 0 */
    int child_status;      /* its wait status, once it ended */
    int child_done;
    int out;               /* the child's stdout and stderr, or -1 */
    galley__buf screen;     /* the run's report (on a terminal) */
    galley__buf line;       /* the line being read, for the summary */
    char summary[160];     /* "3 failed", from the run's last summary */
    int quiet_ms;          /* S_QUIET_MS, or as the environment says */
    int runs;              /* runs started */
    int run_status;        /* the run's exit status */
    int promoted;          /* the run's output was promoted */
    galley__words wrote;    /* what the last promote wrote: "PATH\nMTIME
                              SIZE" */
    int own;               /* the run is one that only that write caused */
    long long t0;          /* when the run started */
    double last_secs;      /* how long the last run took */
    int settle_ms;         /* the quiet wanted after a whole write */
    int complete;          /* the last change was a file written whole
                              (closed after writing, or renamed into
                              place): a save that is over */
} S_watch;

static long long S_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int S_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_watched(const S_watch *w, const char *path)
{
    if (w->files.n && bsearch(&path, w->files.v, w->files.n,
                              sizeof *w->files.v, S_str_cmp))
        return 1;
    for (size_t i = 0; i < w->paths.n; i++)
        if (!strcmp(w->paths.v[i], path))
            return 1;
    return 0;
}

/* ---- the directories inotify watches ---- */

static S_dir *S_dir_of(S_watch *w, int wd)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        if (w->dirs[i].wd == wd)
            return &w->dirs[i];
    return NULL;
}

/* Watches directory path; tests and all add to what counts there. */
static void S_watch_dir(S_watch *w, const char *path, int tests, int all)
{
    int wd = inotify_add_watch(w->ino, path, S_MASK);
    if (wd < 0) {
        if (errno == ENOSPC)
            galley__warning_at(path, 0, "cannot watch: too many watches "
                               "(raise fs.inotify.max_user_watches)");
        return;
    }
    S_dir *d = S_dir_of(w, wd);
    if (!d) {
        w->dirs = galley__xrealloc(w->dirs, (w->n_dirs + 1) * sizeof *d);
        d = &w->dirs[w->n_dirs++];
        *d = (S_dir){.wd = wd};
    }
    free(d->path);
    d->path = galley__xstrdup(path);
    d->tests |= tests;
    d->all |= all;
}

static void S_dir_gone(S_watch *w, int wd)
{
    S_dir *d = S_dir_of(w, wd);
    if (!d)
        return;
    free(d->path);
    *d = w->dirs[--w->n_dirs];
}

static void S_changed(S_watch *w, const char *path, int isdir);

/* Watches directory path and those below it (not hidden ones, nor
 * _galley/); with all, adds their files to the watched ones. With note (a
 * directory that just appeared), the files found that count are changes. */
static void S_watch_tree(S_watch *w, const char *path, int tests, int all,
                         int depth, int note)
{
    DIR *dir = opendir(path);
    if (!dir)
        return;
    S_watch_dir(w, path, tests, all);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "_galley"))
            continue;
        char *p = galley__xasprintf("%s/%s", path, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 32)
            S_watch_tree(w, p, tests, all, depth + 1, note);
        else if (all && S_ISREG(st.st_mode))
            galley__words_add(&w->files, p);
        if (note && S_ISREG(st.st_mode) &&
            (all || (tests && galley__source_is_candidate(p))))
            S_changed(w, p, 0);
        free(p);
    }
    closedir(dir);
}

/* ---- what is watched ---- */

/* Adds path (relative to dir when not absolute) to the watched files,
 * resolved, unless it is a system file or galley's own. */
static void S_add_file(S_watch *w, const char *dir, const char *path)
{
    char real[PATH_MAX];
    char *p = path[0] == '/' ? galley__xstrdup(path)
                             : galley__xasprintf("%s/%s", dir, path);
    if (realpath(p, real) && strncmp(real, "/usr/", 5) != 0 &&
        !strstr(real, "/_galley/"))
        galley__words_add(&w->files, real);
    free(p);
}

/* Adds the files of the depfiles of the last build under root. */
static void S_add_deps(S_watch *w, const char *root)
{
    galley__words deps = {0};
    galley__build_deps(root, &deps);
    /* Each header is in the depfile of every file that includes it:
     * resolve each name once. */
    if (deps.n)
        qsort(deps.v, deps.n, sizeof *deps.v, S_str_cmp);
    for (size_t i = 0; i < deps.n; i++)
        if ((i == 0 || strcmp(deps.v[i], deps.v[i - 1]) != 0) &&
            strncmp(deps.v[i], "/usr/", 5) != 0)
            S_add_file(w, root, deps.v[i]);
    galley__words_fini(&deps);
}

/* Adds what galley.conf's inputs name now: files, and directories with
 * every file below them; keeps the globs for the files yet to come. */
static void S_add_inputs(S_watch *w, const galley__config *c)
{
    for (size_t i = 0; i < c->inputs.n; i++) {
        char *pat = c->inputs.v[i][0] == '/'
                        ? galley__xstrdup(c->inputs.v[i])
                        : galley__xasprintf("%s/%s", c->root, c->inputs.v[i]);
        galley__words_add(&w->globs, pat);
        glob_t g;
        if (glob(pat, GLOB_BRACE | GLOB_NOSORT, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc; k++) {
                struct stat st;
                if (stat(g.gl_pathv[k], &st) == 0 && S_ISDIR(st.st_mode))
                    S_watch_tree(w, g.gl_pathv[k], 0, 1, 0, 0);
                else
                    S_add_file(w, c->root, g.gl_pathv[k]);
            }
            globfree(&g);
        }
        /* Where matches would appear. */
        char *slash = strrchr(pat, '/');
        *slash = '\0';
        if (!strpbrk(pat, "*?[{"))
            S_watch_dir(w, *pat ? pat : "/", 0, 0);
        free(pat);
    }
}

/* Watches the test directories (the PATHs that are directories, or
 * galley.conf's tests), for the test files to come. */
static void S_add_test_dirs(S_watch *w, const galley__config *c)
{
    const galley__words *d = &c->tests;
    size_t n = w->o->n_paths ? w->o->n_paths : d->n;
    for (size_t i = 0; i < n; i++) {
        const char *p = w->o->n_paths ? w->o->paths[i] : d->v[i];
        char *abs = p[0] == '/' ? galley__xstrdup(p)
                    : galley__xasprintf("%s/%s", w->o->n_paths ? w->cwd
                                                               : c->root, p);
        struct stat st;
        if (stat(abs, &st) == 0 && S_ISDIR(st.st_mode))
            S_watch_tree(w, abs, 1, 0, 0, 0);
        /* The path itself too: a test directory deleted and made again
         * (or not there yet) is a change in its parent. */
        galley__words_add(&w->paths, abs);
        char *slash = strrchr(abs, '/');
        *slash = '\0';
        S_watch_dir(w, *abs ? abs : "/", 0, 0);
        free(abs);
    }
}

/* Runs fn(w, ctx) with stderr on /dev/null: the run reports what is wrong
 * with the configuration or the PATHs, once. */
static void S_quietly(void (*fn)(S_watch *, void *), S_watch *w, void *ctx)
{
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, 2);
    fn(w, ctx);
    fflush(stderr);
    if (saved >= 0 && null >= 0)
        dup2(saved, 2);
    if (saved >= 0)
        close(saved);
    if (null >= 0)
        close(null);
}

static void S_refresh_quiet(S_watch *w, void *ctx)
{
    (void)ctx;
    galley__config c;
    galley__config_load_near(&c, w->cwd,
                             w->o->n_paths ? w->o->paths[0] : NULL);
    char *conf = c.file ? galley__xstrdup(c.file)
                        : galley__xasprintf("%s/galley.conf", c.root);
    galley__words_add(&w->files, conf);
    S_watch_dir(w, c.root, 0, 0);
    free(conf);
    galley__words dirs = {0};
    galley__config_include_dirs(&c, &dirs);
    galley__includes *g = galley__includes_new(&dirs);
    galley__words_fini(&dirs);
    galley__sources s = {0};
    galley__discover(&s, &c, g, w->o->paths, w->o->n_paths, w->cwd);
    for (size_t i = 0; i < s.n; i++) {
        galley__words_add(&w->files, s.v[i].path);
        galley__words h = {0};
        galley__includes_headers(g, s.v[i].path, &h);
        for (size_t k = 0; k < h.n; k++)
            S_add_file(w, c.root, h.v[k]);
        galley__words_fini(&h);
    }
    for (size_t i = 0; i < c.sources.n; i++)
        S_add_file(w, c.root, c.sources.v[i]);
    galley__sources_fini(&s);
    galley__includes_free(g);
    S_add_deps(w, c.root);
    S_add_inputs(w, &c);
    S_add_test_dirs(w, &c);
    galley__config_fini(&c);
}

/* Recomputes the watched files and watches their directories. */
static void S_refresh(S_watch *w)
{
    galley__words_fini(&w->files);
    galley__words_fini(&w->paths);
    galley__words_fini(&w->globs);
    S_quietly(S_refresh_quiet, w, NULL);
    if (w->files.n)
        qsort(w->files.v, w->files.n, sizeof *w->files.v, S_str_cmp);
    size_t n = 0;
    for (size_t i = 0; i < w->files.n; i++) {
        if (n && !strcmp(w->files.v[n - 1], w->files.v[i])) {
            free(w->files.v[i]);
            continue;
        }
        w->files.v[n++] = w->files.v[i];
    }
    w->files.n = n;
    for (size_t i = 0; i < n; i++) {
        char *dir = galley__xstrdup(w->files.v[i]);
        char *slash = strrchr(dir, '/');
        *slash = '\0';
        S_watch_dir(w, *dir ? dir : "/", 0, 0);
        free(dir);
    }
}

/* ---- the test at a line ---- */

/* Returns the heap name of the TEST of file path whose body holds line
 * (with line NULL: the TEST named *name), setting *line to where it is
 * now; NULL when there is none. */
static char *S_test_at(const char *path, int *line, const char *name)
{
    galley__buf text;
    galley__buf_init(&text);
    char *found = NULL;
    if (galley__read_file(path, &text) == 0) {
        galley__scan s;
        galley__source_kind_of(path)->scan(&s, text.ptr ? text.ptr : "",
                                           text.len);
        for (size_t k = 0; k < s.n_tests && !found; k++) {
            const galley__scanned_test *t = &s.tests[k];
            if (name ? !strcmp(t->name, name)
                     : *line >= t->line && *line <= t->close_line) {
                found = galley__xstrdup(t->name);
                *line = t->line;
            }
        }
        galley__scan_fini(&s);
    }
    galley__buf_fini(&text);
    return found;
}

/* Moves each FILE:LINE focus to where its TEST is now: the file was
 * edited, and the TEST may have moved. A TEST that is gone keeps the
 * line. */
static void S_follow_focus(S_watch *w)
{
    for (size_t i = 0; i < w->o->n_paths; i++) {
        if (!w->lines[i])
            continue;
        if (!w->focus[i]) {
            w->focus[i] = S_test_at(w->o->paths[i], &w->lines[i], NULL);
            continue;
        }
        int line = w->lines[i];
        char *still = S_test_at(w->o->paths[i], &line, w->focus[i]);
        if (still)
            w->lines[i] = line;
        free(still);
    }
}

/* ---- children ---- */

/* Starts `galley ARGS...` with stdout and stderr into w->out, in a
 * process group of its own. Returns 0 or -1. */
static int S_spawn(S_watch *w, char **argv)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&dfl, sigs[i]);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
                                      POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    int e = posix_spawn(&w->child, "/proc/self/exe", &fa, &at, argv,
                        environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (e != 0) {
        close(fds[0]);
        w->child = 0;
        galley__error_at(NULL, 0, "cannot start galley again: %s",
                         strerror(e));
        return -1;
    }
    w->out = fds[0];
    fcntl(w->out, F_SETFL, O_NONBLOCK);
    w->child_done = 0;
    return 0;
}

/* Reaps the children that ended; notes the run's (or promote's) end. */
static void S_reap(S_watch *w)
{
    int st;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0 ||
           (p < 0 && errno == EINTR))
        if (p > 0 && p == w->child) {
            w->child_status = st;
            w->child_done = 1;
        }
}

/* Whether any process but ours is left as our child. */
static int S_has_children(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    FILE *f = fopen(path, "re");
    long pid;
    int any = f && fscanf(f, "%ld", &pid) == 1;
    if (f)
        fclose(f);
    return any;
}

/* Ends the running child and everything it started: SIGTERM to its group
 * (ninja cleans up), then after S_GRACE_MS at most, SIGKILL to all that is
 * left (what became our child). */
static void S_stop_child(S_watch *w)
{
    if (w->child > 0 && !w->child_done)
        kill(-w->child, SIGTERM);
    long long end = S_now_ns() + S_GRACE_MS * 1000000LL;
    while (S_now_ns() < end) {
        S_reap(w);
        if ((w->child_done || w->child <= 0) && !S_has_children())
            break;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    galley__kill_children();
    w->child_done = 1;
}

/* ---- output ---- */

/* Strips ANSI escapes from s, in place. */
static void S_plain(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        if (*p == '\033' && p[1] == '[') {
            p += 2;
            while (*p && !(*p >= '@' && *p <= '~'))
                p++;
            if (!*p)
                break;
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
}

/* Notes line (a line of the run's output) if it is the summary. */
static void S_summary_line(S_watch *w, char *line)
{
    S_plain(line);
    unsigned long passed, failed;
    const char *f = strstr(line, " failed");
    if (sscanf(line, "%lu passed", &passed) != 1 || !f)
        return;
    while (f > line && f[-1] >= '0' && f[-1] <= '9')
        f--;
    if (sscanf(f, "%lu", &failed) != 1)
        return;
    if (failed)
        snprintf(w->summary, sizeof w->summary, "%lu failed", failed);
    else
        snprintf(w->summary, sizeof w->summary, "%lu passed", passed);
}

/* Notes the file that galley promote said it wrote ("FILE (N
 * markers)"), as it is now: a run that only this write causes is the
 * promote's own. */
static void S_note_promoted(S_watch *w, const char *what)
{
    const char *end = strstr(what, " (");
    char *shown = galley__xstrndup(what, end ? (size_t)(end - what)
                                             : strlen(what));
    char real[PATH_MAX];
    struct stat st;
    w->promoted = 1;
    if (realpath(shown, real) && stat(real, &st) == 0) {
        char *key = galley__xasprintf("%s\n%lld.%09ld %lld", real,
                                      (long long)st.st_mtim.tv_sec,
                                      st.st_mtim.tv_nsec,
                                      (long long)st.st_size);
        galley__words_add(&w->wrote, key);
        free(key);
    }
    free(shown);
}

/* Whether every file of the waiting change is one that the last promote
 * wrote, untouched since. */
static int S_own_write(const S_watch *w)
{
    if (!w->changed.n || w->changed_dirs.n)
        return 0;
    for (size_t i = 0; i < w->changed.n; i++) {
        struct stat st;
        if (stat(w->changed.v[i], &st) != 0)
            return 0;
        char *key = galley__xasprintf("%s\n%lld.%09ld %lld", w->changed.v[i],
                                      (long long)st.st_mtim.tv_sec,
                                      st.st_mtim.tv_nsec,
                                      (long long)st.st_size);
        int found = 0;
        for (size_t k = 0; k < w->wrote.n && !found; k++)
            found = !strcmp(w->wrote.v[k], key);
        free(key);
        if (!found)
            return 0;
    }
    return 1;
}

/* Takes n bytes of the child's output: onto the screen (terminal) or
 * straight out (pipe), and line by line for the summary. */
static void S_take(S_watch *w, const char *data, size_t n)
{
    if (w->tty) {
        if ((long)(w->screen.len + n) <= S_SCREEN_MAX)
            galley__buf_add(&w->screen, data, n);
    } else
        fwrite(data, 1, n, stdout);
    for (size_t i = 0; i < n; i++) {
        if (data[i] != '\n') {
            if (w->line.len < 512)
                galley__buf_add(&w->line, data + i, 1);
            continue;
        }
        /* galley promote says "promoted FILE (N markers)" for each file
         * it wrote. */
        if (w->o->promote && !strncmp(w->line.ptr, "promoted ", 9))
            S_note_promoted(w, w->line.ptr + 9);
        S_summary_line(w, w->line.ptr);
        w->line.len = 0;
        w->line.ptr[0] = '\0';
    }
}

/* Reads what the child wrote; at its end (EOF), closes w->out. */
static void S_read_out(S_watch *w)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(w->out, buf, sizeof buf);
        if (n > 0) {
            S_take(w, buf, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || errno != EAGAIN) {
            close(w->out);
            w->out = -1;
        }
        break;
    }
    if (!w->tty)
        fflush(stdout);
}

/* Returns "a.c, b.c and 3 more" for what changed (heap). */
static char *S_changes(const S_watch *w)
{
    galley__buf b;
    galley__buf_init(&b);
    const galley__words *l = w->changed.n ? &w->changed : &w->changed_dirs;
    for (size_t i = 0; i < l->n && i < 3; i++) {
        char *d = galley__display_path(l->v[i], w->cwd);
        galley__buf_printf(&b, "%s%s", i ? ", " : "", d);
        free(d);
    }
    if (l->n > 3)
        galley__buf_printf(&b, " and %zu more", l->n - 3);
    char *s = galley__xstrdup(b.len ? b.ptr : "");
    galley__buf_fini(&b);
    return s;
}

/* The status line: "watching 12 files · last run 0.21 s · 3 failed". */
static void S_status(const S_watch *w, galley__buf *b, double secs)
{
    /* The count is the terminal's: a pipe's block names what its run did,
     * and what is watched changes under it (a file saved as the run
     * ends). */
    if (w->tty)
        galley__buf_printf(b, "watching %zu file%s \xc2\xb7 ", w->files.n,
                           w->files.n == 1 ? "" : "s");
    if (w->runs == 0)
        return;
    galley__buf_printf(b, "last run %.2f s \xc2\xb7 ", secs);
    if (w->summary[0])
        galley__buf_puts(b, w->summary);
    else
        galley__buf_printf(b, "exit status %d", w->run_status);
    if (w->promoted)
        galley__buf_puts(b, " \xc2\xb7 promoted");
}

/* Shows that run number w->runs started. */
static void S_show_start(S_watch *w)
{
    char *what = S_changes(w);
    if (w->tty) {
        printf("\r\033[K%srunning%s%s%s...%s", w->o->color ? "\033[1m" : "",
               *what ? " (" : "", what, *what ? " changed)" : "",
               w->o->color ? "\033[0m" : "");
    } else {
        printf("galley watch: run %d started%s%s\n", w->runs,
               *what ? ": changed " : "", what);
    }
    fflush(stdout);
    free(what);
}

/* Shows the end of run w->runs: the report redrawn with the status line
 * under it (terminal), or the line that ends its block (pipe): "ended",
 * or how (a cancelled run's "cancelled: ..."; pipes only). */
static void S_show_end(S_watch *w, const char *how)
{
    double secs = (double)(S_now_ns() - w->t0) / 1e9;
    galley__buf st;
    galley__buf_init(&st);
    w->last_secs = secs;
    S_status(w, &st, secs);
    if (w->tty) {
        fputs("\033[H\033[2J", stdout);
        fwrite(w->screen.ptr ? w->screen.ptr : "", 1, w->screen.len, stdout);
        if (w->screen.len && w->screen.ptr[w->screen.len - 1] != '\n')
            putchar('\n');
        printf("%s%s%s", w->o->color ? "\033[1m" : "", st.ptr,
               w->o->color ? "\033[0m" : "");
    } else if (how) {
        printf("galley watch: run %d %s\n", w->runs, how);
    } else {
        printf("galley watch: run %d ended: %s\n", w->runs, st.ptr);
    }
    fflush(stdout);
    galley__buf_fini(&st);
}

/* ---- runs ---- */

/* Starts the next run: `galley run OPTIONS -- PATHS`. */
static void S_start_run(S_watch *w)
{
    S_follow_focus(w);
    galley__words argv = {0};
    galley__words_add(&argv, "galley");
    galley__words_add(&argv, "run");
    /* Promoting what the run after a promote still finds different would
     * go on forever (output that changes from run to run): the run that
     * only the last promote's write caused promotes nothing. */
    w->own = S_own_write(w);
    for (size_t i = 0; i < w->o->words.n; i++)
        galley__words_add(&argv, w->o->words.v[i]);
    if (w->o->promote && !w->own)
        galley__words_add(&argv, "--promote");
    galley__words_add(&argv, "--");
    for (size_t i = 0; i < w->o->n_paths; i++) {
        char *p = w->lines[i] ? galley__xasprintf("%s:%d", w->o->paths[i],
                                                  w->lines[i])
                              : galley__xstrdup(w->o->paths[i]);
        galley__words_add(&argv, p);
        free(p);
    }
    /* NULL-terminated for posix_spawn (the slot past the last word). */
    argv.v = galley__xrealloc(argv.v, (argv.n + 1) * sizeof *argv.v);
    argv.v[argv.n] = NULL;
    w->runs++;
    w->screen.len = 0;
    w->line.len = 0;
    w->summary[0] = '\0';
    w->promoted = 0;
    w->t0 = S_now_ns();
    S_show_start(w);
    galley__words_fini(&w->wrote);
    galley__words_fini(&w->changed);
    galley__words_fini(&w->changed_dirs);
    w->dirty = 0;
    S_spawn(w, argv.v);
    galley__words_fini(&argv);
}

/* Cancels the running run: a newer save makes its results stale. */
static void S_cancel(S_watch *w)
{
    S_stop_child(w);
    if (w->out >= 0) {
        close(w->out);
        w->out = -1;
    }
    w->run_status = -1;
    /* A terminal keeps the last whole report: the next run's status line
     * says what changed. */
    char *what = S_changes(w);
    char *how = galley__xasprintf("cancelled: changed %s", what);
    if (!w->tty)
        S_show_end(w, how);
    free(how);
    free(what);
    w->child = 0;
}

/* Shows the report once the run ended and its output was read. Returns
 * 2 when the first run found the command wrong, else 0. */
static int S_child_ended(S_watch *w)
{
    /* What the run left running (a test's daemon that held the pipe). */
    galley__kill_children();
    int st = w->child_status;
    w->run_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    w->child = 0;
    if (w->o->promote && w->own && w->run_status == 1) {
        const char *note = "galley watch: not promoted again: the run "
                           "that the last promote caused differs too "
                           "(output that changes from run to run?)\n";
        S_take(w, note, strlen(note));
    }
    /* The report first: what is watched is recomputed after it, off the
     * path from a save to its report (so a terminal's count is of the
     * files watched while the run ran). */
    S_show_end(w, NULL);
    S_refresh(w);
    return w->runs == 1 && w->run_status == 2 ? 2 : 0;
}

/* ---- events ---- */

/* Whether name, in directory d, is one whose change the tests see. */
static int S_counts(const S_watch *w, const S_dir *d, const char *name,
                    const char *path, int isdir)
{
    if (name[0] == '.' || !strcmp(name, "_galley"))
        return 0;
    if (S_watched(w, path))
        return 1;
    if (isdir || d->all)
        return d->tests || d->all;
    if (d->tests && galley__source_is_candidate(name))
        return 1;
    for (size_t i = 0; i < w->globs.n; i++)
        if (fnmatch(w->globs.v[i], path, FNM_PATHNAME) == 0)
            return 1;
    return 0;
}

/* Notes that path (a directory: isdir) changed. */
static void S_changed(S_watch *w, const char *path, int isdir)
{
    long long now = S_now_ns();
    if (!w->dirty)
        w->first_ns = now;
    w->last_ns = now;
    w->dirty = 1;
    w->complete = 0;
    galley__words *list = isdir ? &w->changed_dirs : &w->changed;
    for (size_t i = 0; i < list->n; i++)
        if (!strcmp(list->v[i], path))
            return;
    galley__words_add(list, path);
}

/* Reads the inotify events that are waiting. */
static void S_events(S_watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(w->ino, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            p += sizeof *e + e->len;
            if (e->mask & IN_Q_OVERFLOW) {
                S_changed(w, w->cwd, 1);
                continue;
            }
            if (e->mask & IN_IGNORED) {
                S_dir_gone(w, e->wd);
                continue;
            }
            S_dir *d = S_dir_of(w, e->wd);
            if (!d || !e->len)
                continue;
            char *path = galley__xasprintf("%s/%s", d->path, e->name);
            int isdir = (e->mask & IN_ISDIR) != 0;
            /* A directory that appears is watched (which may move d), and
             * the files already in it are changes. */
            if (S_counts(w, d, e->name, path, isdir)) {
                if (isdir && (e->mask & (IN_CREATE | IN_MOVED_TO)))
                    S_watch_tree(w, path, d->tests, d->all, 0, 1);
                S_changed(w, path, isdir);
                w->complete = !isdir &&
                              (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO));
            }
            free(path);
        }
    }
}

/* Milliseconds until the waiting change is due to run (0: now), or -1
 * when none waits. */
static int S_due_ms(const S_watch *w)
{
    if (!w->dirty)
        return -1;
    int quiet = w->complete ? w->settle_ms : w->quiet_ms;
    for (size_t i = 0; i < w->changed.n; i++)
        if (S_watched(w, w->changed.v[i]) && access(w->changed.v[i], F_OK))
            quiet = quiet > S_GONE_MS ? quiet : S_GONE_MS;
    long long now = S_now_ns();
    long long due = w->last_ns + quiet * 1000000LL;
    long long cap = w->first_ns + S_MAX_WAIT_MS * 1000000LL;
    due = due < cap ? due : cap;
    return due <= now ? 0 : (int)((due - now + 999999) / 1000000);
}

/* ---- the loop ---- */

/* Ends the watch on signal sig: the run and all it started are killed
 * (a promote it was making writes each file whole or not at all). Returns
 * 128 + sig. */
static int S_quit(S_watch *w, int sig)
{
    S_stop_child(w);
    if (w->tty)
        putchar('\n');
    fflush(stdout);
    return 128 + sig;
}

/* Waits for and handles what comes next. Returns -1 to go on, or the exit
 * status of the watch. */
static int S_step(S_watch *w)
{
    struct pollfd p[3] = {{w->sig, POLLIN, 0}, {w->ino, POLLIN, 0},
                          {w->out, POLLIN, 0}};
    int timeout = S_due_ms(w);
    /* A change that the running run's promote made waits for its end. */
    if (timeout == 0 && w->child > 0 && S_own_write(w))
        timeout = -1;
    if (poll(p, w->out >= 0 ? 3 : 2, timeout) < 0 && errno != EINTR)
        return 2;
    if (p[0].revents & POLLIN) {
        struct signalfd_siginfo si;
        while (read(w->sig, &si, sizeof si) == (ssize_t)sizeof si)
            if (si.ssi_signo != SIGCHLD)
                return S_quit(w, (int)si.ssi_signo);
        S_reap(w);
    }
    if (p[1].revents & POLLIN)
        S_events(w);
    if (w->out >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)))
        S_read_out(w);
    if (w->child > 0 && w->child_done && w->out < 0) {
        int rc = S_child_ended(w);
        if (rc)
            return rc;
    }
    if (w->dirty && S_due_ms(w) == 0) {
        /* The run's own promote is no reason to cancel it: it is ending. */
        if (w->child > 0 && w->out >= 0 && w->o->promote)
            S_read_out(w);
        if (w->child > 0 && !S_own_write(w))
            S_cancel(w);
        if (w->child == 0)
            S_start_run(w);
    }
    /* Nobody reads any more (the editor went away). */
    if (ferror(stdout)) {
        S_stop_child(w);
        return 1;
    }
    return -1;
}

static void S_fini(S_watch *w)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        free(w->dirs[i].path);
    free(w->dirs);
    galley__words_fini(&w->files);
    galley__words_fini(&w->paths);
    galley__words_fini(&w->globs);
    galley__words_fini(&w->changed);
    galley__words_fini(&w->changed_dirs);
    galley__words_fini(&w->wrote);
    for (size_t i = 0; i < w->o->n_paths; i++)
        free(w->focus[i]);
    free(w->focus);
    free(w->lines);
    galley__buf_fini(&w->screen);
    galley__buf_fini(&w->line);
    if (w->out >= 0)
        close(w->out);
    if (w->ino >= 0)
        close(w->ino);
    if (w->sig >= 0)
        close(w->sig);
}

/* Blocks the signals the loop reads from a signalfd. Returns it, or -1. */
static int S_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int galley__watch_cmd(const galley__watch_opts *o)
{
    S_watch w;
    memset(&w, 0, sizeof w);
    w.o = o;
    w.out = -1;
    /* A terminal that cannot redraw (TERM=dumb: Emacs's compilation
     * buffers) gets the blocks that editors read. */
    const char *term = getenv("TERM");
    w.tty = isatty(1) && !(term && !strcmp(term, "dumb"));
    const char *q = getenv("GALLEY_WATCH_QUIET_MS");
    w.quiet_ms = q && atoi(q) > 0 && atoi(q) <= 10000 ? atoi(q) : S_QUIET_MS;
    /* A quiet period that is asked for holds after any write. */
    w.settle_ms = q && *q ? w.quiet_ms : S_SETTLE_MS;
    w.focus = galley__xcalloc(o->n_paths + 1, sizeof *w.focus);
    w.lines = galley__xcalloc(o->n_paths + 1, sizeof *w.lines);
    for (size_t i = 0; i < o->n_paths; i++)
        w.lines[i] = o->lines ? o->lines[i] : 0;
    galley__buf_init(&w.screen);
    galley__buf_init(&w.line);
    w.ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    w.sig = S_signals();
    int rc = -1;
    if (!getcwd(w.cwd, sizeof w.cwd) || w.ino < 0 || w.sig < 0) {
        galley__error_at(NULL, 0, "cannot watch files: %s%s",
                         strerror(errno), w.ino < 0 ? " (inotify)" : "");
        rc = 2;
    }
    /* What a run leaves, and what a cancelled run's processes started,
     * comes to us to be killed. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (rc < 0) {
        S_refresh(&w);
        S_start_run(&w);
    }
    while (rc < 0)
        rc = S_step(&w);
    S_fini(&w);
    return rc;
}
