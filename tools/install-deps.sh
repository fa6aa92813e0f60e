#!/usr/bin/env bash
# tools/install-deps.sh: installs the Debian packages galley needs to build
# and test, only those missing, so a second run costs nothing.
set -eu
pkgs="gcc libc6-dev make ninja-build pkg-config libpcre2-dev libgit2-dev
      libcmark-dev cmark libopenblas-dev groff-base man-db valgrind git
      libxml2-utils jq mandoc cmake emacs-nox vim neovim g++ perl
      python3-yaml"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "installing:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
