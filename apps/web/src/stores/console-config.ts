import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConsoleConfig } from '@muckwatch/contracts';
import { fetchConsoleConfig } from '../api/endpoints.js';
import { CONSOLE_TIME_ZONE } from '../time/console-time.js';
import { pickBaseMap } from '../map/base-maps.js';

/** Used until the API answers, and kept if it cannot: no base map, five minutes to offline. */
export const FALLBACK_CONSOLE_CONFIG: ConsoleConfig = {
  tiles: null,
  baseMaps: [],
  offlineAfterSeconds: 300,
  timeZone: CONSOLE_TIME_ZONE,
};

export const useConsoleConfigStore = defineStore('console-config', () => {
  const config = ref<ConsoleConfig>(FALLBACK_CONSOLE_CONFIG);
  const status = ref<'idle' | 'loading' | 'loaded' | 'failed'>('idle');
  let pending: Promise<void> | null = null;

  const tiles = computed(() => config.value.tiles);
  /** Every base map on offer, and the one chosen (the default until the user switches). */
  const baseMaps = computed(() => config.value.baseMaps);
  const baseMapId = ref<string | null>(null);
  const baseMap = computed(() => pickBaseMap(baseMaps.value, baseMapId.value));
  const offlineAfterMs = computed(() => config.value.offlineAfterSeconds * 1000);
  const timeZone = computed(() => config.value.timeZone || CONSOLE_TIME_ZONE);

  function load(): Promise<void> {
    pending ??= (async () => {
      status.value = 'loading';
      try {
        config.value = await fetchConsoleConfig();
        status.value = 'loaded';
      } catch (error) {
        console.error(error);
        status.value = 'failed';
      }
    })();
    return pending;
  }

  return { config, status, tiles, baseMaps, baseMapId, baseMap, offlineAfterMs, timeZone, load };
});
