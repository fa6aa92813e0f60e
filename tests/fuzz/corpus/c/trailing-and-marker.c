#include <galley.h>
#include <stdio.h>

TEST(both)
{
    puts("first");
    EXPECT(/* frist */);
    puts("second");
    // a comment before the end
}
