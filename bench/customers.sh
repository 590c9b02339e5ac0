#!/usr/bin/env bash
# Usage: bench/customers.sh [ROWS] [HTTP_SECONDS]
#
# The customer registry at scale (issue 3), on SQLite with synchronous=FULL, from a Release build:
#   1. ROWS customers (default 1,000,000) generated through CustomerService::CreateBatch —
#      validation, encryption, blind indexes, audit — by two producer threads in batches of 20,000
#      (the largest batch the service takes, as an import would send);
#      prints rows/s (goal >= 20,000/s);
#   2. over that table, through the real server on 127.0.0.1: p50/p99 of GET /api/v1/customers
#      with phone=<exact> and id_number=<exact> (goal p99 < 5 ms) and of the first page of
#      q=<surname> (goal p99 < 20 ms), 1,000 random probes each, as an account manager and as a
#      risk officer who sees every customer;
#   3. the real HTTP server on 127.0.0.1 with 32 keep-alive clients creating customers for
#      HTTP_SECONDS (default 20); prints creates/s (goal >= 3,000/s), errors and timeouts (goal 0).
# A smaller ROWS (e.g. 100000) keeps a run short. Prints the load average before and after, since
# the figures depend on what else the machine is doing.
#
# Environment: BUILD_DIR (default build/bench), JOBS (ninja jobs, 2), CLIENTS (32), PROBES (1000),
# BATCH (20000), WRITE_THREADS (the server's pool for writes, which bounds how many creates share
# one group commit; default: the server's own). The databases live in a temporary directory that
# is removed afterwards.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build/bench}
rows=${1:-1000000}
seconds=${2:-20}

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOC_BUILD_TESTS=OFF \
    -DOC_BUILD_BENCH=ON >/dev/null
fi
ninja -C "$build_dir" -j"${JOBS:-2}" customer_load >/dev/null
binary=$build_dir/bench/customer_load
[ -x "$binary" ] || { echo "bench/customers.sh: no customer_load in $build_dir" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/oc-customers-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$binary" --work "$work" --rows "$rows" --seconds "$seconds" --clients "${CLIENTS:-32}" \
  --probes "${PROBES:-1000}" --batch "${BATCH:-20000}" --write-threads "${WRITE_THREADS:-0}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
