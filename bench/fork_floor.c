/* fork_floor.c: the floor of a test's cost in its own process, for
 * bench/pertest.sh: per test, a fresh memfd for its output, fork, the
 * child prints three lines into it and exits, the parent waits and reads
 * the output back. Usage: fork_floor N (tests). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    char buf[4096];
    long total = 0;
    for (int i = 0; i < n; i++) {
        int fd = memfd_create("floor", MFD_CLOEXEC);
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0) {
            dup2(fd, 1);
            printf("test %d\nsquare %d\nhalf %.1f\n", i, i * i, i / 2.0);
            fflush(stdout);
            _exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        total += pread(fd, buf, sizeof buf, 0);
        close(fd);
    }
    return total > 0 ? 0 : 1;
}
