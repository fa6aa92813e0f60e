/* tensor_optim.c: the optimizers, SGD (momentum, dampening, nesterov,
 * weight decay), Adam and AdamW, computing what torch.optim's do, with the
 * backend's kernels on whole tensors (no graph is recorded); the learning
 * rate and its schedules; gradient clipping by norm. */
#include "tensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef enum S_kind { S_SGD, S_ADAM, S_ADAMW } S_kind;

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

/* The checks of torch.optim.SGD, with lr > 0 (torch takes 0). */
static int S_check_sgd(const galley_sgd_options *o, const char *fn)
{
    if (!(o->lr > 0)) {
        galley__error(fn, "lr must be > 0 (it is %g)", o->lr);
        return -1;
    }
    if (!(o->momentum >= 0) || !(o->weight_decay >= 0)) {
        galley__error(fn, "momentum %g and weight_decay %g must be >= 0",
                      o->momentum, o->weight_decay);
        return -1;
    }
    if (o->dampening != o->dampening) {
        galley__error(fn, "dampening is nan");
        return -1;
    }
    if (o->nesterov && (o->momentum <= 0 || o->dampening != 0)) {
        galley__error(fn, "nesterov needs momentum > 0 and dampening 0 "
                      "(they are %g and %g)", o->momentum, o->dampening);
        return -1;
    }
    return 0;
}

galley_optim *galley_sgd_new(galley_tensor *const *params, int n,
                             const galley_sgd_options *opts)
{
    const char *fn = "galley_sgd_new";
    if (S_check_params(params, n, fn))
        return NULL;
    galley_sgd_options options = opts ? *opts : (galley_sgd_options){0};
    if (S_check_sgd(&options, fn))
        return NULL;
    galley_optim *o = S_new(S_SGD, params, n);
    o->sgd = options;
    return o;
}

/* Checks Adam's or AdamW's options (type names their struct): the
 * version, then torch's ranges, with lr > 0 (torch takes 0). */
static int S_check_adam(const galley_adam_options *a, const char *fn,
                        const char *type)
{
    if (galley__check_version(a->version, fn, type))
        return -1;
    const char *bad = !(a->lr > 0)                        ? "lr must be > 0"
                      : !(a->beta1 >= 0 && a->beta1 < 1) ? "beta1 must be in [0, 1)"
                      : !(a->beta2 >= 0 && a->beta2 < 1) ? "beta2 must be in [0, 1)"
                      : !(a->eps >= 0)                    ? "eps must be >= 0"
                      : !(a->weight_decay >= 0) ? "weight_decay must be >= 0"
                                                : NULL;
    if (bad) {
        galley__error(fn, "%s (lr %g, beta1 %g, beta2 %g, eps %g, "
                      "weight_decay %g)", bad, a->lr, a->beta1, a->beta2,
                      a->eps, a->weight_decay);
        return -1;
    }
    return 0;
}

galley_optim *galley_adam_new(galley_tensor *const *params, int n,
                              const galley_adam_options *options)
{
    const char *fn = "galley_adam_new";
    galley_adam_options a = GALLEY_ADAM_OPTIONS_INIT;
    if (options)
        a = *options;
    if (S_check_params(params, n, fn) ||
        S_check_adam(&a, fn, "galley_adam_options"))
        return NULL;
    galley_optim *o = S_new(S_ADAM, params, n);
    o->adam = a;
    return o;
}

galley_optim *galley_adamw_new(galley_tensor *const *params, int n,
                               const galley_adamw_options *options)
{
    const char *fn = "galley_adamw_new";
    galley_adamw_options w = GALLEY_ADAMW_OPTIONS_INIT;
    if (options)
        w = *options;
    galley_adam_options a = {.version = w.version, .lr = w.lr,
                             .beta1 = w.beta1, .beta2 = w.beta2,
                             .eps = w.eps, .weight_decay = w.weight_decay};
    if (S_check_params(params, n, fn) ||
        S_check_adam(&a, fn, "galley_adamw_options"))
        return NULL;
    galley_optim *o = S_new(S_ADAMW, params, n);
    o->adam = a;
    return o;
}

/* A zeroed tensor of p's dtype and shape, owned by the optimizer. */
static galley_tensor *S_like(const galley_tensor *p)
{
    galley_tensor *t = galley__new_owned(p, p->dtype, p->ndim, p->shape);
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
    if (o->kind != S_SGD) {
        s->buf = S_like(p);
        s->buf2 = S_like(p);
        s->tmp2 = S_like(p);
    } else if (o->sgd.momentum != 0) {
        s->buf = S_like(p);
        if (o->sgd.dampening != 0 || o->sgd.nesterov)
            s->tmp2 = S_like(p);
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
 * d = g + wd p; buf = d at the first step, else momentum buf + (1 -
 * dampening) d; d = buf, or d + momentum buf with nesterov; p -= lr d. */
static void S_sgd_step(galley_optim *o, S_state *s, galley_tensor *p,
                       galley_tensor *g)
{
    const galley__backend *be = galley__backend_of(p);
    const galley_sgd_options *c = &o->sgd;
    const galley_tensor *d = S_decayed(be, p, g, s->tmp, c->weight_decay);
    if (c->momentum != 0) {
        if (s->steps == 0) {
            be->copy(s->buf, d);
        } else if (c->dampening == 0) {
            be->unary(GALLEY__MUL_SCALAR, s->buf, s->buf, c->momentum);
            be->binary(GALLEY__ADD, s->buf, s->buf, d);
        } else {
            be->unary(GALLEY__MUL_SCALAR, s->buf, s->buf, c->momentum);
            be->unary(GALLEY__MUL_SCALAR, s->tmp2, d, 1 - c->dampening);
            be->binary(GALLEY__ADD, s->buf, s->buf, s->tmp2);
        }
        if (c->nesterov) {
            be->unary(GALLEY__MUL_SCALAR, s->tmp2, s->buf, c->momentum);
            be->binary(GALLEY__ADD, s->tmp2, s->tmp2, d);
            d = s->tmp2;
        } else {
            d = s->buf;
        }
    }
    be->sub_scaled(p, p, c->lr, d);
}

/* One Adam step of p (contiguous) with gradient g, in torch.optim.Adam's
 * order of operations: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). Adam adds
 * wd p to g first; AdamW instead multiplies p by 1 - lr wd (as
 * torch.optim.AdamW). */
static void S_adam_step(galley_optim *o, S_state *s, galley_tensor *p,
                        galley_tensor *g)
{
    const galley__backend *be = galley__backend_of(p);
    const galley_adam_options *a = &o->adam;
    double t = (double)(s->steps + 1);
    double c1 = 1 - pow(a->beta1, t), c2 = 1 - pow(a->beta2, t);
    double wd = o->kind == S_ADAM ? a->weight_decay : 0;
    if (o->kind == S_ADAMW && a->weight_decay != 0)
        be->unary(GALLEY__MUL_SCALAR, p, p, 1 - a->lr * a->weight_decay);
    const galley_tensor *d = S_decayed(be, p, g, s->tmp, wd);
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

/* ---- learning rate ---- */

void galley_optim_set_lr(galley_optim *o, double lr)
{
    const char *fn = "galley_optim_set_lr";
    if (!o) {
        galley__error(fn, "optimizer is NULL");
        return;
    }
    if (!(lr >= 0) || isinf(lr)) {
        galley__error(fn, "lr must be finite and >= 0 (it is %g)", lr);
        return;
    }
    if (o->kind == S_SGD)
        o->sgd.lr = lr;
    else
        o->adam.lr = lr;
}

double galley_optim_get_lr(const galley_optim *o)
{
    if (!o) {
        galley__error("galley_optim_get_lr", "optimizer is NULL");
        return NAN;
    }
    return o->kind == S_SGD ? o->sgd.lr : o->adam.lr;
}

double galley_lr_step(double base, long epoch, long step_size, double gamma)
{
    if (step_size < 1 || epoch < 0) {
        galley__error("galley_lr_step", "step_size %ld must be >= 1 and "
                      "epoch %ld >= 0", step_size, epoch);
        return NAN;
    }
    return base * pow(gamma, (double)(epoch / step_size));
}

double galley_lr_cosine(double base, long epoch, long t_max, double eta_min)
{
    if (t_max < 1 || epoch < 0) {
        galley__error("galley_lr_cosine", "t_max %ld must be >= 1 and "
                      "epoch %ld >= 0", t_max, epoch);
        return NAN;
    }
    /* Past t_max the cosine climbs again, as torch's closed form does. */
    return eta_min + (base - eta_min) *
                         (1 + cos(M_PI * (double)epoch / (double)t_max)) / 2;
}

/* ---- gradient clipping ---- */

/* The sum of the squares of g's elements, in double. */
static double S_sum_squares(const galley_tensor *g)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *g64 = galley__new_like(g, GALLEY_F64, g->ndim, g->shape,
                                     "galley_clip_grad_norm");
    galley__backend_of(g64)->copy(g64, g);
    galley_tensor *sq = galley__binary_new(GALLEY__MUL, g64, g64,
                                           "galley_clip_grad_norm");
    galley_tensor *sum = galley__reduce_new(GALLEY__RSUM, sq, -1, 0,
                                            "galley_clip_grad_norm");
    double v = galley_item(sum); /* a download on a device */
    galley_scope_end(s);
    return v;
}

double galley_clip_grad_norm(galley_tensor *const *params, int n,
                             double max_norm)
{
    const char *fn = "galley_clip_grad_norm";
    if (S_check_params(params, n, fn))
        return NAN;
    if (!(max_norm >= 0)) {
        galley__error(fn, "max_norm must be >= 0 (it is %g)", max_norm);
        return NAN;
    }
    double total = 0;
    for (int i = 0; i < n; i++)
        if (params[i]->grad)
            total += S_sum_squares(params[i]->grad);
    total = sqrt(total);
    double coef = max_norm / (total + 1e-6);
    if (coef >= 1) /* torch multiplies by the clamped 1: no change */
        return total;
    for (int i = 0; i < n; i++) {
        galley_tensor *g = params[i]->grad;
        if (g) {
            galley__backend_of(g)->unary(GALLEY__MUL_SCALAR, g, g, coef);
            galley__bump_version(g);
        }
    }
    return total;
}
