#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each one for a bounded time. Fails on any
# crash, leak, timeout or out-of-memory the fuzzer reports.
#
#   scripts/fuzz.sh            expr_fuzz 60 s, every other target 20 s
#   scripts/fuzz.sh 300        every target 300 s
#   scripts/fuzz.sh 30 expr_fuzz router_fuzz   only these targets, 30 s each
#
# Environment: OC_FUZZ_BUILD_DIR (default build-fuzz), OC_FUZZ_SECONDS (other targets' default),
# OC_FUZZ_EXPR_SECONDS (expr_fuzz's default), OC_FUZZ_JOBS (ninja -j, default 2).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds_override="${1:-}"
shift || true

# -O1 with line tables is libFuzzer's usual trade-off between speed and readable stack traces.
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DOC_FUZZ=ON -DOC_BUILD_TESTS=OFF \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(sed -n 's/^oc_fuzz_target(NAME \([A-Za-z0-9_]*\).*/\1/p' \
    "$root/fuzz/CMakeLists.txt")
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets built" >&2; exit 1; }

# The expression conformance cases make a good starting corpus for the expression fuzzer.
seed_expr_corpus() {
  local dir="$1" n=0
  for f in "$root"/tests/testdata/expr/*.test; do
    while IFS= read -r line; do
      case "$line" in ''|'#'*) continue ;; esac
      [[ "$line" == *" => "* ]] || continue
      printf '%s' "${line% => *}" > "$dir/seed_$n"
      n=$((n + 1))
    done < "$f"
  done
}

status=0
for target in "${targets[@]}"; do
  if ! ninja -C "$build" -j "${OC_FUZZ_JOBS:-2}" "$target" > "$build/$target.build.log" 2>&1; then
    echo "fuzz: $target does not build (log: $build/$target.build.log)" >&2
    grep -m 20 -E 'error' "$build/$target.build.log" >&2 || true
    status=1
    continue
  fi
  if [ -n "$seconds_override" ]; then
    seconds="$seconds_override"
  elif [ "$target" = expr_fuzz ]; then
    seconds="${OC_FUZZ_EXPR_SECONDS:-60}"
  else
    seconds="${OC_FUZZ_SECONDS:-20}"
  fi
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  if [ "$target" = expr_fuzz ] && [ -z "$(ls -A "$corpus")" ]; then
    seed_expr_corpus "$corpus"
  fi
  echo "fuzz: $target for ${seconds}s"
  if ! "$build/fuzz/$target" "$corpus" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
      -artifact_prefix="$artifacts" > "$build/$target.log" 2>&1; then
    echo "fuzz: $target FAILED (log: $build/$target.log, inputs: $artifacts)" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done' "$build/$target.log" || true
  fi
done
exit $status
