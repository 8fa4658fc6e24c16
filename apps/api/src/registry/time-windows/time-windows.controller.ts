import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { TimeWindowOpenResponse, TimeWindowSchedule } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { TimeWindowsService } from './time-windows.service.js';

@ApiTags('registry')
@Controller('api/v1/time-windows')
export class TimeWindowsController {
  constructor(private readonly windows: TimeWindowsService) {}

  @Get()
  @ApiOperation({ summary: 'Time-window schedules (通行时段): weekly windows in Asia/Shanghai local time, crossing midnight, with dated exceptions' })
  @ApiOkResponse({ description: 'TimeWindowSchedule[] (libs/contracts/src/api/registry.ts)' })
  list(): Promise<TimeWindowSchedule[]> {
    return this.windows.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One schedule' })
  get(@Param('id') id: string): Promise<TimeWindowSchedule> {
    return this.windows.get(id);
  }

  @Get(':id/open')
  @ApiOperation({ summary: 'Whether the schedule is open at an instant (default now), as the rule engine judges it' })
  @ApiQuery({ name: 'at', required: false, description: 'ISO 8601 with offset, or epoch ms' })
  open(@Param('id') id: string, @Query('at') at?: string): Promise<TimeWindowOpenResponse> {
    return this.windows.openAt(id, at);
  }

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Create a schedule; a window ending before its start needs crossesMidnight: true (400 naming weekly.N.end otherwise)' })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiBody({ description: 'TimeWindowScheduleInput (libs/contracts/src/api/registry.ts)', schema: { type: 'object' } })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TimeWindowSchedule> {
    return this.windows.create({ principal, origin }, body);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Change a schedule (e.g. add a heavy-pollution closure to exceptions)' })
  @ApiBody({ description: 'Partial<TimeWindowScheduleInput>: the fields to change', schema: { type: 'object' } })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TimeWindowSchedule> {
    return this.windows.update({ principal, origin }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Remove a schedule no approval uses (409 otherwise)' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.windows.remove({ principal, origin }, id);
  }
}
