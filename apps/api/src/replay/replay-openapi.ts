import { TRIP_STATUSES } from '@muckwatch/contracts';

/** Response bodies of the replay API for the OpenAPI document, from libs/contracts/src/api/replay.ts. */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;
const ntime = { type: 'string', format: 'date-time', nullable: true } as const;
const int = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const ints = (description: string) => ({ type: 'array', items: int, description });
const latLon = { type: 'array', items: number, minItems: 2, maxItems: 2, description: '[lat, lon]' } as const;

const TRUCK = {
  type: 'object',
  required: ['truckId', 'plate', 'terminalIds'],
  properties: { truckId: { type: 'string', format: 'uuid', nullable: true }, plate: nstr, terminalIds: { type: 'array', items: str } },
};

export const ENCODED_TRACK_SCHEMA = {
  type: 'object',
  description: 'Parallel columns; t, lat, lon delta-encoded (first value absolute). Decode with decodeTrack (libs/contracts).',
  required: ['count', 't', 'lat', 'lon', 'speed', 'loadT', 'state'],
  properties: {
    count: int,
    t: ints('epoch ms, deltas'),
    lat: ints('1e-5 degree, deltas'),
    lon: ints('1e-5 degree, deltas'),
    speed: ints('km/h'),
    loadT: ints('tenths of a tonne, −1 not reported'),
    state: ints('load | cover << 3 | body << 6 | ignition << 8 | valid << 10 (packReplayState)'),
  },
};

const PERIOD = { truck: TRUCK, from: time, to: time };

export const REPLAY_TRACK_SCHEMA = {
  type: 'object',
  required: ['truck', 'from', 'to', 'zoom', 'toleranceDeg', 'totalFixes', 'track'],
  properties: { ...PERIOD, zoom: int, toleranceDeg: number, totalFixes: int, track: ENCODED_TRACK_SCHEMA },
};

export const REPLAY_FIXES_SCHEMA = {
  type: 'object',
  required: ['truck', 'from', 'to', 'track', 'nextCursor'],
  properties: { ...PERIOD, track: ENCODED_TRACK_SCHEMA, nextCursor: ntime },
};

const PLACE = {
  type: 'object',
  required: ['kind', 'id', 'name'],
  properties: { kind: { type: 'string', enum: ['disposal_site', 'construction_site', 'town'] }, id: str, name: str, status: nstr },
};

export const REPLAY_MARKS_SCHEMA = {
  type: 'object',
  required: ['truck', 'from', 'to', 'minStopMinutes', 'trips', 'stops', 'violations', 'fences'],
  properties: {
    ...PERIOD,
    minStopMinutes: int,
    trips: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: str, status: { type: 'string', enum: [...TRIP_STATUSES] }, startedAt: time, endedAt: ntime, originName: nstr, destinationName: nstr,
          start: latLon, end: { ...latLon, nullable: true },
        },
      },
    },
    stops: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          startedAt: time, endedAt: time, durationS: int, lat: number, lon: number, bodyRaised: { type: 'boolean' },
          ignitionOn: { type: 'boolean', nullable: true }, place: { ...PLACE, nullable: true }, townName: nstr, suspicious: { type: 'boolean' },
        },
      },
    },
    violations: {
      type: 'array',
      items: { type: 'object', properties: { id: str, type: str, severity: str, startedAt: time, endedAt: ntime, lat: number, lon: number } },
    },
    fences: {
      type: 'array',
      items: { type: 'object', properties: { kind: { type: 'string', enum: ['enter', 'exit'] }, at: time, lat: number, lon: number, place: PLACE } },
    },
  },
};

const columns = <T extends object>(properties: T) => ({ type: 'object', properties });

/** `format=packed`: PackedReplayMarks (libs/contracts/src/api/replay-marks-packed.ts); unpack with unpackReplayMarks. */
export const PACKED_REPLAY_MARKS_SCHEMA = {
  type: 'object',
  description: 'Parallel columns; times ms since the mark before (the first since from), lat/lon 1e-5 degree deltas; places and texts sent once, named by index (−1 none).',
  required: ['truck', 'from', 'to', 'minStopMinutes', 'places', 'texts', 'trips', 'stops', 'violations', 'fences'],
  properties: {
    ...PERIOD,
    minStopMinutes: int,
    places: { type: 'array', items: PLACE },
    texts: { type: 'array', items: str },
    trips: columns({
      id: { type: 'array', items: str }, status: { type: 'array', items: { type: 'string', enum: [...TRIP_STATUSES] } }, t: ints('start, ms deltas'),
      length: ints('ms, −1 not ended'), origin: ints('index into texts'), destination: ints('index into texts'), lat: ints('1e-5°, deltas'), lon: ints('1e-5°, deltas'),
      endLat: ints('end − start, 1e-5°, null: no end'), endLon: ints('end − start, 1e-5°, null: no end'),
    }),
    stops: columns({
      t: ints('start, ms deltas'), length: ints('ms'), lat: ints('1e-5°, deltas'), lon: ints('1e-5°, deltas'),
      flags: ints('bit 0 body raised, bit 1 suspicious, bits 2–3 ignition (0 not reported, 1 off, 2 on)'), place: ints('index into places'), town: ints('index into texts'),
    }),
    violations: columns({
      id: { type: 'array', items: str }, type: { type: 'array', items: str }, severity: { type: 'array', items: str }, t: ints('start, ms deltas'), length: ints('ms, −1 open'),
      lat: ints('1e-5°, deltas'), lon: ints('1e-5°, deltas'),
    }),
    fences: columns({ kind: ints('0 enter, 1 exit'), t: ints('ms deltas'), lat: ints('1e-5°, deltas'), lon: ints('1e-5°, deltas'), place: ints('index into places') }),
  },
};
