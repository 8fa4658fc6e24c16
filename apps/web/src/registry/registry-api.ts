import { requestJson, withQuery } from '../api/http.js';
import type {
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
  Jt808AuthCodeResponse,
  Jt808AuthCodeStatus,
  RegisteredTerminal,
  RegistryRates,
  SpeedZone,
  SpeedZoneInput,
  TerminalBinding,
  TerminalCredentialsResponse,
  TerminalBindingInput,
  TerminalInput,
  TerminalModelInput,
  TerminalModelRecord,
  TerminalRecord,
  TimeWindowSchedule,
  TimeWindowScheduleInput,
  TransportCompany,
  TransportCompanyInput,
  TruckInput,
  TruckRecord,
} from '@muckwatch/contracts';

/** A non-2xx answer of a registry call: the console's ApiRequestError (`status`, `body`, `field`). */
export { ApiRequestError as RegistryApiError } from '../api/http.js';

/** Every registry call goes through the console's one fetch wrapper (bearer token, refresh on 401). */
function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return requestJson<T>(method, path, body === undefined ? {} : { body });
}

const V1 = '/api/v1';

/** CRUD of one registry resource (`/api/v1/<path>`). */
function resource<R, I>(path: string) {
  return {
    list: (query: Record<string, string | undefined> = {}): Promise<R[]> => request<R[]>('GET', withQuery(`${V1}/${path}`, query)),
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
  terminalModels: resource<TerminalModelRecord, TerminalModelInput>('terminal-models'),
  constructionSites: resource<ConstructionSite, ConstructionSiteInput>('construction-sites'),
  disposalSites: resource<DisposalSite, DisposalSiteInput>('disposal-sites'),
  routes: resource<ApprovedRoute, ApprovedRouteInput>('routes'),
  speedZones: resource<SpeedZone, SpeedZoneInput>('speed-zones'),
  timeWindows: resource<TimeWindowSchedule, TimeWindowScheduleInput>('time-windows'),
  approvals: resource<DisposalApproval, DisposalApprovalInput>('approvals'),

  /** POST /terminals answers with the terminal and its MQTT credentials (the password shown this once). */
  registerTerminal: (input: TerminalInput): Promise<RegisteredTerminal> => request('POST', `${V1}/terminals`, input),
  issueTerminalCredentials: (terminalId: string): Promise<TerminalCredentialsResponse> =>
    request('POST', `${V1}/terminals/${encodeURIComponent(terminalId)}/credentials`),
  /** Whether each JT/T 808 terminal holds an auth code (never the code). */
  jt808AuthCodes: (): Promise<Jt808AuthCodeStatus[]> => request('GET', `${V1}/jt808-auth-codes`),
  issueJt808AuthCode: (terminalId: string): Promise<Jt808AuthCodeResponse> =>
    request('POST', `${V1}/terminals/${encodeURIComponent(terminalId)}/jt808-auth-code`),
  revokeJt808AuthCode: (terminalId: string): Promise<void> => request('DELETE', `${V1}/terminals/${encodeURIComponent(terminalId)}/jt808-auth-code`),

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
