import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TERMINAL_MODEL_CREATE_SCHEMA, TERMINAL_MODEL_MAPPING_SCHEMA, type TerminalModelRecord } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { TerminalModelsService } from './terminal-models.service.js';

/** The body schema for OpenAPI, with the mapping inlined (the `$ref` names an id OpenAPI does not know). */
const BODY_SCHEMA = { ...TERMINAL_MODEL_CREATE_SCHEMA, properties: { ...TERMINAL_MODEL_CREATE_SCHEMA.properties, mapping: TERMINAL_MODEL_MAPPING_SCHEMA } };

@ApiTags('registry')
@Controller('api/v1/terminal-models')
export class TerminalModelsController {
  constructor(private readonly models: TerminalModelsService) {}

  @Get()
  @ApiOperation({ summary: 'Terminal models (终端型号) and their JT/T 808 vendor mappings; the standard row first' })
  @ApiOkResponse({ description: 'TerminalModelRecord[] (libs/contracts/src/jt808/terminal-model.ts)' })
  list(): Promise<TerminalModelRecord[]> {
    return this.models.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One terminal model' })
  get(@Param('id') id: string): Promise<TerminalModelRecord> {
    return this.models.get(id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a terminal model with its mapping (admin)' })
  @ApiBody({ description: 'TerminalModelInput', schema: BODY_SCHEMA as object })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiConflictResponse({ description: 'the maker / model already has a mapping' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalModelRecord> {
    return this.models.create({ principal, origin }, body);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a terminal model; a mapping given replaces the whole mapping (admin)' })
  @ApiBody({ description: 'Partial<TerminalModelInput>', schema: { ...BODY_SCHEMA, required: [] } as object })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TerminalModelRecord> {
    return this.models.update({ principal, origin }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete a terminal model; its terminals fall back to the standard row (admin; the standard row stays)' })
  remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    return this.models.remove({ principal, origin }, id);
  }
}
