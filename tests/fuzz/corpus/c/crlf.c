#include <galley.h>
#include <stdio.h>

TEST(windows) {
    puts("a");
    EXPECT(/* old */);
    puts("b");
    puts("c");
    EXPECT();
}
