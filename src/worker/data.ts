import type { DataProvider, DatasetId, MnistSet } from '../core/kinds/types';
import { parseIdx } from '../runtime/data/idx';

const FILES: Record<DatasetId, [string, string]> = {
  'mnist-train': ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  'mnist-test': ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

const cache = new Map<DatasetId, Promise<MnistSet>>();

async function fetchBytes(file: string): Promise<Uint8Array> {
  const url = `${import.meta.env.BASE_URL}data/mnist/${file}`;
  const r = await fetch(url);
  if (!r.ok)
    throw new Error(`could not load ${url} (HTTP ${r.status}); run npm start, which prepares the data`);
  return new Uint8Array(await r.arrayBuffer());
}

async function loadSet(id: DatasetId): Promise<MnistSet> {
  const [imagesFile, labelsFile] = FILES[id];
  const [images, labels] = await Promise.all([fetchBytes(imagesFile), fetchBytes(labelsFile)]);
  const im = parseIdx(images, imagesFile);
  const lb = parseIdx(labels, labelsFile);
  return { images: im.data, labels: lb.data, count: im.count };
}

/** MNIST served from the app's own origin (public/data), fetched once per worker. */
export async function loadBrowserData(ids: DatasetId[]): Promise<DataProvider> {
  const sets = new Map<DatasetId, MnistSet>();
  for (const id of ids) {
    if (!cache.has(id)) cache.set(id, loadSet(id));
    sets.set(id, await cache.get(id)!);
  }
  return {
    get(id) {
      const s = sets.get(id);
      if (!s) throw new Error(`dataset ${id} was not loaded`);
      return s;
    },
  };
}
