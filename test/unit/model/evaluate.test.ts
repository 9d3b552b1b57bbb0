import { evaluateRanking, RankingEvaluator } from '@eior/model';
import { edges } from './fixtures';

/** Fixed scores per user, returned as a fresh block per call (the evaluator masks in place). */
function fixedScores(rows: number[][]): { scoreAllItems(users: Int32Array): Float32Array; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    scoreAllItems(users: Int32Array): Float32Array {
      calls.push(users.length);
      return Float32Array.from(Array.from(users).flatMap((u) => rows[u]));
    },
  };
}

// 3 users, 5 items; user 2 has no held-out item and is not evaluated
const split = {
  numUsers: 3,
  numItems: 5,
  train: edges([[0, 0], [1, 1], [1, 2]]),
  target: edges([[0, 1], [0, 3], [1, 0]]),
};
const scores = [
  [0.9, 0.1, 0.5, 0.8, 0.3], // user 0: item 0 masked -> 3, 2, 4, 1
  [0.2, 0.9, 0.8, 0.1, 0.4], // user 1: items 1, 2 masked -> 4, 0, 3
  [1, 1, 1, 1, 1],
];

describe('RankingEvaluator', () => {
  it('masks train items, averages over users with a positive, and matches the hand-worked figures', () => {
    const result = evaluateRanking(fixedScores(scores), split, { ks: [2] });
    expect(result.users).toBe(2);
    const m = result.atK[2];
    // user 0: top [3, 2], 1 of 2 positives, NDCG (1) / (1 + 1/log2 3); user 1: top [4, 0], NDCG 1/log2 3
    expect(m.recall).toBeCloseTo((0.5 + 1) / 2, 6);
    expect(m.precision).toBeCloseTo(0.5, 6);
    expect(m.ndcg).toBeCloseTo((0.6131471927654584 + 0.6309297535714575) / 2, 6);
    expect(m.hitRate).toBeCloseTo(1, 6);
  });

  it('uses IDCG over the hits under the InvRL protocol, only when asked', () => {
    const standard = evaluateRanking(fixedScores(scores), split, { ks: [2] });
    const invrl = evaluateRanking(fixedScores(scores), split, { ks: [2], protocol: 'invrl' });
    expect(standard.protocol).toBe('standard');
    expect(invrl.protocol).toBe('invrl');
    expect(invrl.atK[2].ndcg).toBeCloseTo((1 + 0.6309297535714575) / 2, 6);
  });

  it('scores train items 1e-5 under the InvRL protocol, which ranks them above negative scores', () => {
    const negative = [[-0.1, -0.5, -0.9, -0.2, -0.3], scores[1], scores[2]];
    const oneUser = { ...split, target: edges([[0, 0]]) }; // item 0 is also a train item of user 0
    const standard = evaluateRanking(fixedScores(negative), oneUser, { ks: [1], perUser: true });
    const invrl = evaluateRanking(fixedScores(negative), oneUser, { ks: [1], protocol: 'invrl' });
    expect(standard.atK[1].hitRate).toBe(0); // masked with −∞
    expect(invrl.atK[1].hitRate).toBe(1); // 1e-5 > −0.2
  });

  it('gives the same figures whatever the chunk size and scores users in chunks', () => {
    const small = fixedScores(scores);
    const a = evaluateRanking(small, split, { chunkSize: 1 });
    const b = evaluateRanking(fixedScores(scores), split, { chunkSize: 256 });
    expect(a.atK).toEqual(b.atK);
    expect(small.calls).toEqual([1, 1]);
  });

  it('keeps per-user values whose mean is the reported figure', () => {
    const result = new RankingEvaluator(split.numUsers, split.numItems, split.train, split.target).evaluate(fixedScores(scores), {
      ks: [2, 5],
      perUser: true,
    });
    expect(Array.from(result.perUser!.users)).toEqual([0, 1]);
    const ndcg = result.perUser!.atK[2].ndcg;
    expect(ndcg[0]).toBeCloseTo(0.6131471927654584, 6);
    expect(ndcg[1]).toBeCloseTo(0.6309297535714575, 6);
    expect((ndcg[0] + ndcg[1]) / 2).toBeCloseTo(result.atK[2].ndcg, 6);
    expect(Array.from(result.perUser!.atK[5].recall)).toEqual([1, 1]);
  });

  it('refuses an edge whose index is out of range', () => {
    expect(() => evaluateRanking(fixedScores(scores), { ...split, target: edges([[0, 7]]) })).toThrow(/item 7; expected 0..4/);
  });
});
