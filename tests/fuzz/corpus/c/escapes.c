#include <galley.h>
#include <stdio.h>

TEST(awkward) {
    dump_bytes();
    EXPECT(/* old */);
}
