/* tensor_torch_test.c: the places where galley's tensors disagreed with
 * PyTorch at the edges (issue 15): cross_entropy with -inf logits, pow's
 * gradient at base 0, relu's gradient at NaN, max_all's gradient on ties,
 * type promotion, mse's broadcasting, and gradcheck's options with zero
 * tolerances. Each expected number was printed by torch 1.13 (Debian's
 * python3-torch, float64 unless said) with the expression in the comment
 * above it; "torch" there is `import torch, torch.nn.functional as F`. */
#include "tensor_check.h"

/* show_digits with the digits that tell a float32 (9) or float64 (17)
 * apart. */
static void show(const char *what, galley_tensor *t)
{
    show_digits(what, t, 9, 17);
}

/* ---- cross_entropy with -inf logits ---- */

/* A logit of -inf (a masked class) that is not the target: the loss is
 * finite and its class gets no gradient. The logits are
 * z = [[1, -inf, 2], [0.5, 0, -inf]], dtype float32 or float64:
 *   l = F.cross_entropy(z, torch.tensor([0, 1])); l.backward()
 *   -> 1.1436693668365479 (float32), 1.1436693358491647 (float64)
 * and z.grad as printed. A probability target with 0 on the -inf class
 * gives NaN in torch 1.13 (the sum has 0 * -inf: torch multiplies, it does
 * not mask), and so does galley; the gradients are finite:
 *   F.cross_entropy(z, p) with p = [[0.25, 0, 0.75], [0.5, 0.5, 0]]
 *   -> nan; z.grad as printed, p.grad = -log_softmax(z) / 2 (inf on the
 *   -inf classes). */
static void S_ce_case(galley_dtype dt)
{
    static const double z[] = {1, -INFINITY, 2, 0.5, 0, -INFINITY};
    static const double pr[] = {0.25, 0, 0.75, 0.5, 0.5, 0};
    static const int64_t k[] = {0, 1};
    galley_tensor *logits = vals(dt, z, GALLEY_SHAPE(2, 3));
    galley_tensor *l = galley_cross_entropy(
        logits, galley_from_i64(k, GALLEY_SHAPE(2)));
    galley_backward(l);
    show("indices: loss", l);
    show("indices: dlogits", galley_grad(logits));
    galley_zero_grad(logits);
    galley_tensor *p = vals(dt, pr, GALLEY_SHAPE(2, 3));
    l = galley_cross_entropy(logits, p);
    galley_backward(l);
    show("probabilities: loss", l);
    show("probabilities: dlogits", galley_grad(logits));
    show("probabilities: dtarget", galley_grad(p));
}

TEST(cross_entropy_with_minus_inf_logits)
{
    printf("float32\n");
    S_ce_case(GALLEY_F32);
    printf("float64\n");
    S_ce_case(GALLEY_F64);
    /* The target on the -inf class: an infinite loss, as torch.
     *   z = [[1, -inf, 2]]; F.cross_entropy(z, torch.tensor([1]))
     *   -> inf, z.grad [[0.2689414214, -1, 0.7310585786]] */
    static const double z[] = {1, -INFINITY, 2};
    static const int64_t k[] = {1};
    galley_tensor *logits = vals(GALLEY_F64, z, GALLEY_SHAPE(1, 3));
    galley_tensor *l = galley_cross_entropy(
        logits, galley_from_i64(k, GALLEY_SHAPE(1)));
    galley_backward(l);
    show("target on -inf: loss", l);
    show("target on -inf: dlogits", galley_grad(logits));
    EXPECT(/*
      float32
      indices: loss: float32 [] = 1.14366937
      indices: dlogits: float32 [2, 3] = -0.365529299 0 0.365529299 0.311229676 -0.311229646 0
      probabilities: loss: float32 [] = nan
      probabilities: dlogits: float32 [2, 3] = 0.00947071612 0 -0.00947070122 0.061229676 -0.0612296611 0
      probabilities: dtarget: float32 [2, 3] = 0.656630814 inf 0.156630829 0.237038493 0.487038493 inf
      float64
      indices: loss: float64 [] = 1.1436693358491647
      indices: dlogits: float64 [2, 3] = -0.36552928931500245 0 0.36552928931500245 0.3112296656009273 -0.3112296656009273 0
      probabilities: loss: float64 [] = nan
      probabilities: dlogits: float64 [2, 3] = 0.009470710684997552 0 -0.009470710684997552 0.061229665600927297 -0.061229665600927297 0
      probabilities: dtarget: float64 [2, 3] = 0.6566308437591114 inf 0.15663084375911143 0.23703849209005334 0.48703849209005334 inf
      target on -inf: loss: float64 [] = inf
      target on -inf: dlogits: float64 [1, 3] = 0.2689414213699951 -1 0.7310585786300049
    */);
    galley_tensor_free_all();
}

/* ---- pow at base 0 ---- */

/* torch's formulas (tools/autograd/templates/FunctionsManual.cpp, 1.13):
 * da = where(b == 0, 0, g * b * a^(b-1)); db = g * where(a == 0 & b >= 0,
 * 0, a^b * log(a)). With
 *   a = torch.tensor([0., 0, 0, 2, 0, -1.5], dtype=torch.float64,
 *                    requires_grad=True)
 *   b = torch.tensor([0., 2, 0.5, 0, -1, 2], dtype=torch.float64,
 *                    requires_grad=True)
 *   torch.pow(a, b).sum().backward()
 * -> pow [1, 0, 0, 1, inf, 2.25], a.grad [0, 0, inf, 0, -inf, -3],
 *    b.grad [0, 0, 0, 0.69314718055994529, -inf, nan]
 * and for a = [0, 1.5] (float64): a.pow(p).sum().backward() gives a.grad
 *   p = 0: [0, 0]; 2: [0, 3]; 0.5: [inf, 0.40824829046386307];
 *   1: [1, 1]; -1: [-inf, -0.44444444444444442].
 * 0.5 * 1.5^-0.5 is an ulp off torch's, which takes x^-0.5 as 1/sqrt(x)
 * (hence the tolerance). */
TEST(pow_gradient_at_zero)
{
    static const double av[] = {0, 0, 0, 2, 0, -1.5};
    static const double bv[] = {0, 2, 0.5, 0, -1, 2};
    galley_tensor *a = vals(GALLEY_F64, av, GALLEY_SHAPE(6));
    galley_tensor *b = vals(GALLEY_F64, bv, GALLEY_SHAPE(6));
    galley_tensor *y = galley_pow(a, b);
    galley_backward(galley_sum_all(y));
    show("pow", y);
    show("da", galley_grad(a));
    show("db", galley_grad(b));
    static const double ps[] = {0, 2, 0.5, 1, -1};
    static const double xv[] = {0, 1.5};
    for (int i = 0; i < 5; i++) {
        galley_tensor *x = vals(GALLEY_F64, xv, GALLEY_SHAPE(2));
        galley_backward(galley_sum_all(galley_pow_scalar(x, ps[i])));
        char what[32];
        snprintf(what, sizeof what, "pow_scalar %g: dx", ps[i]);
        show(what, galley_grad(x));
    }
    EXPECT_NEAR(.rtol = 1e-15, /*
      pow: float64 [6] = 1 0 0 1 inf 2.25
      da: float64 [6] = 0 0 inf 0 -inf -3
      db: float64 [6] = 0 0 0 0.69314718055994529 -inf nan
      pow_scalar 0: dx: float64 [2] = 0 0
      pow_scalar 2: dx: float64 [2] = 0 3
      pow_scalar 0.5: dx: float64 [2] = inf 0.40824829046386302
      pow_scalar 1: dx: float64 [2] = 1 1
      pow_scalar -1: dx: float64 [2] = -inf -0.44444444444444442
    */);
    galley_tensor_free_all();
}

/* fn of gradcheck: pow(in[0], in[1]). */
static galley_tensor *S_pow2(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_pow(in[0], in[1]);
}

/* fn of gradcheck: pow(in[0], the exponents in ud). */
static galley_tensor *S_pow_const(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    return galley_pow(in[0], ud);
}

/* gradcheck at base 0, where central differences see a smooth function:
 * exponents 1, 2 and 3 for both operands (0^(b +- h) is 0 for b > h); the
 * exponent 0 for the base only, since 0^(-h) is inf (the derivative in b
 * does not exist there: torch's 0 is a convention). torch passes both:
 *   a = [0., 0, 0, 1.5], b = [1., 2, 3, 0.7] (float64, requires_grad)
 *   torch.autograd.gradcheck(torch.pow, (a, b)) -> True
 *   x = [0., 0, 1.5], e = [0., 2, 0]
 *   torch.autograd.gradcheck(lambda x: torch.pow(x, e), (x,)) -> True */
TEST(pow_gradcheck_at_base_zero)
{
    static const double av[] = {0, 0, 0, 1.5}, bv[] = {1, 2, 3, 0.7};
    galley_tensor *in[2] = {vals(GALLEY_F64, av, GALLEY_SHAPE(4)),
                            vals(GALLEY_F64, bv, GALLEY_SHAPE(4))};
    galley_gradcheck(S_pow2, in, 2, NULL, NULL);
    static const double a0[] = {0, 0, 1.5}, b0[] = {0, 2, 0};
    galley_tensor *x = vals(GALLEY_F64, a0, GALLEY_SHAPE(3));
    galley_gradcheck(S_pow_const, &x, 1,
                     galley_from_f64(b0, GALLEY_SHAPE(3)), NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [4]: max abs err 1.1e-10 at [3] of output [3], max rel err 1 at [2] of output [2]: ok
      gradcheck: input 1 float64 [4]: max abs err 6.6e-11 at [3] of output [3], max rel err 1.2e-10 at [3] of output [3]: ok
      gradcheck: passed
      gradcheck: input 0 float64 [3]: max abs err 0, max rel err 0: ok
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

/* ---- relu at NaN, max_all on ties ---- */

/* torch's relu backward is threshold_backward(g, relu(x), 0): g where the
 * result is not <= 0, so NaN passes it:
 *   x = torch.tensor([nan, -1, 0, 2, -0.]); torch.relu(x).backward(ones)
 *   -> x.grad [1, 0, 0, 1, 0]
 * torch's max() of all elements splits the gradient evenly among the
 * maxima (evenly_distribute_backward); max(dim) gives it to the index it
 * returns, the first:
 *   x = [[1., 3, 3], [3, 0, 2]]; x.max().backward()
 *   -> [[0, 0.3333333433, 0.3333333433], [0.3333333433, 0, 0]] (float32)
 *   (x.max(dim=1).values * torch.tensor([1., 10])).sum().backward()
 *   -> [[0, 1, 0], [10, 0, 0]]
 *   x = [1., nan, 3, nan]; (x.max() * 2).backward() -> [0, 1, 0, 1] */
TEST(relu_at_nan_and_max_all_ties)
{
    static const double r[] = {NAN, -1, 0, 2, -0.0};
    galley_tensor *x = vals(GALLEY_F32, r, GALLEY_SHAPE(5));
    galley_tensor *y = galley_relu(x);
    galley_backward_with(y, galley_ones_like(y));
    show("relu", y);
    show("relu: dx", galley_grad(x));
    static const double m[] = {1, 3, 3, 3, 0, 2};
    x = vals(GALLEY_F32, m, GALLEY_SHAPE(2, 3));
    galley_backward(galley_max_all(x));
    show("max_all: dx", galley_grad(x));
    galley_zero_grad(x);
    static const float w[] = {1, 10};
    galley_backward(galley_sum_all(galley_mul(
        galley_max(x, 1, 0), galley_from_f32(w, GALLEY_SHAPE(2)))));
    show("max axis 1: dx", galley_grad(x));
    static const double mn[] = {1, NAN, 3, NAN};
    x = vals(GALLEY_F32, mn, GALLEY_SHAPE(4));
    y = galley_max_all(x);
    galley_backward(galley_mul_scalar(y, 2));
    show("max_all with NaNs", y);
    show("max_all with NaNs: dx", galley_grad(x));
    EXPECT(/*
      relu: float32 [5] = nan 0 0 2 -0
      relu: dx: float32 [5] = 1 0 0 1 0
      max_all: dx: float32 [2, 3] = 0 0.333333343 0.333333343 0.333333343 0 0
      max axis 1: dx: float32 [2, 3] = 0 1 0 10 0 0
      max_all with NaNs: float32 [] = nan
      max_all with NaNs: dx: float32 [4] = 0 1 0 1
    */);
    galley_tensor_free_all();
}

/* The gradient of a select (max, min, over all or along an axis) is 0 off
 * the selected elements even when the incoming gradient is inf: torch
 *   x = torch.tensor([3., 1., 3.], dtype=torch.float64, requires_grad=True)
 *   x.max().backward(torch.tensor(inf))         -> [inf, 0, inf]
 *   x.max(0).values.backward(torch.tensor(inf)) -> [inf, 0, 0]
 * and the same for min of [1, 3, 1]. */
static galley_tensor *S_select(int which, galley_tensor *x)
{
    switch (which) {
    case 0: return galley_max_all(x);
    case 1: return galley_max(x, 0, 0);
    case 2: return galley_min_all(x);
    default: return galley_min(x, 0, 0);
    }
}

TEST(select_gradients_are_zero_off_the_selection)
{
    static const char *const names[] = {"max_all", "max(0)", "min_all",
                                        "min(0)"};
    for (int k = 0; k < 4; k++) {
        double v[] = {3, 1, 3};
        if (k >= 2)
            v[0] = v[2] = 1, v[1] = 3;
        galley_tensor *x = galley_param(galley_from_f64(v, GALLEY_SHAPE(3)));
        galley_backward_with(S_select(k, x), galley_scalar(GALLEY_F64, INFINITY));
        show(names[k], galley_grad(x));
    }
    EXPECT(/*
      max_all: float64 [3] = inf 0 inf
      max(0): float64 [3] = inf 0 0
      min_all: float64 [3] = inf 0 inf
      min(0): float64 [3] = inf 0 0
    */);
}

/* fn of gradcheck: max_all(in[0]). */
static galley_tensor *S_max_all(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_max_all(in[0]);
}

/* With the gradient split, a tie of two maxima is where central
 * differences agree with backward: (x + h) at one of them raises the max
 * by h, (x - h) leaves it, a slope of 1/2 for each. */
TEST(max_all_tie_passes_gradcheck)
{
    static const double m[] = {3, 1, 3};
    galley_tensor *x = vals(GALLEY_F64, m, GALLEY_SHAPE(3));
    galley_gradcheck(S_max_all, &x, 1, NULL, NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [3]: max abs err 7e-11 at [0], max rel err 1.4e-10 at [0]: ok
      gradcheck: passed
    */);
    galley_tensor_free_all();
}

/* ---- type promotion ---- */

typedef galley_tensor *(*S_op2)(galley_tensor *, galley_tensor *);

/* float32 [[1.5], [-2]] OP float64 [0.1, 3, 0.5], broadcast to [2, 3] and
 * promoted to float64; backward of sum twice (the second adds to the
 * gradients), each gradient in its operand's dtype:
 *   a = torch.tensor([[1.5], [-2.]], requires_grad=True)
 *   b = torch.tensor([0.1, 3, 0.5], dtype=torch.float64, requires_grad=True)
 *   o = OP(a, b); o.sum().backward(retain_graph=True); o.sum().backward()
 * add: o [1.6, 4.5, 2, -1.9, 1, -1.5], a.grad float32 [6, 6],
 *   b.grad [4, 4, 4];
 * sub: o [1.4, -1.5, 1, -2.1, -5, -2.5], a.grad [6, 6], b.grad [-4, -4, -4];
 * mul: o [0.15000000000000002, 4.5, 0.75, -0.2, -6, -1],
 *   a.grad [7.199999809265137, 7.199999809265137], b.grad [-1, -1, -1];
 * div: o [15, 0.5, 3, -20, -0.6666666666666666, -4],
 *   a.grad [24.66666603088379, 24.66666603088379],
 *   b.grad [100, 0.1111111111111111, 4]. */
static void S_promote_case(const char *name, S_op2 f)
{
    static const double av[] = {1.5, -2}, bv[] = {0.1, 3, 0.5};
    galley_tensor *a = vals(GALLEY_F32, av, GALLEY_SHAPE(2, 1));
    galley_tensor *b = vals(GALLEY_F64, bv, GALLEY_SHAPE(3));
    galley_tensor *o = f(a, b), *s = galley_sum_all(o);
    galley_backward(s);
    galley_backward(s);
    printf("%s\n", name);
    show("  out", o);
    show("  da", galley_grad(a));
    show("  db", galley_grad(b));
}

/* A 0-d operand does not raise the dtype of one with dimensions within
 * its category, as torch's result_type (numpy 1.24's value-based casting
 * agrees): a float64 constant keeps a float32 model float32. torch:
 *   a = torch.tensor([1., 2.], requires_grad=True)
 *   s = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)
 *   y = a * s + a          -> float32 [1.1000, 2.2000] ((a * s).tolist():
 *                             0.10000000149011612, 0.20000000298023224)
 *   y.sum().backward()     -> a.grad float32 [1.1, 1.1], s.grad float64 3
 *   torch.tensor([1, 2]) + torch.tensor(0.5, dtype=torch.float64)
 *                          -> float64 [1.5, 2.5]
 *   torch.tensor(1.) + torch.tensor(0.1, dtype=torch.float64) -> float64 */
TEST(a_0d_operand_keeps_the_dtype_of_one_with_dimensions)
{
    galley_tensor *a = galley_param(galley_from_f32((float[]){1, 2},
                                                    GALLEY_SHAPE(2)));
    galley_tensor *s = galley_param(galley_scalar(GALLEY_F64, 0.1));
    show("a * s", galley_mul(a, s));
    galley_tensor *y = galley_add(galley_mul(a, s), a);
    show("y", y);
    galley_backward(galley_sum_all(y));
    show("a.grad", galley_grad(a));
    show("s.grad", galley_grad(s));
    show("i64 [2] + f64 0-d",
         galley_add(galley_from_i64((int64_t[]){1, 2}, GALLEY_SHAPE(2)),
                    galley_scalar(GALLEY_F64, 0.5)));
    show("f32 0-d + f64 0-d", galley_add(galley_scalar(GALLEY_F32, 1),
                                         galley_scalar(GALLEY_F64, 0.1)));
    EXPECT(/*
      a * s: float32 [2] = 0.100000001 0.200000003
      y: float32 [2] = 1.10000002 2.20000005
      a.grad: float32 [2] = 1.10000002 1.10000002
      s.grad: float64 [] = 3
      i64 [2] + f64 0-d: float64 [2] = 1.5 2.5
      f32 0-d + f64 0-d: float64 [] = 1.1000000000000001
    */);
}

TEST(binary_ops_promote_float32_to_float64)
{
    S_promote_case("add", galley_add);
    S_promote_case("sub", galley_sub);
    S_promote_case("mul", galley_mul);
    S_promote_case("div", galley_div);
    EXPECT(/*
      add
        out: float64 [2, 3] = 1.6000000000000001 4.5 2 -1.8999999999999999 1 -1.5
        da: float32 [2, 1] = 6 6
        db: float64 [3] = 4 4 4
      sub
        out: float64 [2, 3] = 1.3999999999999999 -1.5 1 -2.1000000000000001 -5 -2.5
        da: float32 [2, 1] = 6 6
        db: float64 [3] = -4 -4 -4
      mul
        out: float64 [2, 3] = 0.15000000000000002 4.5 0.75 -0.20000000000000001 -6 -1
        da: float32 [2, 1] = 7.19999981 7.19999981
        db: float64 [3] = -1 -1 -1
      div
        out: float64 [2, 3] = 15 0.5 3 -20 -0.66666666666666663 -4
        da: float32 [2, 1] = 24.666666 24.666666
        db: float64 [3] = 100 0.1111111111111111 4
    */);
    galley_tensor_free_all();
}

/* float32 OP int64 gives float32; float64 with int64 float64:
 *   a = torch.tensor([1.5, 2.], requires_grad=True); i = torch.tensor([2, 3])
 *   b = torch.tensor([0.1, 3.], dtype=torch.float64, requires_grad=True)
 *   torch.pow(a, b).sum().backward()
 *   -> [1.0413797439924106, 8] float64, a.grad [0.0694253146648407, 12],
 *      b.grad [0.4222431381153491, 5.545177459716797]
 *   (torch 1.13 takes log(a) in a's float32: 8 log 2 rounded to float32 is
 *   5.545177459716797; galley takes it in the result's float64, as later
 *   torch does, whose pow_backward_exponent casts self to the promoted
 *   dtype: 1.0413797439924106 * log(1.5) = 0.42224315047953531 and 8 log 2
 *   = 5.5451774444795623 in float64)
 *   torch.div(i, a) -> [1.3333333730697632, 1.5] float32,
 *      a.grad [-0.8888888955116272, -0.75]
 *   torch.pow(a, i) -> [2.25, 8] float32, a.grad [3, 12]
 *   torch.pow(i, a) -> [2.8284270763397217, 9] float32,
 *      a.grad [1.9605162143707275, 9.887510299682617]
 *   torch.sub(i, b) -> [1.9, 0] float64
 * cross_entropy with float32 logits and float64 probabilities:
 *   z = torch.tensor([[1., 2], [0.5, -1]], requires_grad=True)
 *   p = torch.tensor([[0.5, 0.5], [0.25, 0.75]], dtype=torch.float64,
 *                    requires_grad=True)
 *   F.cross_entropy(z, p).backward() -> 1.0698375105857849 float64,
 *   z.grad float32 [-0.115529284, 0.115529299, 0.283787221, -0.283787251],
 *   p.grad float64 [0.65663081407546997, 0.15663082897663116,
 *                   0.10070666670799255, 0.85070669651031494]
 * torch refuses matmul of two dtypes:
 *   torch.matmul(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))
 *   -> RuntimeError: expected scalar type Float but found Double */
TEST(promotion_with_int64_and_pow)
{
    static const double av[] = {1.5, 2}, bv[] = {0.1, 3};
    static const int64_t iv[] = {2, 3};
    galley_tensor *i = galley_from_i64(iv, GALLEY_SHAPE(2));
    galley_tensor *a = vals(GALLEY_F32, av, GALLEY_SHAPE(2));
    galley_tensor *b = vals(GALLEY_F64, bv, GALLEY_SHAPE(2));
    galley_tensor *o = galley_pow(a, b);
    galley_backward(galley_sum_all(o));
    show("pow(f32, f64)", o);
    show("  da", galley_grad(a));
    show("  db", galley_grad(b));
    S_op2 ops[] = {galley_div, galley_pow};
    const char *names[] = {"div", "pow"};
    for (int k = 0; k < 2; k++) {
        for (int swap = 0; swap < 2; swap++) {
            if (ops[k] == galley_div && !swap)
                continue;
            galley_zero_grad(a);
            o = swap ? ops[k](i, a) : ops[k](a, i);
            galley_backward(galley_sum_all(o));
            printf("%s(%s)\n", names[k], swap ? "i64, f32" : "f32, i64");
            show("  out", o);
            show("  da", galley_grad(a));
        }
    }
    show("sub(i64, f64)", galley_sub(i, galley_detach(b)));
    static const double zv[] = {1, 2, 0.5, -1}, pv[] = {0.5, 0.5, 0.25, 0.75};
    galley_tensor *z = vals(GALLEY_F32, zv, GALLEY_SHAPE(2, 2));
    galley_tensor *p = vals(GALLEY_F64, pv, GALLEY_SHAPE(2, 2));
    galley_tensor *l = galley_cross_entropy(z, p);
    galley_backward(l);
    show("cross_entropy(f32, f64)", l);
    show("  dz", galley_grad(z));
    show("  dp", galley_grad(p));
    galley_tensor_on_error(on_error, NULL);
    got(galley_matmul(galley_ones(GALLEY_F32, GALLEY_SHAPE(2, 2)),
                      galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 2))));
    got(galley_add(i, i));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      pow(f32, f64): float64 [2] = 1.0413797439924106 8
        da: float32 [2] = 0.0694253147 12
        db: float64 [2] = 0.42224315047953531 5.5451774444795623
      div(i64, f32)
        out: float32 [2] = 1.33333337 1.5
        da: float32 [2] = -0.888888896 -0.75
      pow(f32, i64)
        out: float32 [2] = 2.25 8
        da: float32 [2] = 3 12
      pow(i64, f32)
        out: float32 [2] = 2.82842708 9
        da: float32 [2] = 1.96051621 9.8875103
      sub(i64, f64): float64 [2] = 1.8999999999999999 0
      cross_entropy(f32, f64): float64 [] = 1.0698375105857849
        dz: float32 [2, 2] = -0.115529284 0.115529299 0.283787221 -0.283787251
        dp: float64 [2, 2] = 0.65663081407546997 0.15663082897663116 0.10070666670799255 0.85070669651031494
      error: galley_matmul: float32 [2, 2] and float64 [2, 2]: dtypes differ, and galley_matmul takes one dtype (as torch); cast one with galley_tensor_to
      error: galley_add: int64 [2] and int64 [2]: galley_add needs a float32 or float64 operand (cast one with galley_tensor_to)
    */);
    galley_tensor_free_all();
}

/* ---- mse broadcasts ---- */

/* torch broadcasts mse_loss's operands (with a warning) and takes the
 * mean over the broadcast shape:
 *   a = torch.arange(12., dtype=torch.float64).reshape(3, 4).mul(0.5)
 *   b = torch.tensor([1., -2, 0.5, 3], dtype=torch.float64)
 *   F.mse_loss(a, b) -> 9.604166666666666
 *   a.grad [-1/6, 5/12, 1/12, -1/4, 1/6, 3/4, 5/12, 1/12, 1/2, 13/12, 3/4,
 *           5/12] (as printed), b.grad [-0.5, -2.25, -1.25,
 *           -0.24999999999999994]
 *   F.mse_loss([[1.], [2]], [0.5, -1, 4]) -> 4.75, grads
 *   [[-0.16666666666666674], [0.83333333333333337]] and
 *   [-0.66666666666666663, -1.66666666666666652, 1.66666666666666652]
 *   F.mse_loss(torch.ones(3, 4), torch.ones(5)) -> RuntimeError: The size
 *   of tensor a (4) must match the size of tensor b (5) at non-singleton
 *   dimension 1
 *   F.mse_loss(torch.tensor([1.5, 2.]), torch.tensor([1, 2])) -> 0.125
 *   float32 */
TEST(mse_broadcasts_as_torch)
{
    static const double bv[] = {1, -2, 0.5, 3};
    galley_tensor *a = galley_param(galley_reshape(
        galley_arange(GALLEY_F64, 0, 6, 0.5), GALLEY_SHAPE(3, 4)));
    galley_tensor *b = vals(GALLEY_F64, bv, GALLEY_SHAPE(4));
    galley_tensor *l = galley_mse(a, b);
    galley_backward(l);
    show("[3, 4] and [4]", l);
    show("  da", galley_grad(a));
    show("  db", galley_grad(b));
    static const double cv[] = {1, 2}, dv[] = {0.5, -1, 4};
    galley_tensor *c = vals(GALLEY_F64, cv, GALLEY_SHAPE(2, 1));
    galley_tensor *d = vals(GALLEY_F64, dv, GALLEY_SHAPE(3));
    l = galley_mse(c, d);
    galley_backward(l);
    show("[2, 1] and [3]", l);
    show("  dc", galley_grad(c));
    show("  dd", galley_grad(d));
    static const float ev[] = {1.5, 2};
    static const int64_t iv[] = {1, 2};
    show("float32 and int64", galley_mse(galley_from_f32(ev, GALLEY_SHAPE(2)),
                                         galley_from_i64(iv, GALLEY_SHAPE(2))));
    galley_tensor_on_error(on_error, NULL);
    got(galley_mse(galley_ones(GALLEY_F32, GALLEY_SHAPE(3, 4)),
                   galley_ones(GALLEY_F32, GALLEY_SHAPE(5))));
    galley_tensor_on_error(NULL, NULL);
    EXPECT(/*
      [3, 4] and [4]: float64 [] = 9.6041666666666661
        da: float64 [3, 4] = -0.16666666666666666 0.41666666666666663 0.083333333333333329 -0.25 0.16666666666666666 0.75 0.41666666666666663 0.083333333333333329 0.5 1.0833333333333333 0.75 0.41666666666666663
        db: float64 [4] = -0.5 -2.25 -1.25 -0.24999999999999994
      [2, 1] and [3]: float64 [] = 4.75
        dc: float64 [2, 1] = -0.16666666666666674 0.83333333333333337
        dd: float64 [3] = -0.66666666666666663 -1.6666666666666665 1.6666666666666665
      float32 and int64: float32 [] = 0.125
      error: galley_mse: shapes [3, 4] and [5] cannot be broadcast
    */);
    galley_tensor_free_all();
}

/* ---- gradcheck's options: zero tolerances ---- */

/* fn of gradcheck: in[0] * in[1], in quarters: every product and every
 * central difference with a step of 2^-20 is exact, so the errors are 0
 * and pass tolerances of 0. */
static galley_tensor *S_mul2(galley_tensor *const *in, int n, void *ud)
{
    (void)n, (void)ud;
    return galley_mul(in[0], in[1]);
}

/* fn of gradcheck: x + 1e-4 x detach(x), whose backward misses 1e-4 x. */
static galley_tensor *S_slightly_wrong(galley_tensor *const *in, int n,
                                       void *ud)
{
    (void)n, (void)ud;
    galley_tensor *q = galley_mul(in[0], galley_detach(in[0]));
    return galley_add(in[0], galley_mul_scalar(q, 1e-4));
}

/* atol = rtol = 0 is legal, a zero field no longer taken for "the
 * default"; as torch's, it passes exact gradients and fails the rest:
 *   a = torch.tensor([0.25, -1.5, 2], dtype=torch.float64, requires_grad=True)
 *   b = torch.tensor([3, 0.75, -0.5], dtype=torch.float64, requires_grad=True)
 *   torch.autograd.gradcheck(lambda a, b: a * b, (a, b), eps=2**-20,
 *                            atol=0, rtol=0) -> True
 *   f = lambda x: x + 1e-4 * x * x.detach()
 *   torch.autograd.gradcheck(f, (a,)) -> True
 *   torch.autograd.gradcheck(f, (a,), atol=0, rtol=0,
 *                            raise_exception=False) -> False
 * A struct not started from GALLEY_GRADCHECK_OPTIONS_INIT is refused, and
 * so are eps <= 0 and negative tolerances. */
TEST(gradcheck_tolerances_may_be_zero)
{
    static const double av[] = {0.25, -1.5, 2}, bv[] = {3, 0.75, -0.5};
    galley_tensor *in[2] = {vals(GALLEY_F64, av, GALLEY_SHAPE(3)),
                            vals(GALLEY_F64, bv, GALLEY_SHAPE(3))};
    galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.eps = 0x1p-20;
    o.atol = 0;
    o.rtol = 0;
    printf("exact, tolerances 0:\n");
    galley_gradcheck(S_mul2, in, 2, NULL, &o);
    printf("slightly wrong, defaults -> %d\n",
           galley_gradcheck(S_slightly_wrong, in, 1, NULL, NULL));
    o.eps = 1e-6;
    o.quiet = 1;
    printf("slightly wrong, tolerances 0 -> %d\n",
           galley_gradcheck(S_slightly_wrong, in, 1, NULL, &o));
    galley_tensor_on_error(on_error, NULL);
    galley_gradcheck_options zeroed = {.quiet = 1};
    printf("-> %d\n", galley_gradcheck(S_mul2, in, 2, NULL, &zeroed));
    o.eps = 0;
    printf("-> %d\n", galley_gradcheck(S_mul2, in, 2, NULL, &o));
    o.eps = 1e-6;
    o.rtol = -1e-3;
    printf("-> %d\n", galley_gradcheck(S_mul2, in, 2, NULL, &o));
    galley_tensor_on_error(NULL, NULL);
    EXPECT_NEAR(.atol = 1e-6, /*
      exact, tolerances 0:
      gradcheck: input 0 float64 [3]: max abs err 0, max rel err 0: ok
      gradcheck: input 1 float64 [3]: max abs err 0, max rel err 0: ok
      gradcheck: passed
      gradcheck: input 0 float64 [3]: max abs err 0.0002 at [2] of output [2], max rel err 0.0002 at [2] of output [2]: ok
      gradcheck: passed
      slightly wrong, defaults -> 0
      slightly wrong, tolerances 0 -> 1
      error: galley_gradcheck: options were not started from GALLEY_GRADCHECK_OPTIONS_INIT: write `galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;` and set the fields (each is taken as given, 0 included)
      -> 2
      error: galley_gradcheck: options eps is 0; the step of the central differences must be finite and above 0
      -> 2
      error: galley_gradcheck: options atol 0 and rtol -0.001: tolerances must be 0 or more
      -> 2
    */);
    galley_tensor_free_all();
}
