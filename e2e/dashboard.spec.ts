import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const shots = 'e2e-artifacts';

async function open(page: Page, template?: string) {
  await page.goto('/');
  if (template) {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator(`.gg-card[data-template="${template}"]`).click();
  }
  await page.getByLabel('Backend').selectOption('wasm');
}

const iteration = async (page: Page) =>
  Number(/iteration (\d+)/.exec((await page.getByTestId('train-status').textContent()) ?? '')?.[1] ?? -1);

test('train the VAE: a live loss curve, a sample grid, pause and resume', async ({ page }) => {
  await open(page);
  // The full-size run is long enough to pause halfway.
  await page.getByLabel('Preset').selectOption('');
  await page.getByRole('button', { name: /Train/ }).click();
  await expect(page.getByTestId('progress')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => iteration(page), { timeout: 60_000 }).toBeGreaterThan(60);
  await expect(page.getByTestId('train-status')).toContainText('ETA');

  // One chart per phase, with a series per loss node of that phase.
  const chart = page.getByTestId('loss-chart');
  await expect(chart).toHaveCount(1);
  await expect(chart.locator('.u-legend')).toContainText('Reconstruction −log p(x|z)');
  await expect(chart.locator('.u-legend')).toContainText('KL(q(z|x) ‖ p(z))');

  await page.getByRole('button', { name: /Pause/ }).click();
  await expect(page.getByRole('button', { name: /Resume/ })).toBeVisible();
  await page.waitForTimeout(300); // a progress message already in flight may still land
  const paused = await iteration(page);
  await page.waitForTimeout(1500);
  expect(await iteration(page)).toBe(paused);

  await page.getByRole('tab', { name: 'Samples & views' }).click();
  await expect(page.getByTestId('recon-grid')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sample-grid')).toBeVisible();
  await expect(page.getByTestId('latent-scatter')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shots}/dashboard-vae-views.png` });
  // The latent map is painted: test codes in their digits' colours.
  const scatter = page.getByTestId('latent-scatter');
  await scatter.screenshot({ path: `${shots}/vae-latent.png` });
  const colours = await scatter.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<string>();
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      // Skip the background and greys; count distinct saturated hues, coarsely.
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) seen.add(`${r >> 5},${g >> 5},${b >> 5}`);
    }
    return seen.size;
  });
  expect(colours).toBeGreaterThanOrEqual(8);

  // Hover a wire: the tensor flowing through it, live (decoder output: an image grid).
  await page.locator('.react-flow__edge[data-id="e4"]').hover();
  await expect(page.getByTestId('wire-preview').locator('canvas')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('wire-preview')).toContainText('[16, 28, 28, 1]');
  await page.screenshot({ path: `${shots}/wire-preview.png` });
  await page.mouse.move(5, 5);

  await page.getByRole('button', { name: /Resume/ }).click();
  await expect.poll(() => iteration(page), { timeout: 30_000 }).toBeGreaterThan(paused + 20);
  await page.getByRole('tab', { name: 'Losses' }).click();
  await page.screenshot({ path: `${shots}/dashboard-losses.png` });
  await page.getByRole('button', { name: 'Stop' }).click();
});

test('Compare VAE with AAE: the diff is highlighted and said in words', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Compare' }).click();
  const cmp = page.getByTestId('compare');
  await cmp.getByLabel('Left graph').selectOption('vae');
  await cmp.getByLabel('Right graph').selectOption('aae');
  await expect(page.getByTestId('diff-summary')).toContainText('replaces the KL');
  await expect(page.getByTestId('compare-left').locator('.gg-diff-removed')).not.toHaveCount(0);
  await expect(page.getByTestId('compare-right').locator('.gg-diff-added')).not.toHaveCount(0);
  await expect(page.getByTestId('compare-right').locator('.gg-diff-changed')).not.toHaveCount(0);
  await page.screenshot({ path: `${shots}/compare-vae-aae.png` });
});

test('the DDPM schedule view: move the slider over t and watch the digit drown in noise', async ({
  page,
}) => {
  await open(page, 'ddpm');
  await page.getByRole('tab', { name: 'Samples & views' }).click();
  await expect(page.getByTestId('schedule-chart').locator('canvas')).toBeVisible();
  const slider = page.getByTestId('t-slider');
  // The view shows the schedule that training would use: the tiny preset's T = 20, or the full 1,000.
  await expect(slider).toHaveAttribute('max', '19');
  // The CPU-sized preset keeps the paper's schedule and says what it changes.
  await page.getByLabel('Preset').selectOption('scaled');
  await expect(slider).toHaveAttribute('max', '999');
  await expect(page.getByTestId('preset-note')).toContainText('Adam at 1e-3');
  await page.screenshot({ path: `${shots}/ddpm-scaled-preset.png` });
  await page.getByLabel('Preset').selectOption('');
  await expect(slider).toHaveAttribute('max', '999');
  await expect(page.getByTestId('noised-digit')).toBeVisible({ timeout: 30_000 });
  const before = await page.getByTestId('noised-digit').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await slider.fill('900');
  await expect(page.getByTestId('t-value')).toHaveText('900');
  const after = await page.getByTestId('noised-digit').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  expect(after).not.toBe(before);
  await page.screenshot({ path: `${shots}/ddpm-schedule.png` });
});

test('Explain: hover a term of the objective and its loss node lights up; a phase lights its networks', async ({
  page,
}) => {
  await open(page, 'gan-2d');
  await page.getByRole('tab', { name: 'Explain' }).click();
  await expect(page.getByTestId('objective').locator('.katex')).toBeVisible();
  // Pointing at a term of the equation (KaTeX's stacked boxes overlap its centre, so send the event
  // to the term itself, as the pointer over one of its glyphs does).
  await page.getByTestId('objective').locator('[data-term="lossG"]').first().dispatchEvent('mouseover');
  await expect(page.locator('.react-flow__node.gg-lit')).toHaveCount(1);
  await expect(page.locator('.react-flow__node[data-id="lossG"]')).toHaveClass(/gg-lit/);
  await page.screenshot({ path: `${shots}/explain-gan.png` });
  // The list of terms under it does the same on hover.
  await page.locator('[data-term-item="lossD"]').hover();
  await expect(page.locator('.react-flow__node[data-id="lossD"]')).toHaveClass(/gg-lit/);
  await expect(page.locator('.react-flow__node[data-id="lossG"]')).not.toHaveClass(/gg-lit/);
  await page.mouse.move(5, 5);

  // The training loop as a strip: the D step lights D and its loss.
  await page.getByTestId('phase-strip').locator('[data-phase]').first().click();
  await expect(page.locator('.react-flow__node[data-id="D"]')).toHaveClass(/gg-lit/);
  await expect(page.locator('.react-flow__node[data-id="lossD"]')).toHaveClass(/gg-lit/);
  await expect(page.locator('.react-flow__node[data-id="G"]')).toHaveClass(/gg-dim/);
});

test('the 2D GAN view: real and generated points over the discriminator', async ({ page }) => {
  await open(page, 'gan-2d');
  await page.getByLabel('Preset').selectOption('tiny');
  await page.getByRole('button', { name: /Train/ }).click();
  await expect(page.getByTestId('train-status')).toContainText(/iteration (\d+) \/ \1/, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Samples & views' }).click();
  await expect(page.getByTestId('toy-scatter')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shots}/gan2d-view.png` });
});

for (const [template, testId] of [
  ['infogan', 'infogan-grid'],
  ['cyclegan', 'cycle-a'],
] as const) {
  test(`the ${template} view fills in after a few steps of the tiny model`, async ({ page }) => {
    await open(page, template);
    await page.getByLabel('Preset').selectOption('tiny');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('train-status')).toContainText('iteration 1 /', { timeout: 90_000 });
    await page.getByRole('tab', { name: 'Samples & views' }).click();
    await expect(page.getByTestId(testId)).toBeVisible({ timeout: 60_000 });
    await page.screenshot({ path: `${shots}/${template}-view.png` });
  });
}

test("a preset's settings show in the inspector beside the graph's own: CycleGAN's thickened pair", async ({
  page,
}) => {
  await open(page, 'cyclegan');
  await page.getByLabel('Preset').selectOption('thicken');
  await expect(page.getByTestId('preset-note')).toContainText('identity loss is off');
  await page.locator('.react-flow__node[data-id="idtA"]').click();
  // The graph keeps λ = 5; training with this preset uses 0, and the inspector says so.
  await expect(page.locator('[data-param="weight"] input')).toHaveValue('5');
  await expect(page.getByTestId('preset-params')).toHaveText(
    'For training, the thicken preset sets weight to 0; the graph keeps the values above.',
  );
  await page.screenshot({ path: `${shots}/cyclegan-thicken-inspector.png` });
  // Without a preset, or on a node the preset leaves alone, there is no such note.
  await page.locator('.react-flow__node[data-id="cycA"]').click();
  await expect(page.getByTestId('preset-params')).toHaveCount(0);
  await page.locator('.react-flow__node[data-id="idtA"]').click();
  await page.getByLabel('Preset').selectOption('');
  await expect(page.getByTestId('preset-params')).toHaveCount(0);
});

test('the DDPM reverse process runs from x_T to x_0 as a strip', async ({ page }) => {
  await open(page, 'ddpm');
  await page.getByLabel('Preset').selectOption('tiny');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('train-status')).toContainText('iteration 1 /', { timeout: 90_000 });
  await page.getByRole('tab', { name: 'Samples & views' }).click();
  await page.getByRole('button', { name: 'Run the reverse process' }).click();
  await expect(page.getByTestId('reverse-strip')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('reverse-strip').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('reverse-steps')).toHaveText('all 20 steps');
  const frames = async () => (await page.getByTestId('reverse-strip').boundingBox())!.width;
  const allSteps = await frames();
  await page.screenshot({ path: `${shots}/ddpm-reverse.png` });

  // Fewer steps, set on the sampler in the inspector: the strip has one frame a step (5 < 11).
  const sampler = page.locator('.react-flow__node[data-id="sampler"]');
  await sampler.focus();
  await page.keyboard.press('Enter');
  const steps = page.getByRole('textbox', { name: /^steps/ });
  await expect(page.getByText(/reverse steps; 0: all T.*\(≥ 0\)$/)).toBeVisible();
  await expect(page.getByText('9007199254740991')).toHaveCount(0);
  await steps.fill('5');
  await steps.press('Tab');
  await expect(page.getByTestId('reverse-steps')).toHaveText(
    "5 steps of the 20, skipping evenly (the sampler's steps setting)",
  );
  // A sampler setting leaves every weight in place: the restarted run keeps the trained ones.
  await page.getByRole('button', { name: 'Restart with the new graph' }).click();
  await expect(page.getByTestId('weights-note')).toHaveText(
    'restarted on the new graph with the trained weights (iteration 1)',
  );
  await page.getByRole('button', { name: 'Run the reverse process' }).click();
  await expect.poll(frames, { timeout: 60_000 }).toBeLessThan(allSteps * 0.6);
  await page.screenshot({ path: `${shots}/ddpm-reverse-5-steps.png` });
});
