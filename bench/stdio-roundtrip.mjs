// Round trip of execute_code over stdio through the official TypeScript SDK client, measured at points
// along the JVM's warm-up: GraalJS runs interpreter-only on a stock JDK, so the JIT keeps compiling the
// interpreter (and the server's own Java) for thousands of calls, and latency falls the whole time.
// Usage: node bench/stdio-roundtrip.mjs [checkpoints=50,1000,5000] [calls=200]
//   CODEMODE_BENCH_CONFIG=file.yaml   compare another runtime mode (e.g. runtime: {isolation: in-process})
//   CODEMODE_BENCH_SETTLE_MS=8000     wait after start-up before the first call
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkpoints = (process.argv[2] || '50,1000,5000').split(',').map(Number).sort((a, b) => a - b);
const calls = Number(process.argv[3] || 200);
const t0 = performance.now();
const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
const config = process.env.CODEMODE_BENCH_CONFIG ? ['--config', process.env.CODEMODE_BENCH_CONFIG] : [];
await client.connect(new StdioClientTransport({ command: path.join(root, 'bin/codemode'), args: ['serve', ...config], stderr: 'ignore' }));
await client.listTools();
const startMs = performance.now() - t0;
// The server warms itself in the background after start-up; an agent's first call comes only after its
// model's first turn.
const settleMs = Number(process.env.CODEMODE_BENCH_SETTLE_MS ?? 8000);
await new Promise((resolve) => setTimeout(resolve, settleMs));
const call = async () => {
  const s = performance.now();
  const r = await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } });
  const took = performance.now() - s;
  if (r.isError || r.structuredContent.result !== 2) throw new Error('bad answer ' + JSON.stringify(r));
  return took;
};
const p50 = (ms) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
const quantiles = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))].toFixed(2);
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms`;
};
console.log(`stdio round trip of execute_code 'return 1+1' via the TS SDK client (${config.length ? config[1] : 'default config'}):`);
console.log(`  start-up to first tools/list ${startMs.toFixed(0)} ms; measuring from ${settleMs} ms later`);
let done = 0;
for (const warm of checkpoints) {
  const before = [];
  while (done < warm) {
    before.push(await call());
    done++;
  }
  const backToBack = [];
  for (let i = 0; i < calls; i++) backToBack.push(await call());
  // An agent's calls come a model turn apart; 20 ms apart is enough for the server's background work
  // (the next run's context) to be done, as it is between an agent's calls.
  const paced = [];
  for (let i = 0; i < calls / 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    paced.push(await call());
  }
  const earlier = before.length ? ` (the ${before.length} calls before: p50 ${p50(before).toFixed(2)} ms)` : '';
  console.log(`  after ${warm} calls${earlier}:`);
  console.log(`    ${calls} back to back: ${quantiles(backToBack)}; ${calls / 2} 20 ms apart: ${quantiles(paced)}`);
  done += calls + calls / 2;
}
await client.close();
