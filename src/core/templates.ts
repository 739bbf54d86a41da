import aae from '../../templates/aae.json';
import cyclegan from '../../templates/cyclegan.json';
import ddpm from '../../templates/ddpm.json';
import infogan from '../../templates/infogan.json';
import ddpm2d from '../../templates/ddpm-2d.json';
import gan2d from '../../templates/gan-2d.json';
import vae from '../../templates/vae.json';

/** Bundled templates: the same JSON a user saves, loaded through the same load path. */
export interface TemplateEntry {
  id: string;
  title: string;
  /** What the template teaches, for the gallery. */
  teaches: string;
  json: unknown;
}

export const TEMPLATES: readonly TemplateEntry[] = [
  {
    id: 'vae',
    title: 'VAE',
    teaches: 'An encoder that outputs a distribution, the reparameterization trick, and the ELBO.',
    json: vae,
  },
  {
    id: 'gan-2d',
    title: 'GAN (2D toy data)',
    teaches: 'Two networks playing a game, trained in alternating phases; mode collapse you can see.',
    json: gan2d,
  },
  {
    id: 'aae',
    title: 'AAE',
    teaches: 'A VAE whose KL term is replaced by a discriminator on z: any prior you can sample from.',
    json: aae,
  },
  {
    id: 'infogan',
    title: 'InfoGAN',
    teaches: 'A GAN plus an information loss: a code that comes to mean the digit, without labels.',
    json: infogan,
  },
  {
    id: 'cyclegan',
    title: 'CycleGAN',
    teaches: 'Unpaired translation: two generators, two discriminators and a cycle-consistency loss.',
    json: cyclegan,
  },
  {
    id: 'ddpm',
    title: 'DDPM',
    teaches: 'Diffusion on digits: a U-Net learns to predict noise; sampling runs it backwards 1000 times.',
    json: ddpm,
  },
  {
    id: 'ddpm-2d',
    title: 'DDPM (2D toy data)',
    teaches: 'Diffusion: learn to predict the noise; generate by running the denoiser backwards T times.',
    json: ddpm2d,
  },
];

export function templateById(id: string): TemplateEntry | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
