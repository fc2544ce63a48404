/**
 * The blind quality harness (seed §16): `npm run eval -- <safety|fragments|turn> --input FILE.jsonl
 * [--output OUT.jsonl]`. Each input line is `{"id", "text", "label"?}`; every text runs through the
 * task on the configured lane (AI_ROUTING / AI_ROUTING_FILE; the local engine when unset), so two
 * models can be compared on one file before a canary rollout. With labels it prints per-label
 * precision, recall and F1 and a confusion table. Output lines hold ids, labels and predictions.
 * `fragments` also takes a "no distortion" label (none, No Distortion, Not distorted) and adds
 * distorted-vs-not precision, recall, F1 and the false-fragment rate (eval-fragments.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { mapTrapLabel } from '@kalei/contracts/taxonomy';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { createMemoryCache } from './infra/cache-memory.js';
import { fragmentGold, fragmentReport } from './eval-fragments.js';
import { createAiGatewayFromConfig } from './modules/ai-gateway/index.js';
import { scorePredictions } from './modules/ai-gateway/local/scoring.js';
import { confirmLocally } from './modules/safety/local-stage2.js';
import { createSafetyService, type SafetyEventRecord } from './modules/safety/service.js';

const tasks = ['safety', 'fragments', 'turn'] as const;
type EvalTask = (typeof tasks)[number];

interface InputLine {
  id: string;
  text: string;
  label?: string;
}

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run eval -- <${tasks.join('|')}> --input FILE.jsonl [--output OUT.jsonl]\n`);
  process.exit(2);
}

function readInput(file: string): InputLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => [line.trim(), index + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, number]) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        fail(`${file}:${number}: not JSON`);
      }
      const row = parsed as Partial<InputLine>;
      if (typeof row.text !== 'string') fail(`${file}:${number}: "text" must be a string`);
      return { id: String(row.id ?? number), text: row.text, ...(row.label === undefined ? {} : { label: String(row.label) }) };
    });
}

/** Safety labels: a category name, or crisis/none (also true/false). */
function normaliseSafetyLabel(label: string): string {
  const value = label.trim().toLowerCase();
  if (['true', 'crisis', 'yes', '1'].includes(value)) return 'crisis';
  if (['false', 'none', 'no', '0', 'safe'].includes(value)) return 'none';
  return value;
}

function printScore(golds: string[], predictions: (string | null)[]) {
  const score = scorePredictions(golds.map((gold, i) => ({ gold, predicted: predictions[i] ?? null })));
  console.log('\n| label | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|');
  for (const c of score.perClass) {
    console.log(`| ${c.label} | ${c.support} | ${(c.precision * 100).toFixed(1)} | ${(c.recall * 100).toFixed(1)} | ${(c.f1 * 100).toFixed(1)} |`);
  }
  console.log(`\nmacro-F1 ${(score.macroF1 * 100).toFixed(1)}, accuracy ${(score.accuracy * 100).toFixed(1)}%, coverage ${(score.coverage * 100).toFixed(1)}%, n ${score.n}`);
  const labels = [...new Set([...golds, ...predictions.map((p) => p ?? '(none)')])].sort();
  console.log(`\nconfusion (rows: label, columns: prediction)\n| | ${labels.join(' | ')} |\n|---|${labels.map(() => '---:').join('|')}|`);
  for (const gold of labels) {
    const cells = labels.map((predicted) => golds.filter((g, i) => g === gold && (predictions[i] ?? '(none)') === predicted).length);
    if (cells.some((n) => n > 0)) console.log(`| ${gold} | ${cells.join(' | ')} |`);
  }
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { input: { type: 'string' }, output: { type: 'string' } },
  });
  const task = positionals[0] as EvalTask | undefined;
  if (!task || !tasks.includes(task)) fail(`unknown task ${task ?? '(none)'}`);
  if (!values.input) fail('--input is required');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  const gateway = createAiGatewayFromConfig(config, {
    env: readEnvironment(),
    cache: createMemoryCache(),
    recordUsage: () => {},
    logger: pino({ level: 'warn' }, process.stderr),
    confirmSafety: (text) => confirmLocally(text),
  });
  const rows = readInput(values.input);
  const outputs: Record<string, unknown>[] = [];
  const golds: string[] = [];
  const predictions: (string | null)[] = [];
  const engines = new Set<string>();
  // The safety task runs the API's own gate: stage 1, the classifier, and the lane's confirmation.
  let lastEvent: SafetyEventRecord | null = null;
  const outcomes = new Map<string, number>();
  const safety = createSafetyService({
    stage2Enabled: config.SAFETY_STAGE2,
    confirm: async (text) => {
      const result = await gateway.run('safety.confirm', { text }, { feature: 'eval' });
      engines.add(result.engine.engine === 'local' ? 'local classifier' : result.engine.model);
      return { ...result.output, by: result.engine.engine === 'local' ? { engine: 'local' } : { engine: 'model', version: `${result.engine.model}@${result.engine.promptVersion}` } };
    },
    recordEvent: async (event) => {
      lastEvent = event;
    },
  });

  for (const row of rows) {
    let prediction: string | null;
    let detail: Record<string, unknown>;
    if (task === 'safety') {
      lastEvent = null;
      const result = await safety.precheck(row.text, { userId: 'eval', country: null, locale: null, feature: 'eval' });
      const event = lastEvent as SafetyEventRecord | null;
      const crisis = result.kind === 'crisis';
      const category = result.kind === 'crisis' ? result.response.primaryCategory : null;
      const outcome = event?.outcome ?? 'safe';
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const labelled = row.label === undefined ? undefined : normaliseSafetyLabel(row.label);
      prediction = crisis ? (labelled === undefined || ['crisis', 'none'].includes(labelled) ? 'crisis' : (category ?? 'crisis')) : 'none';
      detail = { crisis, category, stage: event?.stage ?? 1, outcome, ruleIds: event?.ruleIds ?? [], classifierScore: event?.classifierScore ?? null, version: event?.version ?? null };
      if (labelled !== undefined) golds.push(labelled);
    } else if (task === 'fragments') {
      const result = await gateway.run('mirror.detectFragments', { text: row.text }, { feature: 'eval' });
      engines.add(result.engine.model);
      const top = [...result.output.fragments].sort((a, b) => b.confidence - a.confidence)[0];
      prediction = top?.trap ?? null;
      detail = { fragments: result.output.fragments.map((f) => ({ start: f.start, end: f.end, trap: f.trap, confidence: f.confidence })) };
      if (row.label !== undefined) {
        // A "no distortion" label (none, No Distortion, Not distorted) is a gold of its own.
        const mapped = fragmentGold(row.label);
        if (mapped === null) fail(`line ${row.id}: label "${row.label}" has no Kalei trap (nor is it a no-distortion label)`);
        golds.push(mapped);
      }
    } else {
      const result = await gateway.run('turn.reframe', { thought: row.text }, { feature: 'eval' });
      engines.add(result.engine.model);
      prediction = result.output.traps[0] ?? null;
      detail = { traps: result.output.traps, reframes: result.output.reframes, microAction: result.output.microAction };
      if (row.label !== undefined) {
        const mapped = mapTrapLabel(row.label);
        if (mapped !== null) golds.push(mapped);
      }
    }
    predictions.push(prediction);
    outputs.push({ id: row.id, ...(row.label === undefined ? {} : { label: row.label }), prediction, ...detail });
  }
  gateway.close();

  if (values.output) writeFileSync(values.output, `${outputs.map((o) => JSON.stringify(o)).join('\n')}\n`);
  console.log(`${task}: ${rows.length} lines through ${[...engines].join(', ') || 'stage 1 only'}${values.output ? `, written to ${values.output}` : ''}`);
  if (task === 'safety') {
    console.log(`outcomes: ${[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    if (golds.length === rows.length) {
      const flagged = (i: number) => predictions[i] !== 'none';
      const positives = golds.flatMap((g, i) => (g === 'none' ? [] : [i]));
      const negatives = golds.flatMap((g, i) => (g === 'none' ? [i] : []));
      const rate = (list: number[]) => (list.length === 0 ? 'n/a' : (list.filter(flagged).length / list.length).toFixed(4));
      console.log(`crisis recall ${rate(positives)} (n ${positives.length}), false crisis ${rate(negatives)} (n ${negatives.length})`);
    }
  }
  if (golds.length === rows.length && golds.length > 0 && task === 'fragments') console.log(fragmentReport(golds as Parameters<typeof fragmentReport>[0], predictions).join('\n'));
  else if (golds.length === rows.length && golds.length > 0) printScore(golds, predictions);
  else if (golds.length > 0) console.log(`(${golds.length} of ${rows.length} lines carry a usable label: scores need every line labelled)`);
}

await main();
