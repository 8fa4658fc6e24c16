import villagesFile from './data/villages.json' with { type: 'json' };

/** A village-level unit (村委会 or 社区居委会): where a collection point (收集点) should be. */
export interface Village {
  /** 12-digit NBS code. */
  code: string;
  name: string;
  /** 9-digit code of its town or street. */
  townCode: string;
}

/** The 468 real village-level units of Linzi district (the enterprise zones have none). */
export const villages = (villagesFile as { villages: Village[] }).villages as readonly Village[];

/** Where the village list comes from; keep it with anything derived from it. */
export const VILLAGES_PROVENANCE: string = (villagesFile as { note: string }).note;

const BY_CODE = new Map(villages.map((v) => [v.code, v]));

export function villageByCode(code: string): Village | undefined {
  return BY_CODE.get(code);
}

export function villagesOfTown(townCode: string): Village[] {
  return villages.filter((v) => v.townCode === townCode);
}
