#!/usr/bin/env bash
# `make run`: installs what is missing, builds the web app and the release binary, and starts the
# server (API and web app on one port) on http://127.0.0.1:8080 with its SQLite database under
# ./data, seeding a demo organisation into an empty database. Extra arguments go to
# `opencredit serve`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="build/release"

bash scripts/setup.sh
bash scripts/web.sh build
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOC_BUILD_TESTS=OFF > /dev/null
ninja -C "$build" -j "$(nproc)" opencredit
exec "$build/src/app/opencredit" serve --data-dir "$root/data" "$@"
