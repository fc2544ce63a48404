/**
 * Safety screen latency on realistic ~2 KB journal entries, a fifth of them with a crisis phrase near
 * the end (where a whole-text scan has to reach): per-call time of stage 1 (assessText) and of the
 * learned local stage 2 (judgeLocally: normalisation and the classifier's score, given stage 1's
 * result), each timed on its own over the same texts. Prints one JSON line.
 *
 *   npx tsx apps/api/bench/safety-stage1.ts                  # 20,000 calls of each on 2 KB texts
 *   npx tsx apps/api/bench/safety-stage1.ts --calls 50000 --bytes 4096
 *   npx tsx apps/api/bench/safety-stage1.ts --per-text       # also each text's median of 60 runs
 *
 * The texts are generated here from short sentences written for this benchmark; no user text and no
 * development data is used. Targets on the 2-core machine (issue 12): stage 1 p99 at most 0.2 ms,
 * the local classifier p99 at most 1 ms (docs/benchmarks.md).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { assessText, type Stage1Result } from '../src/modules/safety/fns.js';
import { judgeLocally } from '../src/modules/safety/local-stage2.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    bytes: { type: 'string', default: '2048' },
    texts: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '3000' },
    'per-text': { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const bytes = Number(values.bytes);
const textCount = Number(values.texts);
const warmup = Number(values.warmup);

const JOURNAL = [
  'Work ran late again and the meeting went badly.',
  "I keep thinking my manager doesn't rate me, even though she said the report was fine.",
  'Had coffee with Sam, which helped a bit.',
  "I'm so behind on everything and I feel like I'll never catch up.",
  'My mom called and we argued about the holidays again.',
  'I burned dinner and then felt stupid about it for an hour.',
  'The gym was packed so I went for a walk instead.',
  "Everyone at the party seemed to know each other and I didn't know what to say.",
  "I can't stop comparing myself to my sister.",
  'Tomorrow I have the interview and I already feel like I failed it.',
  "My back hurts from sitting all day, I should really stretch more.",
  'I cleaned the kitchen, which felt like a small win.',
  "I'm exhausted and my head is full of noise.",
  "Nobody texted back and I'm sure they're annoyed with me.",
  'The train was late and I missed the start of class.',
  "I ruined the presentation, I'm such an idiot.",
  'It rained all day and I stayed in bed longer than I wanted.',
  'I watched two episodes of that show and forgot to answer emails.',
  "My friend said I seemed quiet lately, and she's right.",
  "I keep telling myself I'll start over on Monday.",
  "This traffic is killing me, forty minutes for five miles.",
  "I'm dying to see the new exhibition this weekend.",
  "My roommate's music was so loud I couldn't sleep.",
  'I wrote three pages of my essay, not great but something.',
];
const CRISIS = [
  "Honestly I don't want to be alive anymore.",
  'I keep thinking about killing myself.',
  'I just want to disappear and never come back.',
  'I started cutting again last night.',
  "He hit me again and I'm scared to go home.",
  'I took too many pills an hour ago.',
  'I can’t go on like this.',
  'Everyone would be better off without me.',
];

// A small deterministic generator, so every run measures the same texts.
let seed = 0x2f6b1d3;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const texts: string[] = [];
for (let i = 0; i < textCount; i++) {
  const withCrisis = i % 5 === 0;
  const crisis = withCrisis ? ` ${pick(CRISIS)}` : '';
  let text = '';
  while (text.length + crisis.length < bytes - 120) text += `${pick(JOURNAL)} `;
  text += crisis;
  while (text.length < bytes) text += ` ${pick(JOURNAL)}`;
  texts.push(text.slice(0, bytes));
}

let flagged = 0;
const stage1Of = new Map<string, Stage1Result>();
for (const text of texts) {
  const result = assessText(text);
  stage1Of.set(text, result);
  if (result.level !== 'none') flagged++;
}
const round = (x: number) => Math.round(x * 10000) / 10000;

/** Times fn over the texts: wall clock and per-call CPU, after warm-up; optionally each text's median. */
function measure(fn: (text: string) => unknown) {
  for (let i = 0; i < warmup; i++) fn(texts[i % texts.length] as string);

  const samples = new Float64Array(calls);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const text = texts[i % texts.length] as string;
    const start = process.hrtime.bigint();
    fn(text);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const cpu = process.cpuUsage(cpuBefore);

  // Wall-clock percentiles include time the OS gives to other processes, which dominates the tail on
  // a busy 2-core machine; per-call CPU time (microsecond resolution on Linux) leaves that out.
  const cpuSamples = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const text = texts[i % texts.length] as string;
    const start = process.cpuUsage();
    fn(text);
    const used = process.cpuUsage(start);
    cpuSamples[i] = (used.user + used.system) / 1000;
  }

  const percentile = (sorted: Float64Array, q: number) => round(sorted[Math.min(calls - 1, Math.floor(q * calls))] as number);
  samples.sort();
  cpuSamples.sort();

  // Each text's own median over 60 runs: the deterministic cost, with scheduling noise averaged out.
  let perText: { median_text_ms: number; slowest_text_ms: number } | undefined;
  if (values['per-text']) {
    const medians = texts.map((text) => {
      const runs: number[] = [];
      for (let r = 0; r < 60; r++) {
        const start = process.hrtime.bigint();
        fn(text);
        runs.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return runs.sort((a, b) => a - b)[30] as number;
    });
    medians.sort((a, b) => a - b);
    perText = { median_text_ms: round(medians[Math.floor(medians.length / 2)] as number), slowest_text_ms: round(medians[medians.length - 1] as number) };
  }

  return {
    p50_ms: percentile(samples, 0.5),
    p95_ms: percentile(samples, 0.95),
    p99_ms: percentile(samples, 0.99),
    max_ms: percentile(samples, 1),
    cpu_mean_ms: round((cpu.user + cpu.system) / 1000 / calls),
    cpu_p50_ms: percentile(cpuSamples, 0.5),
    cpu_p99_ms: percentile(cpuSamples, 0.99),
    ...perText,
  };
}

const stage1 = measure((text) => assessText(text));
const classifier = measure((text) => judgeLocally(text, stage1Of.get(text) as Stage1Result));

console.log(
  JSON.stringify({
    bench: 'safety-latency',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    calls,
    texts: textCount,
    bytes,
    flaggedTexts: flagged,
    stage1,
    classifier,
  }),
);
