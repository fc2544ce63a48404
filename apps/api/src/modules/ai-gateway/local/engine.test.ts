import { describe, expect, test, vi } from 'vitest';
import { aiTasks, type AiTaskInput, type AiTaskName } from '@kalei/contracts/ai-tasks';
import { trapIds, type TrapId } from '@kalei/contracts/taxonomy';
import { createLocalEngine, LOCAL_ENGINE_VERSION } from './engine.js';

/** A small deterministic PRNG (mulberry32), so the generated inputs are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const situations = [
  'I burnt the dinner',
  'My boss gave me feedback',
  'I missed the bus again',
  'She did not text back',
  'I got a B on the exam',
  'We lost the game',
  'My date cancelled',
  'I forgot my friend\u2019s birthday',
  'The presentation went okay',
  'I went for a run',
  '',
];
const thoughtsAbout = [
  "I'm such a failure",
  'everyone must think I am stupid',
  'I will never get this right',
  'I always ruin everything',
  'it was only luck',
  'I should have done better',
  "it's all my fault",
  'this is a total disaster',
  'they are going to fire me',
  'I feel like a burden so I must be one',
  'my sister is so much prettier than me',
  'he ruined my whole week',
  'the whole day was ruined',
  'I had a nice time',
  'nobody cares about me',
  'what if I fail',
  'you never listen to me',
  '',
];
const decorations = ['', '!', '...', ' \u{1F62D}', '?', '\n', '  ', ' lol'];

function generateTexts(n: number, seed: number): string[] {
  const next = rng(seed);
  const choose = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: n }, () => {
    const parts = [choose(situations), choose(thoughtsAbout), next() < 0.3 ? choose(thoughtsAbout) : ''].filter(Boolean);
    const joiner = choose(['. ', ', ', ' and ', ' but ', '\n', ' ']);
    let text = parts.join(joiner) + choose(decorations);
    if (next() < 0.15) text = text.toUpperCase();
    if (next() < 0.1) text = text.toLowerCase().replace(/\bi\b/g, 'i');
    return text;
  });
}

const texts = [...generateTexts(300, 42), '', ' ', 'a', '\u{1F600}', 'x'.repeat(4000), "I'm a loser. ".repeat(100)];

function inputsFor(task: AiTaskName, text: string, i: number): AiTaskInput<AiTaskName> {
  const trap: TrapId = trapIds[i % trapIds.length] ?? 'labeling';
  const someTraps = trapIds.filter((_, j) => (i + j) % 4 === 0);
  const counts = Object.fromEntries(someTraps.map((t, j) => [t, (i + j) % 7]));
  switch (task) {
    case 'turn.reframe':
      return { thought: text, ...(i % 3 === 0 ? { moodBefore: (i % 10) + 1 } : {}), ...(i % 5 === 0 ? { context: 'at work' } : {}) };
    case 'mirror.detectFragments':
      return { text };
    case 'mirror.reframeFragment':
      return { fragmentText: text, trap, ...(i % 2 === 0 ? { context: 'journal' } : {}) };
    case 'mirror.reflect':
      return { messages: [text, texts[(i + 7) % texts.length] ?? ''], traps: someTraps };
    case 'lens.affirmation':
    case 'lens.focus':
      return {
        goals: i % 4 === 0 ? [] : [text.slice(0, 60), 'I want to sleep better'],
        recentTraps: someTraps.slice(0, 3),
        localDate: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
      };
    case 'spectrum.narrative':
      return {
        period: i % 2 === 0 ? 'weekly' : 'monthly',
        trapCounts: counts,
        turns: i % 9,
        mirrorSessions: i % 4,
        ...(i % 3 === 0 ? { previousTrapCounts: Object.fromEntries(someTraps.map((t, j) => [t, (i * j) % 5])) } : {}),
      };
    case 'safety.confirm':
      return { text };
  }
}

describe('every task answers within its output schema', () => {
  const engine = createLocalEngine();
  const tasks = Object.keys(aiTasks) as AiTaskName[];

  test.each(tasks)('%s over generated inputs', (task) => {
    texts.forEach((text, i) => {
      const input = inputsFor(task, text, i);
      // The inputs themselves are valid, so a failure below is the engine's, not the generator's.
      expect(aiTasks[task].input.safeParse(input).success).toBe(true);
      const output = engine.run(task, input);
      const parsed = aiTasks[task].output.safeParse(output);
      if (!parsed.success) throw new Error(`${task} on ${JSON.stringify(text.slice(0, 80))}: ${parsed.error.message}`);
    });
  });

  test('fragment offsets always point inside the text', () => {
    for (const text of texts) {
      for (const f of engine.run('mirror.detectFragments', { text }).fragments) {
        expect(f.end).toBeLessThanOrEqual(text.length);
        expect(f.start).toBeLessThan(f.end);
        expect(text.slice(f.start, f.end).trim()).not.toBe('');
      }
    }
  });

  test('is deterministic for every task', () => {
    const again = createLocalEngine();
    for (const task of tasks) {
      texts.slice(0, 40).forEach((text, i) => {
        const input = inputsFor(task, text, i);
        expect(again.run(task, input)).toEqual(engine.run(task, input));
      });
    }
  });

  test('two different thoughts rarely get identical reframes', () => {
    const distinct = [...new Set(texts.filter((t) => t.trim().length > 0))];
    const outputs = new Set(distinct.map((thought) => JSON.stringify(engine.run('turn.reframe', { thought }).reframes)));
    expect(outputs.size / distinct.length).toBeGreaterThan(0.97);
  });
});

describe('safety.confirm', () => {
  test('without a confirmer it fails safe: it cannot call an ambiguous text safe', () => {
    expect(createLocalEngine().run('safety.confirm', { text: 'I am fine, just tired' })).toEqual({
      crisis: true,
      category: null,
      confidence: 0.5,
    });
  });

  test('uses the confirmer it is given', () => {
    const confirmSafety = vi.fn(() => ({ crisis: false, category: null, confidence: 0.9 }));
    const engine = createLocalEngine({ confirmSafety });
    expect(engine.run('safety.confirm', { text: 'hello' })).toEqual({ crisis: false, category: null, confidence: 0.9 });
    expect(confirmSafety).toHaveBeenCalledWith('hello');
  });
});

test('records a version the API can store as the model', () => {
  const engine = createLocalEngine();
  expect(engine.version).toBe(LOCAL_ENGINE_VERSION);
  expect(engine.version).toMatch(/^local-\d+\.\d+\.\d+$/);
});

test('refuses a task it does not know', () => {
  const engine = createLocalEngine();
  expect(() => engine.run('nope' as AiTaskName, { text: '' } as never)).toThrow(/no handler/);
});
