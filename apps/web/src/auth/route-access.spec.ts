import { describe, expect, it } from 'vitest';
import type { Role } from '@muckwatch/contracts';
import { decideRoute, homePathFor, PAGE_ROLES, safeRedirect } from './route-access.js';

const ADMIN_ONLY: readonly Role[] = ['admin'];
const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];

describe('decideRoute: signed out', () => {
  it('sends someone opening the user list to the login page, to come back afterwards', () => {
    expect(decideRoute({ fullPath: '/users?q=wang', roles: ADMIN_ONLY }, null)).toEqual({ kind: 'login', redirect: '/users?q=wang' });
  });

  it('does not bother with a redirect back to the live map', () => {
    expect(decideRoute({ fullPath: '/' }, null)).toEqual({ kind: 'login', redirect: null });
  });

  it('lets anyone open the login page', () => {
    expect(decideRoute({ fullPath: '/login', public: true }, null)).toEqual({ kind: 'allow' });
  });
});

describe('decideRoute: signed in', () => {
  it('lets every role open the live map', () => {
    for (const role of ['admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor'] as const) {
      expect(decideRoute({ fullPath: '/' }, role)).toEqual({ kind: 'allow' });
    }
  });

  it('keeps a dispatcher out of user management', () => {
    expect(decideRoute({ fullPath: '/users', roles: ADMIN_ONLY }, 'dispatcher')).toEqual({ kind: 'redirect', to: '/', forbidden: true });
  });

  it('lets an auditor read the audit log but not manage users', () => {
    expect(decideRoute({ fullPath: '/audit', roles: AUDIT_READERS }, 'auditor')).toEqual({ kind: 'allow' });
    expect(decideRoute({ fullPath: '/users', roles: ADMIN_ONLY }, 'auditor').kind).toBe('redirect');
  });

  it('keeps a town official out of the audit log', () => {
    expect(decideRoute({ fullPath: '/audit', roles: AUDIT_READERS }, 'town_official')).toEqual({ kind: 'redirect', to: '/', forbidden: true });
  });

  it('sends a signed-in user away from the login page to where they were going', () => {
    expect(decideRoute({ fullPath: '/login?redirect=/audit', public: true, redirect: '/audit' }, 'auditor')).toEqual({ kind: 'redirect', to: '/audit', forbidden: false });
    expect(decideRoute({ fullPath: '/login', public: true }, 'admin')).toEqual({ kind: 'redirect', to: '/', forbidden: false });
  });
});

describe('the case pages', () => {
  const ALL_ROLES = ['admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor'] as const;

  it('lets every role read the violations list and a case (the API scopes what they see)', () => {
    for (const role of ALL_ROLES) {
      expect(decideRoute({ fullPath: '/violations?caseState=new', roles: PAGE_ROLES.violations }, role)).toEqual({ kind: 'allow' });
      expect(decideRoute({ fullPath: '/violations/T1%2Foverspeed%2F1', roles: PAGE_ROLES['violation-detail'] }, role)).toEqual({ kind: 'allow' });
    }
  });

  it('gives the inbox to enforcement officers only', () => {
    expect(decideRoute({ fullPath: '/inbox', roles: PAGE_ROLES.inbox }, 'enforcement_officer')).toEqual({ kind: 'allow' });
    expect(decideRoute({ fullPath: '/inbox', roles: PAGE_ROLES.inbox }, 'dispatcher')).toEqual({ kind: 'redirect', to: '/', forbidden: true });
  });

  it('keeps departments to the admin; a forbidden officer lands back on the inbox', () => {
    expect(decideRoute({ fullPath: '/departments', roles: PAGE_ROLES.departments }, 'admin')).toEqual({ kind: 'allow' });
    expect(decideRoute({ fullPath: '/departments', roles: PAGE_ROLES.departments }, 'dispatcher').kind).toBe('redirect');
    expect(decideRoute({ fullPath: '/departments', roles: PAGE_ROLES.departments }, 'enforcement_officer')).toEqual({ kind: 'redirect', to: '/inbox', forbidden: true });
  });

  it('lands an enforcement officer who signs in on the inbox, everyone else on the live map', () => {
    expect(homePathFor('enforcement_officer')).toBe('/inbox');
    expect(homePathFor('dispatcher')).toBe('/');
    expect(decideRoute({ fullPath: '/login', public: true }, 'enforcement_officer')).toEqual({ kind: 'redirect', to: '/inbox', forbidden: false });
  });
});

describe('safeRedirect', () => {
  it('keeps paths inside the console', () => {
    expect(safeRedirect('/audit?page=2')).toBe('/audit?page=2');
  });

  it('refuses other sites, protocol-relative URLs and the login page itself', () => {
    expect(safeRedirect('https://evil.example/')).toBeNull();
    expect(safeRedirect('//evil.example/')).toBeNull();
    expect(safeRedirect('/\\evil.example')).toBeNull();
    expect(safeRedirect('/login?redirect=/users')).toBeNull();
    expect(safeRedirect(['/users'])).toBeNull();
  });
});
