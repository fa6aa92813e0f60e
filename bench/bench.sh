#!/usr/bin/env bash
# bench/bench.sh: measures galley on generated suites (a benchmark, not a
# test). Each figure is the median of $REPS runs (default 5); the whole
# script takes about two minutes on two cores.
#
#   bench/bench.sh                  uses build/galley of this checkout
#   GALLEY=/path/to/galley REPS=3 bench/bench.sh
#
# What it measures, in a temporary directory it removes at the end
# (also: a million numbers compared with a tolerance, passing and 1% off):
#   - a suite of 50 files x 20 tests: a cold run (no _galley/), a no-op
#     rerun, a rerun after editing one file, and `galley promote FILE:LINE`
#     of one marker made wrong;
#   - the runner's cost per test: a file of 1000 trivial tests against the
#     same file with 1 test, both built, run with -j1;
#   - a test printing about 10 MB whose expectation differs in one line:
#     the time of a run (built already) that compares, diffs and writes the
#     corrected file;
#   - the peak memory (VmHWM) of the galley process itself for the 1000
#     tests and for the 10 MB output.
set -eu
# Every run here runs its tests: this script measures the runner (the
# result cache has bench/rerun.sh).
export GALLEY_NO_CACHE=1

here=$(cd "$(dirname "$0")/.." && pwd)
GALLEY=${GALLEY:-$here/build/galley}
REPS=${REPS:-5}
case $GALLEY in /*) ;; *) GALLEY=$PWD/$GALLEY ;; esac
if [ ! -x "$GALLEY" ]; then
    echo "bench.sh: no galley at $GALLEY (run ninja, or set GALLEY)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/galley-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- helpers ----

bench=bench.sh
. "$here/bench/common.sh"

# Checks that the last command's summary line is the one expected.
expect_summary() {
    if ! tail -n 1 "$work/last.out" | grep -qx "$1"; then
        echo "bench.sh: expected '$1', got:" >&2
        tail -n 20 "$work/last.out" >&2
        exit 1
    fi
}

rows=()
row() { rows+=("$(printf '%-52s %10s' "$1" "$2")"); }

# ---- the peak-memory probe ----

# A preloaded destructor that records the peak resident set (VmHWM) of the
# galley process when it exits; ninja, the compiler and the test programs
# inherit the library but write nothing, so the figure is galley's own.
cat >"$work/hwm.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((destructor)) static void record_hwm(void)
{
    char exe[4096], line[256];
    const char *out = getenv("BENCH_HWM_FILE");
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!out || n <= 0)
        return;
    exe[n] = '\0';
    const char *base = strrchr(exe, '/');
    if (strcmp(base ? base + 1 : exe, "galley") != 0)
        return;
    FILE *st = fopen("/proc/self/status", "r"), *o = fopen(out, "w");
    while (st && o && fgets(line, sizeof line, st))
        if (strncmp(line, "VmHWM:", 6) == 0)
            fprintf(o, "%ld\n", strtol(line + 6, NULL, 10));
    if (st)
        fclose(st);
    if (o)
        fclose(o);
}
EOF
${CC:-cc} -shared -fPIC -O2 -o "$work/hwm.so" "$work/hwm.c"

# Runs galley with args "$@" in the current directory; prints its peak
# resident set in KiB.
peak_kib() {
    rm -f "$work/hwm.txt"
    BENCH_HWM_FILE="$work/hwm.txt" LD_PRELOAD="$work/hwm.so" \
        "$GALLEY" "$@" >/dev/null 2>&1 || true
    cat "$work/hwm.txt" 2>/dev/null || echo "?"
}

# ---- generating suites ----

# Writes a test file of n tests to path; test t prints three lines and
# its EXPECT holds them. The file's name is its id in the test names.
gen_file() {
    awk -v id="$1" -v n="$2" 'BEGIN {
        print "#include <galley.h>"
        print "#include <stdio.h>"
        print ""
        for (t = 0; t < n; t++) {
            x = id * 100 + t
            printf "TEST(t%d_%d)\n{\n", id, t
            printf "    int x = %d;\n", x
            print  "    printf(\"test %d\\n\", x);"
            print  "    printf(\"square %d\\n\", x * x);"
            print  "    printf(\"half %.1f\\n\", x / 2.0);"
            print  "    EXPECT(/*"
            printf "      test %d\n      square %d\n      half %.1f\n", x, x * x, x / 2
            print  "    */);"
            print  "}"
            print  ""
        }
    }'
}

# The project of 50 files x 20 tests.
suite=$work/suite
mkdir -p "$suite/tests"
: >"$suite/galley.conf"
for f in $(seq 1 50); do
    gen_file "$f" 20 >"$suite/tests/f${f}_test.c"
done

# The files of 1000 and of 1 trivial test, in projects of their own.
for n in 1 1000; do
    mkdir -p "$work/many$n/tests"
    : >"$work/many$n/galley.conf"
    awk -v n="$n" 'BEGIN {
        print "#include <galley.h>\n#include <stdio.h>\n"
        for (t = 0; t < n; t++)
            printf "TEST(t%d)\n{\n    puts(\"ok\");\n    EXPECT(/* ok */);\n}\n\n", t
    }' >"$work/many$n/tests/many_test.c"
done

# The 10 MB output: 400,000 lines of about 26 bytes, the expectation of
# line 200,000 changed. The expectation lives in the source, as it would.
big=$work/big
mkdir -p "$big/tests"
: >"$big/galley.conf"
{
    printf '#include <galley.h>\n#include <stdio.h>\n\nTEST(ten_megabytes)\n{\n'
    printf '    for (int i = 0; i < 400000; i++)\n'
    printf '        printf("line %%07d value %%07d\\n", i, i * 7 %% 1000003);\n'
    printf '    EXPECT(/*\n'
    awk 'BEGIN { for (i = 0; i < 400000; i++)
        printf "      line %07d value %07d\n", i, (i == 200000 ? 1 : i * 7 % 1000003) }'
    printf '    */);\n}\n'
} >"$big/tests/big_test.c"

# ---- the suite: 50 files x 20 tests ----

cd "$suite"
cold=()
for r in $(seq "$REPS"); do
    rm -rf _galley
    cold+=("$(time_ms "$GALLEY" run)")
    expect_summary "1000 passed, 0 failed"
done
row "cold run, 50 files x 20 tests (build + run)" \
    "$(printf '%s\n' "${cold[@]}" | median) ms"

noop=()
for r in $(seq "$REPS"); do
    noop+=("$(time_ms "$GALLEY" run)")
    expect_summary "1000 passed, 0 failed"
done
row "no-op rerun, 1000 tests" "$(printf '%s\n' "${noop[@]}" | median) ms"

edit=()
for r in $(seq "$REPS"); do
    echo "/* edit $r */" >>tests/f25_test.c
    edit+=("$(time_ms "$GALLEY" run)")
    expect_summary "1000 passed, 0 failed"
done
row "rerun after editing one file" "$(printf '%s\n' "${edit[@]}" | median) ms"

# The marker of test t30_7 (x = 3007): its "square" line is made wrong.
line=$(grep -n '^      square 9042049$' tests/f30_test.c | cut -d: -f1)
prom=()
for r in $(seq "$REPS"); do
    sed -i "${line}s/square /square wrong /" tests/f30_test.c
    time_ms "$GALLEY" run >/dev/null
    expect_summary "999 passed, 1 failed"
    prom+=("$(time_ms "$GALLEY" promote "tests/f30_test.c:$line")")
    grep -q "promoted tests/f30_test.c (1 marker)" "$work/last.out" || {
        echo "bench.sh: promote did not promote:" >&2
        cat "$work/last.out" >&2
        exit 1
    }
done
time_ms "$GALLEY" run >/dev/null
expect_summary "1000 passed, 0 failed"
row "galley promote FILE:LINE, one marker" \
    "$(printf '%s\n' "${prom[@]}" | median) ms"

# ---- the runner's cost per test ----

per=()
for n in 1 1000; do
    cd "$work/many$n"
    time_ms "$GALLEY" run -j1 >/dev/null
    expect_summary "$n passed, 0 failed"
done
t1s=() t1000s=()
for r in $(seq "$REPS"); do
    cd "$work/many1"
    t1s+=("$(time_ms "$GALLEY" run -j1)")
    cd "$work/many1000"
    t1000s+=("$(time_ms "$GALLEY" run -j1)")
done
t1=$(printf '%s\n' "${t1s[@]}" | median)
t1000=$(printf '%s\n' "${t1000s[@]}" | median)
row "no-op rerun, 1 test (-j1)" "$t1 ms"
row "no-op rerun, 1000 tests in one file (-j1)" "$t1000 ms"
row "runner cost per test ((1000 - 1 test) / 999)" \
    "$(awk -v a="$t1000" -v b="$t1" 'BEGIN { printf "%.3f", (a - b) / 999 }') ms"
cd "$work/many1000"
peak_1000=$(peak_kib run -j1)

# ---- 10 MB of output, one line different ----

cd "$big"
time_ms "$GALLEY" run >/dev/null # builds the program: not timed
expect_summary "0 passed, 1 failed"
bigt=()
for r in $(seq "$REPS"); do
    bigt+=("$(time_ms "$GALLEY" run)")
    expect_summary "0 passed, 1 failed"
done
bytes=$(wc -c <"$work/last.out")
grep -q '^+line 0200000 ' "$work/last.out" || {
    echo "bench.sh: the 10 MB diff does not show the changed line" >&2
    exit 1
}
# The test program alone (printing 10 MB, line-buffered, into the capture),
# run side by side with the runs above: galley's own share is the rest.
bigp=()
prog=$(ls "$big"/_galley/bin/big_test-* | grep -v '\.log$' | head -n 1)
for r in $(seq "$REPS"); do
    bigp+=("$(time_ms "$prog" --galley-results="$work/big.res")")
done
run_med=$(printf '%s\n' "${bigt[@]}" | median)
prog_med=$(printf '%s\n' "${bigp[@]}" | median)
row "10 MB output, 1 line differs: whole run" "$run_med ms"
row "  of which the test program printing it" "$prog_med ms"
row "  galley's compare + diff + report (difference)" \
    "$((run_med - prog_med)) ms"
peak_big=$(peak_kib run)

row "peak memory of galley, 1000 tests (-j1)" "$peak_1000 KiB"
row "peak memory of galley, 10 MB output" "$peak_big KiB"

# ---- a million numbers with a tolerance ----
# 100,000 lines of 10 floats (about 10 MB), compared with rtol = atol =
# 1e-5: once with every number's last digit changed (all within tolerance:
# passes), once with 1% of the numbers 10% off (fails, diff and summary).
nums=$work/nums
mkdir -p "$nums/tests"
printf 'rtol = 1e-5\natol = 1e-5\n' >"$nums/galley.conf"
printf '%s\n' '#include <galley.h>' '#include <stdio.h>' '' \
    'TEST(million_floats)' '{' \
    '    unsigned x = 12345;' \
    '    for (int i = 0; i < 100000; i++) {' \
    '        for (int k = 0; k < 10; k++) {' \
    '            x = x * 1103515245u + 12345u;' \
    '            printf("%s%.6f", k ? " " : "", (double)(x >> 8) / 65536.0);' \
    '        }' \
    '        printf("\n");' \
    '    }' \
    '    EXPECT();' \
    '}' >"$nums/tests/floats_test.c"
cd "$nums"
time_ms "$GALLEY" run >/dev/null
"$GALLEY" promote >/dev/null
cp tests/floats_test.c "$work/floats_exact.c"
awk '/^      [0-9]/ { for (i = 1; i <= NF; i++) { n = $i
        d = (substr(n, length(n), 1) + 1) % 10
        $i = substr(n, 1, length(n) - 1) d }
      $0 = "      " $0 } { print }' "$work/floats_exact.c" >"$work/floats_within.c"
awk '/^      [0-9]/ { $1 = $1; for (i = 1; i <= NF; i++) if (++c % 100 == 0)
        $i = sprintf("%.6f", $i * 1.1)
      $0 = "      " $0 } { print }' "$work/floats_exact.c" >"$work/floats_off.c"
cp "$work/floats_within.c" tests/floats_test.c
time_ms "$GALLEY" run >/dev/null # rebuild: not timed
nprog=$(ls "$nums"/_galley/bin/floats_test-* | grep -v '\.log$' | head -n 1)
nw=() np=() no=()
for r in $(seq "$REPS"); do
    nw+=("$(time_ms "$GALLEY" run)")
    expect_summary "1 passed, 0 failed"
    np+=("$(time_ms "$nprog" --galley-results="$work/n.res")")
done
cp "$work/floats_off.c" tests/floats_test.c
for r in $(seq "$REPS"); do
    no+=("$(time_ms "$GALLEY" run)")
    expect_summary "0 passed, 1 failed"
done
grep -q '^numbers: 1000000 compared, 10000 out of tolerance' "$work/last.out" || {
    echo "bench.sh: the 1% run does not report 10000 of 1000000 numbers" >&2
    exit 1
}
nw_med=$(printf '%s\n' "${nw[@]}" | median)
np_med=$(printf '%s\n' "${np[@]}" | median)
no_med=$(printf '%s\n' "${no[@]}" | median)
row "1M numbers within tolerance: whole run (passes)" "$nw_med ms"
row "  of which the test program printing them" "$np_med ms"
row "  galley's tolerant compare (difference)" "$((nw_med - np_med)) ms"
row "1M numbers, 1% out of tolerance: whole run" "$no_med ms"
row "  galley's compare + diff + summary (difference)" \
    "$((no_med - np_med)) ms"
cd "$work"

# ---- the table ----

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "galley benchmark: $("$GALLEY" --version), median of $REPS runs"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
echo "compiler: $(${CC:-cc} --version | head -n 1)"
echo "(report of the 10 MB run: $bytes bytes)"
echo
printf '%-52s %10s\n' "measurement" "median"
printf '%-52s %10s\n' "-----------" "------"
printf '%s\n' "${rows[@]}"
