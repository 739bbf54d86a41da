/**
 * Migrations turn a raw document of version v into version v + 1. They run on plain JSON before
 * validation, so they never depend on today's schema. Each entry must stay forever once released.
 */
export type RawDoc = Record<string, unknown>;
export type Migration = (doc: RawDoc) => RawDoc;

/** MIGRATIONS[v] upgrades version v to v + 1. Version 1 is the first released format. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export class MigrationError extends Error {}

export function migrate(
  doc: RawDoc,
  from: number,
  to: number,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): RawDoc {
  let cur = doc;
  for (let v = from; v < to; v++) {
    const m = migrations[v];
    if (!m) throw new MigrationError(`no migration from version ${v} to ${v + 1}`);
    cur = { ...m(structuredClone(cur)), version: v + 1 };
  }
  return cur;
}
