import { describe, expect, it } from 'vitest';
import { towns } from './towns.js';
import { villageByCode, villages, villagesOfTown } from './villages.js';

describe('villages of Linzi', () => {
  it('holds the 468 village-level units, each of one of the 12 towns and streets', () => {
    expect(villages).toHaveLength(468);
    const townCodes = new Set(towns.map((t) => t.code));
    for (const v of villages) {
      expect(v.code).toMatch(/^370305\d{6}$/);
      expect(v.code.startsWith(v.townCode)).toBe(true);
      expect(townCodes.has(v.townCode)).toBe(true);
    }
    expect(new Set(villages.map((v) => v.code)).size).toBe(468);
  });
  it('finds a village by code and lists a town’s villages', () => {
    expect(villageByCode('370305001005')?.name).toBe('辛东社区居委会');
    expect(villagesOfTown('370305001')).toHaveLength(9);
    expect(villagesOfTown('E37030501')).toEqual([]);
  });
});
