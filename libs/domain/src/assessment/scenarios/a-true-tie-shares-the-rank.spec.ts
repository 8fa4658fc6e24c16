import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { cleanTown, dumping, finding } from './month-builder.js';

// 并列: equal on the total and on every tie-break key, two towns share second place and nobody is third.
describe('a true tie (并列)', () => {
  const ranking = scoreMonth(
    '2026-11',
    [
      cleanTown('370305104', '朱台镇', { roadFindings: [finding('f1')] }),
      cleanTown('370305103', '敬仲镇', { roadFindings: [finding('f2')] }),
      cleanTown('370305109', '凤凰镇'),
      cleanTown('370305111', '金山镇', { dumpingCases: [dumping('d1')] }),
    ],
    DEFAULT_METHODOLOGY,
    { blackListStreak: {} },
  );

  it('gives both towns the same rank, marks them tied and skips the next rank (1, 2, 2, 4)', () => {
    expect(ranking.towns.map((t) => [t.townName, t.total, t.rank, t.tied])).toEqual([
      ['凤凰镇', 100, 1, false],
      ['敬仲镇', 99, 2, true],
      ['朱台镇', 99, 2, true],
      ['金山镇', 97, 4, false],
    ]);
  });
});
