#include <galley.h>
#include <stdio.h>

TEST(last) {
    puts("x");
    EXPECT(/* y */);
    puts("z");
}