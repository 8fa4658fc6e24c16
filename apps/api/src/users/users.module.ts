import { Module } from '@nestjs/common';
import { AccountSeedService } from './account-seed.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController],
  providers: [UsersService, AccountSeedService],
  exports: [UsersService],
})
export class UsersModule {}
