import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TRIP_STATUSES, type TripPage } from '@muckwatch/contracts';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { TripsService } from './trips.service.js';

const TIME = 'ISO 8601 with an offset, or epoch ms';

@ApiTags('compliance')
@Controller('api/v1/trips')
export class TripsController {
  constructor(private readonly trips: TripsService) {}

  @Get()
  @ApiOperation({ summary: "Trips (运次), newest first. Town officials see their own town's; enforcement officers none." })
  @ApiQuery({ name: 'from', required: false, description: `${TIME}; default: to − 7 days` })
  @ApiQuery({ name: 'to', required: false, description: `${TIME}; default: now` })
  @ApiQuery({ name: 'plate', required: false })
  @ApiQuery({ name: 'status', required: false, enum: TRIP_STATUSES })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false })
  @ApiOkResponse({ description: 'TripPage (libs/contracts/src/api/compliance.ts)' })
  @ApiBadRequestResponse({ description: 'ApiError naming the parameter' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('plate') plate?: string,
    @Query('status') status?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
  ): Promise<TripPage> {
    return this.trips.trips({ from, to, plate, status, page, pageSize }, principal);
  }
}
