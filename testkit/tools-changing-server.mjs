// A small MCP server (official TypeScript SDK) whose tool list changes at run time: calling
// `add-tool` registers `added`, which makes the SDK send notifications/tools/list_changed.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'tools-changing', version: '1.0.0' });
server.registerTool('add-tool', { description: 'Registers the tool `added`.' }, async () => {
  if (!added) {
    added = server.registerTool('added', { description: 'Exists only after add-tool ran.' },
      async () => ({ content: [{ type: 'text', text: '"I was added"' }] }));
  }
  return { content: [{ type: 'text', text: 'ok' }] };
});
let added = null;
await server.connect(new StdioServerTransport());
