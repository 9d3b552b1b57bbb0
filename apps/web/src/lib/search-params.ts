// Reading a page's GET parameters (the dashboard's state lives in the URL, so every view is a shareable link)
// and writing links that change one parameter.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a parameter, trimmed; undefined when absent or empty. */
export function param(params: SearchParams, name: string): string | undefined {
  const raw = params[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

/** An integer parameter clamped to [min, max]; the fallback when absent or not a number. */
export function intParam(params: SearchParams, name: string, fallback: number, min: number, max: number): number {
  const value = Number(param(params, name));
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A path with the given parameters (undefined ones left out), e.g. href('/drift', { dataset: 'tiktok' }). */
export function href(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}

/** The dataset a page shows: the requested one, else the first with a trained model, else the first. */
export function pickDataset(requested: string | undefined, datasets: readonly { name: string; currentModel: unknown }[]): string | undefined {
  if (requested) return requested;
  return (datasets.find((d) => d.currentModel) ?? datasets[0])?.name;
}
