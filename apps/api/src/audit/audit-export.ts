import {
  type AuditEntry,
  AUDIT_OUTCOME_LABELS,
  auditActionLabel,
  auditResourceTypeLabel,
  formatDateTime,
  ROLE_LABELS,
} from '@muckwatch/contracts';
import type { XlsxColumn } from '../exports/xlsx-stream.js';

/**
 * The columns of an audit-log export (CSV and xlsx alike), for the office that reads it: zh-CN
 * headers, times in Asia/Shanghai, actions, roles, outcomes and kinds of object by their Chinese
 * names (the catalogue in libs/contracts/src/i18n/audit-text.ts; an action it does not know
 * appears as it is). The details hold the row's before, after and detail as JSON.
 */
export const AUDIT_EXPORT_COLUMNS: ReadonlyArray<XlsxColumn<AuditEntry>> = [
  { header: '时间', width: 20, value: (e) => formatDateTime(e.at) },
  { header: '用户', width: 16, value: (e) => e.actorUsername ?? '系统' },
  { header: '角色', width: 14, value: (e) => (e.actorRole ? ROLE_LABELS['zh-CN'][e.actorRole] : null) },
  { header: '操作', width: 18, value: (e) => auditActionLabel(e.action, 'zh-CN') ?? e.action },
  { header: '对象类型', width: 12, value: (e) => auditResourceTypeLabel(e.resourceType, e.action, 'zh-CN') },
  { header: '对象', width: 38, value: (e) => e.resourceId },
  { header: '结果', width: 8, value: (e) => AUDIT_OUTCOME_LABELS['zh-CN'][e.outcome] },
  { header: '来源IP', width: 16, value: (e) => e.ip },
  { header: '详情', width: 60, value: (e) => auditDetails(e) },
];

/** before / after / detail of a row as one JSON object (only the members the row has); null when none. */
export function auditDetails(entry: Pick<AuditEntry, 'before' | 'after' | 'detail'>): string | null {
  const parts: Record<string, unknown> = {};
  if (entry.before !== null && entry.before !== undefined) parts['before'] = entry.before;
  if (entry.after !== null && entry.after !== undefined) parts['after'] = entry.after;
  if (entry.detail !== null && entry.detail !== undefined) parts['detail'] = entry.detail;
  return Object.keys(parts).length ? JSON.stringify(parts) : null;
}

/** The file name of an export, by the Shanghai dates of its range: `审计日志-2026-11-20至2026-11-26`. */
export function auditExportName(from: Date, to: Date): string {
  return `审计日志-${formatDateTime(from)?.slice(0, 10) ?? ''}至${formatDateTime(to)?.slice(0, 10) ?? ''}`;
}
