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
];

export function templateById(id: string): TemplateEntry | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
