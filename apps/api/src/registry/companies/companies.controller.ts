import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TransportCompany } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { CompaniesService } from './companies.service.js';

@ApiTags('registry')
@Controller('api/v1/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOperation({ summary: 'Transport companies (运输企业)' })
  @ApiOkResponse({ description: 'TransportCompany[] (libs/contracts/src/api/registry.ts)' })
  list(): Promise<TransportCompany[]> {
    return this.companies.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One transport company' })
  get(@Param('id') id: string): Promise<TransportCompany> {
    return this.companies.get(id);
  }

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a transport company; the unified social credit code is validated (GB 32100-2015)' })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiBody({ description: 'TransportCompanyInput (libs/contracts/src/api/registry.ts)', schema: { type: 'object' } })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TransportCompany> {
    return this.companies.create({ principal, origin }, body);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Change a transport company (any subset of the fields)' })
  @ApiBody({ description: 'Partial<TransportCompanyInput>: the fields to change', schema: { type: 'object' } })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<TransportCompany> {
    return this.companies.update({ principal, origin }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Remove a transport company without trucks or approvals (409 otherwise)' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.companies.remove({ principal, origin }, id);
  }
}
