#include <galley.h>

TEST(empty) {
    EXPECT(/* from setup */);
}

TEST(braces) {
    EXPECT(/* also */);
}
