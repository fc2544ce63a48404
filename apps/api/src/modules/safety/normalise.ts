/**
 * Normalisation for the safety screen: case, accents, homoglyphs, leetspeak, spaced-out letters,
 * masked letters, stretched letters and apostrophes are undone once, so that the rules and the
 * classifier see one spelling of each word.
 */


const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};
const HOMOGLYPH: Readonly<Record<string, string>> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ӏ: 'l',
  ɑ: 'a', ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe',
  '\u2018': "'", '\u2019': "'", '\u201b': "'", '\u2032': "'", '`': "'", '\u00b4': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2013': '-', '\u2014': '-', '\u2010': '-', '\u2011': '-', '\u2212': '-',
};
const MASK_WORDS = ['kill', 'killing', 'suicide', 'suicidal', 'die', 'dead', 'myself', 'cut', 'cutting', 'self', 'harm', 'unalive', 'overdose', 'rape', 'raped', 'abuse', 'abused'];

const NON_ASCII = /[\u0080-\uffff]/;
// Built from the table so the two cannot drift apart.
const HOMOGLYPH_RE = new RegExp(Object.keys(HOMOGLYPH).join('|'), 'g');
const INVISIBLE_RE = /[\u00ad\u200b-\u200f\u2060\ufeff\u180e]|\u034f/g;
const MARKS_RE = /\p{M}+/gu;
const UNICODE_SPACE_RE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
const WHITESPACE_CHECK = /[\t\n\v\f\r]| {2}|^ | $/;
const IRREGULAR_SPACE_RE = /\s{2,}|[\t\n\v\f\r]/g;
const LEET_CHECK = /[0-9@$!|+]/;
const LEET_RE = /([a-z])([0-9@$!|+]+)|(^|[^a-z0-9])([$0-57])(?=[a-z]{3})/g;
const LEET_CHAR_RE = /[0-9@$!|+]/g;
const TRAILING_LEET = /^[013]+$/;
const STRETCH_CHECK = /([a-z])\1\1/;
const STRETCH_RE = /([a-z])\1{2,}/g;
const MASK_RE = /[a-z]*\*+[a-z*]*[a-z][a-z*]*|[a-z]+\*+/g;
const SPACED_CHECK = /(?:^|[^a-z])[a-z][ .\-_*~]{1,3}[a-z][ .\-_*~]{1,3}[a-z](?![a-z])/;
const SPACED_RE = /(?<![a-z])(?:[a-z](?:[ .\-_*~]{1,3}|\s{1,3})){2,}[a-z](?![a-z])/g;
const SPACED_SEP_RE = /[^a-z]+/g;
const NEVER_EVER_RE = /\bnever\s*,\s*ever\b/g;

export const isLetter = (c: number) => c >= 97 && c <= 122;
export const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

const maskCache = new Map<string, RegExp>();

function unmask(token: string): string {
  for (const word of MASK_WORDS) {
    if (word.length !== token.length) continue;
    let re = maskCache.get(token);
    if (!re) {
      re = new RegExp(`^${token.replace(/\*/g, '[a-z]')}$`);
      if (maskCache.size > 500) maskCache.clear();
      maskCache.set(token, re);
    }
    if (re.test(word)) return word;
  }
  return token;
}

/** Normalises text for the rules: lower case, no accents or look-alike letters, leetspeak and spacing tricks undone. */
export function normalizeForSafety(input: string): string {
  let t = input;
  if (NON_ASCII.test(t)) {
    t = t.replace(INVISIBLE_RE, '').replace(UNICODE_SPACE_RE, ' ').normalize('NFKD').replace(MARKS_RE, '');
    t = t.toLowerCase().replace(HOMOGLYPH_RE, (c) => HOMOGLYPH[c] ?? c);
  } else {
    t = t.toLowerCase();
  }
  // Each step first checks cheaply whether it has anything to do: most texts need only a few.
  if (WHITESPACE_CHECK.test(t)) t = t.replace(IRREGULAR_SPACE_RE, (run) => (countChar(run, '\n') >= 2 ? '\n' : ' ')).trim();
  if (t.includes("'")) t = dropInnerApostrophes(t);
  if (LEET_CHECK.test(t)) {
    const source = t;
    t = t.replace(LEET_RE, (match: string, letter: string | undefined, run: string | undefined, lead: string | undefined, one: string | undefined, offset: number) => {
      if (letter !== undefined && run !== undefined) {
        if (run === '11') return `${letter}ll`;
        const after = source.charCodeAt(offset + match.length);
        // Inside a word ("k!ll", "su1c1de") or a trailing 0/1/3 ("d13"); "wow!!!" and "3pm" stay.
        if (isLetter(after) || (TRAILING_LEET.test(run) && !isAlnum(after))) return letter + run.replace(LEET_CHAR_RE, (c) => LEET[c] ?? c);
        return match;
      }
      return (lead ?? '') + (LEET[one ?? ''] ?? one ?? '');
    });
  }
  if (STRETCH_CHECK.test(t)) t = t.replace(STRETCH_RE, '$1');
  if (t.includes('*')) t = t.replace(MASK_RE, unmask);
  if (SPACED_CHECK.test(t)) t = t.replace(SPACED_RE, (run) => run.replace(SPACED_SEP_RE, '')).replace(STRETCH_RE, '$1');
  if (t.includes('never,')) t = t.replace(NEVER_EVER_RE, 'never ever');
  return t;
}

/** "don't" -> "dont", "i'm" -> "im": an apostrophe between two letters goes; quotes around words stay. */
function dropInnerApostrophes(t: string): string {
  let out = '';
  let from = 0;
  for (let k = t.indexOf("'"); k >= 0; k = t.indexOf("'", k + 1)) {
    if (isLetter(t.charCodeAt(k - 1)) && isLetter(t.charCodeAt(k + 1))) {
      out += t.slice(from, k);
      from = k + 1;
    }
  }
  return from === 0 ? t : out + t.slice(from);
}

/** How many times the character c occurs in s. */
export function countChar(s: string, c: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) if (s[k] === c) n++;
  return n;
}
