import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Methodology, MethodologyInput, RankingAdjustment, RankingAdjustmentInput } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { openApiSchema } from '../cases/case-schemas.js';
import { bodyValidator } from '../common/validate-body.js';
import { AssessmentService } from './assessment.service.js';
import { ADJUSTMENT_SCHEMA, METHODOLOGY_SCHEMA, adjustmentInputSchema, methodologyInputSchema } from './ranking-schemas.js';
import { monthParam } from './rankings.controller.js';

const validateMethodology = bodyValidator<MethodologyInput>(methodologyInputSchema);
const validateAdjustment = bodyValidator<RankingAdjustmentInput>(adjustmentInputSchema);

@ApiTags('rankings')
@Controller('api/v1/assessment')
export class AssessmentController {
  constructor(private readonly assessment: AssessmentService) {}

  @Get('methodologies')
  @ApiOperation({ summary: 'Methodology versions, newest first' })
  @ApiOkResponse({ description: 'Methodology[]', schema: { type: 'array', items: METHODOLOGY_SCHEMA } })
  methodologies(): Promise<Methodology[]> {
    return this.assessment.methodologies();
  }

  @Post('methodologies')
  @Roles('admin')
  @ApiOperation({ summary: 'A new methodology version, applying from `effectiveFrom` (not a frozen month); audited' })
  @ApiBody({ description: 'MethodologyInput', schema: openApiSchema(methodologyInputSchema) })
  @ApiOkResponse({ description: 'Methodology', schema: METHODOLOGY_SCHEMA })
  @ApiBadRequestResponse({ description: '`input.invalid` naming the field, or `ranking.methodology_invalid` (params problems)' })
  @ApiConflictResponse({ description: '`ranking.methodology_month_frozen` (params firstOpenMonth)' })
  createMethodology(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<Methodology> {
    return this.assessment.createMethodology(validateMethodology(body), { principal, origin });
  }

  @Get('adjustments')
  @ApiOperation({ summary: 'Adjustments (bonus, notifications, veto), of one month or all' })
  @ApiQuery({ name: 'month', required: false, description: 'yyyy-mm' })
  @ApiOkResponse({ description: 'RankingAdjustment[]', schema: { type: 'array', items: ADJUSTMENT_SCHEMA } })
  adjustments(@Query('month') month: unknown): Promise<RankingAdjustment[]> {
    return this.assessment.adjustments(month === undefined ? null : monthParam(month));
  }

  @Post('adjustments')
  @Roles('admin')
  @ApiOperation({ summary: 'Enter an adjustment for an open month (reason and document required); audited' })
  @ApiBody({ description: 'RankingAdjustmentInput', schema: openApiSchema(adjustmentInputSchema) })
  @ApiOkResponse({ description: 'RankingAdjustment', schema: ADJUSTMENT_SCHEMA })
  @ApiBadRequestResponse({ description: '`input.invalid`, `ranking.points_out_of_range`, `ranking.veto_ground_required`, `ranking.town_unknown`' })
  @ApiConflictResponse({ description: '`ranking.month_frozen`' })
  createAdjustment(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<RankingAdjustment> {
    return this.assessment.createAdjustment(validateAdjustment(body), { principal, origin });
  }

  @Delete('adjustments/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove an adjustment while its month is open; audited' })
  @ApiParam({ name: 'id', description: 'UUID' })
  @ApiNotFoundResponse({ description: '`ranking.adjustment_not_found`' })
  @ApiConflictResponse({ description: '`ranking.month_frozen`' })
  deleteAdjustment(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    return this.assessment.deleteAdjustment(id, { principal, origin });
  }
}
