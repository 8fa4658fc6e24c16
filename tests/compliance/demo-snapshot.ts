import type { RegistrySnapshot } from '@muckwatch/domain';
import { demoRegistry, towns } from '@muckwatch/linzi';

/** The demo registry as the engine's snapshot, as the API maps it from the seeded tables. */
export function demoSnapshot(): RegistrySnapshot {
  const r = demoRegistry;
  return {
    trucks: r.trucks.map((t) => ({
      id: t.id,
      plate: t.plate,
      companyId: t.companyId,
      terminalId: r.terminals.find((x) => x.truckId === t.id && x.bound)?.id ?? null,
      ratedLoadT: t.ratedLoadT,
      sealed: t.sealed,
      permitNo: t.permit?.number ?? null,
      permitValidFrom: t.permit?.validFrom ?? null,
      permitValidTo: t.permit?.validTo ?? null,
    })),
    constructionSites: r.constructionSites.map((s) => ({ id: s.id, name: s.name, townCode: s.townCode, geometry: s.geometry })),
    disposalSites: r.disposalSites.map((d) => ({ id: d.id, name: d.name, status: d.status, townCode: d.townCode, geometry: d.geometry })),
    approvals: r.constructionSites.map((s) => ({
      id: `approval-${s.id}`,
      number: s.approval.number,
      constructionSiteId: s.id,
      validFrom: s.approval.validFrom,
      validTo: s.approval.validTo,
      companyId: s.approval.companyId,
      truckIds: s.approval.truckIds,
      disposalSiteIds: s.approval.disposalSiteIds,
      routeIds: s.approval.routeIds,
      timeWindowIds: s.approval.timeWindowIds,
    })),
    routes: r.routes.map((x) => ({ id: x.id, name: x.name, geometry: { type: 'LineString', coordinates: x.path }, corridorWidthM: x.corridorWidthM })),
    timeWindows: r.timeWindows.map((w) => ({ id: w.id, name: w.name, weekly: w.weekly, exceptions: w.exceptions })),
    speedZones: r.speedZones.map((z) => ({ id: z.id, name: z.name, limitKmh: z.limitKmh, geometry: z.geometry, corridorWidthM: z.corridorWidthM })),
    towns: towns.map((t) => ({ code: t.code, name: t.name, geometry: t.geometry })),
  };
}
