/* tensor_core_test.c: the memory model of galley's tensors (scopes, keep,
 * free, free_all, live counts, views sharing storage, use after free), a
 * training loop that must run in flat memory, and the default random
 * generator, tested with galley. Each test runs in a fresh process, so the
 * live counts start from zero. */
#include "tensor_check.h"
#include <math.h>
#include <stdio.h>

/* ---- helpers ---- */

/* Prints the live counts after what. */
static void live(const char *what)
{
    printf("%s: %zu tensors, %zu bytes\n", what, galley_live_tensors(),
           galley_live_bytes());
}

/* Prints the elements of a 1-d tensor on one line. */
static void show1(const char *what, const galley_tensor *t)
{
    printf("%s:", what);
    for (long i = 0; i < galley_numel(t); i++)
        printf(" %g", galley_tensor_get(t, GALLEY_AT(i)));
    printf("\n");
}

/* ---- scopes ---- */

TEST(scope_end_frees_what_was_made_inside)
{
    live("start");
    galley_tensor *a = galley_zeros(GALLEY_F32, GALLEY_SHAPE(4)); /* 16 B */
    galley_scope *s1 = galley_scope_begin();
    galley_tensor *b = galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 3)); /* 48 B */
    galley_scope *s2 = galley_scope_begin();
    galley_tensor *c = galley_add(b, b);                     /* 48 B */
    galley_tensor *d = galley_scalar(GALLEY_I64, 7);        /* 8 B */
    live("inside both");
    galley_scope_end(s2);
    live("after the inner end");
    galley_scope_end(s1);
    live("after the outer end");
    galley_tensor_on_error(on_error, NULL);
    printf("a %g\n", galley_item(galley_sum_all(a)));
    printf("b %ld\n", galley_numel(b));
    printf("c %g\n", galley_item(c));
    printf("d %g\n", galley_item(d));
    EXPECT(/*
      start: 0 tensors, 0 bytes
      inside both: 4 tensors, 120 bytes
      after the inner end: 2 tensors, 64 bytes
      after the outer end: 1 tensors, 16 bytes
      a 0
      error: galley_numel: input t was freed (by galley_tensor_free or the end of its scope)
      b -1
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
      c nan
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
      d nan
    */);
}

TEST(scopes_nest_and_free_in_order)
{
    /* Ops in an inner scope may use tensors of the outer ones. */
    galley_tensor *x = galley_arange(GALLEY_F64, 0, 4, 1);
    for (int i = 0; i < 3; i++) {
        galley_scope *s = galley_scope_begin();
        galley_tensor *y = galley_mul_scalar(x, i + 1);
        galley_scope *inner = galley_scope_begin();
        printf("step %d: sum %g, ", i, galley_item(galley_sum_all(y)));
        galley_scope_end(inner);
        live("live");
        galley_scope_end(s);
    }
    live("after the loop");
    EXPECT(/*
      step 0: sum 6, live: 2 tensors, 64 bytes
      step 1: sum 12, live: 2 tensors, 64 bytes
      step 2: sum 18, live: 2 tensors, 64 bytes
      after the loop: 1 tensors, 32 bytes
    */);
}

TEST(keep_moves_one_tensor_out)
{
    galley_scope *s1 = galley_scope_begin();
    galley_scope *s2 = galley_scope_begin();
    galley_tensor *kept = galley_arange(GALLEY_F64, 0, 3, 1);
    galley_tensor *other = galley_ones(GALLEY_F64, GALLEY_SHAPE(3));
    printf("keep returns t: %d\n", galley_tensor_keep(kept) == kept);
    galley_scope_end(s2);
    live("after the inner end");
    show1("kept", kept);
    galley_tensor_on_error(on_error, NULL);
    galley_item(other);
    galley_scope_end(s1);
    live("after the outer end");
    galley_item(kept);
    EXPECT(/*
      keep returns t: 1
      after the inner end: 1 tensors, 24 bytes
      kept: 0 1 2
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
      after the outer end: 0 tensors, 0 bytes
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
    */);
}

TEST(keep_twice_reaches_the_root)
{
    galley_scope *s1 = galley_scope_begin();
    galley_scope *s2 = galley_scope_begin();
    galley_tensor *t = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_tensor_keep(galley_tensor_keep(t));
    galley_scope_end(s2);
    galley_scope_end(s1);
    live("both ended");
    /* In the root scope keep changes nothing. */
    printf("root keep returns t: %d\n", galley_tensor_keep(t) == t);
    show1("t", t);
    EXPECT(/*
      both ended: 1 tensors, 8 bytes
      root keep returns t: 1
      t: 1 1
    */);
}

TEST(ending_a_scope_that_is_not_innermost_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_scope *s1 = galley_scope_begin();
    galley_tensor *a = galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_scope *s2 = galley_scope_begin();
    galley_ones(GALLEY_F32, GALLEY_SHAPE(2));
    galley_scope_end(s1);
    live("nothing freed");
    galley_scope_end(s2);
    galley_scope_end(s1);
    live("both ended");
    galley_scope_end(s1);
    galley_scope_end(NULL);
    galley_item(a);
    EXPECT(/*
      error: galley_scope_end: scope is not the innermost open scope; end the scopes opened inside it first
      nothing freed: 2 tensors, 16 bytes
      both ended: 0 tensors, 0 bytes
      error: galley_scope_end: scope is not open (ended already?)
      error: galley_scope_end: scope is NULL
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
    */);
}

/* ---- free, free_all, counts ---- */

TEST(free_frees_one_tensor)
{
    galley_tensor *a = galley_ones(GALLEY_F64, GALLEY_SHAPE(4));
    galley_tensor *b = galley_ones(GALLEY_F32, GALLEY_SHAPE(4));
    live("two");
    galley_tensor_free(a);
    live("after free(a)");
    galley_tensor_free(NULL);
    live("after free(NULL)");
    galley_tensor_on_error(on_error, NULL);
    galley_tensor_free(a);
    show1("b", b);
    EXPECT(/*
      two: 2 tensors, 48 bytes
      after free(a): 1 tensors, 16 bytes
      after free(NULL): 1 tensors, 16 bytes
      error: galley_tensor_free: input t was freed (by galley_tensor_free or the end of its scope)
      b: 1 1 1 1
    */);
}

TEST(free_in_an_inner_scope_of_an_outer_tensor)
{
    galley_tensor *a = galley_ones(GALLEY_F64, GALLEY_SHAPE(4));
    galley_scope *s = galley_scope_begin();
    galley_tensor_free(a);
    live("freed from inside");
    galley_scope_end(s);
    live("scope ended");
    EXPECT(/*
      freed from inside: 0 tensors, 0 bytes
      scope ended: 0 tensors, 0 bytes
    */);
}

TEST(free_all_frees_every_scope)
{
    galley_ones(GALLEY_F64, GALLEY_SHAPE(4));
    galley_scope *s1 = galley_scope_begin();
    galley_ones(GALLEY_F64, GALLEY_SHAPE(4));
    galley_scope_begin();
    galley_tensor *p = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(4)));
    galley_backward(galley_sum_all(p));
    live("before");
    galley_tensor_free_all();
    live("after free_all");
    galley_tensor_on_error(on_error, NULL);
    galley_scope_end(s1);
    /* Everything works as before afterwards. */
    galley_scope *s = galley_scope_begin();
    show1("new", galley_arange(GALLEY_F32, 0, 3, 1));
    galley_scope_end(s);
    live("end");
    galley_tensor_free_all();
    EXPECT(/*
      before: 5 tensors, 136 bytes
      after free_all: 0 tensors, 0 bytes
      error: galley_scope_end: scope is not open (ended already?)
      new: 0 1 2
      end: 0 tensors, 0 bytes
    */);
}

TEST(free_frees_the_gradient_too)
{
    galley_tensor *p = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(4)));
    galley_scope *s = galley_scope_begin();
    galley_backward(galley_sum_all(galley_mul(p, p)));
    galley_scope_end(s);
    live("param and gradient");
    galley_tensor_free(p);
    live("after free(p)");
    EXPECT(/*
      param and gradient: 2 tensors, 64 bytes
      after free(p): 0 tensors, 0 bytes
    */);
}

TEST(free_of_a_gradient_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *p = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_backward(galley_sum_all(p));
    galley_tensor *g = galley_grad(p);
    galley_tensor_free(g);
    printf("keep: %s\n", galley_tensor_keep(g) ? "t" : "NULL");
    show1("grad still there", galley_grad(p));
    EXPECT(/*
      error: galley_tensor_free: t is owned by another tensor (a gradient) or by an optimizer, which frees it
      error: galley_tensor_keep: t is owned by another tensor (a gradient) or by an optimizer
      keep: NULL
      grad still there: 1 1
    */);
}

TEST(use_of_a_freed_tensor_reports_was_freed)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *x = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    galley_tensor *y = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    galley_tensor_free(x);
    printf("add: %s\n", galley_add(y, x) ? "made" : "NULL");
    printf("item: %g\n", galley_item(x));
    printf("numel: %ld\n", galley_numel(x));
    printf("shape: %s\n", galley_shape(x) ? "set" : "NULL");
    printf("grad: %s\n", galley_grad(x) ? "set" : "NULL");
    galley_tensor_set(x, GALLEY_AT(0), 1);
    galley_tensor_print(x);
    galley_param(x);
    EXPECT(/*
      error: galley_add: input b was freed (by galley_tensor_free or the end of its scope)
      add: NULL
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
      item: nan
      error: galley_numel: input t was freed (by galley_tensor_free or the end of its scope)
      numel: -1
      error: galley_shape: input t was freed (by galley_tensor_free or the end of its scope)
      shape: NULL
      error: galley_grad: input t was freed (by galley_tensor_free or the end of its scope)
      grad: NULL
      error: galley_tensor_set: input t was freed (by galley_tensor_free or the end of its scope)
      error: galley_tensor_print: input t was freed (by galley_tensor_free or the end of its scope)
      error: galley_param: input t was freed (by galley_tensor_free or the end of its scope)
    */);
}

TEST(use_after_scope_end_is_caught_after_many_frees)
{
    /* The header of a freed tensor is not reused at once: it stays DEAD
     * while many other tensors come and go. */
    galley_tensor_on_error(on_error, NULL);
    galley_scope *s = galley_scope_begin();
    galley_tensor *x = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    galley_scope_end(s);
    for (int i = 0; i < 200; i++)
        galley_tensor_free(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_item(x);
    EXPECT(/*
      error: galley_item: input t was freed (by galley_tensor_free or the end of its scope)
    */);
}

/* ---- views and storage ---- */

TEST(views_keep_storage_alive_after_their_base_is_freed)
{
    galley_tensor *base = galley_arange(GALLEY_F64, 0, 6, 1); /* 48 B */
    galley_tensor *v = galley_slice(base, 0, 2, 5, 1);
    live("base and view");
    galley_tensor_free(base);
    live("view alone");
    show1("view", v);
    galley_tensor_free(v);
    live("none");
    EXPECT(/*
      base and view: 2 tensors, 48 bytes
      view alone: 1 tensors, 48 bytes
      view: 2 3 4
      none: 0 tensors, 0 bytes
    */);
}

TEST(views_of_a_scope_keep_storage_of_an_outer_base)
{
    galley_scope *s = galley_scope_begin();
    galley_tensor *base = galley_arange(GALLEY_F32, 0, 4, 1); /* 16 B */
    galley_tensor *t = galley_tensor_keep(galley_transpose(
        galley_reshape(base, GALLEY_SHAPE(2, 2)), 0, 1));
    galley_scope_end(s);
    live("kept view");
    printf("t[0][1] = %g\n", galley_tensor_get(t, GALLEY_AT(0, 1)));
    EXPECT(/*
      kept view: 1 tensors, 16 bytes
      t[0][1] = 2
    */);
}

TEST(shared_storage_is_counted_once)
{
    galley_tensor *a = galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 3)); /* 48 B */
    galley_transpose(a, 0, 1);
    galley_reshape(a, GALLEY_SHAPE(3, 2));
    galley_select(a, 0, 1);
    galley_slice(a, 1, 0, 3, 2);
    galley_detach(a);
    galley_contiguous(a);
    live("a and six views");
    galley_clone(a);
    live("and a clone");
    EXPECT(/*
      a and six views: 7 tensors, 48 bytes
      and a clone: 8 tensors, 96 bytes
    */);
}

/* ---- a training loop in flat memory ---- */

/* XOR, for a 2-8-1 network. */
static const float XS[] = {0, 0, 0, 1, 1, 0, 1, 1};
static const float YS[] = {0, 1, 1, 0};

/* The network's output for x [4, 2]: tanh(x w1 + b1) w2 + b2, [4, 1]. */
static galley_tensor *mlp(galley_tensor *const *p, galley_tensor *x)
{
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(x, p[0]), p[1]));
    return galley_add(galley_matmul(h, p[2]), p[3]);
}

TEST(training_loop_of_10000_steps_runs_in_flat_memory)
{
    galley_manual_seed(1);
    galley_tensor *p[4] = {
        galley_mul_scalar(galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(2, 8)),
                          0.5),
        galley_zeros(GALLEY_F32, GALLEY_SHAPE(8)),
        galley_mul_scalar(galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(8, 1)),
                          0.5),
        galley_zeros(GALLEY_F32, GALLEY_SHAPE(1)),
    };
    for (int i = 0; i < 4; i++)
        galley_param(p[i]);
    galley_tensor *x = galley_from_f32(XS, GALLEY_SHAPE(4, 2));
    galley_tensor *y = galley_from_f32(YS, GALLEY_SHAPE(4, 1));
    galley_adam_options opt = GALLEY_ADAM_OPTIONS_INIT;
    opt.lr = 0.01;
    galley_optim *o = galley_adam_new(p, 4, &opt);
    size_t counts[3][2];
    double loss = 0;
    for (int step = 1; step <= 10000; step++) {
        galley_scope *s = galley_scope_begin();
        galley_optim_zero_grad(o);
        galley_tensor *l = galley_mse(mlp(p, x), y);
        galley_backward(l);
        galley_optim_step(o);
        loss = galley_item(l);
        galley_scope_end(s);
        int k = step == 1 ? 0 : step == 100 ? 1 : step == 10000 ? 2 : -1;
        if (k >= 0) {
            counts[k][0] = galley_live_tensors();
            counts[k][1] = galley_live_bytes();
        }
    }
    for (int k = 0; k < 3; k++)
        printf("after step %5d: %zu tensors, %zu bytes\n",
               k == 0 ? 1 : k == 1 ? 100 : 10000, counts[k][0], counts[k][1]);
    printf("final loss below 1e-4: %s\n", loss < 1e-4 ? "yes" : "no");
    galley_tensor *out = mlp(p, x);
    for (int i = 0; i < 4; i++)
        printf("xor(%g, %g) = %.2f\n", XS[2 * i], XS[2 * i + 1],
               galley_tensor_get(out, GALLEY_AT(i, 0)));
    galley_optim_free(o);
    EXPECT(/*
      after step     1: 28 tensors, 936 bytes
      after step   100: 28 tensors, 936 bytes
      after step 10000: 28 tensors, 936 bytes
      final loss below 1e-4: yes
      xor(0, 0) = 0.00
      xor(0, 1) = 1.00
      xor(1, 0) = 1.00
      xor(1, 1) = 0.00
    */);
}

/* ---- the default random generator ---- */

TEST(default_generator_starts_seeded_with_zero)
{
    galley_tensor *a = galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(4));
    galley_manual_seed(0);
    galley_tensor *b = galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(4));
    show1("first draws ", a);
    show1("after seed 0", b);
    EXPECT(/*
      first draws : -1.81022 -0.088793 1.12169 -1.58631
      after seed 0: -1.81022 -0.088793 1.12169 -1.58631
    */);
}

TEST(manual_seed_makes_randn_reproducible)
{
    galley_manual_seed(42);
    galley_tensor *a = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(5));
    galley_tensor *a2 = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(5));
    galley_manual_seed(42);
    galley_tensor *b = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(5));
    galley_tensor *b2 = galley_randn(NULL, GALLEY_F32, GALLEY_SHAPE(5));
    show1("first ", a);
    show1("again ", b);
    show1("second", a2);
    show1("again ", b2);
    /* The default generator is stream 54 of the seed. */
    galley_rng rng;
    galley_rng_seed(&rng, 42, 54);
    show1("rng   ", galley_randn(&rng, GALLEY_F32, GALLEY_SHAPE(5)));
    EXPECT(/*
      first : 0.801023 1.39543 0.837128 0.838884 0.0180045
      again : 0.801023 1.39543 0.837128 0.838884 0.0180045
      second: -0.0136005 0.502419 1.15812 0.525779 -1.68463
      again : -0.0136005 0.502419 1.15812 0.525779 -1.68463
      rng   : 0.801023 1.39543 0.837128 0.838884 0.0180045
    */);
}
