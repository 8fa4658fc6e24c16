import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MultiPolygon, Polygon } from 'geojson';
import { demoRegistry, towns } from '@muckwatch/linzi';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { TruckDirectory } from '../live/truck-directory.service.js';
import {
  ConstructionSiteEntity,
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
    private readonly dataSource: DataSource,
    private readonly directory: TruckDirectory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seedTowns();
    if (this.config.seedDemo) await this.seedDemo();
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
        r.companies.map((c) => ({ id: c.id, name: c.name, creditCode: c.uscc, contactName: null, contactPhone: c.phone, demo: true })),
      );
      await manager.getRepository(TruckEntity).save(
        r.trucks.map((t) => ({
          id: t.id,
          plate: t.plate,
          companyId: t.companyId,
          ratedLoadT: t.ratedLoadT,
          sealed: t.sealed,
          sealedCertifiedOn: t.permit.validFrom,
          permitNo: t.permit.number,
          permitValidFrom: t.permit.validFrom,
          permitValidTo: t.permit.validTo,
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
          truckId: t.truckId,
          demo: true,
        })),
      );
      await manager.getRepository(ConstructionSiteEntity).save(
        r.constructionSites.map((s) => ({ id: s.id, name: s.name, townCode: s.townCode, address: s.address, geom: s.geometry, demo: true })),
      );
      await manager.getRepository(DisposalSiteEntity).save(
        r.disposalSites.map((d) => ({
          id: d.id,
          name: d.name,
          status: d.status,
          capacityM3: String(d.capacityM3),
          townCode: d.townCode,
          geom: d.geometry,
          demo: true,
        })),
      );
    });
    await this.directory.refresh();
    this.logger.warn(
      `seeded the DEMO registry (${r.companies.length} companies, ${r.trucks.length} trucks, ${r.constructionSites.length} sites, ${r.disposalSites.length} disposal sites): invented data, not for production`,
    );
  }
}

function toMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
  return geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
}
