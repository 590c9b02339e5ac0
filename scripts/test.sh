#!/usr/bin/env bash
# `make test`: installs what is missing, checks the house rules (every include against the
# dependency rule; clang-format on the changed lines, clang-tidy on the changed files), builds one
# ASan+UBSan tree, runs every test through CTest against a throwaway PostgreSQL server (SQLite
# needs none), the web app's type check, unit and browser tests (against the same sanitizer build
# of the server), then the fuzz targets for a bounded time. Exits non-zero on the first failing
# stage.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="$(nproc)"
build="build/test"

bash scripts/setup.sh

echo "== house rules =="
bash scripts/check-includes.sh
bash scripts/check-format.sh

# A typical commit's files take clang-tidy 10 s to 2 min (5–15 s a file, two at a time); the
# tree needs only configuring, not building.
echo "== clang-tidy (changed files) =="
bash scripts/check-tidy.sh

echo "== build (ASan+UBSan) =="
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOC_SANITIZE=ON > /dev/null
ninja -C "$build" -j "$jobs"

echo "== tests =="
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
bash scripts/with-postgres.sh \
  ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600 --no-tests=error

echo "== web app: type check, unit tests, browser tests =="
bash scripts/web.sh test "$build/src/app/opencredit"

echo "== fuzzing =="
OC_FUZZ_BUILD_DIR="$root/build/fuzz" bash scripts/fuzz.sh
