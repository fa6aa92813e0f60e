#include <galley.h>
#include <stdio.h>

TEST(http) {
    send_request();
    EXPECT_EXACT(/* old */);
    if (verbose)
        EXPECT_EXACT(/* old */);
}
