import { countChar } from './normalise.js';
import type { Level, Rule } from './rules.js';

/**
 * The context checks of stage 1: whether one rule's match counts in its own sentence (negation,
 * quotation or media framing, third person, idiom or accident, history, joking), and whether it is
 * lowered from crisis to ambiguous.
 */

const NEGATION = /\b(?:not|never|no|dont|doesnt|didnt|wont|wouldnt|isnt|arent|wasnt|cant|cannot|couldnt|shouldnt|aint|nor|neither|hardly)\b/;
const NEGATION_EXCEPTION =
  /\b(?:no\s*(?:idea|clue)|not\s*sure\s*why|not\s*(?:sure|saying|even|just|only|gonna\s*lie|going\s*(?:to|2)\s*lie|okay|ok|fine|kidding|joking|lying|exaggerating)|dont\s*(?:know|care|think\s*i\s*can|see\s*why|see\s*the\s*point|get\s*why|understand)|cant\s*(?:stop|help|wait|take|handle|go\s*on|keep|bear|shake|get)|no\s*(?:one|body)|nobody|couldnt\s*stop|wont\s*stop|didnt\s*(?:know|realize|mean)|never\s*(?:thought|realized|knew|told|said\s*this)|no\s*matter|no\s*more|no\s*longer|cant\s*believe|dont\s*wanna\s*lie)\b/;
const SUBJECT = /\b(?:i|im|ive|id|ill|we|were|he|she|they|you|hes|shes|theyre)\b/g;
const SUBJECT_START = /^(?:i|im|id|ive|ill)\b/;
const PRE_SUBJECT_NEGATION = /\b(?:not\s*like|not\s*that|never\s*said|doesnt\s*mean|dont\s*think|didnt\s*say|not\s*because|wouldnt\s*say|its\s*not\s*as\s*if)\s*$/;
const FRAGMENT_START =
  /^\s*(?:\w+ing|been|just|really|so|gonna|wanna|going|need|want|wanted|feel|felt|tired|done|ready|cant|dont|honestly|literally|seriously|maybe|sometimes|kinda|lowkey|tbh|ngl|not|still|always|never|keep|kept|had|have|got|thought|think)\b/;
const FIRST_PERSON = /\b(?:i|im|ive|id|ill|me|my|myself|mine)\b/;
const THIRD_PERSON =
  /\b(?:he|she|they|hes|shes|theyre|theyve|his|her|their|him|them|friend|friends|brother|sister|mom|mum|dad|mother|father|son|daughter|wife|husband|partner|boyfriend|girlfriend|character|characters|protagonist|patient|patients|client|clients|someone|somebody|people|kids|children|child|teen|teens|teenagers?|students?|person|man|woman|guy|girl|cousin|uncle|aunt|roommate|coworker|colleague|celebrity|singer|actor|actress)\b/;
const THIRD_PERSON_ALL = new RegExp(THIRD_PERSON.source, 'g');
const FRAME =
  /\b(?:songs?|lyrics?|album|chorus|rapper|characters?|protagonist|villain|novel|movies?|films?|episode|tv\s*show|the\s*show|series|articles?|in\s*the\s*news|news\s*(?:story|article|report|piece)|headlines?|poem|poetry|essay|podcast|documentary|survey|statistics|stats|fanfic|fiction|chapter|narrator|screenplay|script|textbook|lecture|awareness|prevention|campaign|memes?|quote[ds]?|quoting|books?\s*(?:about|where|on)|(?:a|the|this|that)\s*book|(?:a|the|this)\s*stor(?:y|ies)\s*(?:about|where|in\s*which))\b/;
const REPORTING = /\b(?:said|says|say|sings|sang|wrote|writes|read|reads|yelled|screamed|texted|tweeted|posted|quoted|goes|went|line|lyric|lyrics|captioned|(?:was|were|is|s|be|im|m)\s*like)\b\s*(?:that\s*)?[:"']?\s*$/;
const HISTORY =
  /\b(?:used\s*(?:to|2)|years?\s*ago|(?:a\s*)?long\s*time\s*ago|when\s*i\s*was\s*(?:a\s*|younger|little|\d+|in\s*(?:high\s*school|school|college|my\s*teens))|as\s*a\s*(?:kid|child|teen|teenager)|in\s*the\s*past|back\s*in\s*(?:\d{4}|high\s*school|college|the\s*day)|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|many|several)\s*(?:years?|months?)\s*(?:clean|free|sober|ago|since)|in\s*recovery|recovered\s*from|not\s*anymore|dont\s*anymore|survived\s*(?:a|my)\s*(?:suicide\s*)?attempt|(?:my\s*)?(?:old|past|former|previous|earlier)\s*(?:suicidal|self\s*-?\s*harm|cutting|scars|attempts?)|how\s*far\s*(?:ive|i\s*have)\s*come|my\s*therapist\s*and\s*i\s*(?:talked|worked))\b/;
const JOKE = /(?:\b(?:lol|lmao|lmfao|rofl|jk|jking|haha\w*|hehe\w*|xd|kidding|joking|lolol)\b|\/s\b|😂|🤣|💀|😭|🙃)/u;
const CLAUSE_CUT = /.*(?:,|;|:|\bbut\b|\band\b|\bso\b|\bbecause\b)\s*/s;

/** The end of the last match of a global regex in s, or -1. */
function lastMatch(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let end = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) end = m.index + m[0].length;
  return end;
}

function lastWords(s: string, n: number): string {
  const words = s.trim().split(' ');
  return words.slice(Math.max(0, words.length - n)).join(' ');
}

function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let k = 0; k < s.length; k++) {
    const space = s[k] === ' ';
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/**
 * Negation counts only in the match's own clause: between its subject and the match ("I would never
 * kill myself"), or as a framing before a subject the match starts with ("it's not like I want to
 * die"). A "no" that belongs to another verb ("if she says no I'm going to end it all") does not.
 */
function isNegated(clauseBefore: string, matchStartsWithSubject: boolean): boolean {
  const window = lastWords(clauseBefore, 8);
  if (matchStartsWithSubject) return PRE_SUBJECT_NEGATION.test(window.trimEnd());
  let subjectEnd = -1;
  let subjectStart = -1;
  SUBJECT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SUBJECT.exec(window)) !== null) {
    subjectStart = m.index;
    subjectEnd = m.index + m[0].length;
  }
  if (subjectEnd < 0) {
    const tail = lastWords(window, 6);
    return NEGATION.test(tail) && !NEGATION_EXCEPTION.test(tail);
  }
  const afterSubject = window.slice(subjectEnd);
  if (NEGATION.test(afterSubject) && !NEGATION_EXCEPTION.test(afterSubject)) return true;
  return PRE_SUBJECT_NEGATION.test(window.slice(0, subjectStart).trimEnd());
}

export type Verdict = { fired: false; reason: string } | { fired: true; level: Level; soft: string | null };

/** Decides whether one match counts, looking only at its own sentence. */
export function judge(rule: Rule, sentence: string, start: number, end: number): Verdict {
  const before = sentence.slice(Math.max(0, start - 300), start);
  const after = sentence.slice(end, end + 80);
  const clauseBefore = before.replace(CLAUSE_CUT, '');

  if (rule.notAfter?.test(after) || rule.notBefore?.test(before.slice(-80)) || rule.notIn?.test(sentence)) return { fired: false, reason: 'idiom' };

  const startsWithSubject = SUBJECT_START.test(sentence.slice(start, start + 4));
  if (rule.negatable !== false && isNegated(clauseBefore, startsWithSubject)) {
    return { fired: false, reason: 'negated' };
  }

  const quote = countChar(before, '"') % 2 === 1 ? '"' : countChar(before, "'") % 2 === 1 ? "'" : null;
  if (quote && (FRAME.test(sentence) || REPORTING.test(before.slice(0, before.lastIndexOf(quote))))) return { fired: false, reason: 'framed' };
  if (REPORTING.test(clauseBefore)) return { fired: false, reason: 'framed' };
  // A media word near a crisis-level phrase lowers it to stage 2 rather than silencing it.
  const framedAnywhere = rule.frameAnywhere === true && FRAME.test(sentence);
  if (framedAnywhere && rule.level === 'ambiguous') return { fired: false, reason: 'framed' };

  // The person nearest before the match is its subject: in reported speech ("my sister told me she
  // feels suicidal") the reporter's "me" comes before the person the words are about, and a match
  // that starts with "i" ("i told my sister i feel suicidal") is the user's own.
  if (rule.firstPersonOnly && !startsWithSubject) {
    const lookback = clauseBefore.slice(-60);
    const third = lastMatch(THIRD_PERSON_ALL, lookback);
    if (third >= 0 && !FIRST_PERSON.test(lookback.slice(third))) return { fired: false, reason: 'third_person' };
  }
  // Subjectless fragments ("feeling suicidal again", "thinking of ending things") are first person in a
  // journal; a sentence with another subject, or a long one about a topic, is not.
  if (rule.requireFirstPerson && !FIRST_PERSON.test(sentence) && (THIRD_PERSON.test(sentence) || (wordCount(sentence) > 4 && !FRAGMENT_START.test(sentence)))) {
    return { fired: false, reason: 'third_person' };
  }

  // A past mention is not enough for an uncertain rule; for a crisis rule it still goes to stage 2.
  if (rule.level === 'ambiguous' && HISTORY.test(sentence)) return { fired: false, reason: 'history' };
  if (rule.level === 'crisis') {
    if (framedAnywhere) return { fired: true, level: 'ambiguous', soft: 'framed' };
    if (HISTORY.test(sentence)) return { fired: true, level: 'ambiguous', soft: 'history' };
    if (JOKE.test(sentence)) return { fired: true, level: 'ambiguous', soft: 'joke' };
    if (rule.softIn?.test(sentence)) return { fired: true, level: 'ambiguous', soft: 'context' };
  }
  return { fired: true, level: rule.level, soft: null };
}
