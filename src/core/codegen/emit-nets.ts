import type { IrNode } from '../compiler/ir';
import { conv, dense, downTrunk, features, upBody } from '../kinds/net-common';
import { translatorSpecs } from '../kinds/net-translator';
import type { Act, LayerSpec, Norm } from '../nn/spec';
import { outShape } from '../nn/spec';
import type { Emitter, NodeCode } from './emit';
import { callWithSpecs, inputShape, lit, params } from './emit';

/**
 * Networks. Those described by layer specs print the spec list as data for the generic buildLayers;
 * the specs come from the same functions the node kinds use, so they cannot drift apart.
 */

interface NetParams {
  arch: string;
  hidden: number[];
  channels: number[];
  activation: Act;
  norm: Norm;
}

function layers(name: string, input: number[], specs: LayerSpec[]): string[] {
  return callWithSpecs(`const ${name} = buildLayers(vars, '${name}', ${lit(input)}, `, specs, ');');
}

/** MLPs flatten their input; convolutions take the image as it is. */
function flat(arch: string, port: string): string {
  return arch === 'mlp' ? `${port}.reshape([${port}.shape[0], -1])` : port;
}

function kindOf(arch: string): string {
  return arch === 'mlp' ? 'An MLP' : 'Strided convolutions, then dense layers';
}

function encoder(n: IrNode): NodeCode {
  const p = params<NetParams & { latent: number; head: 'gaussian' | 'deterministic' }>(n);
  const input = features(n.inputInfo.x!.shape, p.arch, 'x');
  const trunk = downTrunk(p, true);
  const width = outShape(input, trunk)[0]!;
  const gaussian = p.head === 'gaussian';
  const head = [dense(gaussian ? 2 * p.latent : p.latent, 'none', 'linear')];
  return {
    summary: gaussian
      ? `${kindOf(p.arch)} to the mean and log-variance of q(z | x), ${p.latent} dims each.`
      : `${kindOf(p.arch)} to a deterministic code z of ${p.latent} dims.`,
    helpers: ['buildLayers'],
    needs: 'vars',
    body: [
      ...layers('trunk', input, trunk),
      ...layers('head', [width], head),
      'return ({ x }, ctx) => {',
      `  const out = head(trunk(${flat(p.arch, 'x')}, ctx), ctx);`,
      ...(gaussian
        ? ['  const [mean, logvar] = tf.split(out, 2, 1);', '  return { q: { mean, logvar } };']
        : ['  return { z: out };']),
      '};',
    ],
  };
}

function upsampler(n: IrNode): NodeCode {
  const p = params<NetParams & { outShape: number[]; output: Act }>(n);
  const inDim = inputShape(n, 'z').reduce((a, b) => a * b, 1);
  return {
    summary: `${p.arch === 'mlp' ? 'An MLP' : 'Dense layers, then stride-2 transposed convolutions'} from ${inDim} dims to [${p.outShape.join(', ')}], ${p.output} output.`,
    helpers: ['buildLayers'],
    needs: 'vars',
    body: [
      ...layers('body', [inDim], upBody(p, p.output)),
      `return ({ z }, ctx) => ({ x: body(z.reshape([z.shape[0], ${inDim}]), ctx) });`,
    ],
  };
}

interface DiscParams extends NetParams {
  qHead: boolean;
  qCategories: number;
  qContinuous: number;
  qHidden: number;
}

function discriminator(n: IrNode): NodeCode {
  const p = params<DiscParams>(n);
  const input = features(n.inputInfo.x!.shape, p.arch, 'x');
  if (p.arch === 'patch') {
    const trunk: LayerSpec[] = p.channels.map((c, i) =>
      conv(c, 4, 2, i === 0 ? 'none' : p.norm, p.activation),
    );
    trunk.push(conv(1, 4, 1, 'none', 'linear'));
    return {
      summary: 'PatchGAN: one logit per overlapping image patch.',
      helpers: ['buildLayers'],
      needs: 'vars',
      body: [...layers('trunk', input, trunk), 'return ({ x }, ctx) => ({ logit: trunk(x, ctx) });'],
    };
  }
  const trunk = downTrunk(p, false);
  const width = outShape(input, trunk)[0]!;
  const body = [...layers('trunk', input, trunk), ...layers('logit', [width], [dense(1, 'none', 'linear')])];
  const h = `  const h = trunk(${flat(p.arch, 'x')}, ctx);`;
  if (!p.qHead) {
    body.push('return ({ x }, ctx) => {', h, '  return { logit: logit(h, ctx) };', '};');
    return {
      summary: `${kindOf(p.arch)} to one logit per sample.`,
      helpers: ['buildLayers'],
      needs: 'vars',
      body,
    };
  }
  const q = [dense(p.qHidden, p.norm, p.activation), dense(p.qCategories + p.qContinuous, 'none', 'linear')];
  body.push(...layers('q', [width], q), 'return ({ x }, ctx) => {', h, '  const qo = q(h, ctx);');
  if (p.qContinuous === 0) body.push('  return { logit: logit(h, ctx), q_cat: qo };');
  else {
    body.push(
      `  const [qCat, qCont] = tf.split(qo, [${p.qCategories}, ${p.qContinuous}], 1);`,
      '  return { logit: logit(h, ctx), q_cat: qCat, q_cont: qCont };',
    );
  }
  body.push('};');
  return {
    summary: `${kindOf(p.arch)} to one logit per sample, and InfoGAN's Q head on the same features.`,
    helpers: ['buildLayers'],
    needs: 'vars',
    body,
  };
}

function translator(n: IrNode): NodeCode {
  const p = params<Parameters<typeof translatorSpecs>[0]>(n);
  const f = inputShape(n, 'x');
  return {
    summary: `CycleGAN's ResNet generator: ${p.downsample} stride-2 convs down, ${p.blocks} residual block${p.blocks === 1 ? '' : 's'}, back up.`,
    helpers: ['buildLayers'],
    needs: 'vars',
    body: [...layers('body', f, translatorSpecs(p, f[2]!)), 'return ({ x }, ctx) => ({ y: body(x, ctx) });'],
  };
}

function denoiser(n: IrNode): NodeCode {
  const p = params<{
    arch: 'mlp' | 'unet';
    channels: number;
    mults: number[];
    hidden: number[];
    activation: Act;
    timeDim: number;
  }>(n);
  const shape = inputShape(n, 'x');
  const unet = p.arch === 'unet';
  const d = shape.reduce((a, b) => a * b, 1);
  const net = unet
    ? [
        `const net = buildUnet(vars, ${lit({ channels: p.channels, mults: p.mults, timeDim: p.timeDim })}, ${shape[2]});`,
      ]
    : [
        `const mlp = denoiserMlp(vars, ${lit({ hidden: p.hidden, timeDim: p.timeDim, activation: p.activation })}, ${d});`,
        `const net = (x, t) => mlp(x.reshape([x.shape[0], ${d}]), t).reshape(x.shape);`,
      ];
  return {
    summary: `ε_θ(x_t, t): ${unet ? 'a U-Net' : 'an MLP'} that predicts the noise added to x_t at step t.`,
    helpers: [unet ? 'buildUnet' : 'denoiserMlp'],
    needs: 'vars',
    body: [
      ...net,
      '// The network itself, for the reverse sampler that calls it T times.',
      'const model = { call: ({ x, t }) => ({ eps: net(x, t) }) };',
      'return ({ x, t }) => (x === undefined && t === undefined ? { model } : { eps: net(x, t), model });',
    ],
  };
}

export const NET_EMITTERS: Record<string, Emitter> = {
  'net.encoder': encoder,
  'net.decoder': upsampler,
  'net.generator': upsampler,
  'net.discriminator': discriminator,
  'net.translator': translator,
  'net.denoiser': denoiser,
};
