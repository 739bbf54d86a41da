import { z } from 'zod';
import { defineKind } from './types';

const params = z.object({
  type: z.enum(['linear', 'cosine']).default('linear').describe('how β_t grows with t'),
  T: z.number().int().min(2).max(4000).default(1000).describe('number of diffusion steps'),
  betaStart: z.number().positive().max(0.5).default(1e-4).describe('β_1 (linear)'),
  betaEnd: z.number().positive().max(0.999).default(0.02).describe('β_T (linear)'),
});
export type ScheduleParams = z.infer<typeof params>;

export interface ScheduleArrays {
  betas: Float64Array;
  alphas: Float64Array;
  alphaBars: Float64Array;
}

/** β_t, α_t = 1 − β_t and ᾱ_t = ∏ α_s, in float64 on the CPU (also drawn by the schedule view). */
export function scheduleArrays(p: ScheduleParams): ScheduleArrays {
  const { T } = p;
  const betas = new Float64Array(T);
  if (p.type === 'linear') {
    for (let t = 0; t < T; t++) betas[t] = p.betaStart + ((p.betaEnd - p.betaStart) * t) / (T - 1);
  } else {
    // Nichol & Dhariwal 2021: ᾱ(t) = cos²((t/T + s)/(1 + s) · π/2), β clipped at 0.999.
    const s = 0.008;
    const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
    for (let t = 0; t < T; t++) betas[t] = Math.min(0.999, 1 - f(t + 1) / f(t));
  }
  const alphas = betas.map((b) => 1 - b);
  const alphaBars = new Float64Array(T);
  let prod = 1;
  for (let t = 0; t < T; t++) alphaBars[t] = prod *= alphas[t]!;
  return { betas, alphas, alphaBars };
}

export const schedule = defineKind({
  kind: 'diffusion.schedule',
  title: 'Noise schedule',
  category: 'diffusion',
  summary: 'β_1 … β_T: how much noise each diffusion step adds',
  doc:
    'The forward process of a diffusion model adds a little gaussian noise at each of T steps: ' +
    'q(x_t | x_{t−1}) = N(√(1−β_t)·x_{t−1}, β_t·I). The schedule fixes the β_t. DDPM uses T = 1000 and β ' +
    'rising linearly from 10⁻⁴ to 0.02 (Ho et al. 2020); the cosine schedule (Nichol & Dhariwal 2021) ' +
    'destroys information more evenly. Everything else follows from ᾱ_t = ∏(1−β_s): after t steps, ' +
    'x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε. The values are computed once and kept on the device.',
  params,
  inputs: () => [],
  outputs: () => [{ name: 'schedule', type: 'schedule' }],
  infer: (p) => ({ schedule: { type: 'schedule', shape: [p.T] } }),
  build({ tf, params: p }) {
    const a = scheduleArrays(p);
    const value = {
      kind: 'schedule' as const,
      T: p.T,
      alphaBars: tf.keep(tf.tensor1d(Float32Array.from(a.alphaBars))),
      alphaBarsHost: a.alphaBars,
    };
    return {
      forward: () => ({ schedule: value }),
      dispose: () => value.alphaBars.dispose(),
    };
  },
});
