#include <galley.h>
#include <stdio.h>

TEST(tree) {
    print_tree(root);
    EXPECT();
}
