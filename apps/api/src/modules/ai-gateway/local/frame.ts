import type { Person } from './lexicon.js';
import { foldQuotes } from './text.js';

/**
 * What a thought is about, for choosing reframes that fit it: who did something in it (the writer,
 * someone else, both or neither) and whether it looks back or ahead. "I messed up my presentation"
 * is the writer's own act in the past; "She didn't text back" is someone else's.
 */
export interface ThoughtFrame {
  selfAction: boolean;
  otherAction: boolean;
  past: boolean;
  future: boolean;
}

const thirdSubject = String.raw`(?:he|she|they|it|people|someone|somebody|everyone|everybody|my (?:\w+ ){0,2}\w+|his \w+|her \w+|their \w+|the (?:\w+ ){0,5}\w+)`;
const firstSubject = String.raw`(?:i|we)`;
// A past or negated act: "-ed", a common irregular past, or "didn't/hasn't/won't ...".
const pastAct = String.raw`(?:\w+ed|made|forgot|said|did|got|lost|broke|ate|ran|went|took|burnt|burned|left|came|gave|told|sent|spent|saw|fell|hit|missed|failed|messed|screwed|blew|wrote|sang|drove|bought|threw|yelled|ignored|laughed|cancelled|canceled|stopped|skipped|dropped|spilled|spilt|slept|woke|overslept|didn't \w+|did not \w+|hasn't \w+|has not \w+|haven't \w+|never \w+ed|won't \w+|wouldn't \w+|doesn't \w+|keeps? \w+ing)`;
// Verbs of guessing at minds, which are the trap itself rather than an act in the world.
const mindVerbs = /\b(?:think|thinks|thought|must|probably|hate|hates|judg\w*|mad|angry|annoyed|like|likes|want|wants|see|sees|notice|noticed)\b/i;

const selfActRe = new RegExp(String.raw`\b${firstSubject}\s+(?:(?:just|totally|completely|really|accidentally|also|already|even|finally|then)\s+)?${pastAct}\b`, 'i');
const otherLead = String.raw`(?:^|[,;]\s*|\b(?:and|but|so|because|when|after|then)\s+)`;
const otherAdverb = String.raw`(?:(?:just|really|also|even|still|never|always|finally|then)\s+)?`;
const otherActRe = new RegExp(String.raw`${otherLead}${thirdSubject}\s+${otherAdverb}${pastAct}\b`, 'i');
// A name ("Sam cancelled"): capitalised, and not the writer's "I".
const namedActRe = new RegExp(String.raw`${otherLead}(?!I\b)[A-Z][a-z]+\s+${otherAdverb}${pastAct}\b`);

const pastRe = /\b(?:was|were|did|didn't|had|yesterday|last (?:night|week|month|year|time)|ago|this morning|earlier|today I|\w+ed)\b/i;
const futureRe = /\b(?:will|'ll|won't|going to|gonna|tomorrow|next (?:week|month|year|time)|soon|someday|one day|upcoming|about to)\b/i;

/** Reads the frame of a thought from its words. */
export function thoughtFrame(thought: string): ThoughtFrame {
  const text = foldQuotes(thought);
  const clauses = text.split(/(?<=[.!?;])\s+|,\s+(?=(?:and|but|so|because)\b)/);
  let selfAction = false;
  let otherAction = false;
  for (const clause of clauses) {
    if (selfActRe.test(clause)) selfAction = true;
    const other = otherActRe.exec(clause) ?? namedActRe.exec(clause);
    if (other && !mindVerbs.test(other[0])) otherAction = true;
  }
  return { selfAction, otherAction, past: pastRe.test(text), future: futureRe.test(text) };
}

/** A condition a reframe line needs from the thought, and whose trap words it is about. */
export interface LineCondition {
  /** The trap's words are about the writer or someone else ("I'm an idiot" / "he's a jerk"). */
  person?: Person;
  /** Someone else did something the thought reacts to ("she didn't text back"). */
  otherAction?: boolean;
  /** The writer did something ("I messed up"). */
  selfAction?: boolean;
  /** The thought looks back at something that happened. */
  past?: boolean;
}

export function satisfies(condition: LineCondition | undefined, frame: ThoughtFrame, person: Person): boolean {
  if (!condition) return true;
  if (condition.person !== undefined && condition.person !== person) return false;
  if (condition.otherAction !== undefined && condition.otherAction !== frame.otherAction) return false;
  if (condition.selfAction !== undefined && condition.selfAction !== frame.selfAction) return false;
  if (condition.past !== undefined && condition.past !== (frame.past || frame.selfAction || frame.otherAction)) return false;
  return true;
}
