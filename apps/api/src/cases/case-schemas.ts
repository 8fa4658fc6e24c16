import type { JSONSchemaType } from 'ajv/dist/2020.js';
import {
  CASE_ACTIONS,
  DISMISS_REASONS,
  OUTCOME_KINDS,
  type BulkCaseTransitionRequest,
  type CaseOutcome,
  type CaseTransitionRequest,
  type DepartmentInput,
} from '@muckwatch/contracts';
import { CASE_TEXT_MAX } from '@muckwatch/domain';

/**
 * The request bodies of the case API as JSON Schema: one schema drives validation (ajv at the
 * HTTP edge, `bodyValidator`) and the OpenAPI document (`@ApiBody({ schema })`).
 */
const text = { type: 'string', nullable: true, maxLength: CASE_TEXT_MAX } as const;
const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const departmentCode = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' } as const;
const deadline = { type: 'string', minLength: 1, maxLength: 40, description: 'ISO 8601 with an offset, in the future' } as const;

export const caseOutcomeSchema: JSONSchemaType<CaseOutcome> = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: [...OUTCOME_KINDS] },
    decisionNumber: { type: 'string', nullable: true, maxLength: 64 },
    amountYuan: { type: 'number', nullable: true, minimum: 0, maximum: 10_000_000 },
    penaltyPoints: { type: 'integer', nullable: true, minimum: 0, maximum: 12 },
    rectification: text,
    noCaseReason: text,
  },
};

export const caseTransitionSchema: JSONSchemaType<CaseTransitionRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'version'],
  properties: {
    action: { type: 'string', enum: [...CASE_ACTIONS] },
    version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    comment: text,
    dismissReason: { type: 'string', nullable: true, enum: [...DISMISS_REASONS] },
    departmentCode: { ...departmentCode, nullable: true },
    deadline: { ...deadline, nullable: true },
    outcome: { ...caseOutcomeSchema, nullable: true },
    attachmentIds: { type: 'array', nullable: true, maxItems: 10, uniqueItems: true, items: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } },
  },
} as unknown as JSONSchemaType<CaseTransitionRequest>;

export const MAX_BULK_ITEMS = 500;

export const bulkTransitionSchema: JSONSchemaType<BulkCaseTransitionRequest> = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'items'],
  properties: {
    action: { type: 'string', enum: ['confirm', 'dismiss', 'assign'] },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_ITEMS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'version'],
        properties: { id, version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
      },
    },
    comment: text,
    dismissReason: { type: 'string', nullable: true, enum: [...DISMISS_REASONS] },
    departmentCode: { ...departmentCode, nullable: true },
    deadline: { ...deadline, nullable: true },
  },
} as unknown as JSONSchemaType<BulkCaseTransitionRequest>;

export const departmentCreateSchema: JSONSchemaType<DepartmentInput> = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    code: { ...departmentCode, nullable: true },
    name: { type: 'string', minLength: 1, maxLength: 64, pattern: '\\S' },
    defaultDeadlineHours: { type: 'integer', nullable: true, minimum: 1, maximum: 8760 },
    active: { type: 'boolean', nullable: true },
  },
};

export const departmentPatchSchema: JSONSchemaType<Partial<DepartmentInput>> = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', nullable: true, minLength: 1, maxLength: 64, pattern: '\\S' },
    defaultDeadlineHours: { type: 'integer', nullable: true, minimum: 1, maximum: 8760 },
    active: { type: 'boolean', nullable: true },
  },
} as unknown as JSONSchemaType<Partial<DepartmentInput>>;

/** An ajv schema as an OpenAPI schema object (ajv's `nullable` is OpenAPI 3.0's too). */
export function openApiSchema(schema: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
