import type { ApprovedRoute, ConstructionSite, DisposalSite, SpeedZone } from '@muckwatch/contracts';
import { geofenceController } from '../common/geofence.controller.js';
import { DisposalSitesService } from '../disposal-sites/disposal-sites.service.js';
import { RoutesService } from '../routes/routes.service.js';
import { SpeedZonesService } from '../speed-zones/speed-zones.service.js';
import { ConstructionSitesService } from '../sites/construction-sites.service.js';

export const ConstructionSitesController = geofenceController<ConstructionSite>('construction-sites', ConstructionSitesService, {
  what: 'Construction sites (工地)',
  contract: 'ConstructionSite',
  scoped: true,
});

export const DisposalSitesController = geofenceController<DisposalSite>('disposal-sites', DisposalSitesService, {
  what: 'Disposal sites (消纳场)',
  contract: 'DisposalSite',
  scoped: true,
});

export const RoutesController = geofenceController<ApprovedRoute>('routes', RoutesService, {
  what: 'Approved routes (规定路线)',
  contract: 'ApprovedRoute',
  scoped: true,
});

export const SpeedZonesController = geofenceController<SpeedZone>('speed-zones', SpeedZonesService, {
  what: 'Speed-limit zones (限速区)',
  contract: 'SpeedZone',
  scoped: false,
});
