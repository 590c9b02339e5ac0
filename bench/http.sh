#!/usr/bin/env bash
# Usage: bench/http.sh [DURATION_SECONDS]
#
# Throughput and tail latency of the HTTP server as shipped: a Release build of `opencredit serve`
# on SQLite with the access log on, driven by wrk over loopback. Measures
#   GET /healthz           the server alone (no session, no database)
#   GET /api/v1/auth/me    a signed-in request: cookie → session lookup → principal JSON
# and prints requests/s and p99 latency for each, plus /me as a percentage of /healthz.
#
# Environment: BUILD_DIR (default build/release), THREADS (wrk threads, 1), CONNECTIONS (64),
# WARMUP (seconds, 2), PORT (default: a free one). Exits non-zero if any step fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build/release}
duration=${1:-10}
threads=${THREADS:-1}
connections=${CONNECTIONS:-64}
warmup=${WARMUP:-2}

for tool in cmake ninja wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench/http.sh: $tool is not installed" >&2
    exit 1
  fi
done

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOC_BUILD_TESTS=OFF \
    >/dev/null
fi
ninja -C "$build_dir" -j"${JOBS:-2}" opencredit >/dev/null
binary=$build_dir/src/app/opencredit
[ -x "$binary" ] || binary=$(find "$build_dir" -name opencredit -type f -perm -u+x | head -n1)
[ -x "$binary" ] || { echo "bench/http.sh: no opencredit binary in $build_dir" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/oc-bench-XXXXXX")
server_pid=
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The benchmark measures serving, not sign-in: the cheapest password hash the configuration takes.
export OPENCREDIT_AUTH_PASSWORD_HASH_MEMORY_KIB=256
export OPENCREDIT_AUTH_PASSWORD_HASH_PASSES=1
password="Throughput-Probe-2026"
data=$work/data

"$binary" admin create-user --data-dir "$data" --username bench --password - --role admin \
  <<<"$password" >/dev/null

"$binary" serve --no-demo --listen "127.0.0.1:${PORT:-0}" --data-dir "$data" \
  >"$work/server.log" 2>&1 &
server_pid=$!

port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" \
         | head -n1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { echo "bench/http.sh: the server did not start" >&2; exit 1; }
base=http://127.0.0.1:$port

curl -fsS "$base/healthz" >/dev/null
login=$(curl -fsS -D "$work/login.headers" -o "$work/login.json" \
  -H 'Content-Type: application/json' \
  --data "{\"username\":\"bench\",\"password\":\"$password\"}" \
  -w '%{http_code}' "$base/api/v1/auth/login")
[ "$login" = 200 ] || { echo "bench/http.sh: login returned $login" >&2; exit 1; }
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(oc_session=[^;]*\).*/\1/p' "$work/login.headers")
[ -n "$cookie" ] || { echo "bench/http.sh: no session cookie" >&2; exit 1; }
me=$(curl -fsS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/auth/me")
[ "$me" = 200 ] || { echo "bench/http.sh: /api/v1/auth/me returned $me" >&2; exit 1; }

# Runs wrk against one path; prints "REQUESTS_PER_SECOND P99_MILLISECONDS".
measure() {
  local path=$1
  shift
  wrk -t"$threads" -c"$connections" -d"${warmup}s" "$@" "$base$path" >/dev/null
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$base$path")
  echo "$out" >>"$work/wrk.txt"
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "bench/http.sh: $path answered with errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  # wrk prints latencies with a unit (us, ms, s); normalise to milliseconds.
  p99=$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
          if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v}' <<<"$out")
  [ -n "$rps" ] && [ -n "$p99" ] || { echo "$out" >&2; exit 1; }
  echo "$rps $p99"
}

read -r health_rps health_p99 < <(measure /healthz)
read -r me_rps me_p99 < <(measure /api/v1/auth/me -H "Cookie: $cookie")

printf '%-22s %12s %10s\n' "endpoint" "requests/s" "p99 ms"
printf '%-22s %12.0f %10s\n' "GET /healthz" "$health_rps" "$health_p99"
printf '%-22s %12.0f %10s\n' "GET /api/v1/auth/me" "$me_rps" "$me_p99"
awk -v me="$me_rps" -v health="$health_rps" \
  'BEGIN { printf "/me is %.1f%% of /healthz\n", 100 * me / health }'

kill -TERM "$server_pid"
wait "$server_pid"
server_pid=
