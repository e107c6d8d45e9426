#!/usr/bin/env bash
# The project's one test command (`npm test`): installs what npm cannot, then lint, type-check,
# build, and every test. Safe to run on a fresh Debian machine as root, and on a developer's machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need, installed only when missing (CI runs as root on a fresh machine).
need_apt=()
require_cmd() { command -v "$1" >/dev/null 2>&1 || need_apt+=("$2"); }
require_pkg() { dpkg -s "$1" >/dev/null 2>&1 || need_apt+=("$1"); }
require_cmd chromium chromium          # headless browser tests (article preview, demo page)
require_pkg fonts-wqy-microhei         # CJK glyphs in screenshots
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing ${need_apt[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "test: missing system packages: ${need_apt[*]} (install them with apt-get, or run as root)" >&2
    exit 1
  fi
fi

[ -d node_modules ] || npm ci

echo "== lint";       node_modules/.bin/eslint .
echo "== typecheck";  node_modules/.bin/tsc -p tsconfig.json --noEmit
echo "== build";      npm run --silent build
echo "== tests";      node scripts/run-tests.mjs
