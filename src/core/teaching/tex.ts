/**
 * Small LaTeX builders for the teaching panel's equations. Each mirrors what a loss kind computes
 * (src/core/kinds/loss-*.ts), so that a change of form, metric or reduction in the graph changes the
 * equation too.
 */

/** A loss node's params with its kind's defaults filled in. */
export type Params = Record<string, unknown>;

export const weightOf = (p: Params): number => {
  const w = Number(p.weight ?? 1);
  return Number.isFinite(w) ? w : 1;
};

/** A weight as TeX: 0.999, 10, 2 \times 10^{-4}. */
export function num(w: number): string {
  const s = String(Number(w.toPrecision(4)));
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const exp = Number(m[2]);
  return m[1] === '1' ? `10^{${exp}}` : `${m[1]} \\times 10^{${exp}}`;
}

/** `body` multiplied by the weight, with brackets when the body is a sum; nothing shown for 1. */
export function weighted(w: number, body: string, isSum = false): string {
  if (w === 1) return body;
  return `${num(w)}\\,${isSum ? `\\big(${body}\\big)` : body}`;
}

/** Expectation of a bracketed body. */
export const E = (sub: string, body: string): string => `\\mathbb{E}_{${sub}}\\big[${body}\\big]`;

export type Form = 'minimax' | 'nonsaturating' | 'lsgan';
export const formOf = (p: Params): Form => (p.form as Form | undefined) ?? 'nonsaturating';

/** A side of a GAN game: which D, what is real and fake, and what the expectations run over. */
export interface Game {
  D: string;
  real: string;
  realSub: string;
  fake: string;
  fakeSub: string;
}

/**
 * discriminatorLoss: cross-entropy softplus(−r) + softplus(f) = −log σ(r) − log(1 − σ(f)) for
 * minimax and non-saturating alike (D = σ(logit)); least squares (r − 1)² + f² for lsgan.
 */
export function discriminatorTex(form: Form, g: Game): string {
  if (form === 'lsgan') {
    return `${E(g.realSub, `(${g.D}(${g.real}) - 1)^2`)} + ${E(g.fakeSub, `${g.D}(${g.fake})^2`)}`;
  }
  return (
    `${E(g.realSub, `-\\log ${g.D}(${g.real})`)} + ` +
    `${E(g.fakeSub, `-\\log\\left(1 - ${g.D}(${g.fake})\\right)`)}`
  );
}

/** generatorLoss: log(1 − D(f)) (minimax), −log D(f) (non-saturating), (f − 1)² (lsgan). */
export function generatorTex(form: Form, g: Pick<Game, 'D' | 'fake' | 'fakeSub'>): string {
  switch (form) {
    case 'minimax':
      return E(g.fakeSub, `\\log\\left(1 - ${g.D}(${g.fake})\\right)`);
    case 'nonsaturating':
      return E(g.fakeSub, `-\\log ${g.D}(${g.fake})`);
    case 'lsgan':
      return E(g.fakeSub, `(${g.D}(${g.fake}) - 1)^2`);
  }
}

export function discriminatorSay(form: Form, D: string, real: string, fake: string): string {
  return form === 'lsgan'
    ? `${D} learns least-squares targets: a score of 1 on ${real} and 0 on ${fake}.`
    : `${D} learns to tell ${real} (real) from ${fake} (fake), by cross-entropy on ${D}(·) = σ(logit).`;
}

export function generatorSay(form: Form, who: string, D: string, fake: string): string {
  switch (form) {
    case 'minimax':
      return `${who} minimises log(1 − ${D}(${fake})), the original minimax loss, which stalls when ${D} wins early.`;
    case 'nonsaturating':
      return `${who} minimises −log ${D}(${fake}) so that ${D} takes ${fake} for real (the non-saturating loss).`;
    case 'lsgan':
      return `${who} minimises (${D}(${fake}) − 1)², pushing ${D}’s score on ${fake} towards the “real” target 1.`;
  }
}

/** reconstructionError per value, then summed per sample (sum) or averaged over all values (mean). */
export function reconstructionTex(p: Params, x: string, xhat: string, sub: string): string {
  const metric = (p.metric as string | undefined) ?? 'bce';
  const mean = p.reduction === 'mean';
  const err =
    metric === 'l1'
      ? `\\lVert ${x} - ${xhat} \\rVert_1`
      : metric === 'mse'
        ? `\\lVert ${x} - ${xhat} \\rVert_2^2`
        : `\\mathrm{BCE}\\left(${x},\\, ${xhat}\\right)`;
  return weighted(weightOf(p), E(sub, `${mean ? '\\tfrac{1}{d}' : ''}${err}`));
}

export function reductionSay(p: Params): string {
  return p.reduction === 'mean'
    ? 'averaged over the d values of each sample'
    : 'summed over the values of each sample';
}

export function metricSay(p: Params): string {
  switch (p.metric) {
    case 'l1':
      return 'absolute error (L1)';
    case 'mse':
      return 'squared error';
    default:
      return 'binary cross-entropy';
  }
}
