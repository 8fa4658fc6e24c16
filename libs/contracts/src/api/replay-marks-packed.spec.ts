import { describe, expect, it } from 'vitest';
import { packReplayMarks, unpackReplayMarks, type PackedReplayMarks } from './replay-marks-packed.js';
import type { ReplayMarks, ReplayPlace } from './replay.js';

const site: ReplayPlace = { kind: 'construction_site', id: '6f1d2c3e-0000-4000-8000-000000000001', name: '齐鲁石化工地' };
const dump: ReplayPlace = { kind: 'disposal_site', id: '6f1d2c3e-0000-4000-8000-000000000002', name: '金岭消纳场', status: 'licensed' };
const town: ReplayPlace = { kind: 'town', id: '370305001', name: '辛店街道' };

/** A truck's day as the API reads it: coordinates already at 1e-5° (the packed form keeps ~1 m). */
const marks: ReplayMarks = {
  truck: { truckId: null, plate: '鲁C12345', terminalIds: ['T1'] },
  from: '2026-11-30T16:00:00.000Z',
  to: '2026-12-01T16:00:00.000Z',
  minStopMinutes: 5,
  trips: [
    { id: 'T1/trip/1', status: 'closed', startedAt: '2026-11-30T23:00:00.000Z', endedAt: '2026-12-01T00:20:00.000Z', originName: '齐鲁石化工地', destinationName: '金岭消纳场', start: [36.82, 118.3], end: [36.83121, 118.35444] },
    { id: 'T1/trip/2', status: 'open', startedAt: '2026-12-01T01:00:00.000Z', endedAt: null, originName: '齐鲁石化工地', destinationName: null, start: [36.82001, 118.30002], end: null },
  ],
  stops: [
    { startedAt: '2026-11-30T23:00:00.000Z', endedAt: '2026-11-30T23:09:50.000Z', durationS: 590, lat: 36.82, lon: 118.3, bodyRaised: false, ignitionOn: true, place: site, townName: '辛店街道', suspicious: false },
    { startedAt: '2026-11-30T23:40:00.000Z', endedAt: '2026-11-30T23:49:50.000Z', durationS: 590, lat: 36.82511, lon: 118.33, bodyRaised: true, ignitionOn: null, place: null, townName: null, suspicious: true },
    { startedAt: '2026-12-01T00:00:00.000Z', endedAt: '2026-12-01T00:09:50.000Z', durationS: 590, lat: 36.83121, lon: 118.35444, bodyRaised: true, ignitionOn: false, place: dump, townName: '辛店街道', suspicious: false },
  ],
  violations: [{ id: 'v-1', type: 'illegal_dumping', severity: 'high', startedAt: '2026-11-30T23:42:00.000Z', endedAt: '2026-11-30T23:46:00.000Z', lat: 36.82511, lon: 118.33 }],
  fences: [
    { kind: 'exit', at: '2026-11-30T23:10:00.000Z', lat: 36.82, lon: 118.301, place: site },
    { kind: 'enter', at: '2026-11-30T23:59:40.000Z', lat: 36.8312, lon: 118.3544, place: dump },
    { kind: 'exit', at: '2026-12-01T00:10:00.000Z', lat: 36.8312, lon: 118.3545, place: dump },
    { kind: 'enter', at: '2026-12-01T00:12:00.000Z', lat: 36.8, lon: 118.36, place: town },
  ],
};

describe('packed replay marks', () => {
  it('round-trips every mark', () => {
    expect(unpackReplayMarks(JSON.parse(JSON.stringify(packReplayMarks(marks))) as PackedReplayMarks)).toEqual(marks);
  });

  it('names each place and text once', () => {
    const packed = packReplayMarks(marks);
    expect(packed.places).toEqual([site, dump, town]);
    expect(packed.texts).toEqual(['齐鲁石化工地', '金岭消纳场', '辛店街道']);
    expect(packed.fences.place).toEqual([0, 1, 1, 2]);
  });

  it('is a fraction of the objects’ size for a month of alike marks', () => {
    const month: ReplayMarks = { ...marks, stops: [], fences: [] };
    for (let i = 0; i < 3000; i += 1) {
      const at = Date.parse(marks.from) + i * 600_000;
      month.fences.push({ kind: i % 2 ? 'exit' : 'enter', at: new Date(at).toISOString(), lat: 36.82 + (i % 7) * 1e-5, lon: 118.3, place: i % 3 ? site : town });
      month.stops.push({ ...marks.stops[0]!, startedAt: new Date(at).toISOString(), endedAt: new Date(at + 590_000).toISOString() });
    }
    const packed = JSON.stringify(packReplayMarks(month)).length;
    expect(packed).toBeLessThan(JSON.stringify(month).length / 8);
    expect(unpackReplayMarks(JSON.parse(JSON.stringify(packReplayMarks(month))) as PackedReplayMarks)).toEqual(month);
  });
});
