#include <galley.h>
#include <stdio.h>

TEST(shrink) {
    puts("short");
    EXPECT( /*
      much longer
      text than before
    */ ); /* keep me */
    return;
}
