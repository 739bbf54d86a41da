import type { Checkpoint } from './trainer';

/** Checkpoints kept in the browser (IndexedDB), by name, so a run survives a reload. */
const DB = 'gengraph';
const STORE = 'checkpoints';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const req = f(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function saveCheckpoint(name: string, c: Checkpoint): Promise<IDBValidKey> {
  return tx('readwrite', (s) => s.put(c, name));
}

export function loadCheckpoint(name: string): Promise<Checkpoint | undefined> {
  return tx('readonly', (s) => s.get(name) as IDBRequest<Checkpoint | undefined>);
}

/** One file for download: "GGCK", the manifest's length, the manifest (JSON), the weights. */
export function encodeCheckpointFile(c: Checkpoint): Blob {
  const json = new TextEncoder().encode(JSON.stringify(c.manifest));
  const head = new Uint8Array(8);
  head.set([0x47, 0x47, 0x43, 0x4b]);
  new DataView(head.buffer).setUint32(4, json.length, true);
  return new Blob([head, json, new Uint8Array(c.data)], { type: 'application/octet-stream' });
}

export function decodeCheckpointFile(buf: ArrayBuffer): Checkpoint {
  const bytes = new Uint8Array(buf);
  if (String.fromCharCode(...bytes.slice(0, 4)) !== 'GGCK')
    throw new Error('this file is not a GenGraph checkpoint');
  const len = new DataView(buf).getUint32(4, true);
  const manifest = JSON.parse(new TextDecoder().decode(bytes.slice(8, 8 + len))) as Record<string, unknown>;
  return { manifest, data: bytes.slice(8 + len) };
}
