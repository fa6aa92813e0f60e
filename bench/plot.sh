#!/usr/bin/env bash
# bench/plot.sh: a benchmark of plot/ (not a test): N points (default
# 1,000,000) of a line and a scatter plot into an 80 x 24 canvas of each
# kind, medians of REPS formats (default 5), and the growth of peak memory
# from a 1,000-point plot to the N-point ones (the points themselves are
# allocated before, so the figure is what drawing takes).
#
#   ninja && bench/plot.sh
#   REPS=9 N=1000000 bench/plot.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}
N=${N:-1000000}
cd "$here"
if [ ! -f build/libgalley.a ]; then
    echo "plot.sh: no build/libgalley.a (run ninja first)" >&2
    exit 2
fi
bin=$(mktemp "${TMPDIR:-/tmp}/galley-plot-bench.XXXXXX")
trap 'rm -f "$bin"' EXIT
cc -std=gnu11 -O2 -Ilib/include bench/plot_bench.c build/libgalley.a \
    -o "$bin" -lopenblas -lm
"$bin" "$REPS" "$N"
