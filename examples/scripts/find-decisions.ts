// TypeScript works too: types are stripped before the code runs.
// Searches the memory graph (fill it first with notes-to-memory.js) for pricing decisions.
interface Entity { name: string; entityType: string; observations: string[] }
interface Graph { entities: Entity[] }

const found = (await servers.memory.searchNodes({ query: 'pricing' })) as Graph;
const decisions: string[] = found.entities
  .filter((e: Entity) => e.entityType === 'meeting')
  .flatMap((e: Entity) => e.observations.filter((o) => /seat|pricing/i.test(o)));
return { matches: found.entities.length, decisions };
