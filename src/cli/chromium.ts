import { existsSync } from 'node:fs';

/** The Chromium the browser tests drive: $GENGRAPH_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.GENGRAPH_CHROMIUM || '/usr/bin/chromium';
}

export function chromiumExists(): boolean {
  return existsSync(chromiumPath());
}

/** Flags for a headless Chromium on a machine with no network and no GPU (WebGPU via SwiftShader). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];
