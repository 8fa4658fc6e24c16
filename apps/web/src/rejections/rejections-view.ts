import { isRejectionReason, type RejectionReason, type RejectionsResponse } from '@muckwatch/contracts';
import { wallTimeToIso, type WallTime } from '../audit/audit-view.js';
import { CONSOLE_TIME_ZONE } from '../time/console-time.js';

/** What the page's filter form holds. */
export interface RejectionFilterForm {
  range: [WallTime, WallTime] | null;
  terminalId: string;
  reason: RejectionReason | '';
}

/** The query of GET /api/v1/rejections for a filter and a page (1-based). */
export interface RejectionsQuery {
  from?: string;
  to?: string;
  terminalId?: string;
  reason?: RejectionReason;
  limit: number;
  offset: number;
}

/** Terminal ids the API accepts (TERMINAL_ID_PATTERN): checked here so a typo is not a round trip. */
const TERMINAL_ID = /^[A-Za-z0-9_-]{1,32}$/;

export type FilterProblem = 'terminalId' | null;

/** The API query of the form; `problem` names a field the API would refuse. */
export function rejectionsQuery(
  form: RejectionFilterForm,
  page: number,
  pageSize: number,
  timeZone: string = CONSOLE_TIME_ZONE,
): { query: RejectionsQuery; problem: FilterProblem } {
  const terminalId = form.terminalId.trim();
  const query: RejectionsQuery = { limit: pageSize, offset: Math.max(0, page - 1) * pageSize };
  const from = wallTimeToIso(form.range?.[0], timeZone);
  const to = wallTimeToIso(form.range?.[1], timeZone);
  if (from) query.from = from;
  if (to) query.to = to;
  if (terminalId) query.terminalId = terminalId;
  if (form.reason && isRejectionReason(form.reason)) query.reason = form.reason;
  return { query, problem: terminalId && !TERMINAL_ID.test(terminalId) ? 'terminalId' : null };
}

/** The four things the list can be showing, kept apart so "nothing matched" never hides "it failed". */
export type ListState = 'loading' | 'failed' | 'empty' | 'ready';

export function listState(loading: boolean, failed: boolean, result: Pick<RejectionsResponse, 'rejections'> | null): ListState {
  if (failed) return 'failed';
  if (loading && result === null) return 'loading';
  if (result && result.rejections.length === 0) return loading ? 'loading' : 'empty';
  return result ? 'ready' : 'loading';
}

/**
 * Characters a payload may hold that would mislead a reader if rendered as they are: C0/C1
 * controls (except tab and newline), DEL, bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069, which can make text read backwards), zero-width and byte-order marks, and lone
 * surrogates. They are shown as `\u{…}` escapes. (HTML is never a concern: the page renders text,
 * not markup.)
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped for display
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function visiblePayload(payload: string): string {
  return payload.replace(INVISIBLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** Characters of a payload shown before "expand". */
export const EXCERPT_CHARS = 160;

/**
 * A payload as the table shows it: made visible, then cut to `max` characters (never inside a
 * surrogate pair) unless expanded. `expandable` says whether it is longer than the excerpt.
 */
export function payloadExcerpt(payload: string, expanded: boolean, max: number = EXCERPT_CHARS): { text: string; expandable: boolean } {
  const visible = visiblePayload(payload);
  const expandable = visible.length > max;
  if (expanded || !expandable) return { text: visible, expandable };
  let end = max;
  const code = visible.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: `${visible.slice(0, end)}…`, expandable };
}
