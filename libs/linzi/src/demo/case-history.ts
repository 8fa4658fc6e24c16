/**
 * A month of handled violation cases for the demo (SEED_DEMO only): so that a dispatcher who opens
 * the violations page, an officer's inbox or the departments' handling times on a fresh demo sees
 * a working office, not an empty table. Deterministic for a given `nowMs` (rounded to the hour),
 * consistent with the demo registry (real demo trucks, routes, sites and towns) and with the case
 * workflow (every state reached by the transitions that lead to it, in time order).
 *
 * Invented data, flagged as demo by where it comes from; never seeded without SEED_DEMO.
 */
import type { LonLat } from '../town-seeds.js';
import { keyedRandom, offsetMetres } from './geometry.js';
import { demoRegistry, type DemoRoute, type DemoTruck } from './registry.js';

export type DemoCaseState = 'new' | 'confirmed' | 'dismissed' | 'assigned' | 'handled' | 'returned' | 'closed';
export type DemoCaseAction = 'confirm' | 'dismiss' | 'assign' | 'handle' | 'return' | 'close' | 'comment';

export interface DemoCaseEvent {
  atMs: number;
  action: DemoCaseAction;
  fromState: DemoCaseState;
  toState: DemoCaseState;
  /** Demo account usernames (dispatcher, enforcement). */
  actorUsername: string;
  actorRole: 'dispatcher' | 'enforcement_officer';
  comment: string | null;
  dismissReason: string | null;
  departmentCode: string | null;
  deadlineMs: number | null;
  outcome: Record<string, string | number | null> | null;
}

export interface DemoCase {
  /** The engine's id shape: `{terminalId}/{type}/{startMs}`. */
  id: string;
  type: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  terminalId: string;
  truckId: string;
  plate: string;
  startedAtMs: number;
  endedAtMs: number;
  start: LonLat;
  end: LonLat;
  townCode: string;
  subjectId: string | null;
  /** The trip the case happened on, when the seed knows it (the engine's `trip_id`). */
  tripId?: string | null;
  params: Record<string, number | string>;
  reasons: Array<{ code: string; detail: string; params: Record<string, string | number> }>;
  peak: number | null;
  /** Evidence track: a fix every 20 s from start to end. */
  evidence: Array<{ atMs: number; lon: number; lat: number; speedKmh: number }>;
  caseState: DemoCaseState;
  departmentCode: string | null;
  deadlineMs: number | null;
  dismissReason: string | null;
  outcome: Record<string, string | number | null> | null;
  events: DemoCaseEvent[];
}

/** The seeded departments (codes) by what they enforce. */
export const DEMO_DEPARTMENT_BY_TYPE: Readonly<Record<string, string>> = {
  illegal_dumping: 'urban-management',
  undesignated_disposal: 'urban-management',
  unsealed_transport: 'urban-management',
  overspeed: 'traffic-police',
  overload: 'traffic-police',
  off_route: 'traffic-police',
  outside_time_window: 'traffic-police',
  unlicensed_transport: 'transport',
  suspected_tampering: 'transport',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface TypeSpec {
  type: string;
  severity: DemoCase['severity'];
  minutes: [number, number];
  speedKmh: [number, number];
  offRouteM: number;
  build(truck: DemoTruck, route: DemoRoute, r: () => number): Pick<DemoCase, 'params' | 'reasons' | 'peak' | 'subjectId'>;
}

const SPECS: TypeSpec[] = [
  {
    type: 'overspeed', severity: 'medium', minutes: [1, 4], speedKmh: [62, 78], offRouteM: 0,
    build: (_t, _route, r) => {
      const speed = Math.round(62 + r() * 16);
      return { params: { graceMs: 30_000, limitKmh: 50 }, peak: speed, subjectId: null, reasons: [{ code: 'above-limit', detail: `${speed} km/h where the limit is 50 km/h (default)`, params: { speedKmh: speed, limitKmh: 50, source: 'default' } }] };
    },
  },
  {
    type: 'unsealed_transport', severity: 'high', minutes: [3, 12], speedKmh: [25, 45], offRouteM: 0,
    build: (_t, _route, r) => {
      const speed = Math.round(25 + r() * 20);
      return { params: { unsealedGraceMs: 60_000, movingSpeedKmh: 5 }, peak: null, subjectId: null, reasons: [{ code: 'cover-open', detail: `cover open while loaded at ${speed} km/h`, params: { speedKmh: speed } }] };
    },
  },
  {
    type: 'off_route', severity: 'medium', minutes: [4, 15], speedKmh: [20, 40], offRouteM: 600,
    build: (_t, route, r) => {
      const distance = Math.round(250 + r() * 700);
      return { params: { corridorWidthM: route.corridorWidthM }, peak: distance, subjectId: route.id, reasons: [{ code: 'outside-corridor', detail: `${distance} m outside the corridor of ${route.name}`, params: { distanceM: distance, routes: route.name } }] };
    },
  },
  {
    type: 'overload', severity: 'high', minutes: [10, 40], speedKmh: [20, 40], offRouteM: 0,
    build: (truck, _route, r) => {
      const load = Math.round((truck.ratedLoadT * (1.12 + r() * 0.3)) * 10) / 10;
      const limit = Math.round(truck.ratedLoadT * 1.05 * 100) / 100;
      return { params: { overloadTolerance: 0.05 }, peak: load, subjectId: null, reasons: [{ code: 'above-rated-load', detail: `${load} t on a truck rated ${truck.ratedLoadT} t (limit ${limit} t)`, params: { loadT: load, ratedT: truck.ratedLoadT, limitT: limit } }] };
    },
  },
  {
    type: 'illegal_dumping', severity: 'critical', minutes: [3, 8], speedKmh: [0, 3], offRouteM: 900,
    build: () => ({ params: { stopMinMs: 120_000 }, peak: null, subjectId: null, reasons: [{ code: 'outside-disposal-sites', detail: 'tipped outside every licensed disposal site', params: {} }] }),
  },
  {
    type: 'outside_time_window', severity: 'low', minutes: [15, 50], speedKmh: [25, 45], offRouteM: 0,
    build: (_t, _route, r) => {
      const time = `${String(7 + Math.floor(r() * 10)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`;
      return { params: {}, peak: null, subjectId: null, reasons: [{ code: 'outside-windows', detail: `running at ${time} outside 城区夜间运输时段`, params: { localTime: time, schedules: '城区夜间运输时段' } }] };
    },
  },
  {
    type: 'unlicensed_transport', severity: 'critical', minutes: [20, 60], speedKmh: [25, 45], offRouteM: 0,
    build: (truck) => ({ params: {}, peak: null, subjectId: null, reasons: [{ code: 'no-permit', detail: `${truck.plate} has no transport permit`, params: { plate: truck.plate } }] }),
  },
];

const COMMENTS = {
  confirm: ['轨迹与视频核实无误', '已电话核实驾驶员', null],
  returnReason: ['处置结果缺少处罚决定书扫描件，请补充', '整改照片不清晰，请重新上传'],
  rectification: ['责令企业对车辆密闭装置进行维修，3 日内复查', '责令清理倾倒点并恢复原状', '对驾驶员进行安全教育并签订承诺书'],
};

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)]!;
}

/** A point a fraction of the way along a path. */
function along(path: readonly LonLat[], fraction: number): LonLat {
  const index = Math.min(path.length - 2, Math.max(0, Math.floor(fraction * (path.length - 1))));
  const local = fraction * (path.length - 1) - index;
  const [a, b] = [path[index]!, path[index + 1]!];
  return [a[0] + (b[0] - a[0]) * Math.min(1, local), a[1] + (b[1] - a[1]) * Math.min(1, local)];
}

/**
 * `count` cases over the 30 days before `nowMs`, oldest first. The older a case, the further along
 * the workflow it usually is; the last day's are mostly new.
 */
export function demoCaseHistory(nowMs: number, count = 48): DemoCase[] {
  const registry = demoRegistry;
  const r = keyedRandom('demo-case-history');
  const end = Math.floor(nowMs / HOUR) * HOUR;
  const trucks = registry.trucks.filter((t) => registry.terminals.some((x) => x.id === t.terminalId && x.bound));
  const cases: DemoCase[] = [];
  for (let i = 0; i < count; i++) {
    const ageDays = 30 * ((count - i) / count) ** 1.6 * (0.85 + r() * 0.15);
    const startedAtMs = end - Math.round(ageDays * DAY) - Math.floor(r() * 6) * HOUR;
    const spec = SPECS[i % SPECS.length]!;
    const truck = spec.type === 'unlicensed_transport' ? (trucks.find((t) => t.permit === null || t.permit.validTo < '2026-01-01') ?? pick(trucks, r)) : pick(trucks, r);
    const site = registry.constructionSites.find((s) => s.id === truck.homeSiteId) ?? registry.constructionSites[0]!;
    const route = registry.routes.find((x) => x.constructionSiteId === site.id) ?? registry.routes[0]!;
    const minutes = spec.minutes[0] + r() * (spec.minutes[1] - spec.minutes[0]);
    const endedAtMs = startedAtMs + Math.round(minutes * 60_000);
    const fraction = 0.1 + r() * 0.25;
    const start = offsetMetres(along(route.path, fraction), spec.offRouteM, spec.offRouteM / 2);
    const evidence: DemoCase['evidence'] = [];
    for (let at = startedAtMs; at <= endedAtMs; at += 20_000) {
      const progress = (at - startedAtMs) / Math.max(1, endedAtMs - startedAtMs);
      const moving = spec.speedKmh[1] > 5;
      const [lon, lat] = moving ? offsetMetres(along(route.path, fraction + progress * 0.08), spec.offRouteM, spec.offRouteM / 2) : offsetMetres(start, r() * 4, r() * 4);
      evidence.push({ atMs: at, lon, lat, speedKmh: Math.round(spec.speedKmh[0] + r() * (spec.speedKmh[1] - spec.speedKmh[0])) });
    }
    const last = evidence[evidence.length - 1]!;
    const built = spec.build(truck, route, r);
    const demoCase: DemoCase = {
      id: `${truck.terminalId}/${spec.type}/${startedAtMs}`,
      type: spec.type,
      severity: spec.severity,
      terminalId: truck.terminalId,
      truckId: truck.id,
      plate: truck.plate,
      startedAtMs,
      endedAtMs,
      start,
      end: [last.lon, last.lat],
      townCode: site.townCode,
      ...built,
      evidence,
      caseState: 'new',
      departmentCode: null,
      deadlineMs: null,
      dismissReason: null,
      outcome: null,
      events: [],
    };
    walkWorkflow(demoCase, ageDays, end, r);
    cases.push(demoCase);
  }
  return cases;
}

/** Moves the case along the workflow as far as its age suggests, recording each step. */
function walkWorkflow(c: DemoCase, ageDays: number, nowMs: number, r: () => number): void {
  let at = c.endedAtMs;
  const step = (hours: number): number => (at = Math.min(nowMs - 60_000, at + Math.round(hours * HOUR * (0.5 + r()))));
  const event = (action: DemoCaseAction, toState: DemoCaseState, fields: Partial<DemoCaseEvent> = {}): void => {
    const officer = action === 'handle';
    c.events.push({
      atMs: at,
      action,
      fromState: c.caseState,
      toState,
      actorUsername: officer ? 'enforcement' : 'dispatcher',
      actorRole: officer ? 'enforcement_officer' : 'dispatcher',
      comment: null,
      dismissReason: null,
      departmentCode: null,
      deadlineMs: null,
      outcome: null,
      ...fields,
    });
    c.caseState = toState;
  };
  const roll = r();
  if (ageDays < 1.5 && roll < 0.85) return; // still new
  if (roll < 0.12) {
    step(2);
    const reason = pick(['gps_drift', 'duplicate', 'approved_exception', 'test_device'] as const, r);
    c.dismissReason = reason;
    event('dismiss', 'dismissed', { dismissReason: reason, comment: reason === 'approved_exception' ? '经渣土办批准的夜间应急抢修运输' : null });
    return;
  }
  step(1.5);
  event('confirm', 'confirmed', { comment: pick(COMMENTS.confirm, r) });
  if (ageDays < 3 && r() < 0.5) return;
  const department = DEMO_DEPARTMENT_BY_TYPE[c.type] ?? 'urban-management';
  step(1);
  const deadlineMs = at + 72 * HOUR;
  c.departmentCode = department;
  c.deadlineMs = deadlineMs;
  event('assign', 'assigned', { departmentCode: department, deadlineMs, comment: '请于期限内依法处置并反馈结果' });
  // Some stay with the department; a few of those are past their deadline by now.
  if (ageDays < 6 && r() < 0.6) return;
  if (r() < 0.15) return;
  step(30);
  const outcome = outcomeFor(c, r);
  c.outcome = outcome;
  event('handle', 'handled', { outcome, comment: '已按规定处置' });
  if (ageDays > 8 && r() < 0.25) {
    step(6);
    event('return', 'returned', { comment: pick(COMMENTS.returnReason, r) });
    step(20);
    event('handle', 'handled', { outcome, comment: '已补充材料' });
  }
  if (ageDays < 10 && r() < 0.4) return;
  step(8);
  event('close', 'closed', { comment: '处置结果已核实，予以办结' });
}

function outcomeFor(c: DemoCase, r: () => number): Record<string, string | number | null> {
  const n = String(Math.floor(r() * 9000) + 1000);
  if (c.type === 'overspeed' || c.type === 'overload' || c.type === 'unlicensed_transport' || r() < 0.5) {
    const traffic = c.departmentCode === 'traffic-police';
    return {
      kind: 'penalty',
      decisionNumber: traffic ? `淄公交决字〔2026〕第${n}号` : `临综执罚决字〔2026〕第${n}号`,
      amountYuan: c.type === 'illegal_dumping' ? 20_000 : c.type === 'overload' ? 2_000 : 500,
      penaltyPoints: c.type === 'overspeed' ? 3 : c.type === 'overload' ? 6 : null,
      rectification: null,
      noCaseReason: null,
    };
  }
  return { kind: 'rectification', decisionNumber: null, amountYuan: null, penaltyPoints: null, rectification: pick(COMMENTS.rectification, r), noCaseReason: null };
}
