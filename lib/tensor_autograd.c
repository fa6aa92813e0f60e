/* tensor_autograd.c: reverse-mode autodiff over the graph that the ops
 * record (galley__record): parameters, gradients, backward, graph printing.
 * Each op's backward lives beside its forward (tensor_ops.c, tensor_nn.c). */
#include "tensor_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Grad mode is per thread, as torch's; stored negated so that zero (the
 * initial value) means on. */
static _Thread_local int S_grad_off;

/* Graph walks mark the tensors they reach with a number from a fresh block
 * of 2^32 (see S_walk); starting at one block keeps mark 0 of a new tensor
 * unvisited. Shared by all threads so that blocks never repeat. */
#define S_EPOCH_BLOCK ((uint64_t)1 << 32)
static uint64_t S_epoch = 0;

/* ---- small helpers ---- */

/* Whether input i of node is still the tensor that was recorded: alive, and
 * not a freed header reused for another tensor. */
static int S_input_alive(const galley_tensor *node, int i)
{
    const galley_tensor *in = node->in[i];
    return in && in->magic == GALLEY__LIVE && in->id == node->in_ids[i];
}

/* A fresh block of marks for one graph walk. */
static uint64_t S_new_epoch(void)
{
    return __atomic_add_fetch(&S_epoch, S_EPOCH_BLOCK, __ATOMIC_RELAXED);
}

/* ---- grad mode and recording (used by every op) ---- */

int galley_set_grad_enabled(int enabled)
{
    int was = !S_grad_off;
    S_grad_off = !enabled;
    return was;
}

/* Points out's input arrays at room for nin: its inline arrays, or one
 * block of three arrays (ids and versions first, for their alignment). */
static void S_inputs_alloc(galley_tensor *out, int nin)
{
    if (nin <= GALLEY__MAX_INPUTS) {
        out->in = out->in_inline;
        out->in_ids = out->in_ids_inline;
        out->in_versions = out->in_versions_inline;
        return;
    }
    size_t n = (size_t)nin;
    char *block = galley__rt_xrealloc(
        NULL, n * (sizeof *out->in_ids + sizeof *out->in_versions +
                   sizeof *out->in));
    out->in_ids = (uint64_t *)block;
    out->in_versions = (unsigned long *)(block + n * sizeof *out->in_ids);
    out->in = (galley_tensor **)(block + n * (sizeof *out->in_ids +
                                              sizeof *out->in_versions));
}

void galley__free_inputs(galley_tensor *t)
{
    if (t->in_ids && t->in_ids != t->in_ids_inline)
        free(t->in_ids);
    t->in = NULL;
    t->in_ids = NULL;
    t->in_versions = NULL;
    t->nin = 0;
}

void galley__move_inputs(galley_tensor *dst, galley_tensor *src)
{
    galley__free_inputs(dst);
    int n = src->nin;
    if (src->in_ids == src->in_ids_inline) {
        /* Inline: copied into dst's own arrays. */
        S_inputs_alloc(dst, n);
        for (int i = 0; i < n; i++) {
            dst->in[i] = src->in[i];
            dst->in_ids[i] = src->in_ids[i];
            dst->in_versions[i] = src->in_versions[i];
        }
    } else {
        dst->in = src->in;
        dst->in_ids = src->in_ids;
        dst->in_versions = src->in_versions;
    }
    dst->nin = n;
    src->in = NULL;
    src->in_ids = NULL;
    src->in_versions = NULL;
    src->nin = 0;
}

void galley__record(galley_tensor *out, const galley__opdef *op, int nin,
                    galley_tensor *const *in)
{
    if (S_grad_off)
        return;
    int any = 0;
    for (int i = 0; i < nin; i++)
        any |= in[i]->requires_grad;
    if (!any)
        return;
    galley__free_inputs(out);
    S_inputs_alloc(out, nin);
    out->requires_grad = 1;
    out->op = op;
    out->nin = nin;
    out->out_version = out->st->version;
    for (int i = 0; i < nin; i++) {
        out->in[i] = in[i];
        out->in_ids[i] = in[i]->id;
        out->in_versions[i] = in[i]->st->version;
    }
}

galley_tensor *galley__sum_to(galley_tensor *g, int ndim, const long *shape)
{
    if (galley__same_shape(g, ndim, shape))
        return g;
    const galley__backend *be = galley__backend_of(g);
    long kept[GALLEY_MAX_DIMS];
    int lead = g->ndim - ndim;
    galley_tensor *out;
    if (lead < 0) {
        /* Not a broadcast of shape, but the same elements with 1s added
         * (say [3] for [1, 3]): a contiguous copy reshaped. */
        out =
            galley__new_like(g, g->dtype, g->ndim, g->shape, "galley__sum_to");
        if (!out)
            return NULL;
        be->copy(out, g);
    } else {
        for (int i = 0; i < g->ndim; i++)
            kept[i] = i < lead || shape[i - lead] == 1 ? 1 : g->shape[i];
        out = galley__new_like(g, g->dtype, g->ndim, kept, "galley__sum_to");
        if (!out)
            return NULL;
        be->reduce(GALLEY__RSUM, out, g);
    }
    /* The reduce kernel kept the summed axes as 1s (or the copy has g's
     * axes): the same elements take the target shape in place. */
    galley__set_contiguous(out, ndim, shape);
    return out;
}

/* The first gradient of t, from s (t's shape; g's sum, or g itself):
 * without a copy where it can. A sum that sum_to made is taken over; the
 * gradient of an intermediate result (freed by backward as soon as its
 * own backward ran, never seen by the caller) shares g's elements, and
 * galley__accum_grad copies them before it adds into them. A parameter's
 * gradient, which the caller sees and zero_grad fills, is its own. */
static galley_tensor *S_first_grad(galley_tensor *t, galley_tensor *s,
                                   galley_tensor *g)
{
    int fits = s->dtype == t->dtype && galley_is_contiguous(s) &&
               galley__backend_of(s) == galley__backend_of(t);
    if (fits && s != g)
        return galley__disown(s);
    if (fits && !t->is_param) {
        galley_tensor c;
        galley__set_contiguous(&c, t->ndim, t->shape);
        return galley__disown(
            galley__view(s, t->ndim, t->shape, c.strides, s->offset));
    }
    galley_tensor *grad = galley__new_owned(t, t->dtype, t->ndim, t->shape);
    galley__backend_of(t)->copy(grad, s);
    return grad;
}

void galley__accum_grad(galley_tensor *t, galley_tensor *g)
{
    if (!t->requires_grad)
        return;
    galley_tensor *s = galley__sum_to(g, t->ndim, t->shape);
    if (!s)
        return;
    const galley__backend *be = galley__backend_of(t);
    galley_tensor *c = NULL;
    if (s->dtype != t->dtype) {
        /* g of a promoted op (float32 with float64 gives float64): the
         * gradient keeps t's dtype, as torch's. */
        c = galley__new_like(t, t->dtype, t->ndim, t->shape,
                             "galley__accum_grad");
        be->copy(c, s);
    }
    if (!t->grad) {
        t->grad = S_first_grad(t, s, g);
        if (t->grad == s)
            return;
    } else if (t->grad->st->refs > 1) {
        /* Shared with the gradient it came from: add into a copy. */
        galley_tensor *sum = galley__new_owned(t, t->dtype, t->ndim, t->shape);
        be->binary(GALLEY__ADD, sum, t->grad, c ? c : s);
        galley__free_owned(t->grad);
        t->grad = sum;
    } else {
        be->binary(GALLEY__ADD, t->grad, t->grad, c ? c : s);
    }
    galley_tensor_free(c);
    if (s != g)
        galley_tensor_free(s);
}

/* ---- parameters, gradients, names ---- */

galley_tensor *galley_param(galley_tensor *t)
{
    if (galley__check(t, "galley_param", "t") ||
        galley__check_float(t, "galley_param", "t"))
        return NULL;
    if (t->op) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error("galley_param",
                      "%s is the result of %s; only leaves can be "
                      "parameters (galley_detach makes a leaf of it)",
                      galley__desc(t, d), t->op->name);
        return NULL;
    }
    t->requires_grad = 1;
    t->is_param = 1;
    return t;
}

int galley_requires_grad(const galley_tensor *t)
{
    if (galley__check(t, "galley_requires_grad", "t"))
        return 0;
    return t->requires_grad;
}

galley_tensor *galley_grad(galley_tensor *t)
{
    if (galley__check(t, "galley_grad", "t"))
        return NULL;
    return t->grad;
}

void galley_zero_grad(galley_tensor *t)
{
    if (galley__check(t, "galley_zero_grad", "t"))
        return;
    if (t->grad)
        galley__backend_of(t->grad)->fill(t->grad, 0.0);
}

galley_tensor *galley_set_name(galley_tensor *t, const char *name)
{
    if (galley__check(t, "galley_set_name", "t"))
        return NULL;
    char *copy = name ? galley__rt_xstrndup(name, strlen(name)) : NULL;
    free(t->name);
    t->name = copy;
    return t;
}

/* ---- graph walks ---- */

/* The nodes of a graph in post-order (every input before its users, each
 * once), found without recursion so that long chains do not overflow the C
 * stack. */
typedef struct S_walk {
    galley_tensor **order;
    size_t n, cap;
    uint64_t epoch; /* visited nodes have mark >= epoch */
} S_walk;

typedef struct S_frame {
    galley_tensor *t;
    int next; /* the next input to visit */
} S_frame;

/* Whether the walk enters input i of node: live inputs, and with grad_only
 * only those gradients flow into. */
static int S_enters(const galley_tensor *node, int i, int grad_only,
                    uint64_t epoch)
{
    if (!S_input_alive(node, i))
        return 0;
    const galley_tensor *in = node->in[i];
    return in->mark < epoch && (!grad_only || in->requires_grad);
}

/* Appends t to the post-order and numbers it (mark = epoch + 1 + index). */
static void S_emit(S_walk *w, galley_tensor *t)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->order = galley__rt_xrealloc(w->order, w->cap * sizeof *w->order);
    }
    t->mark = w->epoch + 1 + w->n;
    w->order[w->n++] = t;
}

/* Walks the graph of root depth first into w (zeroed by the caller). With
 * grad_only the walk keeps to tensors that require grad. */
static void S_walk_graph(S_walk *w, galley_tensor *root, int grad_only)
{
    size_t sn = 0, scap = 64;
    S_frame *stack = galley__rt_xrealloc(NULL, scap * sizeof *stack);
    w->epoch = S_new_epoch();
    root->mark = w->epoch;
    stack[sn++] = (S_frame){root, 0};
    while (sn > 0) {
        S_frame *f = &stack[sn - 1];
        galley_tensor *t = f->t;
        if (f->next >= (t->op ? t->nin : 0)) {
            S_emit(w, t);
            sn--;
            continue;
        }
        int i = f->next++;
        if (!S_enters(t, i, grad_only, w->epoch))
            continue;
        if (sn == scap) {
            scap *= 2;
            stack = galley__rt_xrealloc(stack, scap * sizeof *stack);
        }
        t->in[i]->mark = w->epoch; /* entered, not yet numbered */
        stack[sn++] = (S_frame){t->in[i], 0};
    }
    free(stack);
}

/* ---- backward ---- */

/* Reports the first input of the graph's nodes that is gone or changed
 * since it was recorded; returns -1 then, else 0. */
static int S_check_inputs(const S_walk *w, const char *fn)
{
    for (size_t k = 0; k < w->n; k++) {
        const galley_tensor *node = w->order[k];
        if (!node->op)
            continue;
        if (node->st->version != node->out_version) {
            char d[GALLEY__SHAPE_STR_MAX + 8];
            galley__error(fn,
                          "the result of %s (%s) was modified in place "
                          "after it was computed, and its gradient may "
                          "depend on it; change a copy (galley_clone) or "
                          "compute the graph again",
                          node->op->name, galley__desc(node, d));
            return -1;
        }
        for (int i = 0; i < node->nin; i++) {
            char d[GALLEY__SHAPE_STR_MAX + 8];
            if (!S_input_alive(node, i)) {
                galley__error(fn,
                              "input %d of %s (%s) was freed before "
                              "backward; keep it alive (galley_tensor_keep) or "
                              "end the scope after backward",
                              i, node->op->name, galley__desc(node, d));
                return -1;
            }
            if (node->in[i]->st->version != node->in_versions[i]) {
                galley__error(fn,
                              "input %d of %s (%s) was modified in place "
                              "after it was used; change a copy "
                              "(galley_clone) or compute the graph again",
                              i, node->op->name, galley__desc(node, d));
                return -1;
            }
        }
    }
    return 0;
}

/* Runs the backward functions in reverse post-order, each in its own scope
 * so that its temporaries go as soon as it returns; the gradients of
 * intermediate tensors are freed once used (parameters keep theirs). */
static void S_run_backward(const S_walk *w)
{
    for (size_t k = w->n; k-- > 0;) {
        galley_tensor *node = w->order[k];
        if (node->op && node->grad) {
            /* What the backward makes with creation functions lives on
             * the node's device, beside its gradient. */
            galley_scope *s = galley_scope_begin();
            galley__device_begin(node->st->be->device);
            node->op->backward(node, node->grad);
            galley__device_end();
            galley_scope_end(s);
        }
        if (!node->is_param && node->grad) {
            galley__free_owned(node->grad);
            node->grad = NULL;
        }
    }
}

/* The backward of out seeded with grad (out's shape; its dtype or not). */
static void S_backward(galley_tensor *out, galley_tensor *grad, const char *fn)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    if (!out->requires_grad) {
        galley__error(fn,
                      "%s does not depend on any parameter; mark the "
                      "inputs with galley_param (and compute it with "
                      "grad mode on)",
                      galley__desc(out, d));
        return;
    }
    S_walk w = {0};
    S_walk_graph(&w, out, 1);
    if (S_check_inputs(&w, fn) == 0) {
        int was = galley_set_grad_enabled(0);
        galley_scope *s = galley_scope_begin();
        galley__accum_grad(out, grad);
        galley_scope_end(s);
        S_run_backward(&w);
        galley_set_grad_enabled(was);
    }
    free(w.order);
}

void galley_backward(galley_tensor *loss)
{
    if (galley__check(loss, "galley_backward", "loss"))
        return;
    if (loss->numel != 1) {
        char d[GALLEY__SHAPE_STR_MAX + 8];
        galley__error("galley_backward",
                      "%s is not a scalar; reduce it first (galley_sum_all, "
                      "galley_mean_all) or use galley_backward_with",
                      galley__desc(loss, d));
        return;
    }
    if (galley__check_float(loss, "galley_backward", "loss"))
        return;
    galley_scope *s = galley_scope_begin();
    galley_tensor *one = galley__new_like(loss, loss->dtype, loss->ndim,
                                          loss->shape, "galley_backward");
    galley__backend_of(one)->fill(one, 1.0);
    S_backward(loss, one, "galley_backward");
    galley_scope_end(s);
}

void galley_backward_with(galley_tensor *out, galley_tensor *grad)
{
    const char *fn = "galley_backward_with";
    if (galley__check(out, fn, "out") || galley__check(grad, fn, "grad") ||
        galley__check_devices(out, grad, fn, "out", "grad") ||
        galley__check_float(out, fn, "out") ||
        galley__check_float(grad, fn, "grad"))
        return;
    if (!galley__same_shape(grad, out->ndim, out->shape)) {
        char d1[GALLEY__SHAPE_STR_MAX + 8], d2[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(fn, "grad %s does not have the shape of out %s",
                      galley__desc(grad, d1), galley__desc(out, d2));
        return;
    }
    galley_scope *s = galley_scope_begin();
    galley_tensor *seed = grad;
    if (grad->dtype != out->dtype) {
        seed = galley__new_like(out, out->dtype, out->ndim, out->shape, fn);
        galley__backend_of(seed)->copy(seed, grad);
    }
    S_backward(out, seed, fn);
    galley_scope_end(s);
}

/* ---- graph printing ---- */

/* The number that the walk gave t. */
static unsigned long S_number(const S_walk *w, const galley_tensor *t)
{
    return (unsigned long)(t->mark - w->epoch - 1);
}

/* Prints name in double quotes, with C's escapes for a quote, a backslash
 * and control characters, so that every node stays one line. */
static void S_print_name(FILE *f, const char *name)
{
    fputs(" \"", f);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

/* Prints the line of node t. */
static void S_print_node(FILE *f, const S_walk *w, const galley_tensor *t)
{
    char d[GALLEY__SHAPE_STR_MAX + 8];
    fprintf(f, "%%%lu = ", S_number(w, t));
    if (!t->op) {
        fputs(t->is_param ? "param" : "const", f);
    } else {
        fprintf(f, "%s(", t->op->name);
        for (int i = 0; i < t->nin; i++) {
            if (i > 0)
                fputs(", ", f);
            if (S_input_alive(t, i))
                fprintf(f, "%%%lu", S_number(w, t->in[i]));
            else
                fputs("freed", f);
        }
        char args[256] = "";
        if (t->op->args)
            t->op->args(t, args, sizeof args);
        if (args[0])
            fprintf(f, "%s%s", t->nin > 0 ? ", " : "", args);
        fputc(')', f);
    }
    if (t->name)
        S_print_name(f, t->name);
    fprintf(f, " %s\n", galley__desc(t, d));
}

void galley_print_graph(FILE *f, galley_tensor *root)
{
    if (galley__check(root, "galley_print_graph", "root"))
        return;
    if (!f) {
        galley__error("galley_print_graph", "file is NULL");
        return;
    }
    S_walk w = {0};
    S_walk_graph(&w, root, 0);
    for (size_t k = 0; k < w.n; k++)
        S_print_node(f, &w, w.order[k]);
    free(w.order);
}
