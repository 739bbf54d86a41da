/**
 * Training speed in headless Chromium, through the app itself (the worker, the runtime, the backend
 * chooser): iterations/s of each template on each backend. Median of several measuring windows.
 *   npx tsx bench/browser-steps.ts [--backends webgpu,webgl,wasm] [--templates vae,gan-2d] [--seconds 8]
 *     [--log-every 5] [--patience 120] (seconds to wait for a readback before calling a window empty;
 *     for cells where one iteration takes minutes: --log-every 1 --windows 1 --patience 600)
 * WebGPU here is Chromium's SwiftShader adapter (a CPU), so it is slow; on a real GPU it is the one to use.
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, createServer, preview } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,webgl,wasm' },
    templates: { type: 'string', default: 'vae,gan-2d,aae,ddpm-2d,infogan,cyclegan,ddpm' },
    seconds: { type: 'string', default: '8' },
    windows: { type: 'string', default: '3' },
    'log-every': { type: 'string', default: '5' },
    patience: { type: 'string', default: '120' },
    dev: { type: 'boolean', default: false },
  },
});
// The production build by default (what users get, and immune to edits of the source while it runs);
// --dev serves the source through Vite's dev server, as the first rows of BENCHMARKS.md were measured.
let server: { close(): Promise<void> };
if (values.dev) {
  const dev = await createServer({
    server: { port: 5198, strictPort: true, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await dev.listen();
  server = dev;
} else {
  const outDir = 'dist-bench/steps';
  await build({ build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  const prod = await preview({
    build: { outDir },
    preview: { port: 5198, strictPort: true, host: '127.0.0.1' },
    logLevel: 'error',
  });
  server = { close: () => prod.close() };
}
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const rows: string[] = [];
/** Two decimals, or two significant figures below 0.1 (the slow cells run at 0.005 it/s). */
const fmt = (x: number) => (x >= 0.1 || x === 0 ? x.toFixed(2) : x.toPrecision(2));
try {
  for (const backend of values.backends!.split(',')) {
    for (const id of values.templates!.split(',')) {
      const page = await browser.newPage();
      // tsx (esbuild) wraps named functions in __name(); the page needs it to run them.
      await page.addInitScript('window.__name = (f) => f;');
      await page.goto('http://127.0.0.1:5198/');
      const r = await page.evaluate(
        async ({ id, backend, seconds, windows, every, patience }) => {
          type G = {
            templates: Array<{ id: string; json: unknown }>;
            store: { load(j: unknown): boolean; get(): { doc: unknown } };
            trainer: {
              prepare(d: unknown, b: string, p: undefined, r: number): Promise<void>;
              start(): void;
              pause(): void;
              get(): { iteration: number; backend?: string; status: { kind: string; message?: string } };
              history: { toArray(): Array<{ iteration: number; time: number }> };
            };
          };
          const g = (window as unknown as { gengraph: G }).gengraph;
          g.store.load(g.templates.find((t) => t.id === id)!.json);
          // Read losses back every 5 iterations: only a readback proves the device finished the work
          // (WebGPU and WebGL queue it), so rates are measured between readbacks.
          const doc = structuredClone(g.store.get().doc) as { training: { logEvery: number } };
          doc.training.logEvery = every;
          await g.trainer.prepare(doc, backend, undefined, 0);
          const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
          // Progress is posted between readbacks too; the first point at a multiple of 5 is the readback.
          const points = () => g.trainer.history.toArray().filter((p) => p.iteration % every === 0);
          g.trainer.start();
          const t0 = performance.now();
          while (points().length < 2 && performance.now() - t0 < patience * 1000) await sleep(100);
          const rates: number[] = [];
          for (let w = 0; w < windows; w++) {
            const a = points().at(-1);
            const s0 = performance.now();
            while (
              performance.now() - s0 < seconds * 1000 ||
              (points().at(-1) === a && performance.now() - s0 < patience * 1000)
            )
              await sleep(100);
            const b = points().at(-1);
            rates.push(a && b && b !== a ? ((b.iteration - a.iteration) * 1000) / (b.time - a.time) : 0);
          }
          g.trainer.pause();
          return { rates, backend: g.trainer.get().backend, status: g.trainer.get().status };
        },
        {
          id,
          backend,
          seconds: Number(values.seconds),
          windows: Number(values.windows),
          every: Number(values['log-every']),
          patience: Number(values.patience),
        },
      );
      const sorted = [...r.rates].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      rows.push(`| ${id} | ${backend} | ${r.backend} | ${fmt(median)} | ${r.rates.map(fmt).join(', ')} |`);
      console.error(rows.at(-1), r.status.kind === 'error' ? r.status.message : '');
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(
  `Chromium headless, ${values.windows} windows of ${values.seconds} s after warm-up (median; all listed)\n`,
);
console.log('| template | asked | used | iterations/s | windows |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
