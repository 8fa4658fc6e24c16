import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TRIP_SORT_FIELDS, TRIP_STATUSES, type TripListPage, type TripTotals } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limited.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { TRIP_LIST_PAGE_SCHEMA, TRIP_TOTALS_SCHEMA } from './openapi-schemas.js';
import { tripQuery } from './trip-query.js';
import { TripsExportService } from './trips-export.service.js';
import { TripsService } from './trips.service.js';
import { streamDownload } from '../exports/download.js';

const TIME = 'ISO 8601 with an offset, or epoch ms';

const filterQueries = [
  ApiQuery({ name: 'from', required: false, description: `${TIME}: trips starting at or after; default to − 7 days` }),
  ApiQuery({ name: 'to', required: false, description: `${TIME}: trips starting at or before; default now; at most 366 days after from` }),
  ApiQuery({ name: 'truck', required: false, description: 'a truck id (UUID), terminal id or plate' }),
  ApiQuery({ name: 'plate', required: false, description: 'exactly this plate (≤ 16 characters)' }),
  ApiQuery({ name: 'companyId', required: false, description: 'transport company (UUID)' }),
  ApiQuery({ name: 'originId', required: false, description: 'construction site or collection point left (UUID)' }),
  ApiQuery({ name: 'destinationId', required: false, description: 'disposal site tipped at (UUID)' }),
  ApiQuery({ name: 'townCode', required: false }),
  ApiQuery({ name: 'status', required: false, description: `comma list of ${TRIP_STATUSES.join(', ')}` }),
  ApiQuery({ name: 'violations', required: false, enum: ['true', 'false'], description: 'only trips with (true) or without (false) violations' }),
];

function applyAll(decorators: MethodDecorator[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of decorators) d(target, key, descriptor);
  };
}

@ApiTags('trips')
@Controller('api/v1/trips')
export class TripsController {
  constructor(
    private readonly trips: TripsService,
    private readonly exports: TripsExportService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Trips (运次), filtered, sorted, paged, each with its company, load and violations. Town officials see their town's; enforcement officers none." })
  @applyAll(filterQueries)
  @ApiQuery({ name: 'sort', required: false, enum: TRIP_SORT_FIELDS })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'page', required: false, description: '1-based, ≤ 100,000' })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  @ApiOkResponse({ description: 'TripListPage (libs/contracts/src/api/trips.ts)', schema: TRIP_LIST_PAGE_SCHEMA })
  @ApiBadRequestResponse({ description: 'ApiError naming the parameter (`query.invalid`, `input.time_invalid`, `input.range_too_long` …)' })
  @ApiForbiddenResponse({ description: '`trip.town_out_of_scope`: a town official named another town' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>): Promise<TripListPage> {
    return this.trips.list(tripQuery(query), principal);
  }

  @Get('totals')
  @ApiOperation({ summary: '趟数 of the same filter: per office day (Asia/Shanghai, every day of the period), per state, per origin and per disposal site' })
  @applyAll(filterQueries)
  @ApiOkResponse({ description: 'TripTotals (libs/contracts/src/api/trips.ts)', schema: TRIP_TOTALS_SCHEMA })
  @ApiBadRequestResponse({ description: 'ApiError naming the parameter' })
  @ApiForbiddenResponse({ description: '`trip.town_out_of_scope`' })
  totals(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>): Promise<TripTotals> {
    return this.trips.totals(tripQuery(query), principal);
  }

  @Get('export.xlsx')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'The filtered list as xlsx (zh-CN columns, Asia/Shanghai times, ≤ 100,000 rows; audited as trips.export)' })
  @applyAll(filterQueries)
  @ApiQuery({ name: 'sort', required: false, enum: TRIP_SORT_FIELDS })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: '运次_YYYYMMDD.xlsx' })
  @ApiBadRequestResponse({ description: 'ApiError naming the parameter, or `export.too_many_rows`' })
  @ApiForbiddenResponse({ description: '`trip.town_out_of_scope`' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    await streamDownload(res, () => this.exports.export(tripQuery(query), { principal, origin }, res));
  }
}
