// Throughput of a mix of calls of which a share are runaway loops (an agent's accidental `while (true) {}`
// ended by its wall budget), through the official TypeScript SDK client over stdio. Prints figures; asserts
// nothing. Counts the worker JVMs started during the mix (a limit that costs a JVM shows up there).
// Usage: node bench/runaway-mix.mjs [--project DIR] [--config FILE] [--calls 200] [--concurrency 4]
//        [--loop-share 0.2] [--loop-ms 300] [--settle-ms 8000]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const opts = { project: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), config: null, calls: 200,
  concurrency: 4, 'loop-share': 0.2, 'loop-ms': 300, 'settle-ms': 8000 };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in opts)) throw new Error('unknown option ' + process.argv[i]);
  opts[key] = typeof opts[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const project = path.resolve(opts.project);

/** Worker JVMs under the server process {@code root} alive now (the training worker, which takes no runs, left out). */
const workerPids = (root) => {
  const children = new Map();
  const cmd = new Map();
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'latin1');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(p);
      cmd.set(p, fs.readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0'));
    } catch { /* gone */ }
  }
  const pids = new Set();
  const walk = (p) => (children.get(p) ?? []).forEach((c) => {
    const argv = cmd.get(c) ?? [''];
    const line = argv.join(' ');
    if (argv[0].endsWith('/java') && line.includes('worker.WorkerMain') && !line.includes('-XX:ArchiveClassesAtExit')) pids.add(c);
    walk(c);
  });
  walk(String(root));
  return pids;
};
/** Busy and total jiffies of the whole machine (other processes' load included). */
const cpu = () => {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};

const client = new Client({ name: 'codemode-runaway-bench', version: '1.0.0' });
const args = ['serve', ...(opts.config ? ['--config', path.resolve(opts.config)] : [])];
const transport = new StdioClientTransport({ command: path.join(project, 'bin/codemode'), args, stderr: 'ignore',
  env: { ...process.env, CODEMODE_NO_BUILD: '1' } });
await client.connect(transport);
const server = transport.pid;
const call = async (code, extra = {}) => {
  const s = performance.now();
  const r = await client.callTool({ name: 'execute_code', arguments: { code, ...extra } }, undefined, { timeout: 600_000 });
  return { ms: performance.now() - s, status: r.structuredContent?.status };
};
for (let i = 0; i < 20; i++) await call('return 1+1');
await new Promise((resolve) => setTimeout(resolve, opts['settle-ms']));
for (let i = 0; i < 50; i++) await call('return 1+1');

// Every 1/share-th call is a loop, so each stretch of the mix holds the same share.
const every = Math.round(1 / opts['loop-share']);
const plan = Array.from({ length: opts.calls }, (_, i) => (i % every === every - 1 ? 'loop' : 'work'));
const work = 'const xs = Array.from({length: 200}, (_, i) => ({i, v: i % 13})); return xs.filter(x => x.v > 3).length';
const seen = new Set(workerPids(server));
const atStart = new Set(seen);
const sampler = setInterval(() => workerPids(server).forEach((p) => seen.add(p)), 50);
const cpu0 = cpu();
const t0 = performance.now();
const results = { work: [], loop: [] };
const statuses = {};
let next = 0;
await Promise.all(Array.from({ length: opts.concurrency }, async () => {
  while (next < plan.length) {
    const kind = plan[next++];
    const r = kind === 'loop' ? await call('while (true) {}', { timeout_ms: opts['loop-ms'] }) : await call(work);
    results[kind].push(r.ms);
    statuses[`${kind}:${r.status}`] = (statuses[`${kind}:${r.status}`] ?? 0) + 1;
  }
}));
const elapsed = (performance.now() - t0) / 1000;
const cpu1 = cpu();
clearInterval(sampler);
await client.close();

const q = (ms, p) => [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor(ms.length * p))].toFixed(1);
const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`runaway mix against ${project}${opts.config ? ' (' + opts.config + ')' : ''}: ${opts.calls} calls,`
  + ` ${opts.concurrency} in flight, every ${every}th a 'while (true) {}' with timeout_ms ${opts['loop-ms']}`);
console.log(`  ${elapsed.toFixed(2)} s: ${(opts.calls / elapsed).toFixed(1)} calls/s; useful calls`
  + ` ${(results.work.length / elapsed).toFixed(1)}/s, p50 ${q(results.work, 0.5)} ms, p95 ${q(results.work, 0.95)} ms;`
  + ` loops p50 ${q(results.loop, 0.5)} ms, p95 ${q(results.loop, 0.95)} ms`);
console.log(`  worker JVMs started during the mix: ${[...seen].filter((p) => !atStart.has(p)).length};`
  + ` machine CPU busy ${(100 * (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)).toFixed(0)} %;`
  + ` statuses ${JSON.stringify(statuses)}; load average after ${load}`);
