// The benches' `--generate key=number,...` flag: generator settings (README "Generated data") added on top of a
// dataset's own, parsed in one place for the model benches and the zoo.

/**
 * The generator settings of a bench's `--generate key=number,...` (README "Generated data" names them), added on top
 * of a shape's own.
 */
export function parseGenerateFlag(value: string): Record<string, number> {
  const generate: Record<string, number> = {};
  for (const pair of value.split(',').filter((x) => x !== '')) {
    const [key, raw] = pair.split('=');
    if (!key || raw === undefined || !Number.isFinite(Number(raw))) throw new Error(`--generate: "${pair}" is not key=number (a generator setting, README "Generated data")`);
    generate[key] = Number(raw);
  }
  return generate;
}
