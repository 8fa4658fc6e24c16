import type { MultiPolygon, Polygon } from 'geojson';
import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import type { Relation } from 'typeorm';

/** The registry as the walking skeleton needs it; issue #3 grows it into the full registry. */

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
  @Column('text', { name: 'contact_name', nullable: true }) contactName!: string | null;
  @Column('text', { name: 'contact_phone', nullable: true }) contactPhone!: string | null;
  @Column('boolean') demo!: boolean;
}

@Entity('trucks')
export class TruckEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') plate!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @ManyToOne(() => TransportCompanyEntity)
  @JoinColumn({ name: 'company_id' })
  company?: Relation<TransportCompanyEntity>;
  @Column('numeric', { name: 'rated_load_t', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  ratedLoadT!: number | null;
  @Column('boolean') sealed!: boolean;
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
  @Column('uuid', { name: 'truck_id', nullable: true }) truckId!: string | null;
  @OneToOne(() => TruckEntity)
  @JoinColumn({ name: 'truck_id' })
  truck?: Relation<TruckEntity>;
  @Column('boolean') demo!: boolean;
}

@Entity('construction_sites')
export class ConstructionSiteEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'town_code', nullable: true }) townCode!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column({ type: 'geometry', spatialFeatureType: 'Polygon', srid: 4326 }) geom!: Polygon;
  @Column('boolean') demo!: boolean;
}

@Entity('disposal_sites')
export class DisposalSiteEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') status!: 'licensed' | 'closed' | 'illegal';
  @Column('numeric', { name: 'capacity_m3', nullable: true }) capacityM3!: string | null;
  @Column('text', { name: 'town_code', nullable: true }) townCode!: string | null;
  @Column({ type: 'geometry', spatialFeatureType: 'Polygon', srid: 4326 }) geom!: Polygon;
  @Column('boolean') demo!: boolean;
}

export const REGISTRY_ENTITIES = [
  TownEntity,
  TransportCompanyEntity,
  TruckEntity,
  TerminalEntity,
  ConstructionSiteEntity,
  DisposalSiteEntity,
];
