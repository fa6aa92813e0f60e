/* escape.c: cram-style " (esc)" lines, so that any output can live inside a
 * C comment: control bytes, bytes that are not UTF-8 and comment delimiters
 * are written as backslash escapes, and decoded when the comment is read. */
#include "escape.h"

#include <string.h>

static const char S_esc_suffix[] = " (esc)";
#define S_ESC_LEN (sizeof S_esc_suffix - 1)

size_t galley__utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    unsigned char b = p[0], lo = 0x80, hi = 0xbf;
    size_t k;
    if (b >= 0xc2 && b <= 0xdf)
        k = 2;
    else if (b >= 0xe0 && b <= 0xef)
        k = 3;
    else if (b >= 0xf0 && b <= 0xf4)
        k = 4;
    else
        return 0;
    /* The second byte's range rules out overlongs (after E0 and F0),
     * surrogates (ED) and code points past U+10FFFF (F4). */
    if (b == 0xe0)
        lo = 0xa0;
    else if (b == 0xed)
        hi = 0x9f;
    else if (b == 0xf0)
        lo = 0x90;
    else if (b == 0xf4)
        hi = 0x8f;
    if (n < k || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return k;
}

/* Returns how many bytes at p[i..n) may stay as they are in a comment (a
 * whole UTF-8 character), or 0 if p[i] must be written as an escape: a
 * control byte other than tab, DEL, a byte that is not UTF-8, or the '/'
 * of a star-slash or the '*' of a slash-star. */
static size_t S_plain_len(const unsigned char *p, size_t n, size_t i)
{
    unsigned char b = p[i];
    if (b >= 0x80)
        return galley__utf8_len(p + i, n - i);
    if ((b < 0x20 && b != '\t') || b == 0x7f)
        return 0;
    if (i > 0 && ((b == '/' && p[i - 1] == '*') ||
                  (b == '*' && p[i - 1] == '/')))
        return 0;
    return 1;
}

/* Returns 1 if line[0..len) ends in suffix. */
static int S_ends_with(const char *line, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && !memcmp(line + len - n, suffix, n);
}

int galley__line_needs_escape(const char *line, size_t len)
{
    const unsigned char *p = (const unsigned char *)line;
    for (size_t i = 0, k; i < len; i += k)
        if ((k = S_plain_len(p, len, i)) == 0)
            return 1;
    return S_ends_with(line, len, S_esc_suffix) ||
           S_ends_with(line, len, " (re)") || S_ends_with(line, len, " (glob)");
}

void galley__escape_line(galley__buf *out, const char *line, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)line;
    galley__buf_grow(out, len + S_ESC_LEN);
    for (size_t i = 0, k; i < len; i += k) {
        k = S_plain_len(p, len, i);
        if (k == 0) {
            k = 1;
            if (p[i] == '\r') {
                galley__buf_puts(out, "\\r");
                continue;
            }
            char x[4] = {'\\', 'x', hex[p[i] >> 4], hex[p[i] & 15]};
            galley__buf_add(out, x, 4);
        } else if (p[i] == '\\')
            galley__buf_puts(out, "\\\\");
        else if (p[i] == '\t')
            galley__buf_puts(out, "\\t");
        else
            galley__buf_add(out, p + i, k);
    }
    galley__buf_puts(out, S_esc_suffix);
}

int galley__line_is_escaped(const char *line, size_t len)
{
    return S_ends_with(line, len, S_esc_suffix);
}

/* Returns the value of hex digit c, or -1. */
static int S_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the escape whose backslash is at p[0] (p[0..n)) into *byte.
 * Returns the escape's length, or 0 with *msg set when it is malformed. */
static size_t S_unescape_one(const char *p, size_t n, char *byte,
                             const char **msg)
{
    static const char from[] = "\\trn", to[] = "\\\t\r\n";
    if (n < 2) {
        *msg = "a backslash ends the line; write \\\\ for a backslash";
        return 0;
    }
    const char *e = memchr(from, p[1], sizeof from - 1);
    if (e) {
        *byte = to[e - from];
        return 2;
    }
    if (p[1] != 'x') {
        *msg = "unknown escape; use \\\\, \\t, \\r, \\n or \\xNN";
        return 0;
    }
    if (n < 4 || S_hex(p[2]) < 0 || S_hex(p[3]) < 0) {
        *msg = "\\x takes two hex digits, as in \\x1b";
        return 0;
    }
    *byte = (char)(S_hex(p[2]) * 16 + S_hex(p[3]));
    return 4;
}

int galley__unescape_line(galley__buf *out, const char *line, size_t len,
                         const char **msg)
{
    size_t mark = out->len, run = 0, k;
    const char *ignored;
    if (galley__line_is_escaped(line, len))
        len -= S_ESC_LEN;
    galley__buf_grow(out, len);
    for (size_t i = 0; i < len; i += k) {
        char byte;
        k = 1;
        if (line[i] != '\\')
            continue;
        galley__buf_add(out, line + run, i - run);
        k = S_unescape_one(line + i, len - i, &byte, msg ? msg : &ignored);
        if (k == 0) {
            out->len = mark;
            out->ptr[mark] = '\0';
            return -1;
        }
        galley__buf_putc(out, byte);
        run = i + k;
    }
    galley__buf_add(out, line + run, len - run);
    return 0;
}
