import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Department, DepartmentInput, DepartmentPerformance } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limited.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { bodyValidator } from '../common/validate-body.js';
import { CodedError } from './case-errors.js';
import { DEPARTMENT_CODE } from './case-query.js';
import { departmentCreateSchema, departmentPatchSchema, openApiSchema } from './case-schemas.js';
import { DepartmentsService } from './departments.service.js';
import { DEPARTMENT_PERFORMANCE_SCHEMA, DEPARTMENT_SCHEMA } from './openapi-schemas.js';

const validateCreate = bodyValidator<DepartmentInput>(departmentCreateSchema);
const validatePatch = bodyValidator<Partial<DepartmentInput>>(departmentPatchSchema);

function codeParam(code: string): string {
  if (!DEPARTMENT_CODE.test(code)) throw new CodedError(404, 'department.not_found', `department ${code} not found`, { departmentCode: code });
  return code;
}

@ApiTags('cases')
@Controller('api/v1/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @ApiOperation({ summary: 'Enforcing departments (执法部门), active first' })
  @ApiOkResponse({ description: 'Department[]', schema: { type: 'array', items: DEPARTMENT_SCHEMA } })
  list(): Promise<Department[]> {
    return this.departments.list();
  }

  @Get('performance')
  @RateLimited('expensive')
  @ApiOperation({ summary: 'Handling time per department over assignments made from–to (default: the last 30 days)' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ description: 'DepartmentPerformance[]', schema: { type: 'array', items: DEPARTMENT_PERFORMANCE_SCHEMA } })
  performance(@Query('from') from?: unknown, @Query('to') to?: unknown): Promise<DepartmentPerformance[]> {
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      if (value !== undefined && typeof value !== 'string') throw new CodedError(400, 'query.invalid', `${field} must be given once`, { field }, field);
    }
    return this.departments.performance({ ...(typeof from === 'string' && { from }), ...(typeof to === 'string' && { to }) });
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a department (audited); without a code one is derived from the name' })
  @ApiBody({ description: 'DepartmentInput', schema: openApiSchema(departmentCreateSchema) })
  @ApiCreatedResponse({ description: 'Department', schema: DEPARTMENT_SCHEMA })
  @ApiConflictResponse({ description: '`department.code_taken` / `department.name_taken`' })
  @ApiBadRequestResponse({ description: 'ApiError naming the field' })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<Department> {
    return this.departments.create(validateCreate(body), { principal, origin });
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename, change the default deadline, or (de)activate a department (audited)' })
  @ApiBody({ description: 'Partial<DepartmentInput> without code', schema: openApiSchema(departmentPatchSchema) })
  @ApiOkResponse({ description: 'Department', schema: DEPARTMENT_SCHEMA })
  update(
    @Param('code') code: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<Department> {
    return this.departments.update(codeParam(code), validatePatch(body), { principal, origin });
  }

  @Delete(':code')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a department nothing refers to (else 409 `department.in_use`: deactivate it instead)' })
  @ApiConflictResponse({ description: '`department.in_use`' })
  async remove(@Param('code') code: string, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    await this.departments.remove(codeParam(code), { principal, origin });
  }
}
