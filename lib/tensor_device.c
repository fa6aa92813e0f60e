/* tensor_device.c: devices: the registry of backends other than the CPU's
 * (a device library registers its own when it is loaded), the default
 * device new tensors are made on, and what a program can ask of devices.
 * Moving tensors between devices is galley_to_device's. */
#include "tensor_internal.h"


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

const galley__backend *galley__backend_for(galley_device d)
{
    if (d == GALLEY_CPU)
        return &galley__cpu_backend;
    int k = S_slot(d);
    return k >= 0 ? S_backends[k] : NULL;
}

int galley_device_available(galley_device device, const char **why)
{
    const char *reason = NULL;
    const galley__backend *be = galley__backend_for(device);
    int ok = 0;
    if (device != GALLEY_CPU && device != GALLEY_CUDA)
        reason = "not a device";
    else if (!be)
        reason = "built without CUDA";
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
