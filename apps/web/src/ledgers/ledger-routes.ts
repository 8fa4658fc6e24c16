import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { PAGE_ROLES } from '../auth/route-access.js';

/** The ledger pages (台账), in the order of their side menu: path under /ledgers, message key, page. */
export const LEDGER_PAGES: ReadonlyArray<{ path: string; key: string; component: () => Promise<Component> }> = [
  { path: 'piles', key: 'piles', component: () => import('./PilesPage.vue') },
  { path: 'collection-points', key: 'collectionPoints', component: () => import('./CollectionPointsPage.vue') },
  { path: 'requests', key: 'requests', component: () => import('./RequestsPage.vue') },
  { path: 'findings', key: 'findings', component: () => import('./FindingsPage.vue') },
];

/** /ledgers and its pages; /ledgers opens the pile ledger. */
export const ledgersRoute: RouteRecordRaw = {
  path: '/ledgers',
  component: () => import('./LedgersLayout.vue'),
  meta: { navKey: 'ledgers.nav', roles: PAGE_ROLES.ledgers },
  children: [
    { path: '', redirect: '/ledgers/piles' },
    ...LEDGER_PAGES.map((page) => ({ path: page.path, name: `ledgers-${page.path}`, component: page.component })),
  ],
};
