import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from './test/env.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kalei-eval-'));
const run = (args: string[]) =>
  execFileSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'apps/api/src/eval.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AI_ROUTING: '', AI_ROUTING_FILE: '', KALEI_DATA_DIR: dir },
  });

describe('npm run eval', () => {
  test('fragments: scores labels from another taxonomy against the local engine and writes predictions', () => {
    const input = path.join(dir, 'fragments.jsonl');
    const output = path.join(dir, 'out.jsonl');
    writeFileSync(
      input,
      [
        { id: 'a', text: 'I should always be perfect at everything.', label: 'Should statements' },
        { id: 'b', text: 'They must think I am an idiot.', label: 'Jumping to conclusions: mind reading' },
        { id: 'c', text: 'I am such a loser.', label: 'Labeling and mislabeling' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const printed = run(['fragments', '--input', input, '--output', output]);
    expect(printed).toContain('3 lines through local');
    expect(printed).toMatch(/macro-F1 \d/);
    expect(printed).toContain('| should_statements |');
    const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0].prediction).toBe('should_statements');
    expect(JSON.stringify(lines)).not.toContain('perfect at everything');
  });

  test('fragments: "no distortion" labels in any spelling are scored, with detection precision, recall, F1 and the false-fragment rate', () => {
    const input = path.join(dir, 'fragments-none.jsonl');
    writeFileSync(
      input,
      [
        { id: 'a', text: 'I should always be perfect at everything.', label: 'Should statements' },
        { id: 'b', text: 'I am such a loser.', label: 'Labeling and mislabeling' },
        { id: 'c', text: 'We had pasta for dinner and watched a film.', label: 'No Distortion' },
        { id: 'd', text: 'The train was on time this morning.', label: 'none' },
        { id: 'e', text: 'I walked the dog after work.', label: 'Not distorted' },
        { id: 'f', text: 'They must think I am an idiot.', label: 'None' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const printed = run(['fragments', '--input', input]);
    expect(printed).toContain('6 lines through local');
    expect(printed).toContain('| should_statements | 1 |');
    // Line f is labelled undistorted but the engine marks it: one false fragment of four, precision 2 of 3.
    expect(printed).toContain('| any fragment | 2 | 4 | 3 | 66.7 | 100.0 | 80.0 | 25.0 |');
    expect(printed).toMatch(/\| none \| 0 \| (?:\d+ \| )*3 \|/);
  });

  test('fragments: a label that is neither a trap nor "no distortion" is still a usage error', () => {
    const input = path.join(dir, 'fragments-bad-label.jsonl');
    writeFileSync(input, JSON.stringify({ id: 'a', text: 'I feel sad.', label: 'Negative Feeling or Emotion' }));
    expect(() => run(['fragments', '--input', input])).toThrow();
  });

  test('safety: crisis and none labels', () => {
    const input = path.join(dir, 'safety.jsonl');
    writeFileSync(input, [{ id: 1, text: 'I want to kill myself', label: true }, { id: 2, text: 'this traffic is killing me', label: false }].map((l) => JSON.stringify(l)).join('\n'));
    const printed = run(['safety', '--input', input]);
    expect(printed).toContain('| crisis | 1 | 100.0 | 100.0 | 100.0 |');
    expect(printed).toContain('| none | 1 | 100.0 | 100.0 | 100.0 |');
  });

  test('an unknown task or a bad file is a usage error', () => {
    expect(() => run(['poetry', '--input', 'x'])).toThrow();
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, 'not json\n');
    expect(() => run(['fragments', '--input', bad])).toThrow();
  });
});
