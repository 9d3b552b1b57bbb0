// IEEE 754 binary16 (NumPy 'f2') to and from JavaScript numbers, exactly: every half float is a float32,
// so decoding goes through a 65,536-entry table; encoding rounds half to even, as NumPy does.

const EXPONENT_MASK = 0x7c00;

/** Value of the half float with these 16 bits (subnormals, ±0, ±Infinity and NaN included). */
export function decodeFloat16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits & EXPONENT_MASK) >> 10;
  const fraction = bits & 0x03ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal or zero: 0.fraction × 2^-14
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25); // 1.fraction × 2^(exponent − 15)
}

/** True when the half float is NaN or ±Infinity (all exponent bits set). */
export function isNonFiniteFloat16(bits: number): boolean {
  return (bits & EXPONENT_MASK) === EXPONENT_MASK;
}

let table: Float32Array | undefined;

/** All 65,536 half floats by bit pattern: 256 KiB, built once on first use. */
export function float16Table(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = decodeFloat16(bits);
  }
  return table;
}

/** Bits of the half float nearest to `value` (ties to even); overflow gives ±Infinity, NaN gives 0x7e00. */
export function encodeFloat16(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  // 65520 is halfway between the largest half (65504) and 2^16: ties to even round it up to Infinity.
  if (abs >= 65520) return sign | EXPONENT_MASK;
  if (abs < 2 ** -14) return sign | roundHalfEven(abs * 2 ** 24); // subnormal; 1024 is the smallest normal
  let exponent = Math.floor(Math.log2(abs));
  // log2 may be off by one near powers of two: correct it so that 2^e <= abs < 2^(e+1).
  if (2 ** exponent > abs) exponent -= 1;
  else if (2 ** (exponent + 1) <= abs) exponent += 1;
  let significand = roundHalfEven(abs * 2 ** (10 - exponent)); // in [1024, 2048]
  if (significand === 2048) {
    significand = 1024;
    exponent += 1;
  }
  if (exponent > 15) return sign | EXPONENT_MASK;
  return sign | ((exponent + 15) << 10) | (significand - 1024);
}

/** Scaling by a power of two is exact, so this is the exact round-half-to-even of a double. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
