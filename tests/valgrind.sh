#!/usr/bin/env bash
# tests/valgrind.sh: the tensor test programs (tests/self/tensor_*_test.c and
# the tensor examples) run under valgrind's memcheck, their tests one after
# the other in one process (--galley-no-fork): a file passes when every test
# it lists ran to its end and memcheck reports no error and no definite
# leak. (ASan covers the whole suite; this is the second opinion the tensor
# issue asks for, on code that manages its own pools.) Ends with the line
# "N passed, N failed". Needs build/libgalley.a (ninja) and valgrind.
set -u
cd "$(dirname "$0")/.." || exit 2
if ! command -v valgrind >/dev/null; then
    echo "valgrind: not installed (tools/install-deps.sh --dev installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
# OpenBLAS's worker threads make valgrind slow and add nothing here.
export OPENBLAS_NUM_THREADS=1

# Checks one file; writes its verdict (first line "clean", or what went
# wrong) to $work/NAME.verdict.
check() {
    local src=$1 name bin
    name=$(basename "$src" .c)
    bin=$work/$name
    {
        if ! cc -std=gnu11 -g -O1 -Ilib/include "$src" build/libgalley.a \
                -o "$bin" -lopenblas -lm 2>"$work/$name.cc"; then
            echo "does not compile:"
            sed 's/^/  /' "$work/$name.cc"
            return
        fi
        mkdir -p "$work/$name.logs"
        # The tests run one after the other in one process (no fork per
        # test): memcheck's leak check at each test process's exit was
        # two thirds of the time. Every test must still run to its end.
        "$bin" --galley-list >"$work/$name.list" 2>&1
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
            --error-exitcode=99 --log-file="$work/$name.logs/%p" \
            "$bin" --galley-no-fork >"$work/$name.out" 2>&1
        # Every process wrote a log; with -q, memcheck's reports are the
        # lines "==PID== ..." (valgrind's own notes, such as a syscall it
        # does not know, are "--PID-- ..." and do not count).
        if cat "$work/$name.logs"/* | grep -qE "^==[0-9]+=="; then
            echo "memcheck reports:"
            cat "$work/$name.logs"/* | grep -E "^==[0-9]+==" |
                sed 's/^/  /' | head -n 60
        elif [ "$(grep -c '^== .* returned$' "$work/$name.out")" != \
               "$(wc -l <"$work/$name.list")" ]; then
            echo "not every test ran to its end:"
            tail -n 5 "$work/$name.out" | sed 's/^/  /'
        else
            echo clean
        fi
    } >"$work/$name.verdict"
}

# The files are checked side by side, one per core; verdicts in order.
srcs=(tests/self/tensor_*_test.c examples/tests/train_test.c
      examples/tests/gradcheck_test.c)
cores=$(nproc 2>/dev/null || echo 2)
for src in "${srcs[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$cores" ]; do
        wait -n
    done
    check "$src" &
done
wait
passed=0 failed=0
for src in "${srcs[@]}"; do
    v=$work/$(basename "$src" .c).verdict
    if [ "$(head -n 1 "$v" 2>/dev/null)" = clean ]; then
        echo "valgrind: $src: clean"
        passed=$((passed + 1))
    else
        echo "valgrind: $src: $(head -n 1 "$v" 2>/dev/null || echo 'no verdict')"
        tail -n +2 "$v" 2>/dev/null
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
