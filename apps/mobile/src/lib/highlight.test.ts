import { splitByFragments } from './highlight';

describe('splitByFragments', () => {
  const text = 'I always fail and nobody cares.';

  it('splits text around fragments in order', () => {
    const segments = splitByFragments(text, [
      { id: 'b', start: 18, end: 30 },
      { id: 'a', start: 2, end: 13 },
    ]);
    expect(segments.map((s) => [s.text, s.fragment?.id ?? null])).toEqual([
      ['I ', null],
      ['always fail', 'a'],
      [' and ', null],
      ['nobody cares', 'b'],
      ['.', null],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it.each([
    ['overlapping', [{ start: 2, end: 13 }, { start: 9, end: 20 }]],
    ['out of range', [{ start: 2, end: 13 }, { start: 40, end: 50 }]],
    ['empty', [{ start: 2, end: 13 }, { start: 5, end: 5 }]],
  ])('drops %s fragments and keeps every character once', (_name, fragments) => {
    const segments = splitByFragments(text, fragments);
    expect(segments.filter((s) => s.fragment)).toHaveLength(1);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('returns the whole text when there are no fragments', () => {
    expect(splitByFragments(text, [])).toEqual([{ text, fragment: null }]);
  });
});
