#!/usr/bin/env bash
# Prints codemode's benchmark figures (not a test): in-process run cost, worker-mode round trip and pool
# warm-up, broker call overhead and token savings on a reference workflow, and the stdio round trip.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never -pl mcp-server -am -DskipTests package
bash testkit/install.sh
# The .mjs benches import the TypeScript SDK from testkit/ (ES modules ignore NODE_PATH).
ln -sfn ../testkit/node_modules bench/node_modules
flags=(-Dpolyglotimpl.AttachLibraryFailureAction=ignore -Dpolyglot.engine.WarnInterpreterOnly=false)
java "${flags[@]}" -cp "mcp-server/target/lib/*" bench/InProcessBench.java "${1:-500}" "${2:-2000}"
java "${flags[@]}" -cp "mcp-server/target/lib/*:mcp-server/target/codemode.jar" bench/BrokerBench.java 300 9 2>/dev/null
echo "the same call with runtime.isolation: in-process:"
java "${flags[@]}" -Dbench.isolation=in-process -Dbench.tokens=false -cp "mcp-server/target/lib/*:mcp-server/target/codemode.jar" \
  bench/BrokerBench.java 300 9 2>/dev/null
java "${flags[@]}" -cp "mcp-server/target/lib/*" bench/WorkerBench.java 300 1000 "${CODEMODE_BENCH_JAIL:-bwrap}"
# runtime.jit on vs off: jailed workers, calls alternating (needs JDK 25.0.3 and mcp-server/target/lib/jit).
java "${flags[@]}" -cp "mcp-server/target/lib/*" bench/JitBench.java 60 40
# One server per mode, measured after 50, 1,000 and 5,000 calls (the JIT warms for thousands of calls).
NODE_PATH="$root/testkit/node_modules" node --preserve-symlinks bench/stdio-roundtrip.mjs 50,1000,5000 200
CODEMODE_BENCH_CONFIG="$root/bench/in-process.yaml" NODE_PATH="$root/testkit/node_modules" \
  node --preserve-symlinks bench/stdio-roundtrip.mjs 50,1000,5000 200
# The JIT's warm-up behind those three points: mean latency and the server JVM's compile work over 8,000 calls.
NODE_PATH="$root/testkit/node_modules" node --preserve-symlinks bench/warmup-curve.mjs
CODEMODE_BENCH_CONFIG="$root/bench/in-process.yaml" NODE_PATH="$root/testkit/node_modules" \
  node --preserve-symlinks bench/warmup-curve.mjs
