import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { districtBoundary } from '../district.js';
import { towns } from '../towns.js';
import { isValidUscc } from '../uscc.js';
import { demoRegistry } from './registry.js';

const { companies, trucks, terminals, constructionSites, disposalSites, routes } = demoRegistry;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function townAt(point: number[]): string | undefined {
  return towns.find((t) => turf.booleanPointInPolygon(point, turf.feature(t.geometry)))?.code;
}

/** Largest distance between two vertices. */
function acrossM(geometry: Polygon): number {
  const ring = geometry.coordinates[0]!;
  let max = 0;
  for (const a of ring) for (const b of ring) max = Math.max(max, turf.distance(a, b, { units: 'meters' }));
  return max;
}

/** Vertices where the path turns by more than 30°. */
function bends(path: number[][]): number {
  let count = 0;
  for (let i = 1; i < path.length - 1; i++) {
    const turn = Math.abs(((turf.bearing(path[i]!, path[i + 1]!) - turf.bearing(path[i - 1]!, path[i]!) + 540) % 360) - 180);
    if (turn > 30) count++;
  }
  return count;
}

function expectValidPolygon(geometry: Polygon, label: string): void {
  const ring = geometry.coordinates[0]!;
  expect(ring[0], label).toEqual(ring[ring.length - 1]);
  expect(turf.booleanClockwise(ring), `${label} must be counter-clockwise`).toBe(false);
  expect(turf.kinks(turf.feature(geometry)).features, `${label} self-intersects`).toHaveLength(0);
  for (const vertex of ring) expect(turf.booleanPointInPolygon(vertex, districtBoundary), `${label} leaves the district`).toBe(true);
}

describe('demo registry of Linzi', () => {
  it('says it is demo data', () => {
    expect(demoRegistry.demo).toBe(true);
    expect(demoRegistry.description).toMatch(/DEMO/);
  });

  it('has stable UUIDs, unique across all records', () => {
    const all = [...companies, ...trucks, ...constructionSites, ...disposalSites, ...routes];
    for (const record of all) expect(record.id).toMatch(UUID);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // pinned: ids must not change between runs or releases
    expect(companies[0]!.id).toBe('4509c845-9463-8c41-9dab-9464396b4d6f');
    expect(trucks[0]).toMatchObject({ key: 'truck-001', id: '76dc548c-aff0-8c16-a5e2-40f464c6f483', plate: '鲁CT7689', terminalId: '013805330001' });
  });

  it('has 5 transport companies with valid unified social credit codes registered in Linzi', () => {
    expect(companies).toHaveLength(5);
    for (const company of companies) {
      expect(isValidUscc(company.uscc), company.uscc).toBe(true);
      expect(company.uscc.slice(2, 8)).toBe('370305');
      expect(company.name).toMatch(/有限公司$/);
    }
  });

  it('has 56 trucks with unique Zibo plates and one terminal each; a few unsealed or with an expired permit', () => {
    expect(trucks).toHaveLength(56);
    expect(new Set(trucks.map((t) => t.plate)).size).toBe(56);
    for (const truck of trucks) {
      if (truck.plateKind === 'fuel') expect(truck.plate).toMatch(/^鲁C[A-HJ-NP-Z]\d{4}$/);
      else expect(truck.plate).toMatch(/^鲁C\d{5}[DF]$/);
      expect(truck.ratedLoadT).toBeGreaterThanOrEqual(18);
      expect(truck.ratedLoadT).toBeLessThanOrEqual(31);
      if (truck.sealed) expect(truck.permit!.number).toMatch(/渣准字/);
      else expect(truck.permit).toBeNull();
      expect(companies.some((c) => c.id === truck.companyId)).toBe(true);
      expect(constructionSites.some((s) => s.id === truck.homeSiteId)).toBe(true);
    }
    expect(trucks.filter((t) => t.plateKind === 'new-energy').length).toBeGreaterThan(3);
    expect(trucks.filter((t) => !t.sealed)).toHaveLength(2);
    expect(terminals.filter((t) => !t.bound)).toHaveLength(1);
    expect(trucks.filter((t) => t.permit !== null && t.permit.validTo < '2026-01-01')).toHaveLength(4);
    expect(terminals).toHaveLength(56);
    expect(new Set(terminals.map((t) => t.id)).size).toBe(56);
    for (const terminal of terminals) {
      expect(terminal.id).toMatch(/^\d{12}$/);
      expect(trucks.find((t) => t.id === terminal.truckId)!.terminalId).toBe(terminal.id);
    }
  });

  it('has 30 construction sites 100–300 m across in every town, each inside the town it names', () => {
    expect(constructionSites).toHaveLength(30);
    expect(new Set(constructionSites.map((s) => s.townCode)).size).toBe(towns.length);
    for (const site of constructionSites) {
      expectValidPolygon(site.geometry, site.name);
      const across = acrossM(site.geometry);
      expect(across).toBeGreaterThanOrEqual(100);
      expect(across).toBeLessThanOrEqual(300);
      for (const vertex of site.geometry.coordinates[0]!) expect(townAt(vertex), site.name).toBe(site.townCode);
      const town = towns.find((t) => t.code === site.townCode)!;
      expect(site.name.startsWith(town.name), `${site.name} should start with ${town.name}`).toBe(true);
      expect(turf.booleanPointInPolygon(site.loadingPoint, site.geometry)).toBe(true);
      expect(site.approval.truckIds.length).toBeGreaterThan(0);
    }
  });

  it('has 5 disposal sites 200–500 m across: 3 licensed, 1 closed, 1 illegal', () => {
    expect(disposalSites.map((d) => d.status).sort()).toEqual(['closed', 'illegal', 'licensed', 'licensed', 'licensed']);
    for (const site of disposalSites) {
      expectValidPolygon(site.geometry, site.name);
      const across = acrossM(site.geometry);
      expect(across).toBeGreaterThanOrEqual(200);
      expect(across).toBeLessThanOrEqual(500);
      expect(site.capacityM3).toBeGreaterThan(0);
      expect(townAt(site.tippingPoint)).toBe(site.townCode);
    }
  });

  it('has a few active sites without a valid approval, and night windows 22:00–06:00', () => {
    const active = constructionSites.filter((s) => s.status === 'active');
    expect(active.filter((s) => s.approval.validTo < '2026-01-01')).toHaveLength(3);
    expect(constructionSites.filter((s) => s.status === 'finished')).toHaveLength(1);
    const night = demoRegistry.timeWindows.find((w) => w.weekly.some((x) => x.start === '22:00' && x.end === '06:00' && x.crossesMidnight))!;
    for (const site of constructionSites) expect(site.approval.timeWindowIds).toContain(night.id);
    expect(demoRegistry.speedZones.length).toBeGreaterThanOrEqual(3);
  });

  it('has one route per site, to its designated licensed disposal site, with bends, inside the district', () => {
    expect(routes).toHaveLength(constructionSites.length);
    for (const site of constructionSites) {
      const route = routes.find((r) => r.id === site.approval.routeIds[0])!;
      const disposal = disposalSites.find((d) => d.id === route.disposalSiteId)!;
      expect(route.constructionSiteId).toBe(site.id);
      expect(site.approval.disposalSiteIds).toEqual([disposal.id]);
      expect(disposal.status).toBe('licensed');
      expect(turf.booleanPointInPolygon(route.path[0]!, site.geometry)).toBe(true);
      expect(turf.booleanPointInPolygon(route.path[route.path.length - 1]!, disposal.geometry)).toBe(true);
      expect(route.path.length).toBeGreaterThanOrEqual(5);
      expect(route.corridorWidthM).toBeGreaterThan(0);
      const line = turf.lineString(route.path);
      const length = turf.length(line, { units: 'meters' });
      expect(Math.abs(length - route.lengthM)).toBeLessThan(5);
      expect(bends(route.path), `${route.key} bends`).toBeGreaterThanOrEqual(2);
      for (let d = 0; d <= length; d += 25) {
        expect(turf.booleanPointInPolygon(turf.along(line, d, { units: 'meters' }), districtBoundary), `${route.key} at ${d} m`).toBe(true);
      }
    }
  });
});
