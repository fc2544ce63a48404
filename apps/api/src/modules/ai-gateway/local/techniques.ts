import type { TechniqueId } from '@kalei/contracts/ai-tasks';
import type { TrapId } from '@kalei/contracts/taxonomy';
import type { LineCondition } from './frame.js';

/** A thought with no recognised trap still gets reframed, with gentler, general techniques. */
export type TrapOrNone = TrapId | 'none';

/** The techniques that fit each trap, best first; a turn uses three of the four. */
export const techniquesFor: Record<TrapOrNone, readonly [TechniqueId, TechniqueId, TechniqueId, TechniqueId]> = {
  all_or_nothing: ['balanced_thinking', 'evidence_check', 'compassionate_reframe', 'growth_mindset'],
  overgeneralization: ['evidence_check', 'balanced_thinking', 'impermanence', 'perspective_shift'],
  mental_filter: ['balanced_thinking', 'perspective_shift', 'evidence_check', 'compassionate_reframe'],
  disqualifying_positive: ['evidence_check', 'compassionate_reframe', 'perspective_shift', 'growth_mindset'],
  mind_reading: ['evidence_check', 'perspective_shift', 'reattribution', 'compassionate_reframe'],
  fortune_telling: ['evidence_check', 'decatastrophize', 'growth_mindset', 'impermanence'],
  catastrophizing: ['decatastrophize', 'evidence_check', 'impermanence', 'compassionate_reframe'],
  emotional_reasoning: ['evidence_check', 'compassionate_reframe', 'impermanence', 'perspective_shift'],
  should_statements: ['compassionate_reframe', 'balanced_thinking', 'perspective_shift', 'growth_mindset'],
  labeling: ['compassionate_reframe', 'evidence_check', 'balanced_thinking', 'growth_mindset'],
  personalization: ['reattribution', 'compassionate_reframe', 'perspective_shift', 'evidence_check'],
  blaming: ['reattribution', 'perspective_shift', 'balanced_thinking', 'growth_mindset'],
  comparing: ['perspective_shift', 'compassionate_reframe', 'growth_mindset', 'balanced_thinking'],
  none: ['compassionate_reframe', 'perspective_shift', 'impermanence', 'growth_mindset'],
};

type Lines = Partial<Record<TechniqueId, readonly [string, string]>>;

/**
 * What each technique says about each trap, in the second person. Two variants each, so the same
 * trap does not always get the same words. Lines never quote the user; the composer adds that.
 */
export const techniqueLines: Record<TrapOrNone, Lines> = {
  all_or_nothing: {
    balanced_thinking: [
      'Most things land somewhere between perfect and ruined. Where would this honestly sit on a scale from 0 to 100?',
      'Something can be disappointing and still partly good. What part of it is still okay?',
    ],
    evidence_check: [
      'Is it really all bad, or did some of it go fine? The facts usually sit in the middle.',
      'If you listed what went wrong and what went right, would the second list really be empty?',
    ],
    compassionate_reframe: [
      'Not getting it perfect is not the same as failing. You are allowed to be a work in progress.',
      'You would not call a friend\'s effort worthless because one part went wrong. You deserve that fairness too.',
    ],
    growth_mindset: [
      'This is one attempt, not the final score. What would you keep, and what would you change next time?',
      'Every skill is built from attempts that were only partly right. This one can teach you something.',
    ],
  },
  overgeneralization: {
    evidence_check: [
      'Can you remember even one time it went differently? One exception is enough to show this is not a rule.',
      'What does the whole record say, not just the last time? Words like "always" and "never" rarely survive a close look.',
    ],
    balanced_thinking: [
      'This happened, and it hurts. It is one event, not a pattern that decides everything after it.',
      'Sometimes things go this way and sometimes they don\'t. This time is not every time.',
    ],
    impermanence: [
      'How things are today is not how they will always be. People, skills and situations change.',
      'This feels permanent right now, but very little stays the same for long, including this.',
    ],
    perspective_shift: [
      'If a friend said this after one bad day, what would you point out to them?',
      'Imagine looking back on this in a year. Would this one moment still look like the whole story?',
    ],
  },
  mental_filter: {
    balanced_thinking: [
      'The hard part is real, and so is everything else that happened. Both can be true at once.',
      'One sour note does not erase the rest of the song. What went well alongside it?',
    ],
    perspective_shift: [
      'If you zoomed out, what else would be in the frame besides the part that went wrong?',
      'How would someone who was there describe the whole thing, not just the low point?',
    ],
    evidence_check: [
      'Try naming three things that went fine. Your mind is holding on to one detail and dropping the rest.',
      'Is the negative part really the biggest part, or just the loudest one?',
    ],
    compassionate_reframe: [
      'It makes sense that the disappointing part stands out. You can notice it without letting it cancel the good.',
      'Your mind is trying to protect you by scanning for problems. You can thank it and still look at the whole picture.',
    ],
  },
  disqualifying_positive: {
    evidence_check: [
      'Something good happened and you had a part in it. If it did not count, why did it happen at all?',
      'Other people doing something too does not make your doing it any less real.',
    ],
    compassionate_reframe: [
      'You are allowed to take credit for this. Letting good things count is not bragging; it is being fair to yourself.',
      'If a friend did this, you would not tell them it does not count. You can offer yourself the same warmth.',
    ],
    perspective_shift: [
      'How would someone who cares about you describe what you did here?',
      'Picture someone else telling you this story about themselves. Would you wave it away?',
    ],
    growth_mindset: [
      'This is evidence of something you can build on. What did it take from you to get here?',
      'Small wins are how bigger ones start. This one counts as a step.',
    ],
  },
  mind_reading: {
    evidence_check: [
      'What have they actually said or done? Without that, this is a guess about their mind, not a fact.',
      'Nobody can see inside someone else\'s head. What would you need to hear from them to know for sure?',
    ],
    perspective_shift: [
      'Most people are busy thinking about their own lives. They may be thinking about you far less, and far more kindly, than you fear.',
      'If a friend assumed this about someone, what other explanations would you offer them?',
    ],
    reattribution: [
      'There are many reasons people act the way they do: they might be tired, distracted or dealing with their own worries.',
      'Their behaviour might be about their day, not about you. What else could explain it?',
    ],
    compassionate_reframe: [
      'It is natural to worry about what others think. You can hold that worry gently without treating it as the truth.',
      'You deserve the benefit of the doubt, just as much as they do.',
    ],
  },
  fortune_telling: {
    evidence_check: [
      'How often have predictions like this actually come true? Worried forecasts tend to run darker than what happens.',
      'What do you actually know right now, and what are you filling in about the future?',
    ],
    decatastrophize: [
      'What is the most likely outcome, not the worst one? And if it did go badly, what would you do next?',
      'Even if it goes the way you fear, you would still have ways to cope and people to lean on.',
    ],
    growth_mindset: [
      'The future is not written yet. What is one thing you could do today to make a better outcome more likely?',
      'You can prepare for this instead of predicting it. What would preparing look like?',
    ],
    impermanence: [
      'How you feel about this now is not how you will feel once it has happened. Things often look different up close.',
      'Whatever happens, it will be one chapter, not the whole book.',
    ],
  },
  catastrophizing: {
    decatastrophize: [
      'What is the worst case, the best case and the most likely case? The most likely one usually gets forgotten.',
      'If the worst did happen, what would you do next? You have more ways to cope than this moment lets you see.',
    ],
    evidence_check: [
      'How likely is this, honestly? Something being possible does not make it probable.',
      'What facts point to this disaster, and what facts point away from it?',
    ],
    impermanence: [
      'This feels huge right now. Feelings this big usually soften, and the situation tends to look smaller with time.',
      'Hard moments pass, even when they feel like they won\'t. You have come through difficult days before.',
    ],
    compassionate_reframe: [
      'Your mind is trying to protect you by preparing for the worst. You can thank it and still choose a calmer view.',
      'It is understandable to feel scared. You do not have to solve the whole future tonight.',
    ],
  },
  emotional_reasoning: {
    evidence_check: [
      'Feelings are real, but they are not proof. What would the facts say on their own?',
      'If the feeling were not in the room, what would the evidence show?',
    ],
    compassionate_reframe: [
      'It makes sense that you feel this way. You can honour the feeling without letting it decide what is true.',
      'Strong feelings deserve care, not obedience. Be gentle with yourself while this one passes.',
    ],
    impermanence: [
      'Feelings come and go like weather. The way you feel right now is not a permanent forecast.',
      'Notice how this feeling changes over the day. Something that shifts like that is not a fixed fact.',
    ],
    perspective_shift: [
      'If a friend felt this, would you tell them the feeling proves it? What would you say instead?',
      'How might you see this on a calmer day?',
    ],
  },
  should_statements: {
    compassionate_reframe: [
      'What if "should" became "I would like to"? You can hold a goal without punishing yourself for not being there yet.',
      'Rules like this often bring guilt more than change. You can want better and still be kind to yourself.',
    ],
    balanced_thinking: [
      'It would be nice if things were that way. They are not always, and that is frustrating, not a failure.',
      'Some expectations are fair and some are too rigid. Which part of this one is fair?',
    ],
    perspective_shift: [
      'Would you hold a friend to this rule? What would you say to them instead?',
      'Other people are living by their own rules, not yours. What would you like, rather than what must be?',
    ],
    growth_mindset: [
      'Instead of where you "should" be, look at where you are and one next step from here.',
      'Progress rarely follows the schedule we set for it. What is one small thing that would move you forward?',
    ],
  },
  labeling: {
    compassionate_reframe: [
      'You made a mistake; that is something you did, not who you are. You would not call a friend that for the same thing.',
      'Harsh labels hurt and rarely help. What would you say to someone you love in your place?',
    ],
    evidence_check: [
      'Does one moment really sum up a whole person? What else is true about you?',
      'If you collected all the evidence about you, not just today\'s, would the label still fit?',
    ],
    balanced_thinking: [
      'You can be someone who got this wrong and someone who gets many other things right.',
      'People are too complicated for one word. This is one thing that happened, not your identity.',
    ],
    growth_mindset: [
      'This is a skill you are still building, not a fixed trait. What would help you do it a little better next time?',
      'Everyone who is good at something was once bad at it. This is a stage, not a verdict.',
    ],
  },
  personalization: {
    reattribution: [
      'Many things played a part here besides you. If you drew a pie chart of causes, how big would your slice really be?',
      'Take your fair share of responsibility, not all of it. What else was outside your control?',
    ],
    compassionate_reframe: [
      'Caring this much shows how much it matters to you. You can care without carrying all of the blame.',
      'You would not blame a friend for all of this. You deserve the same fairness.',
    ],
    perspective_shift: [
      'How would someone outside the situation explain what happened?',
      'If this had happened to someone else, would you say it was all their fault?',
    ],
    evidence_check: [
      'What is the evidence that this was because of you, and what points to other causes?',
      'Is there a direct link between you and this outcome, or is your mind drawing one?',
    ],
  },
  blaming: {
    reattribution: [
      'They may have played a part, and other things did too. Seeing all the causes can make this feel less stuck.',
      'What parts of this were theirs, what parts were circumstance, and what part is yours to shape?',
    ],
    perspective_shift: [
      'How might they describe what happened? You do not have to agree to find it useful.',
      'Looking at it from a step back, what else was going on?',
    ],
    balanced_thinking: [
      'Someone can be partly responsible without being the whole cause. Both can be true.',
      'Their part matters, and so does what you do next.',
    ],
    growth_mindset: [
      'You cannot change them, but you can choose your next step. What is one thing within your reach?',
      'Focusing on what you can influence gives some of your power back. Where could you start?',
    ],
  },
  comparing: {
    perspective_shift: [
      'You are comparing your inside with their outside. Their highlight reel leaves out the struggles.',
      'Compare yourself with who you were a year ago instead. What has grown?',
    ],
    compassionate_reframe: [
      'Your path has its own pace. Someone else moving faster does not make you less.',
      'It is human to compare. You can notice it and come back to what matters to you.',
    ],
    growth_mindset: [
      'Their progress can be information, not a verdict. What could you learn from it for your own next step?',
      'Other people\'s success does not use up yours. What is one step on your own path?',
    ],
    balanced_thinking: [
      'They may be ahead in this one area, and you have strengths they do not see.',
      'Different people are ahead in different places. This is one measure, not the whole picture.',
    ],
  },
  none: {
    compassionate_reframe: [
      'This sounds hard. You deserve the same patience you would offer a good friend in this moment.',
      'It makes sense to feel this way. Be gentle with yourself while you work out what to do next.',
    ],
    perspective_shift: [
      'How might you see this on a calmer day, or a year from now?',
      'What would a friend who knows you well say about this?',
    ],
    impermanence: [
      'This is how things feel right now, not how they will always feel.',
      'Difficult moments pass, even when they feel heavy. This one can too.',
    ],
    growth_mindset: [
      'What is one small step that would make this a little easier?',
      'You have handled hard things before. What helped then that could help now?',
    ],
  },
};

/** First-person alternative thoughts the user can try on, per trap. */
export const alternativeThoughts: Record<TrapOrNone, readonly string[]> = {
  all_or_nothing: [
    "This didn't go the way I wanted, and that doesn't make it a total loss.",
    'It is somewhere between perfect and ruined, and the middle still counts.',
    'Partly is not the same as nothing.',
  ],
  overgeneralization: [
    "This happened this time. It doesn't decide every time after it.",
    "One hard moment isn't a pattern for the rest of my life.",
    "Sometimes it goes this way, and sometimes it doesn't.",
  ],
  mental_filter: [
    'That part was hard, and other parts were good too.',
    'I can notice what went wrong without letting it erase what went right.',
    'The whole picture is bigger than this one detail.',
  ],
  disqualifying_positive: [
    "I did that, and I'm allowed to let it count.",
    'Even if others can do it too, I still did it.',
    'Good things that happen to me are real too.',
  ],
  mind_reading: [
    "I don't actually know what they think. I can ask, or wait and see.",
    "I'm guessing about their thoughts, and my guess is harsher than the facts.",
    'Their reaction may have nothing to do with me.',
  ],
  fortune_telling: [
    "I don't know how this will go yet. I can prepare and see.",
    'It might be hard, and it might go better than I expect.',
    "I'll deal with what actually happens, when it happens.",
  ],
  catastrophizing: [
    "This is hard, and it's probably not the disaster my mind is showing me.",
    'Even if the worst happened, I would find ways to cope.',
    'I can handle this one step at a time.',
  ],
  emotional_reasoning: [
    "I feel this strongly, and feelings aren't facts.",
    "My feeling is real; it doesn't have to be the final word.",
    'I can feel this and still look at what is true.',
  ],
  should_statements: [
    "I'd like to do better, and I can be patient with myself while I learn.",
    "It would be nice if things were different; they don't have to be for me to be okay.",
    'I can choose what matters to me without turning it into a rule.',
  ],
  labeling: [
    "I made a mistake; that's something I did, not who I am.",
    "I'm a whole person who is still learning.",
    'One moment does not get to define me.',
  ],
  personalization: [
    "I'm responsible for my part, not for everything.",
    'Many things played a part here, not just me.',
    'I can care about this without carrying all the blame.',
  ],
  blaming: [
    'They played a part, and I still have choices in how I respond.',
    "I can't control them, but I can choose my next step.",
    'Other things played a part too, and I can focus on what I can change.',
  ],
  comparing: [
    "I'm on my own path, at my own pace.",
    "Their progress doesn't cancel mine.",
    "I'm growing in my own way.",
  ],
  none: [
    'This is hard right now, and I can take it one step at a time.',
    'I can be kind to myself while I figure this out.',
    "I've gotten through hard things before.",
  ],
};

/** A small concrete step suited to each trap, with how long it takes. */
export const microActions: Record<TrapOrNone, readonly { text: string; minutes: number }[]> = {
  all_or_nothing: [
    { text: 'Rate how it went from 0 to 100 instead of pass or fail, and write down one thing that earned points.', minutes: 3 },
    { text: 'Write two columns, "went okay" and "went wrong", and put at least one item in each.', minutes: 5 },
    { text: 'Pick the smallest part of this you could redo or improve, and spend five minutes on just that part.', minutes: 5 },
  ],
  overgeneralization: [
    { text: 'Write down two times things went differently from what "always" or "never" says.', minutes: 3 },
    { text: 'Rewrite the thought with "this time" instead of "always" or "never", and read both versions aloud.', minutes: 2 },
    { text: 'Text a friend and ask them for one time they saw you handle something like this well.', minutes: 5 },
  ],
  mental_filter: [
    { text: 'Write down three things that went fine today, however small.', minutes: 3 },
    { text: 'Describe the whole event in three sentences: the start, the middle and the end, not just the low point.', minutes: 5 },
    { text: 'Look at a photo or message from a good moment this week and let yourself take it in for a minute.', minutes: 2 },
  ],
  disqualifying_positive: [
    { text: 'Write the good thing down with one thing you did to make it happen, and leave it unqualified: no "but".', minutes: 3 },
    { text: 'Say "thank you" out loud to the compliment or the win, without adding an excuse.', minutes: 1 },
    { text: 'Start a short "counts" list and add this as its first entry.', minutes: 3 },
  ],
  mind_reading: [
    { text: 'Write down what they actually said or did, then three other explanations that do not involve you.', minutes: 5 },
    { text: 'If it feels safe, send a short, friendly message to check in instead of guessing.', minutes: 5 },
    { text: 'Rate from 0 to 100 how sure you are of what they think, then list what would change that number.', minutes: 3 },
  ],
  fortune_telling: [
    { text: 'Write your prediction on a note with today\'s date, and set a reminder to check it after the event.', minutes: 3 },
    { text: 'Write one thing you can do today that would make a better outcome more likely, and do the first minute of it.', minutes: 5 },
    { text: 'List three possible outcomes: the worst, the best and the most likely.', minutes: 3 },
  ],
  catastrophizing: [
    { text: 'Write three lines: the worst case, the best case and the most likely case. Circle the most likely one.', minutes: 5 },
    { text: 'Take ten slow breaths, breathing out longer than you breathe in, then name one thing you could do if the worst happened.', minutes: 3 },
    { text: 'Name five things you can see around you right now, to bring your attention back to the present.', minutes: 2 },
  ],
  emotional_reasoning: [
    { text: 'Name the feeling, rate it from 0 to 10, and write one fact that is true regardless of it.', minutes: 3 },
    { text: 'Set a timer for ten minutes, do something gentle, then rate the feeling again and notice if it moved.', minutes: 10 },
    { text: 'Finish this sentence on paper: "I feel ___, and the facts are ___."', minutes: 2 },
  ],
  should_statements: [
    { text: 'Rewrite one "should" as "I would like to ... because ..." and notice how it feels.', minutes: 3 },
    { text: 'Write down where the rule came from, and whether you would hold a friend to it.', minutes: 5 },
    { text: 'Pick one tiny step toward what you want and do it now, without needing to do it perfectly.', minutes: 5 },
  ],
  labeling: [
    { text: 'Describe what happened in plain facts, with no labels, as a kind friend would tell it.', minutes: 3 },
    { text: 'Write three qualities you have that the label leaves out.', minutes: 3 },
    { text: 'Write the label down, cross it out, and replace it with what you actually did.', minutes: 2 },
  ],
  personalization: [
    { text: 'Draw a quick pie chart of everything that played a part, and give yourself only your fair slice.', minutes: 5 },
    { text: 'List three causes of what happened that had nothing to do with you.', minutes: 3 },
    { text: 'Write what you would say to a friend who blamed themselves for this, then read it to yourself.', minutes: 5 },
  ],
  blaming: [
    { text: 'Write one part of this you can influence, and one small step you could take on it today.', minutes: 3 },
    { text: 'List everything that played a part, not just the person you are upset with.', minutes: 5 },
    { text: 'Take a short walk before you respond to them, and notice how your view shifts.', minutes: 10 },
  ],
  comparing: [
    { text: 'Write one way you have grown compared with yourself a year ago.', minutes: 3 },
    { text: 'Take a short break from the feed or the situation that triggered the comparison.', minutes: 10 },
    { text: 'List three things you value that have nothing to do with the comparison.', minutes: 3 },
  ],
  none: [
    { text: 'Take a five-minute walk or stretch, and notice five things around you.', minutes: 5 },
    { text: 'Write down one small thing you can do for yourself in the next hour, then do it.', minutes: 5 },
    { text: 'Breathe in for four counts and out for six, ten times.', minutes: 2 },
  ],
};

/**
 * Lines above that assume something about the thought, and what: "Their behaviour might be about
 * their day" needs someone else to have done something; "You made a mistake" needs the writer to
 * have done something and the label to be about themself. A line whose condition fails is not used.
 */
export const lineConditions: ReadonlyMap<string, LineCondition> = new Map<string, LineCondition>([
  ['There are many reasons people act the way they do: they might be tired, distracted or dealing with their own worries.', { otherAction: true }],
  ['Their behaviour might be about their day, not about you. What else could explain it?', { otherAction: true }],
  ['Their reaction may have nothing to do with me.', { otherAction: true }],
  ["You made a mistake; that is something you did, not who you are. You would not call a friend that for the same thing.", { person: 'self', selfAction: true }],
  ["I made a mistake; that's something I did, not who I am.", { person: 'self', selfAction: true }],
  ['Harsh labels hurt and rarely help. What would you say to someone you love in your place?', { person: 'self' }],
  ['Does one moment really sum up a whole person? What else is true about you?', { person: 'self' }],
  ["If you collected all the evidence about you, not just today's, would the label still fit?", { person: 'self' }],
  ['You can be someone who got this wrong and someone who gets many other things right.', { person: 'self', selfAction: true }],
  ['People are too complicated for one word. This is one thing that happened, not your identity.', { person: 'self' }],
  ['This is a skill you are still building, not a fixed trait. What would help you do it a little better next time?', { person: 'self' }],
  ['Everyone who is good at something was once bad at it. This is a stage, not a verdict.', { person: 'self' }],
  ["I'm a whole person who is still learning.", { person: 'self' }],
  ['One moment does not get to define me.', { person: 'self' }],
  ['What if "should" became "I would like to"? You can hold a goal without punishing yourself for not being there yet.', { person: 'self' }],
  ['Other people are living by their own rules, not yours. What would you like, rather than what must be?', { person: 'other' }],
  ['Instead of where you "should" be, look at where you are and one next step from here.', { person: 'self' }],
  ["I'd like to do better, and I can be patient with myself while I learn.", { person: 'self' }],
  ["You would not call a friend's effort worthless because one part went wrong. You deserve that fairness too.", { selfAction: true }],
  ['This is one attempt, not the final score. What would you keep, and what would you change next time?', { selfAction: true }],
  ['This happened, and it hurts. It is one event, not a pattern that decides everything after it.', { past: true }],
  ["This happened this time. It doesn't decide every time after it.", { past: true }],
  ['The hard part is real, and so is everything else that happened. Both can be true at once.', { past: true }],
]);

/** Lines for thoughts the lines above do not fit, each with the condition it needs. */
export const conditionalLines: Partial<Record<TrapOrNone, Partial<Record<TechniqueId, readonly { text: string; when: LineCondition }[]>>>> = {
  mind_reading: {
    reattribution: [
      {
        text: 'People usually notice far less of a slip than the person who made it, and they rarely sum someone up by one moment.',
        when: { selfAction: true },
      },
      {
        text: 'Other people are mostly busy with their own worries. A guess about their verdict on you is still only a guess.',
        when: { otherAction: false },
      },
    ],
  },
  labeling: {
    compassionate_reframe: [
      { text: 'People are more than the worst thing they did. You can be upset about what they did without deciding who they are.', when: { person: 'other' } },
      { text: 'A harsh word for yourself rarely helps you do better. What would you say to a friend who called themself that?', when: { person: 'self', selfAction: false } },
    ],
    evidence_check: [{ text: 'Is this label about one thing they did, or everything they are? What else do you know about them?', when: { person: 'other' } }],
    balanced_thinking: [{ text: 'Someone can act badly and still be more than one word. What did they actually do?', when: { person: 'other' } }],
    growth_mindset: [
      { text: 'Naming what they did, rather than who they are, makes it easier to decide what you need next.', when: { person: 'other' } },
    ],
  },
  should_statements: {
    compassionate_reframe: [
      { text: 'It is frustrating when people do not act the way you hoped. You can say what you need without a rule for how they must be.', when: { person: 'other' } },
    ],
    perspective_shift: [{ text: 'Where did this rule come from, and would you expect the same of someone you love?', when: { person: 'self' } }],
    growth_mindset: [{ text: 'You cannot make others follow your rule, but you can choose what you ask for and what you do next.', when: { person: 'other' } }],
  },
  all_or_nothing: {
    compassionate_reframe: [
      { text: 'Things can be disappointing without being worthless. You are allowed to feel let down and still see what is left.', when: { selfAction: false } },
    ],
    growth_mindset: [{ text: 'Very little is ever finished for good. What would a next, partial step look like?', when: { selfAction: false } }],
  },
  overgeneralization: {
    balanced_thinking: [{ text: 'This is a fear about what will keep happening, not a record of what has. The next time is still unwritten.', when: { past: false } }],
  },
  mental_filter: {
    balanced_thinking: [{ text: 'The hard part is real, and so is everything else in the picture. Both can be true at once.', when: { past: false } }],
  },
};

/** Alternative thoughts for the cases the list above does not fit. */
export const conditionalAlternatives: Partial<Record<TrapOrNone, readonly { text: string; when: LineCondition }[]>> = {
  labeling: [
    { text: "They did something I didn't like; that isn't all they are.", when: { person: 'other' } },
    { text: 'I can be upset with what they did without a label for who they are.', when: { person: 'other' } },
    { text: 'I got this wrong; that is one thing I did, not all I am.', when: { person: 'self', selfAction: true } },
  ],
  mind_reading: [{ text: "People notice my slips far less than I do, and one moment isn't their verdict on me.", when: { selfAction: true } }],
  should_statements: [{ text: "People don't always act the way I think they should, and I can decide what I need.", when: { person: 'other' } }],
  overgeneralization: [{ text: 'This is a fear about the future, not a fact about every time to come.', when: { past: false } }],
};
