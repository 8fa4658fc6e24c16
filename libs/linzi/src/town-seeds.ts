/**
 * Seeds of the SYNTHETIC town polygons. No public township boundaries of Linzi exist, so the
 * generator (../scripts/generate.ts) partitions the district boundary: each enterprise zone is the
 * small hand-drawn `zone` polygon below, and the 12 NBS units are the Voronoi cells of their
 * `seeds`, clipped to the district and minus the enterprise zones. The seed points are placed
 * after the units' rough real geography (streets in the urban core, towns around it), nothing
 * more. All coordinates WGS-84 [lon, lat].
 */

export type TownKind = 'street' | 'town' | 'enterprise';

export type LonLat = [lon: number, lat: number];

export interface TownSeed {
  /** 9-digit NBS code, or one of our own enterprise codes ('E' + district code + 2 digits). */
  code: string;
  /** Display name. */
  name: string;
  /** The name in the NBS code list, when it differs from or equals the display name. */
  nbsName?: string;
  kind: TownKind;
  /** Voronoi seed points of the unit (one or more; cells of one unit are merged). */
  seeds: LonLat[];
  /** Enterprise zones only: the zone outline (open ring, counter-clockwise). */
  zone?: LonLat[];
}

export const townSeeds: readonly TownSeed[] = [
  { code: '370305001', name: '闻韶街道', nbsName: '闻韶街道', kind: 'street', seeds: [[118.302, 36.826]] },
  { code: '370305002', name: '雪宫街道', nbsName: '雪宫街道', kind: 'street', seeds: [[118.288, 36.808]] },
  { code: '370305003', name: '辛店街道', nbsName: '辛店街道', kind: 'street', seeds: [[118.312, 36.803]] },
  { code: '370305004', name: '稷下街道', nbsName: '稷下街道', kind: 'street', seeds: [[118.333, 36.826], [118.36, 36.842]] },
  { code: '370305005', name: '齐陵街道', nbsName: '齐陵街道', kind: 'street', seeds: [[118.352, 36.8], [118.392, 36.812]] },
  { code: '370305100', name: '齐都镇', nbsName: '齐都镇', kind: 'town', seeds: [[118.318, 36.868], [118.35, 36.895]] },
  { code: '370305102', name: '皇城镇', nbsName: '皇城镇', kind: 'town', seeds: [[118.42, 36.9], [118.44, 36.93]] },
  { code: '370305103', name: '敬仲镇', nbsName: '敬仲镇', kind: 'town', seeds: [[118.27, 36.93], [118.31, 36.965]] },
  { code: '370305104', name: '朱台镇', nbsName: '朱台镇', kind: 'town', seeds: [[118.19, 36.925], [118.225, 36.89]] },
  { code: '370305107', name: '金岭回族镇', nbsName: '金岭镇', kind: 'town', seeds: [[118.25, 36.795], [118.255, 36.765]] },
  { code: '370305109', name: '凤凰镇', nbsName: '凤凰镇', kind: 'town', seeds: [[118.195, 36.835], [118.25, 36.85]] },
  { code: '370305111', name: '金山镇', nbsName: '金山镇', kind: 'town', seeds: [[118.2, 36.7], [118.16, 36.74]] },
  {
    code: 'E37030501',
    name: '齐鲁石化',
    kind: 'enterprise',
    seeds: [[118.318, 36.787]],
    zone: [
      [118.305, 36.781], [118.321, 36.779], [118.332, 36.783], [118.333, 36.79],
      [118.325, 36.795], [118.31, 36.794], [118.303, 36.788],
    ],
  },
  {
    code: 'E37030502',
    name: '十化建',
    kind: 'enterprise',
    seeds: [[118.343, 36.792]],
    zone: [[118.337, 36.787], [118.348, 36.787], [118.349, 36.796], [118.338, 36.797]],
  },
];

/** Longer names of the enterprise units, as the notice and the public use them. */
export const enterpriseFullNames: Readonly<Record<string, string>> = {
  E37030501: '中国石化齐鲁石油化工公司（齐鲁公司）',
  E37030502: '中石化第十建设有限公司（十化建）',
};
