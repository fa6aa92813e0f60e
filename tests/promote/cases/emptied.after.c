#include <galley.h>
#include <stdio.h>

TEST(quiet) {
    EXPECT();
}
