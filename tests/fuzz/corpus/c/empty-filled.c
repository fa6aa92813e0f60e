#include <galley.h>
#include <stdio.h>

TEST(greeting) {
    puts("hello");
    EXPECT();
}
