import { upsamplerKind } from './net-upsampler';

export const decoder = upsamplerKind(
  {
    kind: 'net.decoder',
    title: 'Decoder',
    summary: 'z → p(x | z): maps a latent code back to data',
    doc:
      'The generative half of an autoencoder: it turns a latent code z into a data point. In a VAE its ' +
      'sigmoid output is read as the pixel probabilities of a Bernoulli likelihood p(x | z); in an AAE it ' +
      'reconstructs the image the encoder saw. After training, feeding it samples from the prior generates ' +
      'new data. An MLP, or a dense layer to a small image followed by stride-2 transposed convolutions.',
  },
  { hidden: [400] },
);
