/* tensor_sim.c: the simulated device, "cuda (simulated)": a backend of
 * device GALLEY_CUDA whose memory is host memory that only the backend can
 * reach, so that CPU-only CI tests the device plumbing, the memory
 * accounting and which ops run on a device. Registered by
 * galley__backend_for when GALLEY_CUDA_SIM=1 and no real CUDA backend is.
 *
 * The pointer it hands out is disguised: XOR with S_KEY sets the top 16
 * bits, a non-canonical x86-64 address, so code that reads device data on
 * the host instead of through the backend crashes (SIGSEGV; ASan and
 * valgrind say where) rather than quietly working as on the CPU. Offsets
 * added to a disguised pointer (galley__ptr) carry nothing into those
 * bits, so undisguising the sum gives the real element address. Kernels
 * undisguise their tensors into temporary headers and run the CPU's. */
#include "tensor_internal.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define S_KEY ((uintptr_t)0xdead000000000000u)

static void *S_real(const void *p)
{
    return (void *)((uintptr_t)p ^ S_KEY);
}

static int S_usable(const char **why)
{
    (void)why;
    return 1;
}

static void S_upload(void *dst, const void *src, size_t n)
{
    memcpy(S_real(dst), src, n);
}

static void S_download(void *dst, const void *src, size_t n)
{
    memcpy(dst, S_real(src), n);
}

/* No cache: a freed block goes straight back to malloc, as the memory
 * count in tensor.c assumes. */
static void *S_alloc(size_t nbytes)
{
    return S_real(galley__rt_xrealloc(NULL, nbytes ? nbytes : 1));
}

static void S_free(void *p)
{
    if (p)
        free(S_real(p));
}

/* ---- kernels: the CPU's on undisguised copies of the headers ---- */

/* A tensor header and storage that point at the real memory. */
typedef struct S_host {
    galley_tensor t;
    galley__storage st;
} S_host;

/* Fills h[0..n) with in[0..n) undisguised (NULL entries stay unused).
 * Tensors that shared a storage share the copy of it, so that the CPU
 * kernels see the same aliasing. */
static void S_undisguise(int n, const galley_tensor *const *in, S_host *h)
{
    for (int i = 0; i < n; i++) {
        if (!in[i])
            continue;
        h[i].t = *in[i];
        h[i].st = *in[i]->st;
        h[i].st.data = S_real(in[i]->st->data);
        h[i].st.be = &galley__cpu_backend;
        h[i].t.st = &h[i].st;
        for (int j = 0; j < i; j++)
            if (in[j] && in[j]->st == in[i]->st)
                h[i].t.st = h[j].t.st;
    }
}

static void S_fill(galley_tensor *out, double value)
{
    S_host h[1];
    S_undisguise(1, (const galley_tensor *[]){out}, h);
    galley__cpu_backend.fill(&h[0].t, value);
}

static void S_copy(galley_tensor *out, const galley_tensor *a)
{
    S_host h[2];
    S_undisguise(2, (const galley_tensor *[]){out, a}, h);
    galley__cpu_backend.copy(&h[0].t, &h[1].t);
}

static void S_unary(galley__unop op, galley_tensor *out,
                    const galley_tensor *a, double arg)
{
    S_host h[2];
    S_undisguise(2, (const galley_tensor *[]){out, a}, h);
    galley__cpu_backend.unary(op, &h[0].t, &h[1].t, arg);
}

static void S_binary(galley__binop op, galley_tensor *out,
                     const galley_tensor *a, const galley_tensor *b)
{
    S_host h[3];
    S_undisguise(3, (const galley_tensor *[]){out, a, b}, h);
    galley__cpu_backend.binary(op, &h[0].t, &h[1].t, &h[2].t);
}

static void S_reduce(galley__redop op, galley_tensor *out,
                     const galley_tensor *a)
{
    S_host h[2];
    S_undisguise(2, (const galley_tensor *[]){out, a}, h);
    galley__cpu_backend.reduce(op, &h[0].t, &h[1].t);
}

static void S_argmax(galley_tensor *out, const galley_tensor *a, int axis)
{
    S_host h[2];
    S_undisguise(2, (const galley_tensor *[]){out, a}, h);
    galley__cpu_backend.argmax(&h[0].t, &h[1].t, axis);
}

static void S_gemm(galley_dtype dtype, int ta, int tb, long m, long n, long k,
                   const void *a, long lda, const void *b, long ldb,
                   double beta, void *c, long ldc)
{
    galley__cpu_backend.gemm(dtype, ta, tb, m, n, k, S_real(a), lda,
                             S_real(b), ldb, beta, S_real(c), ldc);
}

static void S_sub_scaled(galley_tensor *out, const galley_tensor *a, double c,
                         const galley_tensor *b)
{
    S_host h[3];
    S_undisguise(3, (const galley_tensor *[]){out, a, b}, h);
    galley__cpu_backend.sub_scaled(&h[0].t, &h[1].t, c, &h[2].t);
}

const galley__backend galley__sim_backend = {
    .name = "cuda (simulated)",
    .device = GALLEY_CUDA,
    .usable = S_usable,
    .upload = S_upload,
    .download = S_download,
    .alloc = S_alloc,
    .free = S_free,
    .fill = S_fill,
    .copy = S_copy,
    .unary = S_unary,
    .binary = S_binary,
    .reduce = S_reduce,
    .argmax = S_argmax,
    .gemm = S_gemm,
    .sub_scaled = S_sub_scaled,
};
