#!/usr/bin/env bash
# clang-tidy (the checks of .clang-tidy, every warning an error) on the .cc files a change touches,
# a changed header standing for the .cc of the same name; see scripts/changed-files.sh for what
# "a change" is and its base. Diagnostics in the project's own headers count, never in /usr.
#
#   scripts/check-tidy.sh              the changed files (what make test and make lint run)
#   scripts/check-tidy.sh --all        every .cc of the build under src/ and tests/
#   … --base REV                       compare with REV instead of the default base
#   … FILE…                            just these files
#
# It needs a compile_commands.json: the script configures (never builds) a Debug tree in
# build/tidy (OC_TIDY_BUILD_DIR), with precompiled headers off: clang cannot read GCC's .gch
# files, and without them each file must include what it uses. Two clang-tidy processes at a time
# (OC_TIDY_JOBS), niced: each file takes 5–20 s of CPU, most of it parsing Boost.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${OC_TIDY_BUILD_DIR:-build/tidy}"
jobs="${OC_TIDY_JOBS:-2}"

all=0
base_args=()
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) all=1; shift ;;
    --base) base_args=(--base "${2:?--base needs a revision}"); shift 2 ;;
    -*) echo "usage: $0 [--all | --base REV | FILE…]" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done

command -v clang-tidy > /dev/null ||
  { echo "check-tidy: clang-tidy not found; run scripts/setup.sh" >&2; exit 1; }

mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }

# Every file the compile database knows, relative to the root.
mapfile -t known < <(sed -n 's|^ *"file": "\(.*\)",\{0,1\}$|\1|p' "$build/compile_commands.json" |
  sed "s|^$root/||" | sort -u)
declare -A in_db
for f in "${known[@]}"; do in_db[$f]=1; done

if [ "$all" = 1 ]; then
  for f in "${known[@]}"; do [[ "$f" == src/*.cc || "$f" == tests/*.cc ]] && files+=("$f"); done
elif [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(bash scripts/changed-files.sh "${base_args[@]}")
fi
targets=()
for f in "${files[@]}"; do
  case "$f" in
    *.h) [ -n "${in_db[${f%.h}.cc]:-}" ] && targets+=("${f%.h}.cc") ;;
    *) [ -n "${in_db[$f]:-}" ] && targets+=("$f") ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "check-tidy: no changed file to check"
  exit 0
fi
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort -u)

echo "check-tidy: ${#targets[@]} file(s), $jobs at a time"
start=$SECONDS
set +e
printf '%s\n' "${targets[@]}" |
  nice -n 10 xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet --warnings-as-errors='*' \
    --header-filter="^$root/src/" 2>&1 |
  { grep -v -E '^[0-9]+ (warnings?|errors?)( and [0-9]+ errors?)? generated\.$' || true; }
codes=("${PIPESTATUS[@]}")
set -e
status="${codes[1]}"
if [ "$status" -ne 0 ]; then
  echo "check-tidy: clang-tidy found problems in ${#targets[@]} file(s) ($((SECONDS - start)) s)" >&2
  exit 1
fi
echo "check-tidy: ${#targets[@]} file(s) pass ($((SECONDS - start)) s)"
