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
];

export function templateById(id: string): TemplateEntry | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
