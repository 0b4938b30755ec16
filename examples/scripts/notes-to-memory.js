// Reads meeting notes through the filesystem server and records them in the memory server's graph:
// one entity per meeting, its decisions as observations, and a relation to the customer.
// Only the summary below comes back to the model; the notes themselves stay in the sandbox.
const listing = await servers.filesystem.listDirectory({ path: 'notes' });
const text = typeof listing === 'string' ? listing : listing.content;
const files = text.split('\n').filter((l) => l.startsWith('[FILE]')).map((l) => l.slice(7).trim());

const meetings = [];
for (const file of files) {
  const note = await servers.filesystem.readTextFile({ path: `notes/${file}` });
  const body = typeof note === 'string' ? note : note.content;
  const title = body.split('\n')[0].replace(/^#\s*/, '');
  const decisions = body.split('\n').filter((l) => l.startsWith('Decided:')).map((l) => l.slice(9).trim());
  meetings.push({ name: `meeting ${file.slice(0, 10)}`, title, decisions });
}

await servers.memory.createEntities({
  entities: [
    { name: 'Acme', entityType: 'customer', observations: ['pilot customer'] },
    ...meetings.map((m) => ({ name: m.name, entityType: 'meeting', observations: [m.title, ...m.decisions] })),
  ],
});
await servers.memory.createRelations({
  relations: meetings.map((m) => ({ from: m.name, to: 'Acme', relationType: 'held with' })),
});

const graph = await servers.memory.readGraph({});
return {
  meetings: meetings.length,
  decisions: meetings.flatMap((m) => m.decisions),
  entitiesInGraph: graph.entities.length,
};
