#include <galley.h>

TEST(t) {
    EXPECT();
}
