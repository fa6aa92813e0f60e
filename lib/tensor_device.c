/* tensor_device.c: devices: the registry of backends other than the CPU's
 * (a device library registers its own when it is loaded, the simulated
 * device registers lazily), the default device new tensors are made on,
 * moving tensors between devices (galley_to_device, recorded for
 * autodiff), the two-device check of every op, and the helpers of the ops
 * that stage through the host or refuse devices. */
#include "tensor_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"


/* The registered backends, by device bit (GALLEY_CUDA: 1). Written by
 * constructors before main, read after. */
static const galley__backend *S_backends[2];

/* The device new tensors are made on: process-wide, as torch's
 * set_default_device, so that a test body runs unchanged on each device
 * its .devices names. */
static galley_device S_default = GALLEY_CPU;

/* The slot of device d in S_backends, or -1 for the CPU and unknown
 * values. */
static int S_slot(galley_device d)
{
    return d == GALLEY_CUDA ? 1 : -1;
}

void galley__backend_register(const galley__backend *be)
{
    int k = be ? S_slot(be->device) : -1;
    if (k >= 0 && !S_backends[k])
        S_backends[k] = be;
}

/* GALLEY_CUDA_SIM=1 asks for the simulated device; the environment is
 * read once, when CUDA is first asked for, so that a test sets it (setenv,
 * or galley.conf's env) before its first device use. A real backend
 * registered from a constructor before main always wins. */
static void S_register_sim(void)
{
    static int checked;
    if (checked)
        return;
    checked = 1;
    const char *v = getenv("GALLEY_CUDA_SIM");
    if (v && strcmp(v, "1") == 0)
        galley__backend_register(&galley__sim_backend);
}

const galley__backend *galley__backend_for(galley_device d)
{
    if (d == GALLEY_CPU)
        return &galley__cpu_backend;
    int k = S_slot(d);
    if (k < 0)
        return NULL;
    if (!S_backends[k] && d == GALLEY_CUDA)
        S_register_sim();
    return S_backends[k];
}

int galley_device_available(galley_device device, const char **why)
{
    const char *reason = NULL;
    const galley__backend *be = galley__backend_for(device);
    int ok = 0;
    if (device != GALLEY_CPU && device != GALLEY_CUDA)
        reason = "not a device";
    else if (!be)
        reason = "built without CUDA"
                 " (cuda = on in galley.conf links it)";
    else
        ok = be->usable(&reason);
    if (why)
        *why = ok ? NULL : reason ? reason : "unusable";
    return ok;
}

galley_device galley_default_device(void)
{
    return S_default;
}

void galley_set_default_device(galley_device device)
{
    const char *why;
    if (!galley_device_available(device, &why)) {
        galley__error("galley_set_default_device", "%s: %s",
                      device == GALLEY_CUDA ? "cuda" : "device", why);
        return;
    }
    S_default = device;
}

galley_device galley_device_of(const galley_tensor *t)
{
    if (galley__check(t, "galley_device_of", "t") != 0)
        return GALLEY_CPU;
    return t->st->be->device;
}

/* ---- where new tensors go; names; checks ---- */

/* The devices pushed by galley__device_begin in this thread, innermost
 * last; new tensors are made on the innermost. Deeper nesting than the
 * array (not seen: backward passes do not nest) keeps the last device. */
enum { S_PUSH_MAX = 32 };
static _Thread_local galley_device S_pushed[S_PUSH_MAX];
static _Thread_local int S_npushed;

galley_device galley__make_device(void)
{
    if (S_npushed == 0)
        return S_default;
    return S_pushed[S_npushed <= S_PUSH_MAX ? S_npushed - 1 : S_PUSH_MAX - 1];
}

void galley__device_begin(galley_device d)
{
    if (S_npushed < S_PUSH_MAX)
        S_pushed[S_npushed] = d;
    S_npushed++;
}

void galley__device_end(void)
{
    S_npushed--;
}

void galley__host_begin(void)
{
    galley__device_begin(GALLEY_CPU);
}

void galley__host_end(void)
{
    galley__device_end();
}

const char *galley__device_name(galley_device d)
{
    return d == GALLEY_CUDA ? "cuda" : d == GALLEY_CPU ? "cpu" : "unknown";
}

int galley__check_devices(const galley_tensor *a, const galley_tensor *b,
                          const char *op, const char *an, const char *bn)
{
    galley_device da = a->st->be->device, db = b->st->be->device;
    if (da == db)
        return 0;
    galley__error(op, "%s is on %s, %s is on %s; move one with "
                  "galley_to_device", an, galley__device_name(da), bn,
                  galley__device_name(db));
    return -1;
}

int galley__check_host(const galley_tensor *t, const char *op,
                       const char *what)
{
    galley_device d = t->st->be->device;
    if (d == GALLEY_CPU)
        return 0;
    galley__error(op, "not available on %s; move %s to the CPU with "
                  "galley_to_device(%s, GALLEY_CPU)", galley__device_name(d),
                  what, what);
    return -1;
}

/* ---- moving ---- */

/* n bytes from src (on backend from) to dst (on backend to): directly when
 * one side is the host, else through a host buffer. */
static void S_transfer(const galley__backend *to, void *dst,
                       const galley__backend *from, const void *src,
                       size_t n)
{
    if (n == 0)
        return;
    if (from->device == GALLEY_CPU) {
        to->upload(dst, src, n);
    } else if (to->device == GALLEY_CPU) {
        from->download(dst, src, n);
    } else {
        void *buf = galley__rt_xrealloc(NULL, n);
        from->download(buf, src, n);
        to->upload(dst, buf, n);
        free(buf);
    }
}

/* An unrecorded contiguous copy of t on backend be, in the current
 * scope. */
static galley_tensor *S_move(const galley_tensor *t, const galley__backend *be,
                             const char *op)
{
    galley_tensor *c = (galley_tensor *)t;
    if (!galley_is_contiguous(t))
        c = galley__cast_new(t, t->dtype, op); /* on t's device */
    galley_tensor *out = galley__new_on(be, t->dtype, t->ndim, t->shape, op);
    if (out && c)
        S_transfer(be, galley__ptr(out), c->st->be, galley__ptr(c),
                   (size_t)t->numel * galley__elsize(t->dtype));
    if (c != t)
        galley_tensor_free(c);
    return out;
}

galley_tensor *galley__on_host(const galley_tensor *t)
{
    if (t->st->be->device == GALLEY_CPU)
        return (galley_tensor *)t;
    return S_move(t, &galley__cpu_backend, "galley__on_host");
}

galley_tensor *galley__follow(galley_tensor *t, const galley_tensor *like)
{
    if (!t || t->st->be == like->st->be)
        return t;
    /* Named after the op that made t (a staged op's result), for
     * galley__device_leak. */
    galley_tensor *out = S_move(t, like->st->be, t->st->op);
    galley_tensor_free(t);
    return out;
}

galley_tensor *galley__made(galley_tensor *t, const char *op)
{
    const galley__backend *be = galley__backend_for(galley__make_device());
    if (!t || t->st->be == be)
        return t;
    galley_tensor *out = S_move(t, be, op);
    galley_tensor_free(t);
    return out;
}

/* The gradient goes back to the input's device. */
static void S_to_device_backward(galley_tensor *out, galley_tensor *g)
{
    galley_tensor *a = out->in[0];
    GALLEY__BACKWARD_BEGIN;
    galley__accum_grad(a, S_move(g, a->st->be, "to_device (backward)"));
    GALLEY__BACKWARD_END;
}

static void S_to_device_args(const galley_tensor *out, char *buf, size_t n)
{
    snprintf(buf, n, "device=%s",
             galley__device_name(out->st->be->device));
}

static const galley__opdef S_to_device_def = {
    .name = "to_device",
    .backward = S_to_device_backward,
    .args = S_to_device_args,
};

galley_tensor *galley_to_device(galley_tensor *t, galley_device device)
{
    const char *why;
    if (galley__check(t, "galley_to_device", "t"))
        return NULL;
    if (!galley_device_available(device, &why)) {
        galley__error("galley_to_device", "%s: %s",
                      galley__device_name(device), why);
        return NULL;
    }
    if (t->st->be->device == device)
        return t;
    galley_tensor *out = S_move(t, galley__backend_for(device),
                                "galley_to_device");
    if (out)
        galley__record(out, &S_to_device_def, 1, &t);
    return out;
}
