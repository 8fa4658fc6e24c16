/**
 * The DEMO registry of Linzi: invented transport companies, trucks, terminals, construction
 * sites, disposal sites and approved routes, placed on the real district map. Nothing here is
 * real; every record is deterministic (same ids, same geometry on every run).
 */
import type { LineString, Polygon } from 'geojson';
import { DISTRICT_CODE } from '../district.js';
import { stableUuid } from '../stable-id.js';
import type { LonLat } from '../town-seeds.js';
import { makeUscc } from '../uscc.js';
import { gridRoute, keyedRandom, pathLengthM, siteOutline, yardOutline } from './geometry.js';

export interface DemoCompany {
  /** Stable UUID (v8, derived from `key`). */
  id: string;
  /** Human-readable stable key, e.g. 'company-01'. */
  key: string;
  name: string;
  /** Unified social credit code (统一社会信用代码), valid GB 32100-2015 check character. */
  uscc: string;
  address: string;
  phone: string;
}

export interface TransportPermit {
  /** 准运证 number. */
  number: string;
  /** Local dates (Asia/Shanghai), inclusive. */
  validFrom: string;
  validTo: string;
}

export interface DemoTruck {
  id: string;
  key: string;
  /**
   * Plate without the separator dot: '鲁CA1234' (fuel, yellow), '鲁C12345D' (new energy,
   * yellow-green: for large vehicles GA 36-2018 puts D/F last). Display as 鲁C·A1234.
   */
  plate: string;
  plateKind: 'fuel' | 'new-energy';
  companyId: string;
  model: string;
  ratedLoadT: number;
  /** Sealed body (密闭) certified; a few demo trucks are not, so the sealed rate is not 100 %. */
  sealed: boolean;
  sealingCertificateNo: string | null;
  /** 准运证: only for sealed trucks; null for the unsealed ones. Some demo permits have expired. */
  permit: TransportPermit | null;
  terminalId: string;
  /** The construction site the truck works for in the demo. */
  homeSiteId: string;
}

export interface DemoTerminal {
  /** Terminal id as used in MQTT topics: 12-digit JT/T 808 phone number. */
  id: string;
  truckId: string;
  simNo: string;
  vendor: string;
  model: string;
  installedOn: string;
  /** False for a terminal taken off its truck (in repair): the registry lists it unbound. */
  bound: boolean;
}

/** A weekly time-window schedule (local time, Asia/Shanghai), as libs/domain evaluates it. */
export interface DemoTimeWindowSchedule {
  id: string;
  key: string;
  name: string;
  weekly: Array<{ days: Array<1 | 2 | 3 | 4 | 5 | 6 | 7>; start: string; end: string; crossesMidnight: boolean }>;
  exceptions: Array<{ date: string; kind: 'closed' | 'open'; windows?: Array<{ start: string; end: string; crossesMidnight: boolean }>; reason: string }>;
}

/** A speed-limit zone: a polygon, or a road line with a corridor width. */
export interface DemoSpeedZone {
  id: string;
  key: string;
  name: string;
  limitKmh: number;
  geometry: Polygon | LineString;
  corridorWidthM: number | null;
}

export interface DemoDisposalApproval {
  /** 建筑垃圾处置核准 number. */
  number: string;
  validFrom: string;
  validTo: string;
  companyId: string;
  truckIds: string[];
  disposalSiteIds: string[];
  routeIds: string[];
  /** Ids of demoTimeWindows: urban sites run at night only (22:00–06:00), town sites round the clock. */
  timeWindowIds: string[];
}

export interface DemoConstructionSite {
  id: string;
  key: string;
  name: string;
  townCode: string;
  address: string;
  /** Finished sites no longer count in the approval rate. */
  status: 'active' | 'finished';
  /** WGS-84, counter-clockwise, 100–300 m across (largest vertex-to-vertex distance). */
  geometry: Polygon;
  /** Where trucks load: inside the polygon; the start of the site's route. */
  loadingPoint: LonLat;
  /** The site's approval; a few demo approvals have expired (sites without a valid approval). */
  approval: DemoDisposalApproval;
}

export type DisposalSiteStatus = 'licensed' | 'closed' | 'illegal';

export interface DemoDisposalSite {
  id: string;
  key: string;
  name: string;
  townCode: string;
  address: string;
  status: DisposalSiteStatus;
  capacityM3: number;
  /** WGS-84, counter-clockwise, 200–500 m across (largest vertex-to-vertex distance). */
  geometry: Polygon;
  /** Where trucks tip: inside the polygon; the end of routes to this site. */
  tippingPoint: LonLat;
  washingFacility: boolean;
  dustControl: boolean;
  distanceToHomesM: number;
  distanceToSchoolsM: number;
}

export interface DemoRoute {
  id: string;
  key: string;
  name: string;
  constructionSiteId: string;
  disposalSiteId: string;
  /** WGS-84 [lon, lat] from the site's loading point to the disposal site's tipping point. */
  path: LonLat[];
  /** Full width of the corridor: a truck is on the route within corridorWidthM / 2 of the line. */
  corridorWidthM: number;
  lengthM: number;
}

export interface DemoRegistry {
  /** Always true: invented data for demonstrations and tests, not a real registry. */
  demo: true;
  districtCode: string;
  description: string;
  companies: DemoCompany[];
  trucks: DemoTruck[];
  terminals: DemoTerminal[];
  constructionSites: DemoConstructionSite[];
  disposalSites: DemoDisposalSite[];
  routes: DemoRoute[];
  timeWindows: DemoTimeWindowSchedule[];
  speedZones: DemoSpeedZone[];
}

const VALID_FROM = '2026-01-01';
const VALID_TO = '2030-12-31';
/** Expired approvals and permits: the registry's rates are not all 100 %. */
const EXPIRED_FROM = '2025-01-01';
const EXPIRED_TO = '2025-12-31';
const FINISHED_TO = '2026-06-30';
const CORRIDOR_WIDTH_M = 200;

// --- companies -------------------------------------------------------------------------------
const companySeeds = [
  { name: '临淄区鑫达渣土运输有限公司', org: 'MA3C1K7R', address: '山东省淄博市临淄区稷下街道桓公路206号', phone: '0533-7186021' },
  { name: '淄博齐都建筑垃圾清运有限公司', org: 'MA3D4HX2', address: '山东省淄博市临淄区齐都镇齐都路88号', phone: '0533-7352217' },
  { name: '临淄区通顺土石方工程有限公司', org: 'MA3CQ9N5', address: '山东省淄博市临淄区凤凰镇大路南村东', phone: '0533-7493350' },
  { name: '淄博稷下环卫运输有限公司', org: 'MA3EB2W8', address: '山东省淄博市临淄区闻韶街道晏婴路317号', phone: '0533-7168742' },
  { name: '临淄区恒泰渣土运输有限公司', org: 'MA3F7T0L', address: '山东省淄博市临淄区金岭回族镇金岭一村', phone: '0533-7621905' },
];

export const demoCompanies: DemoCompany[] = companySeeds.map((c, i) => {
  const key = `company-${String(i + 1).padStart(2, '0')}`;
  return { id: stableUuid(key), key, name: c.name, uscc: makeUscc(DISTRICT_CODE, c.org), address: c.address, phone: c.phone };
});

// --- disposal sites --------------------------------------------------------------------------
interface DisposalSeed {
  name: string;
  townCode: string;
  address: string;
  status: DisposalSiteStatus;
  capacityM3: number;
  centre: LonLat;
  radiusEastM: number;
  radiusNorthM: number;
  washingFacility: boolean;
  dustControl: boolean;
  distanceToHomesM: number;
  distanceToSchoolsM: number;
}

const disposalSeeds: DisposalSeed[] = [
  { name: '临淄区凤凰镇建筑垃圾消纳场', townCode: '370305109', address: '临淄区凤凰镇西申村西', status: 'licensed', capacityM3: 600_000, centre: [118.215, 36.818], radiusEastM: 220, radiusNorthM: 160, washingFacility: true, dustControl: true, distanceToHomesM: 850, distanceToSchoolsM: 1_600 },
  { name: '临淄区齐陵街道建筑垃圾消纳场', townCode: '370305005', address: '临淄区齐陵街道南山村北', status: 'licensed', capacityM3: 450_000, centre: [118.41, 36.822], radiusEastM: 180, radiusNorthM: 200, washingFacility: true, dustControl: true, distanceToHomesM: 1_200, distanceToSchoolsM: 2_100 },
  { name: '临淄区敬仲镇建筑垃圾资源化利用中心', townCode: '370305103', address: '临淄区敬仲镇白兔丘北村东', status: 'licensed', capacityM3: 800_000, centre: [118.292, 36.935], radiusEastM: 240, radiusNorthM: 150, washingFacility: true, dustControl: true, distanceToHomesM: 700, distanceToSchoolsM: 1_300 },
  { name: '金山镇原采石坑消纳点（已关闭）', townCode: '370305111', address: '临淄区金山镇蜂山社区南', status: 'closed', capacityM3: 120_000, centre: [118.19, 36.69], radiusEastM: 140, radiusNorthM: 120, washingFacility: false, dustControl: false, distanceToHomesM: 400, distanceToSchoolsM: 900 },
  { name: '皇城镇锡腊村东私设倾倒点', townCode: '370305102', address: '临淄区皇城镇锡腊村东沟', status: 'illegal', capacityM3: 30_000, centre: [118.44, 36.94], radiusEastM: 125, radiusNorthM: 110, washingFacility: false, dustControl: false, distanceToHomesM: 150, distanceToSchoolsM: 600 },
];

export const demoDisposalSites: DemoDisposalSite[] = disposalSeeds.map((d, i) => {
  const key = `disposal-site-${String(i + 1).padStart(2, '0')}`;
  return {
    id: stableUuid(key),
    key,
    name: d.name,
    townCode: d.townCode,
    address: d.address,
    status: d.status,
    capacityM3: d.capacityM3,
    geometry: yardOutline(d.centre, d.radiusEastM, d.radiusNorthM, 8, key),
    tippingPoint: d.centre,
    washingFacility: d.washingFacility,
    dustControl: d.dustControl,
    distanceToHomesM: d.distanceToHomesM,
    distanceToSchoolsM: d.distanceToSchoolsM,
  };
});

// --- construction sites, their approvals and routes ------------------------------------------
interface SiteSeed {
  name: string;
  townCode: string;
  address: string;
  centre: LonLat;
  widthM: number;
  heightM: number;
  rotationDeg: number;
  company: number;
  disposal: number;
  /** The approval: valid (default), expired (the site runs without a valid approval), or the site is finished. */
  approval?: 'expired' | 'finished';
}

const siteSeeds: SiteSeed[] = [
  { name: '稷下街道齐悦花园二期项目工地', townCode: '370305004', address: '临淄区稷下街道孙娄西村南', centre: [118.338, 36.832], widthM: 230, heightM: 150, rotationDeg: 8, company: 0, disposal: 1 },
  { name: '闻韶街道太公苑片区改造项目工地', townCode: '370305001', address: '临淄区闻韶街道太公社区', centre: [118.296, 36.838], widthM: 200, heightM: 140, rotationDeg: -5, company: 0, disposal: 2 },
  { name: '雪宫街道齐国商城商业综合体项目工地', townCode: '370305002', address: '临淄区雪宫街道齐国商城社区', centre: [118.282, 36.8], widthM: 190, heightM: 130, rotationDeg: 12, company: 0, disposal: 0 },
  { name: '辛店街道牛山社区回迁安置房项目工地', townCode: '370305003', address: '临淄区辛店街道牛山社区', centre: [118.318, 36.808], widthM: 220, heightM: 170, rotationDeg: 0, company: 1, disposal: 1 },
  { name: '齐陵街道淄河东岸安置区一期项目工地', townCode: '370305005', address: '临淄区齐陵街道淄河村西', centre: [118.378, 36.806], widthM: 240, heightM: 150, rotationDeg: -10, company: 1, disposal: 1 },
  { name: '齐都镇中心小学迁建项目工地', townCode: '370305100', address: '临淄区齐都镇西关北村', centre: [118.33, 36.884], widthM: 170, heightM: 140, rotationDeg: 4, company: 2, disposal: 2 },
  { name: '皇城镇物流园仓储中心项目工地', townCode: '370305102', address: '临淄区皇城镇皇城村北', centre: [118.44, 36.905], widthM: 240, heightM: 170, rotationDeg: 0, company: 2, disposal: 1 },
  { name: '敬仲镇白兔丘村美丽乡村改造项目工地', townCode: '370305103', address: '临淄区敬仲镇白兔丘南村', centre: [118.275, 36.962], widthM: 150, heightM: 110, rotationDeg: 15, company: 2, disposal: 2 },
  { name: '朱台镇农贸市场改建项目工地', townCode: '370305104', address: '临淄区朱台镇朱台东村', centre: [118.185, 36.925], widthM: 140, heightM: 100, rotationDeg: -8, company: 3, disposal: 2 },
  { name: '金岭回族镇工业园厂房扩建项目工地', townCode: '370305107', address: '临淄区金岭回族镇金岭四村南', centre: [118.262, 36.752], widthM: 220, heightM: 160, rotationDeg: 6, company: 3, disposal: 0 },
  { name: '凤凰镇新型农村社区三期项目工地', townCode: '370305109', address: '临淄区凤凰镇大路北村', centre: [118.228, 36.846], widthM: 210, heightM: 150, rotationDeg: -3, company: 4, disposal: 0 },
  { name: '金山镇卫生院综合楼项目工地', townCode: '370305111', address: '临淄区金山镇象山社区', centre: [118.2, 36.735], widthM: 130, heightM: 90, rotationDeg: 20, company: 4, disposal: 0 },
  { name: '闻韶街道桓公路东延道路改造工程', townCode: '370305001', address: '临淄区闻韶街道桓公路东段', centre: [118.302, 36.828], widthM: 240, heightM: 90, rotationDeg: 2, company: 1, disposal: 0 },
  { name: '稷下街道稷下学宫文化园二期项目工地', townCode: '370305004', address: '临淄区稷下街道梧台村东', centre: [118.357, 36.842], widthM: 200, heightM: 160, rotationDeg: -6, company: 2, disposal: 1, approval: 'expired' },
  { name: '齐陵街道淄河滨水公园配套项目工地', townCode: '370305005', address: '临淄区齐陵街道淄河店村北', centre: [118.39, 36.816], widthM: 180, heightM: 120, rotationDeg: 10, company: 3, disposal: 1 },
  { name: '齐都镇齐故城遗址保护展示工程工地', townCode: '370305100', address: '临淄区齐都镇河崖头村', centre: [118.337, 36.896], widthM: 210, heightM: 150, rotationDeg: 0, company: 4, disposal: 2 },
  { name: '齐都镇永流社区改造项目工地', townCode: '370305100', address: '临淄区齐都镇永流村', centre: [118.347, 36.888], widthM: 160, heightM: 130, rotationDeg: -12, company: 0, disposal: 2 },
  { name: '皇城镇南卧石村污水管网工程工地', townCode: '370305102', address: '临淄区皇城镇南卧石村', centre: [118.428, 36.9], widthM: 200, heightM: 100, rotationDeg: 5, company: 1, disposal: 1 },
  { name: '皇城镇化工产业园标准厂房项目工地', townCode: '370305102', address: '临淄区皇城镇五路口村东', centre: [118.44, 36.894], widthM: 230, heightM: 160, rotationDeg: -4, company: 2, disposal: 1 },
  { name: '敬仲镇敬仲社区养老服务中心项目工地', townCode: '370305103', address: '临淄区敬仲镇敬仲村', centre: [118.285, 36.948], widthM: 150, heightM: 120, rotationDeg: 7, company: 3, disposal: 2 },
  { name: '敬仲镇王青村土地整理项目工地', townCode: '370305103', address: '临淄区敬仲镇王青村南', centre: [118.291, 36.958], widthM: 230, heightM: 160, rotationDeg: -15, company: 4, disposal: 2 },
  { name: '朱台镇高阳小学教学楼项目工地', townCode: '370305104', address: '临淄区朱台镇高阳村', centre: [118.205, 36.914], widthM: 140, heightM: 110, rotationDeg: 3, company: 0, disposal: 2, approval: 'expired' },
  { name: '朱台镇西单村农村公路改造工程工地', townCode: '370305104', address: '临淄区朱台镇西单村', centre: [118.211, 36.904], widthM: 220, heightM: 100, rotationDeg: 18, company: 1, disposal: 0 },
  { name: '金岭回族镇清真寺周边改造项目工地', townCode: '370305107', address: '临淄区金岭回族镇金岭二村', centre: [118.245, 36.773], widthM: 170, heightM: 130, rotationDeg: -9, company: 2, disposal: 0 },
  { name: '金岭回族镇铁路道口改造工程工地', townCode: '370305107', address: '临淄区金岭回族镇金岭四村西', centre: [118.231, 36.773], widthM: 190, heightM: 110, rotationDeg: 0, company: 3, disposal: 0 },
  { name: '凤凰镇刘家圈村安置楼项目工地', townCode: '370305109', address: '临淄区凤凰镇刘家圈村', centre: [118.221, 36.836], widthM: 200, heightM: 150, rotationDeg: 6, company: 4, disposal: 0 },
  { name: '凤凰镇东召口村幼儿园项目工地', townCode: '370305109', address: '临淄区凤凰镇东召口村', centre: [118.235, 36.836], widthM: 130, heightM: 100, rotationDeg: -3, company: 0, disposal: 0 },
  { name: '金山镇石鼓村矿山修复工程工地', townCode: '370305111', address: '临淄区金山镇石鼓村', centre: [118.177, 36.711], widthM: 230, heightM: 170, rotationDeg: 12, company: 1, disposal: 0, approval: 'expired' },
  { name: '齐鲁石化厂区管廊改造工程工地', townCode: 'E37030501', address: '临淄区齐鲁石化厂区东路', centre: [118.319, 36.787], widthM: 200, heightM: 120, rotationDeg: 0, company: 2, disposal: 1 },
  { name: '十化建机械化公司库房拆除工程工地', townCode: 'E37030502', address: '临淄区十化建厂区北', centre: [118.343, 36.791], widthM: 150, heightM: 110, rotationDeg: 4, company: 3, disposal: 1, approval: 'finished' },
];

const siteKeys = siteSeeds.map((_, i) => `construction-site-${String(i + 1).padStart(2, '0')}`);

export const demoRoutes: DemoRoute[] = siteSeeds.map((s, i) => {
  const disposal = demoDisposalSites[s.disposal]!;
  const key = `route-${String(i + 1).padStart(2, '0')}`;
  const path = gridRoute(s.centre, disposal.tippingPoint, key);
  return {
    id: stableUuid(key),
    key,
    name: `${s.name.replace(/项目工地$/, '')} → ${disposal.name}`,
    constructionSiteId: stableUuid(siteKeys[i]!),
    disposalSiteId: disposal.id,
    path,
    corridorWidthM: CORRIDOR_WIDTH_M,
    lengthM: Math.round(pathLengthM(path)),
  };
});

// --- trucks and terminals --------------------------------------------------------------------
const TRUCKS_PER_COMPANY = 10;
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const fuelModels = [
  { model: '中国重汽豪沃T5G 8×4自卸车', ratedLoadT: 25 },
  { model: '陕汽德龙X3000 8×4自卸车', ratedLoadT: 31 },
  { model: '一汽解放J6P 8×4自卸车', ratedLoadT: 28 },
  { model: '中国重汽汕德卡C7H 6×4自卸车', ratedLoadT: 18 },
  { model: '东风天龙KC 8×4自卸车', ratedLoadT: 22 },
];
const electricModels = [
  { model: '三一SY3310纯电动自卸车', ratedLoadT: 24, suffix: 'D' },
  { model: '宇通YTZ3311插电混动自卸车', ratedLoadT: 26, suffix: 'F' },
];

export const demoTrucks: DemoTruck[] = [];
export const demoTerminals: DemoTerminal[] = [];
const plates = new Set<string>();
const random = keyedRandom('demo-trucks');

/** Permits that ran out before the demo's present: trucks without a valid transport permit. */
const EXPIRED_PERMIT_TRUCKS = new Set([5, 17, 29, 41]);
/** Trucks registered after the first 50: two of them are not (yet) sealed and hold no permit. */
const EXTRA_TRUCKS = 6;
const UNSEALED_TRUCKS = new Set([55, 56]);
/** Trucks whose terminal is off in repair (unbound in the registry): the installation rate is not 100 %. */
const UNBOUND_TERMINAL_TRUCKS = new Set([56]);

function addTruck(n: number, c: number, k: number): void {
  const companySites = siteSeeds.map((s, i) => ({ s, i })).filter(({ s }) => s.company === c);
  const key = `truck-${String(n).padStart(3, '0')}`;
  const newEnergy = n % 6 === 0;
  let plate: string;
  let model: { model: string; ratedLoadT: number };
  do {
    const digits = String(Math.floor(random() * 100_000)).padStart(5, '0');
    if (newEnergy) {
      const e = electricModels[n % electricModels.length]!;
      model = e;
      plate = `鲁C${digits}${e.suffix}`;
    } else {
      model = fuelModels[Math.floor(random() * fuelModels.length)]!;
      plate = `鲁C${PLATE_LETTERS[Math.floor(random() * PLATE_LETTERS.length)]}${digits.slice(1)}`;
    }
  } while (plates.has(plate));
  plates.add(plate);
  const terminalId = `01380533${String(n).padStart(4, '0')}`;
  const truckId = stableUuid(key);
  const home = companySites[k % companySites.length]!;
  const sealed = !UNSEALED_TRUCKS.has(n);
  demoTrucks.push({
    id: truckId,
    key,
    plate,
    plateKind: newEnergy ? 'new-energy' : 'fuel',
    companyId: demoCompanies[c]!.id,
    model: model.model,
    ratedLoadT: model.ratedLoadT,
    sealed,
    sealingCertificateNo: sealed ? `LZMB-2026-${String(n).padStart(4, '0')}` : null,
    permit: sealed
      ? {
          number: `临淄渣准字（2026）第${String(n).padStart(4, '0')}号`,
          validFrom: EXPIRED_PERMIT_TRUCKS.has(n) ? EXPIRED_FROM : VALID_FROM,
          validTo: EXPIRED_PERMIT_TRUCKS.has(n) ? EXPIRED_TO : VALID_TO,
        }
      : null,
    terminalId,
    homeSiteId: stableUuid(siteKeys[home.i]!),
  });
  demoTerminals.push({
    id: terminalId,
    truckId,
    simNo: terminalId.slice(1),
    vendor: n % 2 === 0 ? '深圳市锐明技术股份有限公司' : '厦门雅迅网络股份有限公司',
    model: n % 2 === 0 ? 'MT5-ZT' : 'YX-808M',
    installedOn: '2026-01-15',
    bound: !UNBOUND_TERMINAL_TRUCKS.has(n),
  });
}

for (let c = 0; c < demoCompanies.length; c++) {
  for (let k = 0; k < TRUCKS_PER_COMPANY; k++) addTruck(c * TRUCKS_PER_COMPANY + k + 1, c, k);
}
for (let e = 0; e < EXTRA_TRUCKS; e++) {
  const c = e % demoCompanies.length;
  addTruck(demoCompanies.length * TRUCKS_PER_COMPANY + e + 1, c, TRUCKS_PER_COMPANY + Math.floor(e / demoCompanies.length));
}

// --- time windows and speed-limit zones ------------------------------------------------------
export const demoTimeWindows: DemoTimeWindowSchedule[] = [
  {
    id: stableUuid('time-window-01'),
    key: 'time-window-01',
    name: '城区夜间运输（22:00–次日06:00）',
    weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true }],
    exceptions: [
      { date: '2026-12-15', kind: 'closed', reason: '重污染天气橙色预警（演示）' },
      { date: '2027-02-06', kind: 'closed', reason: '春节假期停运（演示）' },
    ],
  },
  {
    id: stableUuid('time-window-02'),
    key: 'time-window-02',
    name: '乡镇日间运输（06:00–22:00）',
    weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '06:00', end: '22:00', crossesMidnight: false }],
    exceptions: [{ date: '2026-12-15', kind: 'closed', reason: '重污染天气橙色预警（演示）' }],
  },
];

const [nightWindow, dayWindow] = demoTimeWindows as [DemoTimeWindowSchedule, DemoTimeWindowSchedule];

function rectangle([west, south]: LonLat, [east, north]: LonLat): Polygon {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

export const demoSpeedZones: DemoSpeedZone[] = [
  { id: stableUuid('speed-zone-01'), key: 'speed-zone-01', name: '城区限速区', limitKmh: 40, geometry: rectangle([118.28, 36.795], [118.345, 36.845]), corridorWidthM: null },
  { id: stableUuid('speed-zone-02'), key: 'speed-zone-02', name: '齐都镇中心小学周边限速区', limitKmh: 30, geometry: rectangle([118.325, 36.88], [118.336, 36.889]), corridorWidthM: null },
  {
    id: stableUuid('speed-zone-03'),
    key: 'speed-zone-03',
    name: '临淄大道（辛店段）',
    limitKmh: 50,
    geometry: { type: 'LineString', coordinates: [[118.27, 36.812], [118.3, 36.813], [118.33, 36.814], [118.36, 36.815]] },
    corridorWidthM: 40,
  },
];

// --- construction sites and their approvals --------------------------------------------------
export const demoConstructionSites: DemoConstructionSite[] = siteSeeds.map((s, i) => {
  const key = siteKeys[i]!;
  const id = stableUuid(key);
  const route = demoRoutes[i]!;
  const urban = s.townCode.startsWith('3703050') || s.townCode.startsWith('E');
  return {
    id,
    key,
    name: s.name,
    townCode: s.townCode,
    address: s.address,
    status: s.approval === 'finished' ? 'finished' : 'active',
    geometry: siteOutline(s.centre, s.widthM, s.heightM, s.rotationDeg),
    loadingPoint: s.centre,
    approval: {
      number: `临淄建垃核字（${s.approval ? '2025' : '2026'}）第${String(i + 1).padStart(3, '0')}号`,
      validFrom: s.approval ? EXPIRED_FROM : VALID_FROM,
      validTo: s.approval === 'finished' ? FINISHED_TO : s.approval === 'expired' ? EXPIRED_TO : VALID_TO,
      companyId: demoCompanies[s.company]!.id,
      truckIds: demoTrucks.filter((t) => t.homeSiteId === id).map((t) => t.id),
      disposalSiteIds: [route.disposalSiteId],
      routeIds: [route.id],
      timeWindowIds: urban ? [nightWindow.id] : [nightWindow.id, dayWindow.id],
    },
  };
});

/** Everything above in one object, flagged as demo data. */
export const demoRegistry: DemoRegistry = {
  demo: true,
  districtCode: DISTRICT_CODE,
  description:
    'DEMO DATA, NOT REAL: invented companies, trucks, terminals, sites, approvals, routes, time windows and speed zones placed on the real map of 临淄区 for demonstrations and tests.',
  companies: demoCompanies,
  trucks: demoTrucks,
  terminals: demoTerminals,
  constructionSites: demoConstructionSites,
  disposalSites: demoDisposalSites,
  routes: demoRoutes,
  timeWindows: demoTimeWindows,
  speedZones: demoSpeedZones,
};
