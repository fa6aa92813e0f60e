/* train_test.c: a small neural network trained inside an expect test. A
 * 2-8-2 MLP learns XOR with Adam; the expectations hold the losses along the
 * way, the final predictions and the graph of one step, compared with a
 * tolerance so that last-digit noise of another libm or BLAS never fails
 * them. See galley_tensor(3). */
#include <galley.h>
#include <galley/tensor.h>
#include <stdio.h>

/* The four XOR cases and their classes. */
static galley_tensor *S_inputs(void)
{
    static const double x[] = {0, 0, 0, 1, 1, 0, 1, 1};
    return galley_from_f64(x, GALLEY_SHAPE(4, 2));
}

static galley_tensor *S_classes(void)
{
    static const int64_t y[] = {0, 1, 1, 0};
    return galley_from_i64(y, GALLEY_SHAPE(4));
}

typedef struct model {
    galley_tensor *w1, *b1, *w2, *b2;
} model;

/* Weights drawn from a seeded normal, so every run starts alike. */
static model S_model(void)
{
    galley_manual_seed(7);
    model m = {
        galley_param(galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(2, 8))),
        galley_param(galley_zeros(GALLEY_F64, GALLEY_SHAPE(8))),
        galley_param(galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(8, 2))),
        galley_param(galley_zeros(GALLEY_F64, GALLEY_SHAPE(2))),
    };
    galley_set_name(m.w1, "w1");
    galley_set_name(m.b1, "b1");
    galley_set_name(m.w2, "w2");
    galley_set_name(m.b2, "b2");
    return m;
}

/* logits = tanh(x w1 + b1) w2 + b2 */
static galley_tensor *S_forward(const model *m, galley_tensor *x)
{
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(x, m->w1), m->b1));
    return galley_add(galley_matmul(h, m->w2), m->b2);
}

/* Trains for 300 steps, printing the loss every 50 and the predicted
 * probabilities at the end. One scope per step keeps memory flat. The
 * test runs once on the CPU and once on the GPU (.devices), each in its
 * own process, and both must print what the expectations hold: the GPU's
 * training checked against the CPU's, within the tolerance. Without a GPU
 * the CUDA run is reported as skipped, with the reason. See
 * galley_tensor(3), "Devices". */
TEST(mlp_learns_xor, .rtol = 1e-6, .atol = 1e-9,
     .devices = GALLEY_CPU | GALLEY_CUDA)
{
    galley_tensor *x = S_inputs(), *y = S_classes();
    model m = S_model();
    galley_tensor *params[] = {m.w1, m.b1, m.w2, m.b2};
    galley_adam_options adam = GALLEY_ADAM_OPTIONS_INIT;
    adam.lr = 0.05;
    galley_optim *opt = galley_adam_new(params, 4, &adam);
    for (int step = 1; step <= 300; step++) {
        galley_scope *s = galley_scope_begin();
        galley_optim_zero_grad(opt);
        galley_tensor *loss = galley_cross_entropy(S_forward(&m, x), y);
        galley_backward(loss);
        galley_optim_step(opt);
        if (step == 1 || step % 50 == 0)
            printf("step %3d  loss %.6f\n", step, galley_item(loss));
        galley_scope_end(s);
    }
    EXPECT(/*
      step   1  loss 0.736241
      step  50  loss 0.002707
      step 100  loss 0.001084
      step 150  loss 0.000690
      step 200  loss 0.000472
      step 250  loss 0.000341
      step 300  loss 0.000257
    */);

    galley_tensor *p = galley_softmax(S_forward(&m, x), -1);
    printf("P(class | x):\n");
    galley_tensor_print(p);
    printf("predicted classes:\n");
    galley_tensor_print(galley_argmax(p, 1, 0));
    EXPECT(/*
      P(class | x):
      float64 [4, 2]
      [[9.99811248e-01 1.88751766e-04]
       [2.42696514e-04 9.99757303e-01]
       [2.90372561e-04 9.99709627e-01]
       [9.99697782e-01 3.02218470e-04]]
      predicted classes:
      int64 [4]
      [0 1 1 0]
    */);
    galley_optim_free(opt);
    galley_tensor_free_all();
}

/* The graph of the loss, printed in a fixed order: a review shows when the
 * model's structure changes. */
TEST(graph_of_the_loss)
{
    model m = S_model();
    galley_tensor *loss = galley_cross_entropy(S_forward(&m, S_inputs()),
                                               S_classes());
    galley_print_graph(stdout, loss);
    EXPECT(/*
      %0 = const float64 [4, 2]
      %1 = param "w1" float64 [2, 8]
      %2 = matmul(%0, %1) float64 [4, 8]
      %3 = param "b1" float64 [8]
      %4 = add(%2, %3) float64 [4, 8]
      %5 = tanh(%4) float64 [4, 8]
      %6 = param "w2" float64 [8, 2]
      %7 = matmul(%5, %6) float64 [4, 2]
      %8 = param "b2" float64 [2]
      %9 = add(%7, %8) float64 [4, 2]
      %10 = const int64 [4]
      %11 = cross_entropy(%9, %10) float64 []
    */);
    galley_tensor_free_all();
}
