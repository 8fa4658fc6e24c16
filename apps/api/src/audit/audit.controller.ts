import { applyDecorators, BadRequestException, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { type AuditOutcome, type AuditPage, spreadsheetRow } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { RateLimited } from '../auth/rate-limited.js';
import { streamXlsx } from '../exports/xlsx-stream.js';
import { AUDIT_EXPORT_COLUMNS, auditExportName } from './audit-export.js';
import { parseIntParam, parseTimeRange } from '../common/query-params.js';
import { AuditQueryService, type AuditFilter } from './audit-query.service.js';
import { AuditService } from './audit.service.js';

const DAY_MS = 86_400_000;
const EXPORT_LIMIT = 100_000;
const OUTCOMES: AuditOutcome[] = ['success', 'denied', 'failure'];

interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  outcome?: string;
  page?: string;
  pageSize?: string;
}

/** The filter as the export's audit row records it: what the user asked for, no internal flags. */
function recordedFilter({ openEnded: _openEnded, ...asked }: AuditFilter): Omit<AuditFilter, 'openEnded'> {
  return asked;
}

function filterOf(query: AuditQuery): AuditFilter {
  const { from, to } = parseTimeRange(query, 7 * DAY_MS, 400 * DAY_MS);
  if (query.outcome && !OUTCOMES.includes(query.outcome as AuditOutcome)) {
    throw new BadRequestException({ code: 'audit.outcome_invalid', params: { allowed: OUTCOMES }, message: `outcome must be one of ${OUTCOMES.join(', ')}`, field: 'outcome' });
  }
  if (query.action !== undefined && !/^[a-z0-9_.-]{0,64}$/.test(query.action)) {
    throw new BadRequestException({ code: 'audit.action_invalid', params: {}, message: 'action must be a dotted action name such as user.update', field: 'action' });
  }
  return {
    from,
    to,
    ...(query.to === undefined || query.to === '' ? { openEnded: true } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.actor ? { actor: query.actor.slice(0, 64) } : {}),
    ...(query.outcome ? { outcome: query.outcome as AuditOutcome } : {}),
  };
}

const AuditFilterQuery = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'from', required: false, description: 'ISO 8601 with offset or epoch ms; default to − 7 days' }),
    ApiQuery({ name: 'to', required: false }),
    ApiQuery({ name: 'action', required: false, description: 'an action or its prefix: user, auth.login' }),
    ApiQuery({ name: 'actor', required: false, description: 'username' }),
    ApiQuery({ name: 'outcome', required: false, enum: OUTCOMES }),
  );

@ApiTags('accounts')
@Roles('admin', 'auditor')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The append-only audit log, newest first (admin, auditor)' })
  @AuditFilterQuery()
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  list(@Query() query: AuditQuery): Promise<AuditPage> {
    return this.query.page(filterOf(query), parseIntParam('page', query.page, 1, 1, 100_000), parseIntParam('pageSize', query.pageSize, 50, 1, 500));
  }

  @Get('export')
  @RateLimited('expensive')
  @ApiOperation({ summary: `The audit log as CSV: zh-CN headers, Asia/Shanghai times (at most ${EXPORT_LIMIT} rows; the export itself is audited)` })
  @AuditFilterQuery()
  async export(
    @Query() query: AuditQuery,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
    @Res() res: Response,
  ): Promise<void> {
    const filter = filterOf(query);
    const entries = await this.query.all(filter, EXPORT_LIMIT);
    await this.audit.record({ action: 'audit.export', actor: principal, origin, resourceType: 'audit_log', detail: { ...recordedFilter(filter), format: 'csv', rows: entries.length } });
    const csv = stringify(
      // Every cell neutralised: usernames of failed sign-ins and the like are whatever an attacker typed.
      entries.map((e) => spreadsheetRow(AUDIT_EXPORT_COLUMNS.map((c) => c.value(e)))),
      { header: true, columns: AUDIT_EXPORT_COLUMNS.map((c) => c.header) },
    );
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(auditExportName(filter.from, filter.to))}.csv`);
    // A BOM so spreadsheet programs read the Chinese names as UTF-8.
    res.send(`\uFEFF${csv}`);
  }

  @Get('export.xlsx')
  @RateLimited('expensive')
  @ApiOperation({
    summary: `The audit log as xlsx (streamed): zh-CN headers, Asia/Shanghai times, actions by name (at most ${EXPORT_LIMIT} rows; the export itself is audited, and is its own first row when the range reaches now)`,
  })
  @AuditFilterQuery()
  async exportXlsx(
    @Query() query: AuditQuery,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
    @Res() res: Response,
  ): Promise<void> {
    const filter = filterOf(query);
    // Recorded before the rows are read: who took the log out is on record even if the download breaks off.
    await this.audit.record({ action: 'audit.export', actor: principal, origin, resourceType: 'audit_log', detail: { ...recordedFilter(filter), format: 'xlsx' } });
    // A range open at the end reads up to now, this export's own row included.
    const entries = await this.query.all(filter, EXPORT_LIMIT);
    await streamXlsx(res, {
      fileName: auditExportName(filter.from, filter.to),
      sheetName: '审计日志',
      columns: AUDIT_EXPORT_COLUMNS,
      rows: rowsOf(entries),
    });
  }
}

// eslint-disable-next-line @typescript-eslint/require-await -- the xlsx writer takes an async iterable
async function* rowsOf<T>(rows: readonly T[]): AsyncIterable<T> {
  yield* rows;
}
