/* tensor_io.c: in-place arithmetic (with autodiff's rules for in-place
 * changes), .npy saving and loading, randint and randperm. */
#include "tensor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

/* ---- in-place arithmetic ----
 *
 * a OP= b is computed out of place by the public op, then written into a's
 * storage (cast to a's dtype), and the storage's version goes up, so that a
 * graph that saved a refuses backward. When the change takes part in
 * autodiff (grad mode on, a or b requiring grad), a's place in the graph
 * moves to a copy of its old value ("old", owned by a), and a becomes the
 * node OP(old, b), as torch rebases a tensor changed in place. */

/* An in-place op: the out-of-place op it is made of, with b or s. */
typedef struct S_inplace {
    const char *name;
    galley_tensor *(*binary)(galley_tensor *, galley_tensor *);
    galley_tensor *(*scalar)(galley_tensor *, double);
    galley_tensor *b;
    double s;
} S_inplace;

/* Whether grad mode is on (the setting is private to tensor_autograd.c;
 * setting it back at once reads it). */
static int S_grad_on(void)
{
    int on = galley_set_grad_enabled(0);
    galley_set_grad_enabled(on);
    return on;
}

/* The op applied to a; b is replaced by a when it was self (add_(a, a)),
 * which matters once a's identity moved to old. */
static galley_tensor *S_apply(const S_inplace *op, galley_tensor *a,
                              galley_tensor *self)
{
    if (!op->binary)
        return op->scalar(a, op->s);
    return op->binary(a, op->b == self ? a : op->b);
}

/* Moves the autodiff identity (the node: op, inputs, saved, arguments) of
 * src into dst; src becomes a leaf that requires no grad. */
static void S_move_node(galley_tensor *dst, galley_tensor *src)
{
    dst->requires_grad = src->requires_grad;
    dst->op = src->op;
    galley__move_inputs(dst, src);
    dst->out_version = dst->st->version;
    memcpy(dst->darg, src->darg, sizeof dst->darg);
    memcpy(dst->larg, src->larg, sizeof dst->larg);
    dst->saved = src->saved;
    src->requires_grad = 0;
    src->op = NULL;
    src->saved = NULL;
}

/* Checks what every in-place op needs: live operands, b broadcasting to
 * a's shape (a's shape cannot change in place). */
static int S_check_inplace(const S_inplace *op, galley_tensor *a)
{
    if (galley__check(a, op->name, "a") ||
        (op->binary && galley__check(op->b, op->name, "b")))
        return -1;
    /* galley's arithmetic is floating, and a float result does not go
     * into int64 (torch: "result type Float can't be cast to Long"). */
    if (galley__check_float(a, op->name, "a"))
        return -1;
    for (int i = 0; i < a->ndim; i++)
        if (a->strides[i] == 0 && a->shape[i] > 1) {
            char da[GALLEY__SHAPE_STR_MAX + 8];
            galley__error(op->name, "a %s has elements that share one "
                          "place in memory (an expanded axis %d), so an "
                          "in-place op would write each place several times "
                          "(as torch, refused); change a copy (galley_clone)",
                          galley__desc(a, da), i);
            return -1;
        }
    if (!op->binary)
        return 0;
    int nd;
    long shape[GALLEY_MAX_DIMS];
    if (galley__broadcast(a, op->b, &nd, shape, op->name))
        return -1;
    if (!galley__same_shape(a, nd, shape)) {
        char da[GALLEY__SHAPE_STR_MAX + 8], db[GALLEY__SHAPE_STR_MAX + 8];
        galley__error(op->name, "b %s does not broadcast to a's shape (%s): "
                      "an in-place op cannot change a's shape",
                      galley__desc(op->b, db), galley__desc(a, da));
        return -1;
    }
    return 0;
}

/* Writes r (a's shape; a floating dtype, as a's: S_check_inplace refused
 * an int64 a) into a, cast to a's dtype, and marks the change. Returns 0. */
static int S_write(galley_tensor *a, galley_tensor *r)
{
    galley__backend_of(a)->copy(a, r);
    galley__bump_version(a);
    return 0;
}

/* The refusals of torch: a parameter (a leaf that requires grad) changed
 * in place with grad mode on; and, galley's own, a tensor of the graph
 * whose storage is shared (a view or its base), whose other handles would
 * see the change without the graph knowing. */
static int S_check_graph(const S_inplace *op, galley_tensor *a)
{
    char da[GALLEY__SHAPE_STR_MAX + 8];
    if (a->is_param) {
        galley__error(op->name, "a %s is a parameter (a leaf that requires "
                      "grad) and grad mode is on: change it in place with "
                      "grad mode off (galley_set_grad_enabled(0)), as an "
                      "optimizer step does", galley__desc(a, da));
        return -1;
    }
    if (a->st->refs > 1) {
        galley__error(op->name, "a %s shares its storage with another tensor "
                      "(a view or its base) and takes part in autodiff; "
                      "change a copy (galley_clone) or use the out-of-place "
                      "op", galley__desc(a, da));
        return -1;
    }
    return 0;
}

/* a OP= b recorded in the graph: a's node moves to old (a copy of a's
 * values), a becomes the node OP(old, b) and owns old. */
static galley_tensor *S_inplace_recorded(const S_inplace *op, galley_tensor *a)
{
    galley_tensor *old =
        galley__new_like(a, a->dtype, a->ndim, a->shape, op->name);
    if (!old)
        return NULL;
    galley__backend_of(a)->copy(old, a);
    S_move_node(old, a);
    galley_tensor *r = S_apply(op, old, a);
    if (!r || S_write(a, r)) {
        S_move_node(a, old); /* as it was */
        galley_tensor_free(old);
        galley_tensor_free(r);
        return NULL;
    }
    S_move_node(a, r);
    galley_tensor_free(r);
    /* The ops used here keep no saved tensor, so the slot is free; were
     * one to, old would stay in the current scope instead. */
    if (!a->saved)
        a->saved = galley__disown(old);
    return a;
}

/* Runs op on a: checks, then in place with or without the graph. */
static galley_tensor *S_run(const S_inplace *op, galley_tensor *a)
{
    if (S_check_inplace(op, a))
        return NULL;
    int record = S_grad_on() &&
                 (a->requires_grad || (op->binary && op->b->requires_grad));
    if (!record) {
        int was = galley_set_grad_enabled(0);
        galley_tensor *r = S_apply(op, a, NULL);
        galley_set_grad_enabled(was);
        int bad = !r || S_write(a, r);
        galley_tensor_free(r);
        return bad ? NULL : a;
    }
    if (S_check_graph(op, a))
        return NULL;
    return S_inplace_recorded(op, a);
}

galley_tensor *galley_add_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_add_", .binary = galley_add,
                              .b = b}, a);
}

galley_tensor *galley_sub_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_sub_", .binary = galley_sub,
                              .b = b}, a);
}

galley_tensor *galley_mul_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_mul_", .binary = galley_mul,
                              .b = b}, a);
}

galley_tensor *galley_div_(galley_tensor *a, galley_tensor *b)
{
    return S_run(&(S_inplace){.name = "galley_div_", .binary = galley_div,
                              .b = b}, a);
}

galley_tensor *galley_add_scalar_(galley_tensor *a, double s)
{
    return S_run(&(S_inplace){.name = "galley_add_scalar_",
                              .scalar = galley_add_scalar, .s = s}, a);
}

galley_tensor *galley_mul_scalar_(galley_tensor *a, double s)
{
    return S_run(&(S_inplace){.name = "galley_mul_scalar_",
                              .scalar = galley_mul_scalar, .s = s}, a);
}

/* ---- saving and loading: .npy ----
 *
 * The format (numpy/lib/format.py): the magic "\x93NUMPY", the version
 * (1, 0), the header's length as a little-endian uint16, the header (a
 * Python dict literal padded with spaces and ended by '\n' so that the data
 * starts at a multiple of 64 bytes), then the elements in C order. */

#define S_MAGIC "\x93NUMPY"
#define S_MAGIC_LEN 6
#define S_ALIGN 64
/* numpy pads the header by 21 - len(repr(shape[0])) spaces more, so that
 * an array's first axis can grow in place (GROWTH_AXIS_MAX_DIGITS). */
#define S_GROWTH_DIGITS 21

/* numpy's descr of dtype, little-endian. */
static const char *S_descr(galley_dtype dtype)
{
    return dtype == GALLEY_F32 ? "<f4" : dtype == GALLEY_F64 ? "<f8" : "<i8";
}

/* Whether this machine stores numbers big-endian (the file is
 * little-endian on every machine). */
static int S_big_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 0;
}

/* Reverses the bytes of each of the n elements of size es at p. */
static void S_swap(unsigned char *p, size_t n, size_t es)
{
    for (size_t i = 0; i < n; i++, p += es)
        for (size_t k = 0; k < es / 2; k++) {
            unsigned char c = p[k];
            p[k] = p[es - 1 - k];
            p[es - 1 - k] = c;
        }
}

/* Writes the 10-byte preamble and the header of t as numpy 1.24 does into
 * buf (at least 64 + 32 * GALLEY_MAX_DIMS bytes); returns its length. */
static size_t S_header(const galley_tensor *t, char *buf, size_t n)
{
    char shape[32 * GALLEY_MAX_DIMS] = "(";
    size_t len = 1;
    for (int i = 0; i < t->ndim; i++)
        len += (size_t)snprintf(shape + len, sizeof shape - len,
                                i ? ", %ld" : "%ld", t->shape[i]);
    snprintf(shape + len, sizeof shape - len, t->ndim == 1 ? ",)" : ")");
    int spare = 0;
    if (t->ndim > 0)
        spare = S_GROWTH_DIGITS - snprintf(NULL, 0, "%ld", t->shape[0]);
    int h = snprintf(buf + 10, n - 10,
                     "{'descr': '%s', 'fortran_order': False, 'shape': %s, "
                     "}%*s", S_descr(t->dtype), shape, spare, "");
    size_t hlen = (size_t)h + 1; /* with the final '\n' */
    size_t pad = S_ALIGN - (10 + hlen) % S_ALIGN;
    memset(buf + 10 + h, ' ', pad);
    buf[10 + h + pad] = '\n';
    hlen += pad;
    memcpy(buf, S_MAGIC, S_MAGIC_LEN);
    buf[6] = 1;
    buf[7] = 0;
    buf[8] = (char)(hlen & 0xff);
    buf[9] = (char)(hlen >> 8);
    return 10 + hlen;
}

/* Writes n bytes to fd; 0, or -1 with errno. */
static int S_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Opens a new temporary file beside path (its name into tmp), with the
 * mode numpy's open() would give (0666 less the umask). -1 with errno. */
static int S_open_temp(const char *path, char *tmp, size_t n)
{
    static unsigned long counter;
    for (int tries = 0; tries < 100; tries++) {
        unsigned long c = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
        snprintf(tmp, n, "%s.tmp-%ld-%lu", path, (long)getpid(), c);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* Writes the header and data of c (contiguous) into a temporary file, then
 * renames it to path. On failure the temporary is removed and path is
 * untouched; returns -1 with errno. */
static int S_save_atomic(const galley_tensor *c, const char *path,
                         const char *hdr, size_t hlen)
{
    size_t n = strlen(path) + 64;
    char *tmp = galley__rt_xcalloc(1, n);
    int fd = S_open_temp(path, tmp, n), err = 0;
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    size_t es = galley__elsize(c->dtype), nb = (size_t)c->numel * es;
    unsigned char *data = galley__ptr(c), *swapped = NULL;
    if (S_big_endian() && nb > 0) {
        swapped = galley__rt_xcalloc(1, nb);
        memcpy(swapped, data, nb);
        S_swap(swapped, (size_t)c->numel, es);
        data = swapped;
    }
    if (S_write_all(fd, hdr, hlen) || S_write_all(fd, data, nb))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(tmp, path))
        err = errno;
    if (err)
        unlink(tmp);
    free(swapped);
    free(tmp);
    errno = err;
    return err ? -1 : 0;
}

int galley_save_npy(galley_tensor *t, const char *path)
{
    const char *fn = "galley_save_npy";
    if (galley__check(t, fn, "t"))
        return -1;
    if (!path) {
        galley__error(fn, "path is NULL");
        return -1;
    }
    char hdr[64 + 32 * GALLEY_MAX_DIMS + S_ALIGN];
    size_t hlen = S_header(t, hdr, sizeof hdr);
    /* A contiguous copy outside any graph when t is a view, on the host
     * when t is on a device (a download). */
    galley_scope *s = galley_scope_begin();
    galley_tensor *c = t;
    if (!galley_is_contiguous(t))
        c = galley__cast_new(t, t->dtype, fn);
    c = galley__on_host(c);
    int rc = S_save_atomic(c, path, hdr, hlen);
    int err = errno;
    galley_scope_end(s);
    if (rc)
        galley__error(fn, "cannot write '%s': %s", path, strerror(err));
    return rc;
}

/* What a .npy header says. */
typedef struct S_npy {
    char descr[16];
    int fortran; /* -1 until read */
    int ndim;    /* -1 until read */
    long shape[GALLEY_MAX_DIMS];
} S_npy;

static const char *S_skip(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A quoted Python string ('...' or "...") at p into out (n bytes);
 * returns the end, or NULL. */
static const char *S_string(const char *p, char *out, size_t n)
{
    char q = *p;
    if (q != '\'' && q != '"')
        return NULL;
    const char *e = strchr(p + 1, q);
    if (!e || (size_t)(e - p - 1) >= n)
        return NULL;
    memcpy(out, p + 1, (size_t)(e - p - 1));
    out[e - p - 1] = 0;
    return e + 1;
}

/* A shape tuple "(2, 3)", "(3,)" or "()" at p into h; the end, or NULL
 * (also for more than GALLEY_MAX_DIMS axes or a size out of range). */
static const char *S_shape(const char *p, S_npy *h)
{
    if (*p != '(')
        return NULL;
    p = S_skip(p + 1);
    h->ndim = 0;
    while (*p != ')') {
        char *e;
        errno = 0;
        long v = strtol(p, &e, 10);
        if (e == p || errno || v < 0 || h->ndim == GALLEY_MAX_DIMS ||
            *p == '+' || *p == '-')
            return NULL;
        h->shape[h->ndim++] = v;
        p = S_skip(e);
        if (*p == ',')
            p = S_skip(p + 1);
        else if (*p != ')')
            return NULL;
    }
    return p + 1;
}

/* One "'key': value" of the header dict at p into h; the end, or NULL. */
static const char *S_entry(const char *p, S_npy *h)
{
    char key[32];
    p = S_string(p, key, sizeof key);
    if (!p || *(p = S_skip(p)) != ':')
        return NULL;
    p = S_skip(p + 1);
    if (!strcmp(key, "descr"))
        return S_string(p, h->descr, sizeof h->descr);
    if (!strcmp(key, "shape"))
        return S_shape(p, h);
    if (strcmp(key, "fortran_order"))
        return NULL;
    if (!strncmp(p, "False", 5) || !strncmp(p, "True", 4)) {
        h->fortran = *p == 'T';
        return p + (*p == 'T' ? 4 : 5);
    }
    return NULL;
}

/* Parses the header dict text (NUL-terminated) into h: 0, or -1. */
static int S_parse_header(const char *text, S_npy *h)
{
    const char *p = S_skip(text);
    h->descr[0] = 0;
    h->fortran = h->ndim = -1;
    if (*p++ != '{')
        return -1;
    for (p = S_skip(p); *p != '}'; p = S_skip(p)) {
        if (!(p = S_entry(p, h)))
            return -1;
        p = S_skip(p);
        if (*p == ',')
            p++;
        else if (*p != '}')
            return -1;
    }
    p = S_skip(p + 1);
    while (*p == ' ' || *p == '\n')
        p++;
    return *p || !h->descr[0] || h->fortran < 0 || h->ndim < 0 ? -1 : 0;
}

/* The dtype of descr, or 0 when galley does not read it. */
static galley_dtype S_dtype_of(const char *descr)
{
    return !strcmp(descr, "<f4")   ? GALLEY_F32
           : !strcmp(descr, "<f8") ? GALLEY_F64
           : !strcmp(descr, "<i8") ? GALLEY_I64
                                   : (galley_dtype)0;
}

/* Reads exactly n bytes; returns how many it got. */
static size_t S_read(FILE *f, void *p, size_t n)
{
    return n ? fread(p, 1, n, f) : 0;
}

/* The length of header text without its padding and final newline. */
static size_t S_trimmed(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\n'))
        n--;
    return n;
}

/* Reads the preamble and header of f into h; reports what is wrong with
 * path and returns -1. */
static int S_read_header(FILE *f, const char *path, S_npy *h)
{
    const char *fn = "galley_load_npy";
    unsigned char pre[12];
    if (S_read(f, pre, 10) < 10 || memcmp(pre, S_MAGIC, S_MAGIC_LEN)) {
        galley__error(fn, "'%s' is not a .npy file (no \\x93NUMPY magic at "
                      "the start)", path);
        return -1;
    }
    int major = pre[6];
    size_t hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
    if (major == 2 || major == 3) {
        /* Versions 2.0 and 3.0: a uint32 length (3.0: a UTF-8 header). */
        if (S_read(f, pre + 10, 2) < 2) {
            galley__error(fn, "'%s' is truncated in its header", path);
            return -1;
        }
        hlen |= (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    } else if (major != 1) {
        galley__error(fn, "'%s' has .npy version %d.%d; galley reads 1.0, "
                      "2.0 and 3.0", path, major, pre[7]);
        return -1;
    }
    if (hlen > (1u << 20)) {
        galley__error(fn, "'%s': a header of %zu bytes is too long", path,
                      hlen);
        return -1;
    }
    char *text = galley__rt_xcalloc(1, hlen + 1);
    size_t got = S_read(f, text, hlen);
    int bad = got < hlen ? 1 : S_parse_header(text, h) ? 2 : 0;
    if (bad == 1)
        galley__error(fn, "'%s' is truncated in its header (%zu of %zu "
                      "bytes)", path, got, hlen);
    else if (bad == 2) /* the header shown, up to 200 bytes */
        galley__error(fn, "'%s': cannot read its header: %.*s%s", path,
                      S_trimmed(text) > 200 ? 200 : (int)S_trimmed(text),
                      text, S_trimmed(text) > 200 ? "..." : "");
    free(text);
    return bad ? -1 : 0;
}

/* Checks what galley takes of a header: its dtype, C order, a size that
 * fits. Reports and returns -1 else. */
static int S_check_header(const S_npy *h, const char *path)
{
    const char *fn = "galley_load_npy";
    if (!S_dtype_of(h->descr)) {
        galley__error(fn, "'%s' holds dtype '%s', which galley does not "
                      "read: it reads '<f4', '<f8' and '<i8' (little-endian "
                      "float32, float64, int64); convert with numpy's "
                      "astype", path, h->descr);
        return -1;
    }
    if (h->fortran) {
        galley__error(fn, "'%s' is in Fortran order, which galley does not "
                      "read: save numpy.ascontiguousarray(a)", path);
        return -1;
    }
    /* Sizes whose product overflows would wrap: refuse past 2^40. */
    long n = 1;
    for (int i = 0; i < h->ndim; i++) {
        if (h->shape[i] && n > (1L << 40) / h->shape[i]) {
            galley__error(fn, "'%s': the shape is too large", path);
            return -1;
        }
        n *= h->shape[i];
    }
    return 0;
}

/* 0 when the rest of f holds the data h's header promises; else reports
 * the file truncated and returns -1, before anything is allocated (a
 * header that claims terabytes is a truncated file, not an out of memory).
 * A file whose size cannot be known (a pipe) passes: the read checks it. */
static int S_check_size(FILE *f, const S_npy *h, const char *path)
{
    struct stat sb;
    long pos = ftell(f);
    if (pos < 0 || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    size_t want = galley__elsize(S_dtype_of(h->descr));
    for (int i = 0; i < h->ndim; i++)
        want *= (size_t)h->shape[i];
    size_t have = sb.st_size > pos ? (size_t)(sb.st_size - pos) : 0;
    if (have >= want)
        return 0;
    char shape[GALLEY__SHAPE_STR_MAX];
    galley__error("galley_load_npy", "'%s' is truncated: its header says %s "
                  "%s (%zu bytes of data) but %zu follow", path,
                  galley_dtype_name(S_dtype_of(h->descr)),
                  galley__shape_str(h->ndim, h->shape, shape), want, have);
    return -1;
}

galley_tensor *galley_load_npy(const char *path)
{
    const char *fn = "galley_load_npy";
    if (!path) {
        galley__error(fn, "path is NULL");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        galley__error(fn, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    S_npy h;
    galley_tensor *t = NULL;
    if (!S_read_header(f, path, &h) && !S_check_header(&h, path) &&
        !S_check_size(f, &h, path))
        t = galley__new_on(&galley__cpu_backend, S_dtype_of(h.descr),
                           h.ndim, h.shape, fn); /* moved below */
    if (t) {
        size_t es = galley__elsize(t->dtype), want = (size_t)t->numel * es;
        size_t got = S_read(f, galley__ptr(t), want);
        if (got < want) {
            char d[GALLEY__SHAPE_STR_MAX + 8];
            galley__error(fn, "'%s' is truncated: its header says %s (%zu "
                          "bytes of data) but %zu follow", path,
                          galley__desc(t, d), want, got);
            galley_tensor_free(t);
            t = NULL;
        } else if (S_big_endian()) {
            S_swap(galley__ptr(t), (size_t)t->numel, es);
        }
    }
    fclose(f);
    return galley__made(t, fn);
}

/* ---- random integers ---- */

/* A uniform integer in [0, r) for 1 <= r <= 2^32, Lemire's method. */
static uint64_t S_below32(galley_rng *rng, uint64_t r)
{
    uint64_t m = (uint64_t)galley_rng_u32(rng) * r;
    if ((uint32_t)m < r) {
        uint32_t floor = (uint32_t)(((uint64_t)1 << 32) % r);
        while ((uint32_t)m < floor)
            m = (uint64_t)galley_rng_u32(rng) * r;
    }
    return m >> 32;
}

/* A uniform integer in [0, r) for r > 2^32 (r = 0 stands for 2^64): the
 * same with 64-bit draws (high half first) and a 128-bit product. */
static uint64_t S_below64(galley_rng *rng, uint64_t r)
{
    for (;;) {
        uint64_t hi = galley_rng_u32(rng), lo = galley_rng_u32(rng);
        uint64_t x = hi << 32 | lo;
        if (r == 0)
            return x;
        unsigned __int128 m = (unsigned __int128)x * r;
        if ((uint64_t)m >= (0 - r) % r)
            return (uint64_t)(m >> 64);
    }
}

/* A uniform integer in [0, r); r = 0 stands for 2^64. */
static uint64_t S_below(galley_rng *rng, uint64_t r)
{
    return r != 0 && r <= ((uint64_t)1 << 32) ? S_below32(rng, r)
                                               : S_below64(rng, r);
}

galley_tensor *galley_randint(galley_rng *rng, int64_t low, int64_t high,
                              galley_dtype dtype, int ndim, const long *shape)
{
    const char *fn = "galley_randint";
    if (high <= low) {
        galley__error(fn, "high %lld must be > low %lld", (long long)high,
                      (long long)low);
        return NULL;
    }
    galley_tensor *t = galley__new_on(&galley__cpu_backend, dtype, ndim,
                                      shape, fn); /* moved at the end */
    if (!t)
        return NULL;
    rng = galley__rng_default(rng);
    uint64_t r = (uint64_t)high - (uint64_t)low;
    for (long i = 0; i < t->numel; i++) {
        /* low + a draw, in unsigned arithmetic (no signed overflow). */
        int64_t v = (int64_t)((uint64_t)low + S_below(rng, r));
        if (dtype == GALLEY_I64)
            ((int64_t *)galley__ptr(t))[i] = v;
        else if (dtype == GALLEY_F64)
            ((double *)galley__ptr(t))[i] = (double)v;
        else
            ((float *)galley__ptr(t))[i] = (float)v;
    }
    return galley__made(t, fn);
}

galley_tensor *galley_randperm(galley_rng *rng, long n)
{
    const char *fn = "galley_randperm";
    if (n < 0) {
        galley__error(fn, "n is %ld; it must be >= 0", n);
        return NULL;
    }
    galley_tensor *t = galley__new_on(&galley__cpu_backend, GALLEY_I64, 1,
                                      &n, fn); /* moved at the end */
    if (!t)
        return NULL;
    rng = galley__rng_default(rng);
    int64_t *p = galley__ptr(t);
    for (long i = 0; i < n; i++)
        p[i] = i;
    for (long i = n - 1; i > 0; i--) {
        long j = (long)S_below(rng, (uint64_t)i + 1);
        int64_t c = p[i];
        p[i] = p[j];
        p[j] = c;
    }
    return galley__made(t, fn);
}
