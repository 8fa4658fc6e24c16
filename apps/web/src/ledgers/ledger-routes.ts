import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@muckwatch/contracts';
import { PAGE_ROLES } from '../auth/route-access.js';
import { useAuthStore } from '../stores/auth.js';

/** The ledger pages (台账), in the order of their side menu: path under /ledgers, message key, page, who may open it. */
export const LEDGER_PAGES: ReadonlyArray<{ path: string; key: string; component: () => Promise<Component>; roles: readonly Role[] }> = [
  { path: 'piles', key: 'piles', component: () => import('./PilesPage.vue'), roles: PAGE_ROLES['ledger-records'] },
  { path: 'collection-points', key: 'collectionPoints', component: () => import('./CollectionPointsPage.vue'), roles: PAGE_ROLES['ledger-records'] },
  { path: 'requests', key: 'requests', component: () => import('./RequestsPage.vue'), roles: PAGE_ROLES['ledger-records'] },
  { path: 'findings', key: 'findings', component: () => import('./FindingsPage.vue'), roles: PAGE_ROLES['ledger-findings'] },
];

/** The first ledger page `role` may open (an enforcement officer reads only the findings). */
export function firstLedgerPage(role: Role | null): string {
  const page = LEDGER_PAGES.find((p) => role !== null && p.roles.includes(role)) ?? LEDGER_PAGES[0]!;
  return `/ledgers/${page.path}`;
}

/** /ledgers and its pages; /ledgers opens the first page the user may see. */
export const ledgersRoute: RouteRecordRaw = {
  path: '/ledgers',
  component: () => import('./LedgersLayout.vue'),
  meta: { navKey: 'ledgers.nav', roles: PAGE_ROLES.ledgers },
  children: [
    // Not a `redirect`: that is resolved before the sign-in guard, while the role is still unknown.
    // The guard has run by the time `beforeEnter` does; the empty component never shows.
    { path: '', component: { render: () => null }, beforeEnter: () => firstLedgerPage(useAuthStore().role) },
    ...LEDGER_PAGES.map((page) => ({ path: page.path, name: `ledgers-${page.path}`, component: page.component, meta: { roles: page.roles } })),
  ],
};
