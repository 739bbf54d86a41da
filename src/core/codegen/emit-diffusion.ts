import type { IrNode } from '../compiler/ir';
import type { Emitter, NodeCode } from './emit';
import { lit, params, staticDims } from './emit';

/** Diffusion: the noise schedule, timesteps, forward noising and the reverse sampler (DDPM). */

function schedule(n: IrNode): NodeCode {
  const p = params<{ type: 'linear' | 'cosine'; T: number; betaStart: number; betaEnd: number }>(n);
  return {
    summary:
      p.type === 'linear'
        ? `β rising linearly from ${p.betaStart} to ${p.betaEnd} over T = ${p.T} steps.`
        : `The cosine schedule over T = ${p.T} steps.`,
    helpers: ['scheduleArrays'],
    needs: 'none',
    body: [
      `const a = scheduleArrays(${lit({ type: p.type, T: p.T, betaStart: p.betaStart, betaEnd: p.betaEnd })});`,
      '// Computed once and kept on the device for the whole run.',
      'const schedule = {',
      `  T: ${p.T},`,
      '  alphaBars: tf.keep(tf.tensor1d(Float32Array.from(a.alphaBars))),',
      '  // The same in float64 on the host, for the sampler.',
      '  alphaBarsHost: a.alphaBars,',
      '};',
      'const forward = () => ({ schedule });',
      'forward.dispose = () => schedule.alphaBars.dispose();',
      'return forward;',
    ],
  };
}

function timestep(): NodeCode {
  return {
    summary: 't ~ Uniform{0, …, T−1}, one per sample.',
    helpers: ['mulberry32'],
    needs: 'none',
    body: [
      'return ({ schedule }, ctx) => {',
      '  const rng = mulberry32(ctx.nextSeed());',
      '  const t = Int32Array.from({ length: ctx.batchSize }, () => Math.floor(rng() * schedule.T));',
      "  return { t: tf.tensor1d(t, 'int32') };",
      '};',
    ],
  };
}

function forward(): NodeCode {
  return {
    summary: 'x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε in one jump; ε is also the target of the denoiser.',
    helpers: ['perSample'],
    needs: 'none',
    body: [
      'return ({ x0, t, schedule }, ctx) => {',
      '  const ab = perSample(schedule.alphaBars, t, x0.rank);',
      "  const noise = tf.randomNormal(x0.shape, 0, 1, 'float32', ctx.nextSeed());",
      '  const xt = tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), noise));',
      '  return { xt, noise };',
      '};',
    ],
  };
}

function sampler(n: IrNode): NodeCode {
  const p = params<{ variance: 'beta' | 'posterior'; clip: number; steps: number }>(n);
  const shape = staticDims(n, n.inputInfo.model?.shape.slice(1) ?? []);
  const variance = p.variance === 'beta' ? 'beta' : '(beta * (1 - abPrev)) / (1 - ab)';
  const how =
    p.steps > 0
      ? `${p.steps} steps spread evenly over the T (respaced, Nichol & Dhariwal 2021)`
      : 'all T steps';
  return {
    summary: `Ancestral sampling (DDPM Algorithm 2) from x_T ~ N(0, I), σ_t² = ${p.variance === 'beta' ? 'β_t' : 'β̃_t'}, ${how}; runs only when sampling.`,
    helpers: ['reverseSteps'],
    needs: 'none',
    body: [
      'return ({ schedule: s, model }, ctx) => {',
      `  const steps = reverseSteps(s.alphaBarsHost, ${p.steps});`,
      `  let x = tf.randomNormal([ctx.batchSize, ${staticList(shape)}], 0, 1, 'float32', ctx.nextSeed());`,
      '  steps.forEach(({ t: step, ab, abPrev }, k) => {',
      '    const beta = 1 - ab / abPrev;',
      '    const next = tf.tidy(() => {',
      "      const t = tf.fill([ctx.batchSize], step, 'int32');",
      '      const eps = model.call({ x, t }).eps;',
      '      // The estimate of x_0 that this ε̂ implies.',
      '      let x0 = tf.div(tf.sub(x, tf.mul(eps, Math.sqrt(1 - ab))), Math.sqrt(ab));',
      ...(p.clip > 0 ? [`      x0 = tf.clipByValue(x0, ${lit(-p.clip)}, ${lit(p.clip)});`] : []),
      '      // Posterior mean of q(x_{t-1} | x_t, x_0) at the estimated x_0.',
      '      const c0 = (Math.sqrt(abPrev) * beta) / (1 - ab);',
      '      const ct = (Math.sqrt(1 - beta) * (1 - abPrev)) / (1 - ab);',
      '      const mean = tf.add(tf.mul(x0, c0), tf.mul(x, ct));',
      '      if (k === steps.length - 1) return mean;',
      "      const z = tf.randomNormal(x.shape, 0, 1, 'float32', ctx.nextSeed());",
      `      return tf.add(mean, tf.mul(z, Math.sqrt(${variance})));`,
      '    });',
      '    x.dispose();',
      '    x = next;',
      '  });',
      '  return { x };',
      '};',
    ],
  };
}

function staticList(shape: number[]): string {
  return shape.join(', ');
}

export const DIFFUSION_EMITTERS: Record<string, Emitter> = {
  'diffusion.schedule': schedule,
  'sample.timestep': timestep,
  'diffusion.forward': forward,
  'diffusion.sampler': sampler,
};
