#include <galley.h>

TEST(empty) {
}

TEST(braces) {}
