import { describe, expect, it } from 'vitest';
import {
  actionText,
  resourceTypeText,
  displayValue,
  exportFileName,
  fieldChanges,
  shortcutRange,
  wallTimeAsLocalDate,
  wallTimeToIso,
} from './audit-view.js';

describe('wallTimeToIso: the picker shows Beijing time, the API gets an instant', () => {
  it('reads a Beijing wall time as eight hours ahead of UTC', () => {
    expect(wallTimeToIso('2026-11-26 08:00:00')).toBe('2026-11-26T00:00:00.000Z');
  });

  it('crosses back to the previous UTC day before 08:00 Beijing', () => {
    expect(wallTimeToIso('2026-01-01 00:00:00')).toBe('2025-12-31T16:00:00.000Z');
  });

  it('follows daylight saving in zones that have it', () => {
    expect(wallTimeToIso('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(wallTimeToIso('2026-01-01 12:00:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
  });

  it('returns null for an empty or unreadable time', () => {
    expect(wallTimeToIso(null)).toBeNull();
    expect(wallTimeToIso('')).toBeNull();
    expect(wallTimeToIso('yesterday')).toBeNull();
  });
});

describe('shortcutRange', () => {
  // 01:30 on 27 November in Beijing.
  const now = Date.parse('2026-11-26T17:30:00Z');

  it('starts "today" at Beijing midnight, not UTC midnight', () => {
    expect(shortcutRange('today', now)).toEqual(['2026-11-27 00:00:00', '2026-11-27 01:30:00']);
  });

  it('covers the last hour and whole Beijing days for the longer ranges', () => {
    expect(shortcutRange('lastHour', now)).toEqual(['2026-11-27 00:30:00', '2026-11-27 01:30:00']);
    expect(shortcutRange('last7Days', now)[0]).toBe('2026-11-21 00:00:00');
    expect(shortcutRange('last30Days', now)[0]).toBe('2026-10-29 00:00:00');
  });
});

describe('wallTimeAsLocalDate', () => {
  it('keeps the wall clock digits in the local zone', () => {
    const date = wallTimeAsLocalDate('2026-11-27 01:30:00');
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([2026, 10, 27, 1, 30]);
  });
});

describe('fieldChanges', () => {
  it('lists a disabled user with the changed field first', () => {
    expect(
      fieldChanges({ displayName: '王立', disabled: false, role: 'town_official' }, { displayName: '王立', disabled: true, role: 'town_official' }),
    ).toEqual([
      { field: 'disabled', before: false, after: true, changed: true },
      { field: 'displayName', before: '王立', after: '王立', changed: false },
      { field: 'role', before: 'town_official', after: 'town_official', changed: false },
    ]);
  });

  it('shows every field of a created user as new', () => {
    expect(fieldChanges(null, { username: 'li', townCode: 'E37030501' })).toEqual([
      { field: 'townCode', before: undefined, after: 'E37030501', changed: true },
      { field: 'username', before: undefined, after: 'li', changed: true },
    ]);
  });

  it('compares nested values by content', () => {
    expect(fieldChanges({ scope: { town: 'A' } }, { scope: { town: 'A' } })[0]!.changed).toBe(false);
  });

  it('has nothing to show without before or after', () => {
    expect(fieldChanges(null, undefined)).toEqual([]);
  });

  it('compares plain values as one unnamed field', () => {
    expect(fieldChanges('a', 'b')).toEqual([{ field: '', before: 'a', after: 'b', changed: true }]);
  });
});

describe('displayValue, actionText and resourceTypeText', () => {
  it('shows strings bare, missing values as a dash, the rest as JSON', () => {
    expect(displayValue('王立')).toBe('王立');
    expect(displayValue(null)).toBe('—');
    expect(displayValue(undefined)).toBe('—');
    expect(displayValue(false)).toBe('false');
    expect(displayValue({ a: 1 })).toBe('{"a":1}');
  });

  it('names every action through the catalogue, the case workflow’s too', () => {
    expect(actionText('auth.login', 'zh-CN')).toEqual({ text: '登录', known: true });
    expect(actionText('terminal.credentials.issue', 'zh-CN')).toEqual({ text: '签发终端凭据', known: true });
    expect(actionText('case.assign', 'zh-CN')).toEqual({ text: '交办案件', known: true });
    expect(actionText('case_assign', 'en')).toEqual({ text: 'Assign case', known: true });
    expect(actionText('truck.update', 'zh-CN')).toEqual({ text: '修改车辆', known: true });
    expect(actionText('something.new', 'zh-CN')).toEqual({ text: 'something.new', known: false });
  });

  it('names the kind of object, a denied request’s route as an API route', () => {
    expect(resourceTypeText('terminal', 'terminal.bind', 'zh-CN')).toBe('终端');
    expect(resourceTypeText('route', 'route.update', 'zh-CN')).toBe('核准路线');
    expect(resourceTypeText('route', 'authz.denied', 'zh-CN')).toBe('接口');
    expect(resourceTypeText(null, 'auth.login', 'zh-CN')).toBeNull();
  });
});

describe('exportFileName', () => {
  const now = Date.parse('2026-11-26T17:30:00Z');
  it('names the file after the Beijing dates it covers', () => {
    expect(exportFileName('2026-11-20 00:00:00', '2026-11-26 23:59:59', now)).toBe('audit-2026-11-20_2026-11-26.csv');
    expect(exportFileName(null, null, now)).toBe('audit-2026-11-27.csv');
    expect(exportFileName(null, null, now, 'Asia/Shanghai', 'xlsx')).toBe('audit-2026-11-27.xlsx');
  });
});
