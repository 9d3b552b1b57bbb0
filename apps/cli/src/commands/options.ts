// Parsing of numeric flags with errors that name the flag, the value and the allowed range.
import { CliError } from '../errors';

export function parseIntegerOption(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected an integer from ${min} to ${max}`);
  }
  return value;
}

export function parseChoiceOption<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected one of ${choices.join(', ')}`);
  }
  return raw as T;
}

/** "90s", "20m", "1h", "1h30m" (or plain seconds) as seconds, within [min, max]. */
export function parseDurationOption(flag: string, raw: string, minSeconds: number, maxSeconds: number): number {
  const text = raw.trim();
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text);
  const seconds = match && text !== '' ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : Number.NaN;
  if (!(seconds >= minSeconds && seconds <= maxSeconds)) {
    throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected a duration from ${formatDuration(minSeconds)} to ${formatDuration(maxSeconds)}, e.g. 90s, 20m or 1h30m`);
  }
  return seconds;
}

/** 1290 → "21m30s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s % 60 || (!h && !m) ? `${s % 60}s` : ''}`;
}
