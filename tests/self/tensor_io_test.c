/* tensor_io_test.c: in-place arithmetic (values, gradients through it, the
 * version and leaf errors), .npy saving and loading (bytes identical to
 * numpy.save's, errors) and randint/randperm. Values were checked against
 * PyTorch 1.13 and numpy 1.24 (the expressions are in each test's
 * comment). */
#include "tensor_check.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

/* Prints t's dtype and elements in row-major order on one line (10
 * significant digits); NULL prints "what: NULL". */
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
                                            quiet_options()));
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
    /* An expanded tensor: its rows are one row in memory (torch: "more
     * than one element of the written-to tensor refers to a single memory
     * location"). */
    galley_tensor *e = galley_expand(galley_zeros(GALLEY_F64, GALLEY_SHAPE(1, 2)),
                                     GALLEY_SHAPE(3, 2));
    show("e", galley_add_(e, galley_ones(GALLEY_F64, GALLEY_SHAPE(3, 2))));
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
      error: galley_add_scalar_: a is int64 [2]; galley_add_scalar_ needs float32 or float64 (cast with galley_tensor_to)
      i: NULL
      error: galley_add_: a float64 [3, 2] has elements that share one place in memory (an expanded axis 0), so an in-place op would write each place several times (as torch, refused); change a copy (galley_clone)
      e: NULL
      x: float64 4 5
    */);
}

/* In-place ops on a node of more than three inputs (cat of five): the
 * node moves to a copy and the gradient still reaches every input. torch:
 *   x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
 *   c = torch.cat([x * k for k in range(1, 6)]); c.mul_(2); c.add_(1)
 *   l = (c * c).sum() / 2; l.backward()   -> l 645, x.grad [250, 470] */
TEST(inplace_on_a_node_of_five_inputs)
{
    galley_tensor *x = galley_param(f64((double[]){1, 2}, GALLEY_SHAPE(2)));
    galley_tensor *parts[5];
    for (int k = 0; k < 5; k++)
        parts[k] = galley_mul_scalar(x, k + 1);
    galley_tensor *c = galley_cat(parts, 5, 0);
    galley_mul_scalar_(c, 2);
    galley_add_scalar_(c, 1);
    galley_tensor *l = galley_mul_scalar(galley_sum_all(galley_mul(c, c)), 0.5);
    galley_backward(l);
    show("l", l);
    show("x.grad", galley_grad(x));
    EXPECT(/*
      l: float64 645
      x.grad: float64 250 470
    */);
}

/* A result whose backward reads it (exp: d exp(w) = exp(w)), changed in
 * place with grad mode off, through an in-place op, galley_fill_,
 * galley_tensor_set or galley_copy_: backward refuses rather than give a
 * gradient computed from the changed values. Unchanged, it gives
 * exp(w). */
TEST(a_result_changed_in_place_is_refused_by_backward)
{
    galley_tensor_on_error(on_error, NULL);
    for (int how = 0; how < 5; how++) {
        galley_scope *s = galley_scope_begin();
        galley_tensor *w = galley_param(f64((double[]){0, 1}, GALLEY_SHAPE(2)));
        galley_tensor *y = galley_exp(w);
        int was = galley_set_grad_enabled(0);
        if (how == 1)
            galley_mul_scalar_(y, 2);
        else if (how == 2)
            galley_fill_(y, 0);
        else if (how == 3)
            galley_tensor_set(y, GALLEY_AT(0), 5);
        else if (how == 4)
            galley_copy_(y, galley_zeros(GALLEY_F64, GALLEY_SHAPE(2)));
        galley_set_grad_enabled(was);
        galley_backward(galley_sum_all(y));
        show("grad", galley_grad(w));
        galley_scope_end(s);
    }
    EXPECT(/*
      grad: float64 1 2.718281828
      error: galley_backward: the result of exp (float64 [2]) was modified in place after it was computed, and its gradient may depend on it; change a copy (galley_clone) or compute the graph again
      grad: NULL
      error: galley_backward: the result of exp (float64 [2]) was modified in place after it was computed, and its gradient may depend on it; change a copy (galley_clone) or compute the graph again
      grad: NULL
      error: galley_backward: the result of exp (float64 [2]) was modified in place after it was computed, and its gradient may depend on it; change a copy (galley_clone) or compute the graph again
      grad: NULL
      error: galley_backward: the result of exp (float64 [2]) was modified in place after it was computed, and its gradient may depend on it; change a copy (galley_clone) or compute the graph again
      grad: NULL
    */);
}

/* ---- saving and loading: .npy ---- */

/* Each npy test works in a fresh temporary directory (its path is not in
 * the output: the files are named relative to it). */
static char tmpdir[64];

static void enter_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/galley-npy-XXXXXX");
    if (!mkdtemp(tmpdir) || chdir(tmpdir))
        printf("cannot make a temporary directory\n");
}

/* Removes the files named, then the directory; prints what is left. */
static void leave_tmpdir(const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        unlink(names[i]);
    if (chdir("/") || rmdir(tmpdir))
        printf("left in the directory: something (a temporary?)\n");
}

/* The bytes of a file, or NULL; *n gets the length. The caller frees. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *b = malloc(1 << 20);
    *n = fread(b, 1, 1 << 20, f);
    fclose(f);
    return b;
}

/* Prints the file as xxd prints it, without the text column. */
static void dump(const char *path)
{
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    for (size_t i = 0; i < n; i += 16) {
        printf("%08zx:", i);
        for (size_t k = i; k < i + 16 && k < n; k += 2)
            printf(k + 1 < n ? " %02x%02x" : " %02x", b[k], b[k + 1 < n ? k + 1 : k]);
        printf("\n");
    }
    free(b);
}

/* The file's length and CRC-32 (zlib's crc32, bit by bit). */
static void crc(const char *path)
{
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= b[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    printf("%s: %zu bytes, crc32 %08x\n", path, n, c ^ 0xffffffffu);
    free(b);
}

TEST(save_npy_writes_what_numpy_writes)
{
    /* The files of numpy 1.24's numpy.save for the same arrays:
     *   np.arange(6, dtype='<f4').reshape(2, 3) * np.float32(.5) - 1
     *   np.array([1, -2, 3], dtype='<i8')
     * dumped with `xxd FILE | cut -c1-49`, and for the others the length
     * and zlib.crc32 of the file:
     *   np.float64(2.5)                                 136 933ab435
     *   (np.arange(100000, dtype='<f8') / 7).reshape(100000, 1)
     *                                                   800128 23a8dc95
     *   np.ones((1, 2, 1, 2, 1, 2, 1, 2), dtype='<f4')  192 6d797ffc
     *   np.zeros((0, 3), dtype='<f8')                   128 f860fb58 */
    enter_tmpdir();
    galley_tensor *a = galley_add_scalar(
        galley_mul_scalar(galley_arange(GALLEY_F32, 0, 6, 1), 0.5), -1);
    galley_save_npy(galley_reshape(a, GALLEY_SHAPE(2, 3)), "f32_2x3.npy");
    galley_save_npy(galley_from_i64((int64_t[]){1, -2, 3}, GALLEY_SHAPE(3)),
                    "i64_3.npy");
    dump("f32_2x3.npy");
    dump("i64_3.npy");
    galley_save_npy(galley_scalar(GALLEY_F64, 2.5), "f64_0d.npy");
    galley_tensor *big = galley_div(galley_arange(GALLEY_F64, 0, 100000, 1),
                                    galley_scalar(GALLEY_F64, 7));
    galley_save_npy(galley_reshape(big, GALLEY_SHAPE(100000, 1)),
                    "f64_big.npy");
    galley_save_npy(galley_ones(GALLEY_F32, GALLEY_SHAPE(1, 2, 1, 2, 1, 2, 1, 2)),
                    "f32_8d.npy");
    galley_save_npy(galley_zeros(GALLEY_F64, GALLEY_SHAPE(0, 3)),
                    "f64_empty.npy");
    crc("f64_0d.npy");
    crc("f64_big.npy");
    crc("f32_8d.npy");
    crc("f64_empty.npy");
    const char *names[] = {"f32_2x3.npy", "i64_3.npy", "f64_0d.npy",
                           "f64_big.npy", "f32_8d.npy", "f64_empty.npy"};
    leave_tmpdir(names, 6);
    EXPECT(/*
      00000000: 934e 554d 5059 0100 7600 7b27 6465 7363
      00000010: 7227 3a20 273c 6634 272c 2027 666f 7274
      00000020: 7261 6e5f 6f72 6465 7227 3a20 4661 6c73
      00000030: 652c 2027 7368 6170 6527 3a20 2832 2c20
      00000040: 3329 2c20 7d20 2020 2020 2020 2020 2020
      00000050: 2020 2020 2020 2020 2020 2020 2020 2020
      00000060: 2020 2020 2020 2020 2020 2020 2020 2020
      00000070: 2020 2020 2020 2020 2020 2020 2020 200a
      00000080: 0000 80bf 0000 00bf 0000 0000 0000 003f
      00000090: 0000 803f 0000 c03f
      00000000: 934e 554d 5059 0100 7600 7b27 6465 7363
      00000010: 7227 3a20 273c 6938 272c 2027 666f 7274
      00000020: 7261 6e5f 6f72 6465 7227 3a20 4661 6c73
      00000030: 652c 2027 7368 6170 6527 3a20 2833 2c29
      00000040: 2c20 7d20 2020 2020 2020 2020 2020 2020
      00000050: 2020 2020 2020 2020 2020 2020 2020 2020
      00000060: 2020 2020 2020 2020 2020 2020 2020 2020
      00000070: 2020 2020 2020 2020 2020 2020 2020 200a
      00000080: 0100 0000 0000 0000 feff ffff ffff ffff
      00000090: 0300 0000 0000 0000
      f64_0d.npy: 136 bytes, crc32 933ab435
      f64_big.npy: 800128 bytes, crc32 23a8dc95
      f32_8d.npy: 192 bytes, crc32 6d797ffc
      f64_empty.npy: 128 bytes, crc32 f860fb58
    */);
}

/* Writes a .npy file by hand: version major.0, the header text as given
 * (with no padding), then n bytes of data. */
static void write_raw(const char *path, int major, const char *header,
                      const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    size_t h = strlen(header);
    fwrite("\x93NUMPY", 1, 6, f);
    fputc(major, f);
    fputc(0, f);
    fputc((int)(h & 0xff), f);
    fputc((int)(h >> 8 & 0xff), f);
    if (major >= 2) {
        fputc(0, f);
        fputc(0, f);
    }
    fwrite(header, 1, h, f);
    fwrite(data, 1, n, f);
    fclose(f);
}

/* Copies the first n bytes of file from into file to. */
static void truncated_copy(const char *from, const char *to, size_t n)
{
    size_t len = 0;
    unsigned char *b = slurp(from, &len);
    FILE *f = fopen(to, "wb");
    fwrite(b, 1, n < len ? n : len, f);
    fclose(f);
    free(b);
}

/* The number of entries of the current directory but . and ..; prints
 * those whose name has "tmp" in it. */
static int entries(void)
{
    DIR *d = opendir(".");
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (strstr(e->d_name, "tmp"))
            printf("temporary left: %s\n", e->d_name);
    }
    closedir(d);
    return n;
}

TEST(load_npy_round_trips_and_reads_numpy_files)
{
    enter_tmpdir();
    /* Every dtype; a transposed view is saved as its elements. */
    galley_tensor *m = galley_from_f64((double[]){1, 2, 3, 4, 5, 6},
                                       GALLEY_SHAPE(2, 3));
    galley_save_npy(galley_transpose(m, 0, 1), "t.npy");
    show("f64 transposed", galley_load_npy("t.npy"));
    printf("shape [%ld, %ld]\n", galley_dim(galley_load_npy("t.npy"), 0),
           galley_dim(galley_load_npy("t.npy"), 1));
    galley_save_npy(galley_from_f32((float[]){0.1f, -1e30f, INFINITY},
                                    GALLEY_SHAPE(3)), "t.npy");
    show("f32", galley_load_npy("t.npy"));
    galley_save_npy(galley_from_i64((int64_t[]){INT64_MIN, -1, INT64_MAX},
                                    GALLEY_SHAPE(3)), "t.npy");
    show("i64", galley_load_npy("t.npy"));
    galley_save_npy(galley_scalar(GALLEY_F64, -0.25), "t.npy");
    galley_tensor *s = galley_load_npy("t.npy");
    printf("0-d: ndim %d, %g\n", galley_ndim(s), galley_item(s));
    printf("entries %d\n", entries());
    /* What other writers may do: version 2.0, keys in another order,
     * double quotes, no padding, bytes after the data. */
    write_raw("v2.npy", 2, "{\"shape\": (2,), \"fortran_order\": False, "
              "\"descr\": \"<i8\"}\n", (int64_t[]){7, -7, 99}, 24);
    show("v2", galley_load_npy("v2.npy"));
    const char *names[] = {"t.npy", "v2.npy"};
    leave_tmpdir(names, 2);
    EXPECT(/*
      f64 transposed: float64 1 4 2 5 3 6
      shape [3, 2]
      f32: float32 0.1000000015 -1.000000015e+30 inf
      i64: int64 -9.223372037e+18 -1 9.223372037e+18
      0-d: ndim 0, -0.25
      entries 1
      v2: int64 7 -7
    */);
}

TEST(npy_errors_name_the_file)
{
    galley_tensor_on_error(on_error, NULL);
    enter_tmpdir();
    galley_save_npy(galley_ones(GALLEY_F64, GALLEY_SHAPE(2, 3)), "good.npy");
    show("missing", galley_load_npy("missing.npy"));
    FILE *f = fopen("text.npy", "w");
    fputs("hello, world\n", f);
    fclose(f);
    show("magic", galley_load_npy("text.npy"));
    truncated_copy("good.npy", "short.npy", 40);
    show("short header", galley_load_npy("short.npy"));
    truncated_copy("good.npy", "short.npy", 128 + 44);
    show("short data", galley_load_npy("short.npy"));
    double one = 1;
    write_raw("be.npy", 1, "{'descr': '>f8', 'fortran_order': False, "
              "'shape': (1,), }\n", &one, 8);
    show("big-endian", galley_load_npy("be.npy"));
    write_raw("f2.npy", 1, "{'descr': '<f2', 'fortran_order': False, "
              "'shape': (1,), }\n", &one, 2);
    show("float16", galley_load_npy("f2.npy"));
    write_raw("fo.npy", 1, "{'descr': '<f8', 'fortran_order': True, "
              "'shape': (1,), }\n", &one, 8);
    show("fortran", galley_load_npy("fo.npy"));
    write_raw("neg.npy", 1, "{'descr': '<f8', 'fortran_order': False, "
              "'shape': (2, -3), }\n", &one, 8);
    show("negative", galley_load_npy("neg.npy"));
    write_raw("v9.npy", 9, "{}\n", &one, 8);
    show("version", galley_load_npy("v9.npy"));
    /* A header that promises 32 GiB with 8 bytes after it: truncated,
     * said before anything is allocated (it was an out-of-memory abort). */
    write_raw("huge.npy", 1, "{'descr': '<f8', 'fortran_order': False, "
              "'shape': (4294967296,), }\n", &one, 8);
    show("huge", galley_load_npy("huge.npy"));
    /* A failed save leaves nothing behind; a good one replaces the file
     * whole, with no temporary left. */
    printf("save: %d\n", galley_save_npy(galley_ones(GALLEY_F32, GALLEY_SHAPE(1)),
                                         "no/such/dir.npy"));
    printf("save: %d\n", galley_save_npy(galley_zeros(GALLEY_F32, GALLEY_SHAPE(1)),
                                         "good.npy"));
    show("good", galley_load_npy("good.npy"));
    printf("entries %d\n", entries());
    galley_save_npy(NULL, "x.npy");
    galley_load_npy(NULL);
    const char *names[] = {"good.npy", "text.npy", "short.npy", "be.npy",
                           "f2.npy",   "fo.npy",   "neg.npy",   "v9.npy",
                           "huge.npy"};
    leave_tmpdir(names, 9);
    EXPECT(/*
      error: galley_load_npy: cannot open 'missing.npy': No such file or directory
      missing: NULL
      error: galley_load_npy: 'text.npy' is not a .npy file (no \x93NUMPY magic at the start)
      magic: NULL
      error: galley_load_npy: 'short.npy' is truncated in its header (30 of 118 bytes)
      short header: NULL
      error: galley_load_npy: 'short.npy' is truncated: its header says float64 [2, 3] (48 bytes of data) but 44 follow
      short data: NULL
      error: galley_load_npy: 'be.npy' holds dtype '>f8', which galley does not read: it reads '<f4', '<f8' and '<i8' (little-endian float32, float64, int64); convert with numpy's astype
      big-endian: NULL
      error: galley_load_npy: 'f2.npy' holds dtype '<f2', which galley does not read: it reads '<f4', '<f8' and '<i8' (little-endian float32, float64, int64); convert with numpy's astype
      float16: NULL
      error: galley_load_npy: 'fo.npy' is in Fortran order, which galley does not read: save numpy.ascontiguousarray(a)
      fortran: NULL
      error: galley_load_npy: 'neg.npy': cannot read its header: {'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }
      negative: NULL
      error: galley_load_npy: 'v9.npy' has .npy version 9.0; galley reads 1.0, 2.0 and 3.0
      version: NULL
      error: galley_load_npy: 'huge.npy' is truncated: its header says float64 [4294967296] (34359738368 bytes of data) but 8 follow
      huge: NULL
      error: galley_save_npy: cannot write 'no/such/dir.npy': No such file or directory
      save: -1
      save: 0
      good: float32 0
      entries 9
      error: galley_save_npy: input t is NULL
      error: galley_load_npy: path is NULL
    */);
}

/* ---- random integers ---- */

TEST(randint_and_randperm_draws)
{
    /* The values were also computed by a Python model of the documented
     * draws (PCG32 of galley_rng_seed(rng, 15, 2); Lemire's method; 64-bit
     * draws high half first; Fisher-Yates from the end). */
    galley_rng rng;
    galley_rng_seed(&rng, 15, 2);
    show("randint [0, 10)", galley_randint(&rng, 0, 10, GALLEY_I64,
                                           GALLEY_SHAPE(2, 6)));
    show("randint [-3, 3) f64", galley_randint(&rng, -3, 3, GALLEY_F64,
                                               GALLEY_SHAPE(6)));
    show("randint [0, 2^32)", galley_randint(&rng, 0, 4294967296LL,
                                             GALLEY_I64, GALLEY_SHAPE(2)));
    galley_tensor *wide = galley_randint(&rng, INT64_MIN, INT64_MAX,
                                         GALLEY_I64, GALLEY_SHAPE(2));
    int64_t *w = galley_tensor_data(wide);
    printf("randint int64 range: %lld %lld\n", (long long)w[0],
           (long long)w[1]);
    show("randperm 10", galley_randperm(&rng, 10));
    show("randperm 1", galley_randperm(&rng, 1));
    show("randperm 0", galley_randperm(&rng, 0));
    /* The default generator, seeded. */
    galley_manual_seed(3);
    show("default", galley_randint(NULL, 1, 7, GALLEY_I64, GALLEY_SHAPE(5)));
    EXPECT(/*
      randint [0, 10): int64 8 1 4 2 3 4 9 5 6 2 4 1
      randint [-3, 3) f64: float64 -3 -2 2 1 -3 2
      randint [0, 2^32): int64 534362365 4179774118
      randint int64 range: 1139688858896063652 3862910130910705255
      randperm 10: int64 1 6 8 3 0 9 7 4 2 5
      randperm 1: int64 0
      randperm 0: int64
      default: int64 6 6 1 5 3
    */);
}

TEST(randint_is_uniform_and_randperm_a_permutation)
{
    galley_rng rng;
    galley_rng_seed(&rng, 1, 1);
    long counts[6] = {0};
    galley_tensor *t = galley_randint(&rng, 0, 6, GALLEY_I64,
                                      GALLEY_SHAPE(60000));
    int64_t *v = galley_tensor_data(t);
    for (long i = 0; i < 60000; i++)
        counts[v[i]]++;
    for (int k = 0; k < 6; k++)
        printf("%d: %s\n", k, labs(counts[k] - 10000) < 400 ? "~10000"
                                                             : "far off");
    galley_tensor *p = galley_randperm(&rng, 1000);
    int64_t *q = galley_tensor_data(p);
    char seen[1000] = {0};
    long ok = 0;
    for (long i = 0; i < 1000; i++)
        ok += q[i] >= 0 && q[i] < 1000 && !seen[q[i]]++;
    printf("distinct in range: %ld of 1000\n", ok);
    galley_tensor_on_error(on_error, NULL);
    show("empty range", galley_randint(&rng, 5, 5, GALLEY_I64, GALLEY_SHAPE(1)));
    show("negative n", galley_randperm(&rng, -1));
    EXPECT(/*
      0: ~10000
      1: ~10000
      2: ~10000
      3: ~10000
      4: ~10000
      5: ~10000
      distinct in range: 1000 of 1000
      error: galley_randint: high 5 must be > low 5
      empty range: NULL
      error: galley_randperm: n is -1; it must be >= 0
      negative n: NULL
    */);
}
