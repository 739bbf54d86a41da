import { writeFileSync } from 'node:fs';
import { documentJsonSchema } from '../src/core/document/json-schema';

// Regenerates schema/gengraph.schema.json; a unit test fails while the committed copy is stale.
writeFileSync(new URL('../schema/gengraph.schema.json', import.meta.url), documentJsonSchema());
console.log('wrote schema/gengraph.schema.json');
