/* tensor_optim.c: the optimizers, SGD (with momentum and weight decay) and
 * Adam, computing exactly what torch.optim.SGD and torch.optim.Adam do, with
 * the backend's kernels on whole tensors (no graph is recorded). */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef enum S_kind { S_SGD, S_ADAM } S_kind;

/* The state of one parameter, made at its first step: buf is SGD's
 * momentum buffer or Adam's first moment, buf2 Adam's second moment; tmp
 * and tmp2 are scratch of the parameter's shape; work is a contiguous copy
 * of a parameter that is not contiguous (the kernels write contiguous
 * tensors). All owned by the optimizer. */
typedef struct S_state {
    galley_tensor *buf, *buf2, *tmp, *tmp2, *work;
    long steps;
} S_state;

struct galley_optim {
    S_kind kind;
    int n;
    galley_tensor **params;
    S_state *state;
    galley_sgd_options sgd;
    galley_adam_options adam;
};

/* Checks the parameter list: live floating leaves marked as parameters. */
static int S_check_params(galley_tensor *const *params, int n, const char *fn)
{
    /* No %p in the messages: its text differs between C libraries. */
    if (n < 0) {
        galley__error(fn, "n is %d; it must be >= 0", n);
        return -1;
    }
    if (n > 0 && !params) {
        galley__error(fn, "params is NULL for %d parameters", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char what[32], d[GALLEY__SHAPE_STR_MAX + 8];
        snprintf(what, sizeof what, "params[%d]", i);
        if (galley__check(params[i], fn, what) ||
            galley__check_float(params[i], fn, what))
            return -1;
        if (!params[i]->is_param) {
            galley__error(fn, "%s %s is not a parameter; mark it with "
                          "galley_param", what, galley__desc(params[i], d));
            return -1;
        }
    }
    return 0;
}

/* A new optimizer of kind over a copy of params. */
static galley_optim *S_new(S_kind kind, galley_tensor *const *params, int n)
{
    galley_optim *o = galley__rt_xcalloc(1, sizeof *o);
    o->kind = kind;
    o->n = n;
    o->params = galley__rt_xcalloc((size_t)n, sizeof *o->params);
    if (n > 0)
        memcpy(o->params, params, (size_t)n * sizeof *params);
    o->state = galley__rt_xcalloc((size_t)n, sizeof *o->state);
    return o;
}

galley_optim *galley_sgd_new(galley_tensor *const *params, int n,
                             const galley_sgd_options *opts)
{
    const char *fn = "galley_sgd_new";
    if (S_check_params(params, n, fn))
        return NULL;
    galley_sgd_options options = opts ? *opts : (galley_sgd_options){0};
    if (!(options.lr > 0)) {
        galley__error(fn, "lr must be > 0 (it is %g)", options.lr);
        return NULL;
    }
    if (!(options.momentum >= 0) || !(options.weight_decay >= 0)) {
        galley__error(fn, "momentum %g and weight_decay %g must be >= 0",
                      options.momentum, options.weight_decay);
        return NULL;
    }
    galley_optim *o = S_new(S_SGD, params, n);
    o->sgd = options;
    return o;
}

galley_optim *galley_adam_new(galley_tensor *const *params, int n,
                              const galley_adam_options *options)
{
    const char *fn = "galley_adam_new";
    if (S_check_params(params, n, fn))
        return NULL;
    galley_adam_options a = options ? *options : (galley_adam_options){0};
    a.lr = a.lr ? a.lr : 1e-3;
    a.beta1 = a.beta1 ? a.beta1 : 0.9;
    a.beta2 = a.beta2 ? a.beta2 : 0.999;
    a.eps = a.eps ? a.eps : 1e-8;
    if (!(a.lr > 0) || !(a.eps > 0) || !(a.weight_decay >= 0) ||
        !(a.beta1 > 0 && a.beta1 < 1) || !(a.beta2 > 0 && a.beta2 < 1)) {
        galley__error(fn,
                      "bad options: lr %g and eps %g must be > 0, betas "
                      "%g and %g in (0, 1), weight_decay %g >= 0",
                      a.lr, a.eps, a.beta1, a.beta2, a.weight_decay);
        return NULL;
    }
    galley_optim *o = S_new(S_ADAM, params, n);
    o->adam = a;
    return o;
}

/* A zeroed tensor of p's dtype and shape, owned by the optimizer. */
static galley_tensor *S_like(const galley_tensor *p)
{
    galley_tensor *t = galley__new_owned(p->dtype, p->ndim, p->shape);
    galley__backend_of(t)->fill(t, 0.0);
    return t;
}

/* Makes the state of parameter i at its first step. */
static void S_init_state(galley_optim *o, int i)
{
    S_state *s = &o->state[i];
    galley_tensor *p = o->params[i];
    if (s->tmp)
        return;
    s->tmp = S_like(p);
    if (o->kind == S_ADAM) {
        s->buf = S_like(p);
        s->buf2 = S_like(p);
        s->tmp2 = S_like(p);
    } else if (o->sgd.momentum != 0) {
        s->buf = S_like(p);
    }
    if (!galley_is_contiguous(p))
        s->work = S_like(p);
}

/* g, or g + weight_decay * p into tmp when there is weight decay (both
 * optimizers add it to the gradient). */
static const galley_tensor *S_decayed(const galley__backend *be,
                                      galley_tensor *p, galley_tensor *g,
                                      galley_tensor *tmp, double wd)
{
    if (wd == 0)
        return g;
    be->unary(GALLEY__MUL_SCALAR, tmp, p, wd);
    be->binary(GALLEY__ADD, tmp, tmp, g);
    return tmp;
}

/* One SGD step of p (contiguous) with gradient g, as torch.optim.SGD:
 * d = g + wd p; buf = d at the first step, else momentum buf + d; then
 * p -= lr buf (or lr d without momentum). */
static void S_sgd_step(galley_optim *o, S_state *s, galley_tensor *p,
                       galley_tensor *g)
{
    const galley__backend *be = galley__backend_of(p);
    const galley_tensor *d = S_decayed(be, p, g, s->tmp, o->sgd.weight_decay);
    if (o->sgd.momentum != 0) {
        if (s->steps == 0) {
            be->copy(s->buf, d);
        } else {
            be->unary(GALLEY__MUL_SCALAR, s->buf, s->buf, o->sgd.momentum);
            be->binary(GALLEY__ADD, s->buf, s->buf, d);
        }
        d = s->buf;
    }
    be->sub_scaled(p, p, o->sgd.lr, d);
}

/* One Adam step of p (contiguous) with gradient g, in torch.optim.Adam's
 * order of operations: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). */
static void S_adam_step(galley_optim *o, S_state *s, galley_tensor *p,
                        galley_tensor *g)
{
    const galley__backend *be = galley__backend_of(p);
    const galley_adam_options *a = &o->adam;
    double t = (double)(s->steps + 1);
    double c1 = 1 - pow(a->beta1, t), c2 = 1 - pow(a->beta2, t);
    const galley_tensor *d = S_decayed(be, p, g, s->tmp, a->weight_decay);
    be->unary(GALLEY__MUL_SCALAR, s->buf, s->buf, a->beta1);
    be->unary(GALLEY__MUL_SCALAR, s->tmp2, d, 1 - a->beta1);
    be->binary(GALLEY__ADD, s->buf, s->buf, s->tmp2);
    be->unary(GALLEY__MUL_SCALAR, s->buf2, s->buf2, a->beta2);
    be->binary(GALLEY__MUL, s->tmp2, d, d);
    be->unary(GALLEY__MUL_SCALAR, s->tmp2, s->tmp2, 1 - a->beta2);
    be->binary(GALLEY__ADD, s->buf2, s->buf2, s->tmp2);
    /* d (maybe tmp) is not needed any more: tmp and tmp2 are free. */
    be->unary(GALLEY__SQRT, s->tmp2, s->buf2, 0);
    be->unary(GALLEY__MUL_SCALAR, s->tmp2, s->tmp2, 1 / sqrt(c2));
    be->unary(GALLEY__ADD_SCALAR, s->tmp2, s->tmp2, a->eps);
    be->binary(GALLEY__DIV, s->tmp, s->buf, s->tmp2);
    be->unary(GALLEY__MUL_SCALAR, s->tmp, s->tmp, a->lr / c1);
    be->binary(GALLEY__SUB, p, p, s->tmp);
}

/* Steps parameter i, through a contiguous copy when it is not contiguous. */
static void S_step_one(galley_optim *o, int i)
{
    galley_tensor *p = o->params[i];
    if (galley__check(p, "galley_optim_step", "a parameter") || !p->grad)
        return;
    S_init_state(o, i);
    S_state *s = &o->state[i];
    const galley__backend *be = galley__backend_of(p);
    galley_tensor *w = p;
    if (s->work) {
        be->copy(s->work, p);
        w = s->work;
    }
    if (o->kind == S_SGD)
        S_sgd_step(o, s, w, p->grad);
    else
        S_adam_step(o, s, w, p->grad);
    if (w != p)
        be->copy(p, w);
    s->steps++;
    /* As torch: a graph recorded before the step reports the change. */
    galley__bump_version(p);
}

void galley_optim_step(galley_optim *o)
{
    if (!o) {
        galley__error("galley_optim_step", "optimizer is NULL");
        return;
    }
    for (int i = 0; i < o->n; i++)
        S_step_one(o, i);
}

void galley_optim_zero_grad(galley_optim *o)
{
    if (!o) {
        galley__error("galley_optim_zero_grad", "optimizer is NULL");
        return;
    }
    for (int i = 0; i < o->n; i++)
        galley_zero_grad(o->params[i]);
}

void galley_optim_free(galley_optim *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->n; i++) {
        S_state *s = &o->state[i];
        galley_tensor *owned[] = {s->buf, s->buf2, s->tmp, s->tmp2, s->work};
        for (size_t k = 0; k < sizeof owned / sizeof *owned; k++)
            if (owned[k])
                galley__free_owned(owned[k]);
    }
    free(o->state);
    free(o->params);
    free(o);
}
