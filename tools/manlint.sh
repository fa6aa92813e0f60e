#!/bin/sh
# tools/manlint.sh: lints rendered man pages with mandoc(1) and groff(1), as
# strictly as each goes (mandoc -T lint at every level, groff -ww), and fails
# on any message; on success touches STAMP. build.ninja runs it in `ninja`.
#
#   tools/manlint.sh build/man/lint.stamp build/man/galley.1 ...
#
# A message names the rendered page and line; the Markdown source of
# build/man/galley.1 is man/galley.1.md.
set -eu
stamp=$1
shift
msgs=$(for page in "$@"; do
    mandoc -T lint "$page" 2>&1 || true
    groff -ww -z -man "$page" 2>&1 || true
done)
if [ -n "$msgs" ]; then
    printf '%s\n' "$msgs" >&2
    echo "manlint: the man pages above are not clean (sources: man/*.md)" >&2
    exit 1
fi
touch "$stamp"
