#include <galley.h>
#include <stdio.h>

TEST(first) {
    puts("one");
    EXPECT(/* one */);
    puts("two");
    puts("three");
}

TEST(second) {
    puts("only");
}
