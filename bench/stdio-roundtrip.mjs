// Round trip of execute_code over stdio through the official TypeScript SDK client.
// Usage: node bench/stdio-roundtrip.mjs [warmup=50] [calls=200]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const warmup = Number(process.argv[2] || 50);
const calls = Number(process.argv[3] || 200);
const t0 = performance.now();
const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
// CODEMODE_BENCH_CONFIG=file.yaml compares another runtime mode (e.g. runtime: {isolation: in-process}).
const config = process.env.CODEMODE_BENCH_CONFIG ? ['--config', process.env.CODEMODE_BENCH_CONFIG] : [];
await client.connect(new StdioClientTransport({ command: path.join(root, 'bin/codemode'), args: ['serve', ...config], stderr: 'ignore' }));
await client.listTools();
const startMs = performance.now() - t0;
// The server warms its worker pool in the background after start-up; an agent's first call comes only
// after its model's first turn. CODEMODE_BENCH_SETTLE_MS (default 8000) waits that long before measuring.
const settleMs = Number(process.env.CODEMODE_BENCH_SETTLE_MS ?? 8000);
await new Promise((resolve) => setTimeout(resolve, settleMs));
for (let i = 0; i < warmup; i++) await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } });
const call = async () => {
  const s = performance.now();
  const r = await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } });
  const took = performance.now() - s;
  if (r.isError || r.structuredContent.result !== 2) throw new Error('bad answer ' + JSON.stringify(r));
  return took;
};
const quantiles = (ms) => {
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(ms.length * p))].toFixed(2);
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms`;
};
const backToBack = [];
for (let i = 0; i < calls; i++) backToBack.push(await call());
// An agent's calls come a model turn apart; 20 ms apart is enough for the server's background work
// (the next run's context) to be done, as it is between an agent's calls.
const paced = [];
for (let i = 0; i < calls / 2; i++) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  paced.push(await call());
}
console.log(`stdio round trip of execute_code 'return 1+1' via the TS SDK client (after ${warmup} warm-up calls, ${settleMs} ms after start-up):`);
console.log(`  start-up to first tools/list ${startMs.toFixed(0)} ms`);
console.log(`  ${calls} calls back to back: ${quantiles(backToBack)}`);
console.log(`  ${calls / 2} calls 20 ms apart: ${quantiles(paced)}`);
await client.close();
