/* plot_test.c: pictures in expectations (galley/plot.h). A loss curve of a
 * small training run and a heatmap of an attention matrix, both computed
 * with galley's tensors: a review of a change that slows the training or
 * shifts the attention shows it as a changed picture. See galley_plot(3). */
#include <galley.h>
#include <galley/plot.h>
#include <galley/tensor.h>
#include <stdio.h>

/* Fits y = 2x - 1 with one weight and one bias by SGD, keeping each loss. */
static void S_fit_a_line(double *losses, int steps)
{
    galley_tensor *x = galley_linspace(GALLEY_F64, -1, 1, 16);
    galley_tensor *y = galley_add_scalar(galley_mul_scalar(x, 2), -1);
    galley_tensor *w = galley_param(galley_scalar(GALLEY_F64, 0));
    galley_tensor *b = galley_param(galley_scalar(GALLEY_F64, 0));
    galley_optim *opt = galley_sgd_new((galley_tensor *[]){w, b}, 2,
                                       &(galley_sgd_options){.lr = 0.1});
    for (int step = 0; step < steps; step++) {
        galley_scope *s = galley_scope_begin();
        galley_optim_zero_grad(opt);
        galley_tensor *loss = galley_mse(galley_add(galley_mul(x, w), b), y);
        galley_backward(loss);
        galley_optim_step(opt);
        losses[step] = galley_item(loss);
        galley_scope_end(s);
    }
    galley_optim_free(opt);
    galley_tensor_free_all();
}

TEST(loss_curve)
{
    double losses[60];
    S_fit_a_line(losses, 60);
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .title = "mse, SGD lr 0.1", .xlabel = "step", .ylog = 1,
        .height = 10});
    galley_plot_loss(p, losses, 60, "train");
    galley_plot_print(p);
    galley_plot_free(p);
    EXPECT(/*
                                    mse, SGD lr 0.1
             +------------------------------------------------------------+
         100 +                                                            |
             |                                                            |
             | *                                                          |
           1 +  *******                                                   |
             |         **********                                         |
             |                   **********                               |
        0.01 +                             ********                       |
             |                                     **********             |
             |                                               **********   |
      0.0001 +                                                         ***|
             ++---------+---------+---------+--------+---------+---------++
              0         10        20        30       40        50        60
                                          step
             * train
    */);
}

/* softmax(q k^T / sqrt(d)) for 6 tokens whose queries and keys are drawn
 * from a seeded generator, then made to favour the diagonal. */
TEST(attention_heatmap)
{
    galley_manual_seed(11);
    galley_tensor *q = galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(6, 4));
    galley_tensor *k = galley_add(q, galley_mul_scalar(
        galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(6, 4)), 0.5));
    galley_tensor *scores = galley_mul_scalar(
        galley_matmul(q, galley_transpose(k, 0, 1)), 0.5);
    galley_tensor *attn = galley_softmax(scores, -1);
    galley_plot *p = galley_plot_new(&(galley_plot_options){
        .title = "attention", .xlabel = "key", .ylabel = "query",
        .zlim = {0, 1}});
    galley_plot_heatmap_tensor(p, attn);
    galley_plot_print(p);
    galley_plot_free(p);
    EXPECT(/*
        attention
      query
        +------+
      0 +=  . :|
      1 + =   -|
      2 +  @   |
      3 +  %.  |
      4 +  : + |
      5 +..   *|
        ++-+-+-+
         0 2 4
          key
        0 ' .:-=+*#%@' 1
    */);
    galley_tensor_free_all();
}
