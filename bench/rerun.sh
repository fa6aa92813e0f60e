#!/usr/bin/env bash
# bench/rerun.sh: what a rerun costs (a benchmark, not a test), side by
# side with cram and with a bare compile, on generated suites of F files x
# T tests (50 x 20, then 200 x 50). Each test prints three lines and checks
# them; the test files call the code under test, ten modules under sources
# (file f calls module f mod 10). Every figure is the median of REPS runs
# (default 5), all measured in this one run:
#
#   - cold: galley run with no _galley/ (build and run every test), and the
#     bare compile and link of the same files with cc -O0 -g at the same -j
#     (no test run), and their ratio;
#   - no-op rerun: galley run with nothing changed, and cram rerunning the
#     equivalent shell transcripts (one .t file per test file), and their
#     ratio;
#   - one expectation edited: the run that shows the failure;
#   - edit, fail, promote, green: that run, galley promote, and the run
#     that passes again;
#   - one file under sources edited (its code changes, not its output):
#     the run that reruns the tests that call it.
#
#   ninja && bench/rerun.sh
#   REPS=3 SIZES="50x20" bench/rerun.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
GALLEY=${GALLEY:-$here/build/galley}
REPS=${REPS:-5}
SIZES=${SIZES:-"50x20 200x50"}
JOBS=${JOBS:-$(nproc)}
case $GALLEY in /*) ;; *) GALLEY=$PWD/$GALLEY ;; esac
[ -x "$GALLEY" ] || { echo "rerun.sh: no galley at $GALLEY (run ninja)" >&2; exit 2; }
GALLEY_DIR=$(dirname "$GALLEY")
# Debian's python3-cram installs the command as cram3.
find_cram() { command -v cram3 || command -v cram || true; }
CRAM=$(find_cram)
if [ -z "$CRAM" ]; then
    echo "rerun.sh: installing cram (Debian's python3-cram)" >&2
    apt-get install -y -qq python3-cram >/dev/null 2>&1 ||
        sudo apt-get install -y -qq python3-cram >/dev/null 2>&1 || true
    CRAM=$(find_cram)
    [ -n "$CRAM" ] || { echo "rerun.sh: cannot install cram" >&2; exit 2; }
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-rerun.XXXXXX")
trap 'rm -rf "$work"' EXIT

bench=rerun.sh
. "$here/bench/common.sh"
# Checks the last command's summary line against the regex $1.
expect_summary() {
    tail -n 1 "$work/last.out" | grep -qE "^$1\$" || {
        echo "rerun.sh: expected '$1', got:" >&2
        tail -n 20 "$work/last.out" >&2
        exit 1
    }
}

# Writes the project of $1 files x $2 tests into directory $3: galley's
# tests, the ten modules under src/, and cram's transcripts under cram/.
generate() {
    local files=$1 tests=$2 dir=$3
    gen_suite "$files" "$tests" "$dir"
    mkdir -p "$dir/cram"
    for f in $(seq 1 "$files"); do
        awk -v f="$f" -v n="$tests" 'BEGIN {
            m = f % 10
            for (t = 0; t < n; t++) {
                x = f * 1000 + t
                printf "  $ printf %stest %d\\nmod %d\\nhalf %.1f\\n%s\n", "'"'"'", x, x * (m + 2) + 1, x / 2, "'"'"'"
                printf "  test %d\n  mod %d\n  half %.1f\n", x, x * (m + 2) + 1, x / 2
            }
        }' >"$dir/cram/f${f}.t"
    done
}

# The bare build: every file compiled with cc -O0 -g, JOBS at a time, the
# modules archived, each test file linked as galley links it.
bare_build() {
    local dir=$1 out=$work/bare
    rm -rf "$out"
    mkdir -p "$out"
    cd "$dir"
    ls src/*.c tests/*.c | xargs -P "$JOBS" -I{} sh -c \
        'cc -O0 -g -Wall -I'"$here"'/lib/include -Isrc -c {} -o '"$out"'/$(basename {} .c).o'
    "$(command -v gcc-ar || echo ar)" crs "$out/libsut.a" "$out"/mod*.o
    ls tests/*.c | xargs -P "$JOBS" -I{} sh -c \
        'b=$(basename {} .c); cc -o '"$out"'/$b '"$out"'/$b.o '"$out"'/libsut.a '"$GALLEY_DIR"'/libgalley.a -Wl,--as-needed -lopenblas -lm -Wl,-z,now'
}

rows=()
row() { rows+=("$(printf '%-60s %12s' "$1" "$2")"); }
med() { printf '%s\n' "$@" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for size in $SIZES; do
    files=${size%x*} tests=${size#*x}
    total=$((files * tests))
    dir=$work/p$size
    generate "$files" "$tests" "$dir"
    cd "$dir"

    cold=() bare=()
    for r in $(seq "$REPS"); do
        rm -rf _galley
        cold+=("$(time_ms "$GALLEY" run -j "$JOBS")")
        expect_summary "$total passed, 0 failed"
        bare+=("$(time_ms bare_build "$dir")")
        cd "$dir"
    done
    c=$(med "${cold[@]}") b=$(med "${bare[@]}")
    row "$size: cold galley run (build + $total tests)" "$c ms"
    row "$size: bare cc -O0 -g compile and link, -j $JOBS" "$b ms"
    row "$size: cold ratio (galley / bare)" "$(ratio "$c" "$b")"

    noop=() cr=()
    for r in $(seq "$REPS"); do
        noop+=("$(time_ms "$GALLEY" run -j "$JOBS")")
        expect_summary "$total passed \\($total cached\\), 0 failed"
        cr+=("$(time_ms "$CRAM" -q "$dir"/cram)")
    done
    n=$(med "${noop[@]}") k=$(med "${cr[@]}")
    row "$size: no-op galley run" "$n ms"
    row "$size: no-op cram rerun of the same transcripts" "$k ms"
    row "$size: no-op ratio (galley / cram)" "$(ratio "$n" "$k")"

    # One expectation made wrong (its "half" line), then promoted back.
    mid=$((files / 2))
    fail=() loop=()
    for r in $(seq "$REPS"); do
        sed -i "0,/^      half /s/^      half /      half wrong$r /" \
            "tests/f${mid}_test.c"
        t1=$(time_ms "$GALLEY" run -j "$JOBS")
        expect_summary "$((total - 1)) passed \\([0-9]+ cached\\), 1 failed( \\(1 cached\\))?"
        t2=$(time_ms "$GALLEY" promote)
        t3=$(time_ms "$GALLEY" run -j "$JOBS")
        expect_summary "$total passed \\($total cached\\), 0 failed"
        fail+=("$t1")
        loop+=($((t1 + t2 + t3)))
    done
    row "$size: one expectation edited: the failure shown" "$(med "${fail[@]}") ms"
    row "$size: edit, fail, promote, green again" "$(med "${loop[@]}") ms"

    # A module's code changed, not its output: the tests that call it run.
    src=()
    for r in $(seq "$REPS"); do
        printf 'int mod3(int x) { volatile int pad = %d; (void)pad; return x * 5 + 1; }\n' "$r" >src/mod3.c
        src+=("$(time_ms "$GALLEY" run -j "$JOBS")")
        expect_summary "$total passed \\([0-9]+ cached\\), 0 failed"
    done
    reran=$(tail -n 1 "$work/last.out" |
        sed -E 's/^([0-9]+) passed \(([0-9]+) cached\).*/\1 \2/' |
        awk '{ print $1 - $2 }')
    row "$size: one sources file edited: $reran tests rerun" "$(med "${src[@]}") ms"
done

printf '%s\n' "${rows[@]}"
echo "(median of $REPS, -j $JOBS, $(nproc) cores, side by side in one run)"
