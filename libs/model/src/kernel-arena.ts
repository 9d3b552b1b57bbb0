// One WebAssembly memory holding a model's tables (parameters, gradients, Adam moments, item features) and a
// scratch region, so the SIMD kernels of simd-kernels.ts read and update them in place. Sized once and never
// grown: growing would detach every Float32Array view the model holds. Calls that do not fit return null and
// the caller runs the JS loops instead (same math, different rounding).
import { kernelModule, type KernelExports } from './simd-kernels';
import { webAssembly, type WasmMemory, type WasmModule } from './wasm-assembler';

const PAGE = 65536;
/** Byte offset 0 means "no table gradient" to dot_bwd, so allocations start above it. */
const FIRST_OFFSET = 64;

const ARENAS = new WeakMap<ArrayBufferLike, KernelArena>();

export class KernelArena {
  private readonly memory: WasmMemory;
  private readonly kernels: KernelExports;
  private next = FIRST_OFFSET;
  private readonly scratchStart: number;
  private readonly scratchBytes: number;

  private constructor(module: WasmModule, dataFloats: number, scratchFloats: number) {
    const wasm = webAssembly()!;
    // up to 16 bytes of alignment per allocation (at most 64) and per scratch block
    const scratchBytes = 4 * scratchFloats + 64;
    const bytes = FIRST_OFFSET + 4 * dataFloats + 16 * 64 + scratchBytes;
    this.memory = new wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
    this.kernels = new wasm.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.scratchStart = Math.floor((this.memory.buffer.byteLength - scratchBytes) / 16) * 16;
    this.scratchBytes = this.memory.buffer.byteLength - this.scratchStart;
    ARENAS.set(this.memory.buffer, this);
  }

  /** An arena for `dataFloats` floats of tables (at most 64 allocations) and a scratch of `scratchFloats`; null without SIMD. */
  static create(dataFloats: number, scratchFloats: number): KernelArena | null {
    const module = kernelModule();
    return module ? new KernelArena(module, dataFloats, scratchFloats) : null;
  }

  /** The arena whose memory holds `array`, if any. */
  static owning(array: Float32Array): KernelArena | undefined {
    return ARENAS.get(array.buffer);
  }

  /** A zeroed, 16-byte aligned Float32Array inside the arena. */
  alloc(length: number): Float32Array {
    const offset = Math.ceil(this.next / 16) * 16;
    if (offset + 4 * length > this.scratchStart) throw new RangeError(`KernelArena: no room for ${length} more floats`);
    this.next = offset + 4 * length;
    return new Float32Array(this.memory.buffer, offset, length);
  }

  holds(array: Float32Array | undefined): boolean {
    return array !== undefined && array.buffer === this.memory.buffer;
  }

  /** gatheredDotForward in SIMD; null when the call does not fit (width not a multiple of 8, scratch too small). */
  dotForward(left: Float32Array, table: Float32Array, width: number, indices: Int32Array, slots: number): Float32Array | null {
    const batch = indices.length / slots;
    const layout = this.scratch([left.length, indices.length, indices.length]);
    if (!layout || width % 8 !== 0 || !this.holds(table)) return null;
    const [leftAt, idxAt, outAt] = layout;
    this.f32(leftAt, left.length).set(left);
    new Int32Array(this.memory.buffer, idxAt, indices.length).set(indices);
    this.kernels.dot_fwd(leftAt, table.byteOffset, width, idxAt, batch, slots, outAt);
    return this.f32(outAt, indices.length).slice();
  }

  /** gatheredDotBackward in SIMD (tableGrad, when given, must live in the arena); null when it does not fit. */
  dotBackward(
    dy: Float32Array,
    left: Float32Array,
    table: Float32Array,
    width: number,
    indices: Int32Array,
    slots: number,
    tableGrad: Float32Array | undefined,
  ): Float32Array | null {
    const batch = indices.length / slots;
    const layout = this.scratch([left.length, indices.length, indices.length, left.length]);
    if (!layout || width % 8 !== 0 || !this.holds(table) || (tableGrad !== undefined && !this.holds(tableGrad))) return null;
    const [leftAt, idxAt, dyAt, dLeftAt] = layout;
    this.f32(leftAt, left.length).set(left);
    new Int32Array(this.memory.buffer, idxAt, indices.length).set(indices);
    this.f32(dyAt, dy.length).set(dy);
    this.kernels.dot_bwd(dyAt, leftAt, table.byteOffset, width, idxAt, batch, slots, dLeftAt, tableGrad ? tableGrad.byteOffset : 0);
    return this.f32(dLeftAt, left.length).slice();
  }

  /**
   * The fused Adam update of adam.ts over the first floor(n / 4) · 4 entries; returns their Σθ². All four arrays
   * must live in the arena; the caller handles the remaining entries.
   */
  adam(theta: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, scalars: AdamScalars): { sumSquares: number; done: number } | null {
    if (![theta, grad, m, v].every((a) => this.holds(a))) return null;
    const done = theta.length - (theta.length % 4);
    const { beta1, beta2, epsilon, gamma, stepSize, invSqrtBias2 } = scalars;
    const sumSquares = this.kernels.adam(theta.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, done, beta1, beta2, 1 - beta1, 1 - beta2, epsilon, gamma, stepSize, invSqrtBias2);
    return { sumSquares, done };
  }

  private f32(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, byteOffset, length);
  }

  /** Byte offsets of consecutive 16-byte aligned blocks of `sizes` floats in the scratch, or null if they do not fit. */
  private scratch(sizes: number[]): number[] | null {
    const offsets: number[] = [];
    let at = this.scratchStart;
    for (const size of sizes) {
      at = Math.ceil(at / 16) * 16;
      offsets.push(at);
      at += 4 * size;
    }
    return at <= this.scratchStart + this.scratchBytes ? offsets : null;
  }
}

export interface AdamScalars {
  beta1: number;
  beta2: number;
  epsilon: number;
  gamma: number;
  stepSize: number;
  invSqrtBias2: number;
}
