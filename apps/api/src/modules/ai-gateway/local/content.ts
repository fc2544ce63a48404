import type {
  AffirmationOutput,
  FocusOutput,
  LensContentInput,
  ReflectInput,
  ReflectOutput,
  SpectrumNarrativeInput,
  SpectrumNarrativeOutput,
} from '@kalei/contracts/ai-tasks';
import { trapIds, trapInfo, type TrapId } from '@kalei/contracts/taxonomy';
import { detectFragments } from './detect.js';
import { capitalize, clip, foldQuotes, hash32, listJoin, pick, plural, reseed, toSecondPersonClause, wordCount } from './text.js';

/** The trap's name as it reads mid-sentence ("mind reading", "all-or-nothing thinking"). */
export function trapPhrase(trap: TrapId): string {
  const name = trapInfo[trap].name;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** One practical, kind suggestion per trap, used by reflections, Lens and Spectrum. */
export const trapTips: Record<TrapId, readonly string[]> = {
  all_or_nothing: [
    'when something feels ruined, try rating it from 0 to 100 instead of pass or fail',
    'look for the "partly" in between perfect and ruined',
  ],
  overgeneralization: [
    'when "always" or "never" shows up, look for one exception',
    'try swapping "always" for "this time"',
  ],
  mental_filter: [
    'when one detail takes over, name three things that went fine',
    'zoom out and describe the whole day, not only its low point',
  ],
  disqualifying_positive: [
    'let one good thing count today, without a "but"',
    'when you catch yourself brushing off a win, write it down instead',
  ],
  mind_reading: [
    'when you catch yourself guessing what someone thinks, ask or wait instead of assuming',
    'list other explanations before settling on the harshest one',
  ],
  fortune_telling: [
    'when you predict the worst, write down the most likely outcome too',
    'treat forecasts about tomorrow as guesses, and check them afterwards',
  ],
  catastrophizing: [
    'when the worst case grows, name the most likely case beside it',
    'ask yourself what you would do next if the worst happened; it is usually more manageable than it feels',
  ],
  emotional_reasoning: [
    'when a feeling feels like proof, name one fact that stands on its own',
    'let feelings be information, not verdicts',
  ],
  should_statements: [
    'try turning one "should" into "I would like to"',
    'notice whose rule a "should" is, and whether it is fair',
  ],
  labeling: [
    'describe what happened instead of labeling who you are',
    'when a harsh label shows up, talk to yourself the way you would talk to a friend',
  ],
  personalization: [
    'when you take the blame, list what else played a part',
    'take your fair share of responsibility, not all of it',
  ],
  blaming: [
    'look for the part of the situation you can influence',
    'name everything that played a part, not just one person',
  ],
  comparing: [
    'compare yourself with who you were a month ago, not with someone else',
    'notice when a comparison starts, and come back to your own path',
  ],
};

// ---- mirror.reflect

const feelingGroups: readonly { name: string; positive: boolean; pattern: RegExp }[] = [
  { name: 'worry', positive: false, pattern: /\b(?:anxious|anxiety|worr\w*|nervous|scared|afraid|fear\w*|panic\w*|uneasy|on edge|dread\w*)\b/i },
  { name: 'sadness', positive: false, pattern: /\b(?:sad|sadness|down|low|lonely|alone|hurt|cry|cried|crying|tears|grief|heartbroken|empty|hopeless|depress\w*)\b/i },
  { name: 'frustration', positive: false, pattern: /\b(?:angry|anger|mad|frustrat\w*|annoy\w*|irritat\w*|furious|fed up|resent\w*)\b/i },
  { name: 'tiredness', positive: false, pattern: /\b(?:tired|exhaust\w*|drained|burn(?:ed|t)? out|worn out|sleepy|fatigue\w*)\b/i },
  { name: 'pressure', positive: false, pattern: /\b(?:overwhelm\w*|stress\w*|pressure|too much|swamped|behind on)\b/i },
  { name: 'guilt', positive: false, pattern: /\b(?:guilt\w*|ashamed|shame\w*|embarrass\w*|regret\w*)\b/i },
  {
    name: 'self-doubt',
    positive: false,
    pattern: /\b(?:fraud|impostor|imposter|not good enough|failure|incompetent|worthless|useless|inadequate|loser|don't belong|do not belong|out of my depth|not cut out)\b/i,
  },
  { name: 'hope', positive: true, pattern: /\b(?:hope\w*|optimis\w*|looking forward|excited|better)\b/i },
  { name: 'gratitude', positive: true, pattern: /\b(?:grateful|thankful|gratitude|appreciat\w*|lucky)\b/i },
  { name: 'calm', positive: true, pattern: /\b(?:calm\w*|peace\w*|relax\w*|relieved|relief|settled|at ease)\b/i },
  { name: 'pride', positive: true, pattern: /\b(?:proud|accomplish\w*|managed to|did it|achiev\w*)\b/i },
  { name: 'joy', positive: true, pattern: /\b(?:happy|happiness|joy\w*|glad|fun|laugh\w*|love[ds]?|enjoy\w*)\b/i },
];

const topicGroups: readonly { name: string; pattern: RegExp }[] = [
  { name: 'work', pattern: /\b(?:work\w*|job|boss|office|career|meeting|cowork\w*|colleague\w*|shift|manager|deadline\w*|project)\b/i },
  { name: 'family', pattern: /\b(?:mom|mum|dad|mother|father|parents?|family|sister|brother|son|daughter|kids?|children|grand\w+)\b/i },
  { name: 'friendships', pattern: /\b(?:friends?|friendship\w*)\b/i },
  { name: 'your relationship', pattern: /\b(?:partner|boyfriend|girlfriend|husband|wife|relationship|dating|date|ex)\b/i },
  { name: 'school', pattern: /\b(?:school|exams?|tests?|class(?:es)?|teacher|homework|college|university|grades?|study\w*)\b/i },
  { name: 'money', pattern: /\b(?:money|rent|bills?|debt|pay|paid|salary|afford\w*|budget)\b/i },
  { name: 'rest and health', pattern: /\b(?:sleep\w*|health\w*|sick|doctor|pain|body|energy)\b/i },
];

const reflectOpenings: readonly string[] = [
  'Thank you for taking this time to write.',
  'You showed up for yourself today by putting this into words.',
  'It takes something to sit down and write honestly, and you did.',
  'Thank you for sharing what is on your mind.',
];

const reflectClosings: readonly string[] = [
  'Be gentle with yourself for the rest of the day.',
  'Whatever comes next, you do not have to carry it all at once.',
  'Come back whenever you need a place to think.',
  'You are doing the work just by noticing.',
];

function countMatches(messages: readonly string[], pattern: RegExp): number {
  return messages.filter((m) => pattern.test(m)).length;
}

// A negator just before a feeling word turns it around: "I can't relax" is not calm.
const feelingNegator = /\b(?:not|no|never|can't|cannot|couldn't|don't|didn't|won't|isn't|wasn't|hardly|barely|without|nothing|none)\b|n't\b/i;
// A sentence about someone else's feelings ("everyone else seems so settled") says little about the writer's.
const aboutOthers = /^\s*(?:everyone|everybody|they|he|she|people|others|other people|the others|all of them)\b/i;

/** Whether any sentence of the messages holds the feeling, said by the writer about themself and not negated. */
function feels(messages: readonly string[], group: { positive: boolean; pattern: RegExp }): boolean {
  for (const message of messages) {
    for (const sentence of message.split(/(?<=[.!?;])\s+|,\s*/)) {
      if (group.positive && aboutOthers.test(sentence)) continue;
      const m = group.pattern.exec(sentence);
      if (!m) continue;
      const before = sentence.slice(0, m.index).split(/\s+/).filter(Boolean).slice(-3).join(' ');
      if (group.positive && feelingNegator.test(before)) continue;
      return true;
    }
  }
  return false;
}

/** Positive feeling words negated in the writer's own sentences ("I can't relax", "not happy"): unease, not calm. */
function negatedLight(messages: readonly string[]): boolean {
  return messages.some((message) =>
    message.split(/(?<=[.!?;])\s+|,\s*/).some((sentence) =>
      feelingGroups.some((g) => {
        if (!g.positive) return false;
        const m = g.pattern.exec(sentence);
        return m !== null && feelingNegator.test(sentence.slice(0, m.index).split(/\s+/).filter(Boolean).slice(-3).join(' '));
      }),
    ),
  );
}

function negativeLoad(message: string): number {
  const words = Math.max(1, wordCount(message));
  const hits = feelingGroups.filter((g) => !g.positive && g.pattern.test(message)).length;
  const lifts = feelingGroups.filter((g) => g.positive && g.pattern.test(message)).length;
  return (hits - lifts) / Math.sqrt(words);
}

/** Orders traps by how often they appear, first appearance breaking ties. */
function rankTraps(traps: readonly TrapId[]): TrapId[] {
  const counts = new Map<TrapId, number>();
  for (const t of traps) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || traps.indexOf(a) - traps.indexOf(b));
}

/**
 * A warm reflection over a Mirror session: what it felt like, what came up, which traps appeared
 * and one gentle suggestion. It names topics and feelings in general words and never quotes the session.
 */
export function composeReflection(input: ReflectInput): ReflectOutput {
  const messages = input.messages.map(foldQuotes).filter((m) => m.trim().length > 0);
  const seed = hash32(messages.join('\u0000'));
  const detected = input.traps.length > 0 ? input.traps : messages.flatMap((m) => detectFragments(m).map((f) => f.trap));
  const themes = rankTraps(detected).slice(0, 4);

  const parts: string[] = [pick(reflectOpenings, reseed(seed, 'open'))];

  const heavy = feelingGroups.filter((g) => !g.positive && feels(messages, g)).map((g) => g.name);
  if (heavy.length === 0 && negatedLight(messages)) heavy.push('unease');
  const light = feelingGroups.filter((g) => g.positive && feels(messages, g)).map((g) => g.name);
  // The tone follows what was written: warmth about calm or joy only when nothing heavy and no trap came up.
  if (heavy.length > 0 && light.length > 0) {
    parts.push(`There was ${listJoin(heavy.slice(0, 2))} in what you wrote, and also some ${listJoin(light.slice(0, 2))}.`);
  } else if (heavy.length > 0) {
    parts.push(`There was a lot of ${listJoin(heavy.slice(0, 3))} in what you wrote, and it makes sense to feel that way.`);
  } else if (light.length > 0 && themes.length > 0) {
    parts.push(`Alongside the harder thoughts, there was some ${listJoin(light.slice(0, 2))} in what you wrote too.`);
  } else if (light.length > 0) {
    parts.push(`There was real ${listJoin(light.slice(0, 2))} in what you wrote; let yourself notice it.`);
  } else if (themes.length > 0) {
    parts.push('Some of what you wrote sounded hard on yourself, and it makes sense that it weighs on you.');
  }

  const topics = topicGroups
    .map((t) => ({ name: t.name, n: countMatches(messages, t.pattern) }))
    .filter((t) => t.n > 0)
    .sort((a, b) => b.n - a.n)
    .slice(0, 2)
    .map((t) => t.name);
  if (topics.length > 0) {
    parts.push(
      pick(
        [`${capitalize(listJoin(topics))} seemed to be on your mind.`, `You spent some time with ${listJoin(topics)} today.`],
        reseed(seed, 'topics'),
      ),
    );
  }

  const [first, second] = themes;
  if (first) {
    const names = themes.slice(0, 2).map(trapPhrase);
    parts.push(
      second
        ? `A couple of thinking traps showed up, mostly ${listJoin(names)}. Noticing them is how they start to loosen.`
        : `One thinking trap showed up more than others: ${names[0]}. Noticing it is how it starts to loosen.`,
    );
    parts.push(`Next time, ${pick(trapTips[first], reseed(seed, 'tip'))}.`);
  } else {
    parts.push('You wrote without falling into any of the usual thinking traps, which is worth noticing too.');
  }

  if (messages.length >= 2) {
    const start = negativeLoad(messages[0] ?? '');
    const end = negativeLoad(messages[messages.length - 1] ?? '');
    if (end < start - 0.1) parts.push('By the end, your words sounded a little lighter than when you started.');
  }

  parts.push(pick(reflectClosings, reseed(seed, 'close')));
  return { reflection: clip(parts.join(' '), 1200), themes };
}

// ---- lens

// Verbs goals usually start with; a goal that starts with one reads as "to <goal>".
const goalVerbs = new Set(
  (
    'be become get stay keep run walk swim read write learn study sleep eat drink cook save spend pay find make build ' +
    'start stop quit finish practice practise meditate exercise train lose gain call visit spend take give feel improve ' +
    'work apply travel move create grow speak say listen help volunteer reduce cut limit drop pass earn try go do ' +
    'journal stretch plan organize organise clean declutter reach complete launch open join'
  ).split(' '),
);

interface Goal {
  /** First person, for affirmations ("run a 5k", "my health"). */
  text: string;
  isVerbPhrase: boolean;
}

/** Normalises a goal the user typed ("I want to run a 5k!") into something a sentence can hold. */
export function normaliseGoal(goal: string): Goal | null {
  let text = foldQuotes(goal)
    .trim()
    .replace(/[.!?…\s]+$/u, '')
    .replace(/^(?:i\s+(?:want|would like|'d like|need|hope|plan|am going|'m going|will try|am trying|'m trying)\s+to|my goal is to|goal:\s*|to)\s+/i, '')
    .trim();
  if (!text || wordCount(text) > 12 || text.length > 90) return null;
  const firstWord = text.split(/\s+/)[0]?.toLowerCase() ?? '';
  const isVerbPhrase = goalVerbs.has(firstWord);
  if (!isVerbPhrase && /^(?:I|My|The|A|An)\b/.test(text)) text = text.charAt(0).toLowerCase() + text.slice(1);
  if (isVerbPhrase) text = text.charAt(0).toLowerCase() + text.slice(1);
  return { text, isVerbPhrase };
}

const verbAffirmations: readonly string[] = [
  'I can take one small step to {goal} today, and that step counts.',
  'I am becoming someone who can {goal}, one day at a time.',
  'Every small effort to {goal} matters, including today\'s.',
  'I do not have to {goal} all at once; today I only need the next step.',
];
const nounAffirmations: readonly string[] = [
  '{Goal} matters to me, and I can give it a little care today.',
  'I am making room for {goal}, one small step at a time.',
  'Small, steady steps toward {goal} are enough.',
];
const trapAffirmations: Record<TrapId, readonly string[]> = {
  all_or_nothing: ['Progress does not have to be perfect to count.', 'Partly done is still done in part.'],
  overgeneralization: ['One hard moment is not the story of my life.', 'Today is a new day, not a repeat.'],
  mental_filter: ['I can see the good alongside the hard.', 'There is more in my day than what went wrong.'],
  disqualifying_positive: ['My wins count, even the small ones.', 'I let the good things I do be real.'],
  mind_reading: ['I do not have to guess what others think of me.', 'I give myself the benefit of the doubt.'],
  fortune_telling: ['I can meet the future when it arrives.', 'I do not need to know how it ends to take the next step.'],
  catastrophizing: ['I can handle today, one moment at a time.', 'Hard is not the same as unbearable.'],
  emotional_reasoning: ['My feelings matter, and they are not the whole truth.', 'I can feel this and still choose my next step.'],
  should_statements: ['I can be kind to myself while I grow.', 'I choose what matters to me, without harsh rules.'],
  labeling: ['I am more than any one moment or label.', 'I am a whole person, still learning.'],
  personalization: ['I carry my part, not everything.', 'Not everything that happens is about me, and that is a relief.'],
  blaming: ['I focus on what I can influence.', 'I can choose my next step, whatever others do.'],
  comparing: ['My path has its own pace.', 'I measure my growth against who I was, not against others.'],
};
const generalAffirmations: readonly string[] = [
  'I am allowed to take today one step at a time.',
  'I can be gentle with myself and still move forward.',
  'Small steps still move me forward.',
  'I am doing better than my harshest thoughts say.',
  'Today I will notice one thing that goes right.',
];

function dailySeed(input: LensContentInput, salt: string): number {
  return hash32(`${salt}\u0000${input.localDate}\u0000${input.goals.join('\u0001')}\u0000${input.recentTraps.join(',')}`);
}

function pickGoal(input: LensContentInput, seed: number): Goal | null {
  const goals = input.goals.map(normaliseGoal).filter((g): g is Goal => g !== null);
  return goals.length > 0 ? pick(goals, seed) : null;
}

/** A first-person affirmation for the day, grounded in one of the user's goals and their recent traps. */
export function composeAffirmation(input: LensContentInput): AffirmationOutput {
  const seed = dailySeed(input, 'affirmation');
  const goal = pickGoal(input, reseed(seed, 'goal'));
  const trap = input.recentTraps[0];
  const parts: string[] = [];
  if (goal) {
    const template = pick(goal.isVerbPhrase ? verbAffirmations : nounAffirmations, reseed(seed, 'template'));
    parts.push(template.replace('{goal}', goal.text).replace('{Goal}', capitalize(goal.text)));
  }
  if (trap) parts.push(pick(trapAffirmations[trap], reseed(seed, 'trap')));
  if (parts.length === 0) parts.push(pick(generalAffirmations, reseed(seed, 'general')));
  const text = parts.join(' ');
  return { affirmation: text.length <= 300 ? text : clip(parts[0] ?? text, 300) };
}

const verbFocus: readonly string[] = [
  'Spend ten minutes on one small step to {goal}.',
  'Pick the smallest next step to {goal}, and do just that.',
  'Choose one thing you can do today to {goal}, and put it in your calendar.',
];
const nounFocus: readonly string[] = [
  'Give {goal} ten focused minutes today.',
  'Take one small, concrete step for {goal} today.',
  'Write down the next step for {goal}, and do the first part of it.',
];
const generalFocus: readonly string[] = [
  'Notice one thing that goes right today, and write it down before bed.',
  'Take a ten-minute walk without your phone, and let your mind settle.',
  'Do one kind thing for yourself today, on purpose.',
  'Finish one small task you have been putting off.',
];

/** The day's focus, in the second person: a concrete step toward a goal, plus a tip for a recent trap. */
export function composeFocus(input: LensContentInput): FocusOutput {
  const seed = dailySeed(input, 'focus');
  const goal = pickGoal(input, reseed(seed, 'goal'));
  const trap = input.recentTraps[0];
  const parts: string[] = [];
  if (goal) {
    // The goal was written as "my ...", but the focus speaks to the user.
    const yours = toSecondPersonClause(goal.text);
    parts.push(pick(goal.isVerbPhrase ? verbFocus : nounFocus, reseed(seed, 'template')).replace('{goal}', yours));
  } else {
    parts.push(pick(generalFocus, reseed(seed, 'general')));
  }
  if (trap) parts.push(`And ${pick(trapTips[trap], reseed(seed, 'tip'))}.`);
  const text = parts.join(' ');
  return { focus: text.length <= 300 ? text : clip(parts[0] ?? text, 300) };
}

// ---- spectrum

function sortedCounts(counts: Partial<Record<TrapId, number>>): [TrapId, number][] {
  return trapIds
    .map((t): [TrapId, number] => [t, counts[t] ?? 0])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || trapIds.indexOf(a[0]) - trapIds.indexOf(b[0]));
}

/** A headline and up to five insights from a period's trap counts, compared with the previous period when given. */
export function composeNarrative(input: SpectrumNarrativeInput): SpectrumNarrativeOutput {
  const unit = input.period === 'weekly' ? 'week' : 'month';
  const seed = hash32(JSON.stringify([input.period, input.trapCounts, input.turns, input.mirrorSessions, input.previousTrapCounts ?? null]));
  const ranked = sortedCounts(input.trapCounts);
  const total = ranked.reduce((sum, [, n]) => sum + n, 0);
  const activity =
    input.turns + input.mirrorSessions > 0
      ? `You completed ${plural(input.turns, 'Turn')} and ${plural(input.mirrorSessions, 'Mirror session')} this ${unit}.`
      : null;
  const insights: string[] = [];

  const top = ranked[0];
  if (!top) {
    const headline =
      input.turns + input.mirrorSessions > 0 ? `A quiet ${unit} for thinking traps` : `Nothing to look back on yet this ${unit}`;
    if (activity) insights.push(activity);
    insights.push(
      input.turns + input.mirrorSessions > 0
        ? 'No thinking traps were noticed in what you wrote. That can mean a steadier stretch, and it is worth appreciating.'
        : `When you use Turn or Mirror, your patterns for the ${unit} will appear here.`,
    );
    return { headline, insights };
  }

  const [topTrap, topCount] = top;
  const share = Math.round((topCount / total) * 100);
  const headline = pick(
    [`${trapInfo[topTrap].name} showed up most this ${unit}`, `This ${unit}, ${trapPhrase(topTrap)} led the way`],
    reseed(seed, 'headline'),
  );
  insights.push(
    `${trapInfo[topTrap].name} appeared ${plural(topCount, 'time')}, ${share}% of the ${plural(total, 'thinking trap')} you noticed. It means ${trapInfo[topTrap].definition.charAt(0).toLowerCase()}${trapInfo[topTrap].definition.slice(1)}`,
  );
  const runnersUp = ranked.slice(1, 3);
  if (runnersUp.length > 0) {
    insights.push(`Next came ${listJoin(runnersUp.map(([t, n]) => `${trapPhrase(t)} (${n})`))}.`);
  }

  const previous = input.previousTrapCounts;
  if (previous) {
    const previousTotal = sortedCounts(previous).reduce((sum, [, n]) => sum + n, 0);
    const changes = trapIds
      .map((t) => ({ trap: t, before: previous[t] ?? 0, now: input.trapCounts[t] ?? 0 }))
      .filter((c) => c.before !== c.now);
    const fell = changes.filter((c) => c.now < c.before).sort((a, b) => b.before - b.now - (a.before - a.now))[0];
    const rose = changes.filter((c) => c.now > c.before).sort((a, b) => b.now - b.before - (a.now - a.before))[0];
    const parts: string[] = [];
    if (previousTotal === 0) {
      parts.push(`Last ${unit} had no thinking traps to compare with.`);
    } else {
      parts.push(`Overall you noticed ${plural(total, 'trap')}, compared with ${previousTotal} last ${unit}.`);
      if (fell) {
        parts.push(
          fell.now === 0
            ? `${trapInfo[fell.trap].name} did not show up at all, down from ${fell.before}.`
            : `${trapInfo[fell.trap].name} eased from ${fell.before} to ${fell.now}.`,
        );
      }
      if (rose) {
        parts.push(
          rose.before === 0
            ? `${trapInfo[rose.trap].name} is new this ${unit}.`
            : `${trapInfo[rose.trap].name} rose from ${rose.before} to ${rose.now}.`,
        );
      }
      if (!fell && !rose) parts.push('The mix of traps stayed the same.');
    }
    insights.push(parts.join(' '));
  }

  if (activity) insights.push(activity);
  insights.push(`A small experiment for next ${unit}: ${pick(trapTips[topTrap], reseed(seed, 'tip'))}.`);
  return { headline: clip(headline, 200), insights: insights.slice(0, 5).map((i) => clip(i, 400)) };
}
