// Adam (Kingma & Ba 2015) exactly as torch.optim.Adam with weight_decay = γ, which is the gradient of UltraGCN's
// γ·½‖θ‖² term: one fused pass per parameter over Float32Arrays, the same on every backend.

export interface AdamOptions {
  lr: number;
  /** γ: L2 weight; adds γ·θ to every gradient (the gradient of γ·½‖θ‖²). */
  gamma: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** A named parameter and its gradient buffer (same length), which `step` reads and resets to zero. */
export interface AdamParameter {
  name: string;
  value: Float32Array;
  grad: Float32Array;
}

export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;
  readonly lr: number;
  readonly gamma: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(
    private readonly params: readonly AdamParameter[],
    options: AdamOptions,
  ) {
    this.lr = options.lr;
    this.gamma = options.gamma;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.m = params.map((p) => new Float32Array(p.value.length));
    this.v = params.map((p) => new Float32Array(p.value.length));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /**
   * One update of every parameter from its gradient buffer plus γ·θ; the buffers are zeroed for the next step.
   * Returns ½‖θ‖² before the update (the value whose gradient was applied).
   */
  step(): number {
    this.t += 1;
    const { beta1, beta2, epsilon, gamma } = this;
    const stepSize = this.lr / (1 - beta1 ** this.t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** this.t);
    let halfSquaredNorm = 0;
    this.params.forEach((p, k) => {
      const theta = p.value;
      const grad = p.grad;
      const m = this.m[k];
      const v = this.v[k];
      let sq = 0;
      for (let e = 0; e < theta.length; e++) {
        const th = theta[e];
        sq += th * th;
        const g = grad[e] + gamma * th;
        grad[e] = 0;
        const me = beta1 * m[e] + (1 - beta1) * g;
        const ve = beta2 * v[e] + (1 - beta2) * g * g;
        m[e] = me;
        v[e] = ve;
        theta[e] = th - (stepSize * me) / (Math.sqrt(ve) / sqrtBias2 + epsilon);
      }
      halfSquaredNorm += sq / 2;
    });
    return halfSquaredNorm;
  }
}

/** ½‖θ‖² over parameters, without updating them. */
export function halfSquaredNorm(values: readonly Float32Array[]): number {
  let sum = 0;
  for (const value of values) for (let e = 0; e < value.length; e++) sum += value[e] * value[e];
  return sum / 2;
}
