#include <galley.h>
#include <stdio.h>

TEST(branches) {
    int x = 1;
    if (x > 0) {
        printf("positive\n");
        EXPECT(/* positive */);
    } else {
        printf("negative\n");
        EXPECT_UNREACHABLE();
        GALLEY_EXPECT_UNREACHABLE();
    }
    if (x > 5) {
        EXPECT_UNREACHABLE();
    }
    if (x == 1) {
        printf("one\n");
        GALLEY_EXPECT(/* one */);
        printf("long output line one\nand two\n");
        EXPECT(/*
          long output line one
          and two
        */);
    }
}
