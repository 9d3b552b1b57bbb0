// Search spaces of the tuner: each model kind declares, next to its config, which settings `eior tune` may change and
// over what range. A space is plain data (documented, validated against the config it tunes); sampling goes through
// the one seeded generator, so a tuning is reproducible from its seed.
import { InvalidConfigError } from '../errors';
import type { Random } from '../random';

/** One tuned setting: log-uniform over [min, max] (rates, weights of losses), or one of a few values. */
export type Dimension =
  | { readonly kind: 'log'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly kind: 'choice'; readonly values: readonly (number | boolean)[] };

/** The tuned settings of a config C and their ranges; settings not named keep the base config's value. */
export type SearchSpace<C> = { readonly [K in keyof C]?: Dimension };

/** Refuses a space naming a setting the config does not have, an empty range or an empty choice. */
export function validateSearchSpace<C extends object>(space: SearchSpace<C>, base: Readonly<C>): SearchSpace<C> {
  for (const [key, dim] of Object.entries(space) as [string, Dimension][]) {
    if (!Object.hasOwn(base, key)) throw new InvalidConfigError(`searchSpace.${key}`, key, `a setting of the tuned config (${Object.keys(base).join(', ')})`);
    if (dim.kind === 'log' && !(dim.min > 0 && dim.max >= dim.min && Number.isFinite(dim.max))) {
      throw new InvalidConfigError(`searchSpace.${key}`, [dim.min, dim.max], 'a log range 0 < min <= max');
    }
    if (dim.kind === 'choice' && dim.values.length === 0) throw new InvalidConfigError(`searchSpace.${key}`, [], 'at least one value');
  }
  return space;
}

/**
 * Points of the space the tuner tries first, before it samples (a portfolio of configurations known to work on
 * differently shaped data, as Optuna's enqueued trials or auto-sklearn's portfolio): random sampling in a space of a
 * dozen settings rarely lands on a combination that only works as a whole. Refuses a setting outside the space or a
 * value outside its range.
 */
export function validatePortfolio<C extends object>(portfolio: readonly Partial<C>[], space: SearchSpace<C>): readonly Partial<C>[] {
  for (const [n, point] of portfolio.entries()) {
    for (const [key, value] of Object.entries(point) as [string, unknown][]) {
      const dim = (space as Record<string, Dimension | undefined>)[key];
      if (!dim) throw new InvalidConfigError(`portfolio[${n}].${key}`, value, `a setting of the search space (${Object.keys(space).join(', ')})`);
      const ok = dim.kind === 'choice' ? dim.values.includes(value as number | boolean) : typeof value === 'number' && value >= dim.min && value <= dim.max;
      if (!ok) throw new InvalidConfigError(`portfolio[${n}].${key}`, value, dim.kind === 'choice' ? `one of ${dim.values.join(', ')}` : `a number in [${dim.min}, ${dim.max}]`);
    }
  }
  return portfolio;
}

/** One point of the space, keys in the space's declaration order (the order the generator is consumed in). */
export function sampleSearchSpace<C extends object>(space: SearchSpace<C>, rng: Random): Partial<C> {
  const out: Record<string, number | boolean> = {};
  for (const [key, dim] of Object.entries(space) as [string, Dimension][]) {
    const u = rng.nextFloat();
    if (dim.kind === 'choice') {
      out[key] = dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))];
    } else {
      const v = Math.exp(Math.log(dim.min) + u * (Math.log(dim.max) - Math.log(dim.min)));
      // 3 significant digits: settings that read well in a table and compare equal after a JSON round trip
      out[key] = dim.integer ? Math.round(v) : Number(v.toPrecision(3));
    }
  }
  return out as Partial<C>;
}

/** "lr log[5e-4, 1e-2], negativeNum one of 25, 50, 100, 200": the space in words, for --help and the README. */
export function describeSearchSpace<C extends object>(space: SearchSpace<C>): string {
  return (Object.entries(space) as [string, Dimension][])
    .map(([key, d]) => (d.kind === 'log' ? `${key} log[${d.min}, ${d.max}]` : `${key} one of ${d.values.join(', ')}`))
    .join('; ');
}
