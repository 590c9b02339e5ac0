#!/usr/bin/env bash
# The dependency rule, checked: every `#include "m/…"` in src/, tests/, bench/ and fuzz/ must name
# a header of a library that the including file's CMake target may use, and the CMake graph
# itself must point the way ARCHITECTURE.md draws it. Prints each violation as `file:line: …` and
# exits 1 if there is any. Bash and POSIX tools only.
#
# The allowed graph is read from the CMake files, never written down here: oc_module(NAME …
# SOURCES … DEPS … PRIVATE_DEPS …), oc_test(…), oc_fuzz_target(…), add_library/add_executable and
# target_link_libraries. A target may use its own headers, its DEPS and PRIVATE_DEPS, and their
# DEPS transitively (PUBLIC is transitive in CMake, PRIVATE is not). What this script does state
# is the policy the graph must obey:
#   - the order of src/CMakeLists.txt: a library uses only modules listed before its own, and
#     README.md's module table names the same modules in that order with their libraries;
#   - ARCHITECTURE.md's arrows, app → api → {http, domain modules} → {storage, expr} → core:
#     an edge goes to a lower tier, or from one domain module to another; http and the domain
#     modules never see each other, and expr stays beside storage, not on top of it;
#   - STYLE.md's bans: below api, nothing includes http/ or api/; only oc::http (the server)
#     includes Boost.Beast/Asio; only the backends include sqlite3.h and libpq-fe.h; only
#     src/app (the composition root) names storage/sqlite/ and storage/postgres/;
#   - test code (*_test.cc, testing/, *_test_fixture.h, test_*.h, everything under tests/) may
#     use its test target's DEPS as well; production code never includes test code.
#
# Which target a file belongs to: the targets that list it in SOURCES; for a header, the targets
# of the .cc beside it with the same name; for a header with no .cc, the lowest library of its
# CMakeLists.txt (the one the others in that directory build on), plus that directory's test
# targets when the header is test code.
#
#   scripts/check-includes.sh          check the tree; exit 1 on any violation
#   scripts/check-includes.sh --graph  also print the module graph as the CMake files declare it
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
print_graph=0
case "${1:-}" in
  --graph) print_graph=1 ;;
  "") ;;
  *) echo "usage: $0 [--graph]" >&2; exit 2 ;;
esac

violations=0
violation() {  # violation FILE:LINE MESSAGE
  echo "$1: $2"
  violations=$((violations + 1))
}

# --- Reading CMake ---------------------------------------------------------------------------
# cmake_commands FILE: one line per command, "LINE<TAB>name<TAB>arg<US>arg…", where each arg is
# "LINE<RS>text". Comments are dropped, quoted arguments kept whole. Enough CMake for this tree's
# files (no bracket arguments).
cmake_commands() {
  awk '
    function flush() {
      if (tok != "") { args = (nargs++ ? args "\037" : "") tokline "\036" tok; tok = "" }
    }
    function add(ch) { if (tok == "") tokline = NR; tok = tok ch }
    BEGIN { depth = 0; inq = 0; ident = ""; gap = 0 }
    {
      n = length($0)
      for (i = 1; i <= n; i++) {
        c = substr($0, i, 1)
        if (depth == 0) {
          if (c == "#") break
          if (c ~ /[A-Za-z0-9_]/) { if (gap) { ident = ""; gap = 0 } ident = ident c }
          else if (c == " " || c == "\t") { if (ident != "") gap = 1 }
          else if (c == "(" && ident != "") {
            name = ident; start = NR; depth = 1; args = ""; nargs = 0; tok = ""; ident = ""; gap = 0
          } else { ident = ""; gap = 0 }
          continue
        }
        if (inq) { add(c); if (c == "\"" && substr($0, i - 1, 1) != "\\") inq = 0; continue }
        if (c == "\"") { inq = 1; add(c) }
        else if (c == "#") break
        else if (c == "(") { depth++; add(c) }
        else if (c == ")") {
          depth--
          if (depth == 0) { flush(); printf "%d\t%s\t%s\n", start, name, args } else add(c)
        }
        else if (c == " " || c == "\t") flush()
        else add(c)
      }
      if (depth > 0 && !inq) flush()
      if (depth == 0) { ident = ""; gap = 0 }
    }
  ' "$1"
}

declare -A kind tdir tline pubdeps privdeps depline file_targets mod_index tgt_sources
targets=()
modules=()

add_target() {  # add_target NAME KIND DIR LINE
  kind[$1]="$2"; tdir[$1]="$3"; tline[$1]="$4"; pubdeps[$1]=""; privdeps[$1]=""
  tgt_sources[$1]=""
  targets+=("$1")
}

add_source() {  # add_source TARGET DIR SRC
  [[ "$3" == *'$'* ]] && return
  local f="$2/$3"
  file_targets[$f]="${file_targets[$f]:-} $1"
  tgt_sources[$1]="${tgt_sources[$1]} $f"
}

add_dep() {  # add_dep TARGET public|private DEP LINE
  [[ "$3" == *'$'* || -z "$3" ]] && return
  if [ "$2" = public ]; then pubdeps[$1]="${pubdeps[$1]} $3"; else privdeps[$1]="${privdeps[$1]} $3"; fi
  depline[$1|$3]="$4"
}

# parse_targets FILE: the targets a CMakeLists.txt defines.
parse_targets() {
  local file="$1" dir line cmd argstr a al t section vis
  dir="${file%/CMakeLists.txt}"
  local -a args
  while IFS=$'\t' read -r line cmd argstr; do
    IFS=$'\037' read -r -a args <<< "$argstr"
    case "$cmd" in
      oc_module|oc_test|oc_fuzz_target)
        t=""; section=""
        for a in "${args[@]}"; do
          al="${a%%$'\036'*}"; a="${a#*$'\036'}"
          case "$a" in
            NAME|SOURCES|DEPS|PRIVATE_DEPS|PCH|LABELS) section="$a"; continue ;;
          esac
          case "$section" in
            NAME)
              case "$cmd" in
                oc_module) t="oc::$a"; add_target "$t" module "$dir" "$line" ;;
                oc_test) t="$a"; add_target "$t" test "$dir" "$line"
                  add_dep "$t" private GTest::gmock "$line"
                  add_dep "$t" private GTest::gtest_main "$line" ;;
                oc_fuzz_target) t="$a"; add_target "$t" fuzz "$dir" "$line" ;;
              esac ;;
            SOURCES) add_source "$t" "$dir" "$a" ;;
            DEPS) add_dep "$t" public "$a" "$al" ;;
            PRIVATE_DEPS) add_dep "$t" private "$a" "$al" ;;
          esac
        done ;;
      add_library|add_executable)
        t="${args[0]#*$'\036'}"
        [[ "$t" == *'$'* ]] && continue
        [[ "$argstr" == *$'\036'ALIAS* || "$argstr" == *$'\036'IMPORTED* ]] && continue
        if [ "$cmd" = add_library ]; then add_target "$t" lib "$dir" "$line"
        else add_target "$t" exe "$dir" "$line"; fi
        for a in "${args[@]:1}"; do
          a="${a#*$'\036'}"
          case "$a" in STATIC|SHARED|OBJECT|MODULE|INTERFACE|EXCLUDE_FROM_ALL|WIN32) continue ;; esac
          add_source "$t" "$dir" "$a"
        done ;;
      target_link_libraries)
        t="${args[0]#*$'\036'}"
        [[ "$t" == *'$'* ]] && continue
        vis=public
        [ "${kind[$t]:-}" = exe ] && vis=private
        for a in "${args[@]:1}"; do
          al="${a%%$'\036'*}"; a="${a#*$'\036'}"
          case "$a" in
            PUBLIC|INTERFACE) vis=public; continue ;;
            PRIVATE) vis=private; continue ;;
          esac
          add_dep "$t" "$vis" "$a" "$al"
        done ;;
    esac
  done < <(cmake_commands "$file")
}

# The module order of src/CMakeLists.txt.
i=0
while IFS=$'\t' read -r line cmd argstr; do
  [ "$cmd" = add_subdirectory ] || continue
  d="${argstr#*$'\036'}"
  modules+=("$d")
  mod_index[$d]=$i
  i=$((i + 1))
  [ -f "src/$d/CMakeLists.txt" ] ||
    violation "src/CMakeLists.txt:$line" "add_subdirectory($d) has no src/$d/CMakeLists.txt"
done < <(cmake_commands src/CMakeLists.txt)
for d in src/*/; do
  d="${d%/}"; d="${d#src/}"
  [ -f "src/$d/CMakeLists.txt" ] || continue
  [ -n "${mod_index[$d]:-}" ] ||
    violation "src/CMakeLists.txt:1" "src/$d has a CMakeLists.txt but is not in the module list"
done

# README.md's module table is the layout as the build has it: the same modules in the same order,
# each with the libraries its CMakeLists.txt defines.
readme_modules=()
declare -A readme_libraries readme_line
n=0
in_table=0
while IFS= read -r text; do
  n=$((n + 1))
  case "$text" in
    *'<!-- modules -->'*) in_table=1; continue ;;
    *'<!-- /modules -->'*) in_table=0; continue ;;
  esac
  [ "$in_table" = 1 ] || continue
  IFS='|' read -r _ name libs _ <<< "$text"
  name="$(echo "$name" | tr -d ' ')"
  case "$name" in module|---*|"") continue ;; esac
  readme_modules+=("$name")
  readme_libraries[$name]="$(echo "$libs" | tr -d ' ' | tr ',' '\n' | sort | tr '\n' ' ')"
  readme_line[$name]=$n
done < README.md
if [ "${readme_modules[*]}" != "${modules[*]}" ]; then
  violation "README.md:1" "the module table lists (${readme_modules[*]}), src/CMakeLists.txt builds (${modules[*]})"
fi
for d in "${modules[@]}"; do
  [ -n "${readme_line[$d]:-}" ] || continue
  built="$(grep -oE '(oc_module|add_library)\((NAME )?[a-z_]+' "src/$d/CMakeLists.txt" $(find "src/$d" -mindepth 2 -name CMakeLists.txt) |
    sed -E 's/.*[( ]//' | sed 's/^oc_//' | sort | tr '\n' ' ')"
  [ "$built" = "${readme_libraries[$d]}" ] ||
    violation "README.md:${readme_line[$d]}" "module $d: the table lists libraries (${readme_libraries[$d]% }), its CMake files define (${built% })"
done

mapfile -t cmake_files < <(find src tests bench fuzz -name CMakeLists.txt ! -path src/CMakeLists.txt \
  2> /dev/null | sort)
for f in "${cmake_files[@]}"; do parse_targets "$f"; done

# oc_x and oc::x name the same library.
for t in "${targets[@]}"; do
  for vis in pub priv; do
    declare -n deps="${vis}deps"
    nd=""
    for d in ${deps[$t]}; do
      if [[ "$d" == oc_* && -n "${kind[oc::${d#oc_}]:-}" ]]; then
        depline[$t|oc::${d#oc_}]="${depline[$t|$d]}"; d="oc::${d#oc_}"
      fi
      nd="$nd $d"
    done
    deps[$t]="$nd"
    unset -n deps
  done
done

# --- What a target may use -------------------------------------------------------------------
declare -A pub_closure allowed
closure_of() {  # closure_of T: " T dep … ", what T's PUBLIC deps give, transitively (memoised)
  local t="$1" d x acc
  [ -n "${pub_closure[$t]:-}" ] && return
  pub_closure[$t]=" $t "  # guards against cycles
  acc=" $t "
  for d in ${pubdeps[$t]:-}; do
    closure_of "$d"
    for x in ${pub_closure[$d]}; do [[ "$acc" == *" $x "* ]] || acc="$acc$x "; done
  done
  pub_closure[$t]="$acc"
}
for t in "${targets[@]}"; do
  closure_of "$t"
  acc="${pub_closure[$t]}"
  for d in ${privdeps[$t]}; do
    closure_of "$d"
    for x in ${pub_closure[$d]}; do [[ "$acc" == *" $x "* ]] || acc="$acc$x "; done
  done
  allowed[$t]="$acc"
done

# module_of T sets MOD: the src/ module directory a target lives in ("" outside src/).
module_of() {
  MOD="${tdir[$1]:-}"
  if [[ "$MOD" == src/* ]]; then MOD="${MOD#src/}"; MOD="${MOD%%/*}"; else MOD=""; fi
}
# tier M sets TIER: ARCHITECTURE.md's arrows as numbers; every module not named is a domain one.
tier() {
  case "$1" in
    core) TIER=0 ;;
    storage|expr) TIER=1 ;;
    api) TIER=3 ;;
    app) TIER=4 ;;
    *) TIER=2 ;;  # http and the domain modules
  esac
}
is_domain() { case "$1" in core|storage|expr|http|api|app|"") return 1 ;; *) return 0 ;; esac; }

# --- The graph itself ------------------------------------------------------------------------
for t in "${targets[@]}"; do
  module_of "$t"; m="$MOD"
  [ -n "$m" ] || continue
  for d in ${pubdeps[$t]} ${privdeps[$t]}; do
    where="${tdir[$t]}/CMakeLists.txt:${depline[$t|$d]:-${tline[$t]}}"
    if [[ "$d" == oc::* && -z "${kind[$d]:-}" ]]; then
      violation "$where" "$t depends on $d, which no CMakeLists.txt defines"
      continue
    fi
    [ -n "${kind[$d]:-}" ] || continue  # a third-party target
    module_of "$d"; dm="$MOD"
    [ -n "$dm" ] && [ "$dm" != "$m" ] || continue
    tier "$m"; tm="$TIER"; tier "$dm"; tdm="$TIER"
    if [ -n "${mod_index[$dm]:-}" ] && [ -n "${mod_index[$m]:-}" ] &&
       [ "${mod_index[$dm]}" -gt "${mod_index[$m]}" ]; then
      violation "$where" "$t depends on $d, whose module $dm comes after $m in src/CMakeLists.txt: the edge points up"
    elif [ "$m" = http ] && is_domain "$dm"; then
      violation "$where" "$t depends on $d: http/ never includes a domain module"
    elif is_domain "$m" && [ "$dm" = http ]; then
      violation "$where" "$t depends on $d: domain modules never include http/"
    elif [ "$tdm" -ge "$tm" ] && ! { is_domain "$m" && is_domain "$dm"; }; then
      violation "$where" "$t ($m) depends on $d ($dm): ARCHITECTURE.md's arrows are app → api → {http, domain modules} → {storage, expr} → core"
    fi
    if [[ "$d" == oc::storage_sqlite || "$d" == oc::storage_postgres ]] &&
       [ "${kind[$t]}" = module ] && [ "$m" != app ]; then
      violation "$where" "$t depends on $d: only src/app (the composition root) names the concrete backends"
    fi
  done
done

if [ "$print_graph" = 1 ]; then
  echo "modules, in the order of src/CMakeLists.txt: ${modules[*]}"
  for mod in "${modules[@]}"; do
    for t in "${targets[@]}"; do
      module_of "$t"
      [ "${kind[$t]}" = module ] && [ "$MOD" = "$mod" ] || continue
      line="  $t →"
      for d in ${pubdeps[$t]}; do [[ "$d" == oc::* ]] && line="$line $d"; done
      p=""; for d in ${privdeps[$t]}; do [[ "$d" == oc::* ]] && p="$p $d"; done
      [ -n "$p" ] && line="$line (private:$p)"
      echo "$line"
    done
  done
fi

# --- The files -------------------------------------------------------------------------------
is_test_file() {
  case "$1" in
    tests/*|*/testing/*|*_test.cc|*_test.h|*_test_fixture.h|*/test_*.h|*/test_*.cc) return 0 ;;
  esac
  return 1
}

# base_library DIR FILE sets BASE: the lowest library that DIR's CMakeLists.txt defines,
# preferring those with sources in FILE's own directory.
declare -A base_memo
base_library() {
  local dir="$1" fdir="${2%/*}" t s n pass bestn=99999 found
  local key="$dir|$fdir"
  if [ -n "${base_memo[$key]+x}" ]; then BASE="${base_memo[$key]}"; return; fi
  BASE=""
  for pass in same any; do
    for t in "${targets[@]}"; do
      [ "${tdir[$t]}" = "$dir" ] || continue
      case "${kind[$t]}" in module|lib) ;; *) continue ;; esac
      if [ "$pass" = same ]; then
        found=0
        for s in ${tgt_sources[$t]}; do [ "${s%/*}" = "$fdir" ] && { found=1; break; }; done
        [ "$found" = 1 ] || continue
      fi
      n=0; for s in ${pub_closure[$t]}; do n=$((n + 1)); done
      if [ "$n" -lt "$bestn" ]; then BASE="$t"; bestn="$n"; fi
    done
    [ -n "$BASE" ] && break
  done
  base_memo[$key]="$BASE"
}

# owners FILE [with-tests] sets OWNERS: the targets FILE is compiled as part of ("" if none).
declare -A owners_memo
owners() {
  local f="$1" want="${2:-}" key="$1|${2:-}" dir t
  if [ -n "${owners_memo[$key]+x}" ]; then OWNERS="${owners_memo[$key]}"; return; fi
  OWNERS="${file_targets[$f]:-}"
  if [ -z "$OWNERS" ] && [[ "$f" == *.h ]]; then OWNERS="${file_targets[${f%.h}.cc]:-}"; fi
  if [ -z "$OWNERS" ] && [[ "$f" == *.h ]]; then
    dir="${f%/*}"  # the nearest directory above with a CMakeLists.txt
    while [ "$dir" != "${dir%/*}" ] && [ ! -f "$dir/CMakeLists.txt" ]; do dir="${dir%/*}"; done
    base_library "$dir" "$f"
    OWNERS="$BASE"
    if [ "$want" = with-tests ] && is_test_file "$f"; then
      for t in "${targets[@]}"; do
        [ "${tdir[$t]}" = "$dir" ] && [ "${kind[$t]}" = test ] && OWNERS="$OWNERS $t"
      done
    fi
  fi
  OWNERS="${OWNERS# }"
  owners_memo[$key]="$OWNERS"
}

if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  mapfile -t files < <(git ls-files -co --exclude-standard -- \
    'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h' |
    sort -u)
else
  mapfile -t files < <(find src tests bench fuzz -name '*.cc' -o -name '*.h' | sort)
fi
existing=()
for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
files=("${existing[@]}")

declare -A file_allowed
for f in "${files[@]}"; do
  owners "$f" with-tests
  if [ -z "$OWNERS" ]; then
    [[ "$f" == *.cc ]] &&
      violation "$f:1" "no CMake target lists this file in its SOURCES, so nothing compiles it"
    continue
  fi
  acc=" "
  for t in $OWNERS; do acc="$acc${allowed[$t]# }"; done
  file_allowed[$f]="$acc"
done

include_re_sys='^[[:space:]]*#[[:space:]]*include[[:space:]]*<([^>]+)>'
include_re_own='^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)"'
while IFS= read -r hit; do
  f="${hit%%:*}"; rest="${hit#*:}"; ln="${rest%%:*}"; text="${rest#*:}"
  [ -n "${file_allowed[$f]+x}" ] || continue
  m=""
  if [[ "$f" == src/* ]]; then m="${f#src/}"; m="${m%%/*}"; fi

  if [[ "$text" =~ $include_re_sys ]]; then
    inc="${BASH_REMATCH[1]}"
    case "$inc" in
      boost/beast*|boost/asio*)
        [ -n "$m" ] || continue  # tests and benchmarks drive the server over TCP
        if [ "$m" = http ] && [[ "${file_allowed[$f]}" == *" oc::http "* ]]; then continue; fi
        if [ "$m" = http ]; then
          violation "$f:$ln" "oc::http_core includes <$inc>: only oc::http (the server) includes Boost.Beast/Asio"
        elif [ "$m" = api ] || [ "$m" = app ]; then
          violation "$f:$ln" "$m includes <$inc>: only src/http includes Boost.Beast/Asio"
        else
          violation "$f:$ln" "$m includes <$inc>: domain modules never include Boost.Beast/Asio"
        fi ;;
      sqlite3.h|libpq-fe.h)
        if [ "$inc" = sqlite3.h ]; then backend=sqlite; lib=SQLite::SQLite3
        else backend=postgres; lib=PostgreSQL::PostgreSQL; fi
        if [ -n "$m" ]; then
          [[ "$f" == src/storage/$backend/* ]] ||
            violation "$f:$ln" "$m includes <$inc>: only src/storage/$backend/ includes the client library"
        elif [[ "${file_allowed[$f]}" != *" $lib "* ]]; then
          violation "$f:$ln" "includes <$inc> but its target does not link $lib"
        fi ;;
    esac
    continue
  fi
  [[ "$text" =~ $include_re_own ]] || continue
  inc="${BASH_REMATCH[1]}"
  top="${inc%%/*}"
  if [ -f "src/$inc" ]; then
    path="src/$inc"; im="$top"
  elif [ -f "${f%/*}/$inc" ]; then
    path="${f%/*}/$inc"; im=""
  else
    [[ "$inc" == */* && -d "src/$top" ]] &&
      violation "$f:$ln" "includes \"$inc\", which does not exist under src/"
    continue
  fi

  # STYLE.md's bans first: they say why; the graph check below only says what.
  if [ -n "$m" ] && [ "$m" != http ] && [ "$m" != api ] && [ "$m" != app ] &&
     { [ "$im" = http ] || [ "$im" = api ]; }; then
    violation "$f:$ln" "$m includes \"$inc\": domain modules never include http/ or api/"
    continue
  fi
  if [ "$m" = http ] && is_domain "$im"; then
    violation "$f:$ln" "http includes \"$inc\": http/ never includes a domain module"
    continue
  fi
  if [[ "$inc" == storage/sqlite/* || "$inc" == storage/postgres/* ]] && [ -n "$m" ] &&
     [ "$m" != app ] && [ "$m" != storage ] && ! is_test_file "$f"; then
    violation "$f:$ln" "$m includes \"$inc\": only src/app (the composition root) names the concrete backends"
    continue
  fi
  if is_test_file "$path" && ! is_test_file "$f"; then
    violation "$f:$ln" "production code includes the test helper \"$inc\""
    continue
  fi

  owners "$path"
  ok=0
  for t in $OWNERS; do [[ "${file_allowed[$f]}" == *" $t "* ]] && { ok=1; break; }; done
  if [ "$ok" = 0 ]; then
    theirs="$OWNERS"
    owners "$f" with-tests
    if [ -z "$theirs" ]; then
      violation "$f:$ln" "includes \"$inc\", which belongs to no CMake target"
    else
      violation "$f:$ln" "includes \"$inc\" of ${theirs// / or }, which ${OWNERS// / or } does not declare (DEPS, transitively)"
    fi
  fi
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]' "${files[@]}" /dev/null)

if [ "$violations" -gt 0 ]; then
  echo "check-includes: $violations violation(s) of the dependency rule (STYLE.md, ARCHITECTURE.md)" >&2
  exit 1
fi
echo "check-includes: ${#files[@]} files, ${#targets[@]} targets: every include follows the dependency rule"
