/* tensor_nn_test.c: layer_norm, batch_norm, the losses nll, l1, huber, bce
 * and bce_with_logits, and dropout: values and gradients against PyTorch
 * 1.13, gradcheck (float64) of each, and the error messages.
 *
 * Inputs are made by formulas torch can repeat: seq fills a tensor with
 * 2 sin(a i + b) over its flat index i, as torch's
 * seq(shape, a, b) = (2 * torch.sin(a * torch.arange(n, dtype=torch.float64)
 * + b)).reshape(shape) (then .float() for float32). Gradients are
 * vector-Jacobian products with G = seq(y.shape, 0.7, 0.3) (y.backward(G)).
 * show_w prints a tensor's shape, its elements when they are few, and
 * w(t) = sum(t.flatten() * cos(0.37 i + 0.1)), a weighted sum that any
 * wrong element moves. Each number below was compared with torch's,
 * computed by the expression in the comment; they agree to the digits
 * printed (9 for float64, 6 for float32) unless a comment says otherwise. */
#include "tensor_check.h"

/* ---- layer_norm ---- */

static galley_tensor *S_layer_norm_fn(galley_tensor *const *in, int n,
                                      void *ud)
{
    (void)n;
    (void)ud;
    return galley_layer_norm(in[0], 1, in[1], in[2], 1e-5);
}

TEST(layer_norm_against_torch)
{
    /* x = seq((2,3,4), 1, 1); w = seq((3,4), .5, .2); b = seq((3,4), .3,
     * .1), all requires_grad; y = F.layer_norm(x, (3,4), w, b, 1e-5);
     * y.backward(G); then F.layer_norm(x, (4,)) and its float32 form. */
    galley_tensor *x = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(2, 3, 4));
    galley_tensor *w = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(3, 4));
    galley_tensor *b = seq_param(GALLEY_F64, 0.3, 0.1, GALLEY_SHAPE(3, 4));
    galley_tensor *y = galley_layer_norm(x, 2, w, b, 1e-5);
    show_w("y", y);
    backward_seq(y);
    show_w_grad("dx", x);
    show_w_grad("dw", w);
    show_w_grad("db", b);
    show_w("last axis", galley_layer_norm(x, 1, NULL, NULL, 1e-5));
    galley_tensor *x32 = seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(2, 3, 4));
    show_w("float32", galley_layer_norm(x32, 1, NULL, NULL, 1e-5));
    EXPECT(/*
      y: float64 [2, 3, 4] w=1.11370058
      dx: float64 [2, 3, 4] w=0.681950764
      dw: float64 [3, 4] 1.43753316 2.20522726 -0.683184652 -0.564385793 2.26561967 1.21731135 -1.68159829 -0.304730071 1.80761089 -0.505235853 -2.34414291 0.193869026 w=4.12603062
      db: float64 [3, 4] 1.91697887 1.73249282 0.733188323 -0.610946099 -1.66774302 -1.94017435 -1.30011136 -0.0485856817 1.2257906 1.92365841 1.71679961 0.702503129 w=0.601991996
      last axis: float64 [2, 3, 4] w=-0.501381129
      float32: float32 [2, 3, 4] w=-0.501381
    */);
    galley_tensor *in[3] = {seq_param(GALLEY_F64, 0.9, 0.2, GALLEY_SHAPE(2, 3)),
                            seq_param(GALLEY_F64, 0.4, 0.5, GALLEY_SHAPE(3)),
                            seq_param(GALLEY_F64, 0.6, 0.1, GALLEY_SHAPE(3))};
    gradcheck_ok("layer_norm", S_layer_norm_fn, in, 3, NULL);
    galley_tensor_on_error(on_error, NULL);
    got(galley_layer_norm(x, 4, NULL, NULL, 1e-5));
    got(galley_layer_norm(x, 2, b, galley_zeros(GALLEY_F64, GALLEY_SHAPE(4)),
                          1e-5));
    got(galley_layer_norm(galley_zeros(GALLEY_I64, GALLEY_SHAPE(2)), 1, NULL,
                          NULL, 1e-5));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      gradcheck layer_norm: ok
      error: galley_layer_norm: normalized_ndim 4 for x float64 [2, 3, 4]: needs 1 to 3 (the trailing axes normalized over)
      error: galley_layer_norm: bias float64 [4] for x float64 [2, 3, 4]: needs the shape [3, 4]
      error: galley_layer_norm: x is int64 [2]; galley_layer_norm needs float32 or float64 (cast with galley_tensor_to)
    */);
    galley_tensor_free_all();
}

/* ---- batch_norm ---- */

static galley_tensor *S_batch_norm_fn(galley_tensor *const *in, int n,
                                      void *ud)
{
    (void)n;
    (void)ud;
    return galley_batch_norm(in[0], NULL, NULL, in[1], in[2], 1, 0.1, 1e-5);
}

TEST(batch_norm_against_torch)
{
    /* x = seq((4,3), 1, 1); rm = seq((3,), .9, .4); rv = torch.full((3,),
     * 1.5); w = seq((3,), .5, .2); b = seq((3,), .3, .1);
     * y = F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5); y.backward(G);
     * rm and rv after it; then x4 = seq((2,3,2,2), .8, .5) with no running
     * statistics, and in eval with rm, rv. */
    galley_tensor *x = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(4, 3));
    galley_tensor *rm = seq(GALLEY_F64, 0.9, 0.4, GALLEY_SHAPE(3));
    galley_tensor *rv = galley_full(GALLEY_F64, GALLEY_SHAPE(3), 1.5);
    galley_tensor *w = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(3));
    galley_tensor *b = seq_param(GALLEY_F64, 0.3, 0.1, GALLEY_SHAPE(3));
    galley_tensor *y = galley_batch_norm(x, rm, rv, w, b, 1, 0.1, 1e-5);
    show_w("y", y);
    show_w("running_mean", rm);
    show_w("running_var", rv);
    backward_seq(y);
    show_w_grad("dx", x);
    show_w_grad("dw", w);
    show_w_grad("db", b);
    galley_tensor *x4 =
        seq_param(GALLEY_F64, 0.8, 0.5, GALLEY_SHAPE(2, 3, 2, 2));
    galley_tensor *y4 = galley_batch_norm(x4, NULL, NULL, w, b, 1, 0.1, 1e-5);
    show_w("4-d", y4);
    backward_seq(y4);
    show_w_grad("4-d dx", x4);
    galley_tensor *e = galley_batch_norm(x4, rm, rv, w, b, 0, 0.1, 1e-5);
    show_w("eval", e);
    galley_zero_grad(x4);
    backward_seq(e);
    show_w_grad("eval dx", x4);
    EXPECT(/*
      y: float64 [4, 3] 0.644893241 2.01311814 2.33911739 -0.25351259 -0.481479299 0.202593727 0.541192685 2.12002168 3.71592066 -0.133906003 -0.536313781 -1.10389028 w=-1.01952705
      running_mean: float64 [3] 0.710834715 1.73139179 1.44215603 w=3.21352306
      running_var: float64 [3] 1.61648653 1.84656799 1.42179742 w=4.20374922
      dx: float64 [4, 3] 0.365909845 1.16674944 4.37624536 0.0898350138 -0.562040525 -4.99506928 -0.40620309 -1.10819354 -1.77218905 -0.0495417687 0.503484621 2.39101297 w=7.66635975
      dw: float64 [3] -3.08203664 -2.04452783 -1.68248529 w=-6.01247186
      db: float64 [3] 0.609989266 1.70006722 1.990577 w=3.45130404
      4-d: float64 [2, 3, 2, 2] w=-1.75667927
      4-d dx: float64 [2, 3, 2, 2] w=3.4652883
      eval: float64 [2, 3, 2, 2] w=2.78017771
      eval dx: float64 [2, 3, 2, 2] w=1.92176986
    */);
    /* momentum 0 is legal: the running statistics stay. float32 follows
     * torch's float32 to its 6 digits. */
    galley_batch_norm(x, rm, rv, NULL, NULL, 1, 0.0, 1e-5);
    show_w("momentum 0", rm);
    galley_tensor *x32 = seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(4, 3));
    show_w("float32", galley_batch_norm(x32, NULL, NULL, NULL, NULL, 1, 0.1,
                                        1e-5));
    galley_tensor *in[3] = {seq_param(GALLEY_F64, 0.9, 0.2, GALLEY_SHAPE(4, 3)),
                            seq_param(GALLEY_F64, 0.4, 0.5, GALLEY_SHAPE(3)),
                            seq_param(GALLEY_F64, 0.6, 0.1, GALLEY_SHAPE(3))};
    gradcheck_ok("batch_norm", S_batch_norm_fn, in, 3, NULL);
    galley_tensor_on_error(on_error, NULL);
    got(galley_batch_norm(x, NULL, rv, NULL, NULL, 0, 0.1, 1e-5));
    got(galley_batch_norm(galley_zeros(GALLEY_F64, GALLEY_SHAPE(1, 3)), NULL,
                          NULL, NULL, NULL, 1, 0.1, 1e-5));
    got(galley_batch_norm(x, NULL, NULL, x, NULL, 1, 0.1, 1e-5));
    got(galley_batch_norm(rm, NULL, NULL, NULL, NULL, 1, 0.1, 1e-5));
    got(galley_batch_norm(x, galley_tensor_to(rm, GALLEY_F32), rv, NULL, NULL,
                          1, 0.1, 1e-5));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      momentum 0: float64 [3] 0.710834715 1.73139179 1.44215603 w=3.21352306
      float32: float32 [4, 3] 1.12052 0.957969 0.563647 -1.14054 -0.978176 -0.582509 0.859533 1.04094 1.30224 -0.839518 -1.02073 -1.28338 w=1.62202
      gradcheck batch_norm: ok
      error: galley_batch_norm: evaluation (training 0) needs running_mean and running_var
      error: galley_batch_norm: x float64 [1, 3]: training needs more than 1 value per channel (as torch)
      error: galley_batch_norm: weight float64 [4, 3] for x float64 [4, 3]: needs the shape [3]
      error: galley_batch_norm: x float64 [3]: needs [N, C] or [N, C, ...]
      error: galley_batch_norm: float64 [4, 3] and float32 [3]: dtypes differ, and galley_batch_norm takes one dtype (as torch); cast one with galley_tensor_to
    */);
    galley_tensor_free_all();
}

/* ---- losses ---- */

typedef galley_tensor *(*S_loss)(galley_tensor *, galley_tensor *);

static galley_tensor *S_loss_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return (*(S_loss *)ud)(in[0], in[1]);
}

static galley_tensor *S_huber_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    return galley_huber_loss(in[0], in[1], 0.5);
}

/* nll_loss of log_softmax(in[0]) against the classes in ud. */
static galley_tensor *S_nll_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return galley_nll_loss(galley_log_softmax(in[0], 1), ud);
}

/* Shows the loss of a and b and both gradients. */
static void S_show_loss(const char *what, galley_tensor *l, galley_tensor *a,
                        galley_tensor *b)
{
    galley_zero_grad(a);
    galley_zero_grad(b);
    show_w(what, l);
    galley_backward(l);
    show_w_grad("  d0", a);
    show_w_grad("  d1", b);
}

/* sigmoid(seq(shape, a, b)) as a parameter: probabilities in (0, 1). */
static galley_tensor *S_probs(double a, double b, int ndim, const long *shape)
{
    return galley_param(galley_sigmoid(seq(GALLEY_F64, a, b, ndim, shape)));
}

TEST(losses_against_torch)
{
    /* a = seq((3,4), 1, 1); b = seq((4,), .5, .2), both requires_grad:
     * F.l1_loss(a, b) and F.huber_loss(a, b, delta=.5) (torch broadcasts
     * b with a warning); l.backward(). bce: p = torch.sigmoid(seq((3,4),
     * .7, .3)), t = torch.sigmoid(seq((4,), .9, .1)), both requires_grad;
     * F.binary_cross_entropy(p, t.expand(3, 4)) (torch wants the shapes
     * equal) and F.binary_cross_entropy_with_logits(5 * seq((3,4), .7, .3),
     * t.expand(3, 4)). */
    galley_tensor *a = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(3, 4));
    galley_tensor *b = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(4));
    S_show_loss("l1", galley_l1_loss(a, b), a, b);
    S_show_loss("huber", galley_huber_loss(a, b, 0.5), a, b);
    galley_tensor *p = S_probs(0.7, 0.3, GALLEY_SHAPE(3, 4));
    galley_tensor *t = S_probs(0.9, 0.1, GALLEY_SHAPE(4));
    S_show_loss("bce", galley_bce(p, t), p, t);
    galley_tensor *z = galley_param(galley_mul_scalar(
        seq(GALLEY_F64, 0.7, 0.3, GALLEY_SHAPE(3, 4)), 5));
    S_show_loss("bce_with_logits", galley_bce_with_logits(z, t), z, t);
    EXPECT(/*
      l1: float64 [] 1.7779681 w=1.76908566
        d0: float64 [3, 4] 0.0833333333 0.0833333333 -0.0833333333 -0.0833333333 -0.0833333333 -0.0833333333 -0.0833333333 -0.0833333333 0.0833333333 -0.0833333333 -0.0833333333 -0.0833333333 w=0.341288324
        d1: float64 [4] -0.0833333333 0.0833333333 0.25 0.25 w=0.2465009
      huber: float64 [] 0.77443205 w=0.770563115
        d0: float64 [3, 4] 0.0416666667 0.0416666667 -0.0416666667 -0.0416666667 -0.0416666667 -0.0416666667 -0.0416666667 -0.000384427305 0.0355748591 -0.0416666667 -0.0416666667 -0.0416666667 w=0.139571876
        d1: float64 [4] -0.0355748591 0.0416666667 0.125 0.0837177606 w=0.114738393
      bce: float64 [] 0.822517479 w=0.818408318
        d0: float64 [3, 4] 0.0340966738 0 0.00782450262 0.067719432 -0.00967443203 -0.292293512 -0.571570639 -0.344727642 -0.0872962158 -0.0705525936 -0.0149413381 0.169507818 w=0.949752409
        d1: float64 [4] 0.00612929929 -0.0901924096 -0.144095219 -0.130227795 w=-0.216465154
      bce_with_logits: float64 [] 2.79626484 w=2.78229516
        d0: float64 [3, 4] 0.0333964372 0.0130403968 0.010908245 0.028111503 0.00439398717 -0.0700914131 -0.0724162401 -0.0551126882 -0.0438767186 0.00951919836 0.0108954785 0.0282043044 w=0.198302275
        d1: float64 [4] 0.0306464964 -0.450962048 -0.720476095 -0.651138976 w=-1.08232577
    */);
    /* The edges: p = [0, 1, .5], t = [.3, .6, 1]: each log clamped at
     * -100 (torch: 23.5643824); the gradients of p divide by 1e-12 and
     * those of t are infinite, as torch's. Logits +-200: no overflow
     * (torch: F.binary_cross_entropy_with_logits([-200, 200, 0], [1, 0,
     * .5]) = 133.564382). float32 with float64 gives float64 (l1 of
     * seq((3,4), 1, 1).float() and b: 1.77796811 in torch's promotion). */
    static const double pe[] = {0, 1, 0.5}, te[] = {0.3, 0.6, 1};
    static const double ze[] = {-200, 200, 0}, ye[] = {1, 0, 0.5};
    galley_tensor *pp = galley_param(galley_from_f64(pe, GALLEY_SHAPE(3)));
    galley_tensor *tt = galley_param(galley_from_f64(te, GALLEY_SHAPE(3)));
    S_show_loss("bce edges", galley_bce(pp, tt), pp, tt);
    galley_tensor *zz = galley_param(galley_from_f64(ze, GALLEY_SHAPE(3)));
    galley_tensor *yy = galley_param(galley_from_f64(ye, GALLEY_SHAPE(3)));
    S_show_loss("logits 200", galley_bce_with_logits(zz, yy), zz, yy);
    galley_tensor *a32 = seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(3, 4));
    show_w("float32 l1 float64", galley_l1_loss(a32, b));
    EXPECT(/*
      bce edges: float64 [] 23.5643824 w=23.4466586
        d0: float64 [3] -1e+11 1.33333334e+11 -0.666666667 w=1.93753553e+10
        d1: float64 [3] inf -inf 0 w=nan
      logits 200: float64 [] 133.564382 w=132.897117
        d0: float64 [3] -0.333333333 0.333333333 0 w=-0.0344786257
        d1: float64 [3] 66.6666667 -66.6666667 -0 w=6.89572514
      float32 l1 float64: float64 [] 1.77796811 w=1.76908567
    */);
    galley_tensor_free_all();
}

TEST(nll_loss_against_torch)
{
    /* z = seq((4,3), 1, 1) requires_grad; l = F.nll_loss(F.log_softmax(z,
     * 1), torch.tensor([0, 2, 1, 2])); l.backward(); it equals
     * F.cross_entropy(z, target). */
    static const int64_t cls[] = {0, 2, 1, 2};
    galley_tensor *z = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(4, 3));
    galley_tensor *target = galley_from_i64(cls, GALLEY_SHAPE(4));
    galley_tensor *l = galley_nll_loss(galley_log_softmax(z, 1), target);
    show_w("nll", l);
    galley_backward(l);
    show_w_grad("dz", z);
    show_w("cross_entropy", galley_cross_entropy(z, target));
    galley_tensor *z32 = seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(4, 3));
    show_w("float32", galley_nll_loss(galley_log_softmax(z32, 1), target));
    EXPECT(/*
      nll: float64 [] 0.70986226 w=0.706315906
      dz: float64 [4, 3] -0.145472199 0.119714048 0.0257581511 0.0586088848 0.0391203482 -0.097729233 0.0702883056 -0.113360137 0.0430718309 0.103444593 0.0415583285 -0.145002922 w=-0.0103100287
      cross_entropy: float64 [] 0.70986226 w=0.706315906
      float32: float32 [] 0.709862 w=0.706316
    */);
    galley_tensor_free_all();
}

TEST(losses_gradcheck_and_errors)
{
    S_loss l1 = galley_l1_loss, bce = galley_bce, bcel = galley_bce_with_logits;
    static const int64_t cls[] = {1, 0, 2};
    galley_rng rng;
    galley_rng_seed(&rng, 15, 3);
    galley_tensor *in[2] = {
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(3, 4))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(4)))};
    gradcheck_ok("l1", S_loss_fn, in, 2, &l1);
    gradcheck_ok("huber", S_huber_fn, in, 2, NULL);
    gradcheck_ok("bce_with_logits", S_loss_fn, in, 2, &bcel);
    galley_tensor *pr[2] = {S_probs(0.7, 0.3, GALLEY_SHAPE(3, 4)),
                            S_probs(0.9, 0.1, GALLEY_SHAPE(3, 1))};
    gradcheck_ok("bce", S_loss_fn, pr, 2, &bce);
    gradcheck_ok("nll", S_nll_fn, in, 1,
                 galley_from_i64(cls, GALLEY_SHAPE(3)));
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *p = galley_full(GALLEY_F64, GALLEY_SHAPE(2), 1.5);
    got(galley_bce(p, galley_zeros(GALLEY_F64, GALLEY_SHAPE(2))));
    got(galley_huber_loss(in[0], in[1], 0));
    got(galley_l1_loss(in[0], galley_zeros(GALLEY_F64, GALLEY_SHAPE(3))));
    got(galley_bce_with_logits(in[0], galley_zeros(GALLEY_I64,
                                                   GALLEY_SHAPE(4))));
    got(galley_nll_loss(in[0], galley_from_i64((int64_t[]){1, 4, 0},
                                               GALLEY_SHAPE(3))));
    got(galley_nll_loss(in[0], galley_zeros(GALLEY_F64, GALLEY_SHAPE(3))));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      gradcheck l1: ok
      gradcheck huber: ok
      gradcheck bce_with_logits: ok
      gradcheck bce: ok
      gradcheck nll: ok
      error: galley_bce: p holds 1.5 (flat index 0 of the broadcast shape): probabilities must be in [0, 1]; for scores use galley_bce_with_logits
      error: galley_huber_loss: delta is 0; it must be > 0 (torch's default is 1)
      error: galley_l1_loss: shapes [3, 4] and [3] cannot be broadcast
      error: galley_bce_with_logits: target is int64 [4]; galley_bce_with_logits needs float32 or float64 (cast with galley_tensor_to)
      error: galley_nll_loss: target[1] is 4, not a class index in [0, 4)
      error: galley_nll_loss: logp float64 [3, 4] and target float64 [3]: needs logp [n, c] and int64 class indices [n]
    */);
    galley_tensor_free_all();
}

/* ---- dropout ---- */

/* dropout(in[0], 0.4) with a generator seeded afresh on every call, so
 * that gradcheck's evaluations share one mask. */
static galley_tensor *S_dropout_fn(galley_tensor *const *in, int n, void *ud)
{
    galley_rng rng;
    (void)n;
    (void)ud;
    galley_rng_seed(&rng, 3, 9);
    return galley_dropout(in[0], 0.4, 1, &rng);
}

TEST(dropout)
{
    /* torch.nn.functional.dropout(torch.ones(2000), 0.3) keeps about 70%
     * of the elements, each scaled to 1/0.7 = 1.42857143; its gradient is
     * the same mask times 1/0.7 (torch's RNG differs, so only this is
     * compared). Here the mask is the documented draw: u < p of the
     * uniform doubles of the same seed. */
    galley_tensor *x = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2000)));
    galley_rng rng, again;
    galley_rng_seed(&rng, 7, 1);
    again = rng;
    galley_tensor *y = galley_dropout(x, 0.3, 1, &rng);
    galley_tensor *u = galley_rand(&again, GALLEY_F64, GALLEY_SHAPE(2000));
    galley_backward(galley_sum_all(y));
    long kept = 0, same = 0, grad_same = 0;
    for (long i = 0; i < 2000; i++) {
        double v = galley_tensor_get(y, GALLEY_AT(i));
        double g = galley_tensor_get(galley_grad(x), GALLEY_AT(i));
        double want = galley_tensor_get(u, GALLEY_AT(i)) < 0.3 ? 0 : 1 / 0.7;
        kept += v != 0;
        same += v == want;
        grad_same += g == want;
    }
    printf("kept %ld of 2000; %ld as the draw says; %ld gradients too\n", kept,
           same, grad_same);
    show_w("first values", galley_slice(y, 0, 0, 8, 1));
    /* Eval and p = 0: the input; p = 1: zeros (torch's, with a zero
     * gradient). */
    galley_tensor *s = seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(2, 3));
    show_w("input", s);
    show_w("eval", galley_dropout(s, 0.5, 0, NULL));
    show_w("p=0", galley_dropout(s, 0, 1, NULL));
    show_w("p=1", galley_dropout(s, 1, 1, NULL));
    galley_tensor *in = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(3, 4));
    gradcheck_ok("dropout", S_dropout_fn, &in, 1, NULL);
    galley_tensor *z = galley_dropout(in, 1, 1, NULL);
    galley_backward(galley_sum_all(z));
    show_w("p=1 gradient", galley_grad(in));
    galley_tensor_on_error(on_error, NULL);
    got(galley_dropout(s, 1.5, 1, NULL));
    got(galley_dropout(galley_zeros(GALLEY_I64, GALLEY_SHAPE(2)), 0.5, 1,
                       NULL));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      kept 1420 of 2000; 2000 as the draw says; 2000 gradients too
      first values: float64 [8] 1.42857143 1.42857143 1.42857143 1.42857143 1.42857143 0 0 1.42857143 w=2.85442561
      input: float32 [2, 3] 1.68294 1.81859 0.28224 -1.5136 -1.91785 -0.558831 w=3.17451
      eval: float32 [2, 3] 1.68294 1.81859 0.28224 -1.5136 -1.91785 -0.558831 w=3.17451
      p=0: float32 [2, 3] 1.68294 1.81859 0.28224 -1.5136 -1.91785 -0.558831 w=3.17451
      p=1: float32 [2, 3] 0 0 0 -0 -0 -0 w=0
      gradcheck dropout: ok
      p=1 gradient: float64 [3, 4] 0 0 0 0 0 0 0 0 0 0 0 0 w=0
      error: galley_dropout: p is 1.5; the probability of dropping an element must be in [0, 1]
      error: galley_dropout: t is int64 [2]; galley_dropout needs float32 or float64 (cast with galley_tensor_to)
    */);
    galley_tensor_free_all();
}
