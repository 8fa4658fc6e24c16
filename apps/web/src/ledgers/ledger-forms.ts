import type { Point, Polygon } from 'geojson';
import type {
  CollectionPoint,
  CollectionPointInput,
  CollectionPointPatch,
  CollectionRequestInput,
  Finding,
  FindingInput,
  FindingPatch,
  FinderLevel,
  FindingKind,
  LandNature,
  RequesterKind,
  WastePile,
  WastePileInput,
  WastePilePatch,
} from '@muckwatch/contracts';
import { textOrNull } from '../registry/registry-forms.js';

/** The ledger dialogs' forms and the bodies they send (create: the input; edit: only what changed, with the version). */

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `next` that differ from `before` (geometry compared by value). */
function changedFields<T extends object>(next: T, before: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) if (!sameJson(next[key], before[key] ?? null)) out[key] = next[key];
  return out;
}

// ---- Waste piles --------------------------------------------------------------------------------

export interface PileForm {
  townCode: string;
  name: string;
  landNature: LandNature | '';
  volumeM3: number | null;
  responsibleParty: string;
  governancePlan: string;
  /** yyyy-mm-dd or '' */
  deadline: string;
  geometry: Point | Polygon | null;
}

export function pileFormOf(pile: WastePile | null): PileForm {
  return {
    townCode: pile?.townCode ?? '',
    name: pile?.name ?? '',
    landNature: pile?.landNature ?? '',
    volumeM3: pile?.volumeM3 ?? null,
    responsibleParty: pile?.responsibleParty ?? '',
    governancePlan: pile?.governancePlan ?? '',
    deadline: pile?.deadline ?? '',
    geometry: pile?.geometry ?? null,
  };
}

function pileFields(form: PileForm): Omit<WastePileInput, 'townCode'> {
  return {
    name: form.name.trim(),
    geometry: form.geometry!,
    landNature: form.landNature as LandNature,
    volumeM3: form.volumeM3 ?? 0,
    responsibleParty: textOrNull(form.responsibleParty),
    governancePlan: textOrNull(form.governancePlan),
    deadline: textOrNull(form.deadline),
  };
}

/** A new pile: a town official's own town is the server's to fill in; the muck office names it. */
export function pileInputOf(form: PileForm, ownTown: string | null): WastePileInput {
  return { ...(ownTown ? {} : { townCode: form.townCode }), ...pileFields(form) };
}

export function pilePatchOf(form: PileForm, pile: WastePile): WastePilePatch {
  return { ...changedFields(pileFields(form), pile), version: pile.version };
}

// ---- Findings -----------------------------------------------------------------------------------

export interface FindingForm {
  kind: FindingKind | '';
  location: Point | null;
  /** ISO instant */
  foundAt: string;
  areaM2: number | null;
  description: string;
  finder: FinderLevel;
  deadline: string;
}

export function findingFormOf(finding: Finding | null, nowIso: string, ownTown: string | null): FindingForm {
  return {
    kind: finding?.kind ?? '',
    location: finding?.location ?? null,
    foundAt: finding?.foundAt ?? nowIso,
    areaM2: finding?.areaM2 ?? null,
    description: finding?.description ?? '',
    finder: finding?.finder ?? (ownTown ? 'town' : 'district'),
    deadline: finding?.deadline ?? '',
  };
}

/** Area only means something for road pollution; other kinds send null. */
function findingFields(form: FindingForm): Omit<FindingInput, 'finder'> {
  return {
    kind: form.kind as FindingKind,
    location: form.location!,
    foundAt: form.foundAt,
    areaM2: form.kind === 'road_pollution' ? form.areaM2 : null,
    description: textOrNull(form.description),
    deadline: textOrNull(form.deadline),
  };
}

/** A town official always records `town` (the server insists); the muck office chooses. */
export function findingInputOf(form: FindingForm, ownTown: string | null): FindingInput {
  return { ...findingFields(form), finder: ownTown ? 'town' : form.finder };
}

export function findingPatchOf(form: FindingForm, finding: Finding): FindingPatch {
  return { ...changedFields(findingFields(form), finding), version: finding.version };
}

// ---- Collection points --------------------------------------------------------------------------

export interface PointForm {
  townCode: string;
  villageCode: string;
  name: string;
  location: Point | null;
  radiusM: number | null;
  active: boolean;
}

export const DEFAULT_RADIUS_M = 50;

export function pointFormOf(point: CollectionPoint | null, ownTown: string | null): PointForm {
  return {
    townCode: point?.townCode ?? ownTown ?? '',
    villageCode: point?.villageCode ?? '',
    name: point?.name ?? '',
    location: point?.location ?? null,
    radiusM: point?.radiusM ?? DEFAULT_RADIUS_M,
    active: point?.active ?? true,
  };
}

function pointFields(form: PointForm): Omit<CollectionPointInput, 'townCode'> {
  return {
    villageCode: textOrNull(form.villageCode),
    name: form.name.trim(),
    location: form.location!,
    radiusM: form.radiusM ?? DEFAULT_RADIUS_M,
    active: form.active,
  };
}

export function pointInputOf(form: PointForm, ownTown: string | null): CollectionPointInput {
  return { ...(ownTown ? {} : { townCode: form.townCode }), ...pointFields(form) };
}

export function pointPatchOf(form: PointForm, point: CollectionPoint): CollectionPointPatch {
  return { ...changedFields(pointFields(form), point), version: point.version };
}

// ---- Collection requests ------------------------------------------------------------------------

export interface RequestForm {
  townCode: string;
  requesterKind: RequesterKind;
  requesterName: string;
  contact: string;
  villageCode: string;
  collectionPointId: string;
  /** Used only without a collection point. */
  location: Point | null;
  volumeM3: number | null;
}

export function requestFormOf(ownTown: string | null): RequestForm {
  return { townCode: ownTown ?? '', requesterKind: 'village', requesterName: '', contact: '', villageCode: '', collectionPointId: '', location: null, volumeM3: null };
}

/** Either a collection point or a place of its own; null when neither is given. */
export function requestInputOf(form: RequestForm, ownTown: string | null): CollectionRequestInput | null {
  const pointId = textOrNull(form.collectionPointId);
  if (!pointId && !form.location) return null;
  return {
    ...(ownTown ? {} : { townCode: form.townCode }),
    requesterKind: form.requesterKind,
    requesterName: form.requesterName.trim(),
    contact: textOrNull(form.contact),
    villageCode: textOrNull(form.villageCode),
    ...(pointId ? { collectionPointId: pointId } : { location: form.location }),
    volumeM3: form.volumeM3 ?? 0,
  };
}
