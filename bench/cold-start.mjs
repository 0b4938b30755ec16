// Cold paths, measured from process start (prints figures, asserts nothing): `serve` over stdio until
// `initialize` is answered and until the first execute_code is answered, and `bin/codemode run FILE` end to end;
// also the CPU the server process had used when `initialize` was answered (on a busy machine wall times mostly
// measure the other processes; CPU time much less so).
// Usage: node bench/cold-start.mjs [--project DIR] [--times 3]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const project = path.resolve(arg('project', path.join(path.dirname(fileURLToPath(import.meta.url)), '..')));
const times = Number(arg('times', 3));
const env = { ...process.env, CODEMODE_NO_BUILD: '1' };
const script = path.join(os.tmpdir(), `cold-start-${process.pid}.js`);
fs.writeFileSync(script, 'return 6 * 7');
const cpuMs = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in clock ticks of 10 ms
};
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(`cold paths of ${project}`);
for (let i = 0; i < times; i++) {
  const before = load();
  const t0 = performance.now();
  const client = new Client({ name: 'codemode-cold-start', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: path.join(project, 'bin/codemode'), args: ['serve'], stderr: 'ignore', env });
  await client.connect(transport);
  const initialized = performance.now() - t0;
  const initCpu = cpuMs(transport.pid);
  const r = await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } }, undefined, { timeout: 120_000 });
  const firstRun = performance.now() - t0;
  await client.close();
  if (r.structuredContent?.result !== 2) throw new Error('bad answer ' + JSON.stringify(r));
  const r0 = performance.now();
  const out = execFileSync(path.join(project, 'bin/codemode'), ['run', script], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const run = performance.now() - r0;
  if (JSON.parse(out).result !== 42) throw new Error('bad run ' + out);
  console.log(`  #${i + 1}: initialize answered ${initialized.toFixed(0)} ms (server CPU ${initCpu} ms), first execute_code answered`
    + ` ${firstRun.toFixed(0)} ms; 'run FILE' ${run.toFixed(0)} ms (1-min load ${before} before, ${load()} after)`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
}
fs.rmSync(script);
