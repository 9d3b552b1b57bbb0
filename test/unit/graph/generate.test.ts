import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { AliasTable } from '../../../libs/graph/src/mmrec/alias-table';
import { generateDataset, type GenerateResult, type GeneratedTruth } from '../../../libs/graph/src/mmrec/generate';
import { DEFAULT_GENERATE_CONFIG, validateGenerateConfig, type GenerateConfig } from '../../../libs/graph/src/mmrec/generate-config';
import { readNpyMatrix, type NpyMatrix } from '../../../libs/graph/src/mmrec/npy';
import { Prng } from '../../../libs/graph/src/mmrec/prng';
import { prepareDataset } from '../../../libs/graph/src/ingest/prepare';
import { tempDir } from '../../helpers/temp-dir';

interface Row {
  user: number;
  item: number;
  rating: number;
  timestamp: number;
  label: number;
  env: number;
}

function readRows(file: string): { header: string; rows: Row[] } {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
  expect(lines.pop()).toBe(''); // the file ends with a newline
  const rows = lines.map((line) => {
    const cells = line.split('\t');
    expect(cells).toHaveLength(6);
    const [user, item, rating, timestamp, label, env] = cells.map(Number);
    return { user, item, rating, timestamp, label, env };
  });
  return { header, rows };
}

const bytesOf = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f))]));

describe('generateDataset', () => {
  const tmp = tempDir('generate');
  afterAll(() => tmp.remove());
  const SMALL: Partial<GenerateConfig> = { users: 300, items: 200, interactions: 6000, seed: 5 };

  let small: GenerateResult;
  let rows: Row[];
  let truth: GeneratedTruth;
  beforeAll(async () => {
    small = await generateDataset(path.join(tmp.dir, 'small'), SMALL);
    rows = readRows(small.files.interactions).rows;
    truth = JSON.parse(readFileSync(small.files.truth, 'utf8')) as GeneratedTruth;
  });

  it('writes the same bytes for the same seed and different ones for another seed', async () => {
    const again = await generateDataset(path.join(tmp.dir, 'again'), SMALL);
    const other = await generateDataset(path.join(tmp.dir, 'other'), { ...SMALL, seed: 6 });
    const first = bytesOf(small.dir);
    expect(Object.keys(first).sort()).toEqual(['audio_feat.npy', 'generated.inter', 'image_feat.npy', 'truth.json']);
    expect(bytesOf(again.dir)).toEqual(first);
    const second = bytesOf(other.dir);
    for (const f of ['generated.inter', 'image_feat.npy', 'audio_feat.npy']) expect(second[f].equals(first[f])).toBe(false);
  });

  it('hands back the generating process when asked, without changing a byte of the files', async () => {
    expect(small.planted).toBeUndefined();
    const kept = await generateDataset(path.join(tmp.dir, 'kept'), SMALL, { keepPlanted: true });
    expect(bytesOf(kept.dir)).toEqual(bytesOf(small.dir));
    const { items, tastes } = kept.planted!;
    const K = items.invariantWidth;
    expect(K).toBe(truth.modalities.reduce((n, m) => n + m.invariantDims.length, 0));
    expect(tastes).toHaveLength(300 * K);
    // p_u ~ N(0, I_K): 300 x K draws
    const mean = tastes.reduce((a, b) => a + b, 0) / tastes.length;
    const variance = tastes.reduce((a, b) => a + (b - mean) ** 2, 0) / tastes.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(0.85);
    expect(variance).toBeLessThan(1.15);
    // the items as planted: π sums to 1, one feature row per item
    expect(items.popularity.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(items.invariantFeatures).toHaveLength(200 * K);
  });

  it('plants latent factors only when ζ > 0, in no feature file, and users take items whose factors match theirs', async () => {
    // ζ = 0 draws nothing: the number of latent dimensions cannot change a byte
    const wider = await generateDataset(path.join(tmp.dir, 'latent-off'), { ...SMALL, latentDims: 32 });
    expect(bytesOf(wider.dir)['generated.inter'].equals(bytesOf(small.dir)['generated.inter'])).toBe(true);
    const on = await generateDataset(path.join(tmp.dir, 'latent-on'), { ...SMALL, latentStrength: 3, latentDims: 4 }, { keepPlanted: true });
    const files = bytesOf(on.dir);
    for (const f of ['image_feat.npy', 'audio_feat.npy']) expect(files[f].equals(bytesOf(small.dir)[f])).toBe(true);
    expect(files['generated.inter'].equals(bytesOf(small.dir)['generated.inter'])).toBe(false);
    const { factors, users } = on.planted!.latent!;
    expect([factors.width, factors.items.length, users.length]).toEqual([4, 200 * 4, 300 * 4]);
    // a_u·b_i/√L is N(0, 1) over random pairs; σ(ζ·x) acceptance lifts its mean over the taken pairs (≈ 0.4 at ζ 3
    // by Stein's lemma, ζ·E[σ'(ζx)] / E[σ(ζx)], before the popularity proposal and the other terms blur it)
    const match = (u: number, i: number) => {
      let dot = 0;
      for (let k = 0; k < 4; k++) dot += users[u * 4 + k] * factors.items[i * 4 + k];
      return dot / 2;
    };
    const taken = readRows(on.files.interactions).rows;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rng = new Prng(9);
    expect(mean(taken.map((r) => match(r.user, r.item)))).toBeGreaterThan(0.25);
    expect(Math.abs(mean(taken.map((r) => match(r.user, rng.nextInt(200)))))).toBeLessThan(0.1);
    expect(on.truth.config).toMatchObject({ latentStrength: 3, latentDims: 4 });
  });

  it('refuses latent settings out of range, naming the value', () => {
    expect(() => validateGenerateConfig({ latentStrength: -1 })).toThrow('latentStrength = -1 is out of range: expected a number from 0 to 10');
    expect(() => validateGenerateConfig({ latentDims: 0 })).toThrow('latentDims = 0 is out of range: expected an integer from 1 to 64');
  });

  it('writes the MMRec header, valid splits, ratings of 1 and timestamps inside each row\'s period', () => {
    expect(readRows(small.files.interactions).header).toBe('userID\titemID\trating\ttimestamp\tx_label\tenv');
    const E = DEFAULT_GENERATE_CONFIG.environments;
    expect(rows).toHaveLength(6000);
    for (const r of rows) {
      const period = truth.periods[r.env];
      const ok =
        r.rating === 1 &&
        [0, 1, 2].includes(r.label) &&
        (r.label === 2) === (r.env === E) &&
        Number.isInteger(r.timestamp) &&
        r.timestamp >= period.start &&
        r.timestamp < period.end;
      if (!ok) throw new Error(`bad row ${JSON.stringify(r)}`);
    }
    const counts = [0, 1, 2].map((label) => rows.filter((r) => r.label === label).length);
    expect(counts).toEqual([small.interactions.train, small.interactions.valid, small.interactions.test]);
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(small.interactions.valid / (small.interactions.train + small.interactions.valid)).toBeCloseTo(0.1, 1);
    expect(new Set(rows.map((r) => r.user)).size).toBe(300);
  });

  it('never repeats a (user, item) pair', () => {
    const pairs = new Set(rows.map((r) => r.user * 1_000_000 + r.item));
    expect(pairs.size).toBe(rows.length);
  });

  it('gives every user a train interaction, so every test user has one', () => {
    const withTrain = new Set(rows.filter((r) => r.label === 0).map((r) => r.user));
    expect(withTrain.size).toBe(300);
    expect(rows.filter((r) => r.label === 2).every((r) => withTrain.has(r.user))).toBe(true);
  });

  it('uses every item, so that feature row i is item i for all rows, and writes one feature file per modality', async () => {
    expect(new Set(rows.map((r) => r.item)).size).toBe(200);
    expect(Math.max(...rows.map((r) => r.item))).toBe(199);
    const image = await readNpyMatrix(small.files.features[0]);
    const audio = await readNpyMatrix(small.files.features[1]);
    expect([image.rows, image.cols, image.dtype, audio.rows, audio.cols]).toEqual([200, 64, 'float32', 200, 32]);
    expect(small.modalities).toEqual([
      { name: 'image', width: 64 },
      { name: 'audio', width: 32 },
    ]);
  });

  it('is accepted by the MMRec ingestion reader, which ignores the env column', async () => {
    const prepared = await prepareDataset('generated', small.dir);
    expect(prepared.splitCounts).toEqual(small.interactions);
    expect(prepared.itemIds).toHaveLength(200);
    expect(prepared.modalities.map((m) => [m.modality, m.width]).sort()).toEqual([
      ['acoustic', 32],
      ['visual', 64],
    ]);
  });

  it('uses every item even when interactions are scarce, assigning the ones nobody drew to training slots', async () => {
    const scarce = await generateDataset(path.join(tmp.dir, 'scarce'), { users: 500, items: 1000, interactions: 2000 });
    const r = readRows(scarce.files.interactions).rows;
    expect(new Set(r.map((x) => x.item)).size).toBe(1000);
    expect(scarce.truth.interactions.coverageAssigned).toBeGreaterThan(0);
    expect(new Set(r.map((x) => x.user * 10_000 + x.item)).size).toBe(2000);
    expect(new Set(r.filter((x) => x.label === 0).map((x) => x.user)).size).toBe(500);
  });

  it('writes nothing when the configuration is refused', async () => {
    const dir = path.join(tmp.dir, 'refused');
    await expect(generateDataset(dir, { users: 2, items: 1000, interactions: 100 })).rejects.toThrow(/no number of interactions fits 2 users and 1000 items/);
    expect(existsSync(dir)).toBe(false);
  });

  describe('planted structure', () => {
    // The defaults (2000 users, 1000 items, 40000 interactions) are large enough for every single
    // column's effect to stand above the noise of a finite catalogue (checked over 30 seeds).
    let planted: { truth: GeneratedTruth; rows: Row[]; features: NpyMatrix[] };
    beforeAll(async () => {
      const r = await generateDataset(path.join(tmp.dir, 'planted'));
      planted = { truth: r.truth, rows: readRows(r.files.interactions).rows, features: await Promise.all(r.files.features.map((file) => readNpyMatrix(file))) };
    });

    /** Mean of feature columns over the interactions of one period (without validation rows): 0 under popularity alone. */
    const columnMeans = (m: NpyMatrix, columns: number[], env: number) => {
      const sums = columns.map(() => 0);
      let n = 0;
      for (const r of planted.rows) {
        if (r.env !== env || r.label === 1) continue;
        n++;
        columns.forEach((c, j) => (sums[j] += m.data[r.item * m.cols + c]));
      }
      return sums.map((s) => s / n);
    };

    it('skews popularity and activity like real data', () => {
      const perItem = new Map<number, number>();
      const perUser = new Map<number, number>();
      for (const r of planted.rows) {
        perItem.set(r.item, (perItem.get(r.item) ?? 0) + 1);
        perUser.set(r.user, (perUser.get(r.user) ?? 0) + 1);
      }
      const items = [...perItem.values()].sort((a, b) => b - a);
      const top = items.slice(0, 100).reduce((a, b) => a + b, 0) / planted.rows.length; // top 10 % of 1000 items
      expect(top).toBeGreaterThan(0.4);
      expect(planted.truth.popularity.top10PercentItemsShare).toBeCloseTo(top, 5);
      const users = [...perUser.values()].sort((a, b) => a - b);
      expect(users[users.length - 1]).toBeGreaterThan(4 * users[Math.floor(users.length / 2)]);
    });

    it('has every feature column at mean 0 over items, so that a mean over interactions measures preference', () => {
      for (const f of planted.features) {
        for (let c = 0; c < f.cols; c++) {
          let s = 0;
          for (let i = 0; i < f.rows; i++) s += f.data[i * f.cols + c];
          expect(Math.abs(s / f.rows)).toBeLessThan(1e-5);
        }
      }
    });

    it('gives spurious columns the planted sign in every training environment, weakening with β_e, and the opposite sign in the test period', () => {
      const { truth: t } = planted;
      const E = t.config.environments;
      expect(t.periods.map((p) => p.spuriousWeight)).toEqual([1.8, 1.2, 0.6, -1.8]);
      for (const [k, m] of t.modalities.entries()) {
        const signed = (env: number) => columnMeans(planted.features[k], m.spuriousDims, env).map((v, j) => v * m.spuriousSigns[j]);
        const perEnv = Array.from({ length: E + 1 }, (_, env) => signed(env));
        for (let env = 0; env < E; env++) expect([m.name, env, perEnv[env].every((v) => v > 0)]).toEqual([m.name, env, true]);
        expect([m.name, 'test', perEnv[E].every((v) => v < 0)]).toEqual([m.name, 'test', true]);
        const strength = perEnv.map((v) => v.reduce((a, b) => a + b, 0));
        expect(strength[0]).toBeGreaterThan(strength[1]);
        expect(strength[1]).toBeGreaterThan(strength[2]);
      }
    });

    it('gives invariant columns the same sign in every period, the test period included', () => {
      const { truth: t } = planted;
      for (const [k, m] of t.modalities.entries()) {
        for (let env = 0; env <= t.config.environments; env++) {
          const signed = columnMeans(planted.features[k], m.invariantDims, env).map((v, j) => v * m.invariantSigns[j]);
          expect([m.name, env, signed.every((v) => v > 0)]).toEqual([m.name, env, true]);
        }
      }
    });

    it('records in truth.json the column means that the files show', () => {
      const { truth: t } = planted;
      const p = t.periods[0].columnMeans[1];
      expect(p.modality).toBe('audio');
      const withValid = (cols: number[]) => {
        const f = planted.features[1];
        const sums = cols.map(() => 0);
        let n = 0;
        for (const r of planted.rows.filter((x) => x.env === 0)) {
          n++;
          cols.forEach((c, j) => (sums[j] += f.data[r.item * f.cols + c]));
        }
        return sums.map((s) => s / n);
      };
      withValid(t.modalities[1].spuriousDims).forEach((v, j) => expect(p.spurious[j]).toBeCloseTo(v, 5));
      withValid(t.modalities[1].invariantDims).forEach((v, j) => expect(p.invariant[j]).toBeCloseTo(v, 5));
    });
  });
});

describe('validateGenerateConfig', () => {
  it('fills in the defaults', () => {
    expect(validateGenerateConfig({})).toEqual(DEFAULT_GENERATE_CONFIG);
  });

  it('names the bad value and the allowed range', () => {
    expect(() => validateGenerateConfig({ users: 0 })).toThrow('users = 0 is out of range: expected an integer from 1 to 10000000');
    expect(() => validateGenerateConfig({ environments: 2.5 })).toThrow('environments = 2.5 is out of range: expected an integer from 1 to 20');
    expect(() => validateGenerateConfig({ interactions: 600000 })).toThrow(
      'interactions = 600000 is out of range for 2000 users and 1000 items: expected an integer from 2000 to 500000',
    );
    expect(() => validateGenerateConfig({ name: 'a/b' })).toThrow(/dataset name "a\/b" is not valid/);
    expect(() => validateGenerateConfig({ testFraction: 0.9 })).toThrow('testFraction = 0.9 is out of range: expected a number from 0 to 0.3');
  });
});

describe('Prng and AliasTable', () => {
  it('repeats a sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = new Prng(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(0).some((x) => x !== 0)).toBe(true);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = new Prng(3);
    let s = 0;
    let ss = 0;
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      const z = rng.nextNormal();
      s += z;
      ss += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(ss / n).toBeCloseTo(1, 1);
  });

  it('samples indexes in proportion to their weights', () => {
    const weights = [5, 0, 1, 3, 1];
    const table = new AliasTable(weights);
    const rng = new Prng(11);
    const counts = weights.map(() => 0);
    const n = 200_000;
    for (let k = 0; k < n; k++) counts[table.sample(rng)]++;
    counts.forEach((c, k) => expect(Math.abs(c / n - weights[k] / 10)).toBeLessThan(0.005));
    expect(() => new AliasTable([0, 0])).toThrow(/at least one positive weight/);
  });
});
