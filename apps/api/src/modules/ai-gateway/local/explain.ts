import type { TrapId } from '@kalei/contracts/taxonomy';
import type { Person } from './lexicon.js';
import { clip, pick } from './text.js';

// `{q}` is the user's own phrase. Each trap has variants so a journal page full of one trap does not read like a form letter.
const templates: Record<TrapId, Record<Person, readonly string[]>> = {
  all_or_nothing: {
    self: [
      '"{q}" puts this in an all-or-nothing box. Most things land somewhere in between, and the middle still counts.',
      'Words like "{q}" leave no room for "partly" or "not yet". Where would this honestly sit on a scale from 0 to 100?',
      '"{q}" treats this as perfect or ruined. Is there a version of this that is disappointing but not a total loss?',
    ],
    other: [
      '"{q}" sees this in black and white. There may be more shades here than it allows.',
      '"{q}" leaves no middle ground. What would a "partly" look like here?',
    ],
  },
  overgeneralization: {
    self: [
      '"{q}" turns one moment into a rule. Can you remember even one time it went differently?',
      'When one event becomes "{q}", it can feel permanent. One time is not every time.',
      '"{q}" stretches a single experience over everything. What does the whole record actually show?',
    ],
    other: [
      '"{q}" turns a few people or moments into a rule about all of them. Are there exceptions you know of?',
      '"{q}" paints everyone with one brush. Who doesn\'t fit that picture?',
    ],
  },
  mental_filter: {
    self: [
      '"{q}" lets one hard part colour the whole picture. What else was there, alongside it?',
      'The difficult bit in "{q}" is real, and it is also not the only thing that happened. What got filtered out?',
      '"{q}" zooms in on what went wrong. If you zoomed out, what else would be in the frame?',
    ],
    other: [
      '"{q}" keeps the spotlight on the one thing that went wrong. What else is in the picture?',
      '"{q}" filters out the good parts. They happened too.',
    ],
  },
  disqualifying_positive: {
    self: [
      '"{q}" brushes aside something good. It is allowed to count.',
      'You did something real there, and "{q}" waves it away. What would it mean to just take the credit?',
      '"{q}" explains away a good moment. Would you discount it this fast if a friend had done it?',
    ],
    other: [
      '"{q}" explains away something good that happened. It can count, even if it was not perfect.',
      '"{q}" makes a good thing smaller than it was. Let it be as big as it is.',
    ],
  },
  mind_reading: {
    self: [
      '"{q}" guesses what someone else is thinking. Without asking, it is a guess, not a fact.',
      'In "{q}" you are filling in someone else\'s thoughts for them. What have they actually said or done?',
      '"{q}" reads a mind from the outside. There may be other explanations you have not considered.',
    ],
    other: [
      '"{q}" guesses what is going on in someone else\'s head. Without asking, it is a guess, not a fact.',
      'In "{q}" you are filling in someone else\'s thoughts for them. What have they actually said or done?',
      '"{q}" assumes you know how they see you. People are often thinking about something else entirely.',
    ],
  },
  fortune_telling: {
    self: [
      '"{q}" predicts the future as if it were already decided. It has not happened yet.',
      '"{q}" sounds certain about something nobody can know yet. What else could happen?',
      'Your mind is forecasting in "{q}". Forecasts are guesses, and worried ones tend to run dark.',
    ],
    other: [
      '"{q}" predicts how things will go for someone else as if it were settled. It has not happened yet.',
      '"{q}" treats a guess about the future as a fact. What else could happen?',
    ],
  },
  catastrophizing: {
    self: [
      '"{q}" jumps straight to the worst outcome. It is one possibility, and usually not the most likely one.',
      'In "{q}" a worry grows into a disaster. What is the most realistic way this could go?',
      '"{q}" makes this feel unbearable. It is hard, and you have handled hard things before.',
    ],
    other: [
      '"{q}" imagines the worst happening. It is one possibility, and usually not the most likely one.',
      'In "{q}" a worry grows into a disaster. What is the most realistic way this could go?',
    ],
  },
  emotional_reasoning: {
    self: [
      '"{q}" treats a feeling as proof. The feeling is real, but it is not always a fact.',
      'Feelings like the one in "{q}" are worth listening to, and they can still be mistaken about the facts.',
      '"{q}" lets how you feel decide what is true. What would the facts alone say?',
    ],
    other: [
      '"{q}" treats a feeling as proof. The feeling is real, but it is not always a fact.',
      '"{q}" lets a feeling decide what is true. What would the facts alone say?',
    ],
  },
  should_statements: {
    self: [
      '"{q}" sets a rigid rule. What changes if it becomes "I would like to" instead of "I should"?',
      '"{q}" holds you to a strict standard. Would you hold someone you love to it too?',
      '"{q}" turns a wish into an order. Rules like that often bring guilt more than change.',
    ],
    other: [
      '"{q}" sets a rule for how others or the world must be, which can leave you frustrated when they are not.',
      '"{q}" expects things to go a certain way. Wanting it is fair; insisting on it tends to hurt.',
      '"{q}" is a rule other people never agreed to. What would you like, rather than what must be?',
    ],
  },
  labeling: {
    self: [
      '"{q}" sums you up with one harsh label. One moment does not define a whole person.',
      'You are describing yourself as "{q}". Would you call a friend that for the same thing?',
      '"{q}" turns something you did into who you are. You are much more than that.',
    ],
    other: [
      '"{q}" sums someone up with one label, which can hide the rest of who they are.',
      '"{q}" turns one behaviour into a whole identity. What else is true about them?',
    ],
  },
  personalization: {
    self: [
      '"{q}" puts all the weight on you. Other things likely played a part too.',
      'In "{q}" you are taking the blame for more than your share. What else was going on?',
      '"{q}" makes this about you. Much of it may have been outside your control.',
    ],
    other: [
      '"{q}" makes this about you. Much of it may have been outside your control.',
      '"{q}" assumes you caused how others acted. People have their own reasons.',
    ],
  },
  blaming: {
    self: [
      '"{q}" puts the whole cause on someone else, which can leave you feeling powerless. What part can you influence?',
      '"{q}" points at one cause. Usually several things play a part.',
    ],
    other: [
      '"{q}" puts the whole cause on someone else, which can leave you feeling powerless. What part can you influence?',
      '"{q}" points at one person as the cause. Usually several things play a part.',
    ],
  },
  comparing: {
    self: [
      '"{q}" measures you against someone else. You are seeing their outside and your inside.',
      '"{q}" compares your path with someone else\'s. Your pace is your own.',
    ],
    other: [
      '"{q}" measures you against others. You are seeing their outside and your inside.',
      '"{q}" compares your path with someone else\'s. Your pace is your own.',
    ],
  },
};

/** A short, kind explanation of why `phrase` (the user's own words) looks like `trap`. */
export function explainFragment(trap: TrapId, person: Person, phrase: string, seed: number): string {
  const quoted = clip(phrase.replace(/"/g, "'").trim(), 60);
  return clip(pick(templates[trap][person], seed).replace('{q}', quoted), 300);
}
