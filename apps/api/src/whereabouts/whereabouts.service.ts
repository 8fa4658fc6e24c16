import { BadRequestException, Injectable } from '@nestjs/common';
import { WHEREABOUTS_MAX_TRUCKS, type TruckWhereabouts, type WhereaboutsBatch } from '@muckwatch/contracts';
import type { Principal } from '../auth/principal.js';
import { TownScope } from '../live/town-scope.js';
import { isUuid, notFound, requireUuidParam } from '../registry/common/input.js';
import { townScope } from '../registry/common/scope.js';
import { describe } from './whereabouts-text.js';
import { WhereaboutsRepository, type PlaceRow } from './whereabouts.repository.js';

/** `truckIds`: a comma list of 1…WHEREABOUTS_MAX_TRUCKS truck ids (UUIDs); anything else a 400 naming it. */
export function parseTruckIds(raw: unknown): string[] {
  const fail = (message: string, params: Record<string, unknown> = {}): never => {
    throw new BadRequestException({ code: 'query.invalid', params: { field: 'truckIds', ...params }, message: `truckIds ${message}`, field: 'truckIds' });
  };
  if (Array.isArray(raw)) return fail('must be given once');
  if (typeof raw !== 'string' || raw.trim() === '') return fail('is required: a comma list of truck ids');
  if (raw.length > WHEREABOUTS_MAX_TRUCKS * 37) fail(`lists at most ${WHEREABOUTS_MAX_TRUCKS} truck ids`, { max: WHEREABOUTS_MAX_TRUCKS });
  const ids = raw.split(',').map((s) => s.trim().toLowerCase());
  if (ids.length > WHEREABOUTS_MAX_TRUCKS) fail(`lists at most ${WHEREABOUTS_MAX_TRUCKS} truck ids`, { max: WHEREABOUTS_MAX_TRUCKS });
  if (!ids.every(isUuid)) fail('must be a comma list of truck ids (UUIDs)');
  return [...new Set(ids)];
}

/**
 * Where trucks are, in words. Scope as the live map's (TownScope): a town official sees a truck only
 * while its latest position lies in their own town, and only their town's sites are named.
 */
@Injectable()
export class WhereaboutsService {
  constructor(
    private readonly places: WhereaboutsRepository,
    private readonly towns: TownScope,
  ) {}

  async one(id: string, principal: Principal): Promise<TruckWhereabouts> {
    const truckId = requireUuidParam('truck', id);
    const [place] = await this.visible(await this.places.places([truckId], townScope(principal)), principal);
    return place ? describe(place) : notFound('truck', id);
  }

  async batch(rawIds: unknown, principal: Principal): Promise<WhereaboutsBatch> {
    const ids = parseTruckIds(rawIds);
    const places = await this.visible(await this.places.places(ids, townScope(principal)), principal);
    return { items: places.map(describe) };
  }

  private async visible(places: PlaceRow[], principal: Principal): Promise<PlaceRow[]> {
    const town = townScope(principal);
    if (town === null) return places;
    await this.towns.ready();
    return places.filter((p) => p.at !== null && this.towns.townAt(p.at.lon, p.at.lat) === town);
  }
}
