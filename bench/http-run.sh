#!/usr/bin/env bash
# Load benchmark over real HTTP (not a test): starts `codemode serve --http 127.0.0.1:0` with
# bench/http-bench.yaml and a 1 GiB heap, runs bench/http-load.mjs against it, stops the server.
# Usage: bash bench/http-run.sh [clients=8] [calls=50]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash testkit/install.sh
log="$(mktemp)"
CODEMODE_JAVA_OPTS="-Xmx1g" bin/codemode serve --http 127.0.0.1:0 --config bench/http-bench.yaml 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 1 600); do
  url="$(sed -n 's/.*serving MCP over Streamable HTTP.* at \(http:[^ ]*\).*/\1/p' "$log" | head -n1)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "the server did not start" >&2; cat "$log" >&2; exit 1; }
echo "server: $url ($(nproc) cores, runtime settings from bench/http-bench.yaml)"
ln -sfn ../testkit/node_modules "$root/bench/node_modules"
NODE_PATH="$root/testkit/node_modules" node --preserve-symlinks bench/http-load.mjs "$url" "${1:-8}" "${2:-50}"
