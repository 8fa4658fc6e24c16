import { CASE_ACTIONS, CASE_STATES, DISMISS_REASONS, VIOLATION_STATUSES, VIOLATION_TYPE_NAMES } from '@muckwatch/contracts';
import { caseOutcomeSchema, openApiSchema } from './case-schemas.js';

/**
 * Response bodies of the case API for the OpenAPI document, written from the wire types in
 * libs/contracts/src/api/violation-cases.ts and compliance.ts (the request bodies come from the
 * ajv schemas themselves: case-schemas.ts).
 */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;
const ntime = { type: 'string', format: 'date-time', nullable: true } as const;
const place = { type: 'object', properties: { at: time, lon: { type: 'number' }, lat: { type: 'number' } } } as const;
const outcome = { ...openApiSchema(caseOutcomeSchema), nullable: true };

export const CASE_ATTACHMENT_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    fileName: str,
    contentType: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] },
    sizeBytes: { type: 'integer' },
    sha256: str,
    uploadedBy: nstr,
    uploadedAt: time,
    eventId: nstr,
  },
};

const CASE_EVENT_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    at: time,
    action: { type: 'string', enum: [...CASE_ACTIONS] },
    fromState: { type: 'string', enum: [...CASE_STATES] },
    toState: { type: 'string', enum: [...CASE_STATES] },
    actorUsername: nstr,
    actorRole: nstr,
    comment: nstr,
    dismissReason: { type: 'string', enum: [...DISMISS_REASONS], nullable: true },
    departmentCode: nstr,
    deadline: ntime,
    outcome,
    attachments: { type: 'array', items: CASE_ATTACHMENT_SCHEMA },
  },
};

export const VIOLATION_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    type: { type: 'string', enum: [...VIOLATION_TYPE_NAMES] },
    severity: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
    status: { type: 'string', enum: [...VIOLATION_STATUSES] },
    terminalId: str,
    truckId: nstr,
    plate: nstr,
    tripId: nstr,
    approvalId: nstr,
    subjectId: nstr,
    start: place,
    end: { ...place, nullable: true },
    townCode: nstr,
    reasons: { type: 'array', items: { type: 'object', properties: { code: str, detail: str } } },
    params: { type: 'object', additionalProperties: true },
    peak: { type: 'number', nullable: true },
    reportedLate: { type: 'boolean' },
    companyId: nstr,
    companyName: nstr,
    updatedAt: time,
    caseState: { type: 'string', enum: [...CASE_STATES] },
    version: { type: 'integer' },
    departmentCode: nstr,
    departmentName: nstr,
    deadline: ntime,
    overdue: { type: 'boolean' },
    assignedAt: ntime,
    handledAt: ntime,
    closedAt: ntime,
    dismissReason: { type: 'string', enum: [...DISMISS_REASONS], nullable: true },
    outcome,
  },
};

export const VIOLATION_PAGE_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: VIOLATION_SCHEMA }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
};

export const VIOLATION_DETAIL_SCHEMA = {
  allOf: [
    VIOLATION_SCHEMA,
    {
      type: 'object',
      properties: {
        evidence: { type: 'object', nullable: true, description: 'GeoJSON Feature<LineString>, properties.times[i] is point i’s fix time' },
        startPoint: { type: 'object', description: 'GeoJSON Feature<Point>' },
        timeline: { type: 'array', items: CASE_EVENT_SCHEMA },
        attachments: { type: 'array', items: CASE_ATTACHMENT_SCHEMA },
        allowedActions: { type: 'array', items: { type: 'string', enum: [...CASE_ACTIONS] } },
        context: { type: 'object', description: 'ViolationContext: truck, approval, trip, subjectName' },
      },
    },
  ],
};

export const BULK_RESULT_SCHEMA = {
  type: 'object',
  properties: {
    succeeded: { type: 'array', items: { type: 'object', properties: { id: str, version: { type: 'integer' }, caseState: { type: 'string', enum: [...CASE_STATES] } } } },
    failed: {
      type: 'array',
      items: { type: 'object', properties: { id: str, statusCode: { type: 'integer' }, code: str, params: { type: 'object', additionalProperties: true } } },
    },
  },
};

export const DEPARTMENT_SCHEMA = {
  type: 'object',
  properties: { code: str, name: str, defaultDeadlineHours: { type: 'integer' }, active: { type: 'boolean' } },
};

export const DEPARTMENT_PERFORMANCE_SCHEMA = {
  type: 'object',
  properties: {
    departmentCode: str,
    departmentName: str,
    assigned: { type: 'integer' },
    handled: { type: 'integer' },
    handledOnTime: { type: 'integer' },
    overdueOpen: { type: 'integer' },
    medianHandlingHours: { type: 'number', nullable: true },
    meanHandlingHours: { type: 'number', nullable: true },
  },
};
