#include <galley.h>
#include <stdio.h>

TEST(table) {
    for (int i = 1; i <= 3; i++)
        printf("%d squared is %d\n", i, i * i);
    EXPECT(/*
      1 squared is 1
      2 squared is 4
      3 squared is 9
    */);
    puts("done");
}
