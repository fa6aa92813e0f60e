#include <galley.h>
#include <stdio.h>

TEST(exact) {
	printf("a\nb\n");
	EXPECT_EXACT();
}
