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
