#!/usr/bin/env bash
# Installs every system package the build, the tests, the benchmarks and the house-rule checks
# (clang-format, clang-tidy) need, from Debian's repositories only. Safe to run again: it installs
# only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libexpected-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-contrib
  libssl-dev libargon2-dev libmimalloc-dev libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy
  curl wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
