#include <galley.h>
#include <stdio.h>

TEST(a) { puts("A"); EXPECT(/* A */); } TEST(b) { puts("B"); }
