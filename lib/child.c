/* child.c: the test process (see child.h) and galley_expect, which writes
 * a mark at each marker reached: the marker's place and how much stdout
 * there was then. Crash handlers keep output still sitting in stdio. */
#define _GNU_SOURCE
#include "child.h"

#include <alloca.h>
#include <ctype.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>

#include "marks.h"

/* The tensor library's device functions (galley/tensor.h, and
 * galley__device_leak of tensor_internal.h), referenced weakly: a weak
 * reference does not pull an object out of libgalley.a, so a test
 * program that uses no tensors links no tensor code (nor OpenBLAS) for
 * them. There they are NULL, and no device but the CPU can be had: no
 * device backend can have registered without the tensor code. */
extern int galley_device_available(galley_device device, const char **why)
    __attribute__((weak));
extern void galley_set_default_device(galley_device device)
    __attribute__((weak));
extern size_t galley__device_leak(const char **first_op)
    __attribute__((weak));

/* The test process's state. It is global because galley_expect is called
 * from user code with no context to pass it, and the crash handlers run
 * with none either. Only the test process itself is active: in the
 * supervisor and in processes the test forks, EXPECT just flushes. */
static struct {
    int active;
    int marks;             /* the marks file */
    int out;               /* our own descriptor of the stdout capture,
                              which survives the test closing fd 1 */
    const char *last_file; /* the file the last FILE record named */
    pid_t supervisor;      /* the process that forks the tests */
    galley__tol tol;       /* the tolerances galley_tolerance set */
    galley__tol written;   /* those the last TOL record said */
    int private_fd;        /* the supervisor's, closed in the test */
} S_test = {.marks = -1, .out = -1, .private_fd = -1};

/* The stack the crash handlers run on, so a stack overflow is caught. */
static char S_altstack[1 << 16];

/* Where the program's own code was loaded: its load bias and the range of
 * its executable segments, so that a crash's addresses can be written as
 * offsets that addr2line understands. Set once before the first fork. */
static struct {
    uintptr_t bias, start, end;
} S_text;

/* The top of the main thread's stack (a test runs on it), up to which the
 * stack is scanned after a crash. */
static struct {
    uintptr_t end;
} S_stack;

/* stdout's buffer, for the program's whole life. Handing setvbuf a buffer
 * makes glibc switch modes properly even if a constructor already printed;
 * with NULL it would only set a flag on a buffer already in use. */
static char S_stdout_buf[BUFSIZ];

/* The signals after which the test's buffered stdout is still flushed.
 * SIGTERM is how a test out of time is asked to stop. */
static const int S_fatal_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,
                                      SIGILL,  SIGABRT, SIGTERM};

/* Writes all of buf to fd, going on after interruptions. */
static void S_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* Appends a mark and then extra[0..extra_len) (at most
 * GALLEY__MARK_NAME_MAX bytes) in one write, after a FILE record when file
 * is not the one last named (file NULL: no file). Written at once, so a
 * later crash cannot lose it. */
static void S_mark_with(int kind, const char *file, int line, int exact,
                        int64_t offset, const char *extra, size_t extra_len)
{
    char buf[2 * sizeof(galley__mark) + 2 * GALLEY__MARK_NAME_MAX];
    size_t n = 0;
    if (file && file != S_test.last_file) {
        size_t len = strnlen(file, GALLEY__MARK_NAME_MAX);
        galley__mark f = {.line = (int32_t)len, .kind = GALLEY__MARK_FILE};
        memcpy(buf, &f, sizeof f);
        memcpy(buf + sizeof f, file, len);
        n = sizeof f + len;
        S_test.last_file = file;
    }
    galley__mark m = {.offset = offset, .line = line, .kind = (uint8_t)kind,
                      .exact = exact != 0};
    memcpy(buf + n, &m, sizeof m);
    n += sizeof m;
    if (extra_len > GALLEY__MARK_NAME_MAX)
        extra_len = GALLEY__MARK_NAME_MAX;
    if (extra_len)
        memcpy(buf + n, extra, extra_len);
    S_write_all(S_test.marks, buf, n + extra_len);
}

/* Appends a mark with nothing after it (see S_mark_with). */
static void S_mark(int kind, const char *file, int line, int exact,
                   int64_t offset)
{
    S_mark_with(kind, file, line, exact, offset, NULL, 0);
}

/* Says in a TOL record the tolerances of the next hit, when they differ
 * from the last ones said (most tests never write one). */
static void S_tol(const galley__tol *t)
{
    const galley__tol *w = &S_test.written;
    if (t->set == w->set && (!t->set || (!memcmp(&t->rtol, &w->rtol,
                                                 sizeof t->rtol) &&
                                         !memcmp(&t->atol, &w->atol,
                                                 sizeof t->atol))))
        return;
    char buf[sizeof(galley__mark) + 2 * sizeof(double)];
    galley__mark m = {.kind = GALLEY__MARK_TOL, .exact = (uint8_t)t->set};
    memcpy(buf, &m, sizeof m);
    memcpy(buf + sizeof m, &t->rtol, sizeof t->rtol);
    memcpy(buf + sizeof m + sizeof t->rtol, &t->atol, sizeof t->atol);
    S_write_all(S_test.marks, buf, sizeof buf);
    S_test.written = *t;
}

/* Whether EXPECT's argument text holds anything. A comment is gone after
 * preprocessing, so any text at all means the marker was misused. */
static int S_has_args(const char *args)
{
    for (; args && *args; args++)
        if (!isspace((unsigned char)*args))
            return 1;
    return 0;
}

/* Returns the size of the captured stdout. lseek to the end reads the
 * same size as fstat, but fstat right after a write costs ten times more
 * on ext4 (2 us against 0.2). Moving the offset is harmless: the file is
 * opened O_APPEND, so every write goes to the end anyway. */
static int64_t S_out_size(void)
{
    off_t size = lseek(S_test.out, 0, SEEK_END);
    return size < 0 ? 0 : (int64_t)size;
}

/* Records a hit (or a misuse) of the marker at file:line, whose numbers
 * compare with tolerances tol. */
static void S_expect(const char *file, int line, int exact, const char *args,
                     const galley__tol *tol)
{
    int saved = errno; /* a marker must not disturb the test's errno */
    fflush(NULL);
    if (S_test.active) {
        if (!file)
            file = "?";
        if (S_has_args(args)) {
            S_mark(GALLEY__MARK_MISUSE, file, line, exact, 0);
        } else {
            S_tol(tol);
            S_mark(GALLEY__MARK_HIT, file, line, exact, S_out_size());
        }
    }
    errno = saved;
}

/* Zeroes the stack below the frame of the entry point it is used in,
 * where the calls a marker made (S_mark_with's buffer, write) left return
 * addresses into this file. S_crash_record scans the stack word by word:
 * a test that crashes soon after a marker (abort() from the test, whose
 * libc frames leave slots unwritten) would otherwise find them there and
 * be said to crash at a line of child.c. explicit_bzero is never left
 * out by the compiler; its own return address lies below the region. */
#define S_SCRUB_BYTES (12 << 10)
#define S_SCRUB_STACK() explicit_bzero(alloca(S_SCRUB_BYTES), S_SCRUB_BYTES)

void galley_expect(const char *file, int line, int exact, const char *args)
{
    S_expect(file, line, exact, args, &S_test.tol);
    S_SCRUB_STACK();
}

void galley_expect_near(const char *file, int line,
                        galley_near_options options)
{
    /* set 2: this marker's own, not the test's from here on. Its options
     * were checked by the compiler, and its comment by the runner. */
    galley__tol tol = {2, options.rtol, options.atol};
    S_expect(file, line, 0, NULL, &tol);
    S_SCRUB_STACK();
}

void galley_tolerance(double rtol, double atol)
{
    S_test.tol = (galley__tol){1, rtol, atol};
    /* Said at once, so output after the last marker of a test that then
     * crashes is still compared with these tolerances. */
    if (S_test.active)
        S_tol(&S_test.tol);
    S_SCRUB_STACK();
}

/* Where galley_skip jumps in a --galley-no-fork run, or NULL. */
static jmp_buf *S_no_fork_skip;

void galley__child_no_fork(jmp_buf *env)
{
    S_no_fork_skip = env;
}

void galley_skip(const char *file, int line, const char *reason)
{
    fflush(NULL);
    if (!reason)
        reason = "";
    if (!file)
        file = "?";
    if (S_test.active) {
        size_t n = strnlen(reason, GALLEY__MARK_NAME_MAX);
        S_mark_with(GALLEY__MARK_SKIP, file, line, 0, (int64_t)n, reason, n);
        /* _exit: as at the end of a test, nothing of the supervisor's runs
         * (its atexit handlers); stdio was flushed above. */
        _exit(0);
    }
    if (S_no_fork_skip) {
        printf("== skipped at %s:%d: %s\n", file, line, reason);
        longjmp(*S_no_fork_skip, 1);
    }
    /* A process the test forked ends here: the skip is not its to report.
     * Outside any test (a constructor) it is a mistake, said aloud. */
    if (S_test.supervisor && getpid() != S_test.supervisor)
        _exit(0);
    fprintf(stderr, "galley: GALLEY_SKIP at %s:%d outside a test\n", file,
            line);
    abort();
}

/* dl_iterate_phdr's callback: the first object is the program itself. */
static int S_text_cb(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    (void)ctx;
    S_text.bias = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (!S_text.start || lo < S_text.start)
            S_text.start = lo;
        if (hi > S_text.end)
            S_text.end = hi;
    }
    return 1;
}

/* Returns the program counter where signal context uc was taken (*sp: the
 * stack pointer), or 0. */
static uintptr_t S_pc(const void *uc, uintptr_t *sp)
{
    const ucontext_t *u = uc;
#if defined(__x86_64__)
    *sp = (uintptr_t)u->uc_mcontext.gregs[REG_RSP];
    return (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    *sp = (uintptr_t)u->uc_mcontext.sp;
    return (uintptr_t)u->uc_mcontext.pc;
#else
    (void)u;
    *sp = 0;
    return 0;
#endif
}

/* Returns 1 if a, in the program's code, is where a call returns to: the
 * instruction before it is a call (x86-64: call rel32, or call through a
 * register or memory, ff /2; AArch64: bl or blr). */
static int S_after_call(uintptr_t a)
{
    if (a <= S_text.start + 8 || a > S_text.end)
        return 0;
    const unsigned char *p = (const unsigned char *)a;
#if defined(__x86_64__)
    if (p[-5] == 0xe8)
        return 1;
    for (int len = 2; len <= 7; len++)
        if (p[-len] == 0xff && (p[-len + 1] & 0x38) == 0x10)
            return 1;
    return 0;
#elif defined(__aarch64__)
    uint32_t insn;
    memcpy(&insn, p - 4, sizeof insn);
    return (insn & 0xfc000000u) == 0x94000000u ||
           (insn & 0xfffffc1fu) == 0xd63f0000u;
#else
    (void)p;
    return 0;
#endif
}

/* Writes a CRASH record: where in the program's own code the test was,
 * innermost first, as offsets into its file: the interrupted instruction
 * when it is the program's, then the return addresses found on the
 * stack, each one past its call. The stack is scanned word by word rather
 * than unwound: an unwinder would have to be loaded (libgcc_s, which makes
 * every fork of the program slower) or might take locks that a crash
 * left held. The scan reads words that are no object's (frames gone,
 * the redzones of a sanitizer's stack): AddressSanitizer is told not to
 * check it, and it reads the words itself rather than through memcpy,
 * which ASan checks wherever it is called. */
__attribute__((no_sanitize_address)) static void
S_crash_record(const void *uc)
{
    uintptr_t sp, pc = S_pc(uc, &sp);
    int64_t offs[GALLEY__CRASH_FRAMES];
    size_t k = 0;
    if (pc >= S_text.start && pc < S_text.end)
        offs[k++] = (int64_t)(pc - S_text.bias);
    uintptr_t end = sp + (256 << 10);
    if (end > S_stack.end)
        end = S_stack.end;
    /* The stack may have grown below where it began (deep recursion),
     * but all of it from sp up is mapped. Another thread's: no scan. */
    if (sp >= S_stack.end || S_stack.end - sp > (uintptr_t)1 << 30)
        end = sp;
    for (uintptr_t w = sp & ~(uintptr_t)7; w + 8 <= end &&
                                           k < GALLEY__CRASH_FRAMES;
         w += 8) {
        uintptr_t a = *(const volatile uintptr_t *)w;
        if (S_after_call(a))
            offs[k++] = (int64_t)(a - 1 - S_text.bias);
    }
    if (k == 0)
        return;
    char buf[sizeof(galley__mark) + sizeof offs];
    galley__mark m = {.line = (int32_t)k, .kind = GALLEY__MARK_CRASH};
    memcpy(buf, &m, sizeof m);
    memcpy(buf + sizeof m, offs, k * sizeof *offs);
    S_write_all(S_test.marks, buf, sizeof m + k * sizeof *offs);
}

/* Notes the top of the main thread's stack, from /proc/self/maps. */
static void S_find_stack(void)
{
    FILE *f = fopen("/proc/self/maps", "re");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
            (void)lo;
            S_stack.end = hi;
        }
    }
    if (f)
        fclose(f);
}

/* Flushes what the test printed, notes where a test crashed, then dies
 * of the same signal (the handler was reset to the default on entry).
 * fflush is not async-signal-safe: it is called anyway, because losing
 * the output of a crashing test is worse, and the process dies right
 * after; the output goes first, in case reading a broken stack faults
 * again. SIGTERM is a timeout: no crash. */
static void S_fatal(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    fflush(stdout);
    if (S_test.active && sig != SIGTERM)
        S_crash_record(uc);
    raise(sig);
}

/* Installs S_fatal for S_fatal_signals, on the alternate stack. */
static void S_install_handlers(void)
{
    stack_t ss = {.ss_sp = S_altstack, .ss_size = sizeof S_altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = S_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof S_fatal_signals / sizeof *S_fatal_signals;
         i++)
        sigaction(S_fatal_signals[i], &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In a process the test forks, markers are not the test's: flush only. */
static void S_atfork_child(void)
{
    S_test.active = 0;
}

void galley__child_setup(void)
{
    /* Line buffering, as on a terminal: printf output then lands in order
     * with write(1, ...) and the output of child processes. */
    setvbuf(stdout, S_stdout_buf, _IOLBF, sizeof S_stdout_buf);
    S_test.supervisor = getpid();
    dl_iterate_phdr(S_text_cb, NULL);
    S_find_stack();
    pthread_atfork(NULL, NULL, S_atfork_child);
    S_install_handlers();
}

/* Points stdin at /dev/null, stdout and stderr at the capture files;
 * with merge, stderr at stdout's, as 2>&1 does: one file opened for
 * appending, so both land in the order they were written. */
static void S_redirect(const galley__capture *c, int merge)
{
    if (c->null >= 0)
        dup2(c->null, 0);
    dup2(c->out, 1);
    dup2(merge ? c->out : c->err, 2);
}

void galley__child_close_fd(int fd)
{
    S_test.private_fd = fd;
}

void galley__run_on_device(const galley_test *t, unsigned device)
{
    const char *why = "built without CUDA"
                      " (cuda = on in galley.conf links it)";
    if (device == GALLEY_CPU && galley_set_default_device)
        galley_set_default_device(GALLEY_CPU);
    if (device != GALLEY_CUDA)
        return;
    /* Asked here, in the test's process, never in the supervisor: CUDA
     * once initialized does not survive a fork. */
    if (!galley_device_available || !galley_device_available(device, &why))
        galley_skip(t->file, t->line, why);
    galley_set_default_device(device);
}

size_t galley__device_held(const char **first_op)
{
    *first_op = NULL;
    /* Defined beside the device allocation code (tensor.c): linked
     * whenever a tensor can have been made. */
    return galley__device_leak ? galley__device_leak(first_op) : 0;
}

/* Writes a LEAK mark when the test that just returned left device
 * memory held. */
static void S_leak_mark(void)
{
    const char *op;
    size_t n = galley__device_held(&op);
    if (n == 0)
        return;
    size_t len = op ? strnlen(op, GALLEY__MARK_NAME_MAX) : 0;
    S_mark_with(GALLEY__MARK_LEAK, NULL, (int32_t)len, 0, (int64_t)n, op,
                len);
}

_Noreturn void galley__child_main(const galley_test *t,
                                  const galley__capture *c, unsigned device)
{
    setpgid(0, 0);
    if (S_test.private_fd >= 0)
        close(S_test.private_fd);
    /* Die with the supervisor (killed by the runner, or by ^C, which does
     * not reach this process group), unless it is already gone. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
        getppid() != S_test.supervisor)
        _exit(127);
    S_redirect(c, t->options.merge_stderr);
    S_test.marks = c->marks;
    S_test.out = c->out;
    S_test.last_file = NULL;
    /* A test's own .rtol/.atol hold until galley_tolerance; 0 and 0 leave
     * the tolerances to galley.conf. */
    S_test.tol = (galley__tol){t->options.rtol != 0 || t->options.atol != 0,
                               t->options.rtol, t->options.atol};
    S_test.written = (galley__tol){0, 0, 0};
    S_test.active = 1;
    if (device)
        galley__run_on_device(t, device);
    t->fn();
    fflush(NULL);
    /* Any test, not only a device run: device memory must be given back
     * by the end (galley_scope_end), as the issue asks of every test. */
    S_leak_mark();
    S_mark(GALLEY__MARK_DONE, NULL, 0, 0, 0);
    /* _exit: the supervisor's atexit handlers and stdio are not ours. */
    _exit(0);
}
