/* normalize_test.c: the normalization of DESIGN.md, tested with galley:
 * each case prints the normalized text between brackets so blank lines and
 * spaces stay visible. */
#include <galley.h>
#include <stdio.h>
#include <string.h>

#include "normalize.h"

static void actual(const char *text)
{
    galley__buf b;
    galley__buf_init(&b);
    galley__normalize(&b, text, strlen(text));
    printf("[%s]\n", b.ptr ? b.ptr : "");
    galley__buf_fini(&b);
}

static void expected(const char *body, int exact)
{
    galley__buf b;
    int bad = 0;
    const char *msg = NULL;
    galley__buf_init(&b);
    if (galley__expected_text(&b, body, strlen(body), exact, &bad, &msg) != 0)
        printf("error on body line %d: %s\n", bad, msg);
    else
        printf("[%s]\n", b.ptr ? b.ptr : "");
    galley__buf_fini(&b);
}

TEST(actual_output)
{
    actual("\n\n  a  \n    b\t\n\n  c\n\n");
    actual("   \n \t \n");
    actual("x\r\ny\r\n");
    actual("\tone\n\t  two\n");
    EXPECT(/*
      [a
        b

      c]
      []
      [x
      y]
      [one
        two]
    */);
}

TEST(expected_text)
{
    expected(" 3 ", 0);
    expected("\n      first\n        second\n    ", 0);
    expected(" inline\n      rest\n      more\n", 0);
    expected("\r\n  crlf\r\n  lines\r\n", 0);
    expected(" keep  \n  this ", 1);
    expected("\n  bell\\x07 (esc)\n", 0);
    expected("\n  bad \\q (esc)\n", 0);
    EXPECT(/*
      [3]
      [first
        second]
      [inline
      rest
      more]
      [crlf
      lines]
      [ keep
        this ]
      [bell\x07] (esc)
      error on body line 1: unknown escape; use \\, \t, \r, \n or \xNN
    */);
}
