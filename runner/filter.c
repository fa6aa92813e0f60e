/* filter.c: output filters, sed-like "s/REGEX/REPLACEMENT/FLAGS" specs and
 * "@NAME" built-ins, each a PCRE2 substitution run in multiline mode over a
 * test's whole output, in order, before it is compared or promoted. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "filter.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every filter regex matches over the whole output, line anchors at each
 * line, and never errors on bytes that are not UTF-8. */
#define S_COMPILE_OPTS (PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)

/* A built-in filter: its name after '@', a regex, its replacement. */
typedef struct S_builtin {
    const char *name;
    const char *re;
    const char *replacement;
} S_builtin;

/* @tmpdirs is built at add time (it knows $TMPDIR), so its regex is NULL
 * here. Each regex guards its ends with lookarounds so that it only takes
 * whole tokens: "0x12345678" but not "x0x12345678", "3 ms" but not "v3ms". */
static const S_builtin S_builtins[] = {
    {"pointers", "\\b0x[[:xdigit:]]{6,16}\\b", "0xPTR"},
    {"tmpdirs", NULL, "$$TMPDIR"},
    {"durations",
     "(?<![\\w.])\\d+(?:\\.\\d+)? ?"
     "(?:ns|us|\xc2\xb5s|\xce\xbcs|ms|seconds?|secs?|s|minutes?|mins?|m|"
     "hours?|h)\\b",
     "DURATION"},
    {"timestamps",
     "(?<!\\d)\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?"
     "(?:Z|[+-]\\d{2}:?\\d{2})?(?![\\d:])",
     "TIMESTAMP"},
    {"pids", "(?i)\\b(pid)([ \\t]*[=:][ \\t]*|[ \\t]+)\\d+\\b", "$1$2PID"},
};

#define S_NBUILTINS (sizeof S_builtins / sizeof *S_builtins)

/* ---- compiling ---- */

/* Compiles re with extra options; returns the code (JIT-compiled where
 * PCRE2 can), or NULL with *err saying why, in the words of spec. */
static pcre2_code *S_compile(const char *re, size_t n, uint32_t opts,
                             const char *spec, char **err)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, n, opts | S_COMPILE_OPTS,
                                  &code, &off, NULL);
    if (c) {
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* else interpreted */
        return c;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    *err = galley__xasprintf("filter '%s': bad regex: %s at offset %zu", spec,
                             (char *)msg, (size_t)off);
    return NULL;
}

/* Appends s to b with every byte that is not a letter or digit escaped, so
 * that PCRE2 reads it literally (unlike \Q..\E, whatever s holds). */
static void S_add_quoted(galley__buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
            galley__buf_putc(b, '\\');
        galley__buf_putc(b, s[i]);
    }
}

/* Returns the @tmpdirs regex (heap): the first component below /tmp,
 * /var/tmp or $TMPDIR as it is now, up to a slash, blank, quote or ':'. */
static char *S_tmpdirs_re(void)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__buf_puts(&b, "(?<![\\w.~/-])(?:");
    const char *t = getenv("TMPDIR");
    size_t n = t && t[0] == '/' ? strlen(t) : 0;
    while (n > 1 && t[n - 1] == '/')
        n--;
    if (n > 1) {
        S_add_quoted(&b, t, n);
        galley__buf_putc(&b, '|');
    }
    galley__buf_puts(&b, "/var/tmp|/tmp)/[^/\\s'\"`:]+");
    return galley__buf_detach(&b, NULL);
}

/* Fills f with the built-in @NAME spec; returns 0, or -1 with *err set. */
static int S_add_builtin(galley__filter *f, const char *spec, char **err)
{
    for (size_t i = 0; i < S_NBUILTINS; i++) {
        const S_builtin *b = &S_builtins[i];
        if (strcmp(spec + 1, b->name))
            continue;
        char *re = b->re ? galley__xstrdup(b->re) : S_tmpdirs_re();
        f->re = S_compile(re, strlen(re), 0, spec, err);
        free(re);
        f->replacement = galley__xstrdup(b->replacement);
        f->global = 1;
        return f->re ? 0 : -1;
    }
    galley__buf m;
    galley__buf_init(&m);
    galley__buf_printf(&m, "unknown filter '%s' (built-ins: ", spec);
    for (size_t i = 0; i < S_NBUILTINS; i++)
        galley__buf_printf(&m, "%s@%s", i ? ", " : "", S_builtins[i].name);
    galley__buf_putc(&m, ')');
    *err = galley__buf_detach(&m, NULL);
    return -1;
}

/* ---- s/REGEX/REPLACEMENT/FLAGS ---- */

/* Appends to out the part of s that starts at *i and ends at the next
 * unescaped delimiter d, with \d turned into d (other backslashes stay, for
 * PCRE2); moves *i past that delimiter. Returns 0, or -1 if none follows. */
static int S_part(const char *s, size_t *i, char d, galley__buf *out)
{
    for (size_t j = *i; s[j]; j++) {
        if (s[j] == d) {
            *i = j + 1;
            return 0;
        }
        if (s[j] == '\\' && s[j + 1] == d) {
            galley__buf_putc(out, d);
            j++;
        } else if (s[j] == '\\' && s[j + 1]) {
            galley__buf_add(out, s + j, 2);
            j++;
        } else {
            galley__buf_putc(out, s[j]);
        }
    }
    return -1;
}

/* Reads FLAGS into f->global and *opts; returns 0, or -1 with *err set. */
static int S_flags(const char *flags, galley__filter *f, uint32_t *opts,
                   const char *spec, char **err)
{
    for (const char *c = flags; *c; c++) {
        if (*c == 'g')
            f->global = 1;
        else if (*c == 'i')
            *opts |= PCRE2_CASELESS;
        else if (*c == 'x')
            *opts |= PCRE2_EXTENDED;
        else {
            *err = galley__xasprintf("filter '%s': unknown flag '%c' (flags "
                                     "are g, i and x)",
                                     spec, *c);
            return -1;
        }
    }
    return 0;
}

/* Returns the message for a spec that lacks the closing delimiter d of its
 * regex (part 0) or replacement (part 1). */
static char *S_missing(const char *spec, char d, int part)
{
    return galley__xasprintf("filter '%s': missing the '%c' that ends the %s "
                             "(the form is s%cREGEX%cREPLACEMENT%cFLAGS)",
                             spec, d, part ? "replacement" : "regex", d, d, d);
}

/* Fills f from the spec s/REGEX/REPLACEMENT/FLAGS; returns 0, or -1 with
 * *err set and whatever f holds for the caller to free. */
static int S_substitution(galley__filter *f, const char *spec, char **err)
{
    char d = spec[1];
    if (!ispunct((unsigned char)d) || d == '\\') {
        *err = galley__xasprintf("filter '%s': the byte after 's' must be a "
                                 "punctuation delimiter, as in s/REGEX/"
                                 "REPLACEMENT/FLAGS",
                                 spec);
        return -1;
    }
    size_t i = 2;
    galley__buf re, rep;
    galley__buf_init(&re);
    galley__buf_init(&rep);
    int rc = -1;
    uint32_t opts = 0;
    if (S_part(spec, &i, d, &re) < 0)
        *err = S_missing(spec, d, 0);
    else if (S_part(spec, &i, d, &rep) < 0)
        *err = S_missing(spec, d, 1);
    else if (re.len == 0)
        *err = galley__xasprintf("filter '%s': the regex is empty", spec);
    else if (S_flags(spec + i, f, &opts, spec, err) == 0 &&
             (f->re = S_compile(re.ptr, re.len, opts, spec, err)))
        rc = 0;
    f->replacement = galley__buf_detach(&rep, NULL);
    galley__buf_fini(&re);
    return rc;
}

/* Frees what filter f holds. */
static void S_filter_fini(galley__filter *f)
{
    pcre2_code_free(f->re);
    free(f->replacement);
    free(f->spec);
}

int galley__filters_add(galley__filters *fs, const char *spec, char **err)
{
    galley__filter f = {0};
    int rc;
    if (spec[0] == '@')
        rc = S_add_builtin(&f, spec, err);
    else if (spec[0] == 's' && spec[1])
        rc = S_substitution(&f, spec, err);
    else {
        *err = galley__xasprintf("filter '%s': expected s/REGEX/REPLACEMENT/"
                                 "FLAGS or @NAME",
                                 spec);
        rc = -1;
    }
    if (rc < 0) {
        S_filter_fini(&f);
        return -1;
    }
    f.spec = galley__xstrdup(spec);
    fs->v = galley__xrealloc(fs->v, (fs->n + 1) * sizeof *fs->v);
    fs->v[fs->n++] = f;
    return 0;
}

void galley__filters_fini(galley__filters *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        S_filter_fini(&fs->v[i]);
    free(fs->v);
    fs->v = NULL;
    fs->n = 0;
}

/* ---- applying ---- */

/* Runs filter f over in[0..n) into out (emptied first, then NUL-terminated
 * like any galley__buf). Returns 0, or a PCRE2 error code. */
static int S_substitute(const galley__filter *f, const char *in, size_t n,
                        galley__buf *out)
{
    uint32_t opts = PCRE2_SUBSTITUTE_EXTENDED |
                    PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                    (f->global ? PCRE2_SUBSTITUTE_GLOBAL : 0);
    /* A guess that fits most outputs; if it is short, PCRE2 says how much
     * it needs and the second try fits. */
    PCRE2_SIZE cap = n + n / 8 + 256;
    for (int tries = 0; tries < 2; tries++) {
        out->len = 0;
        galley__buf_grow(out, cap);
        PCRE2_SIZE len = out->cap;
        int rc = pcre2_substitute(f->re, (PCRE2_SPTR)in, n, 0, opts, NULL,
                                  NULL, (PCRE2_SPTR)f->replacement,
                                  PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)out->ptr,
                                  &len);
        if (rc >= 0) {
            out->len = len;
            out->ptr[len] = '\0';
            return 0;
        }
        if (rc != PCRE2_ERROR_NOMEMORY)
            return rc;
        cap = len;
    }
    return PCRE2_ERROR_NOMEMORY;
}

int galley__filters_apply(const galley__filters *fs, const char *text,
                         size_t len, galley__buf *out, char **err)
{
    galley__buf cur, next;
    galley__buf_init(&cur);
    galley__buf_init(&next);
    const char *in = text;
    size_t n = len, i;
    int rc = 0;
    for (i = 0; i < fs->n; i++) {
        if ((rc = S_substitute(&fs->v[i], in, n, &next)) != 0)
            break;
        /* The result is the next filter's input; swap the two buffers. */
        galley__buf t = cur;
        cur = next;
        next = t;
        in = cur.ptr;
        n = cur.len;
    }
    if (rc) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        *err = galley__xasprintf("filter '%s': %s", fs->v[i].spec, (char *)msg);
        in = text;
        n = len;
    }
    galley__buf_add(out, in, n);
    galley__buf_fini(&cur);
    galley__buf_fini(&next);
    return rc ? -1 : 0;
}
