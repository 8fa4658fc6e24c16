import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TERMINAL_ID_PATTERN, type Jt808AuthCodeResponse, type Jt808AuthCodeStatus } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { parseTerminalIdParam } from '../common/query-params.js';
import { Jt808AuthService } from './jt808-auth.service.js';

/** JT/T 808 auth codes (鉴权码) from the console: only an admin issues or revokes; the code is shown once. */
@ApiTags('registry')
@Controller('api/v1')
export class Jt808AuthCodeController {
  constructor(private readonly auth: Jt808AuthService) {}

  @Get('jt808-auth-codes')
  @Roles('admin', 'dispatcher', 'auditor')
  @ApiOperation({ summary: 'Whether each JT/T 808 terminal holds an auth code (never the code)' })
  @ApiOkResponse({ description: 'Jt808AuthCodeStatus[] (libs/contracts/src/jt808/terminal-model.ts)' })
  statuses(): Promise<Jt808AuthCodeStatus[]> {
    return this.auth.statuses();
  }

  @Post('terminals/:terminalId/jt808-auth-code')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: "Issue the terminal's JT/T 808 auth code (shown once); an earlier code stops working and its session closes" })
  @ApiCreatedResponse({ description: 'Jt808AuthCodeResponse (libs/contracts/src/jt808/terminal-model.ts)' })
  @ApiNotFoundResponse({ description: 'no such terminal in the registry' })
  @ApiConflictResponse({ description: 'the terminal is not a JT/T 808 terminal, or has no SIM number' })
  issue(@Param('terminalId') terminalId: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<Jt808AuthCodeResponse> {
    const id = parseTerminalIdParam('terminalId', terminalId, TERMINAL_ID_PATTERN)!;
    return this.auth.issue(id, principal, origin);
  }

  @Delete('terminals/:terminalId/jt808-auth-code')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: "Revoke the terminal's JT/T 808 auth code: its session closes and it may not register again until a code is issued" })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiNotFoundResponse({ description: 'no such terminal, or it holds no active code' })
  revoke(@Param('terminalId') terminalId: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    const id = parseTerminalIdParam('terminalId', terminalId, TERMINAL_ID_PATTERN)!;
    return this.auth.revoke(id, principal, origin);
  }
}
