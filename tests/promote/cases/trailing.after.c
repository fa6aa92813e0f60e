#include <galley.h>
#include <stdio.h>

TEST(first) {
    puts("one");
    EXPECT(/* one */);
    puts("two");
    puts("three");
    EXPECT(/*
      two
      three
    */);
}

TEST(second) {
    puts("only");
    EXPECT(/* only */);
}
