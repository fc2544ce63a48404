import { describe, expect, test } from 'vitest';
import { parsePartialJsonObject } from './partial-json.js';

describe('parsePartialJsonObject', () => {
  test.each([
    ['', undefined],
    ['not json', undefined],
    ['{', {}],
    ['{"reframes": [', { reframes: [] }],
    ['{"reframes": [{"text": "You ha', { reframes: [] }],
    ['{"reframes": [{"text": "a", "technique": "impermanence"}', { reframes: [{ text: 'a', technique: 'impermanence' }] }],
    [
      '{"reframes": [{"text": "a", "technique": "x"}, {"text": "b", "technique": "y"}, {"te',
      { reframes: [{ text: 'a', technique: 'x' }, { text: 'b', technique: 'y' }] },
    ],
    ['{"microAction": {"text": "walk", "minutes": 1', { microAction: { text: 'walk' } }],
    ['{"microAction": {"text": "walk", "minutes": 10}', { microAction: { text: 'walk', minutes: 10 } }],
    ['{"crisis": tr', {}],
    ['{"crisis": true, "category": nul', { crisis: true }],
    ['{"crisis": false, "category": null}', { crisis: false, category: null }],
    ['{"a": "say \\"hi\\"", "b": "\\u00e9', { a: 'say "hi"' }],
    ['{"a": "x\\', {}],
    ['{"a": "x\\u00', {}],
    ['```json\n{"headline": "A week", "insights": ["one"', { headline: 'A week', insights: ['one'] }],
    ['{"a": [1, 2, 3', { a: [1, 2] }],
    ['{"a": [[1], [2', { a: [[1]] }],
    ['{"a" 1}', undefined],
    ['{"a": tree}', undefined],
  ])('%j', (text, expected) => {
    expect(parsePartialJsonObject(text)).toEqual(expected);
  });

  test('a complete object parses exactly like JSON.parse', () => {
    const text = JSON.stringify({ reframes: [{ text: 'é "q" \n', technique: 'x' }], n: -1.5e3, ok: true, none: null });
    expect(parsePartialJsonObject(text)).toEqual(JSON.parse(text));
  });

  test('every prefix of a document is a subset of the next, so partials only grow', () => {
    const text = JSON.stringify({ reframes: [{ text: 'one', technique: 'a' }, { text: 'two', technique: 'b' }], traps: ['x'] });
    let previousCount = 0;
    for (let i = 1; i <= text.length; i += 1) {
      const partial = parsePartialJsonObject(text.slice(0, i)) as { reframes?: unknown[] } | undefined;
      const count = partial?.reframes?.length ?? 0;
      expect(count).toBeGreaterThanOrEqual(previousCount);
      previousCount = count;
    }
    expect(previousCount).toBe(2);
  });
});
