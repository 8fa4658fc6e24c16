import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from 'element-plus';
import type { Role } from '@muckwatch/contracts';
import { decideRoute, LOGIN_PATH, PAGE_ROLES } from './auth/route-access.js';
import { useAuthStore } from './stores/auth.js';
import { i18n } from './i18n/index.js';
import ConsoleLayout from './shell/ConsoleLayout.vue';
import LiveMapPage from './live-map/LiveMapPage.vue';
import LoginPage from './auth/LoginPage.vue';
import { registryRoute } from './registry/registry-routes.js';
import { ledgersRoute } from './ledgers/ledger-routes.js';

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page's name in the header navigation; pages without one are not listed. */
    navKey?: string;
    /** Open without signing in. */
    public?: boolean;
    /** Only these roles may open the page (and see it in the navigation); everyone signed in when absent. */
    roles?: readonly Role[];
  }
}

export const USER_ADMINS: readonly Role[] = PAGE_ROLES.users;
export const AUDIT_READERS: readonly Role[] = PAGE_ROLES.audit;

/** Pages of the console. Alarms, track replay, registry and rankings will join the live map here. */
export const routes: RouteRecordRaw[] = [
  { path: LOGIN_PATH, name: 'login', component: LoginPage, meta: { public: true } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', name: 'live-map', component: LiveMapPage, meta: { navKey: 'nav.liveMap' } },
      {
        path: 'inbox',
        name: 'inbox',
        component: () => import('./violations/InboxPage.vue'),
        meta: { navKey: 'cases.nav.inbox', roles: PAGE_ROLES.inbox },
      },
      {
        path: 'violations',
        name: 'violations',
        component: () => import('./violations/ViolationsPage.vue'),
        meta: { navKey: 'cases.nav.violations', roles: PAGE_ROLES.violations },
      },
      {
        // The id is the engine's `{terminalId}/{type}/{startMs}`, URL-encoded into one segment.
        path: 'violations/:id',
        name: 'violation-detail',
        component: () => import('./violations/ViolationDetailPage.vue'),
        meta: { roles: PAGE_ROLES['violation-detail'] },
      },
      // Filters in the URL: /trips?truck=<id | terminal id | plate>&from=<ISO>&to=<ISO>&… (the truck panel links here).
      { path: 'trips', name: 'trips', component: () => import('./trips/TripsPage.vue'), meta: { navKey: 'trips.nav.trips', roles: PAGE_ROLES.trips } },
      /** A truck's URL: the live map with that truck selected (truck id, terminal id or plate). */
      { path: 'trucks/:id', name: 'truck', redirect: (to) => ({ path: '/', query: { truck: String(to.params['id']) } }) },
      /** Track replay: `/replay?truck=<truck id | terminal id | plate>&from=<ISO>&to=<ISO>&at=<ISO>`. */
      {
        path: 'replay',
        name: 'replay',
        component: () => import('./replay/ReplayPage.vue'),
        meta: { navKey: 'replay.nav.replay', roles: PAGE_ROLES.replay },
      },
      registryRoute,
      ledgersRoute,
      {
        path: 'users',
        name: 'users',
        component: () => import('./users/UsersPage.vue'),
        meta: { navKey: 'nav.users', roles: USER_ADMINS },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('./audit/AuditPage.vue'),
        meta: { navKey: 'nav.audit', roles: AUDIT_READERS },
      },
      {
        path: 'rejections',
        name: 'rejections',
        component: () => import('./rejections/RejectionsPage.vue'),
        meta: { navKey: 'nav.rejections', roles: USER_ADMINS },
      },
      // The current month (Asia/Shanghai) and any month yyyy-mm; the menu links the current one.
      { path: 'rankings', name: 'rankings', component: () => import('./rankings/RankingsPage.vue'), meta: { navKey: 'rankings.nav.rankings' } },
      { path: 'rankings/:month', name: 'rankings-month', component: () => import('./rankings/RankingsPage.vue') },
      {
        path: 'control-policies',
        name: 'control-policies',
        component: () => import('./commands/ControlPoliciesPage.vue'),
        meta: { navKey: 'commands.nav.policies', roles: PAGE_ROLES['control-policies'] },
      },
      {
        path: 'departments',
        name: 'departments',
        component: () => import('./departments/DepartmentsPage.vue'),
        meta: { navKey: 'cases.nav.departments', roles: PAGE_ROLES.departments },
      },
    ],
  },
  /** The printable bulletin: signed in, but without the console's header and menu. */
  {
    path: '/rankings/:month/bulletin',
    name: 'ranking-bulletin',
    component: () => import('./rankings/BulletinPage.vue'),
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  await auth.restore();
  const decision = decideRoute(
    { fullPath: to.fullPath, public: to.meta.public, roles: to.meta.roles, redirect: to.query['redirect'] },
    auth.role,
  );
  switch (decision.kind) {
    case 'allow':
      return true;
    case 'login':
      return { path: LOGIN_PATH, query: decision.redirect ? { redirect: decision.redirect } : {} };
    case 'redirect':
      if (decision.forbidden) ElMessage.warning(i18n.global.t('auth.forbiddenPage'));
      return decision.to;
  }
});
