/* tensor_autograd_test.c: reverse-mode autodiff (backward, gradients,
 * grad mode, detach, graph printing, the errors of backward) and the
 * optimizers, tested with galley. Values were checked against PyTorch 1.13
 * (float64, torch.autograd and torch.optim) by scripts outside the
 * repository, or by hand where the math is short. */
#include "tensor_check.h"
#include <math.h>
#include <stdio.h>

/* ---- helpers ---- */

/* Prints t (0-d, 1-d or 2-d) as "what: dtype [shape]" then one line per
 * row, with 10 significant digits. Reads with galley_tensor_get, which is no
 * in-place change, so graphs that use t stay valid. */
static void show(const char *what, const galley_tensor *t)
{
    if (!t) {
        printf("%s: NULL\n", what);
        return;
    }
    int nd = galley_ndim(t);
    const long *shape = galley_shape(t);
    long rows = nd == 2 ? shape[0] : 1, cols = nd == 0 ? 1 : shape[nd - 1];
    printf("%s: %s [", what, galley_dtype_name(galley_dtype_of(t)));
    for (int i = 0; i < nd; i++)
        printf(i ? ", %ld" : "%ld", shape[i]);
    printf("]\n");
    for (long r = 0; r < rows; r++) {
        printf(" ");
        for (long c = 0; c < cols; c++) {
            long at[2] = {nd == 2 ? r : c, c};
            printf(" %.10g", galley_tensor_get(t, nd, nd == 2 ? at : at + 1));
        }
        printf("\n");
    }
}

/* A float64 tensor of the values given, marked as a parameter. */
static galley_tensor *param64(const double *v, int ndim, const long *shape)
{
    return galley_param(galley_from_f64(v, ndim, shape));
}

/* ---- backward and gradients ---- */

/* The small network of the first tests:
 * loss = sum(tanh(x @ w + b)^2) + 0.5 * mean(exp(x)). */
static galley_tensor *small_net(galley_tensor *x, galley_tensor *w,
                                galley_tensor *b)
{
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(x, w), b));
    galley_tensor *m = galley_mul_scalar(galley_mean_all(galley_exp(x)), 0.5);
    return galley_add(galley_sum_all(galley_mul(h, h)), m);
}

static const double X0[] = {0.5, -1.0, 2.0, 1.5, 0.25, -0.75};
static const double W0[] = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6};
static const double B0[] = {0.05, -0.1};

TEST(backward_scalar_loss_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    galley_tensor *x = param64(X0, GALLEY_SHAPE(2, 3));
    galley_tensor *w = param64(W0, GALLEY_SHAPE(3, 2));
    galley_tensor *b = param64(B0, GALLEY_SHAPE(2));
    printf("grad before backward: %s\n", galley_grad(w) ? "set" : "NULL");
    galley_tensor *loss = small_net(x, w, b);
    galley_backward(loss);
    show("loss", loss);
    show("x.grad", galley_grad(x));
    show("w.grad", galley_grad(w));
    show("b.grad", galley_grad(b));
    EXPECT(/*
      grad before backward: NULL
      loss: float64 []
        3.017267804
      x.grad: float64 [2, 3]
        -0.0663238375 0.1838098485 1.328619035
        0.602011325 0.03477212314 -0.8001856186
      w.grad: float64 [3, 2]
        0.9002521049 -0.7546100241
        0.7009848885 -0.9537654841
        -1.594392015 2.096991394
      b.grad: float64 [2]
        0.2611263032 0.006463356288
    */);
}

TEST(backward_float32_matches_torch, .rtol = 1e-5, .atol = 1e-6)
{
    static const float xs[] = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};
    static const float ws[] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
    static const float bs[] = {0.05f, -0.1f};
    galley_tensor *x = galley_param(galley_from_f32(xs, GALLEY_SHAPE(2, 3)));
    galley_tensor *w = galley_param(galley_from_f32(ws, GALLEY_SHAPE(3, 2)));
    galley_tensor *b = galley_param(galley_from_f32(bs, GALLEY_SHAPE(2)));
    galley_tensor *loss = small_net(x, w, b);
    galley_backward(loss);
    show("loss", loss);
    show("w.grad", galley_grad(w));
    show("b.grad", galley_grad(b));
    EXPECT(/*
      loss: float32 []
        3.017267942
      w.grad: float32 [3, 2]
        0.900252223 -0.754610002
        0.7009848356 -0.9537655115
        -1.594391942 2.096991539
      b.grad: float32 [2]
        0.2611264586 0.00646340847
    */);
}

TEST(requires_grad_flows_from_parameters)
{
    galley_tensor *p = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_tensor *c = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    printf("param %d, const %d, const*const %d, param*const %d\n",
           galley_requires_grad(p), galley_requires_grad(c),
           galley_requires_grad(galley_mul(c, c)),
           galley_requires_grad(galley_mul(p, c)));
    printf("galley_param returns its argument: %d\n",
           galley_param(c) == c);
    EXPECT(/*
      param 1, const 0, const*const 0, param*const 1
      galley_param returns its argument: 1
    */);
}

TEST(gradients_accumulate_over_two_backward_calls)
{
    /* d/dx sum(x*x) = 2x; twice: 4x. The graph stays for the second. */
    galley_tensor *x = param64((double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_tensor *loss = galley_sum_all(galley_mul(x, x));
    galley_backward(loss);
    show("after one", galley_grad(x));
    galley_backward(loss);
    show("after two", galley_grad(x));
    /* A second loss adds to the same gradient: + 1 each. */
    galley_backward(galley_sum_all(x));
    show("after sum", galley_grad(x));
    EXPECT(/*
      after one: float64 [3]
        2 4 6
      after two: float64 [3]
        4 8 12
      after sum: float64 [3]
        5 9 13
    */);
}

TEST(backward_of_a_parameter_itself)
{
    /* d loss / d loss = 1; the loss keeps its gradient as a parameter. */
    galley_tensor *p = galley_param(galley_scalar(GALLEY_F32, 2.5));
    galley_backward(p);
    show("p.grad", galley_grad(p));
    /* An intermediate result keeps no gradient after backward. */
    galley_tensor *q = galley_mul_scalar(p, 3);
    galley_backward(galley_mul(q, q));
    show("q.grad", galley_grad(q));
    show("p.grad", galley_grad(p)); /* 1 + 2 * 3p * 3 = 46 */
    EXPECT(/*
      p.grad: float32 []
        1
      q.grad: NULL
      p.grad: float32 []
        46
    */);
}

TEST(zero_grad_resets_to_zero)
{
    galley_tensor *x = param64((double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_zero_grad(x); /* no gradient yet: nothing to do */
    printf("grad after zero_grad before backward: %s\n",
           galley_grad(x) ? "set" : "NULL");
    galley_tensor *loss = galley_sum_all(galley_mul(x, x));
    galley_backward(loss);
    galley_tensor *g = galley_grad(x);
    galley_zero_grad(x);
    show("zeroed", galley_grad(x));
    printf("same gradient tensor: %d\n", galley_grad(x) == g);
    galley_backward(loss);
    show("again", galley_grad(x));
    EXPECT(/*
      grad after zero_grad before backward: NULL
      zeroed: float64 [3]
        0 0 0
      same gradient tensor: 1
      again: float64 [3]
        2 4 6
    */);
}

TEST(backward_with_is_a_vector_jacobian_product)
{
    /* y = x^3 elementwise: v^T J = 3 x^2 v. */
    galley_tensor *x = param64((double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_tensor *y = galley_mul(galley_mul(x, x), x);
    galley_tensor *v = galley_from_f64((double[]){1, 0.5, -2}, GALLEY_SHAPE(3));
    galley_backward_with(y, v);
    show("x.grad", galley_grad(x));
    /* y = a @ w with w [2, 2]: w.grad = a^T v. */
    galley_tensor *a = galley_from_f64((double[]){1, 2, 3, 4, 5, 6},
                                       GALLEY_SHAPE(3, 2));
    galley_tensor *w = param64((double[]){1, 0, 0, 1}, GALLEY_SHAPE(2, 2));
    galley_tensor *v2 = galley_from_f64((double[]){1, 0, 0, 1, 1, 1},
                                        GALLEY_SHAPE(3, 2));
    galley_backward_with(galley_matmul(a, w), v2);
    show("w.grad", galley_grad(w));
    EXPECT(/*
      x.grad: float64 [3]
        3 6 -54
      w.grad: float64 [2, 2]
        6 8
        8 10
    */);
}

TEST(backward_with_casts_grad_and_checks_its_shape)
{
    galley_tensor *x = param64((double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_tensor *y = galley_mul_scalar(x, 2);
    /* A float32 seed for a float64 output is cast. */
    galley_backward_with(y, galley_full(GALLEY_F32, GALLEY_SHAPE(3), 0.5));
    show("x.grad", galley_grad(x));
    galley_tensor_on_error(on_error, NULL);
    galley_backward_with(y, galley_ones(GALLEY_F64, GALLEY_SHAPE(1, 3)));
    galley_backward_with(y, galley_ones(GALLEY_I64, GALLEY_SHAPE(3)));
    galley_backward_with(y, NULL);
    show("unchanged", galley_grad(x));
    EXPECT(/*
      x.grad: float64 [3]
        1 1 1
      error: galley_backward_with: grad float64 [1, 3] does not have the shape of out float64 [3]
      error: galley_backward_with: grad is int64 [3]; galley_backward_with needs float32 or float64 (cast with galley_tensor_to)
      error: galley_backward_with: input grad is NULL
      unchanged: float64 [3]
        1 1 1
    */);
}

TEST(diamond_gets_both_contributions)
{
    /* y = 2x; z = y*y + 3y: dz/dx = (2y + 3) * 2 = 8x + 6. */
    galley_tensor *x = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *y = galley_mul_scalar(x, 2);
    galley_tensor *z = galley_add(galley_mul(y, y), galley_mul_scalar(y, 3));
    galley_backward(galley_sum_all(z));
    show("x.grad", galley_grad(x));
    /* One tensor as both operands of one op. */
    galley_tensor *u = param64((double[]){1.5, -2}, GALLEY_SHAPE(2));
    galley_backward(galley_sum_all(galley_mul(u, u)));
    show("u.grad", galley_grad(u));
    /* A parameter reached along three paths, one of them broadcast:
     * s = sum(p * q) + sum(p) + sum(m @ p) with p [2] and m [2, 2]:
     * ds/dp = column sums of q + 1 + column sums of m. */
    galley_tensor *p = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *q = galley_from_f64((double[]){10, 20, 30, 40},
                                       GALLEY_SHAPE(2, 2));
    galley_tensor *m = galley_from_f64((double[]){1, 2, 3, 4},
                                       GALLEY_SHAPE(2, 2));
    galley_tensor *s = galley_add(
        galley_add(galley_sum_all(galley_mul(p, q)), galley_sum_all(p)),
        galley_sum_all(galley_matmul(m, p)));
    galley_backward(s);
    show("p.grad", galley_grad(p));
    EXPECT(/*
      x.grad: float64 [2]
        14 22
      u.grad: float64 [2]
        3 -4
      p.grad: float64 [2]
        45 67
    */);
}

TEST(grad_mode_off_records_nothing)
{
    galley_tensor *x = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    int was = galley_set_grad_enabled(0);
    galley_tensor *y = galley_sum_all(galley_mul(x, x));
    int was2 = galley_set_grad_enabled(1);
    printf("was %d, then %d; y requires grad: %d\n", was, was2,
           galley_requires_grad(y));
    galley_tensor_on_error(on_error, NULL);
    galley_backward(y);
    printf("x.grad: %s\n", galley_grad(x) ? "set" : "NULL");
    /* On again: recorded. */
    galley_tensor *y2 = galley_sum_all(galley_mul(x, x));
    printf("y2 requires grad: %d\n", galley_requires_grad(y2));
    galley_backward(y2);
    show("x.grad", galley_grad(x));
    EXPECT(/*
      was 1, then 0; y requires grad: 0
      error: galley_backward: float64 [] does not depend on any parameter; mark the inputs with galley_param (and compute it with grad mode on)
      x.grad: NULL
      y2 requires grad: 1
      x.grad: float64 [2]
        2 4
    */);
}

TEST(detach_stops_gradients)
{
    /* loss = sum(detach(x) * x): only the second operand carries a
     * gradient, so x.grad = x (not 2x). */
    galley_tensor *x = param64((double[]){1, 2, 3}, GALLEY_SHAPE(3));
    galley_tensor *d = galley_detach(x);
    printf("detached requires grad: %d\n", galley_requires_grad(d));
    galley_backward(galley_sum_all(galley_mul(d, x)));
    show("x.grad", galley_grad(x));
    /* The detached tensor is a view: it sees a change of x. */
    galley_tensor_set(x, GALLEY_AT(0), 7);
    printf("d[0] after x[0] = 7: %g\n", galley_tensor_get(d, GALLEY_AT(0)));
    /* A detached result can become a parameter of its own. */
    galley_tensor *leaf = galley_param(galley_detach(galley_mul_scalar(x, 2)));
    printf("leaf is a parameter: %d\n", galley_requires_grad(leaf));
    EXPECT(/*
      detached requires grad: 0
      x.grad: float64 [3]
        1 2 3
      d[0] after x[0] = 7: 7
      leaf is a parameter: 1
    */);
}

TEST(param_on_a_non_leaf_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *x = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *y = galley_exp(x);
    printf("returns %s\n", galley_param(y) ? "y" : "NULL");
    galley_param(galley_arange(GALLEY_I64, 0, 3, 1));
    galley_param(NULL);
    EXPECT(/*
      error: galley_param: float64 [2] is the result of exp; only leaves can be parameters (galley_detach makes a leaf of it)
      returns NULL
      error: galley_param: t is int64 [3]; galley_param needs float32 or float64 (cast with galley_tensor_to)
      error: galley_param: input t is NULL
    */);
}

/* ---- graph printing ---- */

/* A small named graph: loss = 0.25 * sum(mean(relu(x @ w + b)^2, 1)). */
static galley_tensor *named_graph(void)
{
    galley_tensor *x = galley_set_name(
        galley_from_f64(X0, GALLEY_SHAPE(2, 3)), "x");
    galley_tensor *w = galley_set_name(
        galley_param(galley_from_f64(W0, GALLEY_SHAPE(3, 2))), "w");
    galley_tensor *b = galley_param(galley_from_f64(B0, GALLEY_SHAPE(2)));
    galley_tensor *h = galley_set_name(
        galley_relu(galley_add(galley_matmul(x, w), b)), "hidden");
    galley_tensor *s = galley_mean(galley_pow_scalar(h, 2), 1, 0);
    return galley_mul_scalar(galley_sum(s, -1, 1), 0.25);
}

TEST(print_graph_shows_ops_args_names_and_shapes)
{
    galley_tensor *loss = named_graph();
    galley_print_graph(stdout, loss);
    EXPECT(/*
      %0 = const "x" float64 [2, 3]
      %1 = param "w" float64 [3, 2]
      %2 = matmul(%0, %1) float64 [2, 2]
      %3 = param float64 [2]
      %4 = add(%2, %3) float64 [2, 2]
      %5 = relu(%4) "hidden" float64 [2, 2]
      %6 = pow_scalar(%5, 2) float64 [2, 2]
      %7 = mean(%6, axis=1, keepdim=0) float64 [2]
      %8 = sum(%7, axis=0, keepdim=1) float64 [1]
      %9 = mul_scalar(%8, 0.25) float64 [1]
    */);
    /* Printing again, and the same graph built again (new tensors, new
     * ids), gives the same text: the numbers come from the graph. */
    galley_print_graph(stdout, loss);
    galley_print_graph(stdout, named_graph());
    EXPECT(/*
      %0 = const "x" float64 [2, 3]
      %1 = param "w" float64 [3, 2]
      %2 = matmul(%0, %1) float64 [2, 2]
      %3 = param float64 [2]
      %4 = add(%2, %3) float64 [2, 2]
      %5 = relu(%4) "hidden" float64 [2, 2]
      %6 = pow_scalar(%5, 2) float64 [2, 2]
      %7 = mean(%6, axis=1, keepdim=0) float64 [2]
      %8 = sum(%7, axis=0, keepdim=1) float64 [1]
      %9 = mul_scalar(%8, 0.25) float64 [1]
      %0 = const "x" float64 [2, 3]
      %1 = param "w" float64 [3, 2]
      %2 = matmul(%0, %1) float64 [2, 2]
      %3 = param float64 [2]
      %4 = add(%2, %3) float64 [2, 2]
      %5 = relu(%4) "hidden" float64 [2, 2]
      %6 = pow_scalar(%5, 2) float64 [2, 2]
      %7 = mean(%6, axis=1, keepdim=0) float64 [2]
      %8 = sum(%7, axis=0, keepdim=1) float64 [1]
      %9 = mul_scalar(%8, 0.25) float64 [1]
    */);
}

TEST(print_graph_prints_a_shared_node_once)
{
    galley_tensor *x = galley_set_name(
        galley_param(galley_ones(GALLEY_F32, GALLEY_SHAPE(3))), "x");
    galley_tensor *y = galley_set_name(galley_exp(x), "y");
    galley_tensor *z = galley_add(galley_mul(y, y), galley_tanh(y));
    galley_print_graph(stdout, galley_sum_all(z));
    EXPECT(/*
      %0 = param "x" float32 [3]
      %1 = exp(%0) "y" float32 [3]
      %2 = mul(%1, %1) float32 [3]
      %3 = tanh(%1) float32 [3]
      %4 = add(%2, %3) float32 [3]
      %5 = sum_all(%4) float32 []
    */);
}

TEST(print_graph_of_leaves_and_renames)
{
    galley_tensor *c = galley_scalar(GALLEY_F64, 1);
    galley_print_graph(stdout, c);
    galley_set_name(c, "first");
    galley_set_name(c, "second");
    galley_print_graph(stdout, c);
    galley_set_name(c, NULL);
    galley_print_graph(stdout, galley_add_scalar(galley_param(c), -1.5));
    /* Without a parameter no graph is recorded: a result is a leaf. */
    galley_print_graph(stdout, galley_add_scalar(galley_ones_like(c), 2));
    EXPECT(/*
      %0 = const float64 []
      %0 = const "second" float64 []
      %0 = param float64 []
      %1 = add_scalar(%0, -1.5) float64 []
      %0 = const float64 []
    */);
}

TEST(print_graph_marks_freed_inputs)
{
    galley_tensor *x = galley_param(galley_ones(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_tensor *t = galley_mul_scalar(x, 3);
    galley_tensor *y = galley_sum_all(t);
    galley_tensor_free(t);
    galley_print_graph(stdout, y);
    EXPECT(/* %0 = sum_all(freed) float64 [] */);
}

/* ---- errors of backward ---- */

TEST(backward_on_a_non_scalar_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *x = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_backward(galley_mul(x, x));
    printf("x.grad: %s\n", galley_grad(x) ? "set" : "NULL");
    /* One element of any shape is fine. */
    galley_backward(galley_sum(galley_reshape(x, GALLEY_SHAPE(1, 2)), 1, 1));
    show("x.grad", galley_grad(x));
    EXPECT(/*
      error: galley_backward: float64 [2] is not a scalar; reduce it first (galley_sum_all, galley_mean_all) or use galley_backward_with
      x.grad: NULL
      x.grad: float64 [2]
        1 1
    */);
}

TEST(backward_without_a_parameter_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *c = galley_from_f64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_backward(galley_sum_all(galley_exp(c)));
    galley_backward(NULL);
    EXPECT(/*
      error: galley_backward: float64 [] does not depend on any parameter; mark the inputs with galley_param (and compute it with grad mode on)
      error: galley_backward: input loss is NULL
    */);
}

TEST(backward_after_an_input_was_freed_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *x = galley_from_f64((double[]){3, 4}, GALLEY_SHAPE(2));
    galley_tensor *loss = galley_sum_all(galley_mul(w, x));
    galley_tensor_free(x);
    galley_backward(loss);
    printf("w.grad: %s\n", galley_grad(w) ? "set" : "NULL");
    EXPECT(/*
      error: galley_backward: input 1 of mul (float64 [2]) was freed before backward; keep it alive (galley_tensor_keep) or end the scope after backward
      w.grad: NULL
    */);
}

TEST(backward_after_the_scope_of_an_input_ended_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_scope *s = galley_scope_begin();
    galley_tensor *loss = galley_tensor_keep(galley_sum_all(galley_exp(w)));
    galley_scope_end(s);
    galley_backward(loss);
    printf("w.grad: %s\n", galley_grad(w) ? "set" : "NULL");
    /* Freed parameters are found too. */
    galley_tensor *v = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *loss2 = galley_sum_all(v);
    galley_tensor_free(v);
    galley_backward(loss2);
    EXPECT(/*
      error: galley_backward: input 0 of sum_all (float64 []) was freed before backward; keep it alive (galley_tensor_keep) or end the scope after backward
      w.grad: NULL
      error: galley_backward: input 0 of sum_all (float64 []) was freed before backward; keep it alive (galley_tensor_keep) or end the scope after backward
    */);
}

TEST(backward_after_an_in_place_change_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = param64((double[]){1, 2}, GALLEY_SHAPE(2));
    galley_tensor *x = galley_from_f64((double[]){3, 4}, GALLEY_SHAPE(2));
    galley_tensor *loss = galley_sum_all(galley_mul(w, x));
    galley_tensor_set(x, GALLEY_AT(1), 5);
    galley_backward(loss);
    printf("w.grad: %s\n", galley_grad(w) ? "set" : "NULL");

    loss = galley_sum_all(galley_mul(w, x));
    galley_fill_(w, 0.5);
    galley_backward(loss);

    loss = galley_sum_all(galley_mul(w, x));
    galley_copy_(x, galley_scalar(GALLEY_F64, 9));
    galley_backward(loss);

    /* A change through a view reaches the storage all views share. */
    galley_tensor *row = galley_slice(x, 0, 0, 1, 1);
    loss = galley_sum_all(galley_mul(w, x));
    galley_fill_(row, 1);
    galley_backward(loss);

    /* galley_tensor_data counts as a change too. */
    loss = galley_sum_all(galley_mul(w, x));
    (void)galley_tensor_data(x);
    galley_backward(loss);
    printf("w.grad: %s\n", galley_grad(w) ? "set" : "NULL");

    /* Computed again after the change: fine. */
    galley_backward(galley_sum_all(galley_mul(w, x)));
    show("w.grad", galley_grad(w));
    EXPECT(/*
      error: galley_backward: input 1 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      w.grad: NULL
      error: galley_backward: input 0 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      error: galley_backward: input 1 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      error: galley_backward: input 1 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      error: galley_backward: input 1 of mul (float64 [2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
      w.grad: NULL
      w.grad: float64 [2]
        1 9
    */);
}

TEST(backward_of_an_int64_loss_errors)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *x = param64((double[]){1, 5, 2}, GALLEY_SHAPE(3));
    galley_backward(galley_argmax_all(x));
    galley_backward(galley_scalar(GALLEY_I64, 3));
    EXPECT(/*
      error: galley_backward: loss is int64 []; galley_backward needs float32 or float64 (cast with galley_tensor_to)
      error: galley_backward: loss is int64 []; galley_backward needs float32 or float64 (cast with galley_tensor_to)
    */);
}

/* ---- optimizers ----
 *
 * The problem: loss = mse(a @ w + b, y) with a [3, 2], w [2, 2], b [2], y
 * [3, 2], float64; three steps, printing the loss before each. */

static const double A[] = {1, 2, -1, 0.5, 0.3, -2};
static const double Y[] = {1, 0, 0, 1, 0.5, -0.5};
static const double WI[] = {0.1, -0.2, 0.3, 0.4};
static const double BI[] = {0.0, 0.1};

/* The loss of the problem above at w, b. */
static galley_tensor *problem_loss(galley_tensor *w, galley_tensor *b)
{
    galley_tensor *a = galley_from_f64(A, GALLEY_SHAPE(3, 2));
    galley_tensor *y = galley_from_f64(Y, GALLEY_SHAPE(3, 2));
    return galley_mse(galley_add(galley_matmul(a, w), b), y);
}

/* Runs three steps of o over w, b and prints the losses and parameters. */
static void run_three_steps(galley_optim *o, galley_tensor *w,
                            galley_tensor *b)
{
    for (int step = 0; step < 3; step++) {
        galley_scope *s = galley_scope_begin();
        galley_optim_zero_grad(o);
        galley_tensor *loss = problem_loss(w, b);
        printf("loss %d: %.10g\n", step, galley_item(loss));
        galley_backward(loss);
        galley_optim_step(o);
        galley_scope_end(s);
    }
    show("w", w);
    show("b", b);
}

/* Three steps of SGD with options o, from the initial w, b. */
static void sgd_three_steps(galley_sgd_options opt)
{
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_optim *o = galley_sgd_new((galley_tensor *[]){w, b}, 2, &opt);
    run_three_steps(o, w, b);
    galley_optim_free(o);
}

/* Three steps of Adam with options o, from the initial w, b. */
static void adam_three_steps(galley_adam_options opt)
{
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_optim *o = galley_adam_new((galley_tensor *[]){w, b}, 2, &opt);
    run_three_steps(o, w, b);
    galley_optim_free(o);
}

TEST(sgd_plain_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    sgd_three_steps((galley_sgd_options){.lr = 0.1});
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.2538402162
      loss 2: 0.1964711069
      w: float64 [2, 2]
        0.1654798443 -0.3002327966
        0.1788411542 0.277535796
      b: float64 [2]
        0.120901396 0.1088793169
    */);
}

TEST(sgd_momentum_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    sgd_three_steps((galley_sgd_options){.lr = 0.1, .momentum = 0.9});
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.2538402162
      loss 2: 0.1476386661
      w: float64 [2, 2]
        0.2230770643 -0.3901868366
        0.0659808542 0.161760396
      b: float64 [2]
        0.228983796 0.1160825169
    */);
}

TEST(sgd_weight_decay_matches_torch, .rtol = 1e-9, .atol = 1e-12)
{
    sgd_three_steps((galley_sgd_options){.lr = 0.1, .weight_decay = 0.1});
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.2520414995
      loss 2: 0.1953816141
      w: float64 [2, 2]
        0.1622880784 -0.293319777
        0.1735387925 0.2698480083
      b: float64 [2]
        0.1198178338 0.1062322636
    */);
    sgd_three_steps((galley_sgd_options){
        .lr = 0.05, .momentum = 0.5, .weight_decay = 0.2});
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.2926555707
      loss 2: 0.2351914416
      w: float64 [2, 2]
        0.1427101346 -0.2662010414
        0.1916388539 0.2837411776
      b: float64 [2]
        0.08902119506 0.1013268374
    */);
}

TEST(adam_defaults_match_torch, .rtol = 1e-9, .atol = 1e-12)
{
    adam_three_steps((galley_adam_options)GALLEY_ADAM_OPTIONS_INIT);
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.3387014467
      loss 2: 0.3365780059
      w: float64 [2, 2]
        0.1029997851 -0.2029997678
        0.2970004285 0.3970005094
      b: float64 [2]
        0.002999794898 0.102995729
    */);
}

TEST(adam_options_and_weight_decay_match_torch, .rtol = 1e-9, .atol = 1e-12)
{
    galley_adam_options opt = GALLEY_ADAM_OPTIONS_INIT;
    opt.lr = 0.1;
    opt.weight_decay = 0.1;
    adam_three_steps(opt);
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.1683666647
      loss 2: 0.07201549832
      w: float64 [2, 2]
        0.3906896113 -0.4895456085
        0.02341612408 0.1354448144
      b: float64 [2]
        0.2934193824 0.1066671099
    */);
    opt = (galley_adam_options)GALLEY_ADAM_OPTIONS_INIT;
    opt.lr = 0.05;
    opt.beta1 = 0.5;
    opt.beta2 = 0.9;
    opt.eps = 1e-3;
    adam_three_steps(opt);
    EXPECT(/*
      loss 0: 0.3408333333
      loss 1: 0.2444885052
      loss 2: 0.1693604673
      w: float64 [2, 2]
        0.2459167313 -0.3456456237
        0.1584546982 0.2611716163
      b: float64 [2]
        0.1464425591 0.1475714956
    */);
}

TEST(optim_zero_grad_zeroes_every_parameter)
{
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_optim *o = galley_sgd_new((galley_tensor *[]){w, b}, 2,
                                     &(galley_sgd_options){.lr = 0.1});
    galley_optim_zero_grad(o); /* no gradients yet: nothing to do */
    galley_backward(problem_loss(w, b));
    galley_optim_zero_grad(o);
    show("w.grad", galley_grad(w));
    show("b.grad", galley_grad(b));
    galley_optim_free(o);
    EXPECT(/*
      w.grad: float64 [2, 2]
        0 0
        0 0
      b.grad: float64 [2]
        0 0
    */);
}

TEST(parameters_without_a_gradient_are_skipped)
{
    /* c is in the optimizer but not in the loss: no gradient, no step,
     * even with weight decay (as torch skips p.grad is None). */
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_tensor *c = param64((double[]){1, -1}, GALLEY_SHAPE(2));
    galley_tensor *ps[] = {w, c, b};
    galley_optim *sgd = galley_sgd_new(
        ps, 3, &(galley_sgd_options){.lr = 0.1, .weight_decay = 0.5});
    galley_adam_options opt = GALLEY_ADAM_OPTIONS_INIT;
    opt.lr = 0.1;
    opt.weight_decay = 0.5;
    galley_optim *adam = galley_adam_new(ps, 3, &opt);
    galley_backward(problem_loss(w, b));
    galley_optim_step(sgd);
    galley_optim_step(adam);
    show("c", c);
    printf("c.grad: %s\n", galley_grad(c) ? "set" : "NULL");
    show("b", b);
    galley_optim_free(sgd);
    galley_optim_free(adam);
    EXPECT(/*
      c: float64 [2]
        1 -1
      c.grad: NULL
      b: float64 [2]
        0.1439999976 -0.002999964912
    */);
}

/* Prints whether o was made, and frees it. */
static void made(galley_optim *o)
{
    printf("  -> %s\n", o ? "made" : "NULL");
    galley_optim_free(o);
}

TEST(optimizer_bad_options_error)
{
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *c = galley_ones(GALLEY_F64, GALLEY_SHAPE(2));
    galley_tensor *ps[] = {w, c};
    made(galley_sgd_new(ps, 1, &(galley_sgd_options){0}));
    made(galley_sgd_new(ps, 1, NULL)); /* the defaults lack lr */
    made(galley_sgd_new(ps, 1, &(galley_sgd_options){.lr = -0.1}));
    made(galley_sgd_new(ps, 1, &(galley_sgd_options){.lr = NAN}));
    made(galley_sgd_new(ps, 1, &(galley_sgd_options){.lr = 0.1,
                                                    .momentum = -1}));
    galley_adam_options bad = GALLEY_ADAM_OPTIONS_INIT;
    bad.lr = -1;
    made(galley_adam_new(ps, 1, &bad));
    bad = (galley_adam_options)GALLEY_ADAM_OPTIONS_INIT;
    bad.beta1 = 1;
    made(galley_adam_new(ps, 1, &bad));
    bad = (galley_adam_options)GALLEY_ADAM_OPTIONS_INIT;
    bad.eps = -1e-8;
    made(galley_adam_new(ps, 1, &bad));
    made(galley_sgd_new(ps, 2, &(galley_sgd_options){.lr = 0.1}));
    made(galley_sgd_new(NULL, 1, &(galley_sgd_options){.lr = 0.1}));
    made(galley_adam_new(ps, -1, NULL));
    /* The good ones, for contrast; no parameters at all is fine. */
    made(galley_sgd_new(ps, 1, &(galley_sgd_options){.lr = 0.1}));
    made(galley_adam_new(NULL, 0, NULL));
    made(galley_adam_new(ps, 1, NULL));
    galley_optim_step(NULL);
    galley_optim_zero_grad(NULL);
    galley_optim_free(NULL);
    EXPECT(/*
      error: galley_sgd_new: lr must be > 0 (it is 0)
        -> NULL
      error: galley_sgd_new: lr must be > 0 (it is 0)
        -> NULL
      error: galley_sgd_new: lr must be > 0 (it is -0.1)
        -> NULL
      error: galley_sgd_new: lr must be > 0 (it is nan)
        -> NULL
      error: galley_sgd_new: momentum -1 and weight_decay 0 must be >= 0
        -> NULL
      error: galley_adam_new: lr must be > 0 (lr -1, beta1 0.9, beta2 0.999, eps 1e-08, weight_decay 0)
        -> NULL
      error: galley_adam_new: beta1 must be in [0, 1) (lr 0.001, beta1 1, beta2 0.999, eps 1e-08, weight_decay 0)
        -> NULL
      error: galley_adam_new: eps must be >= 0 (lr 0.001, beta1 0.9, beta2 0.999, eps -1e-08, weight_decay 0)
        -> NULL
      error: galley_sgd_new: params[1] float64 [2] is not a parameter; mark it with galley_param
        -> NULL
      error: galley_sgd_new: params is NULL for 1 parameters
        -> NULL
      error: galley_adam_new: n is -1; it must be >= 0
        -> NULL
        -> made
        -> made
        -> made
      error: galley_optim_step: optimizer is NULL
      error: galley_optim_zero_grad: optimizer is NULL
    */);
}

TEST(optim_free_frees_the_state)
{
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_backward(problem_loss(w, b));
    size_t n = galley_live_tensors(), bytes = galley_live_bytes();
    galley_optim *o = galley_adam_new((galley_tensor *[]){w, b}, 2, NULL);
    galley_optim_step(o);
    printf("state tensors %zu, bytes %zu\n", galley_live_tensors() - n,
           galley_live_bytes() - bytes);
    galley_optim_free(o);
    printf("after free: tensors %zu, bytes %zu\n", galley_live_tensors() - n,
           galley_live_bytes() - bytes);
    EXPECT(/*
      state tensors 8, bytes 192
      after free: tensors 0, bytes 0
    */);
}

TEST(a_step_changes_the_parameters_in_place)
{
    /* The optimizer changes the parameter's storage (a view sees it) and
     * a graph recorded before the step refuses backward, as in torch. */
    galley_tensor_on_error(on_error, NULL);
    galley_tensor *w = param64(WI, GALLEY_SHAPE(2, 2));
    galley_tensor *b = param64(BI, GALLEY_SHAPE(2));
    galley_tensor *w0 = galley_select(w, 0, 0);
    galley_optim *o = galley_sgd_new((galley_tensor *[]){w, b}, 2,
                                     &(galley_sgd_options){.lr = 0.1});
    galley_tensor *loss = problem_loss(w, b);
    galley_backward(loss);
    galley_optim_step(o);
    show("w[0] view", w0);
    galley_backward(loss);
    galley_optim_free(o);
    EXPECT(/*
      w[0] view: float64 [2]
        0.1223666667 -0.2374
      error: galley_backward: input 1 of matmul (float64 [3, 2]) was modified in place after it was used; change a copy (galley_clone) or compute the graph again
    */);
}

/* ---- long graphs ---- */

TEST(backward_through_a_100000_node_chain,
     .rtol = 1e-9, .atol = 0)
{
    /* x * 1.0001^100000: the gradient is 1.0001^100000 = e^9.9995... */
    galley_tensor *x = galley_param(galley_scalar(GALLEY_F64, 1));
    galley_tensor *y = x;
    for (int i = 0; i < 100000; i++)
        y = galley_mul_scalar(y, 1.0001);
    galley_backward(y);
    printf("y %.12g\n", galley_item(y));
    printf("grad %.12g\n", galley_item(galley_grad(x)));
    EXPECT(/*
      y 22015.4560485
      grad 22015.4560485
    */);
}

TEST(backward_through_a_100000_node_add_chain)
{
    galley_tensor *x = galley_param(galley_zeros(GALLEY_F32, GALLEY_SHAPE(2)));
    galley_tensor *y = x;
    for (int i = 0; i < 100000; i++)
        y = galley_add_scalar(y, 1);
    galley_backward(galley_sum_all(y));
    show("y", y);
    show("x.grad", galley_grad(x));
    EXPECT(/*
      y: float32 [2]
        100000 100000
      x.grad: float32 [2]
        1 1
    */);
}

/* galley_print_graph with no file reports it, as galley_tensor_fprint does
 * (it dereferenced NULL). */
TEST(print_graph_to_a_null_file)
{
    galley_tensor_on_error(on_error, NULL);
    galley_print_graph(NULL, galley_param(galley_zeros(GALLEY_F64,
                                                       GALLEY_SHAPE(2))));
    EXPECT(/*
      error: galley_print_graph: file is NULL
    */);
}

/* A name with a quote, a backslash, a newline and a tab prints escaped:
 * each node stays one line of the listing. */
TEST(graph_names_are_escaped)
{
    galley_tensor *w = galley_param(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2)));
    galley_set_name(w, "a\"b\\c\nd\te");
    galley_print_graph(stdout, galley_sum_all(w));
    EXPECT(/*
      %0 = param "a\"b\\c\nd\x09e" float64 [2]
      %1 = sum_all(%0) float64 []
    */);
}
