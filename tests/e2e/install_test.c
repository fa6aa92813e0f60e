/* install_test.c: galley installed under a prefix (tools/install.sh, which
 * `ninja install` runs) finds its header and runtime there, and the
 * pkg-config file describes them. */
#include <galley.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

TEST(installed_galley_runs_tests)
{
    e2e_project();
    e2e_install_here();
    e2e_sh("cd prefix && LC_ALL=C find . -name '*.so*' -prune -o -type f -print | LC_ALL=C sort");
    e2e_write("tests/a_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(hello) {\n"
              "    puts(\"hello from an installed galley\");\n"
              "    EXPECT();\n"
              "}\n");
    e2e_sh("prefix/bin/galley run; echo \"[exit $?]\"");
    e2e_sh("prefix/bin/galley promote && prefix/bin/galley run");
    e2e_sh("PKG_CONFIG_PATH=prefix/lib/pkgconfig pkg-config --cflags --libs galley"
           " | sed \"s|$PWD|PWD|g\"");
    EXPECT(/*
      ./bin/galley
      ./include/galley.h
      ./include/galley/plot.h
      ./include/galley/tensor.h
      ./lib/libgalley.a
      ./lib/pkgconfig/galley.pc
      ./share/man/man1/galley.1
      ./share/man/man3/galley.3
      ./share/man/man3/galley_plot.3
      ./share/man/man3/galley_tensor.3
      tests/a_test.c:6: hello: mismatch
      --- expected
      +++ actual
      @@ -0,0 +1,1 @@
      +hello from an installed galley

      0 passed, 1 failed
      [exit 1]
      promoted tests/a_test.c (1 marker)
      1 passed (1 cached), 0 failed
      -IPWD/prefix/include -LPWD/prefix/lib -lgalley
    */);
    e2e_done();
}
