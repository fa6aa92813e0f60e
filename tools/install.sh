#!/usr/bin/env bash
# tools/install.sh: installs galley under $DESTDIR$PREFIX (PREFIX defaults to
# /usr/local): the command, the header, the static and shared runtime
# library, a pkg-config file and the man pages. `ninja install` runs it.
# BUILD names the build directory to install from (default: build).
set -eu
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BUILD=${BUILD:-build}
VERSION=$(sed -n 's/^#define GALLEY_VERSION "\(.*\)"$/\1/p' lib/include/galley.h)
root=$DESTDIR$PREFIX

install -d "$root/bin" "$root/include" "$root/lib/pkgconfig" \
    "$root/share/man/man1" "$root/share/man/man3"
install -m 0755 "$BUILD/galley" "$root/bin/galley"
install -m 0644 lib/include/galley.h "$root/include/galley.h"
if compgen -G 'lib/include/galley/*.h' >/dev/null; then
    install -d "$root/include/galley"
    install -m 0644 lib/include/galley/*.h "$root/include/galley/"
fi
install -m 0644 "$BUILD/libgalley.a" "$root/lib/libgalley.a"
if [ -f "$BUILD/libgalley.so" ]; then
    install -m 0755 "$BUILD/libgalley.so" "$root/lib/libgalley.so.0"
    ln -sf libgalley.so.0 "$root/lib/libgalley.so"
fi
# The man pages, rendered from man/*.md by `ninja` into build/man/ (one
# rendering serves every build variant).
if [ ! -f build/man/galley.1 ]; then
    echo "install.sh: build/man/galley.1 is missing: run ninja first" >&2
    exit 1
fi
install -m 0644 build/man/*.1 "$root/share/man/man1/"
install -m 0644 build/man/*.3 "$root/share/man/man3/"
cat >"$root/lib/pkgconfig/galley.pc" <<PC
prefix=$PREFIX
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: galley
Description: expect tests for C: the test runtime that TEST and EXPECT use, and tensors
Version: $VERSION
Cflags: -I\${includedir}
Libs: -L\${libdir} -lgalley
Libs.private: -lopenblas -lm
PC
echo "installed galley $VERSION in $root"
