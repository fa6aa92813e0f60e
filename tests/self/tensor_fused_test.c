/* tensor_fused_test.c: the paths that make a training step fast give the
 * gradients the plain ones gave: matmul's backward adding a weight's
 * gradient with one gemm (a new gradient, then beta 1 into it), an
 * intermediate's gradient shared with the gradient it came from and copied
 * before an add, a sum taken over as a gradient. Values from PyTorch 1.13
 * (the expressions are in each test's comment). */
#include <galley.h>
#include <galley/tensor.h>
#include <stdio.h>

/* Prints what and t's elements in row-major order with %g. */
static void show(const char *what, galley_tensor *t)
{
    galley_tensor *flat = galley_reshape(t, GALLEY_SHAPE(-1));
    printf("%s:", what);
    for (long i = 0; i < galley_numel(flat); i++)
        printf(" %g", galley_tensor_get(flat, GALLEY_AT(i)));
    printf("\n");
}

/* w = torch.tensor([[1., 2], [3, 4]], dtype=torch.float64,
 * requires_grad=True); x = torch.tensor([[1., -1], [0.5, 2]],
 * dtype=torch.float64); z = x @ w; h = z + z; l = (h @ w).sum():
 * l 125, w.grad [[18, 30], [20, 28]]; a second l.backward() (the same
 * again): [[36, 60], [40, 56]]. w gets two products in each backward, and
 * z's gradient comes from both operands of z + z. */
TEST(weight_used_twice_and_backward_twice)
{
    galley_scope *s = galley_scope_begin();
    double wv[] = {1, 2, 3, 4}, xv[] = {1, -1, 0.5, 2};
    galley_tensor *w = galley_param(galley_from_f64(wv, GALLEY_SHAPE(2, 2)));
    galley_tensor *x = galley_from_f64(xv, GALLEY_SHAPE(2, 2));
    for (int round = 0; round < 2; round++) {
        galley_tensor *z = galley_matmul(x, w);
        galley_tensor *h = galley_add(z, z);
        galley_tensor *l = galley_sum_all(galley_matmul(h, w));
        galley_backward(l);
        show("l", l);
        show("w.grad", galley_grad(w));
    }
    galley_scope_end(s);
    EXPECT(/*
      l: 125
      w.grad: 18 30 20 28
      l: 125
      w.grad: 36 60 40 56
    */);
}

/* The same w and x, b = torch.tensor([0.5, -1.], dtype=torch.float64,
 * requires_grad=True); z = torch.relu(x @ w + b); l = (z * z).sum(): l 113,
 * w.grad [[7, 8], [28, 32]], b.grad [14, 16] (b's is a sum over the batch
 * taken over as its gradient). */
TEST(a_layer_with_bias)
{
    galley_scope *s = galley_scope_begin();
    double wv[] = {1, 2, 3, 4}, xv[] = {1, -1, 0.5, 2}, bv[] = {0.5, -1};
    galley_tensor *w = galley_param(galley_from_f64(wv, GALLEY_SHAPE(2, 2)));
    galley_tensor *b = galley_param(galley_from_f64(bv, GALLEY_SHAPE(2)));
    galley_tensor *x = galley_from_f64(xv, GALLEY_SHAPE(2, 2));
    galley_tensor *z = galley_relu(galley_add(galley_matmul(x, w), b));
    galley_tensor *l = galley_sum_all(galley_mul(z, z));
    galley_backward(l);
    show("l", l);
    show("w.grad", galley_grad(w));
    show("b.grad", galley_grad(b));
    galley_scope_end(s);
    EXPECT(/*
      l: 113
      w.grad: 7 8 28 32
      b.grad: 14 16
    */);
}
