// Load over real HTTP on 127.0.0.1: K concurrent TypeScript SDK clients x M execute_code calls each.
// Phase 1: only 'return 1+1'. Phase 2: the same load with one memory bomb and one infinite loop mixed in;
// every other call must still complete and every call must get an answer (nothing lost).
// Usage: node bench/http-load.mjs URL [clients=8] [calls=50] [token]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, kArg, mArg, token] = process.argv.slice(2);
const K = Number(kArg || 8);
const M = Number(mArg || 50);
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const BOMB = 'const a = []; while (true) { a.push(new Array(1 << 20).fill(7)); } return a.length';
const LOOP = 'while (true) {}';

async function connect(name) {
  const c = new Client({ name, version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

async function call(c, code) {
  const s = performance.now();
  const r = await c.callTool({ name: 'execute_code', arguments: { code } }, undefined, { timeout: 180000 });
  return { ms: performance.now() - s, r };
}

const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(1);

async function phase(label, hostile) {
  const clients = await Promise.all(Array.from({ length: K }, (_, i) => connect(`load-${i}`)));
  for (const c of clients) await call(c, 'return 1+1');            // warm each session
  const extras = [];
  const hostileClients = hostile ? [await connect('bomb'), await connect('loop')] : [];
  const t0 = performance.now();
  if (hostile) {
    const [bombClient, loopClient] = hostileClients;
    extras.push(call(bombClient, BOMB).then((x) => ({ kind: 'memory bomb', ...x })));
    extras.push(call(loopClient, LOOP).then((x) => ({ kind: 'infinite loop', ...x })));
  }
  const ms = [];
  let ok = 0, failed = 0, busy = 0;
  await Promise.all(clients.map(async (c) => {
    for (let i = 0; i < M; i++) {
      const { ms: t, r } = await call(c, 'return 1+1');
      ms.push(t);
      if (!r.isError && r.structuredContent && r.structuredContent.result === 2) ok++;
      else if (String(r.content?.[0]?.text).includes('busy')) busy++;
      else { failed++; console.error('unexpected answer', JSON.stringify(r).slice(0, 300)); }
    }
  }));
  const normalMs = performance.now() - t0;
  const hostileAnswers = await Promise.all(extras);
  const totalMs = performance.now() - t0;
  ms.sort((a, b) => a - b);
  console.log(`${label}: ${K} clients x ${M} calls = ${K * M} calls; ${ok} ok, ${busy} busy, ${failed} failed`);
  console.log(`  throughput ${(ms.length / (normalMs / 1000)).toFixed(1)} calls/s; latency p50 ${q(ms, 0.5)} ms, `
      + `p95 ${q(ms, 0.95)} ms, p99 ${q(ms, 0.99)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`);
  for (const h of hostileAnswers) {
    const s = h.r.structuredContent || {};
    console.log(`  ${h.kind}: answered after ${(h.ms / 1000).toFixed(1)} s with status ${s.status}`
        + `${s.limit ? ' (' + s.limit + ')' : ''}${s.error ? ' — ' + s.error.message : ''}`);
  }
  if (hostile) console.log(`  phase took ${(totalMs / 1000).toFixed(1)} s including the hostile calls`);
  await Promise.all([...clients, ...hostileClients].map((c) => c.close()));
  const lost = K * M - ok - busy - failed;
  if (failed > 0 || lost > 0 || hostileAnswers.some((h) => !h.r.isError)) {
    console.error(`  FAILED: ${failed} failed, ${lost} lost`);
    process.exitCode = 1;
  }
}

await phase('phase 1 (return 1+1 only)', false);
await phase('phase 2 (+1 memory bomb, +1 infinite loop)', true);
process.exit(process.exitCode || 0);
