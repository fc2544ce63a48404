import { describe, expect, test } from 'vitest';
import {
  clip,
  foldQuotes,
  hash32,
  hasSecondPerson,
  listJoin,
  lowerFirstWord,
  pick,
  plural,
  splitClauses,
  splitSentences,
  tidyClause,
  toSecondPersonClause,
} from './text.js';

describe('toSecondPersonClause', () => {
  test.each([
    ["I'm a failure", "you're a failure"],
    ['I am a failure', 'you are a failure'],
    ['I was late again', 'you were late again'],
    ["I wasn't good enough", "you weren't good enough"],
    ["i'm so stupid", "you're so stupid"],
    ['im useless', "you're useless"],
    ["My friends think I'm boring", "your friends think you're boring"],
    ['Nobody likes me', 'nobody likes you'],
    ['I hate myself', 'you hate yourself'],
    ['That idea was mine', 'that idea was yours'],
    ['am I a bad person', 'are you a bad person'],
    ["I've ruined everything", "you've ruined everything"],
    ["I'll never get better", "you'll never get better"],
    ["I'd rather give up", "you'd rather give up"],
    ['we always lose our games', 'you always lose your games'],
    ["Sarah thinks I'm weird", "Sarah thinks you're weird"],
    ['It\u2019s my fault', "it's your fault"],
    ['The team lost because of me', 'the team lost because of you'],
    ['Everyone at work hates me', 'everyone at work hates you'],
  ])('%s → %s', (input, expected) => {
    expect(toSecondPersonClause(input)).toBe(expected);
  });

  test('leaves words that merely contain pronouns alone', () => {
    expect(toSecondPersonClause('I mean the mime in Miami')).toBe('you mean the mime in Miami');
    expect(toSecondPersonClause('Imagine my surprise')).toBe('Imagine your surprise');
  });
});

describe('lowerFirstWord', () => {
  test.each([
    ['The day was long', 'the day was long'],
    ['Everyone left', 'everyone left'],
    ['Sarah left', 'Sarah left'],
    ['Paris is far', 'Paris is far'],
  ])('%s → %s', (input, expected) => {
    expect(lowerFirstWord(input)).toBe(expected);
  });
});

test('hasSecondPerson finds "you" but not words containing it', () => {
  expect(hasSecondPerson('You never listen')).toBe(true);
  expect(hasSecondPerson('It is your fault')).toBe(true);
  expect(hasSecondPerson('I am young')).toBe(false);
});

describe('splitSentences', () => {
  test('splits on sentence punctuation and line breaks', () => {
    const text = 'I failed. Everyone saw it!  Why me?\nNo idea';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'I failed.',
      'Everyone saw it!',
      'Why me?',
      'No idea',
    ]);
  });

  test('keeps decimals and common abbreviations inside a sentence', () => {
    const text = 'Dr. Smith said 3.5 is fine. Then I left.';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'Dr. Smith said 3.5 is fine.',
      'Then I left.',
    ]);
  });

  test('returns nothing for blank text', () => {
    expect(splitSentences('   \n ')).toEqual([]);
  });
});

describe('splitClauses', () => {
  const clauses = (text: string): string[] =>
    splitClauses(text, { start: 0, end: text.length }).map((s) => text.slice(s.start, s.end));

  test('splits at commas and clause-opening conjunctions', () => {
    expect(clauses('I love my job, but my boss hates me')).toEqual(['I love my job', 'but my boss hates me']);
    expect(clauses('I failed so everyone thinks I am stupid')).toEqual(['I failed', 'so everyone thinks I am stupid']);
  });

  test('keeps an adverbial "so" inside its clause', () => {
    expect(clauses("I'm so tired of this")).toEqual(["I'm so tired of this"]);
  });
});

test('tidyClause drops a leading connective and trailing punctuation', () => {
  expect(tidyClause('but anyone could do it!')).toBe('anyone could do it');
  expect(tidyClause('  because I am late...  ')).toBe('I am late');
});

test('foldQuotes keeps the length, so offsets survive', () => {
  const text = '\u201cI\u2019m fine\u201d';
  expect(foldQuotes(text)).toBe('"I\'m fine"');
  expect(foldQuotes(text).length).toBe(text.length);
});

test('hash32 and pick are deterministic and spread', () => {
  expect(hash32('abc')).toBe(hash32('abc'));
  expect(hash32('abc')).not.toBe(hash32('abd'));
  const items = ['a', 'b', 'c', 'd'];
  const picks = new Set(Array.from({ length: 50 }, (_, i) => pick(items, hash32(`seed ${i}`))));
  expect(picks.size).toBe(4);
  expect(() => pick([], 1)).toThrow();
});

test('clip cuts on a word boundary and marks the cut', () => {
  expect(clip('short', 10)).toBe('short');
  const clipped = clip('one two three four five six', 15);
  expect(clipped.length).toBeLessThanOrEqual(15);
  expect(clipped).toBe('one two three…');
});

test('plural and listJoin read naturally', () => {
  expect(plural(1, 'time')).toBe('1 time');
  expect(plural(3, 'time')).toBe('3 times');
  expect(listJoin(['a'])).toBe('a');
  expect(listJoin(['a', 'b'])).toBe('a and b');
  expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
});
