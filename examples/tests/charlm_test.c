/* charlm_test.c: a character-level language model trained inside an expect
 * test. An embedding, one causal self-attention block with layer norm and a
 * GELU MLP, trained with AdamW for 300 steps on a short text; the
 * expectations hold the loss curve as a plot, text sampled from the seeded
 * stream, and a gradcheck of the block. float64 throughout and a tolerance
 * on the numbers, so that another BLAS's last digits never fail it. See
 * galley_tensor(3). */
#include <galley.h>
#include <galley/plot.h>
#include <galley/tensor.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char S_text[] =
    "the galley runs the tests. the tests print what they compute, "
    "and the galley compares what they print with what they expect. "
    "when the tests print what they expect, the galley is green. "
    "when they print something else, the galley shows the difference. ";

enum { T = 16, D = 32, H = 64, BATCH = 16, STEPS = 300 };

/* The characters of the text, sorted: index = token id. */
typedef struct vocab {
    char chars[64];
    int n;
} vocab;

static vocab S_vocab(void)
{
    vocab v = {{0}, 0};
    for (int c = 1; c < 128; c++)
        if (strchr(S_text, c))
            v.chars[v.n++] = (char)c;
    return v;
}

static int64_t S_id(const vocab *v, char c)
{
    return (int64_t)(strchr(v->chars, c) - v->chars);
}

/* The parameters: embeddings, the attention and MLP weights of the block,
 * the layer norms' scales and shifts, and the output projection. */
typedef struct model {
    galley_tensor *tok, *pos;          /* [V, D], [T, D] */
    galley_tensor *ln1w, *ln1b, *wq, *wk, *wv, *wo;
    galley_tensor *ln2w, *ln2b, *w1, *b1, *w2, *b2;
    galley_tensor *lnfw, *lnfb, *out;  /* out: [D, V] */
} model;

/* The parameters as the array an optimizer takes; returns their count. */
static int S_params(const model *m, galley_tensor **p)
{
    galley_tensor *all[] = {m->tok,  m->pos,  m->ln1w, m->ln1b, m->wq,
                            m->wk,   m->wv,   m->wo,   m->ln2w, m->ln2b,
                            m->w1,   m->b1,   m->w2,   m->b2,   m->lnfw,
                            m->lnfb, m->out};
    memcpy(p, all, sizeof all);
    return (int)(sizeof all / sizeof *all);
}

/* Normal weights scaled by 1/sqrt(fan_in), from the default generator. */
static galley_tensor *S_weight(long rows, long cols)
{
    galley_tensor *w = galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(rows, cols));
    return galley_param(galley_mul_scalar(w, 1 / sqrt((double)rows)));
}

static galley_tensor *S_const(long n, double v)
{
    return galley_param(galley_full(GALLEY_F64, GALLEY_SHAPE(n), v));
}

static model S_model(long nvocab, long d, long h, long t)
{
    model m = {
        .tok = galley_param(galley_randn(NULL, GALLEY_F64,
                                         GALLEY_SHAPE(nvocab, d))),
        .pos = galley_param(galley_mul_scalar(
            galley_randn(NULL, GALLEY_F64, GALLEY_SHAPE(t, d)), 0.1)),
        .ln1w = S_const(d, 1), .ln1b = S_const(d, 0),
        .wq = S_weight(d, d), .wk = S_weight(d, d), .wv = S_weight(d, d),
        .wo = S_weight(d, d),
        .ln2w = S_const(d, 1), .ln2b = S_const(d, 0),
        .w1 = S_weight(d, h), .b1 = S_const(h, 0),
        .w2 = S_weight(h, d), .b2 = S_const(d, 0),
        .lnfw = S_const(d, 1), .lnfb = S_const(d, 0),
        .out = S_weight(d, nvocab),
    };
    return m;
}

/* One pre-norm transformer block on x [B, t, d]: causal single-head
 * attention, then a GELU MLP, each added to its input. */
static galley_tensor *S_block(const model *m, galley_tensor *x)
{
    long t = galley_dim(x, 1), d = galley_dim(x, 2);
    galley_tensor *h = galley_layer_norm(x, 1, m->ln1w, m->ln1b, 1e-5);
    galley_tensor *q = galley_matmul(h, m->wq);
    galley_tensor *k = galley_matmul(h, m->wk);
    galley_tensor *v = galley_matmul(h, m->wv);
    galley_tensor *scores = galley_mul_scalar(
        galley_matmul(q, galley_transpose(k, 1, 2)), 1 / sqrt((double)d));
    /* Position i attends to j <= i: the mask is 1 where j > i. */
    galley_tensor *idx = galley_arange(GALLEY_I64, 0, (double)t, 1);
    galley_tensor *future = galley_gt(galley_unsqueeze(idx, 0),
                                      galley_unsqueeze(idx, 1));
    scores = galley_masked_fill(scores, future, -INFINITY);
    galley_tensor *att = galley_matmul(galley_softmax(scores, -1), v);
    x = galley_add(x, galley_matmul(att, m->wo));
    h = galley_layer_norm(x, 1, m->ln2w, m->ln2b, 1e-5);
    h = galley_gelu(galley_add(galley_matmul(h, m->w1), m->b1));
    return galley_add(x, galley_add(galley_matmul(h, m->w2), m->b2));
}

/* The logits [B, t, V] of the next character after each of ids [B, t]. */
static galley_tensor *S_forward(const model *m, galley_tensor *ids)
{
    long t = galley_dim(ids, 1);
    galley_tensor *pos = galley_slice(m->pos, 0, 0, t, 1);
    galley_tensor *x = galley_add(galley_embedding(m->tok, ids), pos);
    x = S_block(m, x);
    x = galley_layer_norm(x, 1, m->lnfw, m->lnfb, 1e-5);
    return galley_matmul(x, m->out);
}

/* BATCH windows of T + 1 characters at offsets drawn from rng: the inputs
 * and, shifted by one, the targets. */
static void S_batch(const vocab *v, galley_rng *rng, galley_tensor **ids,
                    galley_tensor **targets)
{
    long n = (long)strlen(S_text);
    galley_tensor *start = galley_randint(rng, 0, n - T - 1, GALLEY_I64,
                                          GALLEY_SHAPE(BATCH));
    int64_t in[BATCH * T], out[BATCH * T];
    for (long b = 0; b < BATCH; b++) {
        long s = (long)galley_tensor_get(start, GALLEY_AT(b));
        for (long i = 0; i < T; i++) {
            in[b * T + i] = S_id(v, S_text[s + i]);
            out[b * T + i] = S_id(v, S_text[s + i + 1]);
        }
    }
    *ids = galley_from_i64(in, GALLEY_SHAPE(BATCH, T));
    *targets = galley_from_i64(out, GALLEY_SHAPE(BATCH * T));
}

/* Samples n characters after prompt: each from the softmax of the last
 * position's logits, by a uniform draw of rng against the cumulative
 * probabilities. */
static void S_sample(const model *m, const vocab *v, galley_rng *rng,
                     const char *prompt, int n, char *buf)
{
    int len = (int)strlen(prompt);
    memcpy(buf, prompt, (size_t)len + 1);
    int was = galley_set_grad_enabled(0);
    for (int k = 0; k < n; k++, len++) {
        galley_scope *s = galley_scope_begin();
        int from = len > T ? len - T : 0;
        int64_t ids[T];
        for (int i = from; i < len; i++)
            ids[i - from] = S_id(v, buf[i]);
        galley_tensor *x = galley_from_i64(ids, GALLEY_SHAPE(1, len - from));
        galley_tensor *logits = S_forward(m, x);
        galley_tensor *last = galley_select(galley_select(logits, 0, 0), 0,
                                            len - from - 1);
        galley_tensor *p = galley_softmax(last, 0);
        double u = galley_rng_uniform(rng), acc = 0;
        int c = v->n - 1;
        for (int j = 0; j < v->n; j++) {
            acc += galley_tensor_get(p, GALLEY_AT(j));
            if (u < acc) {
                c = j;
                break;
            }
        }
        buf[len] = v->chars[c];
        buf[len + 1] = '\0';
        galley_scope_end(s);
    }
    galley_set_grad_enabled(was);
}

/* Training takes a few seconds, many more under a sanitizer on a loaded
 * machine: a time limit of its own, above galley.conf's 10 s. */
TEST(a_character_model_learns_the_text, .rtol = 1e-6, .atol = 1e-9,
     .timeout_ms = 120000)
{
    vocab v = S_vocab();
    galley_manual_seed(15);
    model m = S_model(v.n, D, H, T);
    galley_adamw_options o = GALLEY_ADAMW_OPTIONS_INIT;
    o.lr = 1e-2;
    galley_tensor *params[32];
    galley_optim *opt = galley_adamw_new(params, S_params(&m, params), &o);
    galley_rng data;
    galley_rng_seed(&data, 15, 1);
    double losses[STEPS];
    for (int step = 0; step < STEPS; step++) {
        galley_scope *s = galley_scope_begin();
        galley_tensor *ids, *targets;
        S_batch(&v, &data, &ids, &targets);
        galley_tensor *logits = galley_reshape(S_forward(&m, ids),
                                               GALLEY_SHAPE(BATCH * T, v.n));
        galley_tensor *loss = galley_cross_entropy(logits, targets);
        galley_optim_zero_grad(opt);
        galley_backward(loss);
        galley_optim_step(opt);
        losses[step] = galley_item(loss);
        galley_scope_end(s);
    }
    printf("%d characters, vocabulary of %d, %d steps\n",
           (int)strlen(S_text), v.n, STEPS);
    printf("loss: first %.4f, last %.4f (uniform: %.4f)\n", losses[0],
           losses[STEPS - 1], log((double)v.n));
    galley_plot_options po = {.width = 60, .height = 12,
                              .title = "training loss", .smooth = 0.9};
    galley_plot *p = galley_plot_new(&po);
    galley_plot_loss(p, losses, STEPS, "train");
    galley_plot_print(p);
    galley_plot_free(p);
    EXPECT(/*
      250 characters, vocabulary of 23, 300 steps
      loss: first 3.4452, last 0.2962 (uniform: 3.1355)
                                training loss
        +------------------------------------------------------------+
      4 +                                                            |
        |                                                            |
        |*                                                           |
      3 +.*                                                          |
        | *                                                          |
        | **                                                         |
      2 + .***                                                       |
        |  ..***                                                     |
      1 +    ...******                                               |
        |          ..************ .                                  |
        |                    ....************************************|
      0 +                                                            |
        ++---------+---------+---------+--------+---------+---------++
         0         50       100       150      200       250       300
        . train   * train (smoothed)
    */);

    char text[128];
    galley_rng gen;
    galley_rng_seed(&gen, 15, 2);
    S_sample(&m, &v, &gen, "the ", 72, text);
    printf("%s\n", text);
    EXPECT(/*
      the what they expect. when they print something else, the galley runs runs t
    */);
    galley_optim_free(opt);
    galley_tensor_free_all();
}

/* The block's gradients against central differences, on a small float64
 * model (t 3, d 4): with respect to its input and every weight of the
 * block. Only the verdict is printed: the report's error figures move with
 * the libm and BLAS. */
static model S_small;

static galley_tensor *S_block_fn(galley_tensor *const *in, int n, void *ud)
{
    (void)n;
    (void)ud;
    model m = S_small;
    m.ln1w = in[1], m.ln1b = in[2], m.wq = in[3], m.wk = in[4];
    m.wv = in[5], m.wo = in[6], m.ln2w = in[7], m.ln2b = in[8];
    m.w1 = in[9], m.b1 = in[10], m.w2 = in[11], m.b2 = in[12];
    return S_block(&m, in[0]);
}

TEST(the_block_passes_gradcheck)
{
    galley_manual_seed(3);
    S_small = S_model(5, 4, 8, 3);
    const model *m = &S_small;
    galley_tensor *x = galley_param(galley_randn(NULL, GALLEY_F64,
                                                 GALLEY_SHAPE(2, 3, 4)));
    galley_tensor *in[] = {x,      m->ln1w, m->ln1b, m->wq, m->wk,
                           m->wv,  m->wo,   m->ln2w, m->ln2b, m->w1,
                           m->b1,  m->w2,   m->b2};
    galley_gradcheck_options o = GALLEY_GRADCHECK_OPTIONS_INIT;
    o.quiet = 1;
    int failed = galley_gradcheck(S_block_fn, in, 13, NULL, &o);
    printf("inputs checked: 13, failed: %d\n", failed);
    if (failed)
        galley_gradcheck(S_block_fn, in, 13, NULL, NULL);
    EXPECT(/* inputs checked: 13, failed: 0 */);
    galley_tensor_free_all();
}
