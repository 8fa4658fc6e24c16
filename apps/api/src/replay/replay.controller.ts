import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { REPLAY_LIMITS, type PackedReplayMarks, type ReplayExportFormat, type ReplayFixesResponse, type ReplayMarks, type ReplayTrackResponse } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { RateLimited } from '../auth/rate-limited.js';
import { PACKED_REPLAY_MARKS_SCHEMA, REPLAY_FIXES_SCHEMA, REPLAY_MARKS_SCHEMA, REPLAY_TRACK_SCHEMA } from './replay-openapi.js';
import { ReplayExportService } from './replay-export.service.js';
import { ReplayService, type ReplayQuery } from './replay.service.js';
import { streamDownload } from '../exports/download.js';

const TIME = 'ISO 8601 with an offset, or epoch ms';

function period(): MethodDecorator {
  return (target, key, descriptor) => {
    ApiParam({ name: 'truck', description: 'a truck id, a terminal id or a plate (URL-encoded)' })(target, key, descriptor);
    ApiQuery({ name: 'from', required: false, description: `${TIME}; default to − 24 h` })(target, key, descriptor);
    ApiQuery({ name: 'to', required: false, description: `${TIME}; default now; at most ${REPLAY_LIMITS.maxDays} days after from` })(target, key, descriptor);
    ApiBadRequestResponse({ description: 'ApiError naming the parameter: `input.time_invalid`, `input.range_too_long`, `input.int_out_of_range`, `replay.truck_invalid`, `query.invalid`' })(target, key, descriptor);
    ApiNotFoundResponse({ description: '`replay.truck_not_found`' })(target, key, descriptor);
    ApiForbiddenResponse({ description: 'town officials (as for a terminal’s fixes)' })(target, key, descriptor);
  };
}

/**
 * Track replay (轨迹回放). The same readers as a terminal's stored fixes (positions/fixes.controller.ts):
 * admin, dispatcher, auditor, enforcement officer; town officials are refused (403).
 */
@ApiTags('replay')
@Roles('admin', 'dispatcher', 'auditor', 'enforcement_officer')
@Controller('api/v1/replay')
export class ReplayController {
  constructor(
    private readonly replay: ReplayService,
    private readonly exports: ReplayExportService,
  ) {}

  @Get(':truck/track')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'The period simplified for a map zoom (Douglas–Peucker in PostGIS), keeping every fix where a state changes; delta-encoded columns' })
  @period()
  @ApiQuery({ name: 'zoom', required: false, description: `web-map zoom ${REPLAY_LIMITS.minZoom}–${REPLAY_LIMITS.maxZoom}, default ${REPLAY_LIMITS.defaultZoom}: tolerance half a pixel` })
  @ApiOkResponse({ description: 'ReplayTrackResponse (libs/contracts/src/api/replay.ts)', schema: REPLAY_TRACK_SCHEMA })
  track(@Param('truck') truck: string, @Query() query: ReplayQuery): Promise<ReplayTrackResponse> {
    return this.replay.track(truck, query);
  }

  @Get(':truck/fixes')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Fixes of the period at full resolution (valid or not), paged by cursor' })
  @period()
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the page before' })
  @ApiQuery({ name: 'limit', required: false, description: `1–${REPLAY_LIMITS.maxWindowFixes}, default ${REPLAY_LIMITS.defaultWindowFixes}` })
  @ApiOkResponse({ description: 'ReplayFixesResponse', schema: REPLAY_FIXES_SCHEMA })
  fixes(@Param('truck') truck: string, @Query() query: ReplayQuery): Promise<ReplayFixesResponse> {
    return this.replay.fixes(truck, query);
  }

  @Get(':truck/marks')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Trips, stops (with the body state and the site they lie in), violations, geofence entries and exits of the period' })
  @period()
  @ApiQuery({ name: 'minStopMinutes', required: false, description: `${REPLAY_LIMITS.minStopMinutes}–${REPLAY_LIMITS.maxStopMinutes}, default ${REPLAY_LIMITS.defaultStopMinutes}` })
  @ApiQuery({ name: 'format', required: false, enum: ['objects', 'packed'], description: 'objects (default): ReplayMarks; packed: PackedReplayMarks, the same marks as columns (a month: ~1/10 the bytes)' })
  @ApiOkResponse({ description: 'ReplayMarks, or PackedReplayMarks with format=packed', schema: { oneOf: [REPLAY_MARKS_SCHEMA, PACKED_REPLAY_MARKS_SCHEMA] } })
  marks(@Param('truck') truck: string, @Query() query: ReplayQuery): Promise<ReplayMarks | PackedReplayMarks> {
    return this.replay.marks(truck, query);
  }

  @Get(':truck/export.gpx')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Every fix of the period as GPX 1.1 (streamed; audited as replay.export)' })
  @period()
  @ApiProduces('application/gpx+xml')
  @ApiOkResponse({ description: '轨迹_{plate}_{from}至{to}.gpx' })
  gpx(@Param('truck') truck: string, @Query() query: ReplayQuery, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    return this.send('gpx', truck, query, principal, origin, res);
  }

  @Get(':truck/export.kml')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Every fix of the period as KML (gx:Track with times; streamed; audited)' })
  @period()
  @ApiProduces('application/vnd.google-earth.kml+xml')
  @ApiOkResponse({ description: '轨迹_{plate}_{from}至{to}.kml' })
  kml(@Param('truck') truck: string, @Query() query: ReplayQuery, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    return this.send('kml', truck, query, principal, origin, res);
  }

  @Get(':truck/export.geojson')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Every fix of the period as a GeoJSON FeatureCollection of points with their sensor states (streamed; audited)' })
  @period()
  @ApiProduces('application/geo+json')
  @ApiOkResponse({ description: '轨迹_{plate}_{from}至{to}.geojson' })
  geojson(@Param('truck') truck: string, @Query() query: ReplayQuery, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    return this.send('geojson', truck, query, principal, origin, res);
  }

  @Get(':truck/export.csv')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Every fix of the period as CSV: zh-CN headers, Asia/Shanghai times, cells neutralised (streamed; audited)' })
  @period()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: '轨迹_{plate}_{from}至{to}.csv' })
  csv(@Param('truck') truck: string, @Query() query: ReplayQuery, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res() res: Response): Promise<void> {
    return this.send('csv', truck, query, principal, origin, res);
  }

  private async send(format: ReplayExportFormat, truck: string, query: ReplayQuery, principal: Principal, origin: RequestOrigin, res: Response): Promise<void> {
    await streamDownload(res, () => this.exports.export(truck, format, query, { principal, origin }, res));
  }
}
