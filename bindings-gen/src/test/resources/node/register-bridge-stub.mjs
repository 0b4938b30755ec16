// Test-only: makes `import ... from 'codemode:bridge'` load bridge-stub.mjs (Node 20.6+ module hooks).
import { register } from 'node:module';

register('./bridge-hooks.mjs', import.meta.url);
