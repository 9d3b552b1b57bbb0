// The latent side of generated preference: factors b_i for items and a_u for users that no feature file shows,
// matched by ζ·(a_u·b_i)/√L (README "Generated data"). It stands for what real users share beyond the content
// (friends, trends, series), the signal an item-id model learns from co-occurrence. Drawn from a stream of its own,
// and only when ζ > 0, so that data generated without it keeps every byte it had before the option existed.
import type { GenerateConfig } from './generate-config';
import { Prng } from './prng';

/** Mixed into the seed so that the latent stream never equals the main one. */
const LATENT_STREAM = 0x6c61_7465; // "late"

export class LatentFactors {
  /** L. */
  readonly width: number;
  /** Row-major [items, L]: b_i ~ N(0, I_L). */
  readonly items: Float32Array;
  /** ζ/√L: the weight of a_u·b_i in s_e(u, i). */
  readonly weight: number;
  private readonly rng: Prng;

  private constructor(config: GenerateConfig) {
    this.width = config.latentDims;
    this.weight = config.latentStrength / Math.sqrt(config.latentDims);
    this.rng = new Prng((config.seed ^ LATENT_STREAM) >>> 0);
    this.items = new Float32Array(config.items * this.width);
    for (let k = 0; k < this.items.length; k++) this.items[k] = this.rng.nextNormal();
  }

  /** The factors of the config's items, or undefined when ζ is 0 (no latent preference). */
  static plant(config: GenerateConfig): LatentFactors | undefined {
    return config.latentStrength > 0 ? new LatentFactors(config) : undefined;
  }

  /** Draws the next user's a_u ~ N(0, I_L) into `out` (users are drawn in id order). */
  drawUser(out: Float64Array): void {
    for (let k = 0; k < this.width; k++) out[k] = this.rng.nextNormal();
  }

  /** ζ·(a_u·b_i)/√L. */
  score(user: Float64Array, item: number): number {
    let dot = 0;
    for (let k = 0, o = item * this.width; k < this.width; k++, o++) dot += user[k] * this.items[o];
    return this.weight * dot;
  }
}
