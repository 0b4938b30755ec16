// Test-only stand-in for the sandbox's bridge: echoes what the wrapper passed.
export async function callTool(server, tool, args) {
  return { server, tool, args };
}
