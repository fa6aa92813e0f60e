#include <galley.h>
#include <stdio.h>

TEST(last) {
    puts("x");
    EXPECT(/* x */);
    puts("z");
    EXPECT(/* z */);
}