import { beforeAll, describe, it } from 'vitest';
import { compareWithRuntime, graph } from './codegen-harness';
import { initNodeBackend } from './node-backend';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

/**
 * Kinds, params and optimizer settings that no template uses: every op, the other samplers, layer and
 * batch norm in MLPs, other activations, SGD with momentum, weight decay and clipping, RMSprop, plain
 * SGD, learning rates that decay, several steps per phase, a moving average, the cosine schedule and
 * the posterior sampler.
 */
describe('printed program: kinds and settings beyond the templates', () => {
  it('2D toy graph with every op and sampler', async () => {
    const program = graph(
      'Every op & sampler (toy)',
      {
        toy: ['data.toy2d', { dataset: 'moons' }],
        mix: ['sample.mixture', { dim: 3, components: 4 }],
        uni: ['sample.uniform', { dim: 2, low: -0.5, high: 2 }],
        cat: ['sample.categorical', { classes: 3, fixed: 1 }],
        info: ['sample.infogan_code', { noise: 2, noiseDist: 'gaussian', categories: 3, continuous: 2 }],
        cc: ['op.concat'],
        G: [
          'net.generator',
          { arch: 'mlp', hidden: [8], activation: 'elu', norm: 'layer', outShape: [2], output: 'linear' },
        ],
        sp: ['op.split', { sizes: [1, 1] }],
        swap: ['op.concat'],
        diff: ['op.add', { scale: -1 }],
        rs: ['op.reshape', { shape: [2, 1] }],
        fl: ['op.flatten'],
        enc: [
          'net.encoder',
          { hidden: [8], latent: 2, activation: 'tanh', norm: 'batch', init: 'normal-0.02' },
        ],
        z: ['latent.reparameterize', { sampleWhenEvaluating: true }],
        dec: [
          'net.decoder',
          { hidden: [8], activation: 'swish', outShape: [2], output: 'tanh', init: 'pytorch' },
        ],
        rec: ['loss.reconstruction', { metric: 'mse', reduction: 'mean' }],
        rec2: ['loss.reconstruction', { metric: 'l1', reduction: 'sum', weight: 0.5 }],
        kl: ['loss.kl_normal', { weight: 0.1 }],
        D: [
          'net.discriminator',
          { hidden: [8], norm: 'layer', qHead: true, qCategories: 3, qContinuous: 2, qHidden: 4 },
        ],
        Dfake: ['net.discriminator', {}, 'D'],
        lossD: ['loss.adversarial', { role: 'discriminator', form: 'lsgan' }],
        lossG: ['loss.adversarial', { role: 'generator', form: 'minimax' }],
        miCat: ['loss.mi_categorical'],
        miCont: ['loss.mi_gaussian', { std: 0.5 }],
        sched: ['diffusion.schedule', { type: 'cosine', T: 10 }],
        tt: ['sample.timestep'],
        fwd: ['diffusion.forward'],
        eps: ['net.denoiser', { arch: 'mlp', hidden: [8], timeDim: 6, activation: 'relu' }],
        dm: ['loss.diffusion_mse'],
        sampler: ['diffusion.sampler', { variance: 'posterior', clip: 0.5, steps: 4 }],
      },
      [
        'mix.z -> cc.a',
        'uni.z -> cc.b',
        'cat.c -> cc.c',
        'info.z -> cc.d',
        'cc.y -> G.z',
        'G.x -> sp.x',
        'sp.part1 -> swap.a',
        'sp.part0 -> swap.b',
        'swap.y -> diff.a',
        'toy.x -> diff.b',
        'diff.y -> rs.x',
        'rs.y -> fl.x',
        'fl.y -> enc.x',
        'enc.q -> z.q',
        'z.z -> dec.z',
        'dec.x -> rec.pred',
        'toy.x -> rec.target',
        'G.x -> rec2.pred',
        'toy.x -> rec2.target',
        'enc.q -> kl.q',
        'toy.x -> D.x',
        'G.x -> Dfake.x',
        'D.logit -> lossD.real',
        'Dfake.logit -> lossD.fake',
        'Dfake.logit -> lossG.fake',
        'Dfake.q_cat -> miCat.logits',
        'info.cat -> miCat.code',
        'Dfake.q_cont -> miCont.mean',
        'info.cont -> miCont.code',
        'sched.schedule -> tt.schedule',
        'toy.x -> fwd.x0',
        'tt.t -> fwd.t',
        'sched.schedule -> fwd.schedule',
        'fwd.xt -> eps.x',
        'tt.t -> eps.t',
        'eps.eps -> dm.pred',
        'fwd.noise -> dm.noise',
        'sched.schedule -> sampler.schedule',
        'eps.model -> sampler.model',
      ],
      {
        batchSize: 8,
        seed: 7,
        // Learning rates that decay from iteration 1 of 4, so the 3 compared iterations see two factors.
        iterations: 4,
        phases: [
          {
            id: 'ae',
            losses: ['rec', 'kl', 'rec2'],
            trains: ['enc', 'dec', 'G'],
            optimizer: {
              type: 'sgd',
              lr: 0.01,
              beta1: 0.9,
              weightDecay: 0.01,
              clipNorm: 0.5,
              linearDecayFrom: 0.25,
            },
            steps: 2,
          },
          {
            id: 'd',
            losses: ['lossD', 'miCat', 'miCont'],
            trains: ['D'],
            optimizer: { type: 'rmsprop', lr: 0.001, linearDecayFrom: 0.25 },
          },
          {
            id: 'g',
            losses: ['lossG'],
            trains: ['G'],
            optimizer: { type: 'sgd', lr: 0.01, beta1: 0 },
            ema: 0.9,
          },
          {
            id: 'den',
            losses: ['dm'],
            trains: ['eps'],
            optimizer: { clipNorm: 1, linearDecayFrom: 0.5 },
            ema: 0.95,
          },
        ],
      },
      { samples: 'sampler.x', codes: 'z.z', fakes: 'G.x', logits: 'Dfake.logit', q: 'enc.q' },
    );
    await compareWithRuntime('every-op', program);
  }, 120_000);

  it('MNIST graph with conv encoder and decoder, paired test domains and an image pool', async () => {
    const program = graph(
      'Conv nets on MNIST',
      {
        dom: ['data.mnist_domains', { split: 'test', transform: 'thicken', range: '0..1' }],
        digits: ['data.mnist', { split: 'test', range: '-1..1' }],
        enc: [
          'net.encoder',
          { arch: 'conv', channels: [4], hidden: [8], latent: 3, head: 'deterministic', norm: 'instance' },
        ],
        dec: [
          'net.decoder',
          { arch: 'conv', channels: [4], hidden: [8], norm: 'batch', outShape: [28, 28, 1] },
        ],
        rec: ['loss.reconstruction', { metric: 'bce' }],
        pool: ['op.image_pool', { size: 3 }],
        D: [
          'net.discriminator',
          { arch: 'conv', channels: [4], hidden: [8], norm: 'batch', activation: 'elu' },
        ],
        Dfake: ['net.discriminator', {}, 'D'],
        lossD: ['loss.adversarial', { role: 'discriminator', form: 'minimax' }],
        lossG: ['loss.adversarial', { role: 'generator', form: 'lsgan', weight: 0.3 }],
        Dgen: ['net.discriminator', {}, 'D'],
      },
      [
        'dom.a -> enc.x',
        'enc.z -> dec.z',
        'dec.x -> rec.pred',
        'dom.b -> rec.target',
        'dec.x -> pool.x',
        'digits.x -> D.x',
        'pool.y -> Dfake.x',
        'D.logit -> lossD.real',
        'Dfake.logit -> lossD.fake',
        'dec.x -> Dgen.x',
        'Dgen.logit -> lossG.fake',
      ],
      {
        batchSize: 2,
        seed: 3,
        phases: [
          {
            id: 'ae',
            losses: ['rec', 'lossG'],
            trains: ['enc', 'dec'],
            optimizer: { lr: 0.01, weightDecay: 0.001 },
          },
          { id: 'd', losses: ['lossD'], trains: ['D'], steps: 2 },
        ],
      },
      { translated: 'dec.x', pooled: 'pool.y', label: 'digits.label' },
    );
    await compareWithRuntime('conv-mnist', program);
  }, 120_000);
});
