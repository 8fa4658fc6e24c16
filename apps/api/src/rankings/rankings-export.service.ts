import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import {
  ASSESSMENT_ITEM_CODES,
  ASSESSMENT_ITEM_LABELS,
  RANKING_GRADE_LABELS,
  VETO_GROUND_LABELS,
  renderScoreLine,
  type Ranking,
  type RankingRow,
  type RankingScoreLine,
} from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../cases/cases.service.js';
import { type XlsxColumn, streamXlsxSheets } from '../exports/xlsx-stream.js';
import { RankingsRepository, toMethodology } from './rankings.repository.js';
import { RankingsService } from './rankings.service.js';

const zh = 'zh-CN';
const yesNo = (v: boolean): string => (v ? '是' : '否');
const two = (n: number): number => Math.round(n * 100) / 100;

interface LedgerRow {
  row: RankingRow;
  item: string;
  line: RankingScoreLine;
  ref: { kind: string; id: string } | null;
}

const RANK_COLUMNS: ReadonlyArray<XlsxColumn<RankingRow>> = [
  { header: '名次', width: 8, value: (r) => r.rank },
  { header: '并列', width: 6, value: (r) => yesNo(r.tied) },
  { header: '镇街', width: 16, value: (r) => r.townName },
  { header: '镇街代码', width: 12, value: (r) => r.townCode },
  ...ASSESSMENT_ITEM_CODES.map(
    (code): XlsxColumn<RankingRow> => ({
      header: `${code} ${ASSESSMENT_ITEM_LABELS[zh][code]}`,
      width: 14,
      value: (r) => {
        const item = r.items.find((i) => i.code === code);
        return item?.earned ?? '无数据';
      },
    }),
  ),
  { header: '得分', width: 10, value: (r) => r.earned },
  { header: '可得分', width: 10, value: (r) => r.available },
  { header: '折算分', width: 10, value: (r) => r.normalised },
  { header: '加分', width: 8, value: (r) => r.bonus },
  { header: '通报扣分', width: 10, value: (r) => r.notificationDeduction },
  { header: '总分', width: 10, value: (r) => two(r.total) },
  { header: '等级', width: 8, value: (r) => RANKING_GRADE_LABELS[zh][r.grade] },
  { header: '红榜', width: 6, value: (r) => yesNo(r.redList) },
  { header: '黑榜', width: 6, value: (r) => yesNo(r.blackList) },
  { header: '约谈', width: 6, value: (r) => yesNo(r.interview) },
  { header: '一票否决', width: 30, value: (r) => r.veto.map((v) => `${VETO_GROUND_LABELS[zh][v.ground]}：${v.reason}`).join('；') || null },
  { header: '名次变化', width: 10, value: (r) => r.movement },
];

const LEDGER_COLUMNS: ReadonlyArray<XlsxColumn<LedgerRow>> = [
  { header: '镇街', width: 16, value: (l) => l.row.townName },
  { header: '考核项', width: 16, value: (l) => (l.item === 'adjustment' ? '加减分与否决' : `${l.item} ${ASSESSMENT_ITEM_LABELS[zh][l.item as 'A']}`) },
  { header: '扣分项', width: 22, value: (l) => l.line.code },
  { header: '说明', width: 50, value: (l) => renderScoreLine(l.line, zh) },
  { header: '分值', width: 8, value: (l) => l.line.points },
  { header: '参数', width: 40, value: (l) => JSON.stringify(l.line.params) },
  { header: '记录类型', width: 14, value: (l) => l.ref?.kind ?? null },
  { header: '记录编号', width: 44, value: (l) => l.ref?.id ?? null },
];

/** The methodology as rows of (field, value), e.g. `items.C.perCase` → 3. */
function flatten(value: unknown, prefix = ''): Array<{ key: string; value: string | number }> {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [{ key: prefix, value: typeof value === 'number' ? value : String(value) }];
}

/** GET rankings/{month}/export.xlsx: 排名, 问题台账 (every score line and its records) and 方法; audited. */
@Injectable()
export class RankingsExportService {
  constructor(
    private readonly rankings: RankingsService,
    private readonly repository: RankingsRepository,
    private readonly audit: AuditService,
  ) {}

  async export(month: string, actor: Actor, res: Response): Promise<void> {
    const ranking: Ranking = await this.rankings.ranking(month);
    const methodology = (await this.repository.methodologies()).map(toMethodology).find((m) => m.version === ranking.methodologyVersion);
    const { principal } = actor;
    // The problem ledger names records: a town official gets their own town's, an enforcement officer none.
    const ledgerTowns = ranking.rows.filter((r) =>
      principal.role === 'town_official' ? r.townCode === principal.townCode : principal.role !== 'enforcement_officer',
    );
    const linesOf = (row: RankingRow, item: string, line: RankingScoreLine): LedgerRow[] =>
      line.refs.length === 0 ? [{ row, item, line, ref: null }] : line.refs.map((ref) => ({ row, item, line, ref }));
    const ledger: LedgerRow[] = ledgerTowns.flatMap((row) => [
      ...row.items.flatMap((item) => item.lines.flatMap((line) => linesOf(row, item.code, line))),
      ...row.adjustmentLines.flatMap((line) => linesOf(row, 'adjustment', line)),
    ]);
    const method = [
      { key: '版本', value: ranking.methodologyVersion },
      { key: '生效月份', value: methodology?.effectiveFrom ?? '' },
      { key: '状态', value: ranking.provisional ? '临时（本月至今）' : `已冻结 第${ranking.revision}版` },
      { key: '输入数据SHA-256', value: ranking.inputsSha256 ?? '' },
      ...flatten(methodology ? { ...methodology, version: undefined, effectiveFrom: undefined } : {}).filter((r) => r.value !== 'undefined'),
    ];
    const fileName = `考核排名_${month}`;
    const rows = await streamXlsxSheets(res, fileName, [
      { sheetName: '排名', columns: RANK_COLUMNS, rows: ranking.rows },
      { sheetName: '问题台账', columns: LEDGER_COLUMNS, rows: ledger },
      {
        sheetName: '方法',
        columns: [
          { header: '项目', width: 36, value: (r: { key: string }) => r.key },
          { header: '值', width: 70, value: (r: { value: string | number }) => r.value },
        ],
        rows: method,
      },
    ]);
    await this.audit.record({
      action: 'ranking.export',
      actor: principal,
      origin: actor.origin,
      resourceType: 'ranking',
      resourceId: month,
      detail: { month, revision: ranking.revision, provisional: ranking.provisional, rows, fileName: `${fileName}.xlsx` },
    });
  }
}
