#!/usr/bin/env bash
# tests/fuzz/run.sh: the suite's fuzz part (tests/run.sh, both variants):
# replays every input of the seed corpora (the promote golden cases for C,
# tests/fuzz/corpus/md for Markdown),
# the reproducers of the bugs found so far among them, through the fuzz
# targets' properties, with the replayers that ninja builds in each variant
# by gcc (build/scan-replay, build/markdown-replay; tests/fuzz/replay.c):
# under a second, no clang, and under ASan + UBSan in the asan variant.
# Ends with "fuzz: N passed, N failed".
#
#   tests/fuzz/run.sh [BUILD_DIR]      # build (default) or build/asan
#
# Fuzzing itself is libFuzzer's, with clang (apt install clang
# libclang-rt-14-dev), one target at a time, for as long as you like (new
# inputs go to the first directory; a crash is saved as crash-*, and
# -minimize_crash=1 -runs=10000 CRASH shrinks it; a reproducer worth
# keeping goes into the corpus):
#
#   ninja fuzz
#   mkdir -p /tmp/md && build/fuzz/markdown_fuzz -max_total_time=600 \
#       -dict=tests/fuzz/markdown.dict /tmp/md tests/fuzz/corpus/md
#   mkdir -p /tmp/c && build/fuzz/scan_fuzz -max_total_time=600 \
#       -dict=tests/fuzz/c.dict /tmp/c tests/promote/cases
#
# An input is a source, then (after a byte 0xff) the outputs to write into
# its markers, separated by 0xff (tests/fuzz/fuzz.h).
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build}
passed=0 failed=0
for t in scan:tests/promote/cases markdown:tests/fuzz/corpus/md; do
    replayer=$bin/${t%%:*}-replay corpus=${t#*:}
    if out=$("$replayer" "$corpus" 2>&1); then
        echo "ok $replayer: $out"
        passed=$((passed + 1))
    else
        echo "FAILED $replayer $corpus:"
        printf '%s\n' "$out" | tail -n 40
        failed=$((failed + 1))
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
