/* basics_test.c: what galley captures and compares, shown with tests that
 * pass. Each test runs in its own process; only stdout (file descriptor 1)
 * is compared. See galley(3). */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* EXPECT normalizes both sides: blank lines around the text, trailing
 * spaces and the common indentation do not count. */
TEST(normalized)
{
    printf("\n\n        indented by eight   \n          and ten\n\n");
    EXPECT(/*
      indented by eight
        and ten
    */);
}

/* EXPECT_EXACT compares byte for byte: the leading spaces, the blank line
 * and the final newline are all part of the expectation. */
TEST(exact)
{
    printf("  two leading spaces\n\nafter a blank line\n");
    EXPECT_EXACT(/*  two leading spaces

after a blank line
*/);
}

/* No output at all is expected with an empty marker. stderr is never
 * compared: it is shown only when a test fails. */
TEST(quiet)
{
    fprintf(stderr, "this goes to stderr and is not compared\n");
    EXPECT();
}

/* Output is captured at the file-descriptor level: stdio, write(2) and
 * child processes all land in order. */
TEST(child_processes)
{
    printf("from printf\n");
    write(1, "from write(2)\n", 14);
    system("echo from a shell started by system");
    EXPECT(/*
      from printf
      from write(2)
      from a shell started by system
    */);

    pid_t pid = fork();
    if (pid == 0) {
        printf("from a forked child, pid hidden\n");
        _exit(0); /* _exit: the child must not run the parent's atexit */
    }
    waitpid(pid, NULL, 0);
    printf("parent saw the child finish\n");
    EXPECT(/*
      from a forked child, pid hidden
      parent saw the child finish
    */);
}

/* A test's own time limit (the default is 10 s, or timeout_ms in
 * galley.conf). A test that runs past it fails as "timed out". */
TEST(with_a_timeout, .timeout_ms = 2000)
{
    unsigned long sum = 0;
    for (unsigned long i = 1; i <= 1000000; i++)
        sum += i;
    printf("sum of 1..1000000 = %lu\n", sum);
    EXPECT(/* sum of 1..1000000 = 500000500000 */);
}

/* Output that cannot live in a C comment is written with cram's (esc)
 * escape: control characters as \xNN, and "*" "/" pairs broken up. */
TEST(escaped_output)
{
    printf("\033[1mbold\033[0m and a tab:\there\n");
    printf("a C comment: /* like this */\n");
    EXPECT(/*
      \x1b[1mbold\x1b[0m and a tab:\there (esc)
      a C comment: /\x2a like this *\x2f (esc)
    */);
}

/* Tests are isolated: each starts from a fresh copy of the program, so
 * this counter is 1 in every test that bumps it. */
static int counter;

TEST(isolated_one)
{
    printf("counter %d\n", ++counter);
    EXPECT(/* counter 1 */);
}

TEST(isolated_two)
{
    printf("counter %d\n", ++counter);
    EXPECT(/* counter 1 */);
}
