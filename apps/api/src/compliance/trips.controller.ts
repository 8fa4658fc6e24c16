import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  TRIP_STATUSES,
  VIOLATION_HANDLING,
  VIOLATION_STATUSES,
  VIOLATION_TYPE_NAMES,
  type TripPage,
  type ViolationDetail,
  type ViolationPage,
  type ViolationPatch,
} from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { bodyValidator } from '../common/validate-body.js';
import { ViolationsService } from './violations.service.js';

const patchViolation = bodyValidator<ViolationPatch>({
  type: 'object',
  additionalProperties: false,
  properties: {
    handling: { type: 'string', nullable: true, enum: [...VIOLATION_HANDLING] },
    assignedDepartment: { type: 'string', nullable: true, minLength: 1, maxLength: 64 },
    note: { type: 'string', nullable: true, maxLength: 2000 },
  },
});

const TIME = 'ISO 8601 with an offset, or epoch ms';

@ApiTags('compliance')
@Controller('api/v1/violations')
export class ViolationsController {
  constructor(private readonly violations: ViolationsService) {}

  @Get()
  @ApiOperation({
    summary: "Violation episodes (违规), newest first. Town officials see their own town's; enforcement officers those assigned to their department.",
  })
  @ApiQuery({ name: 'from', required: false, description: `${TIME}; default: to − 7 days` })
  @ApiQuery({ name: 'to', required: false, description: `${TIME}; default: now` })
  @ApiQuery({ name: 'type', required: false, enum: VIOLATION_TYPE_NAMES })
  @ApiQuery({ name: 'townCode', required: false })
  @ApiQuery({ name: 'plate', required: false })
  @ApiQuery({ name: 'status', required: false, enum: VIOLATION_STATUSES })
  @ApiQuery({ name: 'page', required: false, description: '1-based' })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  @ApiOkResponse({ description: 'ViolationPage (libs/contracts/src/api/compliance.ts)' })
  @ApiBadRequestResponse({ description: 'ApiError naming the parameter' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('type') type?: string,
    @Query('townCode') townCode?: string,
    @Query('plate') plate?: string,
    @Query('status') status?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
  ): Promise<ViolationPage> {
    return this.violations.list({ from, to, type, townCode, plate, status, page, pageSize }, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One violation with its evidence track as GeoJSON (id URL-encoded; out of scope → 404)' })
  @ApiOkResponse({ description: 'ViolationDetail (libs/contracts/src/api/compliance.ts)' })
  @ApiNotFoundResponse({ description: 'unknown, or outside the caller’s scope' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ViolationDetail> {
    return this.violations.get(id, principal);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Handling (new/dispatched/resolved/dismissed), enforcement department and note (audited)' })
  @ApiBody({ description: 'ViolationPatch (libs/contracts/src/api/compliance.ts)', schema: { type: 'object' } })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<ViolationDetail> {
    return this.violations.update(id, patchViolation(body), { principal, origin });
  }
}

@ApiTags('compliance')
@Controller('api/v1/trips')
export class TripsController {
  constructor(private readonly violations: ViolationsService) {}

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
    return this.violations.trips({ from, to, plate, status, page, pageSize }, principal);
  }
}
