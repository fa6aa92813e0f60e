#!/bin/sh
# tools/mdman.sh: renders a man page kept as Markdown (man/NAME.SECTION.md)
# to roff with cmark's man renderer. build.ninja runs it for each page.
#
#   tools/mdman.sh man/galley.1.md build/man/galley.1
#
# The page's first line is an HTML comment holding its .TH line, which
# GitHub does not show and cmark does not render:
#   <!-- .TH GALLEY 1 2026-11-24 "galley @VERSION@" "User Commands" -->
# cmark writes no .TH of its own, so it is put in front here, with .nh (no
# hyphenation: option names stay whole) and .ad l (ragged right, so that a
# synopsis is not stretched). The filter
# after cmark mends what cmark 0.30's man renderer leaves for the lint
# (tools/manlint.sh) to find:
# - `.PP` right after a heading, a paragraph macro that does nothing there;
# - text lines starting with `.` or `'` (cmark's wrapping makes them),
#   which roff would read as requests, get a `\&` in front;
# - the font `C` (no such font in man(7)): inline code is shown bold, as
#   man pages show literal text, code blocks in the constant-width `CR`;
# - characters outside ASCII become roff's \[uXXXX] escapes (preconv), so
#   the page reads the same whatever encoding groff assumes.
set -eu
in=$1
out=$2
th=$(sed -n '1s/^<!-- \(\.TH .*\) -->$/\1/p' "$in")
# @VERSION@ is galley's version, which lib/include/galley.h holds.
version=$(sed -n 's/^#define GALLEY_VERSION "\(.*\)"$/\1/p' lib/include/galley.h)
th=$(printf '%s\n' "$th" | sed "s/@VERSION@/$version/")
if [ -z "$th" ]; then
    echo "$in:1: error: the first line must be <!-- .TH NAME SECTION DATE SOURCE MANUAL -->" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
{
    printf '%s\n.nh\n.ad l\n' "$th"
    cmark -t man --width 66 "$in" | awk '
        /^\.S[HS]$/ { print; heading = 2; next }
        heading == 2 { print; heading = 1; next }
        heading == 1 && $0 == ".PP" { heading = 0; next }
        { heading = 0 }
        $0 == ".nf" { print; code = 1; next }
        $0 == ".fi" { print; code = 0; next }
        code && $0 == "\\f[C]" { print "\\f[CR]"; next }
        code && /^[.'"'"']/ { print "\\&" $0; next }
        code { print; next }
        { gsub(/\\f\[C\]/, "\\f[B]") }
        /^[.'"'"']/ && !/^\.(SH|SS|PP|P|IP|RS|RE|nf|fi|PD)( |$)/ { $0 = "\\&" $0 }
        { print }
    ' | preconv -e utf-8 | sed '/^\.lf /d'
} >"$out.tmp"
mv "$out.tmp" "$out"
