import { upsamplerKind } from './net-upsampler';

export const generator = upsamplerKind(
  {
    kind: 'net.generator',
    title: 'Generator',
    summary: 'z → x: turns noise (and codes) into samples',
    doc:
      'The GAN generator G: it turns noise z, and any codes concatenated to it, into a sample, and learns ' +
      'only through the discriminator’s verdict on its output. The conv version follows DCGAN and InfoGAN ' +
      '(Radford et al. 2015; Chen et al. 2016): dense layers with batch norm, a reshape to a 7×7 image, ' +
      'and stride-2 transposed convolutions up to 28×28. Use a linear output and outShape [2] for 2D data.',
  },
  { arch: 'conv', hidden: [1024], channels: [128, 64], norm: 'batch', output: 'tanh' },
);
