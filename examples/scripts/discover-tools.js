// Progressive discovery: find a tool by what it does, then read its TypeScript signature,
// instead of loading every tool schema into the model's context.
const hits = await codemode.searchTools('read file');
const first = hits[0];
const signature = await codemode.describeTool(first.name);
return { hits: hits.map((h) => h.name), first: first.name, signatureLines: signature.split('\n').length };
