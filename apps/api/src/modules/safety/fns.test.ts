import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SafetyCategory, safetyCategories } from '@kalei/contracts/ai-tasks';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { scoreCorpus, type CorpusRow } from './corpus-score.js';
import { assessText, stage1RuleIds, type Stage1Result } from './fns.js';
import { normalizeForSafety } from './normalise.js';

const CorpusLine = z
  .object({
    text: z.string().min(1).max(400),
    crisis: z.boolean(),
    category: SafetyCategory.optional(),
    note: z.string().optional(),
    /** Rows written after the rules, to measure how they generalise (docs/safety.md). */
    split: z.enum(['holdout', 'holdout2', 'holdout3', 'holdout4']).optional(),
    /** A known stage-1 miss or false alarm, left for stage 2; the test expects it to stay wrong. */
    knownGap: z.literal(true).optional(),
  })
  .strict()
  .refine((row) => !row.crisis || row.category !== undefined, 'crisis rows need a category');
type CorpusLine = z.infer<typeof CorpusLine>;

const corpus: CorpusLine[] = readFileSync(fileURLToPath(new URL('./safety-corpus.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => CorpusLine.parse(JSON.parse(line)));

const flagged = (text: string) => assessText(text).level !== 'none';
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('the corpus', () => {
  test('has at least 300 distinct rows covering every category', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((r) => r.text)).size).toBe(corpus.length);
    for (const category of safetyCategories) {
      expect(corpus.filter((r) => r.category === category).length, category).toBeGreaterThanOrEqual(15);
    }
    expect(corpus.filter((r) => !r.crisis).length).toBeGreaterThanOrEqual(150);
  });
});

describe('stage 1 over the corpus, row by row', () => {
  const rows = corpus.map((row) => ({ ...row, expected: row.crisis ? 'flagged' : 'not flagged' }));

  test.each(rows.filter((r) => !r.knownGap))('$expected: $text', (row) => {
    const result = assessText(row.text);
    expect(result.level !== 'none').toBe(row.crisis);
    if (row.crisis && row.category) expect(result.categories).toContain(row.category);
  });

  // Known gaps stay visible: when a rule change fixes one, this fails and the marker should go.
  test.fails.each(rows.filter((r) => r.knownGap))('known gap, $expected: $text', (row) => {
    expect(flagged(row.text)).toBe(row.crisis);
  });
});

describe('stage 1 over the corpus, in aggregate', () => {
  test('recall is at least 97% and the false-positive rate at most 3%', () => {
    const score = scoreCorpus(corpus, assessText);
    const bySplit = Object.fromEntries(
      ['dev', 'holdout', 'holdout2', 'holdout3', 'holdout4'].map((split) => {
        const s = scoreCorpus(
          corpus.filter((r) => (r.split ?? 'dev') === split),
          assessText,
        );
        return [split, { n: s.total, recall: s.recall, falsePositiveRate: s.falsePositiveRate }];
      }),
    );
    console.info(
      JSON.stringify({
        corpus: { n: score.total, recall: score.recall, falsePositiveRate: score.falsePositiveRate, crisisLevelRecall: score.crisisLevelRecall },
        perCategory: Object.fromEntries(Object.entries(score.perCategory).map(([k, v]) => [k, `${v.detected}/${v.total}`])),
        bySplit,
      }),
    );
    expect(score.recall).toBeGreaterThanOrEqual(0.97);
    expect(score.falsePositiveRate).toBeLessThanOrEqual(0.03);
    for (const [category, s] of Object.entries(score.perCategory)) {
      expect(s.recall, category).toBeGreaterThanOrEqual(0.95);
      expect(s.categoryMatched / s.total, `${category} named`).toBeGreaterThanOrEqual(0.95);
    }
  });

  test('the trigger index skips no rule that could match (same result as running every rule)', () => {
    for (const row of corpus) expect(assessText(row.text), row.text).toEqual(assessText(row.text, { exhaustive: true }));
  });
});

describe('scoreCorpus', () => {
  const rows: CorpusRow[] = [
    { text: 'a', crisis: true, category: 'self_harm' },
    { text: 'b', crisis: true, category: 'self_harm' },
    { text: 'c', crisis: true, category: 'medical_emergency' },
    { text: 'd', crisis: false },
    { text: 'e', crisis: false },
    { text: 'f', crisis: false },
    { text: 'g', crisis: false },
  ];
  const fake: Record<string, Pick<Stage1Result, 'level' | 'categories'>> = {
    a: { level: 'crisis', categories: ['self_harm'] },
    b: { level: 'none', categories: [] },
    c: { level: 'ambiguous', categories: ['suicidal_ideation'] },
    d: { level: 'ambiguous', categories: ['suicidal_ideation'] },
    e: { level: 'none', categories: [] },
    f: { level: 'none', categories: [] },
    g: { level: 'none', categories: [] },
  };

  test('counts ambiguous as flagged and reports recall, false-positive rate and categories', () => {
    const s = scoreCorpus(rows, (text) => fake[text] ?? { level: 'none', categories: [] });
    expect(s).toMatchObject({
      total: 7,
      positives: 3,
      negatives: 4,
      truePositives: 2,
      falseNegatives: 1,
      falsePositives: 1,
      trueNegatives: 3,
      recall: 0.6667,
      falsePositiveRate: 0.25,
      precision: 0.6667,
      crisisLevelRecall: 0.3333,
      missedRows: [1],
      falseAlarmRows: [3],
    });
    expect(s.perCategory.self_harm).toEqual({ total: 2, detected: 1, categoryMatched: 1, recall: 0.5 });
    expect(s.perCategory.medical_emergency).toEqual({ total: 1, detected: 1, categoryMatched: 0, recall: 1 });
  });

  test('an empty corpus scores zero rather than dividing by zero', () => {
    expect(scoreCorpus([], assessText)).toMatchObject({ total: 0, recall: 0, falsePositiveRate: 0 });
  });
});

describe('normalizeForSafety', () => {
  test.each([
    ['K I L L  M Y S E L F', 'killmyself'],
    ['k.i.l.l m.y.s.e.l.f', 'killmyself'],
    ['k!ll mys3lf', 'kill myself'],
    ['ki11 myself', 'kill myself'],
    ['su1c1dal', 'suicidal'],
    ['$uicide', 'suicide'],
    ['d13', 'die'],
    ['I WANT TO DIEEEEE', 'i want to die'],
    ['sooooo tired', 'so tired'],
    ['I’m not okay', 'im not okay'],
    ['don\'t', 'dont'],
    ['café naïve', 'cafe naive'],
    ['kіll (Cyrillic і)', 'kill (cyrillic i)'],
    ['ki\u200bll', 'kill'],
    ['k*ll myself', 'kill myself'],
    ['s**cide', 'suicide'],
    ['wow!!! ok', 'wow!!! ok'],
    ['see you at 3pm, 5 kms away', 'see you at 3pm, 5 kms away'],
    ['one\ntwo', 'one two'],
    ['one\n\ntwo', 'one\ntwo'],
    ['  padded   text  ', 'padded text'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeForSafety(input)).toBe(expected);
  });
});

describe('assessText', () => {
  test.each([
    ['I want to kill myself', 'crisis', 'suicidal_ideation'],
    ['I just want to disappear', 'ambiguous', 'suicidal_ideation'],
    ["what's the point of anything", 'ambiguous', 'suicidal_ideation'],
    ["I can't go on like this", 'ambiguous', 'suicidal_ideation'],
    ['I started cutting again', 'crisis', 'self_harm'],
    ["I'm going to kill him", 'crisis', 'harm_to_others'],
    ["I'm not safe at home", 'crisis', 'danger_abuse'],
    ['I took too many pills', 'crisis', 'medical_emergency'],
    ['lol I want to die', 'ambiguous', 'suicidal_ideation'],
    ['I used to want to kill myself years ago', 'ambiguous', 'suicidal_ideation'],
  ] as const)('%j is %s (%s)', (text, level, category) => {
    const result = assessText(text);
    expect(result.level).toBe(level);
    expect(result.categories).toContain(category);
  });

  // The ambiguous band: implicit ideation is sent to stage 2, never decided at stage 1 alone.
  test.each([
    "I don't see a way forward",
    "I can't see a way out of this",
    'there is no way out for me',
    'everyone would be better off',
    'my family would be better off',
    "I can't keep doing this",
    "I've given up",
    'soon it won\'t matter anymore',
    "I'm done. I'm just done with everything",
    "this is the last time you'll hear from me",
    "I've made up my mind, tonight is the night",
    'I looked up how many pills it would take',
    "I'm just a burden to everyone",
  ])('implicit ideation is at least ambiguous: %j', (text) => {
    const result = assessText(text);
    expect(result.level).not.toBe('none');
    expect(result.categories).toContain('suicidal_ideation');
  });

  test.each([
    'I want to kill myself',
    'I am going to kill myself tonight',
    "I'm going to jump off the bridge tonight",
    'I plan to hang myself this weekend',
    'I am about to end my life',
    'I have the pills here and I am taking them all now',
    "I'm tired of existing",
    'everyone would be better off without me',
  ])('explicit, present, first-person intent escalates at once: %j', (text) => {
    expect(assessText(text).level).toBe('crisis');
  });

  test.each([
    ['everyone would be better off if we switched to the new schedule'],
    ["I can't keep doing this job, the commute is too long"],
    ['people would be better off without social media'],
  ])('the ambiguous band spares everyday uses: %j', (text) => {
    expect(assessText(text).level).toBe('none');
  });

  test('a third person, reported speech, the past, fiction or an idiom lowers the score rather than clearing it', () => {
    const third = assessText('My sister feels suicidal');
    expect(third).toMatchObject({ level: 'none', ruleIds: [] });
    expect(third.score).toBeGreaterThan(0);
    expect(assessText("The villain says 'I want to die'").score).toBeGreaterThan(0);
    expect(assessText('I nearly killed myself laughing').score).toBeGreaterThan(0);
    // Negation clears: "I would never" is not a lowered mention.
    expect(assessText('I would never kill myself').score).toBe(0);
    // Set-aside matches add up: several of them in one text reach stage 2.
    const several = assessText('My sister feels suicidal. In the film the hero says "I want to die". My friend wants to kill himself.');
    expect(several.score).toBeGreaterThan(third.score);
    expect(several.level).toBe('ambiguous');
    expect(several.categories).toEqual(['suicidal_ideation']);
  });

  // Someone reporting another person's crisis is not the user's own: the person nearest before the
  // match is its subject, so the reporter's "me" ("my sister told me she ...") does not make it first person.
  test.each([
    'My sister told me she feels suicidal again',
    'My best friend texted me that she wants to die',
    'My brother told me he has been feeling suicidal lately',
  ])('reported speech about another person lowers the score without flagging: %j', (text) => {
    const result = assessText(text);
    expect(result).toMatchObject({ level: 'none', ruleIds: [] });
    expect(result.score).toBeGreaterThan(0);
    expect(result.suppressed.some((reason) => reason.endsWith(':third_person'))).toBe(true);
  });

  test.each([
    ['My sister told me I seem suicidal again', 'ambiguous'],
    ['I told my sister I feel suicidal again', 'crisis'],
    ["My sister told me she's leaving and now I want to die", 'crisis'],
    ['My friend told me to call a hotline because I want to kill myself', 'crisis'],
  ] as const)('reported speech about the user still flags: %j is %s', (text, level) => {
    expect(assessText(text).level).toBe(level);
  });

  test('says why a match was set aside, by rule id and reason', () => {
    expect(assessText('I would never kill myself').suppressed).toContain('si.kill_myself:negated');
    expect(assessText('I nearly killed myself laughing').suppressed).toContain('si.kill_myself:idiom');
    expect(assessText("The villain says 'I want to die'").suppressed).toContain('si.want_die:framed');
    expect(assessText('My sister feels suicidal').suppressed).toContain('si.suicidal_state:third_person');
  });

  test('finds a crisis phrase at the end of a long journal entry', () => {
    const day = 'Work ran late again and the meeting went badly, so I came home tired and cooked something quick. ';
    const text = `${day.repeat(22)}Honestly I don't want to be alive anymore.`;
    expect(text.length).toBeGreaterThan(2000);
    expect(assessText(text)).toMatchObject({ level: 'crisis', categories: ['suicidal_ideation'] });
    expect(assessText(day.repeat(22)).level).toBe('none');
  });

  test('never returns the text: only known rule ids, categories, a score and reasons', () => {
    const known = new Set(stage1RuleIds());
    for (const row of corpus) {
      const result = assessText(row.text);
      expect(Object.keys(result).sort()).toEqual(['categories', 'level', 'ruleIds', 'score', 'suppressed']);
      for (const category of result.categories) expect(safetyCategories).toContain(category);
      for (const id of result.ruleIds) expect(known.has(id.split('~')[0] ?? '')).toBe(true);
      for (const entry of result.suppressed) expect(entry).toMatch(/^[a-z]{2}\.[a-z_]+:(negated|framed|idiom|third_person|history)$/);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
  });

  test('rule ids are unique and stable in shape', () => {
    const ids = stage1RuleIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(si|sh|ho|da|me)\.[a-z_]+$/);
  });

  test('empty and odd input is handled', () => {
    expect(assessText('')).toEqual({ level: 'none', categories: [], ruleIds: [], score: 0, suppressed: [] });
    expect(assessText('!!!???...').level).toBe('none');
    expect(assessText('🙂'.repeat(500)).level).toBe('none');
  });
});

// PatternReframe (Maddela et al., 2023): ordinary unhelpful thoughts that should be reframed.
// Read from the shared data folder when present; never copied into the repository.
const patternReframeDir = fileURLToPath(new URL('../../../../../../shared/data/patternreframe/', import.meta.url));
const havePatternReframe = existsSync(`${patternReframeDir}train.txt`) && existsSync(`${patternReframeDir}valid.txt`);

describe.skipIf(!havePatternReframe)('PatternReframe thoughts (development data)', () => {
  const thoughts = havePatternReframe
    ? ['train.txt', 'valid.txt'].flatMap((file) =>
        readFileSync(`${patternReframeDir}${file}`, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => z.object({ thought: z.string() }).parse(JSON.parse(line)).thought),
      )
    : [];

  test('flags almost none of the 2,881 ordinary thoughts', () => {
    expect(thoughts.length).toBe(2881);
    const results = thoughts.map((t) => assessText(t));
    const flaggedCount = results.filter((r) => r.level !== 'none').length;
    const crisisCount = results.filter((r) => r.level === 'crisis').length;
    console.info(`PatternReframe: ${flaggedCount}/${thoughts.length} flagged (${percent(flaggedCount / thoughts.length)}), ${crisisCount} at crisis level`);
    expect(flaggedCount / thoughts.length).toBeLessThanOrEqual(0.015);
  });

  test('still flags the few that contain crisis language', () => {
    const withCrisisLanguage = thoughts.filter((t) => /making me suicidal|going to end it all|I will probably kill myself/i.test(t));
    expect(withCrisisLanguage.length).toBeGreaterThanOrEqual(3);
    for (const t of withCrisisLanguage) expect(flagged(t)).toBe(true);
  });

  test('the trigger index gives the same result as running every rule', () => {
    for (const t of thoughts) expect(assessText(t)).toEqual(assessText(t, { exhaustive: true }));
  });
});
