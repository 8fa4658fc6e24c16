import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';

/** The registry's pages, in the order of its side menu: path under /registry, message key, page. */
export const REGISTRY_PAGES: ReadonlyArray<{ path: string; key: string; component: () => Promise<Component>; props?: Record<string, unknown> }> = [
  { path: 'map', key: 'map', component: () => import('./map/RegistryMapPage.vue') },
  { path: 'dashboard', key: 'dashboard', component: () => import('./pages/RatesDashboardPage.vue') },
  { path: 'approvals', key: 'approvals', component: () => import('./pages/ApprovalsPage.vue') },
  { path: 'construction-sites', key: 'constructionSites', component: () => import('./pages/GeofenceListPage.vue'), props: { kind: 'construction-sites' } },
  { path: 'disposal-sites', key: 'disposalSites', component: () => import('./pages/GeofenceListPage.vue'), props: { kind: 'disposal-sites' } },
  { path: 'routes', key: 'routes', component: () => import('./pages/GeofenceListPage.vue'), props: { kind: 'routes' } },
  { path: 'speed-zones', key: 'speedZones', component: () => import('./pages/GeofenceListPage.vue'), props: { kind: 'speed-zones' } },
  { path: 'time-windows', key: 'timeWindows', component: () => import('./pages/TimeWindowsPage.vue') },
  { path: 'companies', key: 'companies', component: () => import('./pages/CompaniesPage.vue') },
  { path: 'trucks', key: 'trucks', component: () => import('./pages/TrucksPage.vue') },
  { path: 'terminals', key: 'terminals', component: () => import('./pages/TerminalsPage.vue') },
  { path: 'terminal-models', key: 'terminalModels', component: () => import('./pages/TerminalModelsPage.vue') },
  { path: 'towns', key: 'towns', component: () => import('./pages/TownsPage.vue') },
];

/** /registry and its pages; /registry opens the map. */
export const registryRoute: RouteRecordRaw = {
  path: '/registry',
  component: () => import('./RegistryLayout.vue'),
  meta: { navKey: 'nav.registry' },
  children: [
    { path: '', redirect: '/registry/map' },
    ...REGISTRY_PAGES.map((page) => ({ path: page.path, name: `registry-${page.path}`, component: page.component, props: page.props ?? false })),
  ],
};
