import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { TerminalBinding, TruckRecord } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { TrucksService } from './trucks.service.js';

@ApiTags('registry')
@Controller('api/v1/trucks')
export class TrucksController {
  constructor(private readonly trucks: TrucksService) {}

  @Get()
  @ApiOperation({
    summary: 'Registered trucks with company, permit, bound terminal and latest position. Town officials see only the trucks whose latest position is in their town (as on the live map).',
  })
  @ApiQuery({ name: 'companyId', required: false })
  @ApiOkResponse({ description: 'TruckRecord[] (libs/contracts/src/api/registry.ts; extends TruckSummary)' })
  list(@CurrentPrincipal() principal: Principal, @Query('companyId') companyId?: string): Promise<TruckRecord[]> {
    return this.trucks.list({ companyId }, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: "One truck. Another town's is 404 for a town official." })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<TruckRecord> {
    return this.trucks.get(id, principal);
  }

  @Get(':id/bindings')
  @ApiOperation({ summary: 'Terminals this truck carried, with the time of each binding (newest first)' })
  bindings(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<TerminalBinding[]> {
    return this.trucks.bindings(id, principal);
  }

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a truck; the plate is checked against Chinese plate formats (incl. new-energy)' })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiBody({ description: 'TruckInput (libs/contracts/src/api/registry.ts)', schema: { type: 'object' } })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TruckRecord> {
    return this.trucks.create({ principal, origin }, body);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Change a truck (any subset of TruckInput); bind terminals with PUT /terminals/{id}/binding' })
  @ApiBody({ description: 'Partial<TruckInput>: the fields to change', schema: { type: 'object' } })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TruckRecord> {
    return this.trucks.update({ principal, origin }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Remove a truck without a terminal and not listed on an approval (409 otherwise)' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.trucks.remove({ principal, origin }, id);
  }
}
