import { describe, expect, it } from 'vitest';
import { NEW_CASE, type Violation } from '@muckwatch/contracts';
import { MAX_ALARMS, mergeAlarm } from './alarm-list.js';

function violation(id: string, startIso: string, status: Violation['status'] = 'open'): Violation {
  return {
    id,
    type: 'overspeed',
    severity: 'medium',
    status,
    terminalId: 'T1',
    truckId: null,
    plate: '鲁CA1234',
    tripId: null,
    approvalId: null,
    subjectId: null,
    start: { at: startIso, lon: 118.3, lat: 36.8 },
    end: status === 'closed' ? { at: startIso, lon: 118.3, lat: 36.8 } : null,
    townCode: '370305001',
    reasons: [],
    params: {},
    peak: null,
    reportedLate: false,
    companyId: null,
    companyName: null,
    ...NEW_CASE,
    updatedAt: startIso,
  };
}

describe('the live alarm list', () => {
  it('keeps the newest start first, whatever order alarms arrive in (a late backlog)', () => {
    let list = mergeAlarm([], violation('b', '2026-11-26T10:00:00Z'));
    list = mergeAlarm(list, violation('c', '2026-11-26T11:00:00Z'));
    list = mergeAlarm(list, violation('a', '2026-11-26T09:00:00Z'));
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a']);
  });

  it('updates a known alarm in place when it closes or is retracted', () => {
    let list = mergeAlarm([], violation('a', '2026-11-26T09:00:00Z'));
    list = mergeAlarm(list, { ...violation('a', '2026-11-26T09:00:00Z', 'closed'), retracted: true });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'a', status: 'closed', retracted: true });
  });

  it(`keeps at most ${MAX_ALARMS}`, () => {
    let list = mergeAlarm([], violation('x0', '2026-11-26T00:00:00Z'));
    for (let i = 1; i <= MAX_ALARMS + 5; i++) list = mergeAlarm(list, violation(`x${i}`, new Date(Date.parse('2026-11-26T00:00:00Z') + i * 1000).toISOString()));
    expect(list).toHaveLength(MAX_ALARMS);
    expect(list[0]!.id).toBe(`x${MAX_ALARMS + 5}`);
  });
});
