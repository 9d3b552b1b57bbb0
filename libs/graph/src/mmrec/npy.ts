// Reading and writing 2-D float matrices in NumPy's .npy format (the MMRec feature files, row i = item i).
// Reading refuses anything it cannot decode exactly and names what it found; writing emits version 1.0.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraphError, InputFileError } from '../errors';
import { encodeFloat16, float16Table, isNonFiniteFloat16 } from './float16';
import { formatNpyHeader, formatShape, parseNpyHeader } from './npy-header';

export type NpyDtype = 'float16' | 'float32' | 'float64';

/** A row-major matrix; float16 is decoded exactly into a Float32Array, float64 stays a Float64Array. */
export interface NpyMatrix {
  rows: number;
  cols: number;
  dtype: NpyDtype;
  data: Float32Array | Float64Array;
}

const ITEM_SIZE: Record<NpyDtype, number> = { float16: 2, float32: 4, float64: 8 };
const DESCR: Record<NpyDtype, string> = { float16: '<f2', float32: '<f4', float64: '<f8' };
const LITTLE_ENDIAN = os.endianness() === 'LE';
const SUPPORTED = "expected float16, float32 or float64 ('<f2', '<f4', '<f8')";

function dtypeOf(file: string, descr: string): NpyDtype {
  // '=' is native order, which is little-endian on every host we accept it on.
  const match = /^([<=])f([248])$/.exec(descr);
  if (match && (match[1] === '<' || LITTLE_ENDIAN)) return match[2] === '2' ? 'float16' : match[2] === '4' ? 'float32' : 'float64';
  const bigEndian = /^>f[248]$/.test(descr) || (!LITTLE_ENDIAN && /^=f[248]$/.test(descr));
  throw new InputFileError(file, 'header', `dtype '${descr}' is not supported${bigEndian ? ' (big-endian)' : ''}: ${SUPPORTED}`);
}

/**
 * Reads a whole .npy file holding a finite 2-D float matrix in C order. Row and column numbers in errors
 * are 0-based, as NumPy counts them (row i = item i).
 */
export async function readNpyMatrix(file: string, options: { nanRows?: boolean } = {}): Promise<NpyMatrix> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new InputFileError(name, undefined, `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : 'it is a folder'}`);
    }
    throw err;
  }
  const header = parseNpyHeader(name, bytes);
  const dtype = dtypeOf(name, header.descr);
  if (header.fortranOrder) {
    throw new InputFileError(name, 'header', 'fortran_order is True (column-major): expected False (C order, row-major); save with numpy.ascontiguousarray');
  }
  if (header.shape.length !== 2) {
    throw new InputFileError(
      name,
      'header',
      `shape ${formatShape(header.shape)} has ${header.shape.length} dimension${header.shape.length === 1 ? '' : 's'}: expected 2 (rows, columns)`,
    );
  }
  const [rows, cols] = header.shape;
  const itemSize = ITEM_SIZE[dtype];
  const expected = rows * cols * itemSize;
  const found = bytes.length - header.dataOffset;
  if (found !== expected) {
    const what = `${rows} rows x ${cols} columns x ${itemSize} bytes`;
    throw new InputFileError(
      name,
      undefined,
      found < expected
        ? `truncated: expected ${expected} bytes of data (${what}) after the ${header.dataOffset}-byte header, found ${found}`
        : `${found - expected} trailing bytes: expected ${expected} bytes of data (${what}) after the ${header.dataOffset}-byte header, found ${found}`,
    );
  }
  const data = decode(name, bytes, header.dataOffset, rows * cols, cols, dtype, options.nanRows ?? false);
  if (options.nanRows) checkNanRows(name, data, rows, cols);
  return { rows, cols, dtype, data };
}

/** With keyed features an all-NaN row means "this item lacks the modality"; a row NaN only in part is an error. */
function checkNanRows(file: string, data: Float32Array | Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const nan = Number.isNaN(data[r * cols]);
    for (let c = 1; c < cols; c++) {
      if (Number.isNaN(data[r * cols + c]) !== nan) {
        throw new InputFileError(file, `row ${r}, column ${c}`, 'NaN in part of the row: expected finite numbers, or NaN in every column for an item without this modality');
      }
    }
  }
}

function decode(file: string, bytes: Buffer, offset: number, count: number, cols: number, dtype: NpyDtype, nanRows = false): Float32Array | Float64Array {
  const nonFinite = (k: number, value: number): void => {
    if (nanRows && Number.isNaN(value)) return;
    throw new InputFileError(file, `row ${Math.floor(k / cols)}, column ${k % cols}`, `value is ${value}: expected a finite number`);
  };
  if (dtype === 'float16') {
    const table = float16Table();
    const out = new Float32Array(count);
    for (let k = 0, p = offset; k < count; k++, p += 2) {
      const bits = bytes[p] | (bytes[p + 1] << 8);
      if (isNonFiniteFloat16(bits)) nonFinite(k, table[bits]);
      out[k] = table[bits];
    }
    return out;
  }
  const itemSize = ITEM_SIZE[dtype];
  const start = bytes.byteOffset + offset;
  let out: Float32Array | Float64Array;
  if (LITTLE_ENDIAN && start % itemSize === 0) {
    // A view on the file's buffer, no copy (NumPy aligns data to 64 bytes, so this is the usual case).
    out = dtype === 'float32' ? new Float32Array(bytes.buffer, start, count) : new Float64Array(bytes.buffer, start, count);
  } else {
    const view = new DataView(bytes.buffer, start, count * itemSize);
    out = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = dtype === 'float32' ? view.getFloat32(4 * k, true) : view.getFloat64(8 * k, true);
  }
  for (let k = 0; k < count; k++) if (!Number.isFinite(out[k])) nonFinite(k, out[k]);
  return out;
}

/** Encodes row-major values as little-endian floats; refuses values the file could not hold as finite numbers. */
function encode(file: string, values: ArrayLike<number>, dtype: NpyDtype, cols: number, firstRow: number): Buffer {
  const itemSize = ITEM_SIZE[dtype];
  const out = Buffer.allocUnsafe(values.length * itemSize);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const ok = Number.isFinite(v) && (dtype !== 'float16' || Math.abs(v) < 65520) && (dtype !== 'float32' || Number.isFinite(Math.fround(v)));
    if (!ok) {
      throw new GraphError(
        'BAD_USER_INPUT',
        `${file}, row ${firstRow + Math.floor(k / cols)}, column ${k % cols}: value ${v} cannot be written as a finite ${dtype}`,
      );
    }
    if (dtype === 'float16') view.setUint16(2 * k, encodeFloat16(v), true);
    else if (dtype === 'float32') view.setFloat32(4 * k, v, true);
    else view.setFloat64(8 * k, v, true);
  }
  return out;
}

function checkShape(file: string, rows: number, cols: number, length: number): void {
  if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 0) {
    throw new GraphError('BAD_USER_INPUT', `${file}: shape (${rows}, ${cols}) is not valid: expected non-negative integers`);
  }
  if (length !== rows * cols) {
    throw new GraphError('BAD_USER_INPUT', `${file}: ${length} values for shape (${rows}, ${cols}): expected ${rows * cols}`);
  }
}

/** Writes a whole matrix (row-major values) as a version 1.0 .npy file in C order. */
export async function writeNpyMatrix(
  file: string,
  m: { rows: number; cols: number; dtype: NpyDtype; data: ArrayLike<number> },
): Promise<void> {
  checkShape(file, m.rows, m.cols, m.data.length);
  const header = formatNpyHeader(DESCR[m.dtype], [m.rows, m.cols]);
  const body = encode(file, m.data, m.dtype, m.cols, 0);
  await fs.writeFile(file, Buffer.concat([header, body]));
}

/** Room for any row count up to 2^53 in the header, so that close() can rewrite it in place. */
const ROWS_PLACEHOLDER = 9_007_199_254_740_991;

/**
 * Writes a matrix row by row without holding it: the header is written first with a fixed, padded
 * length and close() patches the final row count into it.
 */
export class NpyWriter {
  private rowCount = 0;
  private position: number;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    readonly dtype: NpyDtype,
    readonly cols: number,
    private readonly headerLength: number,
  ) {
    this.position = headerLength;
  }

  static async open(file: string, dtype: NpyDtype, cols: number): Promise<NpyWriter> {
    checkShape(file, 0, cols, 0);
    if (!(dtype in DESCR)) throw new GraphError('BAD_USER_INPUT', `${file}: dtype '${String(dtype)}' is not supported: ${SUPPORTED}`);
    const header = formatNpyHeader(DESCR[dtype], [ROWS_PLACEHOLDER, cols]);
    const handle = await fs.open(file, 'w');
    try {
      await handle.write(header, 0, header.length, 0);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new NpyWriter(handle, file, dtype, cols, header.length);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Appends whole rows: `values.length` must be a multiple of `cols`. */
  async appendRows(values: ArrayLike<number>): Promise<void> {
    if (this.closed) throw new GraphError('INTERNAL', `${this.file}: appendRows after close`);
    const rows = this.cols === 0 ? 0 : values.length / this.cols;
    if (!Number.isInteger(rows)) {
      throw new GraphError('BAD_USER_INPUT', `${this.file}: ${values.length} values are not whole rows of ${this.cols} columns`);
    }
    const body = encode(this.file, values, this.dtype, this.cols, this.rowCount);
    await this.handle.write(body, 0, body.length, this.position);
    this.position += body.length;
    this.rowCount += rows;
  }

  /** Writes the final row count into the header and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      const header = formatNpyHeader(DESCR[this.dtype], [this.rowCount, this.cols], this.headerLength);
      await this.handle.write(header, 0, header.length, 0);
    } finally {
      await this.handle.close();
    }
  }
}
