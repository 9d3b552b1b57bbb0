// The dashboard's colours, shared by the SVG charts (recharts needs literal colours) and mirrored by the CSS
// variables in app/globals.css: one colour per branch, one for drift and one for no drift.

export const COLORS = {
  /** The invariant branch (IRM, stable across environments). */
  invariant: '#2563eb',
  /** The variant branch (ERM, environment-specific). */
  variant: '#f59e0b',
  /** A value past its threshold. */
  drifted: '#dc2626',
  /** A value within its threshold. */
  stable: '#94a3b8',
  /** Training loss. */
  loss: '#475569',
  /** Validation recall@20. */
  recall: '#16a34a',
  /** Other metrics. */
  other: '#7c3aed',
  grid: '#e2e8f0',
  threshold: '#111827',
} as const;

