#!/usr/bin/env bash
# bench/gpu-check.sh: the one script a machine with an NVIDIA GPU runs to
# check galley's CUDA backend for real (CPU-only machines compile it and
# test the plumbing through the simulated device; only here do the kernels
# run). In order, each step's log under $OUT (default ./gpu-check-out):
#   1. the machine: nvidia-smi, nvcc (a missing one ends the script);
#   2. ninja all with -Werror (libgalley-cuda must come out built), and the
#      GPU code in it (cuobjdump: sm_80, sm_90);
#   3. galley's tests that run on the device: tests/self/
#      tensor_device_test.c and every test file of tests/self with a
#      .devices option,
#      GALLEY_CUDA_SIM unset, the repository's galley.conf given
#      `cuda = on` for the run (restored after); a CUDA run reported as
#      skipped fails here, since there is a device;
#   4. bench/cuda.sh (its table in $OUT/bench.txt).
# Ends with a summary, one line per step, and exits 1 when any failed.
#
#   OUT=/tmp/out bench/gpu-check.sh
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
OUT=${OUT:-$here/gpu-check-out}
mkdir -p "$OUT"
unset GALLEY_CUDA_SIM
summary=()
failed=0

# Runs step $1 (a name) as the rest of the words, its output into
# $OUT/$1.log, with a time limit of $LIMIT seconds (default 300).
S_step() {
    local name=$1 rc=0
    shift
    echo "== $name: $*"
    timeout "${LIMIT:-300}" "$@" >"$OUT/$name.log" 2>&1 || rc=$?
    tail -n 30 "$OUT/$name.log"
    if [ "$rc" -ne 0 ]; then
        summary+=("FAILED $name (exit $rc; $OUT/$name.log)")
        failed=1
    else
        summary+=("ok     $name")
    fi
    return "$rc"
}

S_summary() {
    echo
    echo "== gpu-check summary (logs in $OUT)"
    printf '%s\n' "${summary[@]}"
    [ "$failed" -eq 0 ] && echo "gpu-check: all steps passed" ||
        echo "gpu-check: FAILED"
}

# ---- 1. the machine ----
if ! S_step machine sh -c 'nvidia-smi && nvidia-smi -L | grep -q GPU'; then
    echo "gpu-check: no NVIDIA GPU (nvidia-smi): nothing to check here" >&2
    S_summary
    exit 1
fi
nvcc=${NVCC:-/usr/local/cuda/bin/nvcc}
[ -x "$nvcc" ] || nvcc=$(command -v nvcc || true)
if [ -z "$nvcc" ]; then
    summary+=("FAILED nvcc (not at \$NVCC, /usr/local/cuda/bin/nvcc or on PATH)")
    failed=1
    S_summary
    exit 1
fi
export NVCC=$nvcc

# ---- 2. the build ----
# CUDA's libraries to link against: the toolkit's, not stubs (the driver
# is real here).
export GALLEY_WERROR=-Werror
LIMIT=600 S_step build ninja all
if ! grep -q '^version=' build/libgalley-cuda.txt 2>/dev/null; then
    summary+=("FAILED libgalley-cuda not built: $(cat build/libgalley-cuda.txt 2>/dev/null)")
    failed=1
    S_summary
    exit 1
fi
S_step version build/galley --version
# cuobjdump where the toolkit has it; else the ptxas command lines that
# nvcc leaves in the fat binary ("-arch sm_90").
cuobjdump=$(dirname "$nvcc")/cuobjdump
if [ -x "$cuobjdump" ]; then
    S_step sass sh -c "'$cuobjdump' --list-elf build/libgalley-cuda.a |
        tee /dev/stderr | grep -q sm_90"
else
    S_step sass sh -c "strings build/libgalley-cuda.a | grep -- '-arch sm_' |
        tee /dev/stderr | grep -q 'sm_90'"
fi

# ---- 3. the tests on the device ----
export GALLEY_BIN=$here/build/galley
# tests/self only: an e2e test of the option runs a nested galley on a
# throwaway project of its own, which links no CUDA.
files=$(grep -rl --include='*.c' '\.devices' tests/self | LC_ALL=C sort)
if [ -f tests/self/tensor_device_test.c ]; then
    files="tests/self/tensor_device_test.c $files"
else
    summary+=("FAILED tests/self/tensor_device_test.c is missing")
    failed=1
fi
# shellcheck disable=SC2086
files=$(printf '%s\n' $files | awk '!seen[$0]++')
if [ -n "$files" ]; then
    cp galley.conf "$OUT/galley.conf.orig"
    trap 'cp "$OUT/galley.conf.orig" galley.conf' EXIT
    printf '\n# bench/gpu-check.sh, for its run only\ncuda = on\n' >>galley.conf
    # shellcheck disable=SC2086
    S_step tests build/galley run --color=never --no-cache -v $files
    cp "$OUT/galley.conf.orig" galley.conf
    trap - EXIT
    # With a device, no CUDA run may be skipped.
    if grep -i 'skipped' "$OUT/tests.log" | grep -i 'cuda'; then
        summary+=("FAILED a CUDA run was skipped on a machine with a GPU (tests.log)")
        failed=1
    fi
fi

# ---- 4. the benchmark ----
LIMIT=400 S_step bench bench/cuda.sh && cp "$OUT/bench.log" "$OUT/bench.txt"

S_summary
exit "$failed"
