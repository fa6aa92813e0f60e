#!/usr/bin/env bash
# bench/tensor.sh: galley's tensors side by side with PyTorch (a benchmark,
# not a test), in one run, at one thread and at all of them: a training
# step of a 784-256-10 MLP (batch 64, float32, ReLU, cross-entropy, SGD),
# adding two [4] tensors with and without the graph, and matmul 1024x1024
# float32 against cblas_sgemm called directly. bench/tensor_bench.c is
# built against this checkout's build/libgalley.a; bench/tensor_ref.py runs
# with Debian's python3 (python3-torch; its rows are left empty when it is
# missing). galley and torch alternate REPS times (default 5); figures are
# medians. One thread is OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1),
# all threads nproc of each.
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
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-tensor-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046
${CC:-cc} -std=gnu11 -O2 -Ilib/include $(pkg-config --cflags openblas) \
    bench/tensor_bench.c build/libgalley.a -o "$work/bench" \
    $(pkg-config --libs openblas) -lm
py=/usr/bin/python3
all=$(nproc)
# galley and torch alternate, one repetition each per round (each after a
# warm-up of its own), so that a machine busy with something else slows
# both alike; each figure is then the median of its REPS rounds.
for t in 1 "$all"; do
    : >"$work/g$t"
    : >"$work/t$t"
    for r in $(seq "$REPS"); do
        if ! OPENBLAS_NUM_THREADS=$t "$work/bench" 1 >>"$work/g$t" \
            2>"$work/err"; then
            echo "tensor.sh: the galley benchmark failed:" >&2
            cat "$work/err" >&2
            exit 1
        fi
        if [ -x "$py" ]; then
            "$py" bench/tensor_ref.py 1 "$t" >>"$work/t$t" 2>/dev/null || :
        fi
    done
done

# The table: each cell the median of its rounds.
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
W=$work awk -v reps="$REPS" -v all="$all" -v cpu="$cpu" '
    { n = ++cnt[FILENAME, $1]; v[FILENAME, $1, n] = $2 }
    # The median of the values of k in file f ("" when none).
    function cell(f, k,    n, i, j, x, a) {
        n = cnt[f, k]
        if (!n)
            return ""
        for (i = 1; i <= n; i++)
            a[i] = v[f, k, i] + 0
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                x = a[j]; a[j] = a[j - 1]; a[j - 1] = x
            }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    # One row: galley x (unit u) beside reference y (named ref); ratio
    # x / y, or y / x when inv.
    function row(what, t, x, ref, y, u, inv, how, goal,    r) {
        r = ""
        if (x != "" && y != "" && x > 0 && y > 0)
            r = sprintf(inv ? "%.1fx " : "%.2fx ", inv ? y / x : x / y) how
        printf "| %s | %s | %s %s | %s %s %s | %s | %s |\n", what, t, x, u,
            ref, y, u, r, goal
    }
    END {
        print "machine: " cpu ", " all " threads; medians of " reps
        print ""
        print "| measurement | threads | galley | reference | ratio | goal |"
        print "|---|---|---|---|---|---|"
        split(all == 1 ? "1" : "1 " all, ts, " ")
        for (i = 1; i in ts; i++) {
            t = ts[i]; g = ENVIRON["W"] "/g" t; r = ENVIRON["W"] "/t" t
            row("MLP 784-256-10 step (batch 64, f32, SGD)", t,
                cell(g, "mlp_us"), "torch", cell(r, "torch_mlp_us"), "us",
                0, "the time", "<= 0.8x")
            row("add [4] + [4]", t, cell(g, "add_ns"), "torch",
                cell(r, "torch_add_ns"), "ns", 1, "faster", ">= 10x")
            row("the same, recording the graph", t, cell(g, "add_graph_ns"),
                "torch", cell(r, "torch_add_graph_ns"), "ns", 1, "faster",
                ">= 10x")
            row("matmul 1024x1024 f32", t, cell(g, "matmul_galley_ms"),
                "cblas_sgemm", cell(g, "matmul_cblas_ms"), "ms", 0,
                "the time", "<= 1.05x")
        }
        print ""
        print "reproduce: ninja && REPS=" reps " bench/tensor.sh"
    }' "$work"/g* "$work"/t*
