import { Injectable } from '@nestjs/common';
import type { CompanyRates, Rate, RegistryRates, TownRates } from '@muckwatch/contracts';
import type { Principal } from '../../auth/principal.js';
import { RegistryDb } from '../common/registry-db.js';
import { townScope } from '../common/scope.js';

/**
 * The notice's registry rates, computed live from the registry on a day D (never cached):
 *
 * Per transport company, over its registered trucks:
 *   sealed (密闭化率)               trucks sealed with a certification dated on or before D / trucks
 *   terminalInstalled (卫星定位安装率) trucks with a terminal bound now / trucks
 *   permitValid                     trucks whose transport permit (准运证) is valid on D / trucks
 * Per town:
 *   approval (核准办理率)            active construction sites in the town with an approval valid on D
 *                                   / active construction sites in the town
 *   sealed, terminalInstalled, permitValid: as above, over the distinct trucks listed on the
 *                                   approvals valid on D of the town's active sites
 * District: the same over all trucks and all active sites.
 * A rate is null when its denominator is 0.
 *
 * A town official gets only their own town's line: company and district lines count trucks and
 * sites of every town, so they are left out (`companies: []`, `district: null`).
 */
export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000 };
}

interface Counts {
  trucks: number;
  sealed: number;
  terminals: number;
  permits: number;
}

const TRUCK_COUNTS = `
  count(t.id)::int AS trucks,
  count(t.id) FILTER (WHERE t.sealed AND t.sealed_certified_on <= $1::date)::int AS sealed,
  count(te.terminal_id)::int AS terminals,
  count(t.id) FILTER (WHERE t.permit_no IS NOT NULL AND $1::date BETWEEN t.permit_valid_from AND t.permit_valid_to)::int AS permits`;

@Injectable()
export class RatesService {
  constructor(private readonly db: RegistryDb) {}

  async rates(on: string, principal?: Principal): Promise<RegistryRates> {
    const town = townScope(principal);
    const all = await this.all(on);
    if (town === null) return all;
    return { on, companies: [], towns: all.towns.filter((t) => t.townCode === town), district: null };
  }

  private async all(on: string): Promise<RegistryRates> {
    const [companies, towns, district] = await Promise.all([
      this.db.rows<Counts & { id: string; name: string }>(
        `SELECT c.id, c.name, ${TRUCK_COUNTS}
           FROM transport_companies c
           LEFT JOIN trucks t ON t.company_id = c.id
           LEFT JOIN terminals te ON te.truck_id = t.id
          GROUP BY c.id, c.name
          ORDER BY c.name`,
        [on],
      ),
      this.db.rows<Counts & { code: string; name: string; active_sites: number; approved_sites: number }>(
        `WITH active AS (SELECT id, town_code FROM construction_sites WHERE status = 'active'),
              valid AS (SELECT id, construction_site_id FROM disposal_approvals WHERE $1::date BETWEEN valid_from AND valid_to),
              town_trucks AS (
                SELECT DISTINCT s.town_code, x.truck_id
                  FROM active s JOIN valid a ON a.construction_site_id = s.id JOIN approval_trucks x ON x.approval_id = a.id)
         SELECT w.code, w.name,
                (SELECT count(*) FROM active s WHERE s.town_code = w.code)::int AS active_sites,
                (SELECT count(*) FROM active s WHERE s.town_code = w.code
                    AND EXISTS (SELECT 1 FROM valid a WHERE a.construction_site_id = s.id))::int AS approved_sites,
                ${TRUCK_COUNTS}
           FROM towns w
           LEFT JOIN town_trucks tt ON tt.town_code = w.code
           LEFT JOIN trucks t ON t.id = tt.truck_id
           LEFT JOIN terminals te ON te.truck_id = t.id
          GROUP BY w.code, w.name
          ORDER BY w.code`,
        [on],
      ),
      this.db.rows<Counts & { active_sites: number; approved_sites: number }>(
        `SELECT (SELECT count(*) FROM construction_sites WHERE status = 'active')::int AS active_sites,
                (SELECT count(*) FROM construction_sites s WHERE status = 'active' AND EXISTS (
                   SELECT 1 FROM disposal_approvals a WHERE a.construction_site_id = s.id AND $1::date BETWEEN a.valid_from AND a.valid_to))::int AS approved_sites,
                ${TRUCK_COUNTS}
           FROM trucks t LEFT JOIN terminals te ON te.truck_id = t.id`,
        [on],
      ),
    ]);
    const truckRates = (c: Counts) => ({
      trucks: c.trucks,
      sealed: rate(c.sealed, c.trucks),
      terminalInstalled: rate(c.terminals, c.trucks),
      permitValid: rate(c.permits, c.trucks),
    });
    const d = district[0]!;
    return {
      on,
      companies: companies.map((c): CompanyRates => ({ companyId: c.id, companyName: c.name, ...truckRates(c) })),
      towns: towns.map(
        (t): TownRates => ({ townCode: t.code, townName: t.name, activeSites: t.active_sites, approval: rate(t.approved_sites, t.active_sites), ...truckRates(t) }),
      ),
      district: { activeSites: d.active_sites, approval: rate(d.approved_sites, d.active_sites), ...truckRates(d) },
    };
  }
}
