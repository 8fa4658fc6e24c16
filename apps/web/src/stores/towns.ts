import { defineStore } from 'pinia';
import { computed, shallowRef, ref } from 'vue';
import { fetchTowns, type TownCollection } from '../api/endpoints.js';

/** The assessed towns (镇、街道、园区) and their outlines, read once per session. */
export const useTownsStore = defineStore('towns', () => {
  const collection = shallowRef<TownCollection | null>(null);
  const status = ref<'idle' | 'loading' | 'loaded' | 'failed'>('idle');
  let pending: Promise<void> | null = null;

  /** True when any outline is drawn for the demo rather than the legal boundary. */
  const anySynthetic = computed(
    () => collection.value?.features.some((feature) => feature.properties.synthetic) ?? false,
  );

  function load(): Promise<void> {
    if (status.value === 'failed') pending = null;
    pending ??= (async () => {
      status.value = 'loading';
      try {
        collection.value = await fetchTowns();
        status.value = 'loaded';
      } catch (error) {
        console.error(error);
        status.value = 'failed';
      }
    })();
    return pending;
  }

  return { collection, status, anySynthetic, load };
});
