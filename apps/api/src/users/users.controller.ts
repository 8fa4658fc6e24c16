import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ROLES, type CreateUserRequest, type UpdateUserRequest, type UserSummary } from '@muckwatch/contracts';
import { CurrentPrincipal, Origin, Roles } from '../auth/auth.decorators.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { bodyValidator } from '../common/validate-body.js';
import { UsersService } from './users.service.js';

const username = { type: 'string', pattern: '^[A-Za-z0-9._-]{3,32}$' } as const;
const displayName = { type: 'string', minLength: 1, maxLength: 64 } as const;
const password = { type: 'string', minLength: 1, maxLength: 128 } as const;
const role = { type: 'string', enum: [...ROLES] } as const;
const townCode = { type: 'string', nullable: true, maxLength: 32 } as const;
const department = { type: 'string', nullable: true, maxLength: 64 } as const;

const createUser = bodyValidator<CreateUserRequest>({
  type: 'object',
  additionalProperties: false,
  required: ['username', 'displayName', 'password', 'role'],
  properties: { username, displayName, password, role, townCode, department },
});

const updateUser = bodyValidator<UpdateUserRequest>({
  type: 'object',
  additionalProperties: false,
  properties: {
    displayName: { ...displayName, nullable: true },
    role: { ...role, nullable: true },
    townCode,
    department,
    disabled: { type: 'boolean', nullable: true },
    password: { ...password, nullable: true },
  },
});

@ApiTags('accounts')
@Roles('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Every account (admin)' })
  list(): Promise<UserSummary[]> {
    return this.users.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account (admin)' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserSummary> {
    return this.users.get(id);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account with a role and, for town officials and enforcement officers, a scope (admin)' })
  create(@Body() body: unknown, @CurrentPrincipal() actor: Principal, @Origin() origin: RequestOrigin): Promise<UserSummary> {
    return this.users.create(createUser(body), actor, origin);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, scope, name; disable or enable; reset the password (admin). Takes effect on the next request.' })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() actor: Principal,
    @Origin() origin: RequestOrigin,
  ): Promise<UserSummary> {
    return this.users.update(id, updateUser(body), actor, origin);
  }
}
