#include <galley.h>
#include <stdio.h>

TEST(prompt) {
    printf("name:   \nage: ");
    EXPECT_EXACT(/*old*/);
}
