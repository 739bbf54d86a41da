import type { Helper } from './prelude';

/**
 * Helpers for data, diffusion and the U-Net, transcribed from src/core/kinds/mnist-batch.ts,
 * data-toy2d.ts, diffusion-*.ts, net-denoiser.ts and src/core/nn/unet.ts (see prelude.ts).
 */
export const MODEL_HELPERS: Record<string, Helper> = {
  mnistBatch: {
    deps: [],
    code: `
// Gathers a random batch on the CPU, so the dataset itself never sits on the device. \`set\` is
// { images: Uint8Array (count × 784, 0 = background), labels: Uint8Array, count }.
function mnistBatch(set, n, rng, binarize, range, indexRange = [0, set.count], transform) {
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  const [lo, hi] = indexRange;
  const img = new Float32Array(784);
  for (let i = 0; i < n; i++) {
    const idx = lo + Math.floor(rng() * (hi - lo));
    labels[i] = set.labels[idx];
    const off = idx * 784;
    for (let j = 0; j < 784; j++) img[j] = set.images[off + j] / 255;
    if (transform) transform(img);
    for (let j = 0; j < 784; j++) {
      let v = img[j];
      // Dynamic binarization: each pixel redrawn as 0 or 1 with its grey value as the probability.
      if (binarize) v = rng() < v ? 1 : 0;
      images[i * 784 + j] = range === '0..1' ? v : v * 2 - 1;
    }
  }
  return { images, labels };
}`,
  },
  invert: {
    deps: [],
    code: `
// Colour inversion: a domain whose true pair for any digit is known exactly.
function invert(img) {
  for (let j = 0; j < img.length; j++) img[j] = 1 - img[j];
}`,
  },
  thicken: {
    deps: [],
    code: `
// 3×3 grey dilation (max filter): thicker strokes.
function thicken(img) {
  const src = Float32Array.from(img);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy > 27) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx > 27) continue;
          m = Math.max(m, src[yy * 28 + xx]);
        }
      }
      img[y * 28 + x] = m;
    }
  }
}`,
  },
  ring8Point: {
    deps: ['gaussian'],
    code: `
// Eight gaussians on a ring of radius 2.
function ring8Point(rng, noise) {
  const k = Math.floor(rng() * 8);
  const a = (2 * Math.PI * k) / 8;
  return [2 * Math.cos(a) + noise * gaussian(rng), 2 * Math.sin(a) + noise * gaussian(rng)];
}`,
  },
  swissrollPoint: {
    deps: ['gaussian'],
    code: `
function swissrollPoint(rng, noise) {
  const t = 1.5 * Math.PI * (1 + 2 * rng());
  return [(t * Math.cos(t)) / 7 + noise * gaussian(rng), (t * Math.sin(t)) / 7 + noise * gaussian(rng)];
}`,
  },
  moonsPoint: {
    deps: ['gaussian'],
    code: `
function moonsPoint(rng, noise) {
  const a = Math.PI * rng();
  const upper = rng() < 0.5;
  const x = upper ? Math.cos(a) : 1 - Math.cos(a);
  const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
  return [1.6 * (x - 0.5) + noise * gaussian(rng), 1.6 * (y - 0.25) + noise * gaussian(rng)];
}`,
  },
  scheduleArrays: {
    deps: [],
    code: `
// β_t, α_t = 1 − β_t and ᾱ_t = ∏ α_s, computed in float64 on the CPU.
function scheduleArrays({ type, T, betaStart, betaEnd }) {
  const betas = new Float64Array(T);
  if (type === 'linear') {
    for (let t = 0; t < T; t++) betas[t] = betaStart + ((betaEnd - betaStart) * t) / (T - 1);
  } else {
    // Nichol & Dhariwal 2021: ᾱ(t) = cos²((t/T + s)/(1 + s) · π/2), β clipped at 0.999.
    const s = 0.008;
    const f = (t) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
    for (let t = 0; t < T; t++) betas[t] = Math.min(0.999, 1 - f(t + 1) / f(t));
  }
  const alphas = betas.map((b) => 1 - b);
  const alphaBars = new Float64Array(T);
  let prod = 1;
  for (let t = 0; t < T; t++) alphaBars[t] = prod *= alphas[t];
  return { betas, alphas, alphaBars };
}`,
  },
  reverseSteps: {
    deps: [],
    code: `
// The sampler's timesteps from T − 1 down to 0: every one, or \`steps\` of them spread evenly with
// ᾱ kept at each (respacing, Nichol & Dhariwal 2021), so each jump's β is 1 − ᾱ_t / ᾱ_prev.
function reverseSteps(alphaBars, steps) {
  const T = alphaBars.length;
  const S = steps > 0 ? Math.min(steps, T) : T;
  const stride = S === 1 ? 0 : (T - 1) / (S - 1);
  const taken = S === 1 ? [T - 1] : Array.from({ length: S }, (_, i) => Math.round(i * stride));
  return taken
    .map((t, k) => ({ t, ab: alphaBars[t], abPrev: k === 0 ? 1 : alphaBars[taken[k - 1]] }))
    .reverse();
}`,
  },
  perSample: {
    deps: [],
    code: `
// Gathers a per-timestep constant for each sample and shapes it to broadcast over x.
function perSample(table, t, rank) {
  return tf.gather(table, t).reshape([-1, ...new Array(rank - 1).fill(1)]);
}`,
  },
  timestepEmbedding: {
    deps: [],
    code: `
// Sinusoidal embedding of integer timesteps, as in the Transformer and DDPM.
function timestepEmbedding(t, dim) {
  const half = Math.floor(dim / 2);
  const freqs = tf.exp(tf.mul(tf.range(0, half, 1, 'float32'), -Math.log(10000) / Math.max(1, half - 1)));
  const args = tf.mul(t.toFloat().reshape([-1, 1]), freqs.reshape([1, half]));
  return tf.concat([tf.sin(args), tf.cos(args)], 1);
}`,
  },
  denseLayer: {
    deps: [],
    code: `
function denseLayer(vars, name, din, dout) {
  const w = vars.make(\`\${name}/kernel\`, [din, dout], 'glorot');
  const b = vars.make(\`\${name}/bias\`, [dout], 'zeros');
  return (x) => tf.fused.matMul({ a: x, b: w, bias: b });
}`,
  },
  buildUnet: {
    deps: ['activate', 'timestepEmbedding', 'denseLayer'],
    code: `
// A small DDPM U-Net (Ho et al. 2020, scaled down): residual blocks with group norm and swish, the
// timestep embedding added inside every block, stride-2 downsampling, skips concatenated on the way up.
function buildUnet(vars, { channels, mults, timeDim }, inC) {
  const t1 = denseLayer(vars, 'time/0', timeDim, timeDim * 2);
  const t2 = denseLayer(vars, 'time/1', timeDim * 2, timeDim * 2);
  const convIn = convLayer(vars, 'in', inC, channels, 3);
  const widths = mults.map((m) => m * channels);
  const down = [];
  const downsample = [];
  let c = channels;
  widths.forEach((w, i) => {
    down.push(resBlock(vars, \`down/\${i}\`, c, w, timeDim * 2));
    c = w;
    if (i < widths.length - 1) downsample.push(convLayer(vars, \`down/\${i}/sample\`, c, c, 3, 2));
  });
  const mid = resBlock(vars, 'mid', c, c, timeDim * 2);
  const up = [];
  for (let i = widths.length - 1; i >= 0; i--) {
    up.push(resBlock(vars, \`up/\${i}\`, c + widths[i], widths[i], timeDim * 2));
    c = widths[i];
  }
  const normOut = groupNorm(vars, 'out/norm', c);
  const convOut = convLayer(vars, 'out', c, inC, 3);
  return (x, t) => {
    const temb = t2(activate(t1(timestepEmbedding(t, timeDim)), 'swish'));
    let h = convIn(x);
    const skips = [];
    down.forEach((block, i) => {
      h = block(h, temb);
      skips.push(h);
      if (downsample[i]) h = downsample[i](h);
    });
    h = mid(h, temb);
    up.forEach((block, j) => {
      const skip = skips[skips.length - 1 - j];
      if (h.shape[1] !== skip.shape[1]) h = tf.image.resizeNearestNeighbor(h, [skip.shape[1], skip.shape[2]]);
      h = block(tf.concat([h, skip], 3), temb);
    });
    return convOut(activate(normOut(h), 'swish'));
  };
}

function resBlock(vars, name, cin, cout, tdim) {
  const n1 = groupNorm(vars, \`\${name}/norm1\`, cin);
  const c1 = convLayer(vars, \`\${name}/conv1\`, cin, cout, 3);
  const t = denseLayer(vars, \`\${name}/time\`, tdim, cout);
  const n2 = groupNorm(vars, \`\${name}/norm2\`, cout);
  const c2 = convLayer(vars, \`\${name}/conv2\`, cout, cout, 3);
  const skip = cin === cout ? (x) => x : convLayer(vars, \`\${name}/skip\`, cin, cout, 1);
  return (x, temb) => {
    let h = c1(activate(n1(x), 'swish'));
    h = tf.add(h, t(activate(temb, 'swish')).reshape([-1, 1, 1, cout]));
    h = c2(activate(n2(h), 'swish'));
    return tf.add(skip(x), h);
  };
}

function groupNorm(vars, name, c) {
  const gamma = vars.make(\`\${name}/gamma\`, [c], 'ones');
  const beta = vars.make(\`\${name}/beta\`, [c], 'zeros');
  const g = [8, 4, 2].find((k) => c % k === 0) ?? 1;
  return (x) => {
    const [b, h, w] = x.shape;
    const xr = x.reshape([b, h, w, g, c / g]);
    const { mean, variance } = tf.moments(xr, [1, 2, 4], true);
    const y = tf.div(tf.sub(xr, mean), tf.sqrt(tf.add(variance, 1e-5))).reshape([b, h, w, c]);
    return tf.add(tf.mul(y, gamma), beta);
  };
}

function convLayer(vars, name, cin, cout, k, stride = 1) {
  const w = vars.make(\`\${name}/kernel\`, [k, k, cin, cout], 'glorot');
  const b = vars.make(\`\${name}/bias\`, [cout], 'zeros');
  return (x) => tf.fused.conv2d({ x, filter: w, bias: b, strides: stride, pad: 'same' });
}`,
  },
  denoiserMlp: {
    deps: ['activate', 'timestepEmbedding', 'denseLayer'],
    code: `
// The denoiser for points: each hidden layer sees the timestep embedding again, so every layer knows
// the noise level.
function denoiserMlp(vars, { hidden, timeDim, activation }, d) {
  const temb = denseLayer(vars, 'time', timeDim, timeDim);
  let width = d;
  const layers = hidden.map((h, i) => {
    const l = denseLayer(vars, \`hidden/\${i}\`, width + timeDim, h);
    width = h;
    return l;
  });
  const out = denseLayer(vars, 'out', width, d);
  return (x, t) => {
    const e = activate(temb(timestepEmbedding(t, timeDim)), activation);
    const h = layers.reduce((acc, l) => activate(l(tf.concat([acc, e], 1)), activation), x);
    return out(h);
  };
}`,
  },
};
