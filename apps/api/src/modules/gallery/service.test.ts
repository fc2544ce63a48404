import { describe, expect, test } from 'vitest';
import { sumTrapCounts } from './service.js';

describe('sumTrapCounts', () => {
  test.each([
    ['nothing', [], []],
    ['adds a trap seen in turns and sessions', [{ trap: 'labeling', count: 2 }, { trap: 'labeling', count: 3 }], [{ trap: 'labeling', count: 5 }]],
    [
      'most frequent first',
      [{ trap: 'catastrophizing', count: 1 }, { trap: 'mind_reading', count: 4 }],
      [{ trap: 'mind_reading', count: 4 }, { trap: 'catastrophizing', count: 1 }],
    ],
    ['drops ids outside the taxonomy and zero counts', [{ trap: 'gloom', count: 9 }, { trap: 'labeling', count: 0 }], []],
  ])('%s', (_name, rows, expected) => {
    expect(sumTrapCounts(rows)).toEqual(expected);
  });

  test('ties keep the taxonomy order, whatever order the rows came in', () => {
    const a = sumTrapCounts([{ trap: 'labeling', count: 1 }, { trap: 'mind_reading', count: 1 }]);
    const b = sumTrapCounts([{ trap: 'mind_reading', count: 1 }, { trap: 'labeling', count: 1 }]);
    expect(a).toEqual(b);
  });
});
