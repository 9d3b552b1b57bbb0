// The models `eior train --model` knows, and how each is configured from a preset and the command's flags.
import type { UltraGcnConfig } from '@eior/model';
import { CliError } from '../errors';

export const MODEL_KINDS = ['popularity', 'ultragcn', 'ultragcn-features', 'invrl', 'variant', 'eior'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The kinds trained by the staged EIOR pipeline (backbone, invariance, final model) of @eior/model. */
export const EIOR_KINDS = ['invrl', 'variant', 'eior'] as const;
export type EiorKind = (typeof EIOR_KINDS)[number];

export function isEiorKind(kind: ModelKind): kind is EiorKind {
  return (EIOR_KINDS as readonly string[]).includes(kind);
}

export const PRESET_NAMES = ['tiktok', 'invrl', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export function parseModelKind(raw: string): ModelKind {
  if (!(MODEL_KINDS as readonly string[]).includes(raw)) {
    throw new CliError(`--model ${JSON.stringify(raw)} is not a model: expected one of ${MODEL_KINDS.join(', ')}`);
  }
  return raw as ModelKind;
}

export function parsePreset(raw: string): PresetName {
  if (!(PRESET_NAMES as readonly string[]).includes(raw)) {
    throw new CliError(`--preset ${JSON.stringify(raw)} is not a preset: expected one of ${PRESET_NAMES.join(', ')}`);
  }
  return raw as PresetName;
}

/** The UltraGCN preset of a name, from @eior/model (which the caller loads lazily). */
export function ultraGcnPreset(
  lib: { ULTRAGCN_PAPER_PRESET: Readonly<UltraGcnConfig>; INVRL_PRESET: Readonly<UltraGcnConfig>; TIKTOK_PRESET: Readonly<UltraGcnConfig> },
  name: PresetName,
): Readonly<UltraGcnConfig> {
  return { paper: lib.ULTRAGCN_PAPER_PRESET, invrl: lib.INVRL_PRESET, tiktok: lib.TIKTOK_PRESET }[name];
}

export interface ConfigOverrides {
  seed?: number;
  epochs?: number;
  /** `--set key=value,...`: any UltraGCN setting over the preset (ranges are checked when the config is validated). */
  settings?: Partial<UltraGcnConfig>;
}

/**
 * `--set iiContentNeighborNum=0,projectionGamma=0.02`: each key must be a setting of the preset, each value of that
 * setting's type. `useFeatures` comes from `--model`, `seed` and `epochs` have their own flags.
 */
export function parseUltraGcnSet(raw: string, preset: Readonly<UltraGcnConfig>, flag = '--set'): Partial<UltraGcnConfig> {
  const out: Record<string, number | boolean> = {};
  const own: Record<string, string> = { useFeatures: '--model', seed: '--seed', epochs: '--epochs' };
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new CliError(`${flag} ${JSON.stringify(entry)} is not key=value: expected e.g. iiContentNeighborNum=0,projectionGamma=0.02`);
    const key = entry.slice(0, eq).trim();
    const text = entry.slice(eq + 1).trim();
    if (own[key]) throw new CliError(`${flag} ${key}: give it with ${own[key]}`);
    if (!Object.hasOwn(preset, key)) {
      const known = Object.keys(preset).filter((k) => !own[k]);
      throw new CliError(`${flag}: unknown key ${JSON.stringify(key)}: expected one of ${known.join(', ')}`);
    }
    if (Object.hasOwn(out, key)) throw new CliError(`${flag} sets ${key} twice: give it once`);
    if (typeof preset[key as keyof UltraGcnConfig] === 'boolean') {
      if (text !== 'true' && text !== 'false') throw new CliError(`${flag} ${key}=${JSON.stringify(text)} is not valid: expected true or false`);
      out[key] = text === 'true';
    } else {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) throw new CliError(`${flag} ${key}=${JSON.stringify(text)} is not valid: expected a number`);
      out[key] = value;
    }
  }
  return out as Partial<UltraGcnConfig>;
}

/** UltraGCN's config for a model kind (for the EIOR kinds, their backbone's): the preset, features on or off by kind, then the flags. */
export function ultraGcnConfigFor(
  kind: Exclude<ModelKind, 'popularity'>,
  preset: Readonly<UltraGcnConfig>,
  overrides: ConfigOverrides,
): UltraGcnConfig {
  return {
    ...preset,
    ...overrides.settings,
    useFeatures: kind !== 'ultragcn',
    ...(overrides.seed === undefined ? {} : { seed: overrides.seed }),
    ...(overrides.epochs === undefined ? {} : { epochs: overrides.epochs }),
  };
}
