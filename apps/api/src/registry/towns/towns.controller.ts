import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { GeofenceImportResult, TownProperties } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import { RateLimited } from '../../auth/rate-limited.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { TownsService } from './towns.service.js';

@ApiTags('registry')
@Controller('api/v1/towns')
export class TownsController {
  constructor(private readonly towns: TownsService) {}

  @Get()
  @ApiOperation({ summary: 'The 14 assessed towns and streets as GeoJSON (WGS-84)' })
  @ApiOkResponse({ description: 'FeatureCollection with properties { code, name, kind, synthetic }' })
  list(): Promise<FeatureCollection<MultiPolygon, TownProperties>> {
    return this.towns.list();
  }

  @Get('export')
  @ApiOperation({ summary: 'Towns as GeoJSON (WGS-84), importable again' })
  export(): Promise<FeatureCollection<MultiPolygon, TownProperties>> {
    return this.towns.list();
  }

  @Post('import')
  @HttpCode(200)
  @RateLimited('expensive')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Import official town boundaries: features with properties.code; CRS WGS84 (default) or GCJ02 by ?crs= or the crs member' })
  @ApiQuery({ name: 'crs', required: false, enum: ['WGS84', 'GCJ02'] })
  @ApiBody({ description: 'GeofenceImport: features with properties.code (name, kind for a new town)', schema: { type: 'object' } })
  import(@Body() body: unknown, @Query('crs') crs: string | undefined, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<GeofenceImportResult> {
    return this.towns.import({ principal, origin }, body, crs);
  }
}
