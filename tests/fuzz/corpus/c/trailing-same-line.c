#include <galley.h>
#include <stdio.h>

TEST(compact) {
    puts("left over"); }

TEST(one_liner) { puts("hi"); }
