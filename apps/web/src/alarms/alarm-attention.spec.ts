import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  acknowledgeAll,
  filterAlarms,
  isAcknowledged,
  needsAttention,
  noneAcknowledged,
  parseAcknowledged,
  unacknowledgedCount,
} from './alarm-attention.js';

const row = (id: string, at: string, extra: Partial<{ retracted: boolean; type: 'overspeed' | 'illegal_dumping'; townCode: string }> = {}) => ({
  id,
  start: { at, lon: 0, lat: 0 },
  retracted: false,
  type: 'overspeed' as 'overspeed' | 'illegal_dumping',
  townCode: '001',
  ...extra,
});

describe('unacknowledged alarms', () => {
  const rows = [row('c', '2026-12-05T08:00:00Z'), row('b', '2026-12-05T07:00:00Z'), row('a', '2026-12-05T06:00:00Z', { retracted: true })];

  it('counts the alarms nobody acknowledged, leaving out retracted ones', () => {
    expect(unacknowledgedCount(rows, noneAcknowledged())).toBe(2);
    expect(unacknowledgedCount(rows, acknowledge(noneAcknowledged(), 'b'))).toBe(1);
  });

  it('"acknowledge all" covers what is shown, but not an alarm that arrives afterwards', () => {
    const acked = acknowledgeAll(rows, noneAcknowledged());
    expect(unacknowledgedCount(rows, acked)).toBe(0);
    expect(isAcknowledged(row('d', '2026-12-05T08:00:01Z'), acked)).toBe(false);
  });

  it('survives a reload through its stored form, and shrugs off garbage', () => {
    const acked = acknowledge(acknowledgeAll(rows, noneAcknowledged()), 'x');
    expect(parseAcknowledged(JSON.stringify(acked))).toEqual(acked);
    expect(parseAcknowledged('{not json')).toEqual(noneAcknowledged());
    expect(parseAcknowledged('{"allBefore":"soon","ids":[1,"y"]}')).toEqual({ allBefore: null, ids: ['y'] });
  });
});

describe('the panel filter and attention', () => {
  it('filters by type and town', () => {
    const rows = [row('a', '2026-12-05T08:00:00Z', { type: 'illegal_dumping', townCode: '002' }), row('b', '2026-12-05T08:00:00Z')];
    expect(filterAlarms(rows, { types: ['illegal_dumping'], townCode: null }).map((r) => r.id)).toEqual(['a']);
    expect(filterAlarms(rows, { types: [], townCode: '001' }).map((r) => r.id)).toEqual(['b']);
    expect(filterAlarms(rows, { types: [], townCode: null })).toHaveLength(2);
  });

  it('calls for attention on illegal dumping and unlicensed transport only', () => {
    expect(needsAttention({ type: 'illegal_dumping' })).toBe(true);
    expect(needsAttention({ type: 'unlicensed_transport' })).toBe(true);
    expect(needsAttention({ type: 'overspeed' })).toBe(false);
  });
});
