// The zoo: generated datasets of different shapes that every default is checked against (issue: defaults must hold
// on data never seen). Each starts from `eior generate`'s generator and is then reshaped the way real data differs:
// sparse users, dense users, one modality, modalities of other widths and dtypes with a pure-noise one, a modality
// missing for some items (all-zero rows), string user ids; all with users whose taste goes beyond the content
// (`ZOO_LATENT`). Files are written in the MMRec layout `eior ingest` reads.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDataset, readNpyMatrix, validateGenerateConfig, writeNpyMatrix, type GeneratedTruth, type GenerateConfig, type NpyDtype } from '@eior/graph';

export interface ZooDataset {
  name: string;
  /** What shape of real data it stands for. */
  about: string;
  generate: Partial<GenerateConfig>;
  /** Changes the generated files in `dir` (seeded by `seed`). */
  reshape?: (dir: string, seed: number) => Promise<void>;
}

/**
 * What every shape shares: users with latent factors the features do not show (README "Generated data", ζ and L),
 * matched with weight 6 over 4 dimensions. Fitted like the popularity prior, to TikTok: there trained ID-only models
 * are about 1.7 times a popularity list (test Recall@20 0.10 against 0.060), and at these settings the generating
 * process is 1.65 to 1.76 times popularity on validation NDCG@20 (`bench:ceiling`, zoo-sparse and zoo-dense, seed 1).
 * Without it (ζ 0) the users follow popularity so closely that even the process itself, with each user's taste
 * estimated from their train items, stays within 3 % of a popularity list (docs/benchmarks/quality.md).
 */
export const ZOO_LATENT: Partial<GenerateConfig> = { latentStrength: 6, latentDims: 4 };

const SHAPES: readonly ZooDataset[] = [
  { name: 'zoo-sparse', about: '3,000 users, 2,000 items, about 10 train interactions a user, three modalities', generate: { users: 3000, items: 2000, interactions: 42000, modalities: 3 } },
  { name: 'zoo-dense', about: '1,000 users, 500 items, about 43 train interactions a user', generate: { users: 1000, items: 500, interactions: 60000, modalities: 2 } },
  {
    name: 'zoo-flat-popularity',
    about: 'popularity nearly flat (Zipf s 0.3) and strong personal taste (τ 3): what a popularity list misses',
    generate: { users: 3000, items: 2000, interactions: 42000, modalities: 3, popularityExponent: 0.3, tasteStrength: 3 },
  },
  { name: 'zoo-one-modality', about: 'the default shape with images only', generate: { modalities: 1 } },
  {
    name: 'zoo-wide-mixed',
    about: 'image 512 wide float64, audio 16 wide float16, and text 128 wide float32 of pure noise',
    generate: { modalities: 2 },
    reshape: async (dir, seed) => {
      await rewidth(path.join(dir, 'image_feat.npy'), 512, 'float64', seed);
      await rewidth(path.join(dir, 'audio_feat.npy'), 16, 'float16', seed + 1);
      // the third modality (MMRec's names are image, audio and text) carries nothing: pure noise
      const rows = (await readNpyMatrix(path.join(dir, 'image_feat.npy'))).rows;
      await writeNpyMatrix(path.join(dir, 'text_feat.npy'), { rows, cols: 128, dtype: 'float32', data: normals(rows * 128, seed + 2) });
    },
  },
  {
    name: 'zoo-missing-rows',
    about: 'the default shape with the audio of 30 % of items missing (all-zero rows)',
    generate: { modalities: 2 },
    reshape: async (dir, seed) => {
      const file = path.join(dir, 'audio_feat.npy');
      const m = await readNpyMatrix(file);
      const rng = lcg(seed);
      for (let r = 0; r < m.rows; r++) if (rng() < 0.3) m.data.fill(0, r * m.cols, (r + 1) * m.cols);
      await writeNpyMatrix(file, m);
    },
  },
  {
    name: 'zoo-string-ids',
    about: 'the default shape with user ids that are strings',
    generate: { modalities: 2 },
    reshape: async (dir) => {
      const file = readdirSync(dir).find((f) => f.endsWith('.inter'))!;
      const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
      const out = lines.map((line, n) => {
        if (n === 0 || line === '') return line;
        const tab = line.indexOf('\t');
        return `user-${(Number(line.slice(0, tab)) * 7919).toString(36)}${line.slice(tab)}`;
      });
      writeFileSync(path.join(dir, file), out.join('\n'));
    },
  },
];

export const ZOO: readonly ZooDataset[] = SHAPES.map((z) => ({ ...z, generate: { ...ZOO_LATENT, ...z.generate } }));

/**
 * Writes the dataset's files into `dir` (once: a folder that has them is kept when its truth.json records the same
 * generator settings, and refused when it records others, whose data the graph may already hold under this name).
 */
export async function makeZooDataset(z: ZooDataset, dir: string, seed: number): Promise<void> {
  const wanted = validateGenerateConfig({ ...z.generate, name: z.name, seed });
  if (existsSync(path.join(dir, `${z.name}.inter`))) {
    const made = (JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as GeneratedTruth).config;
    const differ = (Object.keys(wanted) as (keyof GenerateConfig)[]).filter((k) => made[k] !== wanted[k]);
    if (differ.length > 0) {
      const settings = differ.map((k) => `${k} ${made[k]} instead of ${wanted[k]}`).join(', ');
      throw new Error(`${dir} holds ${z.name} generated with other settings (${settings}): use another EIOR_HOME or remove the folder`);
    }
    return;
  }
  await generateDataset(dir, wanted);
  await z.reshape?.(dir, seed);
}

/** Keeps the first `min(cols, width)` columns (narrowing drops the planted ones past it), fills the rest with N(0, 1) noise, in `dtype`. */
async function rewidth(file: string, width: number, dtype: NpyDtype, seed: number): Promise<void> {
  const m = await readNpyMatrix(file);
  const noise = normals(m.rows * width, seed);
  const data = new Float64Array(m.rows * width);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < width; c++) data[r * width + c] = c < m.cols ? m.data[r * m.cols + c] : noise[r * width + c];
  }
  await writeNpyMatrix(file, { rows: m.rows, cols: width, dtype, data });
}

function normals(n: number, seed: number): Float64Array {
  const rng = lcg(seed);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return out;
}

/** A small seeded generator for the reshaping (numerical recipes' LCG): the reshape is reproducible from the seed. */
function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
