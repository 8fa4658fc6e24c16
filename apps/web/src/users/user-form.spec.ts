import { describe, expect, it } from 'vitest';
import type { UserSummary } from '@muckwatch/contracts';
import { createRequest, emptyUserForm, filterUsers, formFromUser, updateRequest, USERNAME_PATTERN } from './user-form.js';

function user(overrides: Partial<UserSummary>): UserSummary {
  return {
    id: overrides.username ?? 'u',
    username: 'u',
    displayName: 'U',
    role: 'dispatcher',
    townCode: null,
    department: null,
    disabled: false,
    createdAt: '2026-11-01T00:00:00Z',
    lastLoginAt: null,
    ...overrides,
  };
}

const users = [
  user({ username: 'wang.li', displayName: '王立', role: 'town_official', townCode: 'E37030501' }),
  user({ username: 'zhao', displayName: '赵强', role: 'enforcement_officer', department: 'urban-management' }),
  user({ username: 'admin', displayName: '系统管理员', role: 'admin' }),
  user({ username: 'old', displayName: '老账号', role: 'dispatcher', disabled: true }),
];
const townName = (code: string): string | null => (code === 'E37030501' ? '齐鲁石化' : null);

describe('filterUsers', () => {
  it('lists everyone by username without a filter', () => {
    expect(filterUsers(users, { query: '', role: '', status: '' }).map((u) => u.username)).toEqual(['admin', 'old', 'wang.li', 'zhao']);
  });

  it('finds a town official by the name of their town', () => {
    expect(filterUsers(users, { query: '石化', role: '', status: '' }, townName).map((u) => u.username)).toEqual(['wang.li']);
  });

  it('finds by department, display name and username, ignoring case', () => {
    const departmentName = (code: string): string | null => (code === 'urban-management' ? '综合行政执法局' : null);
    expect(filterUsers(users, { query: '执法局', role: '', status: '' }, undefined, departmentName).map((u) => u.username)).toEqual(['zhao']);
    expect(filterUsers(users, { query: 'urban', role: '', status: '' }).map((u) => u.username)).toEqual(['zhao']);
    expect(filterUsers(users, { query: '赵', role: '', status: '' }).map((u) => u.username)).toEqual(['zhao']);
    expect(filterUsers(users, { query: 'WANG', role: '', status: '' }).map((u) => u.username)).toEqual(['wang.li']);
  });

  it('filters by role and by status', () => {
    expect(filterUsers(users, { query: '', role: 'dispatcher', status: '' }).map((u) => u.username)).toEqual(['old']);
    expect(filterUsers(users, { query: '', role: '', status: 'disabled' }).map((u) => u.username)).toEqual(['old']);
    expect(filterUsers(users, { query: '', role: '', status: 'active' })).toHaveLength(3);
  });
});

describe('createRequest', () => {
  it('keeps the town of a town official and drops a department typed before the role changed', () => {
    const form = { ...emptyUserForm(), username: ' li.na ', displayName: '李娜', password: 'Pw-123456789a', role: 'town_official' as const, townCode: 'E37030501', department: '执法' };
    expect(createRequest(form)).toEqual({ username: 'li.na', displayName: '李娜', password: 'Pw-123456789a', role: 'town_official', townCode: 'E37030501', department: null });
  });
});

describe('updateRequest', () => {
  const official = users[0]!;

  it('sends nothing when nothing changed', () => {
    expect(updateRequest(official, formFromUser(official))).toEqual({});
  });

  it('clears the town when a town official becomes a dispatcher', () => {
    expect(updateRequest(official, { ...formFromUser(official), role: 'dispatcher' })).toEqual({ role: 'dispatcher', townCode: null, department: null });
  });

  it('sends only a changed town', () => {
    expect(updateRequest(official, { ...formFromUser(official), townCode: 'E37030502' })).toEqual({ townCode: 'E37030502' });
  });
});

describe('USERNAME_PATTERN', () => {
  it('accepts the demo and test usernames', () => {
    for (const name of ['admin', 'town', 'test-admin', 'town-official-a1b2c3', 'wang.li', 'WangLi']) expect(USERNAME_PATTERN.test(name)).toBe(true);
  });

  it('refuses spaces, Chinese, very short and very long names', () => {
    for (const name of ['wang li', '王立', 'ab', 'a'.repeat(33)]) expect(USERNAME_PATTERN.test(name)).toBe(false);
  });
});
