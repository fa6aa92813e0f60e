#include <galley.h>
#include <stdio.h>

TEST(windows) {
    puts("a");
    EXPECT(/* a */);
    puts("b");
    puts("c");
    EXPECT(/*
      b

      c
    */);
}
