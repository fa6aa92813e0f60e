#!/usr/bin/env bash
# bench/watch.sh: what galley watch costs (a benchmark, not a test), side by
# side with a bare compile, all measured in this one run:
#
#   1. save-to-report: a generated project of N_FILES test files x TESTS
#      tests (as bench/rerun.sh generates them: each test prints three lines
#      and calls the code under test, ten modules under src/); one test
#      file is saved SAVES times (written in place, what its first test
#      prints changed each time, so the test fails). Time from the end of
#      the write to the watcher's 'run N ended' line; median. Also from the
#      write to 'run N started' (the quiet period and inotify), and the
#      watcher's own 'last run' figure.
#      save-to-promoted: the same under galley watch --promote, from the
#      write to the moment the file on disk holds the promoted output;
#      median. Each save waits for the run that promote's write causes.
#      galley run by hand: the same saves in a copy of the project that
#      no watcher watches, each followed by galley run as the watcher runs
#      it, and by a no-op galley run (interleaved with the saves too); so
#      the watcher's own share of a cycle shows (spawn, reading the
#      report, recomputing what it watches).
#      compile + link: the same test file compiled and linked by hand,
#      REPS times, interleaved with the saves: bare (cc -c with the flags
#      of _galley/build.ninja, and the link, no depfile, map or log), and
#      galley's own two commands from the build.ninja (with the depfile,
#      the link map and its awk); medians.
#   2. the watcher's memory over MEM_SAVES saves (default 1000) of a
#      one-test project: VmRSS of the galley watch process itself (not its
#      children), and its open descriptors, sampled along the way.
#   3. the watcher's CPU time over IDLE_S seconds (default 10) with no
#      change, on the N_FILES project and on the one-test project after
#      its MEM_SAVES runs: utime + stime (clock ticks), the run time of
#      its threads from /proc/PID/task/*/schedstat (ns), and its wakeups
#      (context switches).
#
# Needs python3 (the saves and the waits: inotify through ctypes, times
# from CLOCK_MONOTONIC) and ninja.
#
#   ninja && bench/watch.sh
#   SAVES=10 REPS=10 MEM_SAVES=200 IDLE_S=5 N_FILES=20 bench/watch.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
GALLEY=${GALLEY:-$here/build/galley}
N_FILES=${N_FILES:-50}
TESTS=${TESTS:-5}
SAVES=${SAVES:-20}
REPS=${REPS:-$SAVES}
MEM_SAVES=${MEM_SAVES:-1000}
IDLE_S=${IDLE_S:-10}
DEADLINE_S=${DEADLINE_S:-60}        # the longest wait for one run
FIRST_DEADLINE_S=${FIRST_DEADLINE_S:-600}  # for the first (cold) run
case $GALLEY in /*) ;; *) GALLEY=$PWD/$GALLEY ;; esac
[ -x "$GALLEY" ] || { echo "watch.sh: no galley at $GALLEY (run ninja)" >&2; exit 2; }
PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "watch.sh: needs python3" >&2; exit 2; }
# pyenv's shim is a shell script: its start would be timed nowhere, but
# find the interpreter itself anyway.
PY=$("$PY" -c 'import sys; print(sys.executable)')
command -v ninja >/dev/null || { echo "watch.sh: needs ninja" >&2; exit 2; }
[ "$N_FILES" -ge 1 ] && [ "$SAVES" -ge 1 ] && [ "$REPS" -ge 1 ] &&
    [ "$MEM_SAVES" -ge 10 ] || { echo "watch.sh: N_FILES, SAVES, REPS >= 1, MEM_SAVES >= 10" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/galley-watch.XXXXXX")
watcher=
stop_watcher() {
    if [ -n "$watcher" ]; then
        kill -TERM "$watcher" 2>/dev/null || true
        # It ends its run's processes; give it 5 s, then SIGKILL.
        for _ in $(seq 50); do
            kill -0 "$watcher" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$watcher" 2>/dev/null || true
        wait "$watcher" 2>/dev/null || true
        watcher=
    fi
}
trap 'stop_watcher; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

bench=watch.sh
. "$here/bench/common.sh"
started_at=$(now_ns)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
galley_mtime=$(stat -c %Y "$GALLEY")

# ---- the project, as bench/rerun.sh generates it (without cram) ----

# Writes the project of $1 files x $2 tests into directory $3.
generate() { gen_suite "$@"; }

# ---- the driver: saves, waits, times ----

cat >"$work/drive.py" <<'PY'
# drive.py OUT FILE MODE N BASE [options]: saves FILE N times (in place:
# what its first test prints becomes BASE+i), each time waiting for the
# watcher (whose output goes to OUT) to end the run it causes; with MODE
# promote, also for the file to hold the promoted output and for the run
# that promote's write causes. Prints one line per save:
#   save I STARTED_NS ENDED_NS PROMOTED_NS LAST_RUN_S ENDED2_NS
# (times from the end of the write; PROMOTED_NS and ENDED2_NS, the end of
# the run promote's write caused, -1 outside promote mode); with --pid and
# --rss-at, "rss I KB FDS"; with --cc/--link pairs of commands, after save
# I <= --reps, "cc I NS... CC_NS:LINK_NS..." (each pair's total, then its
# parts).
# MODE wait: only waits for the first run's end.
import ctypes, os, re, select, subprocess, sys, time

args = sys.argv[1:]
out_path, file_path, mode, n, base = args[:5]
n, base = int(n), int(base)
opts = {}
i = 5
while i < len(args):
    opts.setdefault(args[i], []).append(args[i + 1])
    i += 2
deadline_s = float(opts.get('--deadline', ['60'])[0])
first_deadline_s = float(opts.get('--first-deadline', ['600'])[0])
pid = int(opts['--pid'][0]) if '--pid' in opts else 0
rss_at = set(int(x) for x in opts.get('--rss-at', [''])[0].split(',') if x)
ccs = opts.get('--cc', [])          # pairs: compile, link (shell commands)
links = opts.get('--link', [])
reps = int(opts.get('--reps', ['0'])[0])
cwd = opts.get('--cwd', ['.'])[0]

now = time.monotonic_ns
libc = ctypes.CDLL(None, use_errno=True)
IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE = 0x2, 0x8, 0x80, 0x100
ino = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
if ino < 0:
    sys.exit('drive.py: inotify_init1 failed')
libc.inotify_add_watch(ino, os.path.dirname(os.path.abspath(out_path)).encode(),
                       IN_MODIFY | IN_CLOSE_WRITE)
libc.inotify_add_watch(ino, os.path.dirname(os.path.abspath(file_path)).encode(),
                       IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)

out = open(out_path, 'rb')
pending = b''


def die(msg):
    out.seek(0)
    tail = out.read().decode(errors='replace').splitlines()[-30:]
    sys.stderr.write('drive.py: %s\n--- the watcher said (tail):\n%s\n'
                     % (msg, '\n'.join(tail)))
    sys.exit(1)


def lines():
    """The new complete lines of the watcher's output."""
    global pending
    data = out.read()
    if not data:
        return []
    pending += data
    *done, pending = pending.split(b'\n')
    return [l.decode(errors='replace') for l in done]


def wait_io(until):
    """Sleeps until something is written (inotify) or 5 ms pass."""
    left = (until - now()) / 1e9
    if left <= 0:
        return
    select.select([ino], [], [], min(left, 0.005))
    try:
        os.read(ino, 65536)
    except BlockingIOError:
        pass


START = re.compile(r'^galley watch: run (\d+) started')
END = re.compile(r'^galley watch: run (\d+) ended: .*last run ([0-9.]+) s')
CANCEL = re.compile(r'^galley watch: run (\d+) cancelled')


def content_with(value, path=None):
    path = path or file_path
    with open(path) as f:
        text = f.read()
    new, k = re.subn(r'printf\("test %d\\n", -?\d+\)',
                     'printf("test %%d\\\\n", %d)' % value, text, count=1)
    if k != 1:
        die('no printf("test %d\\n", ...) in ' + path)
    return new


def save(text, path=None):
    fd = os.open(path or file_path, os.O_WRONLY | os.O_TRUNC)
    os.write(fd, text.encode())
    os.close(fd)
    return now()


def follow(t0, promoted=None):
    """After the save at t0, waits for the run it causes to end (and with
    promoted, a string: for the file to hold it, and for the run that
    promote's write causes to end). Returns {event: ns after t0}, and the
    'ended' line's 'last run' seconds."""
    ev, last = {}, None
    until = t0 + int(deadline_s * 1e9)
    while True:
        for l in lines():
            t = now() - t0
            if CANCEL.match(l):
                die('a run was cancelled: ' + l)
            if START.match(l):
                ev.setdefault('started' if 'ended' not in ev else 'started2', t)
            m = END.match(l)
            if m and 'ended' not in ev:
                ev['ended'], last = t, m.group(2)
                if promoted is not None and ' promoted' not in l:
                    die('the run did not promote: ' + l)
            elif m:
                ev.setdefault('ended2', t)
        if promoted is not None and 'promoted' not in ev:
            with open(file_path) as f:
                if promoted in f.read():
                    ev['promoted'] = now() - t0
        if 'ended' in ev and (promoted is None or
                              ('promoted' in ev and 'ended2' in ev)):
            return ev, last
        if now() > until:
            die('the save did not end within %.0f s (%s)' % (deadline_s, ev))
        wait_io(until)


def timed(cmd, ok=(0,)):
    t = now()
    r = subprocess.run(cmd, shell=True, cwd=cwd)
    if r.returncode not in ok:
        die('"%s" failed with status %d' % (cmd, r.returncode))
    return now() - t


def compile_once(i):
    pairs = [(timed(c), timed(l)) for c, l in zip(ccs, links)]
    print('cc', i, *[a + b for a, b in pairs], *['%d:%d' % p for p in pairs],
          flush=True)


def rss():
    kb = -1
    with open('/proc/%d/status' % pid) as f:
        for l in f:
            if l.startswith('VmRSS:'):
                kb = int(l.split()[1])
    return kb, len(os.listdir('/proc/%d/fd' % pid))


run = opts.get('--run', [None])[0]
run_file = opts.get('--run-file', [None])[0]


def manual_once(i):
    """In the copy of the project that no watcher watches: the same save,
    then galley run by hand (a test fails: status 1), then again with
    nothing changed."""
    save(content_with(base + i, run_file), run_file)
    print('manual', i, timed(run, (1,)), timed(run, (1,)), flush=True)


if mode == 'wait':
    until = now() + int(first_deadline_s * 1e9)
    while not any(END.match(l) for l in lines()):
        if now() > until:
            die('no first run within %.0f s' % first_deadline_s)
        wait_io(until)
    sys.exit(0)

for i in range(1, n + 1):
    value = base + i
    text = content_with(value)
    lines()  # what came before (nothing, when all is well)
    t0 = save(text)
    ev, last = follow(t0, 'test %d\n' % value if mode == 'promote' else None)
    print('save', i, ev['started'], ev['ended'], ev.get('promoted', -1), last,
          ev.get('ended2', -1), flush=True)
    if pid and i in rss_at:
        print('rss', i, *rss(), flush=True)
    if i <= reps:
        if ccs:
            compile_once(i)
        if run:
            manual_once(i)
for i in range(n + 1, reps + 1):
    if ccs:
        compile_once(i)
    if run:
        manual_once(i)
PY

# Starts galley watch ARGS in directory $1, output to $2; sets $watcher.
start_watcher() {
    local dir=$1 log=$2
    shift 2
    : >"$log"
    (cd "$dir" && exec "$GALLEY" watch "$@") >"$log" 2>&1 </dev/null &
    watcher=$!
    "$PY" "$work/drive.py" "$log" "$log" wait 0 0 \
        --first-deadline "$FIRST_DEADLINE_S"
    [ "$(cat "/proc/$watcher/comm")" = galley ] ||
        { echo "watch.sh: the watcher is not galley" >&2; exit 1; }
}

# Prints the median of column $2 (numbers) of the lines of file $1 that
# start with word $3, divided by $4.
col_median() {
    awk -v c="$2" -v w="$3" '$1 == w { print $c }' "$1" | median |
        awk -v d="$4" '{ printf "%.1f", $1 / d }'
}

# CPU of process $1: "utime+stime ticks, schedstat ns (all threads),
# voluntary + involuntary context switches".
cpu_sample() {
    local p=$1 ticks ns cs
    ticks=$(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')
    ns=$(cat /proc/"$p"/task/*/schedstat | awk '{ s += $1 } END { print s }')
    cs=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$p/status")
    echo "$ticks $ns $cs"
}

# Idle CPU of process $1 over IDLE_S seconds: "ms(ticks) ms(ns) switches".
idle_cpu() {
    local a b hz
    hz=$(getconf CLK_TCK)
    sleep 1 # what the last run left settles
    a=$(cpu_sample "$1")
    sleep "$IDLE_S"
    b=$(cpu_sample "$1")
    echo "$a $b" | awk -v hz="$hz" '{
        printf "%.0f %.3f %d\n", ($4 - $1) * 1000 / hz, ($5 - $2) / 1e6, $6 - $3 }'
}

rows=()
row() { rows+=("$(printf '%-62s %14s' "$1" "$2")"); }

# ---- 1. save-to-report, save-to-promoted, compile + link ----

proj=$work/p
generate "$N_FILES" "$TESTS" "$proj"
mid=$(((N_FILES + 1) / 2))
edited=tests/f${mid}_test.c
cp "$proj/$edited" "$work/edited.orig"
# A copy that no watcher watches, for galley run by hand.
copy=$work/copy
generate "$N_FILES" "$TESTS" "$copy"
echo "watch.sh: $N_FILES files x $TESTS tests, a copy built by galley run" >&2
(cd "$copy" && "$GALLEY" run -q >"$work/copy.out" 2>&1) ||
    { echo "watch.sh: galley run in the copy failed:" >&2; tail -n 20 "$work/copy.out" >&2; exit 1; }
echo "watch.sh: $N_FILES files x $TESTS tests; the watcher's first run builds them all" >&2
start_watcher "$proj" "$work/report.log"
first=$(grep -m1 'run 1 ended' "$work/report.log" | sed 's/.*last run \([0-9.]*\) s.*/\1/')

# The commands that build $edited, from _galley/build.ninja.
bin=$(sed -n "s|^build \(_galley/bin/f${mid}_test-[0-9a-f]*\): link.*|\1|p" \
    "$proj/_galley/build.ninja")
[ -n "$bin" ] || { echo "watch.sh: no link of $edited in build.ninja" >&2; exit 1; }
obj=$(sed -n "s|^build \(_galley/obj/f${mid}_test-[0-9a-f]*\.o\): cc.*|\1|p" \
    "$proj/_galley/build.ninja")
cmds=$(cd "$proj" && ninja -f _galley/build.ninja -t commands "$bin")
g_cc=$(printf '%s\n' "$cmds" | grep -F -- " -o $obj" | grep -F -- " -c ")
g_link=$(printf '%s\n' "$cmds" | grep -F -- " -o $bin ")
mkdir -p "$work/bare"
g_cc=${g_cc//$obj/$work/bare/g.o}
g_link=${g_link//$obj/$work/bare/g.o}
g_link=${g_link//$bin/$work/bare/g}
b_cc=$(printf '%s' "$g_cc" | sed -E 's| -MD -MT [^ ]+ -MF [^ ]+||; s| >.*$||; s|/g\.o|/b.o|g')
b_link=$(printf '%s' "$g_link" | sed -E 's| -Wl,-Map=[^ ]+||; s| >.*$||; s|/g\.o|/b.o|g; s|/bare/g |/bare/b |')

echo "watch.sh: $SAVES saves of $edited under galley watch, $REPS compiles" >&2
"$PY" "$work/drive.py" "$work/report.log" "$proj/$edited" report "$SAVES" 700000 \
    --deadline "$DEADLINE_S" --cwd "$proj" --reps "$REPS" \
    --cc "$b_cc" --link "$b_link" --cc "$g_cc" --link "$g_link" \
    --run "cd '$copy' && exec '$GALLEY' run --color=never -- >/dev/null 2>&1" \
    --run-file "$copy/$edited" >"$work/report.tsv"
echo "watch.sh: the watcher idle for $IDLE_S s" >&2
idle_big=$(idle_cpu "$watcher")
watching=$(grep 'ended:' "$work/report.log" | tail -n 1 | sed 's/.*watching \([0-9]*\) files.*/\1/')
stop_watcher

# The same under --promote, from the file as generated.
cat "$work/edited.orig" >"$proj/$edited"
echo "watch.sh: $SAVES saves of $edited under galley watch --promote" >&2
start_watcher "$proj" "$work/promote.log" --promote
"$PY" "$work/drive.py" "$work/promote.log" "$proj/$edited" promote "$SAVES" 800000 \
    --deadline "$DEADLINE_S" >"$work/promote.tsv"
stop_watcher

ms=1000000
r_start=$(col_median "$work/report.tsv" 3 save $ms)
r_end=$(col_median "$work/report.tsv" 4 save $ms)
r_last=$(col_median "$work/report.tsv" 6 save 0.001)
p_prom=$(col_median "$work/promote.tsv" 5 save $ms)
p_end=$(col_median "$work/promote.tsv" 4 save $ms)
p_follow=$(awk '$1 == "save" { print $7 - $4 }' "$work/promote.tsv" | median |
    awk -v d=$ms '{ printf "%.1f", $1 / d }')
bare=$(col_median "$work/report.tsv" 3 cc $ms)
gcmd=$(col_median "$work/report.tsv" 4 cc $ms)
bare_cc=$(awk '$1 == "cc" { split($5, a, ":"); print a[1] }' "$work/report.tsv" | median |
    awk -v d=$ms '{ printf "%.1f", $1 / d }')
bare_ln=$(awk '$1 == "cc" { split($5, a, ":"); print a[2] }' "$work/report.tsv" | median |
    awk -v d=$ms '{ printf "%.1f", $1 / d }')
m_run=$(col_median "$work/report.tsv" 3 manual $ms)
m_noop=$(col_median "$work/report.tsv" 4 manual $ms)
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }'; }

s="$N_FILES files x $TESTS tests"
row "1. first run of the watcher ($s, cold build)" "${first:-?} s"
row "   save-to-report: write -> 'run N ended' (median of $SAVES)" "$r_end ms"
row "     of which write -> 'run N started' (quiet period, inotify)" "$r_start ms"
row "     the watcher's own 'last run' figure (started -> ended)" "$r_last ms"
row "   save-to-promoted: write -> file holds the output (--promote)" "$p_prom ms"
row "     write -> 'run N ended ... promoted'" "$p_end ms"
row "     'ended ... promoted' -> the end of the run its write causes" "$p_follow ms"
row "   galley run by hand after the same save (no watcher; $REPS)" "$m_run ms"
row "   galley run by hand, nothing changed (no-op; $REPS)" "$m_noop ms"
row "   'last run' - galley run by hand: the watcher's own share" "$(sub "$r_last" "$m_run") ms"
row "   bare compile + link of $edited (median of $REPS)" "$bare ms"
row "     of which cc -c / link" "$bare_cc / $bare_ln ms"
row "   galley's cc + link commands from build.ninja (depfile, map)" "$gcmd ms"
row "   save-to-report - bare compile + link" "$(sub "$r_end" "$bare") ms"
row "   save-to-promoted - bare compile + link" "$(sub "$p_prom" "$bare") ms"

# ---- 2. memory over MEM_SAVES saves of a one-test project ----

tiny=$work/tiny
mkdir -p "$tiny/tests"
: >"$tiny/galley.conf"
cat >"$tiny/tests/one_test.c" <<'EOF'
#include <galley.h>
#include <stdio.h>

TEST(one)
{
    printf("test %d\n", 1);
    EXPECT(/*
      test 1
    */);
}
EOF
start_watcher "$tiny" "$work/tiny.log"
at=""
for k in 10 50 100 200 300 400 500 600 700 800 900 1000 2000 5000 10000; do
    [ "$k" -le "$MEM_SAVES" ] && at="$at,$k"
done
at="${at#,},$MEM_SAVES"
echo "watch.sh: $MEM_SAVES saves of a one-test project (memory)" >&2
t0=$(now_ns)
"$PY" "$work/drive.py" "$work/tiny.log" "$tiny/tests/one_test.c" report "$MEM_SAVES" 900000 \
    --deadline "$DEADLINE_S" --pid "$watcher" --rss-at "$at" >"$work/tiny.tsv"
t1=$(now_ns)
echo "watch.sh: the watcher idle for $IDLE_S s" >&2
idle_tiny=$(idle_cpu "$watcher")
stop_watcher

rss10=$(awk '$1 == "rss" && $2 == 10 { print $3 }' "$work/tiny.tsv")
rssN=$(awk -v n="$MEM_SAVES" '$1 == "rss" && $2 == n { print $3 }' "$work/tiny.tsv")
fd10=$(awk '$1 == "rss" && $2 == 10 { print $4 }' "$work/tiny.tsv")
fdN=$(awk -v n="$MEM_SAVES" '$1 == "rss" && $2 == n { print $4 }' "$work/tiny.tsv")
row "2. watcher VmRSS after save 10 (one-test project)" "$rss10 kB"
row "   watcher VmRSS after save $MEM_SAVES" "$rssN kB"
row "   VmRSS along the way (save:kB)" ""
rows+=("     $(awk '$1 == "rss" { printf "%s%d:%d", s, $2, $3; s = " " }' "$work/tiny.tsv")")
row "   watcher's open descriptors after save 10 / $MEM_SAVES" "$fd10 / $fdN"
row "   save-to-report on the one-test project (median of $MEM_SAVES)" \
    "$(col_median "$work/tiny.tsv" 4 save $ms) ms"
row "   $MEM_SAVES saves took" "$(((t1 - t0) / 1000000000)) s"

set -- $idle_big
row "3. watcher CPU idle $IDLE_S s, $s ($watching files):" ""
row "     utime + stime (clock ticks of $(getconf CLK_TCK) Hz)" "$1 ms"
row "     run time of its threads (schedstat)" "$2 ms"
row "     context switches (wakeups)" "$3"
set -- $idle_tiny
row "   watcher CPU idle $IDLE_S s, one-test project after $MEM_SAVES runs:" ""
row "     utime + stime (clock ticks)" "$1 ms"
row "     run time of its threads (schedstat)" "$2 ms"
row "     context switches (wakeups)" "$3"

echo
printf '%s\n' "${rows[@]}"
model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "(medians; $(nproc) cores, ${model:-unknown CPU}; $(uname -sr);" \
    "galley $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "all in this one run of $((($(now_ns) - started_at) / 1000000000)) s)"
echo "(load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$(stat -c %Y "$GALLEY")" = "$galley_mtime" ] ||
    echo "watch.sh: WARNING: $GALLEY changed during the run; the figures mix two builds"
g=; [ "$GALLEY" = "$here/build/galley" ] || g="GALLEY=$GALLEY "
echo "reproduce: ninja && ${g}N_FILES=$N_FILES TESTS=$TESTS SAVES=$SAVES REPS=$REPS" \
    "MEM_SAVES=$MEM_SAVES IDLE_S=$IDLE_S bench/watch.sh"
