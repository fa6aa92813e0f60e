#include <galley.h>
#include <stdio.h>

TEST(addition) {
    printf("%d\n", 1 + 2);
    EXPECT(/* old */);
}
