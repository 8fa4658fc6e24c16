import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import LiveMapPage from './live-map/LiveMapPage.vue';
import { registryRoute } from './registry/registry-routes.js';

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page's name in the header navigation; pages without one are not listed. */
    navKey?: string;
  }
}

/** Pages of the console. Alarms, track replay, registry and rankings will join the live map here. */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'live-map', component: LiveMapPage, meta: { navKey: 'nav.liveMap' } },
  registryRoute,
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});
