// The preamble of a NumPy .npy file (format versions 1.0, 2.0, 3.0): magic, version, header length and a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), } padded with spaces.
import { InputFileError } from '../errors';

export const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** NumPy pads the preamble to a multiple of 64 bytes so that the data that follows is aligned. */
export const NPY_ALIGN = 64;

export interface NpyHeader {
  /** Data type string, e.g. '<f2'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Bytes from the start of the file to the first data byte. */
  dataOffset: number;
}

/** Parses the preamble at the start of `bytes`; refuses anything that is not a readable .npy header. */
export function parseNpyHeader(file: string, bytes: Uint8Array): NpyHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(NPY_MAGIC)) {
    const first = buf.subarray(0, 6);
    throw new InputFileError(
      file,
      undefined,
      `not a NumPy .npy file: the first bytes are ${first.length === 0 ? 'missing (empty file)' : `${first.toString('hex')} (${JSON.stringify(first.toString('latin1'))})`}, expected 934e554d5059 ("\\x93NUMPY")`,
    );
  }
  const major = buf[6];
  const minor = buf[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new InputFileError(file, undefined, `NumPy format version ${major}.${minor} is not supported: expected 1.0, 2.0 or 3.0`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (buf.length < 8 + lengthBytes) {
    throw new InputFileError(file, undefined, `truncated: the file ends inside the header length field (${buf.length} bytes)`);
  }
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (buf.length < dataOffset) {
    throw new InputFileError(
      file,
      undefined,
      `truncated: the header says it is ${headerLength} bytes long, so data start at byte ${dataOffset}, but the file has only ${buf.length} bytes`,
    );
  }
  const text = buf.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthBytes, dataOffset);
  let dict: Map<string, PyValue>;
  try {
    dict = new PyLiteralParser(text).parseDict();
  } catch (err) {
    throw unparsable(file, text, (err as Error).message);
  }
  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined || fortranOrder === undefined || shape === undefined) {
    const missing = ['descr', 'fortran_order', 'shape'].filter((k) => !dict.has(k));
    throw unparsable(file, text, `missing key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  if (Array.isArray(descr)) {
    throw new InputFileError(file, 'header', `a structured dtype (descr is a list) is not supported: expected float16, float32 or float64 ('<f2', '<f4', '<f8')`);
  }
  if (typeof descr !== 'string') throw unparsable(file, text, `descr is ${String(descr)}, expected a dtype string like '<f4'`);
  if (typeof fortranOrder !== 'boolean') throw unparsable(file, text, `fortran_order is ${String(fortranOrder)}, expected True or False`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw unparsable(file, text, `shape is ${formatPy(shape)}, expected a tuple of non-negative integers`);
  }
  return { descr, fortranOrder, shape: shape as number[], dataOffset };
}

function unparsable(file: string, text: string, why: string): InputFileError {
  const shown = text.trimEnd();
  return new InputFileError(
    file,
    'header',
    `unparsable header ${JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}...` : shown)}: ${why}; expected a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }`,
  );
}

/**
 * The whole preamble for a C-order array, version 1.0, padded with spaces to `totalLength` bytes
 * (at least the next multiple of 64). NpyWriter reserves a fixed length and rewrites the row count later.
 */
export function formatNpyHeader(descr: string, shape: number[], totalLength = 0): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const minimum = Math.ceil((10 + dict.length + 1) / NPY_ALIGN) * NPY_ALIGN;
  const total = Math.max(minimum, totalLength);
  if (total - 10 > 0xffff) throw new RangeError(`an .npy version 1.0 header cannot be ${total} bytes long`);
  const out = Buffer.alloc(total, 0x20);
  NPY_MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(total - 10, 8);
  out.write(dict, 10, 'latin1');
  out[total - 1] = 0x0a; // '\n' ends the header
  return out;
}

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** Just enough of Python's literal syntax for .npy headers: dicts, tuples, lists, strings, ints, True/False/None. */
class PyLiteralParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDict(): Map<string, PyValue> {
    this.skipSpace();
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail(`unexpected ${JSON.stringify(this.text[this.pos])} after the dict`);
    if (!(value instanceof Map)) this.fail('the header is not a dict');
    return value as Map<string, PyValue>;
  }

  private parseValue(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.parseMapping();
    if (c === '(') return this.parseSequence(')');
    if (c === '[') return this.parseSequence(']');
    if (c === "'" || c === '"') return this.parseString();
    const word = /^(?:-?\d+L?|True|False|None)/.exec(this.text.slice(this.pos));
    if (!word) this.fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)} at offset ${this.pos}`);
    this.pos += word![0].length;
    if (word![0] === 'True') return true;
    if (word![0] === 'False') return false;
    if (word![0] === 'None') return null;
    return Number(word![0].replace('L', '')); // Python 2 wrote long ints as 6710L
  }

  private parseMapping(): Map<string, PyValue> {
    const map = new Map<string, PyValue>();
    this.pos += 1;
    for (;;) {
      this.skipSpace();
      if (this.eat('}')) return map;
      const key = this.parseValue();
      if (typeof key !== 'string') this.fail(`dict key ${formatPy(key)} is not a string`);
      this.skipSpace();
      if (!this.eat(':')) this.fail(`expected ':' after key '${key as string}'`);
      if (map.has(key as string)) this.fail(`key '${key as string}' appears twice`);
      map.set(key as string, this.parseValue());
      this.skipSpace();
      if (!this.eat(',')) {
        this.skipSpace();
        if (!this.eat('}')) this.fail(`expected ',' or '}' at offset ${this.pos}`);
        return map;
      }
    }
  }

  private parseSequence(close: string): PyValue[] {
    const items: PyValue[] = [];
    this.pos += 1;
    for (;;) {
      this.skipSpace();
      if (this.eat(close)) return items;
      items.push(this.parseValue());
      this.skipSpace();
      if (!this.eat(',')) {
        this.skipSpace();
        if (!this.eat(close)) this.fail(`expected ',' or '${close}' at offset ${this.pos}`);
        return items;
      }
    }
  }

  private parseString(): string {
    const quote = this.text[this.pos];
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('unterminated string');
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos += 1;
  }

  private eat(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos += 1;
    return true;
  }

  private fail(why: string): never {
    throw new Error(why);
  }
}

function formatPy(v: PyValue | undefined): string {
  if (Array.isArray(v)) return `(${v.map(formatPy).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'string') return `'${v}'`;
  if (v instanceof Map) return 'a dict';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return String(v);
}

/** The shape as Python prints it: (6710, 128) or (6710,). */
export function formatShape(shape: number[]): string {
  return formatPy(shape);
}
