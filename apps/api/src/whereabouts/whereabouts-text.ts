import type { NearestSite, TruckWhereabouts } from '@muckwatch/contracts';
import type { PlaceRow } from './whereabouts.repository.js';

/** 300 米 / 1.2 公里: metres rounded to 10 below a kilometre, kilometres to 0.1 above. */
function distance(m: number, locale: 'zh-CN' | 'en'): string {
  if (m < 1000) {
    const rounded = Math.max(10, Math.round(m / 10) * 10);
    return locale === 'zh-CN' ? `${rounded} 米` : `${rounded} m`;
  }
  const km = (Math.round(m / 100) / 10).toFixed(1);
  return locale === 'zh-CN' ? `${km} 公里` : `${km} km`;
}

function sitePhrase(site: NearestSite, locale: 'zh-CN' | 'en'): string {
  if (site.distanceM <= 0) return locale === 'zh-CN' ? `在${site.name}内` : `inside ${site.name}`;
  return locale === 'zh-CN' ? `距${site.name} ${distance(site.distanceM, locale)}` : `${distance(site.distanceM, locale)} from ${site.name}`;
}

/** Of two candidates the nearer (a construction site on a tie). */
export function nearer(a: NearestSite | null, b: NearestSite | null): NearestSite | null {
  if (!a) return b;
  if (!b) return a;
  return b.distanceM < a.distanceM ? b : a;
}

/**
 * The whereabouts in words, both languages: `敬仲镇 · 距XX工地 300 米`, `敬仲镇 · 在XX消纳场内`,
 * `临淄区各镇街外 · …` outside every town, `暂无定位` without a position.
 */
export function describe(place: PlaceRow): TruckWhereabouts {
  const nearest = nearer(place.nearestConstructionSite, place.nearestDisposalSite);
  const words = (locale: 'zh-CN' | 'en'): string => {
    if (!place.at) return locale === 'zh-CN' ? '暂无定位' : 'No position yet';
    const town = place.town?.name ?? (locale === 'zh-CN' ? '不在任何镇街内' : 'Outside every town');
    return nearest ? `${town} · ${sitePhrase(nearest, locale)}` : town;
  };
  return { ...place, nearest, text: { 'zh-CN': words('zh-CN'), en: words('en') } };
}
