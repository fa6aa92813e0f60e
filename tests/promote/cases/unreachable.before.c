#include <galley.h>
#include <stdio.h>

TEST(branches) {
    int x = 1;
    if (x > 0) {
        printf("positive\n");
        EXPECT(/* positive */);
    } else {
        printf("negative\n");
        EXPECT(/*
          negative
        */);
        GALLEY_EXPECT_NEAR(.rtol = 1e-3, /* 0.5 */);
    }
    if (x > 5) {
        EXPECT_UNREACHABLE();
    }
    if (x == 1) {
        printf("one\n");
        GALLEY_EXPECT_UNREACHABLE();
        printf("long output line one\nand two\n");
        EXPECT_UNREACHABLE(/* why: x is never 1 */);
    }
}
