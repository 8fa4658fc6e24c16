import { onBeforeUnmount, onMounted, watch } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import {
  ComplianceLiveEvent,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  LiveEvent,
  type CaseChangedEvent,
  type TruckPosition,
  type Violation,
  type ViolationClosedEvent,
} from '@muckwatch/contracts';
import { fetchTrucks, fetchViolations } from '../api/endpoints.js';
import { useConsoleConfigStore } from '../stores/console-config.js';
import { useLiveTrucksStore } from '../stores/live-trucks.js';
import { useAuthStore } from '../stores/auth.js';
import { useAlarmsStore } from '../stores/alarms.js';
import { useCasesStore } from '../stores/cases.js';

/** Motion states are recomputed this often, so silent trucks go offline without new data. */
const CLOCK_TICK_MS = 15_000;
/** The registry of trucks is re-read this often (new trucks, new bindings). */
const REGISTRY_REFRESH_MS = 5 * 60_000;
/** The gateway's answer to a missing, expired or revoked token (connect_error message). */
const UNAUTHORIZED = 'unauthorized';
/** Open violations are read in pages of this many (the API's largest page), at most OPEN_VIOLATION_PAGES pages. */
const OPEN_VIOLATION_PAGE_SIZE = 500;
const OPEN_VIOLATION_PAGES = 20;

/**
 * Connects the console to the live gateway for as long as the calling component is mounted:
 * reads the console configuration and the truck registry, then applies the snapshot and the
 * position batches to the live store.
 */
export function useLiveFeed(): void {
  const { t } = useI18n();
  const config = useConsoleConfigStore();
  const live = useLiveTrucksStore();
  const auth = useAuthStore();
  const alarms = useAlarmsStore();
  const cases = useCasesStore();
  let socket: Socket | null = null;
  const timers: ReturnType<typeof setInterval>[] = [];
  let registryFailed = false;
  let stopRetryWatch: (() => void) | null = null;

  async function loadRegistry(): Promise<void> {
    if (live.registryStatus !== 'ready') live.registryStatus = 'loading';
    try {
      live.setRegistry(await fetchTrucks());
      registryFailed = false;
    } catch (error) {
      console.error(error);
      if (!registryFailed) ElMessage.warning(t('errors.trucks'));
      registryFailed = true;
      if (live.registryStatus !== 'ready') live.registryStatus = 'failed';
    }
  }

  /** The open violations the "open violation" filter needs; the socket's events keep them current. */
  async function loadOpenViolations(): Promise<void> {
    try {
      const open: Violation[] = [];
      for (let page = 1; page <= OPEN_VIOLATION_PAGES; page += 1) {
        const result = await fetchViolations({ status: 'open', page, pageSize: OPEN_VIOLATION_PAGE_SIZE });
        open.push(...result.items);
        if (result.items.length === 0 || page * OPEN_VIOLATION_PAGE_SIZE >= result.total) break;
      }
      live.setOpenViolations(open);
    } catch (error) {
      // The filter then knows only what the socket reports from now on.
      console.error(error);
    }
  }

  onMounted(() => {
    void config.load().then(() => {
      if (config.status === 'failed') ElMessage.warning(t('errors.consoleConfig'));
    });
    void loadRegistry();

    live.connection = 'connecting';
    // The token is read at every (re)connection attempt, so a reconnect carries the latest one.
    socket = io(LIVE_NAMESPACE, {
      path: LIVE_SOCKET_PATH,
      auth: (send: (data: { token: string | null }) => void) => send({ token: auth.accessToken }),
    });
    /** Refreshes once per refusal; a second refusal right after a refresh ends the session. */
    let refreshedForSocket = false;
    socket.on('connect', () => {
      live.connection = 'connected';
      refreshedForSocket = false;
      // The alarm list: what happened while this console was not listening, then the socket's.
      void alarms.load();
      void loadOpenViolations();
    });
    /** The server said this session is over (signed out elsewhere, user disabled): no reconnecting. */
    let sessionEndedByServer = false;
    socket.on(LiveEvent.SessionEnded, () => {
      sessionEndedByServer = true;
      auth.sessionEnded();
    });
    socket.on('disconnect', (reason) => {
      live.connection = socket?.active ? 'reconnecting' : 'disconnected';
      // Dropped by the server for another reason: try again, with a fresh token if need be.
      if (reason === 'io server disconnect' && !sessionEndedByServer) void reconnectWithFreshToken();
    });
    socket.on('connect_error', (error) => {
      live.connection = socket?.active ? 'reconnecting' : 'disconnected';
      // Still without a snapshot: the list says so (socket.io keeps trying, the list offers a retry).
      if (live.snapshotStatus !== 'ready' && error.message !== UNAUTHORIZED) live.snapshotStatus = 'failed';
      if (error.message === UNAUTHORIZED) void reconnectWithFreshToken();
    });

    async function reconnectWithFreshToken(): Promise<void> {
      if (refreshedForSocket) {
        auth.sessionEnded();
        return;
      }
      refreshedForSocket = true;
      live.connection = 'reconnecting';
      if (await auth.refresh()) socket?.connect();
      else auth.sessionEnded();
    }
    socket.io.on('reconnect', () => void loadRegistry());
    socket.on(LiveEvent.Snapshot, (snapshot: TruckPosition[]) => live.applySnapshot(snapshot));
    socket.on(LiveEvent.Positions, (batch: TruckPosition[]) => live.applyPositions(batch));
    socket.on(ComplianceLiveEvent.ViolationOpened, (violation: Violation) => {
      alarms.received(violation);
      live.violationChanged(violation);
    });
    socket.on(ComplianceLiveEvent.ViolationClosed, (violation: ViolationClosedEvent) => {
      alarms.received(violation);
      live.violationChanged(violation);
    });
    socket.on(ComplianceLiveEvent.CaseChanged, (event: CaseChangedEvent) => {
      cases.received(event);
      alarms.caseChanged(event.violation);
    });

    timers.push(setInterval(() => live.tick(), CLOCK_TICK_MS));
    stopRetryWatch = watch(
      () => live.retryRequest,
      () => {
        void loadRegistry();
        if (socket && !socket.connected) socket.connect();
      },
    );
    timers.push(setInterval(() => void loadRegistry(), REGISTRY_REFRESH_MS));
  });

  onBeforeUnmount(() => {
    timers.forEach(clearInterval);
    stopRetryWatch?.();
    socket?.disconnect();
    socket = null;
    live.connection = 'disconnected';
    // The console closes when the session ends; whoever signs in next starts from their own snapshot.
    live.reset();
    alarms.reset();
    cases.reset();
  });
}
