// Adam (Kingma & Ba 2015) exactly as torch.optim.Adam with weight_decay = γ, which is the gradient of UltraGCN's
// γ·½‖θ‖² term: one fused pass per parameter over Float32Arrays, the same on every backend; in SIMD when the
// parameter, its gradient and its moments live in a KernelArena.
import { KernelArena } from './kernel-arena';

export interface AdamOptions {
  lr: number;
  /** γ: L2 weight; adds γ·θ to every gradient (the gradient of γ·½‖θ‖²), unless a parameter sets its own. */
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
  /** This parameter's L2 weight instead of the optimizer's γ. */
  gamma?: number;
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

  /** `alloc` makes the moment buffers (zeroed); pass the arena's to keep them next to the parameters. */
  constructor(
    private readonly params: readonly AdamParameter[],
    options: AdamOptions,
    alloc: (length: number) => Float32Array = (length) => new Float32Array(length),
  ) {
    this.lr = options.lr;
    this.gamma = options.gamma;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.m = params.map((p) => alloc(p.value.length));
    this.v = params.map((p) => alloc(p.value.length));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /**
   * One update of every parameter from its gradient buffer plus γ·θ; the buffers are zeroed for the next step.
   * Returns the penalty Σ γ·½‖θ‖² before the update (the value whose gradient was applied).
   */
  step(): number {
    this.t += 1;
    const { beta1, beta2, epsilon } = this;
    const stepSize = this.lr / (1 - beta1 ** this.t);
    const invSqrtBias2 = 1 / Math.sqrt(1 - beta2 ** this.t);
    let penalty = 0;
    for (let k = 0; k < this.params.length; k++) {
      const { value, grad } = this.params[k];
      const gamma = this.params[k].gamma ?? this.gamma;
      const simd = KernelArena.owning(value)?.adam(value, grad, this.m[k], this.v[k], { beta1, beta2, epsilon, gamma, stepSize, invSqrtBias2 });
      const from = simd ? simd.done : 0;
      const rest = adamUpdate(value, grad, this.m[k], this.v[k], beta1, beta2, epsilon, gamma, stepSize, invSqrtBias2, from);
      penalty += (gamma * ((simd ? simd.sumSquares : 0) + rest)) / 2;
    }
    return penalty;
  }
}

/** One fused Adam pass over entries from..end of a parameter; returns their Σθ² before the update. */
function adamUpdate(
  theta: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  beta1: number,
  beta2: number,
  epsilon: number,
  gamma: number,
  stepSize: number,
  invSqrtBias2: number,
  from: number,
): number {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  let sq = 0;
  for (let e = from; e < theta.length; e++) {
    const th = theta[e];
    sq += th * th;
    const g = grad[e] + gamma * th;
    grad[e] = 0;
    const me = beta1 * m[e] + c1 * g;
    const ve = beta2 * v[e] + c2 * g * g;
    m[e] = me;
    v[e] = ve;
    // torch: θ -= lr / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
    theta[e] = th - (stepSize * me) / (Math.sqrt(ve) * invSqrtBias2 + epsilon);
  }
  return sq;
}

/** ½‖θ‖² over parameters, without updating them. */
export function halfSquaredNorm(values: readonly Float32Array[]): number {
  let sum = 0;
  for (const value of values) for (let e = 0; e < value.length; e++) sum += value[e] * value[e];
  return sum / 2;
}
