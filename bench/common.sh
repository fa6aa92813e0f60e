# bench/common.sh: helpers the benchmark scripts share (sourced, not run).
# The script sets $work (its temporary directory) and $bench (its name,
# for messages) first.

now_ns() { date +%s%N; }

# Prints the median of the numbers on stdin.
median() {
    sort -n | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2];
              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Runs "$@" quietly; prints its wall time in milliseconds. A status other
# than 0 or 1 (1: some test failed, expected in some steps) stops the
# benchmark.
time_ms() {
    local t0 t1 rc=0
    t0=$(now_ns)
    "$@" >"$work/last.out" 2>&1 || rc=$?
    t1=$(now_ns)
    if [ "$rc" -gt 1 ]; then
        echo "$bench: '$*' failed with status $rc:" >&2
        tail -n 40 "$work/last.out" >&2
        exit 1
    fi
    echo $(((t1 - t0) / 1000000))
}

# Writes a generated suite of $1 test files x $2 tests into directory $3:
# galley.conf, ten modules of code under test under src/ (src/modM.c,
# declared in src/mods.h), and tests/fF_test.c, whose tests each print three
# lines (one from module F mod 10) and check them.
gen_suite() {
    local files=$1 tests=$2 dir=$3
    mkdir -p "$dir/tests" "$dir/src"
    printf 'sources =' >"$dir/galley.conf"
    for m in $(seq 0 9); do
        printf ' src/mod%d.c' "$m" >>"$dir/galley.conf"
        printf 'int mod%d(int x) { return x * %d + 1; }\n' "$m" $((m + 2)) \
            >"$dir/src/mod$m.c"
    done
    printf '\ninclude = src\n' >>"$dir/galley.conf"
    for m in $(seq 0 9); do printf 'int mod%d(int x);\n' "$m"; done \
        >"$dir/src/mods.h"
    for f in $(seq 1 "$files"); do
        awk -v f="$f" -v n="$tests" 'BEGIN {
            m = f % 10
            print "#include <galley.h>\n#include <stdio.h>\n#include \"mods.h\"\n"
            for (t = 0; t < n; t++) {
                x = f * 1000 + t
                printf "TEST(t%d_%d)\n{\n", f, t
                printf "    printf(\"test %%d\\n\", %d);\n", x
                printf "    printf(\"mod %%d\\n\", mod%d(%d));\n", m, x
                printf "    printf(\"half %%.1f\\n\", %d / 2.0);\n", x
                printf "    EXPECT(/*\n      test %d\n      mod %d\n      half %.1f\n    */);\n}\n\n", x, x * (m + 2) + 1, x / 2
            }
        }' >"$dir/tests/f${f}_test.c"
    done
}
