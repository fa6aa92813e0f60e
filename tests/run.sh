#!/usr/bin/env bash
# tests/run.sh: galley's whole test suite for one build variant (default or
# asan): the plain C unit harness, the promote golden files, and galley's own
# EXPECT tests (tests/self, tests/e2e) run by galley, galley's own
# documents (README.md, man/*.md), the fuzz targets' corpora
# (tests/fuzz/run.sh), and for the default variant the example project and
# the tensor programs under valgrind.
# Ends with the line "N passed, N failed", summed over the parts.
set -u
variant=${1:-default}
cd "$(dirname "$0")/.." || exit 2
case $variant in
    default) bin=build ;;
    asan) bin=build/asan
          # Crashes inside test programs must stay signals (galley reports
          # "crashed (SIGSEGV)"), not ASan reports that exit 1.
          export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0}
          export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} ;;
    *) echo "usage: tests/run.sh [default|asan]" >&2; exit 2 ;;
esac
export GALLEY_BIN=$PWD/$bin/galley
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs one part, adds its "N passed, N failed" to the totals. A part that
# prints no such line but fails counts as one failure.
part() {
    local name=$1; shift
    echo "== $name ($variant)"
    local t0=$SECONDS
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    echo "($name took $((SECONDS - t0)) s)"
    local line
    line=$(grep -aE '^([a-z-]+: )?[0-9]+ passed( \([0-9]+ cached\))?, [0-9]+ failed' "$log" | tail -n 1)
    if [ -n "$line" ]; then
        local p f
        p=$(sed -E 's/^([a-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
        passed=$((passed + p)); failed=$((failed + f))
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
    elif [ "$rc" -ne 0 ]; then
        echo "$name: failed with status $rc and no summary"
        failed=$((failed + 1))
    fi
}

# The committed build.ninja is what tools/genbuild.sh writes.
genbuild_check() {
    if tools/genbuild.sh | cmp -s - build.ninja; then
        echo "genbuild: 1 passed, 0 failed"
    else
        echo "build.ninja differs from what tools/genbuild.sh writes: run it"
        echo "genbuild: 0 passed, 1 failed"
        return 1
    fi
}
[ "$variant" = default ] && part genbuild genbuild_check
part unit "$bin/unit-tests"
part promote-golden "$bin/promote-golden" tests/promote/cases
# The suite of record runs every test: no result comes from the cache.
part self "$bin/galley" run --color=never --no-cache tests/self
# The sanitizer variant runs the e2e files without LeakSanitizer (30 ms at
# the exit of each of their thousands of processes, a fifth of the
# variant's time, which CI's 5 minutes lack; the galley command's leaks are
# checked by the self and examples parts, which it runs, and the layers
# below by unit and promote-golden). It also leaves out the files whose
# worth is elsewhere than in galley's memory: those that drive other
# programs (Emacs, Vim, Neovim, VS Code's task; CMake, ctest, make, Meson,
# pkg-config and tools/install.sh; nvcc and libgalley-cuda, which the
# sanitizer build does not make; and the two tests that do so in files
# kept: galley.h built by g++ and clang++ as C++20, and a tensor program
# against an install), race_test's hundred editor saves and kills during
# promote, and the watch tests of the ways editors save and files come and
# go (the watcher's own code runs under ASan in the watch tests kept: a
# save during a run, a compile error then the fix, auto-promote, the test
# at a line, what watch refuses); the galley commands they run are the
# ones the other e2e files run under ASan.
if [ "$variant" = asan ]; then
    ASAN_OPTIONS=${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0} \
        part e2e "$bin/galley" run --color=never --no-cache \
        --filter='^(?!tests/e2e/((editors|race|toolchain|install|cuda)_test\.c:|header_test\.c:the_header_compiles|tensor_test\.c:an_installed_galley|watch_test\.c:(each_way|on_a_terminal|auto_promote_does_not|a_hanging|new_and_deleted|headers_and_code)))' tests/e2e
else
    part e2e "$bin/galley" run --color=never --no-cache tests/e2e
fi
# The example project, as README's first command runs it, but with the
# simulated CUDA device (galley_tensor(3)), so that the training test's
# GPU run (.devices) runs here and is checked against the same
# expectations as the CPU's instead of being skipped. The default variant
# only: what the examples run (tensors, the simulated device, plots) runs
# under the sanitizers in the self part's tensor and plot tests (the
# examples' training took 10 s of the variant's time, which CI's 5
# minutes lack).
examples() { (cd examples && GALLEY_CUDA_SIM=1 "../$bin/galley" run --color=never --no-cache); }
[ "$variant" = default ] && part examples examples
# galley's own documents are Markdown tests (galley(3), "Markdown
# documents"): README's tour and examples, and the man pages' C examples
# (man/ is searched: a page runs when it opts in), so that they cannot
# drift from the program. Built with the root galley.conf; a few seconds
# cold, under a second after the self part has built the sources.
part docs "$bin/galley" run --color=never --no-cache README.md man
# The fuzz targets' corpora, replayed through their properties (the
# fuzzing itself is `ninja fuzz`: tests/fuzz/run.sh says how).
part fuzz tests/fuzz/run.sh "$bin"
# memcheck's view of the tensor programs (the asan variant has its own).
[ "$variant" = default ] && part valgrind tests/valgrind.sh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
