/* tensor_io.c: in-place arithmetic (with autodiff's rules for in-place
 * changes), .npy saving and loading, randint and randperm. */
#include "tensor_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- in-place arithmetic ----
 *
 * a OP= b is computed out of place by the public op, then written into a's
 * storage (cast to a's dtype), and the storage's version goes up, so that a
 * graph that saved a refuses backward. When the change takes part in
 * autodiff (grad mode on, a or b requiring grad), a's place in the graph
 * moves to a copy of its old value ("old", owned by a), and a becomes the
 * node OP(old, b), as torch rebases a tensor changed in place. */

/* An in-place op: the out-of-place op it is made of, with b or s. */
typedef struct S_inplace {
    const char *name;
    galley_tensor *(*binary)(galley_tensor *, galley_tensor *);
    galley_tensor *(*scalar)(galley_tensor *, double);
    galley_tensor *b;
    double s;
} S_inplace;

/* Whether grad mode is on (the setting is private to tensor_autograd.c;
 * setting it back at once reads it). */
static int S_grad_on(void)
{
    int on = galley_set_grad_enabled(0);
    galley_set_grad_enabled(on);
    return on;
}

/* The op applied to a; b is replaced by a when it was self (add_(a, a)),
 * which matters once a's identity moved to old. */
static galley_tensor *S_apply(const S_inplace *op, galley_tensor *a,
                              galley_tensor *self)
{
    if (!op->binary)
        return op->scalar(a, op->s);
    return op->binary(a, op->b == self ? a : op->b);
}

/* Moves the autodiff identity (the node: op, inputs, saved, arguments) of
 * src into dst; src becomes a leaf that requires no grad. */
static void S_move_node(galley_tensor *dst, galley_tensor *src)
{
    dst->requires_grad = src->requires_grad;
    dst->op = src->op;
    dst->nin = src->nin;
    memcpy(dst->in, src->in, sizeof dst->in);
    memcpy(dst->in_id, src->in_id, sizeof dst->in_id);
    memcpy(dst->in_version, src->in_version, sizeof dst->in_version);
    memcpy(dst->darg, src->darg, sizeof dst->darg);
    memcpy(dst->larg, src->larg, sizeof dst->larg);
    dst->saved = src->saved;
    src->requires_grad = 0;
    src->op = NULL;
    src->nin = 0;
    src->saved = NULL;
}

/* Checks what every in-place op needs: live operands, b broadcasting to
 * a's shape (a's shape cannot change in place). */
static int S_check_inplace(const S_inplace *op, galley_tensor *a)
{
    if (galley__check(a, op->name, "a") ||
        (op->binary && galley__check(op->b, op->name, "b")))
        return -1;
    if (!op->binary)
        return 0;
    int nd;
    long shape[GALLEY_MAX_DIMS];
    if (galley__broadcast(a, op->b, &nd, shape, op->name))
        return -1;
    if (!galley__same_shape(a, nd, shape)) {
        char da[GALLEY__SHAPE_STR_MAX + 8], db[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op->name, "b %s does not broadcast to a's shape (%s): "
                      "an in-place op cannot change a's shape",
                      galley__desc(op->b, db), galley__desc(a, da));
        return -1;
    }
    return 0;
}

/* Writes r (a's shape) into a, and marks the change; refused when r is
 * floating and a int64, as torch's "result type Float can't be cast to
 * the desired output type Long". */
static int S_write(const S_inplace *op, galley_tensor *a, galley_tensor *r)
{
    if (a->dtype == GALLEY_I64 && r->dtype != GALLEY_I64) {
        char da[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op->name, "the result is %s and cannot be written "
                      "into a %s; cast a with galley_tensor_to first",
                      galley_dtype_name(r->dtype), galley__desc(a, da));
        return -1;
    }
    galley__backend_of(a)->copy(a, r);
    galley__bump_version(a);
    return 0;
}

/* The refusals of torch: a parameter (a leaf that requires grad) changed
 * in place with grad mode on; and, galley's own, a tensor of the graph
 * whose storage is shared (a view or its base), whose other handles would
 * see the change without the graph knowing. */
static int S_check_graph(const S_inplace *op, galley_tensor *a)
{
    char da[GALLEY__SHAPE_STR_MAX + 8];
    if (a->is_param) {
        galley__error(op->name, "a %s is a parameter (a leaf that requires "
                      "grad) and grad mode is on: change it in place with "
                      "grad mode off (galley_set_grad_enabled(0)), as an "
                      "optimizer step does", galley__desc(a, da));
        return -1;
    }
    if (a->st->refs > 1) {
        galley__error(op->name, "a %s shares its storage with another tensor "
                      "(a view or its base) and takes part in autodiff; "
                      "change a copy (galley_clone) or use the out-of-place "
                      "op", galley__desc(a, da));
        return -1;
    }
    return 0;
}

/* a OP= b recorded in the graph: a's node moves to old (a copy of a's
 * values), a becomes the node OP(old, b) and owns old. */
static galley_tensor *S_inplace_recorded(const S_inplace *op, galley_tensor *a)
{
    galley_tensor *old = galley__new(a->dtype, a->ndim, a->shape, op->name);
    if (!old)
        return NULL;
    galley__backend_of(a)->copy(old, a);
    S_move_node(old, a);
    galley_tensor *r = S_apply(op, old, a);
    if (!r || S_write(op, a, r)) {
        S_move_node(a, old); /* as it was */
        galley_tensor_free(old);
        galley_tensor_free(r);
        return NULL;
    }
    S_move_node(a, r);
    galley_tensor_free(r);
    /* The ops used here keep no saved tensor, so the slot is free; were
     * one to, old would stay in the current scope instead. */
    if (!a->saved)
        a->saved = galley__disown(old);
    return a;
}

/* Runs op on a: checks, then in place with or without the graph. */
static galley_tensor *S_run(const S_inplace *op, galley_tensor *a)
{
    if (S_check_inplace(op, a))
        return NULL;
    int record = S_grad_on() &&
                 (a->requires_grad || (op->binary && op->b->requires_grad));
    if (!record) {
        int was = galley_set_grad_enabled(0);
        galley_tensor *r = S_apply(op, a, NULL);
        galley_set_grad_enabled(was);
        int bad = !r || S_write(op, a, r);
        galley_tensor_free(r);
        return bad ? NULL : a;
    }
    if (S_check_graph(op, a))
        return NULL;
    return S_inplace_recorded(op, a);
}

galley_tensor *galley_add_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_add_", .binary = galley_add,
                              .b = b}, a);
}

galley_tensor *galley_sub_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_sub_", .binary = galley_sub,
                              .b = b}, a);
}

galley_tensor *galley_mul_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_mul_", .binary = galley_mul,
                              .b = b}, a);
}

galley_tensor *galley_div_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_div_", .binary = galley_div,
                              .b = b}, a);
}

galley_tensor *galley_add_scalar_(galley_tensor *a, double s)
{
    return S_run(&(S_inplace){.name = "galley_add_scalar_",
                              .scalar = galley_add_scalar, .s = s}, a);
}

galley_tensor *galley_mul_scalar_(galley_tensor *a, double s)
{
    return S_run(&(S_inplace){.name = "galley_mul_scalar_",
                              .scalar = galley_mul_scalar, .s = s}, a);
}
