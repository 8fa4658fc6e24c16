import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TERMINAL_ID_PATTERN, type TerminalCredentialsResponse } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { parseTerminalIdParam } from '../common/query-params.js';
import { TerminalCredentialsService } from './terminal-credentials.service.js';

@ApiTags('registry')
@Controller('api/v1/terminals')
export class TerminalCredentialsController {
  constructor(private readonly credentials: TerminalCredentialsService) {}

  @Post(':terminalId/credentials')
  @HttpCode(201)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "Issue the terminal's MQTT credentials (shown once); any earlier secret stops working" })
  @ApiCreatedResponse({ description: 'TerminalCredentialsResponse (libs/contracts/src/api/accounts.ts)' })
  @ApiNotFoundResponse({ description: 'no such terminal in the registry' })
  issue(
    @Param('terminalId') terminalId: string,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<TerminalCredentialsResponse> {
    const id = parseTerminalIdParam('terminalId', terminalId, TERMINAL_ID_PATTERN)!;
    return this.credentials.issue(id, principal, origin);
  }
}
