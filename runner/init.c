/* init.c: `galley init [DIR]`: the files a new project starts from. Each is
 * created with O_EXCL, so a file that exists, even one made a moment ago by
 * someone else, is never overwritten; .gitignore only ever gets a line
 * appended. */
#define _GNU_SOURCE
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../source/options.h"
#include "../source/util.h"

/* The configuration: every key, commented out at its default, so the
 * project works as it is and each key is explained where it is set. */
static const char S_conf[] =
    "# galley.conf: marks this directory as the root of a galley project and\n"
    "# says how to build its tests. Lines are `key = value`; a line starting\n"
    "# with # is a comment. Paths are relative to this directory. Each key\n"
    "# below is commented out and shows its default; see galley(1).\n"
    "\n"
    "# The code under test: C files compiled once, into an archive that\n"
    "# every test program links. List keys may repeat; their words add up.\n"
    "#sources = src/parse.c src/eval.c\n"
    "\n"
    "# Directories for #include \"...\" in the tests and the sources.\n"
    "#include = src\n"
    "\n"
    "# Compiler flags; a cflags line replaces the default, more lines add.\n"
    "#cflags = -g -Wall\n"
    "\n"
    "# Linker flags, and libraries linked after everything else.\n"
    "#ldflags = -L/opt/mylib/lib\n"
    "#libs = -lm\n"
    "\n"
    "# Files and directories where `galley run` looks for test files (.c\n"
    "# files that #include <galley.h>, Markdown documents with an output\n"
    "# block or a <!-- galley --> comment) when it is given no path.\n"
    "#tests = tests\n"
    "\n"
    "# How long a test may run, in milliseconds; a TEST's .timeout_ms wins.\n"
    "#timeout_ms = 10000\n"
    "\n"
    "# The most output one test may write (K, M and G suffixes).\n"
    "#output_limit = 16M\n"
    "\n"
    "# Tolerances for numbers in the output: a number matches when\n"
    "# |actual - expected| <= atol + rtol * |expected|. With both 0, output\n"
    "# compares as text. A TEST's .rtol and .atol win.\n"
    "#rtol = 0\n"
    "#atol = 0\n"
    "\n"
    "# Output filters, applied before comparing and promoting, for what\n"
    "# changes from run to run: s/REGEX/REPLACEMENT/FLAGS (PCRE2) or a\n"
    "# built-in: @pointers, @tmpdirs, @durations, @timestamps, @pids.\n"
    "#filter = @pointers\n"
    "#filter = s/took [0-9.]+ ms/took N ms/g\n"
    "\n"
    "# A test's result is taken from the cache while its program and these\n"
    "# are the same: files the tests read (globs; a directory: all below\n"
    "# it) and environment variables they read. See galley(1).\n"
    "#inputs = data\n"
    "#env = OMP_NUM_THREADS\n"
    "#cache = on\n"
    "#cache_size = 64M\n"
    "\n"
    "# on: tensors may live on an NVIDIA GPU (the programs link\n"
    "# libgalley-cuda; galley --version says whether it was built).\n"
    "#cuda = off\n"
    "\n"
    "# CC, CFLAGS and LDFLAGS from the environment are honoured too.\n";

/* The first test: it passes as it is, and shows the two forms of EXPECT. */
static const char S_example[] =
    "/* example_test.c: a first galley test. A test prints what it computes;\n"
    " * EXPECT compares what was printed since the previous marker with the\n"
    " * text in its comment. Change a printf, run `galley run` to see the\n"
    " * diff, then `galley promote` to write the new output here. */\n"
    "#include <galley.h>\n"
    "#include <stdio.h>\n"
    "\n"
    "TEST(hello)\n"
    "{\n"
    "    printf(\"hello, %s\\n\", \"galley\");\n"
    "    EXPECT(/* hello, galley */);\n"
    "}\n"
    "\n"
    "TEST(squares)\n"
    "{\n"
    "    for (int i = 1; i <= 3; i++)\n"
    "        printf(\"%d squared is %d\\n\", i, i * i);\n"
    "    EXPECT(/*\n"
    "      1 squared is 1\n"
    "      2 squared is 4\n"
    "      3 squared is 9\n"
    "    */);\n"
    "}\n";

/* Returns DIR/name as the messages show it (heap): name alone for ".". */
static char *S_shown(const char *dir, const char *name)
{
    if (!strcmp(dir, "."))
        return galley__xstrdup(name);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return galley__xasprintf("%.*s/%s", (int)n, dir, name);
}

/* Creates file path with content unless it exists. Returns 0 or 1 after
 * printing what it did, or -1 after printing why it could not. */
static int S_create(const char *path, const char *content)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) {
        printf("kept %s (exists)\n", path);
        return 1;
    }
    int rc = fd < 0 ? -errno : galley__write_all(fd, content, strlen(content));
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc != 0) {
        if (fd >= 0)
            unlink(path); /* a half-written file would be kept next time */
        galley__error_at(path, 0, "cannot create: %s", strerror(-rc));
        return -1;
    }
    printf("created %s\n", path);
    return 0;
}

/* Returns 1 if text has a line that ignores the _galley/ directory at
 * the top of the repository: "_galley/", "/_galley", and so on. */
static int S_ignores_galley(const char *text)
{
    static const char *const forms[] = {"_galley", "_galley/", "/_galley",
                                        "/_galley/"};
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        size_t len = n;
        while (len > 0 && strchr(" \t\r", p[len - 1]))
            len--;
        for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
            if (strlen(forms[i]) == len && !memcmp(p, forms[i], len))
                return 1;
        p += n + (p[n] == '\n');
    }
    return 0;
}

/* Appends the _galley/ line to the existing .gitignore at path, on a
 * line of its own, unless it has one. Returns 0, or -1 after printing why
 * it could not. */
static int S_append_ignore(const char *path)
{
    galley__buf old;
    galley__buf_init(&old);
    int rc = galley__read_file(path, &old);
    if (rc == 0 && S_ignores_galley(old.ptr)) {
        printf("kept %s (has _galley/)\n", path);
    } else if (rc == 0) {
        int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        const char *line = old.len && old.ptr[old.len - 1] != '\n'
                               ? "\n_galley/\n" : "_galley/\n";
        rc = fd < 0 ? -errno : galley__write_all(fd, line, strlen(line));
        if (fd >= 0 && close(fd) != 0 && rc == 0)
            rc = -errno;
        if (rc == 0)
            printf("added _galley/ to %s\n", path);
    }
    if (rc != 0)
        galley__error_at(path, 0, "cannot update: %s", strerror(-rc));
    galley__buf_fini(&old);
    return rc == 0 ? 0 : -1;
}

/* Makes sure .gitignore in dir ignores _galley/. Returns 0 or -1. */
static int S_gitignore(const char *dir)
{
    char *path = S_shown(dir, ".gitignore");
    int rc = access(path, F_OK) == 0 ? S_append_ignore(path)
                                     : S_create(path, "_galley/\n");
    free(path);
    return rc < 0 ? -1 : 0;
}

/* Prints dir as a shell reads it back: as it is when it has only
 * characters that mean nothing to a shell, else in single quotes; "./"
 * first when it starts with '-', which cd would read as an option. */
static void S_print_shell_word(const char *dir)
{
    const char *plain = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_-./+,:@%=";
    const char *dot = dir[0] == '-' ? "./" : "";
    if (dir[strspn(dir, plain)] == '\0') {
        printf("%s%s", dot, dir);
        return;
    }
    printf("'%s", dot);
    for (const char *p = dir; *p; p++)
        fputs(*p == '\'' ? "'\\''" : (char[]){*p, 0}, stdout);
    putchar('\'');
}

/* Prints what to do next; cd first when the project is elsewhere. */
static void S_next_steps(const char *dir)
{
    printf("\nnext steps:\n");
    if (strcmp(dir, ".")) {
        printf("  cd ");
        S_print_shell_word(dir);
        putchar('\n');
    }
    printf("  galley run        build and run the tests in tests/\n"
           "  galley promote    accept new output into the source\n"
           "Name your code in galley.conf (sources, include), then write "
           "tests\nlike tests/example_test.c. See galley(1) and galley(3).\n");
}

/* Creates the files in dir, stopping at the first that cannot be
 * written. Returns the exit status. */
static int S_init(const char *dir)
{
    char *conf = S_shown(dir, "galley.conf");
    char *tests = S_shown(dir, "tests");
    char *example = S_shown(dir, "tests/example_test.c");
    int rc = galley__mkdirs(dir);
    if (rc != 0)
        galley__error_at(dir, 0, "cannot create: %s", strerror(-rc));
    else if (S_create(conf, S_conf) < 0)
        rc = -1;
    else if ((rc = galley__mkdirs(tests)) != 0)
        galley__error_at(tests, 0, "cannot create: %s", strerror(-rc));
    else if (S_create(example, S_example) < 0 || S_gitignore(dir) < 0)
        rc = -1;
    if (rc == 0)
        S_next_steps(dir);
    free(conf);
    free(tests);
    free(example);
    return rc == 0 ? 0 : 1;
}

static const char S_usage[] =
    "usage: galley init [DIR]\n"
    "Makes DIR (default: the current directory) a galley project: a\n"
    "commented galley.conf, a first passing test, tests/example_test.c,\n"
    "and the _galley/ line of .gitignore. No file is overwritten.\n"
    "\n"
    "  -h, --help          print this and exit\n";

int galley__init_cmd(int argc, char **argv)
{
    char **dirs = galley__xcalloc((size_t)argc + 1, sizeof *dirs);
    int n = 0;
    int rc = galley__options_parse("init", S_usage, NULL, 0, argc, argv, NULL,
                                   NULL, dirs, &n);
    if (rc == 0 && n > 1)
        rc = galley__usage_error("init", "one directory, not %s and %s",
                                 dirs[0], dirs[1]);
    if (rc == 0 && n == 1 && !*dirs[0])
        rc = galley__usage_error("init", "the directory name is empty");
    for (const char *p = n == 1 ? dirs[0] : ""; rc == 0 && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            rc = galley__usage_error("init", "the directory name holds a "
                                     "control character (byte 0x%02x); "
                                     "choose a name without one",
                                     (unsigned char)*p);
    if (rc == 0)
        rc = S_init(n ? dirs[0] : ".");
    free(dirs);
    return rc < 0 ? 0 : rc;
}
