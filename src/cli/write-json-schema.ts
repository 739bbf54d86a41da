import { writeFileSync } from 'node:fs';
import { documentJsonSchema } from '../core/document/json-schema';

// Regenerates public/schema/gengraph.schema.json; a unit test fails while the committed copy is stale.
writeFileSync(new URL('../../public/schema/gengraph.schema.json', import.meta.url), documentJsonSchema());
console.log('wrote public/schema/gengraph.schema.json');
