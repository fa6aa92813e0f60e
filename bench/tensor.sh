#!/usr/bin/env bash
# bench/tensor.sh: benchmarks of galley's tensors side by side with PyTorch
# and numpy (a benchmark, not a test). Builds bench/tensor_bench.c against
# this checkout's build/libgalley.a, runs it, then bench/tensor_ref.py with
# Debian's python3 (python3-torch, python3-numpy; rows are skipped when
# they are missing). Figures are medians of REPS repetitions (default 5).
#
#   ninja && bench/tensor.sh
#   REPS=9 bench/tensor.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}
cd "$here"
if [ ! -f build/libgalley.a ]; then
    echo "tensor.sh: no build/libgalley.a (run ninja first)" >&2
    exit 2
fi
bin=$(mktemp "${TMPDIR:-/tmp}/galley-tensor-bench.XXXXXX")
trap 'rm -f "$bin"' EXIT
# shellcheck disable=SC2046
cc -std=gnu11 -O2 -Ilib/include $(pkg-config --cflags openblas) \
    bench/tensor_bench.c build/libgalley.a -o "$bin" \
    $(pkg-config --libs openblas) -lm
echo "== galley (OpenBLAS threads: ${OPENBLAS_NUM_THREADS:-default})"
"$bin" "$REPS"
py=/usr/bin/python3
if [ -x "$py" ]; then
    echo "== reference ($py)"
    "$py" bench/tensor_ref.py "$REPS"
else
    echo "== reference: no $py"
fi
