import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { TRIP_QUERY_KEYS, TRIP_STATUS_LABELS, VIOLATION_TYPE_LABELS, formatDateTime, renderReasons, type TripListQuery } from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { CodedError } from '../cases/case-errors.js';
import { type XlsxColumn, streamXlsx } from '../exports/xlsx-stream.js';
import { parseTripPaging } from './trip-query.js';
import { TripsRepository, type TripListRow } from './trips.repository.js';
import { TripsService } from './trips.service.js';

export const MAX_EXPORT_ROWS = 100_000;

const zh = 'zh-CN';

function round(value: number | null, digits: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The columns as a muck office reads a trip ledger, in Chinese; times in Asia/Shanghai (formatDateTime). */
export const TRIP_EXPORT_COLUMNS: ReadonlyArray<XlsxColumn<TripListRow>> = [
  { header: '运次编号', width: 40, value: (r) => r.id },
  { header: '车牌号', width: 12, value: (r) => r.plate },
  { header: '终端编号', width: 16, value: (r) => r.terminal_id },
  { header: '运输企业', width: 24, value: (r) => r.company_name },
  { header: '运次状态', width: 10, value: (r) => TRIP_STATUS_LABELS[zh][r.status] ?? r.status },
  { header: '出发地（工地/收集点）', width: 24, value: (r) => r.origin_name },
  { header: '目的地（消纳场）', width: 24, value: (r) => r.destination_name },
  { header: '开始时间', width: 20, value: (r) => formatDateTime(r.started_at) },
  { header: '结束时间', width: 20, value: (r) => formatDateTime(r.ended_at) },
  { header: '历时(分钟)', width: 10, value: (r) => (r.ended_at ? Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 60_000) : null) },
  { header: '里程(公里)', width: 10, value: (r) => round(r.distance_m / 1000, 2) },
  { header: '载重(吨)', width: 10, value: (r) => round(r.load_t, 2) },
  { header: '核定载重(吨)', width: 12, value: (r) => (r.rated_load_t === null ? null : round(Number(r.rated_load_t), 2)) },
  { header: '核准编号', width: 22, value: (r) => r.approval_number },
  { header: '所属镇街', width: 14, value: (r) => r.town_name ?? r.town_code },
  { header: '违规数', width: 8, value: (r) => r.violations.length },
  { header: '违规类型', width: 30, value: (r) => r.violations.map((v) => VIOLATION_TYPE_LABELS[zh][v.type] ?? v.type).join('、') },
  { header: '说明', width: 40, value: (r) => renderReasons(r.reasons, zh) },
];

/** `YYYYMMDD` of the office's day (Asia/Shanghai), for the download's name. */
function officeDay(ms: number): string {
  return (formatDateTime(ms) ?? '').slice(0, 10).replaceAll('-', '');
}

/** GET /trips/export.xlsx: the filtered list as the list shows it, streamed, audited. */
@Injectable()
export class TripsExportService {
  constructor(
    private readonly service: TripsService,
    private readonly trips: TripsRepository,
    private readonly audit: AuditService,
  ) {}

  async export(query: TripListQuery, actor: { principal: Principal; origin: RequestOrigin }, res: Response): Promise<void> {
    const filter = this.service.filter(query, actor.principal);
    parseTripPaging(query); // bounded like the list's, though the export is not paged
    const total = await this.trips.count(filter, actor.principal);
    if (total > MAX_EXPORT_ROWS) {
      throw new CodedError(400, 'export.too_many_rows', `the filter matches ${total} trips; narrow it to at most ${MAX_EXPORT_ROWS}`, { total, max: MAX_EXPORT_ROWS });
    }
    const fileName = `运次_${officeDay(Date.now())}`;
    const filterEcho = Object.fromEntries(TRIP_QUERY_KEYS.filter((k) => k !== 'page' && k !== 'pageSize' && query[k] !== undefined).map((k) => [k, query[k]]));
    const rows = await streamXlsx(res, { fileName, sheetName: '运次', columns: TRIP_EXPORT_COLUMNS, rows: this.trips.exportRows(filter, actor.principal, MAX_EXPORT_ROWS) });
    await this.audit.record({
      action: 'trips.export',
      actor: actor.principal,
      origin: actor.origin,
      resourceType: 'trip',
      detail: { filter: { ...filterEcho, from: filter.from.toISOString(), to: filter.to.toISOString() }, rows, fileName: `${fileName}.xlsx` },
    });
  }
}
