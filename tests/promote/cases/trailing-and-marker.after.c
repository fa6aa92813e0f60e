#include <galley.h>
#include <stdio.h>

TEST(both)
{
    puts("first");
    EXPECT(/* first */);
    puts("second");
    // a comment before the end
    EXPECT(/* second */);
}
