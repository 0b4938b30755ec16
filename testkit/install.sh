#!/usr/bin/env bash
# Installs the npm test peers from the committed lockfile, only when node_modules is missing or stale.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.codemode-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "testkit: npm is required for the end-to-end tests (install Node.js 20+)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
