#!/usr/bin/env bash
# tests/valgrind.sh: the tensor test programs (tests/self/tensor_*_test.c and
# the tensor examples) run under valgrind's memcheck, every test process
# included: a file passes when no process reports an error or a definite
# leak. (ASan covers the whole suite; this is the second opinion the tensor
# issue asks for, on code that manages its own pools.) Ends with the line
# "N passed, N failed". Needs build/libgalley.a (ninja) and valgrind.
set -u
cd "$(dirname "$0")/.." || exit 2
if ! command -v valgrind >/dev/null; then
    echo "valgrind: not installed (tools/install-deps.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
# OpenBLAS's worker threads make valgrind slow and add nothing here.
export OPENBLAS_NUM_THREADS=1
for src in tests/self/tensor_*_test.c examples/tests/train_test.c \
           examples/tests/gradcheck_test.c; do
    name=$(basename "$src" .c)
    bin=$work/$name
    # shellcheck disable=SC2046
    if ! cc -std=gnu11 -g -O1 -Ilib/include "$src" build/libgalley.a \
            -o "$bin" -lopenblas -lm 2>"$work/$name.cc"; then
        echo "valgrind: $src: does not compile:"
        sed 's/^/  /' "$work/$name.cc"
        failed=$((failed + 1))
        continue
    fi
    mkdir -p "$work/$name.logs"
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$work/$name.logs/%p" \
        "$bin" --galley-timeout=600000 >"$work/$name.out" 2>&1
    # Every process wrote a log; with -q, memcheck's reports are the lines
    # "==PID== ..." (valgrind's own notes, such as a syscall it does not
    # know, are "--PID-- ..." and do not count).
    if cat "$work/$name.logs"/* | grep -qE "^==[0-9]+=="; then
        echo "valgrind: $src: memcheck reports:"
        cat "$work/$name.logs"/* | grep -E "^==[0-9]+==" | sed 's/^/  /' | head -n 60
        failed=$((failed + 1))
    elif ! tail -n 1 "$work/$name.out" | grep -q " ok, 0 failed$"; then
        echo "valgrind: $src: not every test ran to its end:"
        grep -E "^(---|===)" "$work/$name.out" | grep -v -- "--- ok" |
            sed 's/^/  /' | head -n 20
        failed=$((failed + 1))
    else
        echo "valgrind: $src: clean"
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
