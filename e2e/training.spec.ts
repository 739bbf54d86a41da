import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Opens the app and trains the tiny VAE on wasm to its last iteration; returns the status line. */
async function trainTinyVae(page: Page) {
  await page.goto('/');
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByLabel('Preset').selectOption('tiny');
  await page.getByRole('button', { name: /Train/ }).click();
  const status = page.getByTestId('train-status');
  await expect(status).toContainText('iteration 20 / 20', { timeout: 60_000 });
  return status;
}

const shots = 'e2e-artifacts';

test('train the tiny VAE on wasm: losses appear, pause and resume, a stale run is flagged', async ({
  page,
}) => {
  const status = await trainTinyVae(page);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  const losses = page.getByTestId('losses');
  await expect(losses).toContainText('Reconstruction −log p(x|z)');
  const recValue = losses.locator('tr', { hasText: 'Reconstruction' }).locator('td.num');
  await expect(recValue).toHaveText(/^\d+\.\d+$/);
  await page.screenshot({ path: `${shots}/training-finished.png` });

  // Step one phase at a time from a fresh run, then resume to the end.
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Step phase' }).click();
  await expect(status).toContainText('iteration 1 / 20', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status).toContainText('iteration 2 / 20');
  await page.getByRole('button', { name: /Resume/ }).click();
  await expect(status).toContainText('iteration 20 / 20', { timeout: 60_000 });

  // Editing the graph marks the run as stale instead of silently training an old graph.
  await page.locator('.gg-palette-item[data-kind="sample.gaussian"]').click();
  await expect(page.getByTestId('stale')).toBeVisible();
  // …and offers to restart on the new graph, the same way (wasm, tiny). A new unwired node leaves
  // every weight in place, so the trained ones carry over and the finished run stays finished.
  await page.getByRole('button', { name: 'Restart with the new graph' }).click();
  await expect(page.getByTestId('stale')).toBeHidden();
  await expect(page.getByTestId('weights-note')).toHaveText(
    'restarted on the new graph with the trained weights (iteration 20)',
  );
  await expect(status).toContainText('iteration 20 / 20', { timeout: 60_000 });
  await expect(page.getByTestId('backend')).toHaveText('wasm');

  // Batch norm in the encoder adds weights: they no longer fit, so the run starts afresh and says why.
  await page.locator('.react-flow__node[data-id="enc"]').click();
  await page.getByLabel('norm', { exact: true }).selectOption('batch');
  await expect(page.getByTestId('stale')).toBeVisible();
  await page.getByRole('button', { name: 'Restart with the new graph' }).click();
  await expect(page.getByTestId('weights-note')).toContainText(
    'restarted on the new graph from fresh weights: these weights do not fit this graph',
  );
  await expect(page.getByTestId('weights-note')).toContainText(
    "'enc/trunk/1/norm/gamma' is not in the checkpoint",
  );
  await expect(status).toContainText('iteration 20 / 20', { timeout: 60_000 });
});

test('save weights in the browser, reset, and load them back into a new run', async ({ page }) => {
  const status = await trainTinyVae(page);
  await page.getByRole('button', { name: 'Save weights' }).click();
  await expect(page.getByTestId('weights-note')).toContainText('saved in this browser at iteration 20');
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status).toContainText('iteration 1 / 20', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Load saved' }).click();
  await expect(page.getByTestId('weights-note')).toContainText('loaded weights from iteration 20');
  await expect(status).toContainText('iteration 20 / 20');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: /Train/ })).toBeVisible();
});

test('download the weights as a file and upload them into a new run', async ({ page }) => {
  const status = await trainTinyVae(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('vae.ggck');
  const file = await download.path();
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status).toContainText('iteration 1 / 20', { timeout: 30_000 });
  await page.getByTestId('upload-weights').setInputFiles(file);
  await expect(page.getByTestId('weights-note')).toContainText('loaded weights from iteration 20');
  // A file that is not a checkpoint is refused with a message; the run keeps its weights.
  await page.getByTestId('upload-weights').setInputFiles({
    name: 'x.ggck',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a checkpoint'),
  });
  await expect(page.getByTestId('weights-note')).toContainText('not a GenGraph checkpoint');
  await expect(status).toContainText('iteration 20 / 20');
});

test('opening another template names the run it leaves behind, keeps its weights, and Train starts the new graph', async ({
  page,
}) => {
  const status = await trainTinyVae(page);
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.gg-card[data-template="aae"]').click();
  // The VAE's run is still there to save, and the banner says whose it is, not that the graph was edited.
  const banner = page.getByTestId('stale');
  await expect(banner).toContainText('This run is of VAE, not the graph now open');
  await expect(banner).toContainText('Train starts AAE afresh');
  await expect(banner.getByRole('button', { name: 'Restart with the new graph' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save weights' })).toBeEnabled();
  // …and they are the VAE's, so they download as the VAE's, not under the open graph's name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('vae.ggck');
  await page.screenshot({ path: `${shots}/other-graph-run.png` });
  await page.getByLabel('Preset').selectOption('tiny');
  await page.getByRole('button', { name: /Train/ }).click();
  await expect(banner).toBeHidden({ timeout: 30_000 });
  // The AAE has two phases, the VAE one: the panel now shows the new run's.
  await expect(page.getByTestId('training-panel')).toContainText('D step', { timeout: 30_000 });
  await expect(status).toContainText('/ 20', { timeout: 30_000 });
});
