import { z } from 'zod';
import { GraphDocument } from './schema';

/** JSON Schema of the document, for completion and checking in editors (templates point at it). */
export function documentJsonSchema(): string {
  const schema = z.toJSONSchema(GraphDocument, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'GenGraph document' }, null, 2)}\n`;
}
