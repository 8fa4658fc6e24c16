import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DisposalApproval } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../../auth/principal.js';
import { ApprovalsService } from './approvals.service.js';

@ApiTags('registry')
@Controller('api/v1/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @ApiOperation({ summary: "Disposal approvals (建筑垃圾处置核准). Town officials see their own town's sites' approvals only." })
  @ApiQuery({ name: 'constructionSiteId', required: false })
  @ApiQuery({ name: 'companyId', required: false })
  @ApiQuery({ name: 'validOn', required: false, description: 'YYYY-MM-DD: only approvals valid that day' })
  @ApiOkResponse({ description: 'DisposalApproval[] (libs/contracts/src/api/registry.ts)' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('constructionSiteId') constructionSiteId?: string,
    @Query('companyId') companyId?: string,
    @Query('validOn') validOn?: string,
  ): Promise<DisposalApproval[]> {
    return this.approvals.list({ constructionSiteId, companyId, validOn }, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: "One approval (another town's is 404 for a town official)" })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<DisposalApproval> {
    return this.approvals.get(id, principal);
  }

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "Register an approval: validTo not before validFrom; the company's own trucks; licensed disposal sites only" })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  @ApiBody({ description: 'DisposalApprovalInput (libs/contracts/src/api/registry.ts)', schema: { type: 'object' } })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<DisposalApproval> {
    return this.approvals.create({ principal, origin }, body);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Change an approval (any subset; lists are replaced whole)' })
  @ApiBody({ description: 'Partial<DisposalApprovalInput>: the fields to change', schema: { type: 'object' } })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<DisposalApproval> {
    return this.approvals.update({ principal, origin }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Remove an approval' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.approvals.remove({ principal, origin }, id);
  }
}
