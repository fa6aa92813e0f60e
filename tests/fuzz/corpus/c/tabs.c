#include <galley.h>
#include <stdio.h>

TEST(tabs) {
	for (int i = 0; i < 2; i++) {
		printf("row %d\n", i);
		EXPECT(/* old */);
	}
	puts("x\ty");
	EXPECT();
}
