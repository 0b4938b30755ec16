import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fs from 'node:fs';
import { execSync } from 'node:child_process';
const config = process.env.CFG ? ['--config', process.env.CFG] : [];
const t = new StdioClientTransport({ command: '/work/main/bin/codemode', args: ['serve', ...config], stderr: 'ignore' });
const client = new Client({ name: 'b', version: '1' });
await client.connect(t);
await client.listTools();
await new Promise(r => setTimeout(r, 8000));
const pids = () => execSync(`pgrep -f 'codemode' || true`).toString().trim().split('\n').filter(Boolean).filter(p => Number(p) !== process.pid);
const cpu = () => { let s = 0; for (const p of pids()) { try { const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); s += Number(f[11]) + Number(f[12]); } catch {} } return s * 10; };
const call = async () => { const s = performance.now(); await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } }); return performance.now() - s; };
for (let i = 0; i < 1000; i++) await call();
for (let round = 0; round < 3; round++) {
  const c0 = cpu(), n0 = process.cpuUsage(), w0 = performance.now();
  const ms = []; for (let i = 0; i < 500; i++) ms.push(await call());
  const wall = performance.now() - w0, jc = cpu() - c0, nc = process.cpuUsage(n0);
  ms.sort((a, b) => a - b);
  console.log(`p50 ${ms[250].toFixed(2)} ms; per call: wall ${(wall/500).toFixed(2)} server-cpu ${(jc/500).toFixed(2)} node-cpu ${((nc.user+nc.system)/1000/500).toFixed(2)} ms  (pids ${pids().length})`);
}
await client.close();
