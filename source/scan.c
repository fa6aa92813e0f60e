/* scan.c: reads TEST definitions and EXPECT markers out of C source text.
 * A small lexer follows translation phases 1-3 as far as markers need them:
 * line splices, comments, string and character literals, directive lines. */
#include "scan.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "util.h"

/* ---- the lexer ---- */

typedef struct S_scan S_scan;

/* The deepest #if nesting whose branches are told apart. */
#define S_MAX_IF 64

/* A position in the text. Copied freely to look ahead. */
typedef struct S_lex {
    const char *t;
    size_t len;
    size_t pos;     /* offset of the next byte */
    int line;       /* 1-based line of t[pos] */
    size_t bol;     /* offset where that line begins */
    int at_bol;     /* no token but comments since the last newline */
    S_scan *sc;     /* where to report an unterminated comment */
} S_lex;

enum { T_EOF, T_IDENT, T_NUMBER, T_STRING, T_PUNCT, T_COMMENT, T_LINE_COMMENT };

typedef struct S_tok {
    int kind;
    int ch;             /* T_PUNCT: the character; digraphs are mapped */
    int bol;            /* first token (comments aside) of its line */
    int line;
    size_t start;       /* offset of its first byte */
    size_t line_start;  /* offset where the token's line begins */
    size_t body_start, body_end;  /* T_COMMENT: its interior */
    char word[32];      /* T_IDENT: its first logical characters (the
                           longest name of ours, GALLEY_EXPECT_UNREACHABLE,
                           fits) */
    int word_full;      /* T_IDENT: word holds the whole identifier */
} S_tok;

/* The scan under way: the result, its capacities, and the lexer's state. */
struct S_scan {
    galley__scan *s;
    S_lex lx;
    size_t cap_markers, cap_tests, cap_errors;
    int depth;          /* brace depth outside directives */
    int cur_test;       /* index of the test whose body we are in, or -1 */
    int prev_line;      /* lines of the previous marker with its ')' */
    int prev_end_line;
    int prev_col;       /* its column */
    int prev_kept;      /* that marker is the last of s->markers */
    int unterminated;   /* the unterminated comment was reported */
    int branches[S_MAX_IF]; /* the #if branch at each nesting level */
    int if_depth;       /* #if nesting (levels past S_MAX_IF share one) */
    int next_branch;    /* the id the next #if or #else branch gets */
    int line_directive; /* line of the first #line directive, or 0 */
};

static void S_error(S_scan *sc, int line, int col, char *msg);

/* The 1-based column (tabs to multiples of 8, a UTF-8 character one) of
 * offset at of text t in the line that begins at offset bol. */
static int S_col(const char *t, size_t at, size_t bol)
{
    size_t c = galley__cols(0, t + bol, at - bol);
    return c < (size_t)INT_MAX ? (int)c + 1 : 0;
}

static int S_is_hspace(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int S_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Identifier bytes: letters, digits, '_', '$', and any byte of UTF-8. */
static const unsigned char S_ident_bytes[256] = {
    ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
    ['_'] = 1, ['$'] = 1, [0x80 ... 0xff] = 1,
};

static int S_is_ident(int c)
{
    return c >= 0 && S_ident_bytes[c];
}

/* Returns the length of the line splice (a backslash, blanks, a newline)
 * at p, or 0. Like GCC we accept blanks between backslash and newline. */
static size_t S_splice_len(const S_lex *lx, size_t p)
{
    if (p >= lx->len || lx->t[p] != '\\')
        return 0;
    size_t q = p + 1;
    while (q < lx->len && S_is_hspace((unsigned char)lx->t[q]))
        q++;
    return q < lx->len && lx->t[q] == '\n' ? q + 1 - p : 0;
}

/* S_cur's slow path: skips the splices at the current position. */
static int S_cur_splice(S_lex *lx)
{
    size_t n;
    while ((n = S_splice_len(lx, lx->pos)) > 0) {
        lx->pos += n;
        lx->line++;
        lx->bol = lx->pos;
    }
    return lx->pos < lx->len ? (unsigned char)lx->t[lx->pos] : -1;
}

/* Returns the byte at the current position after any splices, or -1 at
 * the end of the text. */
static inline int S_cur(S_lex *lx)
{
    if (lx->pos < lx->len && lx->t[lx->pos] != '\\')
        return (unsigned char)lx->t[lx->pos];
    return S_cur_splice(lx);
}

/* Consumes the current byte; S_cur must have returned it. */
static void S_adv(S_lex *lx)
{
    if (lx->t[lx->pos] == '\n') {
        lx->line++;
        lx->bol = lx->pos + 1;
    }
    lx->pos++;
}

/* Returns the logical byte after the current one, or -1. */
static int S_peek(const S_lex *lx)
{
    size_t p = lx->pos + 1, n;
    while ((n = S_splice_len(lx, p)) > 0)
        p += n;
    return p < lx->len ? (unsigned char)lx->t[p] : -1;
}

/* Moves to offset end without applying splices (inside raw strings). */
static void S_move_raw(S_lex *lx, size_t end)
{
    while (lx->pos < end)
        S_adv(lx);
}

/* Bytes that fast loops move past: blanks between tokens (not newlines,
 * which mark a fresh line), and all but '*' in a block comment and all
 * but a newline in a line comment. A backslash always stops them, since
 * it may begin a splice. */
static const unsigned char S_blank_bytes[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
};
static const unsigned char S_block_bytes[256] = {
    [0 ... '*' - 1] = 1, ['*' + 1 ... '\\' - 1] = 1, ['\\' + 1 ... 0xff] = 1,
};
static const unsigned char S_line_bytes[256] = {
    [0 ... '\n' - 1] = 1, ['\n' + 1 ... '\\' - 1] = 1, ['\\' + 1 ... 0xff] = 1,
};

/* Moves past the bytes marked in skip, counting newlines. */
static void S_skip_bytes(S_lex *lx, const unsigned char skip[256])
{
    const char *t = lx->t;
    size_t p = lx->pos;
    for (; p < lx->len && skip[(unsigned char)t[p]]; p++)
        if (t[p] == '\n') {
            lx->line++;
            lx->bol = p + 1;
        }
    lx->pos = p;
}

/* Skips blanks and newlines; a newline starts a fresh line for directives. */
static void S_skip_space(S_lex *lx)
{
    for (int c; (c = S_cur(lx)) >= 0; S_skip_bytes(lx, S_blank_bytes)) {
        if (c == '\n')
            lx->at_bol = 1;
        else if (!S_is_hspace(c))
            return;
        S_adv(lx);
    }
}

/* ---- tokens ---- */

/* Lexes a block comment whose slash is current. Without a closing
 * star-slash it runs to the end of the text, which is reported once. */
static void S_block_comment(S_lex *lx, S_tok *tok)
{
    S_adv(lx);
    S_cur(lx);
    S_adv(lx);
    tok->body_start = lx->pos;
    for (int c; S_skip_bytes(lx, S_block_bytes), (c = S_cur(lx)) >= 0;) {
        size_t star = lx->pos;
        S_adv(lx);
        if (c == '*' && S_cur(lx) == '/') {
            tok->body_end = star;
            S_adv(lx);
            return;
        }
    }
    tok->body_end = lx->len;
    if (!lx->sc->unterminated)
        S_error(lx->sc, tok->line, S_col(lx->t, tok->start, tok->line_start),
                galley__xstrdup("unterminated comment: add the closing */"));
    lx->sc->unterminated = 1;
}

/* Lexes a line comment, continued past spliced newlines. */
static void S_line_comment(S_lex *lx)
{
    for (int c; S_skip_bytes(lx, S_line_bytes), (c = S_cur(lx)) >= 0 &&
                                                c != '\n';)
        S_adv(lx);
}

/* Lexes a string or character literal whose opening quote is current. An
 * unterminated one stops before the newline, where compilers resync too. */
static void S_quoted(S_lex *lx)
{
    int q = S_cur(lx);
    S_adv(lx);
    for (int c; (c = S_cur(lx)) >= 0 && c != '\n';) {
        S_adv(lx);
        if (c == q)
            return;
        if (c == '\\' && (c = S_cur(lx)) >= 0 && c != '\n')
            S_adv(lx);
    }
}

/* Lexes the raw string R"delim(...)delim" (GCC's extension in gnu modes)
 * whose quote is current. Returns 0, consuming nothing, if the delimiter
 * is malformed. Splices are not applied inside, as in the compiler. */
static int S_raw_string(S_lex *lx)
{
    const char *t = lx->t;
    size_t d0 = lx->pos + 1, p = d0;
    while (p < lx->len && p - d0 <= 16 && !strchr(" ()\\\t\v\f\r\n", t[p]))
        p++;
    if (p >= lx->len || t[p] != '(' || p - d0 > 16)
        return 0;
    size_t dlen = p - d0, end = lx->len;
    for (size_t q = p + 1; q + dlen + 1 < lx->len; q++)
        if (t[q] == ')' && !memcmp(t + q + 1, t + d0, dlen) &&
            t[q + 1 + dlen] == '"') {
            end = q + dlen + 2;
            break;
        }
    S_move_raw(lx, end);
    return 1;
}

/* Lexes an identifier whose first byte is current, keeping its first
 * logical characters in tok->word to compare with the names we seek. */
static void S_ident(S_lex *lx, S_tok *tok)
{
    size_t n = 0, cap = sizeof tok->word;
    do {
        /* Raw bytes first: an identifier holds no newline, and a splice
         * inside it stops this loop at its backslash. */
        for (; lx->pos < lx->len && S_is_ident((unsigned char)lx->t[lx->pos]);
             lx->pos++, n++)
            if (n < cap - 1)
                tok->word[n] = lx->t[lx->pos];
    } while (S_is_ident(S_cur(lx)));
    tok->word_full = n < cap;
    tok->word[n < cap ? n : cap - 1] = '\0';
}

/* After an identifier: if it is an encoding prefix (u8, u, U, L, with R for
 * raw strings) glued to a quote, lexes the literal and returns 1. */
static int S_prefixed_literal(S_lex *lx, const S_tok *tok)
{
    static const char *const plain[] = {"u8", "u", "U", "L"};
    static const char *const raw[] = {"R", "u8R", "uR", "UR", "LR"};
    int c = S_cur(lx);
    if (!tok->word_full || (c != '"' && c != '\''))
        return 0;
    for (size_t i = 0; c == '"' && i < sizeof raw / sizeof *raw; i++)
        if (!strcmp(tok->word, raw[i]) && S_raw_string(lx))
            return 1;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!strcmp(tok->word, plain[i])) {
            S_quoted(lx);
            return 1;
        }
    return 0;
}

/* Lexes a preprocessing number: digits, letters, dots, exponent signs,
 * and C23's digit separators (1'000: a quote glued to a number never
 * starts a valid character constant, so this is safe in gnu11 too). */
static void S_number(S_lex *lx)
{
    int prev = 0;
    for (int c; (c = S_cur(lx)) >= 0; prev = c, S_adv(lx)) {
        if (S_is_ident(c) || c == '.')
            continue;
        if ((c == '+' || c == '-') && prev && strchr("eEpP", prev))
            continue;
        if (c == '\'' && S_is_ident(S_peek(lx)))
            continue;
        break;
    }
}

/* Lexes one punctuator byte, mapping the digraphs <% %> %: to { } #. */
static void S_punct(S_lex *lx, S_tok *tok, int c)
{
    S_adv(lx);
    int d = S_cur(lx);
    tok->ch = c;
    if (c == '<' && d == '%')
        tok->ch = '{';
    else if (c == '%' && d == '>')
        tok->ch = '}';
    else if (c == '%' && d == ':')
        tok->ch = '#';
    else
        return;
    S_adv(lx);
}

/* Lexes a token that is not a comment; c is its first byte. */
static void S_code(S_lex *lx, S_tok *tok, int c)
{
    if (c == '"' || c == '\'') {
        tok->kind = T_STRING;
        S_quoted(lx);
    } else if (S_is_digit(c) || (c == '.' && S_is_digit(S_peek(lx)))) {
        tok->kind = T_NUMBER;
        S_number(lx);
    } else if (S_is_ident(c)) {
        S_ident(lx, tok);
        tok->kind = S_prefixed_literal(lx, tok) ? T_STRING : T_IDENT;
    } else {
        tok->kind = T_PUNCT;
        S_punct(lx, tok, c);
    }
}

/* Lexes the next token after blanks. Comments are tokens too, so that the
 * marker parser sees them; they leave at_bol alone. */
static void S_next(S_lex *lx, S_tok *tok)
{
    S_skip_space(lx);
    int c = S_cur(lx);
    tok->bol = lx->at_bol;
    tok->line = lx->line;
    tok->line_start = lx->bol;
    tok->start = lx->pos;
    tok->ch = 0;
    if (c < 0) {
        tok->kind = T_EOF;
    } else if (c == '/' && S_peek(lx) == '*') {
        tok->kind = T_COMMENT;
        S_block_comment(lx, tok);
    } else if (c == '/' && S_peek(lx) == '/') {
        tok->kind = T_LINE_COMMENT;
        S_line_comment(lx);
    } else {
        lx->at_bol = 0;
        S_code(lx, tok, c);
    }
}

/* Lexes the next token that is not a comment. */
static void S_next_code(S_lex *lx, S_tok *tok)
{
    do
        S_next(lx, tok);
    while (tok->kind == T_COMMENT || tok->kind == T_LINE_COMMENT);
}

static int S_is(const S_tok *tok, int ch)
{
    return tok->kind == T_PUNCT && tok->ch == ch;
}

/* ---- results ---- */

/* Returns the heap string a b (cheaper than a printf, for the inputs
 * with a million bad markers that fuzzers find). */
static char *S_concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = galley__xmalloc(na + nb + 1);
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

/* Records a problem at line and col (0: not known); takes msg, a heap
 * string. */
static void S_error(S_scan *sc, int line, int col, char *msg)
{
    galley__scan *s = sc->s;
    if (s->n_errors == sc->cap_errors) {
        sc->cap_errors = sc->cap_errors ? 2 * sc->cap_errors : 4;
        s->errors = galley__xrealloc(s->errors,
                                     sc->cap_errors * sizeof *s->errors);
    }
    s->errors[s->n_errors].line = line;
    s->errors[s->n_errors].col = col;
    s->errors[s->n_errors].fatal = 0;
    s->errors[s->n_errors++].msg = msg;
}

/* Records a problem that keeps the file from being run; takes msg. */
static void S_fatal(S_scan *sc, int line, int col, char *msg)
{
    S_error(sc, line, col, msg);
    sc->s->errors[sc->s->n_errors - 1].fatal = 1;
}

static void S_add_marker(S_scan *sc, const galley__marker *m)
{
    galley__scan *s = sc->s;
    if (s->n_markers == sc->cap_markers) {
        sc->cap_markers = sc->cap_markers ? 2 * sc->cap_markers : 8;
        s->markers = galley__xrealloc(s->markers,
                                      sc->cap_markers * sizeof *s->markers);
    }
    s->markers[s->n_markers++] = *m;
}

/* Records a test; takes name, a heap string. Returns its index. */
static int S_add_test(S_scan *sc, char *name, int line, size_t open)
{
    galley__scan *s = sc->s;
    if (s->n_tests == sc->cap_tests) {
        sc->cap_tests = sc->cap_tests ? 2 * sc->cap_tests : 8;
        s->tests = galley__xrealloc(s->tests, sc->cap_tests * sizeof *s->tests);
    }
    galley__scanned_test *t = &s->tests[s->n_tests];
    t->name = name;
    t->line = line;
    t->body_open = open;
    t->body_close = open;
    t->close_line = line;
    t->branch = sc->if_depth == 0 ? 0
                : sc->branches[(sc->if_depth < S_MAX_IF ? sc->if_depth
                                                         : S_MAX_IF) - 1];
    return (int)s->n_tests++;
}

/* Returns a heap copy of the identifier at tok, its splices left out. */
static char *S_ident_text(const S_lex *lx, const S_tok *tok)
{
    galley__buf b;
    galley__buf_init(&b);
    for (size_t p = tok->start, n; p < lx->len; p++) {
        while ((n = S_splice_len(lx, p)) > 0)
            p += n;
        if (p >= lx->len || !S_is_ident((unsigned char)lx->t[p]))
            break;
        galley__buf_putc(&b, lx->t[p]);
    }
    return galley__buf_detach(&b, NULL);
}

/* ---- markers ---- */

/* Returns the length of the spaces and tabs at offset off. */
static size_t S_blank_len(const S_lex *lx, size_t off)
{
    size_t i = off;
    while (i < lx->len && (lx->t[i] == ' ' || lx->t[i] == '\t'))
        i++;
    return i - off;
}

/* What a marker's parentheses hold. EXPECT's are one argument, the
 * expectation; EXPECT_NEAR's are options (code, each ended by a comma) and
 * then the expectation, a last argument with no code. */
typedef struct S_args {
    int closed;         /* the matching ')' was found: close */
    int n_comments;     /* block comments of the expectation; the first is
                           comment */
    int n_other;        /* any other token of the expectation */
    int n_options;      /* EXPECT_NEAR: its options */
    int no_text;        /* EXPECT_NEAR: the last argument is an option, so
                           the expectation is missing */
    int bad_option;     /* EXPECT_NEAR: an option not given by name
                           (.rtol = X): bad is its first token */
    size_t content;     /* where the expectation begins */
    S_tok comment, close, bad;
} S_args;

/* One argument as it is read. */
typedef struct S_arg {
    int n_comments, n_other;
    S_tok comment, first; /* the first comment, the first other token */
} S_arg;

/* Records the option arg of a: it must have code, beginning with '.'. */
static void S_option(S_args *a, const S_arg *arg, const S_tok *at)
{
    a->n_options++;
    if (a->bad_option)
        return;
    if (arg->n_other == 0 || !S_is(&arg->first, '.')) {
        a->bad_option = 1;
        a->bad = arg->n_other ? arg->first : *at;
    }
}

/* Takes the last argument arg of a, before its ')'. */
static void S_last_arg(S_args *a, const S_arg *arg, int named)
{
    if (named && arg->n_other > 0 && arg->n_comments == 0) {
        S_option(a, arg, &arg->first);
        a->no_text = 1;
        return;
    }
    a->n_comments = arg->n_comments;
    a->n_other = arg->n_other;
    a->comment = arg->comment;
}

/* Reads the tokens after a marker's '(' up to the matching ')', EXPECT_NEAR's
 * (named) with options. A ';' or '}' outside nested parentheses, or the end
 * of text, means it has none; w is then left before that token, so that each
 * token is read once. */
static void S_read_args(S_lex *w, S_args *a, int named)
{
    int depth = 0;
    S_lex before = *w;
    S_tok t;
    S_arg arg = {0};
    memset(a, 0, sizeof *a);
    a->content = w->pos;
    for (S_next(w, &t); t.kind != T_EOF; before = *w, S_next(w, &t)) {
        if (t.kind == T_COMMENT) {
            if (arg.n_comments++ == 0)
                arg.comment = t;
            continue;
        }
        if (depth == 0 && S_is(&t, ')')) {
            S_last_arg(a, &arg, named);
            a->closed = 1;
            a->close = t;
            return;
        }
        if (depth == 0 && (S_is(&t, ';') || S_is(&t, '}')))
            break;
        if (named && depth == 0 && S_is(&t, ',')) {
            S_option(a, &arg, &t);
            memset(&arg, 0, sizeof arg);
            a->content = t.start + 1;
            continue;
        }
        depth += S_is(&t, '(') - S_is(&t, ')');
        if (arg.n_other++ == 0)
            arg.first = t;
    }
    *w = before;
}

/* Checks that marker m shares no line with the previous one. On a clash
 * both are left out, with an error at each line involved. */
static int S_own_lines(S_scan *sc, const galley__marker *m)
{
    static const char msg[] =
        "two EXPECT markers on one line; put each on its own line";
    int ok = m->line > sc->prev_end_line;
    if (!ok && sc->prev_kept) {
        sc->s->n_markers--;
        if (sc->prev_line != m->line)
            S_error(sc, sc->prev_line, sc->prev_col, galley__xstrdup(msg));
    }
    if (!ok)
        S_error(sc, m->line, S_col(sc->lx.t, m->start, m->indent_start),
                galley__xstrdup(msg));
    sc->prev_line = m->line;
    sc->prev_col = S_col(sc->lx.t, m->start, m->indent_start);
    sc->prev_end_line = m->end_line;
    return ok;
}

/* Fills the parts of m that come from its parentheses' contents. */
static void S_fill_marker(galley__marker *m, const S_args *a)
{
    m->end_line = a->close.line;
    m->rparen = a->close.start;
    m->has_comment = a->n_comments > 0;
    m->content_start = a->no_text ? m->rparen : a->content;
    m->sep = a->no_text ? ", " : a->n_options ? " " : "";
    m->body_start = m->has_comment ? a->comment.body_start : m->rparen;
    m->body_end = m->has_comment ? a->comment.body_end : m->rparen;
}

/* Parses the marker whose identifier is id (the lexer is just after it).
 * Not followed by '(', the name is no marker and is ignored. */
static void S_marker(S_scan *sc, const S_tok *id, galley__marker_kind kind)
{
    S_lex w = sc->lx;
    S_tok t;
    S_args a;
    S_next_code(&w, &t);
    if (!S_is(&t, '('))
        return;
    galley__marker m = {.kind = kind, .line = id->line, .start = id->start,
                       .lparen = t.start, .indent_start = id->line_start,
                       .test = sc->cur_test};
    m.indent_len = S_blank_len(&w, m.indent_start);
    int named = kind == GALLEY__MARKER_NEAR;
    S_read_args(&w, &a, named);
    sc->lx = w;
    if (!a.closed) {
        if (!sc->unterminated)
            S_error(sc, id->line, S_col(sc->lx.t, id->start, id->line_start),
                    S_concat(id->word, "( has no closing ')': "
                                           "add it after the comment"));
        return;
    }
    S_fill_marker(&m, &a);
    int ok = a.n_other == 0 && a.n_comments <= 1 && !a.bad_option;
    if (a.bad_option)
        S_error(sc, a.bad.line, S_col(sc->lx.t, a.bad.start, a.bad.line_start),
                S_concat(id->word, " takes its options by name, then a "
                                   "/* comment */ with the expected output: "
                                   "EXPECT_NEAR(.rtol = 1e-6, .atol = 1e-9, "
                                   "/* ... */)"));
    else if (!ok && named)
        S_error(sc, m.line, S_col(sc->lx.t, m.start, m.indent_start),
                S_concat(id->word, " takes options by name, then a "
                                   "/* comment */ with the expected output; "
                                   "move other code out of the marker"));
    else if (!ok)
        S_error(sc, m.line, S_col(sc->lx.t, m.start, m.indent_start),
                S_concat(id->word, " takes only a /* comment */ "
                                     "with the expected output; move other "
                                     "code out of the marker"));
    ok = S_own_lines(sc, &m) && ok;
    sc->prev_kept = ok;
    if (ok)
        S_add_marker(sc, &m);
}

/* ---- tests ---- */

/* Reads the next token that is not a comment, keeping in before the
 * position in front of it. */
static void S_step(S_lex *w, S_lex *before, S_tok *t)
{
    *before = *w;
    S_next_code(w, t);
}

/* Skips a test's options up to the ')' that ends them, left in t.
 * Returns 0 at a ';' outside parentheses or at the end of text. */
static int S_skip_options(S_lex *w, S_lex *before, S_tok *t)
{
    int depth = 0;
    for (S_step(w, before, t); t->kind != T_EOF; S_step(w, before, t)) {
        if (depth == 0 && S_is(t, ')'))
            return 1;
        if (depth == 0 && S_is(t, ';'))
            return 0;
        depth += S_is(t, '(') - S_is(t, ')');
    }
    return 0;
}

/* Reads "(name, options...) {" into name and t; returns 1 if it is there.
 * On 0, before is the position in front of the token that did not fit. */
static int S_test_header(S_lex *w, S_lex *before, S_tok *name, S_tok *t)
{
    S_step(w, before, t);
    if (!S_is(t, '('))
        return 0;
    S_step(w, before, name);
    if (name->kind != T_IDENT)
        return 0;
    S_step(w, before, t);
    if (S_is(t, ',') && !S_skip_options(w, before, t))
        return 0;
    if (!S_is(t, ')'))
        return 0;
    S_step(w, before, t);
    return S_is(t, '{');
}

/* Parses TEST(name, options...) { at brace depth 0 (the lexer is just
 * after id). With a body it records the test and enters it; anything else,
 * a prototype or a macro, is no test. The scan goes on in front of the
 * first token that did not fit, so no token is read again and again. */
static void S_test(S_scan *sc, const S_tok *id)
{
    S_lex w = sc->lx, before;
    S_tok t, name;
    if (!S_test_header(&w, &before, &name, &t)) {
        sc->lx = before;
        return;
    }
    sc->cur_test = S_add_test(sc, S_ident_text(&w, &name), id->line, t.start);
    sc->depth = 1;
    sc->lx = w;
}

/* A '}' outside directives: it may close the current test's body. */
static void S_close_brace(S_scan *sc, const S_tok *t)
{
    if (sc->depth == 0)
        return;
    if (--sc->depth > 0 || sc->cur_test < 0)
        return;
    galley__scanned_test *test = &sc->s->tests[sc->cur_test];
    test->body_close = t->start;
    test->close_line = t->line;
    sc->cur_test = -1;
}

/* A test whose body never closes is no test; its markers are outside. */
static void S_drop_open_test(S_scan *sc)
{
    galley__scan *s = sc->s;
    if (sc->cur_test < 0)
        return;
    free(s->tests[--s->n_tests].name);
    for (size_t i = 0; i < s->n_markers; i++)
        if (s->markers[i].test == sc->cur_test)
            s->markers[i].test = -1;
    sc->cur_test = -1;
}

/* ---- code ---- */

/* Acts on one token of code (not in a directive, not a comment). */
static void S_code_token(S_scan *sc, const S_tok *t)
{
    const char *w = t->word;
    if (S_is(t, '{'))
        sc->depth++;
    else if (S_is(t, '}'))
        S_close_brace(sc, t);
    /* Most identifiers are none of ours: the first letter tells. */
    if (t->kind != T_IDENT || !t->word_full ||
        (w[0] != 'E' && w[0] != 'G' && w[0] != 'T'))
        return;
    if (!strcmp(w, "EXPECT") || !strcmp(w, "GALLEY_EXPECT"))
        S_marker(sc, t, GALLEY__MARKER_EXPECT);
    else if (!strcmp(w, "EXPECT_EXACT") || !strcmp(w, "GALLEY_EXPECT_EXACT"))
        S_marker(sc, t, GALLEY__MARKER_EXACT);
    else if (!strcmp(w, "EXPECT_NEAR") || !strcmp(w, "GALLEY_EXPECT_NEAR"))
        S_marker(sc, t, GALLEY__MARKER_NEAR);
    else if (!strcmp(w, "EXPECT_UNREACHABLE") ||
             !strcmp(w, "GALLEY_EXPECT_UNREACHABLE"))
        S_marker(sc, t, GALLEY__MARKER_UNREACHABLE);
    else if (!strcmp(w, "EXPECT_END") || !strcmp(w, "GALLEY_EXPECT_END"))
        S_marker(sc, t, GALLEY__MARKER_END);
    else if ((!strcmp(w, "TEST") || !strcmp(w, "GALLEY_TEST")) &&
             sc->depth == 0)
        S_test(sc, t);
}

/* ---- directives ---- */

/* Acts on the first token after a directive's '#', at line: follows the
 * #if nesting, so that tests know their branch, and notes #line. */
static void S_directive(S_scan *sc, const S_tok *t, int line)
{
    const char *w = t->word;
    int level = sc->if_depth < S_MAX_IF ? sc->if_depth : S_MAX_IF;
    if (t->kind == T_NUMBER || (t->kind == T_IDENT && !strcmp(w, "line"))) {
        if (!sc->line_directive)
            sc->line_directive = line;
    } else if (t->kind != T_IDENT) {
        return;
    } else if (!strcmp(w, "if") || !strcmp(w, "ifdef") ||
               !strcmp(w, "ifndef")) {
        if (sc->if_depth++ < S_MAX_IF)
            sc->branches[level] = ++sc->next_branch;
    } else if (!strncmp(w, "el", 2) && level > 0) { /* else, elif... */
        sc->branches[level - 1] = ++sc->next_branch;
    } else if (!strcmp(w, "endif") && sc->if_depth > 0) {
        sc->if_depth--;
    }
}

/* ---- the scan ---- */

/* Reports the first carriage return that no newline follows: compilers
 * end a line there, and the scanner would count lines otherwise. */
static void S_lone_cr(S_scan *sc)
{
    const char *t = sc->lx.t, *end = t + sc->lx.len;
    for (const char *p = t; (p = memchr(p, '\r', (size_t)(end - p))); p++)
        if (p + 1 == end || p[1] != '\n') {
            int line = 1;
            const char *bol = t;
            for (const char *q = t; q < p; q++)
                if (*q == '\n')
                    line++, bol = q + 1;
            S_fatal(sc, line, S_col(t, (size_t)(p - t), (size_t)(bol - t)),
                    galley__xstrdup(
                "a carriage return ends a line without a newline (old Mac "
                "line ends), which galley does not read; convert the file "
                "to LF or CRLF line ends, e.g. with tr '\\r' '\\n'"));
            return;
        }
}

/* Reports a #line directive that comes before a test or a marker: the
 * program would then report lines where the source has no marker. */
static void S_check_line_directive(S_scan *sc)
{
    const galley__scan *s = sc->s;
    int after = 0;
    for (size_t i = 0; i < s->n_tests && !after; i++)
        after = s->tests[i].line > sc->line_directive;
    for (size_t i = 0; i < s->n_markers && !after; i++)
        after = s->markers[i].line > sc->line_directive;
    if (sc->line_directive && after)
        S_fatal(sc, sc->line_directive, 0, galley__xstrdup(
            "#line changes the line numbers by which galley finds the "
            "markers after it; remove it, or move it below the last TEST "
            "and EXPECT"));
}

void galley__scan_text(galley__scan *s, const char *text, size_t len)
{
    S_scan sc = {.s = s, .cur_test = -1};
    S_tok t;
    int directive = 0, dir_line = 0;
    memset(s, 0, sizeof *s);
    sc.lx = (S_lex){.t = text ? text : "", .len = text ? len : 0, .line = 1,
                    .at_bol = 1, .sc = &sc};
    /* A UTF-8 byte-order mark is no token (compilers skip it too). */
    if (sc.lx.len >= 3 && !memcmp(sc.lx.t, "\xef\xbb\xbf", 3)) {
        s->bom = 1;
        sc.lx.pos = sc.lx.bol = 3;
    }
    const char *nl = sc.lx.len ? memchr(sc.lx.t, '\n', sc.lx.len) : NULL;
    s->crlf = nl && nl > sc.lx.t && nl[-1] == '\r';
    for (S_next(&sc.lx, &t); t.kind != T_EOF; S_next(&sc.lx, &t)) {
        if (t.kind == T_COMMENT || t.kind == T_LINE_COMMENT)
            continue;
        /* A directive runs to the first token of the next line. */
        if (t.bol) {
            directive = S_is(&t, '#');
            dir_line = directive ? t.line : 0;
        } else if (directive && dir_line) {
            S_directive(&sc, &t, dir_line);
            dir_line = 0;
        }
        if (!directive)
            S_code_token(&sc, &t);
    }
    S_drop_open_test(&sc);
    S_check_line_directive(&sc);
    S_lone_cr(&sc);
    for (size_t i = 0; i < s->n_markers && !s->opted_in; i++)
        s->opted_in = s->markers[i].test >= 0;
}

void galley__scan_fini(galley__scan *s)
{
    for (size_t i = 0; i < s->n_tests; i++)
        free(s->tests[i].name);
    for (size_t i = 0; i < s->n_errors; i++)
        free(s->errors[i].msg);
    for (size_t i = 0; i < s->n_markers; i++)
        free(s->markers[i].text);
    free(s->program);
    galley__md_doc_free(s->md);
    free(s->markers);
    free(s->tests);
    free(s->errors);
    memset(s, 0, sizeof *s);
}

int galley__scan_find_marker(const galley__scan *s, int line)
{
    /* Markers are in source order and share no line: search by end_line. */
    size_t lo = 0, hi = s->n_markers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->markers[mid].end_line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s->n_markers)
        return -1;
    const galley__marker *m = &s->markers[lo];
    if (m->line == line || m->end_line == line)
        return (int)lo;
    return m->first_line && m->first_line <= line ? (int)lo : -1;
}
