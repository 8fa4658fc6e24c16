import villagesFile from './data/villages.json' with { type: 'json' };

/** One of the district's 468 village-level units (社区居委会 / 村委会). */
export interface Village {
  /** 12-digit NBS statistical code. */
  code: string;
  name: string;
  /** The 9-digit code of its town or street. */
  townCode: string;
}

/**
 * The village-level units of Linzi: NBS 统计用区划代码 (2022-10-31 cut-off) as published in
 * modood/Administrative-divisions-of-China `dist/villages.csv` @ dc3a1d7a, rows with areaCode 370305.
 * The enterprise zones (E37030501/E37030502) have none.
 */
export const villages = villagesFile as readonly Village[];

/** The villages of one town, in code order. */
export function villagesOfTown(townCode: string): Village[] {
  return villages.filter((v) => v.townCode === townCode).sort((a, b) => (a.code < b.code ? -1 : 1));
}
