import { TRIP_STATUSES, VIOLATION_TYPE_NAMES } from '@muckwatch/contracts';

/** Response bodies of the trips API for the OpenAPI document, written from libs/contracts/src/api/trips.ts. */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const nuuid = { type: 'string', format: 'uuid', nullable: true } as const;
const num = { type: 'number' } as const;
const nnum = { type: 'number', nullable: true } as const;
const int = { type: 'integer' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const place = { type: 'object', properties: { at: time, lon: num, lat: num } } as const;
const reason = { type: 'object', properties: { code: str, detail: str, params: { type: 'object', additionalProperties: true } } } as const;
const statusCounts = Object.fromEntries(TRIP_STATUSES.map((s) => [s, int]));

export const TRIP_LIST_ITEM_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', description: '`{terminalId}/trip/{startMs}`' },
    terminalId: str,
    truckId: nuuid,
    plate: nstr,
    approvalId: nuuid,
    approvalNumber: nstr,
    originId: nuuid,
    originName: nstr,
    destinationId: nuuid,
    destinationName: nstr,
    start: place,
    end: { ...place, nullable: true },
    townCode: nstr,
    distanceM: num,
    status: { type: 'string', enum: [...TRIP_STATUSES] },
    reasons: { type: 'array', items: reason },
    reportedLate: { type: 'boolean' },
    companyId: nuuid,
    companyName: nstr,
    townName: nstr,
    durationS: { type: 'integer', nullable: true },
    loadT: { ...nnum, description: 'highest load the sensor reported during the trip (t)' },
    ratedLoadT: nnum,
    violations: { type: 'array', items: { type: 'object', properties: { id: str, type: { type: 'string', enum: [...VIOLATION_TYPE_NAMES] } } } },
  },
};

export const TRIP_LIST_PAGE_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: TRIP_LIST_ITEM_SCHEMA }, total: int, page: int, pageSize: int },
};

const siteTotal = { type: 'object', properties: { id: nuuid, name: nstr, trips: int, distanceM: num, ...statusCounts } };

export const TRIP_TOTALS_SCHEMA = {
  type: 'object',
  properties: {
    from: time,
    to: time,
    trips: int,
    byStatus: { type: 'object', properties: statusCounts },
    days: { type: 'array', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, trips: int, ...statusCounts } } },
    origins: { type: 'array', items: siteTotal },
    destinations: { type: 'array', items: siteTotal },
  },
};
