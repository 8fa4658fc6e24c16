import { DEFAULT_TERMINAL_MODELS, readMuckStates, type BodyState, type CoverState, type LoadState, type TelemetryFix } from '@muckwatch/contracts';
import { decodeLocation, encodeLocation } from '@muckwatch/jt808';
import { describe, expect, it } from 'vitest';
import { defaultModelForMaker, encodeMuckStates, locationOfFix } from './jt808-states.js';

/** What the platform reads back from a simulated report (the gateway's path: decodeLocation, then readMuckStates). */
function readBack(fix: TelemetryFix, maker: string) {
  const { mapping } = defaultModelForMaker(maker);
  const decoded = decodeLocation(encodeLocation(locationOfFix(fix, mapping)));
  if ('error' in decoded) throw new Error(decoded.error);
  return { decoded, states: readMuckStates(mapping, { status: decoded.status, extras: decoded.extras }) };
}

const FIX: TelemetryFix = {
  ts: '2026-05-01T08:00:10+08:00',
  lat: 36.812345,
  lon: 118.312345,
  speedKmh: 38.4,
  headingDeg: 91,
  altitudeM: 42,
  satellites: 11,
  valid: true,
  ignition: true,
  mileageKm: 12345.6,
  cover: 'closed',
  body: 'down',
  load: 'full',
};

describe('simulated JT/T 808 reports: muck states by the terminal model', () => {
  it('picks the shipped model by the registry maker, the standard one otherwise', () => {
    expect(defaultModelForMaker('鸿泉').key).toBe('hopechart');
    expect(defaultModelForMaker(' 锐明 ').key).toBe('streamax');
    expect(defaultModelForMaker('雅迅').key).toBe('yaxon');
    expect(defaultModelForMaker('深圳市锐明技术股份有限公司').key).toBe('jt808-standard');
    expect(defaultModelForMaker(null).key).toBe('jt808-standard');
  });

  it('鸿泉: a loaded truck with the cover open and the body raised is read as such (0xE3 / 0xE4 bit 0, load on status bits 8–9)', () => {
    const { decoded, states } = readBack({ ...FIX, cover: 'open', body: 'raised', load: 'half' }, '鸿泉');
    expect(states).toEqual({ cover: 'open', body: 'raised', load: 'half' });
    expect(decoded.extras.get(0xe3)?.[0]).toBe(1);
    expect(decoded.extras.get(0xe4)?.[0]).toBe(1);
    expect((decoded.status >> 8) & 0b11).toBe(0b01);
  });

  it('鸿泉: sealed, down and empty clear the bits', () => {
    const { decoded, states } = readBack({ ...FIX, cover: 'closed', body: 'down', load: 'empty' }, '鸿泉');
    expect(states).toEqual({ cover: 'closed', body: 'down', load: 'empty' });
    expect(decoded.extras.get(0xe3)?.[0]).toBe(0);
    expect(decoded.extras.get(0xe4)?.[0]).toBe(0);
  });

  it('锐明: cover and body on status bits 13 / 14, load as a sensor voltage in 0x2B', () => {
    const { decoded, states } = readBack({ ...FIX, cover: 'open', body: 'raised', load: 'overload' }, '锐明');
    expect(states).toMatchObject({ cover: 'open', body: 'raised', load: 'overload' });
    expect(decoded.status & (1 << 13)).not.toBe(0);
    expect(decoded.status & (1 << 14)).not.toBe(0);
    expect(states.loadVoltage).toBeGreaterThanOrEqual(4.5);
    const sealed = readBack({ ...FIX, cover: 'closed', body: 'down', load: 'empty' }, '锐明');
    expect(sealed.states).toMatchObject({ cover: 'closed', body: 'down', load: 'empty' });
    expect(sealed.decoded.status & ((1 << 13) | (1 << 14))).toBe(0);
  });

  it('every shipped model reads back every state it can carry', () => {
    const covers: CoverState[] = ['closed', 'open', 'partial'];
    const bodies: BodyState[] = ['down', 'raised'];
    const loads: LoadState[] = ['empty', 'half', 'full', 'overload'];
    for (const model of DEFAULT_TERMINAL_MODELS) {
      for (const cover of covers) {
        for (const body of bodies) {
          for (const load of loads) {
            const { states } = readBack({ ...FIX, cover, body, load }, model.maker);
            const tables = model.mapping;
            // A two-state cover says a partly closed cover as open (not sealed); no cover source: unknown.
            const expectedCover = !tables.cover ? null : tables.cover.from === 'item-values' ? cover : cover === 'partial' ? 'open' : cover;
            const expectedBody = tables.body ? body : null;
            const sayable = tables.load?.from === 'status-field' ? tables.load.values.map((v) => v.state) : null;
            const expectedLoad = !tables.load ? null : sayable && !sayable.includes(load) ? 'full' : load;
            expect({ model: model.key, ...states, loadVoltage: undefined }).toEqual({ model: model.key, cover: expectedCover, body: expectedBody, load: expectedLoad, loadVoltage: undefined });
          }
        }
      }
    }
  });

  it('keeps position, time, speed, ignition, odometer and satellites in the standard fields', () => {
    const { decoded } = readBack(FIX, '鸿泉');
    expect(decoded).toMatchObject({ valid: true, accOn: true, speedKmh: 38.4, headingDeg: 91, altitudeM: 42, mileageKm: 12345.6, satellites: 11 });
    expect(decoded.lat).toBeCloseTo(36.812345, 6);
    expect(decoded.lon).toBeCloseTo(118.312345, 6);
    expect(decoded.fixTimeMs).toBe(Date.parse('2026-05-01T00:00:10Z'));
    const parked = readBack({ ...FIX, ignition: false, ts: Date.parse('2026-05-01T00:00:20Z') }, '锐明').decoded;
    expect(parked.accOn).toBe(false);
    expect(parked.fixTimeMs).toBe(Date.parse('2026-05-01T00:00:20Z'));
  });

  it('does not report what it does not know: no state, no bits or items', () => {
    const { mapping } = defaultModelForMaker('鸿泉');
    expect(encodeMuckStates(mapping, {}, 0x03)).toEqual({ status: 0x03, extras: new Map() });
    // A cover sensor fault has no way to be said by a bit: the item is left out (read as unknown).
    const fault = encodeMuckStates(mapping, { cover: 'fault' });
    expect(fault.extras.has(0xe4)).toBe(false);
  });
});
