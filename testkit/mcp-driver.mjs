// A JSON-lines driver around the official MCP TypeScript SDK client, so that Java tests can drive
// codemode (or any MCP server) through a real client. One request per stdin line:
//   {"id":1,"op":"connect","transport":"stdio","command":"bin/codemode","args":["serve"],"env":{...}}
//   {"id":1,"op":"connect","transport":"http","url":"http://127.0.0.1:8080/mcp","headers":{...}}
//   {"id":2,"op":"listTools"}
//   {"id":3,"op":"callTool","name":"execute_code","arguments":{"code":"return 1"},"timeoutMs":60000}
//   {"id":4,"op":"callTool","name":"execute_code","arguments":{...},"meta":{"progressToken":"t1"},"abortAfterMs":500}
//      (abortAfterMs aborts the request, so the client sends notifications/cancelled)
//   {"id":4,"op":"callTool",...,"progress":true}  (the answer's value carries progressNotifications: [...])
//   {"id":5,"op":"listResources"}  {"id":6,"op":"readResource","uri":"artifact://…"}  {"op":"listResourceTemplates"}
//   {"id":7,"op":"close"}  {"id":8,"op":"terminate"} (HTTP: ends the session with DELETE, then closes)
// Any request may name a "client" (default "main"): one driver can hold many connected clients at once.
// One answer per line: {"id":N,"ok":true,"value":...,"ms":1.23} or {"id":N,"ok":false,"error":"..."}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const clients = new Map();
// Elicitation answers for approval tests: 'accept', 'decline', 'cancel' or 'hang' (never answers).
const elicitations = [];
const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');

async function handle(req) {
  const name = req.client || 'main';
  const client = clients.get(name);
  if (req.op !== 'connect' && !client) throw new Error('client ' + name + ' is not connected');
  switch (req.op) {
    case 'connect': {
      const elicitationMode = req.elicitation || null;
      const capabilities = { ...(req.capabilities || {}) };
      if (elicitationMode) capabilities.elicitation = {};
      const created = new Client({ name: 'codemode-test-driver', version: '1.0.0' }, { capabilities });
      if (elicitationMode) {
        created.setRequestHandler(ElicitRequestSchema, async (request) => {
          elicitations.push(request.params);
          if (elicitationMode === 'hang') return new Promise(() => {});
          return elicitationMode === 'accept' ? { action: 'accept', content: {} } : { action: elicitationMode };
        });
      }
      const transport = req.transport === 'http'
        ? new StreamableHTTPClientTransport(new URL(req.url), { requestInit: { headers: req.headers || {} } })
        : new StdioClientTransport({ command: req.command, args: req.args || [], env: { ...process.env, ...(req.env || {}) },
            stderr: req.stderrFile ? 'pipe' : 'inherit', cwd: req.cwd });
      if (req.stderrFile && transport.stderr) transport.stderr.pipe(createWriteStream(req.stderrFile));
      await created.connect(transport);
      clients.set(name, created);
      return { serverVersion: created.getServerVersion(), capabilities: created.getServerCapabilities(),
        sessionId: transport.sessionId || null };
    }
    case 'listTools':
      return await client.listTools();
    case 'callTool': {
      const params = { name: req.name, arguments: req.arguments };
      if (req.meta) params._meta = req.meta;
      const options = { timeout: req.timeoutMs || 120000 };
      if (req.abortAfterMs) {
        const controller = new AbortController();
        setTimeout(() => controller.abort('aborted by the test'), req.abortAfterMs);
        options.signal = controller.signal;
      }
      if (!req.progress) return await client.callTool(params, undefined, options);
      // The SDK sends a progressToken when onprogress is set; the notifications come back with the result.
      const progress = [];
      options.onprogress = (p) => progress.push(p);
      const result = await client.callTool(params, undefined, options);
      return { ...result, progressNotifications: progress };
    }
    case 'listResources':
      return await client.listResources();
    case 'readResource':
      return await client.readResource({ uri: req.uri });
    case 'listResourceTemplates':
      return await client.listResourceTemplates();
    case 'elicitations':
      return { elicitations };
    case 'terminate':
      await client.transport.terminateSession();
      clients.delete(name);
      await client.close();
      return {};
    case 'close':
      clients.delete(name);
      await client.close();
      return {};
    default:
      throw new Error('unknown op ' + req.op);
  }
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let req;
  try { req = JSON.parse(line); } catch (e) { send({ id: null, ok: false, error: 'bad json' }); return; }
  const t0 = performance.now();
  handle(req).then(
    (value) => send({ id: req.id, ok: true, value, ms: performance.now() - t0 }),
    (err) => send({ id: req.id, ok: false, error: String(err && err.message || err), ms: performance.now() - t0 }));
});
rl.on('close', async () => {
  for (const c of clients.values()) { try { await c.close(); } catch (e) { /* exiting */ } }
  process.exit(0);
});
