#include <galley.h>
#include <stdio.h>

TEST(quiet) {
    EXPECT(/*
      this used to be printed
      and so did this
    */);
}
