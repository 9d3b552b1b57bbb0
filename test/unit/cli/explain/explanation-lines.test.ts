import { explanationLines, type ItemExplanation } from '../../../../apps/cli/src/explain/explanation-lines';

const parts = (visual: number, textual: number) => ({
  score: 1 + visual + textual,
  id: 0.75,
  bias: 0.25,
  modalities: [
    { modality: 'textual', contribution: textual },
    { modality: 'visual', contribution: visual },
  ],
});

function explanation(absentModalities: string[]): ItemExplanation {
  return {
    item: 'vid-7',
    seen: false,
    rating: 0.5,
    invariantWeight: 0.6,
    variantWeight: 0.4,
    invariant: parts(0, 0.125),
    variant: parts(0, -0.5),
    becauseYouWatched: [],
    absentModalities,
  };
}

describe('explanationLines', () => {
  it('says a modality the item was ingested without is absent, not 0', () => {
    const lines = explanationLines(1, explanation(['visual']));
    expect(lines[2]).toBe('   invariant   s_I 1.1250 = id 0.7500 + bias 0.2500 + textual 0.1250 + visual absent');
    expect(lines[3]).toBe('   variant     s_E 0.5000 = id 0.7500 + bias 0.2500 + textual -0.5000 + visual absent');
  });

  it('prints a present modality\'s contribution, even when it is 0', () => {
    expect(explanationLines(1, explanation([]))[2]).toBe('   invariant   s_I 1.1250 = id 0.7500 + bias 0.2500 + textual 0.1250 + visual 0.0000');
  });

  it('says when the new-item route scored the item, and only then', () => {
    const lines = explanationLines(2, { ...explanation([]), invariantWeight: 1, variantWeight: 0, newItem: true });
    expect(lines.slice(0, 3)).toEqual([
      '2. item vid-7: rating 0.5000',
      '   new item    no interactions when the model was trained: scored by its stable content columns alone',
      '   weights     α_I 1.0000  α_E 0.0000',
    ]);
    expect(explanationLines(2, explanation([])).some((l) => l.includes('new item'))).toBe(false);
  });
});
