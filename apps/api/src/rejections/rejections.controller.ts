import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '../auth/auth.decorators.js';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TERMINAL_ID_PATTERN, type RejectionsResponse } from '@muckwatch/contracts';
import { parseIntParam, parseTerminalIdParam, parseTimeRange } from '../common/query-params.js';
import { RejectionsService } from './rejections.service.js';

const DAY_MS = 86_400_000;

@ApiTags('ingest')
@Roles('admin', 'dispatcher', 'auditor')
@Controller('api/v1/rejections')
export class RejectionsController {
  constructor(private readonly rejections: RejectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Refused messages and fixes, newest first, with the reason and the raw payload' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 with offset, or epoch ms; default to − 24 h' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 with offset, or epoch ms; default now' })
  @ApiQuery({ name: 'terminalId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–5000, default 500' })
  @ApiOkResponse({ description: 'RejectionsResponse (libs/contracts/src/api/api-types.ts)' })
  async list(@Query() query: { from?: string; to?: string; terminalId?: string; limit?: string }): Promise<RejectionsResponse> {
    const { from, to } = parseTimeRange(query, DAY_MS, 93 * DAY_MS);
    const terminalId = parseTerminalIdParam('terminalId', query.terminalId, TERMINAL_ID_PATTERN);
    const limit = parseIntParam('limit', query.limit, 500, 1, 5000);
    const result = await this.rejections.list({ from, to, terminalId, limit });
    return { from: from.toISOString(), to: to.toISOString(), ...result };
  }
}
