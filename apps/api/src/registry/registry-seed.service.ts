import { runSerialized } from '../database/run-exclusive.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MultiPolygon, Polygon } from 'geojson';
import { demoRegistry, stableUuid, towns } from '@muckwatch/linzi';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { TruckDirectory } from '../live/truck-directory.service.js';
import {
  ApprovedRouteEntity,
  ConstructionSiteEntity,
  DisposalApprovalEntity,
  SpeedZoneEntity,
  TimeWindowScheduleEntity,
  DisposalSiteEntity,
  TerminalEntity,
  TownEntity,
  TransportCompanyEntity,
  TruckEntity,
} from './registry.entities.js';

/**
 * First start: the 14 assessed towns and streets (synthetic polygons, flagged so, until the
 * district supplies official ones); with SEED_DEMO, the demo registry of Linzi as well.
 */
@Injectable()
export class RegistrySeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('RegistrySeed');

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    private readonly dataSource: DataSource,
    private readonly directory: TruckDirectory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Several instances starting together seed once: the others wait, then find it done.
    await runSerialized(this.infra.databaseUrl, 'muckwatch:registry-seed', async () => {
      await this.seedTowns();
      if (this.config.seedDemo) await this.seedDemo();
    });
  }

  private async seedTowns(): Promise<void> {
    const repository = this.dataSource.getRepository(TownEntity);
    if ((await repository.count()) > 0) return;
    await repository.save(
      towns.map((town) => ({
        code: town.code,
        name: town.name,
        nbsName: town.nbsName ?? null,
        kind: town.kind,
        synthetic: town.synthetic,
        geom: toMultiPolygon(town.geometry),
      })),
    );
    this.logger.log(`seeded ${towns.length} towns and streets (synthetic polygons)`);
  }

  private async seedDemo(): Promise<void> {
    if ((await this.dataSource.getRepository(TruckEntity).count()) > 0) return;
    const r = demoRegistry;
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(TransportCompanyEntity).save(
        r.companies.map((c) => ({ id: c.id, name: c.name, creditCode: c.uscc, address: c.address, contactName: null, contactPhone: c.phone, demo: true })),
      );
      await manager.getRepository(TruckEntity).save(
        r.trucks.map((t) => ({
          id: t.id,
          plate: t.plate,
          plateKind: t.plateKind,
          companyId: t.companyId,
          model: t.model,
          ratedLoadT: t.ratedLoadT,
          sealed: t.sealed,
          sealingCertificateNo: t.sealingCertificateNo,
          sealedCertifiedOn: t.sealed ? '2026-01-01' : null,
          permitNo: t.permit?.number ?? null,
          permitValidFrom: t.permit?.validFrom ?? null,
          permitValidTo: t.permit?.validTo ?? null,
          demo: true,
        })),
      );
      await manager.getRepository(TerminalEntity).save(
        r.terminals.map((t) => ({
          terminalId: t.id,
          sim: t.simNo,
          maker: t.vendor,
          model: t.model,
          protocol: 'mqtt-v1',
          installedOn: t.installedOn,
          truckId: t.bound ? t.truckId : null,
          boundAt: t.bound ? new Date(`${t.installedOn}T09:00:00+08:00`) : null,
          demo: true,
        })),
      );
      const plates = new Map(r.trucks.map((t) => [t.id, t.plate]));
      const bound = r.terminals.filter((t) => t.bound);
      await manager.query(
        `INSERT INTO terminal_bindings (terminal_id, truck_id, plate, bound_at) SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[])`,
        [
          bound.map((t) => t.id),
          bound.map((t) => t.truckId),
          bound.map((t) => plates.get(t.truckId)),
          bound.map((t) => `${t.installedOn}T09:00:00+08:00`),
        ],
      );
      await manager.getRepository(ConstructionSiteEntity).save(
        r.constructionSites.map((s) => ({ id: s.id, name: s.name, townCode: s.townCode, address: s.address, status: s.status, geom: s.geometry, demo: true })),
      );
      await manager.getRepository(DisposalSiteEntity).save(
        r.disposalSites.map((d) => ({
          id: d.id,
          name: d.name,
          status: d.status,
          capacityM3: d.capacityM3,
          townCode: d.townCode,
          address: d.address,
          geom: d.geometry,
          washingFacility: d.washingFacility,
          dustControl: d.dustControl,
          distanceToHomesM: d.distanceToHomesM,
          distanceToSchoolsM: d.distanceToSchoolsM,
          demo: true,
        })),
      );
      await manager.getRepository(ApprovedRouteEntity).save(
        r.routes.map((route) => ({
          id: route.id,
          name: route.name,
          geom: { type: 'LineString' as const, coordinates: route.path },
          corridorWidthM: route.corridorWidthM,
          constructionSiteId: route.constructionSiteId,
          disposalSiteId: route.disposalSiteId,
          demo: true,
        })),
      );
      await manager.getRepository(TimeWindowScheduleEntity).save(
        r.timeWindows.map((w) => ({ id: w.id, name: w.name, weekly: w.weekly, exceptions: w.exceptions, demo: true })),
      );
      await manager.getRepository(SpeedZoneEntity).save(
        r.speedZones.map((z) => ({ id: z.id, name: z.name, limitKmh: z.limitKmh, geom: z.geometry, corridorWidthM: z.corridorWidthM, demo: true })),
      );
      for (const site of r.constructionSites) {
        const a = site.approval;
        const approvalId = stableUuid(`approval-${site.key}`);
        await manager.getRepository(DisposalApprovalEntity).save({
          id: approvalId,
          number: a.number,
          constructionSiteId: site.id,
          companyId: a.companyId,
          validFrom: a.validFrom,
          validTo: a.validTo,
          demo: true,
        });
        for (const [table, column, ids] of [
          ['approval_trucks', 'truck_id', a.truckIds],
          ['approval_disposal_sites', 'disposal_site_id', a.disposalSiteIds],
          ['approval_routes', 'route_id', a.routeIds],
          ['approval_time_windows', 'schedule_id', a.timeWindowIds],
        ] as const) {
          await manager.query(`INSERT INTO ${table} (approval_id, ${column}) SELECT $1, unnest($2::uuid[])`, [approvalId, ids]);
        }
      }
    });
    await this.directory.refresh();
    this.logger.warn(
      `seeded the DEMO registry (${r.companies.length} companies, ${r.trucks.length} trucks, ${r.constructionSites.length} sites with approvals, ${r.disposalSites.length} disposal sites, ${r.routes.length} routes): invented data, not for production`,
    );
  }
}

function toMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
  return geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
}
