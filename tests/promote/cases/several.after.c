#include <galley.h>
#include <stdio.h>

static void show(int n)
{
    for (int i = 0; i < n; i++)
        printf("%d ", i);
    putchar('\n');
}

TEST(counting) {
    show(3);
    EXPECT(/* 0 1 2 */);
    show(5);
    EXPECT(/* 0 1 2 3 4 */);
    show(0);
    EXPECT();
    show(1);
    EXPECT(/* 0 */);
}

TEST(untouched) {
    show(2);
    EXPECT(/* 0 1 */);
}

TEST(exact) {
    printf("[%5d]\n[%-5d]\n", 42, 42);
    EXPECT_EXACT(/*[   42]
[42   ]
*/);
}
