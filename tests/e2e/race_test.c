/* race_test.c: galley promote against what happens to a source while it
 * writes: an editor saving the file (in place, or by writing a copy and
 * renaming it over), and galley itself killed with SIGKILL. No save may be
 * lost, no file torn, no temporary left behind. */
#include <galley.h>
#include <stdio.h>

#include "e2e.h"

/* Makes a project with one pending marker; saves the source (orig.c) and
 * the run's state (state/) so that each trial starts from them. */
static void S_pending(void)
{
    e2e_project();
    e2e_write("tests/r_test.c",
              "#include <galley.h>\n"
              "#include <stdio.h>\n"
              "\n"
              "TEST(r) {\n"
              "    for (int i = 0; i < 200; i++)\n"
              "        printf(\"line %d\\n\", i);\n"
              "    EXPECT(/* old */);\n"
              "}\n");
    e2e_galley_filter("run", "true");
    e2e_sh("cp -p tests/r_test.c orig.c && cp -a _galley/state state");
}

/* Puts the source and state back as the run left them. */
#define S_RESET                                                     \
    "cp -p orig.c tests/r_test.c; rm -rf _galley/state;"            \
    " cp -a state _galley/state;"

TEST(an_editor_saving_during_promote_loses_nothing)
{
    S_pending();
    /* Odd trials append in place (>>, as an editor that writes the file
     * it opened); even ones write a copy and rename it over (as vim and
     * Emacs do). The writer starts at a random moment of the promote. It
     * copies with cat: cp gives up on a file renamed over while it reads,
     * which an editor, holding the file open, does not. 100 trials (50 of
     * each kind) keep the suite within its CI budget; each trial starts
     * the writer at a new moment of the promote's 20 ms. */
    e2e_sh("lost=0; i=0; while [ $i -lt 100 ]; do i=$((i+1));" S_RESET
           "  d=$(awk -v s=$i 'BEGIN { srand(s); printf \"%.4f\", rand() * 0.02 }');"
           "  if [ $((i % 2)) = 1 ]; then"
           "    (sleep $d; echo \"// edit $i\" >> tests/r_test.c) &"
           "  else"
           "    (sleep $d; cat tests/r_test.c > tests/.w; echo \"// edit $i\" >> tests/.w;"
           "     mv tests/.w tests/r_test.c) &"
           "  fi;"
           "  \"$GALLEY_BIN\" promote >/dev/null 2>&1; wait;"
           "  grep -q \"// edit $i\\$\" tests/r_test.c || lost=$((lost+1));"
           "done; echo \"$i trials, $lost saves lost\"");
    e2e_sh("ls -a tests");
    EXPECT(/*
      [exit 1]
      100 trials, 0 saves lost
      .
      ..
      r_test.c
    */);
    e2e_done();
}

TEST(promote_killed_at_any_moment_leaves_a_whole_file)
{
    S_pending();
    e2e_galley_filter("promote", "true");
    e2e_sh("cp tests/r_test.c promoted.c");
    /* SIGKILL at a random moment; the file must be the old text or the
     * new one, never a mix, and a temporary that a kill leaves (named for
     * its dead process) goes at the next promote. */
    e2e_sh("bad=0; i=0; while [ $i -lt 60 ]; do i=$((i+1));" S_RESET
           "  \"$GALLEY_BIN\" promote >/dev/null 2>&1 & p=$!;"
           "  sleep $(awk -v s=$i 'BEGIN { srand(s); printf \"%.4f\", rand() * 0.012 }');"
           "  kill -9 $p 2>/dev/null; wait $p 2>/dev/null;"
           "  cmp -s tests/r_test.c orig.c || cmp -s tests/r_test.c promoted.c"
           "  || bad=$((bad+1));"
           "done; echo \"$i kills, $bad torn files\"");
    e2e_sh("sh -c 'exit 0' & wait $!; : > tests/r_test.c.galley-tmp.$!.a1b2c3;"
           " " S_RESET
           " : > tests/r_test.c.galley-tmp.$$.d4e5f6;"
           " \"$GALLEY_BIN\" promote >/dev/null 2>&1; ls tests | sed 's/\\.[0-9]*\\./.PID./'");
    EXPECT(/*
      [exit 1]
      [exit 0]
      60 kills, 0 torn files
      r_test.c
      r_test.c.galley-tmp.PID.d4e5f6
    */);
    e2e_done();
}
