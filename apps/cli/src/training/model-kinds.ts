// The models `eior train --model` knows, and how each is configured from a preset and the command's flags.
import type { UltraGcnConfig } from '@eior/model';
import { CliError } from '../errors';

export const MODEL_KINDS = ['popularity', 'ultragcn', 'ultragcn-features'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

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

export interface ConfigOverrides {
  seed?: number;
  epochs?: number;
}

/** UltraGCN's config for a model kind: the preset, features on or off by kind, then the flags. */
export function ultraGcnConfigFor(
  kind: Exclude<ModelKind, 'popularity'>,
  preset: Readonly<UltraGcnConfig>,
  overrides: ConfigOverrides,
): UltraGcnConfig {
  return {
    ...preset,
    useFeatures: kind === 'ultragcn-features',
    ...(overrides.seed === undefined ? {} : { seed: overrides.seed }),
    ...(overrides.epochs === undefined ? {} : { epochs: overrides.epochs }),
  };
}
