import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RANKING_LINE_CODES, RANKING_LINE_TEMPLATES, renderScoreLine, type RankingLineCode } from './ranking-text.js';

/** The codes the scorer declares it emits (SCORE_LINE_CODES in libs/domain; contracts may not import it). */
function scorerCodes(): string[] {
  const source = readFileSync(join(__dirname, '../../../domain/src/assessment/score.ts'), 'utf8');
  const block = /export const SCORE_LINE_CODES = \[([\s\S]*?)\] as const/.exec(source)?.[1] ?? '';
  return [...block.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** One line per code with the params the scorer writes (see the worked example in docs/ranking.md). */
const SAMPLES: Record<RankingLineCode, { points: number; params: Record<string, string | number> }> = {
  'A.unapproved_sites': { points: -10, params: { active: 20, approved: 18, percent: 90 } },
  'B.case': { points: -1.6, params: { count: 2, finder: 'district', perCase: 2, weight: 1, trips: 250, tripsFactor: 0.4 } },
  'C.case': { points: -9, params: { count: 3, finder: 'district', perCase: 3, weight: 1 } },
  'C.not_cleared': { points: -2, params: { count: 1, hours: 48, each: 2 } },
  'C.recurrence': { points: -5, params: { count: 1, radiusM: 200, days: 90, each: 5 } },
  'D.finding': { points: -2, params: { count: 2, finder: 'district', each: 1, weight: 1 } },
  'D.area': { points: -2, params: { steps: 2, areaM2: 1200, stepM2: 500, each: 1, finder: 'district', weight: 1 } },
  'E.below_target': { points: -3.75, params: { assigned: 16, onTime: 14, percent: 87.5, target: 95, each: 0.5 } },
  'F.ledger': { points: -0.5, params: { piles: 4, current: 3, percent: 75 } },
  'F.coverage': { points: -0.25, params: { villages: 20, covered: 18, percent: 90 } },
  'F.daily_clearance': { points: -0.5, params: { requests: 10, cleared: 8, percent: 80 } },
  'adj.bonus': { points: 4, params: { count: 2 } },
  'adj.bonus_cap': { points: -1, params: { cap: 3 } },
  'adj.city_notification': { points: -2, params: { count: 1 } },
  'adj.province_notification': { points: -10, params: { count: 2 } },
  'adj.notification_cap': { points: 2, params: { cap: 10 } },
};

describe('assessment lines in words', () => {
  it('lists exactly the codes the scorer emits', () => {
    expect([...RANKING_LINE_CODES]).toEqual(scorerCodes());
  });

  it('renders every code in both languages with every placeholder filled', () => {
    for (const code of RANKING_LINE_CODES) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const text = renderScoreLine({ code, ...SAMPLES[code] }, locale);
        expect(text, `${code} ${locale}`).not.toMatch(/[{}]|undefined|（）|\(\)/);
        const used = [...RANKING_LINE_TEMPLATES[locale][code].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        for (const name of used) expect(['points', 'verb', ...Object.keys(SAMPLES[code].params)], `${code} ${locale} {${name}}`).toContain(name);
      }
    }
  });

  it('reads like the bulletin', () => {
    expect(renderScoreLine({ code: 'C.case', ...SAMPLES['C.case'] }, 'zh-CN')).toBe('违规倾倒 3 起（区级发现），扣 9 分');
    expect(renderScoreLine({ code: 'C.case', ...SAMPLES['C.case'] }, 'en')).toBe('3 illegal dumping case(s), found by the district: minus 9');
    expect(renderScoreLine({ code: 'E.below_target', ...SAMPLES['E.below_target'] }, 'zh-CN')).toBe('交办案件 16 件，按期办结 14 件（87.5%，低于 95%），扣 3.75 分');
    expect(renderScoreLine({ code: 'adj.notification_cap', ...SAMPLES['adj.notification_cap'] }, 'zh-CN')).toBe('通报扣分超过上限 10 分，超出的 2 分不计');
  });

  it('falls back to the code and the points for a code it does not know', () => {
    expect(renderScoreLine({ code: 'G.new_item', points: -1.5, params: {} }, 'zh-CN')).toBe('G.new_item −1.5');
  });
});
