import { watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useLiveTrucksStore } from '../stores/live-trucks.js';
import { resolveTruckKey, TRUCK_QUERY } from '../trucks/truck-link.js';

/**
 * The selected truck lives in the URL (`/?truck=…`, also reached by `/trucks/:id`): opening the URL
 * selects the truck and flies to it once the registry or the live snapshot knows it; selecting a
 * truck (list, map, keyboard) writes its key there, and closing the detail takes it out.
 */
export function useSelectedTruckUrl(layersMounted: Ref<boolean>): void {
  const route = useRoute();
  const router = useRouter();
  const live = useLiveTrucksStore();
  /** The URL value already acted on, so a batch of positions does not fly to it again. */
  let focused: string | null = null;

  const wantedId = (): string | null => {
    const value = route.query[TRUCK_QUERY];
    return typeof value === 'string' && value.trim() !== '' ? value : null;
  };

  watch(
    [wantedId, () => live.rows, layersMounted],
    ([id]) => {
      if (!layersMounted.value) return;
      if (!id) {
        focused = null;
        return;
      }
      if (focused === id) return;
      const key = resolveTruckKey(live.rows, id);
      if (key) {
        focused = id;
        live.focus(key);
      }
    },
    { immediate: true },
  );

  watch(
    () => live.selectedKey,
    (key) => {
      const id = wantedId();
      if (key === null) {
        if (id === null || focused !== id) return;
        const { [TRUCK_QUERY]: _dropped, ...rest } = route.query;
        focused = null;
        void router.replace({ query: rest });
        return;
      }
      // The URL already names this truck (by plate, truck id or terminal id): leave it as written.
      if (id !== null && resolveTruckKey(live.rows, id) === key) return;
      focused = key;
      void router.replace({ query: { ...route.query, [TRUCK_QUERY]: key } });
    },
  );
}
