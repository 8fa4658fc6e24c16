import { onBeforeUnmount, onMounted } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { LIVE_NAMESPACE, LIVE_SOCKET_PATH, LiveEvent, type TruckPosition } from '@muckwatch/contracts';
import { fetchTrucks } from '../api/endpoints.js';
import { useConsoleConfigStore } from '../stores/console-config.js';
import { useLiveTrucksStore } from '../stores/live-trucks.js';

/** Motion states are recomputed this often, so silent trucks go offline without new data. */
const CLOCK_TICK_MS = 15_000;
/** The registry of trucks is re-read this often (new trucks, new bindings). */
const REGISTRY_REFRESH_MS = 5 * 60_000;

/**
 * Connects the console to the live gateway for as long as the calling component is mounted:
 * reads the console configuration and the truck registry, then applies the snapshot and the
 * position batches to the live store.
 */
export function useLiveFeed(): void {
  const { t } = useI18n();
  const config = useConsoleConfigStore();
  const live = useLiveTrucksStore();
  let socket: Socket | null = null;
  const timers: ReturnType<typeof setInterval>[] = [];
  let registryFailed = false;

  async function loadRegistry(): Promise<void> {
    try {
      live.setRegistry(await fetchTrucks());
      registryFailed = false;
    } catch (error) {
      console.error(error);
      if (!registryFailed) ElMessage.warning(t('errors.trucks'));
      registryFailed = true;
    }
  }

  onMounted(() => {
    void config.load().then(() => {
      if (config.status === 'failed') ElMessage.warning(t('errors.consoleConfig'));
    });
    void loadRegistry();

    live.connection = 'connecting';
    socket = io(LIVE_NAMESPACE, { path: LIVE_SOCKET_PATH });
    socket.on('connect', () => {
      live.connection = 'connected';
    });
    socket.on('disconnect', () => {
      live.connection = socket?.active ? 'reconnecting' : 'disconnected';
    });
    socket.on('connect_error', () => {
      live.connection = socket?.active ? 'reconnecting' : 'disconnected';
    });
    socket.io.on('reconnect', () => void loadRegistry());
    socket.on(LiveEvent.Snapshot, (snapshot: TruckPosition[]) => live.applySnapshot(snapshot));
    socket.on(LiveEvent.Positions, (batch: TruckPosition[]) => live.applyPositions(batch));

    timers.push(setInterval(() => live.tick(), CLOCK_TICK_MS));
    timers.push(setInterval(() => void loadRegistry(), REGISTRY_REFRESH_MS));
  });

  onBeforeUnmount(() => {
    timers.forEach(clearInterval);
    socket?.disconnect();
    socket = null;
    live.connection = 'disconnected';
  });
}
