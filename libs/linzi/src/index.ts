export { DISTRICT_CODE, DISTRICT_NAME, DISTRICT_CENTRE, districtBoundary, type DistrictProperties } from './district.js';
export { towns, townByCode, TOWNS_PROVENANCE, type Town } from './towns.js';
export { villages, villageByCode, villagesOfTown, VILLAGES_PROVENANCE, type Village } from './villages.js';
export { townSeeds, enterpriseFullNames, type TownSeed, type TownKind, type LonLat } from './town-seeds.js';
export { usccCheckCharacter, orgCodeCheckCharacter, isValidUscc, makeUscc, USCC_ALPHABET } from './uscc.js';
export { stableUuid } from './stable-id.js';
export * from './demo/registry.js';
export * from './demo/case-history.js';
