import { expect, test } from '@playwright/test';

const port = Number(process.env.GENGRAPH_E2E_PORT ?? 5199) + 1;

test('the production build is cross-origin isolated and trains on the threaded wasm build', async ({
  page,
}) => {
  const errors: string[] = [];
  const wasm: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  const res = await page.goto(`http://127.0.0.1:${port}/`);
  expect(res!.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(res!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByLabel('Preset').selectOption('tiny');
  // Ask for one thread per core: TF.js alone would cap that at half the cores.
  const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
  await page.getByLabel('Threads').selectOption(String(cores));
  await page.getByRole('button', { name: /Train/ }).click();
  await expect(page.getByTestId('train-status')).toContainText('iteration 20 / 20', { timeout: 90_000 });
  // The threaded SIMD binary is the one loaded, and its threads start without errors (minifying the
  // worker broke them: every pthread failed with "e is not defined"). XNNPACK runs one thread per core
  // when asked (up to 8), not the half that TF.js's hyper-threading guess would leave it.
  expect(wasm.some((u) => u.includes('threaded-simd'))).toBe(true);
  await expect(page.getByTestId('backend-detail')).toHaveText(new RegExp(`\\(${cores} threads?\\)`));
  expect(errors).toEqual([]);
});
