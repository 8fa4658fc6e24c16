import type { JSONSchemaType } from 'ajv/dist/2020.js';
import {
  FINDER_LEVELS,
  FINDING_KINDS,
  FINDING_STATUSES,
  LAND_NATURES,
  LEDGER_LIMITS as L,
  PILE_STATUSES,
  REQUESTER_KINDS,
  type CollectionCancelRequest,
  type CollectionDispatchRequest,
  type CollectionPointInput,
  type CollectionPointPatch,
  type CollectionRequestInput,
  type CollectionRequestPatch,
  type FindingInput,
  type FindingPatch,
  type FindingStatus,
  type LedgerTransitionRequest,
  type PileStatus,
  type WastePileInput,
  type WastePilePatch,
} from '@muckwatch/contracts';

/**
 * The request bodies of the ledger API as JSON Schema (libs/contracts/src/api/town-ledgers.ts):
 * one schema validates at the HTTP edge (`bodyValidator`) and documents the body in OpenAPI.
 * Every string, number and array is bounded; geometry shape here, its place and validity in
 * ledger-geometry.ts.
 */
const name = { type: 'string', minLength: 1, maxLength: L.nameLength, pattern: '\\S' } as const;
const text = { type: 'string', nullable: true, maxLength: L.textLength } as const;
const contact = { type: 'string', nullable: true, maxLength: L.contactLength } as const;
const townCode = { type: 'string', pattern: '^(\\d{9}|E\\d{8})$' } as const;
const villageCode = { type: 'string', nullable: true, pattern: '^\\d{12}$' } as const;
const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const;
const localDate = { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date yyyy-mm-dd (Asia/Shanghai)' } as const;
const instant = { type: 'string', minLength: 1, maxLength: 40, description: 'ISO 8601 with an offset' } as const;
const version = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;
const radius = { type: 'number', minimum: L.minRadiusM, maximum: L.maxRadiusM } as const;

const position = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', minimum: -180, maximum: 180 } } as const;

export const pointSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: { type: { type: 'string', const: 'Point' }, coordinates: position },
} as const;

const polygonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: {
    type: { type: 'string', const: 'Polygon' },
    coordinates: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'array', minItems: 4, maxItems: L.maxPolygonVertices, items: position } },
  },
} as const;

const pileGeometry = { oneOf: [pointSchema, polygonSchema] } as const;

const pileFields = {
  name,
  geometry: pileGeometry,
  landNature: { type: 'string', enum: [...LAND_NATURES] },
  volumeM3: { type: 'number', minimum: 0, maximum: L.maxVolumeM3 },
  responsibleParty: { ...contact },
  governancePlan: text,
  deadline: localDate,
};

export const pileCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'geometry', 'landNature', 'volumeM3'],
  properties: { townCode: { ...townCode, nullable: true }, ...pileFields },
} as unknown as JSONSchemaType<WastePileInput>;

export const pilePatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, ...pileFields },
} as unknown as JSONSchemaType<WastePilePatch>;

function transitionSchema<S extends string>(statuses: readonly S[]): JSONSchemaType<LedgerTransitionRequest<S>> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'version'],
    properties: { to: { type: 'string', enum: [...statuses] }, version, comment: text },
  } as unknown as JSONSchemaType<LedgerTransitionRequest<S>>;
}

export const pileTransitionSchema = transitionSchema<PileStatus>(PILE_STATUSES);
export const findingTransitionSchema = transitionSchema<FindingStatus>(FINDING_STATUSES);

const pointFields = {
  villageCode,
  name,
  location: pointSchema,
  radiusM: radius,
  active: { type: 'boolean' },
};

export const collectionPointCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'location'],
  properties: { townCode: { ...townCode, nullable: true }, ...pointFields },
} as unknown as JSONSchemaType<CollectionPointInput>;

export const collectionPointPatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, ...pointFields },
} as unknown as JSONSchemaType<CollectionPointPatch>;

const requestFields = {
  villageCode,
  requesterKind: { type: 'string', enum: [...REQUESTER_KINDS] },
  requesterName: name,
  contact,
  collectionPointId: { ...uuid, nullable: true },
  location: { ...pointSchema, nullable: true },
  radiusM: radius,
  volumeM3: { type: 'number', exclusiveMinimum: 0, maximum: L.maxRequestVolumeM3 },
  requestedAt: instant,
};

export const collectionRequestCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['requesterKind', 'requesterName', 'volumeM3'],
  properties: { townCode: { ...townCode, nullable: true }, ...requestFields },
} as unknown as JSONSchemaType<CollectionRequestInput>;

export const collectionRequestPatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, ...requestFields },
} as unknown as JSONSchemaType<CollectionRequestPatch>;

export const dispatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['truckId', 'version'],
  properties: { truckId: uuid, version },
} as unknown as JSONSchemaType<CollectionDispatchRequest>;

export const cancelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'version'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' }, version },
} as unknown as JSONSchemaType<CollectionCancelRequest>;

const findingFields = {
  kind: { type: 'string', enum: [...FINDING_KINDS] },
  location: pointSchema,
  foundAt: instant,
  areaM2: { type: 'number', nullable: true, minimum: 0, maximum: L.maxAreaM2 },
  description: text,
  deadline: localDate,
};

export const findingCreateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'location', 'foundAt'],
  properties: { ...findingFields, finder: { type: 'string', enum: [...FINDER_LEVELS] } },
} as unknown as JSONSchemaType<FindingInput>;

export const findingPatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, ...findingFields },
} as unknown as JSONSchemaType<FindingPatch>;
