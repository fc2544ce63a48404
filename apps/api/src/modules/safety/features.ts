import { isAlnum } from './normalise.js';

/**
 * Hashed features for the crisis classifier, shared by the training script and the runtime scorer
 * so that the two cannot drift apart. The input is the normalised text (normalizeForSafety); the
 * features are word unigrams, word bigrams and character 3-, 4- and 5-grams over the words with
 * single spaces between them, each hashed into `2^bits` buckets. Nothing is allocated per call
 * beyond a reused buffer, so a 2 KB text costs a few thousand multiplications.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = 0x9747b28c;
const BIGRAM_SEED = 0x5bd1e995;

/** A murmur3-style finaliser: FNV's low bits alone spread poorly over a power-of-two table. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

let buffer = new Uint8Array(4096);

/**
 * Calls visit(bucket) once per feature occurrence (a repeated n-gram is visited each time) and
 * returns how many there were; the scorer divides by the square root of that count.
 */
export function forEachFeature(normalised: string, bits: number, visit: (bucket: number) => void): number {
  const mask = (1 << bits) - 1;
  // The text as lower-case letters and digits with one space between words and around the ends.
  if (buffer.length < normalised.length + 2) buffer = new Uint8Array(normalised.length * 2 + 2);
  let n = 0;
  buffer[n++] = 32;
  let count = 0;
  let wordHash = FNV_OFFSET ^ WORD_SEED;
  let previousWord = 0;
  let inWord = false;
  for (let i = 0; i <= normalised.length; i++) {
    const c = i < normalised.length ? normalised.charCodeAt(i) : 32;
    if (isAlnum(c)) {
      buffer[n++] = c;
      wordHash = Math.imul(wordHash ^ c, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      buffer[n++] = 32;
      const word = mix(wordHash);
      visit(word & mask);
      count++;
      if (previousWord !== 0) {
        visit(mix(Math.imul(previousWord ^ BIGRAM_SEED, 31) ^ word) & mask);
        count++;
      }
      previousWord = word | 1;
      wordHash = FNV_OFFSET ^ WORD_SEED;
      inWord = false;
    }
  }
  for (let i = 0; i + 3 <= n; i++) {
    let h = FNV_OFFSET;
    const last = Math.min(n, i + 5);
    for (let k = i; k < last; k++) {
      h = Math.imul(h ^ (buffer[k] as number), FNV_PRIME);
      if (k - i >= 2) {
        visit(mix(h) & mask);
        count++;
      }
    }
  }
  return count;
}

/** The features of one text as bucket ids (with repeats), for training. */
export function featureList(normalised: string, bits: number): Int32Array {
  const out: number[] = [];
  forEachFeature(normalised, bits, (bucket) => out.push(bucket));
  return Int32Array.from(out);
}
