import { describe, expect, test } from 'vitest';
import {
  backoffDelayMs,
  costMicros,
  decideRetry,
  estimateMessageTokens,
  estimateTokens,
  extractJsonText,
  isRetryableStatus,
  parseRetryAfterMs,
  retryAfterFromHeaders,
  retryAfterSeconds,
} from './fns.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('costMicros', () => {
  test.each([
    { input: 0, output: 0, price: { input: 0.5, output: 1.5 }, expected: 0 },
    { input: 1_000, output: 2_000, price: { input: 0.5, output: 1.5 }, expected: 3_500 },
    { input: 1_000_000, output: 0, price: { input: 0.15, output: 0.6 }, expected: 150_000 },
    { input: 1, output: 1, price: { input: 0.15, output: 0.6 }, expected: 1 },
    { input: 3, output: 0, price: { input: 0.1, output: 0 }, expected: 0 },
    { input: 123, output: 456, price: { input: 0, output: 0 }, expected: 0 },
  ])('$input in + $output out at $price.input/$price.output per million = $expected µ', ({ input, output, price, expected }) => {
    const cost = costMicros(input, output, price);
    expect(cost).toBe(expected);
    expect(Number.isInteger(cost)).toBe(true);
  });
});

describe('estimateTokens', () => {
  test.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['x'.repeat(400), 100],
  ])('%j is about %i tokens', (text, expected) => {
    expect(estimateTokens(text)).toBe(expected);
  });

  test('messages add up their contents', () => {
    expect(estimateMessageTokens([{ content: 'abcd' }, { content: 'abcdefgh' }])).toBe(3);
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseMs: 200, maxMs: 3_000 };
  test.each([
    { retry: 1, random: 0, expected: 100 },
    { retry: 1, random: 1, expected: 200 },
    { retry: 2, random: 0.5, expected: 300 },
    { retry: 3, random: 1, expected: 800 },
    { retry: 5, random: 1, expected: 3_000 },
    { retry: 10, random: 0, expected: 1_500 },
    { retry: 1, random: Number.NaN, expected: 100 },
  ])('retry $retry with random $random waits $expected ms', ({ retry, random, expected }) => {
    expect(backoffDelayMs(retry, policy, random)).toBe(expected);
  });
});

describe('parseRetryAfterMs', () => {
  test.each([
    [null, null],
    [undefined, null],
    ['', null],
    ['0', 0],
    ['2', 2_000],
    ['1.5', 1_500],
    ['  7 ', 7_000],
    ['-1', null],
    ['soon', null],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
    ['Mon, 99 Foo 2026 99:99:99 GMT', null],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  test('retry-after-ms wins over retry-after', () => {
    const headers = new Map([
      ['retry-after-ms', '750'],
      ['retry-after', '9'],
    ]);
    expect(retryAfterFromHeaders((name) => headers.get(name), NOW)).toBe(750);
    expect(retryAfterFromHeaders((name) => (name === 'retry-after' ? '3' : null), NOW)).toBe(3_000);
    expect(retryAfterFromHeaders(() => null, NOW)).toBeNull();
  });
});

describe('isRetryableStatus', () => {
  test.each([
    [400, false],
    [401, false],
    [404, false],
    [408, true],
    [409, false],
    [422, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])('%i → %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('decideRetry', () => {
  const base = {
    retryable: true,
    retriesUsed: 0,
    maxRetries: 2,
    retryAfterMs: null,
    maxRetryAfterMs: 10_000,
    policy: { baseMs: 200, maxMs: 3_000 },
    random: 1,
  };
  test.each([
    { name: 'backoff when no Retry-After', args: {}, expected: { retry: true, delayMs: 200 } },
    { name: 'second retry doubles', args: { retriesUsed: 1 }, expected: { retry: true, delayMs: 400 } },
    { name: 'out of retries', args: { retriesUsed: 2 }, expected: { retry: false } },
    { name: 'not retryable', args: { retryable: false }, expected: { retry: false } },
    { name: 'Retry-After is the wait', args: { retryAfterMs: 2_000 }, expected: { retry: true, delayMs: 2_000 } },
    { name: 'Retry-After too long: fail over', args: { retryAfterMs: 60_000 }, expected: { retry: false } },
    { name: 'no retries configured', args: { maxRetries: 0 }, expected: { retry: false } },
  ])('$name', ({ args, expected }) => {
    expect(decideRetry({ ...base, ...args })).toEqual(expected);
  });
});

describe('retryAfterSeconds', () => {
  test.each([
    [null, 5_000, 5],
    [2_000, 5_000, 2],
    [2_001, 5_000, 3],
    [0, 5_000, 1],
  ])('%j with default %i → %i s', (longest, fallback, expected) => {
    expect(retryAfterSeconds(longest, fallback)).toBe(expected);
  });
});

describe('extractJsonText', () => {
  test.each([
    ['{"a":1}', '{"a":1}'],
    ['```json\n{"a":1}\n```', '{"a":1}'],
    ['Here you go: {"a":{"b":2}} hope it helps', '{"a":{"b":2}}'],
    ['  no json  ', 'no json'],
  ])('%j → %j', (content, expected) => {
    expect(extractJsonText(content)).toBe(expected);
  });
});
