#include <galley.h>
#include <stdio.h>

/* A checker shared by several tests: its marker sits outside any TEST. */
static void check_header(void)
{
    puts("magic: GLLY");
    puts("version: 3");
    EXPECT(/* magic: GLLY */);
}

TEST(v3) { check_header(); }
