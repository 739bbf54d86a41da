import type * as tfjs from '@tensorflow/tfjs';
import { chooseInit } from '../core/kinds/common';
import type { NetInit } from '../core/kinds/common';
import type { Init, VarFactory } from '../core/kinds/types';
import { hashString } from '../core/random';

type TF = typeof tfjs;

/**
 * Owns every variable of a compiled program. Names are `${owner}/${name}`, so a checkpoint maps onto
 * the graph by node id; initial values are seeded from (run seed, name), so they do not depend on
 * the order in which nodes are built.
 */
let stores = 0;

export class VarStore {
  /** TF.js names variables globally; a per-store prefix lets two programs (or a reset) coexist. */
  private readonly engineName = `p${++stores}`;
  readonly vars = new Map<string, tfjs.Variable>();
  readonly owners = new Map<string, string>();

  constructor(
    private readonly tf: TF,
    private readonly seed: number,
  ) {}

  /** The variables of one node; a network's init mode may replace what its layers ask for. */
  factory(owner: string, mode: NetInit = 'he-glorot'): VarFactory {
    const fans = new Map<string, number>();
    return {
      make: (name, shape, init, trainable = true) =>
        this.make(owner, `${owner}/${name}`, shape, chooseInit(mode, name, shape, init, fans), trainable),
    };
  }

  private make(owner: string, full: string, shape: number[], init: Init, trainable: boolean): tfjs.Variable {
    if (this.vars.has(full)) throw new Error(`variable '${full}' is created twice`);
    const seed = hashString(full, this.seed >>> 0);
    const tf = this.tf;
    const value = tf.tidy(() => initial(tf, shape, init, seed));
    const v = tf.variable(value, trainable, `${this.engineName}/${full}`);
    value.dispose();
    this.vars.set(full, v);
    this.owners.set(full, owner);
    return v;
  }

  /** Variables by their logical name `${owner}/${name}` (the engine's name carries a store prefix). */
  named(): Array<[string, tfjs.Variable]> {
    return [...this.vars.entries()];
  }

  trainable(owner: string): tfjs.Variable[] {
    return [...this.vars.entries()]
      .filter(([n, v]) => v.trainable && this.owners.get(n) === owner)
      .map(([, v]) => v);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.owners.clear();
  }
}

function initial(tf: TF, shape: number[], init: Init, seed: number): tfjs.Tensor {
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
}
