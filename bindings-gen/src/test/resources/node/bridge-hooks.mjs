// Test-only resolve hook: 'codemode:bridge' is served by the recording stub next to this file.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'codemode:bridge') {
    return { url: new URL('./bridge-stub.mjs', import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
