import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFloat16, encodeFloat16 } from '../../../libs/graph/src/mmrec/float16';
import { NpyWriter, readNpyMatrix, writeNpyMatrix } from '../../../libs/graph/src/mmrec/npy';
import { InputFileError } from '../../../libs/graph/src/errors';
import { tempDir } from '../../helpers/temp-dir';

const TIKTOK = path.resolve(__dirname, '../../../../shared/data/tiktok');

/** A .npy file from a header dict text and raw data bytes, padded like NumPy does. */
function npyBytes(dict: string, data: Buffer = Buffer.alloc(0), version = 1): Buffer {
  const lengthBytes = version === 1 ? 2 : 4;
  const unpadded = 8 + lengthBytes + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const header = Buffer.alloc(total, 0x20);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(header);
  if (version === 1) header.writeUInt16LE(total - 10, 8);
  else header.writeUInt32LE(total - 12, 8);
  header.write(dict, 8 + lengthBytes, 'latin1');
  header[total - 1] = 0x0a;
  return Buffer.concat([header, data]);
}

const f4 = (values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);
const f2 = (bits: number[]): Buffer => Buffer.from(new Uint16Array(bits).buffer);
const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('float16', () => {
  it('decodes zeros, subnormals, normals, the largest half and the infinities exactly', () => {
    expect(Object.is(decodeFloat16(0x0000), 0)).toBe(true);
    expect(Object.is(decodeFloat16(0x8000), -0)).toBe(true);
    expect(decodeFloat16(0x0001)).toBe(2 ** -24);
    expect(decodeFloat16(0x03ff)).toBe(1023 * 2 ** -24);
    expect(decodeFloat16(0x0400)).toBe(2 ** -14);
    expect(decodeFloat16(0x3c00)).toBe(1);
    expect(decodeFloat16(0xc000)).toBe(-2);
    expect(decodeFloat16(0x3555)).toBe(0.333251953125);
    expect(decodeFloat16(0x7bff)).toBe(65504);
    expect(decodeFloat16(0x7c00)).toBe(Infinity);
    expect(decodeFloat16(0xfc00)).toBe(-Infinity);
    expect(decodeFloat16(0x7e00)).toBeNaN();
    expect(decodeFloat16(0xfc01)).toBeNaN();
  });

  it('encodes every finite half float back to its own bits', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && encodeFloat16(decodeFloat16(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds half to even like Python struct.pack("<e")', () => {
    // Bits computed with CPython: struct.unpack('<H', struct.pack('<e', x))[0].
    const cases: Array<[number, number]> = [
      [0.1, 11878],
      [1 / 3, 13653],
      [-2.5e-5, 33187],
      [65519.99, 31743],
      [2 ** -25, 0],
      [3 * 2 ** -25, 2],
      [1e-8, 0],
      [1 + 2 ** -11, 15360],
      [1 + 3 * 2 ** -11, 15362],
      [3.14159, 16968],
      [-1234.5678, 58579],
      [6.1e-5, 1023],
    ];
    for (const [x, bits] of cases) expect([x, encodeFloat16(x)]).toEqual([x, bits]);
    expect(encodeFloat16(65520)).toBe(0x7c00);
    expect(encodeFloat16(-1e9)).toBe(0xfc00);
  });
});

describe('readNpyMatrix and writeNpyMatrix', () => {
  const tmp = tempDir('npy');
  afterAll(() => tmp.remove());

  it('round-trips float16, float32 and float64 matrices with their dtype and shape', async () => {
    const values = [0, -0.5, 1.25, 2 ** -24, -65504, 0.333251953125];
    for (const dtype of ['float16', 'float32', 'float64'] as const) {
      const file = path.join(tmp.dir, `${dtype}.npy`);
      await writeNpyMatrix(file, { rows: 2, cols: 3, dtype, data: values });
      const m = await readNpyMatrix(file);
      expect([m.rows, m.cols, m.dtype]).toEqual([2, 3, dtype]);
      expect(m.data).toBeInstanceOf(dtype === 'float64' ? Float64Array : Float32Array);
      expect(Array.from(m.data)).toEqual(values);
    }
  });

  it('writes a NumPy 1.0 header padded to a multiple of 64 bytes and keeps float64 values exactly', async () => {
    const file = path.join(tmp.dir, 'exact.npy');
    const values = [Math.PI, -1e-300, 1e300, 0.1];
    await writeNpyMatrix(file, { rows: 4, cols: 1, dtype: 'float64', data: values });
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('\x93NUMPY\x01\x00');
    // 10 + 59 + 1 bytes of preamble round up to 128, as NumPy writes it.
    expect(bytes.length).toBe(128 + 32);
    expect(bytes.readUInt16LE(8)).toBe(118);
    expect(bytes.subarray(10, 128).toString('latin1').trimEnd()).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 1), }");
    expect(bytes[127]).toBe(0x0a);
    expect(Array.from((await readNpyMatrix(file)).data)).toEqual(values);
  });

  it('rounds to the nearest float16 on write and refuses values beyond its range', async () => {
    const file = path.join(tmp.dir, 'round.npy');
    await writeNpyMatrix(file, { rows: 1, cols: 2, dtype: 'float16', data: [0.1, 1 / 3] });
    expect(Array.from((await readNpyMatrix(file)).data)).toEqual([decodeFloat16(11878), decodeFloat16(13653)]);
    await expect(writeNpyMatrix(file, { rows: 1, cols: 2, dtype: 'float16', data: [1, 70000] })).rejects.toThrow(
      /row 0, column 1: value 70000 cannot be written as a finite float16/,
    );
    await expect(writeNpyMatrix(file, { rows: 2, cols: 2, dtype: 'float32', data: [1, 2, NaN, 4] })).rejects.toThrow(/row 1, column 0: value NaN/);
    await expect(writeNpyMatrix(file, { rows: 2, cols: 2, dtype: 'float32', data: [1, 2, 3] })).rejects.toThrow(/3 values for shape \(2, 2\): expected 4/);
  });

  it('streams rows through NpyWriter and patches the row count into a fixed-width header', async () => {
    const file = path.join(tmp.dir, 'stream.npy');
    const writer = await NpyWriter.open(file, 'float32', 3);
    await writer.appendRows([1, 2, 3]);
    await writer.appendRows(new Float64Array([4, 5, 6, 7, 8, 9]));
    await expect(writer.appendRows([1, 2])).rejects.toThrow(/2 values are not whole rows of 3 columns/);
    expect(writer.rows).toBe(3);
    await writer.close();
    const m = await readNpyMatrix(file);
    expect([m.rows, m.cols, m.dtype]).toEqual([3, 3, 'float32']);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const header = readFileSync(file).subarray(0, 128).toString('latin1');
    expect(header).toMatch(/'shape': \(3, 3\), \} +\n/);
  });

  it('writes an empty matrix when NpyWriter gets no rows', async () => {
    const file = path.join(tmp.dir, 'empty.npy');
    const writer = await NpyWriter.open(file, 'float16', 4);
    await writer.close();
    const m = await readNpyMatrix(file);
    expect([m.rows, m.cols, m.data.length]).toEqual([0, 4, 0]);
  });

  it('reads format versions 2.0 and 3.0 and native byte order', async () => {
    for (const version of [2, 3]) {
      const file = tmp.write(`v${version}.npy`, npyBytes(dict('=f4', '(1, 2)'), f4([1.5, -2]), version));
      expect(Array.from((await readNpyMatrix(file)).data)).toEqual([1.5, -2]);
    }
  });

  (existsSync(path.join(TIKTOK, 'image_feat.npy')) ? it : it.skip)('decodes the TikTok visual features: 6710 x 128 float16', async () => {
    const m = await readNpyMatrix(path.join(TIKTOK, 'image_feat.npy'));
    expect([m.rows, m.cols, m.dtype]).toEqual([6710, 128, 'float16']);
    const at = (r: number, c: number) => m.data[r * 128 + c];
    // Reference values decoded independently with CPython's struct.unpack('<e', ...).
    expect(at(0, 0)).toBe(2.583984375);
    expect(at(0, 1)).toBe(0.95947265625);
    expect(at(0, 127)).toBe(2.224609375);
    expect(at(12, 3)).toBe(3.296875);
    expect(at(3355, 64)).toBe(2.59375);
    expect(at(6709, 127)).toBe(2.87890625);
    expect(at(100, 64)).toBe(3.510713577270508e-5); // a subnormal half (bits 0x024d)
    expect(at(4556, 84)).toBe(5.125999450683594e-5); // another subnormal (0x035c)
    let sum = 0;
    for (let k = 0; k < m.data.length; k++) sum += m.data[k];
    expect(sum).toBe(2309677.059724629); // float64 sum in row-major order, also from CPython
  });

  describe('refuses', () => {
    const refuse = async (name: string, content: Buffer, pattern: RegExp, location?: string) => {
      const file = tmp.write(name, content);
      const err = await readNpyMatrix(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputFileError);
      expect((err as InputFileError).code).toBe('BAD_USER_INPUT');
      expect((err as InputFileError).message).toMatch(pattern);
      expect((err as InputFileError).location).toBe(location);
      return err as InputFileError;
    };

    it('a file without the NumPy magic', async () => {
      const err = await refuse('magic.npy', Buffer.from('userID\titemID\n0\t1\n'), /not a NumPy \.npy file: the first bytes are 7573657249.*expected 934e554d5059/);
      expect(err.file).toBe('magic.npy');
      await refuse('empty.npy', Buffer.alloc(0), /first bytes are missing \(empty file\)/);
    });

    it('an unsupported format version', async () => {
      const bytes = npyBytes(dict('<f4', '(1, 1)'), f4([1]));
      bytes[6] = 4;
      await refuse('version.npy', bytes, /NumPy format version 4\.0 is not supported: expected 1\.0, 2\.0 or 3\.0/);
    });

    it('an unparsable header', async () => {
      await refuse('syntax.npy', npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1)"), /unparsable header .*expected ',' or '\}'.*expected a dict like/, 'header');
      await refuse('keys.npy', npyBytes("{'descr': '<f4', 'shape': (1, 1), }"), /unparsable header .*missing key fortran_order/, 'header');
      await refuse('shape-type.npy', npyBytes(dict('<f4', "'big'")), /shape is 'big', expected a tuple of non-negative integers/, 'header');
    });

    it('a header longer than the file', async () => {
      const bytes = npyBytes(dict('<f4', '(1, 1)'));
      await refuse('short-header.npy', bytes.subarray(0, 40), /truncated: the header says it is 118 bytes long, so data start at byte 128, but the file has only 40 bytes/);
    });

    it('an integer dtype, naming it and the supported ones', async () => {
      await refuse(
        'int.npy',
        npyBytes(dict('<i8', '(1, 1)'), Buffer.alloc(8)),
        /dtype '<i8' is not supported: expected float16, float32 or float64 \('<f2', '<f4', '<f8'\)/,
        'header',
      );
    });

    it('a big-endian float dtype and a structured dtype', async () => {
      await refuse('big.npy', npyBytes(dict('>f4', '(1, 1)'), Buffer.alloc(4)), /dtype '>f4' is not supported \(big-endian\)/, 'header');
      await refuse('structured.npy', npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(4)), /structured dtype/, 'header');
    });

    it('fortran_order True', async () => {
      await refuse('fortran.npy', npyBytes(dict('<f4', '(1, 2)', 'True'), f4([1, 2])), /fortran_order is True \(column-major\): expected False/, 'header');
    });

    it('a shape that is not 2-D', async () => {
      await refuse('one-d.npy', npyBytes(dict('<f4', '(3,)'), f4([1, 2, 3])), /shape \(3,\) has 1 dimension: expected 2 \(rows, columns\)/, 'header');
      await refuse('three-d.npy', npyBytes(dict('<f4', '(1, 1, 2)'), f4([1, 2])), /shape \(1, 1, 2\) has 3 dimensions: expected 2/, 'header');
    });

    it('a truncated data block, with the bytes expected and found', async () => {
      await refuse(
        'truncated.npy',
        npyBytes(dict('<f2', '(3, 2)'), f2([0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00])),
        /truncated: expected 12 bytes of data \(3 rows x 2 columns x 2 bytes\) after the 128-byte header, found 10/,
      );
    });

    it('trailing bytes after the data', async () => {
      await refuse('trailing.npy', npyBytes(dict('<f4', '(1, 2)'), f4([1, 2, 3])), /4 trailing bytes: expected 8 bytes of data .* found 12/);
    });

    it('NaN and infinities, naming the row and column', async () => {
      await refuse('nan16.npy', npyBytes(dict('<f2', '(2, 3)'), f2([0, 0, 0, 0, 0x7e00, 0])), /row 1, column 1: value is NaN: expected a finite number/, 'row 1, column 1');
      await refuse('inf16.npy', npyBytes(dict('<f2', '(2, 2)'), f2([0, 0xfc00, 0, 0])), /value is -Infinity/, 'row 0, column 1');
      await refuse('inf32.npy', npyBytes(dict('<f4', '(2, 2)'), f4([0, 0, 0, Infinity])), /value is Infinity/, 'row 1, column 1');
      const f8 = Buffer.from(new Float64Array([1, NaN]).buffer);
      await refuse('nan64.npy', npyBytes(dict('<f8', '(1, 2)'), f8), /value is NaN/, 'row 0, column 1');
    });

    it('a file that does not exist', async () => {
      await expect(readNpyMatrix(path.join(tmp.dir, 'absent.npy'))).rejects.toThrow(/absent\.npy: cannot read .*no such file/);
    });
  });
});
