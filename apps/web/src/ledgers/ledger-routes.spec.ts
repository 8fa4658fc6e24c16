import { describe, expect, it } from 'vitest';
import { decideRoute, PAGE_ROLES } from '../auth/route-access.js';
import { firstLedgerPage, LEDGER_PAGES } from './ledger-routes.js';

describe('who opens which ledger page', () => {
  it('opens the pile ledger for the towns, the muck office and auditors; only the findings for an enforcement officer', () => {
    for (const role of ['admin', 'dispatcher', 'town_official', 'auditor'] as const) expect(firstLedgerPage(role)).toBe('/ledgers/piles');
    expect(firstLedgerPage('enforcement_officer')).toBe('/ledgers/findings');
  });

  it('keeps an enforcement officer out of the piles, points and requests', () => {
    for (const page of LEDGER_PAGES.filter((p) => p.path !== 'findings')) {
      expect(decideRoute({ fullPath: `/ledgers/${page.path}`, roles: page.roles }, 'enforcement_officer')).toEqual({ kind: 'redirect', to: '/inbox', forbidden: true });
      expect(decideRoute({ fullPath: `/ledgers/${page.path}`, roles: page.roles }, 'town_official')).toEqual({ kind: 'allow' });
    }
    expect(decideRoute({ fullPath: '/ledgers/findings', roles: PAGE_ROLES['ledger-findings'] }, 'enforcement_officer')).toEqual({ kind: 'allow' });
  });
});
