#!/bin/sh
# tools/cuda.sh: builds libgalley-cuda (lib/cuda/*.cu) when nvcc is there,
# run by build.ninja's cuda rule, so that the committed build.ninja is one
# file for machines with and without CUDA: whether nvcc exists is found out
# when ninja runs, not when build.ninja is written.
#
#   tools/cuda.sh OUTDIR LIBGALLEY_SO SOURCE.cu...
#
# (LIBGALLEY_SO's .a beside it links OUTDIR/cuda/host-check.)
#
# Always writes OUTDIR/libgalley-cuda.txt (the rule's one output), lines of
# KEY=VALUE that galley reads (galley --version, galley.conf's cuda = on):
#   version=CUDA 13.0                      built: the toolkit's release
#   libs=-L/usr/local/cuda/lib64 ...       what a program linking it needs
# or
#   reason=nvcc not found when galley was built
# and, when nvcc is found, OUTDIR/libgalley-cuda.a and .so (linked with
# LIBGALLEY_SO, whose symbols the backend calls); when it is not, removes
# them, so that no stale library passes for a built one. nvcc is $NVCC,
# else /usr/local/cuda/bin/nvcc, else the one on PATH. The GPUs compiled
# for are $GALLEY_CUDA_ARCHS (default "80 90": A100, H100), plus PTX of the
# last for newer ones. GALLEY_WERROR (CI's -Werror) makes warnings errors.
set -eu
out=$1
so=$2
shift 2
info=$out/libgalley-cuda.txt
mkdir -p "$out"

nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
    if [ -x /usr/local/cuda/bin/nvcc ]; then
        nvcc=/usr/local/cuda/bin/nvcc
    else
        nvcc=$(command -v nvcc 2>/dev/null || true)
    fi
fi
# The depfile: headers the sources include (nvcc's -MD below), or none.
dep=$info.d
if [ -z "$nvcc" ] || ! command -v "$nvcc" >/dev/null 2>&1; then
    rm -f "$out/libgalley-cuda.a" "$out/libgalley-cuda.so"
    rm -rf "$out/cuda"
    echo "reason=nvcc not found when galley was built" >"$info.tmp"
    echo "$info:" >"$dep"
    mv -f "$info.tmp" "$info"
    exit 0
fi

release=$("$nvcc" --version | sed -n 's/.*release \([0-9][0-9.]*\).*/\1/p')
# The toolkit's libraries, beside its bin/ (a PATH nvcc may be a link).
root=$(cd "$(dirname "$(readlink -f "$(command -v "$nvcc")")")/.." && pwd)
libdir=$root/lib64
[ -d "$libdir" ] || libdir=$root/lib
# cuBLAS is not linked: the backend loads it at its first product (from
# this run path), so that programs start without it.
libs="-L$libdir -Wl,-rpath,$libdir -lcudart -ldl"

gencode=""
last=""
for a in ${GALLEY_CUDA_ARCHS:-80 90}; do
    gencode="$gencode -gencode=arch=compute_$a,code=sm_$a"
    last=$a
done
gencode="$gencode -gencode=arch=compute_$last,code=compute_$last"
werror=""
[ -n "${GALLEY_WERROR:-}" ] && werror="-Werror all-warnings -Xcompiler -Werror"

mkdir -p "$out/cuda"
# The host check of the kernels' per-element code (lib/cuda/host_check.cu,
# run by tests/e2e/cuda_test.c), compiled while the library is: PTX only,
# for one GPU, since it never runs there.
hc_pid=""
if [ -f lib/cuda/host_check.cu ]; then
    # shellcheck disable=SC2086
    "$nvcc" -std=c++17 -O1 -fmad=false \
        -gencode=arch=compute_80,code=compute_80 \
        -Xcompiler -fno-exceptions,-fno-threadsafe-statics,-ffp-contract=off \
        -Xcompiler -Wall,-Wextra $werror -Ilib -Ilib/include \
        -MD -MF "$out/cuda/host_check.o.d" -MT "$info" \
        -c lib/cuda/host_check.cu -o "$out/cuda/host_check.o" &
    hc_pid=$!
fi
objs=""
: >"$dep.tmp"
for src; do
    o=$out/cuda/$(basename "${src%.cu}").o
    # -fmad=false: a * b + c two roundings, as the CPU's -ffp-contract=off.
    # No exceptions and no guarded statics (one thread starts the backend):
    # C calls in, nothing throws, and libstdc++ is not needed.
    # --threads 0: the GPUs' code compiled side by side, one per core (this
    # rule starts late, after libgalley: it is often the build's last).
    # shellcheck disable=SC2086
    "$nvcc" --threads 0 -std=c++17 -O2 -g -fmad=false $gencode \
        -Xcompiler -fPIC,-fno-exceptions,-fno-threadsafe-statics \
        -Xcompiler -Wall,-Wextra $werror -Ilib -Ilib/include \
        -MD -MF "$o.d" -MT "$info" -c "$src" -o "$o"
    cat "$o.d" >>"$dep.tmp"
    objs="$objs $o"
done
mv -f "$dep.tmp" "$dep"
rm -f "$out/libgalley-cuda.a"
# shellcheck disable=SC2086
ar crs "$out/libgalley-cuda.a" $objs
# shellcheck disable=SC2086
${CC:-cc} -shared -Wl,-soname,libgalley-cuda.so.0 -o "$out/libgalley-cuda.so" \
    $objs "$so" $libs
# The host check of the kernels' per-element code, linked (it was compiled
# beside the library, above).
if [ -n "$hc_pid" ]; then
    wait "$hc_pid" || exit 1
    cat "$out/cuda/host_check.o.d" >>"$dep"
    # shellcheck disable=SC2086
    ${CC:-cc} -o "$out/cuda/host-check" "$out/cuda/host_check.o" \
        "${so%.so}.a" -lopenblas -lm $libs
fi
{
    echo "version=CUDA $release"
    echo "libs=$libs"
} >"$info.tmp"
mv -f "$info.tmp" "$info"
