/* ci_test.c: end-to-end tests of CI mode: sources are never written, the
 * pending promotions go to _galley/promote.patch, and that patch applies
 * with git apply (in a repository, nested in one, or in none) and makes the
 * run pass; and every path of a run's outputs resolves from where its
 * reader starts, galley run from a subdirectory of a nested project. */
#include <galley.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "e2e.h"

/* Runs git with an identity and defaults of its own, so that the user's
 * configuration and a surrounding repository do not change what it does. */
static int S_git(const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "git -c user.name=galley -c user.email=galley@example.invalid "
             "-c init.defaultBranch=main -c commit.gpgsign=false %s", args);
    return e2e_sh(cmd);
}

/* Makes a project whose one test fails twice: a marker to change and
 * output after the last marker. In CI mode from here on. */
static void S_failing_project(const char *dir)
{
    char path[256];
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    unsetenv("GIT_INDEX_FILE");
    snprintf(path, sizeof path, "%s/galley.conf", dir);
    e2e_write(path, "");
    snprintf(path, sizeof path, "%s/tests/ci_test.c", dir);
    e2e_write(path,
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(greeting) {\n"
              "    printf(\"hello\\n\");\n"
              "    EXPECT(/*\n"
              "      goodbye\n"
              "    */);\n"
              "    printf(\"and more\\n\");\n"
              "}\n");
    setenv("CI", "true", 1);
}

TEST(patch_applies_and_run_passes)
{
    e2e_project();
    S_failing_project(".");
    S_git("init -q");
    S_git("add -A");
    S_git("commit -qm init");
    e2e_sh("cp tests/ci_test.c before.c");
    e2e_galley("run -q");
    EXPECT(/*
      tests/ci_test.c:6: greeting: mismatch
      tests/ci_test.c:10: greeting: trailing output
      0 passed, 1 failed
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
    */);
    /* The source is untouched; the .corrected copy is still written. */
    e2e_sh("cmp tests/ci_test.c before.c && echo unchanged && "
           "ls _galley/tests");
    EXPECT(/*
      unchanged
      ci_test.c.corrected
    */);
    e2e_cat("_galley/promote.patch");
    EXPECT(/*
      diff --git a/tests/ci_test.c b/tests/ci_test.c
      index 5ab259f..99078d1 100644
      --- a/tests/ci_test.c
      +++ b/tests/ci_test.c
      @@ -3,8 +3,7 @@

       TEST(greeting) {
           printf("hello\n");
      -    EXPECT((*
      -      goodbye
      -    *));
      +    EXPECT((* hello *));
           printf("and more\n");
      +    EXPECT((* and more *));
       }
    */);
    /* What the patch makes is what galley promote would write. */
    e2e_sh("git apply --check _galley/promote.patch && "
           "git apply _galley/promote.patch && "
           "cmp tests/ci_test.c _galley/tests/ci_test.c.corrected && "
           "echo applied");
    EXPECT(/* applied */);
    /* A passing run removes the stale patch and says nothing of it. */
    e2e_galley("run -q");
    e2e_sh("test -e _galley/promote.patch || echo no patch");
    EXPECT(/*
      1 passed, 0 failed
      [exit 0]
      no patch
    */);
    e2e_done();
}

TEST(promote_refused)
{
    e2e_project();
    S_failing_project(".");
    e2e_galley("run -q --promote");
    e2e_galley("run -q");
    e2e_galley("promote");
    e2e_sh("cmp -s tests/ci_test.c _galley/tests/ci_test.c.corrected || "
           "echo source unchanged");
    EXPECT(/*
      galley: error: CI mode: not writing sources; apply _galley/promote.patch with git apply
      [exit 2]
      tests/ci_test.c:6: greeting: mismatch
      tests/ci_test.c:10: greeting: trailing output
      0 passed, 1 failed
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
      galley: error: CI mode: not writing sources; apply _galley/promote.patch with git apply
      [exit 2]
      source unchanged
    */);
    /* --no-ci overrides the environment; --ci needs none. */
    e2e_galley("promote --no-ci");
    e2e_galley("run -q --ci");
    EXPECT(/*
      promoted tests/ci_test.c (2 markers)
      [exit 0]
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(ci_variable_values)
{
    e2e_project();
    S_failing_project(".");
    /* CI=false and CI=0 mean no CI, as an empty CI does: no patch. */
    const char *values[] = {"false", "0", ""};
    for (int i = 0; i < 3; i++) {
        setenv("CI", values[i], 1);
        e2e_galley("run -q >/dev/null");
        e2e_sh("test -e _galley/promote.patch && echo patch || echo none");
    }
    unsetenv("CI");
    e2e_galley("run -q --ci >/dev/null 2>&1");
    e2e_sh("test -e _galley/promote.patch && echo patch || echo none");
    EXPECT(/*
      [exit 1]
      none
      [exit 1]
      none
      [exit 1]
      none
      [exit 1]
      patch
    */);
    e2e_done();
}

TEST(project_not_in_git)
{
    /* Paths are then relative to the project root, where git apply works
     * as a better patch(1). */
    e2e_project();
    S_failing_project(".");
    e2e_galley("run -q >/dev/null");
    e2e_sh("grep '^[-+][-+][-+] ' _galley/promote.patch && "
           "git apply _galley/promote.patch");
    e2e_galley("run -q");
    EXPECT(/*
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
      --- a/tests/ci_test.c
      +++ b/tests/ci_test.c
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

TEST(nested_project)
{
    /* The repository is the temporary directory; the project lies two
     * levels down, and the patch's paths are relative to the repository. */
    e2e_project();
    S_failing_project("sub/proj");
    S_git("init -q");
    S_git("add -A");
    S_git("commit -qm init");
    if (chdir("sub/proj") != 0)
        return;
    e2e_galley("run -q >/dev/null");
    if (chdir("../..") != 0)
        return;
    e2e_sh("grep '^[-+][-+][-+] ' sub/proj/_galley/promote.patch");
    EXPECT(/*
      galley: wrote _galley/promote.patch; accept with: git apply _galley/promote.patch
      [exit 1]
      --- a/sub/proj/tests/ci_test.c
      +++ b/sub/proj/tests/ci_test.c
    */);
    /* From the repository's root, and from the project's (git apply takes
     * a patch's paths from the top of the work tree). */
    e2e_sh("git apply --check sub/proj/_galley/promote.patch && "
           "cd sub/proj && git apply --check _galley/promote.patch && "
           "git apply _galley/promote.patch && git status --short");
    /* Still in the temporary directory: the shell's cd was its own. */
    if (chdir("sub/proj") != 0)
        return;
    e2e_galley("run -q");
    EXPECT(/*
       M tests/ci_test.c
      ?? _galley/
      1 passed, 0 failed
      [exit 0]
    */);
    e2e_done();
}

/* A shell function: `where DIR` runs galley in DIR (CI mode, GitHub's
 * annotations, a JUnit report with locations) and lists the paths that
 * each reader meets with whether the file is there when resolved from
 * where that reader starts: the compiler's and galley's lines and the
 * patch's note from DIR (as an editor's :make would), the annotations,
 * the JUnit file attributes and the patch's paths from the top of the
 * repository (as GitHub and git apply do). Then checks the note's
 * command to apply the patch, run from DIR. */
#define S_WHERE                                                               \
    "where() { ( cd \"$1\" && top=$(git rev-parse --show-toplevel) && "      \
    "CI=true GITHUB_ACTIONS=true GALLEY_JUNIT_LOCATIONS=1 \"$GALLEY_BIN\" "  \
    "run -q --junit=\"$top/j.xml\" >\"$top/out\" 2>&1; "                    \
    "is() { while read -r p; do [ -f \"$2$p\" ] && s=ok || s=MISSING; "     \
    "echo \"$1 $p: $s\"; done; }; "                                         \
    "grep -v '^galley: ' \"$top/out\" | sed -nE 's/^(In file included "   \
    "from )?([^ :]+):([0-9]| ).*/\\2/p' | sort -u | is line; "              \
    "sed -n 's/^galley: wrote \\([^;]*\\);.*/\\1/p' \"$top/out\" | is note; "\
    "sed -n 's/^::error file=\\([^,]*\\),.*/\\1/p' \"$top/out\" | sort -u "   \
    "| is annotation \"$top/\"; grep -o ' file=\"[^\"]*\"' \"$top/j.xml\" | "\
    "cut -d'\"' -f2 | sort -u | is junit \"$top/\"; sed -n 's|^+++ b/||p' "   \
    "\"$top/sub/proj/_galley/promote.patch\" | is patch \"$top/\"; "         \
    "eval \"$(sed -n 's/.*accept with: //p' \"$top/out\" | "               \
    "sed 's/git apply/git apply --check/')\" && "                          \
    "echo 'the note applies the patch' ); }; "

TEST(paths_resolve_where_read)
{
    char bin[PATH_MAX];
    const char *env = getenv("GALLEY_BIN");
    if (env && realpath(env, bin))
        setenv("GALLEY_BIN", bin, 1);
    unsetenv("GITHUB_ACTIONS");
    e2e_project();
    S_failing_project("sub/proj");
    /* A file that does not compile, its error in a header of the code
     * under test: "In file included from" and a path outside tests/. */
    e2e_write("sub/proj/lib/broken.h", "#error broken on purpose\n");
    e2e_write("sub/proj/tests/broken_test.c",
              "#include <galley.h>\n"
              "#include \"../lib/broken.h\"\n"
              "TEST(never) { }\n");
    S_git("init -q");
    S_git("add -A");
    S_git("commit -qm init");
    e2e_sh(S_WHERE "where sub/proj");
    EXPECT(/*
      line tests/../lib/broken.h: ok
      line tests/broken_test.c: ok
      line tests/ci_test.c: ok
      note _galley/promote.patch: ok
      annotation sub/proj/tests/broken_test.c: ok
      annotation sub/proj/tests/ci_test.c: ok
      junit sub/proj/tests/broken_test.c: ok
      junit sub/proj/tests/ci_test.c: ok
      patch sub/proj/tests/ci_test.c: ok
      the note applies the patch
    */);
    e2e_sh(S_WHERE "where sub/proj/tests");
    EXPECT(/*
      line ../lib/broken.h: ok
      line broken_test.c: ok
      line ci_test.c: ok
      note ../_galley/promote.patch: ok
      annotation sub/proj/tests/broken_test.c: ok
      annotation sub/proj/tests/ci_test.c: ok
      junit sub/proj/tests/broken_test.c: ok
      junit sub/proj/tests/ci_test.c: ok
      patch sub/proj/tests/ci_test.c: ok
      the note applies the patch
    */);
    e2e_done();
}
