import { CASE_ACTIONS, CASE_STATES, type CaseAction, type CaseState } from '@muckwatch/contracts';
import { ApiRequestError } from '../api/http.js';

/** What went wrong with a case action, as the detail page tells it. */
export type CaseFailure =
  | { kind: 'version_conflict' }
  | { kind: 'illegal_transition'; state: CaseState | null; allowed: CaseAction[] }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'other'; message: string | null };

/** Reads the API's 409s by their stable codes (`case.version_conflict`, `case.illegal_transition` with `state`, `allowed`). */
export function caseFailure(error: unknown): CaseFailure {
  if (!(error instanceof ApiRequestError)) return { kind: 'other', message: null };
  const code = error.body?.code;
  if (error.status === 409 && code === 'case.version_conflict') return { kind: 'version_conflict' };
  if (error.status === 409 && code === 'case.illegal_transition') {
    const params = error.body?.params ?? {};
    const state = typeof params['state'] === 'string' && (CASE_STATES as readonly string[]).includes(params['state']) ? (params['state'] as CaseState) : null;
    const rawAllowed = params['allowed'];
    const allowed = (Array.isArray(rawAllowed) ? rawAllowed : typeof rawAllowed === 'string' ? rawAllowed.split(',') : []).filter(
      (a): a is CaseAction => typeof a === 'string' && (CASE_ACTIONS as readonly string[]).includes(a),
    );
    return { kind: 'illegal_transition', state, allowed };
  }
  if (error.status === 404) return { kind: 'not_found' };
  if (error.status === 403) return { kind: 'forbidden' };
  return { kind: 'other', message: error.body?.message ?? null };
}
