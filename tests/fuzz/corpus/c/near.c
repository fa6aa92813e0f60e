#include <galley.h>
#include <stdio.h>

TEST(near) {
    printf("%.3f\n", 1.0);
    EXPECT_NEAR(.rtol = 1e-3);
    printf("%.3f\n", 2.0);
    EXPECT_NEAR();
    printf("%.3f\n", 3.0);
    EXPECT_NEAR(.atol = 1e-6, /* old */);
    printf("x %.1f\ny\n", 4.0);
    EXPECT_NEAR(.rtol = 1e-3, .atol = 0,
                /* */);
    printf("5\n");
    EXPECT_NEAR(.rtol = 1e-3 /* loose */,);
}
