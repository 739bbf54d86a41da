import { z } from 'zod';

/** Bump with a migration in migrations.ts whenever a saved document would read differently. */
export const CURRENT_VERSION = 1;
export const FORMAT = 'gengraph';

const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'ids use letters, digits, _ . - and start with a letter or _');

export const PortRef = z.object({ node: Id, port: z.string().min(1) }).strict();

export const GraphNode = z
  .object({
    kind: z.string().min(1).describe('node kind id, e.g. net.encoder'),
    position: z.object({ x: z.number(), y: z.number() }).strict(),
    params: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('only the params that differ from defaults'),
    label: z.string().max(80).optional(),
    note: z.string().max(2000).optional().describe('why this node is set up this way'),
    shares: Id.optional().describe('id of a network node whose weights and settings this node reuses'),
  })
  .strict();

export const GraphEdge = z.object({ source: PortRef, target: PortRef }).strict();

export const Optimizer = z
  .object({
    type: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
    lr: z.number().positive().max(10).default(1e-3),
    beta1: z.number().min(0).max(1).default(0.9).describe('Adam β1; SGD momentum; RMSprop decay'),
    beta2: z.number().min(0).max(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
    weightDecay: z.number().min(0).default(0),
    clipNorm: z.number().positive().optional().describe('clip the global gradient norm to this'),
    linearDecayFrom: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "from this share of the run's iterations on, the learning rate falls linearly to zero (CycleGAN: 0.5)",
      ),
  })
  .strict();

export const Phase = z
  .object({
    id: Id,
    label: z.string().max(80).optional(),
    losses: z.array(Id).min(1).describe('loss nodes summed (each with its own weight) in this phase'),
    trains: z.array(Id).min(1).describe('network nodes whose weights this phase updates'),
    optimizer: Optimizer.default(Optimizer.parse({})),
    steps: z.number().int().min(1).max(100).default(1).describe('steps of this phase per iteration'),
    ema: z
      .number()
      .min(0.5)
      .max(0.99999)
      .optional()
      .describe('keep an exponential moving average of the weights this phase trains, used when sampling'),
  })
  .strict();

export const Training = z
  .object({
    batchSize: z.number().int().min(1).max(4096).default(64),
    seed: z.number().int().min(0).default(0),
    iterations: z.number().int().min(1).default(1000),
    logEvery: z.number().int().min(1).default(10),
    phases: z.array(Phase).default([]),
  })
  .strict();

export const Group = z
  .object({
    label: z.string().min(1).max(80),
    nodes: z.array(Id),
    collapsed: z.boolean().default(false),
    color: z.string().optional(),
  })
  .strict();

/** A preset lists overrides (e.g. 'tiny' for tests): node params and training settings. */
export const Preset = z
  .object({
    description: z.string().optional(),
    params: z.record(Id, z.record(z.string(), z.unknown())).default({}),
    // Explicit optionals, no defaults: a preset changes only what it names.
    training: z
      .object({
        batchSize: z.number().int().min(1).max(4096).optional(),
        seed: z.number().int().min(0).optional(),
        iterations: z.number().int().min(1).optional(),
        logEvery: z.number().int().min(1).optional(),
        optimizers: z
          .record(Id, Optimizer.partial())
          .optional()
          .describe(
            "by phase id, optimizer settings to change (a larger learning rate for a shorter run, say); the phase's other settings stay",
          ),
      })
      .strict()
      .default({}),
  })
  .strict();

export const GraphDocument = z
  .object({
    $schema: z.string().optional(),
    format: z.literal(FORMAT),
    version: z.literal(CURRENT_VERSION),
    title: z.string().max(200).default('Untitled graph'),
    description: z.string().max(10_000).default(''),
    nodes: z.record(Id, GraphNode),
    edges: z.record(Id, GraphEdge).default({}),
    groups: z.record(Id, Group).default({}),
    training: Training.default(Training.parse({})),
    outputs: z
      .record(Id, PortRef)
      .default({})
      .describe('named results, e.g. samples, reconstructions, AtoB: what the sampler and the views read'),
    presets: z.record(Id, Preset).default({}),
  })
  .strict();

export type GraphDocument = z.infer<typeof GraphDocument>;
export type GraphNode = z.infer<typeof GraphNode>;
export type GraphEdge = z.infer<typeof GraphEdge>;
export type PortRef = z.infer<typeof PortRef>;
export type Phase = z.infer<typeof Phase>;
export type Optimizer = z.infer<typeof Optimizer>;
export type Training = z.infer<typeof Training>;
export type Group = z.infer<typeof Group>;

export function emptyDocument(title = 'Untitled graph'): GraphDocument {
  return GraphDocument.parse({ format: FORMAT, version: CURRENT_VERSION, title, nodes: {} });
}
