import { MODEL_HELPERS } from './prelude-models';

/**
 * Source text of the helpers a printed program may call, each with the helpers it calls in turn. They
 * are transcriptions of GenGraph's own code (src/core/random.ts, src/runtime/vars.ts, optim.ts,
 * src/core/nn/build.ts and spec.ts), op for op, so that a printed program draws the same numbers and
 * computes the same values as the runtime; codegen.test.ts checks that they do.
 */
export interface Helper {
  deps: readonly string[];
  code: string;
}

const CORE: Record<string, Helper> = {
  hashString: {
    deps: [],
    code: `
// FNV-1a: every seed (of a variable, a step, a draw) is derived from a name with it.
function hashString(s, seed = 0x811c9dc5) {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}`,
  },
  mulberry32: {
    deps: [],
    code: `
// A small seeded generator for what is drawn on the CPU (batches, classes, pool swaps).
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}`,
  },
  gaussian: {
    deps: [],
    code: `
// Box–Muller on a seeded generator.
function gaussian(rng) {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}`,
  },
  forwardContext: {
    deps: ['hashString'],
    code: `
// What a forward pass needs besides its inputs. Seeds depend on (run seed, salt, iteration, draw), so
// every step draws the same batches and noise however the run was interrupted or resumed.
function forwardContext(seed, salt, iteration, training, batchSize) {
  let draw = 0;
  const base = hashString(\`\${salt}/\${iteration}\`, seed >>> 0);
  return { training, batchSize, nextSeed: () => hashString(String(draw++), base) };
}`,
  },
  chooseInit: {
    deps: [],
    code: `
// A network's init mode applied to one variable. normal-0.02 (DCGAN) replaces weights scaled to the
// layer's fan with N(0, 0.02); pytorch gives weights and their biases U(±1/√fan_in), PyTorch's default.
function chooseInit(mode, name, shape, asked, fans) {
  const fanScaled = asked === 'he' || asked === 'glorot';
  if (mode === 'normal-0.02') return fanScaled ? { normal: 0.02 } : asked;
  if (mode !== 'pytorch') return asked;
  if (fanScaled && name.endsWith('/kernel')) {
    const fanIn = shape.slice(0, -2).reduce((a, b) => a * b, 1) * (shape[shape.length - 2] ?? 1);
    fans.set(name.slice(0, -'/kernel'.length), fanIn);
    return { uniform: 1 / Math.sqrt(fanIn) };
  }
  const fan = name.endsWith('/bias') ? fans.get(name.slice(0, -'/bias'.length)) : undefined;
  return fan && asked === 'zeros' ? { uniform: 1 / Math.sqrt(fan) } : asked;
}`,
  },
  VarStore: {
    deps: ['hashString', 'chooseInit'],
    code: `
// Every variable, named \`\${owner}/\${name}\` and initialised from a seed derived from (run seed, name),
// so initial values do not depend on the order in which networks are built.
class VarStore {
  constructor(seed) {
    this.seed = seed;
    this.vars = new Map();
    this.owners = new Map();
  }

  // mode is the network's init: he-glorot keeps what its layers ask for; see chooseInit.
  factory(owner, mode = 'he-glorot') {
    const fans = new Map();
    const make = (name, shape, init, trainable = true) =>
      this.make(owner, \`\${owner}/\${name}\`, shape, chooseInit(mode, name, shape, init, fans), trainable);
    return { make };
  }

  make(owner, name, shape, init, trainable) {
    if (this.vars.has(name)) throw new Error(\`variable '\${name}' is created twice\`);
    const seed = hashString(name, this.seed >>> 0);
    const value = tf.tidy(() => initialValue(shape, init, seed));
    const v = tf.variable(value, trainable);
    value.dispose();
    this.vars.set(name, v);
    this.owners.set(name, owner);
    return v;
  }

  trainable(owner) {
    return [...this.vars.entries()]
      .filter(([name, v]) => v.trainable && this.owners.get(name) === owner)
      .map(([, v]) => v);
  }

  dispose() {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

function initialValue(shape, init, seed) {
  if (init === 'zeros') return tf.zeros(shape);
  if (init === 'ones') return tf.ones(shape);
  if (typeof init === 'object') {
    if ('uniform' in init) return tf.randomUniform(shape, -init.uniform, init.uniform, 'float32', seed);
    return tf.randomNormal(shape, 0, init.normal, 'float32', seed);
  }
  // Fans as Keras computes them: the receptive field times the in/out channels.
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[shape.length - 2] ?? 1) * receptive;
  const fanOut = (shape[shape.length - 1] ?? 1) * receptive;
  if (init === 'he') return tf.truncatedNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}`,
  },
  activate: {
    deps: [],
    code: `
function activate(x, act) {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, 0.2);
    case 'elu':
      return tf.elu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
  }
  throw new Error(\`unknown activation '\${act}'\`);
}`,
  },
  makeNorm: {
    deps: [],
    code: `
// Normalisation over the channel (last) axis; batch norm keeps running statistics for evaluation.
function makeNorm(vars, name, norm, channels) {
  if (norm === 'none') return (x) => x;
  const gamma = vars.make(\`\${name}/gamma\`, [channels], 'ones');
  const beta = vars.make(\`\${name}/beta\`, [channels], 'zeros');
  if (norm === 'batch') {
    const runMean = vars.make(\`\${name}/running_mean\`, [channels], 'zeros', false);
    const runVar = vars.make(\`\${name}/running_var\`, [channels], 'ones', false);
    return (x, ctx) => {
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      if (!ctx.training) return tf.batchNorm(x, runMean, runVar, beta, gamma, 1e-5);
      const { mean, variance } = tf.moments(x, axes);
      updateRunning(runMean, mean);
      updateRunning(runVar, variance);
      return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
    };
  }
  // Layer norm normalises each sample over its features; instance norm each sample's channel over H, W.
  return (x) => {
    const r = x.shape.length;
    const axes = norm === 'layer' ? [r - 1] : x.shape.slice(1, -1).map((_, i) => i + 1);
    const { mean, variance } = tf.moments(x, axes, true);
    // Written out: TF.js's batchNorm gradient wants mean and offset of equal rank.
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
  };
}

// Running statistics with momentum 0.1, as PyTorch keeps them.
function updateRunning(v, batch) {
  const next = tf.tidy(() => tf.add(tf.mul(v, 1 - 0.1), tf.mul(batch, 0.1)));
  v.assign(next);
  next.dispose();
}`,
  },
  buildLayers: {
    deps: ['activate', 'makeNorm'],
    code: `
// A network is a list of layer specs; this turns one into a function, creating its variables as
// \`\${prefix}/\${index}/...\`. Shapes exclude the batch dimension.
function buildLayers(vars, prefix, input, specs) {
  const shapes = traceShapes(input, specs);
  const layers = specs.map((s, i) =>
    buildLayer(vars, \`\${prefix}/\${i}\`, i === 0 ? input : shapes[i - 1], shapes[i], s),
  );
  return (x, ctx) => layers.reduce((h, layer) => layer(h, ctx), x);
}

function traceShapes(input, specs) {
  const shapes = [];
  let cur = [...input];
  for (const s of specs) {
    if (s.op === 'flatten') cur = [cur.reduce((a, b) => a * b, 1)];
    else if (s.op === 'reshape') cur = [...s.to];
    else if (s.op === 'dense') cur = [s.units];
    else if (s.op === 'conv' && s.transpose) cur = [cur[0] * s.stride, cur[1] * s.stride, s.filters];
    else if (s.op === 'conv') cur = [Math.ceil(cur[0] / s.stride), Math.ceil(cur[1] / s.stride), s.filters];
    shapes.push(cur);
  }
  return shapes;
}

// Batch and instance norm subtract the mean, which makes a bias before them redundant.
function hasBias(norm, bias = true) {
  return bias && (norm === 'none' || norm === 'layer');
}

function buildLayer(vars, name, inShape, out, s) {
  // TF.js computes gradients of fused kernels only for relu and linear activations.
  const fusable = s.act === 'relu' || s.act === 'linear';
  switch (s.op) {
    case 'flatten':
      return (x) => tf.reshape(x, [-1, out[0]]);
    case 'reshape':
      return (x) => tf.reshape(x, [-1, ...s.to]);
    case 'dense': {
      const w = vars.make(\`\${name}/kernel\`, [inShape[0], s.units], s.act === 'relu' ? 'he' : 'glorot');
      const b = hasBias(s.norm, s.bias) ? vars.make(\`\${name}/bias\`, [s.units], 'zeros') : undefined;
      const norm = makeNorm(vars, \`\${name}/norm\`, s.norm, s.units);
      const fuse = s.norm === 'none' && fusable;
      return (x, ctx) => {
        if (fuse) return tf.fused.matMul({ a: x, b: w, bias: b, activation: s.act });
        const y = tf.fused.matMul({ a: x, b: w, bias: b });
        return activate(norm(y, ctx), s.act);
      };
    }
    case 'conv': {
      const inC = inShape[2];
      const kshape = s.transpose
        ? [s.kernel, s.kernel, s.filters, inC]
        : [s.kernel, s.kernel, inC, s.filters];
      const w = vars.make(\`\${name}/kernel\`, kshape, s.act === 'relu' ? 'he' : 'glorot');
      const b = hasBias(s.norm) ? vars.make(\`\${name}/bias\`, [s.filters], 'zeros') : undefined;
      const norm = makeNorm(vars, \`\${name}/norm\`, s.norm, s.filters);
      const fuse = s.norm === 'none' && fusable && !s.transpose;
      return (x, ctx) => {
        if (fuse) {
          const activation = s.act;
          return tf.fused.conv2d({ x, filter: w, strides: s.stride, pad: 'same', bias: b, activation });
        }
        let y = s.transpose
          ? tf.conv2dTranspose(x, w, [x.shape[0], out[0], out[1], s.filters], s.stride, 'same')
          : tf.conv2d(x, w, s.stride, 'same');
        if (b) y = tf.add(y, b);
        return activate(norm(y, ctx), s.act);
      };
    }
    case 'residual': {
      const body = buildLayers(vars, \`\${name}/res\`, inShape, s.body);
      return (x, ctx) => tf.add(x, body(x, ctx));
    }
  }
  throw new Error(\`unknown layer '\${s.op}'\`);
}`,
  },
  stopGradient: {
    deps: [],
    code: `
// Identity whose gradient is zero (TF.js has no stop_gradient op).
function stopGradient(x) {
  const f = tf.customGrad((a) => ({ value: a.clone(), gradFunc: (dy) => tf.zerosLike(dy) }));
  return f(x);
}`,
  },
  sumPerSample: {
    deps: [],
    code: `
// Sum over everything but the batch, mean over the batch: a per-sample quantity such as nats.
function sumPerSample(x) {
  const axes = x.shape.slice(1).map((_, i) => i + 1);
  return tf.mean(axes.length ? tf.sum(x, axes) : x);
}`,
  },
  decayAndClip: {
    deps: [],
    code: `
// L2 weight decay (as torch.optim's weight_decay), then clipping by the global norm, applied to the
// gradients before the optimizer sees them.
function decayAndClip(grads, vars, weightDecay, clipNorm) {
  // Summed in the order of \`vars\`, as the runtime sums them: the keys of \`grads\` are the engine's
  // variable names, numbers here, which an object would sort.
  const names = vars.map((v) => v.name).filter((name) => grads[name] !== undefined);
  let out = grads;
  if (weightDecay > 0) {
    out = {};
    for (const v of vars) out[v.name] = tf.add(grads[v.name], tf.mul(v, weightDecay));
  }
  if (clipNorm !== undefined) {
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(out[n])))));
    const scale = tf.minimum(1, tf.div(clipNorm, tf.maximum(norm, 1e-12)));
    const clipped = {};
    for (const n of names) clipped[n] = tf.mul(out[n], scale);
    out = clipped;
  }
  return out;
}`,
  },
  scheduleLr: {
    deps: [],
    code: `
// A phase's learning rate at an iteration: lr until \`from\` × iterations, then falling linearly to
// lr / (n + 1) at the last of those n iterations (0 past the end), as CycleGAN decays it.
function scheduleLr(optimizer, lr, iteration, iterations, from) {
  const start = Math.floor(from * iterations);
  const factor = iteration < start ? 1 : Math.max(0, (iterations - iteration) / (iterations - start + 1));
  // SGD and momentum keep the rate in a setter; Adam and RMSprop read the field on every update.
  if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(lr * factor);
  else optimizer.learningRate = lr * factor;
}`,
  },
  updateEma: {
    deps: [],
    code: `
// A moving average of trained weights, used in place of them when sampling. With TF's warm-up,
// decay = min(ema, (1 + n) / (10 + n)), so short runs do not average in the initial weights.
function updateEma(model, vars, ema) {
  const n = model.emaCount++;
  const decay = Math.min(ema, (1 + n) / (10 + n));
  for (const v of vars) {
    let s = model.ema.get(v);
    if (!s) {
      s = tf.variable(v.clone(), false);
      model.ema.set(v, s);
    }
    const next = tf.tidy(() => tf.add(tf.mul(s, decay), tf.mul(v, 1 - decay)));
    s.assign(next);
    next.dispose();
  }
}

// Runs f with the moving averages in place of the weights, then puts the weights back.
function withEma(model, f) {
  if (model.ema.size === 0) return f();
  const saved = [...model.ema.keys()].map((v) => [v, v.clone()]);
  for (const [v, s] of model.ema) v.assign(s);
  try {
    return f();
  } finally {
    for (const [v, t] of saved) {
      v.assign(t);
      t.dispose();
    }
  }
}`,
  },
};

export const HELPERS: Record<string, Helper> = { ...CORE, ...MODEL_HELPERS };

/** The helpers needed, with everything they call, in the registry's order (definitions before uses). */
export function helperSource(names: Iterable<string>): string {
  const need = new Set<string>();
  const visit = (name: string) => {
    const h = HELPERS[name];
    if (!h) throw new Error(`codegen: no helper named '${name}'`);
    if (need.has(name)) return;
    need.add(name);
    h.deps.forEach(visit);
  };
  for (const n of names) visit(n);
  return Object.keys(HELPERS)
    .filter((n) => need.has(n))
    .map((n) => HELPERS[n]!.code.trim())
    .join('\n\n');
}
