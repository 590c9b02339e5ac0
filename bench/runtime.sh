#!/usr/bin/env bash
# Usage: bench/runtime.sh [REPS]
#
# The engine runtime's speed (issue 14), on SQLite with synchronous=FULL, from a Release build;
# each phase repeats REPS times (default 5) over a fresh database and prints the median:
#   1. append: EVENTS events (default 50,000) appended alongside their changes, BATCH (500) to a
#      write transaction, one consumer subscribed (an outbox row per event); events/s
#      (goal >= 20,000/s);
#   2. dispatch: DELIVERIES (50,000) pending outbox rows delivered by a Dispatcher (batch 500) to
#      an in-process consumer, DispatchOnce() until nothing is claimed; deliveries/s
#      (goal >= 10,000/s);
#   3. timers: TIMERS (5,000) timers due in the same instant fired by FireDueTimers() in a loop;
#      seconds from the due instant to the last handler call (goal <= 2 s);
#   4. create: what one EventLog::Append adds to a customer create, as the median of per-pair
#      ratios over PAIRS (500) interleaved pairs per run: create as is vs create plus one extra
#      append in its unit of work (goal < 5%).
# Prints the load average before and after, since the figures depend on what else the machine is
# doing.
#
# Builds nothing: run `ninja -C build/bench runtime_load` first (bench/run.sh builds everything).
# Environment: BUILD_DIR (default build/bench), EVENTS, BATCH, DELIVERIES, TIMERS, PAIRS, PHASES
# (append,dispatch,timers,create). The databases live in a temporary directory that is removed
# afterwards.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build/bench}
reps=${1:-5}

binary=$build_dir/bench/runtime_load
[ -x "$binary" ] || {
  echo "bench/runtime.sh: no runtime_load in $build_dir (build it first: ninja -C $build_dir runtime_load)" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/oc-runtime-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$binary" --work "$work" --reps "$reps" --events "${EVENTS:-50000}" --batch "${BATCH:-500}" \
  --deliveries "${DELIVERIES:-50000}" --timers "${TIMERS:-5000}" --pairs "${PAIRS:-500}" \
  --phases "${PHASES:-append,dispatch,timers,create}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
