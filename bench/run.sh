#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its own figures. Release builds only: figures from a
# sanitizer build mean nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="build/bench"

bash scripts/setup.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOC_BUILD_TESTS=OFF \
  -DOC_BUILD_BENCH=ON > /dev/null
ninja -C "$build" -j "$(nproc)"

for micro in "$build"/bench/*_bench; do
  echo "== $(basename "$micro") =="
  "$micro" --benchmark_min_time=1
done

for script in bench/*.sh; do
  [ "$(basename "$script")" = run.sh ] && continue
  echo "== $(basename "$script") =="
  bash "$script"
done
