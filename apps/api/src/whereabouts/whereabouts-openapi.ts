/** Response bodies of the whereabouts API for the OpenAPI document (libs/contracts/src/api/whereabouts.ts). */
const str = { type: 'string' } as const;
const number = { type: 'number' } as const;

const SITE = {
  type: 'object',
  nullable: true,
  required: ['kind', 'id', 'name', 'distanceM', 'status'],
  properties: {
    kind: { type: 'string', enum: ['construction_site', 'disposal_site'] },
    id: { type: 'string', format: 'uuid' },
    name: str,
    distanceM: { type: 'number', minimum: 0, description: 'metres to the edge on the ellipsoid; 0 inside' },
    status: { type: 'string', enum: ['licensed', 'closed', 'illegal'], nullable: true },
  },
};

export const TRUCK_WHEREABOUTS_SCHEMA = {
  type: 'object',
  required: ['truckId', 'plate', 'terminalId', 'at', 'town', 'nearestConstructionSite', 'nearestDisposalSite', 'nearest', 'inside', 'text'],
  properties: {
    truckId: { type: 'string', format: 'uuid' },
    plate: str,
    terminalId: { type: 'string', nullable: true },
    at: { type: 'object', nullable: true, required: ['ts', 'lon', 'lat'], properties: { ts: { type: 'string', format: 'date-time' }, lon: number, lat: number } },
    town: { type: 'object', nullable: true, required: ['code', 'name'], properties: { code: str, name: str } },
    nearestConstructionSite: SITE,
    nearestDisposalSite: SITE,
    nearest: SITE,
    inside: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'id', 'name'],
        properties: { kind: { type: 'string', enum: ['construction_site', 'disposal_site', 'route', 'speed_zone'] }, id: str, name: str },
      },
    },
    text: {
      type: 'object',
      required: ['zh-CN', 'en'],
      properties: { 'zh-CN': { type: 'string', example: '敬仲镇 · 距齐都花园工地 300 米' }, en: { type: 'string', example: '敬仲镇 · 300 m from 齐都花园工地' } },
    },
  },
};

export const WHEREABOUTS_BATCH_SCHEMA = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: TRUCK_WHEREABOUTS_SCHEMA } } };
