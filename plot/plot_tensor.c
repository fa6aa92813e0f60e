/* plot/plot_tensor.c: line series and heatmaps from tensors of galley/tensor.h.
 * The tensors are kept by reference and read, through a function given to
 * the series, when the plot is drawn; plot.c itself never calls the tensor
 * library, so that the galley command can link it without. */
#include "plot_internal.h"

#include <galley/tensor.h>

/* Reads count elements of tensor src (1-d or 2-d, any strides) from flat
 * row-major index start. */
static void S_read(const void *src, size_t start, size_t count, double *out)
{
    const galley_tensor *t = src;
    if (galley_ndim(t) == 1) {
        for (size_t i = 0; i < count; i++) {
            long idx = (long)(start + i);
            out[i] = galley_tensor_get(t, 1, &idx);
        }
        return;
    }
    size_t cols = (size_t)galley_shape(t)[1];
    long idx[2] = {(long)(start / cols), (long)(start % cols)};
    for (size_t i = 0; i < count; i++) {
        out[i] = galley_tensor_get(t, 2, idx);
        if ((size_t)++idx[1] == cols) {
            idx[1] = 0;
            idx[0]++;
        }
    }
}

/* 0 when t is a float tensor of ndim dimensions; else prints why not,
 * naming it (what: the function, name: the argument), and returns -1. */
static int S_check(const galley_tensor *t, int ndim, const char *what,
                   const char *name)
{
    if (!t) {
        galley__plot_error("%s: %s is NULL", what, name);
        return -1;
    }
    galley_dtype d = galley_dtype_of(t);
    if (d != GALLEY_F32 && d != GALLEY_F64) {
        galley__plot_error("%s: %s is %s; plots take float32 or float64 "
                           "(convert with galley_tensor_to)", what, name,
                           galley_dtype_name(d));
        return -1;
    }
    if (galley_ndim(t) != ndim) {
        galley__plot_error("%s: %s has %d dimension%s; it needs %d", what,
                           name, galley_ndim(t),
                           galley_ndim(t) == 1 ? "" : "s", ndim);
        return -1;
    }
    return 0;
}

int galley_plot_line_tensor(galley_plot *p, const galley_tensor *x,
                            const galley_tensor *y, const char *label)
{
    const char *what = "galley_plot_line_tensor";
    if (S_check(y, 1, what, "y") || (x && S_check(x, 1, what, "x")))
        return -1;
    long n = galley_numel(y);
    if (x && galley_numel(x) != n) {
        galley__plot_error("%s: x has %ld elements and y %ld", what,
                           galley_numel(x), n);
        return -1;
    }
    galley__plot_series s = {.style = GALLEY__STYLE_LINE, .xsrc = x,
                             .ysrc = y, .read = S_read, .n = (size_t)n};
    s.label = (char *)label; /* copied by galley__plot_add */
    return galley__plot_add(p, &s, what);
}

int galley_plot_heatmap_tensor(galley_plot *p, const galley_tensor *z)
{
    const char *what = "galley_plot_heatmap_tensor";
    if (S_check(z, 2, what, "z"))
        return -1;
    const long *shape = galley_shape(z);
    galley__plot_series s = {.style = GALLEY__STYLE_HEATMAP, .ysrc = z,
                             .read = S_read, .n = (size_t)galley_numel(z),
                             .rows = (size_t)shape[0],
                             .cols = (size_t)shape[1]};
    return galley__plot_add(p, &s, what);
}
