import { describe as suite, expect, it } from 'vitest';
import { describe } from './whereabouts-text.js';
import type { PlaceRow } from './whereabouts.repository.js';

const base: PlaceRow = {
  truckId: 't',
  plate: '鲁C12345',
  terminalId: 'x',
  at: { ts: '2026-12-05T01:00:00.000Z', lon: 118.3, lat: 36.8 },
  town: { code: '370305101', name: '敬仲镇' },
  nearestConstructionSite: { kind: 'construction_site', id: 'a', name: '齐都花园工地', distanceM: 304.4, status: null },
  nearestDisposalSite: { kind: 'disposal_site', id: 'b', name: '东风消纳场', distanceM: 2460, status: 'licensed' },
  inside: [],
};

suite('whereabouts in words', () => {
  it('names the town and the nearer site with its distance, in both languages', () => {
    const w = describe(base);
    expect(w.nearest?.id).toBe('a');
    expect(w.text['zh-CN']).toBe('敬仲镇 · 距齐都花园工地 300 米');
    expect(w.text.en).toBe('敬仲镇 · 300 m from 齐都花园工地');
  });

  it('says inside a site, kilometres further away, outside every town, and no position', () => {
    expect(describe({ ...base, nearestConstructionSite: { ...base.nearestConstructionSite!, distanceM: 0 } }).text['zh-CN']).toBe('敬仲镇 · 在齐都花园工地内');
    expect(describe({ ...base, nearestConstructionSite: null }).text['zh-CN']).toBe('敬仲镇 · 距东风消纳场 2.5 公里');
    expect(describe({ ...base, town: null, nearestConstructionSite: null, nearestDisposalSite: null }).text['zh-CN']).toBe('不在任何镇街内');
    expect(describe({ ...base, at: null, town: null }).text).toEqual({ 'zh-CN': '暂无定位', en: 'No position yet' });
  });
});
