import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { Roles } from '../auth/auth.decorators.js';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isRejectionReason, REJECTION_REASONS, TERMINAL_ID_PATTERN, type RejectionReason, type RejectionsResponse } from '@muckwatch/contracts';
import { parseIntParam, parseTerminalIdParam, parseTimeRange } from '../common/query-params.js';
import { RejectionsService } from './rejections.service.js';

const DAY_MS = 86_400_000;
/** Deep pages of a 93-day range are a query of their own; beyond this, narrow the filters. */
const MAX_OFFSET = 100_000;

interface RejectionsQuery {
  from?: string;
  to?: string;
  terminalId?: string;
  reason?: string;
  limit?: string;
  offset?: string;
}

function parseReason(raw: string | undefined): RejectionReason | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isRejectionReason(raw)) {
    throw new BadRequestException({
      code: 'rejections.reason_invalid',
      params: { allowed: REJECTION_REASONS },
      message: `reason must be one of ${REJECTION_REASONS.join(', ')}`,
      field: 'reason',
    });
  }
  return raw;
}

@ApiTags('ingest')
@Roles('admin', 'dispatcher', 'auditor')
@Controller('api/v1/rejections')
export class RejectionsController {
  constructor(private readonly rejections: RejectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Refused messages and fixes, newest first, with the reason and the raw payload; paged by offset + limit' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 with offset, or epoch ms; default to − 24 h' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 with offset, or epoch ms; default now' })
  @ApiQuery({ name: 'terminalId', required: false })
  @ApiQuery({ name: 'reason', required: false, enum: REJECTION_REASONS })
  @ApiQuery({ name: 'limit', required: false, description: '1–5000, default 500' })
  @ApiQuery({ name: 'offset', required: false, description: `rows to skip, 0–${MAX_OFFSET}, default 0` })
  @ApiOkResponse({ description: 'RejectionsResponse (libs/contracts/src/api/api-types.ts)' })
  @ApiBadRequestResponse({ description: 'a filter out of range: ApiError with code and field' })
  async list(@Query() query: RejectionsQuery): Promise<RejectionsResponse> {
    const { from, to } = parseTimeRange(query, DAY_MS, 93 * DAY_MS);
    const terminalId = parseTerminalIdParam('terminalId', query.terminalId, TERMINAL_ID_PATTERN);
    const reason = parseReason(query.reason);
    const limit = parseIntParam('limit', query.limit, 500, 1, 5000);
    const offset = parseIntParam('offset', query.offset, 0, 0, MAX_OFFSET);
    const result = await this.rejections.list({ from, to, terminalId, reason, limit, offset });
    return { from: from.toISOString(), to: to.toISOString(), ...result, offset, limit };
  }
}
