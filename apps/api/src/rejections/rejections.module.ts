import { Module } from '@nestjs/common';
import { RejectionsController } from './rejections.controller.js';
import { RejectionsService } from './rejections.service.js';

@Module({ controllers: [RejectionsController], providers: [RejectionsService] })
export class RejectionsModule {}
