import type { TripListPage, TripListQuery, TripTotals } from '@muckwatch/contracts';
import { getJson, withQuery } from '../api/http.js';
import { XLSX_TYPE, downloadWithAuth } from '../violations/case-api.js';

/** The trips endpoints (libs/contracts/src/api/trips.ts lists them). */
const BASE = '/api/v1/trips';

export const fetchTripPage = (query: TripListQuery, signal?: AbortSignal): Promise<TripListPage> => getJson<TripListPage>(withQuery(BASE, { ...query }), signal);

export const fetchTripTotals = (query: TripListQuery, signal?: AbortSignal): Promise<TripTotals> =>
  getJson<TripTotals>(withQuery(`${BASE}/totals`, { ...query }), signal);

/** The filtered list as xlsx (no paging: the whole filter). */
export const exportTrips = (query: TripListQuery, fallbackName: string): Promise<void> =>
  downloadWithAuth(withQuery(`${BASE}/export.xlsx`, { ...query }), fallbackName, XLSX_TYPE);
