import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { WHEREABOUTS_MAX_TRUCKS, type TruckWhereabouts, type WhereaboutsBatch } from '@muckwatch/contracts';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { TRUCK_WHEREABOUTS_SCHEMA, WHEREABOUTS_BATCH_SCHEMA } from './whereabouts-openapi.js';
import { WhereaboutsService } from './whereabouts.service.js';

@ApiTags('live')
@Controller('api/v1')
export class WhereaboutsController {
  constructor(private readonly whereabouts: WhereaboutsService) {}

  @Get('trucks/:id/whereabouts')
  @ApiOperation({
    summary: "Where a truck is, in words: its town and the nearest construction or disposal site, from its latest position. Another town's truck is 404 for a town official.",
  })
  @ApiOkResponse({ description: 'TruckWhereabouts (libs/contracts/src/api/whereabouts.ts)', schema: TRUCK_WHEREABOUTS_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such truck, or out of the caller\'s scope' })
  one(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<TruckWhereabouts> {
    return this.whereabouts.one(id, principal);
  }

  @Get('whereabouts')
  @ApiOperation({ summary: `Whereabouts of many trucks at once (at most ${WHEREABOUTS_MAX_TRUCKS}); trucks unknown or out of scope are left out` })
  @ApiQuery({ name: 'truckIds', required: true, description: `comma list of 1–${WHEREABOUTS_MAX_TRUCKS} truck ids` })
  @ApiOkResponse({ description: 'WhereaboutsBatch (libs/contracts/src/api/whereabouts.ts)', schema: WHEREABOUTS_BATCH_SCHEMA })
  @ApiBadRequestResponse({ description: 'ApiError naming truckIds' })
  batch(@Query('truckIds') truckIds: unknown, @CurrentPrincipal() principal: Principal): Promise<WhereaboutsBatch> {
    return this.whereabouts.batch(truckIds, principal);
  }
}
