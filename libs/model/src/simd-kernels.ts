// WebAssembly SIMD (f32x4) versions of the three hot loops of an UltraGCN step: gatheredDot's forward and
// backward (sparse-ops.ts) and the fused Adam update (adam.ts). Same math as the JS loops, four lanes at a time;
// the tables live in a KernelArena, one wasm memory sized once, so the kernels read them in place.
import { assembleModule, forLoop, F32, F64, I32, op, V128, v, webAssembly, type Bytes, type WasmModule } from './wasm-assembler';

// dot_fwd(left, table, width, idx, batch, slots, out): out[p] = left[p / slots] · table[idx[p]]
function dotForward(): Bytes {
  const [left, table, width, idx, batch, slots, out] = [0, 1, 2, 3, 4, 5, 6];
  const [b, s, c, lrow, trow, p, wb, acc0, acc1] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const lane = (k: number): Bytes => [...op.get(acc0), ...v.f32x4Lane(k)];
  return [
    ...op.get(width), ...op.i32(2), ...op.i32Shl, ...op.set(wb),
    ...forLoop(b, op.i32(0), batch, 1, [
      ...op.get(left), ...op.get(b), ...op.get(wb), ...op.i32Mul, ...op.i32Add, ...op.set(lrow),
      ...forLoop(s, op.i32(0), slots, 1, [
        ...op.get(b), ...op.get(slots), ...op.i32Mul, ...op.get(s), ...op.i32Add, ...op.set(p),
        ...op.get(table), ...op.get(idx), ...op.get(p), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load,
        ...op.get(wb), ...op.i32Mul, ...op.i32Add, ...op.set(trow),
        ...v.zero, ...op.set(acc0), ...v.zero, ...op.set(acc1),
        // two accumulators over 8 floats per iteration: width must be a multiple of 8
        ...forLoop(c, op.i32(0), wb, 32, [
          ...op.get(acc0),
          ...op.get(lrow), ...op.get(c), ...op.i32Add, ...v.load,
          ...op.get(trow), ...op.get(c), ...op.i32Add, ...v.load,
          ...v.f32x4Mul, ...v.f32x4Add, ...op.set(acc0),
          ...op.get(acc1),
          ...op.get(lrow), ...op.get(c), ...op.i32Add, ...v.loadAt(16),
          ...op.get(trow), ...op.get(c), ...op.i32Add, ...v.loadAt(16),
          ...v.f32x4Mul, ...v.f32x4Add, ...op.set(acc1),
        ]),
        ...op.get(acc0), ...op.get(acc1), ...v.f32x4Add, ...op.set(acc0),
        ...op.get(out), ...op.get(p), ...op.i32(2), ...op.i32Shl, ...op.i32Add,
        ...lane(0), ...lane(1), ...op.f32Add, ...lane(2), ...op.f32Add, ...lane(3), ...op.f32Add,
        ...op.f32Store,
      ]),
    ]),
  ];
}

// dot_bwd(dy, left, table, width, idx, batch, slots, dLeft, tableGrad): dLeft[b] = Σ_s dy · table[idx],
// and tableGrad[idx] += dy · left[b] unless tableGrad is 0
function dotBackward(): Bytes {
  const [dy, left, table, width, idx, batch, slots, dLeft, tableGrad] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [b, s, c, lrow, drow, trow, p, wb, g, gv, grow, rowOff] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const axpy = (target: number, source: number): Bytes =>
    forLoop(c, op.i32(0), wb, 16, [
      ...op.get(target), ...op.get(c), ...op.i32Add,
      ...op.get(target), ...op.get(c), ...op.i32Add, ...v.load,
      ...op.get(gv), ...op.get(source), ...op.get(c), ...op.i32Add, ...v.load, ...v.f32x4Mul,
      ...v.f32x4Add, ...v.store,
    ]);
  return [
    ...op.get(width), ...op.i32(2), ...op.i32Shl, ...op.set(wb),
    ...forLoop(b, op.i32(0), batch, 1, [
      ...op.get(left), ...op.get(b), ...op.get(wb), ...op.i32Mul, ...op.i32Add, ...op.set(lrow),
      ...op.get(dLeft), ...op.get(b), ...op.get(wb), ...op.i32Mul, ...op.i32Add, ...op.set(drow),
      ...forLoop(c, op.i32(0), wb, 16, [...op.get(drow), ...op.get(c), ...op.i32Add, ...v.zero, ...v.store]),
      ...forLoop(s, op.i32(0), slots, 1, [
        ...op.get(b), ...op.get(slots), ...op.i32Mul, ...op.get(s), ...op.i32Add, ...op.set(p),
        ...op.get(dy), ...op.get(p), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load, ...op.set(g),
        ...op.get(g), ...op.f32(0), ...op.f32Ne,
        ...op.if,
        ...op.get(g), ...v.f32x4Splat, ...op.set(gv),
        ...op.get(idx), ...op.get(p), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load,
        ...op.get(wb), ...op.i32Mul, ...op.set(rowOff),
        ...op.get(table), ...op.get(rowOff), ...op.i32Add, ...op.set(trow),
        ...axpy(drow, trow),
        ...op.get(tableGrad), ...op.i32Eqz, ...op.i32Eqz,
        ...op.if,
        ...op.get(tableGrad), ...op.get(rowOff), ...op.i32Add, ...op.set(grow),
        ...axpy(grow, lrow),
        ...op.end,
        ...op.end,
      ]),
    ]),
  ];
}

// adam(theta, grad, m, v, n, beta1, beta2, c1, c2, eps, gamma, stepSize, invSqrtBias2) -> Σθ² (f64), n % 4 = 0
function adamUpdate(): Bytes {
  const [theta, grad, m, vel, n] = [0, 1, 2, 3, 4];
  const [i, end, th, g, mv, vv, sqlo, sqhi, t2] = [13, 14, 15, 16, 17, 18, 19, 20, 21];
  const splat = (param: number, local: number): Bytes => [...op.get(param), ...v.f32x4Splat, ...op.set(local)];
  const [B1, B2, C1, C2, EPS, GAM, SS, ISB] = [22, 23, 24, 25, 26, 27, 28, 29];
  const at = (base: number): Bytes => [...op.get(base), ...op.get(i), ...op.i32Add];
  return [
    ...splat(5, B1), ...splat(6, B2), ...splat(7, C1), ...splat(8, C2),
    ...splat(9, EPS), ...splat(10, GAM), ...splat(11, SS), ...splat(12, ISB),
    ...op.get(n), ...op.i32(2), ...op.i32Shl, ...op.set(end),
    ...forLoop(i, op.i32(0), end, 16, [
      ...at(theta), ...v.load, ...op.set(th),
      // g = grad + γθ, then the gradient buffer is zeroed for the next step
      ...at(grad), ...v.load, ...op.get(GAM), ...op.get(th), ...v.f32x4Mul, ...v.f32x4Add, ...op.set(g),
      ...at(grad), ...v.zero, ...v.store,
      ...op.get(B1), ...at(m), ...v.load, ...v.f32x4Mul, ...op.get(C1), ...op.get(g), ...v.f32x4Mul, ...v.f32x4Add, ...op.set(mv),
      ...op.get(B2), ...at(vel), ...v.load, ...v.f32x4Mul,
      ...op.get(C2), ...op.get(g), ...op.get(g), ...v.f32x4Mul, ...v.f32x4Mul, ...v.f32x4Add, ...op.set(vv),
      ...at(m), ...op.get(mv), ...v.store,
      ...at(vel), ...op.get(vv), ...v.store,
      // θ -= stepSize · m / (sqrt(v) · invSqrtBias2 + ε)
      ...at(theta),
      ...op.get(th),
      ...op.get(SS), ...op.get(mv), ...v.f32x4Mul,
      ...op.get(vv), ...v.f32x4Sqrt, ...op.get(ISB), ...v.f32x4Mul, ...op.get(EPS), ...v.f32x4Add,
      ...v.f32x4Div, ...v.f32x4Sub, ...v.store,
      // Σθ² in f64 lanes
      ...op.get(th), ...op.get(th), ...v.f32x4Mul, ...op.set(t2),
      ...op.get(sqlo), ...op.get(t2), ...v.f64x2PromoteLow, ...v.f64x2Add, ...op.set(sqlo),
      ...op.get(sqhi), ...op.get(t2), ...op.get(t2), ...v.swapHalves, ...v.f64x2PromoteLow, ...v.f64x2Add, ...op.set(sqhi),
    ]),
    ...op.get(sqlo), ...op.get(sqhi), ...v.f64x2Add, ...op.set(sqlo),
    ...op.get(sqlo), ...v.f64x2Lane(0), ...op.get(sqlo), ...v.f64x2Lane(1), ...op.f64Add,
  ];
}

let compiled: WasmModule | null | undefined;

/** The compiled kernels, or null where the engine has no WebAssembly SIMD. */
export function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  const wasm = webAssembly();
  const bytes = assembleModule([
    { name: 'dot_fwd', params: new Array(7).fill(I32), results: [], locals: [I32, I32, I32, I32, I32, I32, I32, V128, V128], body: dotForward() },
    { name: 'dot_bwd', params: new Array(9).fill(I32), results: [], locals: [I32, I32, I32, I32, I32, I32, I32, I32, F32, V128, I32, I32], body: dotBackward() },
    { name: 'adam', params: [...new Array(5).fill(I32), ...new Array(8).fill(F32)], results: [F64], locals: [I32, I32, ...new Array(15).fill(V128)], body: adamUpdate() },
  ]);
  compiled = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  return compiled;
}

/** The kernels' signatures; every pointer is a byte offset into the arena's memory. */
export interface KernelExports {
  dot_fwd(left: number, table: number, width: number, idx: number, batch: number, slots: number, out: number): void;
  dot_bwd(dy: number, left: number, table: number, width: number, idx: number, batch: number, slots: number, dLeft: number, tableGrad: number): void;
  adam(theta: number, grad: number, m: number, v: number, n: number, ...scalars: number[]): number;
}
