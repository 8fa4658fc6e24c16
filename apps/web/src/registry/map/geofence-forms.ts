import type { ApprovedRoute, ConstructionSite, DisposalSite, SpeedZone } from '@muckwatch/contracts';
import type { LineString, Polygon } from 'geojson';
import type { FieldSpec } from '../field-spec.js';
import { lineFromLatLngs, polygonFromLatLngs, type LatLngLike } from '../registry-forms.js';
import {
  constructionSiteForm,
  constructionSiteInput,
  disposalSiteForm,
  disposalSiteInput,
  routeForm,
  routeInput,
  speedZoneForm,
  speedZoneInput,
  type ConstructionSiteForm,
  type DisposalSiteForm,
  type RouteForm,
  type SpeedZoneForm,
} from '../resource-forms.js';
import type { MapKind } from './geofence-style.js';

export type GeofenceRecord = ConstructionSite | DisposalSite | ApprovedRoute | SpeedZone;
export type GeofenceForm = ConstructionSiteForm | DisposalSiteForm | RouteForm | SpeedZoneForm;
export type DraftShape = 'Polygon' | 'Line';

interface Option {
  value: string;
  label: string;
}

export interface GeofenceFormContext {
  t: (key: string) => string;
  towns: Option[];
  constructionSites: Option[];
  disposalSites: Option[];
}

/** The shape a kind is drawn as (speed zones: either). */
export function shapeOf(kind: MapKind, record: GeofenceRecord | null, chosen: DraftShape = 'Polygon'): DraftShape {
  if (kind === 'routes') return 'Line';
  if (kind === 'speed-zones') return record ? (record.geometry.type === 'LineString' ? 'Line' : 'Polygon') : chosen;
  return 'Polygon';
}

/** The draft's points as the kind's GeoJSON geometry. */
export function geometryOf(shape: DraftShape, points: readonly LatLngLike[]): Polygon | LineString {
  return shape === 'Polygon' ? polygonFromLatLngs(points) : lineFromLatLngs(points);
}

export function formOf(kind: MapKind, record: GeofenceRecord | null): GeofenceForm {
  switch (kind) {
    case 'construction-sites':
      return constructionSiteForm(record as ConstructionSite | null);
    case 'disposal-sites':
      return disposalSiteForm(record as DisposalSite | null);
    case 'routes':
      return routeForm(record as ApprovedRoute | null);
    case 'speed-zones':
      return speedZoneForm(record as SpeedZone | null);
  }
}

/** The body to send; the geometry only when it was drawn or changed. */
export function inputOf(kind: MapKind, form: GeofenceForm, geometry: Polygon | LineString | null, shape: DraftShape): unknown {
  switch (kind) {
    case 'construction-sites':
      return constructionSiteInput(form as ConstructionSiteForm, geometry as Polygon | null);
    case 'disposal-sites':
      return disposalSiteInput(form as DisposalSiteForm, geometry as Polygon | null);
    case 'routes':
      return routeInput(form as RouteForm, geometry as LineString | null);
    case 'speed-zones':
      return speedZoneInput(form as SpeedZoneForm, geometry, shape === 'Line' ? 'LineString' : 'Polygon');
  }
}

export function specsOf(kind: MapKind, shape: DraftShape, c: GeofenceFormContext): FieldSpec[] {
  const name: FieldSpec = { prop: 'name', label: 'registry.fields.name', type: 'text', required: true };
  const town: FieldSpec = { prop: 'townCode', label: 'registry.fields.town', type: 'select', options: c.towns, emptyOption: c.t('registry.fields.townAuto') };
  const address: FieldSpec = { prop: 'address', label: 'registry.fields.address', type: 'text' };
  switch (kind) {
    case 'construction-sites':
      return [
        name,
        { prop: 'status', label: 'registry.fields.status', type: 'select', options: ['planned', 'active', 'finished'].map((s) => ({ value: s, label: c.t(`registry.siteStatus.${s}`) })) },
        town,
        address,
      ];
    case 'disposal-sites':
      return [
        name,
        { prop: 'status', label: 'registry.fields.status', type: 'select', options: ['licensed', 'closed', 'illegal'].map((s) => ({ value: s, label: c.t(`registry.disposalStatus.${s}`) })) },
        town,
        address,
        { prop: 'capacityM3', label: 'registry.fields.capacityM3', type: 'number', min: 0, step: 1000 },
        { prop: 'washingFacility', label: 'registry.fields.washingFacility', type: 'switch' },
        { prop: 'dustControl', label: 'registry.fields.dustControl', type: 'switch' },
        { prop: 'distanceToHomesM', label: 'registry.fields.distanceToHomesM', type: 'number', min: 0, step: 50 },
        { prop: 'distanceToSchoolsM', label: 'registry.fields.distanceToSchoolsM', type: 'number', min: 0, step: 50 },
      ];
    case 'routes':
      return [
        name,
        { prop: 'corridorWidthM', label: 'registry.fields.corridorWidthM', type: 'number', required: true, min: 1, max: 2000, step: 10 },
        { prop: 'constructionSiteId', label: 'registry.fields.constructionSite', type: 'select', options: c.constructionSites, emptyOption: '—' },
        { prop: 'disposalSiteId', label: 'registry.fields.disposalSite', type: 'select', options: c.disposalSites, emptyOption: '—' },
      ];
    case 'speed-zones':
      return [
        name,
        { prop: 'limitKmh', label: 'registry.fields.limitKmh', type: 'number', required: true, min: 5, max: 120, step: 5 },
        ...(shape === 'Line' ? [{ prop: 'corridorWidthM', label: 'registry.fields.corridorWidthM', type: 'number', required: true, min: 1, max: 2000, step: 10 } as FieldSpec] : []),
      ];
  }
}

/** Message key of the kind's singular name. */
export const KIND_LABEL: Record<MapKind, string> = {
  'construction-sites': 'registry.pages.constructionSites',
  'disposal-sites': 'registry.pages.disposalSites',
  routes: 'registry.pages.routes',
  'speed-zones': 'registry.pages.speedZones',
};
