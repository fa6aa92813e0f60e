#define GALLEY_NO_SHORT_NAMES
#include <galley.h>
#include <stdio.h>

GALLEY_TEST(long_names) {
    puts("a");
    GALLEY_EXPECT(/* a */);
    puts("b");
}
