/* e2e.h: helpers for galley's end-to-end tests, which are themselves galley
 * tests: each makes a throwaway project in a temporary directory, runs the
 * galley under test there and prints what it said, for EXPECT to hold. */
#ifndef GALLEY_E2E_H
#define GALLEY_E2E_H

/* Makes a temporary project directory (with an empty galley.conf) and
 * changes into it. Each test runs in its own process, so the chdir stays
 * private to the test. CFLAGS and LDFLAGS are unset, so that the shell's
 * flags do not change how projects build. Returns the directory (static
 * storage). */
const char *e2e_project(void);
/* Writes content to path (parents created), replacing it. */
void e2e_write(const char *path, const char *content);
/* Writes len bytes of data to path. */
void e2e_write_bytes(const char *path, const char *data, unsigned long len);
/* Runs `galley ARGS` (the binary under test: $GALLEY_BIN) in the current
 * directory with stdout and stderr merged, prints its output, then
 * "[exit N]". Returns N. */
int e2e_galley(const char *args);
/* Runs `galley ARGS` as e2e_galley does, but prints only what the shell
 * command filter (reading galley's merged output on stdin) prints, then
 * "[exit N]" with galley's own status N, which it returns. For output
 * that is partly the compiler's, whose wording varies. */
int e2e_galley_filter(const char *args, const char *filter);
/* Runs a shell command, printing its merged output and "[exit N]" when N
 * is not 0. Returns N. */
int e2e_sh(const char *cmd);
/* Prints the file at path with control characters made visible (\r, \t,
 * \xNN) and C comment delimiters shown as "(*" and "*)", so a printed test
 * file can sit in an expectation without escapes. */
void e2e_cat(const char *path);
/* Prints lines first to last (1-based, inclusive; last 0: to the end) of
 * the file at path as e2e_cat does. */
void e2e_cat_lines(const char *path, int first, int last);
/* Installs the build that $GALLEY_BIN belongs to (build/ or build/asan/)
 * under ./prefix with tools/install.sh, quietly. */
void e2e_install_here(void);
/* Starts `galley watch ARGS` in the background, in the current directory,
 * its merged output into a file beside the project. One at a time. */
void e2e_watch_start(const char *args);
/* The same, with a terminal for its output (script(1)): the screen that
 * it redraws, escapes shown as ^[ and carriage returns as ^M. */
void e2e_watch_start_tty(const char *args);
/* Waits until the watcher has printed a whole line holding want (with
 * want ending in '$': until its output ends with want), then
 * prints its output since the last wait up to that line, with durations
 * ("0.21 s") as "T s". The deadline is 120 s (a loaded machine, the
 * sanitizers): past it, or when the watcher ended, prints what there is
 * and "[no 'want' after ...]". Returns 0 or -1. */
int e2e_watch_until(const char *want);
/* With on, e2e_watch_until and e2e_watch_stop print only the watcher's
 * own lines ("galley watch: ...") and compile errors cut after "error:"
 * (the compiler's wording varies). */
void e2e_watch_brief(int on);
/* Sends signal sig to the watcher, waits for it, prints the rest of its
 * output and "[exit N, K processes left]": K counts what the watcher
 * left running (and kills it). Returns N. */
int e2e_watch_stop(int sig);
/* Removes the project made by e2e_project. */
void e2e_done(void);

#endif
