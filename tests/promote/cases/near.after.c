#include <galley.h>
#include <stdio.h>

TEST(near) {
    printf("%.3f\n", 1.0);
    EXPECT_NEAR(.rtol = 1e-3, /* 1.000 */);
    printf("%.3f\n", 2.0);
    EXPECT_NEAR(/* 2.000 */);
    printf("%.3f\n", 3.0);
    EXPECT_NEAR(.atol = 1e-6, /* 3.000 */);
    printf("x %.1f\ny\n", 4.0);
    EXPECT_NEAR(.rtol = 1e-3, .atol = 0, /*
      x 4.0
      y
    */);
    printf("5\n");
    EXPECT_NEAR(.rtol = 1e-3 /* loose */, /* 5 */);
}
