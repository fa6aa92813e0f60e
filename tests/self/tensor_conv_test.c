/* tensor_conv_test.c: conv1d, conv2d, max and average pooling, and einsum:
 * values and gradients against PyTorch 1.13, gradcheck (float64) of each,
 * and the error messages.
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

/* ---- convolution ---- */

/* The arguments of a convolution for gradcheck. */
typedef struct S_conv_args {
    int one_d;
    long stride[2], padding[2], dilation[2], groups;
} S_conv_args;

/* conv1d or conv2d of in[0] with weight in[1] and bias in[2]. */
static galley_tensor *S_conv_fn(galley_tensor *const *in, int n, void *ud)
{
    const S_conv_args *c = ud;
    galley_tensor *bias = n > 2 ? in[2] : NULL;
    if (c->one_d)
        return galley_conv1d(in[0], in[1], bias, c->stride[0], c->padding[0],
                             c->dilation[0], c->groups);
    return galley_conv2d(in[0], in[1], bias, c->stride, c->padding,
                         c->dilation, c->groups);
}

TEST(conv_against_torch)
{
    /* x = seq((2,3,5,6), 1, 1); w = seq((4,3,3,2), .5, .2); b = seq((4,),
     * .3, .1), requires_grad; y = F.conv2d(x, w, b, stride=(2,1),
     * padding=(1,0), dilation=(1,2)); y.backward(G). Then F.conv1d(x1, w1,
     * None, 2, 1, 1) and (..., 1, 0, 2) with x1 = seq((2,3,7), .8, .5),
     * w1 = seq((2,3,3), .6, .1); and float32 F.conv2d(seq((1,2,4,4), 1,
     * 1).float(), seq((3,2,3,3), .5, .2).float()). */
    galley_tensor *x = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(2, 3, 5, 6));
    galley_tensor *w =
        seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(4, 3, 3, 2));
    galley_tensor *b = seq_param(GALLEY_F64, 0.3, 0.1, GALLEY_SHAPE(4));
    galley_tensor *y = galley_conv2d(x, w, b, (long[]){2, 1}, (long[]){1, 0},
                                     (long[]){1, 2}, 1);
    show_w("conv2d", y);
    backward_seq(y);
    show_w_grad("dx", x);
    show_w_grad("dw", w);
    show_w_grad("db", b);
    galley_tensor *x1 = seq_param(GALLEY_F64, 0.8, 0.5, GALLEY_SHAPE(2, 3, 7));
    galley_tensor *w1 = seq_param(GALLEY_F64, 0.6, 0.1, GALLEY_SHAPE(2, 3, 3));
    galley_tensor *y1 = galley_conv1d(x1, w1, NULL, 2, 1, 1, 1);
    show_w("conv1d", y1);
    backward_seq(y1);
    show_w_grad("dx", x1);
    show_w_grad("dw", w1);
    show_w("dilated", galley_conv1d(x1, w1, NULL, 1, 0, 2, 1));
    show_w("float32",
           galley_conv2d(seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(1, 2, 4, 4)),
                         seq(GALLEY_F32, 0.5, 0.2, GALLEY_SHAPE(3, 2, 3, 3)),
                         NULL, NULL, NULL, NULL, 1));
    /* Groups: F.conv2d(xg, wg, bg, 1, 1, 1, 2) with xg = seq((2,4,3,3), .9,
     * .4), wg = seq((6,2,2,2), .6, .3), bg = seq((6,), .4, .2), and the
     * depthwise F.conv1d(x1, seq((3,1,2), .7, .2), None, 1, 0, 1, 3). */
    galley_tensor *xg =
        seq_param(GALLEY_F64, 0.9, 0.4, GALLEY_SHAPE(2, 4, 3, 3));
    galley_tensor *wg =
        seq_param(GALLEY_F64, 0.6, 0.3, GALLEY_SHAPE(6, 2, 2, 2));
    galley_tensor *bg = seq_param(GALLEY_F64, 0.4, 0.2, GALLEY_SHAPE(6));
    galley_tensor *yg = galley_conv2d(xg, wg, bg, NULL, (long[]){1, 1}, NULL, 2);
    show_w("groups 2", yg);
    backward_seq(yg);
    show_w_grad("dx", xg);
    show_w_grad("dw", wg);
    show_w_grad("db", bg);
    /* Unbatched, as torch: F.conv2d(xg[1], wg, bg, 1, 1, 1, 2) is the second
     * sample of yg. */
    show_w("unbatched",
           galley_conv2d(galley_select(xg, 0, 1), wg, bg, NULL,
                         (long[]){1, 1}, NULL, 2));
    show_w("its sample", galley_select(yg, 0, 1));
    show_w("depthwise",
           galley_conv1d(x1, seq(GALLEY_F64, 0.7, 0.2, GALLEY_SHAPE(3, 1, 2)),
                         NULL, 1, 0, 1, 3));
    EXPECT(/*
      conv2d: float64 [2, 4, 3, 4] w=0.364615846
      dx: float64 [2, 3, 5, 6] w=-11.4468333
      dw: float64 [4, 3, 3, 2] w=7.73157533
      db: float64 [4] 4.04205065 -4.12130881 0.238247155 3.87387072 w=1.87400164
      conv1d: float64 [2, 2, 4] w=3.93088091
      dx: float64 [2, 3, 7] w=-23.375656
      dw: float64 [2, 3, 3] w=-20.7952499
      dilated: float64 [2, 2, 3] -1.60916836 -2.32216433 -1.62656658 -3.0339161 -2.51022597 -0.463866446 2.22733398 1.08053458 -0.721702607 1.88821051 -0.433522236 -2.49228621 w=-7.58408008
      float32: float32 [1, 3, 2, 2] 12.5694 8.64152 -9.87998 1.45694 -9.95771 -7.49129 8.40749 -0.418837 5.57616 5.00956 -5.44066 -0.69371 w=5.94775
      groups 2: float64 [2, 6, 4, 4] w=4.97061914
      dx: float64 [2, 4, 3, 3] w=31.5100247
      dw: float64 [6, 2, 2, 2] w=-12.6891186
      db: float64 [6] 4.20786592 0.357784263 -4.06260203 -2.00724021 3.24764298 3.32581485 w=-0.175440074
      unbatched: float64 [6, 4, 4] w=-8.24298206
      its sample: float64 [6, 4, 4] w=-8.24298206
      depthwise: float64 [2, 3, 6] w=-2.18036966
    */);
    galley_rng rng;
    galley_rng_seed(&rng, 15, 4);
    galley_tensor *in[3] = {
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 2, 4, 5))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(3, 2, 2, 3))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(3)))};
    S_conv_args c2 = {0, {1, 2}, {1, 1}, {2, 1}, 1};
    gradcheck_ok("conv2d", S_conv_fn, in, 3, &c2);
    galley_tensor *ing[3] = {
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 4, 4, 3))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(6, 2, 2, 2))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(6)))};
    S_conv_args cg = {0, {2, 1}, {0, 1}, {1, 1}, 2};
    gradcheck_ok("conv2d groups 2", S_conv_fn, ing, 3, &cg);
    galley_tensor *in1[2] = {
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 3, 6))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 3, 2)))};
    S_conv_args c1 = {1, {2, 0}, {1, 0}, {2, 0}, 1};
    gradcheck_ok("conv1d", S_conv_fn, in1, 2, &c1);
    galley_tensor_on_error(on_error, NULL);
    got(galley_conv2d(x1, w, NULL, NULL, NULL, NULL, 1));
    got(galley_conv2d(galley_zeros(GALLEY_F64, GALLEY_SHAPE(3, 4)), w, NULL,
                      NULL, NULL, NULL, 1));
    got(galley_conv2d(x, w1, NULL, NULL, NULL, NULL, 1));
    got(galley_conv2d(x, galley_zeros(GALLEY_F64, GALLEY_SHAPE(4, 2, 3, 2)),
                      NULL, NULL, NULL, NULL, 1));
    got(galley_conv2d(x, w, x1, NULL, NULL, NULL, 1));
    got(galley_conv2d(x, w, NULL, NULL, NULL, (long[]){3, 1}, 1));
    got(galley_conv1d(x1, w1, NULL, 1, 0, 4, 1));
    got(galley_conv1d(x1, w1, NULL, 0, 0, 1, 1));
    got(galley_conv1d(x1, w1, NULL, 1, 1L << 62, 1, 1)); /* no overflow */
    got(galley_max_pool1d(x1, 2, 0, 0));
    got(galley_conv2d(galley_tensor_to(x, GALLEY_F32), w, NULL, NULL, NULL,
                      NULL, 1));
    got(galley_conv2d(xg, wg, NULL, NULL, NULL, NULL, 3));
    got(galley_conv2d(xg, wg, NULL, NULL, NULL, NULL, 0));
    got(galley_conv2d(xg, w, NULL, NULL, NULL, NULL, 2));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      gradcheck conv2d: ok
      gradcheck conv2d groups 2: ok
      gradcheck conv1d: ok
      error: galley_conv2d: weight float64 [4, 3, 3, 2] for x float64 [2, 3, 7]: needs [O, C, kh, kw] with C = 2, x's channels
      error: galley_conv2d: x float64 [3, 4]: needs [N, C, H, W] (or [C, H, W])
      error: galley_conv2d: weight float64 [2, 3, 3] for x float64 [2, 3, 5, 6]: needs [O, C, kh, kw] with C = 3, x's channels
      error: galley_conv2d: weight float64 [4, 2, 3, 2] for x float64 [2, 3, 5, 6]: needs [O, C, kh, kw] with C = 3, x's channels
      error: galley_conv2d: bias float64 [2, 3, 7] for weight float64 [4, 3, 3, 2]: needs [4], one per output channel
      error: galley_conv2d: x float64 [2, 3, 5, 6] padded to 5 x 6 is smaller than the kernel 3 x 2 (dilated: 7 x 2)
      error: galley_conv1d: x float64 [2, 3, 7] padded to 7 is smaller than the kernel 3 (dilated: 9)
      error: galley_conv1d: stride 0, padding 0, dilation 1 on spatial axis 0: needs 1 <= stride <= 2^31, 0 <= padding <= 2^31, 1 <= dilation <= 2^31
      error: galley_conv1d: stride 1, padding 4611686018427387904, dilation 1 on spatial axis 0: needs 1 <= stride <= 2^31, 0 <= padding <= 2^31, 1 <= dilation <= 2^31
      error: galley_max_pool1d: stride 0, padding 0 on spatial axis 0: needs 1 <= stride <= 2^31, 0 <= padding <= 2^31
      error: galley_conv2d: float32 [2, 3, 5, 6] and float64 [4, 3, 3, 2]: dtypes differ, and galley_conv2d takes one dtype (as torch); cast one with galley_tensor_to
      error: galley_conv2d: groups 3 for x float64 [2, 4, 3, 3] and weight float64 [6, 2, 2, 2]: needs groups >= 1 dividing both the input and the output channels
      error: galley_conv2d: groups 0 for x float64 [2, 4, 3, 3] and weight float64 [6, 2, 2, 2]: needs groups >= 1 dividing both the input and the output channels
      error: galley_conv2d: weight float64 [4, 3, 3, 2] for x float64 [2, 4, 3, 3]: needs [O, C, kh, kw] with C = 2, x's 4 channels / 2 groups
    */);
    galley_tensor_free_all();
}

/* ---- pooling ---- */

/* The arguments of a pooling for gradcheck: max or average, 1-d or 2-d. */
typedef struct S_pool_args {
    int max, one_d;
    long kernel[2], stride[2], padding[2];
} S_pool_args;

static galley_tensor *S_pool_fn(galley_tensor *const *in, int n, void *ud)
{
    const S_pool_args *p = ud;
    (void)n;
    if (p->one_d)
        return (p->max ? galley_max_pool1d : galley_avg_pool1d)(
            in[0], p->kernel[0], p->stride[0], p->padding[0]);
    return (p->max ? galley_max_pool2d : galley_avg_pool2d)(
        in[0], p->kernel, p->stride, p->padding);
}

/* seq(shape, a, b) rounded to halves, as a parameter: equal elements, to
 * see where the gradient of a tie goes. torch: (seq(...) * 2).round() / 2
 * (both round halves to even... none occur here). */
static galley_tensor *S_halves(double a, double b, int ndim, const long *shape)
{
    galley_tensor *t = seq(GALLEY_F64, a, b, ndim, shape);
    double *p = galley_tensor_data(t);
    for (long i = 0; i < galley_numel(t); i++)
        p[i] = round(p[i] * 2) / 2;
    return galley_param(t);
}

TEST(pooling_against_torch)
{
    /* x = halves((1,2,5,5), 1, 1) requires_grad; F.max_pool2d(x, (3,2),
     * (2,1), (1,1)) and F.avg_pool2d(x, (3,2), (2,1), (1,1)), each with
     * y.backward(G) (x.grad zeroed between); F.max_pool2d(x, 2);
     * F.avg_pool2d(seq((1,2,5,5), 1, 1).float(), (3,2), (2,1), (1,1));
     * x1 = halves((2,2,7), .8, .5): F.max_pool1d(x1, 3, 2, 1) and
     * F.avg_pool1d(x1, 3, 2, 1) with their backward. */
    galley_tensor *x = S_halves(1, 1, GALLEY_SHAPE(1, 2, 5, 5));
    const long k[2] = {3, 2}, s[2] = {2, 1}, p[2] = {1, 1};
    galley_tensor *m = galley_max_pool2d(x, k, s, p);
    show_w("max", m);
    backward_seq(m);
    show_w_grad("dx", x);
    galley_zero_grad(x);
    galley_tensor *a = galley_avg_pool2d(x, k, s, p);
    show_w("avg", a);
    backward_seq(a);
    show_w_grad("dx", x);
    show_w("max 2", galley_max_pool2d(x, (long[]){2, 2}, NULL, NULL));
    show_w("float32 avg",
           galley_avg_pool2d(seq(GALLEY_F32, 1, 1, GALLEY_SHAPE(1, 2, 5, 5)),
                             k, s, p));
    show_w("unbatched", galley_max_pool2d(galley_select(x, 0, 0),
                                          (long[]){2, 2}, NULL, NULL));
    galley_tensor *x1 = S_halves(0.8, 0.5, GALLEY_SHAPE(2, 2, 7));
    galley_tensor *m1 = galley_max_pool1d(x1, 3, 2, 1);
    show_w("max1d", m1);
    backward_seq(m1);
    show_w_grad("dx", x1);
    galley_zero_grad(x1);
    galley_tensor *a1 = galley_avg_pool1d(x1, 3, 2, 1);
    show_w("avg1d", a1);
    backward_seq(a1);
    show_w_grad("dx", x1);
    /* A NaN is the maximum of its window, as in torch. */
    static const double v[] = {1, NAN, 3, 2};
    show_w("nan", galley_max_pool1d(galley_from_f64(v, GALLEY_SHAPE(1, 1, 4)),
                                    2, 2, 0));
    EXPECT(/*
      max: float64 [1, 2, 3, 6] w=5.14185803
      dx: float64 [1, 2, 5, 5] w=3.0880195
      avg: float64 [1, 2, 3, 6] w=0.755032479
      dx: float64 [1, 2, 5, 5] w=0.0316027243
      max 2: float64 [1, 2, 2, 2] 2 2 -0.5 2 2 2 -0.5 2 w=1.92770507
      float32 avg: float32 [1, 2, 3, 6] w=0.839645
      unbatched: float64 [2, 2, 2] 2 2 -0.5 2 2 2 -0.5 2 w=1.92770507
      max1d: float64 [2, 2, 4] w=2.4927508
      dx: float64 [2, 2, 7] w=10.3455318
      avg1d: float64 [2, 2, 4] w=1.92297666
      dx: float64 [2, 2, 7] w=7.44290175
      nan: float64 [1, 1, 2] nan 3 w=nan
    */);
    galley_rng rng;
    galley_rng_seed(&rng, 15, 5);
    galley_tensor *in =
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 2, 5, 4)));
    S_pool_args pm = {1, 0, {3, 2}, {2, 1}, {1, 1}};
    S_pool_args pa = {0, 0, {3, 2}, {2, 1}, {1, 1}};
    S_pool_args pm1 = {1, 1, {3, 0}, {1, 0}, {1, 0}};
    gradcheck_ok("max_pool2d", S_pool_fn, &in, 1, &pm);
    gradcheck_ok("avg_pool2d", S_pool_fn, &in, 1, &pa);
    galley_tensor *in1 =
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 4, 5)));
    gradcheck_ok("max_pool1d", S_pool_fn, &in1, 1, &pm1);
    galley_tensor_on_error(on_error, NULL);
    got(galley_max_pool2d(x, (long[]){2, 2}, NULL, (long[]){0, 2}));
    got(galley_avg_pool2d(x, (long[]){6, 2}, NULL, NULL));
    got(galley_max_pool1d(x1, 0, 1, 0));
    got(galley_max_pool1d(x, 2, 2, 0));
    got(galley_avg_pool2d(x, NULL, NULL, NULL));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      gradcheck max_pool2d: ok
      gradcheck avg_pool2d: ok
      gradcheck max_pool1d: ok
      error: galley_max_pool2d: kernel 2, padding 2 on spatial axis 1: needs a kernel >= 1 and a padding of at most half of it
      error: galley_avg_pool2d: x float64 [1, 2, 5, 5] padded to 5 x 5 is smaller than the kernel 6 x 2
      error: galley_max_pool1d: kernel 0, padding 0 on spatial axis 0: needs a kernel >= 1 and a padding of at most half of it
      error: galley_max_pool1d: x float64 [1, 2, 5, 5]: needs [N, C, L] (or [C, L])
      error: galley_avg_pool2d: kernel is NULL; it gives the window's size
    */);
    galley_tensor_free_all();
}

/* ---- einsum ---- */

/* einsum of the subscripts in ud over the inputs (one or two). */
static galley_tensor *S_einsum_fn(galley_tensor *const *in, int n, void *ud)
{
    return galley_einsum(ud, in[0], n > 1 ? in[1] : NULL);
}

/* Shows einsum(spec, a, b) and, when it has elements, the gradients of a
 * and b (zeroed first) for y.backward(G). */
static void S_show_einsum(const char *spec, galley_tensor *a, galley_tensor *b)
{
    galley_zero_grad(a);
    if (b)
        galley_zero_grad(b);
    galley_tensor *y = galley_einsum(spec, a, b);
    show_w(spec, y);
    backward_seq(y);
    show_w_grad("  da", a);
    if (b)
        show_w_grad("  db", b);
}

TEST(einsum_against_torch)
{
    /* torch.einsum(spec, a, b) with a, b of seq(shape, 1, 1) and
     * seq(shape, .5, .2) (requires_grad), then y.backward(G); each line's
     * shapes are those printed. */
    galley_tensor *m34 = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(3, 4));
    galley_tensor *m45 = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(4, 5));
    galley_tensor *n34 = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(3, 4));
    galley_tensor *b234 = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(2, 3, 4));
    galley_tensor *b245 =
        seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(2, 4, 5));
    galley_tensor *q = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(2, 2, 3, 4));
    galley_tensor *k =
        seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(2, 2, 5, 4));
    galley_tensor *v4 = seq_param(GALLEY_F64, 1, 1, GALLEY_SHAPE(4));
    galley_tensor *u4 = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(4));
    galley_tensor *u3 = seq_param(GALLEY_F64, 0.5, 0.2, GALLEY_SHAPE(3));
    S_show_einsum("ij,jk->ik", m34, m45);
    S_show_einsum("bij,bjk->bik", b234, b245);
    S_show_einsum("bhqd,bhkd->bhqk", q, k);
    S_show_einsum("ij,ij->ij", m34, n34);
    S_show_einsum("i,j->ij", u3, v4);
    S_show_einsum("i,i->", v4, u4);
    S_show_einsum("ij,kj", m34, n34);
    S_show_einsum("bij,jk->ki", b234, m45);
    S_show_einsum("ij->ji", m34, NULL);
    S_show_einsum("ij->", m34, NULL);
    S_show_einsum("bij->j", b234, NULL);
    S_show_einsum(" i j , j k ", m34, m45);
    EXPECT(/*
      ij,jk->ik: float64 [3, 5] w=-1.55398565
        da: float64 [3, 4] 8.91409016 -4.31414171 -2.00159598 7.52127339 -6.77437648 1.1119893 4.99265022 -9.111649 3.77373015 2.23148209 -7.3492054 9.54405588 w=5.77704837
        db: float64 [4, 5] w=-1.93855738
      bij,bjk->bik: float64 [2, 3, 5] w=3.22563557
        da: float64 [2, 3, 4] w=1.86610442
        db: float64 [2, 4, 5] w=0.804306248
      bhqd,bhkd->bhqk: float64 [2, 2, 3, 5] w=-10.1107401
        da: float64 [2, 2, 3, 4] w=-6.26284843
        db: float64 [2, 2, 5, 4] w=17.287037
      ij,ij->ij: float64 [3, 4] 0.66869791 2.34314194 0.526117453 -3.00197761 -3.10114731 -0.477666249 -0.15340412 -2.09679102 -1.43676995 2.17591745 3.53378401 1.18193179 w=0.183010761
        da: float64 [3, 4] 0.234843207 2.16836197 3.69708145 2.67933227 0.134471264 -1.04598301 0.228249933 1.87234482 1.30344737 -1.24606982 -3.00528877 -2.17930113 w=7.52379902
        db: float64 [3, 4] 0.994686717 3.0605896 0.559774984 -2.04476888 -0.159490826 0.68385031 -2.56889675 -3.4962126 -0.616325939 -0.677940315 -3.40171317 -2.12345137 w=13.0647899
      i,j->ij: float64 [3, 4] 0.66869791 0.722598045 0.11214487 -0.601413781 2.16836197 2.34314194 0.363648021 -1.95018221 3.13713539 3.39000297 0.526117453 -2.82147802 w=-3.54460958
        da: float64 [3] 2.57028242 0.03711898 -2.64023109 w=0.82827972
        db: float64 [4] -1.05187946 0.253494119 1.43964545 1.94870904 w=0.828224792
      i,i->: float64 [] 0.535979692 w=0.533302026
        da: float64 [4] 0.234843207 0.761517376 1.10174553 1.17222796 w=2.06180811
        db: float64 [4] 0.994686717 1.07486305 0.166815256 -0.894601719 w=1.74356246
      ij,kj: float64 [3, 3] 0.535979692 5.84674098 -5.40218522 4.89174279 -5.8290087 -0.0402957268 -6.93089263 1.77344773 5.45486331 w=1.62370143
        da: float64 [3, 4] -0.501095825 -1.76632638 -2.59909863 -2.7955209 2.80436859 4.25890801 4.67071821 3.9389737 -2.33045329 -2.53385986 -2.11688915 -1.18163016 w=-6.08633253
        db: float64 [3, 4] -3.20761837 2.44711161 5.85197846 3.8765633 1.21645087 4.93658841 4.11804934 -0.486605309 5.06840426 5.10431055 0.447337259 -4.62091584 w=-7.85439321
      bij,jk->ki: float64 [5, 3] w=-2.03120447
        da: float64 [2, 3, 4] w=0.298520297
        db: float64 [4, 5] w=0.0399483277
      ij->ji: float64 [4, 3] 1.68294197 -1.91784855 0.82423697 1.81859485 -0.558830996 -1.08804222 0.282240016 1.3139732 -1.99998041 -1.51360499 1.97871649 -1.07314584 w=2.6234873
        da: float64 [3, 4] 0.591040413 1.35092636 -1.95506024 0.623082727 1.68294197 0.0831613249 -1.76690931 1.70087324 1.98332962 -1.22371578 -0.74775333 1.97871649 w=-0.899204548
      ij->: float64 [] -0.250749507 w=-0.249496804
        da: float64 [3, 4] 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 0.591040413 w=-1.36864942
      bij->j: float64 [4] 1.18018076 0.633259235 -0.495877908 -1.16910719 w=0.995181032
        da: float64 [2, 3, 4] w=2.01569827
       i j , j k : float64 [3, 5] w=-1.55398565
        da: float64 [3, 4] 8.91409016 -4.31414171 -2.00159598 7.52127339 -6.77437648 1.1119893 4.99265022 -9.111649 3.77373015 2.23148209 -7.3492054 9.54405588 w=5.77704837
        db: float64 [4, 5] w=-1.93855738
    */);
    galley_rng rng;
    galley_rng_seed(&rng, 15, 6);
    galley_tensor *in[2] = {
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 3, 4))),
        galley_param(galley_randn(&rng, GALLEY_F64, GALLEY_SHAPE(2, 4, 3)))};
    gradcheck_ok("bij,bjk->bik", S_einsum_fn, in, 2, "bij,bjk->bik");
    gradcheck_ok("bij,bkl->lj", S_einsum_fn, in, 2, "bij,bkl->lj");
    gradcheck_ok("bij->ji", S_einsum_fn, in, 1, "bij->ji");
    galley_tensor_on_error(on_error, NULL);
    got(galley_einsum("ij,j!->i", m34, v4));
    got(galley_einsum("ij,jk->ik", m34, v4));
    got(galley_einsum("ij,jk->ik", m34, m34));
    got(galley_einsum("ij,jk->il", m34, m45));
    got(galley_einsum("ii->i", m34, NULL));
    got(galley_einsum("ij,jk,kl->il", m34, m45));
    got(galley_einsum("ij-ik", m34, NULL));
    got(galley_einsum("ij->ij", m34, m45));
    got(galley_einsum("...ij->ij", m34, NULL));
    got(galley_einsum("ij->ij", galley_zeros(GALLEY_I64, GALLEY_SHAPE(1, 1)),
                      NULL));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      gradcheck bij,bjk->bik: ok
      gradcheck bij,bkl->lj: ok
      gradcheck bij->ji: ok
      error: galley_einsum: "ij,j!->i": '!' at position 4 is not a subscript (a letter), ',' or "->"
      error: galley_einsum: "ij,jk->ik": operand 1 float64 [4] has 1 dimensions but 2 subscripts "jk"
      error: galley_einsum: "ij,jk->ik": subscript 'j' is 4 in operand 0 and 3 in operand 1
      error: galley_einsum: "ij,jk->il": output subscript 'l' is in no operand
      error: galley_einsum: "ii->i": 'i' at position 1: a subscript repeated in one tensor (diagonals) is not supported
      error: galley_einsum: "ij,jk,kl->il": more than two operands at position 6; einsum takes one or two
      error: galley_einsum: "ij-ik": '-' at position 2 is not followed by '>'
      error: galley_einsum: "ij->ij" names 1 operand; 2 given
      error: galley_einsum: "...ij->ij": '.' at position 0: an ellipsis ("...") is not supported; name every axis
      error: galley_einsum: a is int64 [1, 1]; galley_einsum needs float32 or float64 (cast with galley_tensor_to)
    */);
    galley_tensor_free_all();
}

TEST(graph_of_layers)
{
    /* How the new ops print in a graph, with their arguments. */
    galley_tensor *x = galley_set_name(
        galley_param(galley_ones(GALLEY_F32, GALLEY_SHAPE(1, 2, 4, 4))), "x");
    galley_tensor *w = galley_set_name(
        galley_param(galley_ones(GALLEY_F32, GALLEY_SHAPE(2, 1, 2, 2))), "w");
    galley_tensor *y = galley_conv2d(x, w, NULL, (long[]){2, 1}, NULL, NULL, 2);
    galley_tensor *m = galley_max_pool2d(y, (long[]){2, 2}, NULL, NULL);
    galley_tensor *a = galley_avg_pool2d(y, (long[]){1, 2}, (long[]){1, 1},
                                         (long[]){0, 1});
    galley_tensor *d = galley_dropout(m, 0.5, 1, NULL);
    galley_tensor *l = galley_add(
        galley_huber_loss(d, galley_zeros(GALLEY_F32, GALLEY_SHAPE(1)), 0.25),
        galley_l1_loss(a, galley_zeros(GALLEY_F32, GALLEY_SHAPE(1))));
    galley_print_graph(stdout, l);
    EXPECT(/*
      %0 = param "x" float32 [1, 2, 4, 4]
      %1 = param "w" float32 [2, 1, 2, 2]
      %2 = conv2d(%0, %1, stride=2x1 padding=0x0 dilation=1x1 groups=2) float32 [1, 2, 2, 3]
      %3 = max_pool2d(%2, kernel=2x2 stride=2x2 padding=0x0) float32 [1, 2, 1, 1]
      %4 = dropout(%3, p=0.5) float32 [1, 2, 1, 1]
      %5 = const float32 [1]
      %6 = huber_loss(%4, %5, delta=0.25) float32 []
      %7 = avg_pool2d(%2, kernel=1x2 stride=1x1 padding=0x1) float32 [1, 2, 2, 4]
      %8 = const float32 [1]
      %9 = l1_loss(%7, %8) float32 []
      %10 = add(%6, %9) float32 []
    */);
    galley_tensor_free_all();
}
