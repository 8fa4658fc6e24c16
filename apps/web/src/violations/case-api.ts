import type {
  BulkCaseTransitionRequest,
  BulkCaseTransitionResult,
  CaseAttachment,
  CaseTransitionRequest,
  Department,
  DepartmentInput,
  ViolationDetail,
  ViolationListQuery,
  ViolationPage,
} from '@muckwatch/contracts';
import { apiFetch, errorFrom, getJson, requestJson, withQuery } from '../api/http.js';

/** The case workflow's endpoints (libs/contracts/src/api/violation-cases.ts lists them). */
const BASE = '/api/v1/violations';
const caseUrl = (id: string): string => `${BASE}/${encodeURIComponent(id)}`;

export const fetchCasePage = (query: ViolationListQuery, signal?: AbortSignal): Promise<ViolationPage> =>
  getJson<ViolationPage>(withQuery(BASE, { ...query }), signal);

export const fetchCase = (id: string, signal?: AbortSignal): Promise<ViolationDetail> => getJson<ViolationDetail>(caseUrl(id), signal);

export const transitionCase = (id: string, request: CaseTransitionRequest): Promise<ViolationDetail> =>
  requestJson<ViolationDetail>('POST', `${caseUrl(id)}/transitions`, { body: request });

export const bulkTransition = (request: BulkCaseTransitionRequest): Promise<BulkCaseTransitionResult> =>
  requestJson<BulkCaseTransitionResult>('POST', `${BASE}/bulk`, { body: request });

/** Uploads one file to a case (multipart, field `file`); it joins the timeline when a transition names it. */
export async function uploadAttachment(id: string, file: File): Promise<CaseAttachment> {
  const path = `${caseUrl(id)}/attachments`;
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await apiFetch(path, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw await errorFrom('POST', path, response);
  return (await response.json()) as CaseAttachment;
}

export const attachmentUrl = (caseId: string, attachmentId: string): string =>
  `${caseUrl(caseId)}/attachments/${encodeURIComponent(attachmentId)}`;

function filenameFrom(response: Response): string | null {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star?.[1] ?? plain?.[1];
  if (!name) return null;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** GETs a file with the signed-in user's token (a plain link would carry none) and saves it. */
export async function downloadWithAuth(path: string, fallbackName: string, accept = '*/*'): Promise<void> {
  const response = await apiFetch(path, { headers: { Accept: accept }, credentials: 'same-origin' });
  if (!response.ok) throw await errorFrom('GET', path, response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filenameFrom(response) ?? fallbackName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The filtered list as xlsx (no paging: the whole filter). */
export const exportCases = (query: ViolationListQuery, fallbackName: string): Promise<void> =>
  downloadWithAuth(withQuery(`${BASE}/export.xlsx`, { ...query }), fallbackName, XLSX_TYPE);

// ---- Departments (执法部门): everyone signed in reads them; the admin edits ----

export const fetchDepartments = (signal?: AbortSignal): Promise<Department[]> => getJson<Department[]>('/api/v1/departments', signal);

export const createDepartment = (input: DepartmentInput): Promise<Department> =>
  requestJson<Department>('POST', '/api/v1/departments', { body: input });

export const updateDepartment = (code: string, input: Partial<DepartmentInput>): Promise<Department> =>
  requestJson<Department>('PATCH', `/api/v1/departments/${encodeURIComponent(code)}`, { body: input });
