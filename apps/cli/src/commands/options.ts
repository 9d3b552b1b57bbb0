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
