import type {
  ApprovedRoute,
  ApprovedRouteInput,
  ConstructionSite,
  ConstructionSiteInput,
  ConstructionSiteStatus,
  DisposalApproval,
  DisposalApprovalInput,
  DisposalSite,
  DisposalSiteInput,
  DisposalSiteStatus,
  IsoWeekday,
  SpeedZone,
  SpeedZoneInput,
  TerminalInput,
  TerminalProtocol,
  TerminalRecord,
  TimeWindowSchedule,
  TimeWindowScheduleInput,
  TransportCompany,
  TransportCompanyInput,
  TruckInput,
  TruckRecord,
} from '@muckwatch/contracts';
import type { LineString, Polygon } from 'geojson';
import { numberOrNull, textOrNull } from './registry-forms.js';

/**
 * Each resource's form model (what Element Plus inputs bind to: strings, numbers, booleans,
 * never undefined) and its mapping to and from the wire. Text inputs hold '' for nothing; the
 * wire has null.
 */

export interface CompanyForm {
  name: string;
  creditCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

export const companyForm = (r?: TransportCompany | null): CompanyForm => ({
  name: r?.name ?? '',
  creditCode: r?.creditCode ?? '',
  address: r?.address ?? '',
  contactName: r?.contactName ?? '',
  contactPhone: r?.contactPhone ?? '',
});

export const companyInput = (f: CompanyForm): TransportCompanyInput => ({
  name: f.name.trim(),
  creditCode: f.creditCode.trim().toUpperCase(),
  address: textOrNull(f.address),
  contactName: textOrNull(f.contactName),
  contactPhone: textOrNull(f.contactPhone),
});

export interface TruckForm {
  plate: string;
  companyId: string;
  model: string;
  ratedLoadT: number | null;
  sealed: boolean;
  sealingCertificateNo: string;
  sealedCertifiedOn: string;
  permitNo: string;
  permitValidFrom: string;
  permitValidTo: string;
}

export const truckForm = (r?: TruckRecord | null): TruckForm => ({
  plate: r?.plate ?? '',
  companyId: r?.companyId ?? '',
  model: r?.model ?? '',
  ratedLoadT: r?.ratedLoadT ?? null,
  sealed: r?.sealed ?? true,
  sealingCertificateNo: r?.sealingCertificateNo ?? '',
  sealedCertifiedOn: r?.sealedCertifiedOn ?? '',
  permitNo: r?.permitNo ?? '',
  permitValidFrom: r?.permitValidFrom ?? '',
  permitValidTo: r?.permitValidTo ?? '',
});

export const truckInput = (f: TruckForm): TruckInput => ({
  plate: f.plate.trim(),
  companyId: f.companyId,
  model: textOrNull(f.model),
  ratedLoadT: numberOrNull(f.ratedLoadT),
  sealed: f.sealed,
  sealingCertificateNo: textOrNull(f.sealingCertificateNo),
  sealedCertifiedOn: textOrNull(f.sealedCertifiedOn),
  permitNo: textOrNull(f.permitNo),
  permitValidFrom: textOrNull(f.permitValidFrom),
  permitValidTo: textOrNull(f.permitValidTo),
});

export interface TerminalForm {
  terminalId: string;
  sim: string;
  maker: string;
  model: string;
  protocol: TerminalProtocol;
  installedOn: string;
}

export const terminalForm = (r?: TerminalRecord | null): TerminalForm => ({
  terminalId: r?.terminalId ?? '',
  sim: r?.sim ?? '',
  maker: r?.maker ?? '',
  model: r?.model ?? '',
  protocol: r?.protocol ?? 'mqtt-v1',
  installedOn: r?.installedOn ?? '',
});

/** PATCH may not carry the terminal id (it is the record's id). */
export const terminalInput = (f: TerminalForm, creating: boolean): TerminalInput | Omit<TerminalInput, 'terminalId'> => {
  const rest = { sim: textOrNull(f.sim), maker: textOrNull(f.maker), model: textOrNull(f.model), protocol: f.protocol, installedOn: textOrNull(f.installedOn) };
  return creating ? { terminalId: f.terminalId.trim(), ...rest } : rest;
};

/** '' in a town select means: derive the town from the shape. */
export interface ConstructionSiteForm {
  name: string;
  townCode: string;
  address: string;
  status: ConstructionSiteStatus;
}

export const constructionSiteForm = (r?: ConstructionSite | null): ConstructionSiteForm => ({
  name: r?.name ?? '',
  townCode: r?.townCode ?? '',
  address: r?.address ?? '',
  status: r?.status ?? 'active',
});

export const constructionSiteInput = (f: ConstructionSiteForm, geometry: Polygon | null): Partial<ConstructionSiteInput> => ({
  name: f.name.trim(),
  townCode: textOrNull(f.townCode),
  address: textOrNull(f.address),
  status: f.status,
  ...(geometry ? { geometry } : {}),
});

export interface DisposalSiteForm {
  name: string;
  status: DisposalSiteStatus;
  townCode: string;
  address: string;
  capacityM3: number | null;
  washingFacility: boolean;
  dustControl: boolean;
  distanceToHomesM: number | null;
  distanceToSchoolsM: number | null;
}

export const disposalSiteForm = (r?: DisposalSite | null): DisposalSiteForm => ({
  name: r?.name ?? '',
  status: r?.status ?? 'licensed',
  townCode: r?.townCode ?? '',
  address: r?.address ?? '',
  capacityM3: r?.capacityM3 ?? null,
  washingFacility: r?.washingFacility ?? false,
  dustControl: r?.dustControl ?? false,
  distanceToHomesM: r?.distanceToHomesM ?? null,
  distanceToSchoolsM: r?.distanceToSchoolsM ?? null,
});

export const disposalSiteInput = (f: DisposalSiteForm, geometry: Polygon | null): Partial<DisposalSiteInput> => ({
  name: f.name.trim(),
  status: f.status,
  townCode: textOrNull(f.townCode),
  address: textOrNull(f.address),
  capacityM3: numberOrNull(f.capacityM3),
  washingFacility: f.washingFacility,
  dustControl: f.dustControl,
  distanceToHomesM: numberOrNull(f.distanceToHomesM),
  distanceToSchoolsM: numberOrNull(f.distanceToSchoolsM),
  ...(geometry ? { geometry } : {}),
});

export interface RouteForm {
  name: string;
  corridorWidthM: number | null;
  constructionSiteId: string;
  disposalSiteId: string;
}

export const routeForm = (r?: ApprovedRoute | null): RouteForm => ({
  name: r?.name ?? '',
  corridorWidthM: r?.corridorWidthM ?? 50,
  constructionSiteId: r?.constructionSiteId ?? '',
  disposalSiteId: r?.disposalSiteId ?? '',
});

export const routeInput = (f: RouteForm, geometry: LineString | null): Partial<ApprovedRouteInput> => ({
  name: f.name.trim(),
  corridorWidthM: numberOrNull(f.corridorWidthM) ?? 0,
  constructionSiteId: textOrNull(f.constructionSiteId),
  disposalSiteId: textOrNull(f.disposalSiteId),
  ...(geometry ? { geometry } : {}),
});

export interface SpeedZoneForm {
  name: string;
  limitKmh: number | null;
  corridorWidthM: number | null;
}

export const speedZoneForm = (r?: SpeedZone | null): SpeedZoneForm => ({
  name: r?.name ?? '',
  limitKmh: r?.limitKmh ?? 40,
  corridorWidthM: r?.corridorWidthM ?? null,
});

/** A polygon zone has no corridor width; a road zone needs one. */
export const speedZoneInput = (f: SpeedZoneForm, geometry: Polygon | LineString | null, shape: 'Polygon' | 'LineString'): Partial<SpeedZoneInput> => ({
  name: f.name.trim(),
  limitKmh: numberOrNull(f.limitKmh) ?? 0,
  corridorWidthM: shape === 'LineString' ? numberOrNull(f.corridorWidthM) : null,
  ...(geometry ? { geometry } : {}),
});

export interface ApprovalForm {
  number: string;
  constructionSiteId: string;
  companyId: string;
  /** [validFrom, validTo] from a date-range picker. */
  validity: [string, string] | null;
  truckIds: string[];
  disposalSiteIds: string[];
  routeIds: string[];
  timeWindowIds: string[];
}

export const approvalForm = (r?: DisposalApproval | null): ApprovalForm => ({
  number: r?.number ?? '',
  constructionSiteId: r?.constructionSiteId ?? '',
  companyId: r?.companyId ?? '',
  validity: r ? [r.validFrom, r.validTo] : null,
  truckIds: [...(r?.truckIds ?? [])],
  disposalSiteIds: [...(r?.disposalSiteIds ?? [])],
  routeIds: [...(r?.routeIds ?? [])],
  timeWindowIds: [...(r?.timeWindowIds ?? [])],
});

export const approvalInput = (f: ApprovalForm): DisposalApprovalInput => ({
  number: f.number.trim(),
  constructionSiteId: f.constructionSiteId,
  companyId: f.companyId,
  validFrom: f.validity?.[0] ?? '',
  validTo: f.validity?.[1] ?? '',
  truckIds: f.truckIds,
  disposalSiteIds: f.disposalSiteIds,
  routeIds: f.routeIds,
  timeWindowIds: f.timeWindowIds,
});

/** The API names `validFrom` / `validTo`; the form has one range picker for both. */
export const APPROVAL_FIELD_ALIASES: Record<string, string> = { validFrom: 'validity', validTo: 'validity' };

export interface WeeklyWindowForm {
  days: number[];
  start: string;
  end: string;
  crossesMidnight: boolean;
}

export interface ExceptionForm {
  date: string;
  kind: 'closed' | 'open';
  windows: Array<Omit<WeeklyWindowForm, 'days'>>;
  reason: string;
}

export interface TimeWindowForm {
  name: string;
  weekly: WeeklyWindowForm[];
  exceptions: ExceptionForm[];
}

export const timeWindowForm = (r?: TimeWindowSchedule | null): TimeWindowForm => ({
  name: r?.name ?? '',
  weekly: (r?.weekly ?? [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true }]).map((w) => ({
    days: [...w.days],
    start: w.start,
    end: w.end,
    crossesMidnight: w.crossesMidnight ?? false,
  })),
  exceptions: (r?.exceptions ?? []).map((e) => ({
    date: e.date,
    kind: e.kind,
    windows: (e.windows ?? []).map((w) => ({ start: w.start, end: w.end, crossesMidnight: w.crossesMidnight ?? false })),
    reason: e.reason,
  })),
});

export const timeWindowInput = (f: TimeWindowForm): TimeWindowScheduleInput => ({
  name: f.name.trim(),
  weekly: f.weekly.map((w) => ({
    days: [...w.days].sort((a, b) => a - b) as IsoWeekday[],
    start: w.start,
    end: w.end,
    crossesMidnight: w.crossesMidnight,
  })),
  exceptions: f.exceptions.map((e) => ({
    date: e.date,
    kind: e.kind,
    ...(e.kind === 'open' ? { windows: e.windows.map((w) => ({ start: w.start, end: w.end, crossesMidnight: w.crossesMidnight })) } : {}),
    reason: e.reason.trim(),
  })),
});

/** A window whose end is not after its start runs past midnight ('24:00' is the same day's end). */
export const endsNextDay = (start: string, end: string): boolean => end !== '24:00' && end <= start;
