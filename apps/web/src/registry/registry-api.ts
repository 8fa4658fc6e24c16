import type {
  ApiError,
  ApprovedRoute,
  ApprovedRouteInput,
  ConstructionSite,
  ConstructionSiteInput,
  DisposalApproval,
  DisposalApprovalInput,
  DisposalSite,
  DisposalSiteInput,
  GeofenceImportResult,
  GeofenceKind,
  ImportCrs,
  RegistryRates,
  SpeedZone,
  SpeedZoneInput,
  TerminalBinding,
  TerminalBindingInput,
  TerminalInput,
  TerminalRecord,
  TimeWindowSchedule,
  TimeWindowScheduleInput,
  TransportCompany,
  TransportCompanyInput,
  TruckInput,
  TruckRecord,
} from '@muckwatch/contracts';

/** A non-2xx answer of a registry call; `field` names the form field a 400 blamed. */
export class RegistryApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'RegistryApiError';
  }

  get field(): string | null {
    return this.body?.field ?? null;
  }
}

const TOKEN_KEY = 'muckwatch.registryToken';

/**
 * The one place registry calls go out. Until the console's shared fetch wrapper (sign-in, bearer
 * token, refresh) lands, a token put in sessionStorage is sent.
 */
async function apiFetch(path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await apiFetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) {
    let error: ApiError | null = null;
    try {
      error = (await response.json()) as ApiError;
    } catch {
      // Not JSON: the status says enough.
    }
    throw new RegistryApiError(response.status, error);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const V1 = '/api/v1';

/** CRUD of one registry resource (`/api/v1/<path>`). */
function resource<R, I>(path: string) {
  return {
    list: (query: Record<string, string | undefined> = {}): Promise<R[]> => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      const search = params.toString();
      return request<R[]>('GET', `${V1}/${path}${search ? `?${search}` : ''}`);
    },
    get: (id: string): Promise<R> => request<R>('GET', `${V1}/${path}/${encodeURIComponent(id)}`),
    create: (input: I): Promise<R> => request<R>('POST', `${V1}/${path}`, input),
    update: (id: string, input: Partial<I>): Promise<R> => request<R>('PATCH', `${V1}/${path}/${encodeURIComponent(id)}`, input),
    remove: (id: string): Promise<void> => request<void>('DELETE', `${V1}/${path}/${encodeURIComponent(id)}`),
  };
}

export type RegistryResource<R, I> = ReturnType<typeof resource<R, I>>;

export const registryApi = {
  companies: resource<TransportCompany, TransportCompanyInput>('companies'),
  trucks: resource<TruckRecord, TruckInput>('trucks'),
  terminals: resource<TerminalRecord, TerminalInput>('terminals'),
  constructionSites: resource<ConstructionSite, ConstructionSiteInput>('construction-sites'),
  disposalSites: resource<DisposalSite, DisposalSiteInput>('disposal-sites'),
  routes: resource<ApprovedRoute, ApprovedRouteInput>('routes'),
  speedZones: resource<SpeedZone, SpeedZoneInput>('speed-zones'),
  timeWindows: resource<TimeWindowSchedule, TimeWindowScheduleInput>('time-windows'),
  approvals: resource<DisposalApproval, DisposalApprovalInput>('approvals'),

  truckBindings: (truckId: string): Promise<TerminalBinding[]> =>
    request('GET', `${V1}/trucks/${encodeURIComponent(truckId)}/bindings`),
  bindTerminal: (terminalId: string, input: TerminalBindingInput): Promise<TerminalRecord> =>
    request('PUT', `${V1}/terminals/${encodeURIComponent(terminalId)}/binding`, input),
  unbindTerminal: (terminalId: string): Promise<TerminalRecord> =>
    request('DELETE', `${V1}/terminals/${encodeURIComponent(terminalId)}/binding`),

  rates: (on?: string): Promise<RegistryRates> => request('GET', `${V1}/registry/rates${on ? `?on=${on}` : ''}`),

  exportGeofences: (kind: GeofenceKind): Promise<unknown> => request('GET', `${V1}/${kind}/export`),
  importGeofences: (kind: GeofenceKind, collection: unknown, crs: ImportCrs): Promise<GeofenceImportResult> =>
    request('POST', `${V1}/${kind}/import?crs=${crs}`, collection),
};
