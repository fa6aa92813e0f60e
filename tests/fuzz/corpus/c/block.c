#include <galley.h>
#include <stdio.h>

TEST(table) {
    for (int i = 1; i <= 3; i++)
        printf("%d squared is %d\n", i, i * i);
    EXPECT(/* nothing yet */);
    puts("done");
}
