import type { Geometry, LineString, MultiPolygon, Polygon } from 'geojson';
import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';

/**
 * The registry's tables (migrations InitialSchema and Registry). The services read and write them
 * with SQL (PostGIS functions, validation with locations, one transaction with the audit row);
 * these entities describe the tables for the seed and for TypeORM users.
 */

const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('towns')
export class TownEntity {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'nbs_name', nullable: true }) nbsName!: string | null;
  @Column('text') kind!: 'street' | 'town' | 'enterprise';
  @Column('boolean') synthetic!: boolean;
  @Column({ type: 'geometry', spatialFeatureType: 'MultiPolygon', srid: 4326 }) geom!: MultiPolygon;
}

@Entity('transport_companies')
export class TransportCompanyEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'credit_code' }) creditCode!: string;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { name: 'contact_name', nullable: true }) contactName!: string | null;
  @Column('text', { name: 'contact_phone', nullable: true }) contactPhone!: string | null;
  @Column('boolean') demo!: boolean;
}

@Entity('trucks')
export class TruckEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') plate!: string;
  @Column('text', { name: 'plate_kind' }) plateKind!: 'fuel' | 'new-energy' | 'trailer';
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @ManyToOne(() => TransportCompanyEntity)
  @JoinColumn({ name: 'company_id' })
  company?: Relation<TransportCompanyEntity>;
  @Column('text', { nullable: true }) model!: string | null;
  @Column('numeric', { name: 'rated_load_t', nullable: true, transformer: numeric }) ratedLoadT!: number | null;
  @Column('boolean') sealed!: boolean;
  @Column('text', { name: 'sealing_certificate_no', nullable: true }) sealingCertificateNo!: string | null;
  @Column('date', { name: 'sealed_certified_on', nullable: true }) sealedCertifiedOn!: string | null;
  @Column('text', { name: 'permit_no', nullable: true }) permitNo!: string | null;
  @Column('date', { name: 'permit_valid_from', nullable: true }) permitValidFrom!: string | null;
  @Column('date', { name: 'permit_valid_to', nullable: true }) permitValidTo!: string | null;
  @Column('boolean') demo!: boolean;
}

@Entity('terminals')
export class TerminalEntity {
  @PrimaryColumn('text', { name: 'terminal_id' }) terminalId!: string;
  @Column('text', { nullable: true }) sim!: string | null;
  @Column('text', { nullable: true }) maker!: string | null;
  @Column('text', { nullable: true }) model!: string | null;
  @Column('text') protocol!: string;
  @Column('date', { name: 'installed_on', nullable: true }) installedOn!: string | null;
  @Column('uuid', { name: 'truck_id', nullable: true }) truckId!: string | null;
  @OneToOne(() => TruckEntity)
  @JoinColumn({ name: 'truck_id' })
  truck?: Relation<TruckEntity>;
  @Column('timestamptz', { name: 'bound_at', nullable: true }) boundAt!: Date | null;
  @Column('boolean') demo!: boolean;
}

/** Every binding of a terminal to a truck, current (unbound_at null) and past. */
@Entity('terminal_bindings')
export class TerminalBindingEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column('text', { name: 'terminal_id' }) terminalId!: string;
  @Column('uuid', { name: 'truck_id' }) truckId!: string;
  @Column('text') plate!: string;
  @Column('timestamptz', { name: 'bound_at' }) boundAt!: Date;
  @Column('timestamptz', { name: 'unbound_at', nullable: true }) unboundAt!: Date | null;
}

@Entity('construction_sites')
export class ConstructionSiteEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'town_code', nullable: true }) townCode!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text') status!: 'planned' | 'active' | 'finished';
  @Column({ type: 'geometry', spatialFeatureType: 'Polygon', srid: 4326 }) geom!: Polygon;
  @Column('boolean') demo!: boolean;
}

@Entity('disposal_sites')
export class DisposalSiteEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') status!: 'licensed' | 'closed' | 'illegal';
  @Column('numeric', { name: 'capacity_m3', nullable: true, transformer: numeric }) capacityM3!: number | null;
  @Column('text', { name: 'town_code', nullable: true }) townCode!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column({ type: 'geometry', spatialFeatureType: 'Polygon', srid: 4326 }) geom!: Polygon;
  @Column('boolean', { name: 'washing_facility' }) washingFacility!: boolean;
  @Column('boolean', { name: 'dust_control' }) dustControl!: boolean;
  @Column('numeric', { name: 'distance_to_homes_m', nullable: true, transformer: numeric }) distanceToHomesM!: number | null;
  @Column('numeric', { name: 'distance_to_schools_m', nullable: true, transformer: numeric }) distanceToSchoolsM!: number | null;
  @Column('boolean') demo!: boolean;
}

@Entity('approved_routes')
export class ApprovedRouteEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column({ type: 'geometry', spatialFeatureType: 'LineString', srid: 4326 }) geom!: LineString;
  @Column('numeric', { name: 'corridor_width_m', transformer: numeric }) corridorWidthM!: number;
  @Column('uuid', { name: 'construction_site_id', nullable: true }) constructionSiteId!: string | null;
  @Column('uuid', { name: 'disposal_site_id', nullable: true }) disposalSiteId!: string | null;
  @Column('boolean') demo!: boolean;
}

@Entity('time_window_schedules')
export class TimeWindowScheduleEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('jsonb') weekly!: unknown[];
  @Column('jsonb') exceptions!: unknown[];
  @Column('boolean') demo!: boolean;
}

@Entity('disposal_approvals')
export class DisposalApprovalEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') number!: string;
  @Column('uuid', { name: 'construction_site_id' }) constructionSiteId!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('date', { name: 'valid_from' }) validFrom!: string;
  @Column('date', { name: 'valid_to' }) validTo!: string;
  @Column('boolean') demo!: boolean;
}

@Entity('speed_zones')
export class SpeedZoneEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('numeric', { name: 'limit_kmh', transformer: numeric }) limitKmh!: number;
  @Column({ type: 'geometry', srid: 4326 }) geom!: Geometry;
  @Column('numeric', { name: 'corridor_width_m', nullable: true, transformer: numeric }) corridorWidthM!: number | null;
  @Column('boolean') demo!: boolean;
}

export const REGISTRY_ENTITIES = [
  TownEntity,
  TransportCompanyEntity,
  TruckEntity,
  TerminalEntity,
  TerminalBindingEntity,
  ConstructionSiteEntity,
  DisposalSiteEntity,
  ApprovedRouteEntity,
  TimeWindowScheduleEntity,
  DisposalApprovalEntity,
  SpeedZoneEntity,
];
