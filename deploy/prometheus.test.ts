import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createMetrics } from '../apps/api/src/infra/metrics.js';

// deploy/prometheus/ against the code and the docs: promtool itself (check rules, test rules) runs in
// .ci/run; this keeps the rules, the series the API exports, the unit tests and the runbooks in step.
const dir = fileURLToPath(new URL('./prometheus/', import.meta.url));
const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
const rules = read('alerts.yml');
const unitTests = read('alerts.test.yml') + read('alerts-weekly.test.yml');
const operations = readFileSync(fileURLToPath(new URL('../docs/operations.md', import.meta.url)), 'utf8');

/** Each `- alert:` block of alerts.yml: its name, its text (expression, labels, annotations). */
const alerts = rules
  .split(/\n(?= +- alert: )/)
  .slice(1)
  .map((block) => ({ name: /- alert: (\w+)/.exec(block)![1]!, block }));

/** GitHub's anchor for a markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

describe('deploy/prometheus alert rules', () => {
  test('there is an alert for each signal of the issue and each scaling trigger', () => {
    expect(alerts.map((alert) => alert.name).sort()).toEqual(
      [
        'KaleiAiSpend50Percent',
        'KaleiAiSpend80Percent',
        'KaleiAiSpend95Percent',
        'KaleiApiDown',
        'KaleiDatabaseDown',
        'KaleiErrorBudgetFastBurn',
        'KaleiErrorBudgetSlowBurn',
        'KaleiJobsDeadLettered',
        'KaleiQuotaDenialSpike',
        'KaleiRedisDown',
        'KaleiSafetyEscalationSpike',
        'KaleiSafetyEscalationsStopped',
        'KaleiScaleAddApiReplica',
        'KaleiScaleDatabaseLatency',
        'KaleiScaleDatabaseStorage',
        'KaleiScaleSplitWorkers',
        'KaleiSpectrumLate',
        'KaleiTurnMirrorLatencyP50',
        'KaleiTurnMirrorLatencyP95',
      ].sort(),
    );
  });

  test('every alert links to a runbook section of docs/operations.md that exists', () => {
    const anchors = new Set([...operations.matchAll(/^#{2,4} (.+)$/gm)].map((match) => anchor(match[1]!)));
    for (const { name, block } of alerts) {
      const url = /runbook_url: docs\/operations\.md#([a-z0-9-]+)/.exec(block)?.[1];
      expect(url, name).toBeDefined();
      expect(anchors.has(url!), `${name} → #${url}`).toBe(true);
    }
  });

  test('every alert fires in a promtool unit test', () => {
    const fired = new Set(
      [...unitTests.matchAll(/alertname: (\w+)\n\s+exp_alerts:\n\s+- exp_labels/g)].map((match) => match[1]!),
    );
    expect(alerts.map((alert) => alert.name).filter((name) => !fired.has(name))).toEqual([]);
  });

  test('every kalei_ series a rule reads is one the API exports', async () => {
    const metrics = createMetrics({
      jobCounts: async () => [],
      spend: async () => ({ spendMicros: 0, capMicros: 0 }),
      dependencies: { database: async () => {}, redis: async () => {} },
    });
    const text = await metrics.render();
    const exported = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name! + suffix);
    }
    const read = new Set([...rules.matchAll(/\bkalei_[a-z_]+/g)].map((match) => match[0]));
    expect(read.size).toBeGreaterThan(8);
    expect([...read].filter((name) => !exported.has(name))).toEqual([]);
  });
});
