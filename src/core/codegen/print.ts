import { isIndependent, upstream } from '../compiler/compile';
import type { IrNode, IrPhase, Program } from '../compiler/ir';
import { summedLosses } from '../compiler/ir';
import type { Optimizer } from '../document/schema';
import { initMode } from '../kinds/common';
import { DATA_EMITTERS } from './emit-data';
import { DIFFUSION_EMITTERS } from './emit-diffusion';
import { LOSS_EMITTERS } from './emit-losses';
import { NET_EMITTERS } from './emit-nets';
import { OP_EMITTERS } from './emit-ops';
import type { Emitter, NodeCode } from './emit';
import { CodegenError, MAX_LINE, Names, comment, describe, key, lit, oneLine, prop, quote } from './emit';
import { HELPERS, helperSource } from './prelude';

const EMITTERS: Record<string, Emitter> = {
  ...DATA_EMITTERS,
  ...NET_EMITTERS,
  ...LOSS_EMITTERS,
  ...DIFFUSION_EMITTERS,
  ...OP_EMITTERS,
};

/** Functions the helpers define besides their own names; printed names must not collide with them. */
const HELPER_INTERNALS = [
  'initialValue',
  'updateRunning',
  'traceShapes',
  'hasBias',
  'buildLayer',
  'resBlock',
  'groupNorm',
  'convLayer',
];
const EXPORTS = ['SETTINGS', 'DATASETS', 'PHASES', 'OUTPUTS', 'build', 'train', 'evaluate'];

/** Whether the printer knows a kind; the UI can say so before the user asks for the code. */
export function canPrint(kind: string): boolean {
  return kind in EMITTERS;
}

/**
 * The compiled program as one readable, standalone ES module that imports only `@tensorflow/tfjs`:
 * helpers, one section per node, one function per phase, a training loop and the graph's outputs.
 * Pure and deterministic: the same program always prints the same text. Throws a CodegenError naming
 * the node when a node cannot be printed.
 */
export function printProgram(program: Program): string {
  const top = new Names();
  top.reserve(...Object.keys(HELPERS), ...HELPER_INTERNALS, ...EXPORTS);
  const locals = new Names();
  const local = new Map(program.order.map((id) => [id, locals.take(id)]));
  const helpers = new Set(['forwardContext', 'VarStore']);

  const owners = program.order.filter((id) => program.nodes[id]!.owner === id);
  const makers = new Map<string, { name: string; code: NodeCode }>();
  for (const id of owners) {
    const code = emitNode(program.nodes[id]!);
    code.helpers.forEach((h) => helpers.add(h));
    makers.set(id, { name: top.take(`make${capital(id)}`), code });
  }
  const phaseNames = program.phases.map((ph) => top.take(`${ph.id}Step`));
  if (program.phases.some((ph) => ph.optimizer.weightDecay > 0 || ph.optimizer.clipNorm !== undefined)) {
    helpers.add('decayAndClip');
  }
  const ema = program.phases.some((ph) => ph.ema !== undefined);
  if (ema) helpers.add('updateEma');
  if (program.phases.some((ph) => ph.optimizer.linearDecayFrom !== undefined)) helpers.add('scheduleLr');

  const out: string[] = [
    ...header(program),
    "import * as tf from '@tensorflow/tfjs';",
    '',
    `export const SETTINGS = ${lit({ batchSize: program.batchSize, seed: program.seed, iterations: program.iterations, logEvery: program.logEvery })};`,
    '',
    '// Datasets that build({ data }) reads, each as { images: Uint8Array (count × 784), labels, count }.',
    `export const DATASETS = ${lit(program.datasets)};`,
    '',
    section('Helpers'),
    '',
    helperSource(helpers),
    '',
    section('Nodes: each maker creates its variables and returns the forward function'),
  ];
  for (const id of owners) out.push('', ...nodeSection(program, id, makers.get(id)!));
  out.push('', section('The model'), '', ...buildFunction(program, owners, makers, ema));
  out.push('', section('Phases: one optimizer step each'));
  program.phases.forEach((ph, i) => out.push('', ...phaseFunction(ph, phaseNames[i]!, program, local)));
  out.push(
    '',
    '// Every iteration runs the phases in this order, each for its number of steps.',
    'export const PHASES = [',
    ...program.phases.map(
      (ph, i) => `  { id: ${quote(ph.id)}, steps: ${ph.steps}, step: ${phaseNames[i]} },`,
    ),
    '];',
    '',
    ...TRAIN,
    '',
    section('Outputs'),
    '',
    ...outputs(program, local, ema),
  );
  return out.join('\n') + '\n';
}

function emitNode(n: IrNode): NodeCode {
  const emit = EMITTERS[n.kind];
  if (!emit) {
    throw new CodegenError(
      n.id,
      `cannot print ${describe(n)}: there is no code printer for the kind '${n.kind}'`,
    );
  }
  try {
    return emit(n);
  } catch (e) {
    if (e instanceof CodegenError) throw e;
    throw new CodegenError(
      n.id,
      `cannot print ${describe(n)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function header(program: Program): string[] {
  const title = oneLine(program.title) || 'Untitled model';
  const lines = [
    `// ${title}: a GenGraph model as a standalone TF.js program.`,
    '//',
    '// Each iteration runs these phases in order:',
    ...program.phases.flatMap((ph) => comment(`${ph.id} (${ph.label}): ${phaseSummary(ph)}`, '', '  ')),
    '//',
    "// Variables, batches and noise are seeded exactly as in GenGraph's runtime, so training here gives the",
    '// same losses step for step.',
  ];
  if (program.datasets.length) {
    lines.push(
      `// It reads ${program.datasets.join(' and ')}: pass build() or train() a \`data\` object whose get(id)`,
      '// returns { images: Uint8Array (count × 784, row-major 28×28), labels: Uint8Array, count }.',
    );
  }
  lines.push(
    '//',
    "//   import { train, evaluate } from './model.js';",
    '//   const model = await train({ data, iterations: 100, onLoss: (r) => console.log(r) });',
  );
  return lines;
}

function phaseSummary(ph: IrPhase): string {
  const sum = ph.losses.map((l) => (l.weight === 1 ? l.node : `${l.weight}·${l.node}`)).join(' + ');
  const steps = ph.steps === 1 ? '1 step' : `${ph.steps} steps`;
  return `minimise ${sum}, updating ${ph.trains.join(', ')} (${optimizerName(ph.optimizer)}, ${steps})`;
}

function section(title: string): string {
  return `// ── ${title} ${'─'.repeat(Math.max(3, 100 - title.length))}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function nodeSection(program: Program, id: string, maker: { name: string; code: NodeCode }): string[] {
  const n = program.nodes[id]!;
  const sharers = program.order.filter((o) => o !== id && program.nodes[o]!.owner === id);
  const args = { vars: 'vars', data: 'data', none: '' }[maker.code.needs];
  return [
    `// ${oneLine(n.id)}: ${oneLine(n.label)} (${n.kind})`,
    `// ${maker.code.summary}`,
    ...(sharers.length ? [`// Also run as ${sharers.join(', ')}, with the same weights.`] : []),
    `function ${maker.name}(${args}) {`,
    ...maker.code.body.map((l) => `  ${l}`),
    '}',
  ];
}

function buildFunction(
  program: Program,
  owners: string[],
  makers: Map<string, { name: string; code: NodeCode }>,
  ema: boolean,
): string[] {
  const call = (id: string) => {
    const m = makers.get(id)!;
    const mode = initMode(program.nodes[id]!.params);
    const factory = `vars.factory(${quote(id)}${mode === 'he-glorot' ? '' : `, ${quote(mode)}`})`;
    const arg = { vars: factory, data: 'data', none: '' }[m.code.needs];
    return `    ${key(id)}: ${m.name}(${arg}),`;
  };
  const sharers = program.order.filter((id) => program.nodes[id]!.owner !== id);
  return [
    '// Creates every variable (each seeded from its name) and each phase’s optimizer. Owners are built in',
    '// graph order, as the runtime builds them, so the variable lists come out in the same order.',
    'export function build({ data, seed = SETTINGS.seed, batchSize = SETTINGS.batchSize } = {}) {',
    ...(program.datasets.length
      ? ["  if (!data) throw new Error(`build() needs { data } with get(id) for ${DATASETS.join(', ')}`);"]
      : []),
    '  const vars = new VarStore(seed);',
    '  const nodes = {',
    ...owners.map(call),
    '  };',
    ...(sharers.length ? ['  // Nodes that share weights run their owner’s network.'] : []),
    ...sharers.map((id) => `  ${prop('nodes', id)} = ${prop('nodes', program.nodes[id]!.owner)};`),
    '  const optimizers = {',
    ...program.phases.map((ph) => `    ${key(ph.id)}: ${optimizerExpr(ph.optimizer)},`),
    '  };',
    ...(ema ? ['  const ema = new Map();'] : []),
    '  return {',
    '    seed,',
    '    batchSize,',
    '    vars,',
    '    nodes,',
    '    optimizers,',
    '    // Iterations done: seeds depend on it, so a model trained further continues the same sequence.',
    '    iteration: 0,',
    ...(ema
      ? [
          '    // Moving averages of trained weights, by variable, and how many updates they have had.',
          '    ema,',
          '    emaCount: 0,',
        ]
      : []),
    '    dispose() {',
    '      for (const forward of new Set(Object.values(nodes))) forward.dispose?.();',
    '      for (const o of Object.values(optimizers)) o.dispose();',
    ...(ema ? ['      for (const s of ema.values()) s.dispose();'] : []),
    '      vars.dispose();',
    '    },',
    '  };',
    '}',
  ];
}

function optimizerExpr(o: Optimizer): string {
  switch (o.type) {
    case 'adam':
      return `tf.train.adam(${lit(o.lr)}, ${lit(o.beta1)}, ${lit(o.beta2)}, ${lit(o.epsilon)})`;
    case 'sgd':
      return o.beta1 > 0 ? `tf.train.momentum(${lit(o.lr)}, ${lit(o.beta1)})` : `tf.train.sgd(${lit(o.lr)})`;
    case 'rmsprop':
      return `tf.train.rmsprop(${lit(o.lr)}, ${lit(o.beta1)}, 0, ${lit(o.epsilon)})`;
  }
}

function optimizerName(o: Optimizer): string {
  const extra = [
    ...(o.weightDecay > 0 ? [`weight decay ${o.weightDecay}`] : []),
    ...(o.clipNorm !== undefined ? [`gradient norm clipped to ${o.clipNorm}`] : []),
    ...(o.linearDecayFrom !== undefined
      ? [`lr falling linearly to 0 from ${Math.round(o.linearDecayFrom * 100)}% of the iterations`]
      : []),
  ];
  const base = {
    adam: `Adam lr ${o.lr}, β1 ${o.beta1}, β2 ${o.beta2}`,
    sgd: o.beta1 > 0 ? `SGD lr ${o.lr}, momentum ${o.beta1}` : `SGD lr ${o.lr}`,
    rmsprop: `RMSprop lr ${o.lr}, decay ${o.beta1}`,
  }[o.type];
  return [base, ...extra].join(', ');
}

/** Evaluates scheduled nodes in order: `const enc = n.enc({ x: data.x }, ctx);`. */
function forwardLines(
  program: Program,
  schedule: readonly string[],
  local: Map<string, string>,
  indent: string,
) {
  const done = new Set<string>();
  return schedule.map((id) => {
    const n = program.nodes[id]!;
    // An input whose source is not evaluated is a network handle's (independent) input: left out.
    const ins = Object.entries(n.inputs)
      .filter(([, src]) => done.has(src.node))
      .map(([port, src]) => `${key(port)}: ${prop(local.get(src.node)!, src.port)}`);
    done.add(id);
    const arg = ins.length ? `{ ${ins.join(', ')} }` : '{}';
    return `${indent}const ${local.get(id)} = ${prop('n', id)}(${arg}, ctx);`;
  });
}

function templateText(s: string): string {
  return s.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${');
}

function phaseFunction(ph: IrPhase, name: string, program: Program, local: Map<string, string>): string[] {
  const o = ph.optimizer;
  const terms = summedLosses(ph).map((l) => {
    const v = prop(local.get(l.node)!, 'loss');
    return l.weight === 1 ? v : `tf.mul(${v}, ${lit(l.weight)})`;
  });
  let total = terms.length === 1 ? terms[0]! : `tf.addN([${terms.join(', ')}])`;
  if (total.length > MAX_LINE - 20)
    total = `tf.addN([\n${terms.map((t) => `        ${t},`).join('\n')}\n      ])`;
  const vars = ph.trains.map((id) => `...model.vars.trainable(${quote(id)})`).join(', ');
  const decay = o.weightDecay > 0 || o.clipNorm !== undefined;
  return [
    ...comment(`Phase ${quote(ph.id)} (${ph.label}): ${phaseSummary(ph)}.`),
    '// Returns the unweighted losses, as scalars the caller disposes.',
    `export function ${name}(model, stepIndex = 0) {`,
    '  const n = model.nodes;',
    `  const salt = \`${templateText(ph.id)}/\${stepIndex}\`;`,
    '  const ctx = forwardContext(model.seed, salt, model.iteration, true, model.batchSize);',
    `  const vars = [${vars}];`,
    '  const losses = {};',
    '  const grads = tf.tidy(() => {',
    '    const { grads } = tf.variableGrads(() => {',
    ...forwardLines(program, ph.schedule, local, '      '),
    ...ph.losses.map(
      (l) => `      ${prop('losses', l.node)} = tf.keep(${prop(local.get(l.node)!, 'loss')}.clone());`,
    ),
    `      return ${total};`,
    '    }, vars);',
    decay
      ? `    return decayAndClip(grads, vars, ${lit(o.weightDecay)}, ${lit(o.clipNorm)});`
      : '    return grads;',
    '  });',
    ...(o.linearDecayFrom !== undefined
      ? [
          `  scheduleLr(${prop('model.optimizers', ph.id)}, ${lit(o.lr)}, model.iteration, SETTINGS.iterations, ` +
            `${lit(o.linearDecayFrom)});`,
        ]
      : []),
    `  ${prop('model.optimizers', ph.id)}.applyGradients(grads);`,
    '  tf.dispose(Object.values(grads));',
    ...(ph.ema !== undefined ? [`  updateEma(model, vars, ${lit(ph.ema)});`] : []),
    '  return losses;',
    '}',
  ];
}

const TRAIN = [
  '// Trains for `iterations` more iterations (a new model unless one is given). onLoss, if given, gets each',
  '// step’s unweighted losses: { iteration, phase, step, losses: { [lossNodeId]: number } }.',
  'export async function train(options = {}) {',
  '  const { data, iterations = SETTINGS.iterations, seed = SETTINGS.seed, onLoss } = options;',
  '  const model = options.model ?? build({ data, seed });',
  '  for (let i = 0; i < iterations; i++) {',
  '    for (const phase of PHASES) {',
  '      for (let k = 0; k < phase.steps; k++) {',
  '        const losses = phase.step(model, k);',
  '        // Reading a loss waits for the device, so it is only done for a listener.',
  '        if (onLoss) {',
  '          const values = {};',
  '          for (const [id, t] of Object.entries(losses)) values[id] = (await t.data())[0];',
  '          onLoss({ iteration: model.iteration, phase: phase.id, step: k, losses: values });',
  '        }',
  '        tf.dispose(Object.values(losses));',
  '      }',
  '    }',
  '    model.iteration++;',
  '  }',
  '  return model;',
  '}',
];

function outputs(program: Program, local: Map<string, string>, ema: boolean): string[] {
  const out = [
    '// The graph’s named outputs, evaluated outside training (batch norm uses its running statistics).',
    'const OUTPUTS = {',
  ];
  for (const [name, ref] of Object.entries(program.outputs)) {
    const schedule = upstream(program.nodes, program.order, [ref], isIndependent);
    out.push(
      `  ${key(name)}: (n, ctx) => {`,
      ...forwardLines(program, schedule, local, '    '),
      `    return ${prop(local.get(ref.node)!, ref.port)};`,
      '  },',
    );
  }
  out.push(
    '};',
    '',
    '// One named output for a batch of `batchSize`, e.g. evaluate(model, name); the caller disposes it.',
    'export function evaluate(model, name, batchSize = model.batchSize) {',
    '  if (!Object.hasOwn(OUTPUTS, name)) {',
    "    throw new Error(`no output '${name}': the outputs are ${Object.keys(OUTPUTS).join(', ')}`);",
    '  }',
    "  const ctx = forwardContext(model.seed, 'eval', model.iteration, false, batchSize);",
    ema
      ? '  return withEma(model, () => tf.tidy(() => OUTPUTS[name](model.nodes, ctx)));'
      : '  return tf.tidy(() => OUTPUTS[name](model.nodes, ctx));',
    '}',
  );
  return out;
}
