/* gradcheck_test.c: checking gradients with finite differences. A
 * hand-written function of tensors is differentiated two ways, by backward
 * and by central differences in float64, and the report sits in an
 * expectation. The error figures are noise (about 1e-10), so the markers
 * compare them with an absolute tolerance. See galley_tensor(3). */
#include <galley.h>
#include <galley/tensor.h>
#include <stdio.h>

/* A layer with a softmax on top: sum(softmax(tanh(x w + b)) * x). */
static galley_tensor *S_layer(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    galley_tensor *h = galley_tanh(galley_add(galley_matmul(in[0], in[1]),
                                              in[2]));
    return galley_sum_all(galley_mul(galley_softmax(h, -1), in[0]));
}

TEST(gradients_of_a_layer)
{
    galley_manual_seed(3);
    galley_tensor *in[] = {
        galley_param(galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(4, 3))),
        galley_param(galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(3, 3))),
        galley_param(galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(3))),
    };
    int failed = galley_gradcheck(S_layer, in, 3, NULL, NULL);
    printf("inputs failing: %d\n", failed);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [4, 3]: max abs err 2.4e-10 at [2, 1], max rel err 1.8e-09 at [2, 1]: ok
      gradcheck: input 1 float64 [3, 3]: max abs err 2.2e-10 at [2, 0], max rel err 3.2e-09 at [2, 0]: ok
      gradcheck: input 2 float64 [3]: max abs err 3.1e-10 at [0], max rel err 2.2e-09 at [2]: ok
      gradcheck: passed
      inputs failing: 0
    */);
    galley_tensor_free_all();
}

/* A gradient that is wrong on purpose: detach hides x from backward in the
 * second factor, so half of d(x*x)/dx is missing and gradcheck says so. */
static galley_tensor *S_broken_square(galley_tensor *const *in, int n,
                                      void *ud)
{
    (void)n;
    (void)ud;
    return galley_sum_all(galley_mul(in[0], galley_detach(in[0])));
}

TEST(a_wrong_gradient_is_caught)
{
    static const double x[] = {1, -2, 3};
    galley_tensor *in[] = {galley_param(galley_from_f64(x, GALLEY_SHAPE(3)))};
    int failed = galley_gradcheck(S_broken_square, in, 1, NULL, NULL);
    printf("inputs failing: %d\n", failed);
    EXPECT_NEAR(.atol = 1e-6, /*
      gradcheck: input 0 float64 [3]: max abs err 3 at [2], max rel err 0.5 at [0]: FAILED
      gradcheck: FAILED (1 of 1 inputs)
      inputs failing: 1
    */);
    galley_tensor_free_all();
}
