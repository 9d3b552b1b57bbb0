import { buildItemFeatures, selectBackend, UltraGcn, type WeightSnapshot } from '@eior/model';
import { referenceLoss, referenceScore, tinyDataset, TINY_BATCH, TINY_CONFIG, toFloat64, type ReferenceParams } from './fixtures';

beforeAll(async () => {
  await selectBackend({ name: 'cpu' });
});

const data = tinyDataset();
const x = buildItemFeatures(data.numItems, data.features);
const ALL_USERS = Int32Array.from([0, 1, 2, 3]);
const W_HISTORY = 0.5;
const CONFIG = { ...TINY_CONFIG, userHistoryWeight: W_HISTORY };
const { idDim, featureDim } = CONFIG;
const userDim = idDim + featureDim;

/**
 * e'_u = e_u + w · mean_{j ∈ N(u)} [V_j ; W x_j + b] (or [V_j ; 0] without `features`), by plain loops from the train
 * edges; with `leaveOut` the mean runs over N(u) without that item.
 */
function historyUsers(p: ReferenceParams, features = true, leaveOut = -1): Float64Array {
  const out = Float64Array.from(p.user);
  for (let u = 0; u < data.numUsers; u++) {
    const items: number[] = [];
    for (let e = 0; e < data.train.users.length; e++) if (data.train.users[e] === u && data.train.items[e] !== leaveOut) items.push(data.train.items[e]);
    for (const j of items) {
      for (let c = 0; c < idDim; c++) out[u * userDim + c] += (W_HISTORY / items.length) * p.itemId[j * idDim + c];
      for (let f = 0; f < (features ? featureDim : 0); f++) {
        let proj = p.b![f];
        for (let k = 0; k < x.width; k++) proj += x.data[j * x.width + k] * p.W![k * featureDim + f];
        out[u * userDim + idDim + f] += (W_HISTORY / items.length) * proj;
      }
    }
  }
  return out;
}

function dataLoss(model: UltraGcn, config = CONFIG): number {
  const { lossL, lossI } = model.lossAndGradients(TINY_BATCH);
  return lossL + config.lambda * lossI;
}

describe('the user-history term', () => {
  it('scores with e_u + w · the mean of the user\'s train item vectors (plain-loop reference)', () => {
    const model = new UltraGcn(data, CONFIG);
    model.trainStep(TINY_BATCH); // b starts at zero; make it count
    const p = toFloat64(model.getWeights());
    const withHistory = { ...p, user: historyUsers(p) };
    const all = model.scoreAllItems(ALL_USERS);
    for (let u = 0; u < 4; u++) {
      for (let i = 0; i < 6; i++) {
        expect(all[u * 6 + i]).toBeCloseTo(referenceScore(withHistory, x.data, x.width, idDim, featureDim, u, i), 5);
        expect(all[u * 6 + i]).not.toBeCloseTo(referenceScore(p, x.data, x.width, idDim, featureDim, u, i), 3);
      }
    }
    const pairs = model.scorePairs(Int32Array.of(2, 3), Int32Array.of(4, 0));
    expect(pairs[0]).toBeCloseTo(all[2 * 6 + 4], 5);
    expect(pairs[1]).toBeCloseTo(all[3 * 6 + 0], 5);
    expect(model.scoreParts(2, 4).score).toBeCloseTo(all[2 * 6 + 4], 5);
    model.dispose();
  });

  it('folds into the user table: the same config without the term scores the folded weights identically', () => {
    const model = new UltraGcn(data, CONFIG);
    model.trainStep(TINY_BATCH);
    const plain = new UltraGcn(data, { ...CONFIG, userHistoryWeight: 0 });
    plain.setWeights(model.foldedWeights());
    const a = model.scoreAllItems(ALL_USERS);
    const b = plain.scoreAllItems(ALL_USERS);
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k], 5);
    model.dispose();
    plain.dispose();
  });

  it('borrows the ID half only with userHistoryFeatures off: e\'_u = [e_u_id + w · mean V_j ; e_u_f]', () => {
    const config = { ...CONFIG, userHistoryFeatures: false };
    const model = new UltraGcn(data, config);
    model.trainStep(TINY_BATCH);
    const p = toFloat64(model.getWeights());
    const idOnly = { ...p, user: historyUsers(p, false) };
    const whole = { ...p, user: historyUsers(p, true) };
    const all = model.scoreAllItems(ALL_USERS);
    for (let u = 0; u < 4; u++) {
      for (let i = 0; i < 6; i++) {
        expect(all[u * 6 + i]).toBeCloseTo(referenceScore(idOnly, x.data, x.width, idDim, featureDim, u, i), 5);
        expect(all[u * 6 + i]).not.toBeCloseTo(referenceScore(whole, x.data, x.width, idDim, featureDim, u, i), 3);
      }
    }
    const plain = new UltraGcn(data, { ...config, userHistoryWeight: 0 });
    plain.setWeights(model.foldedWeights());
    const folded = plain.scoreAllItems(ALL_USERS);
    for (let k = 0; k < all.length; k++) expect(folded[k]).toBeCloseTo(all[k], 5);
    model.dispose();
    plain.dispose();
  });

  it.each([
    ['the whole item vector', true],
    ['the ID half', false],
  ])('leaves each training row\'s positive out of its mean with userHistoryLeaveOneOut (plain-loop loss, history over %s)', (_, features) => {
    const config = { ...CONFIG, userHistoryFeatures: features, userHistoryLeaveOneOut: true };
    const model = new UltraGcn(data, config);
    model.trainStep(TINY_BATCH);
    const p = toFloat64(model.getWeights());
    // row by row: the user vector of row r averages N(u) \ {its positive}
    let lossL = 0;
    let lossI = 0;
    const negatives = TINY_BATCH.negItems.length / TINY_BATCH.users.length;
    for (let r = 0; r < TINY_BATCH.users.length; r++) {
      const row = { users: TINY_BATCH.users.subarray(r, r + 1), posItems: TINY_BATCH.posItems.subarray(r, r + 1), negItems: TINY_BATCH.negItems.subarray(r * negatives, (r + 1) * negatives) };
      const ref = referenceLoss({ ...p, user: historyUsers(p, features, row.posItems[0]) }, x.data, x.width, model.stats, config, row);
      lossL += ref.lossL;
      lossI += ref.lossI;
    }
    const got = model.lossAndGradients(TINY_BATCH);
    expect(got.lossL).toBeCloseTo(lossL, 4);
    expect(got.lossI).toBeCloseTo(lossI, 4);
    // and it differs from the mean over the whole history, which training without the switch uses
    const whole = referenceLoss({ ...p, user: historyUsers(p, features) }, x.data, x.width, model.stats, config, TINY_BATCH);
    expect(Math.abs(got.lossL - whole.lossL)).toBeGreaterThan(1e-3);
    // scoring still averages the whole history: held-out items are never in it
    const all = model.scoreAllItems(ALL_USERS);
    const full = { ...p, user: historyUsers(p, features) };
    expect(all[2 * 6 + 3]).toBeCloseTo(referenceScore(full, x.data, x.width, idDim, featureDim, 2, 3), 5);
    model.dispose();
  });

  it.each([
    ['the whole item vector', CONFIG],
    ['the ID half', { ...CONFIG, userHistoryFeatures: false }],
    ['the whole item vector, each row leaving its positive out', { ...CONFIG, userHistoryLeaveOneOut: true }],
    ['the ID half, each row leaving its positive out', { ...CONFIG, userHistoryFeatures: false, userHistoryLeaveOneOut: true }],
  ])('has the gradient of its finite differences in V, W and the user rows (history over %s)', (_, config) => {
    const model = new UltraGcn(data, config);
    model.trainStep(TINY_BATCH);
    const weights = model.getWeights();
    const { grads } = model.lossAndGradients(TINY_BATCH);
    const h = 1e-2;
    // V of item 3 is in user 0's history (a batch user) and a positive; V of item 0 only in that history here
    const probes: [string, number][] = [
      ['itemId', 0 * idDim + 1],
      ['itemId', 3 * idDim + 2],
      ['W', 4],
      ['b', 1],
      ['user', 1 * userDim + 0],
      ['user', 1 * userDim + idDim + 1],
    ];
    for (const [name, index] of probes) {
      const shifted = (delta: number): number => {
        const copy = new Map(weights) as Map<string, Float32Array>;
        const values = Float32Array.from(weights.get(name)!);
        values[index] += delta;
        copy.set(name, values);
        model.setWeights(copy as WeightSnapshot);
        return dataLoss(model, config);
      };
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      expect(Math.abs(grads.get(name)![index] - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    model.dispose();
  });
});
