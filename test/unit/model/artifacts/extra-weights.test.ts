import path from 'node:path';
import { ArtifactStore, packExtraWeights, readExtraWeights, requireMask, type NewArtifact } from '../../../../libs/model/src/artifacts';
import { tempDir } from '../../../helpers/temp-dir';

const ARTIFACT: NewArtifact = {
  model: 'eior',
  config: {},
  dataset: { name: 'd', fingerprint: 'abc', numUsers: 3, numItems: 2, features: [{ modality: 'visual', width: 4 }] },
  backend: 'cpu',
  metrics: { bestEpoch: 1, valid: {}, test: {}, protocol: 'standard' },
  curve: [],
  trainingSeconds: 1,
};

describe('extra weights', () => {
  const tmp = tempDir('extra-weights');
  afterAll(() => tmp.remove());
  const invariance = {
    mask: Float32Array.from([1, 0, 0.25, 1]),
    assignment: Int32Array.from([0, 2, 1, 1, 0]),
    userEnvironment: Int32Array.from([0, -1, 1]),
  };

  it('packs the mask, the edge and the user environments beside the model weights, and reads them back from a saved version', async () => {
    const weights = new Map([['user', Float32Array.from([1, 2, 3, 4, 5, 6])]]);
    const shapes = new Map([['user', [3, 2]]]);
    packExtraWeights(weights, shapes, invariance);
    expect([...shapes]).toEqual([['user', [3, 2]], ['mask', [4]], ['environments', [5]], ['userEnvironment', [3]]]);
    const store = new ArtifactStore(path.join(tmp.dir, 'store'));
    const saved = await store.save(ARTIFACT, weights, shapes);
    const loaded = await store.load(saved.version);
    const extra = readExtraWeights(loaded.weights);
    expect(Array.from(extra.mask!)).toEqual([1, 0, 0.25, 1]);
    expect(Array.from(extra.environments!)).toEqual([0, 2, 1, 1, 0]);
    expect(Array.from(extra.userEnvironment!)).toEqual([0, -1, 1]);
    expect(Array.from(loaded.weights.get('user')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requireMask('invrl', loaded.weights)).toEqual(extra.mask);
  });

  it('reads none from a version without an invariance stage, and refuses a missing mask or a parameter of the same name', () => {
    const plain = new Map([['user', new Float32Array(2)]]);
    expect(readExtraWeights(plain)).toEqual({ mask: null, environments: null, userEnvironment: null });
    expect(() => requireMask('variant', plain)).toThrow('a variant model needs its feature mask; the artifact has no "mask" weights');
    const clash = new Map([['mask', new Float32Array(4)]]);
    expect(() => packExtraWeights(clash, new Map(), invariance)).toThrow(/weights "mask": the model has a parameter of that name/);
  });
});
