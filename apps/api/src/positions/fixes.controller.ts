import { Controller, Get, Param, Query } from '@nestjs/common';
import { Roles } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limited.js';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TERMINAL_ID_PATTERN, type FixesResponse } from '@muckwatch/contracts';
import { parseIntParam, parseTerminalIdParam, parseTimeRange } from '../common/query-params.js';
import { FixesService } from './fixes.service.js';

const DAY_MS = 86_400_000;

@ApiTags('positions')
@Roles('admin', 'dispatcher', 'auditor', 'enforcement_officer')
@Controller('api/v1/terminals')
export class FixesController {
  constructor(private readonly fixes: FixesService) {}

  @Get(':terminalId/fixes')
  @RateLimited('expensive')
  @ApiOperation({ summary: "A terminal's stored fixes in fix-time order" })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 with offset, or epoch ms; default to − 24 h' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 with offset, or epoch ms; default now' })
  @ApiQuery({ name: 'limit', required: false, description: '1–50000, default 10000' })
  @ApiOkResponse({ description: 'FixesResponse (libs/contracts/src/api/api-types.ts)' })
  async list(
    @Param('terminalId') terminalIdParam: string,
    @Query() query: { from?: string; to?: string; limit?: string },
  ): Promise<FixesResponse & { truncated: boolean }> {
    const terminalId = parseTerminalIdParam('terminalId', terminalIdParam, TERMINAL_ID_PATTERN) ?? terminalIdParam;
    const { from, to } = parseTimeRange(query, DAY_MS, 31 * DAY_MS);
    const limit = parseIntParam('limit', query.limit, 10_000, 1, 50_000);
    const { fixes, truncated } = await this.fixes.between(terminalId, from, to, limit);
    return { terminalId, from: from.toISOString(), to: to.toISOString(), fixes, truncated };
  }
}
