/* tensor_optim2_test.c: the optimizers' options and additions of issue 15:
 * Adam's options started from GALLEY_ADAM_OPTIONS_INIT (0 taken as given),
 * SGD's dampening and nesterov, AdamW, learning-rate schedules and gradient
 * clipping, with their errors. Trajectories were computed by PyTorch 1.13
 * (float64) with the script in the comment at "The problem" below. */
#include "tensor_check.h"
#include <math.h>
#include <stdio.h>

/* Prints t's elements in row-major order on one line, 10 digits. */
static void show(const char *what, const galley_tensor *t)
{
    printf("%s:", what);
    long n = galley_numel(t), cols = galley_dim(t, -1);
    for (long i = 0; i < n; i++) {
        long at[2] = {i / cols, i % cols};
        int nd = galley_ndim(t);
        printf(" %.10g", galley_tensor_get(t, nd, nd == 2 ? at : at + 1));
    }
    printf("\n");
}

/* ---- The problem ----
 * loss = mse(a @ w + b, y), a [3, 2], w [2, 2], b [2], y [3, 2], float64,
 * as in tensor_autograd_test.c. Each run prints the learning rate and the
 * loss before each step, then w and b. The torch side:
 *   A = torch.tensor([1, 2, -1, 0.5, 0.3, -2.]).reshape(3, 2)
 *   Y = torch.tensor([1, 0, 0, 1, 0.5, -0.5]).reshape(3, 2)
 *   w = torch.tensor([0.1, -0.2, 0.3, 0.4]).reshape(2, 2).requires_grad_()
 *   b = torch.tensor([0.0, 0.1]).requires_grad_()
 *   o = torch.optim.X([w, b], ...); s = an lr_scheduler of o or None
 *   for i in range(steps):
 *       o.zero_grad(); loss = F.mse_loss(A @ w + b, Y)
 *       print(o.param_groups[0]["lr"], loss.item()); loss.backward()
 *       [print(clip_grad_norm_([w, b], max_norm).item())]
 *       o.step(); [s.step()] */

static const double A[] = {1, 2, -1, 0.5, 0.3, -2};
static const double Y[] = {1, 0, 0, 1, 0.5, -0.5};
static const double WI[] = {0.1, -0.2, 0.3, 0.4};
static const double BI[] = {0.0, 0.1};

/* What a run does besides stepping: a schedule (0 none, 1 StepLR(step_size
 * 2, gamma 0.5) from lr 0.1, 2 CosineAnnealingLR(T_max 4, eta_min 0.01)
 * from 0.1) and clipping (max_norm > 0). */
typedef struct run_opts {
    int steps;
    int schedule;
    double max_norm;
} run_opts;

/* Runs o over fresh w, b and prints the trajectory. o is freed. */
static void run(galley_optim *(*make)(galley_tensor *const *, const void *),
                const void *opt, run_opts r)
{
    galley_tensor *w = galley_param(galley_from_f64(WI, GALLEY_SHAPE(2, 2)));
    galley_tensor *b = galley_param(galley_from_f64(BI, GALLEY_SHAPE(2)));
    galley_tensor *ps[] = {w, b};
    galley_optim *o = make(ps, opt);
    galley_tensor *a = galley_from_f64(A, GALLEY_SHAPE(3, 2));
    galley_tensor *y = galley_from_f64(Y, GALLEY_SHAPE(3, 2));
    for (int step = 0; step < r.steps; step++) {
        if (r.schedule == 1)
            galley_optim_set_lr(o, galley_lr_step(0.1, step, 2, 0.5));
        else if (r.schedule == 2)
            galley_optim_set_lr(o, galley_lr_cosine(0.1, step, 4, 0.01));
        galley_scope *s = galley_scope_begin();
        galley_optim_zero_grad(o);
        galley_tensor *loss = galley_mse(galley_add(galley_matmul(a, w), b), y);
        printf("lr %.10g loss %d: %.10g\n", galley_optim_get_lr(o), step,
               galley_item(loss));
        galley_backward(loss);
        if (r.max_norm > 0)
            printf("norm %.10g\n", galley_clip_grad_norm(ps, 2, r.max_norm));
        galley_optim_step(o);
        galley_scope_end(s);
    }
    show("w", w);
    show("b", b);
    galley_optim_free(o);
}

static galley_optim *make_sgd(galley_tensor *const *ps, const void *opt)
{
    return galley_sgd_new(ps, 2, opt);
}

static galley_optim *make_adam(galley_tensor *const *ps, const void *opt)
{
    return galley_adam_new(ps, 2, opt);
}

static galley_optim *make_adamw(galley_tensor *const *ps, const void *opt)
{
    return galley_adamw_new(ps, 2, opt);
}

TEST(sgd_dampening_and_nesterov_match_torch, .rtol = 1e-9, .atol = 1e-12)
{
    /* SGD(lr=0.1, momentum=0.9, dampening=0.5) */
    run(make_sgd, &(galley_sgd_options){.lr = 0.1, .momentum = 0.9,
                                        .dampening = 0.5},
        (run_opts){.steps = 3});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.2538402162
      lr 0.1 loss 2: 0.1684173351
      w: 0.1920337988 -0.3466344525 0.1099400552 0.2025164157
      b: 0.1750094379 0.1105823181
    */);
    /* SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1) */
    run(make_sgd, &(galley_sgd_options){.lr = 0.1, .momentum = 0.9,
                                        .weight_decay = 0.1, .nesterov = 1},
        (run_opts){.steps = 3});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.1902545633
      lr 0.1 loss 2: 0.1028093456
      w: 0.2628015405 -0.4272678845 0.02804265451 0.1344138157
      b: 0.2981696499 0.1219599097
    */);
}

TEST(adam_takes_zero_betas_and_eps_as_given, .rtol = 1e-9, .atol = 1e-12)
{
    /* Adam(lr=0.1, betas=(0, 0.999)): before the options had a version,
     * beta1 = 0 was silently 0.9. */
    galley_adam_options o = GALLEY_ADAM_OPTIONS_INIT;
    o.lr = 0.1;
    o.beta1 = 0;
    run(make_adam, &o, (run_opts){.steps = 3});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.1683666674
      lr 0.1 loss 2: 0.08627602186
      w: 0.357012009 -0.4514354844 0.09032196475 0.2241389057
      b: 0.2609232576 0.2172463287
    */);
    /* Adam(lr=0.1, betas=(0, 0), eps=0): steps of lr * sign(g). */
    o.beta2 = 0;
    o.eps = 0;
    run(make_adam, &o, (run_opts){.steps = 3});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.1683666667
      lr 0.1 loss 2: 0.07283333333
      w: 0.4 -0.5 -2.775557562e-17 0.3
      b: 0.3 0.2
    */);
}

TEST(adamw_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    /* AdamW() (lr 1e-3, weight_decay 0.01); NULL options, the same. */
    galley_adamw_options o = GALLEY_ADAMW_OPTIONS_INIT;
    run(make_adamw, &o, (run_opts){.steps = 3});
    run(make_adamw, NULL, (run_opts){.steps = 1});
    EXPECT(/*
      lr 0.001 loss 0: 0.3408333333
      lr 0.001 loss 1: 0.3386986621
      lr 0.001 loss 2: 0.3365724892
      w: 0.1029967558 -0.2029937379 0.2969914602 0.3969885414
      b: 0.002999765033 0.1029927092
      lr 0.001 loss 0: 0.3408333333
      w: 0.100999 -0.200998 0.298997 0.398996
      b: 0.0009999999773 0.1009989995
    */);
    /* AdamW(lr=0.1, weight_decay=0.5) */
    o.lr = 0.1;
    o.weight_decay = 0.5;
    run(make_adamw, &o, (run_opts){.steps = 3});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.1629362509
      lr 0.1 loss 2: 0.08019205054
      w: 0.3667640566 -0.4496785527 0.005969376173 0.1105475918
      b: 0.28033599 0.1427142902
    */);
}

TEST(learning_rate_schedules_match_torch, .rtol = 1e-9, .atol = 1e-12)
{
    /* SGD(lr=0.1, momentum=0.5) with StepLR(step_size=2, gamma=0.5). */
    run(make_sgd, &(galley_sgd_options){.lr = 0.1, .momentum = 0.5},
        (run_opts){.steps = 5, .schedule = 1});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.1 loss 1: 0.2538402162
      lr 0.05 loss 2: 0.1674222632
      lr 0.05 loss 3: 0.1357908361
      lr 0.025 loss 4: 0.1110973448
      w: 0.2033625293 -0.3539367655 0.1236947943 0.2258440628
      b: 0.1868180223 0.115457231
    */);
    /* AdamW(lr=0.1) with CosineAnnealingLR(T_max=4, eta_min=0.01). */
    galley_adamw_options o = GALLEY_ADAMW_OPTIONS_INIT;
    o.lr = 0.1;
    run(make_adamw, &o, (run_opts){.steps = 5, .schedule = 2});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      lr 0.08681980515 loss 1: 0.1682406232
      lr 0.055 loss 2: 0.07987039471
      lr 0.02318019485 loss 3: 0.05189731126
      lr 0.01 loss 4: 0.04408801228
      w: 0.3683733881 -0.4665431889 0.04985391937 0.1648298862
      b: 0.2692420888 0.1520862131
    */);
    /* Past t_max the closed form climbs back (torch's closed form too). */
    for (long e = 4; e <= 8; e += 2)
        printf("cosine epoch %ld: %.10g\n", e, galley_lr_cosine(1, e, 4, 0));
    printf("step epoch 7: %.10g\n", galley_lr_step(1, 7, 3, 0.1));
    EXPECT(/*
      cosine epoch 4: 0
      cosine epoch 6: 0.5
      cosine epoch 8: 1
      step epoch 7: 0.01
    */);
}

TEST(clip_grad_norm_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    /* SGD(lr=0.1) with clip_grad_norm_([w, b], 0.5) before each step. */
    run(make_sgd, &(galley_sgd_options){.lr = 0.1},
        (run_opts){.steps = 3, .max_norm = 0.5});
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      norm 0.9828105955
      lr 0.1 loss 1: 0.2941771595
      norm 0.8847324839
      lr 0.1 loss 2: 0.2522946007
      norm 0.7920526748
      w: 0.1376622664 -0.2598095529 0.2229094867 0.3200647755
      b: 0.07143225425 0.1043966767
    */);
    /* A norm under max_norm leaves the gradients (torch: a plain step). */
    run(make_sgd, &(galley_sgd_options){.lr = 0.1},
        (run_opts){.steps = 1, .max_norm = 10});
    /* float32 gradients; no gradient at all: norm 0. */
    galley_tensor *p = galley_param(galley_from_f32((float[]){3, 4},
                                                    GALLEY_SHAPE(2)));
    galley_tensor *q = galley_param(galley_zeros(GALLEY_F32, GALLEY_SHAPE(1)));
    printf("no grad: %g\n", galley_clip_grad_norm(&p, 1, 1));
    galley_backward(galley_sum_all(galley_mul(p, p)));
    printf("norm %g\n", galley_clip_grad_norm((galley_tensor *[]){p, q}, 2, 1));
    /* float32 to 6 digits: torch rounds the factor to float32 first, galley
     * multiplies by the double one, 1 ulp apart. */
    galley_tensor *g = galley_grad(p);
    printf("p.grad: %.6g %.6g\n", galley_tensor_get(g, GALLEY_AT(0)),
           galley_tensor_get(g, GALLEY_AT(1)));
    EXPECT(/*
      lr 0.1 loss 0: 0.3408333333
      norm 0.9828105955
      w: 0.1223666667 -0.2374 0.2478333333 0.3443333333
      b: 0.044 0.102
      no grad: 0
      norm 10
      p.grad: 0.6 0.8
    */);
}

/* Prints whether o was made, and frees it. */
static void made(galley_optim *o)
{
    printf("  -> %s\n", o ? "made" : "NULL");
    galley_optim_free(o);
}

TEST(optimizer_option_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = galley_param(galley_from_f64(WI, GALLEY_SHAPE(2, 2)));
    /* A compound literal has version 0: refused, not read with beta1 0. */
    made(galley_adam_new(&w, 1, &(galley_adam_options){.lr = 0.01}));
    made(galley_adamw_new(&w, 1, &(galley_adamw_options){.lr = 0.01}));
    galley_adam_options a = GALLEY_ADAM_OPTIONS_INIT;
    a.lr = 0;
    made(galley_adam_new(&w, 1, &a));
    a = (galley_adam_options)GALLEY_ADAM_OPTIONS_INIT;
    a.beta1 = -0.1;
    made(galley_adam_new(&w, 1, &a));
    a.beta1 = 0;
    a.beta2 = 1;
    made(galley_adam_new(&w, 1, &a));
    galley_adamw_options aw = GALLEY_ADAMW_OPTIONS_INIT;
    aw.weight_decay = -0.01;
    made(galley_adamw_new(&w, 1, &aw));
    made(galley_sgd_new(&w, 1, &(galley_sgd_options){.lr = 0.1,
                                                     .nesterov = 1}));
    made(galley_sgd_new(&w, 1, &(galley_sgd_options){
                                   .lr = 0.1, .momentum = 0.9,
                                   .dampening = 0.1, .nesterov = 1}));
    made(galley_sgd_new(&w, 1, &(galley_sgd_options){.lr = 0.1,
                                                     .dampening = NAN}));
    galley_optim *o = galley_sgd_new(&w, 1, &(galley_sgd_options){.lr = 0.1});
    galley_optim_set_lr(o, -1);
    galley_optim_set_lr(o, INFINITY);
    galley_optim_set_lr(o, 0); /* a schedule may end at 0 */
    printf("lr %g\n", galley_optim_get_lr(o));
    galley_optim_free(o);
    galley_optim_set_lr(NULL, 1);
    printf("%g\n", galley_optim_get_lr(NULL));
    printf("%g\n", galley_lr_step(0.1, 3, 0, 0.5));
    printf("%g\n", galley_lr_cosine(0.1, -1, 10, 0));
    printf("%g\n", galley_clip_grad_norm(&w, 1, -1));
    galley_tensor *c = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    printf("%g\n", galley_clip_grad_norm(&c, 1, 1));
    EXPECT(/*
      error: galley_adam_new: options were not started from GALLEY_ADAM_OPTIONS_INIT: write `galley_adam_options o = GALLEY_ADAM_OPTIONS_INIT;` and set the fields (each is taken as given, 0 included)
        -> NULL
      error: galley_adamw_new: options were not started from GALLEY_ADAMW_OPTIONS_INIT: write `galley_adamw_options o = GALLEY_ADAMW_OPTIONS_INIT;` and set the fields (each is taken as given, 0 included)
        -> NULL
      error: galley_adam_new: lr must be > 0 (lr 0, beta1 0.9, beta2 0.999, eps 1e-08, weight_decay 0)
        -> NULL
      error: galley_adam_new: beta1 must be in [0, 1) (lr 0.001, beta1 -0.1, beta2 0.999, eps 1e-08, weight_decay 0)
        -> NULL
      error: galley_adam_new: beta2 must be in [0, 1) (lr 0.001, beta1 0, beta2 1, eps 1e-08, weight_decay 0)
        -> NULL
      error: galley_adamw_new: weight_decay must be >= 0 (lr 0.001, beta1 0.9, beta2 0.999, eps 1e-08, weight_decay -0.01)
        -> NULL
      error: galley_sgd_new: nesterov needs momentum > 0 and dampening 0 (they are 0 and 0)
        -> NULL
      error: galley_sgd_new: nesterov needs momentum > 0 and dampening 0 (they are 0.9 and 0.1)
        -> NULL
      error: galley_sgd_new: dampening is nan
        -> NULL
      error: galley_optim_set_lr: lr must be finite and >= 0 (it is -1)
      error: galley_optim_set_lr: lr must be finite and >= 0 (it is inf)
      lr 0
      error: galley_optim_set_lr: optimizer is NULL
      error: galley_optim_get_lr: optimizer is NULL
      nan
      error: galley_lr_step: step_size 0 must be >= 1 and epoch 3 >= 0
      nan
      error: galley_lr_cosine: t_max 10 must be >= 1 and epoch -1 >= 0
      nan
      error: galley_clip_grad_norm: max_norm must be >= 0 (it is -1)
      nan
      error: galley_clip_grad_norm: params[0] float64 [2] is not a parameter; mark it with galley_param
      nan
    */);
}
