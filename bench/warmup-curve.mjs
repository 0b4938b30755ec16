// How long the server's JIT keeps compiling: runs execute_code 'return 1+1' through the TS SDK client
// up to each checkpoint and prints the mean latency since the previous one, with `jstat -compiler` of the
// server JVM (methods compiled so far, seconds spent compiling). Not a test.
// Usage: node bench/warmup-curve.mjs [checkpoints=500,1000,2000,4000,8000]
//   CODEMODE_BENCH_CONFIG=file.yaml   another runtime mode (e.g. bench/in-process.yaml)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkpoints = (process.argv[2] || '500,1000,2000,4000,8000').split(',').map(Number).sort((a, b) => a - b);
const config = process.env.CODEMODE_BENCH_CONFIG ? ['--config', process.env.CODEMODE_BENCH_CONFIG] : [];
const transport = new StdioClientTransport({ command: path.join(root, 'bin/codemode'), args: ['serve', ...config], stderr: 'ignore' });
const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
await client.connect(transport);
await client.listTools();
// bin/codemode execs the JVM, so the child's pid is the server's.
const jstat = () => {
  const [compiled, , , seconds] = execFileSync('jstat', ['-compiler', String(transport.pid)]).toString()
    .trim().split('\n')[1].trim().split(/\s+/);
  return `${compiled} methods compiled, ${Number(seconds).toFixed(1)} s compiling`;
};
await new Promise((resolve) => setTimeout(resolve, Number(process.env.CODEMODE_BENCH_SETTLE_MS ?? 8000)));
console.log(`JIT warm-up of the server JVM (${config.length ? config[1] : 'default config'}); at start: ${jstat()}`);
let done = 0;
for (const target of checkpoints) {
  const t0 = performance.now();
  const from = done;
  while (done < target) {
    const r = await client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } });
    if (r.isError) throw new Error('bad answer ' + JSON.stringify(r));
    done++;
  }
  console.log(`  calls ${from + 1}-${done}: mean ${((performance.now() - t0) / (done - from)).toFixed(2)} ms; ${jstat()}`);
}
await client.close();
