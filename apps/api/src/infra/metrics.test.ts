import { describe, expect, test } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics sources read at scrape time', () => {
  test('a dependency whose ping fails or hangs is down; one that answers is up', async () => {
    const metrics = createMetrics({
      dependencies: {
        database: async () => {},
        redis: () => new Promise<void>(() => {}),
        other: async () => {
          throw new Error('connection refused');
        },
      },
    });
    const started = Date.now();
    const text = await metrics.render();
    expect(text).toContain('kalei_dependency_up{dependency="database"} 1');
    expect(text).toContain('kalei_dependency_up{dependency="redis"} 0');
    expect(text).toContain('kalei_dependency_up{dependency="other"} 0');
    // The hung ping is given up after 2 s, so the scrape still answers.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('spend and cap are NaN in a scrape whose source fails, not a false 0', async () => {
    let failing = false;
    const metrics = createMetrics({
      spend: async () => {
        if (failing) throw new Error('cache unavailable');
        return { spendMicros: 42_000_000, capMicros: 100_000_000 };
      },
    });
    expect(await metrics.render()).toContain('kalei_ai_spend_month_micros 42000000');
    failing = true;
    const text = await metrics.render();
    expect(text).toMatch(/\nkalei_ai_spend_month_micros nan\n/i);
    expect(text).toMatch(/\nkalei_ai_spend_cap_micros nan\n/i);
  });

  test('database statement latencies land in the 120 ms-edged buckets', async () => {
    const metrics = createMetrics();
    metrics.dbQuery(0.1);
    metrics.dbQuery(0.2);
    const text = await metrics.render();
    expect(text).toContain('kalei_db_query_duration_seconds_bucket{le="0.12"} 1');
    expect(text).toContain('kalei_db_query_duration_seconds_bucket{le="0.25"} 2');
  });
});
