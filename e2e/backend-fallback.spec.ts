import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium';

// Without --enable-unsafe-webgpu, headless Chromium has no WebGPU adapter: the fallback path.
test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});

test('auto falls back from WebGPU and says why', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Preset').selectOption('tiny');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const why = page.getByTestId('backend-why');
  await expect(why).toContainText('not webgpu', { timeout: 60_000 });
  await expect(why).toContainText(/no adapter|does not offer WebGPU/);
  await expect(page.getByTestId('train-status')).toContainText('iteration 1 / 20', { timeout: 60_000 });
  // The backends that do work were measured on this graph (or given up on when their first step is
  // too slow, as WebGL's shader compilation can be here); the fastest one measured runs it.
  const measured = page.getByTestId('backend-measured');
  await expect(measured).toContainText('wasm');
  await expect(why).toContainText(/webgl( \d|: its first step took over)/);
  const rates: Record<string, number> = Object.fromEntries(
    [...((await measured.textContent()) ?? '').matchAll(/(\w+) ([\d.]+) it\/s/g)].map((m) => [
      m[1]!,
      Number(m[2]),
    ]),
  );
  const chosen = (await page.getByTestId('backend').textContent())!;
  expect(rates[chosen]).toBe(Math.max(...Object.values(rates)));
  await page.screenshot({ path: 'e2e-artifacts/backend-fallback.png' });
});
