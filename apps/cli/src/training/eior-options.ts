// The flags of `eior train` for the InvRL, variant-only and EIOR models: a preset, shorthands for the penalty,
// the fusion and the environments, and `--eior-set key=value,...` for any other setting of EiorConfig. Every
// value ends in validateEiorConfig; an error names the flag, the key and the allowed values (exit code 2).
import type { EiorConfig, InvalidConfigError } from '@eior/model';
import { CliError } from '../errors';

export const EIOR_PRESET_NAMES = ['quick', 'invrl'] as const;
export const PENALTY_NAMES = ['variance', 'irmv1', 'vrex'] as const;
export const FUSION_NAMES = ['attention', 'global', 'fixed'] as const;
export const ENVIRONMENT_SOURCES = ['inferred', 'time'] as const;

/** The flags as commander hands them over (undefined when not given). */
export interface EiorFlags {
  eiorPreset?: string;
  penalty?: string;
  fusion?: string;
  environments?: string;
  eiorSet?: string;
}

/** What the parser needs of @eior/model, which the command loads lazily (importing it starts TensorFlow.js). */
export interface EiorConfigLib {
  QUICK_EIOR_PRESET: Readonly<EiorConfig>;
  INVRL_EIOR_PRESET: Readonly<EiorConfig>;
  validateEiorConfig(config: EiorConfig): EiorConfig;
  InvalidConfigError: typeof InvalidConfigError;
}

type Value = string | number | boolean;
type Section = keyof EiorConfig;
const SECTIONS: readonly Section[] = ['environments', 'mask', 'fusion'];

/** Each shorthand flag and the key of EiorConfig it sets. */
const SHORTHANDS = [
  { flag: '--penalty', option: 'penalty', key: 'mask.penalty', allowed: PENALTY_NAMES },
  { flag: '--fusion', option: 'fusion', key: 'fusion.kind', allowed: FUSION_NAMES },
  { flag: '--environments', option: 'environments', key: 'environments.source', allowed: ENVIRONMENT_SOURCES },
] as const;

/** The flags of this file that were given, by name, e.g. ['--penalty', '--eior-set']. */
export function givenEiorFlags(flags: EiorFlags): string[] {
  const given: string[] = SHORTHANDS.filter((s) => flags[s.option] !== undefined).map((s) => s.flag);
  if (flags.eiorPreset !== undefined) given.unshift('--eior-preset');
  if (flags.eiorSet !== undefined) given.push('--eior-set');
  return given;
}

/** The preset (default quick), then the shorthands and `--eior-set`, validated. */
export function resolveEiorFlags(flags: EiorFlags, lib: EiorConfigLib): EiorConfig {
  const preset = oneOf('--eior-preset', flags.eiorPreset ?? 'quick', EIOR_PRESET_NAMES);
  const base = preset === 'quick' ? lib.QUICK_EIOR_PRESET : lib.INVRL_EIOR_PRESET;
  const settings = parseEiorSet(flags.eiorSet ?? '', base);
  const origin = new Map<string, string>([...settings.keys()].map((key) => [key, '--eior-set']));
  for (const { flag, option, key, allowed } of SHORTHANDS) {
    const raw = flags[option];
    if (raw === undefined) continue;
    if (settings.has(key)) throw new CliError(`${flag} and --eior-set ${key} both set ${key}: give one of them`);
    settings.set(key, oneOf(flag, raw, allowed));
    origin.set(key, flag);
  }
  // a named penalty asks for the mask the penalty learns, not the time windows' stability estimate
  if (flags.penalty !== undefined && !settings.has('mask.estimator')) {
    settings.set('mask.estimator', 'penalty');
    origin.set('mask.estimator', '--penalty');
  }
  const config: EiorConfig = { environments: { ...base.environments }, mask: { ...base.mask }, fusion: { ...base.fusion } };
  for (const [key, value] of settings) {
    const [section, field] = key.split('.') as [Section, string];
    (config[section] as unknown as Record<string, Value>)[field] = value;
  }
  try {
    return lib.validateEiorConfig(config);
  } catch (err) {
    if (!(err instanceof lib.InvalidConfigError)) throw err;
    const from = origin.get(err.field) ?? `--eior-preset ${preset}`;
    throw new CliError(`${from} ${err.field}=${String(err.value)} is not valid: expected ${err.allowed}`);
  }
}

/**
 * `section.field=value,...` as a map from key to typed value. The keys and their types are those of `base`:
 * a number where it holds a number, true/false where a boolean, the text itself where a string (such as
 * mask.penalty, checked by validateEiorConfig). An unknown key names the known ones.
 */
export function parseEiorSet(raw: string, base: Readonly<EiorConfig>): Map<string, Value> {
  const out = new Map<string, Value>();
  if (raw.trim() === '') return out;
  for (const entry of raw.split(',')) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new CliError(`--eior-set ${JSON.stringify(entry)} is not key=value: expected e.g. mask.epochs=2,fusion.epochs=2`);
    const key = entry.slice(0, eq).trim();
    const text = entry.slice(eq + 1).trim();
    const current = currentValue(base, key);
    if (current === undefined) throw new CliError(`--eior-set: unknown key ${JSON.stringify(key)}: expected one of ${knownKeys(base).join(', ')}`);
    if (out.has(key)) throw new CliError(`--eior-set sets ${key} twice: give it once`);
    out.set(key, parseValue(key, text, current));
  }
  return out;
}

function currentValue(base: Readonly<EiorConfig>, key: string): Value | undefined {
  const parts = key.split('.');
  if (parts.length !== 2 || !(SECTIONS as readonly string[]).includes(parts[0])) return undefined;
  const section = base[parts[0] as Section] as unknown as Record<string, Value>;
  return Object.hasOwn(section, parts[1]) ? section[parts[1]] : undefined;
}

function knownKeys(base: Readonly<EiorConfig>): string[] {
  return SECTIONS.flatMap((section) => Object.keys(base[section]).map((field) => `${section}.${field}`));
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseValue(key: string, text: string, current: Value): Value {
  const bad = (expected: string) => new CliError(`--eior-set ${key}=${JSON.stringify(text)} is not valid: expected ${expected}`);
  if (typeof current === 'number') {
    if (!NUMBER.test(text) || !Number.isFinite(Number(text))) throw bad('a number');
    return Number(text);
  }
  if (typeof current === 'boolean') {
    if (text !== 'true' && text !== 'false') throw bad('true or false');
    return text === 'true';
  }
  if (text === '') throw bad('a value');
  return text;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected one of ${allowed.join(', ')}`);
  return raw as T;
}
