import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ASSESSMENT_ITEM_CODES,
  addMonths,
  isMonth,
  officeMonthOf,
  type AfterCloseChange,
  type AssessmentItem,
  type Ranking,
  type RankingRecord,
  type RankingRevisionRequest,
  type RankingRevisionSummary,
  type RankingTrend,
} from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { RateLimited } from '../auth/rate-limited.js';
import { badQuery } from '../cases/case-errors.js';
import { openApiSchema } from '../cases/case-schemas.js';
import { bodyValidator } from '../common/validate-body.js';
import {
  AFTER_CLOSE_SCHEMA,
  RANKING_SCHEMA,
  RECORDS_SCHEMA,
  REVISION_SUMMARIES_SCHEMA,
  TREND_SCHEMA,
  closeRequestSchema,
  revisionRequestSchema,
  type CloseRequest,
} from './ranking-schemas.js';
import { RankingsExportService } from './rankings-export.service.js';
import { MAX_MONTHS_BACK, RankingsService } from './rankings.service.js';
import { streamDownload } from '../exports/download.js';

const validateRevision = bodyValidator<RankingRevisionRequest>(revisionRequestSchema);
const validateClose = bodyValidator<CloseRequest>(closeRequestSchema);

/** A path or query month: `yyyy-mm`, else 400 naming the parameter. */
export function monthParam(value: unknown, field = 'month'): string {
  if (!isMonth(value)) throw badQuery(field, 'must be a month yyyy-mm');
  return value;
}

/** A month the ranking can say something about: not after the current office month. */
function rankedMonth(value: unknown): string {
  const month = monthParam(value);
  if (month > officeMonthOf(Date.now())) throw badQuery('month', 'is in the future');
  return month;
}

function single(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badQuery(field, 'must be given once');
  return value;
}

const MONTH_PARAM = ApiParam({ name: 'month', description: 'yyyy-mm (Asia/Shanghai)', example: '2026-11' });

@ApiTags('rankings')
@Controller('api/v1/rankings')
export class RankingsController {
  constructor(
    private readonly rankings: RankingsService,
    private readonly exports: RankingsExportService,
  ) {}

  @Get('trend')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Total and rank per town per month up to `to` (frozen months as frozen, open months provisional)' })
  @ApiQuery({ name: 'to', required: false, description: 'yyyy-mm, default the current month' })
  @ApiQuery({ name: 'months', required: false, description: `1–${MAX_MONTHS_BACK}, default 12` })
  @ApiOkResponse({ description: 'RankingTrend', schema: TREND_SCHEMA })
  @ApiBadRequestResponse({ description: '`query.invalid` naming the parameter' })
  trend(@Query('to') toRaw: unknown, @Query('months') monthsRaw: unknown): Promise<RankingTrend> {
    const toText = single(toRaw, 'to');
    const to = toText === undefined ? officeMonthOf(Date.now()) : monthParam(toText, 'to');
    const monthsText = single(monthsRaw, 'months');
    const months = monthsText === undefined ? 12 : /^\d{1,2}$/.test(monthsText) ? Number(monthsText) : NaN;
    if (!(months >= 1 && months <= MAX_MONTHS_BACK)) throw badQuery('months', `must be 1–${MAX_MONTHS_BACK}`, { min: 1, max: MAX_MONTHS_BACK });
    // The trend never reaches more than a year past the current month.
    if (to > addMonths(officeMonthOf(Date.now()), 12)) throw badQuery('to', 'is too far in the future');
    return this.rankings.trend(to, months);
  }

  @Get(':month')
  @ApiOperation({ summary: 'The month’s ranking: frozen (newest revision) when closed, else provisional month to date. Everyone signed in.' })
  @MONTH_PARAM
  @ApiOkResponse({ description: 'Ranking (libs/contracts/src/api/rankings.ts)', schema: RANKING_SCHEMA })
  @ApiBadRequestResponse({ description: '`query.invalid` (month)' })
  get(@Param('month') month: string): Promise<Ranking> {
    return this.rankings.ranking(rankedMonth(month));
  }

  @Get(':month/revisions')
  @ApiOperation({ summary: 'The frozen revisions of a month, newest first' })
  @MONTH_PARAM
  @ApiOkResponse({ description: 'RankingRevisionSummary[]', schema: REVISION_SUMMARIES_SCHEMA })
  revisions(@Param('month') month: string): Promise<RankingRevisionSummary[]> {
    return this.rankings.revisions(monthParam(month));
  }

  @Get(':month/revisions/:revision')
  @ApiOperation({ summary: 'One frozen revision as it was published' })
  @MONTH_PARAM
  @ApiParam({ name: 'revision', description: '1 = the month close, 2… corrections' })
  @ApiOkResponse({ description: 'Ranking', schema: RANKING_SCHEMA })
  @ApiNotFoundResponse({ description: '`ranking.revision_not_found`' })
  revision(@Param('month') month: string, @Param('revision') revision: string): Promise<Ranking> {
    const n = /^\d{1,6}$/.test(revision) ? Number(revision) : NaN;
    if (!(n >= 1)) throw badQuery('revision', 'must be a positive integer');
    return this.rankings.revision(monthParam(month), n);
  }

  @Get(':month/towns/:townCode/records')
  @ApiOperation({ summary: 'Drill-down: the records behind a town’s numbers (town officials: their own town only; otherwise 404)' })
  @MONTH_PARAM
  @ApiParam({ name: 'townCode' })
  @ApiQuery({ name: 'item', required: false, enum: ASSESSMENT_ITEM_CODES, description: 'one item; all items and adjustments when absent' })
  @ApiOkResponse({ description: 'RankingRecord[]', schema: RECORDS_SCHEMA })
  @ApiNotFoundResponse({ description: '`ranking.town_not_found`: unknown, or outside the caller’s scope' })
  records(@Param('month') month: string, @Param('townCode') townCode: string, @Query('item') itemRaw: unknown, @CurrentPrincipal() principal: Principal): Promise<RankingRecord[]> {
    const itemText = single(itemRaw, 'item');
    if (itemText !== undefined && !(ASSESSMENT_ITEM_CODES as readonly string[]).includes(itemText)) throw badQuery('item', 'must be one of A–F', { allowed: ASSESSMENT_ITEM_CODES });
    return this.rankings.records(rankedMonth(month), townCode.slice(0, 20), (itemText as AssessmentItem | undefined) ?? null, principal);
  }

  @Get(':month/export.xlsx')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'The month as xlsx: 排名 (every item), 问题台账 (every score line and its records), 方法 (methodology); audited' })
  @MONTH_PARAM
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: '考核排名_yyyy-mm.xlsx' })
  async export(@Param('month') month: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    const m = rankedMonth(month);
    await streamDownload(res, () => this.exports.export(m, { principal, origin }, res));
  }

  @Get(':month/after-close')
  @ApiOperation({ summary: 'Facts that differ between the frozen inputs and the facts now (late fixes, late case changes), for the next revision' })
  @MONTH_PARAM
  @ApiOkResponse({ description: 'AfterCloseChange[]', schema: AFTER_CLOSE_SCHEMA })
  @ApiConflictResponse({ description: '`ranking.month_not_frozen`' })
  afterClose(@Param('month') month: string): Promise<AfterCloseChange[]> {
    return this.rankings.afterClose(monthParam(month));
  }

  @Post(':month/close')
  @HttpCode(200)
  @Roles('admin')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Freeze a past month now (the month-close job does it by itself); audited' })
  @MONTH_PARAM
  @ApiBody({ description: '{ reason? }', schema: openApiSchema(closeRequestSchema) })
  @ApiOkResponse({ description: 'Ranking (revision 1)', schema: RANKING_SCHEMA })
  @ApiConflictResponse({ description: '`ranking.month_open` (not over yet), `ranking.month_frozen`, `ranking.close_busy`' })
  close(@Param('month') month: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<Ranking> {
    const m = monthParam(month);
    const request = validateClose(body ?? {});
    return this.rankings.closeOnDemand(m, request.reason?.trim() || null, { principal, origin });
  }

  @Post(':month/revisions')
  @HttpCode(200)
  @Roles('admin')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Correct a frozen month: the facts gathered now, stored as the next revision naming the towns it changed; audited' })
  @MONTH_PARAM
  @ApiBody({ description: 'RankingRevisionRequest', schema: openApiSchema(revisionRequestSchema) })
  @ApiOkResponse({ description: 'Ranking (the new revision)', schema: RANKING_SCHEMA })
  @ApiConflictResponse({ description: '`ranking.month_not_frozen`, `ranking.close_busy`' })
  revise(@Param('month') month: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<Ranking> {
    const m = monthParam(month);
    const request = validateRevision(body);
    return this.rankings.revise(m, request.reason.trim(), { principal, origin });
  }
}
