import { cityNameRule, stateCodeRule, zipPrefixRule } from '../../../src/fusion';

describe('city.normalise', () => {
  // Every spelling here occurs in the Olist customer or seller files.
  it.each([
    ['sao paulo', 'SP', 'sao paulo', false],
    ['São Paulo', 'SP', 'sao paulo', true],
    ['sao paulo - sp', 'SP', 'sao paulo', true],
    ['sao paulo / sao paulo', 'SP', 'sao paulo', true],
    ['auriflama/sp', 'SP', 'auriflama', true],
    ['novo hamburgo, rio grande do sul, brasil', 'RS', 'novo hamburgo', true],
    ['rio de janeiro \\rio de janeiro', 'RJ', 'rio de janeiro', true],
    ['andira-pr', 'PR', 'andira', true],
    ['santa barbara d´oeste', 'SP', "santa barbara d'oeste", true],
    ["arraial d'ajuda (porto seguro)", 'BA', "arraial d'ajuda", true],
    ['mogi-guacu', 'SP', 'mogi-guacu', false],
    ['rio de janeiro', 'RJ', 'rio de janeiro', false],
  ])('%s (%s) → %s', (raw, state, clean, changed) => {
    const outcome = cityNameRule.apply(raw, { state });
    expect(outcome).toEqual({ value: clean, changed });
  });

  it.each(['vendas@creditparts.com.br', '04482255', 'sp / sp', '   '])('%s is not a city: null and flagged', (raw) => {
    const outcome = cityNameRule.apply(raw, { state: 'SP' });
    expect(outcome.value).toBeNull();
    expect(outcome.flag).toContain(raw);
  });
});

describe('state.normalise', () => {
  it.each([
    ['SP', 'SP', false],
    [' rj', 'RJ', true],
  ])('%s → %s', (raw, clean, changed) => expect(stateCodeRule.apply(raw, undefined)).toEqual({ value: clean, changed }));

  it.each(['XX', 'São Paulo', ''])('%s is flagged', (raw) => {
    expect(stateCodeRule.apply(raw, undefined).value).toBeNull();
    expect(stateCodeRule.apply(raw, undefined).flag).toBeDefined();
  });
});

describe('zip.normalise', () => {
  it.each([
    ['01037', '01037', false],
    ['1037', '01037', true],
    ['13.569', '13569', true],
  ])('%s → %s', (raw, clean, changed) => expect(zipPrefixRule.apply(raw, undefined)).toEqual({ value: clean, changed }));

  it.each(['', 'abcde', '1234567'])('%s is flagged', (raw) => {
    expect(zipPrefixRule.apply(raw, undefined).value).toBeNull();
    expect(zipPrefixRule.apply(raw, undefined).flag).toBeDefined();
  });
});
