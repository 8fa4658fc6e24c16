import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { TruckSummary } from '@muckwatch/contracts';
import { RegistryReadService, type TownProperties } from './registry-read.service.js';

@ApiTags('registry')
@Controller('api/v1')
export class RegistryController {
  constructor(private readonly registry: RegistryReadService) {}

  @Get('trucks')
  @ApiOperation({ summary: 'Registered trucks with their terminal and latest position' })
  @ApiOkResponse({ description: 'TruckSummary[] (libs/contracts/src/api/api-types.ts)' })
  trucks(): Promise<TruckSummary[]> {
    return this.registry.trucks();
  }

  @Get('towns')
  @ApiOperation({ summary: 'The 14 assessed towns and streets as GeoJSON (WGS-84)' })
  @ApiOkResponse({ description: 'FeatureCollection with properties { code, name, kind, synthetic }' })
  towns(): Promise<FeatureCollection<MultiPolygon, TownProperties>> {
    return this.registry.towns();
  }
}
