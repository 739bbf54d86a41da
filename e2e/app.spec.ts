import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const shots = 'e2e-artifacts';
mkdirSync(shots, { recursive: true });

test('a new user opens the app and finds the VAE template on the canvas, with no problems', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('doc-title')).toHaveText('VAE');
  await expect(page.getByTestId('graph-node')).toHaveCount(8);
  await expect(page.getByTestId('problems')).toContainText('No problems');
  // The inferred shape is written on the wires.
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: '[B, 20]' }).first()).toBeVisible();
  await page.screenshot({ path: `${shots}/vae-canvas.png` });
});

test('selecting a node shows its documentation and shapes', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('graph-node').filter({ hasText: 'Encoder q(z|x)' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('reparameterization trick');
  await expect(inspector).toContainText('[B, 20]');
  await page.screenshot({ path: `${shots}/inspector.png` });
});

test('View code shows the compiled VAE as standalone TF.js', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'View code' }).click();
  const view = page.getByTestId('code-view');
  await expect(view).toContainText("import * as tf from '@tensorflow/tfjs'");
  await expect(view).toContainText('elbo');
  await expect(view.getByRole('button', { name: 'Download' })).toBeVisible();
  await page.screenshot({ path: `${shots}/view-code.png` });
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toBeHidden();
});
