// Claude Agent SDK (TypeScript): an agent whose only tool is codemode's execute_code.
// Every other tool — built-in or from any MCP server — is denied by a PreToolUse hook, so a prompt
// injection cannot reach around the sandbox. Run from the repository root:
//   npm install --prefix examples/agent-sdk && CODEMODE_BIN=$PWD/bin/codemode npm start --prefix examples/agent-sdk
import { query, type HookCallback } from '@anthropic-ai/claude-agent-sdk';

const ONLY_TOOL = 'mcp__codemode__execute_code';

const denyEverythingElse: HookCallback = async (input) => {
  if (input.hook_event_name === 'PreToolUse' && input.tool_name !== ONLY_TOOL) {
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: `only ${ONLY_TOOL} is allowed here, not ${input.tool_name}`,
      },
    };
  }
  return {};
};

for await (const message of query({
  prompt: 'Using execute_code: list the entities in the memory graph and return the names of the first 5.',
  options: {
    mcpServers: {
      codemode: {
        type: 'stdio',
        command: process.env.CODEMODE_BIN ?? 'bin/codemode',
        args: ['serve', '--config', 'examples/config.two-servers.yaml'],
      },
    },
    allowedTools: [ONLY_TOOL],
    disallowedTools: ['Bash', 'Read', 'Write', 'Edit', 'WebFetch', 'WebSearch'],
    hooks: { PreToolUse: [{ hooks: [denyEverythingElse] }] },
  },
})) {
  if (message.type === 'result') {
    console.log(message.subtype === 'success' ? message.result : message);
  }
}
