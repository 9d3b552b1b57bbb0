// Command-line flags of the benches that take seeds: `--flag value`, and `--seeds 1,2,3` checked once for all.

/** The value after `flag` on the command line, or `fallback` when the flag is absent. */
export function flagValue(flag: string, fallback: string): string {
  const k = process.argv.indexOf(flag);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

/** `--seeds 1,2,3` (or `fallback`, e.g. an older `--seed N`), each a positive integer; a bad list stops the bench naming it. */
export function seedsFlag(fallback = '1'): number[] {
  const raw = flagValue('--seeds', fallback);
  const seeds = raw.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 1)) throw new RangeError(`--seeds: expected positive integers separated by commas, got ${raw}`);
  return seeds;
}
