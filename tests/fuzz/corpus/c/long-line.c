#include <galley.h>
#include <stdio.h>

TEST(fits) {
    EXPECT(/* old */);
    EXPECT(/* old */);
}
