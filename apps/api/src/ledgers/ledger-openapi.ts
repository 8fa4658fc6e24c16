import {
  COLLECTION_REQUEST_STATES,
  FINDER_LEVELS,
  FINDING_KINDS,
  FINDING_STATUSES,
  LAND_NATURES,
  PILE_STATUSES,
  REQUESTER_KINDS,
} from '@muckwatch/contracts';

/**
 * Response bodies of the ledger API for the OpenAPI document, written from the wire types in
 * libs/contracts/src/api/town-ledgers.ts (request bodies come from the ajv schemas: ledger-schemas.ts).
 */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const nuuid = { type: 'string', format: 'uuid', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;
const ntime = { type: 'string', format: 'date-time', nullable: true } as const;
const ndate = { type: 'string', format: 'date', nullable: true } as const;
const int = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const nrate = { type: 'number', minimum: 0, maximum: 1, nullable: true } as const;

const POINT = {
  type: 'object',
  required: ['type', 'coordinates'],
  properties: { type: { type: 'string', enum: ['Point'] }, coordinates: { type: 'array', items: number, minItems: 2, maxItems: 2 } },
};
const POLYGON = {
  type: 'object',
  required: ['type', 'coordinates'],
  properties: { type: { type: 'string', enum: ['Polygon'] }, coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', items: number } } } },
};

export const LEDGER_PHOTO_SCHEMA = {
  type: 'object',
  properties: {
    id: uuid,
    fileName: str,
    contentType: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp'] },
    sizeBytes: int,
    sha256: str,
    uploadedBy: nstr,
    uploadedAt: time,
  },
};

const LEDGER_EVENT_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    at: time,
    action: { type: 'string', description: 'create, update, status, photo, dispatch, redispatch, cancel, fulfil' },
    fromStatus: nstr,
    toStatus: str,
    actorUsername: nstr,
    actorRole: nstr,
    comment: nstr,
    changed: { type: 'object', nullable: true, additionalProperties: true },
  },
};

const history = { type: 'array', items: LEDGER_EVENT_SCHEMA };
const photos = { type: 'array', items: LEDGER_PHOTO_SCHEMA };

export const WASTE_PILE_SCHEMA = {
  type: 'object',
  properties: {
    id: uuid,
    townCode: str,
    townName: str,
    name: str,
    geometry: { oneOf: [POINT, POLYGON] },
    landNature: { type: 'string', enum: [...LAND_NATURES] },
    volumeM3: number,
    responsibleParty: nstr,
    governancePlan: nstr,
    deadline: ndate,
    status: { type: 'string', enum: [...PILE_STATUSES] },
    overdue: { type: 'boolean' },
    verifiedAt: ntime,
    version: int,
    createdAt: time,
    updatedAt: time,
  },
};

export const WASTE_PILE_DETAIL_SCHEMA = {
  type: 'object',
  properties: { ...WASTE_PILE_SCHEMA.properties, history, photos, allowedStatuses: { type: 'array', items: { type: 'string', enum: [...PILE_STATUSES] } } },
};

export const COLLECTION_POINT_SCHEMA = {
  type: 'object',
  properties: {
    id: uuid,
    townCode: str,
    townName: str,
    villageCode: nstr,
    villageName: nstr,
    name: str,
    location: POINT,
    radiusM: number,
    active: { type: 'boolean' },
    version: int,
    createdAt: time,
    updatedAt: time,
  },
};

export const COLLECTION_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    id: uuid,
    townCode: str,
    townName: str,
    villageCode: nstr,
    villageName: nstr,
    requesterKind: { type: 'string', enum: [...REQUESTER_KINDS] },
    requesterName: str,
    contact: nstr,
    collectionPointId: nuuid,
    location: POINT,
    radiusM: number,
    volumeM3: number,
    requestedAt: time,
    state: { type: 'string', enum: [...COLLECTION_REQUEST_STATES] },
    truckId: nuuid,
    plate: nstr,
    dispatchedAt: ntime,
    visitAt: ntime,
    fulfilledAt: ntime,
    tripId: nstr,
    sameDay: { type: 'boolean', nullable: true },
    cancelReason: nstr,
    version: int,
    createdAt: time,
    updatedAt: time,
  },
};

export const COLLECTION_REQUEST_DETAIL_SCHEMA = { type: 'object', properties: { ...COLLECTION_REQUEST_SCHEMA.properties, history } };

export const FINDING_SCHEMA = {
  type: 'object',
  properties: {
    id: uuid,
    townCode: str,
    townName: str,
    kind: { type: 'string', enum: [...FINDING_KINDS] },
    location: POINT,
    foundAt: time,
    areaM2: { type: 'number', nullable: true },
    description: nstr,
    finder: { type: 'string', enum: [...FINDER_LEVELS] },
    reportedBy: nstr,
    deadline: ndate,
    status: { type: 'string', enum: [...FINDING_STATUSES] },
    overdue: { type: 'boolean' },
    verifiedAt: ntime,
    version: int,
    createdAt: time,
    updatedAt: time,
  },
};

export const FINDING_DETAIL_SCHEMA = {
  type: 'object',
  properties: { ...FINDING_SCHEMA.properties, history, photos, allowedStatuses: { type: 'array', items: { type: 'string', enum: [...FINDING_STATUSES] } } },
};

export function pageSchema(items: object): object {
  return { type: 'object', properties: { items: { type: 'array', items }, total: int, page: int, pageSize: int } };
}

export const COVERAGE_SCHEMA = {
  type: 'object',
  properties: {
    townCode: str,
    townName: str,
    villages: int,
    villagesCovered: int,
    coverageRate: nrate,
    activePoints: int,
    requests: int,
    fulfilled: int,
    fulfilledSameDay: int,
    sameDayRate: nrate,
    piles: int,
    pilesOpen: int,
    pilesOverdue: int,
    findingsOpen: int,
  },
};

export const DISPATCHABLE_TRUCK_SCHEMA = {
  type: 'object',
  required: ['truckId', 'plate', 'companyId', 'companyName', 'terminalId', 'permitValidTo'],
  properties: {
    truckId: uuid,
    plate: str,
    companyId: uuid,
    companyName: str,
    terminalId: str,
    permitValidTo: { type: 'string', format: 'date' },
  },
};
