/* tensor_io_test.c: in-place arithmetic (values, gradients through it, the
 * version and leaf errors), .npy saving and loading (bytes identical to
 * numpy.save's, errors) and randint/randperm. Values were checked against
 * PyTorch 1.13 and numpy 1.24 (the expressions are in each test's
 * comment). */
#include <galley.h>
#include <galley/tensor.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Puts error messages in the test's output. */
static void on_error(const char *message, void *userdata)
{
    (void)userdata;
    printf("error: %s\n", message);
}

/* Prints t's elements in row-major order on one line (%g). */
static void show(const char *what, const galley_tensor *t)
{
    if (!t) {
        printf("%s: NULL\n", what);
        return;
    }
    printf("%s: %s", what, galley_dtype_name(galley_dtype_of(t)));
    galley_tensor *c = galley_contiguous((galley_tensor *)t);
    long n = galley_numel(c);
    galley_tensor *flat = galley_reshape(c, GALLEY_SHAPE(n));
    for (long i = 0; i < n; i++)
        printf(" %.10g", galley_tensor_get(flat, GALLEY_AT(i)));
    printf("\n");
}

static galley_tensor *f64(const double *v, int ndim, const long *shape)
{
    return galley_from_f64(v, ndim, shape);
}

/* ---- in-place arithmetic ---- */

TEST(inplace_values_match_torch)
{
    /* a = torch.tensor([[1., 2, 3], [4, 5, 6]]); b = torch.tensor([.5, -1, 2])
     * a.add_(b); a.sub_(b); a.mul_(b); a.div_(b); a.add_(2.5).mul_(-2) */
    galley_tensor *a = f64((double[]){1, 2, 3, 4, 5, 6}, GALLEY_SHAPE(2, 3));
    galley_tensor *b = f64((double[]){0.5, -1, 2}, GALLEY_SHAPE(3));
    show("add_", galley_add_(a, b));
    galley_sub_(a, b);
    show("mul_", galley_mul_(a, b));
    show("div_", galley_div_(a, b));
    show("scalars", galley_mul_scalar_(galley_add_scalar_(a, 2.5), -2));
    /* Through a transposed view, float32: the base sees it. */
    galley_tensor *c = galley_from_f32((float[]){1, 2, 3, 4}, GALLEY_SHAPE(2, 2));
    galley_tensor *ct = galley_transpose(c, 0, 1);
    galley_add_(ct, galley_from_f32((float[]){10, 20}, GALLEY_SHAPE(2)));
    show("c", c);
    EXPECT(/*
      add_: float64 1.5 1 5 4.5 4 8
      mul_: float64 0.5 -2 6 2 -5 12
      div_: float64 1 2 3 4 5 6
      scalars: float64 -7 -9 -11 -13 -15 -17
      c: float32 11 12 23 24
    */);
}

TEST(gradients_flow_through_inplace_ops)
{
    /* w = torch.tensor([1., -2], requires_grad=True)
     * c = torch.tensor([.5, 3.], requires_grad=True)
     * h = w * 2; h.mul_(c); h.add_(1); h.div_(w); h.sub_(c); h.add_(h)
     * h.mul_(0.25); (h * h).sum().backward() */
    galley_tensor *w = galley_param(f64((double[]){1, -2}, GALLEY_SHAPE(2)));
    galley_tensor *c = galley_param(f64((double[]){0.5, 3}, GALLEY_SHAPE(2)));
    galley_set_name(w, "w");
    galley_set_name(c, "c");
    galley_tensor *h = galley_mul_scalar(w, 2);
    galley_mul_(h, c);
    galley_add_scalar_(h, 1);
    galley_div_(h, w);
    galley_sub_(h, c);
    galley_add_(h, h);
    galley_mul_scalar_(h, 0.25);
    galley_tensor *loss = galley_sum_all(galley_mul(h, h));
    show("h", h);
    galley_print_graph(stdout, loss);
    galley_backward(loss);
    show("w.grad", galley_grad(w));
    show("c.grad", galley_grad(c));
    /* A tensor that requires no grad joins the graph through b:
     * z = torch.zeros(2); z.add_(c); z.mul_(w); z.sum().backward() */
    galley_zero_grad(w);
    galley_zero_grad(c);
    galley_tensor *z = galley_zeros(GALLEY_F64, GALLEY_SHAPE(2));
    galley_mul_(galley_add_(z, c), w);
    printf("z requires grad: %d\n", galley_requires_grad(z));
    galley_backward(galley_sum_all(z));
    show("z", z);
    show("w.grad", galley_grad(w));
    show("c.grad", galley_grad(c));
    EXPECT(/*
      h: float64 0.75 1.25
      %0 = param "w" float64 [2]
      %1 = mul_scalar(%0, 2) float64 [2]
      %2 = param "c" float64 [2]
      %3 = mul(%1, %2) float64 [2]
      %4 = add_scalar(%3, 1) float64 [2]
      %5 = div(%4, %0) float64 [2]
      %6 = sub(%5, %2) float64 [2]
      %7 = add(%6, %6) float64 [2]
      %8 = mul_scalar(%7, 0.25) float64 [2]
      %9 = mul(%8, %8) float64 [2]
      %10 = sum_all(%9) float64 []
      w.grad: float64 -0.75 -0.3125
      c.grad: float64 0.75 1.25
      z requires grad: 1
      z: float64 0.5 -6
      w.grad: float64 0.5 3
      c.grad: float64 1 -2
    */);
}

/* (x * 1) *= y; += x; /= (y*y + 1); *= 3; += 0.5; -= x, with y [3]
 * broadcast over x [2, 3]: every in-place op, and mul_(h, h). */
static galley_tensor *chain(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *h = galley_mul_scalar(in[0], 1);
    galley_mul_(h, in[1]);
    galley_add_(h, in[0]);
    galley_div_(h, galley_add_scalar(galley_mul(in[1], in[1]), 1));
    galley_mul_scalar_(h, 3);
    galley_add_scalar_(h, 0.5);
    galley_sub_(h, in[0]);
    return galley_mul_(h, h);
}

TEST(inplace_gradcheck)
{
    galley_rng rng;
    galley_rng_seed(&rng, 15, 1);
    galley_tensor *x = galley_param(galley_randn(&rng, GALLEY_F64,
                                                 GALLEY_SHAPE(2, 3)));
    galley_tensor *y = galley_param(galley_randn(&rng, GALLEY_F64,
                                                 GALLEY_SHAPE(3)));
    printf("failed: %d\n", galley_gradcheck(chain, (galley_tensor *[]){x, y},
                                            2, NULL,
                                            &(galley_gradcheck_options){
                                                .quiet = 1}));
    EXPECT(/*
      failed: 0
    */);
}

TEST(inplace_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = galley_param(f64((double[]){1, 2}, GALLEY_SHAPE(2)));
    galley_tensor *x = f64((double[]){3, 4}, GALLEY_SHAPE(2));
    /* x saved by mul, then changed: backward refuses, as torch's version
     * counter. */
    galley_tensor *y = galley_mul(w, x);
    galley_add_scalar_(x, 1);
    galley_backward(galley_sum_all(y));
    /* A parameter with grad mode on (torch: "a leaf Variable that requires
     * grad is being used in an in-place operation"); with it off, fine. */
    show("add_ w", galley_add_(w, x));
    int was = galley_set_grad_enabled(0);
    show("add_ w", galley_add_(w, x));
    galley_set_grad_enabled(was);
    /* A computed tensor with a view of it. */
    galley_tensor *h = galley_mul_scalar(w, 2);
    galley_tensor *h0 = galley_select(h, 0, 0);
    show("h0", galley_add_scalar_(h0, 1));
    show("h", galley_mul_scalar_(h, 1));
    /* Shapes and dtypes. */
    galley_tensor *m = galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 2));
    show("x", galley_add_(x, m));
    show("m", galley_sub_(m, galley_ones(GALLEY_F64, GALLEY_SHAPE(3))));
    show("x", galley_div_(x, NULL));
    show("i", galley_add_scalar_(galley_zeros(GALLEY_I64, GALLEY_SHAPE(2)), 1));
    show("x", x);
    EXPECT(/*
      error: galley_backward: input 1 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      error: galley_add_: a float64 [2] is a parameter (a leaf that requires grad) and grad mode is on: change it in place with grad mode off (galley_set_grad_enabled(0)), as an optimizer step does
      add_ w: NULL
      add_ w: float64 5 7
      error: galley_add_scalar_: a float64 [] shares its storage with another tensor (a view or its base) and takes part in autodiff; change a copy (galley_clone) or use the out-of-place op
      h0: NULL
      error: galley_mul_scalar_: a float64 [2] shares its storage with another tensor (a view or its base) and takes part in autodiff; change a copy (galley_clone) or use the out-of-place op
      h: NULL
      error: galley_add_: b float64 [2, 2] does not broadcast to a's shape (float64 [2]): an in-place op cannot change a's shape
      x: NULL
      error: galley_sub_: shapes [2, 2] and [3] cannot be broadcast
      m: NULL
      error: galley_div_: input b is NULL
      x: NULL
      error: galley_add_scalar: a is int64 [2]; galley_add_scalar needs float32 or float64 (cast with galley_tensor_to)
      i: NULL
      x: float64 4 5
    */);
}
