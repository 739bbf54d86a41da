import type { NodeInfo } from './analyze';
import type { TF, VarFactory } from '../kinds/types';

/** A TF that refuses every use: builders create variables through `vars` and defer all math to forward. */
const NO_TF = new Proxy({} as TF, {
  get(_t, key) {
    throw new Error(`tf.${String(key)} used while counting parameters`);
  },
});

/**
 * Trainable parameters of a network node, counted by running its builder with a variable factory
 * that only records shapes (no TF.js, no memory). Undefined for nodes without weights, nodes that
 * share another's weights, or when the node cannot be built as it stands.
 */
export function countNodeParams(info: NodeInfo): number | undefined {
  if (!info.ok || !info.kind?.trainable || !info.params || info.owner !== info.id) return undefined;
  let n = 0;
  const vars: VarFactory = {
    make(_name, shape, _init, trainable = true) {
      if (trainable) n += shape.reduce((a, b) => a * b, 1);
      return {} as ReturnType<VarFactory['make']>;
    },
  };
  try {
    info.kind.build({
      tf: NO_TF,
      data: { get: () => ({ images: new Uint8Array(), labels: new Uint8Array(), count: 0 }) },
      nodeId: info.id,
      params: info.params,
      inputs: info.inputInfo,
      outputs: info.outputInfo,
      vars,
    });
  } catch {
    return undefined;
  }
  return n;
}
