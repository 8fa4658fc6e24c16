import type {
  CollectionCancelRequest,
  CollectionDispatchRequest,
  CollectionPoint,
  CollectionPointInput,
  CollectionPointPatch,
  CollectionRequest,
  CollectionRequestDetail,
  CollectionRequestInput,
  DispatchableTruck,
  DispatchableTruckQuery,
  Finding,
  FindingDetail,
  FindingInput,
  FindingPatch,
  FindingStatus,
  LedgerCoverageQuery,
  LedgerPage,
  LedgerPhoto,
  LedgerTransitionRequest,
  PileStatus,
  TownLedgerCoverage,
  WastePile,
  WastePileDetail,
  WastePileInput,
  WastePilePatch,
} from '@muckwatch/contracts';
import { apiFetch, errorFrom, getJson, requestJson, withQuery } from '../api/http.js';

/** The towns' ledgers' endpoints (libs/contracts/src/api/town-ledgers.ts lists them). */
const BASE = '/api/v1/ledgers';
const one = (kind: string, id: string): string => `${BASE}/${kind}/${encodeURIComponent(id)}`;

export type Query = Record<string, string | number | null | undefined>;

/** Uploads one photo (multipart, field `file`) to a pile or a finding. */
async function uploadPhoto(kind: 'piles' | 'findings', id: string, file: File): Promise<LedgerPhoto> {
  const path = `${one(kind, id)}/photos`;
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await apiFetch(path, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw await errorFrom('POST', path, response);
  return (await response.json()) as LedgerPhoto;
}

/** A photo as a blob URL (the image needs the bearer token, which an <img src> would not send). Revoke it when done. */
export async function photoObjectUrl(kind: 'piles' | 'findings', id: string, photoId: string, signal?: AbortSignal): Promise<string> {
  const path = `${one(kind, id)}/photos/${encodeURIComponent(photoId)}`;
  const response = await apiFetch(path, { headers: { Accept: 'image/*' }, credentials: 'same-origin', signal });
  if (!response.ok) throw await errorFrom('GET', path, response);
  return URL.createObjectURL(await response.blob());
}

export const ledgerApi = {
  piles: {
    list: (query: Query, signal?: AbortSignal) => getJson<LedgerPage<WastePile>>(withQuery(`${BASE}/piles`, query), signal),
    get: (id: string, signal?: AbortSignal) => getJson<WastePileDetail>(one('piles', id), signal),
    create: (input: WastePileInput) => requestJson<WastePileDetail>('POST', `${BASE}/piles`, { body: input }),
    update: (id: string, patch: WastePilePatch) => requestJson<WastePileDetail>('PATCH', one('piles', id), { body: patch }),
    transition: (id: string, request: LedgerTransitionRequest<PileStatus>) =>
      requestJson<WastePileDetail>('POST', `${one('piles', id)}/transitions`, { body: request }),
    upload: (id: string, file: File) => uploadPhoto('piles', id, file),
  },
  findings: {
    list: (query: Query, signal?: AbortSignal) => getJson<LedgerPage<Finding>>(withQuery(`${BASE}/findings`, query), signal),
    get: (id: string, signal?: AbortSignal) => getJson<FindingDetail>(one('findings', id), signal),
    create: (input: FindingInput) => requestJson<FindingDetail>('POST', `${BASE}/findings`, { body: input }),
    update: (id: string, patch: FindingPatch) => requestJson<FindingDetail>('PATCH', one('findings', id), { body: patch }),
    transition: (id: string, request: LedgerTransitionRequest<FindingStatus>) =>
      requestJson<FindingDetail>('POST', `${one('findings', id)}/transitions`, { body: request }),
    upload: (id: string, file: File) => uploadPhoto('findings', id, file),
  },
  points: {
    list: (query: Query, signal?: AbortSignal) => getJson<LedgerPage<CollectionPoint>>(withQuery(`${BASE}/collection-points`, query), signal),
    create: (input: CollectionPointInput) => requestJson<CollectionPoint>('POST', `${BASE}/collection-points`, { body: input }),
    update: (id: string, patch: CollectionPointPatch) => requestJson<CollectionPoint>('PATCH', one('collection-points', id), { body: patch }),
  },
  requests: {
    list: (query: Query, signal?: AbortSignal) => getJson<LedgerPage<CollectionRequest>>(withQuery(`${BASE}/collection-requests`, query), signal),
    get: (id: string, signal?: AbortSignal) => getJson<CollectionRequestDetail>(one('collection-requests', id), signal),
    create: (input: CollectionRequestInput) => requestJson<CollectionRequestDetail>('POST', `${BASE}/collection-requests`, { body: input }),
    /** The trucks the request may be dispatched to (a terminal and a valid permit; wherever they are), by plate. */
    dispatchableTrucks: (id: string, query: DispatchableTruckQuery = {}, signal?: AbortSignal) =>
      getJson<LedgerPage<DispatchableTruck>>(withQuery(`${one('collection-requests', id)}/dispatchable-trucks`, { ...query }), signal),
    dispatch: (id: string, request: CollectionDispatchRequest) =>
      requestJson<CollectionRequestDetail>('POST', `${one('collection-requests', id)}/dispatch`, { body: request }),
    cancel: (id: string, request: CollectionCancelRequest) =>
      requestJson<CollectionRequestDetail>('POST', `${one('collection-requests', id)}/cancel`, { body: request }),
  },
  coverage: (query: LedgerCoverageQuery = {}, signal?: AbortSignal) => getJson<TownLedgerCoverage[]>(withQuery(`${BASE}/coverage`, { ...query }), signal),
};

/** Every collection point in scope (pages through the list; the district has a few hundred at most). */
export async function allCollectionPoints(query: Query, signal?: AbortSignal): Promise<CollectionPoint[]> {
  const out: CollectionPoint[] = [];
  for (let page = 1; page <= 50; page++) {
    const answer = await ledgerApi.points.list({ ...query, page, pageSize: 200 }, signal);
    out.push(...answer.items);
    if (out.length >= answer.total || answer.items.length === 0) break;
  }
  return out;
}
