#!/usr/bin/env bash
# tools/install.sh: installs galley under $DESTDIR$PREFIX: the command, the
# header, the static and shared runtime library, a pkg-config file (from
# tools/galley.pc.in), libgalley-cuda and galley-cuda.pc (from
# tools/galley-cuda.pc.in) where the build made them (nvcc was found), a
# CMake package (LIBDIR/cmake/galley, from tools/galleyConfig*.cmake.in and
# tools/galleyAddTests.cmake) and the man pages. `ninja install` runs it;
# `tools/install.sh --uninstall` (`ninja uninstall`) takes it away again.
#
#   PREFIX   where galley will live (default /usr/local)
#   LIBDIR   where its libraries, galley.pc and cmake/galley/ go:
#            relative to PREFIX (default lib; Debian's multiarch layout
#            is LIBDIR=lib/x86_64-linux-gnu) or absolute
#   DESTDIR  a staging directory put before every path (for packages); the
#            files still name PREFIX alone
#   BUILD    the build directory to install from (default build)
#
# Each file and link put there, and each directory made for them, is listed
# in PREFIX/share/galley/install-manifest (paths without DESTDIR).
# --uninstall removes what that list names and the directories it made once
# they are empty, never anything else: run it with the same PREFIX and
# DESTDIR. `galley run` finds its runtime beside its executable in
# PREFIX/lib, PREFIX/lib/<multiarch> or PREFIX/lib64; a LIBDIR elsewhere
# serves pkg-config and CMake users only.
set -eu
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
PREFIX=${PREFIX%/}
DESTDIR=${DESTDIR:-}
BUILD=${BUILD:-build}
LIBDIR=${LIBDIR:-lib}
LIBDIR=${LIBDIR%/}
case $LIBDIR in /*) ;; *) LIBDIR=$PREFIX/$LIBDIR ;; esac
root=$DESTDIR$PREFIX
manifest=$PREFIX/share/galley/install-manifest

S_die() {
    echo "install.sh: $*" >&2
    exit 1
}

# ---- uninstall ----

# Removes what the manifest names under DESTDIR: the files and links, then
# the directories, deepest first, when they are empty.
S_uninstall() {
    [ -f "$DESTDIR$manifest" ] ||
        S_die "no $DESTDIR$manifest: nothing installed there" \
            "(uninstall with the PREFIX and DESTDIR of the install)"
    local paths=() p
    mapfile -t paths <"$DESTDIR$manifest"
    for p in "${paths[@]}"; do
        # A line that could reach outside what install made is refused,
        # whatever wrote it.
        case $p in /*/ | /*[!/]) ;; *) S_die "$manifest: not a path: $p" ;; esac
        case /$p/ in */../* | */./*) S_die "$manifest: not a plain path: $p" ;; esac
    done
    for p in "${paths[@]}"; do
        case $p in */) ;; *) rm -f "$DESTDIR$p" ;; esac
    done
    printf '%s\n' "${paths[@]}" | grep '/$' | LC_ALL=C sort -r |
        while IFS= read -r p; do rmdir "$DESTDIR$p" 2>/dev/null || true; done
    echo "uninstalled galley from $root"
}

if [ "${1-}" = --uninstall ]; then
    S_uninstall
    exit 0
fi
[ $# -eq 0 ] || S_die "usage: tools/install.sh [--uninstall]"

# ---- install ----

VERSION=$(sed -n 's/^#define GALLEY_VERSION "\(.*\)"$/\1/p' lib/include/galley.h)
S_made=()  # what this install put, for the manifest

# Makes directory $1 (a path without DESTDIR) and its missing parents,
# noting each one made ("/a/b/", with the slash that marks a directory).
S_dir() {
    local d=$1 new=()
    while [ "$d" != / ] && [ ! -d "$DESTDIR$d" ]; do
        new+=("$d/")
        d=$(dirname "$d")
    done
    install -d "$DESTDIR$1"
    S_made+=("${new[@]}")
}

# Installs file $2 as $3 (a path without DESTDIR) with mode $1.
S_file() {
    S_dir "$(dirname "$3")"
    install -m "$1" "$2" "$DESTDIR$3"
    S_made+=("$3")
}

# Escapes $1 for the replacement side of a sed s|...|...| command.
S_sed_escape() {
    printf '%s' "$1" | sed 's/[\\|&]/\\&/g'
}

# What a program linking libgalley-cuda needs (tools/cuda.sh's libs line).
CUDA_LIBS=""

# Writes $2 from the template $1, its @PREFIX@, @LIBDIR@, @VERSION@ and
# @CUDA_LIBS@ replaced by $3, $4, VERSION and CUDA_LIBS.
S_fill() {
    sed -e "s|@PREFIX@|$(S_sed_escape "$3")|g" \
        -e "s|@LIBDIR@|$(S_sed_escape "$4")|g" \
        -e "s|@VERSION@|$(S_sed_escape "$VERSION")|g" \
        -e "s|@CUDA_LIBS@|$(S_sed_escape "$CUDA_LIBS")|g" \
        "$1" >"$2"
    ! grep -q '@[A-Z_]*@' "$2" || S_die "$1: a word left unreplaced"
}

# Writes $1.pc into $2 from tools/$1.pc.in. libdir is written through
# ${prefix} when it lies under it, so that pkg-config's --define-prefix and
# sysroot handling see one prefix.
S_pc() {
    local libdir=$LIBDIR
    case $libdir in "$PREFIX"/*) libdir="\${prefix}${libdir#"$PREFIX"}" ;; esac
    S_fill "tools/$1.pc.in" "$2" "$PREFIX" "$libdir"
}

# Quotes $1 for the inside of a CMake "quoted argument".
S_cmake_escape() {
    printf '%s' "$1" | sed 's/[\\"$]/\\&/g'
}

# Writes CMake's package (galleyConfig.cmake, its version file and the
# script that ctest runs to list the tests) into directory $1, which is
# $LIBDIR/cmake/galley under DESTDIR. Where LIBDIR lies under PREFIX the
# prefix is found from the file's own place (../../.. up from
# lib/cmake/galley), so that the package describes a staged or moved
# install as it finds it; elsewhere both are written out whole.
S_cmake() {
    local prefix libdir rel up=""
    prefix=$(S_cmake_escape "$PREFIX")
    libdir=$(S_cmake_escape "$LIBDIR")
    case $LIBDIR in
        "$PREFIX"/*)
            rel=${LIBDIR#"$PREFIX"/}/cmake/galley
            while [ -n "$rel" ]; do
                up=$up/..
                case $rel in */*) rel=${rel#*/} ;; *) rel="" ;; esac
            done
            prefix="\${_galley_here}$up"
            libdir="\${GALLEY_PREFIX}/$(S_cmake_escape "${LIBDIR#"$PREFIX"/}")"
            ;;
    esac
    S_fill tools/galleyConfig.cmake.in "$1/galleyConfig.cmake" \
        "$prefix" "$libdir"
    S_fill tools/galleyConfigVersion.cmake.in \
        "$1/galleyConfigVersion.cmake" "" ""
    install -m 0644 tools/galleyAddTests.cmake "$1/galleyAddTests.cmake"
}

# The man pages are rendered from man/*.md by `ninja` into build/man/ (one
# rendering serves every build variant).
[ -f build/man/galley.1 ] || S_die "build/man/galley.1 is missing: run ninja first"

S_file 0755 "$BUILD/galley" "$PREFIX/bin/galley"
S_file 0644 lib/include/galley.h "$PREFIX/include/galley.h"
for h in lib/include/galley/*.h; do
    if [ -f "$h" ]; then
        S_file 0644 "$h" "$PREFIX/include/galley/${h##*/}"
    fi
done
S_file 0644 "$BUILD/libgalley.a" "$LIBDIR/libgalley.a"
if [ -f "$BUILD/libgalley.so" ]; then
    S_file 0755 "$BUILD/libgalley.so" "$LIBDIR/libgalley.so.0"
    ln -sf libgalley.so.0 "$DESTDIR$LIBDIR/libgalley.so"
    S_made+=("$LIBDIR/libgalley.so")
fi
for m in build/man/*.1 build/man/*.3; do
    S_file 0644 "$m" "$PREFIX/share/man/man${m##*.}/${m##*/}"
done
S_dir "$LIBDIR/pkgconfig"
S_pc galley "$DESTDIR$LIBDIR/pkgconfig/galley.pc"
S_made+=("$LIBDIR/pkgconfig/galley.pc")
# libgalley-cuda: its libgalley-cuda.txt says whether it was built (and
# is what the installed galley reads for --version and cuda = on); the
# sanitizer variant has none.
if [ -f "$BUILD/libgalley-cuda.txt" ]; then
    S_file 0644 "$BUILD/libgalley-cuda.txt" "$LIBDIR/libgalley-cuda.txt"
    CUDA_LIBS=$(sed -n 's/^libs=//p' "$BUILD/libgalley-cuda.txt")
fi
if [ -n "$CUDA_LIBS" ]; then
    [ -f "$BUILD/libgalley-cuda.a" ] && [ -f "$BUILD/libgalley-cuda.so" ] ||
        S_die "$BUILD/libgalley-cuda.txt says built, but the libraries" \
            "are missing: run ninja"
    S_file 0644 "$BUILD/libgalley-cuda.a" "$LIBDIR/libgalley-cuda.a"
    S_file 0755 "$BUILD/libgalley-cuda.so" "$LIBDIR/libgalley-cuda.so.0"
    ln -sf libgalley-cuda.so.0 "$DESTDIR$LIBDIR/libgalley-cuda.so"
    S_made+=("$LIBDIR/libgalley-cuda.so")
    S_pc galley-cuda "$DESTDIR$LIBDIR/pkgconfig/galley-cuda.pc"
    S_made+=("$LIBDIR/pkgconfig/galley-cuda.pc")
fi
S_dir "$LIBDIR/cmake/galley"
S_cmake "$DESTDIR$LIBDIR/cmake/galley"
for f in galleyConfig galleyConfigVersion galleyAddTests; do
    S_made+=("$LIBDIR/cmake/galley/$f.cmake")
done

# The manifest: what this install put, and what an earlier install into
# the same PREFIX had listed (the directories it made above all, which this
# one found there), so that one uninstall takes away every install.
S_dir "${manifest%/*}"
S_made+=("$manifest")
{
    [ ! -f "$DESTDIR$manifest" ] || cat "$DESTDIR$manifest"
    printf '%s\n' "${S_made[@]}"
} | LC_ALL=C sort -u >"$DESTDIR$manifest.tmp"
mv "$DESTDIR$manifest.tmp" "$DESTDIR$manifest"
echo "installed galley $VERSION in $root"
