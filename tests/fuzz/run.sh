#!/usr/bin/env bash
# tests/fuzz/run.sh: the suite's short, deterministic fuzz run (a part of
# tests/run.sh, default variant). Builds the fuzz targets (ninja fuzz:
# clang's libFuzzer with ASan and UBSan) and runs each over its seed corpus
# with a fixed seed for a fixed number of inputs, which replays every seed
# (the reproducers of bugs found so far among them) and tries some
# mutations. Ends with "fuzz: N passed, N failed"; without clang it says it
# is skipped, and counts nothing.
#
# To fuzz for real, one target at a time, for as long as you like (new
# inputs go to the first directory; a crash is saved as crash-*, and
# -minimize_crash=1 -runs=10000 CRASH shrinks it):
#
#   ninja fuzz
#   mkdir -p /tmp/md && build/fuzz/markdown_fuzz -max_total_time=600 \
#       -dict=tests/fuzz/markdown.dict /tmp/md tests/fuzz/corpus/md
#   mkdir -p /tmp/c && build/fuzz/scan_fuzz -max_total_time=600 \
#       -dict=tests/fuzz/c.dict /tmp/c tests/fuzz/corpus/c
#
# An input is a source, then (after a byte 0xff) the outputs to write into
# its markers, separated by 0xff (tests/fuzz/fuzz.h). A reproducer worth
# keeping goes into tests/fuzz/corpus/c or tests/fuzz/corpus/md.
set -u
cd "$(dirname "$0")/../.." || exit 2
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: skipped: clang is missing (the fuzz targets need libFuzzer)"
    exit 0
fi
if ! ninja fuzz >/dev/null; then
    ninja fuzz
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
# target corpus dictionary runs: the corpus replayed and a few thousand
# mutations, under 2 s each on a CI-sized machine (2 cores) with the
# targets built: the suite's 5 minutes have no more room. Long runs are
# for a person, as above.
while read -r target corpus dict runs; do
    mkdir -p "$tmp/$target"
    # New inputs go to the scratch directory, never into the seed corpus.
    if build/fuzz/"$target" -seed=1 -runs="$runs" -dict="$dict" \
        -artifact_prefix="$tmp/" "$tmp/$target" "$corpus" >"$tmp/log" 2>&1; then
        echo "ok $target ($runs runs over $corpus)"
        passed=$((passed + 1))
    else
        echo "FAILED $target ($runs runs over $corpus):"
        grep -v '^#[0-9]' "$tmp/log" | tail -n 40
        for f in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-*; do
            [ -e "$f" ] && echo "reproducer: base64 $(base64 -w0 "$f")"
        done
        failed=$((failed + 1))
    fi
done <<'LIST'
scan_fuzz tests/fuzz/corpus/c tests/fuzz/c.dict 5000
markdown_fuzz tests/fuzz/corpus/md tests/fuzz/markdown.dict 5000
LIST
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
