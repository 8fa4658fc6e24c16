import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module.js';
import { RegistryReadService } from './registry-read.service.js';
import { RegistrySeedService } from './registry-seed.service.js';
import { RegistryController } from './registry.controller.js';

@Module({
  imports: [LiveModule],
  controllers: [RegistryController],
  providers: [RegistryReadService, RegistrySeedService],
})
export class RegistryModule {}
