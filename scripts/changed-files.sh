#!/usr/bin/env bash
# The C++ files (*.cc, *.h under src/, tests/, bench/, fuzz/) that a change touches, one per line,
# for the checks that look only at what changed (check-format.sh, check-tidy.sh).
#
#   scripts/changed-files.sh [--base REV] [--lines]
#
# The change is everything between a base and the working tree: committed, staged, unstaged,
# and new files git does not ignore. Deleted files are left out. The base, unless --base names
# one: the merge-base with origin/main, or with main, when that is not HEAD itself (a branch's
# own commits); otherwise HEAD~1, so that CI on a clean clone of main checks the last commit;
# on a repository with a single commit, every file.
# --lines adds each file's changed line ranges as clang-format options:
#   src/core/money.cc --lines=10:12 --lines=40:40
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

base=""
lines=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="${2:?--base needs a revision}"; shift 2 ;;
    --lines) lines=1; shift ;;
    *) echo "usage: $0 [--base REV] [--lines]" >&2; exit 2 ;;
  esac
done

empty_tree=4b825dc642cb6eb9a060e54bf8d69288fbee4904  # git's empty tree: "every file is new"
if [ -z "$base" ]; then
  head="$(git rev-parse HEAD)"
  for upstream in origin/main main; do
    git rev-parse -q --verify "$upstream^{commit}" > /dev/null || continue
    mb="$(git merge-base "$upstream" HEAD 2> /dev/null || true)"
    if [ -n "$mb" ] && [ "$mb" != "$head" ]; then base="$mb"; break; fi
  done
  if [ -z "$base" ]; then
    if git rev-parse -q --verify 'HEAD~1^{commit}' > /dev/null; then base=HEAD~1; else base="$empty_tree"; fi
  fi
fi

paths=('src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h')
{
  git diff --name-only --diff-filter=d "$base" -- "${paths[@]}"
  git ls-files --others --exclude-standard -- "${paths[@]}"
} | sort -u | while IFS= read -r f; do
  [ -f "$f" ] || continue
  if [ "$lines" = 0 ]; then
    echo "$f"
    continue
  fi
  if git ls-files --error-unmatch -- "$f" > /dev/null 2>&1; then
    # -U0 hunks "@@ -a,b +c,d @@": lines c … c+d-1 of the new file are changed (d = 0: only a
    # deletion, nothing to check; no d: one line).
    ranges="$(git diff -U0 --no-color "$base" -- "$f" |
      sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p' |
      awk '{ n = ($2 == "") ? 1 : $2; if (n > 0) printf " --lines=%d:%d", $1, $1 + n - 1 }')"
  else
    ranges=" --lines=1:$(($(wc -l < "$f") + 1))"  # a new file: all of it
  fi
  [ -n "$ranges" ] && echo "$f$ranges"
done
