import type { Category } from '../core/kinds/types';
import type { PortType } from '../core/shape';

export const PORT_COLORS: Record<PortType, string> = {
  data: '#60a5fa',
  latent: '#a78bfa',
  gaussian: '#c084fc',
  logits: '#f87171',
  code: '#fbbf24',
  timestep: '#2dd4bf',
  schedule: '#34d399',
  network: '#94a3b8',
  loss: '#fb7185',
};

export const CATEGORY_COLORS: Record<Category, string> = {
  data: '#2563eb',
  sampler: '#7c3aed',
  network: '#0891b2',
  diffusion: '#059669',
  op: '#64748b',
  loss: '#e11d48',
};
