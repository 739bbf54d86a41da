import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const shots = 'e2e-artifacts';
mkdirSync(shots, { recursive: true });

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const handle = (page: Page, id: string, port: string, side: 'source' | 'target') =>
  page.locator(`.react-flow__handle.${side}[data-nodeid="${id}"][data-handleid="${port}"]`);

async function centre(l: Locator) {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags a wire from an output handle to an input handle, as a person does with the mouse. */
async function wire(page: Page, from: [string, string], to: [string, string], release = true) {
  const a = await centre(handle(page, from[0], from[1], 'source'));
  const b = await centre(handle(page, to[0], to[1], 'target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  if (release) await page.mouse.up();
}

async function fresh(page: Page) {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.goto('/');
  await expect(page.getByTestId('doc-title')).toHaveText('VAE');
}

test('a new user builds a VAE from an empty canvas with the palette and wires', async ({ page }) => {
  await fresh(page);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByTestId('empty-canvas')).toBeVisible();

  // Drag the first nodes onto the canvas where they belong, left to right.
  const canvas = page.getByTestId('canvas');
  const box = (await canvas.boundingBox())!;
  const drop = async (kind: string, x: number, y: number) =>
    page
      .locator(`.gg-palette-item[data-kind="${kind}"]`)
      .dragTo(canvas, { targetPosition: { x: box.width * x, y: box.height * y } });
  await drop('data.mnist', 0.12, 0.45);
  await drop('net.encoder', 0.36, 0.3);
  await drop('latent.reparameterize', 0.6, 0.3);
  // Search the palette and add with a click: it lands in the middle of the view.
  await page.getByLabel('Search nodes').fill('decoder');
  await page.locator('.gg-palette-item[data-kind="net.decoder"]').click();
  await page.getByLabel('Search nodes').fill('');
  await page.locator('.gg-palette-item[data-kind="loss.reconstruction"]').click();
  await page.locator('.gg-palette-item[data-kind="loss.kl_normal"]').click();
  await expect(page.getByTestId('graph-node')).toHaveCount(6);
  // Clicked nodes land in the middle, staggered; spread them out by hand so their ports are free.
  for (const [id, dx, dy] of [
    ['decoder', -60, 230],
    ['reconstruction', 180, 210],
    ['kl_normal', 300, -60],
  ] as const) {
    const c = await centre(node(page, id).locator('.gg-node-head'));
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(c.x + dx, c.y + dy, { steps: 6 });
    await page.mouse.up();
  }

  // Tidy up before wiring, so no node hides another's ports (unwired, they stack in one column).
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('l');
  await page.waitForTimeout(500);

  // Unwired inputs are problems, pinned to their nodes.
  await expect(page.getByTestId('problems')).toContainText('Encoder');
  const wires: Array<[[string, string], [string, string]]> = [
    [
      ['mnist', 'x'],
      ['encoder', 'x'],
    ],
    [
      ['encoder', 'q'],
      ['reparameterize', 'q'],
    ],
    [
      ['reparameterize', 'z'],
      ['decoder', 'z'],
    ],
    [
      ['decoder', 'x'],
      ['reconstruction', 'pred'],
    ],
    [
      ['mnist', 'x'],
      ['reconstruction', 'target'],
    ],
    [
      ['encoder', 'q'],
      ['kl_normal', 'q'],
    ],
  ];
  for (const [i, [from, to]] of wires.entries()) {
    await wire(page, from, to);
    await expect(page.locator('.react-flow__edge'), `wire ${from.join('.')} → ${to.join('.')}`).toHaveCount(
      i + 1,
    );
  }

  // Shapes flow along the wires, and the graph compiles: one implicit phase trains both networks.
  await expect(
    page.locator('.react-flow__edge-text').filter({ hasText: '[B, 28, 28, 1]' }).first(),
  ).toBeVisible();
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: '[B, 20]' }).first()).toBeVisible();
  await expect(page.getByTestId('problems')).toContainText('No problems');

  // Auto-layout (L) arranges it left to right, in the order data flows.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('l');
  const xs = async () =>
    Promise.all(
      ['mnist', 'encoder', 'reparameterize', 'decoder'].map(
        async (id) => (await node(page, id).boundingBox())!.x,
      ),
    );
  await expect
    .poll(async () => {
      const [a, b, c, d] = await xs();
      return a! < b! && b! < c! && c! < d!;
    })
    .toBe(true);

  // Edit a param in the inspector: the wires update live; a bad value is refused where it was typed.
  await node(page, 'encoder').click();
  await expect(page.getByTestId('param-count')).toHaveText('330,040 trainable parameters');
  const latent = page.locator('[data-param="latent"] input');
  await latent.fill('8');
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: '[B, 8]' }).first()).toBeVisible();
  await latent.fill('-3');
  await expect(page.locator('[data-param="latent"] [role="alert"]')).toBeVisible();
  await latent.fill('16');
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: '[B, 16]' }).first()).toBeVisible();
  await page.screenshot({ path: `${shots}/editor-built-vae.png` });

  // Typing 8, -3, 16 into one field is one undo step.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: '[B, 20]' }).first()).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
});

test('a wire that cannot connect is refused while dragging, with the reason', async ({ page }) => {
  await fresh(page);
  const edges = await page.locator('.react-flow__edge').count();
  // The encoder's q is a distribution; the decoder wants a sample z.
  await wire(page, ['enc', 'q'], ['dec', 'z'], false);
  await expect(page.getByTestId('wire-refusal')).toContainText(/gaussian|sample/i);
  await page.screenshot({ path: `${shots}/editor-wire-refused.png` });
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(edges);
});

test('undo and redo with the keyboard; a drag is one step', async ({ page }) => {
  await fresh(page);
  const kl = node(page, 'kl');
  const before = await kl.boundingBox();
  // Drag the node in many small moves.
  const c = await centre(kl.locator('.gg-node-head'));
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(c.x + i * 12, c.y + i * 8);
  await page.mouse.up();
  await expect.poll(async () => (await kl.boundingBox())!.x).toBeGreaterThan(before!.x + 60);

  // Delete it, undo the delete, undo the whole drag in one step, redo both.
  await kl.click();
  await page.keyboard.press('Delete');
  await expect(kl).toHaveCount(0);
  await expect(page.getByTestId('graph-node')).toHaveCount(7);
  await page.keyboard.press('Control+z');
  await expect(kl).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await kl.boundingBox())!.x)).toBe(Math.round(before!.x));
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => (await kl.boundingBox())!.x).toBeGreaterThan(before!.x + 60);
  await page.keyboard.press('Control+y');
  await expect(kl).toHaveCount(0);
});

test('copy, paste and duplicate; group nodes into a named network and collapse it', async ({ page }) => {
  await fresh(page);
  await node(page, 'enc').click();
  await node(page, 'z').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('graph-node')).toHaveCount(10);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('graph-node')).toHaveCount(8);

  await node(page, 'enc').click();
  await node(page, 'z').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+g');
  // The VAE template already frames its model; the new group is the selected frame.
  const frame = page.locator('.gg-frame.selected');
  await expect(frame).toContainText('Encoder q(z|x)');
  await frame.getByRole('button', { name: /Collapse/ }).click();
  await expect(node(page, 'enc')).toBeHidden();
  await expect(frame).toContainText('2 nodes');
  await page.screenshot({ path: `${shots}/editor-group-collapsed.png` });
  await frame.getByRole('button', { name: /Expand/ }).click();
  await expect(node(page, 'enc')).toBeVisible();
});

test('the keyboard shortcuts are listed in a help panel', async ({ page }) => {
  await fresh(page);
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-panel')).toContainText('Undo');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-panel')).toBeHidden();
});

test('every template loads from the gallery with no problems', async ({ page }) => {
  await fresh(page);
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.screenshot({ path: `${shots}/editor-templates.png` });
  const ids = await page
    .locator('.gg-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-template')));
  expect(ids.length).toBeGreaterThanOrEqual(7);
  for (const id of ids) {
    if (!(await page.getByTestId('template-gallery').isVisible()))
      await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator(`.gg-card[data-template="${id}"]`).click();
    await expect(page.getByTestId('template-gallery')).toBeHidden();
    await expect(page.getByTestId('problems')).toContainText('No problems');
    if (id === 'cyclegan') await page.screenshot({ path: `${shots}/editor-cyclegan.png` });
  }
  // Loading a template is one undo step.
  const title = await page.getByTestId('doc-title').textContent();
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('doc-title')).not.toHaveText(title!);
});

test('the side panel says which preset training will use, and a new graph starts on its own', async ({
  page,
}) => {
  await fresh(page);
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.gg-card[data-template="cyclegan"]').click();
  const note = page.getByTestId('preset-note');
  await expect(note).toContainText('tiny preset');
  await page.getByLabel('Preset').selectOption('thicken');
  await expect(note).toContainText('thicken preset');
  await expect(note).toContainText('thickened');
  // The thickened pair at test size: two presets, applied in order, named together.
  await page.getByLabel('Preset').selectOption('thicken,tiny');
  await expect(note).toContainText('thicken + tiny presets');
  await expect(note).toContainText('thickened');
  await expect(note).toContainText('Few channels');
  await page.screenshot({ path: `${shots}/editor-preset-note.png` });
  await page.getByLabel('Preset').selectOption('');
  await expect(note).toBeHidden();
  // InfoGAN has no thicken preset: opening it starts on its own tiny one, shown in both places.
  await page.getByLabel('Preset').selectOption('thicken');
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.gg-card[data-template="infogan"]').click();
  await expect(page.getByLabel('Preset')).toHaveValue('tiny');
  await expect(note).toContainText('tiny preset');
  // Its scaled model is wholly overridden by tiny, so no 'scaled + tiny' is offered.
  await expect(page.getByLabel('Preset').locator('option')).toHaveText([
    'none (full size)',
    'scaled',
    'tiny',
  ]);
});

test("a node's inspector says what a preset trains when it differs from the canvas", async ({ page }) => {
  await fresh(page);
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.gg-card[data-template="cyclegan"]').click();
  await page.getByLabel('Preset').selectOption('');
  await node(page, 'G_AB').click();
  await expect(page.getByTestId('param-count')).toHaveText('10,945 trainable parameters');
  await expect(page.getByTestId('preset-params')).toBeHidden();
  // The thickened pair keeps the paper's two downsamplings: a bigger translator than the canvas shows.
  await page.getByLabel('Preset').selectOption('thicken');
  const said = page.getByTestId('preset-params');
  await expect(said).toContainText('downsample');
  await expect(said).toContainText('Trained so, this node has 195,937 trainable parameters');
  await expect(page.getByTestId('param-count')).toHaveText('10,945 trainable parameters');
  await said.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/inspector-preset-params.png` });
  // A preset that leaves the node's size alone adds no count.
  await node(page, 'D_A').click();
  await expect(page.getByTestId('preset-params')).toBeHidden();
});

test('a malformed file shows what is wrong and the graph survives', async ({ page }) => {
  await fresh(page);
  await page.getByTestId('open-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "gengraph", "version": 1, "nodes": {"enc": {"kind": 3}}'),
  });
  await expect(page.getByTestId('load-error')).toContainText('broken.json');
  await expect(page.getByTestId('load-error')).toContainText('not valid JSON');
  await page.getByTestId('open-file').setInputFiles({
    name: 'wrong.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'gengraph', version: 1, nodes: { enc: { kind: 3 } } })),
  });
  await expect(page.getByTestId('load-error')).toContainText('enc');
  await page.screenshot({ path: `${shots}/editor-bad-file.png` });
  await expect(page.getByTestId('doc-title')).toHaveText('VAE');
  await expect(page.getByTestId('graph-node')).toHaveCount(8);
});

test('reload restores the autosaved graph', async ({ page }) => {
  await fresh(page);
  await page.locator('.gg-palette-item[data-kind="loss.kl_normal"]').click();
  await expect(page.getByTestId('graph-node')).toHaveCount(9);
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByTestId('graph-node')).toHaveCount(9);
  await expect(node(page, 'kl_normal')).toBeVisible();
});

test('a share link opens the same graph in a fresh page', async ({ page, browser }) => {
  await fresh(page);
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.gg-card[data-template="cyclegan"]').click();
  await node(page, 'G_AB').click();
  await page.locator('[data-param="base"] input').fill('24');
  await page.getByRole('button', { name: 'Share link' }).click();
  await expect.poll(() => page.url()).toContain('#g=');
  const url = page.url();
  const doc = await page.evaluate(
    () => (window as never as { gengraph: { store: { get(): { doc: unknown } } } }).gengraph.store.get().doc,
  );

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(url);
  await expect(p2.getByTestId('doc-title')).toHaveText('CycleGAN');
  await expect
    .poll(() =>
      p2.evaluate(
        () =>
          (window as never as { gengraph: { store: { get(): { doc: unknown } } } }).gengraph.store.get().doc,
      ),
    )
    .toEqual(doc);
  await other.close();
});

test('copy in one tab, paste in another: nodes travel as JSON through the clipboard', async ({ context }) => {
  const a = await context.newPage();
  await fresh(a);
  await node(a, 'enc').click();
  await node(a, 'z').click({ modifiers: ['Shift'] });
  await a.keyboard.press('ControlOrMeta+c');

  const b = await context.newPage();
  await b.goto('/');
  await b.getByRole('button', { name: 'New', exact: true }).click();
  await expect(b.getByTestId('graph-node')).toHaveCount(0);
  await b.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await b.keyboard.press('ControlOrMeta+v');
  await expect(b.getByTestId('graph-node')).toHaveCount(2);
  // The wire between them came along; the encoder's input is now unwired, and says so.
  await expect(b.locator('.react-flow__edge')).toHaveCount(1);
  await expect(b.getByTestId('problems')).toContainText('Encoder');
});
