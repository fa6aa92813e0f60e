#include <galley.h>
#include <stdio.h>

TEST(http) {
    send_request();
    EXPECT_EXACT(/*HTTP/1.1 200 OK\r (esc)
Content-Length: 2\r (esc)
\r (esc)
ok
*/);
    if (verbose)
        EXPECT_EXACT(/*  indented, then a blank line

path\\to\\dir\\ (esc)
*/);
}
