// Adam with one second-moment estimate per parameter instead of one per entry [ours] (docs/method.md#3-invariant-part):
// the step of entry j is lr · m̂_j / (sqrt(mean_k v̂_k) + ε). The step's overall size stays free of the gradient's
// scale as in Adam, but entries keep their relative sizes: per-entry Adam moves every entry of a consistently signed
// gradient by about lr, whatever its size, which erases the differences the feature mask is learned from.
import type { AdamParameter } from './adam';

export class SharedScaleAdam {
  private readonly m: Float32Array;
  private v = 0;
  private t = 0;

  constructor(
    private readonly param: AdamParameter,
    private readonly options: { lr: number; gamma: number; beta1?: number; beta2?: number; epsilon?: number },
  ) {
    this.m = new Float32Array(param.value.length);
  }

  /** One update from the gradient buffer plus γ·θ; the buffer is zeroed for the next step. */
  step(): void {
    const { lr, gamma } = this.options;
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const epsilon = this.options.epsilon ?? 1e-8;
    const { value, grad } = this.param;
    const n = value.length;
    this.t += 1;
    let sq = 0;
    for (let j = 0; j < n; j++) {
      const g = grad[j] + gamma * value[j];
      this.m[j] = beta1 * this.m[j] + (1 - beta1) * g;
      sq += g * g;
    }
    this.v = beta2 * this.v + ((1 - beta2) * sq) / Math.max(n, 1);
    const scale = lr / (1 - beta1 ** this.t) / (Math.sqrt(this.v / (1 - beta2 ** this.t)) + epsilon);
    for (let j = 0; j < n; j++) {
      value[j] -= scale * this.m[j];
      grad[j] = 0;
    }
  }
}
