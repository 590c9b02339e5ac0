#!/usr/bin/env bash
# Front end helper: `scripts/web.sh build` and `scripts/web.sh test [path/to/opencredit]`.
#   build  npm ci (when node_modules is missing or package-lock.json changed), then vite build into web/dist
#   test   type check, unit tests (Vitest), the API document against Redocly's recommended rules,
#          then browser tests (Playwright driving Debian's Chromium) against a real
#          `opencredit serve`; the binary comes from the argument or OC_BINARY.
# Installs Debian's nodejs/npm and chromium with apt-get when they are missing. Never downloads a browser.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { printf '[web] %s\n' "$*" >&2; }

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "need root to install: $*"; return 1
    fi
  fi
  log "installing with apt-get: $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@" \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update && \
         DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"; }
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
}

ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ]; then
    apt_install chromium
  fi
  # Chinese glyphs for readable screenshots (optional).
  if ! dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    apt_install fonts-wqy-zenhei || log "no CJK font; screenshots will show boxes for Chinese text"
  fi
}

ensure_deps() {
  ensure_node
  local stamp="$WEB/node_modules/.package-lock.sha256"
  local want
  want="$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)"
  if [ ! -d "$WEB/node_modules" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "npm ci"
    (cd "$WEB" && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}

build() {
  ensure_deps
  log "vite build -> web/dist"
  (cd "$WEB" && npx --no-install vite build)
}

run_tests() {
  local binary="${1:-${OC_BINARY:-}}"
  if [ -z "$binary" ]; then
    echo "usage: scripts/web.sh test <path/to/opencredit>   (or set OC_BINARY)" >&2
    exit 2
  fi
  if [ ! -x "$binary" ]; then
    echo "not an executable: $binary" >&2
    exit 2
  fi
  OC_BINARY="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
  export OC_BINARY
  ensure_deps
  ensure_chromium
  log "type check"
  (cd "$WEB" && npx --no-install tsc --noEmit -p tsconfig.json)
  log "unit tests"
  (cd "$WEB" && npx --no-install vitest run)
  log "API document lint (Redocly, offline)"
  (cd "$WEB" && npm run --silent lint:api)
  build
  log "browser tests (screenshots in web/e2e/screenshots/)"
  (cd "$WEB" && npx --no-install vitest run --config e2e/vitest.config.ts)
}

case "${1:-}" in
  build) build ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: scripts/web.sh build | test <path/to/opencredit>" >&2; exit 2 ;;
esac
