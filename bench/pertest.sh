#!/usr/bin/env bash
# bench/pertest.sh: the runtime's cost per test against the floor of a
# test in its own process (a benchmark, not a test). The floor is
# bench/fork_floor.c: per test a fresh memfd, fork, three lines printed
# into it, wait, read back; built as galley builds test programs (cc -O0
# -g, -z now). galley's figure is a test program of N such tests (each
# printing the same three lines and checking them with EXPECT) run as
# galley run runs it, writing its results. The two alternate, REPS times
# each (default 5); medians, and their ratio.
#
#   ninja && bench/pertest.sh
#   N=2000 REPS=9 bench/pertest.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
GALLEY=${GALLEY:-$here/build/galley}
REPS=${REPS:-5}
N=${N:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-pertest.XXXXXX")
trap 'rm -rf "$work"' EXIT

${CC:-cc} -O0 -g -Wl,-z,now -o "$work/floor" "$here/bench/fork_floor.c"
mkdir -p "$work/p/tests"
: >"$work/p/galley.conf"
awk -v n="$N" 'BEGIN {
    print "#include <galley.h>\n#include <stdio.h>\n"
    for (t = 0; t < n; t++) {
        printf "TEST(t%d)\n{\n", t
        printf "    printf(\"test %%d\\nsquare %%d\\nhalf %%.1f\\n\", %d, %d, %.1f);\n", t, t * t, t / 2
        printf "    EXPECT(/*\n      test %d\n      square %d\n      half %.1f\n    */);\n}\n\n", t, t * t, t / 2
    }
}' >"$work/p/tests/many_test.c"
(cd "$work/p" && "$GALLEY" run --no-cache -q >/dev/null)
prog=$(ls "$work"/p/_galley/bin/many_test-* | grep -v '\.log$' | head -n 1)

bench=pertest.sh
. "$here/bench/common.sh"
floor=() runtime=()
cd "$work/p"
for r in $(seq "$REPS"); do
    t0=$(now_ns); "$work/floor" "$N"; t1=$(now_ns)
    floor+=($(((t1 - t0) / 1000)))
    t0=$(now_ns); "$prog" --galley-results-fd=3 3>/dev/null; t1=$(now_ns)
    runtime+=($(((t1 - t0) / 1000)))
done
f=$(printf '%s\n' "${floor[@]}" | median)
g=$(printf '%s\n' "${runtime[@]}" | median)
awk -v f="$f" -v g="$g" -v n="$N" -v reps="$REPS" 'BEGIN {
    printf "%-48s %8.3f ms\n", "floor: fork + wait + read a memfd, per test", f / n / 1000
    printf "%-48s %8.3f ms\n", "galley runtime, per test", g / n / 1000
    printf "%-48s %8.2f\n", "ratio (galley / floor)", g / f
    printf "(%d tests, median of %d, side by side)\n", n, reps
}'
