import { shallowRef, type ShallowRef } from 'vue';
import type {
  ApprovedRoute,
  ConstructionSite,
  DisposalSite,
  SpeedZone,
  TerminalRecord,
  TimeWindowSchedule,
  TransportCompany,
  TruckRecord,
} from '@muckwatch/contracts';
import { registryApi } from './registry-api.js';
import { notifyLoadError } from './use-form-errors.js';

interface Lookup<T> {
  items: ShallowRef<T[]>;
  /** Loads once; `force` re-reads after a change. */
  load(force?: boolean): Promise<T[]>;
}

function lookup<T>(read: () => Promise<T[]>): Lookup<T> {
  const items = shallowRef<T[]>([]);
  let pending: Promise<T[]> | null = null;
  return {
    items,
    load(force = false) {
      if (force || !pending) {
        pending = read()
          .then((list) => (items.value = list))
          .catch((error: unknown) => {
            pending = null;
            notifyLoadError(error);
            return items.value;
          });
      }
      return pending;
    },
  };
}

/**
 * The registry lists that forms choose from (companies, sites, routes…), shared by every page:
 * read once, re-read after a save.
 */
export const lookups = {
  companies: lookup<TransportCompany>(() => registryApi.companies.list()),
  trucks: lookup<TruckRecord>(() => registryApi.trucks.list()),
  terminals: lookup<TerminalRecord>(() => registryApi.terminals.list()),
  constructionSites: lookup<ConstructionSite>(() => registryApi.constructionSites.list()),
  disposalSites: lookup<DisposalSite>(() => registryApi.disposalSites.list()),
  routes: lookup<ApprovedRoute>(() => registryApi.routes.list()),
  speedZones: lookup<SpeedZone>(() => registryApi.speedZones.list()),
  timeWindows: lookup<TimeWindowSchedule>(() => registryApi.timeWindows.list()),
};
