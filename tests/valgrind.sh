#!/usr/bin/env bash
# tests/valgrind.sh: the tensor test programs (tests/self/tensor_*_test.c and
# the tensor examples) run under valgrind's memcheck, their tests one after
# the other in one process (--galley-no-fork): a program passes when every
# test it lists ran to its end and memcheck reports no error and no definite
# leak. (ASan covers the whole suite; this is the second opinion the tensor
# issue asks for, on code that manages its own pools.) The files are linked
# into one program per core (a TEST's functions are static and register
# themselves, so test files link together): memcheck's start, and the
# reading of libgalley's debug information, then happen once per core
# rather than once per file, which was two thirds of the time. A program
# that fails is checked again file by file, so that the report names the
# file. Ends with the line "N passed, N failed", a file each. Needs
# build/libgalley.a (ninja) and valgrind.
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

# Checks the program made of the files after its name; writes its verdict
# (first line "clean", or what went wrong) to $work/NAME.verdict.
check() {
    local name=$1 bin=$work/$1 src objs=()
    shift
    {
        for src in "$@"; do
            objs+=("$work/$name.$(basename "$src" .c).o")
            if ! cc -std=gnu11 -g -O1 -Ilib/include -c "$src" \
                    -o "${objs[-1]}" 2>"$work/$name.cc"; then
                echo "$src does not compile:"
                sed 's/^/  /' "$work/$name.cc"
                return
            fi
        done
        if ! cc "${objs[@]}" build/libgalley.a -o "$bin" -lopenblas -lm \
                2>"$work/$name.cc"; then
            echo "does not link:"
            sed 's/^/  /' "$work/$name.cc"
            return
        fi
        mkdir -p "$work/$name.logs"
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

srcs=(tests/self/tensor_*_test.c examples/tests/train_test.c
      examples/tests/gradcheck_test.c)
cores=$(nproc 2>/dev/null || echo 2)
# Group k of the files: every cores-th one from the k-th.
group() {
    local k=$1 i
    for ((i = k; i < ${#srcs[@]}; i += cores)); do echo "${srcs[i]}"; done
}
for ((k = 0; k < cores; k++)); do
    mapfile -t files < <(group "$k")
    [ "${#files[@]}" -gt 0 ] && check "group$k" "${files[@]}" &
done
wait
passed=0 failed=0
for ((k = 0; k < cores; k++)); do
    mapfile -t files < <(group "$k")
    [ "${#files[@]}" -gt 0 ] || continue
    if [ "$(head -n 1 "$work/group$k.verdict" 2>/dev/null)" = clean ]; then
        for src in "${files[@]}"; do
            echo "valgrind: $src: clean"
            passed=$((passed + 1))
        done
        continue
    fi
    # Which file: each again on its own.
    before=$failed
    for src in "${files[@]}"; do
        name=$(basename "$src" .c)
        check "$name" "$src"
        v=$work/$name.verdict
        if [ "$(head -n 1 "$v" 2>/dev/null)" = clean ]; then
            echo "valgrind: $src: clean"
            passed=$((passed + 1))
        else
            echo "valgrind: $src: $(head -n 1 "$v" 2>/dev/null || echo 'no verdict')"
            tail -n +2 "$v" 2>/dev/null
            failed=$((failed + 1))
        fi
    done
    # A program of files each clean alone failed together: say so.
    if [ "$failed" -eq "$before" ]; then
        echo "valgrind: the program of ${files[*]}: $(head -n 1 "$work/group$k.verdict")"
        tail -n +2 "$work/group$k.verdict"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
