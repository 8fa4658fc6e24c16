import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module.js';
import { TerminalCredentialsModule } from '../terminal-credentials/terminal-credentials.module.js';
import { ApprovalsController } from './approvals/approvals.controller.js';
import { ApprovalsService } from './approvals/approvals.service.js';
import { RegistryChanges } from './common/registry-changes.service.js';
import { RegistryDb } from './common/registry-db.js';
import { ConstructionSitesController, DisposalSitesController, RoutesController, SpeedZonesController } from './common/geofence-controllers.js';
import { CompaniesController } from './companies/companies.controller.js';
import { CompaniesService } from './companies/companies.service.js';
import { DisposalSitesService } from './disposal-sites/disposal-sites.service.js';
import { RatesController } from './rates/rates.controller.js';
import { RatesService } from './rates/rates.service.js';
import { RegistryLiveSync } from './registry-live-sync.service.js';
import { RegistrySeedService } from './registry-seed.service.js';
import { RoutesService } from './routes/routes.service.js';
import { ConstructionSitesService } from './sites/construction-sites.service.js';
import { SpeedZonesService } from './speed-zones/speed-zones.service.js';
import { TerminalModelsController } from './terminal-models/terminal-models.controller.js';
import { TerminalModelsModule } from './terminal-models/terminal-models.module.js';
import { TerminalModelsService } from './terminal-models/terminal-models.service.js';
import { TerminalsController } from './terminals/terminals.controller.js';
import { TerminalsService } from './terminals/terminals.service.js';
import { TimeWindowsController } from './time-windows/time-windows.controller.js';
import { TimeWindowsService } from './time-windows/time-windows.service.js';
import { TownsController } from './towns/towns.controller.js';
import { TownsService } from './towns/towns.service.js';
import { TrucksController } from './trucks/trucks.controller.js';
import { TrucksService } from './trucks/trucks.service.js';

/**
 * The registry (issue #3). RegistryChanges is exported: the rule engine subscribes to it to
 * reload what changed.
 */
@Module({
  imports: [LiveModule, TerminalCredentialsModule, TerminalModelsModule],
  controllers: [
    CompaniesController,
    TrucksController,
    TerminalsController,
    TerminalModelsController,
    TownsController,
    ConstructionSitesController,
    DisposalSitesController,
    RoutesController,
    SpeedZonesController,
    TimeWindowsController,
    ApprovalsController,
    RatesController,
  ],
  providers: [
    RegistryChanges,
    RegistryDb,
    RegistryLiveSync,
    RegistrySeedService,
    CompaniesService,
    TrucksService,
    TerminalsService,
    TerminalModelsService,
    TownsService,
    ConstructionSitesService,
    DisposalSitesService,
    RoutesService,
    SpeedZonesService,
    TimeWindowsService,
    ApprovalsService,
    RatesService,
  ],
  exports: [RegistryChanges, TrucksService, ApprovalsService, TimeWindowsService],
})
export class RegistryModule {}
