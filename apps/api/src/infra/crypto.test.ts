import { describe, expect, test } from 'vitest';
import { createColumnCipher, DecryptionError, generateDataKey, parseDataKeys } from './crypto.js';

const ringA = parseDataKeys(generateDataKey('a'));
const ringB = parseDataKeys(generateDataKey('b'));

describe('column cipher', () => {
  const cipher = createColumnCipher(ringA);

  test('round-trips text, including non-ASCII, without plaintext in the stored form', () => {
    const text = 'I always ruin everything — ça va pas 😞';
    const stored = cipher.encrypt(text, 'turns.thought:user-1');
    expect(stored.startsWith('enc1.a.')).toBe(true);
    expect(stored).not.toContain('ruin');
    expect(cipher.decrypt(stored, 'turns.thought:user-1')).toBe(text);
  });

  test('the same text encrypts differently each time', () => {
    expect(cipher.encrypt('x', 'c')).not.toBe(cipher.encrypt('x', 'c'));
  });

  test('no nonce repeats across pool refills, and every value still decrypts', () => {
    const stored = Array.from({ length: 2_000 }, (_, i) => cipher.encrypt(`text ${i}`, 'c'));
    expect(new Set(stored.map((value) => value.split('.')[2])).size).toBe(stored.length);
    stored.forEach((value, i) => expect(cipher.decrypt(value, 'c')).toBe(`text ${i}`));
  });

  test('another context (column or owner) does not decrypt', () => {
    const stored = cipher.encrypt('secret', 'turns.thought:user-1');
    expect(() => cipher.decrypt(stored, 'turns.thought:user-2')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(stored, 'mirror_messages.content:user-1')).toThrow(DecryptionError);
  });

  test('a tampered value does not decrypt', () => {
    const stored = cipher.encrypt('secret', 'c');
    const parts = stored.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'c')).toThrow(DecryptionError);
    expect(() => cipher.decrypt('plain text', 'c')).toThrow(DecryptionError);
  });

  test('rotation: a new active key still decrypts values under the old one', () => {
    const old = createColumnCipher(ringA).encrypt('kept', 'c');
    const rotated = createColumnCipher([...ringB, ...ringA]);
    expect(rotated.decrypt(old, 'c')).toBe('kept');
    expect(rotated.kidOf(rotated.encrypt('new', 'c'))).toBe('b');
    expect(() => createColumnCipher(ringB).decrypt(old, 'c')).toThrow(/unknown data key/);
  });

  test.each([
    ['', /at least one/],
    ['nokid', /kid/],
    ['a:c2hvcnQ=', /32 bytes/],
    [`${generateDataKey('a')},${generateDataKey('a')}`, /unique/],
  ])('rejects a bad key ring %s', (value, message) => {
    expect(() => parseDataKeys(value)).toThrow(message);
  });
});
