#!/bin/sh
# tools/genbuild.sh: writes build.ninja on stdout. The lists below are the
# one place that names galley's source files: a new .c file is one line in
# its list, and build.ninja regenerates itself when this file changes (ninja
# then restarts with the new one). Each file becomes an object in every
# variant: the default build in build/, AddressSanitizer + UBSan in
# build/asan/. tests/run.sh checks that the committed build.ninja is what
# this script writes.
#
#   tools/genbuild.sh > build.ninja
set -eu

# libgalley: the runtime linked into every test program, and the tensors.
runtime="
lib/alloc.c
lib/capture.c
lib/child.c
lib/marks.c
lib/proto.c
lib/runtime.c
lib/supervise.c
lib/transcript.c
lib/tensor.c
lib/tensor_shape.c
lib/tensor_cpu.c
lib/tensor_device.c
lib/tensor_sim.c
lib/tensor_ops.c
lib/tensor_elem.c
lib/tensor_reduce.c
lib/tensor_nn.c
lib/tensor_conv.c
lib/tensor_autograd.c
lib/tensor_optim.c
lib/tensor_io.c
lib/tensor_gradcheck.c
lib/tensor_rng.c
lib/tensor_print.c
lib/tensor_view.c
"

# libgalley-cuda: the CUDA backend, compiled by nvcc when there is one
# (tools/cuda.sh; see the cuda rule). Default variant only: the sanitizer
# variant's test programs run on the CPU (and ASan does not see into
# device memory).
cuda="
lib/cuda/backend.cu
"

# The charts, in libgalley and in the galley command (galley plot), on
# libgalley's floor (its allocator and buffer), which the command links too.
plot_floor="
lib/alloc.c
"
plot="
plot/base.c
plot/plot.c
plot/canvas.c
plot/axis.c
plot/frame.c
plot/kinds.c
"

# Charts of tensors: libgalley only.
plot_tensor="
plot/plot_tensor.c
"

# source/: the source model below galley run and galley promote.
core="
source/util.c
source/options.c
source/source.c
source/atomic.c
source/scan.c
source/normalize.c
source/escape.c
source/rewrite.c
source/markdown.c
source/includes.c
"

# galley promote.
promote="
promote/state.c
promote/promote.c
promote/patch.c
"

# The rest of the galley command.
command="
runner/main.c
runner/run.c
runner/match.c
runner/filter.c
runner/config.c
runner/discover.c
runner/crash.c
runner/build.c
runner/exec.c
runner/results.c
runner/compare.c
runner/reconcile.c
runner/diff.c
runner/review.c
runner/report.c
runner/numbers.c
runner/formats.c
runner/shard.c
runner/init.c
runner/progress.c
runner/changed.c
runner/watch.c
runner/cache.c
runner/failed.c
runner/paths.c
plot/cli.c
"

# The plain C unit tests, and the modules they test beyond core.
unit="
tests/unit/main.c
tests/unit/test_scan.c
tests/unit/test_normalize.c
tests/unit/test_escape.c
tests/unit/test_numbers.c
tests/unit/test_match.c
tests/unit/test_filter.c
tests/unit/test_paths.c
tests/unit/test_results.c
runner/results.c
runner/numbers.c
runner/match.c
runner/filter.c
runner/paths.c
"

# The golden tests of promote.
golden="
tests/promote/golden.c
"

# The fuzz targets (tests/fuzz/run.sh), each one file linked with the
# parsers of user sources and what they use; built by clang (libFuzzer) with
# ASan and UBSan, by `ninja fuzz` only, so a machine without clang builds the
# rest; and in each variant, by gcc, as replayers of their corpora.
fuzz_targets="
scan_fuzz
markdown_fuzz
"
fuzz_sources="
source/util.c
source/scan.c
source/normalize.c
source/escape.c
source/rewrite.c
source/markdown.c
"

# The man pages, written in Markdown.
man="
galley.1
galley.3
galley_tensor.3
galley_plot.3
"

# ---- writing ----

# Prints the object of source $2 in build directory $1.
obj() {
    printf '%s/%s.o' "$1" "${2%.c}"
}

# Prints the objects of the files of list $2 in build directory $1, each
# on a continued line.
objs() {
    for f in $2; do
        printf ' $\n    %s' "$(obj "$1" "$f")"
    done
}

# The tensor kernels (lib/tensor_cpu.c). At -O2, GCC 12 vectorizes only
# loops whose trip count is a known multiple of the vector width (its "very
# cheap" cost model): 14 of the kernels' loops. The "cheap" model adds a
# runtime alias check and a scalar tail, and vectorizes 106 of them.
# -fno-math-errno makes sqrt one instruction (galley never reads errno from
# libm). No -ffast-math: every result stays IEEE's, in the same order, and
# -ffp-contract=off keeps a * b + c two roundings (no FMA) on every
# machine, -march=native included.
kernel_flags="-fvect-cost-model=cheap -fno-math-errno -ffp-contract=off"

# Prints a compile statement for each file of list $3 in build directory
# $1 whose variant flags are $2, once per object.
compile() {
    for f in $3; do
        o=$(obj "$1" "$f")
        case " $seen " in *" $o "*) continue ;; esac
        seen="$seen $o"
        echo "build $o: cc $f"
        extra=$2
        case $f in
        plot/*) extra="$extra -Iplot" ;;
        runner/build.c)
            extra="$extra -DGALLEY_MULTIARCH=\$multiarch"
            [ -n "$2" ] && extra="$extra -DGALLEY_RUNTIME_FLAGS='\"$2\"'" ;;
        lib/tensor_cpu.c) extra="$extra $kernel_flags" ;;
        esac
        # The sanitizer variant's own objects at -O1 (ASan's advice): they
        # build in two thirds of the time, which CI's 5 minutes need; the
        # test programs it builds keep its flags as they are.
        [ -n "$2" ] && extra="-O1 $extra"
        extra=${extra# }
        [ -n "$extra" ] && echo "  extra = $extra"
    done
    return 0
}

# Prints the statements of one variant: build directory $1, flags $2.
variant() {
    d=$1
    seen=""
    echo "# ---- $d: libgalley ----"
    echo
    compile "$d" "$2" "$runtime $plot $plot_tensor"
    echo
    echo "build $d/libgalley.a: ar$(objs "$d" "$runtime $plot $plot_tensor")"
    if [ -z "$2" ]; then
        echo "build $d/libgalley.so: so$(objs "$d" "$runtime $plot $plot_tensor")"
    fi
    echo
    echo "# ---- $d: the galley command ----"
    echo
    compile "$d" "$2" "$core $promote $command"
    echo
    echo "build $d/galley: link$(objs "$d" "$command $promote $core $plot $plot_floor") $"
    echo "    | $d/libgalley.a"
    [ -n "$2" ] && echo "  extra = $2"
    echo '  libs = $deps_libs -lm'
    echo
    echo "# ---- $d: galley's own test programs ----"
    echo
    compile "$d" "$2" "$unit $golden"
    echo "build $d/unit-tests: link$(objs "$d" "$unit $core")"
    [ -n "$2" ] && echo "  extra = $2"
    echo '  libs = $deps_libs'
    echo "build $d/promote-golden: link$(objs "$d" "$golden $promote $core")"
    [ -n "$2" ] && echo "  extra = $2"
    echo '  libs = $deps_libs'
    # The fuzz targets' replayers (tests/fuzz/replay.c): the suite runs
    # their corpora with these, gcc-built, in both variants.
    compile "$d" "$2" "tests/fuzz/replay.c"
    for t in $fuzz_targets; do
        compile "$d" "$2" "tests/fuzz/$t.c"
        echo "build $d/${t%_fuzz}-replay: link$(objs "$d" "tests/fuzz/replay.c tests/fuzz/$t.c $core")"
        [ -n "$2" ] && echo "  extra = $2"
        echo '  libs = $deps_libs'
    done
    echo
}

cat <<'EOF'
# build.ninja: builds galley, libgalley (static and shared), libgalley-cuda
# where nvcc is found, galley's own test programs and the man pages. Variants: the default build in build/,
# AddressSanitizer + UndefinedBehaviorSanitizer in build/asan/.
#
#   ninja              build everything of the default variant
#   ninja test         run the whole test suite (tests/run.sh)
#   ninja asan         build the sanitizer variant
#   ninja test-asan    run the whole suite under ASan + UBSan
#   ninja install      install under $PREFIX (default /usr/local), $DESTDIR,
#                      libraries in $LIBDIR (default lib; see tools/install.sh)
#   ninja uninstall    remove what ninja install put there
#
# Written by tools/genbuild.sh, which lists the source files: edit that
# script (a new file is one line there), not this file; ninja runs it again
# when it changes. The warning list lives here, in one place. CI exports
# GALLEY_WERROR=-Werror (read by the shell at build time) to turn warnings
# into errors.

ninja_required_version = 1.10
builddir = build

cc = cc
# PCRE2 and libgit2 are found through pkg-config, asked by the shell when a
# command runs (ninja itself has no way to call it).
deps_cflags = $$(pkg-config --cflags libgit2 libpcre2-8 libcmark openblas)
deps_libs = $$(pkg-config --libs libgit2 libpcre2-8 libcmark)
# What libgalley's tensors link with.
blas_libs = -lopenblas -lm
# The compiler's multiarch triplet (Debian's x86_64-linux-gnu) as a C
# string, or "": where galley looks for its runtime in an install whose
# LIBDIR is lib/TRIPLET (runner/build.c).
multiarch = '"'$$($cc -print-multiarch 2>/dev/null)'"'
warnings = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
cflags = -std=gnu11 -O2 -g -fPIC $warnings -Ilib/include $deps_cflags
san = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

rule cc
  command = $cc $cflags $${GALLEY_WERROR-} $extra -MD -MF $out.d -c $in -o $out
  depfile = $out.d
  deps = gcc
  description = CC $out

rule ar
  command = rm -f $out && ar crs $out $in
  description = AR $out

rule so
  command = $cc -shared -Wl,-soname,libgalley.so.0 $extra -o $out $in $blas_libs
  description = SO $out

rule link
  command = $cc $extra -o $out $in $libs
  description = LINK $out

rule run_tests
  command = tests/run.sh $variant
  pool = console
  description = TEST $variant

rule install
  command = tools/install.sh
  pool = console
  description = INSTALL

rule uninstall
  command = tools/install.sh --uninstall
  pool = console
  description = UNINSTALL

# libgalley-cuda, when nvcc is found as ninja runs (tools/cuda.sh): the
# one output, build/libgalley-cuda.txt, says whether it was built; the
# libraries beside it are written or removed with it. So this file stays
# the same on machines with and without CUDA.
rule cuda
  command = tools/cuda.sh $builddir $so $in
  depfile = $out.d
  deps = gcc
  description = CUDA $out

rule genbuild
  command = tools/genbuild.sh > build.ninja.tmp && mv build.ninja.tmp build.ninja
  generator = 1
  description = GEN build.ninja

# The fuzz targets: one clang command each (a few files; no depfile, the
# headers they read are listed).
fuzz_cc = clang
fuzz_flags = -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined $
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer
rule fuzz
  command = $fuzz_cc $fuzz_flags $warnings -Ilib/include $
    $$(pkg-config --cflags libcmark libgit2) -o $out $in $
    $$(pkg-config --libs libcmark libgit2)
  description = FUZZ $out

# Man pages are kept as Markdown in man/ and rendered with cmark's man
# renderer (tools/mdman.sh); the lint (mandoc, groff) must be clean.
rule mdman
  command = tools/mdman.sh $in $out
  description = MAN $out

rule manlint
  command = tools/manlint.sh $out $in
  description = MANLINT $out

build build.ninja: genbuild | tools/genbuild.sh

EOF

variant build ""
variant build/asan '$san'

echo "# ---- fuzz targets: build/fuzz/, by clang, \`ninja fuzz\` only ----"
echo
fuzz_all=""
for t in $fuzz_targets; do
    printf 'build build/fuzz/%s: fuzz tests/fuzz/%s.c' "$t" "$t"
    for f in $fuzz_sources; do
        printf ' $\n    %s' "$f"
    done
    printf ' $\n'
    printf '    | tests/fuzz/fuzz.h source/escape.h source/markdown.h $\n'
    printf '    source/normalize.h source/rewrite.h source/scan.h source/util.h\n'
    fuzz_all="$fuzz_all build/fuzz/$t"
done
echo "build fuzz: phony$fuzz_all"
echo

echo "# ---- libgalley-cuda: build/, when nvcc is found (tools/cuda.sh) ----"
echo
printf 'build build/libgalley-cuda.txt: cuda'
for f in $cuda; do
    printf ' %s' "$f"
done
printf ' | tools/cuda.sh lib/cuda/host_check.cu build/libgalley.so'
printf ' build/libgalley.a\n'
printf '  so = build/libgalley.so\n'
echo

echo "# ---- man pages: Markdown in man/, roff in build/man/ ----"
echo
pages=""
for m in $man; do
    echo "build build/man/$m: mdman man/$m.md | tools/mdman.sh lib/include/galley.h"
    pages="$pages build/man/$m"
done
printf 'build build/man/lint.stamp: manlint%s | tools/manlint.sh\n' "$pages"
cat <<'EOF'
build man: phony build/man/lint.stamp

build all: phony build/galley build/libgalley.a build/libgalley.so $
    build/libgalley-cuda.txt build/unit-tests build/promote-golden build/scan-replay $
    build/markdown-replay man
default all

build test: run_tests | all
  variant = default

build asan: phony build/asan/galley build/asan/libgalley.a $
    build/asan/unit-tests build/asan/promote-golden build/asan/scan-replay $
    build/asan/markdown-replay man

build test-asan: run_tests | asan
  variant = asan

build install: install | all
build uninstall: uninstall
EOF
