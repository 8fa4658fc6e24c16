import type { JSONSchemaType } from 'ajv/dist/2020.js';
import {
  ASSESSMENT_ITEM_CODES,
  FINDER_LEVELS,
  RANKING_ADJUSTMENT_KINDS,
  RANKING_GRADES,
  RANKING_REF_KINDS,
  RANKING_VETO_GROUNDS,
  type MethodologyInput,
  type RankingAdjustmentInput,
  type RankingRevisionRequest,
} from '@muckwatch/contracts';

/**
 * The rankings API's request bodies (validation at the HTTP edge and the OpenAPI document) and
 * its response schemas (OpenAPI), mirroring libs/contracts/src/api/rankings.ts.
 */
const MONTH = { type: 'string', pattern: '^2[0-9]{3}-(0[1-9]|1[0-2])$', description: 'yyyy-mm (Asia/Shanghai)' } as const;
const TOWN_CODE = { type: 'string', pattern: '^[A-Z0-9]{1,12}$' } as const;
/** A weight, cap or threshold of the methodology: finite, ≥ 0, bounded. */
const num = { type: 'number', minimum: 0, maximum: 10_000 } as const;
const int = (max: number) => ({ type: 'integer', minimum: 0, maximum: max }) as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties }) as const;

const methodologyBodyProperties = {
  base: { type: 'number', minimum: 0, maximum: 10_000 },
  items: obj({
    A: obj({ max: num, perPointBelow: num }),
    B: obj({ max: num, perCase: num, tripsReference: { type: 'number', minimum: 0, maximum: 1_000_000 } }),
    C: obj({ max: num, perCase: num, clearHours: num, notClearedExtra: num, recurrenceExtra: num, recurrenceRadiusM: num, recurrenceLookbackDays: int(3660) }),
    D: obj({ max: num, perFinding: num, areaStepM2: { type: 'number', minimum: 0, maximum: 1_000_000 }, perAreaStep: num }),
    E: obj({ max: num, fullAtPercent: { type: 'number', minimum: 0, maximum: 100 }, perPointBelow: num }),
    F: obj({ max: num, ledgerWeight: num, coverageWeight: num, dailyClearanceWeight: num }),
  }),
  finderWeights: obj(Object.fromEntries(FINDER_LEVELS.map((f) => [f, num]))),
  bonusCap: num,
  notificationPoints: obj({ city: num, province: num, cap: num }),
  grades: obj({ excellent: num, good: num }),
  redListSize: int(100),
  blackListSize: int(100),
  interviewAfterBlackMonths: { type: 'integer', minimum: 1, maximum: 24 },
};

export const methodologyInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(methodologyBodyProperties), 'effectiveFrom'],
  properties: { ...methodologyBodyProperties, effectiveFrom: MONTH, note: { type: 'string', nullable: true, maxLength: 500 } },
} as unknown as JSONSchemaType<MethodologyInput>;

export const MAX_BONUS_POINTS = 100;

export const adjustmentInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['month', 'townCode', 'kind', 'reason', 'documentRef'],
  properties: {
    month: MONTH,
    townCode: TOWN_CODE,
    kind: { type: 'string', enum: [...RANKING_ADJUSTMENT_KINDS] },
    points: { type: 'number', nullable: true, minimum: 0, maximum: MAX_BONUS_POINTS },
    vetoGround: { type: 'string', nullable: true, enum: [...RANKING_VETO_GROUNDS, null] },
    reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' },
    documentRef: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
  },
} as unknown as JSONSchemaType<RankingAdjustmentInput>;

export const revisionRequestSchema: JSONSchemaType<RankingRevisionRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' } },
};

export interface CloseRequest {
  reason?: string | null;
}

export const closeRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', nullable: true, maxLength: 2000 } },
} as unknown as JSONSchemaType<CloseRequest>;

// --- response schemas (OpenAPI only) ---

/** A plain schema object as @nestjs/swagger takes it. */
const api = (schema: object): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

const nullable = (schema: Record<string, unknown>) => ({ ...schema, nullable: true });
const REF = obj({ kind: { type: 'string', enum: [...RANKING_REF_KINDS] }, id: { type: 'string' } });
const LINE = obj({
  code: { type: 'string' },
  points: { type: 'number' },
  params: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
  refs: { type: 'array', items: REF },
});
const METHODOLOGY_BODY = methodologyBodyProperties;

const methodology_schema = {
  type: 'object',
  required: [...Object.keys(METHODOLOGY_BODY), 'version', 'effectiveFrom', 'note', 'createdAt', 'createdBy'],
  properties: {
    ...METHODOLOGY_BODY,
    version: { type: 'integer' },
    effectiveFrom: MONTH,
    note: nullable({ type: 'string' }),
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: nullable({ type: 'string' }),
  },
};

const RANKING_ROW_SCHEMA = {
  type: 'object',
  properties: {
    townCode: { type: 'string' },
    townName: { type: 'string' },
    items: {
      type: 'array',
      items: obj({ code: { type: 'string', enum: [...ASSESSMENT_ITEM_CODES] }, max: { type: 'number' }, earned: nullable({ type: 'number' }), lines: { type: 'array', items: LINE } }),
    },
    earned: { type: 'number' },
    available: { type: 'number' },
    normalised: { type: 'number' },
    bonus: { type: 'number' },
    notificationDeduction: { type: 'number' },
    adjustmentLines: { type: 'array', items: LINE },
    total: { type: 'number', description: '2 decimals' },
    veto: { type: 'array', items: obj({ ground: { type: 'string', enum: [...RANKING_VETO_GROUNDS] }, adjustmentId: { type: 'string' }, reason: { type: 'string' } }) },
    rank: { type: 'integer' },
    tied: { type: 'boolean' },
    grade: { type: 'string', enum: [...RANKING_GRADES] },
    redList: { type: 'boolean' },
    blackList: { type: 'boolean' },
    interview: { type: 'boolean' },
    tieBreak: obj({ dumpingCases: { type: 'integer' }, onTimePercent: nullable({ type: 'number' }), notifications: { type: 'integer' } }),
    movement: nullable({ type: 'integer', description: 'rank last month − rank now' }),
  },
};
Object.assign(RANKING_ROW_SCHEMA, { required: Object.keys(RANKING_ROW_SCHEMA.properties) });

const ranking_schema = obj({
  month: MONTH,
  provisional: { type: 'boolean' },
  revision: { type: 'integer' },
  methodologyVersion: { type: 'integer' },
  computedAt: { type: 'string', format: 'date-time' },
  reason: nullable({ type: 'string' }),
  createdBy: nullable({ type: 'string' }),
  inputsSha256: nullable({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
  rows: { type: 'array', items: RANKING_ROW_SCHEMA },
});

const revision_summaries_schema = {
  type: 'array',
  items: obj({
    revision: { type: 'integer' },
    computedAt: { type: 'string', format: 'date-time' },
    reason: nullable({ type: 'string' }),
    createdBy: nullable({ type: 'string' }),
    methodologyVersion: { type: 'integer' },
    inputsSha256: { type: 'string' },
    changedTowns: { type: 'array', items: { type: 'string' } },
  }),
};

const records_schema = {
  type: 'array',
  items: obj({
    kind: { type: 'string', enum: [...RANKING_REF_KINDS] },
    id: { type: 'string' },
    item: { type: 'string', enum: [...ASSESSMENT_ITEM_CODES, 'adjustment'] },
    title: { type: 'string' },
    at: nullable({ type: 'string', format: 'date-time' }),
    points: nullable({ type: 'number' }),
    link: nullable({ type: 'string' }),
  }),
};

const trend_schema = obj({
  months: { type: 'array', items: MONTH },
  towns: {
    type: 'array',
    items: obj({
      townCode: { type: 'string' },
      townName: { type: 'string' },
      totals: { type: 'array', items: nullable({ type: 'number' }) },
      ranks: { type: 'array', items: nullable({ type: 'integer' }) },
    }),
  },
});

const adjustment_schema = obj({
  id: { type: 'string', format: 'uuid' },
  month: MONTH,
  townCode: { type: 'string' },
  kind: { type: 'string', enum: [...RANKING_ADJUSTMENT_KINDS] },
  points: nullable({ type: 'number' }),
  vetoGround: nullable({ type: 'string', enum: [...RANKING_VETO_GROUNDS] }),
  reason: { type: 'string' },
  documentRef: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  createdBy: nullable({ type: 'string' }),
});

const after_close_schema = {
  type: 'array',
  items: obj({
    townCode: { type: 'string' },
    kind: { type: 'string', enum: [...RANKING_REF_KINDS] },
    id: { type: 'string' },
    change: { type: 'string', enum: ['added', 'changed', 'removed'] },
    at: { type: 'string', format: 'date-time' },
  }),
};
export const METHODOLOGY_SCHEMA = api(methodology_schema);
export const RANKING_SCHEMA = api(ranking_schema);
export const REVISION_SUMMARIES_SCHEMA = api(revision_summaries_schema);
export const RECORDS_SCHEMA = api(records_schema);
export const TREND_SCHEMA = api(trend_schema);
export const ADJUSTMENT_SCHEMA = api(adjustment_schema);
export const AFTER_CLOSE_SCHEMA = api(after_close_schema);
