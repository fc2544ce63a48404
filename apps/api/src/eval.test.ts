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
