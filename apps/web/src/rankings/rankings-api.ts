import type {
  AfterCloseChange,
  AssessmentItem,
  Methodology,
  MethodologyInput,
  Ranking,
  RankingAdjustment,
  RankingAdjustmentInput,
  RankingRecord,
  RankingRevisionRequest,
  RankingRevisionSummary,
  RankingTrend,
  ViolationPage,
} from '@muckwatch/contracts';
import { getJson, requestJson, withQuery } from '../api/http.js';
import { downloadWithAuth, fetchCasePage, XLSX_TYPE } from '../violations/case-api.js';
import { monthRange, type Month } from './ranking-view.js';

/** The rankings API (libs/contracts/src/api/rankings.ts lists every endpoint). */
const BASE = '/api/v1/rankings';
const monthUrl = (month: Month): string => `${BASE}/${encodeURIComponent(month)}`;

export const fetchRanking = (month: Month, signal?: AbortSignal): Promise<Ranking> => getJson<Ranking>(monthUrl(month), signal);

export const fetchRevisions = (month: Month, signal?: AbortSignal): Promise<RankingRevisionSummary[]> =>
  getJson<RankingRevisionSummary[]>(`${monthUrl(month)}/revisions`, signal);

export const fetchRevision = (month: Month, revision: number, signal?: AbortSignal): Promise<Ranking> =>
  getJson<Ranking>(`${monthUrl(month)}/revisions/${revision}`, signal);

/**
 * The records behind one item of one town, or behind its adjustments (bonus, notifications, veto:
 * the API lists those with all items when no item is named). Another town's, for a town official → 404.
 */
export async function fetchRecords(month: Month, townCode: string, item: AssessmentItem | 'adjustment', signal?: AbortSignal): Promise<RankingRecord[]> {
  const path = `${monthUrl(month)}/towns/${encodeURIComponent(townCode)}/records`;
  if (item !== 'adjustment') return getJson<RankingRecord[]>(withQuery(path, { item }), signal);
  const all = await getJson<RankingRecord[]>(path, signal);
  return all.filter((record) => record.item === 'adjustment');
}

export const fetchTrend = (to: Month, months = 12, signal?: AbortSignal): Promise<RankingTrend> =>
  getJson<RankingTrend>(withQuery(`${BASE}/trend`, { to, months }), signal);

export const exportRanking = (month: Month, fallbackName: string): Promise<void> =>
  downloadWithAuth(`${monthUrl(month)}/export.xlsx`, fallbackName, XLSX_TYPE);

export const closeMonth = (month: Month, reason: string | null): Promise<Ranking> =>
  requestJson<Ranking>('POST', `${monthUrl(month)}/close`, { body: reason ? { reason } : {} });

export const reviseMonth = (month: Month, request: RankingRevisionRequest): Promise<Ranking> =>
  requestJson<Ranking>('POST', `${monthUrl(month)}/revisions`, { body: request });

/** Facts that changed after the month was frozen (late fixes, late case changes), for the next revision. */
export const fetchAfterClose = (month: Month, signal?: AbortSignal): Promise<AfterCloseChange[]> =>
  getJson<AfterCloseChange[]>(`${monthUrl(month)}/after-close`, signal);

export const fetchMethodologies = (signal?: AbortSignal): Promise<Methodology[]> =>
  getJson<Methodology[]>('/api/v1/assessment/methodologies', signal);

export const createMethodology = (input: MethodologyInput): Promise<Methodology> =>
  requestJson<Methodology>('POST', '/api/v1/assessment/methodologies', { body: input });

export const fetchAdjustments = (month: Month, signal?: AbortSignal): Promise<RankingAdjustment[]> =>
  getJson<RankingAdjustment[]>(withQuery('/api/v1/assessment/adjustments', { month }), signal);

export const createAdjustment = (input: RankingAdjustmentInput): Promise<RankingAdjustment> =>
  requestJson<RankingAdjustment>('POST', '/api/v1/assessment/adjustments', { body: input });

export const deleteAdjustment = (id: string): Promise<void> =>
  requestJson<void>('DELETE', `/api/v1/assessment/adjustments/${encodeURIComponent(id)}`);

/** The month's worst illegal dumping cases for the bulletin: most severe first (the cases API scopes them). */
export const fetchWorstDumping = (month: Month, limit: number, signal?: AbortSignal): Promise<ViolationPage> =>
  fetchCasePage({ ...monthRange(month), type: 'illegal_dumping', sort: 'severity', order: 'desc', page: '1', pageSize: String(limit) }, signal);
