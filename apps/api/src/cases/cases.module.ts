import { Module } from '@nestjs/common';
import { CasesExportService } from './cases-export.service.js';
import { CasesController } from './cases.controller.js';
import { CasesRepository } from './cases.repository.js';
import { CasesService } from './cases.service.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsRepository } from './departments.repository.js';
import { DepartmentsService } from './departments.service.js';

/** Violation cases (案件): the workflow over the engine's violations, departments, attachments, export. */
@Module({
  controllers: [CasesController, DepartmentsController],
  providers: [CasesRepository, CasesService, CasesExportService, DepartmentsRepository, DepartmentsService],
  exports: [CasesRepository],
})
export class CasesModule {}
