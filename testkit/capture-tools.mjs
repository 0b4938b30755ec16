// Captures `tools/list` from the real npm MCP servers installed in testkit/node_modules.
// Usage: node testkit/capture-tools.mjs OUT_DIR
// Writes OUT_DIR/<server>.json, each {"servers":{"<server>":{"description":...,"tools":[...]}}}:
// the input format of dev.codemode.bindings.BindingsCli. The bindings-gen golden tests read these files.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = (pkg) => join(here, 'node_modules', '@modelcontextprotocol', pkg, 'dist', 'index.js');

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node testkit/capture-tools.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'codemode-capture-'));

const servers = {
  everything: {
    description: 'MCP reference server exercising every protocol feature (@modelcontextprotocol/server-everything)',
    args: [entry('server-everything'), 'stdio'],
    env: {},
  },
  filesystem: {
    description: 'Secure file operations within allowed directories (@modelcontextprotocol/server-filesystem)',
    args: [entry('server-filesystem'), scratch],
    env: {},
  },
  memory: {
    description: 'Knowledge-graph memory (@modelcontextprotocol/server-memory)',
    args: [entry('server-memory')],
    env: { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') },
  },
};

/** Lists every tool of one server, following pagination cursors. */
async function listTools(name, spec) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: spec.args,
    env: { PATH: process.env.PATH ?? '', ...spec.env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'codemode-capture', version: '1.0.0' });
  await client.connect(transport);
  try {
    const tools = [];
    let cursor;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  } finally {
    await client.close();
  }
}

try {
  for (const [name, spec] of Object.entries(servers)) {
    const tools = await listTools(name, spec);
    const doc = { servers: { [name]: { description: spec.description, tools } } };
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(doc, null, 2) + '\n');
    console.log(`${name}: ${tools.length} tools`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
