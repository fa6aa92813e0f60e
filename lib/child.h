/* child.h: the test process, forked by the supervisor for one test: its
 * output goes to the capture files and galley_expect writes marks. */
#ifndef GALLEY_CHILD_H
#define GALLEY_CHILD_H

#include <setjmp.h>
#include <stddef.h>

#include "capture.h"
#include "galley.h"

/* Prepares, once in the supervisor before the first fork, what every test
 * process inherits: crash handlers on an alternate stack, line-buffered
 * stdout, a fork hook that turns EXPECT off in processes a test forks.
 * Done once instead of in every child, it saves a dozen system calls per
 * test. In the supervisor the handlers only flush stdout before dying. */
void galley__child_setup(void);

/* Makes test processes close fd (the runner's results) first thing: a test
 * must not write into it, nor see it. */
void galley__child_close_fd(int fd);

/* Makes galley_skip jump to env (NULL: no more) rather than end the
 * process: for --galley-no-fork, where tests run in the program itself. */
void galley__child_no_fork(jmp_buf *env);

/* Readies the run of t on device (a galley_device bit): makes it the
 * default device, or skips the test (galley_skip: the process ends, or
 * without fork it jumps) with the reason the device cannot be had. */
void galley__run_on_device(const galley_test *t, unsigned device);

/* The bytes of device memory galley's tensors hold now, and in
 * *first_op the op that allocated the first of them (NULL: unknown);
 * 0 when the program has no tensor code. */
size_t galley__device_held(const char **first_op);

/* Runs test t in the freshly forked process: becomes a process group of
 * its own, sends stdout and stderr to c's files, runs t (on device, a
 * galley_device bit, when not 0: see galley__run_on_device) and exits 0
 * after a DONE mark when it returns, a LEAK mark before it when the test
 * left device memory held. Never returns. */
_Noreturn void galley__child_main(const galley_test *t,
                                  const galley__capture *c, unsigned device);

#endif
