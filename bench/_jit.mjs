import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
const require_fs = (n, pid) => fs.writeFileSync('/tmp/codelist-' + n + '.txt', execSync('jcmd ' + pid + ' Compiler.codelist', {maxBuffer: 1<<28}).toString());
const config = process.env.CFG ? ['--config', process.env.CFG] : [];
const client = new Client({ name: 'b', version: '1' });
await client.connect(new StdioClientTransport({ command: '/work/main/bin/codemode', args: ['serve', ...config], stderr: 'ignore' }));
await client.listTools();
await new Promise(r => setTimeout(r, 8000));
const pid = execSync(`pgrep -f 'codemode.jar serve' | head -1`).toString().trim();
const call = () => client.callTool({ name: 'execute_code', arguments: { code: 'return 1+1' } });
let n = 0;
for (const target of [500, 1000, 2000, 4000, 8000]) {
  const t0 = performance.now();
  const before = n;
  while (n < target) { await call(); n++; }
  const per = (performance.now() - t0) / (n - before);
  console.log(`after ${n} calls: ${per.toFixed(2)} ms/call;`, execSync(`jstat -compiler ${pid} | tail -1`).toString().trim());
  if (process.env.CL) require_fs(n, pid);
  if (process.env.CC) console.log(execSync(`jcmd ${pid} Compiler.codecache | head -8`).toString());
}
await client.close();
