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
  await page.getByLabel('Size').selectOption('tiny');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const why = page.getByTestId('backend-why');
  await expect(why).toContainText('not webgpu', { timeout: 60_000 });
  await expect(why).toContainText(/no adapter|does not offer WebGPU/);
  await expect(page.getByTestId('train-status')).toContainText('iteration 1 / 20', { timeout: 60_000 });
  await page.screenshot({ path: 'e2e-artifacts/backend-fallback.png' });
});
