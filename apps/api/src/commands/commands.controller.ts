import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  COMMAND_RELEASE_REQUEST_SCHEMA,
  COMMAND_REQUEST_SCHEMA,
  CONTROL_POLICY_SETTINGS_UPDATE_SCHEMA,
  type CommandReleaseRequest,
  type CommandRequest,
  type ControlPolicySettings,
  type ControlPolicySettingsUpdate,
  type TerminalCommandList,
  type TerminalCommandRecord,
} from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { bodyValidator } from '../common/validate-body.js';
import { COMMAND_READERS, COMMAND_SENDERS, CommandsService } from './commands.service.js';
import { ControlPolicies } from './control-policies.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidParam(value: string, field: string): string {
  if (!UUID.test(value)) throw new BadRequestException({ code: 'input.uuid_invalid', params: { field }, message: `${field} must be a UUID`, field });
  return value;
}

const validate = {
  command: bodyValidator<CommandRequest>(COMMAND_REQUEST_SCHEMA),
  release: bodyValidator<CommandReleaseRequest>(COMMAND_RELEASE_REQUEST_SCHEMA),
  settings: bodyValidator<ControlPolicySettingsUpdate>(CONTROL_POLICY_SETTINGS_UPDATE_SCHEMA),
};

/** The OpenAPI copy of a contract schema (plain JSON; the same object validates the body). */
const openApi = (schema: object): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
const RECORD = { description: 'TerminalCommandRecord (libs/contracts/src/api/terminal-commands.ts)' };

@ApiTags('commands')
@Controller('api/v1')
export class CommandsController {
  constructor(
    private readonly commands: CommandsService,
    private readonly policies: ControlPolicies,
  ) {}

  @Get('trucks/:id/commands')
  @Roles(...COMMAND_READERS)
  @ApiOperation({ summary: "A truck's control commands, newest first (admin, dispatcher, auditor)" })
  @ApiOkResponse({ description: 'TerminalCommandList' })
  @ApiNotFoundResponse({ description: '`command.truck_not_found`' })
  list(@Param('id') id: string): Promise<TerminalCommandList> {
    return this.commands.ofTruck(uuidParam(id, 'id'));
  }

  @Post('trucks/:id/commands')
  @Roles(...COMMAND_SENDERS)
  @ApiOperation({ summary: 'Send a control command to the truck\'s terminal, with a reason (dispatcher, admin); audited' })
  @ApiBody({ description: 'CommandRequest', schema: openApi(COMMAND_REQUEST_SCHEMA) })
  @ApiOkResponse(RECORD)
  @ApiBadRequestResponse({ description: '`input.invalid` naming the field' })
  @ApiForbiddenResponse({ description: '`auth.role_required`: town officials, enforcement officers and auditors may not' })
  @ApiNotFoundResponse({ description: '`command.truck_not_found`' })
  @ApiConflictResponse({ description: '`command.no_terminal`' })
  @HttpCode(201)
  send(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalCommandRecord> {
    return this.commands.issueManual(uuidParam(id, 'id'), validate.command(body), principal, origin);
  }

  @Post('commands/:id/release')
  @Roles(...COMMAND_SENDERS)
  @ApiOperation({ summary: 'Release a restriction (lock, speed cap, lift inhibit): sends its release command (dispatcher, admin); audited' })
  @ApiBody({ description: 'CommandReleaseRequest', schema: openApi(COMMAND_RELEASE_REQUEST_SCHEMA) })
  @ApiOkResponse({ description: 'the release command (TerminalCommandRecord)' })
  @ApiNotFoundResponse({ description: '`command.not_found`' })
  @ApiConflictResponse({ description: '`command.not_releasable`, `command.already_released`' })
  @HttpCode(201)
  release(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalCommandRecord> {
    return this.commands.releaseManual(uuidParam(id, 'id'), validate.release(body), principal, origin);
  }

  @Get('control-policies')
  @Roles('admin')
  @ApiOperation({ summary: 'The control policies\' switches and settings (admin)' })
  @ApiOkResponse({ description: 'ControlPolicySettings' })
  settings(): Promise<ControlPolicySettings> {
    return this.policies.getSettings();
  }

  @Put('control-policies')
  @Roles('admin')
  @ApiOperation({ summary: 'Switch control policies on or off, set the cover-open speed cap (admin); audited' })
  @ApiBody({ description: 'ControlPolicySettingsUpdate', schema: openApi(CONTROL_POLICY_SETTINGS_UPDATE_SCHEMA) })
  @ApiOkResponse({ description: 'ControlPolicySettings' })
  update(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<ControlPolicySettings> {
    return this.policies.updateSettings(validate.settings(body), principal, origin);
  }
}
