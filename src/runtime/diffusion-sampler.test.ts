import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reverseSampler, reverseSteps } from '../core/kinds/diffusion-sampler';
import { schedule, scheduleArrays } from '../core/kinds/diffusion-schedule';
import type { NetworkValue, ScheduleValue, Tensor } from '../core/kinds/types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const linear = { type: 'linear' as const, T: 1000, betaStart: 1e-4, betaEnd: 0.02 };

describe('reverseSteps', () => {
  const s = schedule.build({ tf, params: linear, inputs: {}, outputs: {} } as never).forward({}, {} as never)
    .schedule as ScheduleValue;
  const ab = s.alphaBarsHost;

  it('visits every timestep by default, and then each jump’s β is the schedule’s β_t', () => {
    const steps = reverseSteps(ab, 0);
    expect(steps.map((x) => x.t)).toEqual(Array.from({ length: 1000 }, (_, i) => 999 - i));
    const { betas } = scheduleArrays(linear);
    for (const { t, ab: a, abPrev } of steps) expect(1 - a / abPrev).toBeCloseTo(betas[t]!, 6);
    expect(reverseSteps(ab, 1000)).toEqual(steps);
  });

  it('spreads fewer steps evenly from T − 1 to 0 and chains ᾱ through the visited ones', () => {
    const steps = reverseSteps(ab, 50);
    expect(steps).toHaveLength(50);
    expect(steps[0]!.t).toBe(999);
    expect(steps.at(-1)!.t).toBe(0);
    expect(steps.at(-1)!.abPrev).toBe(1);
    for (let k = 1; k < steps.length; k++) {
      expect(steps[k]!.t).toBeLessThan(steps[k - 1]!.t);
      expect(steps[k - 1]!.abPrev).toBe(steps[k]!.ab);
      expect(steps[k - 1]!.t - steps[k]!.t).toBeGreaterThanOrEqual(20);
      expect(steps[k - 1]!.t - steps[k]!.t).toBeLessThanOrEqual(21);
    }
    // The product of the jumps' α is ᾱ_{T−1}: the respaced chain ends where the full one does.
    const prod = steps.reduce((p, x) => (p * x.ab) / x.abPrev, 1);
    expect(prod).toBeCloseTo(ab[999]!, 12);
    expect(reverseSteps(ab, 1)).toEqual([{ t: 999, ab: ab[999], abPrev: 1 }]);
  });
});

/**
 * Data x_0 ~ N(μ, s²) has an exact ε-predictor: ε̂(x_t, t) = √(1−ᾱ_t)·(x_t − √ᾱ_t·μ) / (ᾱ_t·s² + 1 − ᾱ_t).
 * With it the sampler must give back N(μ, s²), whether it takes every step or skips.
 */
describe('the reverse sampler with an exact denoiser for gaussian data', () => {
  const mu = 1.5;
  const sd = 0.4;
  const T = 1000;
  const sched = schedule
    .build({ tf, params: linear, inputs: {}, outputs: {} } as never)
    .forward({}, {} as never).schedule as ScheduleValue;
  const model: NetworkValue = {
    kind: 'network',
    call({ x, t }) {
      const a = tf.gather(sched.alphaBars, t as Tensor).reshape([-1, 1]);
      const eps = tf.div(
        tf.mul(tf.sqrt(tf.sub(1, a)), tf.sub(x as Tensor, tf.mul(tf.sqrt(a), mu))),
        tf.add(tf.mul(a, sd * sd), tf.sub(1, a)),
      );
      return { eps };
    },
  };
  const modelInfo = { type: 'network' as const, shape: ['B', 1] };
  const sample = (steps: number, variance: 'beta' | 'posterior') => {
    const impl = reverseSampler.build({
      tf,
      params: { variance, clip: 0, steps },
      inputs: { schedule: { type: 'schedule', shape: [T] }, model: modelInfo },
      outputs: {},
    } as never);
    let seed = 7;
    const trajectory: Tensor[] = [];
    const x = impl.forward(
      { schedule: sched, model },
      {
        tf,
        training: false,
        batchSize: 4000,
        nextSeed: () => seed++,
        step: 0,
        record: (_, v) => trajectory.push(v),
      },
    ).x as Tensor;
    const v = Array.from(x.dataSync());
    const mean = v.reduce((p, c) => p + c, 0) / v.length;
    const std = Math.sqrt(v.reduce((p, c) => p + (c - mean) ** 2, 0) / v.length);
    tf.dispose([x, ...trajectory]);
    return { mean, std, snapshots: trajectory.length };
  };

  it.each([
    [0, 'beta'],
    [0, 'posterior'],
    [100, 'beta'],
  ] as const)('steps %i, σ² %s: samples are N(1.5, 0.4²)', (steps, variance) => {
    const r = sample(steps, variance);
    // Standard errors at n = 4000: 0.006 for the mean, 0.0045 for the std.
    expect(Math.abs(r.mean - mu)).toBeLessThan(0.03);
    expect(Math.abs(r.std - sd)).toBeLessThan(0.03);
    expect(r.snapshots).toBe(11);
  });

  it('with few, long jumps σ² = β_t spreads the samples a little too wide and β̃_t too narrow', () => {
    // The true reverse step's variance lies between the two (Ho et al. 2020, §3.2); a jump of 40
    // steps makes the gap show. The mean stays right only if each jump uses its own β.
    const wide = sample(25, 'beta');
    const narrow = sample(25, 'posterior');
    for (const r of [wide, narrow]) expect(Math.abs(r.mean - mu)).toBeLessThan(0.03);
    expect(narrow.std).toBeLessThan(sd - 0.03);
    expect(wide.std).toBeGreaterThan(sd + 0.02);
    expect(wide.std).toBeLessThan(sd + 0.1);
  });
});
