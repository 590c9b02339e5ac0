#!/usr/bin/env bash
# `clang-format --dry-run -Werror` (the repository's .clang-format) on the C++ files a change
# touches; see scripts/changed-files.sh for what "a change" is and its base.
#
#   scripts/check-format.sh           the changed lines of the changed files (what make test runs)
#   scripts/check-format.sh --files   the changed files, whole
#   scripts/check-format.sh --all     every file under src/, tests/, bench/ and fuzz/
#   … --base REV                      compare with REV instead of the default base
#   … --fix                           rewrite the same lines or files instead of reporting them
#
# Changed lines, not whole files, by default: about half of the files predate the check and are
# not clang-formatted, and a one-line fix must not fail on, or reformat, the lines around it that
# other people are editing. Once `--all` passes, whole changed files can be the default.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scope=lines
fix=0
base_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --files) scope=files; shift ;;
    --all) scope=all; shift ;;
    --fix) fix=1; shift ;;
    --base) base_args=(--base "${2:?--base needs a revision}"); shift 2 ;;
    *) echo "usage: $0 [--files | --all] [--base REV] [--fix]" >&2; exit 2 ;;
  esac
done

command -v clang-format > /dev/null ||
  { echo "check-format: clang-format not found; run scripts/setup.sh" >&2; exit 1; }

case "$scope" in
  lines) mapfile -t jobs < <(bash scripts/changed-files.sh "${base_args[@]}" --lines) ;;
  files) mapfile -t jobs < <(bash scripts/changed-files.sh "${base_args[@]}") ;;
  all) mapfile -t jobs < <(git ls-files -- 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' \
         'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h') ;;
esac
if [ ${#jobs[@]} -eq 0 ]; then
  echo "check-format: no C++ file changed"
  exit 0
fi

if [ "$fix" = 1 ]; then
  mode=(-i)
else
  mode=(--dry-run -Werror)
fi
# Two clang-format processes at a time; --lines applies to a single file, so one file per run.
per_run=(-n 16)
[ "$scope" = lines ] && per_run=(-L 1)
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
status=0
printf '%s\n' "${jobs[@]}" | xargs "${per_run[@]}" -P 2 clang-format "${mode[@]}" 2> "$errors" ||
  status=$?
report="$(cat "$errors")"

if [ "$fix" = 1 ]; then
  [ -z "$report" ] || echo "$report" >&2
  echo "check-format: formatted ${#jobs[@]} file(s) ($scope)"
  exit "$status"
fi
if [ "$status" -ne 0 ] || [ -n "$report" ]; then
  echo "$report"
  bad="$(grep -oE '^[^:]+:[0-9]+:[0-9]+: error' <<< "$report" | cut -d: -f1 | sort -u | wc -l)"
  sites="$(grep -cE '^[^:]+:[0-9]+:[0-9]+: error' <<< "$report" || true)"
  echo "check-format: $sites place(s) in $bad of ${#jobs[@]} file(s) are not clang-formatted ($scope);" \
    "scripts/check-format.sh --fix${base_args:+ ${base_args[*]}}$([ "$scope" = lines ] || echo " --$scope") rewrites them" >&2
  exit 1
fi
echo "check-format: ${#jobs[@]} file(s) clang-formatted ($scope)"
