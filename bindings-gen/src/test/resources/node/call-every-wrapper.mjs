// Test-only: imports each generated index.js given on the command line, calls every exported
// wrapper once without arguments, and prints one JSON array of
// {module, export, server, tool, args, inDefault} records (inDefault: the default export holds the same function).
import { pathToFileURL } from 'node:url';

const calls = [];
for (const file of process.argv.slice(2)) {
  const module = await import(pathToFileURL(file).href);
  for (const name of Object.keys(module).sort()) {
    if (name === 'default') continue;
    const result = await module[name]();
    calls.push({ module: file, export: name, ...result, inDefault: module.default[name] === module[name] });
  }
  if (Object.keys(module.default).length !== Object.keys(module).length - 1) {
    throw new Error(`${file}: default export and named exports differ`);
  }
}
process.stdout.write(JSON.stringify(calls));
