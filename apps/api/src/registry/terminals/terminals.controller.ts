import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RegisteredTerminal, TerminalBinding, TerminalRecord } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { TerminalsService } from './terminals.service.js';

@ApiTags('registry')
@Controller('api/v1/terminals')
export class TerminalsController {
  constructor(private readonly terminals: TerminalsService) {}

  @Get()
  @ApiOperation({ summary: 'Registered terminals (卫星定位终端) and the truck each is bound to' })
  @ApiOkResponse({ description: 'TerminalRecord[] (libs/contracts/src/api/registry.ts)' })
  list(): Promise<TerminalRecord[]> {
    return this.terminals.list();
  }

  @Get(':terminalId')
  @ApiOperation({ summary: 'One terminal' })
  get(@Param('terminalId') terminalId: string): Promise<TerminalRecord> {
    return this.terminals.get(terminalId);
  }

  @Get(':terminalId/bindings')
  @ApiOperation({ summary: 'Binding history of a terminal: which truck carried it when (newest first)' })
  bindings(@Param('terminalId') terminalId: string): Promise<TerminalBinding[]> {
    return this.terminals.bindings(terminalId);
  }

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a terminal (unbound); answers its MQTT credentials, shown this once' })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiBody({ description: 'TerminalInput (libs/contracts/src/api/registry.ts)', schema: { type: 'object' } })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<RegisteredTerminal> {
    return this.terminals.create({ principal, origin }, body);
  }

  @Patch(':terminalId')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Change a terminal (SIM, maker, model, protocol, installation date)' })
  @ApiBody({ description: 'Partial<TerminalInput>: the fields to change', schema: { type: 'object' } })
  update(@Param('terminalId') terminalId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalRecord> {
    return this.terminals.update({ principal, origin }, terminalId, body);
  }

  @Delete(':terminalId')
  @HttpCode(204)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Remove an unbound terminal (its binding history stays)' })
  async remove(@Param('terminalId') terminalId: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.terminals.remove({ principal, origin }, terminalId);
  }

  @Put(':terminalId/binding')
  @Roles('admin', 'dispatcher')
  @ApiOperation({
    summary: 'Bind the terminal to a truck ({ truckId, rebind? }); 400 when it is bound elsewhere (unless rebind) or the truck has another terminal',
  })
  @ApiBody({ description: 'TerminalBindingInput { truckId, rebind? }', schema: { type: 'object' } })
  bind(@Param('terminalId') terminalId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalRecord> {
    return this.terminals.bind({ principal, origin }, terminalId, body);
  }

  @Delete(':terminalId/binding')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Unbind the terminal from its truck (the binding history keeps the end time)' })
  unbind(@Param('terminalId') terminalId: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalRecord> {
    return this.terminals.unbind({ principal, origin }, terminalId);
  }
}
