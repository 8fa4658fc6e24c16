import { describe, expect, it } from 'vitest';
import type { TerminalCommandRecord } from '@muckwatch/contracts';
import { commandRequest, emptyCommandForm, releasable, stateTagType, unsettled } from './command-view.js';

const record = (over: Partial<TerminalCommandRecord>): TerminalCommandRecord => ({
  id: 'c1', terminalId: 'T1', truckId: 't1', plate: '鲁C12345', kind: 'lock', params: {}, reason: '锁车', origin: 'manual', policy: null, issuedBy: 'disp',
  state: 'acknowledged', attempts: 1, createdAt: '2026-12-06T02:00:00.000Z', expiresAt: null, lastSentAt: null, acknowledgedAt: null, settledAt: null,
  answerDetail: null, releasedAt: null, releasedBy: null, releasedByCommand: null, door: 'mqtt', ...over,
});

describe('the 发送指令 form', () => {
  it('builds the request of its kind, trimmed', () => {
    expect(commandRequest({ ...emptyCommandForm(), reason: ' 未按路线行驶 ' })).toEqual({ kind: 'lock', reason: '未按路线行驶' });
    expect(commandRequest({ ...emptyCommandForm(), kind: 'speed_cap', speedKmh: 25, reason: '限速' })).toEqual({ kind: 'speed_cap', params: { speedKmh: 25 }, reason: '限速' });
    expect(commandRequest({ ...emptyCommandForm(), kind: 'display_text', text: ' 请减速 ', reason: '提醒' })).toEqual({ kind: 'display_text', params: { text: '请减速' }, reason: '提醒' });
  });

  it('names what is missing or out of bounds', () => {
    expect(commandRequest({ ...emptyCommandForm(), reason: '  ' })).toEqual({ invalid: 'reason' });
    expect(commandRequest({ ...emptyCommandForm(), reason: 'x'.repeat(501) })).toEqual({ invalid: 'reason' });
    expect(commandRequest({ ...emptyCommandForm(), kind: 'speed_cap', speedKmh: 200, reason: 'x' })).toEqual({ invalid: 'speedKmh' });
    expect(commandRequest({ ...emptyCommandForm(), kind: 'display_text', text: '', reason: 'x' })).toEqual({ invalid: 'text' });
  });
});

describe('the 管控 list', () => {
  it('offers release for restrictions in force only', () => {
    expect(releasable(record({}))).toBe(true);
    expect(releasable(record({ kind: 'unlock' }))).toBe(false);
    expect(releasable(record({ releasedAt: '2026-12-06T03:00:00.000Z' }))).toBe(false);
    expect(releasable(record({ state: 'timed_out' }))).toBe(false);
  });

  it('keeps refreshing while a command is unsettled; colours states', () => {
    expect(unsettled([record({}), record({ state: 'sent' })])).toBe(true);
    expect(unsettled([record({})])).toBe(false);
    expect(stateTagType('acknowledged')).toBe('success');
    expect(stateTagType('timed_out')).toBe('danger');
    expect(stateTagType('pending')).toBe('warning');
  });
});
