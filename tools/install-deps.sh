#!/usr/bin/env bash
# tools/install-deps.sh: installs the Debian packages that galley needs,
# only those missing, so a second run costs nothing.
#
#   tools/install-deps.sh          to build galley and run its tests of
#                                  your code: the compiler, ninja,
#                                  pkg-config, PCRE2, libgit2, cmark,
#                                  OpenBLAS, and what lints the man pages
#   tools/install-deps.sh --dev    also what galley's own test suite
#                                  drives (valgrind, git, xmllint, jq, prove,
#                                  PyYAML, CMake, make, Meson, g++,
#                                  Emacs, Vim, Neovim): .ci/run uses it
#
# It installs as root, or through sudo; without either it says what to run.
# apt's own progress is shown, and it waits for another apt or dpkg that
# holds the lock rather than failing.
set -eu
pkgs="gcc libc6-dev ninja-build pkg-config libpcre2-dev libgit2-dev
      libcmark-dev cmark libopenblas-dev groff-base mandoc"
dev="man-db valgrind git libxml2-utils jq cmake make meson g++ perl
     python3-yaml emacs-nox vim neovim"
case "${1-}" in
    "") ;;
    --dev) pkgs="$pkgs $dev" ;;
    *) echo "usage: tools/install-deps.sh [--dev]" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "tools/install-deps.sh: these packages are missing:$missing" >&2
        echo "tools/install-deps.sh: installing them needs root, and sudo" \
             "is not installed: run this as root (su -c" \
             "'tools/install-deps.sh${1:+ $1}'), or apt-get install them" >&2
        exit 1
    fi
    sudo=sudo
fi
echo "installing:$missing"
lock="-o DPkg::Lock::Timeout=600"
$sudo apt-get $lock update
# shellcheck disable=SC2086 # the lists are words
DEBIAN_FRONTEND=noninteractive $sudo apt-get $lock install -y \
    --no-install-recommends $missing
