/* scan.h: reads TEST definitions and EXPECT markers out of C source text.
 * A small C lexer: it understands comments, string and character literals,
 * line continuations and preprocessor lines, so markers are found exactly. */
#ifndef GALLEY_SCAN_H
#define GALLEY_SCAN_H

#include <stddef.h>

typedef enum galley__marker_kind {
    GALLEY__MARKER_EXPECT,       /* EXPECT(...) or GALLEY_EXPECT(...) */
    GALLEY__MARKER_EXACT,        /* EXPECT_EXACT(...) or GALLEY_EXPECT_EXACT */
    GALLEY__MARKER_NEAR,         /* EXPECT_NEAR(.rtol = R, ...) or
                                   GALLEY_EXPECT_NEAR: compared as EXPECT,
                                   with its own tolerances */
    GALLEY__MARKER_UNREACHABLE,  /* EXPECT_UNREACHABLE() or
                                   GALLEY_EXPECT_UNREACHABLE(): passes when
                                   never reached */
    GALLEY__MARKER_END,          /* EXPECT_END(...) or GALLEY_EXPECT_END:
                                   an EXPECT that also holds how a test
                                   that exits or crashes before it ends
                                   ([exit 3], [signal SIGABRT]) */
} galley__marker_kind;

/* One EXPECT marker. Offsets are byte offsets into the scanned text. */
typedef struct galley__marker {
    galley__marker_kind kind;
    int line;           /* 1-based line of the EXPECT identifier */
    int end_line;       /* line of the closing parenthesis */
    int first_line;     /* Markdown: the line of its C block's fence; any
                           line from it to end_line names the marker (see
                           galley__scan_find_marker); 0 in C */
    size_t start;       /* offset of the EXPECT identifier */
    size_t lparen;      /* offset of '(' */
    size_t rparen;      /* offset of ')' */
    size_t content_start; /* where the expectation part of the arguments
                           begins: just after '(', or for EXPECT_NEAR
                           just after the comma that ends its options (or
                           at ')' when its last argument is an option) */
    const char *sep;    /* what an expectation written at content_start
                           follows: "", " " after EXPECT_NEAR's options, or
                           ", " when the comma after them is missing */
    int has_comment;    /* 1 if the parentheses hold a block comment */
    size_t body_start;  /* offset just after the opening slash-star */
    size_t body_end;    /* offset of the closing star-slash */
    size_t indent_start, indent_len; /* leading whitespace of the marker's line */
    int test;           /* index into galley__scan.tests of the enclosing
                           TEST, or -1 when the marker is outside any TEST */
    char *text;         /* Markdown: the output block's lines without the
                           prefixes of its containers (owned by the scan),
                           the expected text in place of text[body_start,
                           body_end); NULL in C (see galley__marker_body) */
    size_t text_len;
} galley__marker;

/* One TEST(name, options...) { ... } definition. */
typedef struct galley__scanned_test {
    char *name;         /* owned by the galley__scan */
    int line;           /* line of the TEST identifier */
    int branch;         /* the #if branch it sits in: 0 outside any #if;
                           two tests with the same branch are compiled
                           together or not at all */
    size_t body_open;   /* offset of the body's '{' */
    size_t body_close;  /* offset of the body's matching '}' */
    int close_line;     /* line of that '}' */
} galley__scanned_test;

/* A problem found in the source: it names a line and says what to do. */
typedef struct galley__scan_error {
    int line;
    int col;            /* 1-based, in bytes; 0 when not known */
    char *msg;          /* owned by the galley__scan */
    int fatal;          /* 1: the file cannot be run as it is (old Mac
                           line ends, #line before a marker): the runner
                           refuses to build it */
} galley__scan_error;

typedef struct galley__scan {
    galley__marker *markers;
    size_t n_markers;
    galley__scanned_test *tests;
    size_t n_tests;
    galley__scan_error *errors;
    size_t n_errors;
    int crlf;           /* 1 if the text's first line ends in CRLF */
    int bom;            /* 1 if the text begins with a UTF-8 byte-order
                           mark (skipped; promote keeps it) */
    int opted_in;       /* 1 if a file of this text found in a directory is
                           a test file (Markdown: it opts in; markdown.h) */
    char *program;      /* a kind that is not C: the C program it compiles
                           to (heap, owned), else NULL */
    size_t program_len;
    struct galley__md_doc *md; /* what the Markdown rewrite needs to know */
} galley__scan;

/* Scans text[0..len) and fills s (which the caller then releases with
 * galley__scan_fini). Markers and tests come in source order. Problems do not
 * stop the scan: they are collected in s->errors, and a marker with a
 * problem is left out of s->markers. Never fails on any input.
 *
 * Two problems are fatal (galley__scan_error.fatal), because the compiler
 * and the scanner would then disagree on line numbers, by which markers
 * are found: a carriage return not followed by a newline (compilers take
 * it for a line end, the scanner does not: old Mac files are refused, not
 * half read), and a #line directive (or a GNU line marker, "# 12") with a
 * TEST or a marker after it. */
void galley__scan_text(galley__scan *s, const char *text, size_t len);
void galley__scan_fini(galley__scan *s);

/* Returns the text of marker m's expectation in src (the text it was
 * scanned from), setting *n to its length: the bytes between its comment
 * delimiters, or a Markdown output block's lines (galley__marker.text). */
static inline const char *galley__marker_body(const galley__marker *m,
                                              const char *src, size_t *n)
{
    if (m->text) {
        *n = m->text_len;
        return m->text;
    }
    *n = m->body_end - m->body_start;
    return src + m->body_start;
}

/* Returns the index of the marker whose line or end_line is line (a
 * Markdown marker's: any line from first_line to end_line), or -1. */
int galley__scan_find_marker(const galley__scan *s, int line);

#endif
