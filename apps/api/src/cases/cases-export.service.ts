import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import {
  CASE_STATE_LABELS,
  OUTCOME_KIND_LABELS,
  SEVERITY_LABELS,
  VIOLATION_TYPE_LABELS,
  formatDateTime,
  renderReasons,
  type ViolationListQuery,
} from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import { type XlsxColumn, streamXlsx } from '../exports/xlsx-stream.js';
import { CodedError } from './case-errors.js';
import { CASE_QUERY_KEYS, parseCaseFilter } from './case-query.js';
import { CasesRepository, type ExportRow } from './cases.repository.js';
import type { Actor } from './cases.service.js';

export const MAX_EXPORT_ROWS = 100_000;

const zh = 'zh-CN';

/** The columns an enforcement office expects, in Chinese; times in Asia/Shanghai (formatDateTime). */
export const CASE_EXPORT_COLUMNS: ReadonlyArray<XlsxColumn<ExportRow>> = [
  { header: '编号', width: 44, value: (r) => r.id },
  { header: '违规类型', width: 18, value: (r) => VIOLATION_TYPE_LABELS[zh][r.type] ?? r.type },
  { header: '严重程度', width: 10, value: (r) => SEVERITY_LABELS[zh][r.severity] ?? r.severity },
  { header: '状态', width: 10, value: (r) => (r.status === 'open' ? '进行中' : '已结束') },
  { header: '案件状态', width: 10, value: (r) => CASE_STATE_LABELS[zh][r.case_state] ?? r.case_state },
  { header: '车牌号', width: 12, value: (r) => r.plate },
  { header: '运输企业', width: 24, value: (r) => r.company_name },
  { header: '终端编号', width: 16, value: (r) => r.terminal_id },
  { header: '所属镇街', width: 14, value: (r) => r.town_name ?? r.town_code },
  { header: '开始时间', width: 20, value: (r) => formatDateTime(r.started_at) },
  { header: '结束时间', width: 20, value: (r) => formatDateTime(r.ended_at) },
  { header: '地点', width: 22, value: (r) => `${r.start_lon.toFixed(6)},${r.start_lat.toFixed(6)}` },
  { header: '违规原因', width: 40, value: (r) => renderReasons(r.reasons, 'zh-CN') },
  { header: '交办部门', width: 16, value: (r) => r.department_name ?? r.department_code },
  { header: '处置期限', width: 20, value: (r) => formatDateTime(r.deadline) },
  { header: '是否超期', width: 10, value: (r) => (r.overdue ? '是' : '否') },
  { header: '处置结果', width: 16, value: (r) => (r.outcome ? (OUTCOME_KIND_LABELS[zh][r.outcome.kind] ?? r.outcome.kind) : null) },
  { header: '处罚决定书编号', width: 22, value: (r) => r.outcome?.decisionNumber ?? null },
  { header: '罚款金额(元)', width: 12, value: (r) => r.outcome?.amountYuan ?? null },
  { header: '记分', width: 8, value: (r) => r.outcome?.penaltyPoints ?? null },
  { header: '办结时间', width: 20, value: (r) => formatDateTime(r.closed_at) },
];

/** `YYYYMMDD` of the office's day (Asia/Shanghai), for the download's name. */
function officeDay(ms: number): string {
  return (formatDateTime(ms) ?? '').slice(0, 10).replaceAll('-', '');
}

/** GET /violations/export.xlsx: the filtered list as the list shows it, streamed, audited. */
@Injectable()
export class CasesExportService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly audit: AuditService,
  ) {}

  async export(query: ViolationListQuery, actor: Actor, res: Response): Promise<void> {
    const filter = parseCaseFilter(query);
    const total = await this.cases.count(filter, actor.principal);
    if (total > MAX_EXPORT_ROWS) {
      throw new CodedError(400, 'export.too_many_rows', `the filter matches ${total} cases; narrow it to at most ${MAX_EXPORT_ROWS}`, { total, max: MAX_EXPORT_ROWS });
    }
    const fileName = `违规案件_${officeDay(Date.now())}`;
    const filterEcho = Object.fromEntries(CASE_QUERY_KEYS.filter((k) => k !== 'page' && k !== 'pageSize' && query[k] !== undefined).map((k) => [k, query[k]]));
    const rows = await streamXlsx(res, { fileName, sheetName: '违规案件', columns: CASE_EXPORT_COLUMNS, rows: this.cases.exportRows(filter, actor.principal, MAX_EXPORT_ROWS) });
    await this.audit.record({
      action: 'violations.export',
      actor: actor.principal,
      origin: actor.origin,
      resourceType: 'violation',
      detail: { filter: filterEcho, rows, fileName: `${fileName}.xlsx` },
    });
  }
}
