import type { Params } from './tex';
import { cyclegan } from './specs-cyclegan';
import {
  E,
  discriminatorSay,
  discriminatorTex,
  formOf,
  generatorSay,
  generatorTex,
  metricSay,
  num,
  reconstructionTex,
  reductionSay,
  weighted,
  weightOf,
} from './tex';

/**
 * How each template's objective is written. A term names the one loss node of the template that
 * computes it (and that node's kind); its TeX and sentence are functions of that node's params, so a
 * weight, form or metric edited in the graph shows in the equation.
 */
export interface TermSpec {
  id: string;
  node: string;
  kind: string;
  /** Subtracted in the objective (InfoGAN's information bound); the sign sits inside the term. */
  minus?: boolean;
  tex: (p: Params) => string;
  say: (p: Params) => string;
}

/** One player's (or one phase's) minimisation: a left-hand side and rows of term ids. */
export interface BlockSpec {
  lhs: string | ((param: ParamsOf) => string);
  rows: string[][];
}

export type ParamsOf = (node: string) => Params | undefined;

export interface ObjectiveSpec {
  title: string;
  blocks: BlockSpec[];
  terms: TermSpec[];
  note?: (param: ParamsOf) => string | undefined;
}

const REC = 'loss.reconstruction';
const ADV = 'loss.adversarial';

const vae: ObjectiveSpec = {
  title: 'VAE: minimise the negative ELBO',
  blocks: [
    {
      lhs: (param) => {
        const rec = param('rec');
        const kl = param('kl');
        const elbo =
          (!rec || (rec.metric === 'bce' && rec.reduction !== 'mean' && weightOf(rec) === 1)) &&
          (!kl || weightOf(kl) === 1);
        return elbo ? '-\\mathrm{ELBO}(x) =' : '\\mathcal{L}(x) =';
      },
      rows: [['rec', 'kl']],
    },
  ],
  terms: [
    {
      id: 'rec',
      node: 'rec',
      kind: REC,
      tex: (p) =>
        (p.metric ?? 'bce') === 'bce'
          ? weighted(
              weightOf(p),
              E(
                'q_\\phi(z \\mid x)',
                `${p.reduction === 'mean' ? '\\tfrac{1}{d}' : ''}-\\log p_\\theta(x \\mid z)`,
              ),
            )
          : reconstructionTex(p, 'x', '\\mathrm{Dec}(z)', 'q_\\phi(z \\mid x)'),
      say: (p) =>
        (p.metric ?? 'bce') === 'bce'
          ? `How badly the decoder’s Bernoulli pixel probabilities explain the image for a z drawn from the encoder: binary cross-entropy ${reductionSay(p)}.`
          : `How far the decoder’s output is from the image for a z drawn from the encoder: ${metricSay(p)} ${reductionSay(p)}.`,
    },
    {
      id: 'kl',
      node: 'kl',
      kind: 'loss.kl_normal',
      tex: (p) =>
        weighted(weightOf(p), '\\mathrm{KL}\\big(q_\\phi(z \\mid x) \\,\\|\\, \\mathcal{N}(0, I)\\big)'),
      say: () =>
        'Keeps the encoder’s gaussian for each image close to the prior N(0, I): ½·Σ(μ² + σ² − 1 − log σ²), summed over the latent dimensions.',
    },
  ],
  note: () =>
    'φ are the encoder’s weights and θ the decoder’s; z = μ + σ·ε is sampled with the reparameterization trick, and both terms are in nats per image, averaged over the batch.',
};

const aae: ObjectiveSpec = {
  title: 'AAE: reconstruct, and match the prior with a discriminator on z',
  blocks: [
    { lhs: '\\min_{\\mathrm{Enc},\\,\\mathrm{Dec}}', rows: [['rec', 'lossG']] },
    { lhs: '\\min_{D}', rows: [['lossD']] },
  ],
  terms: [
    {
      id: 'rec',
      node: 'rec',
      kind: REC,
      tex: (p) => reconstructionTex(p, 'x', '\\mathrm{Dec}(\\mathrm{Enc}(x))', 'x'),
      say: (p) => `Decoding the code Enc(x) should give back x: ${metricSay(p)} ${reductionSay(p)}.`,
    },
    {
      id: 'lossG',
      node: 'lossG',
      kind: ADV,
      tex: (p) =>
        weighted(weightOf(p), generatorTex(formOf(p), { D: 'D', fake: '\\mathrm{Enc}(x)', fakeSub: 'x' })),
      say: (p) => generatorSay(formOf(p), 'The encoder', 'D', 'Enc(x)'),
    },
    {
      id: 'lossD',
      node: 'lossD',
      kind: ADV,
      tex: (p) =>
        weighted(
          weightOf(p),
          discriminatorTex(formOf(p), {
            D: 'D',
            real: 'z',
            realSub: 'z \\sim p(z)',
            fake: '\\mathrm{Enc}(x)',
            fakeSub: 'x',
          }),
          true,
        ),
      say: (p) => discriminatorSay(formOf(p), 'D', 'samples z of the prior', 'the codes Enc(x)'),
    },
  ],
  note: () =>
    'p(z) = N(0, I) is the prior the codes should match; d is the number of pixels of an image. The two lines are trained in alternating phases.',
};

const gan2d: ObjectiveSpec = {
  title: 'GAN: the discriminator and the generator play a game',
  blocks: [
    { lhs: '\\min_{D}', rows: [['lossD']] },
    { lhs: '\\min_{G}', rows: [['lossG']] },
  ],
  terms: [
    {
      id: 'lossD',
      node: 'lossD',
      kind: ADV,
      tex: (p) =>
        weighted(
          weightOf(p),
          discriminatorTex(formOf(p), {
            D: 'D',
            real: 'x',
            realSub: 'x \\sim p_{\\mathrm{data}}',
            fake: 'G(z)',
            fakeSub: 'z \\sim \\mathcal{N}(0, I)',
          }),
          true,
        ),
      say: (p) => discriminatorSay(formOf(p), 'D', 'data points x', 'generated points G(z)'),
    },
    {
      id: 'lossG',
      node: 'lossG',
      kind: ADV,
      tex: (p) => weighted(weightOf(p), generatorTex(formOf(p), { D: 'D', fake: 'G(z)', fakeSub: 'z' })),
      say: (p) => generatorSay(formOf(p), 'G', 'D', 'G(z)'),
    },
  ],
  note: () =>
    'D(·) is the discriminator’s probability that a point is real (a sigmoid of its logit). Each line is one phase and trains only its own network.',
};

const infoTerms: TermSpec[] = [
  {
    id: 'miCat',
    node: 'miCat',
    kind: 'loss.mi_categorical',
    minus: true,
    tex: (p) => weighted(weightOf(p), E('z,\\,c', '\\log Q\\left(c_{\\mathrm{cat}} \\mid G(z, c)\\right)')),
    say: () =>
      'Q must guess the one-hot code c_cat from the image G(z, c) (a cross-entropy); minimising it raises a lower bound on the information the image carries about the code.',
  },
  {
    id: 'miCont',
    node: 'miCont',
    kind: 'loss.mi_gaussian',
    minus: true,
    tex: (p) => {
      const std = Number(p.std ?? 1);
      const cov = std === 1 ? 'I' : `${num(std)}^2 I`;
      return weighted(
        weightOf(p),
        E('z,\\,c', `\\log \\mathcal{N}\\left(c_{\\mathrm{cont}};\\, Q_\\mu(G(z, c)),\\, ${cov}\\right)`),
      );
    },
    say: (p) =>
      `Q’s estimate of the continuous codes c_cont must land near the codes G was given: a gaussian log-likelihood with σ = ${num(Number(p.std ?? 1))}, i.e. a scaled squared error plus a constant.`,
  },
];

const infogan: ObjectiveSpec = {
  title: 'InfoGAN: a GAN minus a lower bound on the mutual information I(c; G(z, c))',
  blocks: [
    { lhs: '\\min_{D,\\,Q}', rows: [['lossD', 'miCat', 'miCont']] },
    { lhs: '\\min_{G}', rows: [['lossG', 'miCat', 'miCont']] },
  ],
  terms: [
    {
      id: 'lossD',
      node: 'lossD',
      kind: ADV,
      tex: (p) =>
        weighted(
          weightOf(p),
          discriminatorTex(formOf(p), {
            D: 'D',
            real: 'x',
            realSub: 'x \\sim p_{\\mathrm{data}}',
            fake: 'G(z, c)',
            fakeSub: 'z,\\,c',
          }),
          true,
        ),
      say: (p) => discriminatorSay(formOf(p), 'D', 'MNIST digits', 'generated digits G(z, c)'),
    },
    {
      id: 'lossG',
      node: 'lossG',
      kind: ADV,
      tex: (p) =>
        weighted(weightOf(p), generatorTex(formOf(p), { D: 'D', fake: 'G(z, c)', fakeSub: 'z,\\,c' })),
      say: (p) => generatorSay(formOf(p), 'G', 'D', 'G(z, c)'),
    },
    ...infoTerms,
  ],
  note: (param) => {
    const w = (id: string) => {
      const p = param(id);
      return p ? num(weightOf(p)) : undefined;
    };
    const lambdas = [
      w('miCat') !== undefined ? `λ_cat = ${w('miCat')}` : '',
      w('miCont') !== undefined ? `λ_cont = ${w('miCont')}` : '',
    ].filter(Boolean);
    return (
      'E[log Q(c | G(z, c))] + H(c) is a lower bound on I(c; G(z, c)) (Chen et al. 2016), so subtracting it ' +
      'maximises the information; both D ∪ Q and G minimise it' +
      (lambdas.length ? `, with ${lambdas.join(' and ')} from the loss nodes.` : '.')
    );
  },
};

const ddpmTerm: TermSpec = {
  id: 'loss',
  node: 'loss',
  kind: 'loss.diffusion_mse',
  tex: (p) =>
    weighted(
      weightOf(p),
      '\\mathbb{E}_{t,\\,x_0,\\,\\epsilon}\\Big[\\tfrac{1}{d}\\big\\lVert \\epsilon - ' +
        '\\epsilon_\\theta\\big(\\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1 - \\bar\\alpha_t}\\,\\epsilon,\\; t\\big)' +
        '\\big\\rVert^2\\Big]',
    ),
  say: () =>
    'The denoiser sees x_0 noised to step t in one jump and must name the noise ε that was added: the squared error averaged over the d values, over random t, data and noise.',
};

const ddpmNote = (param: ParamsOf): string => {
  const s = param('schedule');
  const T = s?.T !== undefined ? String(s.T) : 'T';
  const type = typeof s?.type === 'string' ? `${s.type} ` : '';
  return (
    `t is drawn uniformly from 0 … ${T === 'T' ? 'T' : Number(T) - 1}, ε ~ N(0, I) and ᾱ_t = Π_{s ≤ t}(1 − β_s) ` +
    `from the ${type}β schedule; this is Ho et al.’s “simple” loss, a reweighted variational bound.`
  );
};

const ddpm = (title: string): ObjectiveSpec => ({
  title,
  blocks: [{ lhs: '\\mathcal{L}_{\\mathrm{simple}}(\\theta) =', rows: [['loss']] }],
  terms: [ddpmTerm],
  note: ddpmNote,
});

/** Keyed by template id (src/core/templates.ts). */
export const SPECS: Readonly<Record<string, ObjectiveSpec>> = {
  vae,
  aae,
  'gan-2d': gan2d,
  infogan,
  cyclegan,
  ddpm: ddpm('DDPM: learn to predict the added noise'),
  'ddpm-2d': ddpm('DDPM on 2D data: learn to predict the added noise'),
};
