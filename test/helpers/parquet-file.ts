// Writes small Parquet files for tests with hyparquet-writer. It is an ES module, which jest's CommonJS runtime
// cannot load, so a plain node process (which can require it) writes the file.
import { spawnSync } from 'node:child_process';

export interface ParquetColumn {
  name: string;
  type: 'STRING' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE';
  /** NaN is written as NaN (not null); null is a missing value. */
  data: (string | number | null)[];
}

const SCRIPT = `
const { parquetWriteFile } = require('hyparquet-writer');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { file, columns, rowGroupSize } = JSON.parse(input);
  const columnData = columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: c.data.includes(null),
    data: c.data.map((v) => (v === 'NaN' ? NaN : v === null ? null : c.type === 'INT64' ? BigInt(v) : v)),
  }));
  parquetWriteFile({ filename: file, columnData, rowGroupSize });
});`;

export function writeParquet(file: string, columns: ParquetColumn[], rowGroupSize = 10_000): void {
  const input = JSON.stringify({ file, rowGroupSize, columns: columns.map((c) => ({ ...c, data: c.data.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)) })) });
  const run = spawnSync(process.execPath, ['-e', SCRIPT], { input, cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`writing ${file} failed: ${run.stderr}`);
}
