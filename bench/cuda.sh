#!/usr/bin/env bash
# bench/cuda.sh: galley's tensors on a CUDA GPU (a benchmark, not a test):
# matmul 4096 x 4096 float32 through galley against cublasSgemm called
# directly (the target: galley at 90% of cuBLAS or better), a training
# step of the 784-256-10 MLP (batch 64) on the CPU and on the GPU, and one
# tiny op on the GPU (bound by the launch); torch on the same GPU beside
# them where a CUDA torch is importable (its cells empty otherwise).
# bench/cuda_bench.c is built against this checkout's build/libgalley.a
# and the whole of build/libgalley-cuda.a (ninja builds it where nvcc is
# found); bench/cuda_ref.py is torch's side. Figures are medians of REPS
# (default 5) repetitions; galley's run first, then torch's.
#
#   ninja && bench/cuda.sh
#   REPS=9 PYTHON=/path/to/venv/bin/python bench/cuda.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}
PYTHON=${PYTHON:-python3}
cd "$here"
S_die() {
    echo "cuda.sh: $*" >&2
    exit 2
}
[ -f build/libgalley.a ] || S_die "no build/libgalley.a (run ninja first)"
grep -q '^version=' build/libgalley-cuda.txt 2>/dev/null ||
    S_die "libgalley-cuda was not built:" \
        "$(cat build/libgalley-cuda.txt 2>/dev/null || echo 'no info (ninja)')"
cudalibs=$(sed -n 's/^libs=//p' build/libgalley-cuda.txt)
cudainc=$(echo "$cudalibs" | sed -n 's|^-L\([^ ]*\)/lib[0-9]*.*|\1/include|p')
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-cuda-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# -lcublas: the bench's own cublasSgemm (galley loads it when it needs it).
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=gnu11 -O2 -Ilib/include -I"$cudainc" bench/cuda_bench.c \
    -Wl,--whole-archive build/libgalley-cuda.a -Wl,--no-whole-archive \
    build/libgalley.a $cudalibs -lcublas $(pkg-config --libs openblas) -lm \
    -o "$work/bench"

"$work/bench" "$REPS" >"$work/g" 2>"$work/err" || {
    echo "cuda.sh: the galley benchmark failed:" >&2
    cat "$work/err" >&2
    exit 1
}
"$PYTHON" bench/cuda_ref.py "$REPS" >"$work/t" 2>>"$work/err" || :

gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "GPU: ${gpu:-unknown}; CPU: $cpu; medians of $REPS"
sed 's/^/  /' "$work/err"
awk '
    FILENAME ~ /\/g$/ { g[$1] = $2 }
    FILENAME ~ /\/t$/ { t[$1] = $2 }
    function row(what, gk, rk, rname, tk,    ratio) {
        ratio = ""
        if (rk != "" && (rk in g) && g[gk] > 0)
            ratio = sprintf("%.0f%%", 100 * g[rk] / g[gk])
        printf "%-30s %12s %14s %8s %12s\n", what, g[gk],
            rk == "" ? "" : g[rk] " " rname, ratio, t[tk]
    }
    END {
        printf "%-30s %12s %14s %8s %12s\n", "", "galley", "reference",
            "ref/gal", "torch"
        row("matmul 4096 f32 GPU (ms)", "matmul_galley_ms", "matmul_cublas_ms",
            "cuBLAS", "torch_matmul_ms")
        row("MLP step CPU (us)", "mlp_cpu_us", "", "", "")
        row("MLP step GPU (us)", "mlp_cuda_us", "mlp_cpu_us", "CPU", "torch_mlp_cuda_us")
        row("add [4] GPU (us/op)", "tiny_add_cuda_us", "", "", "torch_tiny_add_cuda_us")
    }' "$work/g" "$work/t"
