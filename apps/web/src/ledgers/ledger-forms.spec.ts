import { describe, expect, it } from 'vitest';
import type { Finding, WastePile } from '@muckwatch/contracts';
import { findingFormOf, findingInputOf, findingPatchOf, pileFormOf, pileInputOf, pilePatchOf, requestFormOf, requestInputOf } from './ledger-forms.js';

const pile: WastePile = {
  id: 'pile-1',
  townCode: '370305001',
  townName: '辛店街道',
  name: '东侧堆体',
  geometry: { type: 'Point', coordinates: [118.3, 36.8] },
  landNature: 'vacant_lot',
  volumeM3: 1200,
  responsibleParty: null,
  governancePlan: '清运',
  deadline: '2026-12-31',
  status: 'registered',
  overdue: false,
  verifiedAt: null,
  version: 4,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('the pile dialog', () => {
  it('lets the server fill in a town official’s own town, and names the town for the muck office', () => {
    const form = { ...pileFormOf(null), townCode: '370305002', name: ' 新堆体 ', landNature: 'farmland' as const, volumeM3: 50, geometry: pile.geometry };
    expect(pileInputOf(form, '370305001')).not.toHaveProperty('townCode');
    expect(pileInputOf(form, null)).toMatchObject({ townCode: '370305002', name: '新堆体', responsibleParty: null, governancePlan: null, deadline: null });
  });

  it('sends only what changed, with the version it read', () => {
    const form = { ...pileFormOf(pile), volumeM3: 800, responsibleParty: '  ' };
    expect(pilePatchOf(form, pile)).toEqual({ volumeM3: 800, version: 4 });
    const moved = { ...pileFormOf(pile), geometry: { type: 'Point' as const, coordinates: [118.31, 36.8] } };
    expect(pilePatchOf(moved, pile)).toEqual({ geometry: moved.geometry, version: 4 });
  });
});

describe('the finding dialog', () => {
  const now = '2026-12-05T02:00:00.000Z';

  it('records a town’s own finding as found by the town, whatever the form says', () => {
    const form = { ...findingFormOf(null, now, '370305001'), kind: 'dumping_point' as const, location: { type: 'Point' as const, coordinates: [118.3, 36.8] }, finder: 'city' as const };
    expect(findingInputOf(form, '370305001').finder).toBe('town');
    expect(findingInputOf(form, null).finder).toBe('city');
    expect(findingFormOf(null, now, null).finder).toBe('district');
  });

  it('sends an area only for road pollution', () => {
    const base = { ...findingFormOf(null, now, null), location: { type: 'Point' as const, coordinates: [118.3, 36.8] }, areaM2: 40 };
    expect(findingInputOf({ ...base, kind: 'road_pollution' }, null).areaM2).toBe(40);
    expect(findingInputOf({ ...base, kind: 'unwashed_exit' }, null).areaM2).toBeNull();
  });

  it('patches only what changed', () => {
    const finding: Finding = {
      id: 'f-1',
      townCode: '370305001',
      townName: '',
      kind: 'road_pollution',
      location: { type: 'Point', coordinates: [118.3, 36.8] },
      foundAt: now,
      areaM2: 30,
      description: null,
      finder: 'district',
      reportedBy: 'x',
      deadline: null,
      status: 'open',
      overdue: false,
      verifiedAt: null,
      version: 2,
      createdAt: now,
      updatedAt: now,
    };
    expect(findingPatchOf({ ...findingFormOf(finding, now, null), deadline: '2026-12-10' }, finding)).toEqual({ deadline: '2026-12-10', version: 2 });
  });
});

describe('the collection request dialog', () => {
  it('needs a collection point or a place of its own', () => {
    const form = { ...requestFormOf('370305001'), requesterName: '东村', volumeM3: 5 };
    expect(requestInputOf(form, '370305001')).toBeNull();
    expect(requestInputOf({ ...form, collectionPointId: 'cp-1' }, '370305001')).toEqual({
      requesterKind: 'village',
      requesterName: '东村',
      contact: null,
      villageCode: null,
      collectionPointId: 'cp-1',
      volumeM3: 5,
    });
    const place = { type: 'Point' as const, coordinates: [118.3, 36.8] };
    expect(requestInputOf({ ...form, townCode: '370305002', location: place }, null)).toMatchObject({ townCode: '370305002', location: place });
  });
});
