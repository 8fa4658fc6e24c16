import { computed, reactive, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import type { LedgerPage } from '@muckwatch/contracts';
import { ApiRequestError } from '../api/http.js';
import { localizedError } from '../api/api-error-message.js';
import { i18n } from '../i18n/index.js';
import { useAuthStore } from '../stores/auth.js';
import { useTownsStore } from '../stores/towns.js';
import {
  apiQueryFromLedgerFilter,
  canWriteLedgers,
  emptyLedgerFilter,
  ledgerFilterFromQuery,
  queryFromLedgerFilter,
  type LedgerFilter,
} from './ledger-view.js';

export type LoadState = 'loading' | 'ready' | 'failed';
export type DetailState = 'loading' | 'ready' | 'not-found' | 'failed';

/** Who is looking: a town official is held to their town (the API scopes; this shapes the page). */
export function useLedgerScope() {
  const auth = useAuthStore();
  const towns = useTownsStore();
  const ownTown = computed(() => (auth.role === 'town_official' ? (auth.user?.townCode ?? null) : null));
  const canWrite = computed(() => canWriteLedgers(auth.role));
  const townOptions = computed(() => (towns.collection?.features ?? []).map((f) => ({ value: f.properties.code, label: f.properties.name })));
  const townName = (code: string | null | undefined): string =>
    (code && towns.collection?.features.find((f) => f.properties.code === code)?.properties.name) || code || '—';
  /** A town official's own town outline: their map opens on it. */
  const home = computed(() => (ownTown.value ? (towns.collection?.features.find((f) => f.properties.code === ownTown.value)?.geometry ?? null) : null));
  void towns.load();
  return { auth, ownTown, canWrite, townOptions, townName, home };
}

/** A ledger call's failure in the console's language; a stale version says so plainly. */
export function ledgerErrorText(error: unknown): string {
  if (isVersionConflict(error)) return i18n.global.t('ledgers.common.stale');
  return localizedError(error);
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 409 && error.body?.code === 'ledger.version_conflict';
}

export function notifyActionFailed(error: unknown): void {
  console.error(error);
  if (isVersionConflict(error)) ElMessage.warning(i18n.global.t('ledgers.common.stale'));
  else ElMessage.error(i18n.global.t('ledgers.common.actionFailed', { message: localizedError(error) }));
}

/**
 * A ledger list whose filters, page and open record (`id`) live in the URL: the applied filter,
 * the one being edited, the page of rows and whether it is loading, ready or failed.
 */
export function useLedgerList<T>(path: string, statuses: readonly string[], fetchPage: (query: Record<string, string>) => Promise<LedgerPage<T>>) {
  const route = useRoute();
  const router = useRouter();
  const applied = computed<LedgerFilter>(() => ledgerFilterFromQuery(route.query, statuses));
  const draft = reactive<LedgerFilter>(emptyLedgerFilter());
  const items: ShallowRef<T[]> = shallowRef([]);
  const total = ref(0);
  const state: Ref<LoadState> = ref('loading');
  const selectedId = computed(() => (typeof route.query['id'] === 'string' && route.query['id'] !== '' ? route.query['id'] : null));
  const hasFilter = computed(() => Object.keys(queryFromLedgerFilter({ ...applied.value, page: 1, pageSize: applied.value.pageSize })).some((k) => k !== 'pageSize'));
  /** Bumped when the rows of a new filter have arrived, so the map fits them (not after every save). */
  const fitKey = ref(0);
  let fitPending = true;

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    state.value = 'loading';
    try {
      const filter = applied.value;
      // The API filters overdue records itself (`overdue=true`), like every other filter.
      const page = await fetchPage(apiQueryFromLedgerFilter(filter));
      if (mine !== seq) return;
      items.value = page.items;
      total.value = page.total;
      state.value = 'ready';
      if (fitPending) {
        fitPending = false;
        fitKey.value++;
      }
    } catch (error) {
      console.error(error);
      if (mine !== seq) return;
      state.value = 'failed';
    }
  }

  function navigate(filter: LedgerFilter, id: string | null = null): void {
    void router.push({ path, query: { ...queryFromLedgerFilter(filter), ...(id ? { id } : {}) } });
  }
  const search = (): void => navigate({ ...draft, page: 1 });
  const reset = (): void => navigate(emptyLedgerFilter());
  const openRecord = (id: string): void => void router.replace({ path, query: { ...queryFromLedgerFilter(applied.value), id } });
  const closeRecord = (): void => void router.replace({ path, query: queryFromLedgerFilter(applied.value) });

  watch(
    () => JSON.stringify(applied.value),
    () => {
      Object.assign(draft, applied.value);
      fitPending = true;
      void load();
    },
    { immediate: true },
  );

  return { applied, draft, items, total, state, selectedId, hasFilter, fitKey, load, navigate, search, reset, openRecord, closeRecord };
}

/** One record's details, read again when the open id changes; `replace` after a save or a move. */
export function useLedgerDetail<D extends { id: string }>(id: Ref<string | null>, fetchOne: (id: string) => Promise<D>) {
  const detail: ShallowRef<D | null> = shallowRef(null);
  const state: Ref<DetailState> = ref('loading');
  let seq = 0;
  async function load(quiet = false): Promise<void> {
    const current = id.value;
    const mine = ++seq;
    if (!current) {
      detail.value = null;
      return;
    }
    if (!quiet) state.value = 'loading';
    try {
      const answer = await fetchOne(current);
      if (mine !== seq) return;
      detail.value = answer;
      state.value = 'ready';
    } catch (error) {
      console.error(error);
      if (mine !== seq) return;
      state.value = error instanceof ApiRequestError && error.status === 404 ? 'not-found' : 'failed';
    }
  }
  watch(id, () => void load(), { immediate: true });
  const replace = (next: D): void => {
    detail.value = next;
    state.value = 'ready';
  };
  return { detail, state, load, replace };
}
