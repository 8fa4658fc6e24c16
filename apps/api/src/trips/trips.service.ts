import { Injectable } from '@nestjs/common';
import {
  formatDateTime,
  type TripDayTotal,
  type TripListItem,
  type TripListPage,
  type TripListQuery,
  type TripSiteTotal,
  type TripStatusCounts,
  type TripTotals,
} from '@muckwatch/contracts';
import type { Principal } from '../auth/principal.js';
import { CodedError } from '../cases/case-errors.js';
import { toTrip } from '../compliance/trip-rows.js';
import { type TripFilter, parseTripFilter, parseTripPaging } from './trip-query.js';
import { type SiteCountRow, type TripListRow, TripsRepository } from './trips.repository.js';

const DAY_MS = 86_400_000;

export function toTripListItem(r: TripListRow): TripListItem {
  const rated = r.rated_load_t === null ? null : Number(r.rated_load_t);
  return {
    ...toTrip(r),
    companyId: r.company_id,
    companyName: r.company_name,
    townName: r.town_name,
    durationS: r.ended_at ? Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000) : null,
    loadT: r.load_t === null ? null : Math.round(r.load_t * 100) / 100,
    ratedLoadT: rated !== null && Number.isFinite(rated) ? rated : null,
    violations: r.violations,
  };
}

function noTrips(): TripStatusCounts {
  return { open: 0, closed: 0, unclosed: 0, abandoned: 0 };
}

/** Every office day (`yyyy-mm-dd`, Asia/Shanghai) from the one holding `from` to the one holding `to`. */
export function officeDays(from: Date, to: Date): string[] {
  const first = (formatDateTime(from) ?? '').slice(0, 10);
  const last = (formatDateTime(to) ?? '').slice(0, 10);
  const days: string[] = [];
  // Calendar arithmetic on the date alone (UTC midnight of that date), so no zone offset is added by hand.
  for (let ms = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); ms <= end; ms += DAY_MS) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

/** Rows (place × state) folded into one total per place, most trips first, then by name. */
export function siteTotals(rows: readonly SiteCountRow[]): TripSiteTotal[] {
  const byPlace = new Map<string, TripSiteTotal>();
  for (const row of rows) {
    const key = row.id ?? '';
    const total = byPlace.get(key) ?? { id: row.id, name: row.name, trips: 0, distanceM: 0, ...noTrips() };
    total[row.status] += row.trips;
    total.trips += row.trips;
    total.distanceM += row.distance_m;
    byPlace.set(key, total);
  }
  return [...byPlace.values()]
    .map((t) => ({ ...t, distanceM: Math.round(t.distanceM) }))
    .sort((a, b) => b.trips - a.trips || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff', 'zh-CN') || (a.id ?? '').localeCompare(b.id ?? ''));
}

/** The trips list (运次), its totals: one filter, the caller's scope, then the repository. */
@Injectable()
export class TripsService {
  constructor(private readonly trips: TripsRepository) {}

  /** The filter, refused with a 403 when a town official names another town. */
  filter(query: TripListQuery, principal: Principal): TripFilter {
    const filter = parseTripFilter(query);
    if (principal.role === 'town_official' && filter.townCode && filter.townCode !== principal.townCode) {
      throw new CodedError(403, 'trip.town_out_of_scope', 'a town official sees only their own town’s trips', { townCode: filter.townCode }, 'townCode');
    }
    return filter;
  }

  async list(query: TripListQuery, principal: Principal): Promise<TripListPage> {
    const filter = this.filter(query, principal);
    const paging = parseTripPaging(query);
    const { rows, total } = await this.trips.page(filter, paging, principal);
    return { items: rows.map(toTripListItem), total, page: paging.page, pageSize: paging.pageSize };
  }

  async totals(query: TripListQuery, principal: Principal): Promise<TripTotals> {
    const filter = this.filter(query, principal);
    parseTripPaging(query); // bounded like the list's, though totals are not paged
    const [perDay, origins, destinations] = await Promise.all([
      this.trips.perDay(filter, principal),
      this.trips.perSite('origin', filter, principal),
      this.trips.perSite('destination', filter, principal),
    ]);
    const days = new Map<string, TripDayTotal>(officeDays(filter.from, filter.to).map((day) => [day, { day, trips: 0, ...noTrips() }]));
    const byStatus = noTrips();
    let trips = 0;
    for (const row of perDay) {
      const day = days.get(row.day);
      // Every started_at is within from..to, so its day is listed; kept defensive all the same.
      if (day) {
        day[row.status] += row.trips;
        day.trips += row.trips;
      }
      byStatus[row.status] += row.trips;
      trips += row.trips;
    }
    return {
      from: filter.from.toISOString(),
      to: filter.to.toISOString(),
      trips,
      byStatus,
      days: [...days.values()],
      origins: siteTotals(origins),
      destinations: siteTotals(destinations),
    };
  }
}
