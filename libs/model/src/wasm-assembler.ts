// A minimal WebAssembly binary writer (spec 2.0 with fixed-width SIMD), enough for the few loops of
// simd-kernels.ts: no toolchain is needed at build time and the bytes are validated by the engine at load.

export type Bytes = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const name = (s: string): Bytes => vec([...new TextEncoder().encode(s)].map((b) => [b]));
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];

/** Core instructions used by the kernels. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  get: (local: number): Bytes => [0x20, ...uleb(local)],
  set: (local: number): Bytes => [0x21, ...uleb(local)],
  i32: (value: number): Bytes => [0x41, ...sleb(value)],
  f32: (value: number): Bytes => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)],
  i32Load: [0x28, 2, 0], // align 2^2, offset 0
  f32Load: [0x2a, 2, 0],
  f32Store: [0x38, 2, 0],
  i32Eqz: [0x45],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  f32Ne: [0x5c],
  f32Add: [0x92],
  f64Add: [0xa0],
};

const simd = (code: number): Bytes => [0xfd, ...uleb(code)];

/** Fixed-width SIMD instructions used by the kernels. */
export const v = {
  load: [...simd(0x00), 4, 0], // align 2^4, offset 0 (unaligned addresses are allowed)
  loadAt: (offset: number): Bytes => [...simd(0x00), 4, ...uleb(offset)],
  store: [...simd(0x0b), 4, 0],
  zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  /** Swaps the two 64-bit halves of a vector (both operands the same vector). */
  swapHalves: [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7],
  f32x4Splat: simd(0x13),
  f32x4Lane: (lane: number): Bytes => [...simd(0x1f), lane],
  f64x2Lane: (lane: number): Bytes => [...simd(0x21), lane],
  f64x2PromoteLow: simd(0x5f),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f64x2Add: simd(0xf0),
};

/** for (i = from; i < end; i += step) body: `i` and `end` are locals; `end` is read on every test. */
export function forLoop(i: number, from: Bytes, end: number, step: number, body: Bytes): Bytes {
  return [
    ...from,
    ...op.set(i),
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...op.get(end),
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32(step),
    ...op.i32Add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

export interface FunctionSpec {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals after the parameters, by type. */
  locals: number[];
  body: Bytes;
}

/** A module importing its memory as env.memory and exporting `functions`. */
export function assembleModule(functions: FunctionSpec[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]]);
  const funcs = vec(functions.map((_, k) => uleb(k)));
  const exported = vec(functions.map((f, k) => [...name(f.name), 0x00, ...uleb(k)]));
  const code = vec(
    functions.map((f) => {
      const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, ...op.end];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exported),
    ...section(10, code),
  ]);
}

/** The part of the WebAssembly JS API used here (TypeScript declares it only in lib.dom). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export type WasmModule = object;
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** The engine's WebAssembly API, or undefined where there is none. */
export function webAssembly(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}
