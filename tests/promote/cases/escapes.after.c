#include <galley.h>
#include <stdio.h>

TEST(awkward) {
    dump_bytes();
    EXPECT(/*
      int x = 1; /\x2a one *\x2f (esc)
      ring\x07 (esc)
      progress 50%\rprogress 100% (esc)
      bad byte \xff here (esc)
      looks escaped (esc) (esc)
      café ok
    */);
}
