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
    EXPECT(/*
      0 1 2
    */);
    show(0);
    EXPECT(/* stale */);
    show(1);
}

TEST(untouched) {
    show(2);
    EXPECT(/* 0 1 */);
}

TEST(exact) {
    printf("[%5d]\n[%-5d]\n", 42, 42);
    EXPECT_EXACT();
}
