// An item ingested without a modality: the API's explanation marks that modality `absent` (its parts are the zero
// block the model saw), the same as `eior explain`, and marks the modalities the item has as present.
import path from 'node:path';
import type { RunningApi } from '../../apps/api/src';
import { dropDataset, type GraphClient } from '../../libs/graph/src';
import { Prng } from '../../libs/graph/src/mmrec/prng';
import { gql, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { trainTinyEior } from '../helpers/trained-dataset';

const NAME = `absent-${process.pid}`;
const ITEMS = 60;
/** No visual row for these items (item 7: no line; item 11: an empty line); every item has its acoustic row. */
const NO_VISUAL = ['i7', 'i11'];

const RATING = `query($d: String!, $u: String!, $i: String!) { rating(dataset: $d, userId: $u, itemId: $i) {
  explanation { modalities { modality absent invariantContribution variantContribution } } } }`;

interface Part {
  modality: string;
  absent: boolean;
  invariantContribution: number | null;
  variantContribution: number | null;
}

describe('an absent modality in explanations', () => {
  let client: GraphClient;
  let api: RunningApi;
  const tmp = tempDir('absent');
  const home = path.join(tmp.dir, 'home');

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, NAME);
    const rng = new Prng(7);
    const lines: string[] = [];
    for (let u = 0; u < 120; u++) {
      const seen = new Set<number>();
      while (seen.size < 12) seen.add(Math.floor(ITEMS * rng.next() ** 2));
      [...seen].forEach((i, k) => lines.push(`u${u},i${i},${1_700_000_000 + k * 3600 + u}`));
    }
    const events = tmp.write('events.csv', `user,item,timestamp\n${lines.join('\n')}\n`);
    const row = () => Array.from({ length: 4 }, () => rng.nextNormal().toFixed(3)).join(',');
    const visual = ['item,v0,v1,v2,v3', ...Array.from({ length: ITEMS }, (_, i) => (i === 7 ? null : i === 11 ? 'i11,,,,' : `i${i},${row()}`)).filter((l) => l !== null)];
    const acoustic = ['item,a0,a1,a2,a3', ...Array.from({ length: ITEMS }, (_, i) => `i${i},${row()}`)];
    tmp.write('visual.csv', `${visual.join('\n')}\n`);
    tmp.write('acoustic.csv', `${acoustic.join('\n')}\n`);
    const ingest = await runCli(['ingest', '--dataset', NAME, '--events', events, '--features', `visual=${tmp.dir}/visual.csv`, '--features', `acoustic=${tmp.dir}/acoustic.csv`]);
    expect(ingest.code).toBe(0);
    await trainTinyEior(NAME, home);
    api = await startTestApi(client, home, { modelPollMs: 0 });
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('says a modality was absent for an item ingested without it, and present for the others', async () => {
    const parts = async (item: string): Promise<Part[]> => {
      const res = await gql<{ rating: { explanation: { modalities: Part[] } } }>(api.url, RATING, { d: NAME, u: 'u0', i: item });
      expect(res.errors).toEqual([]);
      return res.data!.rating.explanation.modalities;
    };
    for (const item of NO_VISUAL) {
      const byName = new Map((await parts(item)).map((p) => [p.modality, p]));
      expect(byName.get('visual')).toMatchObject({ absent: true, invariantContribution: 0, variantContribution: 0 });
      expect(byName.get('acoustic')!.absent).toBe(false);
    }
    const present = await parts('i8');
    expect(present.map((p) => [p.modality, p.absent]).sort()).toEqual([['acoustic', false], ['visual', false]]);
    expect(present.some((p) => p.invariantContribution !== 0 || p.variantContribution !== 0)).toBe(true);

    // the CLI's explain says the same of the same pair
    const cli = await runCli(['explain', '--dataset', NAME, '--user', 'u0', '--item', 'i7', '--json'], { ...process.env, EIOR_HOME: home });
    expect(cli.code).toBe(0);
    expect((lastJsonLine(cli.stdout) as { items: { absentModalities: string[] }[] }).items[0].absentModalities).toEqual(['visual']);
    const human = await runCli(['explain', '--dataset', NAME, '--user', 'u0', '--item', 'i7'], { ...process.env, EIOR_HOME: home });
    expect(human.stdout).toMatch(/visual absent/);
  });
});
