// The shape of the product team's log from issue 14, regenerated: 49,504 events of 3,000 users over three months,
// 217 of them re-watches of a pair a month later, ratings, times, an extra column, and three modalities of
// different widths and dtypes keyed by string item ids (a .npy with an id file, a CSV, a Parquet file), some
// items without a modality (no row, an empty row, a NaN row).
import path from 'node:path';
import { writeNpyMatrix } from '../../libs/graph/src/mmrec/npy';
import { Prng } from '../../libs/graph/src/mmrec/prng';
import { writeParquet } from './parquet-file';
import { tempDir } from './temp-dir';

export const LOG_USERS = 3000;
export const LOG_REPEATS = 217;
export const LOG_EVENTS = 49_504;
const ITEMS = 1500;
const START = Date.UTC(2026, 0, 1) / 1000;
const DAY = 86_400;

export interface EventLog {
  dir: string;
  csv: string;
  parquet: string;
  /** --features and --item-ids flags for the three modalities. */
  featureFlags: string[];
  /** Distinct items in the log. */
  items: number;
  absent: { visual: number; acoustic: number; textual: number };
  remove(): void;
}

export async function writeEventLog(): Promise<EventLog> {
  const rng = new Prng(14);
  const tmp = tempDir('event-log');
  const distinct = LOG_EVENTS - LOG_REPEATS; // 49,287: users 0..1286 get 17 items, the others 16
  const rows: { user: string; item: number; t: number; stars: number | null; device: string }[] = [];
  for (let u = 0; u < LOG_USERS; u++) {
    const n = u < distinct - 16 * LOG_USERS ? 17 : 16;
    const seen = new Set<number>();
    while (seen.size < n) seen.add(Math.floor(ITEMS * rng.next() ** 2)); // skewed popularity
    for (const item of seen) {
      // the first two months, so that a re-watch a month later stays in the three
      rows.push({ user: `u${String(u).padStart(4, '0')}`, item, t: START + rng.nextInt(59 * DAY), stars: rng.nextInt(10) === 0 ? null : 1 + rng.nextInt(5), device: ['phone', 'tv', 'web'][rng.nextInt(3)] });
    }
  }
  for (let k = 0; k < LOG_REPEATS; k++) {
    const first = rows[Math.floor((k * distinct) / LOG_REPEATS)];
    rows.push({ ...first, t: first.t + 30 * DAY + rng.nextInt(DAY), stars: 1 + rng.nextInt(5) });
  }
  // shuffled, so a re-watch may come before the watch it repeats
  for (let k = rows.length - 1; k > 0; k--) {
    const j = rng.nextInt(k + 1);
    [rows[k], rows[j]] = [rows[j], rows[k]];
  }
  const itemId = (i: number) => `vid-${String(i).padStart(5, '0')}`;
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const csv = tmp.write('events.csv', ['user_id,video_id,watched_at,stars,device', ...rows.map((r) => `${r.user},${itemId(r.item)},${iso(r.t)},${r.stars ?? ''},${r.device}`)].join('\n') + '\n');
  const parquet = path.join(tmp.dir, 'events.parquet');
  writeParquet(parquet, [
    { name: 'user_id', type: 'STRING', data: rows.map((r) => r.user) },
    { name: 'video_id', type: 'STRING', data: rows.map((r) => itemId(r.item)) },
    { name: 'watched_at', type: 'INT64', data: rows.map((r) => r.t) },
    { name: 'stars', type: 'DOUBLE', data: rows.map((r) => r.stars) },
    { name: 'device', type: 'STRING', data: rows.map((r) => r.device) },
  ], 20_000);

  const items = [...new Set(rows.map((r) => r.item))].sort((a, b) => a - b);
  // visual: float16 .npy, width 32, no row for the first 20 items of the log, rows in reverse order
  const visualItems = items.slice(20).reverse();
  await writeNpyMatrix(path.join(tmp.dir, 'visual.npy'), { rows: visualItems.length, cols: 32, dtype: 'float16', data: Float32Array.from({ length: visualItems.length * 32 }, () => Math.round(rng.nextNormal() * 100) / 100) });
  tmp.write('visual-ids.txt', visualItems.map(itemId).join('\n') + '\n');
  // acoustic: CSV, width 12, an empty row for 15 items, and rows for 5 items nobody watched
  const acoustic = ['item,' + Array.from({ length: 12 }, (_, c) => `a${c}`).join(',')];
  items.forEach((i, k) => acoustic.push(`${itemId(i)},${k % 100 === 7 ? ','.repeat(11) : Array.from({ length: 12 }, () => (rng.next() * 2 - 1).toFixed(4)).join(',')}`));
  for (let k = 0; k < 5; k++) acoustic.push(`unwatched-${k},${Array.from({ length: 12 }, () => '0.5').join(',')}`);
  tmp.write('acoustic.csv', acoustic.join('\n') + '\n');
  // textual: Parquet, width 48 doubles, a NaN row for every 150th item
  const textual: { name: string; type: 'STRING' | 'DOUBLE'; data: (string | number)[] }[] = [{ name: 'item', type: 'STRING', data: items.map(itemId) }];
  for (let c = 0; c < 48; c++) textual.push({ name: `t${c}`, type: 'DOUBLE', data: items.map((_, k) => (k % 150 === 3 ? Number.NaN : rng.nextNormal())) });
  writeParquet(path.join(tmp.dir, 'textual.parquet'), textual);

  return {
    dir: tmp.dir,
    csv,
    parquet,
    featureFlags: [
      '--features', `visual=${path.join(tmp.dir, 'visual.npy')}`, '--item-ids', `visual=${path.join(tmp.dir, 'visual-ids.txt')}`,
      '--features', `acoustic=${path.join(tmp.dir, 'acoustic.csv')}`,
      '--features', `textual=${path.join(tmp.dir, 'textual.parquet')}`,
    ],
    items: items.length,
    absent: { visual: 20, acoustic: items.filter((_, k) => k % 100 === 7).length, textual: items.filter((_, k) => k % 150 === 3).length },
    remove: tmp.remove,
  };
}
