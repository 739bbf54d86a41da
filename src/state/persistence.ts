/**
 * Where a graph lives outside the editor: the browser's autosave slot, a share link that carries the
 * whole graph compressed in the URL, and files. Every way in goes through the store's one load path.
 */
import type { GraphDocument } from '../core/document/schema';

export const AUTOSAVE_KEY = 'gengraph.autosave.v1';
const LINK_PARAM = 'g';

export function serialize(doc: GraphDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function saveAutosave(doc: GraphDocument, storage: Storage = localStorage): boolean {
  try {
    storage.setItem(AUTOSAVE_KEY, JSON.stringify(doc));
    return true;
  } catch {
    return false; // quota or privacy mode: the editor still works, it just cannot keep a copy
  }
}

export function readAutosave(storage: Storage = localStorage): string | undefined {
  try {
    return storage.getItem(AUTOSAVE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const s = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** The graph as a URL fragment: JSON, deflated (the platform's CompressionStream), base64url. */
export async function encodeShareFragment(doc: GraphDocument): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(doc));
  return `${LINK_PARAM}=${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/** The JSON text a share fragment carries, or an error that says what is wrong with the link. */
export async function decodeShareFragment(
  hash: string,
): Promise<{ text: string } | { error: string } | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const data = params.get(LINK_PARAM);
  if (data === null) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'));
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { error: 'the share link is damaged or incomplete (its graph data cannot be decompressed)' };
  }
}
