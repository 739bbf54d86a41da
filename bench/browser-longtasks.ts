/**
 * The main thread while training in the browser: long tasks (the Long Tasks API: any task over 50 ms)
 * and frame intervals while the canvas is panned, with the app training each template in its worker
 * and the dashboard showing the loss charts, then the family views.
 *   npx tsx bench/browser-longtasks.ts [--templates vae,gan-2d] [--backend wasm] [--seconds 10] [--attribute]
 * --threads N picks the wasm thread count in the app (default: auto, one per core).
 * --attribute lists, for every frame that blocked input, its three longest scripts (Long Animation
 * Frames API).
 * --profile builds without minifying and records a CPU profile of the page (Chrome DevTools Protocol),
 * then prints, for the longest busy stretches of the main thread, the functions that took the time.
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, createServer, preview } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium';

const { values } = parseArgs({
  options: {
    templates: { type: 'string', default: 'vae,gan-2d,aae,ddpm-2d' },
    backend: { type: 'string', default: 'wasm' },
    seconds: { type: 'string', default: '10' },
    // A baseline: the same panning with no training, to tell the app's work from the machine's.
    idle: { type: 'boolean', default: false },
    // The production build (vite build + preview) is what users get; --dev measures the dev server.
    dev: { type: 'boolean', default: false },
    attribute: { type: 'boolean', default: false },
    threads: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const outDir = 'dist-bench/longtasks';
let server: { close(): Promise<void> };
if (values.dev) {
  const dev = await createServer({
    server: { port: 5197, strictPort: true, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await dev.listen();
  server = dev;
} else {
  await build({ build: { outDir, emptyOutDir: true, minify: !values.profile }, logLevel: 'error' });
  const prod = await preview({
    build: { outDir },
    preview: { port: 5197, strictPort: true, host: '127.0.0.1' },
    logLevel: 'error',
  });
  server = { close: () => prod.close() };
}
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const rows: string[] = [];
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
try {
  for (const id of values.templates!.split(',')) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
      // Long Animation Frames name the scripts behind a slow frame: where the time went.
      const v = window as unknown as { loaf: string[] };
      v.loaf = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as {
          duration: number;
          blockingDuration: number;
          scripts: { invoker: string; duration: number; sourceFunctionName: string; sourceURL: string }[];
        }[]) {
          if (e.blockingDuration <= 0) continue;
          const top = [...e.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3);
          v.loaf.push(
            `${e.duration.toFixed(0)} ms: ${top.map((x) => `${x.invoker} ${x.sourceFunctionName || ''}@${x.sourceURL.split('/').pop()} ${x.duration.toFixed(0)} ms`).join('; ')}`,
          );
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    });
    await page.goto('http://127.0.0.1:5197/');
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator(`.gg-card[data-template="${id}"]`).click();
    await page.getByLabel('Backend').selectOption(values.backend!);
    await page.getByLabel('Preset').selectOption('');
    if (values.threads) await page.getByLabel('Threads').selectOption(values.threads);
    if (!values.idle) {
      await page.getByRole('button', { name: /Train/ }).click();
      await page.getByTestId('progress').waitFor({ timeout: 120_000 });
    }
    const cdp = values.profile ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    // Only what happens while training counts: loading and compiling are not "while training".
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; loaf: string[] };
      w.longTasks.length = 0;
      w.loaf.length = 0;
    });

    const seconds = Number(values.seconds);
    const frames: number[] = [];
    for (const tab of ['Losses', 'Samples & views']) {
      await page.getByRole('tab', { name: tab }).click();
      // Pan the canvas back and forth while recording frame intervals.
      const pane = (await page.locator('.react-flow__pane').boundingBox())!;
      const cx = pane.x + pane.width / 2;
      const cy = pane.y + pane.height / 2;
      await page.evaluate(() => {
        const w = window as unknown as { frames: number[]; stopFrames: boolean };
        w.frames = [];
        w.stopFrames = false;
        let last = performance.now();
        const tick = (t: number) => {
          w.frames.push(t - last);
          last = t;
          if (!w.stopFrames) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const t0 = Date.now();
      while (Date.now() - t0 < (seconds * 1000) / 2) {
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        for (let i = 0; i < 20; i++) await page.mouse.move(cx + 8 * i, cy + 3 * i);
        for (let i = 20; i > 0; i--) await page.mouse.move(cx + 8 * i, cy + 3 * i);
        await page.mouse.up();
      }
      frames.push(
        ...(await page.evaluate(() => {
          const w = window as unknown as { frames: number[]; stopFrames: boolean };
          w.stopFrames = true;
          return w.frames.slice(1);
        })),
      );
    }
    if (cdp) busiest((await cdp.send('Profiler.stop')).profile as CpuProfile);
    const r = await page.evaluate(() => ({
      loaf: (window as unknown as { loaf: string[] }).loaf,
      long: (window as unknown as { longTasks: number[] }).longTasks,
      status: document.querySelector('[data-testid="train-status"]')?.textContent ?? '',
    }));
    await page.close();
    if (values.attribute) for (const line of r.loaf) console.error(`  ${id}: ${line}`);
    rows.push(
      `| ${id} | ${values.idle ? 'not training' : values.backend} | ${values.dev ? 'dev' : 'production'} | ${r.long.length} | ${r.long.length ? Math.max(...r.long).toFixed(0) : '—'} | ${frames.length} | ${q(frames, 0.5).toFixed(1)} | ${q(frames, 0.95).toFixed(1)} | ${q(frames, 0.99).toFixed(1)} | ${r.status.replace(/\s+/g, ' ').slice(0, 60)} |`,
    );
    console.error(rows.at(-1));
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(
  `| template | backend | build | long tasks (> 50 ms) | longest (ms) | frames | frame interval p50 (ms) | p95 | p99 | status at the end |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}`,
);

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    parent?: number;
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Prints the three longest stretches of back-to-back non-idle samples and where their time went. */
function busiest(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // '(program)' is the browser's own work (style, layout, paint): busy, not idle.
  const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
  const stretches: { start: number; ms: number; ids: number[]; dts: number[] }[] = [];
  let cur: (typeof stretches)[number] | undefined;
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    if (idle(id)) {
      cur = undefined;
      return;
    }
    if (!cur) stretches.push((cur = { start: t, ms: 0, ids: [], dts: [] }));
    cur.ms += dt;
    cur.ids.push(id);
    cur.dts.push(dt);
  });
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  for (const st of stretches.sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    st.ids.forEach((id, i) => {
      self.set(name(id), (self.get(name(id)) ?? 0) + st.dts[i]!);
      const seen = new Set<string>();
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const k = name(n);
        if (seen.has(k)) continue;
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + st.dts[i]!);
      }
    });
    const top = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, v]) => `      ${v.toFixed(1)} ms  ${k}`)
        .join('\n');
    console.error(
      `  busy ${st.ms.toFixed(0)} ms at ${st.start.toFixed(0)} ms\n    self:\n${top(self)}\n    total (with callees):\n${top(total)}`,
    );
  }
}
